"""Scanned tokens → a typed :class:`~wikiflow.model.Page`, keeping every span and never raising.

The parser works block by block: the preamble (Markdown title line, metadata table), then one
block per heading, classified against the guide's sections. What the guide defines is modelled;
everything else is kept verbatim (``Page.sections``, ``Page.extras``), so rendering loses nothing.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from datetime import datetime, timezone

from .mermaid import parse_mermaid
from .model import (
    Annotation,
    Comment,
    Diagram,
    Domain,
    Heading,
    Heuristic,
    Link,
    Markup,
    MetadataRow,
    Page,
    Problem,
    RelatedStep,
    Section,
    Severity,
    Source,
    Step,
)
from .names import fold_label
from .scan import MARKDOWN, Kind, Scan, Token, scan
from .spans import LineIndex, Span

#: Guide sections by folded heading title: (block key, expected level).
TOP_SECTIONS = {
    "overview": ("overview", 2),
    "execution steps": ("execution_steps", 2),
    "execution diagram": ("execution_diagram", 2),
    "related pages": ("related_pages", 2),
}
SUB_SECTIONS = {
    "description": ("description", 3),
    "usage": ("usage", 3),
    "tips and tricks": ("tips", 3),
}
STEP_LEVEL = 3
METADATA_ROWS = {
    "knowledge sources": "sources",
    "domains": "domains",
    "last updated": "last_updated",
}
_ROW_PROPERTY = {"sources": "source", "domains": "domain", "last_updated": "last_updated"}

_STEP_TITLE = re.compile(r"\s*step\s*(\d+)\s*(?:[:.)\-–—]\s*)?(.*?)\s*$", re.IGNORECASE)
_STEP_TAIL = re.compile(r"[ \t]*[-–—:][ \t]*Step[ \t]+(\d+)\b(.*)$", re.IGNORECASE)
_MERMAID = re.compile(r"\s*#mermaid\s*:", re.IGNORECASE)
_MARKDOWN_TITLE = re.compile(r"#+[ \t]*(?:Workflow[ \t]*:[ \t]*)?(.*?)[ \t]*$", re.IGNORECASE)
_LEADING_BLANK_LINES = re.compile(r"(?:[ \t]*\n)+")
_RESIDUE_SEPARATORS = re.compile(r"[\s,;*]+")
_MARKUP = {Kind.FENCE: "fence", Kind.MD_BOLD: "bold", Kind.MD_LINK: "link"}
_DATE_FORMATS = ("%Y-%m-%d %H:%M GMT", "%Y-%m-%d %H:%M UTC", "%Y-%m-%d %H:%M", "%Y-%m-%d")


def parse_page(source: str | bytes, title: str | None = None, *, path: str | None = None) -> Page:
    """Read a Workflow page. Never raises: what cannot be read becomes a positioned ``Problem``.

    ``source`` may be ``bytes`` (UTF-8, with or without BOM; CRLF or LF). ``title`` is the page
    name; without it, a Markdown title line (``# Workflow: X``) supplies one if present.
    ``path`` only names the input in problem messages.
    """
    text, newline, problems = decode_page(source, path)
    page = _Builder(text, title).build()
    page.newline = newline
    page.problems[:0] = problems
    return page


def decode_page(source: str | bytes, path: str | None = None) -> tuple[str, str, list[Problem]]:
    """Text with ``\\n`` line ends, the page's own line end, and any decoding problem."""
    problems: list[Problem] = []
    if isinstance(source, bytes):
        try:
            text = source.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            text = source.decode("utf-8-sig", errors="replace")
            problems.append(_encoding_problem(source, error, path))
    else:
        text = source.removeprefix("\ufeff")
    newline = "\r\n" if "\r\n" in text else "\n"
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    return text, newline, problems


def _encoding_problem(data: bytes, error: UnicodeDecodeError, path: str | None) -> Problem:
    """Say where the first non-UTF-8 byte is, in the page's own lines."""
    before = data[: error.start].decode("utf-8-sig", errors="replace")
    index = LineIndex(before)
    span = index.span(len(before), len(before) + 1)
    line, column = index.position(len(before))
    message = (
        f"{path or '<input>'} is not UTF-8: byte 0x{data[error.start]:02X} at line {line}, "
        f"column {column} cannot be decoded (is the file in another encoding such as "
        "Windows-1252 or Latin-1? re-save it as UTF-8)"
    )
    return Problem("encoding", message, span, Severity.ERROR)


def parse_date(raw: str) -> datetime | None:
    """A ``last_updated`` value as a UTC datetime; None when it is not a date at all."""
    value = raw.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).replace(tzinfo=timezone.utc)
        except ValueError:
            continue
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def clean_block(text: str) -> str:
    """A block's text without its leading blank lines and trailing white space.

    Leading spaces of the first line are kept: in wikitext they make a preformatted line.
    """
    match = _LEADING_BLANK_LINES.match(text)
    if match:
        text = text[match.end():]
    return text.rstrip()


class _Builder:
    """One parse: the text, its tokens and index, and the page being filled in."""

    def __init__(self, text: str, title: str | None) -> None:
        self.text = text
        self.index = LineIndex(text)
        self.scan: Scan = scan(text)
        self.tokens = self.scan.tokens
        self.starts = [token.start for token in self.tokens]
        self.page = Page(title=title)
        self.links: dict[int, Annotation] = {}
        self.seen: set[str] = set()
        self.anchor = "preamble"

    def span(self, start: int, end: int) -> Span:
        return self.index.span(start, end)

    def problem(self, code: str, message: str, start: int, end: int,
                severity: Severity = Severity.ERROR) -> None:
        self.page.problems.append(Problem(code, message, self.span(start, end), severity))

    # -- whole page ------------------------------------------------------------------------

    def build(self) -> Page:
        for item in self.scan.problems:
            self.problem(item.code, item.message, item.start, item.end)
        self._read_links()
        headings = [i for i, token in enumerate(self.tokens) if token.kind is Kind.HEADING]
        first = self.tokens[headings[0]].start if headings else len(self.text)
        self._preamble(0, first)
        parent = ""
        for n, i in enumerate(headings):
            heading = self.tokens[i]
            end = self.tokens[headings[n + 1]].start if n + 1 < len(headings) else len(self.text)
            parent = self._block(heading, _body_start(self.text, heading.end), end, parent)
        return self.page

    def _read_links(self) -> None:
        """Every link, comment and Markdown construct read once, in page order."""
        page = self.page
        text = self.text
        for token in self.tokens:
            kind = token.kind
            if kind is Kind.LINK:
                annotation = self._annotation(token)
                if annotation is not None:
                    self.links[token.start] = annotation
                    page.annotations.append(annotation)
                else:
                    target, _, caption = text[token.inner[0]:token.inner[1]].partition("|")
                    page.links.append(Link(target.strip(), caption if _ else None,
                                           self.span(token.start, token.end)))
            elif kind is Kind.COMMENT:
                page.comments.append(Comment(text[token.inner[0]:token.inner[1]],
                                             self.span(token.start, token.end)))
            elif kind in MARKDOWN:
                page.markdown.append(Markup(_MARKUP[kind], self.span(token.start, token.end)))

    def _annotation(self, token: Token) -> Annotation | None:
        """SMW's in-text rules: ``[[p::v|caption]]``; ``[[p::]]`` is no annotation."""
        inner = self.text[token.inner[0]:token.inner[1]]
        prop, sep, rest = inner.partition("::")
        if not sep or "|" in prop or "[" in prop or not prop.strip():
            return None
        parts = tuple(rest.split("|"))
        value = parts[0].strip()
        if not value:
            return None
        caption = parts[1] if len(parts) > 1 else None
        return Annotation(prop.strip(), value, caption, parts, self.span(token.start, token.end))

    def tokens_in(self, start: int, end: int) -> list[Token]:
        return self.tokens[bisect_left(self.starts, start):bisect_left(self.starts, end)]

    # -- preamble and metadata -------------------------------------------------------------

    def _preamble(self, start: int, end: int) -> None:
        tokens = self.tokens_in(start, end)
        table = next((t for t in tokens if t.kind is Kind.TABLE_OPEN), None)
        self._markdown_title(tokens)
        if table is None:
            self._extra("preamble", start, end)
            return
        self._extra("preamble", start, table.start)
        table_end = self._metadata(table, end)
        self._extra("after_metadata", table_end, end)

    def _markdown_title(self, tokens: list[Token]) -> None:
        """A first line ``# Workflow: X`` (Markdown; in wikitext a numbered list item)."""
        first = next((t for t in tokens if t.kind is not Kind.TEXT
                      or self.text[t.start:t.end].strip()), None)
        if first is None or first.kind is not Kind.LIST_ITEM or self.text[first.start] != "#":
            return
        line_end = _line_end(self.text, first.start)
        self.page.markdown.insert(0, Markup("title", self.span(first.start, line_end)))
        match = _MARKDOWN_TITLE.match(self.text, first.start, line_end)
        if self.page.title is None and match and match.group(1):
            self.page.title = match.group(1)

    def _metadata(self, table: Token, limit: int) -> int:
        """Read the metadata table's rows; return where the table ends."""
        tokens = self.tokens_in(table.start, limit)
        close = next((t for t in tokens if t.kind is Kind.TABLE_CLOSE), None)
        end = close.end if close else limit
        if close is None:
            self.problem("unclosed-table", "the metadata table '{|' is never closed by '|}'",
                         table.start, table.end)
        self.page.spans["metadata"] = self.span(table.start, end)
        self.page.table_attributes = self.text[table.start:table.end].strip()[2:].strip()
        markers = [t for t in tokens if t.kind in (Kind.TABLE_ROW, Kind.TABLE_HEADER,
                                                   Kind.TABLE_CELL) and t.start < end]
        header: Token | None = None
        for n, marker in enumerate(markers):
            stop = markers[n + 1].start if n + 1 < len(markers) else (close.start if close else end)
            if marker.kind is Kind.TABLE_HEADER:
                header = marker
                header_range = (marker.end, stop)
            elif marker.kind is Kind.TABLE_CELL:
                name = self.text[header_range[0]:header_range[1]].strip() if header else ""
                self._metadata_row(name, header.start if header else marker.start,
                                   marker.end, stop)
                header = None
        return end

    def _metadata_row(self, header: str, row_start: int, start: int, end: int) -> None:
        key = METADATA_ROWS.get(fold_label(header))
        if key is None or key in self.seen:
            if key is not None:
                self.problem("duplicate-metadata-row",
                             f"the metadata table has a second '{header}' row", row_start, end)
            value = self.text[start:end].strip()
            self.page.metadata_rows.append(MetadataRow(header, value, self.span(row_start, end)))
            return
        self.seen.add(key)
        self.page.spans[key] = self.span(row_start, end)
        wanted = _ROW_PROPERTY[key]
        residue: list[str] = []
        for token in self.tokens_in(start, end):
            annotation = self.links.get(token.start) if token.kind is Kind.LINK else None
            if annotation is not None and annotation.prop == wanted:
                if not self._metadata_value(key, annotation):
                    residue.append(self.text[token.start:token.end])
            elif token.kind is not Kind.LIST_ITEM:
                residue.append(self.text[max(token.start, start):min(token.end, end)])
        leftover = _RESIDUE_SEPARATORS.sub(" ", "".join(residue)).strip()
        if leftover:
            self.page.extras[f"meta:{key}"] = leftover

    def _metadata_value(self, key: str, annotation: Annotation) -> bool:
        """Model one annotation of a metadata row; False when the row already has its value."""
        page = self.page
        if key == "sources":
            parts = [part.strip() for part in annotation.parts]
            page.sources.append(Source(parts[0], parts[1] if len(parts) > 1 else "",
                                       "|".join(parts[2:]), annotation.span))
        elif key == "domains":
            page.domains.append(Domain(annotation.value, annotation.span))
        elif page.last_updated_raw is not None:
            return False
        else:
            page.last_updated_raw = annotation.value
            page.last_updated = parse_date(annotation.value)
            page.spans["last_updated_value"] = annotation.span
        return True

    # -- sections --------------------------------------------------------------------------

    def _block(self, heading: Token, start: int, end: int, parent: str) -> str:
        """Model one heading's block; return the level-2 parent key for the headings after it."""
        title = self.text[heading.inner[0]:heading.inner[1]].strip()
        key, expected = self._classify(title, heading.level, parent)
        if key is not None and key != "step" and key in self.seen:
            self.problem("duplicate-section", f"section '{title}' appears more than once; "
                         "the later one is kept as written", heading.start, heading.end)
            key = None
        self.page.headings.append(Heading(heading.level, title, key,
                                          self.span(heading.start, heading.end)))
        if key is not None and heading.level != expected:
            self.problem("section-level", f"'{self.text[heading.start:heading.end].strip()}' is "
                         f"a level-{heading.level} heading; the guide puts '{title}' at level "
                         f"{expected}", heading.start, heading.end, Severity.WARNING)
        if key is None:
            self._unknown(title, heading, start, end)
        elif key == "step":
            self._step(title, heading, start, end)
        else:
            self.seen.add(key)
            self.anchor = key
            self.page.spans[key] = self.span(heading.start, end)
            getattr(self, f"_{key}")(start, end)
        # Only the guide's own level-2 sections change the context: a stray "== Notes ==" among
        # the steps does not stop the next "=== Step N ===" from being a step.
        if heading.level <= 2 and key is not None:
            return key
        return parent

    def _classify(self, title: str, level: int, parent: str) -> tuple[str | None, int]:
        folded = fold_label(title)
        if parent == "execution_steps" and level > 2 and _STEP_TITLE.match(title):
            return "step", STEP_LEVEL
        if folded == "execution steps" and parent == "related_pages" and level > 2:
            return "related_steps", 3
        known = TOP_SECTIONS.get(folded) or SUB_SECTIONS.get(folded)
        return known if known else (None, 0)

    def _unknown(self, title: str, heading: Token, start: int, end: int) -> None:
        body = clean_block(self.text[start:end])
        self.page.sections.append(Section(title, heading.level, body, self.anchor,
                                          self.span(heading.start, end)))

    def _text_field(self, name: str, start: int, end: int) -> None:
        setattr(self.page, name, clean_block(self.text[start:end]))

    def _overview(self, start: int, end: int) -> None:
        self._text_field("overview", start, end)

    def _description(self, start: int, end: int) -> None:
        self._text_field("description", start, end)

    def _usage(self, start: int, end: int) -> None:
        self._text_field("usage", start, end)

    def _execution_steps(self, start: int, end: int) -> None:
        self._extra("execution_steps", start, end)

    def _extra(self, key: str, start: int, end: int) -> None:
        text = clean_block(self.text[start:end])
        if text:
            previous = self.page.extras.get(key)
            self.page.extras[key] = f"{previous}\n\n{text}" if previous else text

    # -- steps -----------------------------------------------------------------------------

    def _step(self, title: str, heading: Token, start: int, end: int) -> None:
        match = _STEP_TITLE.match(title)
        assert match is not None  # _classify checked it
        number, name = int(match.group(1)), match.group(2)
        link = next((self.links[t.start] for t in self.tokens_in(start, end)
                     if t.kind is Kind.LINK and t.start in self.links
                     and self.links[t.start].prop == "step"), None)
        step = Step(number, name, None, clean_block(self.text[start:end]), False,
                    self.span(heading.start, end), self.span(heading.start, heading.end))
        if link is not None and link.span is not None:
            step.target, step.link_span = link.value, link.span
            line_end = _line_end(self.text, link.span.end)
            alone = (not self.text[start:link.span.start].strip()
                     and not self.text[link.span.end:line_end].strip())
            if alone and link.caption is None:
                step.link_first = True
                step.body = clean_block(self.text[line_end:end])
        self.anchor = f"step:{len(self.page.steps)}"
        self.page.steps.append(step)

    # -- diagram ---------------------------------------------------------------------------

    def _execution_diagram(self, start: int, end: int) -> None:
        rest = start
        for token in self.tokens_in(start, end):
            if token.kind is not Kind.TEMPLATE:
                continue
            opener = _MERMAID.match(self.text, token.inner[0], token.inner[1])
            if opener is None:
                continue
            if self.page.diagram is not None:
                self.problem("extra-diagram", "a second {{#mermaid:}} diagram; the guide expects "
                             "exactly one (kept as written)", token.start, token.end)
                continue
            self._extra("execution_diagram", rest, token.start)
            rest = token.end
            self.page.diagram = self._diagram(token, opener.end())
        self._extra("execution_diagram", rest, end)

    def _diagram(self, token: Token, source_start: int) -> Diagram:
        source = self.text[source_start:token.inner[1]]
        diagram = parse_mermaid(source, source_start, self.index)
        diagram.span = self.span(token.start, token.end)
        self.page.problems.extend(diagram.problems)
        return diagram

    # -- related pages ---------------------------------------------------------------------

    def _related_pages(self, start: int, end: int) -> None:
        self._list_block("related_pages", start, end)

    def _related_steps(self, start: int, end: int) -> None:
        self._list_block("related_steps", start, end)

    def _tips(self, start: int, end: int) -> None:
        self._list_block("tips", start, end)

    def _list_block(self, key: str, start: int, end: int) -> None:
        """Step and heuristic items become model entries; any other line stays as written."""
        others: list[str] = []
        line_start = start
        while line_start < end:
            line_end = min(_line_end(self.text, line_start), end)
            if not self._list_item(line_start, line_end):
                line = self.text[line_start:line_end]
                if line.strip():
                    others.append(line.rstrip())
            line_start = line_end + 1
        if others:
            self.page.extras[key] = "\n".join(others)

    def _list_item(self, start: int, end: int) -> bool:
        tokens = self.tokens_in(start, end)
        if (len(tokens) < 2 or tokens[0].kind is not Kind.LIST_ITEM or tokens[0].level != 1
                or self.text[start] != "*" or tokens[1].kind is not Kind.LINK):
            return False
        annotation = self.links.get(tokens[1].start)
        if annotation is None or annotation.caption is not None:
            return False
        tail = self.text[tokens[1].end:end].rstrip()
        if any(t.kind is not Kind.TEXT for t in tokens[2:]):
            return False
        span = self.span(start, end)
        if annotation.prop == "step":
            match = _STEP_TAIL.match(tail)
            if match:
                item = RelatedStep(annotation.value, int(match.group(1)), match.group(2), span)
            else:
                item = RelatedStep(annotation.value, None, tail, span)
            self.page.related_steps.append(item)
            return True
        if annotation.prop == "uses_heuristic":
            self.page.heuristics.append(Heuristic(annotation.value, tail, span))
            return True
        return False


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end == -1 else end


def _body_start(text: str, heading_end: int) -> int:
    """A block's body starts on the line after its heading."""
    return heading_end + 1 if text.startswith("\n", heading_end) else heading_end


__all__ = ["parse_page", "decode_page", "parse_date", "clean_block"]
