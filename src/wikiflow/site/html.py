"""What of a page's own HTML may reach the site, as MediaWiki's ``Sanitizer`` decides.

Page text is untrusted (agents write it). Only the tags MediaWiki allows in wikitext survive,
with only the attributes it allows, and a ``style`` that could load or run anything is replaced
as MediaWiki replaces it; everything else is shown as text. No tag that can run script
(``<script>``, ``<style>``, ``<iframe>``, ``<object>``, ``<a>``, ``<img>``, ``<svg>``...) is on
the list, no ``on*`` attribute and no URL-valued attribute is, so no value of the page becomes a
script or a link here: links come only from the link passes, which check their protocol.
"""

from __future__ import annotations

import html
import re
from html.entities import html5

#: Tags written on a page that MediaWiki keeps (``Sanitizer::getRecognizedTagData``, 1.39),
#: less ``pre`` (an extension tag, read by the scanner) and ``meta``/``link`` (microdata only).
PAIRED = frozenset({
    "b", "bdi", "del", "i", "ins", "u", "font", "big", "small", "sub", "sup", "h1", "h2", "h3",
    "h4", "h5", "h6", "cite", "code", "em", "s", "strike", "strong", "tt", "var", "div",
    "center", "blockquote", "ol", "ul", "dl", "table", "caption", "ruby", "rb", "rp", "rt",
    "rtc", "p", "span", "abbr", "dfn", "kbd", "samp", "data", "time", "mark", "q", "bdo", "tr",
    "td", "th", "li", "dt", "dd", "thead", "tbody", "tfoot",
})
VOID = frozenset({"br", "wbr", "hr"})

_COMMON = frozenset({"id", "class", "style", "lang", "dir", "title", "role"})
#: Attributes beyond the common ones, by tag (MediaWiki's ``setupAttributesAllowed``, less the
#: URL-valued ``cite`` and the ``data-*`` family, which nothing here needs).
_BY_TAG = {
    "table": {"border", "cellpadding", "cellspacing", "frame", "rules", "summary", "width",
              "align", "bgcolor"},
    "td": {"abbr", "axis", "headers", "scope", "rowspan", "colspan", "nowrap", "width",
           "height", "bgcolor", "align", "valign"},
    "tr": {"bgcolor", "align", "valign"},
    "font": {"size", "color", "face"},
    "ol": {"type", "start", "reversed"},
    "li": {"type", "value"},
    "ul": {"type"},
    "div": {"align"}, "p": {"align"}, "caption": {"align"},
    "h1": {"align"}, "h2": {"align"}, "h3": {"align"}, "h4": {"align"}, "h5": {"align"},
    "h6": {"align"}, "hr": {"width", "size", "noshade"}, "br": {"clear"},
    "time": {"datetime"}, "data": {"value"}, "abbr": {"title"}, "dfn": {"title"},
    "del": {"datetime"}, "ins": {"datetime"}, "bdo": {"dir"},
}
_BY_TAG["th"] = _BY_TAG["td"]
for _tag in ("thead", "tbody", "tfoot"):
    _BY_TAG[_tag] = {"align", "valign"}

_ATTRIBUTE = re.compile(
    r"""([^\s"'>/=\x00-\x1f]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\n\f]?|(.))", re.DOTALL)
_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|$)", re.DOTALL)
#: What makes MediaWiki's ``Sanitizer::checkCss`` refuse a style, and a few more ways to run
#: or load anything (``behavior``, ``@import``, any URL scheme, a stray ``<``).
_INSECURE_CSS = re.compile(
    r"expression|filter\s*:|accelerator\s*:|-o-link\s*:|-o-link-source\s*:|-o-replace\s*:"
    r"|url\s*\(|image\s*\(|image-set\s*\(|attr\s*\(|behavior|@import|javascript|vbscript"
    r"|[a-z]+:\s*//|<", re.IGNORECASE)
INSECURE_STYLE = "/* insecure input */"
_ENTITY = re.compile(r"&(?:([A-Za-z][A-Za-z0-9]*)|#([0-9]{1,8})|#[xX]([0-9A-Fa-f]{1,7}));")


def attributes(tag: str, source: str) -> str:
    """The attributes of ``<tag source>`` that MediaWiki keeps, written back safely (each value
    quoted and escaped, a leading blank before each), or ""."""
    if not source:  # most table cells and rows: nothing written
        return ""
    allowed = _BY_TAG.get(tag, set())
    kept = {name: safe_style(value) if name == "style" else value
            for name, value in tag_attributes(source).items()
            if name in _COMMON or name in allowed or name.startswith("aria-")}
    return "".join(f' {name}="{html.escape(value)}"' for name, value in kept.items())


def tag_attributes(source: str) -> dict[str, str]:
    """The attributes written in a tag, names lower-cased and values' character references
    decoded (as MediaWiki reads them before judging them); the last of a repeated one wins."""
    return {match.group(1).lower(): html.unescape(
                next((g for g in match.groups()[1:] if g is not None), ""))
            for match in _ATTRIBUTE.finditer(source)}


def safe_style(style: str) -> str:
    """``style`` when no CSS escape or comment hides a way to load or run anything in it, else
    MediaWiki's ``/* insecure input */``."""
    decoded = _CSS_COMMENT.sub(" ", _CSS_ESCAPE.sub(_unescape_css, style))
    if _INSECURE_CSS.search(decoded) or "\\" in decoded:
        return INSECURE_STYLE
    return decoded


def _unescape_css(match: re.Match[str]) -> str:
    if match.group(1) is None:
        return match.group(2)
    code = int(match.group(1), 16)
    return chr(code) if 0 < code < 0x110000 and not 0xD800 <= code < 0xE000 else "\ufffd"


def escape_text(text: str) -> str:
    """Text as element content, keeping the character references that name a character
    (``&amp;``, ``&#124;``) as MediaWiki does and escaping every other ``&``, ``<`` and ``>``
    (never an attribute value: those go through ``html.escape``)."""
    if "&" not in text:  # ``html.escape(text, quote=False)``, less its replacing of "&"
        return text.replace("<", "&lt;").replace(">", "&gt;")
    out: list[str] = []
    done = 0
    for match in _ENTITY.finditer(text):
        out.append(html.escape(text[done:match.start()], quote=False))
        out.append(match.group() if _names_character(match) else "&amp;" + match.group()[1:])
        done = match.end()
    out.append(html.escape(text[done:], quote=False))
    return "".join(out)


def _names_character(match: re.Match[str]) -> bool:
    """True for a named reference HTML5 knows, or a number naming a character a page may hold
    (no NUL, surrogate or other control character)."""
    name, decimal, hexadecimal = match.groups()
    if name is not None:
        return f"{name};" in html5
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    return (code in (9, 10, 13) or 32 <= code < 0x7F or 0xA0 <= code < 0x110000) and not (
        0xD800 <= code < 0xE000)
