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
    with ``h`` a node's URL from the graph page (null for a missing page) and ``s`` a step's number."""
    index: dict[str, int] = {}
    nodes: list[dict[str, object]] = []
    edges: list[list[object]] = []

    def node(key: str) -> int:
        if key not in index:
            entry = catalog.entries.get(key)
            index[key] = len(nodes)
            nodes.append({"t": entry.title if entry else key, "n": entry.namespace if entry
                          else "", "h": href(GRAPH, catalog.paths[key])
                          if key in catalog.paths else None})
        return index[key]

    for source in sorted(catalog.uses):
        for use in catalog.uses[source]:
            if use.property in DRAWN:
                edges.append([node(source), node(use.other), use.number])
    return json_script("wikiflowGraph", {"nodes": nodes, "edges": edges})
