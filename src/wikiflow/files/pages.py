"""Finding, reading and writing page files: the one place that touches the file system for
pages.

Every file a command writes for the user (a formatted or fixed page, a pulled page, an export,
a new page) goes through ``atomic_output``: whole or not at all, mode kept.

Directories are walked for page extensions. Folders named for other page types
(``principles/``, ``heuristics/``, ``implementations/``, ``environments/``) hold pages that are
not Workflow pages and are skipped by the page commands; hidden files and folders, ``README.*``
and ``_``-prefixed side files (such as ``_WorkflowIndex.md``) are not pages; files and folders
matching an ``exclude`` glob are left out. A path named explicitly is always read.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError, NotAPage
from ..page.model import Page

DEFAULT_EXTENSIONS = (".md", ".wiki", ".mediawiki", ".txt")
#: Folders no one keeps pages in, left out of a walk unless ``exclude`` says otherwise
#: (``extend-exclude`` adds to them), as ruff leaves out virtual environments. Hidden folders
#: (``.git``, ``.venv``, ``.wikiflow``) are always left out, whatever ``exclude`` says.
DEFAULT_EXCLUDE = ("venv", "node_modules", "site-packages", "__pypackages__")
OTHER_PAGE_FOLDERS = frozenset({"principles", "heuristics", "implementations", "environments"})
STDIN = "-"
#: Names starting with these are hidden or side files, never pages (``.wikiflow/``, ``_Index.md``).
HIDDEN_PREFIXES = (".", "_")
#: Lower-case names starting with this are a folder's read-me, not a page.
NOT_PAGES = "readme."
#: Git calls a file binary when its first 8,000 bytes hold a NUL (``buffer_is_binary``).
BINARY_PROBE = 8000
#: UTF-16 and UTF-32 text is full of NULs, but is a page in the wrong encoding, not binary data.
_WIDE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
#: Why a folder such as ``principles/`` is left out of a walk.
OTHER_TYPE = "pages of another type"


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file or folder a walk left out, and why; ``pages`` counts the page files in it that
    were walked to be counted (a folder of another page type), 0 for what was not walked."""

    path: str
    reason: str
    pages: int = 0


@dataclass(slots=True)
class PageFiles:
    """What a walk of the paths found: the page files to read, in order, and what it left out.

    ``empty`` names each folder given that held no page to read: a typo in a CI job's path
    must not pass as a clean run (``require_pages``).
    """

    pages: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)
    extensions: tuple[str, ...] = DEFAULT_EXTENSIONS

    @property
    def other_type_pages(self) -> int:
        return sum(item.pages for item in self.skipped if item.reason == OTHER_TYPE)

    @property
    def excluded(self) -> int:
        return sum(1 for item in self.skipped if item.reason != OTHER_TYPE)

    def require_pages(self) -> None:
        """Raise ``InputError`` naming the first folder given that held no page to read."""
        if self.empty:
            folder = self.empty[0]
            left = [item for item in self.skipped if _under(item.path, folder)]
            why = f"; {len(left)} file(s) or folder(s) skipped (--show-files lists them)" \
                if left else ""
            raise InputError(f"{folder}: no page found under this folder (looked for "
                             f"{' '.join(self.extensions)} files){why}")


def find_page_files(paths: Iterable[str | Path], extensions: Iterable[str] = DEFAULT_EXTENSIONS,
                    exclude: Iterable[str] = ()) -> PageFiles:
    """Every Workflow page file named by ``paths``: files as given (an explicit name is always
    read), directories walked in sorted order, leaving out hidden and side files, read-mes,
    folders of other page types and whatever matches an ``exclude`` glob (by its name or its
    path)."""
    wanted = tuple(ext.lower() if ext.startswith(".") else f".{ext.lower()}" for ext in extensions)
    found = PageFiles(extensions=wanted)
    patterns = tuple(exclude)
    for raw in paths:
        if str(raw) == STDIN:
            found.pages.append(STDIN)
            continue
        path = Path(raw)
        if path.is_dir():
            before = len(found.pages)
            _walk(path, path, wanted, patterns, found)
            if len(found.pages) == before:
                found.empty.append(str(raw))
        elif path.exists():
            found.pages.append(str(path))
        else:
            raise InputError(f"{raw}: no such file or directory")
    return found


def excluded_by(path: Path, root: Path, patterns: tuple[str, ...]) -> str | None:
    """The first glob of ``patterns`` matching ``path``'s name, its path below ``root`` or its
    path as given, else None."""
    relative = path.relative_to(root).as_posix()
    for pattern in patterns:
        if fnmatch(path.name, pattern) or fnmatch(relative, pattern) \
                or fnmatch(path.as_posix(), pattern):
            return pattern
    return None


def is_hidden(name: str) -> bool:
    """Hidden and ``_``-prefixed side files and folders (``.wikiflow/``, ``_WorkflowIndex.md``)."""
    return name.startswith(HIDDEN_PREFIXES)


def is_page_file(name: str, extensions: tuple[str, ...]) -> bool:
    """A file name that holds a page: a page extension (lower case), not ``README.*``."""
    lower = name.lower()
    return lower.endswith(extensions) and not lower.startswith(NOT_PAGES)


def _walk(folder: Path, root: Path, extensions: tuple[str, ...], exclude: tuple[str, ...],
          found: PageFiles) -> None:
    for path in sorted(folder.iterdir()):
        name = path.name
        if is_hidden(name):
            continue
        is_dir = path.is_dir()
        if not is_dir and not is_page_file(name, extensions):
            continue
        pattern = excluded_by(path, root, exclude)
        if pattern is not None:
            found.skipped.append(Skipped(f"{path}/" if is_dir else str(path),
                                         f"excluded by {pattern!r}"))
        elif is_dir and name.lower() in OTHER_PAGE_FOLDERS:
            found.skipped.append(Skipped(f"{path}/", OTHER_TYPE, _count_pages(path, extensions)))
        elif is_dir:
            _walk(path, root, extensions, exclude, found)
        else:
            if not path.is_file() and path.exists():  # a pipe would make the read wait forever
                raise InputError(f"{path}: not a regular file")
            found.pages.append(str(path))  # a broken link too: its read names it


def _count_pages(folder: Path, extensions: tuple[str, ...]) -> int:
    """How many page files a folder of another page type holds, for the run's summary."""
    count = 0
    for path in folder.iterdir():
        if is_hidden(path.name):
            continue
        if path.is_dir():
            count += _count_pages(path, extensions)
        elif is_page_file(path.name, extensions):
            count += 1
    return count


def _under(path: str, folder: str) -> bool:
    return Path(path).is_relative_to(Path(folder))


def read_source(path: str) -> bytes:
    """The bytes of a page file (``-`` is standard input); an ``InputError`` names the file."""
    try:
        if path == STDIN:
            return sys.stdin.buffer.read()
        return Path(path).read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from error


def read_page_source(path: str) -> bytes:
    """The bytes of a page file, as ``read_source``; ``NotAPage`` when they are binary (an
    image or an archive with a page's extension), which no command should read as a page."""
    data = read_source(path)
    if b"\0" in data[:BINARY_PROBE] and not data.startswith(_WIDE_BOMS):
        raise NotAPage(f"{path}: binary file, not a page")
    return data


def undecodable(page: Page) -> str | None:
    """Why a page read from bytes is not text, at the line and column of the first byte that
    is not UTF-8 (where the parser's problem says); None when it decoded."""
    for problem in page.problems:
        if problem.code == "encoding" and problem.span is not None:
            return (f"not UTF-8: cannot decode the byte at line {problem.span.line}, column "
                    f"{problem.span.column} (re-save the file as UTF-8)")
    return None


#: What wikiflow writes in a state folder it makes (``.wikiflow/``: the index, the sync state):
#: local state, never to be committed (as ruff's ``.ruff_cache/.gitignore``).
STATE_GITIGNORE = "# Made by wikiflow: local state, not to be committed.\n*\n"


def make_state_folder(folder: Path) -> None:
    """Make wikiflow's state folder with a ``.gitignore`` that keeps it out of git, so that
    neither an index nor a sync state shows up in ``git status``; a folder already there is
    left as it is. Raises ``OSError`` for the caller to name in its own terms."""
    if folder.is_dir():
        return
    folder.mkdir(parents=True)
    (folder / ".gitignore").write_text(STATE_GITIGNORE, encoding="utf-8")


def write_text(path: str, text: str) -> None:
    """Write ``text`` exactly (no newline translation) as UTF-8, whole or not at all."""
    data = text.encode("utf-8")
    with atomic_output(path) as stream:
        stream.write(data)


@contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A byte stream that replaces the file at ``path`` whole, or leaves it as it was.

    Truncating a file and writing it anew loses the page to a kill, a full disk or a file size
    limit half-way. Here the bytes go to a hidden temporary file beside the target (the same
    file system, so the rename is atomic), are flushed to the disk, and the temporary file is
    renamed over the target: a reader or a crash sees the old file or the new one, never part
    of one. A failed write or an exception in the ``with`` block removes the temporary file.
    The file keeps its mode; a new one gets the mode the umask gives, as ``open`` would; a
    link is followed (its target is replaced). A read-only file is refused, as ``open`` would
    refuse it, although the rename could replace it. Something not a regular file (a device,
    a pipe such as ``/dev/stdout``) is written directly: it cannot be renamed over.
    ``InputError`` names ``path`` when it cannot be written.
    """
    shown = os.fspath(path)
    target = os.path.realpath(shown)
    try:
        info = _writable_stat(target)
    except OSError as error:
        raise _write_error(shown, error) from error
    if info is not None and not stat.S_ISREG(info.st_mode):
        with _direct(shown) as stream:
            yield stream
        return
    folder, name = os.path.split(target)
    temporary = os.path.join(folder, f".{name[:40]}.{os.urandom(4).hex()}.tmp")
    try:
        # O_EXCL: never write through a file or link someone else put at that name.
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as error:
        raise _write_error(shown, error) from error
    try:
        with open(descriptor, "wb") as stream:
            if info is not None:
                _keep_owner(temporary, info)
                os.chmod(temporary, stat.S_IMODE(info.st_mode))  # after chown: it clears setuid
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException as error:
        _discard(temporary)
        if isinstance(error, OSError) and error.filename in (None, temporary):
            raise _write_error(shown, error) from error
        raise  # the caller's own error (an export's, Ctrl-C): the old file is kept all the same


def _writable_stat(target: str) -> os.stat_result | None:
    """The file at ``target`` (None if there is none yet); a regular file must be writable."""
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return None
    if stat.S_ISREG(info.st_mode) and not os.access(target, os.W_OK):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), target)
    return info


def _keep_owner(temporary: str, info: os.stat_result) -> None:
    """Give the new file the old one's owner and group, as writing in place would keep them."""
    if not hasattr(os, "chown") or (info.st_uid, info.st_gid) == (os.geteuid(), os.getegid()):
        return
    try:
        os.chown(temporary, info.st_uid, info.st_gid)
    except PermissionError:  # only root may give a file away: it is the writer's now
        pass


@contextmanager
def _direct(shown: str) -> Iterator[BinaryIO]:
    """A device or a pipe, opened as it is: there is no file to keep whole."""
    try:
        stream = open(shown, "wb")  # noqa: SIM115 - closed below, its errors named
    except OSError as error:
        raise _write_error(shown, error) from error
    with stream:
        try:
            yield stream
        except OSError as error:
            if error.filename is None:
                raise _write_error(shown, error) from error
            raise


def _discard(temporary: str) -> None:
    try:
        os.unlink(temporary)
    except FileNotFoundError:  # renamed already, or never written
        pass


def _write_error(shown: str, error: OSError) -> InputError:
    return InputError(f"{shown}: cannot write: {error.strerror or error}")


def title_from_path(path: str) -> str | None:
    """A page title from its file name: ``QLoRA_Fine_Tuning.mediawiki`` → ``QLoRA_Fine_Tuning``."""
    return None if path == STDIN else Path(path).stem
