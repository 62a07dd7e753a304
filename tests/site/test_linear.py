"""The renderer is linear in its input: 300 kB of each adversarial kind (tests/adversarial.py,
and the constructs only the renderer reads) is rendered in a child process under a CPU limit.

The limit is generous, several times what all kinds take together, so a loaded machine passes;
a quadratic pass on 300 kB takes hours and is killed (STYLE.md: tests bound the work).
"""

from __future__ import annotations

import signal
import subprocess
import sys

from tests.conftest import ROOT

SIZE = 300_000
CPU_SECONDS = 100
#: Constructs the renderer's own passes read, repeated to SIZE, most on one line.
RENDERER_KINDS = {
    "links-on-one-line": "[[Foo]] ",
    "annotations-on-one-line": "[[domain::LLMs]] ",
    "comments-on-one-line": "<!-- x -->",
    "unclosed-external-links": "[http://a.org ",
    "bare-urls": "http://a.org/x ",
    "quotes": "''a'''b",
    "open-tags": "<b>",
    "open-then-stray-closing-tags": "<b><i>",
    "stray-closing-tags": "</span>",
    "unclosed-tags": "<span ",
    "entities": "&amp;&bogus;",
    "list-lines": "*#:;* x\n",
    "deep-list-line": "*",
    "table-cells-on-one-line": "{|\n| a " + "|| b " * 20 + "\n",
    "definition-colons": "; a : b : c\n",
    "blank-lines": "\n",
    "preformatted-lines": " x\n",
    "headings": "== a ==\n",
}
CHILD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_CPU, ({limit}, {limit} + 1))  # SIGXCPU, then SIGKILL
sys.path.insert(0, {root!r})
from tests.adversarial import KINDS
from wikiflow.site.wikitext import wikitext_html
kinds = {{name: make({size}) for name, make in KINDS.items()}}
kinds.update({{name: (unit * ({size} // len(unit) + 1))[:{size}]
              for name, unit in {renderer!r}.items()}})
kinds["open-then-stray-closing-tags"] = "<b><i>" * ({size} // 12) + "</s>" * ({size} // 8)
kinds["nested-tables"] = "{{|\\n| x\\n" * ({size} // 7)
kinds["nested-parser-functions"] = "{{{{#x:" * ({size} // 10) + "}}}}" * ({size} // 10)
for name, text in kinds.items():
    print(name, file=sys.stderr, flush=True)
    wikitext_html(text, lambda title: None)
"""


def test_each_adversarial_kind_is_rendered_in_linear_time() -> None:
    code = CHILD.format(limit=CPU_SECONDS, root=str(ROOT), size=SIZE, renderer=RENDERER_KINDS)
    _run_within(code, CPU_SECONDS, f"{SIZE:,} characters")


def _run_within(code: str, limit: int, size: str) -> None:
    """Run ``code`` (which sets its own CPU limit of ``limit`` s and names each kind on stderr
    as it starts it) in a child; fail naming the kind that was killed, or the child's error."""
    # The wall-clock bound only guards against a child that waits instead of computing.
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=limit * 10)
    last = result.stderr.strip().splitlines()[-1:] or ["?"]
    killed = result.returncode in (-signal.SIGXCPU, -signal.SIGKILL)
    assert result.returncode == 0, (
        f"{last[0]}: over {limit} CPU-s for {size} (super-linear)"
        if killed else result.stderr[-2000:])


#: A megabyte of each of PAGE_KINDS is viewed in some 12 CPU-s all told; a quadratic view
#: of a third of that took 100.
PAGE_SIZE = 1_000_000
PAGE_CPU_SECONDS = 60
#: Pages whose structure the page's view reads (its sections and steps), repeated to SIZE.
PAGE_KINDS = {
    "same-headings": ("", "== a ==\n"),
    "unnumbered-steps": ("== Execution Steps ==\n", "=== L ===\n[[step::P]]\n"),
    "unnumbered-steps-and-diagram": (
        "== Execution Diagram ==\n{{#mermaid:graph TD\n" + "A[Load] --> A\n" * 2000 + "}}\n"
        "== Execution Steps ==\n", "=== Load ===\n[[step::P]]\n"),
}
PAGE_CHILD = """
import resource, sys, tempfile
from pathlib import Path
resource.setrlimit(resource.RLIMIT_CPU, ({limit}, {limit} + 1))  # SIGXCPU, then SIGKILL
sys.path.insert(0, {root!r})
from wikiflow.config import Config
from wikiflow.site.build import render_page
from wikiflow.site.catalog import Catalog, Entry
from wikiflow.site.pages import page_view
root = Path(tempfile.mkdtemp())
(root / "workflows").mkdir()
file = root / "workflows" / "X.mediawiki"
catalog = Catalog(entries={{"Workflow:X": Entry("Workflow:X", "Workflow", "X", True,
                                                "workflows/X.mediawiki", "", None)}},
                  paths={{"Workflow:X": "workflows/X.html"}})
for name, (head, unit) in {kinds!r}.items():
    print(name, file=sys.stderr, flush=True)
    file.write_text(head + unit * ({size} // len(unit)), encoding="utf-8")
    view = page_view(catalog, root, "Workflow:X", Config())
    assert view.error is None and len(view.sections) > {size} // 100, name
    render_page(view, Config())
file.unlink()
root.joinpath("workflows").rmdir()
root.rmdir()
"""


def test_a_page_of_many_sections_or_steps_is_viewed_in_linear_time() -> None:
    """A section's anchor among many same ones, a step's among many unnumbered ones."""
    code = PAGE_CHILD.format(limit=PAGE_CPU_SECONDS, root=str(ROOT), size=PAGE_SIZE,
                             kinds=PAGE_KINDS)
    _run_within(code, PAGE_CPU_SECONDS, f"a page of {PAGE_SIZE:,} characters")
