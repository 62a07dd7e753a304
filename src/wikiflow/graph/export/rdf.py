"""Turtle and JSON-LD in the wikiflow vocabulary described in docs/export.md, written as a
stream.

Each page becomes its triples (``page_triples``: plain strings and tuples, no rdflib terms),
which are written out at once: every triple has a page as its subject (or a step or source node
of that page), so nothing is held beyond one page. Built as one rdflib graph per chunk of pages
and serialised by rdflib, Turtle and JSON-LD took 1-2 ms a page, 29-54 times the other formats
(issue 18); written directly they take about what JSON does (``bench/bench_export.py``).
``build_graph`` still gives the rdflib graph, for callers that query it in memory; the tests
check that what is written parses back into that graph.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Iterator
from typing import BinaryIO, NamedTuple
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS

from .documents import json_text
from .output import ExportSummary
from .rows import Edge, Node, Source, Step, Subgraph

WF = Namespace("https://wikiflow.dev/vocab#")
#: Wiki-defined annotation properties live apart from the fixed vocabulary, as SMW keeps them in
#: its Property: namespace, so an annotation named ``source`` or ``domain`` cannot be mistaken for
#: wf:source or wf:domain.
WFP = Namespace("https://wikiflow.dev/property/")
PAGE = Namespace("https://wikiflow.dev/page/")
PREFIXES = {"wf": WF, "wfp": WFP, "page": PAGE, "dcterms": DCTERMS}

#: The characters MediaWiki leaves unescaped in /wiki/ URLs (wfUrlencode): IRIs read like links.
_IRI_SAFE = ";:@$!*(),/~"

#: JSON-LD context: compact names for the vocabularies, nothing page-specific.
CONTEXT = {"rdfs": str(RDFS), "xsd": str(XSD), **{p: str(ns) for p, ns in PREFIXES.items()}}


class Blank(NamedTuple):
    """A blank node, labelled from its page's id (unique in an export, the same every time)."""

    label: str


class Value(NamedTuple):
    """A literal: a string (typed when ``datatype`` is an IRI) or an integer."""

    value: str | int
    datatype: str | None = None


#: An IRI is a plain ``str``.
Term = str | Blank | Value
Triple = tuple[str | Blank, str, Term]

_TYPE, _DATETIME, _ANY_URI = str(RDF.type), str(XSD.dateTime), str(XSD.anyURI)
_LABEL, _MODIFIED, _TITLE = str(RDFS.label), str(DCTERMS.modified), str(DCTERMS.title)
#: The wf: terms used per triple, as plain strings: an rdflib ``Namespace`` attribute makes and
#: checks a new ``URIRef`` on every access (a third of the export's time).
(_PAGE_CLASS, _MISSING_CLASS, _STEP_CLASS, _KEY, _OVERVIEW, _DOMAIN, _CATEGORY, _SOURCE,
 _SOURCE_TYPE, _URL, _POSITION, _HAS_STEP, _PRINCIPLE, _STEP_NUMBER, _STEP_NAME,
 _USES_HEURISTIC) = (str(WF[name]) for name in (
    "Page", "MissingPage", "Step", "key", "overview", "domain", "category", "source",
    "sourceType", "url", "position", "hasStep", "principle", "stepNumber", "stepName",
    "usesHeuristic"))
_PAGE_NS = str(PAGE)


def page_iri(key: str) -> URIRef:
    """``https://wikiflow.dev/page/Principle:Data_formatting``, percent-encoded like MediaWiki."""
    return URIRef(_page(key))


def _page(key: str) -> str:
    """``page_iri`` as a plain string: it holds no character an IRI must escape."""
    return _PAGE_NS + quote(key, safe=_IRI_SAFE)


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


def page_triples(node: Node, edges: Iterable[Edge]) -> tuple[list[Triple], int]:
    """A page's triples (its sources, steps and links too) and how many are edge triples.

    Steps come from the node, not its step edges: a step without a principle has no edge but
    is a step of the recipe all the same."""
    triples = _node_triples(node)
    fragments, links = set[str](), set[tuple[str, str]]()
    for step in node.steps:
        triples += _step_triples(node.key, step, _step_fragment(step, fragments))
    added = len(node.steps)
    for edge in edges:
        if edge.property == "step":
            continue
        predicate = (_USES_HEURISTIC if edge.property == "uses_heuristic"
                     else str(property_iri(edge.property)))
        target = _page(edge.target)
        if (predicate, target) not in links:  # RDF graphs are sets: a repeated link is one
            links.add((predicate, target))
            triples.append((_page(edge.source), predicate, target))
            added += 1
    return triples, added


def _node_triples(node: Node) -> list[Triple]:
    page = _page(node.key)
    triples: list[Triple] = [(page, _TYPE, _PAGE_CLASS)]
    if node.namespace:
        triples.append((page, _TYPE, str(class_iri(node.namespace))))
    if not node.exists:
        triples.append((page, _TYPE, _MISSING_CLASS))
    triples += [(page, _KEY, Value(node.key)), (page, _LABEL, Value(node.title))]
    if node.overview:
        triples.append((page, _OVERVIEW, Value(node.overview)))
    if node.last_updated:
        triples.append((page, _MODIFIED, Value(node.last_updated, _DATETIME)))
    triples += [(page, _DOMAIN, Value(domain)) for domain in node.domains]
    triples += [(page, _CATEGORY, Value(category)) for category in node.categories]
    for position, source in enumerate(node.sources):
        triples += _source_triples(page, Blank(f"source-{node.id}-{position}"), position, source)
    return triples


def _source_triples(page: str, blank: Blank, position: int, source: Source) -> list[Triple]:
    # Blank node labels come from the page id: unique in an export, the same on every export.
    # The URL is a typed literal, not an IRI: wiki authors write URLs that are not valid IRIs.
    return [(page, _SOURCE, blank), (blank, _SOURCE_TYPE, Value(source.type)),
            (blank, _TITLE, Value(source.title)), (blank, _URL, Value(source.url, _ANY_URI)),
            (blank, _POSITION, Value(position))]


def _step_fragment(step: Step, used: set[str]) -> str:
    """``step-N``; a repeated or missing number falls back to the step's position on the page."""
    fragment = f"step-{step.number}"
    if step.number is None or fragment in used:
        fragment = f"step-at-{step.position}"
    used.add(fragment)
    return fragment


def _step_triples(key: str, step: Step, fragment: str) -> list[Triple]:
    workflow = _page(key)
    resource = f"{workflow}#{fragment}"
    triples: list[Triple] = [(workflow, _HAS_STEP, resource), (resource, _TYPE, _STEP_CLASS)]
    if step.principle is not None:
        triples.append((resource, _PRINCIPLE, _page(step.principle)))
    triples.append((resource, _POSITION, Value(step.position)))
    if step.number is not None:
        triples.append((resource, _STEP_NUMBER, Value(step.number)))
    if step.name is not None:
        triples.append((resource, _STEP_NAME, Value(step.name)))
    return triples


def build_graph(graph: Subgraph) -> tuple[Graph, ExportSummary]:
    """The whole subgraph as one rdflib graph, for callers that want to query it in memory."""
    rdf = Graph(bind_namespaces="core")
    for prefix, namespace in PREFIXES.items():
        rdf.bind(prefix, namespace)
    nodes = edges = 0
    for node, own in pages_with_edges(graph):
        triples, added = page_triples(node, own)
        for triple in triples:
            rdf.add(tuple(map(_rdflib_term, triple)))  # type: ignore[arg-type]
        nodes, edges = nodes + 1, edges + added
    return rdf, ExportSummary(nodes, edges)


def _rdflib_term(term: Term) -> URIRef | BNode | Literal:
    if isinstance(term, Blank):
        return BNode(term.label)
    if isinstance(term, Value):
        return Literal(term.value, datatype=URIRef(term.datatype) if term.datatype else None)
    return URIRef(term)


def _by_subject(triples: list[Triple]) -> dict[str | Blank, list[tuple[str, Term]]]:
    """A page's triples grouped by subject, in the order the subjects first appear."""
    grouped: dict[str | Blank, list[tuple[str, Term]]] = {}
    for subject, predicate, thing in triples:
        grouped.setdefault(subject, []).append((predicate, thing))
    return grouped


# -- Turtle ------------------------------------------------------------------------------------

_TURTLE_PREFIXES = {"rdfs": str(RDFS), "xsd": str(XSD), **{p: str(n) for p, n in PREFIXES.items()}}
#: A local name written after a prefix as it is (Turtle's PN_LOCAL allows more, with escapes).
_PLAIN_LOCAL = re.compile(r"[A-Za-z][A-Za-z0-9]*")
#: What a Turtle string or IRI may not hold as it is.
_STRING_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')
_IRI_ESCAPE = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_ECHAR = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t",
          "\b": "\\b", "\f": "\\f"}


def _uchar(match: re.Match[str]) -> str:
    return _ECHAR.get(match[0]) or f"\\u{ord(match[0]):04X}"


def _turtle_iri(iri: str) -> str:
    if iri.startswith(_PAGE_NS):  # a page or a step: written whole, nothing to escape
        return f"<{iri}>"
    return _turtle_term_iri(iri)


@functools.lru_cache(maxsize=4096)
def _turtle_term_iri(iri: str) -> str:
    """A vocabulary term (or a property) as Turtle: few, so each is worked out once."""
    if iri == _TYPE:
        return "a"
    for prefix, namespace in _TURTLE_PREFIXES.items():
        if iri.startswith(namespace) and _PLAIN_LOCAL.fullmatch(iri, len(namespace)):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{_IRI_ESCAPE.sub(_uchar, iri)}>"


def _turtle(term: Term) -> str:
    if isinstance(term, Blank):
        return f"_:{term.label}"
    if isinstance(term, Value):
        if isinstance(term.value, int):
            return str(term.value)
        text = f'"{_STRING_ESCAPE.sub(_uchar, term.value)}"'
        return f"{text}^^{_turtle_iri(term.datatype)}" if term.datatype else text
    return _turtle_iri(term)


def write_turtle(graph: Subgraph, out: BinaryIO) -> ExportSummary:
    """Turtle: the prefixes, then each page's statements, one subject each."""
    out.write("".join(f"@prefix {prefix}: <{namespace}> .\n"
                      for prefix, namespace in _TURTLE_PREFIXES.items()).encode() + b"\n")
    nodes = edges = 0
    for node, own in pages_with_edges(graph):
        triples, added = page_triples(node, own)
        statements = [
            _turtle(subject) + " " + " ;\n    ".join(
                f"{_turtle_iri(predicate)} {_turtle(thing)}" for predicate, thing in pairs) + " .\n"
            for subject, pairs in _by_subject(triples).items()]
        out.write(("".join(statements) + "\n").encode("utf-8"))
        nodes, edges = nodes + 1, edges + added
    return ExportSummary(nodes, edges)


# -- JSON-LD -----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _jsonld_key(iri: str) -> str:
    for prefix, namespace in CONTEXT.items():
        if iri.startswith(namespace) and _PLAIN_LOCAL.fullmatch(iri, len(namespace)):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _jsonld(term: Term) -> object:
    if isinstance(term, Blank):
        return {"@id": f"_:{term.label}"}
    if isinstance(term, Value):
        if term.datatype:
            return {"@value": term.value, "@type": _jsonld_key(term.datatype)}
        return term.value  # a JSON string is an xsd:string, a JSON integer an xsd:integer
    return {"@id": term}


def _node_object(subject: str | Blank, pairs: list[tuple[str, Term]]) -> dict[str, object]:
    item: dict[str, object] = {"@id": f"_:{subject.label}" if isinstance(subject, Blank)
                               else subject}
    for predicate, thing in pairs:
        key, value = (("@type", _jsonld_key(thing)) if predicate == _TYPE
                      and isinstance(thing, str) else (_jsonld_key(predicate), _jsonld(thing)))
        if key in item:
            held = item[key]
            item[key] = [*held, value] if isinstance(held, list) else [held, value]
        else:
            item[key] = value
    return item


def write_jsonld(graph: Subgraph, out: BinaryIO) -> ExportSummary:
    """One JSON-LD document: the shared :data:`CONTEXT`, then a node object per subject."""
    out.write(b'{"@context": ' + json.dumps(CONTEXT).encode() + b',\n"@graph": [')
    nodes = edges = 0
    separator = b"\n"
    for node, own in pages_with_edges(graph):
        triples, added = page_triples(node, own)
        for subject, pairs in _by_subject(triples).items():
            out.write(separator + json_text(_node_object(subject, pairs)).encode("utf-8"))
            separator = b",\n"
        nodes, edges = nodes + 1, edges + added
    out.write(b"\n]}\n")
    return ExportSummary(nodes, edges)
