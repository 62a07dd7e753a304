"""Exporters of the knowledge-graph index: JSON, JSON Lines, Turtle, JSON-LD, GraphML, Cypher
and neo4j-admin CSV.

Every format reads the SQLite index directly through :mod:`.rows`, so they agree on what a node
and an edge are; formats without a library that needs the whole graph (everything but RDF and
GraphML) stream from SQLite cursors. docs/export.md describes each format and the RDF vocabulary.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Collection
from importlib import import_module
from pathlib import Path
from typing import BinaryIO, TextIO

from .output import ExportSummary, binary_output, text_output
from .rows import ExportError, Subgraph, select

__all__ = ["FORMATS", "ExportError", "ExportSummary", "export_graph"]

FORMATS = ("json", "jsonl", "turtle", "jsonld", "graphml", "cypher", "neo4j-csv")

_Writer = Callable[[Subgraph, BinaryIO], ExportSummary]


def _text(write: Callable[[Subgraph, TextIO], ExportSummary]) -> _Writer:
    """A text writer (JSON, Cypher) over the byte output every format is given."""
    def run(graph: Subgraph, out: BinaryIO) -> ExportSummary:
        with text_output(out) as stream:
            return write(graph, stream)
    return run


#: Format → (module, function, writes text). Writers are imported when used: rdflib and
#: networkx take a tenth of a second to load, which every other command would pay at start-up.
_STREAM_WRITERS: dict[str, tuple[str, str, bool]] = {
    "json": ("documents", "write_json", True),
    "jsonl": ("documents", "write_jsonl", True),
    "turtle": ("rdf", "write_turtle", False),
    "jsonld": ("rdf", "write_jsonld", False),
    "graphml": ("graphml", "write_graphml", True),
    "cypher": ("cypher", "write_cypher", True),
}


def _stream_writer(fmt: str) -> _Writer:
    module, function, text = _STREAM_WRITERS[fmt]
    write = getattr(import_module(f".{module}", __package__), function)
    return _text(write) if text else write


def export_graph(conn: sqlite3.Connection, fmt: str, out: BinaryIO | Path, *,
                 pages: Collection[int] | None = None) -> ExportSummary:
    """Write the index (or ``pages`` and their neighbourhood) to ``out`` in format ``fmt``.

    ``out`` is a byte stream (left open) or a path; ``neo4j-csv`` writes two files and so takes a
    directory path. The summary counts the nodes and edges written.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if fmt == "neo4j-csv" and not isinstance(out, (str, os.PathLike)):
        raise ExportError("neo4j-csv writes nodes.csv and edges.csv: give a directory path")
    graph = select(conn, pages)
    if fmt == "neo4j-csv":
        from .neo4j_csv import write_neo4j_csv  # loaded when used, as _STREAM_WRITERS

        return write_neo4j_csv(graph, Path(out))  # type: ignore[arg-type]
    with binary_output(out) as stream:
        return _stream_writer(fmt)(graph, stream)
