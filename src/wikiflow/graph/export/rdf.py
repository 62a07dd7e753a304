"""Turtle and JSON-LD in the wikiflow vocabulary described in docs/export.md, written as a
stream.

Each page becomes its triples, grouped by subject (``page_statements``: plain strings and
tuples, no rdflib terms), which are written out at once: every triple has a page as its
subject (or a step or source node of that page), so nothing is held beyond one page. Built as
one rdflib graph per chunk of pages and serialised by rdflib, Turtle and JSON-LD took 1-2 ms a
page, 29-54 times the other formats (issue 18); written directly they take about what JSON
does (``bench/bench_export.py``). ``build_graph`` still gives the rdflib graph, for callers
that query it in memory; the tests check that what is written parses back into that graph.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, BinaryIO, NamedTuple
from urllib.parse import quote

from .documents import json_text
from .output import ExportSummary
from .rows import Edge, Node, Source, Step, Subgraph

if TYPE_CHECKING:
    from rdflib import BNode, Graph, Literal, Namespace, URIRef

#: The vocabularies by prefix, as plain strings. Wiki-defined annotation properties (``wfp``)
#: live apart from the fixed vocabulary (``wf``), as SMW keeps them in its Property:
#: namespace, so an annotation named ``source`` or ``domain`` cannot be mistaken for wf:source
#: or wf:domain. rdflib (a twentieth of a second to import, a quarter of a 4,000-page export)
#: is loaded only for its terms and graphs: the streamed writers need none.
_NAMESPACES = {"rdfs": "http://www.w3.org/2000/01/rdf-schema#",
               "xsd": "http://www.w3.org/2001/XMLSchema#",
               "wf": "https://wikiflow.dev/vocab#", "wfp": "https://wikiflow.dev/property/",
               "page": "https://wikiflow.dev/page/", "dcterms": "http://purl.org/dc/terms/"}
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
#: The prefixes an rdflib graph of the export binds (rdflib binds rdfs and xsd itself).
_BOUND = ("wf", "wfp", "page", "dcterms")


def __getattr__(name: str) -> Namespace | dict[str, Namespace]:
    """``WF``, ``WFP``, ``PAGE`` (rdflib ``Namespace``s) and ``PREFIXES``, made when asked."""
    from rdflib import Namespace

    if name in ("WF", "WFP", "PAGE"):
        return Namespace(_NAMESPACES[name.lower()])
    if name == "PREFIXES":
        return {prefix: Namespace(_NAMESPACES[prefix]) for prefix in _BOUND}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: The characters MediaWiki leaves unescaped in /wiki/ URLs (wfUrlencode): IRIs read like links.
_IRI_SAFE = ";:@$!*(),/~"

#: JSON-LD context: compact names for the vocabularies, nothing page-specific.
CONTEXT = dict(_NAMESPACES)


class Blank(NamedTuple):
    """A blank node, labelled from its page's id (unique in an export, the same every time)."""

    label: str


class Value(NamedTuple):
    """A literal: a string (typed when ``datatype`` is an IRI) or an integer."""

    value: str | int
    datatype: str | None = None


#: An IRI is a plain ``str``.
Term = str | Blank | Value
#: Triples grouped by subject: each subject once, with its (predicate, object) pairs.
Statements = list[tuple[str | Blank, list[tuple[str, Term]]]]

_TYPE = _RDF_TYPE
_DATETIME, _ANY_URI = _NAMESPACES["xsd"] + "dateTime", _NAMESPACES["xsd"] + "anyURI"
_LABEL = _NAMESPACES["rdfs"] + "label"
_MODIFIED, _TITLE = _NAMESPACES["dcterms"] + "modified", _NAMESPACES["dcterms"] + "title"
#: The wf: terms used per triple, as plain strings: an rdflib ``Namespace`` attribute makes and
#: checks a new ``URIRef`` on every access (a third of the export's time).
(_PAGE_CLASS, _MISSING_CLASS, _STEP_CLASS, _KEY, _OVERVIEW, _DOMAIN, _CATEGORY, _SOURCE,
 _SOURCE_TYPE, _URL, _POSITION, _HAS_STEP, _PRINCIPLE, _STEP_NUMBER, _STEP_NAME,
 _USES_HEURISTIC) = (_NAMESPACES["wf"] + name for name in (
    "Page", "MissingPage", "Step", "key", "overview", "domain", "category", "source",
    "sourceType", "url", "position", "hasStep", "principle", "stepNumber", "stepName",
    "usesHeuristic"))
_PAGE_NS = _NAMESPACES["page"]


def page_iri(key: str) -> URIRef:
    """``https://wikiflow.dev/page/Principle:Data_formatting``, percent-encoded like MediaWiki."""
    from rdflib import URIRef

    return URIRef(_page(key))


#: A key made only of these characters is its own percent-encoding (``quote`` keeps them).
_IRI_PLAIN = re.compile(r"[A-Za-z0-9_.\-~;:@$!*(),/]*")


def _page(key: str) -> str:
    """``page_iri`` as a plain string: it holds no character an IRI must escape. Most keys
    need no encoding, and checking that takes a tenth of the time of ``quote``."""
    return _PAGE_NS + (key if _IRI_PLAIN.fullmatch(key) else quote(key, safe=_IRI_SAFE))


def class_iri(namespace: str) -> URIRef:
    """``wf:Workflow`` for the Workflow namespace; ``User talk`` becomes ``wf:UserTalk``."""
    from rdflib import URIRef

    return URIRef(_class(namespace))


def property_iri(prop: str) -> URIRef:
    """The predicate of an edge that is neither a step nor a heuristic: ``wfp:<property>``."""
    from rdflib import URIRef

    return URIRef(_property(prop))


# ``class_iri`` and ``property_iri`` as plain strings, for the per-page work; a wiki has few
# of either, so each is worked out once.
@functools.lru_cache(maxsize=4096)
def _class(namespace: str) -> str:
    return _NAMESPACES["wf"] + "".join(part[:1].upper() + part[1:] for part in namespace.split())


@functools.lru_cache(maxsize=4096)
def _property(prop: str) -> str:
    return _NAMESPACES["wfp"] + quote(prop, safe="")


def pages_with_edges(graph: Subgraph) -> Iterator[tuple[Node, list[Edge]]]:
    """Each node with its outgoing edges other than steps (the node has its steps): both
    cursors run in page-id order, so merge them."""
    edges = graph.edges(steps=False)
    pending = next(edges, None)
    for node in graph.nodes():
        own: list[Edge] = []
        while pending is not None and pending.source == node.key:
            own.append(pending)
            pending = next(edges, None)
        yield node, own
    if pending is not None:
        raise RuntimeError(f"edge from {pending.source} arrived out of page order")


def page_statements(node: Node, edges: Iterable[Edge]) -> tuple[Statements, int]:
    """A page's triples grouped by subject (the page, then its sources' blank nodes, then its
    steps) and how many are edge triples. Built grouped, in the order the writers give them,
    rather than as triples grouped later: grouping was a tenth of the Turtle export.

    Steps come from the node, not its step edges: a step without a principle has no edge but
    is a step of the recipe all the same."""
    page = _page(node.key)
    own = _node_pairs(node)
    statements: Statements = [(page, own)]
    for position, source in enumerate(node.sources):
        # Blank node labels come from the page id: unique in an export, the same on every
        # export.
        blank = Blank(f"source-{node.id}-{position}")
        own.append((_SOURCE, blank))
        statements.append((blank, _source_pairs(position, source)))
    fragments = set[str]()
    for step in node.steps:
        resource = f"{page}#{_step_fragment(step, fragments)}"
        own.append((_HAS_STEP, resource))
        statements.append((resource, _step_pairs(step)))
    added = len(node.steps)
    links = set[tuple[str, str]]()
    for edge in edges:
        if edge.property == "step":
            continue
        predicate = (_USES_HEURISTIC if edge.property == "uses_heuristic"
                     else _property(edge.property))
        target = _page(edge.target)
        if (predicate, target) not in links:  # RDF graphs are sets: a repeated link is one
            links.add((predicate, target))
            own.append((predicate, target))
            added += 1
    return statements, added


def _node_pairs(node: Node) -> list[tuple[str, Term]]:
    own: list[tuple[str, Term]] = [(_TYPE, _PAGE_CLASS)]
    if node.namespace:
        own.append((_TYPE, _class(node.namespace)))
    if not node.exists:
        own.append((_TYPE, _MISSING_CLASS))
    own += [(_KEY, Value(node.key)), (_LABEL, Value(node.title))]
    if node.overview:
        own.append((_OVERVIEW, Value(node.overview)))
    if node.last_updated:
        own.append((_MODIFIED, Value(node.last_updated, _DATETIME)))
    own += [(_DOMAIN, Value(domain)) for domain in node.domains]
    own += [(_CATEGORY, Value(category)) for category in node.categories]
    return own


def _source_pairs(position: int, source: Source) -> list[tuple[str, Term]]:
    # The URL is a typed literal, not an IRI: wiki authors write URLs that are not valid IRIs.
    return [(_SOURCE_TYPE, Value(source.type)), (_TITLE, Value(source.title)),
            (_URL, Value(source.url, _ANY_URI)), (_POSITION, Value(position))]


def _step_fragment(step: Step, used: set[str]) -> str:
    """``step-N``; a repeated or missing number falls back to the step's position on the page."""
    fragment = f"step-{step.number}"
    if step.number is None or fragment in used:
        fragment = f"step-at-{step.position}"
    used.add(fragment)
    return fragment


def _step_pairs(step: Step) -> list[tuple[str, Term]]:
    own: list[tuple[str, Term]] = [(_TYPE, _STEP_CLASS)]
    if step.principle is not None:
        own.append((_PRINCIPLE, _page(step.principle)))
    own.append((_POSITION, Value(step.position)))
    if step.number is not None:
        own.append((_STEP_NUMBER, Value(step.number)))
    if step.name is not None:
        own.append((_STEP_NAME, Value(step.name)))
    return own


def build_graph(graph: Subgraph) -> tuple[Graph, ExportSummary]:
    """The whole subgraph as one rdflib graph, for callers that want to query it in memory."""
    from rdflib import Graph, URIRef

    rdf = Graph(bind_namespaces="core")
    for prefix in _BOUND:
        rdf.bind(prefix, _NAMESPACES[prefix])
    nodes = edges = 0
    for node, own in pages_with_edges(graph):
        statements, added = page_statements(node, own)
        for subject, pairs in statements:
            for predicate, thing in pairs:
                rdf.add((_rdflib_term(subject), URIRef(predicate), _rdflib_term(thing)))
        nodes, edges = nodes + 1, edges + added
    return rdf, ExportSummary(nodes, edges)


def _rdflib_term(term: Term) -> URIRef | BNode | Literal:
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, Blank):
        return BNode(term.label)
    if isinstance(term, Value):
        return Literal(term.value, datatype=URIRef(term.datatype) if term.datatype else None)
    return URIRef(term)


# -- Turtle ------------------------------------------------------------------------------------

_TURTLE_PREFIXES = _NAMESPACES
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
    kind = type(term)  # an exact type test: a third of the time of isinstance on a NamedTuple
    if kind is str:
        return _turtle_iri(term)  # type: ignore[arg-type]
    if kind is Value:
        value, datatype = term  # type: ignore[misc]
        if type(value) is int:
            return str(value)
        text = f'"{_STRING_ESCAPE.sub(_uchar, value)}"'
        return f"{text}^^{_turtle_term_iri(datatype)}" if datatype else text
    return f"_:{term.label}"  # type: ignore[union-attr]


def _turtle_statement(subject: str | Blank, pairs: list[tuple[str, Term]]) -> str:
    return (_turtle(subject) + " " + " ;\n    ".join(
        [f"{_turtle_term_iri(predicate)} {_turtle(thing)}" for predicate, thing in pairs])
        + " .\n")


def write_turtle(graph: Subgraph, out: BinaryIO) -> ExportSummary:
    """Turtle: the prefixes, then each page's statements, one subject each."""
    out.write("".join(f"@prefix {prefix}: <{namespace}> .\n"
                      for prefix, namespace in _TURTLE_PREFIXES.items()).encode() + b"\n")
    nodes = edges = 0
    for node, own in pages_with_edges(graph):
        statements, added = page_statements(node, own)
        out.write(("".join([_turtle_statement(*statement) for statement in statements])
                   + "\n").encode("utf-8"))
        nodes, edges = nodes + 1, edges + added
    return ExportSummary(nodes, edges)


# -- JSON-LD -----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _jsonld_key(iri: str) -> str:
    for prefix, namespace in CONTEXT.items():
        if iri.startswith(namespace) and _PLAIN_LOCAL.fullmatch(iri, len(namespace)):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _node_object(subject: str | Blank, pairs: list[tuple[str, Term]]) -> dict[str, object]:
    """A subject's node object; a key said more than once holds a list. Each object is
    made here, not in a function per term: an export makes about 25 a page."""
    item: dict[str, object] = {"@id": subject if type(subject) is str
                               else f"_:{subject.label}"}  # type: ignore[union-attr]
    for predicate, thing in pairs:
        kind = type(thing)
        value: object
        if kind is Value:
            value, datatype = thing  # type: ignore[misc]
            if datatype:  # else a JSON string is an xsd:string, a JSON integer an xsd:integer
                value = {"@value": value, "@type": _jsonld_key(datatype)}
            key = _jsonld_key(predicate)
        elif kind is not str:  # a blank node
            label = thing.label  # type: ignore[union-attr]
            key, value = _jsonld_key(predicate), {"@id": f"_:{label}"}
        elif predicate == _TYPE:
            key, value = "@type", _jsonld_key(thing)  # type: ignore[arg-type]
        else:
            key, value = _jsonld_key(predicate), {"@id": thing}
        if key in item:
            held = item[key]
            item[key] = [*held, value] if type(held) is list else [held, value]
        else:
            item[key] = value
    return item


def write_jsonld(graph: Subgraph, out: BinaryIO) -> ExportSummary:
    """One JSON-LD document: the shared :data:`CONTEXT`, then a node object per subject."""
    out.write(b'{"@context": ' + json.dumps(CONTEXT).encode() + b',\n"@graph": [')
    nodes = edges = 0
    separator = b"\n"
    for node, own in pages_with_edges(graph):
        statements, added = page_statements(node, own)
        out.write(separator + ",\n".join(
            [json_text(_node_object(*statement)) for statement in statements]).encode("utf-8"))
        separator = b",\n"
        nodes, edges = nodes + 1, edges + added
    out.write(b"\n]}\n")
    return ExportSummary(nodes, edges)
