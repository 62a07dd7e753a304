"""The whole wiki's graph for the graph view: Workflows and the Principles their steps use (in
step order) and the Heuristics they use, as nodes and edges that ``assets/graph.js`` draws on a
canvas."""

from __future__ import annotations

from .catalog import Catalog
from .output import json_script
from .paths import GRAPH, href

#: The edges the graph view draws (the guide's graph); other annotations stay on the pages.
DRAWN = ("step", "uses_heuristic")


def graph_data(catalog: Catalog) -> str:
    """``graph-data.js``: ``window.wikiflowGraph`` = {nodes: [{t, n, h}], edges: [[i, j, s]]}
    with ``h`` a node's URL from the graph page (null for a missing page) and ``s`` a step's
    number. Nodes are numbered as the edges first meet them."""
    index: dict[str, int] = {}
    edges: list[list[object]] = []
    for source in sorted(catalog.uses):
        for use in catalog.uses[source]:
            if use.property in DRAWN:  # a page met again is one lookup: 850,000 edges at 400k
                edges.append([index.setdefault(source, len(index)),
                              index.setdefault(use.other, len(index)), use.number])
    nodes = [_node(catalog, key) for key in index]  # in the order of their numbers
    return json_script("wikiflowGraph", {"nodes": nodes, "edges": edges})


def _node(catalog: Catalog, key: str) -> dict[str, object]:
    entry, path = catalog.entries.get(key), catalog.paths.get(key)
    return {"t": entry.title if entry else key, "n": entry.namespace if entry else "",
            "h": None if path is None else href(GRAPH, path)}
