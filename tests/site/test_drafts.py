"""Pages drafted while the index reads them (``site.drafts``): a page finished from its draft is
the page rendered from its file, and a draft whose links the index contradicts is not used."""

from __future__ import annotations

import multiprocessing
import shutil
from pathlib import Path

import pytest

from tests.conftest import CORPUS, EXAMPLE_WIKI, needs_corpus
from wikiflow.graph.wiki import Wiki
from wikiflow import workers
from wikiflow.site import build, drafts
from wikiflow.site.build import build_site
from wikiflow.site.cache import CACHE

DATA_FORMATTING = Path("principles") / "Data_Formatting.mediawiki"
DPO = Path("workflows") / "DPO_Preference_Alignment.html"
#: A wiki copied without the index it may hold (the example's, once a command has run on it).
UNINDEXED = shutil.ignore_patterns(".wikiflow")


@pytest.fixture
def finished(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The keys of the pages a build finished from their drafts (in this process: jobs=1)."""
    keys: list[str] = []
    view = drafts.Drafts.view

    def counted(self: drafts.Drafts, catalog: drafts.Catalog, key: str) -> object:
        found = view(self, catalog, key)
        if found is not None:
            keys.append(key)
        return found

    monkeypatch.setattr(drafts.Drafts, "view", counted)
    return keys


def _build(wiki: Path, site: Path, jobs: int = 1) -> dict[str, bytes]:
    """Build ``site`` (with the index the wiki already has, if any); its files."""
    with Wiki.open(wiki) as opened:
        build_site(opened, site, progress=False, jobs=jobs)
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and p.name != CACHE}


def _both_ways(source: Path, tmp: Path, finished: list[str]) -> tuple[dict[str, bytes],
                                                                      dict[str, bytes]]:
    """The site of a copy of ``source`` built from drafts (a first build: the index reads
    every page), then from the files (the index is up to date: no page is read again)."""
    wiki = shutil.copytree(source, tmp / "wiki", ignore=UNINDEXED)
    drafted = _build(wiki, tmp / "drafted")
    assert finished, "the first build finished its pages from drafts"
    finished.clear()
    from_files = _build(wiki, tmp / "from-files")
    assert not finished, "a build that reads no page has no drafts"
    return drafted, from_files


def test_a_page_finished_from_its_draft_is_the_page_rendered_from_its_file(
        tmp_path: Path, finished: list[str]) -> None:
    drafted, from_files = _both_ways(EXAMPLE_WIKI, tmp_path, finished)
    assert drafted == from_files


@needs_corpus
def test_the_corpus_site_from_drafts_is_the_site_from_files(tmp_path: Path,
                                                           finished: list[str]) -> None:
    drafted, from_files = _both_ways(CORPUS / "wikis_llm_finetuning", tmp_path, finished)
    assert len(drafted) > 100 and drafted == from_files


def test_a_draft_whose_links_the_index_contradicts_is_not_used(tmp_path: Path,
                                                              finished: list[str]) -> None:
    """A file the index cannot read (not UTF-8) is a page the drafts assumed: a Workflow
    linking to it is rendered again from its file, with the red link the index implies."""
    wiki = shutil.copytree(EXAMPLE_WIKI, tmp_path / "wiki", ignore=UNINDEXED)
    (wiki / DATA_FORMATTING).write_bytes(b"== Overview ==\nLatin-1: caf\xe9\n")
    site = _build(wiki, tmp_path / "site")
    page = site[str(DPO)].decode()
    assert '<a class="new" title="Principle:Data_Formatting (page does not exist)">' in page
    assert "Data_Formatting.html" not in page
    assert "Workflow:DPO_Preference_Alignment" not in finished
    assert "Principle:Adapter_Merging" in finished  # it does not name that page: its draft holds
    assert site == _build(wiki, tmp_path / "again")


def test_pages_and_lists_written_by_forked_workers_are_the_site_built_in_one_process(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The workers write the pages and lists they make; the build counts what they wrote, so
    its stats and its manifest are those of a build that wrote every file itself, and a
    second build without the render cache finds every file as it would write it."""
    wiki = shutil.copytree(EXAMPLE_WIKI, tmp_path / "wiki", ignore=UNINDEXED)
    alone = _build(wiki, tmp_path / "alone")
    monkeypatch.setattr(build, "PARALLEL_THRESHOLD", 0)  # workers for the example's 27 pages
    monkeypatch.setattr(build, "CHUNK", 4)
    with Wiki.open(wiki) as opened:
        first = build_site(opened, tmp_path / "workers", progress=False, jobs=2)
        (tmp_path / "workers" / CACHE).unlink()
        second = build_site(opened, tmp_path / "workers", progress=False, jobs=2)
    files = {str(p.relative_to(tmp_path / "workers")): p.read_bytes()
             for p in sorted((tmp_path / "workers").rglob("*")) if p.is_file()}
    assert {k: v for k, v in files.items() if k != CACHE} == alone
    made = set(files[".wikiflow-site"].decode().split())
    assert made == set(files) - {".wikiflow-site", CACHE}
    assert first.written == len(made) and first.pages == 27
    assert (second.written, second.removed, second.unchanged) == (0, 0, len(made))
    assert second.reused == 0  # every page rendered again, none written


def test_render_workers_started_afresh_build_the_same_site(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the system does not fork (macOS, Windows), the render workers get the build's job
    pickled, without the drafts: they render every page from its file, the same pages."""
    forked = _build(shutil.copytree(EXAMPLE_WIKI, tmp_path / "one", ignore=UNINDEXED),
                    tmp_path / "forked", jobs=2)
    monkeypatch.setattr(workers, "_CONTEXT", multiprocessing.get_context("spawn"))
    monkeypatch.setattr(build, "PARALLEL_THRESHOLD", 0)  # workers for the example's 27 pages
    monkeypatch.setattr(build, "CHUNK", 4)
    spawned = _build(shutil.copytree(EXAMPLE_WIKI, tmp_path / "two", ignore=UNINDEXED),
                     tmp_path / "spawned", jobs=2)
    assert spawned == forked
