"""Wikitext → HTML, as MediaWiki renders it (docs/wikitext.md lists what it does and each
deliberate difference from MediaWiki).

The scanner's tokens (``page.scan``) say where links, annotations, templates, comments, tags,
headings, list markers and table markers are; this module adds only the passes the scanner does
not do. A token walk turns the tokens into lines, each line's text holding the HTML already
made as markers (``inline``); table lines are gathered into tables; then MediaWiki's block pass
(``BlockLevelPass``: lists, paragraphs, preformatted lines) writes the blocks, rendering each
paragraph, list item and cell through the inline passes (``inline.render_lines``).
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass, field
from functools import lru_cache

from markupsafe import Markup

from ..page.model import Annotation
from ..page.names import page_name, title_error
from ..page.scan import Kind, Scan, Token, is_text, scanned
from ..page.smw import Reading, read_link
from .html import attributes, escape_text, tag_attributes
from .inline import MARK, Marks, Piece, plain, render_lines
from .links import HIDDEN_NAMESPACES, Links, anchor, page_link, target_title
from .smw import annotation_html
from .tables import Item, Line, Table, group_tables, table_html

__all__ = ["Links", "wikitext_html"]

#: MediaWiki's link trail for English: letters right after ``]]`` join the link's text.
_TRAIL = re.compile(r"[a-z]+")
_BLANK_TO_LINE_END = re.compile(r"[ \t]*(?:\n|$)")
_MARKER = re.compile(rf"{MARK}(\d+){MARK}")
_TAGS = re.compile(r"<[^>]*>")
#: MediaWiki's behaviour switches: they set options of the page and show nothing.
_SWITCHES = re.compile(
    r"__(?:NOTOC|FORCETOC|TOC|NOEDITSECTION|NEWSECTIONLINK|NONEWSECTIONLINK|NOGALLERY"
    r"|HIDDENCAT|EXPECTUNUSEDCATEGORY|NOCONTENTCONVERT|NOCC|NOTITLECONVERT|NOTC|INDEX"
    r"|NOINDEX|STATICREDIRECT|DISAMBIG)__", re.IGNORECASE)
#: Four or more dashes at a line start: a horizontal rule, the rest of the line after it.
_RULE = re.compile(r"-{4,}")
_LANGUAGE = re.compile(r"[^\w+#.-]")
#: Parser functions shown as text deeper inside each other than this are shown as written,
#: their insides unread: reading each level's insides again was quadratic in the depth.
MAX_DEPTH = 8


def wikitext_html(text: str, links: Links, *, start: int = 0, end: int | None = None) -> Markup:
    """HTML of ``text[start:end]`` (a section body, a step body, a whole page) rendered as
    MediaWiki renders it. ``text`` is the page's text as ``page.decode`` gives it, so that
    ``start`` and ``end`` can be the spans of the parsed page; the page is scanned once for
    all the parts rendered from it."""
    end = len(text) if end is None else max(start, min(end, len(text)))
    start, end = _own_lines(text, start, end)
    if start == end:  # a section or step without a body: ``render_part`` gives "" for it
        return Markup("")
    return Markup(render_part(text, links, start, end))


def _own_lines(text: str, start: int, end: int) -> tuple[int, int]:
    """``start..end`` less what belongs to the lines around the part: the empty start of the
    line a part ends before (the next heading's) and the blank rest of the line a part starts
    within (the metadata table's ``|}``, a step's link). Either was a blank line of its own;
    with the blank line that ends most sections it made an empty paragraph (``<p><br /></p>``)
    that MediaWiki, which reads those lines whole, does not show."""
    if start < end < len(text) and text[end - 1] == "\n":
        end -= 1
    if 0 < start < end and text[start - 1] != "\n":
        rest = _BLANK_TO_LINE_END.match(text, start, end)
        if rest is not None:
            start = rest.end()
    return start, end


def render_part(text: str, links: Links, start: int, end: int) -> str:
    """``wikitext_html`` of ``text[start:end]`` (``end`` within the text), without its
    shortcut for an empty part."""
    state = _Render(text, links)
    walker = _Walker(state, start)
    walker.walk(_tokens(text, start, end), end)
    # Without a table line, ``group_tables`` would give the lines back as they are.
    lines = group_tables(walker.lines) if walker.tables else walker.lines
    return _Blocks(state).run(lines)


@lru_cache(maxsize=16)
def _scanned(text: str) -> tuple[Scan, list[int], list[int]]:
    """The page's scan (the parser's, when it has just read the page) and each token's start
    and end, kept for the next part of the same page."""
    result = scanned(text)
    return (result, [token.start for token in result.tokens],
            [token.end for token in result.tokens])


def _tokens(text: str, start: int, end: int) -> list[Token]:
    """The tokens of ``text`` over ``start..end``; one cut by either bound is text there.

    The tokens are contiguous, so only the first can begin before ``start`` and only the last
    end after ``end``: both bounds are found by bisection, not by reading the page's tokens up
    to the part (its sections are rendered one by one)."""
    result, starts, ends = _scanned(text)
    tokens = result.tokens[bisect.bisect_right(ends, start):bisect.bisect_left(starts, end)]
    if tokens:
        first, last = tokens[0], tokens[-1]
        if first.start < start or first.end > end:
            tokens[0] = Token(Kind.TEXT, max(first.start, start), min(first.end, end))
        if len(tokens) > 1 and last.end > end:
            tokens[-1] = Token(Kind.TEXT, last.start, end)
    return tokens


def _sub_tokens(text: str, start: int, end: int) -> list[Token]:
    """The tokens of ``text[start:end]`` scanned alone (a heading's title, a template's
    insides, which the page's scan holds as one token), at their offsets in ``text``."""
    inside = text[start:end]
    if is_text(inside):  # the scan would give one text token, or none
        return [Token(Kind.TEXT, start, end)] if inside else []
    return [Token(t.kind, t.start + start, t.end + start, t.level,
                  (t.inner[0] + start, t.inner[1] + start))
            for t in _scanned(inside)[0].tokens]


#: SMW's reading of a link's inner text, kept: the same links recur on every page.
_reading = lru_cache(maxsize=4096)(read_link)


def _annotation(reading: Reading) -> Annotation | None:
    """The annotation a link is when SMW reads it as one, as ``page.parse`` records it from
    the same reading (its first property's: ``[[a::b::v]]`` shows once), or None. Made from
    the reading, where parsing the link again was 7% of rendering the generated wiki."""
    if reading.kind is not Reading.ANNOTATION:
        return None
    return Annotation(reading.names[0].name, reading.value, reading.caption, reading.parts)


def _property_link(reading: Reading, links: Links) -> str:
    """``[[p::@@@]]`` as Semantic MediaWiki shows it (``PropertyLinkRenderer``): a link to
    ``Property:p`` with the caption or the name, or with ``|#`` the name alone."""
    name = reading.names[-1].name  # SMW links the last property named
    shown = escape_text(reading.caption if reading.caption not in (None, "#") else name)
    if reading.caption == "#":
        return f'<span class="smw-property nolink">{shown}</span>'
    return page_link(f"Property:{name}", shown, links, css="smw-property") or shown


@dataclass
class _Render:
    """One call's state: the page, where links go, the HTML made so far, the heading ids."""

    text: str
    links: Links
    marks: Marks = field(default_factory=Marks)
    ids: dict[str, int] = field(default_factory=dict)

    def inline(self, lines: list[str], *, links: bool = True) -> str:
        return render_lines(self.marks, lines, links=links)

    def heading_id(self, title_html: str) -> str:
        """The heading's anchor, numbered from the second of a name on (``_2``) as MediaWiki
        numbers them."""
        base = anchor(html.unescape(_TAGS.sub("", title_html))) or "_"
        count = self.ids.get(base, 0) + 1
        self.ids[base] = count
        return base if count == 1 else f"{base}_{count}"


class _Walker:
    """Tokens → lines, each token's HTML a marker in its line's text."""

    def __init__(self, render: _Render, start: int) -> None:
        self.render = render
        self.text = render.text
        self.start = start
        self.lines: list[Line | str] = [Line()]  # the last one a Line: it may grow
        self.skip_to = start  # text before this is already used (a link trail, a comment line)
        self.depth = 0  # templates shown as text, one inside the other, around this point
        self.tables = False  # whether a line is a table line

    @property
    def line(self) -> Line:
        return self.lines[-1]  # type: ignore[return-value]  # always a Line: see __init__

    def add(self, raw: str) -> None:
        """Page text, split into lines, without behaviour switches (``__NOTOC__``); text after
        a table's end starts a line of its own. Called for every piece of text of a page:
        the line's methods are done inline."""
        if "__" in raw:
            raw = _SWITCHES.sub("", raw)
        # ``plain`` before the split: the newline is not the character it replaces.
        pieces = (plain(raw) if MARK in raw else raw).split("\n")
        lines = self.lines
        if first := pieces[0]:
            line: Line = lines[-1]  # type: ignore[assignment]  # always a Line: see __init__
            if line.kind in _AFTER_TABLE_LINE:
                line = Line()
                lines.append(line)
            line.parts.append(first)
            if line.blank and first.strip(" \t"):
                line.blank = False
        if len(pieces) > 1:
            # The lines between two line ends are whole, and plain text: kept as strings.
            if len(pieces) > 2:
                lines += pieces[1:-1]
            lines.append(Line.of(pieces[-1]))

    def _strip_blanks_before(self) -> None:
        """Drop the blanks before a category link, line ends included, as MediaWiki does
        (``rtrim`` in ``handleInternalLinks2``, T2087): category lines after a blank line
        make no empty paragraph. The blanks go back to the last line with text, a list
        item or a table line, within the part."""
        lines = self.lines
        while len(lines) > 1 and _blank_line(lines[-1]):
            lines.pop()
        last = lines[-1]
        if isinstance(last, str):
            lines[-1] = Line.of(last.rstrip())
        elif last.kind == "text" and last.parts:
            kept = last.text.rstrip()
            last.parts[:] = [kept] if kept else []

    def put(self, markup: str, *, block: bool = False) -> None:
        self.line.add(self.render.marks.mark(Piece(markup, block=block)))

    def at_line_start(self, pos: int) -> bool:
        line = self.line
        return (line.kind == "text" and not line.marks and not line.parts
                and (pos == self.start or self.text[pos - 1] == "\n"))

    def walk(self, tokens: list[Token], end: int) -> None:
        text, add, handlers = self.text, self.add, _HANDLERS
        for token in tokens:
            if token.kind is _TEXT:
                skip = self.skip_to  # a handler may move it
                if token.end > skip:
                    add(text[token.start if token.start > skip else skip:token.end])
            else:
                handlers[token.kind](self, token, end)

    def _raw(self, token: Token, end: int) -> None:
        self.add(self.text[token.start:token.end])

    def _walk_inside(self, start: int, end: int) -> None:
        self.walk(_sub_tokens(self.text, start, end), end)

    def _heading(self, token: Token, end: int) -> None:
        if not self.at_line_start(token.start):
            return self._raw(token, end)
        self.line.kind, self.line.level = "heading", token.level
        self._walk_inside(*token.inner)

    def _list_item(self, token: Token, end: int) -> None:
        if not self.at_line_start(token.start):
            return self._raw(token, end)
        self.line.marks = self.text[token.start:token.end].rstrip(" \t")

    def _md_bold(self, token: Token, end: int) -> None:
        """Markdown bold is text to MediaWiki; at a line start its ``**`` is a nested list."""
        if not self.at_line_start(token.start):
            return self._raw(token, end)
        self.line.marks = "**"
        self.add(self.text[token.start + 2:token.end])

    def _table_open(self, token: Token, end: int) -> None:
        self._table_line(token, "table", self.text[token.start:token.end].lstrip(" \t")[2:])

    def _table_row(self, token: Token, end: int) -> None:
        if self.text[token.start + 1] == "+":
            self._table_line(token, "caption", "")
            self._walk_inside(token.start + 2, token.end)
        else:
            self._table_line(token, "row", self.text[token.start + 2:token.end])

    def _table_cell(self, token: Token, end: int) -> None:
        self._table_line(token, "cell", "")

    def _table_header(self, token: Token, end: int) -> None:
        self._table_line(token, "header", "")

    def _table_close(self, token: Token, end: int) -> None:
        self._table_line(token, "end", "")

    def _table_line(self, token: Token, kind: str, attrs: str) -> None:
        if not self.at_line_start(token.start):
            return self.add(self.text[token.start:token.end])
        self.line.kind, self.line.attrs = kind, plain(attrs)
        self.tables = True

    def _comment(self, token: Token, end: int) -> None:
        """Dropped; a line holding only comments and blanks goes with its line end, as in
        MediaWiki's preprocessor (so it does not split a paragraph)."""
        line = self.line
        if line.kind == "text" and not line.marks and line.blank:
            blank = _BLANK_TO_LINE_END.match(self.text, token.end, end)
            if blank is not None:
                line.parts.clear()
                self.skip_to = blank.end()

    def _nowiki(self, token: Token, end: int) -> None:
        self.put(escape_text(self.text[token.inner[0]:token.inner[1]]))

    def _pre(self, token: Token, end: int) -> None:
        opening = self.text[token.start + 4:max(token.start + 4, token.inner[0] - 1)]
        body = escape_text(self.text[token.inner[0]:token.inner[1]])
        self.put(f"<pre{attributes('pre', opening.rstrip('/'))}>{body}</pre>", block=True)

    def _code(self, token: Token, end: int) -> None:
        """``<syntaxhighlight>``/``<source>`` as the extension writes it, without colours: a
        ``<pre>`` with the language as a class (``inline``: a ``<code>``)."""
        written = tag_attributes(self.text[token.start:token.inner[0]].split(None, 1)[-1])
        language = _LANGUAGE.sub("", written.get("lang", "")).lower() or "text"
        code = html.escape(self.text[token.inner[0]:token.inner[1]].strip("\n"), quote=False)
        classes = f"mw-highlight mw-highlight-lang-{language}"
        if "inline" in written:
            self.put(f'<code class="{classes}" dir="ltr">{code}</code>')
        else:
            self.put(f'<div class="{classes} mw-content-ltr" dir="ltr"><pre>{code}</pre></div>',
                     block=True)

    def _template(self, token: Token, end: int) -> None:
        """A template MediaWiki would transclude is shown as a link to it (red when missing,
        as on a wiki without it); an unknown parser function (``{{#mermaid:…}}``) or a name
        that is no title is text, its insides read as wikitext, as MediaWiki shows them."""
        inner_start, inner_end = token.inner
        name = self.text[inner_start:inner_end].partition("|")[0].strip()
        title = page_name(name, "Template")
        if name.startswith("#") or title_error(title.title):
            if self.depth >= MAX_DEPTH:  # each level scans its insides again
                return self._raw(token, end)
            self.depth += 1
            self.add("{{")
            self._walk_inside(inner_start, inner_end)
            self.add("}}")
            self.depth -= 1
            return None
        self.put(page_link(title.full, escape_text(title.full), self.render.links) or "")

    def _link(self, token: Token, end: int) -> None:
        text = self.text
        inner = text[token.inner[0]:token.inner[1]]
        reading = _reading(inner)
        if reading.kind in (Reading.SWITCH, Reading.NOTHING):
            return  # ``[[SMW::off]]``, ``[[p::]]``: Semantic MediaWiki shows nothing
        if reading.kind is Reading.PROPERTY_LINK:
            return self.put(_property_link(reading, self.render.links))
        annotation = _annotation(reading)
        if annotation is not None:
            return self.put(self._annotation_html(annotation))
        target, bar, caption = inner.partition("|")
        target = target.strip()
        shown_target = target[1:] if target.startswith(":") else target
        if not target.startswith(":") and page_name(target).namespace in HIDDEN_NAMESPACES \
                and target_title(target) is not None:
            # A category: listed by the page's categories, not where it is written.
            return self._strip_blanks_before()
        trail = _TRAIL.match(text, token.end, end)
        shown = (caption if bar else shown_target) + (trail.group() if trail else "")
        linked = None
        if not bar or caption:  # "[[X|]]" is shown as written: the pipe trick is a save-time edit
            inner = self.render.inline([plain(shown)], links=False)
            linked = page_link(shown_target, inner, self.render.links)
        if linked is None:
            return self._raw(token, end)
        self.put(linked)
        if trail:
            self.skip_to = trail.end()

    def _annotation_html(self, annotation: Annotation) -> str:
        caption = annotation.caption
        caption_html = None if caption is None else self.render.inline([plain(caption)],
                                                                       links=False)
        return annotation_html(annotation, caption_html, self.render.links)


#: The kinds of line after which text starts a line of its own.
_AFTER_TABLE_LINE = frozenset(("end", "table", "row"))
#: The walker's method for each kind of token (``_raw`` for a kind it has none for).
_HANDLERS = {kind: getattr(_Walker, f"_{kind.value}", _Walker._raw) for kind in Kind}
_TEXT = Kind.TEXT  # a global: ``Kind.TEXT`` is a slower look-up, made for every token


def _blank_line(line: Line | str) -> bool:
    """Whether ``line`` is a text line holding only blanks (no list marker, no markup)."""
    if isinstance(line, str):
        return not line.strip()
    return line.kind == "text" and not line.marks and line.blank


_LISTS = {"*": ("ul", "li"), "#": ("ol", "li"), ";": ("dl", "dt"), ":": ("dl", "dd")}


class _Blocks:
    """MediaWiki's block pass (``BlockLevelPass``) over lines and tables: list markers opened,
    continued and closed against the previous line's, paragraphs made of runs of lines and
    split by blank lines, lines starting with a blank preformatted.

    Each open list level is a [list tag, item tag] pair, where MediaWiki keeps one flag for
    an open ``<dt>``: the same output, always balanced.
    """

    def __init__(self, render: _Render) -> None:
        self.render = render
        self.out: list[str | list[str]] = []
        self.levels: list[list[str]] = []
        self.last_prefix = ""
        self.last_paragraph = ""  # "", "p" or "pre"
        self.pending = ""  # "", "<p>" or "</p><p>": a paragraph a blank line has announced
        self.paragraph: list[str] | None = None
        self.rendered = 0  # ``out`` before this index holds HTML only

    def run(self, items: list[Item]) -> str:
        item = self.item
        for one in items:
            item(one)
        self.close_all()
        return "".join(self.out)  # type: ignore[arg-type]  # close_all left strings only

    def flush(self) -> None:
        """Render the paragraphs and list items made since the last flush (all closed: by
        ``close_all``), before a table or a heading renders its own text: MediaWiki numbers
        the external links without a caption (``[1]``) in page order, and a table's came
        before the paragraph above it."""
        out, marks = self.out, self.render.marks
        for i in range(self.rendered, len(out)):
            part = out[i]
            if not isinstance(part, str):
                out[i] = render_lines(marks, part)
        self.rendered = len(out)

    def item(self, item: Item) -> None:
        """One line or table; most are lines of plain text, dispatched first."""
        if isinstance(item, str):
            text = item
        elif isinstance(item, Table):
            return self.table(item)
        elif item.kind == "heading":
            return self.heading(item)
        elif item.marks:
            return self.text_line(item.marks, item.text)
        else:
            text = item.text
        # A line without list markers: a rule, or a paragraph's line once lists are closed.
        if text[:4] == "----" and (rule := _RULE.match(text)):  # the look-up, only if needed
            hr = self.render.marks.mark(Piece("<hr />", block=True))
            self.text_line("", hr + text[rule.end():])
        elif self.last_prefix:
            self.text_line("", text)
        else:  # no list to continue or close: all ``text_line`` would do
            self.paragraph_line(text)

    def table(self, table: Table) -> None:
        for line in table.before:
            self.item(line)
        self.close_all()
        self.out.append(table_html(table, self.render.inline, self.nested))

    def heading(self, line: Line) -> None:
        self.close_all()
        title = self.render.inline([line.text.strip()])
        self.out.append(f'<h{line.level}><span class="mw-headline" '
                        f'id="{html.escape(self.render.heading_id(title))}">{title}'
                        f'</span></h{line.level}>\n')

    def nested(self, items: list[Item]) -> str:
        return _Blocks(self.render).run(items)

    def close_all(self) -> None:
        """Close every paragraph and list, and render what they hold (``flush``)."""
        self.close_paragraph()
        while self.levels:
            self.close_list()
        self.last_prefix = self.pending = ""
        self.flush()

    def text_line(self, prefix: str, text: str) -> None:
        normal = prefix.replace(";", ":")
        if prefix and self.last_prefix == normal:
            self.next_item(prefix[-1])
            self.pending = ""
            if prefix[-1] == ";":
                text = self.term(text)
        elif prefix or self.last_prefix:
            self.pending = ""
            common = _common(prefix, self.last_prefix)
            while len(self.levels) > common:
                self.close_list()
            if 0 < common >= len(prefix):
                self.next_item(prefix[common - 1])
            if common and self.levels[common - 1][1] == "dt" and prefix[common - 1] == ":":
                self.next_item(":")
            while len(prefix) > len(self.levels):
                char = prefix[len(self.levels)]
                self.open_list(char)
                if char == ";":
                    text = self.term(text)
            self.last_prefix = normal
        if prefix:
            self.out.append([text.strip()])
        else:
            self.paragraph_line(text)

    def paragraph_line(self, text: str) -> None:
        if not text:  # the commonest line: what the blank branch below does with it
            return self.blank_line()
        if MARK in text and self.has_block(text):  # a block is a marker
            self.close_paragraph()
            self.pending = ""
            self.out += [[text], "\n"]
        elif text.startswith(" ") and (self.last_paragraph == "pre" or text.strip()):
            if self.last_paragraph != "pre":
                self.pending = ""
                self.close_paragraph()
                self.open_paragraph("pre")
            self.add_line(text[1:])
        elif not text.strip():
            self.blank_line()
        else:
            if self.pending:
                self.apply_pending()
            elif self.last_paragraph != "p":
                self.close_paragraph()
                self.open_paragraph("p")
            self.add_line(text)

    def blank_line(self) -> None:
        """A blank line announces a paragraph; a second one makes a line break in it."""
        if self.pending:
            self.apply_pending()
            self.add_line(self.render.marks.mark(Piece("<br />")))
        elif self.last_paragraph != "p":
            self.close_paragraph()
            self.pending = "<p>"
        else:
            self.pending = "</p><p>"

    def has_block(self, text: str) -> bool:
        pieces = self.render.marks.pieces
        return any(pieces[int(n)].block for n in _MARKER.findall(text))

    def apply_pending(self) -> None:
        self.close_paragraph()
        self.open_paragraph("p")
        self.pending = ""

    def open_paragraph(self, tag: str) -> None:
        self.out.append(f"<{tag}>")
        self.paragraph = []
        self.out.append(self.paragraph)
        self.last_paragraph = tag

    def add_line(self, text: str) -> None:
        assert self.paragraph is not None
        self.paragraph.append(text)

    def close_paragraph(self) -> None:
        if self.last_paragraph:
            self.out.append(f"</{self.last_paragraph}>\n")
        self.last_paragraph = ""
        self.paragraph = None

    def open_list(self, char: str) -> None:
        self.close_paragraph()
        outer, item = _LISTS[char]
        self.out.append(f"<{outer}><{item}>")
        self.levels.append([outer, item])

    def close_list(self) -> None:
        outer, item = self.levels.pop()
        self.out.append(f"</{item}></{outer}>")

    def next_item(self, char: str) -> None:
        level = self.levels[-1]
        item = "li" if level[0] != "dl" else ("dt" if char == ";" else "dd")
        self.out.append(f"</{level[1]}>\n<{item}>")
        level[1] = item

    def term(self, text: str) -> str:
        """``; term : definition``: the term as a ``<dt>``, the rest for a ``<dd>``."""
        term, colon, rest = text.partition(":")
        if not colon:
            return text
        self.out.append([term.strip()])
        self.next_item(":")
        return rest


def _common(a: str, b: str) -> int:
    """How many leading list markers two lines share."""
    count = 0
    for x, y in zip(a, b):
        if x != y:
            break
        count += 1
    return count
