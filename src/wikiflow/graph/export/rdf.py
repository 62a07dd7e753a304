"""Turtle and JSON-LD through rdflib, in the wikiflow vocabulary described in docs/export.md.

rdflib's serialisers work on a whole in-memory graph and Turtle's grows superlinear with its
size (half a million triples take minutes), so pages are turned into RDF in chunks of
:data:`CHUNK_PAGES` pages, each a small rdflib graph serialised and written before the next.
Every triple has a page as its subject (or a step or source node of that page), so a chunk holds
everything about its pages and memory stays bounded by the chunk, not the index.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import BinaryIO
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS

from .output import ExportSummary
from .rows import Edge, Node, Source, Subgraph

WF = Namespace("https://wikiflow.dev/vocab#")
#: Wiki-defined annotation properties live apart from the fixed vocabulary, as SMW keeps them in
#: its Property: namespace, so an annotation named ``source`` or ``domain`` cannot be mistaken for
#: wf:source or wf:domain.
WFP = Namespace("https://wikiflow.dev/property/")
PAGE = Namespace("https://wikiflow.dev/page/")
PREFIXES = {"wf": WF, "wfp": WFP, "page": PAGE, "dcterms": DCTERMS}
CHUNK_PAGES = 1000

#: The characters MediaWiki leaves unescaped in /wiki/ URLs (wfUrlencode): IRIs read like links.
_IRI_SAFE = ";:@$!*(),/~"

#: JSON-LD context: compact names for the vocabularies, nothing page-specific.
CONTEXT = {"rdfs": str(RDFS), "xsd": str(XSD), **{p: str(ns) for p, ns in PREFIXES.items()}}


def page_iri(key: str) -> URIRef:
    """``https://wikiflow.dev/page/Principle:Data_formatting``, percent-encoded like MediaWiki."""
    return PAGE[quote(key, safe=_IRI_SAFE)]


def class_iri(namespace: str) -> URIRef:
    """``wf:Workflow`` for the Workflow namespace; ``User talk`` becomes ``wf:UserTalk``."""
    return WF["".join(part[:1].upper() + part[1:] for part in namespace.split())]


def property_iri(prop: str) -> URIRef:
    """The predicate of an edge that is neither a step nor a heuristic: ``wfp:<property>``."""
    return WFP[quote(prop, safe="")]


def pages_with_edges(graph: Subgraph) -> Iterator[tuple[Node, list[Edge]]]:
    """Each node with its outgoing edges: both cursors run in page-id order, so merge them."""
    edges = graph.edges()
    pending = next(edges, None)
    for node in graph.nodes():
        own: list[Edge] = []
        while pending is not None and pending.source == node.key:
            own.append(pending)
            pending = next(edges, None)
        yield node, own
    if pending is not None:
        raise RuntimeError(f"edge from {pending.source} arrived out of page order")


def new_graph() -> Graph:
    rdf = Graph(bind_namespaces="core")
    for prefix, namespace in PREFIXES.items():
        rdf.bind(prefix, namespace)
    return rdf


def add_page(rdf: Graph, node: Node, edges: Iterable[Edge]) -> int:
    """Add a page, its sources, steps and links; return the edge triples it added."""
    _add_node(rdf, node)
    added, fragments = 0, set[str]()
    for edge in edges:
        if edge.property == "step":
            _add_step(rdf, edge, _step_fragment(edge, fragments))
            added += 1
        else:
            added += _add_link(rdf, edge)
    return added


def _add_node(rdf: Graph, node: Node) -> None:
    page = page_iri(node.key)
    rdf.add((page, RDF.type, WF.Page))
    if node.namespace:
        rdf.add((page, RDF.type, class_iri(node.namespace)))
    if not node.exists:
        rdf.add((page, RDF.type, WF.MissingPage))
    rdf.add((page, WF.key, Literal(node.key)))
    rdf.add((page, RDFS.label, Literal(node.title)))
    if node.overview:
        rdf.add((page, WF.overview, Literal(node.overview)))
    if node.last_updated:
        rdf.add((page, DCTERMS.modified, Literal(node.last_updated, datatype=XSD.dateTime)))
    for domain in node.domains:
        rdf.add((page, WF.domain, Literal(domain)))
    for category in node.categories:
        rdf.add((page, WF.category, Literal(category)))
    for position, source in enumerate(node.sources):
        _add_source(rdf, page, BNode(f"source-{node.id}-{position}"), position, source)


def _add_source(rdf: Graph, page: URIRef, blank: BNode, position: int, source: Source) -> None:
    # Blank node labels come from the page id: unique across chunks, the same on every export.
    # The URL is a typed literal, not an IRI: wiki authors write URLs that are not valid IRIs.
    rdf.add((page, WF.source, blank))
    for predicate, value in ((WF.sourceType, Literal(source.type)),
                             (DCTERMS.title, Literal(source.title)),
                             (WF.url, Literal(source.url, datatype=XSD.anyURI)),
                             (WF.position, Literal(position))):
        rdf.add((blank, predicate, value))


def _step_fragment(edge: Edge, used: set[str]) -> str:
    """``step-N``; a repeated or missing number falls back to the edge's position on the page."""
    fragment = f"step-{edge.step_number}"
    if edge.step_number is None or fragment in used:
        fragment = f"step-at-{edge.position}"
    used.add(fragment)
    return fragment


def _add_step(rdf: Graph, edge: Edge, fragment: str) -> None:
    workflow = page_iri(edge.source)
    step = URIRef(f"{workflow}#{fragment}")
    rdf.add((workflow, WF.hasStep, step))
    rdf.add((step, RDF.type, WF.Step))
    rdf.add((step, WF.principle, page_iri(edge.target)))
    rdf.add((step, WF.position, Literal(edge.position)))
    if edge.step_number is not None:
        rdf.add((step, WF.stepNumber, Literal(edge.step_number)))
    if edge.step_name is not None:
        rdf.add((step, WF.stepName, Literal(edge.step_name)))


def _add_link(rdf: Graph, edge: Edge) -> int:
    """Add a link triple; 0 when the page names the same target with this property again."""
    predicate = (WF.usesHeuristic if edge.property == "uses_heuristic"
                 else property_iri(edge.property))
    triple = (page_iri(edge.source), predicate, page_iri(edge.target))
    if triple in rdf:
        return 0
    rdf.add(triple)
    return 1


def chunks(graph: Subgraph) -> Iterator[tuple[Graph, ExportSummary]]:
    """RDF graphs of :data:`CHUNK_PAGES` pages each, with the nodes and edge triples in each."""
    pages = pages_with_edges(graph)
    while batch := list(islice(pages, CHUNK_PAGES)):
        rdf = new_graph()
        edges = sum(add_page(rdf, node, own) for node, own in batch)
        yield rdf, ExportSummary(len(batch), edges)


def build_graph(graph: Subgraph) -> tuple[Graph, ExportSummary]:
    """The whole subgraph as one rdflib graph, for callers that want to query it in memory."""
    rdf, nodes, edges = new_graph(), 0, 0
    for node, own in pages_with_edges(graph):
        edges += add_page(rdf, node, own)
        nodes += 1
    return rdf, ExportSummary(nodes, edges)


def write_turtle(graph: Subgraph, out: BinaryIO) -> ExportSummary:
    """Turtle, chunk after chunk; a chunk's @prefix lines are written when they change."""
    nodes = edges = 0
    header = b""
    for rdf, summary in chunks(graph):
        text = rdf.serialize(format="turtle", encoding="utf-8")
        prefixes, body = _split_prefixes(text)
        if prefixes != header:  # same prefixes: the ones in force already mean the same
            out.write(prefixes + b"\n")
            header = prefixes
        out.write(body.strip(b"\n") + b"\n\n")
        nodes, edges = nodes + summary.nodes, edges + summary.edges
    return ExportSummary(nodes, edges)


def _split_prefixes(text: bytes) -> tuple[bytes, bytes]:
    lines = text.split(b"\n")
    count = next((i for i, line in enumerate(lines) if not line.startswith(b"@prefix ")),
                 len(lines))
    return b"\n".join(lines[:count]) + b"\n", b"\n".join(lines[count:])


def write_jsonld(graph: Subgraph, out: BinaryIO) -> ExportSummary:
    """One JSON-LD document: the shared :data:`CONTEXT`, then each chunk's compacted nodes."""
    out.write(b'{"@context": ' + json.dumps(CONTEXT).encode() + b',\n"@graph": [')
    nodes = edges = 0
    first = True
    for rdf, summary in chunks(graph):
        for item in _compacted(rdf):
            out.write((b"\n" if first else b",\n") + json.dumps(item, ensure_ascii=False).encode())
            first = False
        nodes, edges = nodes + summary.nodes, edges + summary.edges
    out.write(b"\n]}\n")
    return ExportSummary(nodes, edges)


def _compacted(rdf: Graph) -> list[dict]:
    """The chunk's node objects, compacted with :data:`CONTEXT` (so they fit the one context)."""
    document = json.loads(rdf.serialize(format="json-ld", context=CONTEXT))
    if "@graph" in document:
        return document["@graph"]
    document.pop("@context", None)
    return [document] if document else []
