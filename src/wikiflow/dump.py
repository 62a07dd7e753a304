"""MediaWiki XML export dumps (Special:Export format): streamed reading.

Dumps can be larger than memory, so pages are read with ``iterparse`` and each ``<page>``
element is cleared once read. Tag names are matched without their XML namespace, which changes
with every export schema version (0.10, 0.11, ...).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError, iterparse

from .errors import InputError
from .names import PageName, page_name


@dataclass(frozen=True, slots=True)
class DumpPage:
    name: PageName
    text: str
    revision: int | None
    timestamp: str | None

    @property
    def hash(self) -> str:
        return hashlib.sha1(self.text.encode("utf-8")).hexdigest()


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element: Element, name: str) -> Element | None:
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def read_dump(path: Path) -> Iterator[DumpPage]:
    """Every page of a dump with its latest revision's text; ``InputError`` names bad XML."""
    try:
        for _, element in iterparse(path, events=("end",)):
            if _local(element.tag) != "page":
                continue
            page = _dump_page(element)
            element.clear()
            if page is not None:
                yield page
    except ParseError as error:
        line, column = error.position
        raise InputError(f"{path}:{line}:{column + 1}: not a valid XML dump: {error}") from error
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from error


def _dump_page(element: Element) -> DumpPage | None:
    title = _child(element, "title")
    revisions = [child for child in element if _local(child.tag) == "revision"]
    if title is None or not title.text or not revisions:
        return None
    revision = revisions[-1]
    text = _child(revision, "text")
    rev_id = _child(revision, "id")
    stamp = _child(revision, "timestamp")
    return DumpPage(page_name(title.text), text.text or "" if text is not None else "",
                    int(rev_id.text) if rev_id is not None and rev_id.text else None,
                    stamp.text if stamp is not None else None)


def is_dump(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() == ".xml"
