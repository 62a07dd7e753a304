"""``wikiflow mcp`` through the SDK's own client, over stdio and over streamable HTTP: every
tool, resource and prompt; refusals that write nothing; a written page found at once, clean
and formatted; garbage that gives tool errors and never ends the server; many readers while
one writes."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest

from wikiflow.graph.wiki import Wiki, ask_data
from wikiflow.lint.ruledocs import writing_guide
from wikiflow.mcp.docs import SPEC  # the page docs/mcp.md writes
from wikiflow.mcp.tools import MAX_TEXT
from wikiflow.page.structured import json_schema

from .conftest import ENV, ToolFailed, call, http_session, page_bytes

QUERY = "[[domain::LLMs]] |?step |limit=3"


def _run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wikiflow", *args], env=ENV, text=True,
                          capture_output=True, timeout=120)


def test_every_tool_resource_and_prompt_answers(session: Any, wiki: Path) -> None:
    async def work(client: Any) -> dict[str, Any]:
        listed = {tool.name: tool for tool in (await client.list_tools()).tools}
        resources = {str(r.uri): (await client.read_resource(str(r.uri))).contents[0].text
                     for r in (await client.list_resources()).resources}
        prompt = await client.get_prompt("write_workflow", {"topic": "speculative decoding"})
        made = await call(client, "new_page", spec=SPEC)
        write = await call(client, "write_page", title="Tiny_Recipe", text=made["text"])
        return {
            "tools": listed, "resources": resources, "prompt": prompt.messages[0].content.text,
            "search": await call(client, "search", query="lora adapter", limit=5),
            "search_ns": await call(client, "search", query="lora", namespace="Principle"),
            "page": await call(client, "get_page", title="QLoRA_Fine_Tuning"),
            "principle": await call(client, "get_page", title="Principle:Quantization"),
            "ask": await call(client, "ask", query=QUERY),
            "related": await call(client, "related", title="QLoRA_Fine_Tuning"),
            "related2": await call(client, "related", title="QLoRA_Fine_Tuning", depth=2),
            "lint": await call(client, "lint_page", text="== Overview ==\nToo little.\n"),
            "fix": await call(client, "fix_page", text=made["text"].replace(
                "=== Step 2: Model Quantization ===", "=== Step 7: Model Quantization ===")),
            "new": made, "write": write,
        }

    got = session(work)
    tools = got["tools"]
    assert sorted(tools) == sorted(["search", "get_page", "ask", "related", "lint_page",
                                    "fix_page", "new_page", "write_page"])
    assert all(tool.output_schema and tool.input_schema for tool in tools.values())
    assert tools["new_page"].input_schema["properties"]["spec"]  # the page spec's schema
    assert got["resources"]["wikiflow://guide"] == writing_guide()
    assert json.loads(got["resources"]["wikiflow://schema"]) == json_schema()
    assert "WF" in got["resources"]["wikiflow://rules"]
    assert "speculative decoding" in got["prompt"] and "write_page" in got["prompt"]

    with Wiki.open(wiki, create=False) as library:  # the same answers as the library's
        assert got["search"]["hits"] == library.search("lora adapter", limit=5)
        assert got["search_ns"]["hits"] == library.search("lora", namespace="Principle")
        answer = {key: value for key, value in got["ask"].items() if value is not None}
        assert answer == ask_data(library.ask(QUERY)) and answer["results"]
        shown = library.show("QLoRA_Fine_Tuning")
    assert {hit["page"].split(":")[0] for hit in got["search_ns"]["hits"]} == {"Principle"}
    page = got["page"]
    source = wiki / "workflows" / "QLoRA_Fine_Tuning.mediawiki"
    assert page["revision"] == hashlib.sha1(source.read_bytes()).hexdigest()
    assert page["text"] == source.read_text(encoding="utf-8")
    assert [(s["number"], s["name"], s["principle"], s["principle_exists"])
            for s in page["steps"]] == [(s["number"], s["name"], s["principle"],
                                         s["principle_exists"]) for s in shown["steps"]]
    assert all(step["body"] for step in page["steps"]) and page["diagram"]
    assert page["findings"] == [] and page["sources"] == shown["sources"]
    principle = got["principle"]
    assert principle["overview"].startswith("Storing model weights")
    assert {b["page"] for b in principle["backlinks"]} >= {"Workflow:QLoRA_Fine_Tuning"}
    assert {link["target"] for link in principle["links"]} >= {"Workflow:QLoRA_Fine_Tuning"}
    assert [s["principle"] for s in got["related"]["steps"]] == [s["principle"] for s in
                                                                 shown["steps"]]
    assert {n["distance"] for n in got["related2"]["neighbours"]} == {1, 2}
    assert {f["code"] for f in got["lint"]["findings"]} and all(
        {"code", "line", "column", "message", "fix"} <= set(f) for f in got["lint"]["findings"])
    assert got["fix"]["changed"] and "=== Step 2: Model Quantization ===" in got["fix"]["text"]
    assert got["new"]["findings"] == [] and "[[step::Principle:Quantization]]" in got["new"]["text"]
    written = got["write"]
    assert written["created"] and written["path"] == "workflows/Tiny_Recipe.mediawiki"
    assert written["revision"] == hashlib.sha1(
        (wiki / written["path"]).read_bytes()).hexdigest()


def test_each_refusal_writes_nothing(session: Any, wiki: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (wiki / "environments").symlink_to(outside)  # a type folder leading out of the wiki
    good = (wiki / "workflows" / "RAG_Pipeline.mediawiki").read_text(encoding="utf-8")
    broken = good.replace("=== Step 2:", "=== Step 5:")
    before = page_bytes(wiki)

    async def work(client: Any) -> list[str]:
        revision = (await call(client, "get_page", title="RAG_Pipeline"))["revision"]
        attempts = [
            {"title": "New_Page", "text": "== Overview ==\nNothing else.\n"},  # errors
            {"title": "RAG_Pipeline", "text": broken, "base_revision": revision},  # errors
            {"title": "RAG_Pipeline", "text": good + "\n"},  # exists, no base
            {"title": "RAG_Pipeline", "text": good + "\n", "base_revision": "0" * 40},  # stale
            {"title": "../../outside/Escape", "text": good},  # a relative path
            {"title": "Workflow:../Escape", "text": good},
            {"title": "A|B", "text": good},  # no page name
            {"title": "Tab\x01Title", "text": good},
            {"title": "Environment:Escape", "text": good, "force": True},  # a linked folder
            {"title": "Nul_Page", "text": good + "\0"},  # a NUL: a binary file
        ]
        messages = []
        for arguments in attempts:
            with pytest.raises(ToolFailed) as refused:
                await call(client, "write_page", **arguments)
            messages.append(str(refused.value))
        return messages

    messages = session(work)
    assert page_bytes(wiki) == before and not list(outside.iterdir())
    assert "error(s), nothing written" in messages[0] and "WF" in messages[1]
    assert "give its revision as base_revision" in messages[2]
    assert "changed since revision" in messages[3]
    assert all("not a valid page name" in m for m in messages[4:8]), messages[4:8]
    assert "outside the wiki" in messages[8]
    assert "NUL" in messages[9]


def test_a_written_page_is_found_at_once_lints_clean_and_fmt_keeps_it(
        session: Any, wiki: Path) -> None:
    async def work(client: Any) -> dict[str, Any]:
        text = (await call(client, "new_page", spec=SPEC))["text"]
        first = await call(client, "write_page", title="Tiny_Recipe", text=text)
        found = await call(client, "search", query="tiny recipe")
        page = await call(client, "get_page", title="Tiny_Recipe")
        edited = page["text"].replace("Load the base model", "Load the frozen base model")
        second = await call(client, "write_page", title="Tiny_Recipe", text=edited,
                            base_revision=page["revision"])
        again = await call(client, "get_page", title="Tiny_Recipe")
        hits = await call(client, "search", query="frozen")
        return {"first": first, "found": found, "page": page, "second": second,
                "again": again, "hits": hits}

    got = session(work)
    assert got["found"]["hits"][0]["page"] == "Workflow:Tiny_Recipe"
    assert got["page"]["revision"] == got["first"]["revision"]
    assert got["second"]["created"] is False
    assert got["again"]["revision"] == got["second"]["revision"] != got["first"]["revision"]
    assert "Workflow:Tiny_Recipe" in {hit["page"] for hit in got["hits"]["hits"]}
    file = wiki / got["first"]["path"]
    linted = _run_cli("lint", str(file))
    assert linted.returncode == 0, linted.stdout + linted.stderr
    formatted = _run_cli("fmt", "--check", str(file))
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr


GARBAGE: list[tuple[str, dict[str, Any]]] = [
    ("search", {"query": 5}),
    ("search", {"query": "x", "limit": -1}),
    ("search", {"query": "x" * 20_000}),
    ("search", {}),
    ("get_page", {"title": ["a"]}),
    ("get_page", {"title": "../../etc/passwd"}),
    ("get_page", {"title": "\x1b]0;owned\x07"}),
    ("get_page", {"title": "x" * 5000}),
    ("ask", {"query": "[[step::"}),
    ("ask", {"query": "|?" * 6000}),
    ("related", {"title": "QLoRA_Fine_Tuning", "depth": 99}),
    ("related", {"title": "No such page"}),
    ("lint_page", {"text": "x" * (MAX_TEXT + 1)}),
    ("lint_page", {"text": None}),
    ("fix_page", {"text": "ok", "unsafe": "very"}),
    ("new_page", {"spec": {"title": "../x"}}),
    ("new_page", {"spec": "title: x"}),
    ("write_page", {"title": "X", "text": "y", "base_revision": "not-a-hash"}),
    ("write_page", {"title": "", "text": "y"}),
    ("no_such_tool", {}),
]


def test_garbage_gives_tool_errors_and_the_server_goes_on(session: Any, wiki: Path) -> None:
    before = page_bytes(wiki)

    async def work(client: Any) -> tuple[list[str], dict[str, Any]]:
        failures = []
        for name, arguments in GARBAGE:
            with pytest.raises(ToolFailed) as failed:
                await call(client, name, **arguments)
            failures.append(str(failed.value))
        # still serving, and lint of odd but valid text answers
        odd = await call(client, "lint_page", text="\x00\x1b[31m\x9b" + "{{" * 1000)
        return failures, {"search": await call(client, "search", query="lora"), "odd": odd}

    failures, after = session(work)
    # each says what was wrong: a crash would say only "Error executing tool NAME"
    assert not [m for m in failures if re.fullmatch(r"Error executing tool \w+", m.strip())]
    assert after["search"]["hits"] and after["odd"]["findings"]
    assert page_bytes(wiki) == before


def test_ten_http_readers_while_one_writes_see_consistent_pages(
        http_server: str, wiki: Path) -> None:
    """Each answer is one state of the page: its text, revision and parts agree, and the
    revision is one the writer wrote (or the first)."""
    versions = 8
    written: dict[str, str] = {}  # revision -> the marker its text holds
    seen: list[dict[str, Any]] = []

    async def writer() -> None:
        async with http_session(http_server) as client:
            page = await call(client, "get_page", title="RAG_Pipeline")
            written[page["revision"]] = page["overview"]
            for n in range(versions):
                overview = f"Version {n} of the retrieval recipe."
                text = page["text"].replace(page["overview"], overview, 1)
                result = await call(client, "write_page", title="RAG_Pipeline", text=text,
                                    base_revision=page["revision"])
                written[result["revision"]] = overview
                page = await call(client, "get_page", title="RAG_Pipeline")
                assert page["revision"] == result["revision"]

    async def reader() -> None:
        async with http_session(http_server) as client:
            for _ in range(versions):
                seen.append(await call(client, "get_page", title="RAG_Pipeline"))
                hits = await call(client, "search", query="retrieval recipe")
                assert all(hit["page"] for hit in hits["hits"])

    async def main() -> None:
        with anyio.fail_after(180):
            async with anyio.create_task_group() as group:
                group.start_soon(writer)
                for _ in range(10):
                    group.start_soon(reader)

    anyio.run(main)
    assert len(written) == versions + 1 and len(seen) == 10 * versions
    for page in seen:
        assert page["revision"] == hashlib.sha1(page["text"].encode()).hexdigest()
        assert written[page["revision"]] == page["overview"]
        assert page["overview"] in page["text"] and page["findings"] == []
