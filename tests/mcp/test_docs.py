"""docs/mcp.md's examples are what the server answers now (a real run over stdio)."""

from __future__ import annotations

from tests.conftest import EXAMPLE_WIKI, ROOT
from wikiflow.mcp.docs import BEGIN, END, examples_markdown


def test_the_examples_in_docs_mcp_are_the_servers_answers() -> None:
    text = (ROOT / "docs" / "mcp.md").read_text(encoding="utf-8")
    committed = text[text.index(BEGIN):text.index(END) + len(END)]
    assert committed == examples_markdown(EXAMPLE_WIKI), (
        "docs/mcp.md is stale: run python -m wikiflow.mcp.docs examples/wiki docs/mcp.md")
