"""The agents' command: ``mcp``, the Model Context Protocol server (``wikiflow.mcp``)."""

from __future__ import annotations

from pathlib import Path

import click

from .common import db_option, errors_to_exit


@click.command()
@click.argument("wiki", type=click.Path(exists=True, file_okay=False))
@db_option
@click.option("--http", is_flag=True,
              help="Serve streamable HTTP at http://HOST:PORT/mcp instead of stdio.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="With --http, the address to listen on (another than this machine's "
                   "exposes the wiki's writes to the network).")
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True,
              help="With --http, the port to listen on.")
@errors_to_exit
def mcp(wiki: str, db: str | None, http: bool, host: str, port: int) -> None:
    """Serve the wiki to LLM agents over the Model Context Protocol.

    Tools search, get_page, ask, related, lint_page, fix_page, new_page and write_page
    (writes are linted, based on a revision, atomic and indexed at once); the writing guide,
    the rules and the page schema as resources. Brings the index up to date first; logs go
    to stderr. See docs/mcp.md. Library: wikiflow.mcp.server.serve.
    """
    from ..mcp.server import serve  # the MCP SDK: loaded by this command alone

    serve(Path(wiki), Path(db) if db else None, http=http, host=host, port=port)


COMMANDS = (mcp,)
