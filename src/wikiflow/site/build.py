"""``wikiflow site``: the whole static site of a wiki, from its index and its page files.

The index is brought up to date first (incrementally), then read once into a ``Catalog``.
A page whose inputs are those of the last build's rendering (``cache``) is not rendered again;
the others are rendered (in worker processes when there are ``PARALLEL_THRESHOLD`` of them or
more: ``workers.map_chunks``; they inherit the catalog by fork) and written by this process, each
only when its content changed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from importlib.resources import files
from operator import itemgetter
from pathlib import Path
from typing import Any

from ..config import Config
from ..errors import InputError
from ..graph.dump import is_dump
from ..graph.indexer import IndexStats
from ..graph.wiki import Wiki
from ..terminal import track
from ..workers import (PARALLEL_THRESHOLD, few_collections, map_chunks, processes,
                       settle_worker)
from .cache import Rendered, RenderCache, file_hashes, fingerprint, page_digest
from .catalog import Catalog, read_catalog
from .drafts import Drafts
from .graphview import graph_data
from .markup import render
from .output import SiteFolder
from .pages import PageView, page_view
from .paths import ASSETS, GRAPH, INDEX, domain_path, href, list_path
from .search import search_data

#: Pages rendered per task sent to a worker.
CHUNK = 32
#: The static site's search data and graph data.
SEARCH_DATA, GRAPH_DATA = "search-index.js", "graph-data.js"
#: Rows of the home page's lists.
RECENT = 20
FINDINGS_SHOWN = 50


@dataclass(slots=True)
class BuildStats:
    """What one build did: ``written`` files changed, ``unchanged`` left as they were,
    ``removed`` files of pages gone from the wiki; ``indexed``, what bringing the index up to
    date did; ``reused``, the pages not rendered again (nothing they are made from changed
    since the last build); ``unreadable``, why each page shown as unreadable could not be
    read."""

    indexed: IndexStats = field(default_factory=IndexStats)
    pages: int = 0
    reused: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    findings: int = 0
    unreadable: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Job:
    """What every page's rendering shares (set before the workers fork)."""

    catalog: Catalog
    root: Path
    config: Config
    code: str
    drafts: Drafts
    folder: SiteFolder


_JOB: _Job | None = None


def build_site(wiki: Wiki, out: Path, *, config: Config | None = None, jobs: int = 0,
               progress: bool = True) -> BuildStats:
    """Index ``wiki`` (incrementally) and write its site to ``out``. The pages the index
    reads are drafted as it reads them (``drafts``), and finished here."""
    if wiki.source is None or is_dump(wiki.source):
        raise InputError("a site is built from a wiki folder (an XML dump has no page files "
                         "to show); pull or unpack it into a folder first")
    config = config or Config()
    folder = SiteFolder(out)
    drafts = Drafts(wiki.source, config, wiki.conn, folder.root)
    try:
        stats = BuildStats(wiki.index(jobs=jobs, work=drafts.work()))
        drafts.ready()
        with few_collections():  # the catalog alone is millions of objects at 400,000 pages
            _build(wiki, folder, config, drafts, stats, jobs, progress)
    finally:
        drafts.close()
    stats.written, stats.unchanged = folder.written, folder.unchanged
    stats.removed = folder.removed
    return stats


def _build(wiki: Wiki, folder: SiteFolder, config: Config, drafts: Drafts, stats: BuildStats,
           jobs: int, progress: bool) -> None:
    """Write the site of ``wiki``, once its index is up to date."""
    global _JOB
    assert wiki.source is not None
    cache = RenderCache(folder.root, fingerprint(config))
    state = _index_state(wiki)
    if cache.all_fresh(state, folder.stamp):
        _keep_all(folder, cache, stats)
    else:
        catalog = read_catalog(wiki.conn)
        found: dict[str, int] = {}
        stale = _reuse(folder, catalog, cache, file_hashes(wiki.conn), stats, found)
        _JOB = _Job(catalog, wiki.source, config, cache.code, drafts, folder)
        try:
            _write_pages(folder, catalog, cache, stale, jobs, progress, stats, found)
        finally:
            _JOB = None
        lists = write_index(folder, catalog, found, jobs)
        whole = len(cache.kept) == stats.pages  # no page the cache could not keep
        cache.save(state if whole else None, {path: folder.stamps[path] for path in lists})
    _write_assets(folder)
    folder.finish()


def _index_state(wiki: Wiki) -> str | None:
    """What identifies the index's content: the listing digest of the files it was last
    brought up to date with (and those ``index_files`` wrote since); None when it holds no
    such digest (a file could not be read)."""
    listing = wiki.store.meta("listing")
    if listing is None:
        return None
    return f"{listing}\0{sorted(wiki.store.listing_patches().items())}"


def _keep_all(folder: SiteFolder, cache: RenderCache, stats: BuildStats) -> None:
    """Keep every file of the last build (``RenderCache.all_fresh``), counting its pages."""
    for key, last in cache.pages.items():
        folder.keep(last.path)
        stats.reused += 1
        _count(stats, {}, key, last.findings)
    for path in cache.lists:
        folder.keep(path)


def _reuse(folder: SiteFolder, catalog: Catalog, cache: RenderCache, hashes: dict[str, str],
           stats: BuildStats, found: dict[str, int]) -> list[str]:
    """Keep each page the cache shows unchanged (counting its findings in ``found``); the
    keys of the pages to render."""
    stale = []
    for key in sorted(catalog.paths):
        path = catalog.paths[key]
        last = cache.fresh(catalog, key, hashes.get(key), partial(folder.stamp, path))
        if last is None:
            stale.append(key)
            continue
        folder.keep(path)
        stats.reused += 1
        _count(stats, found, key, last.findings)
    return stale


def _count(stats: BuildStats, found: dict[str, int], key: str, findings: int) -> None:
    stats.pages += 1
    stats.findings += findings
    if findings:
        found[key] = findings


#: What a worker sends back for a page it wrote: its key, whether the file was written (not
#: found unchanged), the file's (size, mtime_ns), its number of findings, why it could not be
#: read, and (digest, pages its links named, last update, age in days) for the cache when it
#: could.
_Result = tuple[str, bool, tuple[int, int], int, str | None,
                tuple[str, tuple[str, ...], str | None, int | None] | None]


def _write_pages(folder: SiteFolder, catalog: Catalog, cache: RenderCache, keys: list[str],
                 jobs: int, progress: bool, stats: BuildStats, found: dict[str, int]) -> None:
    """Render and write the pages ``keys``, counting their findings in ``found``."""
    workers = processes(jobs) if len(keys) >= PARALLEL_THRESHOLD else 1
    folder.make_folders(catalog.paths[key] for key in keys)
    if workers > 1:
        keys = _spread(catalog, keys)
    with map_chunks(_render_pages, keys, workers=workers, chunk=CHUNK, ahead=4,
                    setup=partial(_settle, _JOB)) as results:
        rendered = track(results, "Writing the site", len(keys)) if progress else results
        for key, written, stamp, count, error, made in rendered:
            path = catalog.paths[key]
            folder.note(path, written, stamp)
            _count(stats, found, key, count)
            if error:
                stats.unreadable.append(error)
            if made is not None:
                digest, links, updated, age = made
                cache.keep(key, Rendered(digest, links, count, updated, stamp, path, age))
    stats.unreadable.sort()  # named by page, whatever order the workers took them in


def _spread(catalog: Catalog, keys: list[str]) -> list[str]:
    """``keys`` in an order whose chunks take turns between the site's folders, each folder's
    pages in their order: two workers that create files in one folder at the same time wait
    for each other (the folder is locked for each creation), and spend CPU waiting.
    Each folder's chunks are spread evenly over the whole, so that no folder is left for
    the end; the short last chunk of each comes after all the full ones, where it cannot
    shift the others' bounds."""
    folders: dict[str, list[str]] = {}
    for key in keys:
        folders.setdefault(catalog.paths[key].rpartition("/")[0], []).append(key)
    chunks: list[tuple[float, list[str]]] = []
    rest: list[str] = []
    for found in folders.values():
        whole = len(found) - len(found) % CHUNK
        chunks += [(start / whole, found[start:start + CHUNK]) for start in range(0, whole, CHUNK)]
        rest += found[whole:]
    chunks.sort(key=itemgetter(0))
    return [key for _, chunk in chunks for key in chunk] + rest


def _settle(job: _Job | None) -> None:
    """Set up a worker that renders pages (``settle_worker``) with the build's job: a forked
    worker has it already; one started afresh (where the system does not fork) gets it
    pickled, without the drafts, which stay with the build."""
    global _JOB
    _JOB = job
    settle_worker()


def _render_pages(keys: list[str]) -> list[_Result]:
    """Render and write each page of ``keys`` (through the worker's copy of the site's
    folder); what ``_Result`` says of each."""
    assert _JOB is not None
    out: list[_Result] = []
    for key in keys:
        view = (_JOB.drafts.view(_JOB.catalog, key)
                or page_view(_JOB.catalog, _JOB.root, key, _JOB.config))
        made = None
        if view.file_hash is not None:
            updated = None if view.updated is None else view.updated.isoformat()
            links = tuple(sorted(view.linked))
            digest = page_digest(_JOB.catalog, key, view.file_hash, links, view.age_days,
                                 _JOB.code)
            made = (digest, links, updated, view.age_days)
        written, stamp = _JOB.folder.put(_JOB.catalog.paths[key], render_page(view, _JOB.config))
        out.append((key, written, stamp, len(view.findings), view.error, made))
    return out


def render_page(view: PageView, config: Config, *, live: bool = False,
                stamp: tuple[str, str] | None = None) -> str:
    """The HTML of a page's view; ``stamp`` (its site path and its file's stamp) makes
    the page reload itself when its file changes (``serve``)."""
    return render("page.html", view=view, title=view.entry.title, root=_root(view.path),
                  live=live, stamp=stamp, search_action=_search_action(live),
                  max_age=config.max_age_days,
                  has_diagram=any(s.diagram is not None for s in view.sections))


def _root(path: str) -> str:
    """The relative way from the site page ``path`` to the site's top (``../`` per folder)."""
    return "../" * path.count("/")


def _search_action(live: bool) -> str:
    return "search" if live else "search.html"


@dataclass(slots=True)
class _Lists:
    """What the workers that make the lists share (set before they fork)."""

    catalog: Catalog
    found: dict[str, int]
    folder: SiteFolder
    #: site path → the maker of its content, made once in each process that writes lists
    #: (never before the job is sent: a worker started afresh gets it pickled, makers cannot be)
    makers: dict[str, Callable[[], str]] | None = None


_LISTS: _Lists | None = None


def write_index(folder: SiteFolder, catalog: Catalog, found: dict[str, int], jobs: int = 0
                ) -> list[str]:
    """The home page, a page per domain and per namespace, the search data and the graph;
    the paths of the files. On a large wiki they are made by worker processes, the longest
    first: made one after another, they were 12 s of a 400,000-page build with a core idle."""
    global _LISTS
    lists = _Lists(catalog, found, folder)
    sizes, every = _list_sizes(catalog), len(catalog.entries)
    paths = sorted(_list_makers(lists), key=lambda path: sizes.get(path, every), reverse=True)
    workers = processes(jobs) if len(catalog.paths) >= PARALLEL_THRESHOLD else 1
    _LISTS = lists
    try:
        with map_chunks(_write_lists, paths, workers=workers, chunk=1, ahead=len(paths),
                        setup=partial(_settle_lists, lists)) as results:
            for path, written, stamp in results:
                folder.note(path, written, stamp)
    finally:
        _LISTS = None
    return paths


def _list_makers(lists: _Lists) -> dict[str, Callable[[], str]]:
    """``site_lists`` of the static site, with the search data and the graph."""
    return {**site_lists(lists.catalog, lists.found, live=False),
            SEARCH_DATA: partial(search_data, lists.catalog),
            GRAPH_DATA: partial(graph_data, lists.catalog)}


def _list_sizes(catalog: Catalog) -> dict[str, int]:
    """How many pages each domain's page names; the home page, the namespaces' lists and
    the data files name about all of them."""
    return {domain_path(domain): len(keys) for domain, keys in catalog.domains.items()}


def _settle_lists(lists: _Lists) -> None:
    global _LISTS
    _LISTS = lists
    settle_worker()


def _write_lists(paths: list[str]) -> list[tuple[str, bool, tuple[int, int]]]:
    """Make and write the lists ``paths`` (through the worker's copy of the site's folder)."""
    assert _LISTS is not None
    if _LISTS.makers is None:
        _LISTS.makers = _list_makers(_LISTS)
    return [(path, *_LISTS.folder.put(path, _LISTS.makers[path]())) for path in paths]


def site_lists(catalog: Catalog, found: dict[str, int], *, live: bool
               ) -> dict[str, Callable[[], str]]:
    """Site path → the maker of its HTML, for the home page, each domain's page, each
    namespace's list, the graph page and the search page (``serve`` makes only the one
    asked for)."""
    common = {"live": live, "search_action": _search_action(live)}
    pages: dict[str, Callable[[], str]] = {
        INDEX: lambda: home_page(catalog, found, live=live),
        GRAPH: lambda: render("graph.html", title="Graph", root="", **common),
        "search.html": lambda: render("list.html", title="Search", kind="", groups=[],
                                      root="", **common)}
    for domain in catalog.domains:
        pages[domain_path(domain)] = partial(_domain_page, catalog, domain, common)
    for namespace in {e.namespace for e in catalog.entries.values() if e.exists}:
        pages[list_path(namespace)] = partial(_namespace_page, catalog, namespace, common)
    return pages


def _domain_page(catalog: Catalog, domain: str, common: dict[str, Any]) -> str:
    path = domain_path(domain)
    rows = [(catalog.entries[k].title, _href(catalog, path, k), catalog.entries[k].namespace)
            for k in catalog.domains[domain]]
    return render("list.html", title=domain.replace("_", " "), kind="Domain",
                  groups=[("", rows)], root=_root(path), **common)


def _namespace_page(catalog: Catalog, namespace: str, common: dict[str, Any]) -> str:
    path = list_path(namespace)
    rows = [(e.title, _href(catalog, path, e.key), "") for e in catalog.existing(namespace)]
    return render("list.html", title=f"All {namespace or 'other'} pages", kind="Pages",
                  groups=[("", rows)], root=_root(path), **common)


def _href(catalog: Catalog, current: str, key: str) -> str | None:
    path = catalog.paths.get(key)
    return None if path is None else href(current, path)


def home_page(catalog: Catalog, found: dict[str, int], *, live: bool) -> str:
    """``index.html``: Workflows by domain, recently updated, pages with findings."""
    workflows = catalog.existing("Workflow")
    by_domain = []
    for domain in sorted(catalog.domains):
        rows = [(catalog.entries[k].title, _href(catalog, INDEX, k)) for k in
                catalog.domains[domain] if catalog.entries[k].namespace == "Workflow"]
        if rows:
            by_domain.append((domain.replace("_", " "), href(INDEX, domain_path(domain)), rows))
    alone = [(e.title, _href(catalog, INDEX, e.key)) for e in workflows
             if e.key not in catalog.page_domains]
    if alone:
        by_domain.append(("No domain", None, alone))
    dated = sorted((e for e in catalog.existing() if e.last_updated),
                   key=lambda e: e.last_updated or "", reverse=True)[:RECENT]
    recent = [(e.title, _href(catalog, INDEX, e.key), (e.last_updated or "")[:10])
              for e in dated]
    worst = sorted(found.items(), key=lambda item: (-item[1], item[0]))
    shown = [(catalog.entries[k].title, _href(catalog, INDEX, k), n)
             for k, n in worst[:FINDINGS_SHOWN]]
    namespaces = Counter(e.namespace for e in catalog.existing())
    return render("index.html", title="The wiki", root="", live=live,
                  search_action=_search_action(live), by_domain=by_domain, recent=recent,
                  with_findings=shown, more_findings=max(0, len(worst) - FINDINGS_SHOWN),
                  counts=[f"{n} {ns or 'other'} page{'s' if n != 1 else ''}"
                          for ns, n in sorted(namespaces.items())],
                  namespaces=[(ns or "Other", href(INDEX, list_path(ns)), n)
                              for ns, n in sorted(namespaces.items())])


def _write_assets(folder: SiteFolder) -> None:
    """The stylesheet, the scripts and Mermaid, from the package."""
    for asset in files("wikiflow.site").joinpath(ASSETS).iterdir():
        if asset.is_file() and not asset.name.startswith("."):
            folder.write(f"{ASSETS}/{asset.name}", asset.read_bytes())

