"""What the index stores for an annotation's value and property, and how #ask finds it again:
as SMW does, a Page value is a title and a property name folds only its first letter and ``_``.
Pages are indexed by the indexer, as ``wikiflow index`` does."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wikiflow.graph import store as store_module
from wikiflow.graph.ask import ask_result, run_ask
from wikiflow.graph.indexer import index_folder
from wikiflow.graph.records import page_value
from wikiflow.graph.store import Store

PAGES = {
    "Tuned.wiki": "[[domain::fine_tuning]] [[source::Repo]] [[Has text::a]] [[Has Text::b]]",
    "City-A.wiki": "[[Located in::Country-A]]",
    "Country-A.wiki": "[[Member of::EconomicUnion-A]] [[Has area::12]]",
    "EconomicUnion-A.wiki": "[[Is part of::Community-A]]",
}


@pytest.fixture(scope="module")
def conn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    root = tmp_path_factory.mktemp("values")
    for name, text in PAGES.items():
        (root / name).write_text(text + "\n", encoding="utf-8")
    with Store(root / "index.db") as store:
        index_folder(store, root, jobs=1)
        yield store.conn


def pages(conn: sqlite3.Connection, query: str) -> list[str]:
    return [row["page"] for row in run_ask(conn, query)]


@pytest.mark.parametrize("spelling", ["fine_tuning", "fine tuning", "Fine_tuning",
                                      "Fine tuning", " fine  tuning "])
def test_a_page_value_is_found_by_every_spelling_of_its_title(conn: sqlite3.Connection,
                                                              spelling: str) -> None:
    assert pages(conn, f"[[domain::{spelling}]] |?domain") == ["Tuned"]
    assert pages(conn, "[[domain::Fine_Tuning]]") == []  # other letters' case matters
    assert run_ask(conn, "[[domain::+]] |?domain")[0]["domain"] == ["Fine_tuning"]


def test_a_text_value_is_compared_as_written(conn: sqlite3.Connection) -> None:
    assert pages(conn, "[[source::Repo]]") == ["Tuned"]
    assert pages(conn, "[[source::repo]]") == []


def test_property_names_fold_only_the_first_letter_and_underscores(
        conn: sqlite3.Connection) -> None:
    assert run_ask(conn, "[[has_text::+]] |?Has text |?Has_Text=T") == [
        {"page": "Tuned", "Has text": ["A"], "T": ["B"]}]
    assert pages(conn, "[[Has text::B]]") == []


def test_values_without_a_namespace_are_pages_for_subqueries_chains_and_inverses(
        conn: sqlite3.Connection) -> None:
    assert pages(conn, "[[Located in::<q>[[Member of::EconomicUnion-A]]</q>]]") == ["City-A"]
    assert pages(conn, "[[Located in.Member of.Is part of::Community-A]]") == ["City-A"]
    assert pages(conn, "[[-Located in::City-A]]") == ["Country-A"]
    assert pages(conn, "[[-Member of.-Located in::City-A]]") == ["EconomicUnion-A"]
    assert run_ask(conn, "[[Country-A]] |?-Located in") == [
        {"page": "Country-A", "-Located in": ["City-A"]}]
    assert pages(conn, "[[Located in::<q>[[Has area::>10]]</q>]]") == ["City-A"]


def test_the_sort_property_keeps_only_pages_that_have_it(conn: sqlite3.Connection) -> None:
    result = ask_result(conn, "[[~*]] |sort=Member of")
    assert [row["page"] for row in result.rows] == ["Country-A"] and result.warnings == []


@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30))
def test_a_title_reads_the_same_however_its_spaces_and_first_letter_are_written(
        value: str) -> None:
    """What the store keeps for a Page value is what a query for any respelling looks up."""
    stored = page_value(value)
    respelled = value.replace(" ", "_")
    respelled = respelled[:1].swapcase() + respelled[1:] if respelled[:1].isascii() else respelled
    if stored is not None:
        assert page_value(respelled) == stored
        assert page_value(stored) == stored


def test_the_schema_file_names_the_version_the_store_checks() -> None:
    """A schema change bumps SCHEMA_VERSION, so an older index is rebuilt, not misread
    (tests/graph/test_store.py checks the rebuild)."""
    script = resources.files("wikiflow.graph").joinpath("schema.sql").read_text(encoding="utf-8")
    assert script.startswith(f"-- wikiflow index, schema version {store_module.SCHEMA_VERSION}.")

