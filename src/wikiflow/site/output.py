"""Writing the site's files: only inside its folder, and only the files whose content changed,
so that a second build of an unchanged wiki writes nothing (and a web server's caches, rsync
and file watchers see only real changes)."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..errors import InputError


#: The list of the files a build made, kept in the site's folder: the next build removes those
#: it no longer makes (a page deleted from the wiki), and nothing else.
MANIFEST = ".wikiflow-site"
#: How a file of the site is opened to be written (in binary mode, where that is a mode).
_NEW = os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0)


class SiteFolder:
    """The folder a site is written to, counting what each build wrote."""

    def __init__(self, root: Path) -> None:
        if root.exists() and not root.is_dir():
            raise InputError(f"{root}: not a folder")
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise InputError(f"{root}: cannot make the site's folder: "
                             f"{error.strerror or error}") from error
        self.root = root.resolve()
        self.written = 0
        self.unchanged = 0
        self.removed = 0
        self.made: set[str] = set()
        #: (size, mtime_ns) of each file this build wrote or found unchanged
        self.stamps: dict[str, tuple[int, int]] = {}
        self._folders: dict[str, Path] = {"": self.root}  # site folder → resolved, checked
        self._made_folders: set[str] = set()
        #: site folders this build made: they held no file, so none is looked for in them
        self._new_folders: set[str] = set()

    def target(self, relative: str) -> Path:
        """The file at ``relative`` (a site path, with ``/``), which must lie inside the
        folder: site paths come from ``paths``, which makes only safe names, and this is the
        check that holds whatever a bug there would do."""
        return Path(self._place(relative)[0])

    def _place(self, relative: str) -> tuple[str, os.stat_result | None]:
        """``target`` as a string, with the file's status (None when there is no file): one
        ``lstat`` both finds a symlink and tells what is there, where a build from nothing
        spent three system calls a file before writing it. Each folder is resolved once (a
        site has a few for thousands of files), the file's own name checked for a
        symlink. In a folder the build made there is nothing to look at: a build from nothing
        makes every folder, and the ``lstat`` that finds no file was 3-4 of the 41 µs a new
        file of 9 KB took to write here."""
        folder, _, name = relative.rpartition("/")
        if name not in ("", ".", ".."):
            path = os.path.join(self._folder(folder), name)
            if folder in self._new_folders:
                return path, None
            info = _status(path, os.lstat)
            if info is None or not stat.S_ISLNK(info.st_mode):
                return path, info
        path = str(self._inside(relative))
        return path, _status(path, os.stat)

    def _folder(self, folder: str) -> Path:
        """The site folder ``folder`` resolved and checked, once."""
        base = self._folders.get(folder)
        if base is None:
            base = self._folders[folder] = self._inside(folder, folder=True)
        return base

    def _inside(self, relative: str, *, folder: bool = False) -> Path:
        """``relative`` resolved (symlinks followed), refused unless it lies inside the
        folder (or, for a ``folder``, is the folder itself)."""
        target = (self.root / relative).resolve()
        if not target.is_relative_to(self.root) or (target == self.root and not folder):
            raise InputError(f"{relative!r}: would be written outside the site's folder "
                             f"{self.root}")
        return target

    def write(self, relative: str, content: str | bytes) -> bool:
        """Write ``content`` at ``relative`` unless the file already holds it, and count it;
        whether it was written (see ``put``)."""
        written, stamp = self.put(relative, content)
        self.note(relative, written, stamp)
        return written

    def put(self, relative: str, content: str | bytes) -> tuple[bool, tuple[int, int]]:
        """``write`` without the counting: whether the file was written, and its (size,
        mtime_ns). The build's workers put the pages they render through their copy of the
        folder, and the build notes what they did (``note``): sending every page's HTML to
        the one process that wrote them all made it the build's bottleneck (6 GB of 400,000
        pages, each file's creation after it).

        A file is replaced by a temporary one renamed over it, so a reader never sees half
        of a page it could read before. A new file is written in place: the rename was 40% of
        writing a file here (190 against 114 µs of system time a file, creating files of 9 KB
        in turns), and a site from nothing writes 400,000 of them."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        target, info = self._place(relative)
        if info is not None and info.st_size == len(data) and _holds(target, data):
            return False, (info.st_size, info.st_mtime_ns)
        try:
            self._make_folder(os.path.dirname(target), relative.rpartition("/")[0])
            made = _create(target, data) if info is None else None
            info = made or _replace(target, data)
        except OSError as error:
            raise InputError(f"{target}: cannot write: {error.strerror or error}") from error
        return True, (info.st_size, info.st_mtime_ns)

    def note(self, relative: str, written: bool, stamp: tuple[int, int]) -> None:
        """Count the file at ``relative``, which ``put`` wrote or found unchanged."""
        self.made.add(relative)
        self.stamps[relative] = stamp
        if written:
            self.written += 1
        else:
            self.unchanged += 1

    def make_folders(self, relatives: Iterable[str]) -> None:
        """Make the folders of the files ``relatives`` before workers write them: a worker's
        copy of the folder then knows which are new, and looks for no file in them."""
        for folder in {relative.rpartition("/")[0] for relative in relatives}:
            parent = str(self._folder(folder))
            try:
                self._make_folder(parent, folder)
            except OSError as error:
                raise InputError(f"{parent}: cannot make the folder: "
                                 f"{error.strerror or error}") from error

    def _make_folder(self, parent: str, folder: str) -> None:
        """Make ``parent``, the site folder ``folder``, unless it is there already (or this
        build has made or found it)."""
        if parent in self._made_folders:
            return
        try:
            os.mkdir(parent)
        except FileExistsError:
            pass
        except FileNotFoundError:  # a folder below one still to make
            os.makedirs(parent, exist_ok=True)
        else:
            self._new_folders.add(folder)
        self._made_folders.add(parent)

    def keep(self, relative: str) -> None:
        """Count the file at ``relative`` as made by this build and left as it was (a page
        whose rendering the cache shows unchanged)."""
        self.made.add(relative)
        self.unchanged += 1

    def stamp(self, relative: str) -> tuple[int, int] | None:
        """(size, mtime_ns) of the file at ``relative``; None when there is none."""
        info = self._place(relative)[1]
        return None if info is None else (info.st_size, info.st_mtime_ns)

    def finish(self) -> None:
        """Remove the files the last build made and this one did not, and record this one's.
        Files the build never made (the user's own) are left alone."""
        manifest = self.root / MANIFEST
        try:
            before = set(manifest.read_text(encoding="utf-8").splitlines())
        except FileNotFoundError:
            before = set()
        except (OSError, UnicodeDecodeError) as error:
            raise InputError(f"{manifest}: cannot read: {error}") from error
        for relative in sorted(before - self.made):
            try:
                self.target(relative).unlink(missing_ok=True)
            except InputError:
                continue  # a hand-edited list naming a file outside: never removed
            except OSError as error:
                raise InputError(f"{self.root / relative}: cannot remove: "
                                 f"{error.strerror or error}") from error
            self.removed += 1
        if before != self.made:
            (self.root / MANIFEST).write_text("\n".join(sorted(self.made)) + "\n", "utf-8")


def _create(path: str, data: bytes) -> os.stat_result | None:
    """Write the new file ``path``; None when a file of that name (or a link) has appeared
    since it was looked for, which is then replaced as any file is. A file cut short (a
    full disk) is removed: a page is never left half-written by a failed build."""
    try:  # O_EXCL: never through a link made meanwhile, nor over a file
        descriptor = os.open(path, _NEW | os.O_EXCL, 0o666)
    except FileExistsError:
        return None
    try:
        return _written(descriptor, data)
    except OSError:
        Path(path).unlink(missing_ok=True)
        raise


def _replace(path: str, data: bytes) -> os.stat_result:
    """Replace the file ``path`` by one holding ``data``, written beside it and renamed."""
    parent, name = os.path.split(path)
    temporary = os.path.join(parent, f".{name}.tmp")
    try:
        # a rename keeps the last write's time
        info = _written(os.open(temporary, _NEW | os.O_TRUNC, 0o666), data)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        raise
    return info


def _written(descriptor: int, data: bytes) -> os.stat_result:
    """Write ``data`` to the newly opened file ``descriptor`` and close it; the file's status.
    Through the descriptor, not a file object: a buffered writer made and closed for every
    file was 6-7 of the 41 µs a new file of 9 KB took to write here."""
    try:
        view, written = memoryview(data), 0
        while written < len(data):
            written += os.write(descriptor, view[written:])
        return os.fstat(descriptor)
    finally:
        os.close(descriptor)


def _status(path: str, how: Callable[[str], os.stat_result]) -> os.stat_result | None:
    """``how(path)`` (``os.lstat`` or ``os.stat``); None when there is no such file."""
    try:
        return how(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from error


def _holds(path: str, data: bytes) -> bool:
    """Whether the file at ``path`` holds ``data`` (not when it is gone meanwhile)."""
    try:
        with open(path, "rb") as handle:
            return handle.read() == data
    except FileNotFoundError:
        return False
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from error


def json_script(name: str, data: Any) -> str:
    """A script file that sets ``window[name]`` to ``data``: a script file loads from
    ``file://``, where a browser refuses to fetch JSON. Escaped so that no text of a page can
    end the string or the script."""
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f"window[{json.dumps(name)}] = {text};\n"
