"""The MCP server of ``wikiflow mcp``: the tools, resources and prompt registered on the SDK's
``MCPServer``, run over stdio or streamable HTTP.

The SDK runs each (synchronous) tool in a worker thread, so that many HTTP sessions are
answered at once. SQLite connections cannot be shared between threads: each thread reads
through a ``Wiki`` of its own (``Readers``), in a read transaction per answer, and writes are
serialised by the index's write lock. A library error becomes an MCP tool error carrying its
message; the SDK turns anything else into a tool error too (and logs it), so no input a client
sends ends the server. Logs go to stderr: on stdio, stdout is the protocol.
"""

from __future__ import annotations

import functools
import json
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations
from pydantic import Field

from ..config import Config, load_config
from ..errors import InputError, WikiflowError
from ..graph.wiki import Wiki
from ..lint.ruledocs import rules_markdown, writing_guide
from ..page.structured import PageSpec, json_schema
from ..version import __version__
from . import tools, writes
from .models import (AskAnswer, FixResult, LintReport, NewPage, PageView, Related,
                     SearchResult, WriteResult)

P = ParamSpec("P")
T = TypeVar("T")
LOG = logging.getLogger("wikiflow.mcp")

#: Where ``--http`` listens unless told otherwise: this machine only.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765

Title = Annotated[str, Field(min_length=1, max_length=1000, description=(
    "A page name, e.g. 'QLoRA_Fine_Tuning' or 'Principle:Quantization'; without a namespace, "
    "the first of the main, Workflow, Principle, Heuristic, Implementation, Environment "
    "namespaces that has it"))]
Text = Annotated[str, Field(max_length=tools.MAX_TEXT, description="The page's wikitext")]
Query = Annotated[str, Field(min_length=1, max_length=10_000)]
Revision = Annotated[str, Field(pattern=r"^[0-9a-f]{40}$", description=(
    "The revision get_page returned for the page (its content hash)"))]

INSTRUCTIONS = """\
Tools over a Semantic MediaWiki wiki of Workflow pages (ML recipes: ordered steps, each
applying a Principle page, with Heuristic pages as tips). Read with search, get_page, ask and
related. Write pages with new_page (from the structured form, see resource
wikiflow://schema), check them with lint_page and fix_page, and save them with write_page:
it refuses pages with errors and writes over a page only against the revision get_page gave.
The writing guide is resource wikiflow://guide; the rules are wikiflow://rules."""

PROMPT = """\
Write a Workflow page for: {topic}

1. Read the resources wikiflow://guide (how a Workflow page is written) and wikiflow://schema
   (the structured form new_page takes).
2. Call search with the topic's words, to find existing Workflows to avoid duplicating and
   Principle and Heuristic pages to reuse (get_page and related tell you what they cover).
   Name a step's principle after an existing Principle page wherever one fits.
3. Write the spec: title (no namespace), sources, domains, last_updated, overview,
   description, usage, ordered steps (name, principle, body) and heuristics.
4. Call new_page with the spec. If it is refused, correct the fields its message names.
5. Call lint_page with the text (title 'Workflow:<title>'). For findings with a fix, call
   fix_page; correct the others in the text yourself, and lint again until no error is left.
6. Call write_page with the title and text. For a page that exists already, first call
   get_page and pass its revision as base_revision; if write_page says the page changed,
   read it again and merge. Report the path, the revision and any warnings it returned."""


class Readers:
    """One ``Wiki`` per thread, each with its own SQLite connection to the index (a
    connection may be used only by the thread that opened it; the SDK's worker threads live
    as long as the server, and so do their connections)."""

    def __init__(self, folder: Path, db: Path | None) -> None:
        self.folder, self.db = folder, db
        self._local = threading.local()

    def wiki(self) -> Wiki:
        wiki = getattr(self._local, "wiki", None)
        if wiki is None:
            wiki = self._local.wiki = Wiki.open(self.folder, db=self.db, create=False)
        return wiki


def tool_errors(function: Callable[P, T]) -> Callable[P, T]:
    """A tool whose library errors reach the client as MCP tool errors, message and all."""
    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return function(*args, **kwargs)
        except WikiflowError as error:
            raise ToolError(str(error)) from error
    return wrapper


def build_server(folder: Path, db: Path | None = None, config: Config | None = None
                 ) -> MCPServer:
    """The server for the wiki in ``folder`` (its index ``db``, by default the one beside
    it, which must exist: ``serve`` makes it)."""
    if not folder.is_dir():
        raise InputError(f"{folder}: not a wiki folder (the MCP server reads and writes page "
                         "files; a dump cannot be written)")
    config = config or load_config(start=folder)
    readers = Readers(folder, db)
    app = MCPServer("wikiflow", version=__version__, instructions=INSTRUCTIONS,
                    log_level="WARNING")
    _register_reads(app, readers, config)
    _register_writes(app, readers, config)
    _register_resources(app)
    return app


def _register_reads(app: MCPServer, readers: Readers, config: Config) -> None:
    reading = ToolAnnotations(read_only_hint=True, open_world_hint=False)

    @app.tool(annotations=reading)
    @tool_errors
    def search(query: Query, namespace: str | None = None,
               limit: Annotated[int, Field(ge=1, le=100)] = 10) -> SearchResult:
        """Find pages by title and full text (BM25), title matches first, with snippets;
        only pages of ``namespace`` (Workflow, Principle, Heuristic...) when given."""
        return tools.search(readers.wiki(), query, namespace, limit)

    @app.tool(annotations=reading)
    @tool_errors
    def get_page(title: Title) -> PageView:
        """A page read from its file: its parts (for a Workflow: sources, domains, last
        updated, overview, description, usage, ordered steps, heuristics, diagram), its
        text, its links and backlinks, its lint findings, and its revision to write against."""
        return tools.get_page(readers.wiki(), title, config)

    @app.tool(annotations=reading)
    @tool_errors
    def ask(query: Query) -> AskAnswer:
        """Run a Semantic MediaWiki #ask query, e.g. '[[Category:Workflow]] [[domain::LLMs]]
        |?step |limit=5' (docs/ask.md), answered as SMW's action=ask."""
        return tools.ask(readers.wiki(), query)

    @app.tool(annotations=reading)
    @tool_errors
    def related(title: Title, depth: Annotated[int, Field(ge=1, le=tools.MAX_DEPTH)] = 1
                ) -> Related:
        """A page's neighbourhood: a Workflow's steps, heuristics and the Workflows sharing
        its principles; what uses another page; and every page up to ``depth`` links away."""
        return tools.related(readers.wiki(), title, depth)

    @app.tool(annotations=reading)
    @tool_errors
    def lint_page(text: Text, title: Title | None = None) -> LintReport:
        """Check a page's wikitext against the writing guide's rules: each finding with its
        code, line, column, message and whether a fix exists. ``title`` (e.g.
        'Principle:X') tells a page of another type from a Workflow."""
        return tools.lint_page(text, title, config)

    @app.tool(annotations=reading)
    @tool_errors
    def fix_page(text: Text, unsafe: bool = False) -> FixResult:
        """Apply the fixes of the findings (safe ones; with ``unsafe`` also unsafe ones) until
        nothing changes; the fixed text and the findings left."""
        return tools.fix_page(text, unsafe, config)

    @app.tool(annotations=reading)
    @tool_errors
    def new_page(spec: PageSpec) -> NewPage:
        """The wikitext of a Workflow page from its structured form (resource
        wikiflow://schema), validated, with its lint findings."""
        return tools.new_page_from_spec(spec, config)


def _register_writes(app: MCPServer, readers: Readers, config: Config) -> None:
    @app.tool(annotations=ToolAnnotations(read_only_hint=False, destructive_hint=True,
                                          idempotent_hint=True, open_world_hint=False))
    @tool_errors
    def write_page(title: Title, text: Text, base_revision: Revision | None = None,
                   force: bool = False) -> WriteResult:
        """Write a page into the wiki and index it before answering. Refused, with nothing
        written, when the page has errors (unless ``force``), when it exists and
        ``base_revision`` is not its current revision (get_page's), or when the title is no
        valid page name or its file would lie outside the wiki."""
        return writes.write_page(readers.wiki(), title, text, config,
                                 base_revision=base_revision, force=force)


def _register_resources(app: MCPServer) -> None:
    @app.resource("wikiflow://guide", name="guide", mime_type="text/markdown")
    def guide() -> str:
        """How to write a Workflow page: the writing guide for people and agents
        (``wikiflow guide``)."""
        return writing_guide()

    @app.resource("wikiflow://rules", name="rules", mime_type="text/markdown")
    def rules() -> str:
        """Every lint rule and whole-wiki check, with examples (docs/rules.md)."""
        return rules_markdown()

    @app.resource("wikiflow://schema", name="schema", mime_type="application/schema+json")
    def schema() -> str:
        """The JSON Schema of the structured form new_page takes (``wikiflow schema``)."""
        return json.dumps(json_schema(), indent=2)

    @app.prompt()
    def write_workflow(topic: str) -> str:
        """Walk from a topic to a written Workflow page: spec, new_page, lint_page,
        write_page."""
        return PROMPT.format(topic=topic)


def serve(folder: Path, db: Path | None = None, *, http: bool = False,
          host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
    """Bring the wiki's index up to date, then serve it until the client or a signal ends it
    (over stdio, or with ``http`` over streamable HTTP at ``host``:``port``)."""
    logging.basicConfig(level=logging.INFO, format="wikiflow mcp: %(message)s")
    with Wiki.open(folder, db=db) as wiki:
        stats = wiki.index()
        LOG.info("%s: %d page(s) indexed (%d changed)", wiki.store.path, stats.seen,
                 stats.added + stats.updated + stats.removed)
    app = build_server(folder, db)
    if http:
        LOG.info("listening on http://%s:%d/mcp", host, port)
        app.run("streamable-http", host=host, port=port)
    else:
        app.run("stdio")
