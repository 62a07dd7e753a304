"""A bounded fuzzer over the real corpus pages (skipped without ../shared/corpus).

Each example takes a corpus Workflow page and applies a few mutations made of the characters
that mean something to wikitext, Semantic MediaWiki and Mermaid (``[[``, ``{{``, ``|``, ``<!--``,
``-->``, ``=``, stray ``\\r``, …). Properties, as ruff's ``fuzz/`` targets state them:

* parsing, formatting and linting with fixes never raise;
* the fix loop settles (a second ``--fix`` run changes nothing) and safe fixes keep every
  annotation the page had;
* ``fmt`` is idempotent and never changes the page's facts;
* no input is slower than linear: each mutation, repeated until the page is about 256 KB, is
  parsed, formatted and linted in a child process under a CPU-time limit that a quadratic
  pass over that size could not meet.

The examples are derandomised so a run of the suite is repeatable; ``WIKIFLOW_FUZZ_RUNS`` raises
their number for a longer hunt (the issue's 80,000 runs were made that way).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT, corpus_workflows, needs_corpus
from wikiflow import InputError, format_text, lint_source, parse_page
from wikiflow.page.names import page_name
from wikiflow.sync.smw import PROPERTIES

pytestmark = needs_corpus

PAGES = corpus_workflows()
RUNS = int(os.environ.get("WIKIFLOW_FUZZ_RUNS", "150"))
#: Pieces of markup that open, close or separate something in wikitext, SMW or Mermaid.
META = ["[[", "]]", "{{", "}}", "|", "||", "{|", "|}", "|-", "<!--", "-->", "=", "==", "===",
        "\n", "\r", "\r\n", "\r\r\n", "::", "[[step::", "[[uses_heuristic::", "[[domain::",
        "{{#mermaid:", "graph TD", "flowchart LR", "A-->B", "-->", "---", "-.->", "==>", "(", ")",
        "[", "]", "{", "}", '"', "&", "end", "subgraph", "%%", ";", "<pre>", "</pre>",
        "<nowiki>", "</nowiki>", "<syntaxhighlight>", "</syntaxhighlight>", "```", "**", "'''",
        "#", "*", "\t", "\ufeff", "\x1b]0;x\x07", "<!-- wikiflow-disable-next-line WF301 -->",
        "== Related Pages ==", "=== Step 1: X ===", "=== Tips and Tricks ===", ":=", "@@@",
        "[[SMW::off]]", "[[SMW::on]]", "[[:", "[[-", "\u200e", "[http://x y]"]


def _facts(text: str) -> set[tuple[str, str]]:
    """The annotations of a page as SMW would store them: (property, value)."""
    return {(a.prop, a.value) for a in parse_page(text).annotations}


#: The types ``smw-setup`` gives the guide's properties; SMW reads any other property as a Page.
TYPES = {prop.name: prop.type for prop in PROPERTIES}


def _stored(text: str) -> set[tuple[str, str]]:
    """The annotations by what SMW stores: a Page value by its page name, in which ``_`` and a
    blank are one (the safe WF211 fix writes ``Fine Tuning`` as ``Fine_Tuning``)."""
    return {(prop, page_name(value).key if TYPES.get(prop, "Page") == "Page" else value)
            for prop, value in _facts(text)}


@st.composite
def mutated_pages(draw: st.DrawFn) -> str:
    """A corpus Workflow page with one to four markup pieces inserted, a span cut or a line doubled."""
    text = draw(st.sampled_from(PAGES)).read_text(encoding="utf-8") if PAGES else ""
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["insert", "insert", "cut", "double", "crlf"]))
        if kind == "insert":
            text = text[:at] + draw(st.sampled_from(META)) + text[at:]
        elif kind == "cut":
            text = text[:at] + text[at + draw(st.integers(1, 40)):]
        elif kind == "double":
            start = text.rfind("\n", 0, at) + 1
            end = text.find("\n", at)
            end = len(text) if end < 0 else end + 1
            text = text[:end] + text[start:end] + text[end:]
        else:
            text = text.replace("\n", "\r\n")
    return text


FUZZ = settings(max_examples=RUNS, derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FUZZ
@given(mutated_pages())
def test_fix_loop_settles_and_keeps_every_annotation(text: str) -> None:
    before = _stored(text)
    result = lint_source(text, title="Fuzzed", fix=True)
    assert result.converged, "the fix loop did not settle"
    assert before <= _stored(result.source), "a safe fix dropped an annotation"
    assert lint_source(result.source, title="Fuzzed", fix=True).fixes_applied == 0
    lint_source(text, title="Fuzzed", fix=True, unsafe=True)  # never raises


@FUZZ
@given(mutated_pages())
def test_fmt_is_idempotent_and_keeps_the_facts(text: str) -> None:
    try:
        once = format_text(text, "Fuzzed").formatted
    except InputError as refusal:  # fmt may refuse a page it cannot read as the guide means
        assert "cannot format" in str(refusal), f"not a refusal but a fmt bug: {refusal}"
        return
    assert format_text(once, "Fuzzed").formatted == once
    assert _facts(once) == _facts(text)


#: Run in a child: parse, fmt and lint --fix of every file named on the command line.
_CHILD = textwrap.dedent("""
    import resource, sys
    from pathlib import Path
    from wikiflow import InputError, format_text, lint_source, parse_page
    limit = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_CPU, (limit, limit + 1))
    for name in sys.argv[2:]:
        text = Path(name).read_text(encoding="utf-8")
        parse_page(text)
        try:
            format_text(text, "Big")
        except InputError as refusal:  # as in the fmt property: a stated refusal is an answer
            if "cannot format" not in str(refusal):
                raise
        lint_source(text, title="Big", fix=True)
        print(name, flush=True)
""")
#: About 256 KB a page; a pass quadratic in that size needs minutes, a linear one well under a second.
BLOWN_UP = 256 * 1024
CPU_SECONDS = 120


def test_no_markup_piece_makes_a_page_slower_than_linear(tmp_path: Path) -> None:
    base = PAGES[0].read_text(encoding="utf-8")
    files = []
    for i, piece in enumerate(META):
        for shape, unit in (("run", piece), ("spaced", piece + " x ")):
            body = unit * max(1, (BLOWN_UP - len(base)) // len(unit))
            path = tmp_path / f"{i:02d}-{shape}.wiki"
            middle = base.find("== Execution Steps ==")
            path.write_text(base[:middle] + body + base[middle:], encoding="utf-8")
            files.append(str(path))
    run = subprocess.run([sys.executable, "-c", _CHILD, str(CPU_SECONDS), *files],
                         capture_output=True, text=True, timeout=CPU_SECONDS * 3, cwd=ROOT)
    done = run.stdout.split()
    stuck = files[len(done)] if len(done) < len(files) else None
    assert run.returncode == 0 and stuck is None, (
        f"exit {run.returncode}; the CPU limit ({CPU_SECONDS} s for {len(files)} pages of "
        f"{BLOWN_UP // 1024} KB) ran out at {stuck}: {run.stderr[-2000:]}")


@pytest.mark.skipif(not PAGES, reason="no corpus Workflow pages")
def test_the_fuzzer_changes_pages() -> None:
    """Guard against a strategy that stops mutating (every property would then pass trivially)."""
    seen = []

    @settings(max_examples=20, derandomize=True, database=None, deadline=None)
    @given(mutated_pages())
    def collect(text: str) -> None:
        seen.append(text)

    collect()
    originals = {p.read_text(encoding="utf-8") for p in PAGES}
    assert sum(text not in originals for text in seen) >= 15
