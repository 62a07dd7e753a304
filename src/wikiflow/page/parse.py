"""Scanned tokens → a typed :class:`~wikiflow.page.model.Page`, keeping every span and never raising.

The parser works block by block: the preamble (Markdown title line, metadata table), then one
block per heading, classified against the guide's sections. What the guide defines is modelled;
everything else is kept verbatim (``Page.sections``, ``Page.extras``), so rendering loses nothing.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

from .decode import decode_page
from .mermaid import parse_mermaid
from .outline import STEP_LEVEL, STEP_TITLE, classify_heading, fold_title
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
from .scan import MARKDOWN, Kind, Scan, Token, scanned
from .smw import Reading, read_link
from .spans import LineIndex, Span

METADATA_ROWS = {
    "knowledge sources": "sources",
    "domains": "domains",
    "last updated": "last_updated",
}
_ROW_PROPERTY = {"sources": "source", "domains": "domain", "last_updated": "last_updated"}

# Reads a stripped line to its end: a lazy group before a trailing "\s*$" was quadratic in a
# long run of blanks inside it (as STEP_TITLE).
_STEP_TAIL = re.compile(r"[ \t]*[-–—:][ \t]*Step[ \t]+(\d+)\b(.*)$", re.IGNORECASE)
_MERMAID = re.compile(r"\s*#mermaid\s*:", re.IGNORECASE)
_MARKDOWN_TITLE = re.compile(r"#+[ \t]*(?:Workflow[ \t]*:[ \t]*)?(.*)", re.IGNORECASE)
_LEADING_BLANK_LINES = re.compile(r"(?:[ \t]*\n)+")
#: What opens a construct at a line start: a list item, a table marker, a heading, a
#: preformatted line. Text the parser read elsewhere must not be written back at a line start
#: beginning with one.
LINE_OPENERS = ("*", "#", ":", ";", "|", "!", "=", " ", "\t", "{|", "```")
_RESIDUE_SEPARATORS = re.compile(r"[\s,;*]+")
_MARKUP = {Kind.FENCE: "fence", Kind.MD_BOLD: "bold", Kind.MD_LINK: "link"}
# Kinds as globals, and tuples rather than sets of them: ``Kind.LINK`` costs about 70 ns on
# Python 3.11 and hashing a member about 150, a global 10; the builder tests every token's kind
# (``bench/bench_parse.py``).
_TEXT, _LINK, _LIST_ITEM, _HEADING, _COMMENT, _TEMPLATE = (
    Kind.TEXT, Kind.LINK, Kind.LIST_ITEM, Kind.HEADING, Kind.COMMENT, Kind.TEMPLATE)
_TABLE_OPEN, _TABLE_CLOSE, _TABLE_HEADER, _TABLE_CELL = (
    Kind.TABLE_OPEN, Kind.TABLE_CLOSE, Kind.TABLE_HEADER, Kind.TABLE_CELL)
_TABLE_MARKERS = (Kind.TABLE_ROW, Kind.TABLE_HEADER, Kind.TABLE_CELL)
_MARKDOWN = tuple(MARKDOWN)
_ANNOTATION = Reading.ANNOTATION
# The guide's forms, with or without the time, read by ``fromisoformat`` (0.1 µs) rather than
# ``strptime``, which takes 5 µs and 30 for a date alone after two formats failed: a tenth of
# a parse (``bench/bench_parse.py``). What it reads, the formats below read the same.
_GUIDE_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?: [0-9]{2}:[0-9]{2} GMT)?")
_DATE_FORMATS = ("%Y-%m-%d %H:%M GMT", "%Y-%m-%d %H:%M UTC", "%Y-%m-%d %H:%M", "%Y-%m-%d")


def parse_page(source: str | bytes, title: str | None = None, *, path: str | None = None,
               diagram: bool = True) -> Page:
    """Read a Workflow page. Never raises: what cannot be read becomes a positioned ``Problem``.

    ``source`` may be ``bytes`` (UTF-8, with or without BOM; CRLF or LF). ``title`` is the page
    name; without it, a Markdown title line (``# Workflow: X``) supplies one if present.
    ``path`` only names the input in problem messages. ``diagram=False`` leaves the Mermaid
    flowchart unread (``page.diagram`` stays None, with no problems of its own; everything else
    is read alike): the index stores no diagram, and reading one is an eighth of a Workflow
    page's parse. Spans are offsets into the text ``decode_page`` gives for ``source``.
    """
    text, newline, problems = decode_page(source, path)
    page = parse_text(text, title, diagram=diagram)
    page.newline = newline
    page.problems[:0] = problems
    return page


def parse_text(text: str, title: str | None = None, *, diagram: bool = True) -> Page:
    """Read text that ``decode_page`` gave, as it is: its spans are offsets into ``text``.

    Callers that edit the text at the page's spans (the fix loop, ``fmt``) decode once and
    parse this way, so that the spans and the edits index the same string.
    """
    return _Builder(text, title, diagram).build()


def parse_date(raw: str) -> datetime | None:
    """A ``last_updated`` value as a UTC datetime; None when it is not a date at all."""
    value = raw.strip()
    if _GUIDE_DATE.fullmatch(value):
        try:
            return datetime.fromisoformat(value[:16]).replace(tzinfo=timezone.utc)
        except ValueError:  # no such day or time: the formats below fail alike
            pass
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
    """A block's text without its leading blank lines and trailing white space; leading
    spaces of the first line are kept (in wikitext they make a preformatted line)."""
    # Most blocks start with a word: only a blank start needs the pattern.
    match = _LEADING_BLANK_LINES.match(text) if text[:1].isspace() else None
    if match:
        text = text[match.end():]
    return text.rstrip()


class _Builder:
    """One parse: the text, its tokens and index, and the page being filled in.

    Blocks are handed token index ranges worked out once from the headings, so no step searches
    the token list by offset; the hot paths build spans and name kinds through globals directly
    (``bench/bench_parse.py``: the builder was two thirds of a parse).
    """

    def __init__(self, text: str, title: str | None, diagram: bool = True) -> None:
        self.text = text
        self.read_diagram = diagram
        self.diagram_found = False
        self.index = LineIndex(text)
        self.scan: Scan = scanned(text)
        self.tokens = self.scan.tokens
        self.page = Page(title=title)
        self.links: dict[int, Annotation] = {}  # by token start
        self.list_items: dict[int, int] = {}  # token index by start
        self.headings: list[int] = []  # token indices
        self.seen: set[str] = set()
        self.anchor = "preamble"
        self.annotating = True  # until a [[SMW::off]]

    def problem(self, code: str, message: str, start: int, end: int,
                severity: Severity = Severity.ERROR) -> None:
        self.page.problems.append(Problem(code, message, Span(start, end, self.index), severity))

    def start_of(self, i: int) -> int:
        """Where token ``i`` starts; the end of the text past the last token."""
        return self.tokens[i].start if i < len(self.tokens) else len(self.text)

    # -- whole page ------------------------------------------------------------------------

    def build(self) -> Page:
        for item in self.scan.problems:
            self.problem(item.code, item.message, item.start, item.end)
        self._read_tokens()
        bounds = [*self.headings, len(self.tokens)]
        self._preamble(range(bounds[0]), self.start_of(bounds[0]))
        parent = ""
        for i, stop in zip(bounds, bounds[1:]):
            parent = self._block(i, stop, parent)
        return self.page

    def _read_tokens(self) -> None:
        """Every link, comment and Markdown construct read once, in page order; headings and
        list items noted for the blocks. The kinds are tested most frequent first, and a link
        is read here, not by a method: this loop sees every token (``bench/bench_parse.py``)."""
        page, text, index, reading_of = self.page, self.text, self.index, self._reading
        list_items, headings = self.list_items, self.headings
        for i, token in enumerate(self.tokens):
            kind = token.kind
            if kind is _TEXT:
                continue
            if kind is _LIST_ITEM:
                list_items[token.start] = i
            elif kind is _LINK:  # what SMW makes of it (``page.smw``), its value's first
                start, stop = token.inner
                reading = read_link(text[start:stop])
                for leaf_start, leaf_end, leaf in reading.inner:
                    reading_of(leaf, start + leaf_start, start + leaf_end)
                reading_of(reading, token.start, token.end)
            elif kind is _HEADING:
                headings.append(i)
            elif kind is _COMMENT:
                page.comments.append(Comment(text[token.inner[0]:token.inner[1]],
                                             Span(token.start, token.end, index)))
            elif kind in _MARKDOWN:
                page.markdown.append(Markup(_MARKUP[kind], Span(token.start, token.end, index)))

    def _reading(self, reading: Reading, begin: int, end: int) -> None:
        """Model the reading of ``text[begin:end]``; no facts after a ``[[SMW::off]]``."""
        kind, index, inner = reading.kind, self.index, begin + 2
        span = Span(begin, end, index)
        if kind is _ANNOTATION:  # the usual reading, tested first
            if self.annotating:
                for name in reading.names:
                    annotation = Annotation(name.name, reading.value, reading.caption,
                                            reading.parts, span,
                                            Span(inner + name.start, inner + name.end, index))
                    self.links.setdefault(begin, annotation)
                    self.page.annotations.append(annotation)
        elif kind is Reading.LINK:
            target, bar, caption = self.text[inner:end - 2].partition("|")
            self.page.links.append(Link(target.strip(), caption if bar else None, span,
                                        Span(inner, inner + len(target), index)))
        elif kind is Reading.SWITCH and reading.switch_on is not None:
            self.annotating = reading.switch_on
        elif kind is Reading.PROPERTY_LINK and reading.caption != "#":
            name = reading.names[0]
            self.page.links.append(Link(f"Property:{name.name}", reading.caption, span,
                                        Span(inner + name.start, inner + name.end, index)))
        elif kind is Reading.REFUSED and self.annotating:
            self.problem("annotation-refused", f"Semantic MediaWiki stores nothing for "
                         f"'{reading.names[0].name}': {reading.reason}", begin, end)

    # -- preamble and metadata -------------------------------------------------------------

    def _preamble(self, indices: range, end: int) -> None:
        tokens = self.tokens
        table = next((i for i in indices if tokens[i].kind is _TABLE_OPEN), None)
        self._markdown_title(indices)
        if table is None:
            self._extra("preamble", 0, end)
            return
        self._extra("preamble", 0, tokens[table].start)
        table_end = self._metadata(range(table, indices.stop), end)
        line_end = self.text.find("\n", table_end, end)  # text after "|}" on its line stays:
        tail = self.text[table_end:end if line_end < 0 else line_end].strip()  # "=== X ==" alone
        self._extra("meta:tail" if tail else "after_metadata", table_end, end)  # is a heading

    def _markdown_title(self, indices: range) -> None:
        """A first line ``# Workflow: X`` (Markdown; in wikitext a numbered list item)."""
        text = self.text
        first = next((t for t in map(self.tokens.__getitem__, indices)
                      if t.kind is not _TEXT or text[t.start:t.end].strip()), None)
        if first is None or first.kind is not _LIST_ITEM or text[first.start] != "#":
            return
        line_end = _line_end(text, first.start)
        self.page.markdown.insert(0, Markup("title", Span(first.start, line_end, self.index)))
        match = _MARKDOWN_TITLE.match(text, first.start, line_end)
        title = match and match.group(1).rstrip(" \t")
        if self.page.title is None and title:
            self.page.title = title

    def _metadata(self, indices: range, limit: int) -> int:
        """Read the metadata table's rows (``indices`` start at its '{|'); return where it ends."""
        tokens, text = self.tokens, self.text
        table = tokens[indices.start]
        close, markers = self._table_markers(indices)
        end = tokens[close].end if close is not None else limit
        if close is None:
            self.problem("unclosed-table", "the metadata table '{|' is never closed by '|}'",
                         table.start, table.end)
        self.page.spans["metadata"] = Span(table.start, end, self.index)
        self.page.table_attributes = text[table.start:table.end].strip()[2:].strip()
        stop = indices.stop if close is None else close
        # Lines that belong to no cell (before the first row, after a '|-' line): MediaWiki
        # shows them above the table and SMW stores their annotations, so they are kept.
        stray = [text[table.end:self.start_of(markers[0] if markers else stop)]]
        header: Token | None = None
        for marker, following in zip(markers, [*markers[1:], stop]):
            token = tokens[marker]
            if header is not None and token.kind is not _TABLE_CELL:
                self._header_only(header, name_end, marker)
                header = None
            if token.kind is _TABLE_HEADER:
                header = token
                name_end = self.start_of(following)
            elif token.kind is _TABLE_CELL:
                name = text[header.end:name_end].strip() if header else ""
                self._metadata_row(name, header.start if header else token.start,
                                   range(marker + 1, following))
                header = None
            else:
                stray.append(text[token.end:self.start_of(following)])
        if header is not None:
            self._header_only(header, name_end, stop)
        kept = "\n".join(block for block in map(clean_block, stray) if block)
        if kept:
            self.page.extras["meta:stray"] = kept
        return end

    def _table_markers(self, indices: range) -> tuple[int | None, list[int]]:
        """The table's '|}' (None without one) and its markers before it, in one pass."""
        tokens, markers = self.tokens, []
        for i in range(indices.start + 1, indices.stop):
            if (kind := tokens[i].kind) is _TABLE_CLOSE:
                return i, markers
            if kind in _TABLE_MARKERS:
                markers.append(i)
        return None, markers

    def _header_only(self, header: Token, name_end: int, following: int) -> None:
        """A header cell with no data cell after it: a row with an empty value, so that its
        text (and any annotation in it) is kept."""
        name = self.text[header.end:name_end].strip()
        self._metadata_row(name, header.start, range(following, following))

    def _metadata_row(self, header: str, row_start: int, indices: range) -> None:
        """One row; ``indices`` are the tokens of its cell, after the '|'."""
        tokens, text = self.tokens, self.text
        start, end = tokens[indices.start - 1].end, self.start_of(indices.stop)
        key = METADATA_ROWS.get(fold_title(header))
        if key is None or key in self.seen:
            if key is not None:
                self.problem("duplicate-metadata-row",
                             f"the metadata table has a second '{header}' row", row_start, end)
            value = text[start:end].strip()
            self.page.metadata_rows.append(MetadataRow(header, value,
                                                       Span(row_start, end, self.index)))
            return
        self.seen.add(key)
        self.page.spans[key] = Span(row_start, end, self.index)
        wanted = _ROW_PROPERTY[key]
        residue: list[str] = []  # verbatim tokens, and the text between them as one string
        between: list[str] = []
        for token in map(tokens.__getitem__, indices):
            annotation = self.links.get(token.start) if token.kind is _LINK else None
            if annotation is not None and annotation.prop == wanted \
                    and self._metadata_value(key, annotation):
                between.append(" ")  # modelled: a blank keeps its neighbours apart
            elif token.kind is _LIST_ITEM:
                between.append(" ")
            elif token.kind is _TEXT:
                between.append(text[token.start:token.end])
            else:
                residue.append(_residue_text("".join(between)))
                residue.append(text[token.start:token.end])  # a link, comment…: as written
                between.clear()
        residue.append(_residue_text("".join(between)))
        leftover = "".join(residue).strip()
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

    def _block(self, i: int, stop: int, parent: str) -> str:
        """Model the block of the heading at token ``i`` (its tokens end at ``stop``); return
        the level-2 parent key for the headings after it."""
        tokens, text = self.tokens, self.text
        heading = tokens[i]
        level = heading.level
        title = text[heading.inner[0]:heading.inner[1]].strip()
        # The body starts on the line after the heading (which ends at its line's end); the token
        # holding that new line is not among the body's.
        start = min(heading.end + 1, len(text))
        end = tokens[stop].start if stop < len(tokens) else len(text)
        first = i + 2 if i + 1 < stop and tokens[i + 1].start < start else i + 1
        body = range(first, stop)
        step = self._step_heading(title, level, parent, body)
        key, expected = ("step", STEP_LEVEL) if step else classify_heading(title, level, parent)
        if key is not None and key != "step" and key in self.seen:
            self.problem("duplicate-section", f"section '{title}' appears more than once; "
                         "the later one is kept as written", heading.start, heading.end)
            key = None
        self.page.headings.append(Heading(level, title, key,
                                          Span(heading.start, heading.end, self.index)))
        if key is not None and level != expected:
            self.problem("section-level", f"'{text[heading.start:heading.end].strip()}' is "
                         f"a level-{level} heading; the guide puts '{title}' at level "
                         f"{expected}", heading.start, heading.end, Severity.WARNING)
        if step:
            self._step(*step, heading, start, end, body)
        elif key is None:
            self._unknown(title, heading, start, end)
        else:
            self.seen.add(key)
            self.anchor = key
            self.page.spans[key] = Span(heading.start, end, self.index)
            _BLOCK_READERS[key](self, start, end, body)
        # Only the guide's own level-2 sections change the context: a stray "== Notes ==" (or a
        # "== Step 2 ==" at the wrong level) among the steps does not stop the next
        # "=== Step N ===" from being a step.
        if level <= 2 and key not in (None, "step"):
            return key
        return parent

    def _step_heading(self, title: str, level: int, parent: str,
                      body: range) -> tuple[int | None, str] | None:
        """(number, name) of a step heading among the Execution Steps, else None: ``Step N:
        Name`` at any level (a wrong one is ``section-level``'s), or a sub-heading that carries
        a step link and is no guide section (``step-number-missing``). Read as unknown sections,
        both left a numbering error further down and the step out of the graph."""
        if parent != "execution_steps" or level < 2:
            return None
        if numbered := STEP_TITLE.match(title):
            return int(numbered.group(1)), numbered.group(2)
        linked = level > 2 and title and classify_heading(title, level, parent)[0] is None \
            and self._step_link(body) is not None
        return (None, title) if linked else None

    def _unknown(self, title: str, heading: Token, start: int, end: int) -> None:
        body = clean_block(self.text[start:end])
        self.page.sections.append(Section(title, heading.level, body, self.anchor,
                                          Span(heading.start, end, self.index)))

    def _text_field(self, name: str, start: int, end: int) -> None:
        setattr(self.page, name, clean_block(self.text[start:end]))

    def _overview(self, start: int, end: int, body: range) -> None:
        self._text_field("overview", start, end)

    def _description(self, start: int, end: int, body: range) -> None:
        self._text_field("description", start, end)

    def _usage(self, start: int, end: int, body: range) -> None:
        self._text_field("usage", start, end)

    def _execution_steps(self, start: int, end: int, body: range) -> None:
        self._extra("execution_steps", start, end)

    def _extra(self, key: str, start: int, end: int) -> None:
        text = clean_block(self.text[start:end])
        if text:
            previous = self.page.extras.get(key)
            self.page.extras[key] = f"{previous}\n\n{text}" if previous else text

    # -- steps -----------------------------------------------------------------------------

    def _step(self, number: int | None, name: str, heading: Token, start: int, end: int,
              body: range) -> None:
        text = self.text
        link = self._step_link(body)
        body_start = start
        if link is not None and link.span is not None and link.caption is None:
            line_end = _line_end(text, link.span.end)
            if not text[start:link.span.start].strip() and not text[link.span.end:line_end].strip():
                body_start = line_end  # the link has its line to itself: the body follows it
        self.anchor = f"step:{len(self.page.steps)}"
        if number is None:
            self.problem("step-number-missing", f"'{text[heading.start:heading.end].strip()}' "
                         "carries a step link but no 'Step N:' in its heading",
                         heading.start, heading.end)
        self.page.steps.append(Step(
            number, name, link and link.value,
            clean_block(text[body_start:end]), body_start != start,
            Span(heading.start, end, self.index), Span(heading.start, heading.end, self.index),
            link and link.span))

    def _step_link(self, body: range) -> Annotation | None:
        """The block's first ``[[step::…]]``."""
        for token in map(self.tokens.__getitem__, body):
            if token.kind is _LINK:
                annotation = self.links.get(token.start)
                if annotation is not None and annotation.prop == "step":
                    return annotation
        return None

    # -- diagram ---------------------------------------------------------------------------

    def _execution_diagram(self, start: int, end: int, body: range) -> None:
        rest = start
        for token in map(self.tokens.__getitem__, body):
            if token.kind is not _TEMPLATE:
                continue
            opener = _MERMAID.match(self.text, token.inner[0], token.inner[1])
            if opener is None:
                continue
            if self.diagram_found:
                self.problem("extra-diagram", "a second {{#mermaid:}} diagram; the guide expects "
                             "exactly one (kept as written)", token.start, token.end)
                continue
            self.diagram_found = True
            self._extra("execution_diagram", rest, token.start)
            rest = token.end
            if self.read_diagram:
                self.page.diagram = self._diagram(token, opener.end())
        self._extra("execution_diagram", rest, end)

    def _diagram(self, token: Token, source_start: int) -> Diagram:
        source = self.text[source_start:token.inner[1]]
        diagram = parse_mermaid(source, source_start, self.index)
        diagram.span = Span(token.start, token.end, self.index)
        self.page.problems.extend(diagram.problems)
        return diagram

    # -- related pages ---------------------------------------------------------------------

    def _related_pages(self, start: int, end: int, body: range) -> None:
        self._list_block("related_pages", start, end)

    def _related_steps(self, start: int, end: int, body: range) -> None:
        self._list_block("related_steps", start, end)

    def _tips(self, start: int, end: int, body: range) -> None:
        self._list_block("tips", start, end)

    def _list_block(self, key: str, start: int, end: int) -> None:
        """Step and heuristic items become model entries; any other line stays as written."""
        others: list[str] = []
        line_start = start
        for line in self.text[start:end].split("\n"):
            line_end = line_start + len(line)
            if not (line.startswith("*") and self._list_item(line_start, line_end)):
                if line.strip():
                    others.append(line.rstrip())
            line_start = line_end + 1
        if others:
            self.page.extras[key] = "\n".join(others)

    def _list_item(self, start: int, end: int) -> bool:
        """``* [[step::X]] tail`` or ``* [[uses_heuristic::Y]] tail``: a level-1 "*" item, then
        the annotation, then only text up to the end of the line."""
        tokens = self.tokens
        i = self.list_items.get(start)
        if i is None or tokens[i].level != 1 or i + 1 == len(tokens):
            return False
        link = tokens[i + 1]
        annotation = self.links.get(link.start) if link.kind is _LINK else None
        if link.start >= end or annotation is None or annotation.caption is not None:
            return False
        # Text tokens never touch, so a second token after the link is another construct.
        for follower in tokens[i + 2:i + 4]:
            if follower.start < end and follower.kind is not _TEXT:
                return False
        prop = annotation.prop
        tail = self.text[link.end:end].rstrip()
        if prop == "step":
            match = _STEP_TAIL.match(tail)
            if match:
                item = RelatedStep(annotation.value, int(match.group(1)), match.group(2),
                                   Span(start, end, self.index))
            else:
                item = RelatedStep(annotation.value, None, tail, Span(start, end, self.index))
            self.page.related_steps.append(item)
            return True
        if prop == "uses_heuristic":
            self.page.heuristics.append(Heuristic(annotation.value, tail,
                                                  Span(start, end, self.index)))
            return True
        return False


#: How each guide block is read, by key (a step is read by ``_Builder._step``).
_BLOCK_READERS = {key: getattr(_Builder, f"_{key}") for key in (
    "overview", "description", "usage", "execution_steps", "execution_diagram", "related_pages",
    "related_steps", "tips")}


def _residue_text(text: str) -> str:
    """Text of a metadata cell besides its modelled annotations, separators (blanks, commas,
    bullets) folded to one blank. A line end after a line that opens a link and does not close
    it stays: joined to the next line, ``[[domain::`` and ``LLMs]]`` would make an annotation
    that the page does not make (Semantic MediaWiki reads no page name across a line end)."""
    if not text or text.isspace():  # the usual case, without the substitutions
        return " " if text else ""
    lines: list[list[str]] = [[]]
    for line in text.split("\n"):
        lines[-1].append(line)
        opened = line.rfind("[[")
        if opened != -1 and opened > line.rfind("]]") - 2:
            lines.append([])
    folded = [_RESIDUE_SEPARATORS.sub(" ", " ".join(line)) for line in lines]
    if len(folded) == 1:
        return folded[0]
    return "\n".join([folded[0].rstrip(), *(_line_start(line).rstrip() for line in folded[1:-1]),
                      _line_start(folded[-1])])


def _line_start(line: str) -> str:
    """A line of residue without its leading blanks, unless they kept it from opening a list,
    a table cell or a heading (`` |x`` was text; ``|x`` would be a cell)."""
    stripped = line.lstrip()
    return " " + stripped if stripped.startswith(LINE_OPENERS) else stripped


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end == -1 else end


__all__ = ["parse_page", "parse_text", "decode_page", "parse_date", "clean_block"]
