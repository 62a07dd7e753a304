"""The catalog ``serve`` keeps: refreshed page by page after edits, it holds what a catalog read
whole from the index holds."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import EXAMPLE_WIKI
from wikiflow.graph.wiki import Wiki
from wikiflow.site.catalog import Catalog, read_catalog


def _view(catalog: Catalog) -> tuple[object, ...]:
    existing = {key: entry for key, entry in catalog.entries.items() if entry.exists}
    return (existing, catalog.paths, catalog.uses, catalog.used_by, catalog.domains,
            catalog.page_domains)


def test_a_refreshed_catalog_equals_one_read_whole(tmp_path: Path) -> None:
    wiki = shutil.copytree(EXAMPLE_WIKI, tmp_path / "wiki")
    with Wiki.open(wiki) as opened:
        opened.index()
        catalog = read_catalog(opened.conn)
        qlora = wiki / "workflows" / "QLoRA_Fine_Tuning.mediawiki"
        text = qlora.read_text(encoding="utf-8")
        qlora.write_text(text.replace("Principle:Quantization", "Principle:Brand_New", 1)
                         .replace("[[domain::LLMs]]", "[[domain::Fresh_Domain]]", 1), "utf-8")
        (wiki / "heuristics" / "Prefix_Caching.mediawiki").unlink()
        (wiki / "principles" / "Brand_New.mediawiki").write_text(
            "== Overview ==\nNew.\n\n[[used_by::Workflow:RAG_Pipeline]]\n", "utf-8")
        stats = opened.index_files(["workflows/QLoRA_Fine_Tuning.mediawiki",
                                    "heuristics/Prefix_Caching.mediawiki",
                                    "principles/Brand_New.mediawiki"])
        assert stats.removed == 1 and len(stats.changed_keys) == 2
        catalog.refresh(opened.conn, [*stats.changed_keys, "Heuristic:Prefix_Caching"])
        assert _view(catalog) == _view(read_catalog(opened.conn))


def test_a_catalog_lists_pages_by_key_whatever_order_they_were_indexed_in(
        tmp_path: Path) -> None:
    """A page's users, a domain's pages and a page's domains come in the order of keys and
    names, not of page ids: a page added after the first index (a higher id) whose key sorts
    first is listed first."""
    wiki = shutil.copytree(EXAMPLE_WIKI, tmp_path / "wiki")
    with Wiki.open(wiki) as opened:
        opened.index()
        (wiki / "workflows" / "Aaa_First.mediawiki").write_text(
            "{|\n|-\n! Domains\n| [[domain::LLMs]], [[domain::Aa_New]]\n|}\n"
            "== Overview ==\nFirst.\n\n== Execution Steps ==\n=== Step 1: Quantize ===\n"
            "[[step::Principle:Quantization]]\n", "utf-8")
        opened.index()
        ids = dict(opened.conn.execute("SELECT key, id FROM pages"))
        catalog = read_catalog(opened.conn)
    first = "Workflow:Aaa_First"
    assert ids[first] > ids["Workflow:QLoRA_Fine_Tuning"]  # indexed last, listed first
    users = [use.other for use in catalog.used_by["Principle:Quantization"]]
    workflows = [user for user in users if user.startswith("Workflow:")]
    assert workflows[0] == first and len(workflows) > 2 and users == sorted(users)
    assert [key for key in catalog.domains["LLMs"] if key.startswith("Workflow:")][0] == first
    assert all(keys == sorted(keys) for keys in catalog.domains.values())
    assert catalog.page_domains[first] == ["Aa_New", "LLMs"]  # a domain first seen last
    steps = [use.number for use in catalog.uses["Workflow:QLoRA_Fine_Tuning"]
             if use.property == "step"]
    assert steps == sorted(steps) and len(steps) > 2
