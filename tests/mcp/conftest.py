"""Fixtures of the MCP tests: a copy of the example wiki, the server started over stdio (by the
SDK's own client, as an MCP client spawns it) or over streamable HTTP on a free port of
127.0.0.1, and a session of the SDK's client to either. Every wait is bounded, every server
stopped."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLE_WIKI, SRC, unavailable

try:
    import anyio
    from mcp.client.session import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client
    from mcp.client.streamable_http import streamable_http_client
except ImportError:  # pragma: no cover - the SDK is a dependency; say so rather than crash
    ClientSession = None  # type: ignore[assignment,misc]

#: Seconds a test waits for a server to start, and for any one session's work.
START_WAIT = 60.0
SESSION_WAIT = 120.0
ENV = {**os.environ, "PYTHONPATH": SRC}


class ToolFailed(Exception):
    """A tool call answered with an MCP tool error; the message is the error's text."""


@pytest.fixture
def wiki(tmp_path: Path) -> Path:
    """A copy of examples/wiki, without an index."""
    folder = tmp_path / "wiki"
    shutil.copytree(EXAMPLE_WIKI, folder, ignore=shutil.ignore_patterns(".wikiflow"))
    return folder


def page_bytes(folder: Path) -> dict[str, str]:
    """The hash of every file under ``folder`` but the index's state folder: what a refused
    write must leave as it was."""
    return {str(p.relative_to(folder)): hashlib.sha1(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and ".wikiflow" not in p.parts}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_WAIT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server ended with {process.returncode}: "
                                 f"{process.stderr.read().decode() if process.stderr else ''}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"the server did not listen on port {port} in {START_WAIT} s")


@pytest.fixture
def http_server(wiki: Path) -> Iterator[str]:
    """``wikiflow mcp WIKI --http`` on a free port; its URL."""
    if ClientSession is None:
        unavailable("the mcp SDK is not installed (pip install -e '.[test]')")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "wikiflow", "mcp", str(wiki), "--http", "--port", str(port)],
        env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        if process.stderr:
            process.stderr.close()


@asynccontextmanager
async def stdio_session(folder: Path) -> AsyncIterator[ClientSession]:
    """A session with ``python -m wikiflow mcp FOLDER``, spawned over stdio."""
    params = StdioServerParameters(command=sys.executable,
                                   args=["-m", "wikiflow", "mcp", str(folder)], env=ENV)
    with open(os.devnull, "w") as errors:
        async with stdio_client(params, errlog=errors) as (read, write), \
                ClientSession(read, write) as session:
            await session.initialize()
            yield session


@asynccontextmanager
async def http_session(url: str) -> AsyncIterator[ClientSession]:
    async with streamable_http_client(url) as (read, write), \
            ClientSession(read, write) as session:
        await session.initialize()
        yield session


Session = Callable[[Callable[[ClientSession], Awaitable[Any]]], Any]


@pytest.fixture(params=["stdio", "http"])
def session(request: pytest.FixtureRequest, wiki: Path) -> Session:
    """Run an async function with a session over stdio or over HTTP (both, parametrised)."""
    if ClientSession is None:
        unavailable("the mcp SDK is not installed (pip install -e '.[test]')")
    if request.param == "http":
        url = request.getfixturevalue("http_server")
        opener: Callable[[], Any] = lambda: http_session(url)  # noqa: E731
    else:
        opener = lambda: stdio_session(wiki)  # noqa: E731

    def run(work: Callable[[ClientSession], Awaitable[Any]]) -> Any:
        async def main() -> Any:
            with anyio.fail_after(SESSION_WAIT):
                async with opener() as client:
                    return await work(client)
        return anyio.run(main)
    return run


async def call(client: ClientSession, name: str, **arguments: Any) -> dict[str, Any]:
    """A tool's structured answer; ``ToolFailed`` with its message for a tool error."""
    result = await client.call_tool(name, arguments)
    text = " ".join(getattr(block, "text", "") for block in result.content)
    if result.is_error:
        raise ToolFailed(text)
    assert result.structured_content is not None, text
    return result.structured_content
