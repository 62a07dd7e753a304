"""GraphML through networkx: a MultiDiGraph that networkx.read_graphml and Gephi read back.

networkx needs the whole graph in memory before writing: measured at about 4 KB per node or
edge with these attributes, so some 5-6 GB for 400,000 pages and 1.1 million edges. Export a
``pages=`` neighbourhood for large wikis, or use neo4j-csv, which streams.
"""

from __future__ import annotations

import json
import re
from typing import Any, BinaryIO

import networkx as nx

from .documents import edge_document
from .output import ExportSummary
from .rows import Node, Subgraph

#: Characters XML 1.0 cannot hold at all, not even escaped; wikitext can contain them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    """``text`` with characters XML cannot carry replaced by U+FFFD, so the file stays readable."""
    return _NOT_XML.sub("\ufffd", text)


def node_attributes(node: Node) -> dict[str, Any]:
    """GraphML node data: scalars only; lists as JSON text, since GraphML has no list type."""
    attributes: dict[str, Any] = {
        "label": node.full,  # Gephi shows the "label" attribute on the canvas
        "namespace": node.namespace,
        "title": node.title,
        "exists": node.exists,
        "overview": node.overview,
        "last_updated": node.last_updated,
        "domains": json.dumps(node.domains, ensure_ascii=False) if node.domains else None,
        "categories": json.dumps(node.categories, ensure_ascii=False) if node.categories else None,
        "sources": json.dumps([[s.type, s.title, s.url] for s in node.sources],
                              ensure_ascii=False) if node.sources else None,
    }
    return _present(attributes)


def _present(attributes: dict[str, Any]) -> dict[str, Any]:
    """GraphML cannot write None: an absent value is an absent attribute."""
    return {name: _xml_text(value) if isinstance(value, str) else value
            for name, value in attributes.items() if value is not None}


def build_graph(graph: Subgraph) -> tuple[nx.MultiDiGraph, ExportSummary]:
    """The subgraph as a networkx MultiDiGraph keyed by page key (parallel edges kept)."""
    multigraph = nx.MultiDiGraph()
    for node in graph.nodes():
        multigraph.add_node(_xml_text(node.key), **node_attributes(node))
    for edge in graph.edges():
        data = edge_document(edge)
        source, target = _xml_text(data.pop("source")), _xml_text(data.pop("target"))
        multigraph.add_edge(source, target, **_present(data))
    return multigraph, ExportSummary(multigraph.number_of_nodes(), multigraph.number_of_edges())


def write_graphml(graph: Subgraph, out: BinaryIO) -> ExportSummary:
    """Write GraphML (UTF-8) to a byte stream."""
    multigraph, summary = build_graph(graph)
    nx.write_graphml(multigraph, out, encoding="utf-8")
    return summary
