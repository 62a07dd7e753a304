"""Pages rendered while the index reads them: the site's ``graph.indexer.PageWork``.

A site build indexes the wiki, then renders each page: it read and parsed every page a second
time, a fifth of its work. Instead, the index's workers lint and render each page they read,
from the parse the index makes its record of, into a draft: the page's view but for what only
the whole wiki says (the pages that use it, its neighbourhood: ``pages.place``). Drafts wait
in a temporary file, and the build finishes each page from its draft.

A draft's links are made before the index says which pages exist: they are made from the
pages the wiki's files hold (those the index held, and those it is reading). A page whose
links would come out otherwise from the index (a file that could not be read, one removed
meanwhile) is rendered again from its file (``Drafts.view``).
"""

from __future__ import annotations

import os
import pickle
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from markupsafe import Markup

from ..config import Config
from ..errors import InputError
from ..files.layout import page_for_path
from ..graph.indexer import PageWork
from ..page.model import Page
from ..page.names import PageName
from .catalog import Catalog, Entry
from .pages import Finding, PageView, Section, Source, place, text_view
from .paths import page_path


class _Existing:
    """``Catalog.paths`` as the wiki's files say it will be: the site path of each page a
    file holds, None for any other."""

    def __init__(self, keys: set[str]) -> None:
        self.keys = keys
        self.known: dict[str, str | None] = {}  # worked out once a worker: a page's are many

    def get(self, key: str) -> str | None:
        if key not in self.known:
            self.known[key] = page_path(key) if key in self.keys else None
        return self.known[key]

    def __getitem__(self, key: str) -> str:
        path = self.get(key)
        if path is None:
            raise KeyError(key)
        return path


@dataclass(slots=True)
class _Run:
    """What the index's workers render drafts with (forks of the build: ``start`` sets it)."""

    root: Path
    config: Config
    catalog: Catalog


_RUN: _Run | None = None


@dataclass(slots=True)
class Drafts:
    """The drafts of one build: a temporary file, and where each page's draft is in it."""

    root: Path
    config: Config
    conn: sqlite3.Connection
    #: the site's folder, which holds the temporary file (unnamed: nothing is left of it)
    site: Path
    file: IO[bytes] | None = None
    at: dict[str, tuple[int, int]] = field(default_factory=dict)

    def __getstate__(self) -> tuple[Path, Config, Path]:
        """A worker started afresh gets the drafts without their file: it renders every
        page from its file (``view`` answers None)."""
        return self.root, self.config, self.site

    def __setstate__(self, state: tuple[Path, Config, Path]) -> None:
        self.root, self.config, self.site = state
        self.conn, self.file, self.at = None, None, {}  # type: ignore[assignment]

    def work(self) -> PageWork:
        """The ``PageWork`` to index the wiki with."""
        return PageWork(self.start, draft, self.keep)

    def start(self, paths: list[str]) -> None:
        """Before the index reads ``paths``: the pages that will exist, for the workers."""
        global _RUN
        keys = {key for (key,) in self.conn.execute("SELECT key FROM pages WHERE exists_")}
        keys.update(page_for_path(path).key for path in paths)
        existing = _Existing(keys)  # what text_view asks of a catalog: its paths
        _RUN = _Run(self.root, self.config, Catalog(paths=existing))  # type: ignore[arg-type]
        try:
            self.file = tempfile.TemporaryFile(prefix=".wikiflow-drafts-", dir=self.site)
        except OSError as error:
            raise self._unwritable(error) from error

    def keep(self, key: str, made: bytes) -> None:
        """Write a worker's draft of the page ``key`` (in the writer, as the index goes)."""
        assert self.file is not None
        self.at[key] = (self.file.tell(), len(made))
        try:
            self.file.write(made)
        except OSError as error:  # a full disk: the index's write is rolled back too
            raise self._unwritable(error) from error

    def _unwritable(self, error: OSError) -> InputError:
        return InputError(f"{self.site}: cannot write the build's temporary file: "
                          f"{error.strerror or error}")

    def ready(self) -> None:
        """The index is written: no more drafts; the workers that render read them."""
        global _RUN
        _RUN = None
        if self.file is not None:
            self.file.flush()

    def view(self, catalog: Catalog, key: str) -> PageView | None:
        """The page ``key`` from its draft, finished; None when it has none, or when the
        index says otherwise of a page its links name than its draft assumed."""
        where = self.at.get(key)
        if where is None or self.file is None:
            return None
        start, size = where
        view, linked, assumed = _loads(os.pread(self.file.fileno(), size, start), catalog)
        if (view is None or catalog.paths.get(key) != view.path
                or _answers(catalog, linked) != assumed):
            return None
        place(view, catalog)
        return view

    def close(self) -> None:
        global _RUN
        _RUN = None
        if self.file is not None:
            self.file.close()
            self.file = None


def draft(name: PageName, path: str, data: bytes) -> tuple[Page, bytes] | None:
    """``PageWork.parse``: the page as lint parses it, and its draft (in an index worker);
    None for a page that has no site page (a name no file of the site can hold), and in a
    worker that did not inherit the build's state (started afresh, not forked)."""
    run = _RUN
    if run is None or run.catalog.paths.get(name.key) is None:
        return None
    entry = Entry(name.key, name.namespace, name.title, True, path, "", None)
    view, page = text_view(run.catalog, entry, run.root / path, data, run.config)
    linked = sorted(view.linked)
    return page, _dumps(view, linked, _answers(run.catalog, linked))


def _dumps(view: PageView, linked: list[str], answers: str) -> bytes:
    """A draft as plain values: the view's dataclasses were a third of a build's time to
    load again (each field set through the slots' ``__setstate__``, each piece of HTML made
    ``Markup`` anew), tuples of strings are loaded in C."""
    sections = [(s.level, s.title, s.anchor, str(s.html), s.principle, s.diagram, s.node_steps)
                for s in view.sections]
    return pickle.dumps((
        view.entry.key, view.path, str(view.preamble), sections,
        [(s.type, s.title, s.url) for s in view.sources], view.domains, view.last_updated,
        view.age_days, [(f.line, f.column, f.code, f.severity, f.message) for f in view.findings],
        view.not_linted, str(view.factbox), view.file_hash, view.updated, linked,
        answers), pickle.HIGHEST_PROTOCOL)


def _loads(data: bytes, catalog: Catalog) -> tuple[PageView | None, list[str], str]:
    """The view, the keys its links named (sorted) and the answers ``_dumps`` wrote (no view
    for a page the index lacks)."""
    (key, path, preamble, sections, sources, domains, last_updated, age_days, findings,
     not_linted, factbox, file_hash, updated, linked, answers) = pickle.loads(data)
    entry = catalog.entries.get(key)
    if entry is None:
        return None, linked, answers
    view = PageView(entry, path, Markup(preamble),
                    [Section(level, title, anchor, Markup(html), principle, diagram, steps)
                     for level, title, anchor, html, principle, diagram, steps in sections],
                    [Source(*source) for source in sources], domains, last_updated, age_days,
                    findings=[Finding(*finding) for finding in findings], not_linted=not_linted,
                    factbox=Markup(factbox), file_hash=file_hash, updated=updated,
                    linked=set(linked))
    return view, linked, answers


def _answers(catalog: Catalog, linked: list[str]) -> str:
    """Which of the pages ``linked`` (the keys a view's links named, sorted) have a page of
    their own, a character each: what a draft's links assumed."""
    paths = catalog.paths
    return "".join(["1" if paths.get(key) is not None else "0" for key in linked])
