"""Properties over the real pages in ../shared/corpus (skipped when it is absent)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from tests.conftest import CORPUS, corpus_pages, corpus_workflows, needs_corpus
from wikiflow import format_text, lint_source, parse_page, render_page
from wikiflow.files.layout import walk_wiki
from wikiflow.graph.export import export_graph
from wikiflow.graph.wiki import Wiki

pytestmark = needs_corpus
STEP_HEADER = re.compile(r"^=== Step \d+:", re.MULTILINE)
WORKFLOWS = corpus_workflows()


def _id(path: Path) -> str:
    return str(path.relative_to(CORPUS))


def test_every_corpus_page_parses_and_renders() -> None:
    pages = corpus_pages()
    assert pages, "corpus has no pages"
    for path in pages:
        render_page(parse_page(path.read_bytes(), path.stem))


@pytest.mark.parametrize("path", WORKFLOWS, ids=[_id(p) for p in WORKFLOWS])
def test_workflow_steps_match_step_headers(path: Path) -> None:
    data = path.read_text(encoding="utf-8")
    assert len(parse_page(data).steps) == len(STEP_HEADER.findall(data))


def _content(page, bodies: bool = True):
    """What fmt must keep; lint fixes may mend a step body (Markdown bold), nothing else."""
    return ([(s.number, s.name, s.target, s.body if bodies else None) for s in page.steps],
            [(s.type, s.title, s.url) for s in page.sources],
            [d.name for d in page.domains], [h.target for h in page.heuristics])


@pytest.mark.parametrize("path", WORKFLOWS, ids=[_id(p) for p in WORKFLOWS])
def test_fmt_is_idempotent_and_keeps_content(path: Path) -> None:
    data = path.read_bytes()
    once = format_text(data, path.stem, str(path)).formatted
    assert format_text(once, path.stem).formatted == once
    assert _content(parse_page(once)) == _content(parse_page(data))


@pytest.mark.parametrize("path", WORKFLOWS, ids=[_id(p) for p in WORKFLOWS])
def test_lint_fix_converges_and_keeps_content(path: Path) -> None:
    data = path.read_bytes()
    result = lint_source(data, path=str(path), title=path.stem, fix=True)
    assert result.converged
    assert not [d for d in result.diagnostics if d.fixable], "safe fixes left after --fix"
    assert _content(parse_page(result.source), False) == _content(parse_page(data), False)
    assert lint_source(result.source, fix=True).fixes_applied == 0


def test_show_and_exports_list_every_parsed_step_in_order(tmp_path: Path) -> None:
    """Every step of every Workflow, linked to a principle or not, is in show and in the
    exports, in the order written (real recipes leave steps without a link)."""
    checked = unlinked = 0
    for root in sorted({path.parents[1] for path in WORKFLOWS}):
        with Wiki.open(root, db=tmp_path / f"{root.name}.db") as wiki:
            wiki.index(jobs=1)
            out = io.BytesIO()
            export_graph(wiki.conn, "json", out)
            exported = {node["key"]: node["steps"] for node in json.loads(out.getvalue())["nodes"]}
            for page_file in walk_wiki(root):
                if page_file.name.namespace != "Workflow":
                    continue
                steps = parse_page((root / page_file.path).read_bytes()).steps
                key = page_file.name.key
                expected = [(step.number, step.name) for step in steps]
                assert [(s["number"], s["name"]) for s in wiki.show(key)["steps"]] == expected, key
                assert [(s["number"], s["name"]) for s in exported[key]] == expected, key
                checked += 1
                unlinked += sum(step.target is None for step in steps)
    assert checked == len(WORKFLOWS) and unlinked, (checked, unlinked)


def test_lint_never_crashes_on_any_corpus_page() -> None:
    for path in corpus_pages():
        lint_source(path.read_bytes(), path=str(path), fix=True, unsafe=True)
