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
_LINE_BRANCHES = (
    # "**Key points:**" at a line start is Markdown bold (MediaWiki: a nested list item).
    r"(?P<line_bold>\*\*)(?![*#:; \t])|(?P<list_item>(?P<marks>[*#:;]+)[ \t]*)"
    # As in MediaWiki, unbalanced '=' belong to the title: "==X===" is a level-2 "X=".
    r"|(?P<heading>(?P<heading_open>=+).*?(?P<heading_close>=+)[ \t]*)(?![^\n])"
    r"|(?P<table_open>[ \t]*\{\|[^\n]*)|(?P<table_close>\|\})|(?P<table_row>\|[-+][^\n]*)"
    r"|(?P<table_cell>\|)|(?P<table_header>!)|(?P<fence>```[^\n]*)"
)
_CONSTRUCT = re.compile(
    rf"\n(?=[ \t{{|!=`*#:;])(?:{_LINE_BRANCHES})"
    # The common link ("link" is its target), any other "[[", a Markdown link's text.
    r"|\[(?:\[(?P<link>[^\]\n]*)\]\]|(?P<link_open>\[)"
    r"|(?P<md_link>[^\[\]\n]+)\]\(https?://[^)\s]+\))"
    r"|\{(?P<template>\{)|<(?P<comment>!--)|<(?P<tag>(?i:nowiki|pre|syntaxhighlight|source)\b)"
    r"|\*(?P<bold>\*(?=[^\s*]))"
)
_FIRST_LINE = re.compile(_LINE_BRANCHES)
_TAG = re.compile(r"<(?P<tag>nowiki|pre|syntaxhighlight|source)\b[^>\n]*?(?P<close>/?)>",
                  re.IGNORECASE)
_BRACES = re.compile(r"\{\{|\}\}")
_TAG_KIND = {"nowiki": Kind.NOWIKI, "pre": Kind.PRE, "syntaxhighlight": Kind.CODE, "source": Kind.CODE}
_CLOSERS: dict[str, re.Pattern[str]] = {
    tag: re.compile(rf"</{tag}\s*>", re.IGNORECASE) for tag in _TAG_KIND
}
# Kinds as globals for the scan loop: ``Kind.LINK`` costs about 70 ns on Python 3.11, a global
# about 10, for every token (``bench/bench_parse.py``).
_TEXT, _LINK, _LIST_ITEM, _TABLE_OPEN = Kind.TEXT, Kind.LINK, Kind.LIST_ITEM, Kind.TABLE_OPEN
_TABLE_MARKERS = {"table_close": Kind.TABLE_CLOSE, "table_row": Kind.TABLE_ROW,
                  "table_cell": Kind.TABLE_CELL, "table_header": Kind.TABLE_HEADER}


def scan(text: str) -> Scan:
    """Tokenise ``text``; concatenating ``text[t.start:t.end]`` over the tokens gives ``text``."""
    result = Scan(text)
    append = result.tokens.append
    search = _CONSTRUCT.search
    done = 0  # end of the last construct: text tokens are emitted lazily up to the next one
    depth = 0  # table nesting: "|" and "!" at line start are table markers only inside one
    pos = 0
    match = _FIRST_LINE.match(text) or search(text)
    # The common constructs are built inline and the rare ones by a function: a call per token
    # is a large share of the scan's time (``bench/bench_parse.py``).
    while match is not None:
        kind = match.lastgroup
        begin, end = match.span(kind)
        if kind == "link":
            token = Token(_LINK, begin - 2, end + 2, 0, (begin, end))
        elif kind == "list_item":
            token = Token(_LIST_ITEM, begin, end, match.end("marks") - begin)
        elif kind == "heading":
            token = _heading(text, match)
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
            token = _md_bold(result, begin) or Token(_LIST_ITEM, begin, end, 2)
        else:
            token = _OPENERS[kind](result, begin - 1)
        if token is None:
            # Not a construct after all: look again from the next character (after a newline, the
            # line's first, a "|", "!" or "=" that starts nothing else).
            pos = match.start() + 1
        else:
            if done < token.start:
                append(Token(_TEXT, done, token.start))
            append(token)
            done = pos = token.end
        match = search(text, pos)
    if done < len(text):
        append(Token(_TEXT, done, len(text)))
    return result


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end == -1 else end


def _heading(text: str, match: re.Match[str]) -> Token | None:
    begin, end = match.span("heading")
    close_start, close_end = match.span("heading_close")
    left, right = match.end("heading_open") - begin, close_end - close_start
    level = min(left, right, 6)
    title_start = begin + level
    title_end = close_start + (right - level)
    if title_end <= title_start or not text[title_start:title_end].strip():
        return None
    return Token(Kind.HEADING, begin, end, level, (title_start, title_end))


def _comment(result: Scan, begin: int) -> Token:
    close = result.text.find("-->", begin + 4)
    if close == -1:
        end = len(result.text)
        result.problems.append(
            ScanProblem("unclosed-comment", "'<!--' is never closed by '-->'; MediaWiki hides "
                        "the rest of the page", begin, begin + 4)
        )
        return Token(Kind.COMMENT, begin, end, inner=(begin + 4, end))
    return Token(Kind.COMMENT, begin, close + 3, inner=(begin + 4, close))


def _tag(result: Scan, begin: int) -> Token | None:
    match = _TAG.match(result.text, begin)
    if match is None:
        return None
    tag = match.group("tag").lower()
    kind = _TAG_KIND[tag]
    open_end = match.end()
    if match.group("close"):
        return Token(kind, begin, open_end, inner=(open_end, open_end))
    closer = _CLOSERS[tag].search(result.text, open_end)
    if closer is None:
        result.problems.append(
            ScanProblem("unclosed-tag", f"<{tag}> is never closed by </{tag}>", begin, open_end)
        )
        return None
    return Token(kind, begin, closer.end(), inner=(open_end, closer.start()))


def _template(result: Scan, begin: int) -> Token | None:
    depth = 0
    for brace in _BRACES.finditer(result.text, begin):
        depth += 1 if brace.group() == "{{" else -1
        if depth == 0:
            return Token(Kind.TEMPLATE, begin, brace.end(), inner=(begin + 2, brace.start()))
    result.problems.append(
        ScanProblem("unclosed-template", "'{{' is never closed by '}}'", begin, begin + 2)
    )
    return None


def _md_bold(result: Scan, begin: int) -> Token | None:
    """Markdown ``**bold**`` closed on the same line."""
    text = result.text
    close = text.find("**", begin + 3, _line_end(text, begin))
    if close == -1 or text[close - 1].isspace():
        return None
    return Token(Kind.MD_BOLD, begin, close + 2, inner=(begin + 2, close))


def _link(result: Scan, begin: int) -> Token | None:
    text = result.text
    line_end = _line_end(text, begin)
    close = text.find("]]", begin + 2, line_end)
    if close == -1:
        result.problems.append(
            ScanProblem("unclosed-link", "'[[' is never closed by ']]' on the same line",
                        begin, begin + 2)
        )
        return None
    return Token(Kind.LINK, begin, close + 2, inner=(begin + 2, close))


#: The constructs ``scan`` reads with a function; None when the opener starts no construct.
_OPENERS = {"link_open": _link, "template": _template, "comment": _comment, "tag": _tag,
            "bold": _md_bold}
