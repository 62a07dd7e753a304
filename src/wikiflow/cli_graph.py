"""The knowledge-graph commands: index, check, query, show, search, stats, export.

Each is a thin layer over a ``Wiki`` method; ``--db FILE`` names the index (default:
``.wikiflow/index.db`` beside the wiki, or in the current folder for the reading commands).
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

import click

from .checks import results_by_file
from .cli_common import (EXIT_ERROR, EXIT_FINDINGS, errors_to_exit, format_option, lint_config,
                         report_options, warn_unreadable)
from .report import render_report
from .wiki import Wiki

db_option = click.option("--db", type=click.Path(dir_okay=False),
                         help="Index file (default: .wikiflow/index.db beside the wiki).")


def _open_index(db: str | None) -> Wiki:
    """The index named by ``--db``, or the one in the current folder; it must exist."""
    return Wiki.open(None, db=db, create=False)


def _echo_data(data: Any, fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
    else:
        click.echo(_plain(data))


def _plain(data: Any, indent: str = "") -> str:
    """Nested data as indented ``key: value`` lines for people."""
    lines = []
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, (dict, list)) and value:
                lines.append(f"{indent}{key}:")
                lines.append(_plain(value, indent + "  "))
            else:
                lines.append(f"{indent}{key}: {value if value not in (None, '') else '-'}")
    elif isinstance(data, list):
        for item in data:
            text = _plain(item, indent + "  ").lstrip()
            lines.append(f"{indent}- {text}")
    else:
        lines.append(f"{indent}{data}")
    return "\n".join(lines)


@click.command()
@click.argument("path", type=click.Path(exists=True))
@click.argument("files", nargs=-1, type=click.Path())
@db_option
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True,
              help="Processes that parse pages, the writer's own included (0: one per core).")
@format_option("text", "json", help="json: the run's counts, the changed pages and the files "
                                    "left out, as one object.")
@errors_to_exit
def index(path: str, files: tuple[str, ...], db: str | None, jobs: int, fmt: str) -> None:
    """Index a wiki (page folder, or XML dump .xml[.gz|.bz2|.xz]) into SQLite, incrementally.

    With FILES, only those files of the wiki folder are re-indexed (for editor and git hooks).
    Library: ``Wiki.open(path).index()`` / ``.index_files(files)``.
    """
    with Wiki.open(path, db=db) as wiki:
        stats = wiki.index_files(list(files)) if files else wiki.index(jobs=jobs)
        if fmt == "json":
            click.echo(json.dumps({"db": str(wiki.store.path), **stats.to_dict()}, indent=2))
        else:
            click.echo(f"{wiki.store.path}: {stats.seen} page(s) seen, {stats.added} added, "
                       f"{stats.updated} updated, {stats.removed} removed, {stats.unchanged} "
                       f"unchanged; {stats.missing_pages} linked page(s) missing")
    if warn_unreadable(Path(path), stats):
        sys.exit(EXIT_ERROR)


@click.command()
@click.argument("path", type=click.Path(exists=True))
@db_option
@report_options
@errors_to_exit
def check(path: str, db: str | None, select: tuple[str, ...], ignore: tuple[str, ...],
          fmt: str, statistics: bool, exit_zero: bool, config_path: str | None) -> None:
    """Check a whole wiki: dangling links, unused pages, duplicates, stale pages (WF7xx).

    Indexes PATH first (incrementally). Library: ``Wiki.check``.
    """
    config = lint_config(config_path, (path,), select, ignore, ())
    with Wiki.open(path, db=db) as wiki:
        unreadable = warn_unreadable(Path(path), wiki.index())
        results = results_by_file(Path(path), wiki.check(config))
    click.echo(render_report(results, fmt, statistics=statistics), nl=False)
    if unreadable:
        sys.exit(EXIT_ERROR)
    if any(r.diagnostics for r in results) and not exit_zero:
        sys.exit(EXIT_FINDINGS)


@click.command()
@click.argument("ask")
@db_option
@format_option("table", "json", "csv",
               help="json: a list of objects with 'page' and the printouts; csv: a header row.")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True,
              help="Rows when the query sets no limit.")
@errors_to_exit
def query(ask: str, db: str | None, fmt: str, limit: int) -> None:
    """Query the index with Semantic MediaWiki #ask syntax (see docs/ask.md).

    Example: wikiflow query '[[step::Principle:Quantization]] |?last_updated |limit=5'

    Library: ``Wiki.query``.
    """
    with _open_index(db) as wiki:
        rows = wiki.query(ask, limit=limit)
    if fmt == "json":
        _echo_data(rows, "json")
        return
    columns = list(dict.fromkeys(key for row in rows for key in row)) or ["page"]
    cells = [[_cell(row.get(column)) for column in columns] for row in rows]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)
        writer.writerows(cells)
        click.echo(buffer.getvalue(), nl=False)
        return
    from rich.console import Console  # loaded by the commands that draw tables
    from rich.table import Table

    table = Table(*columns, title=f"{len(rows)} result(s)")
    for row in cells:
        table.add_row(*row)
    Console().print(table)


def _cell(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return "" if value is None else str(value)


@click.command()
@click.argument("page")
@db_option
@format_option("text", "json")
@errors_to_exit
def show(page: str, db: str | None, fmt: str) -> None:
    """Show a page: a Workflow's ordered steps, heuristics, sources, domains and the Workflows
    sharing its principles; for other pages, the Workflows that use them.

    Library: ``Wiki.show``.
    """
    with _open_index(db) as wiki:
        _echo_data(wiki.show(page), fmt)


@click.command()
@click.argument("text")
@db_option
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="Hits to list.")
@click.option("--namespace", "-n", metavar="NAME",
              help="Only pages of this namespace (Workflow, Principle, Heuristic…).")
@format_option("text", "json")
@errors_to_exit
def search(text: str, db: str | None, limit: int, namespace: str | None, fmt: str) -> None:
    """Full-text search, with snippets: pages whose title holds every word of TEXT first
    (shortest title first), then pages holding them in the overview, description, usage or
    steps, ranked by relevance (BM25). Library: ``Wiki.search``."""
    with _open_index(db) as wiki:
        hits = wiki.search(text, limit=limit, namespace=namespace)
    if fmt == "json":
        _echo_data(hits, "json")
        return
    for hit in hits:
        click.echo(f"{hit['page']}  ({hit['match']} match, {hit['score']})\n    {hit['snippet']}")
    click.echo(f"{len(hits)} result(s)", err=True)


@click.command()
@db_option
@format_option("text", "json")
@errors_to_exit
def stats(db: str | None, fmt: str) -> None:
    """Counts: pages by namespace, missing pages, edges by property, top domains, dates.

    Library: ``Wiki.stats``.
    """
    with _open_index(db) as wiki:
        _echo_data(wiki.stats(), fmt)



EXPORT_FORMATS = ("json", "jsonl", "turtle", "jsonld", "graphml", "cypher", "neo4j-csv",
                  "mediawiki-xml")


@click.command()
@click.argument("ask", required=False)
@db_option
@format_option(*EXPORT_FORMATS, help="See docs/export.md.")
@click.option("-o", "--output", type=click.Path(),
              help="File to write (a directory for neo4j-csv); default: standard output.")
@errors_to_exit
def export(ask: str | None, db: str | None, fmt: str, output: str | None) -> None:
    """Export the graph (or an #ask query's result with its neighbourhood): JSON, JSON Lines,
    RDF (Turtle, JSON-LD), GraphML, a Cypher script or neo4j-admin import CSVs; or the pages
    themselves as a MediaWiki XML dump (mediawiki-xml) that importDump.php and Special:Import read.

    Library: ``Wiki.export``. The formats and the RDF vocabulary: docs/export.md.
    """
    if fmt == "neo4j-csv" and output is None:
        raise click.UsageError("neo4j-csv writes nodes.csv and edges.csv: give -o DIRECTORY")
    with _open_index(db) as wiki:
        target: Any = Path(output) if output else sys.stdout.buffer
        summary = wiki.export(fmt, target, ask)
    if fmt == "mediawiki-xml":
        click.echo(f"exported {summary.nodes} page(s)", err=True)
    else:
        click.echo(f"exported {summary.nodes} node(s) and {summary.edges} edge(s)", err=True)


GRAPH_COMMANDS = (index, check, query, show, search, stats, export)
