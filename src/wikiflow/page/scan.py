"""Wikitext scanning: text → flat tokens that tile every character, with scanning problems.

This is the only module that looks at raw characters. It knows just enough of MediaWiki to find
what a Workflow page is made of: headings, the metadata table's markers, links and annotations,
templates (the Mermaid block), and the regions MediaWiki does not parse (comments, ``<nowiki>``,
``<pre>``, ``<syntaxhighlight>``/``<source>``). Markdown fences are marked because writers use
them, although MediaWiki does not understand them.

Hand-written rather than mwparserfromhell: one pass with a single compiled regex is over an order
of magnitude faster on these pages (``bench/bench_parse.py`` measures both) and keeps offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache, partial
from enum import Enum


class Kind(Enum):
    TEXT = "text"
    HEADING = "heading"
    LINK = "link"
    TEMPLATE = "template"
    COMMENT = "comment"
    NOWIKI = "nowiki"
    PRE = "pre"
    CODE = "code"
    FENCE = "fence"
    MD_BOLD = "md_bold"
    MD_LINK = "md_link"
    LIST_ITEM = "list_item"
    TABLE_OPEN = "table_open"
    TABLE_ROW = "table_row"
    TABLE_HEADER = "table_header"
    TABLE_CELL = "table_cell"
    TABLE_CLOSE = "table_close"


#: Markdown that writers (often LLM agents) use and MediaWiki does not understand.
MARKDOWN = frozenset({Kind.FENCE, Kind.MD_BOLD, Kind.MD_LINK})


@dataclass(slots=True)
class Token:
    """``text[start:end]`` is of ``kind``; ``level`` and ``inner`` carry the parts the parser needs.

    For a heading, ``level`` is its level and ``inner`` the (start, end) of the title; for a link
    or template, ``inner`` is the range between the brackets; for a list item marker (``*``,
    ``#``, ``:``, ``;`` runs and the blanks after them), ``level`` is the nesting depth.
    """

    kind: Kind
    start: int
    end: int
    level: int = 0
    inner: tuple[int, int] = (0, 0)


@dataclass(slots=True)
class ScanProblem:
    code: str
    message: str
    start: int
    end: int


@dataclass(slots=True)
class Scan:
    text: str
    tokens: list[Token] = field(default_factory=list)
    problems: list[ScanProblem] = field(default_factory=list)


# Every construct in one alternation, dispatched on ``lastgroup`` by the loop in ``scan``. Each
# branch starts with a literal character, outside any group, so that ``re`` skips ahead to the
# next candidate character instead of trying every position (with the groups first, the scan took
# six times as long; ``bench/bench_parse.py``). For the same reason line constructs are found
# through the newline before them rather than with ``^`` and MULTILINE (4x slower), and a
# lookahead turns away most lines before their branches are tried; the first line has no newline
# before it, so ``_FIRST_LINE`` reads the same branches there. Line groups span their token; an
# inline construct spans the whole match, its group the part after the first character.
#: The rest of a line up to the opening of a comment or of a tag MediaWiki's preprocessor
#: takes out (nowiki, pre, syntaxhighlight, source), if any (the loop unrolled: one pass).
_TO_HIDDEN = (r"[^\n<]*(?:<(?!!--|(?i:nowiki|pre|syntaxhighlight|source)(?=\s|/>|>))"
              r"[^\n<]*)*")
_LINE_BRANCHES = (
    # "**Key points:**" at a line start is Markdown bold (MediaWiki: a nested list item).
    r"(?P<line_bold>\*\*)(?![*#:; \t])|(?P<list_item>(?P<marks>[*#:;]+)[ \t]*)"
    # A line starting with "=": ``_heading`` decides whether it is a heading (a pattern that
    # paired the marks itself backtracked cubically on a long line of "=").
    r"|(?P<heading>=[^\n]*)"
    # A table's opening and row lines end before a "<!--" or a "<pre>" (and the like): MediaWiki
    # takes comments and those tags out before it reads tables, so one opened there hides what
    # follows as anywhere else (fmt, which moves such a line out of the table, found that
    # ``|-<pre>`` hid an unclosed tag in a table and not outside it).
    r"|(?P<table_open>[ \t]*\{\|" + _TO_HIDDEN + r")|(?P<table_close>\|\})"
    r"|(?P<table_row>\|[-+]" + _TO_HIDDEN + r")"
    r"|(?P<table_cell>\|)|(?P<table_header>!)|(?P<fence>```[^\n]*)"
)
_CONSTRUCT = re.compile(
    rf"\n(?=[ \t{{|!=`*#:;])(?:{_LINE_BRANCHES})"
    # The common link ("link" is its target), any other "[[", a Markdown link's text. No branch
    # reads past the next "[", where the next try starts, so that no character is read by the
    # tries of many positions (``[[[[…`` or ``[x](http://a[x](http://a…`` were quadratic).
    r"|\[(?:\[(?P<link>[^\[\]\n]*)\]\]|(?P<link_open>\[)"
    r"|(?P<md_link>[^\[\]\n]+)\]\(https?://[^)\s\[]+\))"
    # A tag's name is followed by a blank, "/>" or ">", as MediaWiki's preprocessor requires.
    r"|\{(?P<template>\{)|<(?P<comment>!--)"
    r"|<(?P<tag>(?i:nowiki|pre|syntaxhighlight|source)(?=\s|/>|>))"
    r"|\*(?P<bold>\*(?=[^\s*]))"
)
_FIRST_LINE = re.compile(_LINE_BRANCHES)
#: Where a construct may start: the first character of each branch of ``_CONSTRUCT``, and of
#: each of ``_LINE_BRANCHES`` at the text's start (its leading blanks only before a "{").
_MAY_START = re.compile(r"[\n\[{<*]|^[|!=`#:;]")
_TAG_NAME = re.compile(r"nowiki|pre|syntaxhighlight|source", re.IGNORECASE)
_TAG_KIND = {"nowiki": Kind.NOWIKI, "pre": Kind.PRE, "syntaxhighlight": Kind.CODE, "source": Kind.CODE}
_CLOSERS: dict[str, re.Pattern[str]] = {
    tag: re.compile(rf"</{tag}\s*>", re.IGNORECASE) for tag in _TAG_KIND
}
# Kinds as globals for the scan loop: ``Kind.LINK`` costs about 70 ns on Python 3.11, a global
# about 10, for every token (``bench/bench_parse.py``).
_TEXT, _LINK, _LIST_ITEM, _TABLE_OPEN = Kind.TEXT, Kind.LINK, Kind.LIST_ITEM, Kind.TABLE_OPEN
_TABLE_MARKERS = {"table_close": Kind.TABLE_CLOSE, "table_row": Kind.TABLE_ROW,
                  "table_cell": Kind.TABLE_CELL, "table_header": Kind.TABLE_HEADER}


@lru_cache(maxsize=4)
def scanned(text: str) -> Scan:
    """``scan(text)``, kept for the next stage that reads the same page: the parser scans it,
    then the site's renderer, which needs the tokens the model does not keep, reads that scan
    rather than scanning the page again (about a seventh of rendering it). Its readers never
    change it."""
    return scan(text)


def is_text(text: str) -> bool:
    """True when ``scan(text)`` is ``text`` as one text token (or none, when empty): no
    construct can start in it. The site's renderer scans a heading's title on its own, and
    most titles are words only (scanning them was a tenth of rendering a short section)."""
    return _MAY_START.search(text) is None


def scan(text: str) -> Scan:
    """Tokenise ``text``; concatenating ``text[t.start:t.end]`` over the tokens gives ``text``.

    Linear in the length of ``text`` whatever it holds: every search for a closer goes through
    a ``_Next``, which never reads a character twice for closers that are never found.
    """
    result = Scan(text)
    append = result.tokens.append
    search = _CONSTRUCT.search
    openers = _Openers(result)
    done = 0  # end of the last construct: text tokens are emitted lazily up to the next one
    depth = 0  # table nesting: "|" and "!" at line start are table markers only inside one
    pos = 0
    match = _FIRST_LINE.match(text) or search(text)
    # The common constructs are built inline and the rare ones by a method: a call per token
    # is a large share of the scan's time (``bench/bench_parse.py``).
    while match is not None:
        kind = match.lastgroup
        begin, end = match.span(kind)
        if kind == "link":
            token = Token(_LINK, begin - 2, end + 2, 0, (begin, end))
        elif kind == "list_item":
            token = Token(_LIST_ITEM, begin, end, match.end("marks") - begin)
        elif kind == "heading":
            token = _heading(text, begin, end)
        elif kind == "table_open":
            token = Token(_TABLE_OPEN, begin, end)
            depth += 1
        elif kind in _TABLE_MARKERS:  # only inside a table: depth counts the open ones
            token = Token(_TABLE_MARKERS[kind], begin, end) if depth else None
            if token is not None and kind == "table_close":
                depth -= 1
        elif kind == "md_link":
            token = Token(Kind.MD_LINK, begin - 1, match.end(), 0, (begin, end))
        elif kind == "fence":
            token = Token(Kind.FENCE, begin, end)
        elif kind == "line_bold":
            token = openers.md_bold(begin) or Token(_LIST_ITEM, begin, end, 2)
        else:
            token = getattr(openers, kind)(begin - 1)
        if token is None:
            # Not a construct after all: look again from the next character (after a newline, the
            # line's first, a "|", "!" or "=" that starts nothing else; past a "{{" that is never
            # closed, both its braces, so that each brace is read as one pair, see ``template``).
            pos = match.start() + (2 if kind == "template" else 1)
        else:
            if done < token.start:
                append(Token(_TEXT, done, token.start))
            append(token)
            done = pos = token.end
        match = search(text, pos)
    if done < len(text):
        append(Token(_TEXT, done, len(text)))
    return result


def _heading(text: str, begin: int, end: int) -> Token | None:
    """The line ``text[begin:end]`` (it starts with "=") as a heading, or None.

    As in MediaWiki, a heading line ends with "=" and blanks, and unbalanced marks belong to
    the title: "==X===" is a level-2 "X=". A line of n "=" only is, as MediaWiki's preprocessor
    reads it, a heading of level (n - 1) // 2 (at most 6) titled by the rest: "====" is a
    level-1 "==", "=======" a level-3 "=".
    """
    line = text[begin:end].rstrip(" \t")
    if line[-1] != "=":
        return None
    line_end = begin + len(line)
    open_end = line_end - len(line.lstrip("="))
    close_start = begin + len(line.rstrip("="))
    if open_end == line_end:  # only "="
        level = min((len(line) - 1) // 2, 6)
        open_end, close_start = begin + level, line_end - level
    left, right = open_end - begin, line_end - close_start
    level = min(left, right, 6)
    title_start = begin + level
    title_end = close_start + (right - level)
    if not level or title_end <= title_start or not text[title_start:title_end].strip():
        return None
    return Token(Kind.HEADING, begin, end, level, (title_start, title_end))


class _Next:
    """The first match of a pattern at or after a position, for positions that only grow.

    A search that found nothing from ``p`` finds nothing from any later position, and one that
    found a match at ``m`` answers every position up to ``m``: asked at increasing positions,
    it reads the text about once. A closer searched anew from each opener made the scan
    quadratic in the openers that are never closed (``[[``, ``<pre>``, ``{{``, ``**``).
    """

    __slots__ = ("_search", "_start", "_found")

    def __init__(self, pattern: re.Pattern[str], text: str) -> None:
        self._search = partial(pattern.search, text)
        self._start = len(text) + 1
        self._found: re.Match[str] | None = None

    def at(self, pos: int) -> re.Match[str] | None:
        found = self._found
        if pos < self._start or (found is not None and found.start() < pos):
            found = self._found = self._search(pos)
            self._start = pos
        return found


_NEWLINE, _LINK_CLOSE, _BOLD, _GREATER = (re.compile(needle) for needle in ("\n", r"\]\]",
                                                                          r"\*\*", ">"))
#: What an annotation's property part ends at: its separator, or a "]" that ends the link first.
_SEPARATOR, _BRACKET, _LINK_OPENER = (re.compile(needle) for needle in (r":[=:]", r"\]",
                                                                      r"\[\["))
#: What MediaWiki reads before Semantic MediaWiki sees the text (a heading or table line, a
#: comment, a tag's content, a template): an annotation that would span one is not read as one.
_READ_BEFORE = re.compile(r"\n(?:[=|!]|[ \t]*\{\|)|<!--|\{\{|<(?i:nowiki|pre|syntaxhighlight|source)")


def _lazy(pattern: re.Pattern[str]) -> cached_property[_Next]:
    """A ``_Next`` over the page for ``pattern``, made on first use: most pages need only a few
    of them, and making all sixteen for every page was a thirtieth of a parse
    (``bench/bench_parse.py``)."""
    return cached_property(lambda self: _Next(pattern, self.text))


class _Openers:
    """The constructs ``scan`` reads with a method, by the name of their group; each returns
    None when the opener at ``begin`` starts no construct (and notes any problem)."""

    newline = _lazy(_NEWLINE)
    link_close = _lazy(_LINK_CLOSE)
    bold_close = _lazy(_BOLD)
    greater = _lazy(_GREATER)
    link_opener = _lazy(_LINK_OPENER)
    separator = _lazy(_SEPARATOR)
    bracket = _lazy(_BRACKET)
    read_before = _lazy(_READ_BEFORE)

    def __init__(self, result: Scan) -> None:
        self.text = result.text
        self.problems = result.problems
        self.braces: dict[int, tuple[int, int] | None] = {}
        self.brackets: dict[int, tuple[int, int] | None] | None = None  # paired once, on need
        # One problem per cause: the "[[" after an unclosed one on its line, and the tags after
        # an unclosed one of their name, are never closed either (and a line of them made a
        # problem for each of thousands of openers).
        self.unclosed_line = -1  # the end of the line of the last unclosed "[["
        self.unclosed_tags: set[str] = set()

    @cached_property
    def closers(self) -> dict[str, _Next]:
        return {tag: _Next(closer, self.text) for tag, closer in _CLOSERS.items()}

    def line_end(self, pos: int) -> int:
        found = self.newline.at(pos)
        return len(self.text) if found is None else found.start()

    def comment(self, begin: int) -> Token:
        text = self.text
        close = text.find("-->", begin + 4)  # found once: an unclosed comment ends the page
        if close == -1:
            end = len(text)
            self.problems.append(
                ScanProblem("unclosed-comment", "'<!--' is never closed by '-->'; MediaWiki "
                            "hides the rest of the page", begin, begin + 4)
            )
            return Token(Kind.COMMENT, begin, end, inner=(begin + 4, end))
        return Token(Kind.COMMENT, begin, close + 3, inner=(begin + 4, close))

    def tag(self, begin: int) -> Token | None:
        text = self.text
        name = _TAG_NAME.match(text, begin + 1)
        greater = self.greater.at(name.end())
        if greater is None or greater.start() > self.line_end(begin):
            return None  # the opening tag must end on its line
        tag = name.group().lower()
        kind = _TAG_KIND[tag]
        open_end = greater.end()
        if text[greater.start() - 1] == "/" and greater.start() > name.end():
            return Token(kind, begin, open_end, inner=(open_end, open_end))
        closer = self.closers[tag].at(open_end)
        if closer is None:
            if tag not in self.unclosed_tags:
                self.unclosed_tags.add(tag)
                self.problems.append(
                    ScanProblem("unclosed-tag", f"<{tag}> is never closed by </{tag}>", begin,
                                open_end)
                )
            return None
        return Token(kind, begin, closer.end(), inner=(open_end, closer.start()))

    def template(self, begin: int) -> Token | None:
        """``{{`` to the ``}}`` that brings the brace depth back to zero."""
        if begin not in self.braces:
            self.braces = _pair_braces(self.text, begin)
        pair = self.braces[begin]
        if pair is None:
            self.problems.append(
                ScanProblem("unclosed-template", "'{{' is never closed by '}}'", begin,
                            begin + 2)
            )
            return None
        return Token(Kind.TEMPLATE, begin, pair[1], inner=(begin + 2, pair[0]))

    def md_bold(self, begin: int) -> Token | None:
        """Markdown ``**bold**`` closed on the same line, with no ``[[`` inside: MediaWiki
        knows no ``**``, so a link or annotation there is read (a token would hide it, and a
        fix turning ``**`` into ``'''`` would make a fact appear)."""
        close = self.bold_close.at(begin + 3)
        if close is None or close.end() > self.line_end(begin):
            return None
        at = close.start()
        link = self.link_opener.at(begin + 2)
        if self.text[at - 1].isspace() or (link is not None and link.start() < at):
            return None
        return Token(Kind.MD_BOLD, begin, at + 2, inner=(begin + 2, at))

    bold = md_bold

    def link_open(self, begin: int) -> Token | None:
        """A link to the first ``]]`` on its line, unless a later ``[[`` comes first: as in
        MediaWiki, the ``[[`` nearest the ``]]`` opens the link and this one is text."""
        annotation = self.annotation(begin)
        if annotation is not None:
            return annotation
        close = self.link_close.at(begin + 2)
        line_end = self.line_end(begin)
        nested = self.link_opener.at(begin + 2)
        if close is None or close.end() > line_end or (
                nested is not None and nested.start() < close.start()):
            self.unclosed(begin, line_end)
            return None
        return Token(Kind.LINK, begin, close.end(), inner=(begin + 2, close.start()))

    def unclosed(self, begin: int, line_end: int) -> None:
        """Note the ``[[`` at ``begin`` as not closed on its line (once a line)."""
        if line_end != self.unclosed_line:
            self.unclosed_line = line_end
            self.problems.append(
                ScanProblem("unclosed-link", "'[[' is never closed by ']]' on the same line",
                            begin, begin + 2)
            )

    def annotation(self, begin: int) -> Token | None:
        """An annotation to the ``]]`` that pairs with its ``[[``, across lines and around the
        ``[[links]]``, ``[url text]`` and annotations in its value, as Semantic MediaWiki reads
        it (links in values); None when the ``[[`` opens no annotation that reaches further than
        a link would (``link_open`` reads it then).

        Its property part is SMW's: a first character other than ":", then text without "]" up
        to "::" or ":=".
        """
        text = self.text
        if text[begin + 2:begin + 3] in (":", ""):
            return None
        separator, bracket = self.separator.at(begin + 3), self.bracket.at(begin + 2)
        if separator is None or bracket is None or separator.start() > bracket.start():
            return None
        if self.brackets is None:
            self.brackets = pair_brackets(text)
        pair = self.brackets.get(begin)
        stop = self.read_before.at(begin)
        if pair is None or (stop is not None and stop.start() < pair[1]):
            return None
        line_end = self.line_end(begin)
        if pair[1] > line_end:  # SMW reads on; MediaWiki's links and page names end at the line
            self.unclosed(begin, line_end)
        return Token(Kind.LINK, begin, pair[1], inner=(begin + 2, pair[0]))


def pair_brackets(text: str) -> dict[int, tuple[int, int] | None]:
    """For each ``[[`` that opens a link, the start and end of the ``]]`` that closes it, or
    None: Semantic MediaWiki's pairing with links in values (``LinksEncoder``), in one pass.

    SMW first hides every bracket, then shows again each ``[[`` pair and ``]]`` pair, reading
    runs from the left except that a run of three ``]`` closes with its last two; the pairs
    left nest like parentheses. Single brackets (``[url text]``) are then value text.
    """
    if "\ue000" in text or "\ue001" in text:  # rare, and ``translate`` is slow on non-ASCII
        text = text.translate(_HIDE_PRIVATE)
    hidden = text.replace("[", "\ue000").replace("]", "\ue001")
    shown = (hidden.replace("\ue000\ue000", "[[").replace("\ue001" * 4, "]]]]")
             .replace("\ue001" * 3, "\ue001]]").replace("\ue001\ue001", "]]"))
    return _pair("[[", "]]", shown, 0)


#: The two private-use characters ``pair_brackets`` marks single brackets with, made blanks
#: first (the length stays) so that a page holding them cannot pair with them.
_HIDE_PRIVATE = {0xE000: 0x20, 0xE001: 0x20}


def _pair_braces(text: str, begin: int) -> dict[int, tuple[int, int] | None]:
    """For each ``{{`` from ``begin`` on (braces read in pairs from there), the start and end
    of the ``}}`` that closes it, or None: one pass with a stack, where counting the depth
    anew from each opener read the rest of the page for each one never closed.

    ``scan`` asks only at the openers of this pass: it moves past both braces of a ``{{`` it
    could not close, and no other token ends inside a pair of braces.
    """
    return _pair("{{", "}}", text, begin)


def _pair(opener: str, closer: str, text: str, begin: int) -> dict[int, tuple[int, int] | None]:
    """Each ``opener`` from ``begin`` on with the span of the ``closer`` that pairs with it, or
    None, with a stack. Both are two characters, of different kinds, read from the left without
    overlap; ``str.find`` skips to them an order of magnitude faster than a regex of the two
    (a character class, tried at every position: ``bench/bench_parse.py``)."""
    pairs: dict[int, tuple[int, int] | None] = {}
    opened: list[int] = []
    find = text.find
    next_open, next_close = find(opener, begin), find(closer, begin)
    # Each search starts past the mark it last found, which the other kind cannot overlap.
    while next_close != -1:
        if next_open != -1 and next_open < next_close:
            opened.append(next_open)
            next_open = find(opener, next_open + 2)
            continue
        if opened:
            pairs[opened.pop()] = (next_close, next_close + 2)
        next_close = find(closer, next_close + 2)
    while next_open != -1:  # openers after the last closer: never closed
        opened.append(next_open)
        next_open = find(opener, next_open + 2)
    pairs.update(dict.fromkeys(opened))
    return pairs
