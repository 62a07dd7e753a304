"""What the site tests read back from rendered HTML: its visible text, its link targets, and
whether its tags balance. Used on wikiflow's rendering and on MediaWiki's alike."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, unquote, urlsplit

from wikiflow.page.names import page_name

#: Elements a browser shows on a line of their own: their edges separate words.
BLOCKS = frozenset({"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "td", "th",
                    "h1", "h2", "h3", "h4", "h5", "h6", "pre", "br", "caption", "hr",
                    "tbody", "blockquote"})
VOID = frozenset({"br", "hr", "wbr", "img", "input", "meta", "link"})
#: What can run script: elements, and attributes by name.
SCRIPT_ELEMENTS = frozenset({"script", "style", "iframe", "object", "embed", "svg", "math",
                             "img", "video", "audio", "frame", "frameset", "form", "base",
                             "link", "meta", "applet", "input", "button", "textarea"})
_BLANKS = re.compile(r"\s+")


class Reading(HTMLParser):
    """One pass over an HTML fragment: text, link targets, elements, attributes, balance."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []
        self.hrefs: list[str] = []
        self.elements: list[str] = []
        self.attributes: list[tuple[str, str, str | None]] = []
        self.stack: list[str] = []
        self.unbalanced: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(tag)
        self.attributes.extend((tag, name, value) for name, value in attrs)
        if tag in BLOCKS:
            self.words.append(" ")
        if tag == "a":
            self.hrefs.extend(value for name, value in attrs if name == "href" and value)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(tag)
        self.attributes.extend((tag, name, value) for name, value in attrs)
        if tag in BLOCKS:
            self.words.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS:
            self.words.append(" ")
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.unbalanced.append(tag)
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.words.append(data)

    @property
    def text(self) -> str:
        return _BLANKS.sub(" ", "".join(self.words)).strip()


def read_html(markup: str) -> Reading:
    reading = Reading()
    reading.feed(markup)
    reading.close()
    return reading


def mediawiki_target(href: str) -> str:
    """A MediaWiki href as a link target: an external URL as it is, a page as its title."""
    parts = urlsplit(href)
    if parts.netloc or parts.scheme:
        return href
    if parts.path.endswith("index.php"):
        title = parse_qs(parts.query)["title"][0]
    elif parts.path.startswith("/index.php/"):
        title = unquote(parts.path[len("/index.php/"):])
    else:
        return href
    return page_name(title).full + (f"#{parts.fragment}" if parts.fragment else "")


def site_href(title: str) -> str:
    """The href the comparison gives every page (all exist), so its title reads back."""
    return f"/index.php/{page_name(title).key}"
