"""The fix harness: lint, fix, re-lint every rule example, case page and corpus Workflow page.

Properties (STYLE.md, "Fix harness"; ruff's ``crates/ruff_linter/src/test.rs``): fixing settles
within the loop's cap; safe fixes bring no finding the page did not have and keep every
annotation (its property; a value may be restated); a second ``--fix`` run changes nothing.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from tests.conftest import CORPUS, corpus_workflows, needs_corpus
from tests.lint.rules.splice import splice
from tests.lint.rules.test_rules import CASES, REFERENCE, as_saved
from wikiflow.lint.engine import lint_source
from wikiflow.page.parse import parse_page


def _pages() -> list[tuple[str, str | bytes]]:
    from wikiflow.lint.rules import RULES

    pages: list[tuple[str, str | bytes]] = []
    for rule in RULES:
        doc = rule.doc()
        pages += [(f"{rule.code}:bad", as_saved(splice(doc.bad, REFERENCE))),
                  (f"{rule.code}:good", as_saved(splice(doc.good, REFERENCE)))]
    for path in sorted(CASES.glob("*.yml")):
        for case in yaml.safe_load(path.read_text()):
            page = case["page"] if "page" in case else splice(case["fragment"], REFERENCE)
            pages.append((f"{path.stem}:{case['name']}", as_saved(page)))
    return pages


PAGES = _pages()
WORKFLOWS = corpus_workflows()


def _annotations(text: str | bytes) -> Counter[str]:
    return Counter(a.prop for a in parse_page(text).annotations)


def check_fix(source: str | bytes, path: str | None = None) -> None:
    """Lint → fix → re-lint, safe fixes alone and then with the unsafe ones."""
    before = lint_source(source, path=path)
    for unsafe in (False, True):
        fixed = lint_source(source, path=path, fix=True, unsafe=unsafe)
        assert fixed.converged, "fixes did not settle within the loop's cap"
        if not unsafe:
            brought = Counter(d.code for d in fixed.diagnostics) - Counter(
                d.code for d in before.diagnostics)
            assert not brought, f"a safe fix brought {dict(brought)}"
            lost = _annotations(source) - _annotations(fixed.source)
            assert not lost, f"a safe fix dropped annotations {dict(lost)}"
        # What a second run reads: the fixed page, or the file as it was when nothing was
        # written (a page that is not UTF-8 is never rewritten).
        written = fixed.source if fixed.changed else source
        again = lint_source(written, path=path, fix=True, unsafe=unsafe)
        assert again.source == fixed.source, "a second --fix run changed the page"
        assert again.fixes_applied == 0


@pytest.mark.parametrize(("name", "source"), PAGES, ids=[name for name, _ in PAGES])
def test_fixing_a_rule_case_settles_and_keeps_the_page(name: str, source: str | bytes) -> None:
    check_fix(source)


@needs_corpus
@pytest.mark.parametrize("path", WORKFLOWS, ids=[str(p.relative_to(CORPUS)) for p in WORKFLOWS])
def test_fixing_a_corpus_page_settles_and_keeps_the_page(path: Path) -> None:
    check_fix(path.read_bytes(), str(path))
