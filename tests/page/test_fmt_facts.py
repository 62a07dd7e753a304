"""fmt restates a page: formatting twice changes nothing more, and no fact comes or goes."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from wikiflow.lint.runner import format_text
from wikiflow.errors import InputError
from wikiflow.page.decode import decode_page
from wikiflow.page.parse import parse_text

#: Wikitext metacharacters, alone and in the places the guide gives them.
PIECES = st.sampled_from([
    "[[", "]]", "{{", "}}", "|", "{|", "|}", "=", "==", "<!--", "-->", "<pre>", "</pre>", "\n",
    "\r", "::", " ", ",", "*", "x", "LLMs", "[[domain::", "[[step::", "[[source::Repo|T|U]]",
    "[[domain::A]]", "! Domains", "! Knowledge Sources", "! Last Updated", "|-",
    "{| class=\"wikitable\"\n", "\n|}\n", "== Overview ==\n", "== Execution Steps ==\n",
    "=== Step 1: S ===\n", "== Related Pages ==\n", "{{#mermaid:graph TD\nA-->B\n}}",
])


def _facts(text: str) -> Counter[tuple[str, str]]:
    return Counter((a.prop, a.value) for a in parse_text(decode_page(text)[0]).annotations)


def _format(text: str) -> str | None:
    try:
        return format_text(text).formatted
    except InputError:  # an unformattable page is refused whole, which keeps every fact
        return None


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, max_size=50).map("".join))
@example("{|\n== Overview ==\n|-<!--")  # a comment opened on a row line of an open table
@example('{| class="wikitable"\n== Overview ==\n|-<pre>')  # a tag opened there
@example('{| class="wikitable"\n|}=== Overview ==\n')  # text after |} on its line
def test_fmt_is_idempotent_and_keeps_the_facts(text: str) -> None:
    once = _format(text)
    if once is None:
        return
    assert _format(once) == once
    assert set(_facts(once)) == set(_facts(text))


@pytest.mark.parametrize("cell", ["| [[domain::\nLLMs]], [[domain::Fine_Tuning]]",
                                  "| [[domain::Fine_Tuning]] [[custom::a, b]]"])
def test_fmt_keeps_a_broken_link_broken_and_other_annotations_whole(cell: str) -> None:
    """A value on two lines is no page name (SMW stores no such fact; the parser reads none),
    and fmt must not join the lines into one; an annotation fmt does not model stays as it is."""
    text = f"{{|\n|-\n! Domains\n{cell}\n|}}\n"
    formatted = format_text(text).formatted
    assert _facts(formatted) == _facts(text)
    assert format_text(formatted).formatted == formatted


@pytest.mark.parametrize("text", ["{|\n|-\n! Domains\n| [[domain::A]]\n== Overview ==\nx\n",
                                  "{|\n! Domains\n| a\n|-\n|\n* [[domain::B]]\n",
                                  "{|\n|}\n{|\n| [[domain::A]]\n"])
def test_fmt_of_an_unclosed_table_is_idempotent(text: str) -> None:
    once = format_text(text).formatted
    assert format_text(once).formatted == once
    assert _facts(once) == _facts(text)


@pytest.mark.parametrize("text", [
    "{|\n* [[source::Doc|D|u]]\n|-\n! Domains\n| [[domain::B]]\n|}\n",  # a line before the first row
    "{|\n|-\n! Knowledge Sources\n[[|\n* [[source::Doc|D|u]]\n|}\n",  # a header whose cell is gone
    "{|\n|-\n[[domain::A]] moved\n|-\n! Domains\n| [[domain::B]]\n|}\n",  # a line after a '|-'
    "{|\n|-\n! Domains [[step::P]]\n|-\n! Last Updated\n| [[last_updated::2024-01-01]]\n|}\n",
    "{|\n|-\n! Notes\n! Domains\n| [[domain::B]]\n|}\n",  # a header with no cell, then another
])
def test_fmt_keeps_table_lines_outside_any_cell(text: str) -> None:
    """Text of the metadata table in no data cell (MediaWiki shows it above the table, SMW
    stores its annotations) stays, as does a header with no cell: fmt once dropped both."""
    once = format_text(text).formatted
    assert _facts(once) == _facts(text)
    assert format_text(once).formatted == once
    words = Counter(re.findall(r"\w+", text)) - Counter(re.findall(r"\w+", once))
    assert not words, f"fmt dropped {sorted(words)}"


@pytest.mark.parametrize("text", [
    "{|\n|-\n! Last Updated\n|:\n|}\n",  # text after '|' that starts like a list item
    "{|\n|-\n! Knowledge Sources\n|\n* [[source::A|b|c]] |x\n|}\n",  # … or like a cell
    "{|\n|-\n! Domains\n| [[domain::A]] [[b\n |x\n|}\n",  # a blank kept '|x' from being a cell
    "{|\n|-\n! Last Updated\n|\n|}\n",  # an empty Last Updated row, as an empty Domains row
    "{|\n|-\n! Last Updated\n! Last Updated\n|}\n",
])
def test_fmt_never_moves_cell_text_to_a_line_start_it_would_change(text: str) -> None:
    """Cell text the parser read where it was no list item, cell or heading is written back
    where it still is none: fmt once put '|:' as ':' on a line of its own, a list item the next
    run dropped, so formatting twice changed the page again."""
    once = format_text(text).formatted
    assert format_text(once).formatted == once
    assert Counter(re.findall(r"\w+", text)) <= Counter(re.findall(r"\w+", once))


@pytest.mark.parametrize("tail", ["=== Overview ==", "* a", " x <!-- a\nb -->", "{| class=\"x\""])
def test_text_after_the_metadata_tables_close_stays_on_its_line(tail: str) -> None:
    """Moved to a line of its own, text after ``|}`` could become a heading, a list or a
    table: fmt keeps it where it was, and formatting again changes nothing."""
    text = f'{{| class="wikitable"\n|}}{tail}\n== Overview ==\nx\n'
    once = format_text(text).formatted
    assert f"\n|}}{tail}\n" in once and format_text(once).formatted == once
