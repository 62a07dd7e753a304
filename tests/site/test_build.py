"""The static site as files: what a build writes, where, what a second build rewrites, and that
every internal link of a built site resolves to a file."""

from __future__ import annotations

import os
from collections import Counter
import posixpath
from functools import lru_cache
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest
from click.testing import CliRunner
from hypothesis import given, strategies as st

from tests.conftest import CORPUS, EXAMPLE_WIKI
from wikiflow.config import Config
from wikiflow.cli.main import main
from wikiflow.errors import InputError
from wikiflow.graph.wiki import Wiki
from wikiflow.lint.engine import lint_source
from wikiflow.site import build
from wikiflow.site.build import build_site
from wikiflow.site.catalog import Catalog
from wikiflow.site.catalog import read_catalog
from wikiflow.site.output import SiteFolder
from wikiflow.site.pages import page_view
from wikiflow.site.paths import domain_path, href, page_path


class _Links(HTMLParser):
    """Every href and src of a page, its element ids, its scripts' sources (None for an
    inline script), its attributes named on… and its Content-Security-Policy."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.scripts: list[str | None] = []
        self.handlers: list[str] = []
        self.policy: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script":
            self.scripts.append(found.get("src"))
        if tag == "meta" and found.get("http-equiv") == "Content-Security-Policy":
            self.policy = found.get("content")
        self.handlers += [name for name, _ in attrs if name.startswith("on")]
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append(value)
            if name == "id" and value is not None:
                self.ids.add(value)


@lru_cache(maxsize=None)
def read_links(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def broken_links(site: Path) -> list[str]:
    """Each internal link of the site's pages that names no file (or no element of the page
    it names), as ``page -> link``."""
    broken = []
    for page in sorted(site.rglob("*.html")):
        for link in read_links(page).links:
            url = urlsplit(link)
            if url.scheme or link.startswith("//"):
                continue  # an external link: the page's own, not the site's
            target = (page if not url.path else page.parent / unquote(url.path)).resolve()
            if not target.is_file() or not target.is_relative_to(site):
                broken.append(f"{page.relative_to(site)} -> {link}")
            elif url.fragment and target.suffix == ".html" and \
                    unquote(url.fragment) not in read_links(target).ids:
                broken.append(f"{page.relative_to(site)} -> {link} (no such anchor)")
    return broken


def test_every_internal_link_of_the_example_site_resolves(example_site: Path) -> None:
    assert len(list(example_site.rglob("*.html"))) > 25
    assert broken_links(example_site) == []


def test_every_internal_link_of_the_corpus_sites_resolves(corpus_site: Path) -> None:
    sites = sorted(corpus_site.glob("*/site"))
    assert len(sites) >= 5
    for site in sites:
        assert broken_links(site) == [], site


def test_every_internal_link_of_the_hostile_site_resolves(hostile_site: Path) -> None:
    assert broken_links(hostile_site) == []


def test_no_page_of_the_hostile_site_holds_inline_script_or_a_handler(hostile_site: Path
                                                                      ) -> None:
    for page in sorted(hostile_site.rglob("*.html")):
        found = read_links(page)
        assert found.policy is not None and "script-src 'self'" in found.policy, page
        assert None not in found.scripts and found.handlers == [], page
        assert not any(link.lower().lstrip().startswith(("javascript:", "data:"))
                       for link in found.links if link != "data:,"), page  # no favicon


@pytest.mark.parametrize("source", [EXAMPLE_WIKI, CORPUS / "wikis_test"], ids=["example", "corpus"])
def test_each_page_shows_the_findings_lint_gives_it(source: Path, tmp_path: Path) -> None:
    """Pages of other types than Workflow are read without running the rules (whose findings
    lint drops for them): what each page shows is still exactly what ``lint_source`` says."""
    if not source.is_dir():
        pytest.skip(f"no wiki at {source}")
    wiki = shutil.copytree(source, tmp_path / "wiki")
    with Wiki.open(wiki) as opened:
        opened.index()
        catalog = read_catalog(opened.conn)
    for key, entry in sorted(catalog.entries.items()):
        if key not in catalog.paths:
            continue
        view = page_view(catalog, wiki, key, Config())
        file = str(wiki / (entry.file or ""))
        result = lint_source((wiki / (entry.file or "")).read_bytes(), path=file, title=key)
        assert view.not_linted == result.other_type, key
        assert [(f.line, f.column, f.code, f.message) for f in view.findings] == [
            (d.span.line, d.span.column, d.code, d.message) for d in result.diagnostics], key


def test_a_second_build_writes_only_what_an_edit_changed(tmp_path: Path) -> None:
    wiki = shutil.copytree(EXAMPLE_WIKI, tmp_path / "wiki")
    out = tmp_path / "site"
    with Wiki.open(wiki) as opened:
        first = build_site(opened, out, progress=False)
    assert first.written == first.written + first.unchanged and first.pages >= 27
    with Wiki.open(wiki) as opened:
        second = build_site(opened, out, progress=False)
    assert second.written == 0 and second.unchanged == first.written
    page = wiki / "principles" / "Quantization.mediawiki"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "== Overview ==\n", "== Overview ==\nA sentence added by the test.\n", 1), "utf-8")
    html = out / "principles" / "Quantization.html"
    before = html.read_bytes()
    with Wiki.open(wiki) as opened:
        third = build_site(opened, out, progress=False)
    assert html.read_bytes() != before and b"A sentence added by the test." in html.read_bytes()
    # The page itself, and the search data that holds its overview: nothing else changed.
    assert third.written == 2


def test_a_page_gone_from_the_wiki_goes_from_the_site_and_nothing_else_does(tmp_path: Path
                                                                           ) -> None:
    wiki = shutil.copytree(EXAMPLE_WIKI, tmp_path / "wiki")
    out = tmp_path / "site"
    with Wiki.open(wiki) as opened:
        build_site(opened, out, progress=False)
    mine = out / "notes.html"
    mine.write_text("the user's own file", encoding="utf-8")
    (wiki / "heuristics" / "Prefix_Caching.mediawiki").unlink()
    with Wiki.open(wiki) as opened:
        stats = build_site(opened, out, progress=False)
    assert stats.removed == 1 and not (out / "heuristics" / "Prefix_Caching.html").exists()
    assert mine.read_text(encoding="utf-8") == "the user's own file"
    assert broken_links(out) == []


def test_a_build_writes_only_inside_its_folder(hostile_site: Path) -> None:
    top = hostile_site.parent
    outside = {p for p in top.rglob("*") if not p.is_relative_to(hostile_site)
               and not p.is_relative_to(top / "source") and not p.is_relative_to(top / "wiki")}
    assert outside == set()


def test_the_site_folder_refuses_a_path_outside_it(tmp_path: Path) -> None:
    folder = SiteFolder(tmp_path / "site")
    for escape in ("../x.html", "/etc/x.html", "a/../../x.html", "."):
        with pytest.raises(InputError, match="outside the site's folder"):
            folder.write(escape, "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_the_site_folder_refuses_a_symlink_that_leads_outside(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.html").write_text("not the site's", encoding="utf-8")
    folder = SiteFolder(tmp_path / "site")
    (tmp_path / "site" / "linked").symlink_to(outside)
    (tmp_path / "site" / "file.html").symlink_to(outside / "x.html")
    for escape in ("linked/y.html", "linked/x.html", "file.html"):
        with pytest.raises(InputError, match="outside the site's folder"):
            folder.write(escape, "x")
    assert sorted(p.name for p in outside.iterdir()) == ["x.html"]
    assert (outside / "x.html").read_text(encoding="utf-8") == "not the site's"
    assert folder.write("inside/a/../b.html", "b") and (tmp_path / "site" / "inside" / "b.html"
                                                        ).read_text(encoding="utf-8") == "b"


def test_a_new_file_is_written_in_place_and_a_changed_one_renamed_over(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file replaced is never seen half-written (a temporary file renamed over it); a new
    one is written where it goes, with no rename, and a name taken meanwhile (here a link
    made after the folder was looked at) is replaced, not written through."""
    renamed: list[str] = []
    replace = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: renamed.append(str(b)) or replace(a, b))
    folder = SiteFolder(tmp_path / "site")
    assert folder.write("a/new.html", "one") and renamed == []
    assert folder.write("a/new.html", "two") and renamed == [str(tmp_path / "site/a/new.html")]
    assert (tmp_path / "site/a/new.html").read_text(encoding="utf-8") == "two"
    outside = tmp_path / "outside.html"
    outside.write_text("not the site's", encoding="utf-8")
    place = folder._place

    def late_link(relative: str) -> tuple[str, object]:
        found = place(relative)
        (tmp_path / "site" / relative).symlink_to(outside)
        return found

    monkeypatch.setattr(folder, "_place", late_link)
    assert folder.write("a/raced.html", "three")
    assert outside.read_text(encoding="utf-8") == "not the site's"
    raced = tmp_path / "site/a/raced.html"
    assert not raced.is_symlink() and raced.read_text(encoding="utf-8") == "three"


def test_a_dump_is_refused(tmp_path: Path) -> None:
    dump = tmp_path / "wiki.xml"
    dump.write_text("<mediawiki></mediawiki>", encoding="utf-8")
    with Wiki.open(dump) as opened, pytest.raises(InputError, match="wiki folder"):
        build_site(opened, tmp_path / "site", progress=False)
    assert not (tmp_path / "site").exists()


_TITLES = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=300)


@given(namespace=st.sampled_from(["", "Workflow:", "Principle:", "Heuristic:", "Talk:", "../"]),
       title=_TITLES)
def test_a_page_or_domain_path_stays_inside_the_site(namespace: str, title: str) -> None:
    for path in (page_path(namespace + title), domain_path(title)):
        if path is None:
            continue
        assert not path.startswith("/") and "\0" not in path
        assert posixpath.normpath(path) == path and not path.startswith("..")
        assert path.endswith(".html") and path not in ("index.html", "graph.html")


@given(title=_TITLES)
def test_an_href_between_two_pages_leads_back_to_the_page(title: str) -> None:
    path = page_path("Workflow:" + title)
    if path is None:
        return
    link = href("principles/X.html", path)
    assert posixpath.normpath(posixpath.join("principles", unquote(link))) == path


@given(depth=st.integers(0, 4), target=_TITLES, fragment=st.sampled_from(["", "step-1", "a b"]))
def test_an_href_is_the_percent_encoded_way_up_and_down_again(depth: int, target: str,
                                                                fragment: str) -> None:
    """The encoded target is kept per target; the link is the same as encoding it whole."""
    source = "a/" * depth + "x.html"
    whole = quote("../" * depth + target) + (f"#{quote(fragment)}" if fragment else "")
    assert href(source, target, fragment) == whole


def test_site_command_says_what_it_wrote(tmp_path: Path) -> None:
    wiki = shutil.copytree(EXAMPLE_WIKI, tmp_path / "wiki")
    runner = CliRunner()
    first = runner.invoke(main, ["site", str(wiki), "-o", str(tmp_path / "site")])
    assert first.exit_code == 0, first.output
    second = runner.invoke(main, ["site", str(wiki), "-o", str(tmp_path / "site")])
    assert second.exit_code == 0 and " 0 file(s) written" in second.output
    into_a_file = runner.invoke(main, ["site", str(wiki), "-o", str(wiki / "README.md")])
    assert into_a_file.exit_code == 2


def test_each_page_is_scanned_once_for_its_model_and_its_html(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    """The renderer reads the scan the parser made of the page rather than scanning it again
    (the tokens are not in the model): one scan a page, however many parts of it are shown."""
    from wikiflow.page import scan as scanning
    from wikiflow.page.decode import decode_page

    wiki = shutil.copytree(EXAMPLE_WIKI, tmp_path / "wiki")
    with Wiki.open(wiki) as opened:
        opened.index()
        catalog = read_catalog(opened.conn)
    scanned: list[str] = []  # the texts scanned, seen where every scan makes its result
    made = scanning.Scan
    monkeypatch.setattr(scanning, "Scan", lambda text: scanned.append(text) or made(text))
    keys = sorted(key for key in catalog.entries if key in catalog.paths)
    assert len(keys) >= 27
    for key in keys:
        scanning.scanned.cache_clear()
        scanned.clear()
        view = page_view(catalog, wiki, key, Config())
        file = wiki / (catalog.entries[key].file or "")
        text = decode_page(file.read_bytes(), str(file))[0]
        assert view.sections and scanned.count(text) == 1, key


@given(st.lists(st.tuples(st.sampled_from(["workflows", "principles", "heuristics", ""]),
                          st.integers(0, 10_000)), unique=True, max_size=400))
def test_the_pages_spread_over_workers_are_all_the_pages_a_folder_a_chunk(
        pages: list[tuple[str, int]]) -> None:
    """``_spread`` orders the pages so that workers take turns between folders: every page
    once, each full chunk from one folder, each folder's pages in their order."""
    catalog = Catalog(paths={f"{folder}:{n}": f"{folder}/{n}.html".lstrip("/")
                             for folder, n in pages})
    keys = sorted(catalog.paths)
    spread = build._spread(catalog, keys)
    assert sorted(spread) == keys
    folder = {key: catalog.paths[key].rpartition("/")[0] for key in keys}
    whole = sum(n - n % build.CHUNK for n in Counter(folder.values()).values())
    for start in range(0, whole, build.CHUNK):
        assert len({folder[key] for key in spread[start:start + build.CHUNK]}) == 1
    for name in set(folder.values()):
        assert [k for k in spread if folder[k] == name] == [k for k in keys if folder[k] == name]
