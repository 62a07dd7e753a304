"""Change detection: which files of a wiki a run must read, from the walk's stamps (path,
mtime, size) against the index's, and the fingerprint of a whole listing that lets a run with
no change stop at once.

Files whose size and modification time are unchanged are not read; files that changed are
hashed and only re-parsed when their content changed (``indexer``); files that disappeared are
removed with their edges (a page still linked to stays as a missing node).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ..files.layout import (END, PageFile, encoded, pack_lines, page_file, stamp_line,
                            unpack_lines)

if TYPE_CHECKING:
    from .store import KnownFile, Store

T = TypeVar("T")


def listing_digest(root: Path, extensions: tuple[str, ...], packed: Iterable[bytes]) -> str:
    """A fingerprint of the wiki's whole listing: every file's path, mtime and size, as
    packed by the walk (``layout.Listing.packed``, or ``layout.pack_lines``).

    The index keeps the one of its last run: an equal listing means no file changed by the
    rule incremental runs follow (same stat data, same content), so a run with no change
    compares one string instead of reading 400,000 stamps from the index and diffing sets
    (``bench/bench_index.py``: 0.6 s of a 3.3 s run). The walk's order is part of it, so a
    file system that lists a folder in another order only costs the full comparison. Each
    line ends with NUL, the one character no file name holds.
    """
    digest = hashlib.sha1(encoded(END.join([str(root.resolve()), *extensions, ""])))
    for part in packed:
        digest.update(part)
    return digest.hexdigest()


def unpatched(packed: list[bytes], patches: dict[str, str]) -> list[bytes] | None:
    """The listing the stored digest was taken of, packed, when the listing ``packed``
    differs from it only in the files ``index_files`` has brought up to date since; None when
    any other file changed.

    ``patches`` maps the stamp line each of those files had when it was indexed to the line
    the digest holds ("" for a file that listing did not hold). Each must be found in the
    listing as it is: a file indexed that changed again, or was put back with its old
    stamp, must be read by the next run (the index holds its edit), so the fast path is not
    taken for it. A few lines are found in the packed listing itself: decoding 400,000 lines
    to look each up, then packing them again, took 0.2 s (``bench/bench_index.py``).
    """
    if len(patches) > FIND_PATCHES:
        original = _unpatched_lines(unpack_lines(list(packed)), patches)
        return None if original is None else list(pack_lines(original))
    result = list(packed)
    for line, before in patches.items():
        if not _replace_line(result, line, before):
            return None
    return result


#: Up to this many patches, each is looked for in the packed listing (a scan of it each).
FIND_PATCHES = 8


def _replace_line(packed: list[bytes], line: str, before: str) -> bool:
    """Put ``before`` (a line, or "" for none) where ``line`` is in ``packed``; False when
    no line of it is ``line``."""
    wanted = encoded(f"{line}{END}")
    put = encoded(f"{before}{END}") if before else b""
    for index, part in enumerate(packed):
        if part.startswith(wanted):
            at = 0
        elif (at := part.find(_END + wanted)) >= 0:
            at += 1  # after the end of the line before
        else:
            continue
        packed[index] = part[:at] + put + part[at + len(wanted):]
        return True
    return False


_END = encoded(END)


def _unpatched_lines(lines: list[str], patches: dict[str, str]) -> list[str] | None:
    """``unpatched`` over the lines themselves: as many patches cost one pass."""
    found, original = 0, []
    for line in lines:
        old = patches.get(line)
        if old is None:
            original.append(line)
            continue
        found += 1
        if old:
            original.append(old)
    return original if found == len(patches) else None


def patched(patches: dict[str, str], known: dict[str, KnownFile], files: list[PageFile]
            ) -> dict[str, str]:
    """``patches`` (see ``unpatched``) once ``files`` are indexed at their stamps, ``known``
    being what the index held of them before. Keeps the last run's listing digest valid
    after ``index_files``, so that the next run with no change takes the fast path (without
    it, a no-change run after a hook's update compared every stamp: 3.3-5.1 s instead of
    1.5 s on 400,000 pages)."""
    result = dict(patches)
    for file in files:
        was = known.get(file.path)
        before = stamp_line(file.path, was.mtime_ns, was.size) if was else ""
        origin = result.pop(before, before)  # patched before: the digest holds another line
        line = stamp_line(*file)
        if line != origin:
            result[line] = origin
    return result


def changed_files(store: Store, lines: list[str], unread: list[tuple[str, str]]
                   ) -> tuple[list[str], list[str]]:
    """The stamp lines of the files to read (sorted by path: of clashing names, the last one
    wins) and the paths gone. ``lines`` (``stamp_lines``) is consumed: it is as large as the
    wiki.

    A first run reads every file: the lines themselves are sorted and returned, so the
    listing is held once, as strings (400,000 files: 50 MB, where ``PageFile``s made from
    them took 100 MB). Otherwise files are compared by their stat data (``_compare``).
    """
    if store.is_empty():
        lines.sort()  # by path: the tab that ends one sorts before any character
        return lines, []
    files = set(map(page_file, lines))
    lines.clear()
    changed, removed = _compare(store, files, unread)
    return [stamp_line(*file) for file in changed], removed


def _compare(store: Store, files: set[PageFile], unread: list[tuple[str, str]]
             ) -> tuple[list[PageFile], list[str]]:
    """The files of ``files`` new or changed since the last run, and the paths gone. The
    ``unread`` files and folders (the listing's problems) are not known to be gone: the
    index keeps what it read of them.

    Files are compared by their stat data only, as sets of (path, mtime, size) tuples: 400,000
    files compare in C. A function of its own so that the sets, as large as the wiki, are
    freed before the files are read.
    """
    stored = store.stamps()
    changed = files - stored  # new or modified
    changed_paths = {page_file.path for page_file in changed}
    # Nothing is gone when every file matched (the second difference costs as much again).
    gone = stored - files if changed or len(stored) != len(files) else set()
    kept = {path for path, _ in unread}
    folders = tuple(path for path in kept if path.endswith("/"))
    removed = [path for path, _, _ in gone if path not in changed_paths and path not in kept
               and not path.startswith(folders)]
    # A page that loses one of two files holding it is read again from the one left.
    rereads = store.siblings(removed)
    if rereads:
        changed.update(page_file for page_file in files if page_file.path in rereads)
    return sorted(changed), removed



def drain(items: list[T]) -> Iterator[T]:
    """The items of ``items`` from its end, each removed from the list as it is yielded."""
    while items:
        yield items.pop()
