"""GraphML, written element by element as the index is read: networkx.read_graphml and Gephi
read it back as a directed multigraph.

The file has the form ``networkx.write_graphml`` gives a ``MultiDiGraph`` (the same attribute
keys and types, edge ids numbering the edges between each pair of pages), but networkx needs the
whole graph in memory first: about 4 KB per node or edge, 5.2 GB for the 400,000 pages of
``bench/bench_index.py``'s wiki. Written here as it streams, the same export keeps the memory
of a few rows (``bench/bench_export.py`` measures both). ``build_graph`` still gives the networkx
graph to callers that want one in memory.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING, Any, TextIO
from xml.sax.saxutils import escape, quoteattr

from .documents import edge_document, json_text, step_documents
from .output import ExportSummary
from .rows import Node, Subgraph

if TYPE_CHECKING:
    import networkx as nx

#: Characters XML 1.0 cannot hold at all, not even escaped; wikitext can contain them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: Every attribute a node or an edge may carry, with its GraphML type, in file order.
NODE_KEYS = {"label": "string", "namespace": "string", "title": "string", "exists": "boolean",
             "overview": "string", "last_updated": "string", "domains": "string",
             "categories": "string", "sources": "string", "steps": "string"}
EDGE_KEYS = {"property": "string", "step_number": "long", "step_name": "string",
             "position": "long"}
#: The id of each attribute's key declaration: d0, d1, … as networkx numbers them.
_KEY_IDS = {(kind, name): f"d{n}" for n, (kind, name) in enumerate(
    [("node", name) for name in NODE_KEYS] + [("edge", name) for name in EDGE_KEYS])}
#: Everything before the first node: the XML declaration, the root, the keys, the graph.
_HEADER = ("<?xml version='1.0' encoding='utf-8'?>\n"
           '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
           'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
           + "".join(f'  <key id="{ident}" for="{kind}" attr.name="{name}" attr.type='
                     f'"{(NODE_KEYS if kind == "node" else EDGE_KEYS)[name]}" />\n'
                     for (kind, name), ident in _KEY_IDS.items())
           + '  <graph edgedefault="directed">\n')


def _xml_text(text: str) -> str:
    """``text`` with characters XML cannot carry replaced by U+FFFD, so the file stays readable."""
    return _NOT_XML.sub("\ufffd", text)


#: What ``quoteattr`` would change or ``_xml_text`` replace: an attribute value without any of
#: these is written as it is, in double quotes (most page keys; ``quoteattr`` took a tenth of
#: the export).
_ATTRIBUTE_SPECIAL = re.compile("[&<>\"'\n\r\t\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _attribute(text: str) -> str:
    """``text`` as a quoted XML attribute value, characters XML cannot carry replaced."""
    if _ATTRIBUTE_SPECIAL.search(text):
        return quoteattr(_xml_text(text))
    return f'"{text}"'


def node_attributes(node: Node) -> dict[str, Any]:
    """GraphML node data: scalars only; lists as JSON text, since GraphML has no list type."""
    attributes: dict[str, Any] = {
        "label": node.full,  # Gephi shows the "label" attribute on the canvas
        "namespace": node.namespace,
        "title": node.title,
        "exists": node.exists,
        "overview": node.overview,
        "last_updated": node.last_updated,
        "domains": json_text(node.domains) if node.domains else None,
        "categories": json_text(node.categories) if node.categories else None,
        "sources": json_text([[s.type, s.title, s.url] for s in node.sources])
        if node.sources else None,
        "steps": json_text(step_documents(node)) if node.steps else None,
    }
    return _present(attributes)


def _present(attributes: dict[str, Any]) -> dict[str, Any]:
    """GraphML cannot write None: an absent value is an absent attribute."""
    return {name: _xml_text(value) if isinstance(value, str) else value
            for name, value in attributes.items() if value is not None}


def _edge(data: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    """An edge document as (source, target, its GraphML attributes)."""
    source, target = _xml_text(data.pop("source")), _xml_text(data.pop("target"))
    return source, target, _present(data)


def build_graph(graph: Subgraph) -> tuple[nx.MultiDiGraph, ExportSummary]:
    """The subgraph as a networkx MultiDiGraph keyed by page key (parallel edges kept), for
    graph algorithms in memory; the GraphML export does not need it."""
    import networkx as nx  # 0.1 s to load: only for callers who want the graph

    multigraph = nx.MultiDiGraph()
    for node in graph.nodes():
        multigraph.add_node(_xml_text(node.key), **node_attributes(node))
    for edge in graph.edges():
        source, target, attributes = _edge(edge_document(edge))
        multigraph.add_edge(source, target, **attributes)
    return multigraph, ExportSummary(multigraph.number_of_nodes(), multigraph.number_of_edges())


def write_graphml(graph: Subgraph, stream: TextIO) -> ExportSummary:
    """Write GraphML: the attribute keys, then each node, then each edge as the index yields
    them. Edges come grouped by source page, so the ids of parallel edges (0, 1, … between
    the same two pages, as networkx numbers them) need a count of the current page's only."""
    stream.write(_HEADER)
    nodes = edges = 0
    for node in graph.nodes():
        stream.write(f"    <node id={_attribute(node.key)}>\n"
                     f"{_data('node', node_attributes(node))}    </node>\n")
        nodes += 1
    current, parallel = None, Counter[str]()
    for edge in graph.edges():
        source, target, attributes = _edge(edge_document(edge))
        if source != current:
            current, parallel = source, Counter()
        stream.write(f"    <edge source={_attribute(source)} target={_attribute(target)} "
                     f'id="{parallel[target]}">\n{_data("edge", attributes)}    </edge>\n')
        parallel[target] += 1
        edges += 1
    stream.write("  </graph>\n</graphml>\n")
    return ExportSummary(nodes, edges)


#: Each attribute's opening ``<data>`` tag, by kind and name.
_OPENING = {kind: {name: f'      <data key="{_KEY_IDS[kind, name]}">' for name in keys}
            for kind, keys in (("node", NODE_KEYS), ("edge", EDGE_KEYS))}


def _data(kind: str, attributes: dict[str, Any]) -> str:
    opening = _OPENING[kind]
    return "".join([f"{opening[name]}{_value(value)}</data>\n"
                    for name, value in attributes.items()])


def _value(value: Any) -> str:
    kind = type(value)
    if kind is str:  # most values need no escaping, and looking costs a fifth of escape()
        return escape(value) if "&" in value or "<" in value or ">" in value else value
    if kind is bool:
        return "true" if value else "false"
    return str(value)
