"""The build's cache of renderings (``site.cache``): a page is rendered again only when
something it is made from changed, and a build that reuses pages writes the same site as a
build from nothing."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_WIKI
from wikiflow.graph.wiki import Wiki
from wikiflow.config import Config
from wikiflow.site import build, cache
from wikiflow.site.build import BuildStats, build_site
from wikiflow.site.cache import CACHE
from wikiflow.site.catalog import read_catalog

QUANTIZATION = Path("principles") / "Quantization"
PREFIX_CACHING = Path("heuristics") / "Prefix_Caching"


def _build(wiki: Path, out: Path) -> BuildStats:
    with Wiki.open(wiki) as opened:
        return build_site(opened, out, progress=False, jobs=1)


def _files(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and p.name != CACHE}


def _same_as_from_nothing(wiki: Path, out: Path, tmp: Path, name: str) -> BuildStats:
    """Build into ``out`` (reusing its cache) and into a new folder; both sites the same."""
    stats = _build(wiki, out)
    assert _files(out) == _files(_build_fresh(wiki, tmp / name))
    return stats


def _add_to_overview(wiki: Path, sentence: str) -> None:
    """Edit the Quantization page: ``sentence`` at the start of its Overview."""
    page = wiki / QUANTIZATION.with_suffix(".mediawiki")
    page.write_text(page.read_text(encoding="utf-8").replace(
        "== Overview ==\n", f"== Overview ==\n{sentence}\n", 1), "utf-8")


def _build_fresh(wiki: Path, site: Path) -> Path:
    _build(wiki, site)
    return site


def test_a_second_build_of_an_unchanged_wiki_renders_no_page(tmp_path: Path) -> None:
    wiki = shutil.copytree(EXAMPLE_WIKI, tmp_path / "wiki")
    first = _build(wiki, tmp_path / "site")
    second = _build(wiki, tmp_path / "site")
    assert first.reused == 0 and first.pages >= 27
    assert second.reused == second.pages == first.pages and second.written == 0
    assert second.findings == first.findings


def test_a_build_that_reuses_pages_writes_the_site_a_build_from_nothing_writes(
        tmp_path: Path) -> None:
    wiki = shutil.copytree(EXAMPLE_WIKI, tmp_path / "wiki")
    out = tmp_path / "site"
    _build(wiki, out)
    _add_to_overview(wiki, "A sentence added by the test.")
    edited = _same_as_from_nothing(wiki, out, tmp_path, "edited")
    assert 0 < edited.reused < edited.pages
    # A page gone: the links to it turn red on the pages that name it, which did not change.
    heuristic = wiki / PREFIX_CACHING.with_suffix(".mediawiki")
    kept = heuristic.read_bytes()
    heuristic.unlink()
    gone = _same_as_from_nothing(wiki, out, tmp_path, "gone")
    assert 0 < gone.reused < gone.pages
    heuristic.write_bytes(kept)
    assert 0 < _same_as_from_nothing(wiki, out, tmp_path, "back").reused
    # A plain link (no annotation, so no edge of the graph) to a page made later turns blue.
    workflow = wiki / "workflows" / "RAG_Pipeline.mediawiki"
    workflow.write_text(workflow.read_text(encoding="utf-8").replace(
        "== Overview ==\n", "== Overview ==\nSee [[Heuristic:Made_Later]].\n", 1), "utf-8")
    _same_as_from_nothing(wiki, out, tmp_path, "linked")
    made = wiki / "heuristics" / "Made_Later.mediawiki"
    made.write_text("A page with no annotation.\n", encoding="utf-8")
    assert 0 < _same_as_from_nothing(wiki, out, tmp_path, "made").reused
    made.unlink()
    assert 0 < _same_as_from_nothing(wiki, out, tmp_path, "unmade").reused


def test_a_site_file_removed_or_edited_by_hand_is_written_again(tmp_path: Path) -> None:
    wiki = shutil.copytree(EXAMPLE_WIKI, tmp_path / "wiki")
    out = tmp_path / "site"
    _build(wiki, out)
    page = out / QUANTIZATION.with_suffix(".html")
    made = page.read_bytes()
    page.unlink()
    assert _build(wiki, out).written == 1 and page.read_bytes() == made
    page.write_text("edited by hand", encoding="utf-8")
    assert _build(wiki, out).written == 1 and page.read_bytes() == made


def test_an_unreadable_cache_means_every_page_is_rendered(tmp_path: Path) -> None:
    wiki = shutil.copytree(EXAMPLE_WIKI, tmp_path / "wiki")
    out = tmp_path / "site"
    first = _build(wiki, out)
    code = json.loads((out / CACHE).read_text(encoding="utf-8"))["code"]
    for garbage in (b"\xff\xfe not json", b'{"code": 1, "pages": []}', b"[]",
                    json.dumps({"code": code, "pages": {"Principle:Quantization": [1]}}).encode(),
                    json.dumps({"code": code, "pages": []}).encode()):
        (out / CACHE).write_bytes(garbage)
        again = _build(wiki, out)
        assert again.reused == 0 and again.written == 0 and again.pages == first.pages


def test_a_page_whose_age_in_days_changed_is_rendered_again(tmp_path: Path) -> None:
    """The age a page shows changes with the day; the cache keeps the page's last update and
    works the age out again. Moving that date back a day stands for the next day's build."""
    wiki = shutil.copytree(EXAMPLE_WIKI, tmp_path / "wiki")
    out = tmp_path / "site"
    first = _build(wiki, out)
    data = json.loads((out / CACHE).read_text(encoding="utf-8"))
    key, record = next((k, r) for k, r in data["pages"].items() if r[3] is not None)
    record[3] = (datetime.fromisoformat(record[3]) - timedelta(days=1)).isoformat()
    (out / CACHE).write_text(json.dumps(data), encoding="utf-8")
    again = _build(wiki, out)
    assert again.reused == first.pages - 1 and key in json.loads(
        (out / CACHE).read_text(encoding="utf-8"))["pages"]


def test_a_build_of_a_wiki_whose_index_is_as_it_was_reads_no_catalog(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When the index is in the state the last build was made from, nothing but a page's age
    can have changed: the build checks the ages and the site's files, reading no catalog."""
    wiki = shutil.copytree(EXAMPLE_WIKI, tmp_path / "wiki")
    out = tmp_path / "site"
    reads: list[int] = []
    monkeypatch.setattr(build, "read_catalog", lambda conn: reads.append(1) or read_catalog(conn))
    first = _build(wiki, out)
    second = _build(wiki, out)
    assert len(reads) == 1
    assert second.reused == second.pages == first.pages and second.written == 0
    assert second.findings == first.findings
    page = wiki / QUANTIZATION.with_suffix(".mediawiki")
    page.write_text(page.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    assert _same_as_from_nothing(wiki, out, tmp_path, "edited").written >= 1
    assert len(reads) == 3  # the edited build and the one from nothing


def test_a_list_file_edited_by_hand_is_written_again(tmp_path: Path) -> None:
    wiki = shutil.copytree(EXAMPLE_WIKI, tmp_path / "wiki")
    out = tmp_path / "site"
    _build(wiki, out)
    home = out / "index.html"
    made = home.read_bytes()
    home.write_text("edited by hand", encoding="utf-8")
    again = _build(wiki, out)
    assert again.written == 1 and home.read_bytes() == made
    assert again.reused == again.pages


def test_an_index_brought_up_to_date_between_builds_is_seen(tmp_path: Path) -> None:
    """Another command may index the wiki between two builds: the build's own index run then
    finds nothing to do, yet the page it shows changed."""
    wiki = shutil.copytree(EXAMPLE_WIKI, tmp_path / "wiki")
    out = tmp_path / "site"
    _build(wiki, out)
    _add_to_overview(wiki, "Indexed by another command.")
    with Wiki.open(wiki) as opened:
        opened.index()
    edited = _same_as_from_nothing(wiki, out, tmp_path, "indexed")
    assert b"Indexed by another command." in (out / QUANTIZATION.with_suffix(".html")).read_bytes()
    assert 0 < edited.reused < edited.pages


def test_an_edited_template_or_module_changes_the_code_s_fingerprint(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every page is rendered again after wikiflow's code or a template changed; compiled
    files, and files that make no page, are not part of it."""
    code = tmp_path / "wikiflow"
    for relative in ("site/build.py", "site/templates/page.html", "site/assets/site.css",
                     "__pycache__/x.cpython-311.pyc", "site/__pycache__/build.py", "notes.txt"):
        (code / relative).parent.mkdir(parents=True, exist_ok=True)
        (code / relative).write_text("one")
    monkeypatch.setattr(cache, "_CODE", code)
    first = cache.fingerprint(Config())
    for ignored in ("__pycache__/x.cpython-311.pyc", "site/__pycache__/build.py", "notes.txt"):
        (code / ignored).write_text("changed")
    assert cache.fingerprint(Config()) == first
    for relative in ("site/templates/page.html", "site/build.py", "site/assets/site.css"):
        (code / relative).write_text("changed, longer")
        changed = cache.fingerprint(Config())
        assert changed != first
        first = changed
    (code / "site/templates/list.html").write_text("new")
    assert cache.fingerprint(Config()) != first
