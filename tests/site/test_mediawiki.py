"""The renderer against a real MediaWiki (Debian's 1.39, ``action=parse``) on the shared corpus:
the visible text and the link targets of both renderings agree on every page.

That wiki has no Semantic MediaWiki, so it would show ``[[domain::LLMs]]`` as a link to a page
"Domain::LLMs". MediaWiki is therefore given each annotation as the wikitext of what SMW shows
for it (``smw_as_wikitext``): a link to the value's page with the caption or the value when the
property holds pages, the caption or the value as text otherwise, and the guide's
``[[source::Type|Title|URL]]`` as ``[URL Title] (Type)``; wikiflow renders the page as written.
Any other difference is a failure, save those docs/wikitext.md names (none of which occurs in
the corpus, so the test tolerates none).
"""

from __future__ import annotations

import difflib
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import requests

from tests.conftest import corpus_pages, needs_corpus
from tests.site.rendering import mediawiki_target, read_html, site_href
from wikiflow.page.decode import decode_page
from wikiflow.page.parse import parse_text
from wikiflow.site.smw import property_type, source_record
from wikiflow.site.wikitext import wikitext_html


#: ``<syntaxhighlight>`` as a wiki without Pygments shows it (the extension's own fallback, a
#: ``<pre>`` in its ``<div>``): the same text as highlighted code, without a Python process per
#: block, which made the corpus take an hour.
SYNTAXHIGHLIGHT = "wfLoadExtension('SyntaxHighlight_GeSHi');\n$wgPygmentizePath = false;\n"


def smw_as_wikitext(text: str) -> str:
    """``text`` with each annotation replaced by the wikitext of what SMW shows for it."""
    out, done = [], 0
    for annotation in parse_text(text).annotations:
        out.append(text[done:annotation.span.start])
        record = source_record(annotation)
        caption = annotation.caption
        if record is not None:
            kind, title, url = record
            shown = f"[{url} {title}] ({kind})" if title else f"{url} ({kind})"
        elif caption is not None and not caption.strip():
            shown = ""
        elif property_type(annotation) == "Page":
            label = caption if caption is not None else f"<nowiki>{annotation.value}</nowiki>"
            shown = f"[[:{annotation.value}|{label}]]"
        else:
            shown = caption if caption is not None else f"<nowiki>{annotation.value}</nowiki>"
        out.append(shown)
        done = annotation.span.end
    out.append(text[done:])
    return "".join(out)


def mediawiki_html(url: str, text: str) -> str:
    """MediaWiki's rendering of ``text`` (no section edit links, contents box or report)."""
    answer = requests.post(f"{url}api.php", timeout=60, data={
        "action": "parse", "text": text, "contentmodel": "wikitext", "title": "Workflow:Page",
        "prop": "text", "disableeditsection": 1, "disabletoc": 1, "disablelimitreport": 1,
        "format": "json", "formatversion": 2})
    answer.raise_for_status()
    return answer.json()["parse"]["text"]


def differences(url: str, path: Path) -> list[str]:
    """How wikiflow's rendering of the page at ``path`` differs from MediaWiki's: in visible
    text (blanks normalised, block edges as blanks) or in link targets (pages by title,
    external links by URL)."""
    text = decode_page(path.read_bytes())[0]
    theirs = read_html(mediawiki_html(url, smw_as_wikitext(text)))
    ours = read_html(str(wikitext_html(text, site_href)))
    found = []
    if theirs.text != ours.text:
        found.append(f"{path}: text differs\n{_difference(theirs.text, ours.text)}")
    their_links = {mediawiki_target(href) for href in theirs.hrefs}
    our_links = {mediawiki_target(href) for href in ours.hrefs}
    if their_links != our_links:
        found.append(f"{path}: links only MediaWiki has {sorted(their_links - our_links)[:5]}, "
                     f"only wikiflow has {sorted(our_links - their_links)[:5]}")
    return found


def _difference(expected: str, actual: str) -> str:
    """The first place two texts part, with some context, for the failure message."""
    matcher = difflib.SequenceMatcher(None, expected, actual, autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag != "equal":
            return (f"MediaWiki: …{expected[max(0, a0 - 60):a1 + 20]!r}\n"
                    f"wikiflow:  …{actual[max(0, b0 - 60):b1 + 20]!r}")
    return ""


@needs_corpus
def test_corpus_renders_as_mediawiki(mediawiki) -> None:
    """Every corpus page renders with MediaWiki's text and link targets (``differences``).

    Two requests at a time: the test server runs two PHP workers.
    """
    with mediawiki.settings.open("a", encoding="utf-8") as settings:
        settings.write(SYNTAXHIGHLIGHT)
    with ThreadPoolExecutor(2) as pool:
        found = [difference for page in pool.map(partial(differences, mediawiki.url),
                                                 corpus_pages())
                 for difference in page]
    assert not found, f"{len(found)} differences:\n" + "\n".join(found[:20])
