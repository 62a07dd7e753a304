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
or make it a ``README``), so ``path_for_page`` inverts
``page_for_path``: writing a page where ``path_for_page`` says and reading it back gives the same
page name.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote, unquote

from .errors import InputError
from .files import DEFAULT_EXTENSIONS, HIDDEN_PREFIXES, NOT_PAGES
from .names import NAMESPACES, PageName, page_name

TYPE_FOLDERS = {
    "workflows": "Workflow",
    "principles": "Principle",
    "heuristics": "Heuristic",
    "implementations": "Implementation",
    "environments": "Environment",
}
FOLDER_OF = {namespace: folder for folder, namespace in TYPE_FOLDERS.items()}
DEFAULT_EXTENSION = ".mediawiki"
_UNSAFE = '/\\:*?"<>|%'


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
    stem = unquote(os.path.splitext(parts[-1])[0])
    for folder in reversed(parts[:-1]):
        namespace = TYPE_FOLDERS.get(folder.lower())
        if namespace is not None:  # the folder decides: "Principle:X" here is a Workflow title
            return page_name(f"{namespace}:{stem}")
    head = _flat_prefix(stem)
    if head is not None:
        return page_name(f"{head[0]}:{head[1]}")
    return page_name(stem)


def _flat_prefix(stem: str) -> tuple[str, str] | None:
    """``Workflow:X`` or ``Workflow_X`` → (``Workflow``, ``X``) for a known namespace."""
    for separator in (":", "_"):
        head, sep, rest = stem.partition(separator)
        if sep and rest and head.lower() in NAMESPACES:
            return NAMESPACES[head.lower()], rest
    return None


def path_for_page(name: PageName, extension: str = DEFAULT_EXTENSION) -> str:
    """Where ``name`` is written in a type-folder wiki (relative, with ``/``)."""
    title = _file_title(name.title)
    folder = FOLDER_OF.get(name.namespace)
    if folder is not None:
        return f"{folder}/{title}{extension}"
    if name.namespace:
        return f"{name.namespace}_{title}{extension}"
    return f"{title}{extension}"


def _file_title(title: str) -> str:
    """The file-name form of a title: spaces as ``_``; rejected characters percent-encoded, and
    so is a first character that would make the file hidden (``.``) or not a page (``README``)."""
    text = title.replace(" ", "_")
    if any(ch in text for ch in _UNSAFE):
        text = quote(text, safe=" !#$&'()+,;=@[]^`{}~")
    if text.startswith(".") or f"{text}.".lower().startswith("readme."):
        text = f"%{ord(text[0]):02X}{text[1:]}"
    return text


def walk_wiki(root: Path, extensions: tuple[str, ...] = DEFAULT_EXTENSIONS) -> list[PageFile]:
    """Every page file below ``root`` (hidden, ``_``-prefixed and ``README.*`` files are not
    pages), in the file system's order, with the stat data incremental indexing compares.
    An ``InputError`` names the first file or folder that could not be listed."""
    listing = stamp_lines(root, extensions)
    if listing.problems:
        path, reason = listing.problems[0]
        raise InputError(f"{root / path}: {reason}")
    return [page_file(line) for line in listing.lines]


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


def stamp_lines(root: Path, extensions: tuple[str, ...] = DEFAULT_EXTENSIONS) -> Listing:
    """The stamp lines of every page file below ``root``, in the file system's order: what a
    run with no change compares, as strings. Files and folders that cannot be read are left
    out and named in the listing's ``problems``; the wiki's own folder must be readable.

    A wiki may hold 400,000 files, and this walk is most of a no-change re-index
    (``bench/bench_index.py``), so it is written for speed: plain strings rather than
    ``pathlib`` or tuples (the lines are joined and hashed whole, see ``store``), folders read
    through a descriptor so each stat resolves a name alone, and the name tests of
    ``files.is_hidden``/``is_page_file`` written out in the loop (a third of its own time went
    to those calls).
    """
    wanted = tuple(ext.lower() for ext in extensions)
    found: list[str] = []
    problems: list[tuple[str, str]] = []
    stack = [("", str(root))]
    while stack:
        prefix, folder = stack.pop()
        names = []
        try:
            descriptor = os.open(folder, os.O_RDONLY)
        except OSError as error:
            reason = f"cannot read: {error.strerror or error}"
            if not prefix:
                raise InputError(f"{root}: {reason}") from error
            problems.append((prefix, reason))
            continue
        try:
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
                        if entry.is_file():  # no system call for a plain file
                            names.append(name)
                        else:
                            problems.append((prefix + name, _not_a_file(entry)))
            found += _stamps(prefix, names, descriptor, problems)
        finally:
            os.close(descriptor)
    return Listing(found, problems)


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
