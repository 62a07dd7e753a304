"""Finding and reading page files: the one place that touches the file system for pages.

Directories are walked for page extensions. Folders named for other page types
(``principles/``, ``heuristics/``, ``implementations/``, ``environments/``) hold pages that are
not Workflow pages and are skipped by the page commands; hidden files and folders, ``README.*``
and ``_``-prefixed side files (such as ``_WorkflowIndex.md``) are not pages. A path named
explicitly is always read.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import InputError

DEFAULT_EXTENSIONS = (".md", ".wiki", ".mediawiki", ".txt")
OTHER_PAGE_FOLDERS = frozenset({"principles", "heuristics", "implementations", "environments"})
STDIN = "-"
#: Names starting with these are hidden or side files, never pages (``.wikiflow/``, ``_Index.md``).
HIDDEN_PREFIXES = (".", "_")
#: Lower-case names starting with this are a folder's read-me, not a page.
NOT_PAGES = "readme."


def iter_page_paths(paths: Iterable[str | Path],
                    extensions: Iterable[str] = DEFAULT_EXTENSIONS) -> Iterator[str]:
    """Every Workflow page file named by ``paths`` (files as given, directories walked, sorted)."""
    wanted = tuple(ext.lower() if ext.startswith(".") else f".{ext.lower()}" for ext in extensions)
    for raw in paths:
        if str(raw) == STDIN:
            yield STDIN
            continue
        path = Path(raw)
        if path.is_dir():
            yield from (str(p) for p in _walk(path, wanted))
        elif path.exists():
            yield str(path)
        else:
            raise InputError(f"{raw}: no such file or directory")


def is_hidden(name: str) -> bool:
    """Hidden and ``_``-prefixed side files and folders (``.wikiflow/``, ``_WorkflowIndex.md``)."""
    return name.startswith(HIDDEN_PREFIXES)


def is_page_file(name: str, extensions: tuple[str, ...]) -> bool:
    """A file name that holds a page: a page extension (lower case), not ``README.*``."""
    lower = name.lower()
    return lower.endswith(extensions) and not lower.startswith(NOT_PAGES)


def _walk(root: Path, extensions: tuple[str, ...]) -> Iterator[Path]:
    for path in sorted(root.iterdir()):
        name = path.name
        if is_hidden(name):
            continue
        if path.is_dir():
            if name.lower() not in OTHER_PAGE_FOLDERS:
                yield from _walk(path, extensions)
        elif is_page_file(name, extensions):
            if not path.is_file() and path.exists():  # a pipe would make the read wait forever
                raise InputError(f"{path}: not a regular file")
            yield path  # a broken link too: its read names it


def read_source(path: str) -> bytes:
    """The bytes of a page file (``-`` is standard input); an ``InputError`` names the file."""
    try:
        if path == STDIN:
            return sys.stdin.buffer.read()
        return Path(path).read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from error


def write_text(path: str, text: str) -> None:
    """Write ``text`` exactly (no newline translation) as UTF-8."""
    try:
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except OSError as error:
        raise InputError(f"{path}: cannot write: {error.strerror or error}") from error


def title_from_path(path: str) -> str | None:
    """A page title from its file name: ``QLoRA_Fine_Tuning.mediawiki`` → ``QLoRA_Fine_Tuning``."""
    return None if path == STDIN else Path(path).stem
