"""MediaWiki XML export dumps (Special:Export format): streamed reading and writing.

Dumps can be larger than memory, so pages are read with ``iterparse`` and each ``<page>``
element is cleared once read. Tag names are matched without their XML namespace, which changes
with every export schema version (0.10, 0.11, ...). Dumps are often kept compressed
(``dumpBackup.php | gzip``, the ``.xml.bz2`` files of dumps.wikimedia.org): ``.xml.gz``,
``.xml.bz2`` and ``.xml.xz`` are read as they are, decompressed while streamed.
"""

from __future__ import annotations

import hashlib
import importlib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from ..errors import InputError
from ..page.names import PageName, page_name

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element


def wiki_text(text: str) -> str:
    """``text`` as MediaWiki stores it when saved: line ends as ``\\n``, Unicode NFC, and no
    whitespace at the end of the page (MediaWiki trims it).

    Comparing local files in this form means a file that differs from the wiki only by these
    (a final newline, CRLF line ends) is not a change and makes no edit.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text).rstrip()


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
    import lzma  # here, as the XML parser and each compression: a command that reads no
    from xml.etree.ElementTree import ParseError, iterparse  # dump starts sooner without them

    try:
        with _open(path) as stream:
            for _, element in iterparse(stream, events=("end",)):
                if _local(element.tag) != "page":
                    continue
                page = _dump_page(element)
                element.clear()
                if page is not None:
                    yield page
    except ParseError as error:
        line, column = error.position
        raise InputError(f"{path}:{line}:{column + 1}: not a valid XML dump: {error}") from error
    except (OSError, EOFError, lzma.LZMAError) as error:  # EOFError: a truncated archive
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        raise InputError(f"{path}: cannot read: {reason}") from error


#: The module that opens each compression a dump may be kept in, by the suffix after ``.xml``.
_OPENERS = {".gz": "gzip", ".bz2": "bz2", ".xz": "lzma"}


def _open(path: Path) -> BinaryIO:
    opener = _OPENERS.get(path.suffix.lower())
    if opener is None:
        return open(path, "rb")
    return importlib.import_module(opener).open(path, "rb")  # type: ignore[no-any-return]


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
    """A file named as a dump: ``.xml``, or ``.xml`` then a compression's suffix."""
    suffixes = [suffix.lower() for suffix in path.suffixes[-2:]]
    named = suffixes[-1:] == [".xml"] or (suffixes[:1] == [".xml"] and suffixes[1] in _OPENERS)
    return named and path.is_file()


#: Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
EXPORT_VERSION = "0.11"
EXPORT_NAMESPACE = f"http://www.mediawiki.org/xml/export-{EXPORT_VERSION}/"


def write_dump(pages: Iterable[DumpPage], out: BinaryIO, *, generator: str = "wikiflow") -> int:
    """Write ``pages`` as a Special:Export dump (format 0.11) that ``importDump.php`` and
    Special:Import read; returns how many pages were written.

    Pages carry their title only, no ``<ns>`` or ids: the importing wiki resolves the
    ``Workflow:`` prefix with its own namespaces and numbers pages itself, so the dump does
    not depend on the namespace ids of the wiki it came from.

    Each page is one string, written at once: through ``XMLGenerator``, element by element,
    the dump took twice as long (35 writes a page). The markup is what it wrote.
    """
    # Imported here: xml.sax.saxutils loads urllib.request and http.client, a tenth of the
    # start of every command that reads the index.
    from xml.sax.saxutils import escape, quoteattr

    name = escape(generator)
    out.write(f'<?xml version="1.0" encoding="utf-8"?>\n<mediawiki xmlns='
              f'{quoteattr(EXPORT_NAMESPACE)} version={quoteattr(EXPORT_VERSION)} xml:lang="en">'
              f"<siteinfo><generator>{name}</generator><case>first-letter</case></siteinfo>"
              .encode("utf-8", "xmlcharrefreplace"))
    contributor = f"<contributor><username>{name}</username></contributor>"
    count = 0
    for page in pages:
        bad = _NOT_XML.search(page.text)
        if bad:
            line = page.text.count("\n", 0, bad.start()) + 1
            raise InputError(f"{page.name.full}: line {line}: character U+{ord(bad.group()):04X} "
                             f"cannot be written to an XML dump (nor saved by MediaWiki)")
        stamp = f"<timestamp>{escape(page.timestamp)}</timestamp>" if page.timestamp else ""
        size = len(page.text.encode("utf-8"))
        text = (f'<text xml:space="preserve" bytes="{size}">{escape(page.text)}</text>'
                if page.text else f'<text xml:space="preserve" bytes="{size}"/>')
        out.write(f"<page><title>{escape(page.name.full)}</title><revision>{stamp}{contributor}"
                  f"<model>wikitext</model><format>text/x-wiki</format>{text}</revision></page>"
                  .encode("utf-8", "xmlcharrefreplace"))
        count += 1
    out.write(b"</mediawiki>")
    return count
