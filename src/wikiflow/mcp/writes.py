"""``write_page``: a page written into the wiki in a way that cannot break the graph.

A write is refused, with nothing written, when the page has errors (unless forced), when its
file changed since the revision the text was based on, or when the title is not a page name or
its file would land outside the wiki. Otherwise the file is replaced atomically
(``files.pages.atomic_output``) and the index updated before the call returns, all under the
index's write lock (``Wiki.writing``), which ``wikiflow index`` takes too: a write never
interleaves with an index run or another write.
"""

from __future__ import annotations

import threading
from pathlib import Path

from ..config import Config
from ..errors import InputError, WriteRefused
from ..files.layout import is_page_path, path_for_page
from ..files.pages import atomic_output
from ..graph.wiki import Wiki
from ..lint.engine import lint_source
from ..lint.rules.base import Diagnostic
from ..page.model import Severity
from ..page.names import PageName, page_name, title_error
from .models import WriteResult, findings_of
from .tools import read_page_file, revision_of, wiki_folder

#: Seconds a write waits for the write lock (an index run of a large wiki takes minutes:
#: better a clear refusal to retry than a client's call timing out).
WRITE_WAIT = 10.0
#: Writes of this process, one at a time (the file lock serialises processes).
_WRITING = threading.Lock()
#: The errors listed in a refusal; the rest are counted.
_SHOWN = 5


def write_page(wiki: Wiki, title: str, text: str, config: Config, *,
               base_revision: str | None = None, force: bool = False) -> WriteResult:
    """Write ``text`` as the page ``title`` and index it; ``WriteRefused`` says why not.

    A title without a namespace names the page ``get_page`` finds for it, else a new Workflow
    page. An existing page is replaced only when ``base_revision`` is its current revision
    (what ``get_page`` returned): another writer's change is never lost unseen.
    """
    data = _page_bytes(text)
    with _WRITING, wiki.writing(timeout=WRITE_WAIT):
        name, relative = _target(wiki, title)
        file = _inside(wiki_folder(wiki), relative)
        linted = lint_source(data, path=relative, title=name.title, config=config)
        errors = [d for d in linted.diagnostics if d.severity is Severity.ERROR]
        if errors and not force:
            raise WriteRefused(_refusal(name, errors))
        created = _check_base(wiki, name, relative, file, base_revision)
        file.parent.mkdir(parents=True, exist_ok=True)
        with atomic_output(file) as stream:
            stream.write(data)
        wiki.index_files([relative])
    warnings = [d for d in linted.diagnostics if d.severity is not Severity.ERROR]
    return WriteResult(page=name.key, path=relative, revision=revision_of(data),
                       created=created, warnings=findings_of(warnings))


def _page_bytes(text: str) -> bytes:
    """The file's bytes; refused when they could not be read back as the same page."""
    if "\0" in text:
        raise WriteRefused(f"the text holds a NUL character (at offset {text.index(chr(0))}), "
                           "which makes the file binary: it would not be read as a page")
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise WriteRefused(f"the text is not valid Unicode (a lone surrogate at offset "
                           f"{error.start}): it cannot be written as UTF-8") from None


def _target(wiki: Wiki, title: str) -> tuple[PageName, str]:
    """The page ``title`` names and its file, relative to the wiki: the file it was indexed
    from, or for a new page where the layout puts it (``layout.path_for_page``)."""
    name = page_name(title)
    problem = title_error(name.title) if name.title else "it is empty"
    if problem is not None:
        raise WriteRefused(f"{title!r} is not a valid page name: {problem}")
    found = wiki.locate(title)
    if found is not None and found.exists and found.path is not None:
        return page_name(found.key), found.path
    if not name.namespace:
        name = page_name(f"Workflow:{name.title}")
    try:
        relative = path_for_page(name)
    except InputError as error:
        raise WriteRefused(str(error)) from None
    if not is_page_path(relative):
        raise WriteRefused(f"{name.full!r} would be written to {relative!r}, which the index "
                           "does not read as a page")
    return name, relative


def _inside(folder: Path, relative: str) -> Path:
    """The file at ``relative``, refused when it resolves outside the wiki's folder (a ``..``
    or a link, of the file or a folder, leading elsewhere)."""
    file = folder / relative
    if not file.resolve().is_relative_to(folder.resolve()):  # links followed, as writes do
        raise WriteRefused(f"{relative!r} lies outside the wiki {folder}: nothing written")
    return file


def _check_base(wiki: Wiki, name: PageName, relative: str, file: Path,
                base_revision: str | None) -> bool:
    """Refuse a write not based on the file as it is now; say whether the page is new."""
    if not file.exists():
        if base_revision is not None:
            raise WriteRefused(f"{name.full!r} has no file ({relative}) any more, and the "
                               f"write was based on revision {base_revision}: nothing written")
        return True
    current = revision_of(read_page_file(wiki, relative))
    if base_revision is None:
        raise WriteRefused(f"{name.full!r} exists (revision {current}); give its revision as "
                           "base_revision (get_page returns it) to replace it")
    if base_revision != current:
        raise WriteRefused(f"{name.full!r} changed since revision {base_revision} (it is now "
                           f"{current}): nothing written; read it again with get_page")
    return False


def _refusal(name: PageName, errors: list[Diagnostic]) -> str:
    """Why a page with errors is not written: the first errors, each where and what."""
    shown = "; ".join(f"line {d.span.line}:{d.span.column} {d.code} {d.message}"
                      for d in errors[:_SHOWN])
    more = f"; and {len(errors) - _SHOWN} more" if len(errors) > _SHOWN else ""
    return (f"{name.full!r} has {len(errors)} error(s), nothing written (fix them, e.g. with "
            f"fix_page, or pass force=true): {shown}{more}")
