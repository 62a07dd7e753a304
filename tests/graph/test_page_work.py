"""Work a caller does on each page an index run reads (``indexer.PageWork``, the site's drafts):
the index it writes is the one a plain run writes, and the caller gets what it made of each
page read, in order."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import CORPUS, EXAMPLE_WIKI, needs_corpus
from tests.graph.test_store import snapshot
from wikiflow.files.layout import page_for_path, walk_wiki
from wikiflow.graph import indexer
from wikiflow.graph.indexer import PageWork, index_folder
from wikiflow.graph.records import page_record
from wikiflow.graph.store import Store
from wikiflow.lint.engine import lint_source
from wikiflow.page.model import Page
from wikiflow.page.names import PageName
from wikiflow.page.parse import parse_page


def _lint_parse(name: PageName, path: str, data: bytes) -> tuple[Page, bytes] | None:
    """Lint's parse (the diagram read, the title a key), as the site's drafts parse; nothing
    made of a Heuristic, which the index then parses its own way."""
    if name.namespace == "Heuristic":
        return None
    page = lint_source(data, path=path, title=name.key).page
    assert page is not None
    return page, f"made of {name.key}".encode()


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_index_run_with_page_work_writes_the_index_a_plain_run_writes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int) -> None:
    wiki = shutil.copytree(EXAMPLE_WIKI, tmp_path / "wiki",
                           ignore=shutil.ignore_patterns(".wikiflow"))
    with Store(tmp_path / "plain.db") as store:
        index_folder(store, wiki, jobs=1)
    monkeypatch.setattr(indexer, "PARALLEL_THRESHOLD", 0)  # worker processes for 2 jobs
    monkeypatch.setattr(indexer, "CHUNK", 3)
    started: list[list[str]] = []
    kept: list[tuple[str, bytes]] = []
    work = PageWork(started.append, _lint_parse, lambda key, made: kept.append((key, made)))
    with Store(tmp_path / "work.db") as store:
        index_folder(store, wiki, jobs=jobs, work=work)
    assert snapshot(tmp_path / "work.db") == snapshot(tmp_path / "plain.db")
    paths = sorted(file.path for file in walk_wiki(wiki))
    assert started == [paths]
    names = [page_for_path(path) for path in paths]
    assert kept == [(name.key, f"made of {name.key}".encode()) for name in names
                    if name.namespace != "Heuristic"]
    assert any(name.namespace == "Heuristic" for name in names)


def test_page_work_starts_only_when_the_run_reads_pages(tmp_path: Path) -> None:
    wiki = shutil.copytree(EXAMPLE_WIKI, tmp_path / "wiki",
                           ignore=shutil.ignore_patterns(".wikiflow"))
    started: list[list[str]] = []
    work = PageWork(started.append, _lint_parse, lambda key, made: None)
    with Store(tmp_path / "work.db") as store:
        index_folder(store, wiki, jobs=1, work=work)
        index_folder(store, wiki, jobs=1, work=work)
    assert len(started) == 1


@needs_corpus
def test_lint_parse_gives_every_corpus_page_the_record_of_the_index_parse() -> None:
    """What lets the site draft pages from the index's reading: the record of a page parsed as
    lint parses it (its diagram read, its key for a title) is the index's."""
    count = 0
    for folder in sorted(CORPUS.glob("*/")):
        for file in walk_wiki(folder) if any(folder.glob("*/*.md")) else []:
            data = (folder / file.path).read_bytes()
            name = page_for_path(file.path)
            plain = parse_page(data, name.title, path=file.path, diagram=False)
            linted = lint_source(data, path=str(folder / file.path), title=name.key).page
            assert linted is not None
            assert page_record(name, linted, path=file.path, digest="", mtime_ns=0, size=0) == \
                page_record(name, plain, path=file.path, digest="", mtime_ns=0, size=0), file
            count += 1
    assert count > 1000
