"""JSON and JSON Lines: nodes and edges as plain objects, written as the cursor yields them."""

from __future__ import annotations

import json
from collections.abc import Callable
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any, TextIO

from .output import ExportSummary
from .rows import Edge, Node, Subgraph


def node_document(node: Node) -> dict[str, Any]:
    """A node as a JSON object; the other exporters derive their node fields from this list."""
    return {
        "key": node.key,
        "namespace": node.namespace,
        "title": node.title,
        "exists": node.exists,
        "overview": node.overview,
        "last_updated": node.last_updated,
        "domains": list(node.domains),
        "sources": [{"type": s.type, "title": s.title, "url": s.url} for s in node.sources],
        "categories": list(node.categories),
        "steps": step_documents(node),
    }


def step_documents(node: Node) -> list[dict[str, Any]]:
    """A Workflow's steps in order, each with its principle's key or null when it has none."""
    return [{"number": s.number, "name": s.name, "principle": s.principle} for s in node.steps]


def edge_document(edge: Edge) -> dict[str, Any]:
    """An edge as a JSON object; ``step_number`` and ``step_name`` are null except on steps."""
    return {
        "source": edge.source,
        "target": edge.target,
        "property": edge.property,
        "step_number": edge.step_number,
        "step_name": edge.step_name,
        "position": edge.position,
    }


def _json_text() -> Callable[[Any], str]:
    """``json.dumps(value, ensure_ascii=False)``, made once for the whole export.

    ``dumps`` with an option builds a ``JSONEncoder`` per call, and its ``encode`` builds the
    C encoder per call: together twice the cost of encoding a small value, and an export
    encodes several values a page (JSON-LD: a fifth of its time). The C encoder is made here
    once, with the arguments ``JSONEncoder.iterencode`` gives it, where CPython has one.
    """
    encoder = json.JSONEncoder(ensure_ascii=False, check_circular=False)
    if c_make_encoder is None:
        return encoder.encode
    make = c_make_encoder(None, encoder.default, encode_basestring, None,
                          encoder.key_separator, encoder.item_separator, False, False, True)
    return lambda value: "".join(make(value, 0))


json_text = _json_text()


def write_json(graph: Subgraph, stream: TextIO) -> ExportSummary:
    """One object ``{"nodes": [...], "edges": [...]}``, one element per line.

    Written piecewise rather than with one ``json.dump`` so that memory stays flat on a large
    index; the result is still a single valid JSON document.
    """
    stream.write('{"nodes": [')
    nodes = _write_array(stream, map(json_text, map(node_document, graph.nodes())))
    stream.write('],\n"edges": [')
    edges = _write_array(stream, map(json_text, map(edge_document, graph.edges())))
    stream.write("]}\n")
    return ExportSummary(nodes, edges)


def _write_array(stream: TextIO, items: Any) -> int:
    count = 0
    for count, item in enumerate(items, 1):
        stream.write(("," if count > 1 else "") + "\n" + item)
    if count:
        stream.write("\n")
    return count


def write_jsonl(graph: Subgraph, stream: TextIO) -> ExportSummary:
    """One object per line: every node (``"type": "node"``), then every edge."""
    nodes = edges = 0
    for node in graph.nodes():
        stream.write(json_text({"type": "node", **node_document(node)}) + "\n")
        nodes += 1
    for edge in graph.edges():
        stream.write(json_text({"type": "edge", **edge_document(edge)}) + "\n")
        edges += 1
    return ExportSummary(nodes, edges)
