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
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
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


def stamp_line(path: str, mtime_ns: int | None, size: int | None) -> str:
    """One line of ``stamp_lines`` (the inverse of ``page_file``)."""
    return f"{path}\t{mtime_ns}\t{size}"


class Listing(NamedTuple):
    """What ``stamp_lines`` found below a wiki's folder, or ``stamp_folders`` in one part of
    a folder."""

    #: The stamp line ``path<TAB>mtime_ns<TAB>size`` of every page file (paths relative to
    #: the wiki's folder), packed (``pack_lines``): a part a ``Folder``, as the walk stamped
    #: it. Packed, because that is what crosses from a worker at the cost of one copy, and
    #: what the listing's digest hashes (``graph.listing``): a run with no change decodes no
    #: line (``bench/bench_index.py``).
    packed: list[bytes]
    #: How many lines ``packed`` holds.
    count: int
    #: (path, reason) of every folder that could not be read (its path ends with ``/``) and
    #: every page file name that is not a readable file (a broken symbolic link, a pipe): what
    #: a run must say it left out.
    problems: list[tuple[str, str]]
    #: Folders named as page files (``x.wiki/``), found when their names were stamped: the
    #: walk lists them after the rest (``stamp_lines``).
    folders: Sequence[str] = ()

    @property
    def lines(self) -> list[str]:
        """The stamp lines, decoded."""
        return unpack_lines(list(self.packed))


#: What ends each line of a packed listing: NUL, the one character no file name holds.
END = "\0"


def encoded(text: str) -> bytes:
    """``text`` (stamp lines, each ended by ``END``) as a packed listing holds it: UTF-8,
    with the undecodable bytes of file names kept by ``surrogateescape``."""
    return text.encode("utf-8", "surrogateescape")


def pack_lines(lines: Iterable[str], batch: int = 4096) -> Iterator[bytes]:
    """``lines``, each ended by ``END``, as UTF-8 (undecodable file names kept by
    ``surrogateescape``), in blocks of ``batch`` lines: the whole listing as one string would
    be twice 30 MB at the memory peak of a first run."""
    iterator = iter(lines)
    while block := list(islice(iterator, batch)):
        yield encoded(f"{END.join(block)}{END}")


def unpack_lines(packed: list[bytes]) -> list[str]:
    """The lines of ``packed``, which is emptied as they are decoded, so that a large wiki's
    listing is held once."""
    lines: list[str] = []
    packed.reverse()
    while packed:
        part = packed.pop().decode("utf-8", "surrogateescape").split(END)
        part.pop()  # after the last END
        lines += part
    return lines


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
    of each file, which processes share well and threads do not. The lines come packed
    (``Listing.packed``).
    """
    problems: list[tuple[str, str]] = []
    packed: list[bytes] = []
    count = 0
    unstamped: list[tuple[str, str]] = []
    start, stamper = [""], stamp or stamp_folders
    while start:  # again for the folders named as page files, which only a stat tells apart
        found: list[str] = []
        for stamped in stamper(str(root), page_names(root, extensions, problems, start)):
            packed += stamped.packed
            count += stamped.count
            unstamped += stamped.problems
            found += stamped.folders
        start, stamper = found, stamp_folders  # rare and few: in this process
    return Listing(packed, count, problems + unstamped)


def page_names(root: Path, extensions: tuple[str, ...], problems: list[tuple[str, str]],
               start: Iterable[str] = ("",)) -> Iterator[Folder]:
    """Every folder below ``root`` (from the folders ``start``, paths below it) with the names
    of its page files, in parts, as they are read; the folders that cannot be read go to
    ``problems`` (as in ``Listing.problems``).

    A name is taken for a page file by its name alone: ``stamp_folders`` finds the few that
    are not files. Of the other names only the ones not hidden are examined, for folders.
    Written for speed, as ``stamp_folders``: plain strings rather than ``pathlib``, and a
    folder's names listed (``os.listdir``, a string each) rather than scanned
    (``os.scandir``, an object each): listing 400,000 names took 0.41 s scanned and
    0.2 s listed (``bench/bench_index.py``'s wiki).
    """
    wanted = tuple(ext.lower() for ext in extensions)
    countable = not any(one != other and one.endswith(other) for one in wanted for other in wanted)
    stack = [(prefix, os.path.join(root, prefix)) for prefix in reversed(list(start))]
    while stack:
        prefix, folder = stack.pop()
        try:
            descriptor = os.open(folder, os.O_RDONLY)
        except OSError as error:
            reason = f"cannot read: {error.strerror or error}"
            if not prefix:
                raise InputError(f"{root}: {reason}") from error
            problems.append((prefix, reason))
            continue
        try:
            pages, others = _sorted_out(os.listdir(descriptor), wanted, countable)
            for name in others:
                try:
                    info = os.lstat(name, dir_fd=descriptor)
                except OSError:  # gone since listed, or not to be examined: not a folder
                    continue
                if stat.S_ISDIR(info.st_mode):
                    stack.append((f"{prefix}{name}/", os.path.join(folder, name)))
        finally:
            os.close(descriptor)
        for begin in range(0, len(pages), FOLDER_PART):
            yield prefix, pages[begin:begin + FOLDER_PART]


def _sorted_out(names: list[str], wanted: tuple[str, ...], countable: bool
                ) -> tuple[list[str], list[str]]:
    """The page file names of a folder's ``names`` (``is_page_file``, not hidden), and the
    other names not hidden.

    A folder of page files alone, the common case, is recognised by counting in the names
    joined (in C) rather than by testing each name. Counting cannot tell names apart when
    one extension ends another (not ``countable``): each name is tested then.
    """
    joined = f"{END}{END.join(names)}{END}".lower()
    if (countable and not any(f"{END}{hidden}" in joined for hidden in HIDDEN_PREFIXES)
            and f"{END}{NOT_PAGES}" not in joined
            and sum(joined.count(f"{ext}{END}") for ext in wanted) == len(names)):
        return names, []
    pages, others = [], []
    for name in names:
        if name.startswith(HIDDEN_PREFIXES):
            continue
        lower = name.lower()
        if lower.endswith(wanted) and not lower.startswith(NOT_PAGES):
            pages.append(name)
        else:
            others.append(name)
    return pages, others


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
            stamped.append(Listing([], 0, problems))
            continue
        found: list[str] = []
        try:
            lines = _stamps(prefix, names, descriptor, problems, found)
        finally:
            os.close(descriptor)
        stamped.append(Listing([encoded("".join(lines))], len(lines), problems, found))
    return stamped


def _stamps(prefix: str, names: list[str], descriptor: int, problems: list[tuple[str, str]],
            found: list[str]) -> list[str]:
    """The stamp lines of the files ``names`` of one folder, each ended by ``END``. A file
    removed since the folder was read is left out; one that is no regular file is a problem,
    or a folder to walk (``found``)."""
    stat_ = os.stat
    try:  # ``stamp_line`` written out: this runs once for every file of the wiki
        lines = [f"{prefix}{name}\t{st.st_mtime_ns}\t{st.st_size}{END}" for name in names
                 if (st := stat_(name, dir_fd=descriptor)).st_mode & _FORMAT == _REGULAR]
        if len(lines) == len(names):
            return lines
    except OSError:
        pass
    lines = []  # rare: one at a time, to find which
    for name in names:
        try:
            info = stat_(name, dir_fd=descriptor)
        except FileNotFoundError:  # gone since listed, or a link to nothing
            if _lstat(name, descriptor) is not None:
                problems.append((prefix + name, "broken symbolic link"))
            continue
        except OSError as error:
            problems.append((prefix + name, f"cannot read: {error.strerror or error}"))
            continue
        if info.st_mode & _FORMAT == _REGULAR:
            lines.append(stamp_line(prefix + name, info.st_mtime_ns, info.st_size) + END)
        elif (own := _lstat(name, descriptor)) is not None and stat.S_ISDIR(own.st_mode):
            found.append(f"{prefix}{name}/")  # a folder, not a link to one
        else:
            problems.append((prefix + name, "not a regular file"))
    return lines


def _lstat(name: str, descriptor: int) -> os.stat_result | None:
    """The file ``name`` itself (not what it links to), None when it is gone."""
    try:
        return os.lstat(name, dir_fd=descriptor)
    except OSError:
        return None


#: ``stat.S_IFMT``'s mask, and a regular file's type under it.
_FORMAT, _REGULAR = 0o170000, stat.S_IFREG
