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


# Openers. Line constructs are found through the newline before them rather than with ``^`` and
# MULTILINE: a pattern that starts with a small set of literal characters lets ``re`` skip ahead
# quickly, which is about 4x faster on these pages (``bench/bench_parse.py``).
_OPENER = re.compile(
    r"\n(?=[ \t]*[{|!=*#:;`])|\[\[|\{\{|<(?:!--|(?:nowiki|pre|syntaxhighlight|source)\b)"
    r"|\*\*(?=[^\s*])|\[(?=[^\[\]\n]+\]\(https?://)",
    re.IGNORECASE,
)
_MD_LINK = re.compile(r"\[([^\[\]\n]+)\]\(https?://[^)\s]+\)")
_LINE = re.compile(r"[ \t]*\{\||\|\}|\|-|\|\+|\||!|```|=|[*#:;]+[ \t]*")
_LINE_START = frozenset("{|!=*#:;` \t")
_TAG = re.compile(r"<(?P<tag>nowiki|pre|syntaxhighlight|source)\b[^>\n]*?(?P<close>/?)>",
                  re.IGNORECASE)
_HEADING = re.compile(r"(=+)(.*?)(=+)[ \t]*$", re.MULTILINE)
_BRACES = re.compile(r"\{\{|\}\}")
_TAG_KIND = {"nowiki": Kind.NOWIKI, "pre": Kind.PRE, "syntaxhighlight": Kind.CODE, "source": Kind.CODE}
_CLOSERS: dict[str, re.Pattern[str]] = {
    tag: re.compile(rf"</{tag}\s*>", re.IGNORECASE) for tag in _TAG_KIND
}


def scan(text: str) -> Scan:
    """Tokenise ``text``; concatenating ``text[t.start:t.end]`` over the tokens gives ``text``."""
    result = Scan(text)
    tokens = result.tokens
    done = 0  # end of the last construct: text tokens are emitted lazily up to the next one
    depth = 0  # table nesting: "|" and "!" at line start are table markers only inside one
    search = _OPENER.search
    pending = 0 if text[:1] in _LINE_START and text else -1
    cursor = 0
    while True:
        if pending >= 0:
            begin, pending = pending, -1
            token, depth = _line_construct(result, begin, depth)
            retry = begin  # other constructs may start on this line: look again from here
        else:
            match = search(text, cursor)
            if match is None:
                break
            begin = match.start()
            char = text[begin]
            retry = begin + 1
            if char == "\n":
                begin = retry
                token, depth = _line_construct(result, begin, depth)
            elif char == "*":
                token = _md_bold(text, begin)
            elif text.startswith("[[", begin):
                token = _link(result, begin)
            elif char == "[":
                token = _md_link(text, begin)
            elif char == "{":
                token = _template(result, begin)
            elif text.startswith("<!--", begin):
                token = _comment(result, begin)
            else:
                token = _tag(result, begin)
        if token is None:
            cursor = retry
            continue
        if done < token.start:
            tokens.append(Token(Kind.TEXT, done, token.start))
        tokens.append(token)
        done = cursor = token.end
    if done < len(text):
        tokens.append(Token(Kind.TEXT, done, len(text)))
    return result


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end == -1 else end


def _line_construct(result: Scan, begin: int, depth: int) -> tuple[Token | None, int]:
    """The line-start construct at ``begin`` (and the new table depth), or None."""
    text = result.text
    match = _LINE.match(text, begin)
    if match is None:
        return None, depth
    marker = match.group()
    first = marker[0]
    if marker.startswith("**") and len(marker) == 2:
        # "**Key points:**" at a line start is Markdown bold (MediaWiki: a nested list item).
        bold = _md_bold(text, begin)
        if bold is not None:
            return bold, depth
    if first in "*#:;":
        # A list marker with the blanks after it; ``level`` is the nesting depth.
        return Token(Kind.LIST_ITEM, begin, match.end(), len(marker.rstrip())), depth
    if first == "=":
        return _heading(text, begin, _line_end(text, begin)), depth
    if first == "`":
        return Token(Kind.FENCE, begin, _line_end(text, begin)), depth
    if marker.lstrip().startswith("{|"):
        return Token(Kind.TABLE_OPEN, begin, _line_end(text, begin)), depth + 1
    if depth == 0:
        return None, depth
    if marker == "|}":
        return Token(Kind.TABLE_CLOSE, begin, begin + 2), depth - 1
    if marker in ("|-", "|+"):
        return Token(Kind.TABLE_ROW, begin, _line_end(text, begin)), depth
    kind = Kind.TABLE_HEADER if marker == "!" else Kind.TABLE_CELL
    return Token(kind, begin, begin + 1), depth


def _heading(text: str, begin: int, end: int) -> Token | None:
    match = _HEADING.match(text, begin, end)
    if match is None:
        return None
    left, right = len(match.group(1)), len(match.group(3))
    level = min(left, right, 6)
    # Unbalanced '=' belong to the title, as in MediaWiki: "==X===" is a level-2 "X=".
    title_start = begin + level
    title_end = match.start(3) + (right - level)
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


def _md_bold(text: str, begin: int) -> Token | None:
    """Markdown ``**bold**`` closed on the same line."""
    close = text.find("**", begin + 3, _line_end(text, begin))
    if close == -1 or text[close - 1].isspace():
        return None
    return Token(Kind.MD_BOLD, begin, close + 2, inner=(begin + 2, close))


def _md_link(text: str, begin: int) -> Token | None:
    """A Markdown link ``[text](https://…)``."""
    match = _MD_LINK.match(text, begin)
    if match is None:
        return None
    return Token(Kind.MD_LINK, begin, match.end(), inner=match.span(1))


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
