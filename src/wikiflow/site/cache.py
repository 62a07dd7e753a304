"""What the last build rendered, kept in the site's folder, so that the next build renders again
only the pages whose inputs changed (a second build of an unchanged wiki rendered and linted
every page, to write nothing).

A page's HTML depends on its file's bytes, on what the catalog says of the page itself (its
entry, the pages it uses and that use it) and of each page it names (whether it exists and
where: a red or a blue link; its namespace in the neighbourhood), on its age in days, on the
configuration and on wikiflow's own code. ``page_digest`` hashes exactly these; a page is
rendered again when its digest or its file in the site differs from the last build's.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields
from operator import attrgetter
from datetime import datetime
from pathlib import Path

from ..config import Config
from ..errors import InputError
from .catalog import Catalog, Entry, Use
from .pages import age_days

#: The cache's file in the site's folder (not listed in the manifest: no build removes it).
CACHE = ".wikiflow-site-cache"
#: The package's files that make a page: its code, templates, scripts and stylesheet.
_CODE = Path(__file__).resolve().parents[1]
_SOURCES = (".py", ".html", ".js", ".css")
#: Every field of an entry and of a use, as a tuple (whose repr is quick, unlike a dataclass's).
_ENTRY = attrgetter(*(f.name for f in fields(Entry)))
_USE = attrgetter(*(f.name for f in fields(Use)))


@dataclass(slots=True)
class Rendered:
    """One page as the last build rendered it: its ``digest``, the pages its links named,
    its number of findings, its last update (ISO; its age is worked out again), and the
    (size, mtime_ns) of the file written, to notice a site file edited or removed since.
    Not frozen: one is made for every page when the cache is read, and a frozen dataclass
    is made several times slower."""

    digest: str
    links: tuple[str, ...]
    findings: int
    updated: str | None
    stamp: tuple[int, int]
    #: the page's site path and the age in days it shows: a build of a wiki whose index
    #: is as it was checks each page by these alone (``RenderCache.all_fresh``)
    path: str
    age: int | None


def fingerprint(config: Config) -> str:
    """A hash of the configuration and of wikiflow's code as installed: another version, or
    an edited template, renders every page again."""
    digest = hashlib.sha1(repr(config).encode("utf-8", "surrogatepass"))
    for relative, info in sorted(_sources()):
        digest.update(f"{relative}\0{info.st_size}\0{info.st_mtime_ns}\0"
                      .encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _sources() -> Iterator[tuple[str, os.stat_result]]:
    """The package's files that make a page (paths from its top, with ``/``) and their status.
    Strings and ``os.walk``, not ``Path.rglob``: made for each build, the walk with ``Path``s
    took 7 ms, as long as building a site of ten pages."""
    for folder, subfolders, names in os.walk(_CODE):
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        prefix = os.path.relpath(folder, _CODE).replace(os.sep, "/")
        for name in names:
            if name.endswith(_SOURCES):
                path = os.path.join(folder, name)
                yield ("" if prefix == "." else f"{prefix}/") + name, os.stat(path)


def file_hashes(conn: sqlite3.Connection) -> dict[str, str]:
    """Each existing page's key → the sha1 of its file's bytes, as the index last read them."""
    return dict(conn.execute("SELECT p.key, f.hash FROM pages p JOIN files f ON f.path = p.path "
                             "WHERE p.exists_"))


def page_digest(catalog: Catalog, key: str, file_hash: str, links: Iterable[str],
                age: int | None, code: str) -> str:
    """The hash of everything the page ``key``'s HTML is made from (module docstring), with
    ``age`` the age in days it shows."""
    uses, used_by = catalog.uses.get(key, []), catalog.used_by.get(key, [])
    named = sorted(set(links) | {use.other for use in uses} | {use.other for use in used_by})
    entry = catalog.entries.get(key)
    parts = [code, file_hash, repr(age), repr(entry and _ENTRY(entry)),
             repr(catalog.paths.get(key)), repr([_USE(u) for u in uses]),
             repr([_USE(u) for u in used_by]), repr(named), _states(catalog, named)]
    return hashlib.sha1("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _states(catalog: Catalog, keys: list[str]) -> str:
    """What a page shows of each page of ``keys``, a character each: ``2`` a blue link (it
    exists and has a site path), ``1`` a red one (the index knows it, as a page only linked
    to or one no file can hold), ``0`` a page the index does not know. Its site path and its
    namespace follow from its key by wikiflow's code, which the digest holds: a tuple of the
    three made and written out for every page named (some 15 a page) was a third of a
    second build's checks."""
    entries, paths = catalog.entries, catalog.paths
    return "".join(["2" if other in paths else "1" if other in entries else "0"
                    for other in keys])


class RenderCache:
    """The pages the last build into a folder rendered, read from and written to its
    ``CACHE`` file, with the state of the index it was built from and the files of its lists
    (the home page, domains, namespaces, search and graph data). A missing, unreadable or
    foreign file is an empty cache: everything is rendered, as on a first build."""

    def __init__(self, root: Path, code: str) -> None:
        self.file = root / CACHE
        self.code = code
        self.pages: dict[str, Rendered] = {}
        self.kept: dict[str, Rendered] = {}
        self.state: str | None = None
        self.lists: dict[str, tuple[int, int]] = {}
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
            if data.get("code") == code:
                self.pages = {key: Rendered(digest, tuple(links), findings, updated,
                                            tuple(stamp), path, age)  # type: ignore[arg-type]
                              for key, (digest, links, findings, updated, stamp, path, age)
                              in data["pages"].items()}
                self.state = data["state"]
                self.lists = {path: tuple(stamp)  # type: ignore[misc]
                              for path, stamp in data["lists"].items()}
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            self.pages, self.state, self.lists = {}, None, {}

    def all_fresh(self, state: str | None, stamp: Callable[[str], tuple[int, int] | None]
                  ) -> bool:
        """Whether the whole last build stands: the index is in the ``state`` it was built
        from (so is everything each page is made from but its age), no page's age in days
        changed, and no file of the site was edited or removed since (``stamp(path)``).
        Checked without reading the catalog, which a second build of an unchanged 400,000-page
        wiki spent most of its time reading and checking every page against."""
        if state is None or state != self.state or not self.pages:
            return False
        for last in self.pages.values():
            updated = None if last.updated is None else datetime.fromisoformat(last.updated)
            if age_days(updated) != last.age or stamp(last.path) != last.stamp:
                return False
        return all(stamp(path) == at for path, at in self.lists.items())

    def fresh(self, catalog: Catalog, key: str, file_hash: str | None,
              stamp: Callable[[], tuple[int, int] | None]) -> Rendered | None:
        """The last rendering of ``key`` when nothing it is made from changed and its file in
        the site is the one written then (``stamp()``, asked only of a page the cache holds:
        a build from nothing examines no file); otherwise None."""
        last = self.pages.get(key)
        if last is None or file_hash is None or stamp() != last.stamp:
            return None
        age = age_days(None if last.updated is None else datetime.fromisoformat(last.updated))
        if page_digest(catalog, key, file_hash, last.links, age, self.code) != last.digest:
            return None
        self.kept[key] = last
        return last

    def keep(self, key: str, rendered: Rendered) -> None:
        self.kept[key] = rendered

    def save(self, state: str | None, lists: dict[str, tuple[int, int]]) -> None:
        """Write the pages kept by this build (those rendered or found fresh), the index's
        ``state`` it was built from (None when not every page could be kept) and the stamps
        of its ``lists``, atomically."""
        data = {"code": self.code, "state": state, "lists": lists,
                "pages": {key: (r.digest, r.links, r.findings, r.updated, r.stamp, r.path,
                                r.age) for key, r in sorted(self.kept.items())}}
        temporary = self.file.with_name(f".{self.file.name}.tmp")
        try:
            temporary.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
            os.replace(temporary, self.file)
        except OSError as error:
            temporary.unlink(missing_ok=True)
            raise InputError(f"{self.file}: cannot write: {error.strerror or error}") from error
