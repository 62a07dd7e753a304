"""A Cypher script that builds the graph in Neo4j (cypher-shell -f graph.cypher).

Nodes and relationships go in ``UNWIND`` batches of :data:`BATCH_ROWS` rows, far faster than one
statement per element. ``MERGE`` on the page key (nodes) and on source, type, target and position
(relationships) makes the script idempotent, so overlapping ``pages=`` exports load into one
database without duplicates while parallel edges of one page stay apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import groupby
from typing import Any, TextIO

from .documents import json_text, step_documents
from .output import ExportSummary
from .rows import Edge, Node, Subgraph

BATCH_ROWS = 1000
CONSTRAINT = ("CREATE CONSTRAINT wikiflow_page_key IF NOT EXISTS "
              "FOR (n:Page) REQUIRE n.key IS UNIQUE;\n")

_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b",
            "\f": "\\f"}
_SPECIAL = re.compile(r"[\\'\x00-\x1f\x7f\u2028\u2029]")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _escape(match: re.Match[str]) -> str:
    return _ESCAPES.get(match[0]) or f"\\u{ord(match[0]):04x}"


def cypher_string(text: str) -> str:
    """A single-quoted Cypher string literal; other control characters become ``\\uXXXX``."""
    return "'" + _SPECIAL.sub(_escape, text) + "'"


def cypher_name(name: str) -> str:
    """A label or relationship type, back-quoted unless it is a plain identifier."""
    return name if _IDENTIFIER.fullmatch(name) else "`" + name.replace("`", "``") + "`"


def cypher_value(value: Any) -> str:
    """A literal for a property value: string, integer, boolean or list of strings."""
    kind = type(value)  # exact types, strings first: most values are strings
    if kind is str:
        return cypher_string(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    return "[" + ", ".join(map(cypher_value, value)) + "]"


def cypher_map(properties: dict[str, Any]) -> str:
    """A map literal without null entries (Neo4j stores no nulls: absent is absent)."""
    return "{" + ", ".join([
        # last_updated is a temporal value, so Cypher can compare and sort dates
        f"{name}: datetime({cypher_string(value)})" if name == "last_updated"
        else f"{name}: {cypher_value(value)}"
        for name, value in properties.items() if value is not None]) + "}"


def node_properties(node: Node) -> dict[str, Any]:
    """Neo4j node properties: lists of strings are arrays; sources and steps (maps) are JSON
    text."""
    return {
        "key": node.key, "namespace": node.namespace, "title": node.title,
        "exists": node.exists, "overview": node.overview, "last_updated": node.last_updated,
        "domains": list(node.domains) or None, "categories": list(node.categories) or None,
        "sources": json_text([{"type": s.type, "title": s.title, "url": s.url}
                              for s in node.sources])
        if node.sources else None,
        "steps": json_text(step_documents(node)) if node.steps else None,
    }


def node_labels(node: Node) -> list[str]:
    """``Page`` (what the key constraint and lookups use), the namespace, ``Missing``."""
    return ["Page"] + ([node.namespace] if node.namespace else []) \
        + ([] if node.exists else ["Missing"])


def relationship_type(prop: str) -> str:
    """``uses_heuristic`` becomes ``USES_HEURISTIC``."""
    return prop.upper()


def edge_properties(edge: Edge) -> dict[str, Any]:
    return {"step_number": edge.step_number, "step_name": edge.step_name,
            "position": edge.position}


def _batches(rows: Iterable[Any]) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH_ROWS:
            yield batch
            batch = []
    if batch:
        yield batch


def _unwind(stream: TextIO, rows: list[str], body: str) -> None:
    stream.write("UNWIND [\n  " + ",\n  ".join(rows) + "\n] AS row\n" + body + ";\n")


def write_cypher(graph: Subgraph, stream: TextIO) -> ExportSummary:
    """Write the constraint, then node batches per label set, then edge batches per type."""
    stream.write("// wikiflow knowledge graph; run with: cypher-shell -f <this file>\n")
    stream.write(CONSTRAINT)
    nodes = edges = 0
    for labels, group in groupby(graph.nodes(by_label=True), key=node_labels):
        extra = ":".join(map(cypher_name, labels[1:]))
        # A page written since an earlier load was only a link target loses its Missing label.
        body = ("MERGE (n:Page {key: row.key}) SET n = row" + (f", n:{extra}" if extra else "")
                + ("" if "Missing" in labels else " REMOVE n:Missing"))
        for batch in _batches(group):
            _unwind(stream, [cypher_map(node_properties(node)) for node in batch], body)
            nodes += len(batch)
    for prop, group in groupby(graph.edges(by_property=True), key=lambda e: e.property):
        body = ("MATCH (a:Page {key: row.source}), (b:Page {key: row.target})\n"
                f"MERGE (a)-[r:{cypher_name(relationship_type(prop))} "
                "{position: row.properties.position}]->(b) SET r = row.properties")
        for batch in _batches(group):
            _unwind(stream, [_edge_row(edge) for edge in batch], body)
            edges += len(batch)
    return ExportSummary(nodes, edges)


def _edge_row(edge: Edge) -> str:
    return (f"{{source: {cypher_string(edge.source)}, target: {cypher_string(edge.target)}, "
            f"properties: {cypher_map(edge_properties(edge))}}}")
