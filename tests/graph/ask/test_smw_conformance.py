"""Semantic MediaWiki's own ``#ask`` tests, restated (``smw_cases.yaml``), against wikiflow.

Each source file's pages are written into a wiki folder and indexed as ``wikiflow index`` does;
each case's query then runs as ``wikiflow query`` runs it. A case agrees when wikiflow answers
the pages SMW answers; a deliberate difference says why, and what wikiflow answers instead, and
is listed in docs/ask.md.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT
from wikiflow.files.layout import path_for_page
from wikiflow.graph.ask import AskError, ask_result
from wikiflow.graph.indexer import index_folder
from wikiflow.graph.store import Store
from wikiflow.page.names import page_name

SOURCES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).with_name("smw_cases.yaml")).read_text(encoding="utf-8"))
CASES = [(source, case) for source in SOURCES for case in source["cases"]]
#: SMW's tests ask for at most 10 results; so does each case here.
LIMIT = " |limit=10"


def _case_id(source: dict[str, Any], case: dict[str, Any]) -> str:
    return f"{source['source']} {case['name']}"


def _keys(titles: list[str]) -> list[str]:
    return sorted(page_name(title).key for title in titles)


@pytest.fixture(scope="module")
def indexes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, sqlite3.Connection]]:
    """One index per source file, built from its pages by the indexer."""
    stores = {}
    for source in SOURCES:
        root = tmp_path_factory.mktemp(source["source"].removesuffix(".json"))
        wiki = root / "wiki"
        for title, text in source["pages"].items():
            path = wiki / path_for_page(page_name(title))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text + "\n", encoding="utf-8")
        store = Store(root / "index.db")
        index_folder(store, wiki, jobs=1)
        stores[source["source"]] = store
    yield {name: store.conn for name, store in stores.items()}
    for store in stores.values():
        store.close()


def test_every_page_is_indexed(indexes: dict[str, sqlite3.Connection]) -> None:
    """The restated facts all reach the index: no case passes for want of a page."""
    for source in SOURCES:
        stored = {row[0] for row in indexes[source["source"]].execute(
            "SELECT key FROM pages WHERE exists_ = 1")}
        assert stored == set(_keys(list(source["pages"]))), source["source"]


@pytest.mark.parametrize(("source", "case"), CASES, ids=[_case_id(*c) for c in CASES])
def test_smw_case(indexes: dict[str, sqlite3.Connection], source: dict[str, Any],
                  case: dict[str, Any]) -> None:
    conn = indexes[source["source"]]
    expected = case.get("wikiflow", case["results"])
    if expected == "error":
        with pytest.raises(AskError):
            ask_result(conn, case["query"] + LIMIT)
        return
    result = ask_result(conn, case["query"] + LIMIT)
    assert sorted(row["page"] for row in result.rows) == _keys(expected)


def test_the_suite_restates_enough_cases_each_naming_its_source() -> None:
    assert len(CASES) >= 100
    for source, case in CASES:
        assert re.fullmatch(r"q-\d{4}\.json", source["source"])
        assert re.match(r"#\d+", case["name"]), case["name"]


def test_each_difference_is_real_and_documented() -> None:
    """A deliberate difference answers otherwise than SMW, and docs/ask.md names it."""
    docs = (ROOT / "docs" / "ask.md").read_text(encoding="utf-8")
    differing = [(source, case) for source, case in CASES if "differs" in case]
    assert differing
    for source, case in differing:
        assert case["wikiflow"] == "error" or _keys(case["wikiflow"]) != _keys(case["results"])
        number = case["name"].split(" ")[0].rstrip(",")
        assert f"{source['source'].removesuffix('.json')} {number}" in docs, _case_id(source, case)
