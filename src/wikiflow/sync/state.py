"""The sync state file: what each page looked like on the wiki when it was last pulled or pushed.

``DIR/.wikiflow/sync.json`` holds, per wiki URL (never with its login) and page, the file the
page lives in, the revision id and timestamp of the wiki's revision the local text matches (the
*base* of the next edit) and the sha1 of the local text in the form the wiki stores (see
:func:`dump.wiki_text`). Push compares a file's sha1 with it to know what changed locally, and the
revision id with the wiki's to know what changed there. A page whose push met a newer wiki
revision also records that revision as ``conflict`` until the user merges it (and deletes the
``.remote`` file).

The file is rewritten (write to a temporary file, then rename) after every saved edit, so it is
true to what the wiki holds whenever a push stops.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..files.pages import make_state_folder, write_text
from .client import Base, SyncError, parse_wiki_url

STATE_FILE = Path(".wikiflow") / "sync.json"
FORMAT = 1


def file_text(stored: str) -> str:
    """What a pulled page's file holds: the wiki's text and a final newline."""
    return f"{stored}\n" if stored else ""


def text_sha1(text: str) -> str:
    """The sha1 MediaWiki reports for a revision (``rvprop=sha1``) of this stored text."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


@dataclass(slots=True)
class Entry:
    """One page's sync state."""

    path: str
    revid: int
    timestamp: str
    sha1: str
    conflict: Base | None = None
    deleted_on_wiki: bool = False

    @property
    def base(self) -> Base:
        return Base(self.revid, self.timestamp)

    @property
    def known_revisions(self) -> tuple[int, ...]:
        """Revisions a pull has already brought here (the base, and a conflict's ``.remote``)."""
        return (self.revid,) if self.conflict is None else (self.revid, self.conflict.revid)


class SyncState:
    """The pages of one wiki in a folder's state file."""

    def __init__(self, folder: Path, url: str) -> None:
        self.path = folder / STATE_FILE
        self.url = _without_login(url)
        self._all = self._read()
        wikis = self._all.setdefault("wikis", {})
        for key in list(wikis):  # older state files kept a URL's login in its key
            wikis.setdefault(_without_login(key), wikis.pop(key))
        pages = wikis.setdefault(url, {}).setdefault("pages", {})
        self.pages: dict[str, Entry] = {key: _entry(self.path, key, data)
                                        for key, data in pages.items()}

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"format": FORMAT, "wikis": {}}
        except (OSError, ValueError) as error:
            raise InputError(f"{self.path}: cannot read the sync state: {error}") from error
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise InputError(f"{self.path}: not a wikiflow sync state (format {FORMAT})")
        return data

    def get(self, key: str) -> Entry | None:
        return self.pages.get(key)

    def __iter__(self) -> Iterator[tuple[str, Entry]]:
        return iter(list(self.pages.items()))

    def record(self, key: str, path: str, revid: int, timestamp: str, sha1: str) -> None:
        """The local text (``sha1``) now matches the wiki's revision ``revid``."""
        self.pages[key] = Entry(path, revid, timestamp, sha1)

    def conflict(self, key: str, path: str, remote: Base) -> None:
        """The wiki's revision ``remote`` went to ``path.remote`` instead of over the local file.

        A page never synced before gets an entry with no base (revision 0), so that once the
        user has merged and deleted the ``.remote`` file, ``remote`` is the base of the push.
        """
        entry = self.pages.setdefault(key, Entry(path, 0, "", ""))
        entry.conflict = remote

    def drop(self, key: str) -> None:
        self.pages.pop(key, None)

    def save(self) -> None:
        """Write the state atomically: a reader sees the old file or the new one, never half."""
        self._all["wikis"][self.url]["pages"] = {
            key: {k: v for k, v in asdict(entry).items() if v is not None and v is not False}
            for key, entry in sorted(self.pages.items())}
        try:
            make_state_folder(self.path.parent)
        except OSError as error:
            raise InputError(f"{self.path.parent}: cannot create: "
                             f"{error.strerror or error}") from error
        write_text(str(self.path), json.dumps(self._all, indent=1, ensure_ascii=False) + "\n")


def _without_login(url: str) -> str:
    """The key of a wiki: its address without a login (never stored), or ``url`` as it is
    when it is no wiki URL."""
    try:
        return parse_wiki_url(url).url
    except SyncError:
        return url


def _entry(path: Path, key: str, data: Any) -> Entry:
    try:
        conflict = data.get("conflict")
        return Entry(str(data["path"]), int(data["revid"]), str(data["timestamp"]),
                     str(data["sha1"]), Base(int(conflict["revid"]), str(conflict["timestamp"]))
                     if conflict else None, bool(data.get("deleted_on_wiki", False)))
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        raise InputError(f"{path}: page {key!r} has a broken entry ({error})") from error
