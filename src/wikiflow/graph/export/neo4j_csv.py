"""CSV files for ``neo4j-admin database import``: nodes.csv and edges.csv in one directory.

Headers follow the import tool's conventions (``key:ID``, ``:LABEL``, ``:START_ID``,
``:END_ID``, ``:TYPE``, typed columns such as ``step_number:int``). Overviews span lines, so
import with ``--multiline-fields=true``; docs/export.md gives the whole command.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from .cypher import edge_properties, node_labels, node_properties, relationship_type
from .output import ExportSummary, text_output
from .rows import Edge, ExportError, Node, Subgraph

#: neo4j-admin's default array delimiter, used for :LABEL and the string[] columns.
ARRAY_DELIMITER = ";"
NODE_HEADER = ["key:ID", ":LABEL", "namespace", "title", "exists:boolean", "overview",
               "last_updated:datetime", "domains:string[]", "categories:string[]", "sources",
               "steps"]
EDGE_HEADER = [":START_ID", ":END_ID", ":TYPE", "step_number:int", "step_name", "position:int"]


def _array(node: Node, column: str, values: list[str] | None) -> str | None:
    """Join an array column; a value holding the delimiter would split on import, so refuse it."""
    if not values:
        return None
    for value in values:
        if ARRAY_DELIMITER in value:
            raise ExportError(f"{node.key}: {column} value {value!r} contains "
                              f"{ARRAY_DELIMITER!r}, the neo4j-admin array delimiter")
    return ARRAY_DELIMITER.join(values)


def node_row(node: Node) -> list[object]:
    """A nodes.csv row; None is an empty field, which neo4j-admin imports as no property."""
    props = node_properties(node)
    return [node.key, ARRAY_DELIMITER.join(node_labels(node)), props["namespace"],
            props["title"], "true" if node.exists else "false", props["overview"],
            props["last_updated"], _array(node, "domain", props["domains"]),
            _array(node, "category", props["categories"]), props["sources"], props["steps"]]


def edge_row(edge: Edge) -> list[object]:
    props = edge_properties(edge)
    return [edge.source, edge.target, relationship_type(edge.property),
            props["step_number"], props["step_name"], props["position"]]


#: The files neo4j-csv writes into its directory.
NEO4J_FILES = ("nodes.csv", "edges.csv")


def write_neo4j_csv(graph: Subgraph, directory: Path) -> ExportSummary:
    """Write ``directory``/nodes.csv and ``directory``/edges.csv (the directory is created)."""
    if directory.exists() and not directory.is_dir():
        raise ExportError(f"{directory}: neo4j-csv writes a directory, and this is a file")
    directory.mkdir(parents=True, exist_ok=True)
    nodes_file, edges_file = NEO4J_FILES
    nodes = _write(directory / nodes_file, NODE_HEADER, map(node_row, graph.nodes()))
    edges = _write(directory / edges_file, EDGE_HEADER, map(edge_row, graph.edges()))
    return ExportSummary(nodes, edges)


def _write(path: Path, header: list[str], rows: Iterable[list[object]]) -> int:
    count = 0
    with text_output(path) as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(header)
        for count, row in enumerate(rows, 1):
            writer.writerow(row)
    return count
