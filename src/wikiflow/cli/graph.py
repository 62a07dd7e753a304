"""The knowledge-graph commands: index, check, query, show, search, stats, export.

Each is a thin layer over a ``Wiki`` method; ``--db FILE`` names the index (default:
``.wikiflow/index.db`` beside the wiki; for the commands that only read it, the nearest one
in the current folder or a folder above it).
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .common import (EXIT_ERROR, EXIT_FINDINGS, console, db_option, emit, emit_report,
                     errors_to_exit, failing, format_option, is_terminal, lint_config,
                     output_options, printable, refuse_overwrite, report_options,
                     warn_unreadable)
from ..lint.report import render_report
from ..graph.wiki import Wiki, ask_data

if TYPE_CHECKING:
    from ..graph.ask import AskResult

def _open_index(db: str | None) -> Wiki:
    """The index named by ``--db``, or the nearest one from the current folder up; it must
    exist."""
    return Wiki.open(None, db=db, create=False)


def _echo_data(data: Any, fmt: str) -> None:
    if fmt == "json":
        emit(json.dumps(data, indent=2, ensure_ascii=False, default=str))
    else:
        emit(_plain(data))


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
              help="Processes that read and parse pages while this one writes the index, "
                   "and that examine a large wiki's files (0: one per core; 1: this one "
                   "does it all).")
@format_option("text", "json", help="json: the run's counts, the changed pages and the files "
                                    "left out, as one object.")
@errors_to_exit
def index(path: str, files: tuple[str, ...], db: str | None, jobs: int, fmt: str) -> None:
    """Index a wiki into SQLite, incrementally.

    PATH is a page folder or an XML dump (.xml, .xml.gz, .xml.bz2, .xml.xz). With FILES, only
    those files of the wiki folder are re-indexed (for editor and git hooks); a file that is
    gone is removed from the index. Library: Wiki.open(path).index() / .index_files(files).
    """
    with Wiki.open(path, db=db) as wiki:
        # FILES are named as a shell or a hook gives them: from the current folder.
        stats = (wiki.index_files([Path(file).absolute() for file in files]) if files
                 else wiki.index(jobs=jobs))
        if fmt == "json":
            emit(json.dumps({"db": str(wiki.store.path), **stats.to_dict()}, indent=2))
        else:
            emit(f"{wiki.store.path}: {stats.seen} page(s) seen, {stats.added} added, "
                       f"{stats.updated} updated, {stats.removed} removed, {stats.unchanged} "
                       f"unchanged; {stats.missing_pages} linked page(s) missing"
                       + (f"; {len(stats.not_pages)} file(s) left out, not pages: "
                          f"{', '.join(stats.not_pages)}" if stats.not_pages else ""))
    if warn_unreadable(Path(path), stats):
        sys.exit(EXIT_ERROR)


@click.command()
@click.argument("path", type=click.Path(exists=True))
@db_option
@report_options
@errors_to_exit
def check(path: str, db: str | None, select: tuple[str, ...], ignore: tuple[str, ...],
          fmt: str, statistics: bool, exit_zero: bool, fail_on: str | None,
          config_path: str | None, quiet: bool, output_file: str | None) -> None:
    """Check what needs the whole wiki (WF7xx).

    Dangling links, unused pages, duplicates, stale pages. Indexes PATH first (incrementally).
    Library: Wiki.check.
    """
    from ..lint.checks import results_by_file  # lint's rules: loaded by this command alone

    config = lint_config(config_path, (path,), select, ignore, (), fail_on)
    with Wiki.open(path, db=db) as wiki:
        unreadable = warn_unreadable(Path(path), wiki.index())
        results = results_by_file(Path(path), wiki.check(config))
    emit_report(render_report(results, fmt, statistics=statistics, quiet=quiet), output_file)
    if unreadable:
        sys.exit(EXIT_ERROR)
    if failing(results, config) and not exit_zero:
        sys.exit(EXIT_FINDINGS)


@click.command()
@click.argument("ask")
@db_option
@format_option("table", "json", "csv",
               help="table: on a terminal, tab-separated lines when piped; json: 'results' "
                    "(objects with 'page' and the printouts) and 'meta' (count, offset, total), "
                    "as SMW's API; csv: a header row.")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True,
              help="Rows when the query sets no limit.")
@errors_to_exit
def query(ask: str, db: str | None, fmt: str, limit: int) -> None:
    """Query the index with SMW #ask syntax.

    Semantic MediaWiki's #ask syntax, as docs/ask.md describes.

    Example: wikiflow query '[[step::Principle:Quantization]] |?last_updated |limit=5'

    As in SMW, a query without |limit= gives at most --limit results; when more remain,
    standard error says how many ("further results"). Standard error also warns of what the
    query asks but changes nothing (mainlabel, format) or leaves no result (a sort property no
    page has); JSON holds the same under 'warnings'.

    Library: Wiki.ask (Wiki.query for the rows alone).
    """
    with _open_index(db) as wiki:
        result = wiki.ask(ask, limit=limit)
    for warning in result.warnings:
        emit(f"warning: {warning}", err=True)
    if fmt == "json":
        _echo_data(ask_data(result), "json")
        return
    columns = list(dict.fromkeys(key for row in result.rows for key in row)) or ["page"]
    cells = [[_cell(row.get(column)) for column in columns] for row in result.rows]
    if fmt == "csv":
        _echo_csv(columns, cells)
    elif is_terminal():
        _print_table(columns, cells)
    else:
        emit("".join("\t".join(map(_tsv, row)) + "\n" for row in [columns, *cells]), nl=False)
    emit(_shown(result), err=True)


def _shown(result: AskResult) -> str:
    """The line under the results: how many, and SMW's "further results" when there are."""
    if not result.further:
        return f"{len(result.rows)} result(s)"
    return (f"{len(result.rows)} of {result.total} result(s) shown; further results: "
            f"raise |limit= in the query or --limit, or continue with "
            f"|offset={result.next_offset}")


def _echo_csv(columns: list[str], cells: list[list[str]]) -> None:
    """CSV with LF line ends: a CR reaches no terminal (``printable`` would show it)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(cells)
    emit(buffer.getvalue(), nl=False)


def _tsv(value: str) -> str:
    """A tab-separated field, the way PostgreSQL's and MySQL's text format escape one."""
    return (value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r"))


def _print_table(columns: list[str], cells: list[list[str]]) -> None:
    """A table for a terminal: long values wrap (folded if need be), never cut."""
    from rich.table import Table  # loaded by the commands that draw tables
    from rich.text import Text

    table = Table()
    for column in columns:
        table.add_column(Text(printable(column)), overflow="fold")
    for row in cells:
        table.add_row(*(Text(printable(cell)) for cell in row))
    console().print(table)


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
    """Show a page and its neighbourhood.

    A Workflow's ordered steps, heuristics, sources, domains and the Workflows sharing its
    principles; for other pages, the Workflows that use them. Library: Wiki.show.
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
    """Search the pages' titles and text.

    Full-text search, with snippets: pages whose title holds every word of TEXT first (shortest
    title first), then pages holding them in the overview, description, usage or steps, ranked
    by relevance (BM25). Library: Wiki.search.
    """
    with _open_index(db) as wiki:
        hits = wiki.search(text, limit=limit, namespace=namespace)
    if fmt == "json":
        _echo_data(hits, "json")
        return
    for hit in hits:
        emit(f"{hit['page']}  ({hit['match']} match, {hit['score']})\n    {hit['snippet']}")
    emit(f"{len(hits)} result(s)", err=True)


@click.command()
@db_option
@format_option("text", "json")
@errors_to_exit
def stats(db: str | None, fmt: str) -> None:
    """Count pages, edges, domains and dates.

    Pages by namespace, missing pages, edges by property, top domains, dates.
    Library: Wiki.stats.
    """
    with _open_index(db) as wiki:
        _echo_data(wiki.stats(), fmt)



EXPORT_FORMATS = ("json", "jsonl", "turtle", "jsonld", "graphml", "cypher", "neo4j-csv",
                  "mediawiki-xml")


@click.command()
@click.argument("ask", required=False)
@db_option
@format_option(*EXPORT_FORMATS, help="See docs/export.md.")
@output_options("File to write (a directory for neo4j-csv); default: standard output.")
@errors_to_exit
def export(ask: str | None, db: str | None, fmt: str, output: str | None, force: bool) -> None:
    """Export the graph or a query's result.

    The graph (or an #ask query's result with its neighbourhood) as JSON, JSON Lines, RDF
    (Turtle, JSON-LD), GraphML, a Cypher script or neo4j-admin import CSVs; or the pages
    themselves as a MediaWiki XML dump (mediawiki-xml) that importDump.php and Special:Import
    read. Library: Wiki.export. The formats and the RDF vocabulary: docs/export.md.
    """
    from ..graph.export.neo4j_csv import NEO4J_FILES

    if fmt == "neo4j-csv" and output is None:
        raise click.UsageError("neo4j-csv writes nodes.csv and edges.csv: give -o DIRECTORY")
    if output is not None:
        refuse_overwrite([Path(output) / name for name in NEO4J_FILES] if fmt == "neo4j-csv"
                         else [Path(output)], force)
    with _open_index(db) as wiki:
        target: Any = Path(output) if output else sys.stdout.buffer
        summary = wiki.export(fmt, target, ask)
    if fmt == "mediawiki-xml":
        emit(f"exported {summary.nodes} page(s)", err=True)
    else:
        emit(f"exported {summary.nodes} node(s) and {summary.edges} edge(s)", err=True)


COMMANDS = (index, check, query, show, search, stats, export)
