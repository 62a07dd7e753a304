"""The renderer, construct by construct: what MediaWiki 1.39 writes for each (checked against
its ``action=parse``; the corpus comparison is tests/site/test_mediawiki.py)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.site.rendering import read_html
from wikiflow.page.parse import parse_page
from wikiflow.site.wikitext import wikitext_html

PAGES = {"Foo": "foo.html", "Principle:Data formatting": "principle/data.html",
         "LLMs": "domain/llms.html"}


def links(title: str) -> str | None:
    """The site's map for these tests: three pages exist (by their title as written here)."""
    from wikiflow.page.names import page_name
    return next((href for name, href in PAGES.items()
                 if page_name(name).key == page_name(title).key), None)


def render(text: str) -> str:
    return str(wikitext_html(text, links))


# -- blocks ------------------------------------------------------------------------------------

def test_headings_carry_an_anchor_and_repeated_ones_are_numbered() -> None:
    assert render("== Step 1: Load ==\n=== B ===\n== Step 1: Load ==") == (
        '<h2><span class="mw-headline" id="Step_1:_Load">Step 1: Load</span></h2>\n'
        '<h3><span class="mw-headline" id="B">B</span></h3>\n'
        '<h2><span class="mw-headline" id="Step_1:_Load_2">Step 1: Load</span></h2>\n')


def test_lines_make_paragraphs_and_blank_lines_split_them() -> None:
    assert render("a\nb\n\nc") == "<p>a\nb</p>\n<p>c</p>\n"


def test_two_blank_lines_make_a_break_as_in_mediawiki() -> None:
    assert render("a\n\n\nb") == "<p>a</p>\n<p><br />\nb</p>\n"


def test_a_comment_line_does_not_split_a_paragraph() -> None:
    assert render("a\n<!-- note -->\nb") == "<p>a\nb</p>\n"
    assert render("a <!-- note --> b") == "<p>a  b</p>\n"


def test_lists_nest_and_switch_kind() -> None:
    assert render("* a\n** b\n* c\n# d\n#: e") == (
        "<ul><li>a<ul><li>b</li></ul></li>\n<li>c</li></ul><ol><li>d<dl><dd>e</dd></dl></li></ol>")


def test_definition_list_splits_term_and_definition() -> None:
    assert render("; term : text\n: more") == (
        "<dl><dt>term</dt>\n<dd>text</dd>\n<dd>more</dd></dl>")


def test_markdown_bold_at_a_line_start_is_a_nested_list_as_in_mediawiki() -> None:
    assert render("**Key points:**") == "<ul><li><ul><li>Key points:**</li></ul></li></ul>"
    assert render("a **b** c") == "<p>a **b** c</p>\n"


def test_a_leading_blank_makes_preformatted_text_with_markup_inside() -> None:
    assert render(" x = ''1''\n y\nz") == "<pre>x = <i>1</i>\ny</pre>\n<p>z</p>\n"


def test_behaviour_switches_show_nothing() -> None:
    assert render("__NOTOC__ text\n__notoc__") == "<pre>text</pre>\n"


def test_four_dashes_are_a_rule() -> None:
    assert render("a\n----\nb") == "<p>a</p>\n<hr />\n<p>b</p>\n"


def test_tables_with_attributes_headers_captions_and_inline_cells() -> None:
    text = ('{| class="wikitable" onclick="x()"\n|+ Facts\n|-\n! A !! B\n|-\n'
            '| style="color:red" | 1 || [[Foo]]\n|}')
    assert render(text) == (
        '<table class="wikitable">\n<caption> Facts</caption>\n<tbody><tr>\n'
        '<th> A </th>\n<th> B</th>\n</tr>\n<tr>\n<td style="color:red"> 1 </td>\n'
        '<td> <a href="foo.html" title="Foo">Foo</a></td>\n</tr>\n</tbody></table>\n')


def test_a_cell_holds_the_lines_up_to_the_next_cell() -> None:
    html = render("{|\n! Sources\n|\n* one\n* two\n|}")
    assert "<td><ul><li>one</li>\n<li>two</li></ul></td>" in html


# -- inline ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("''i'' '''b''' '''''bi'''''", "<i>i</i> <b>b</b> <i><b>bi</b></i>"),
    ("''a'''b'''c''", "<i>a<b>b</b>c</i>"),
    ("l'''arbre''' d''x''", "l<b>arbre</b> d<i>x</i>"),
    ("''unclosed", "<i>unclosed</i>"),
    ("''''four''''", "'<b>four'</b>"),
])
def test_quotes_follow_mediawiki(text: str, expected: str) -> None:
    assert render(text) == f"<p>{expected}</p>\n"


def test_internal_links_with_captions_namespaces_anchors_and_trails() -> None:
    assert render("[[Foo]]s [[Foo|the foo]] [[Principle:Data_formatting#Why|why]] [[#Top]]") == (
        '<p><a href="foo.html" title="Foo">Foos</a> <a href="foo.html" title="Foo">the foo</a> '
        '<a href="principle/data.html#Why" title="Principle:Data formatting">why</a> '
        '<a href="#Top">#Top</a></p>\n')


def test_missing_pages_are_red_links_without_a_target() -> None:
    assert render("[[Nowhere]]") == (
        '<p><a class="new" title="Nowhere (page does not exist)">Nowhere</a></p>\n')


def test_invalid_titles_and_unsaved_pipe_tricks_stay_text() -> None:
    assert render("[[a<b]] [[Foo|]]") == "<p>[[a&lt;b]] [[Foo|]]</p>\n"


def test_categories_are_not_shown_where_written_unless_escaped() -> None:
    assert render("[[Category:Training]]x [[:Category:Training]]") == (
        '<p>x <a class="new" title="Category:Training (page does not exist)">'
        'Category:Training</a></p>\n')


def test_external_links_bracketed_numbered_and_bare() -> None:
    assert render("[https://a.org A ''site''] [https://b.org] see https://c.org/x.") == (
        '<p><a rel="nofollow" class="external text" href="https://a.org">A <i>site</i></a> '
        '<a rel="nofollow" class="external autonumber" href="https://b.org">[1]</a> see '
        '<a rel="nofollow" class="external free" href="https://c.org/x">https://c.org/x</a>.</p>\n')


@pytest.mark.parametrize("text", [
    "[http://a.org]\n{|\n|[http://b.org]\n|}",  # a table after the paragraph
    "[http://a.org]\n== [http://b.org] ==",  # a heading after it
    "* [http://a.org]\n{|\n|[http://b.org]\n|}",  # a list item, then a table
])
def test_external_links_are_numbered_in_page_order(text: str) -> None:
    """MediaWiki numbers the links without a caption as they come in the page; a table's or a
    heading's were numbered before the paragraph above them (its lines are rendered once it
    ends)."""
    html = render(text)
    assert html.index('href="http://a.org">[1]</a>') < html.index('href="http://b.org">[2]</a>')


@pytest.mark.parametrize(("text", "shown"), [
    # MediaWiki drops the blanks before a category link, line ends included (T2087;
    # Parser::handleInternalLinks2): no empty paragraph for the category lines at a page's end.
    ("text\n\n[[Category:A]]\n[[Category:B]]\n", "<p>text</p>\n"),
    ("text [[Category:A]] more", "<p>text more</p>\n"),
    ("* a\n\n[[Category:A]]", "<ul><li>a</li></ul>"),
])
def test_blanks_before_a_category_link_go_as_in_mediawiki(text: str, shown: str) -> None:
    assert render(text) == shown


def test_code_blocks_keep_their_text_and_language() -> None:
    text = '<syntaxhighlight lang="python">\nif a < b: print("&amp;")\n</syntaxhighlight>'
    assert render(text) == (
        '<div class="mw-highlight mw-highlight-lang-python mw-content-ltr" dir="ltr"><pre>'
        'if a &lt; b: print("&amp;amp;")</pre></div>\n')
    assert 'lang-bash' in render('<source lang="bash">ls</source>')
    assert render('<syntaxhighlight lang="sh" inline>ls -l</syntaxhighlight>') == (
        '<p><code class="mw-highlight mw-highlight-lang-sh" dir="ltr">ls -l</code></p>\n')


def test_pre_nowiki_and_code_tags() -> None:
    assert render("<pre>''x'' &amp; <b></pre>") == "<pre>''x'' &amp; &lt;b&gt;</pre>\n"
    assert render("<nowiki>''x'' [[Foo]]</nowiki> <code>''y''</code>") == (
        "<p>''x'' [[Foo]] <code><i>y</i></code></p>\n")


def test_entities_that_name_a_character_are_kept_and_others_escaped() -> None:
    assert render("&amp; &#124; &eacute; &bogus; &#0; a < b") == (
        "<p>&amp; &#124; &eacute; &amp;bogus; &amp;#0; a &lt; b</p>\n")


def test_templates_show_as_red_links_and_parser_functions_as_text() -> None:
    assert render("{{Note|x=1}}") == (
        '<p><a class="new" title="Template:Note (page does not exist)">Template:Note</a></p>\n')
    assert render("{{#mermaid:graph TD\nA-->B}}") == "<p>{{#mermaid:graph TD\nA--&gt;B}}</p>\n"


def test_stray_closing_tags_are_dropped_and_open_ones_closed() -> None:
    assert render("a</div> <b>b\n\nc") == "<p>a <b>b</b></p>\n<p>c</p>\n"


# -- annotations and the facts box -------------------------------------------------------------

def test_annotations_show_caption_or_value_with_the_property_on_hover() -> None:
    assert render("[[domain::LLMs]] [[step::Principle:Data_formatting|format]]") == (
        '<p><a href="domain/llms.html" class="smw-annotation" title="domain: LLMs">LLMs</a> '
        '<a href="principle/data.html" class="smw-annotation" '
        'title="step: Principle:Data_formatting">format</a></p>\n')


def test_annotations_of_missing_pages_are_red_and_other_types_text() -> None:
    html = render("[[uses_heuristic::Heuristic:Gone]] [[last_updated::2024-01-02 10:00 GMT]]")
    assert ('<a class="smw-annotation new" title="uses_heuristic: Heuristic:Gone '
            '(page does not exist)">Heuristic:Gone</a>') in html
    assert ('<span class="smw-annotation" title="last_updated: 2024-01-02 10:00 GMT">'
            '2024-01-02 10:00 GMT</span>') in html


def test_source_records_are_links_with_their_type() -> None:
    html = render("[[source::Paper|LoRA|https://arxiv.org/abs/2106.09685]]")
    reading = read_html(html)
    assert reading.hrefs == ["https://arxiv.org/abs/2106.09685"]
    assert reading.text == "LoRA (Paper)"


def test_factbox_lists_each_property_and_its_values() -> None:
    from wikiflow.site.smw import factbox_html
    page = parse_page("[[domain::LLMs]], [[domain::Vision]], [[domain::LLMs]]\n"
                      "[[source::Repo|PEFT|https://github.com/huggingface/peft]]", "Workflow:X")
    reading = read_html(str(factbox_html(page, links)))
    assert reading.text == "Facts about Workflow:X Domain LLMs, Vision Source PEFT (Repo)"
    assert "domain/llms.html" in reading.hrefs
    assert str(factbox_html(parse_page("no facts"), links)) == ""


# -- parts of a page ---------------------------------------------------------------------------

def test_a_section_ending_in_a_blank_line_has_no_empty_paragraph() -> None:
    """The blank line before the next heading ends the paragraph, as in MediaWiki; the next
    line's empty start, cut off by the part's end, was a second blank line (``<br />``)."""
    text = "== A ==\ntext\n\n== B ==\nx"
    start, end = text.index("text"), text.index("== B")
    assert wikitext_html(text, links, start=start, end=end) == "<p>text</p>\n"


def test_a_part_after_a_table_line_holds_none_of_that_line() -> None:
    """After the metadata table (shown as the card), the rest of its ``|}`` line is not a blank
    line of the next part: MediaWiki shows nothing between the table and the heading."""
    text = "{|\n|a\n|}\n\n== H ==\ntext"
    assert wikitext_html(text, links, start=text.index("|}") + 2, end=text.index("== H")) == ""


_LINES = st.lists(st.sampled_from(["text", "more ''text''", "", " ", " pre", "* item",
                                   "# step", "; term : def", "----", "[[Foo]]"]), max_size=6)


@given(st.lists(_LINES, min_size=1, max_size=4))
def test_sections_rendered_apart_make_the_page_rendered_whole(bodies: list[list[str]]) -> None:
    """A heading closes every paragraph and list (MediaWiki's block pass), so the sections
    rendered as parts, as the site renders them between its headings, give the page's own
    rendering: a part's bounds add or drop no line."""
    text = "\n".join(f"== H{i} ==\n" + "\n".join(body) for i, body in enumerate(bodies))
    heads = [(m.start(), m.end()) for m in re.finditer(r"^== H\d+ ==$", text, re.MULTILINE)]
    parts = []
    for i, (start, end) in enumerate(heads):
        parts.append(wikitext_html(text, links, start=start, end=end + 1))
        stop = heads[i + 1][0] if i + 1 < len(heads) else len(text)
        parts.append(wikitext_html(text, links, start=min(end + 1, len(text)), end=stop))
    assert "".join(parts) == wikitext_html(text, links)


def test_a_part_renders_as_the_same_text_alone() -> None:
    text = "== A ==\nintro [[Foo]]\n* item\n== B ==\nrest"
    start, end = text.index("intro"), text.index("== B")
    assert wikitext_html(text, links, start=start, end=end) == wikitext_html(
        text[start:end], links)


@pytest.mark.parametrize(("text", "shown"), [
    # What SMW shows (docs/annotations.md): a switch is replaced by nothing
    # (src/Parser/LinksProcessor.php), as is [[p::]]; @@@ as in SMW's p-0212.json (a link to
    # the property, with a caption, and with |# the name alone: class "smw-property nolink").
    ("a [[SMW::off]] b [[SMW::on]] c", "<p>a  b  c</p>\n"),
    ("a [[SMW::off]] [[domain::LLMs]] [[SMW::on]]",
     '<p>a  <a href="domain/llms.html" class="smw-annotation" title="domain: LLMs">LLMs</a> '
     '</p>\n'),
    ("x [[domain::]] y", "<p>x  y</p>\n"),
    ("[[Foo::@@@]]", '<p><a class="smw-property new" title="Property:Foo (page does not exist)">'
                     'Foo</a></p>\n'),
    ("[[Foo::@@@|the foo]]", '<p><a class="smw-property new" '
                             'title="Property:Foo (page does not exist)">the foo</a></p>\n'),
    ("[[Foo::@@@|#]]", '<p><span class="smw-property nolink">Foo</span></p>\n'),
])
def test_smw_switches_empty_values_and_property_links_show_as_smw_shows_them(
        text: str, shown: str) -> None:
    assert render(text) == shown
