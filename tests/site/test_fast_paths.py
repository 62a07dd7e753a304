"""The renderer's fast paths give what the general paths they skip would give (property tests
on generated wikitext; each fast path is kept beside the general one it shortens)."""

from __future__ import annotations

import html
import json
import re
import string
from urllib.parse import quote

from hypothesis import example, given, settings
from hypothesis import strategies as st
from markupsafe import Markup, escape

from wikiflow.page.model import Annotation
from wikiflow.page.scan import Kind, Token, is_text, scan
from wikiflow.site import inline, pages, paths, smw, wikitext
from wikiflow.site.catalog import Catalog, Entry, Use
from wikiflow.site.html import attributes, escape_text
from wikiflow.site.inline import Marks, Piece

#: Pieces of text around URLs: schemes in any case, letters Unicode folds onto ASCII ones
#: ("ſ" is an "s", "K" a "k" to a case-blind match), word characters and stops.
URL_PIECES = st.lists(st.sampled_from([
    "http", "HTTPS", "hTTp", "://", "ftp", "mailto", "tel", "sip", "xmpp", "urn", "ſ", "K",
    "s", ":", " ", "a", "_", "1", "é", "'", "''", "[", "]", "\x7f", ".", ")", "(", "/", "İ",
    "ı", "worldwind", "xbitcoin",
]), max_size=16).map("".join)


@settings(max_examples=500)
@given(URL_PIECES)
def test_the_bare_url_search_finds_what_the_plain_pattern_finds(text: str) -> None:
    plain = re.compile(rf"\b{inline.FREE_URL}", re.IGNORECASE)
    assert [m.span() for m in inline._FREE.finditer(text)] == [
        m.span() for m in plain.finditer(text)]


@settings(max_examples=1000)
@given(URL_PIECES)
@example("ſms:+1234")  # "ſ" is an "s", "ı" and "İ" are an "i" to a case-blind match
@example("bıtcoin:abc")
@example("x sİp:a@b.org")
def test_a_line_said_to_hold_no_bare_url_holds_none(text: str) -> None:
    """``free_urls`` skips the search on such a line."""
    if not inline._may_hold_free_url(text):
        assert inline._FREE.search(text) is None


@settings(max_examples=1000)
@given(st.text(alphabet=string.punctuation + " \t\nax", max_size=12))
def test_a_text_said_to_hold_no_construct_scans_as_one_text_token(text: str) -> None:
    """Every ASCII punctuation character is drawn: a construct starting at one that
    ``is_text`` does not look for would be scanned here as more than one token."""
    if is_text(text):
        assert scan(text).tokens == ([Token(Kind.TEXT, 0, len(text))] if text else [])


#: Pieces of a unit's lines: text that no pass and no escaping touches, and text that some do.
LINE_PIECES = st.sampled_from([
    "a", "b c", " ", "'", "''", "'''", "<b>", "</b>", "<i>", "<br>", "<", ">", "&", "&amp;",
    "&bogus;", ":", "[", "]", "http://a.org/x", "[http://b.org]", "[http://c.org c]", "x:y",
    "\ufffd", "!", "*", "#",
])
LINES = st.lists(st.lists(LINE_PIECES, max_size=8).map("".join), min_size=1, max_size=3)


@settings(max_examples=500)
@given(LINES, st.booleans())
def test_render_lines_gives_what_every_pass_gives(lines: list[str], links: bool) -> None:
    fast, slow = Marks(), Marks()
    assert inline.render_lines(fast, lines, links=links) == inline.run_passes(
        slow, lines, links=links)
    assert fast == slow


@settings(max_examples=500)
@given(st.lists(st.tuples(LINE_PIECES, st.sampled_from([
    Piece('<a href="x">y</a>'), Piece("<hr />", block=True), Piece("<br />")])), max_size=6),
    LINE_PIECES)
def test_balance_without_tags_gives_what_closing_in_order_gives(
        runs: list[tuple[str, Piece]], last: str) -> None:
    marks = Marks()
    text = "".join(text + marks.mark(piece) for text, piece in runs) + last
    parts = [escape_text(part) for part in [text for text, _ in runs] + [last]]
    assert inline.balance(marks, text) == inline.close_in_order(
        parts, [piece for _, piece in runs])


@given(st.text(alphabet="<>\"'a;#x", max_size=12))
def test_escaping_text_without_an_ampersand_is_escaping_it_as_html(text: str) -> None:
    assert escape_text(text) == html.escape(text, quote=False)


@settings(max_examples=200)
@given(st.lists(st.sampled_from(["\n", " ", "a", "* b", "{|", "|}", "== h ==", "[[x]]", "''"]),
                max_size=8).map("".join), st.integers(0, 40))
def test_an_empty_part_renders_as_nothing(text: str, at: int) -> None:
    """``wikitext_html`` returns "" for an empty part without walking it."""
    assert wikitext.render_part(text, lambda title: None, at, at) == ""


@settings(max_examples=500)
@given(st.lists(LINE_PIECES.filter(lambda piece: "[" not in piece), max_size=8).map("".join))
def test_a_line_without_a_bracket_gets_the_links_it_gets_with_one_after_it(line: str) -> None:
    """A "[" at the end starts no bracketed link (none ends after it) and ends no bare URL
    that the line's end would not: the line takes the general path with it, the short one
    without."""
    fast, slow = Marks(), Marks()
    assert inline.external_links(fast, line) + "[" == inline.external_links(slow, line + "[")
    assert fast == slow


@given(st.sampled_from(["td", "th", "tr", "table", "span", "div"]))
def test_no_attributes_written_is_what_blanks_give(tag: str) -> None:
    assert attributes(tag, "") == attributes(tag, " \t") == ""


@settings(max_examples=500)
@given(st.one_of(st.text(), st.text(alphabet=string.ascii_letters + string.digits + "_.-~/%+ ")))
def test_a_site_path_is_quoted_as_quote_quotes_it(path: str) -> None:
    """``paths._quoted`` returns a path of only kept characters as it is."""
    assert paths._quoted(path) == quote(path)


# --- what a page's view keeps or asks once ---------------------------------------------------

HEADING_TEXT = st.text(alphabet='ab <>&"\'_#:', max_size=8)


@settings(max_examples=300)
@given(st.integers(1, 8), HEADING_TEXT, HEADING_TEXT, st.integers(0, 2 * pages.CACHED_HEADING),
       st.booleans())
def test_a_kept_opening_is_the_opening_made_afresh(level: int, title: str, anchor: str,
                                                   pad: int, step: bool) -> None:
    """Asked twice (the second from the kept ones when short and not a step's), a section's
    opening is what the general maker gives, every value escaped; long and short alike."""
    title += "x" * pad
    section = pages.Section(level, title, anchor, Markup(""),
                            principle=("P", None) if step else None)
    made = pages._opening(level, title, anchor, step)
    assert section.opening == section.opening == made
    assert made.startswith(f'<section class="level-{level}{" step" if step else ""}">\n'
                           f'<h{min(level, 6)} id="{escape(anchor)}">{escape(title)}<a ')


LINK_TEXT = st.text(alphabet="ab _#:Principle", max_size=14)


@settings(max_examples=300)
@given(st.lists(LINK_TEXT, max_size=6))
def test_the_link_callback_answers_a_title_asked_again_as_it_did_first(titles: list[str]
                                                                       ) -> None:
    catalog = Catalog(paths={"Principle:A": "principles/A.html", "B": "main/B.html"})
    named: set[str] = set()
    fresh: set[str] = set()
    link = pages.links_from(catalog, "workflows/W.html", named)
    for title in titles + titles:
        assert link(title) == pages._link(catalog, "workflows/W.html", fresh, title)
    assert named == fresh


PROPERTIES = st.sampled_from(["source", "Source", "source ", "domain", "Domain", "step",
                              "Step", "uses_heuristic", "Uses heuristic", "has Text"])


@settings(max_examples=200)
@given(st.lists(st.tuples(PROPERTIES, st.sampled_from(["A", "Blog|T|http://a.org", "x|y"])),
                min_size=1, max_size=8))
def test_the_values_of_a_facts_row_share_its_type_and_source_ness(facts: list[tuple[str, str]]
                                                                  ) -> None:
    """``_fact_row`` asks them of a row's first value only."""
    annotations = [Annotation(prop, value.split("|")[0], parts=tuple(value.split("|")))
                   for prop, value in facts]
    for values in smw._facts(annotations).values():
        assert {(a.prop == smw.SOURCE, smw.property_type(a)) for a in values} == {
            (values[0].prop == smw.SOURCE, smw.property_type(values[0]))}


def test_a_neighbourhood_holds_the_first_pages_met_each_once() -> None:
    uses = [Use(f"P{i % 70}", "step", i, None) for i in range(200)]
    catalog = Catalog(paths={"W": "main/W.html", "P3": "main/P3.html"},
                      uses={"W": uses}, used_by={"W": [Use("P1", "step", 1, None),
                                                         Use("Q", "step", 1, None)]})
    data = json.loads(pages.neighbourhood(catalog, "W", "main/W.html") or "")
    assert [n["t"] for n in data["nodes"]] == ["W"] + [f"P{i}" for i in range(pages.NEIGHBOURS)]
    assert data["nodes"][4]["h"] == "../main/P3.html" and data["nodes"][1]["h"] is None
    assert data["edges"] == [[0, 1 + i % 70] for i in range(200) if i % 70 < 60] + [[2, 0]]


KEY_TEXT = st.text(alphabet='ab _"\\<&é\u2028\x01/%', min_size=1, max_size=6)


@settings(max_examples=300)
@given(st.lists(st.tuples(KEY_TEXT, st.booleans(), st.booleans()), min_size=1, max_size=8),
       st.sampled_from(["main/W.html", "workflows/W.html", "a/b/W.html"]))
def test_a_neighbourhood_is_written_as_json_dumps_writes_it(others: list[tuple[str, bool, bool]],
                                                             current: str) -> None:
    """The neighbourhood's JSON, written piece by piece, is ``json.dumps``'s of the same
    nodes and edges: the pages it is in stay byte for byte what they were."""
    entries = {k: Entry(k, "Principle", k, True, None, "", None) for k, known, _ in others
               if known}
    paths = {k: f"principles/{k}.html" for k, _, has_path in others if has_path}
    uses = [Use(k, "step", i, None) for i, (k, _, _) in enumerate(others)]
    catalog = Catalog(entries=entries, paths=paths, uses={"W": uses},
                      used_by={"W": uses[::2]})
    index = {"W": 0}
    for use in uses + uses[::2]:
        index.setdefault(use.other, len(index))
    nodes = [{"t": k.replace("_", " "), "n": entries[k].namespace if k in entries else "",
              "h": _href_or_none(current, paths.get(k))} for k in index]
    edges = ([[0, index[u.other]] for u in uses] + [[index[u.other], 0] for u in uses[::2]])
    assert pages.neighbourhood(catalog, "W", current) == json.dumps(
        {"nodes": nodes, "edges": edges, "focus": 0})


def _href_or_none(current: str, path: str | None) -> str | None:
    return None if path is None else paths.href(current, path)
