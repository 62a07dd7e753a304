"""Where pages live on disk: the reversible mapping between files and page names.

A wiki folder holds one file per page. Two layouts are read:

* **type folders** (the shared corpus): ``workflows/``, ``principles/``, ``heuristics/``,
  ``implementations/``, ``environments/`` give the namespace; the file name is the title.
  ``principles/Data_Formatting.mediawiki`` is ``Principle:Data_Formatting``.
* **flat**: the namespace is in the file name, before ``:`` or ``_``:
  ``Workflow:QLoRA.wiki`` and ``Workflow_QLoRA.mediawiki`` are both ``Workflow:QLoRA``. A file
  whose name starts with no known namespace is a page of the main namespace.

File names are titles with spaces written as ``_`` and the characters file systems reject
(``/ \\ : * ? " < > |``) and ``%`` percent-encoded (and a first character that would hide the file
or make it a ``README``), so ``path_for_page`` inverts ``page_for_path``: writing a page where
``path_for_page`` says and reading it back gives the same page name. A main-namespace title that
would read as a flat namespace prefix (``Workflow X``) has that ``_`` encoded too.

**Long titles.** MediaWiki allows titles of 255 bytes, and a file name holds at most 255 bytes
with its extension (and push writes ``FILE.remote`` beside it). A name longer than
``NAME_BYTES`` is cut into pieces: each piece but the last is a folder whose name ends in
``%+`` (a ``%`` no encoded title holds), the last is the file, and the title is the pieces
joined: ``workflows/Aaa…%+/bbb.mediawiki`` holds ``Workflow:Aaa…bbb``. The title lives in
the path alone, not in a side file, so ``index``, ``push`` and a fresh clone of the folder all
read the same title from it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote

from ..errors import InputError
from .pages import DEFAULT_EXTENSIONS, HIDDEN_PREFIXES, NOT_PAGES, is_hidden, is_page_file
from ..page.names import NAMESPACES, PageName, page_name

TYPE_FOLDERS = {
    "workflows": "Workflow",
    "principles": "Principle",
    "heuristics": "Heuristic",
    "implementations": "Implementation",
    "environments": "Environment",
}
FOLDER_OF = {namespace: folder for folder, namespace in TYPE_FOLDERS.items()}
DEFAULT_EXTENSION = ".mediawiki"
#: The longest file or folder name ``path_for_page`` makes: file systems allow 255 bytes, and
#: the rest is room for a suffix written beside a page (push's ``FILE.remote``).
NAME_BYTES = 240
#: MediaWiki's limit on a title (without its namespace), in UTF-8 bytes.
TITLE_BYTES = 255
#: The end of a folder name that holds the rest of a long title (see the module docstring).
CONTINUED = "%+"
_UNSAFE = '/\\:*?"<>|%'
_ESCAPES = {ch: f"%{ord(ch):02X}" for ch in _UNSAFE}
_ESCAPED = str.maketrans(_ESCAPES)
_UNSAFE_CHAR = re.compile(f"[{re.escape(_UNSAFE)}]")
#: A file name's units: an escape is never cut when a long name is split.
_UNITS = re.compile(r"%[0-9A-F]{2}|.", re.DOTALL)


class PageFile(NamedTuple):
    """A page file found in a wiki folder (``path`` relative to the wiki root, with ``/``).

    The page name is worked out only when asked for: an incremental run compares the stat
    data of every file but reads, and so names, only the files that changed. A named tuple:
    one is made for every file of the wiki, three times faster than a frozen dataclass.
    """

    path: str
    mtime_ns: int
    size: int

    @property
    def name(self) -> PageName:
        return page_for_path(self.path)


def page_for_path(relative: str | Path) -> PageName:
    """The page a file holds, from its folder and name (see the module docstring).

    String operations rather than ``pathlib``: this runs for every file an index reads.
    """
    parts = os.fspath(relative).replace(os.sep, "/").split("/")
    stem = os.path.splitext(parts.pop())[0]
    while parts and parts[-1].endswith(CONTINUED):  # the pieces of a long title
        stem = parts.pop()[:-len(CONTINUED)] + stem
    for folder in reversed(parts):
        namespace = TYPE_FOLDERS.get(folder.lower())
        if namespace is not None:  # the folder decides: "Principle:X" here is a Workflow title
            return page_name(f"{namespace}:{unquote(stem)}")
    head = _flat_prefix(stem)  # before decoding: an encoded separator is part of the title
    if head is not None:
        return page_name(f"{head[0]}:{unquote(head[1])}")
    return page_name(unquote(stem))


def _flat_prefix(stem: str) -> tuple[str, str] | None:
    """``Workflow:X`` or ``Workflow_X`` → (``Workflow``, ``X``) for a known namespace."""
    for separator in (":", "_"):
        head, sep, rest = stem.partition(separator)
        if sep and rest and head.lower() in NAMESPACES:
            return NAMESPACES[head.lower()], rest
    return None


def path_for_page(name: PageName, extension: str = DEFAULT_EXTENSION) -> str:
    """Where ``name`` is written in a type-folder wiki (relative, with ``/``).

    An ``InputError`` says why a name cannot be a file: no title, a character MediaWiki never
    allows in one (a NUL, ``#``, ``|``, ...), or more bytes than MediaWiki allows.
    """
    _check_storable(name)
    stem = _file_title(name.title)
    folder = FOLDER_OF.get(name.namespace)
    if folder is None and name.namespace:
        stem = f"{name.namespace}_{stem}"
    elif folder is None and _flat_prefix(stem) is not None:  # "Workflow X" of the main namespace
        stem = stem.replace("_", "%5F", 1)
    names = _names(stem, extension)
    path = "/".join([folder, *names] if folder is not None else names)
    if page_for_path(path).key != name.key:  # a bug, but never a file that names another page
        raise InputError(f"cannot store the page {name.full!r} in a file: its file name "
                         f"{path!r} would read back as another page")
    return path


def _check_storable(name: PageName) -> None:
    """An ``InputError`` naming the title (escaped) when no file name can hold it."""
    why = ""
    if not name.valid:
        why = ("it is empty" if not name.title else
               "it holds a character MediaWiki never allows in a title")
    else:
        try:
            size = len(name.title.encode("utf-8"))
        except UnicodeEncodeError:
            size, why = 0, "it is not valid Unicode"
        if size > TITLE_BYTES:
            why = f"it is {size} bytes long; MediaWiki allows {TITLE_BYTES}"
    if why:
        raise InputError(f"cannot store the page {name.full!r} in a file: {why}")


def _file_title(title: str) -> str:
    """The file-name form of a title: spaces as ``_``, rejected characters percent-encoded."""
    text = title.replace(" ", "_")
    # One search in C for the common title with nothing to encode: a test of each character
    # in Python was a third of naming a site's 400,000 pages (``site.catalog``).
    return text.translate(_ESCAPED) if _UNSAFE_CHAR.search(text) else text


def _names(stem: str, extension: str) -> list[str]:
    """The folder names and file name that hold ``stem``: one file name when it fits in
    ``NAME_BYTES``, else pieces as long as fit (see the module docstring). A piece never
    starts with a character that would hide it (``.``, ``_``) or make the file a ``README``:
    that character is percent-encoded (two bytes of room are kept for it)."""
    fits = NAME_BYTES - len(extension.encode("utf-8")) - 2
    pieces: list[str] = []
    if len(stem.encode("utf-8")) <= fits:  # most names: one piece, no units to measure
        return _last_name(stem, extension, pieces)
    units = _UNITS.findall(stem)
    sizes = [len(unit.encode("utf-8")) for unit in units]
    start, total = 0, sum(sizes)
    while total > fits:
        end, size = start, 0
        while end < len(units) - 1 and size + sizes[end] <= NAME_BYTES - len(CONTINUED) - 2:
            size += sizes[end]
            end += 1
        if end == start:
            raise InputError(f"no file name of {NAME_BYTES} bytes holds the extension "
                             f"{extension!r}")
        pieces.append(_unhidden("".join(units[start:end])) + CONTINUED)
        start, total = end, total - size
    return _last_name("".join(units[start:]), extension, pieces)


def _last_name(rest: str, extension: str, pieces: list[str]) -> list[str]:
    """``pieces`` and the file name of what is left of the stem."""
    last = _unhidden(rest)
    if f"{last}.".lower().startswith(NOT_PAGES):
        last = f"%{ord(last[0]):02X}{last[1:]}"
    return [*pieces, last + extension]


def _unhidden(piece: str) -> str:
    """``piece`` with a first ``.`` or ``_`` encoded: such names are not read as pages."""
    return f"%{ord(piece[0]):02X}{piece[1:]}" if piece.startswith(HIDDEN_PREFIXES) else piece


def walk_wiki(root: Path, extensions: tuple[str, ...] = DEFAULT_EXTENSIONS) -> list[PageFile]:
    """Every page file below ``root`` (hidden, ``_``-prefixed and ``README.*`` files are not
    pages), in the file system's order, with the stat data incremental indexing compares.
    An ``InputError`` names the first file or folder that could not be listed."""
    listing = stamp_lines(root, extensions)
    if listing.problems:
        path, reason = listing.problems[0]
        raise InputError(f"{root / path}: {reason}")
    return [page_file(line) for line in listing.lines]


def is_page_path(relative: str, extensions: tuple[str, ...] = DEFAULT_EXTENSIONS) -> bool:
    """Whether the walk (``stamp_lines``) would read the file at ``relative`` (a path below
    the wiki's folder, with ``/``) as a page: no hidden or ``_``-prefixed part, not a
    ``README.*``, one of ``extensions``. A file named on its own is judged by the same test,
    so that it never becomes a page that the next full run would drop."""
    parts = relative.split("/")
    return (not any(is_hidden(part) for part in parts)
            and is_page_file(parts[-1], tuple(ext.lower() for ext in extensions)))


def page_file(line: str) -> PageFile:
    """The ``PageFile`` of one of ``stamp_lines`` (a path may hold tabs; the numbers cannot)."""
    path, mtime_ns, size = line.rsplit("\t", 2)
    return PageFile(path, int(mtime_ns), int(size))


class Listing(NamedTuple):
    """What ``stamp_lines`` found below a wiki's folder."""

    #: ``path<TAB>mtime_ns<TAB>size`` of every page file, paths relative to the wiki's folder.
    lines: list[str]
    #: (path, reason) of every folder that could not be read (its path ends with ``/``) and
    #: every page file name that is not a readable file (a broken symbolic link, a pipe): what
    #: a run must say it left out.
    problems: list[tuple[str, str]]


#: Page files of one folder: its path below the wiki's folder (ending with "/"; "" for the
#: wiki's own) and some of their names (``FOLDER_PART`` at most), in the file system's order.
Folder = tuple[str, list[str]]
FOLDER_PART = 8192
#: What stamps the files of folders as the walk lists them, one ``Listing`` a ``Folder``:
#: ``stamp_folders``, or a caller's way of sharing it among processes (``graph.indexer``).
Stamper = Callable[[str, Iterable[Folder]], Iterable[Listing]]


def stamp_lines(root: Path, extensions: tuple[str, ...] = DEFAULT_EXTENSIONS,
                stamp: Stamper | None = None) -> Listing:
    """The stamp lines of every page file below ``root``, in the file system's order: what a
    run with no change compares, as strings. Files and folders that cannot be read are left
    out and named in the listing's ``problems``; the wiki's own folder must be readable.

    The folders are listed (``page_names``) as their files are stamped by ``stamp``
    (``stamp_folders`` in this process by default): a wiki may hold 400,000 files, and this
    walk is most of a no-change re-index (``bench/bench_index.py``), most of it a ``stat``
    of each file, which processes share well and threads do not. Lines are plain strings,
    not tuples: they are joined and hashed whole (``graph.listing``).
    """
    problems: list[tuple[str, str]] = []
    lines: list[str] = []
    unstamped: list[tuple[str, str]] = []
    for stamped in (stamp or stamp_folders)(str(root), page_names(root, extensions, problems)):
        lines += stamped.lines
        unstamped += stamped.problems
    return Listing(lines, problems + unstamped)


def page_names(root: Path, extensions: tuple[str, ...], problems: list[tuple[str, str]]
               ) -> Iterator[Folder]:
    """Every folder below ``root`` with the names of its page files, in parts, as they are
    read; the folders and names that cannot be read go to ``problems`` (as in
    ``Listing.problems``).

    Written for speed, as ``stamp_folders``: plain strings rather than ``pathlib``, and the
    name tests of ``files.is_hidden``/``is_page_file`` written out in the loop (a third of
    the walk's own time went to those calls).
    """
    wanted = tuple(ext.lower() for ext in extensions)
    stack = [("", str(root))]
    while stack:
        prefix, folder = stack.pop()
        names: list[str] = []
        try:
            descriptor = os.open(folder, os.O_RDONLY)
        except OSError as error:
            reason = f"cannot read: {error.strerror or error}"
            if not prefix:
                raise InputError(f"{root}: {reason}") from error
            problems.append((prefix, reason))
            continue
        try:  # a walk left early (an error, Ctrl-C) closes the folder it was in too
            with os.scandir(descriptor) as entries:
                for entry in entries:
                    name = entry.name
                    if name.startswith(HIDDEN_PREFIXES):
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        stack.append((f"{prefix}{name}/", os.path.join(folder, name)))
                        continue
                    lower = name.lower()
                    if lower.endswith(wanted) and not lower.startswith(NOT_PAGES):
                        if not entry.is_file():  # no system call for a plain file
                            problems.append((prefix + name, _not_a_file(entry)))
                            continue
                        names.append(name)
                        if len(names) == FOLDER_PART:
                            yield prefix, names
                            names = []
        finally:
            os.close(descriptor)
        if names:
            yield prefix, names


def stamp_folders(root: str, folders: Iterable[Folder]) -> list[Listing]:
    """The stamp lines of the files of each of ``folders`` (below ``root``), one ``Listing``
    a ``Folder``. Each folder is opened once, so that each ``stat`` resolves a name alone; a
    folder or file removed since it was listed is left out."""
    stamped = []
    for prefix, names in folders:
        problems: list[tuple[str, str]] = []
        try:
            descriptor = os.open(os.path.join(root, prefix.rstrip("/")), os.O_RDONLY)
        except OSError as error:
            if not isinstance(error, FileNotFoundError):  # gone since listed: its files too
                problems.append((prefix, f"cannot read: {error.strerror or error}"))
            stamped.append(Listing([], problems))
            continue
        try:
            stamped.append(Listing(_stamps(prefix, names, descriptor, problems), problems))
        finally:
            os.close(descriptor)
    return stamped


def _stamps(prefix: str, names: list[str], descriptor: int,
            problems: list[tuple[str, str]]) -> list[str]:
    """The stamp lines of the files ``names`` of one folder. A file removed since the folder
    was read is left out; one that cannot be examined is a problem."""
    stat = os.stat
    try:
        return [f"{prefix}{name}\t{(st := stat(name, dir_fd=descriptor)).st_mtime_ns}\t"
                f"{st.st_size}" for name in names]
    except OSError:  # rare: one at a time, to find which
        lines = []
        for name in names:
            try:
                st = stat(name, dir_fd=descriptor)
            except FileNotFoundError:
                continue
            except OSError as error:
                problems.append((prefix + name, f"cannot read: {error.strerror or error}"))
                continue
            lines.append(f"{prefix}{name}\t{st.st_mtime_ns}\t{st.st_size}")
        return lines


def _not_a_file(entry: os.DirEntry[str]) -> str:
    """Why a name with a page extension is not read."""
    try:
        entry.stat()  # through a symbolic link (relative to the folder's descriptor)
    except OSError:
        return "broken symbolic link"
    return "not a regular file"
