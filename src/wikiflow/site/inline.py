"""The inline passes MediaWiki runs over a line and the scanner does not: HTML tags written on
the page, external links (``[url text]`` and bare URLs), bold and italic quotes, entities.

A block of lines is rendered as one unit: what earlier passes (and the scanner's tokens) made
of it is already HTML and sits in the text as a *marker*, ``\\x7f<n>\\x7f``, as MediaWiki's
strip markers do, so that later passes see it as one opaque character run. A unit's tags are
balanced at its end: a tag the page opens is closed before the paragraph, list item or cell
that holds it closes, and a closing tag that closes nothing is dropped (MediaWiki balances
over the whole page with its HTML5 tidier; docs/wikitext.md).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from .html import PAIRED, VOID, attributes, escape_text

MARK = "\x7f"
_MARKER = re.compile(r"\x7f(\d+)\x7f")
#: MediaWiki's ``$wgUrlProtocols`` (1.39): none of them runs script (no ``javascript:``,
#: ``data:`` or ``vbscript:``).
_SCHEMES = (
    r"bitcoin:|ftp://|ftps://|geo:|git://|gopher://|http://|https://|irc://|ircs://|magnet:"
    r"|mailto:|matrix:|mms://|news:|nntp://|redis://|sftp://|sip:|sips:|sms:|ssh://|svn://"
    r"|tel:|telnet://|urn:|worldwind://|xmpp:")
#: A bracketed link may also be protocol-relative; a bare URL may not.
PROTOCOLS = rf"(?:{_SCHEMES}|//)"
# A URL's characters (MediaWiki's ``EXT_LINK_URL_CLASS``), less a marker and a run of two
# apostrophes, which is italic markup in MediaWiki (its quotes pass runs first). A caption
# stops at a "[", where MediaWiki's reads on to the "]": each unclosed "[http://…" on a line
# read the rest of it, quadratic in such openers.
_URL_CHARS = r"(?:[^\]\[<>\"\x00-\x20\x7f\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\ufffd']|'(?!'))"
_EXTERNAL = re.compile(
    rf"\[({PROTOCOLS}{_URL_CHARS}+)[ \u00a0\u3000]*([^\[\]\x00-\x08\x0a-\x1f\ufffd]*)\]",
    re.IGNORECASE)
#: A bare URL, after a word boundary.
FREE_URL = rf"((?:{_SCHEMES}){_URL_CHARS}+)"
# Every scheme is letters and a colon: the lookahead, one character class, lets the search
# skip the words that start no scheme without trying the alternation of all of them, which
# made this search most of the inline passes' time on long lines.
_FREE = re.compile(rf"\b(?=[a-z]+:){FREE_URL}", re.IGNORECASE)
_URL = re.compile(rf"{PROTOCOLS}{_URL_CHARS}+", re.IGNORECASE)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)([^<>]*?)(/?)>")
_QUOTES = re.compile(r"(''+)")
#: The names of the schemes of a bare URL that have no "//" after their colon.
_COLON_SCHEMES = tuple(scheme[:-1] for scheme in _SCHEMES.split("|") if scheme[-1] == ":")
#: The characters ``re.IGNORECASE`` reads as a letter of a scheme's name, besides its two
#: cases (the only others it reads as an ASCII letter: the Kelvin sign, a "k", in none).
_AS_ASCII = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


@dataclass(slots=True)
class Piece:
    """Rendered HTML: an element's open or close tag (``tag``; balanced at the end of the
    block that holds it), or ``html`` whole; ``block`` when it is a block of its own (a
    ``<pre>``, a rule), which no paragraph may hold."""

    html: str
    tag: str | None = None
    closing: bool = False
    block: bool = False


@dataclass
class Marks:
    """The pieces one rendering has made so far; a marker in its text indexes ``pieces``.
    ``autonumber`` numbers the external links without a caption, page-wide as MediaWiki does."""

    pieces: list[Piece] = field(default_factory=list)
    autonumber: int = 0

    def mark(self, piece: Piece) -> str:
        self.pieces.append(piece)
        return f"{MARK}{len(self.pieces) - 1}{MARK}"

    def opening(self, tag: str, attrs: str = "") -> str:
        return self.mark(Piece(f"<{tag}{attrs}>", tag))

    def closing(self, tag: str) -> str:
        return self.mark(Piece(f"</{tag}>", tag, closing=True))


def plain(text: str) -> str:
    """Page text with the marker character taken out (it may not start a marker of its own)."""
    return text.replace(MARK, "\ufffd")


@lru_cache(maxsize=4096)
def is_url(text: str) -> bool:
    """True when ``text`` is a whole URL MediaWiki would link (so of a protocol it allows).
    Kept: a page's sources are checked twice (where written, in the facts box), and the same
    ones recur from page to page (the check was a ninth of making a facts box)."""
    return _URL.fullmatch(text) is not None


def render_lines(marks: Marks, lines: list[str], *, links: bool = True) -> str:
    """HTML of ``lines`` (text with ``marks``'s markers), each run through the inline passes.

    ``links=False`` for a link's caption, where MediaWiki makes no links of URLs.
    """
    text = "\n".join(lines)
    if not _is_active(text):
        return text  # most units: no pass has anything to do, and nothing is to be escaped
    return run_passes(marks, lines, links=links)


def run_passes(marks: Marks, lines: list[str], *, links: bool = True) -> str:
    """``render_lines`` without its shortcut: every pass that may apply to each line."""
    done = []
    for line in lines:
        # Each pass only where its opening character is: most lines hold none of them.
        if "<" in line:
            line = page_tags(marks, line)
        if links and (":" in line or "[" in line):
            line = external_links(marks, line)
        done.append(quotes(marks, line) if "''" in line else line)
    return balance(marks, "\n".join(done))


def page_tags(marks: Marks, line: str) -> str:
    """Each tag MediaWiki allows becomes a marker, with its attributes made safe; any other
    ``<`` stays text (and is escaped at the end)."""
    def replace(match: re.Match[str]) -> str:
        slash, name, attrs, self_closing = match.groups()
        tag = name.lower()
        if tag in VOID:
            return marks.mark(Piece(f"<{tag}{'' if slash else attributes(tag, attrs)} />"))
        if tag not in PAIRED:
            return match.group()
        if slash:
            return marks.closing(tag)
        opened = marks.opening(tag, attributes(tag, attrs))
        return opened + marks.closing(tag) if self_closing else opened
    return _TAG.sub(replace, line)


def external_links(marks: Marks, line: str) -> str:
    """``[url caption]`` as MediaWiki links it (without a caption, numbered ``[1]``, ``[2]``),
    and bare URLs outside them."""
    if "[" not in line:  # every bracketed link opens with one
        return free_urls(marks, line)
    out: list[str] = []
    done = 0
    for match in _EXTERNAL.finditer(line):
        out.append(free_urls(marks, line[done:match.start()]))
        out.append(_external(marks, *match.groups()))
        done = match.end()
    out.append(free_urls(marks, line[done:]))
    return "".join(out)


def _external(marks: Marks, url: str, caption: str) -> str:
    """One ``[url caption]``: the caption stays text for the quotes pass."""
    href = html.escape(url)
    if not caption:
        marks.autonumber += 1
        return marks.mark(Piece(f'<a rel="nofollow" class="external autonumber" '
                               f'href="{href}">[{marks.autonumber}]</a>'))
    return (marks.mark(Piece(f'<a rel="nofollow" class="external text" href="{href}">', "a"))
            + caption + marks.closing("a"))


def free_urls(marks: Marks, line: str) -> str:
    """A bare URL as a link to itself, less trailing punctuation (and a ``)`` it does not
    open), as MediaWiki reads it."""
    if not _may_hold_free_url(line):
        return line

    def replace(match: re.Match[str]) -> str:
        url = match.group(1)
        trailing = ",;.:!?" + ("" if "(" in url else ")")
        cut = len(url.rstrip(trailing))
        url, rest = url[:cut], url[cut:]
        if not url.partition(":")[2].strip("/"):
            return match.group()
        href = html.escape(url)
        return marks.mark(Piece(f'<a rel="nofollow" class="external free" href="{href}">'
                               f'{escape_text(url)}</a>')) + rest
    return _FREE.sub(replace, line)


def _is_active(text: str) -> bool:
    """Whether an inline pass or the escaping has anything to do in ``text``: whether it holds
    what one starts at (a tag, a link, a quote, a marker). Seven ``in`` tests, one fast scan
    each, where a regex search stepped through every character (7% of rendering the corpus's
    pages)."""
    return ("<" in text or ">" in text or "&" in text or ":" in text or "[" in text
            or MARK in text or "''" in text)


def _may_hold_free_url(line: str) -> bool:
    """False when ``_FREE`` cannot match: no scheme (in any case it reads as that scheme)
    with its colon in the line. A colon is common in prose and code, and the regex, which
    tries each word of the line, was a tenth of rendering the corpus."""
    if ":" not in line:
        return False
    if "://" in line:
        return True
    folded = (line if line.isascii() else line.translate(_AS_ASCII)).lower()
    return any(before.endswith(_COLON_SCHEMES) for before in folded.split(":")[:-1])


def quotes(marks: Marks, line: str) -> str:
    """MediaWiki's ``doQuotes``: runs of apostrophes in a line as italic, bold or text."""
    parts = _QUOTES.split(line)
    if len(parts) == 1:
        return line
    _settle_quotes(parts)
    return "".join(_QuoteState(marks).convert(parts))


def _settle_quotes(parts: list[str]) -> None:
    """Make the runs ``doQuotes`` reads as text part of the text: the first of four, all but
    five of more; then, with an odd count of both bold and italic, one bold is an apostrophe
    and italic (best after a one-letter word, then after a longer one, then after a blank)."""
    bold = italic = 0
    for i in range(1, len(parts), 2):
        run = len(parts[i])
        if run == 4 or run > 5:
            keep = 3 if run == 4 else 5
            parts[i - 1] += "'" * (run - keep)
            parts[i] = "'" * keep
        run = len(parts[i])
        italic += run in (2, 5)
        bold += run in (3, 5)
    if bold % 2 == 0 or italic % 2 == 0:
        return
    single = multi = space = -1
    for i in range(1, len(parts), 2):
        if len(parts[i]) != 3:
            continue
        before = parts[i - 1]
        if before[-1:] == " ":
            space = i if space == -1 else space
        elif before[-2:-1] == " ":
            single = i
            break
        elif multi == -1:
            multi = i
    chosen = next((i for i in (single, multi, space) if i > -1), -1)
    if chosen > -1:
        parts[chosen] = "''"
        parts[chosen - 1] += "'"


class _QuoteState:
    """The state machine of ``doQuotes``' second half, writing tags as ``marks``'s markers."""

    def __init__(self, marks: Marks) -> None:
        self.marks = marks
        self.state = ""
        self.buffer = ""

    def tags(self, spec: str) -> str:
        """``"/i /b b"``-style tag list as markers."""
        return "".join(self.marks.closing(t[1:]) if t[0] == "/" else self.marks.opening(t)
                       for t in spec.split())

    def convert(self, parts: list[str]) -> Iterable[str]:
        for i, part in enumerate(parts):
            if i % 2 == 0:
                if self.state == "both":
                    self.buffer += part
                else:
                    yield part
            else:
                yield self.run(len(part))
        state = self.state
        if state in ("b", "ib"):
            yield self.tags("/b")
        if state in ("i", "bi", "ib"):
            yield self.tags("/i")
        if state == "bi":
            yield self.tags("/b")
        if state == "both" and self.buffer:
            yield self.tags("b i") + self.buffer + self.tags("/i /b")

    def run(self, length: int) -> str:
        """The tags for one run of 2, 3 or 5 apostrophes in the current state."""
        table = _QUOTE_TABLE[length]
        if self.state == "both":
            spec, self.state = table["both"]
            first, _, last = spec.partition("|")
            out = self.tags(first) + self.buffer + self.tags(last)
            self.buffer = ""
            return out
        spec, new_state = table.get(self.state, table[""])
        if self.state not in table:
            new_state = self.state + new_state
        self.state = new_state
        if new_state == "both":
            self.buffer = ""
        return self.tags(spec)


# Per run length, per state: (tags, next state). A state missing from the table opens the tag
# and appends its letter to the state (MediaWiki's ``$state .= 'i'``). In "both", the tags
# before and after "|" go around the buffered text.
_QUOTE_TABLE: dict[int, dict[str, tuple[str, str]]] = {
    2: {"i": ("/i", ""), "bi": ("/i", "b"), "ib": ("/b /i b", "b"),
        "both": ("b i|/i", "b"), "": ("i", "i")},
    3: {"b": ("/b", ""), "bi": ("/i /b i", "i"), "ib": ("/b", "i"),
        "both": ("i b|/b", "i"), "": ("b", "b")},
    5: {"b": ("/b i", "i"), "i": ("/i b", "b"), "bi": ("/i /b", ""), "ib": ("/b /i", ""),
        "both": ("i b|/b /i", ""), "": ("", "both")},
}


def balance(marks: Marks, text: str) -> str:
    """``text`` as HTML: its text escaped, its markers replaced, every element closed in order.

    A closing tag closes the innermost open element of its name and those inside it; one with
    nothing to close is dropped, as MediaWiki's HTML5 tidier drops it.
    """
    if MARK not in text:
        return escape_text(text)
    parts = _MARKER.split(text)  # text, marker's number, text, ..., text
    pieces = [marks.pieces[int(number)] for number in parts[1::2]]
    texts = [escape_text(part) for part in parts[::2]]
    if all(piece.tag is None for piece in pieces):  # most units: links only, nothing to close
        parts[::2] = texts
        parts[1::2] = [piece.html for piece in pieces]
        return "".join(parts)
    return close_in_order(texts, pieces)


def close_in_order(texts: list[str], pieces: list[Piece]) -> str:
    """``balance`` of the escaped ``texts`` with ``pieces`` between them (one fewer): each
    element closed in order."""
    out: list[str] = [texts[0]]
    stack: list[str] = []
    open_count: Counter[str] = Counter()  # of each tag in ``stack``: a look-up per closer
    for piece, after in zip(pieces, texts[1:]):
        if piece.tag is None:
            out.append(piece.html)
        elif not piece.closing:
            stack.append(piece.tag)
            open_count[piece.tag] += 1
            out.append(piece.html)
        elif open_count[piece.tag]:
            while stack:
                tag = stack.pop()
                open_count[tag] -= 1
                out.append(f"</{tag}>")
                if tag == piece.tag:
                    break
        out.append(after)
    out.extend(f"</{tag}>" for tag in reversed(stack))
    return "".join(out)
