"""Nothing a client sends crashes a tool: any arguments give an answer or a tool error that
says what was wrong, never the SDK's bare "Error executing tool" of an unexpected exception.
Property-based, over the server in-process (the transports are tested in test_server.py)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import anyio
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from mcp.server.mcpserver.exceptions import ToolError, UnexpectedToolError

from tests.conftest import EXAMPLE_WIKI
from wikiflow.graph.wiki import Wiki
from wikiflow.mcp.server import build_server

from .conftest import page_bytes

TOOLS = ("search", "get_page", "ask", "related", "lint_page", "fix_page", "new_page",
         "write_page")
#: Values of any JSON type, text with control characters, names like paths.
TEXT = st.one_of(st.text(max_size=300),
                 st.sampled_from(["../../etc/passwd", "Workflow:../x", "\x1b]0;x\x07", "[[",
                                  "{{#ask:", "Principle:", ":", "QLoRA_Fine_Tuning",
                                  "Principle:Quantization", "\x00", "lora", "Work\x00flow"]))
VALUES = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), TEXT),
                      lambda inner: st.lists(inner, max_size=3) |
                      st.dictionaries(st.text(max_size=10), inner, max_size=3), max_leaves=6)
#: Mostly text where text is expected (to reach the tools' own code), anything at times.
ARGUMENTS = st.fixed_dictionaries({}, optional={
    key: st.one_of(TEXT, TEXT, VALUES) for key in
    ("query", "namespace", "title", "text", "base_revision", "spec")} | {
    key: st.one_of(st.integers(-5, 10), VALUES) for key in ("limit", "depth")} | {
    key: st.one_of(st.booleans(), VALUES) for key in ("unsafe", "force")})


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    folder = Path(shutil.copytree(EXAMPLE_WIKI, tmp_path_factory.mktemp("fuzz") / "wiki",
                                  ignore=shutil.ignore_patterns(".wikiflow")))
    with Wiki.open(folder) as wiki:
        wiki.index(jobs=1)
    return build_server(folder), folder


@pytest.mark.parametrize("tool", TOOLS)
@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(arguments=ARGUMENTS)
@example(arguments={"query": "lora", "namespace": "Work\x00flow"})  # once crashed search
def test_any_arguments_give_an_answer_or_a_tool_error(served: tuple[Any, Path], tool: str,
                                                     arguments: dict[str, Any]) -> None:
    app, folder = served
    before = page_bytes(folder)
    try:
        anyio.run(app.call_tool, tool, arguments)
    except UnexpectedToolError as crash:  # a ToolError too: tested first
        raise AssertionError(f"{tool}({arguments!r}) crashed") from crash.__cause__
    except ToolError as error:
        assert str(error).strip()
        assert page_bytes(folder) == before  # a refused or failed call wrote nothing
