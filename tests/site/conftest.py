"""Fixtures of the site's tests: built sites of the example wiki, the shared corpus and a hostile
wiki, and one real Chromium (Debian's, driven by Playwright) shared by all of them."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CORPUS, EXAMPLE_WIKI, unavailable
from wikiflow.graph.wiki import Wiki
from wikiflow.site.build import build_site

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
#: A folder to copy the tests' screenshots into for people to look at, when one is named:
#: the tests write nowhere else but their own temporary folders.
SHOTS_ENV = "WIKIFLOW_SCREENSHOTS"
HOSTILE = Path(__file__).parent / "data" / "hostile"


def build(source: Path, tmp: Path) -> Path:
    """A copy of the wiki ``source`` and its site, built in ``tmp``; the site's folder."""
    wiki = shutil.copytree(source, tmp / "wiki")
    with Wiki.open(wiki) as opened:
        build_site(opened, tmp / "site", progress=False)
    return tmp / "site"


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(EXAMPLE_WIKI, tmp_path_factory.mktemp("example"))


@pytest.fixture(scope="session")
def corpus_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the shared corpus's wikis, each built on its own, under one folder."""
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    top = tmp_path_factory.mktemp("corpus")
    for wiki in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        build(wiki, top / wiki.name)
    return top


#: A page whose title is HTML, written by the fixture (no such file name in the repository:
#: some file systems refuse ``<`` and ``>``).
HOSTILE_TITLE = "<img src=x onerror=window.pwned=1>"


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("hostile")
    source = shutil.copytree(HOSTILE, tmp / "source")
    (source / "heuristics").mkdir()
    (source / "heuristics" / f"{HOSTILE_TITLE}.mediawiki").write_text(
        "== Overview ==\n<script>window.pwned=1;console.error('pwned')</script> A heuristic "
        "whose title is HTML.\n", encoding="utf-8")
    return build(source, tmp)


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    """One headless Chromium for the site's tests (never a downloaded browser), closed when
    they end: a browser left running would be taken for a worker process that outlived its
    pool (tests/test_workers.py)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed (pip install -e '.[test]')")
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS,
                                              timeout=60_000)
        try:
            yield chromium
        finally:
            chromium.close()


class Tab:
    """A browser page that records console messages, page errors and any request that would
    leave the machine."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.console: list[str] = []
        self.errors: list[str] = []
        self.outside: list[str] = []
        page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", self._request)

    def _request(self, request: Any) -> None:
        if not request.url.startswith(("file://", "http://127.0.0.1", "data:", "about:")):
            self.outside.append(request.url)

    def open(self, url: str, *, diagrams: bool = False) -> None:
        self.page.goto(url, timeout=30_000)
        if diagrams:
            self.page.wait_for_function(
                "document.documentElement.getAttribute('data-diagrams') !== null",
                timeout=30_000)

    @property
    def console_errors(self) -> list[str]:
        return [m for m in self.console if m.startswith("error")] + self.errors


@pytest.fixture
def tab(browser: Any) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    context.set_default_timeout(30_000)
    try:
        yield Tab(context.new_page())
    finally:
        context.close()


def screenshot(tab: Tab, tmp: Path, name: str) -> Path:
    """A full-page screenshot saved in ``tmp``, and copied to ``$WIKIFLOW_SCREENSHOTS`` when
    that names a folder, for people to look at."""
    shot = tmp / name
    tab.page.screenshot(path=str(shot), full_page=True)
    if folder := os.environ.get(SHOTS_ENV):
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(folder) / name)
    return shot
