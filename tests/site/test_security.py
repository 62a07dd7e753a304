"""Page text is untrusted: nothing a page writes may become script in the site. Each class of
payload is tried alone, then hypothesis mixes them with wikitext: the renderer never raises,
its HTML balances, and no element, attribute, URL or style that can run or load script
survives (the site's Content-Security-Policy is the backstop, tested in the browser)."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.site.rendering import SCRIPT_ELEMENTS, Reading, read_html
from wikiflow.site.html import INSECURE_STYLE
from wikiflow.site.wikitext import wikitext_html

#: What a link may point to: a page of the site (relative), an anchor, or a protocol
#: MediaWiki allows, none of which runs script.
SAFE_HREF = re.compile(r"(?:#|p/|(?:https?|ftps?|mailto|irc|ircs|news|nntp|git|svn|ssh|sftp"
                       r"|tel|sms|xmpp|geo|urn|magnet|bitcoin|matrix|redis|mms|telnet|gopher"
                       r"|worldwind|sip|sips):|//)", re.IGNORECASE)
UNSAFE_STYLE = re.compile(r"url\s*\(|expression|javascript|behavior|@import|image\s*\(",
                          re.IGNORECASE)


def links(title: str) -> str | None:
    """Every other title exists, so that both blue and red links are made."""
    return None if len(title) % 2 else f"p/{quote(title)}.html"


def assert_inert(markup: str) -> Reading:
    """``markup`` balances and holds nothing that runs or loads script."""
    reading = read_html(markup)
    assert not reading.unbalanced and not reading.stack, markup
    assert not SCRIPT_ELEMENTS & set(reading.elements), markup
    for tag, name, value in reading.attributes:
        assert not name.startswith("on"), markup
        assert name not in ("src", "srcdoc", "formaction", "action", "xlink:href"), markup
        if name == "href":
            assert SAFE_HREF.match(value or ""), markup
        if name == "style":
            assert value == INSECURE_STYLE or not UNSAFE_STYLE.search(value or ""), markup
    return reading


PAYLOADS = {
    "script element": "<script>alert(1)</script>",
    "script split over lines": "<scr\nipt>alert(1)</script>",
    "style element": "<style>body{background:url(javascript:alert(1))}</style>",
    "iframe": '<iframe src="javascript:alert(1)"></iframe>',
    "object and embed": '<object data="x.swf"></object><embed src="x.swf">',
    "svg": '<svg onload="alert(1)"><script>alert(1)</script></svg>',
    "img onerror": '<img src=x onerror="alert(1)">',
    "event handler on an allowed tag": '<b onmouseover="alert(1)" OnClick=alert(1)>x</b>',
    "attribute breaking out of its quotes": "<span title='\" onmouseover=\"alert(1)'>x</span>",
    "anchor tag": '<a href="javascript:alert(1)">x</a>',
    "javascript link": "[javascript:alert(1) click] javascript:alert(1)",
    "data link": "[data:text/html,<script>alert(1)</script> click]",
    "entity-encoded scheme": "[jav&#97;script:alert(1) click]",
    "style with url": '<span style="background:url(https://x.org/a.png)">x</span>',
    "style with expression": '<div style="width: expression(alert(1))">x</div>',
    "style hidden by CSS escapes": '<span style="background:\\75 rl(x)">x</span>',
    "style hidden by entities": '<span style="background:&#117;rl(x)">x</span>',
    "style hidden by a comment": '<span style="background:u/**/rl(x)">x</span>',
    "behavior": '<div style="behavior: url(x.htc)">x</div>',
    "table attributes": '{| onclick="alert(1)" style="background:url(x)"\n| x\n|}',
    "cell attributes": '{|\n| onmouseover="alert(1)" | x\n|}',
    "internal link to a script URL": "[[javascript:alert(1)|x]]",
    "annotation caption": "[[domain::LLMs|<script>alert(1)</script>]]",
    "source record with a script URL": "[[source::Repo|x|javascript:alert(1)]]",
    "template name": "{{<script>alert(1)</script>}}",
    "heading": "== <script>alert(1)</script> ==",
    "code block": "<syntaxhighlight lang='\"><script>alert(1)</script>'>x</syntaxhighlight>",
    "pre attributes": '<pre onclick="alert(1)" style="background:url(x)">x</pre>',
    "math and unknown tags": "<math>x</math><foo onclick=alert(1)>",
    "marker character": "\x7f0\x7f <b>\x7f1\x7f",
}


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=list(PAYLOADS))
def test_payload_runs_no_script(payload: str) -> None:
    assert_inert(str(wikitext_html(payload, links)))


def test_refused_tags_are_shown_as_text() -> None:
    assert read_html(str(wikitext_html("<script>alert(1)</script>", links))).text == (
        "<script>alert(1)</script>")


WIKITEXT = st.lists(st.sampled_from([
    "\n", " ", "a", "''", "'''", "*", "#", ":", ";", "=", "==", "----", "{|", "|}", "|-", "|",
    "||", "!", "!!", "|+", "[[", "]]", "[[Foo]]", "[[Foo|", "[[domain::LLMs]]", "[[#x]]",
    "[[source::Repo|T|https://x.org]]", "[[Category:X]]", "{{", "}}", "{{#mermaid:", "<!--",
    "-->", "<pre>", "</pre>", "<nowiki>", "</nowiki>", "<syntaxhighlight lang=x>",
    "</syntaxhighlight>", "<b>", "</b>", "<i>", "</div>", "<div>", "<span style='x'>",
    "<br>", "<table>", "<td>", "</tr>", "<li>", "&amp;", "&#1;", "&", "<", ">", '"',
    "http://x.org/a", "[http://x.org ", "]", "\x7f", "\x7f0\x7f", *PAYLOADS.values()]),
    max_size=60).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.one_of(WIKITEXT, st.text(max_size=200)))
def test_any_text_renders_balanced_and_inert(text: str) -> None:
    assert_inert(str(wikitext_html(text, links)))


@settings(max_examples=200, deadline=None)
@given(WIKITEXT, st.integers(0, 400), st.integers(0, 400))
def test_any_part_of_any_text_renders_balanced_and_inert(text: str, start: int, end: int) -> None:
    assert_inert(str(wikitext_html(text, links, start=min(start, end), end=max(start, end))))
