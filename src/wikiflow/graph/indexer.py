"""The indexing pipeline: a folder's changed files (``listing``) read, hashed and parsed into
records in the worker pool (``workers.map_chunks``), and written by this process alone
(``Store.write``); a single file list (an editor's or a hook's update) and XML dumps too.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any, NamedTuple

from .dump import read_dump
from ..errors import InputError
from ..files.pages import DEFAULT_EXTENSIONS, undecodable
from .records import PageRecord, page_record
from ..files.layout import (END, Folder, Listing, PageFile, is_page_path, page_file,
                            page_for_path, stamp_folders, stamp_line, stamp_lines, unpack_lines)
from .listing import changed_files, drain, listing_digest, patched, unpatched
from ..page.model import Page
from ..page.names import PageName, page_name
from ..terminal import track
from .store import KnownFile, Store
from ..workers import (PARALLEL_THRESHOLD, few_collections, map_chunks, processes,
                       settle_worker)

#: From this many pages to parse on, the workers start fresh rather than as forks of the writer
#: (``workers.map_chunks``): a forked worker keeps a copy of what the writer frees or changes
#: after the fork, some 300 bytes a file of the listing (400,000 files: 120 MB of a 469 MB
#: peak, 231 MB fresh). Below it that copy is small, and a fork server's 0.3 s start is not.
FRESH_THRESHOLD = 50_000
#: Files per task of a worker process, and how many tasks may be under way ahead of the one
#: the writer waits for: some 2,000 records, 10 MB, held by the writer at most.
CHUNK = 64
AHEAD = 32
#: The names ``page_name`` may hold in a process that reads pages (see ``_bound_names``).
WORKER_NAMES = 4096


@dataclass(slots=True)
class IndexStats:
    """What one indexing run did."""

    seen: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    missing_pages: int = 0
    changed_keys: list[str] = field(default_factory=list)
    #: (path, reason) of each file or folder that could not be read: left out of this run,
    #: what the index held of it kept.
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    #: Files named to ``index_files`` that the walk would not read as pages (a read-me, a
    #: hidden file, another extension): left out, as a full run leaves them.
    not_pages: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready data (``wikiflow index --format json``)."""
        data = asdict(self)
        data["unreadable"] = [{"path": path, "reason": reason} for path, reason in self.unreadable]
        return data


def index_folder(store: Store, root: Path, *, extensions: tuple[str, ...] = DEFAULT_EXTENSIONS,
                 jobs: int = 0, work: PageWork | None = None) -> IndexStats:
    """Bring the index up to date with the page files below ``root``; ``work`` is done on
    each page read (see ``PageWork``)."""
    with few_collections():
        return _index_folder(store, root, extensions, jobs, work)


def _index_folder(store: Store, root: Path, extensions: tuple[str, ...], jobs: int,
                  work: PageWork | None) -> IndexStats:
    walked = stamp_lines(root, extensions, functools.partial(_stamp, jobs=jobs))
    seen, problems = walked.count, walked.problems
    listing = listing_digest(root, extensions, walked.packed)
    if _unchanged(store, root, extensions, walked, listing):  # not a file moved since
        return IndexStats(seen=seen, unchanged=seen, missing_pages=store.missing(),
                          unreadable=problems)
    lines = unpack_lines(walked.packed)  # empties it: the listing is held once
    candidates, removed = changed_files(store, lines, problems)  # consumes the lines
    stats = IndexStats(seen=seen, unchanged=seen - len(candidates), unreadable=problems)
    many = len(candidates) > PARALLEL_THRESHOLD
    known = store.known() if many else store.known(
        paths=[page_file(line).path for line in candidates])
    total = len(candidates)
    if work is not None and candidates:
        work.start([page_file(line).path for line in candidates])
    with _read_files(root, candidates, known, jobs, work and work.parse) as reads:
        del candidates  # held by the reads alone: freed once read, before the indexes are built
        stats.missing_pages = _write_reads(store, track(reads, "Indexing", total=total), known,
                                           stats, removed, many=many, listing=listing,
                                           keep=work and work.keep)
    return stats


#: From this many files on, their ``stat`` calls are shared among worker processes, a
#: ``Folder`` part at a time: 400,000 files took 1.43 s to stamp in one process and 0.95 s
#: in two (``bench/bench_index.py``'s wiki; threads gained nothing, their system calls
#: contending in the kernel). Below it, starting the workers costs more than they save.
PARALLEL_STAT = 50_000


def _stamp(root: str, folders: Iterable[Folder], *, jobs: int) -> Iterator[Listing]:
    """``stamp_folders`` of ``folders`` as they are listed: in worker processes when the
    first ``PARALLEL_STAT`` names are listed before the folders end. The names cross to a
    worker joined in one string, as its lines come back packed: a list of 8,192 strings
    costs five times as much to pickle."""
    folders = iter(folders)
    first, count = [], 0
    for folder in folders:
        first.append(folder)
        count += len(folder[1])
        if count >= PARALLEL_STAT:
            break
    if count < PARALLEL_STAT:
        yield from stamp_folders(root, first)
        return
    workers = processes(jobs)
    joined = ((prefix, END.join(names)) for prefix, names in chain(first, folders))
    with map_chunks(functools.partial(_stamp_joined, root), joined, workers=workers,
                    chunk=1, ahead=2 * workers) as stamped:
        yield from stamped


def _stamp_joined(root: str, folders: list[tuple[str, str]]) -> list[Listing]:
    """``stamp_folders`` in a worker, of folders whose names ``_stamp`` joined."""
    return stamp_folders(root, [(prefix, names.split(END)) for prefix, names in folders])


def _unchanged(store: Store, root: Path, extensions: tuple[str, ...], walked: Listing,
               listing: str) -> bool:
    """True when no file changed since the index was last brought up to date: by the last
    run's listing digest, or by it and the files ``index_files`` wrote since (whose stamps
    are then folded into the digest, so the next run compares one string again)."""
    stored, patches = store.meta("listing"), store.listing_patches()
    if not patches:
        return listing == stored
    original = unpatched(walked.packed, patches)
    if stored is None or original is None or listing_digest(root, extensions,
                                                            original) != stored:
        return False
    store.settle_listing(listing)
    return True


def _write_reads(store: Store, reads: Iterable[Read], known: dict[str, KnownFile],
                 stats: IndexStats, removed: Iterable[str], many: bool = False,
                 listing: str | None = None, patches: dict[str, str] | None = None,
                 keep: Callable[[str, bytes], None] | None = None) -> int:
    """Write what the reads produce as they come: changed pages, and files only touched.

    A file that could not be read keeps what the index held of it. The listing is then not
    recorded as indexed, so that the next run compares every file and reads that one again.
    """
    touched: list[tuple[int, int, str]] = []
    failed: list[Unreadable] = []

    def records() -> Iterator[PageRecord]:
        for item in reads:
            if isinstance(item, Made):
                assert keep is not None
                keep(item.record.key, item.made)
                item = item.record
            if isinstance(item, Unreadable):
                failed.append(item)
            elif isinstance(item, PageRecord):
                stats.changed_keys.append(item.key)
                if item.path in known:
                    stats.updated += 1
                else:
                    stats.added += 1
                yield item
            else:
                stats.unchanged += 1
                touched.append(item)

    def removals() -> Iterator[str]:
        for path in removed:
            stats.removed += 1
            yield path

    missing = store.write(records(), removals(), touched, many=many, listing=listing,
                          patches=patches)
    if failed:
        stats.unreadable += failed
        store.forget_meta("listing")
    return missing


def index_files(store: Store, root: Path, paths: Iterable[str | Path]) -> IndexStats:
    """Re-index just these files of the wiki at ``root`` (an editor's or a hook's update):
    no walk of the whole tree. Paths are absolute or relative to ``root``.

    A file that is gone was deleted: its page is removed from the index (a hook passes
    deleted files too). A file the walk would not take for a page (``layout.is_page_path``:
    a hook passes every changed file) is left out and listed in ``not_pages``. A path outside
    the wiki, not a file, or gone and never indexed (a typo) is an ``InputError``, raised
    before anything is written.
    """
    named = [_wiki_path(root, Path(raw)) for raw in paths]
    for relative in named:
        if (root / relative).exists() and not (root / relative).is_file():
            raise InputError(f"{root / relative}: not a page file")
    judged = [(relative, is_page_path(relative)) for relative in named]
    relatives = [relative for relative, page in judged if page]
    known = store.known(paths=relatives)
    stats = IndexStats(seen=len(relatives),
                       not_pages=[relative for relative, page in judged if not page])
    files, removed = [], []
    for relative in relatives:
        full = root / relative
        if full.is_file():
            stat = full.stat()
            files.append(PageFile(relative, stat.st_mtime_ns, stat.st_size))
        elif relative in known:
            removed.append(relative)
        else:
            raise InputError(f"{full}: no such file, and no page of the index was read from it")
    patches = None if removed else patched(store.listing_patches(), known, files)
    with _read_files(root, [stamp_line(*file) for file in files], known, 1) as reads:
        stats.missing_pages = _write_reads(store, reads, known, stats, removed,
                                           patches=patches)
    return stats


def _wiki_path(root: Path, path: Path) -> str:
    """``path`` as the index names it: relative to the wiki's folder, with ``/``. Its folder
    is resolved, not the file itself, which may be a link (as the walk takes it)."""
    full = Path(os.path.normpath(path if path.is_absolute() else root.absolute() / path))
    try:
        return (full.parent.resolve() / full.name).relative_to(root.resolve()).as_posix()
    except ValueError:
        raise InputError(f"{path}: not in the wiki {root}") from None


#: (path, mtime_ns, size, hash in the index or None): what a worker needs to read a file.
Task = tuple[str, int, int, str | None]


class Unreadable(NamedTuple):
    """A file that could not be read (removed meanwhile, no permission, an I/O error)."""

    path: str
    reason: str


#: ``PageWork.parse``.
ParseWith = Callable[[PageName, str, bytes], tuple[Page, bytes] | None]


class PageWork(NamedTuple):
    """What a caller does with each page a folder's index run reads, in the worker that read
    it and from the same parse: the site lints and renders every page it indexes, which it
    did by reading and parsing each page again after the index (a fifth of a build).

    ``start(paths)`` runs first, in this process, with the files the run is to read (when
    there are any). ``parse(name, path, data)`` runs in the workers: it parses the page as
    the caller needs it (the index makes its record of that parse; a parse with the diagram,
    as lint's, gives the same record) and returns it with what it made of it, as bytes;
    None leaves the page to the index's own parse.
    ``keep(key, made)`` runs in the writer, in the order of the pages. The workers are then
    forks of the caller (never fresh): what ``parse`` needs beyond its arguments it finds in
    the caller's modules, as ``start`` left them."""

    start: Callable[[list[str]], None]
    parse: ParseWith
    keep: Callable[[str, bytes], None]


class Made(NamedTuple):
    """A page's record with what ``PageWork.parse`` made of it."""

    record: PageRecord
    made: bytes


#: A changed file's record (with what a ``PageWork`` made of it), (mtime, size, path) of a
#: file only touched, or a failed read.
Read = PageRecord | Made | tuple[int, int, str] | Unreadable


def _read_files(root: Path, lines: list[str], known: dict[str, KnownFile], jobs: int,
                parse: ParseWith | None = None) -> AbstractContextManager[Iterator[Read]]:
    """Read and parse the files of these stamp lines, in order: in worker processes for large
    runs (the writer, which takes what they produce, then only writes), in this process
    otherwise. The reads come from a ``with`` block, which the workers do not outlive
    (``map_chunks``).

    ``lines`` is consumed: each is freed once handed out, so the list (50 MB for 400,000
    files) does not stay beside the index's own maps; a line becomes a task only then (as
    ``PageFile``s, the list was 100 MB).
    """
    workers = processes(jobs) if len(lines) >= PARALLEL_THRESHOLD else 1
    fresh = len(lines) >= FRESH_THRESHOLD and parse is None
    lines.reverse()
    tasks = ((f.path, f.mtime_ns, f.size, old.hash if (old := known.get(f.path)) else None)
             for f in map(page_file, drain(lines)))
    return map_chunks(functools.partial(_read_chunk, str(root), parse), tasks, workers=workers,
                      chunk=CHUNK, ahead=AHEAD, setup=settle_worker, fresh=fresh)


def _read_chunk(root: str, parse: ParseWith | None, tasks: list[Task]) -> list[Read]:
    _read_ahead(root, tasks)
    reads = [_read_file(root, task, parse) for task in tasks]
    _bound_names()
    return reads


def _bound_names() -> None:
    """Empty ``page_name``'s cache once it holds ``WORKER_NAMES`` names. page/ sizes it for
    a process that names the same pages again and again (65,536 names); a worker of a large
    wiki fills it with names most pages hold once, some 25 MB in each worker at 400,000
    pages (``bench/bench_index.py``), for no CPU it saves there."""
    if page_name.cache_info().currsize > WORKER_NAMES:
        page_name.cache_clear()


def _read_ahead(root: str, tasks: list[Task]) -> None:
    """Ask the system to start reading every file of a chunk before the first is read.

    Files read one at a time from a cold page cache (after a reboot, or once the system has
    reclaimed a wiki left idle) each wait for the disk in turn; with the hint, the reads of a
    chunk are under way together while its first pages are parsed. 400,000 pages from a cold
    cache took 52 s instead of 67 s, and 0.5% longer from a warm one (``bench/
    bench_index.py``'s wiki, runs taken back to back). A file that cannot be opened here is
    left for ``_read_file`` to report.
    """
    advise = getattr(os, "posix_fadvise", None)  # not on macOS or Windows
    if advise is None:
        return
    for task in tasks:
        try:
            descriptor = os.open(os.path.join(root, task[0]), os.O_RDONLY)
        except OSError:
            continue
        try:
            advise(descriptor, 0, 0, os.POSIX_FADV_WILLNEED)
        finally:
            os.close(descriptor)


def _read_file(root: str, task: Task, parse: ParseWith | None = None) -> Read:
    """A changed file's record (with what ``parse`` made of it, when given), or (mtime, size,
    path) when only its stat data changed."""
    from ..page.parse import parse_page  # here: a run with no change starts sooner without it

    path, mtime_ns, size, old_hash = task
    try:
        data = _read_bytes(os.path.join(root, path), size)
    except OSError as error:
        return Unreadable(path, f"cannot read: {error.strerror or error}")
    digest = hashlib.sha1(data).hexdigest()
    if old_hash == digest:
        return (mtime_ns, size, path)
    name = page_for_path(path)
    drafted = None if parse is None else parse(name, path, data)
    if drafted is None:  # the graph keeps no diagram
        page, made = parse_page(data, name.title, path=path, diagram=False), None
    else:
        page, made = drafted
    if (reason := undecodable(page)) is not None:  # not to be indexed as replacement characters
        return Unreadable(path, reason)
    record = page_record(name, page, path=path, digest=digest, mtime_ns=mtime_ns, size=size)
    return record if made is None else Made(record, made)


def _read_bytes(path: str, size: int) -> bytes:
    """The whole file, read through its descriptor rather than ``open()``: the buffered file
    object costs twice the system calls' time (``bench/bench_index.py``). The first read asks
    for more than the file had when listed, so one more read finds the end; a file that has
    grown since is read on to its end all the same."""
    descriptor = os.open(path, os.O_RDONLY)
    want = max(size + 1, 4096)
    try:
        chunks = []
        while chunk := os.read(descriptor, want):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def index_dump(store: Store, dump: Path) -> IndexStats:
    """Bring the index up to date with a MediaWiki XML dump (compared page by page by hash).

    Each dump page is recorded as the file ``<dump name>#<page key>``.
    """
    from ..page.parse import parse_page

    prefix = f"{dump.name}#"
    known = store.known(prefix)
    stats = IndexStats()
    seen: set[str] = set()

    def reads() -> Iterator[PageRecord | tuple[int, int, str]]:
        for item in track(read_dump(dump), "Indexing"):
            stats.seen += 1
            path = prefix + item.name.key
            seen.add(path)
            old = known.get(path)
            if old is not None and old.hash == item.hash:
                stats.unchanged += 1
                continue
            page = parse_page(item.text, item.name.title, path=path, diagram=False)
            yield page_record(item.name, page, path=path, digest=item.hash)

    removed = (path for path in known if path not in seen)  # evaluated once the dump is read
    with few_collections():
        stats.missing_pages = _write_reads(store, reads(), known, stats, removed, many=not known)
    return stats
