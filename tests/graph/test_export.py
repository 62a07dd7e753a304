"""Exporters: each format, read back with its own reader, matches the index it came from."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from importlib import resources
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import RDF, RDFS, Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS

from wikiflow.graph.export import FORMATS, ExportError, ExportSummary, export_graph
from wikiflow.graph.export import graphml as graphml_export
from wikiflow.graph.export import rdf as rdf_export
from wikiflow.graph.export.cypher import cypher_string
from wikiflow.graph.export.rdf import WF, WFP, page_iri
from wikiflow.graph.export.rows import select

QUOTED = "Mind the \"quotes\", O'Brien's \\ backslash"
MULTILINE = "First line with a 'quote',\nsecond line with a \\ backslash."

# id, key, namespace, title, exists_, overview, last_updated
PAGES = [
    (1, "Workflow:Fine_tuning_with_LoRA", "Workflow", "Fine tuning with LoRA", 1,
     "Adapt a model cheaply.", "2024-05-01T00:00:00+00:00"),
    (2, "Principle:Data_formatting", "Principle", "Data formatting", 1, "Shape the data.", None),
    (3, "Principle:Low_rank_adaptation", "Principle", "Low rank adaptation", 1, "", None),
    (4, "Principle:Evaluation", "Principle", "Evaluation", 0, None, None),
    (5, "Heuristic:Packing_short_sequences", "Heuristic", "Packing short sequences", 1,
     "Pack them.", None),
    (6, "Heuristic:" + QUOTED.replace(" ", "_"), "Heuristic", QUOTED, 1, MULTILINE, None),
    (7, "Workflow:Other", "Workflow", "Other", 1, "Another recipe.", None),
    (8, "Principle:Unrelated", "Principle", "Unrelated", 1, "Elsewhere.", None),
    (9, "Implementation:Peft", "Implementation", "Peft", 1, "A library.", None),
]
# source, target, property, step_number, step_name, position
EDGES = [
    (1, 2, "step", 1, "Format the data", 0),
    (1, 3, "step", 2, "Train the adapter", 1),
    (1, 4, "step", 3, "Evaluate", 2),
    (1, 5, "uses_heuristic", None, None, 3),
    (1, 6, "uses_heuristic", None, None, 4),
    (1, 5, "uses_heuristic", None, None, 5),  # named twice on the page: one RDF triple
    (3, 9, "implemented_by", None, None, 0),
    (7, 2, "step", 1, "Format", 0),
    (7, 8, "step", 2, "Do something else", 1),
    (7, 1, "link", None, None, 2),
]
STEPS_OF_LORA = [(1, "Principle:Data_formatting"), (2, "Principle:Low_rank_adaptation"),
                 (3, "Principle:Evaluation")]


@pytest.fixture()
def index() -> sqlite3.Connection:
    """A small index in the store's schema: two workflows, their principles and heuristics."""
    conn = sqlite3.connect(":memory:")
    conn.executescript(resources.files("wikiflow.graph").joinpath("schema.sql").read_text())
    conn.executemany("INSERT INTO pages (id, key, namespace, title, exists_, overview, "
                     "last_updated) VALUES (?, ?, ?, ?, ?, ?, ?)", PAGES)
    conn.executemany("INSERT INTO edges VALUES (?, ?, ?, ?, ?, ?, 1, 1)", EDGES)
    conn.executemany("INSERT INTO sources VALUES (?, ?, ?, ?, ?)", [
        (1, 0, "Paper", "LoRA: Low-Rank Adaptation", "https://arxiv.org/abs/2106.09685"),
        (1, 1, "Repo", 'A "quoted" repo', "https://github.com/huggingface/peft")])
    conn.executemany("INSERT INTO domains VALUES (?, ?)", [(1, "NLP"), (1, "Fine-tuning")])
    conn.executemany("INSERT INTO categories VALUES (?, ?)", [(1, "Recipes")])
    conn.executemany("INSERT INTO props VALUES (?, ?, ?, ?, ?)", [
        (1, "domain", "NLP", None, 3), (1, "step", "Principle:Data_formatting", None, 9),
        (3, "implemented_by", "Implementation:Peft", None, 4)])
    return conn


def export(conn: sqlite3.Connection, fmt: str, **kwargs: object) -> tuple[bytes, ExportSummary]:
    out = io.BytesIO()
    summary = export_graph(conn, fmt, out, **kwargs)  # type: ignore[arg-type]
    return out.getvalue(), summary


def distinct_links(conn: sqlite3.Connection, prop: str | None = None) -> int:
    """Non-step edges as RDF holds them: a set of (source, property, target)."""
    where = "property = ?" if prop else "property NOT IN ('step', 'uses_heuristic')"
    return conn.execute(f"SELECT count(*) FROM (SELECT DISTINCT source, property, target "
                        f"FROM edges WHERE {where})", (prop,) if prop else ()).fetchone()[0]


# --- json / jsonl -------------------------------------------------------------------------


def test_json_holds_every_node_and_edge_with_its_fields(index: sqlite3.Connection) -> None:
    data, summary = export(index, "json")
    document = json.loads(data)
    assert summary == ExportSummary(len(PAGES), len(EDGES))
    assert [n["key"] for n in document["nodes"]] == [p[1] for p in PAGES]
    lora = document["nodes"][0]
    assert lora["domains"] == ["NLP", "Fine-tuning"]
    assert lora["sources"][1] == {"type": "Repo", "title": 'A "quoted" repo',
                                  "url": "https://github.com/huggingface/peft"}
    assert lora["last_updated"] == "2024-05-01T00:00:00+00:00"
    assert document["nodes"][3]["exists"] is False
    assert document["nodes"][5]["title"] == QUOTED
    steps = [(e["step_number"], e["target"]) for e in document["edges"]
             if e["source"] == "Workflow:Fine_tuning_with_LoRA" and e["property"] == "step"]
    assert steps == STEPS_OF_LORA
    assert set(document["edges"][0]) == {"source", "target", "property", "step_number",
                                         "step_name", "position"}


def test_jsonl_lists_nodes_then_edges_one_per_line(index: sqlite3.Connection) -> None:
    data, summary = export(index, "jsonl")
    records = [json.loads(line) for line in data.decode().splitlines()]
    kinds = [r["type"] for r in records]
    assert kinds == ["node"] * len(PAGES) + ["edge"] * len(EDGES)
    assert summary == ExportSummary(len(PAGES), len(EDGES))
    assert records[0]["key"] == "Workflow:Fine_tuning_with_LoRA"


def test_empty_index_is_valid_json(index: sqlite3.Connection) -> None:
    data, summary = export(index, "json", pages=[])
    assert json.loads(data) == {"nodes": [], "edges": []}
    assert summary == ExportSummary(0, 0)


# --- RDF ----------------------------------------------------------------------------------


def read_rdf(index: sqlite3.Connection, fmt: str) -> tuple[Graph, ExportSummary]:
    data, summary = export(index, fmt)
    return Graph().parse(data=data, format={"turtle": "turtle", "jsonld": "json-ld"}[fmt]), summary


@pytest.mark.parametrize("fmt", ["turtle", "jsonld"])
def test_rdf_counts_match_the_index(index: sqlite3.Connection, fmt: str) -> None:
    rdf, summary = read_rdf(index, fmt)
    assert len(set(rdf.subjects(RDF.type, WF.Page))) == len(PAGES) == summary.nodes
    assert set(rdf.subjects(RDF.type, WF.MissingPage)) == {page_iri("Principle:Evaluation")}
    assert len(set(rdf.subjects(RDF.type, WF.Workflow))) == 2
    has_step = list(rdf.triples((None, WF.hasStep, None)))
    uses = list(rdf.triples((None, WF.usesHeuristic, None)))
    other = [t for t in rdf if str(t[1]).startswith(str(WFP))]
    steps = sum(1 for e in EDGES if e[2] == "step")
    assert len(has_step) == steps
    assert len(uses) == distinct_links(index, "uses_heuristic") == 2
    assert len(other) == distinct_links(index) == 2
    assert len(has_step) + len(uses) + len(other) == summary.edges


@pytest.mark.parametrize("fmt", ["turtle", "jsonld"])
def test_rdf_keeps_step_order_and_page_fields(index: sqlite3.Connection, fmt: str) -> None:
    rdf, _ = read_rdf(index, fmt)
    lora = page_iri("Workflow:Fine_tuning_with_LoRA")
    steps = sorted((rdf.value(step, WF.stepNumber).toPython(), rdf.value(step, WF.principle))
                   for step in rdf.objects(lora, WF.hasStep))
    assert steps == [(n, page_iri(key)) for n, key in STEPS_OF_LORA]
    assert str(next(rdf.objects(lora, WF.hasStep))).startswith(f"{lora}#step-")
    assert set(map(str, rdf.objects(lora, WF.domain))) == {"NLP", "Fine-tuning"}
    modified = rdf.value(lora, DCTERMS.modified)
    assert isinstance(modified, Literal) and modified.toPython().year == 2024
    titles = {str(rdf.value(s, DCTERMS.title))
              for s in rdf.objects(lora, WF.source)}
    assert titles == {"LoRA: Low-Rank Adaptation", 'A "quoted" repo'}
    quoted = page_iri(PAGES[5][1])
    assert str(rdf.value(quoted, RDFS.label)) == QUOTED


def test_turtle_and_jsonld_hold_the_same_graph(index: sqlite3.Connection) -> None:
    assert isomorphic(read_rdf(index, "turtle")[0], read_rdf(index, "jsonld")[0])


@pytest.mark.parametrize("fmt", ["turtle", "jsonld"])
def test_rdf_streamed_is_the_whole_graph(index: sqlite3.Connection, fmt: str) -> None:
    whole, expected = rdf_export.build_graph(select(index, None))
    streamed, summary = read_rdf(index, fmt)
    assert summary == expected
    assert isomorphic(streamed, whole)


#: Text with what Turtle and JSON strings and IRIs must escape: quotes, backslashes, line ends,
#: control characters, angle brackets, braces, and characters beyond ASCII.
NASTY = st.text(st.sampled_from(list('"\'\\\n\r\t\x00\x01\x1f\x7f<>{}|^`#%: ;,.-_aZ9é€😀')),
                min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(title=NASTY, overview=NASTY, domain=NASTY, source=NASTY, step=NASTY, prop=NASTY,
       key=NASTY, updated=NASTY)
def test_rdf_streams_parse_back_into_the_graph_whatever_the_text(
        title: str, overview: str, domain: str, source: str, step: str, prop: str, key: str,
        updated: str) -> None:
    # Issue 18: Turtle and JSON-LD are written directly, not by rdflib; what they write must
    # still parse back into the graph rdflib would have built, whatever a page holds.
    conn = sqlite3.connect(":memory:")
    conn.executescript(resources.files("wikiflow.graph").joinpath("schema.sql").read_text())
    conn.executemany("INSERT INTO pages (id, key, namespace, title, exists_, overview, "
                     "last_updated) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     [(1, f"Workflow:{key}", "Workflow", title, 1, overview, updated),
                      (2, f"Principle:{key}", "Principle", key, 0, None, None)])
    conn.executemany("INSERT INTO edges VALUES (?, ?, ?, ?, ?, ?, 1, 1)",
                     [(1, 2, "step", 1, step, 0), (1, 2, prop, None, None, 1)])
    conn.execute("INSERT INTO sources VALUES (1, 0, ?, ?, ?)", (source, source, source))
    conn.execute("INSERT INTO domains VALUES (1, ?)", (domain,))
    whole, expected = rdf_export.build_graph(select(conn, None))
    for fmt in ("turtle", "jsonld"):
        streamed, summary = read_rdf(conn, fmt)
        assert summary == expected
        assert isomorphic(streamed, whole), fmt


def test_repeated_step_numbers_keep_distinct_step_resources(index: sqlite3.Connection) -> None:
    index.execute("INSERT INTO edges VALUES (1, 8, 'step', 3, 'Again three', 6, 1, 1)")
    rdf, summary = read_rdf(index, "turtle")
    lora = page_iri("Workflow:Fine_tuning_with_LoRA")
    steps = {str(step).rpartition("#")[2] for step in rdf.objects(lora, WF.hasStep)}
    assert steps == {"step-1", "step-2", "step-3", "step-at-6"}
    assert summary.edges == 6 + 2 + 2  # steps, distinct heuristics, the link and implemented_by


# --- GraphML ------------------------------------------------------------------------------


def test_graphml_reads_back_with_networkx(index: sqlite3.Connection, tmp_path: Path) -> None:
    path = tmp_path / "graph.graphml"
    summary = export_graph(index, "graphml", path)
    graph = nx.read_graphml(path)
    assert graph.is_multigraph() and graph.is_directed()
    assert graph.number_of_nodes() == len(PAGES) == summary.nodes
    assert graph.number_of_edges() == len(EDGES) == summary.edges
    lora = "Workflow:Fine_tuning_with_LoRA"
    steps = sorted((d["step_number"], v) for _, v, d in graph.out_edges(lora, data=True)
                   if d["property"] == "step")
    assert steps == STEPS_OF_LORA
    assert graph.nodes["Principle:Evaluation"]["exists"] is False
    assert "overview" not in graph.nodes["Principle:Evaluation"]  # None is left out
    assert json.loads(graph.nodes[lora]["domains"]) == ["NLP", "Fine-tuning"]
    assert graph.nodes[PAGES[5][1]]["title"] == QUOTED
    assert graph.nodes[PAGES[5][1]]["overview"] == MULTILINE


def test_graphml_streamed_reads_back_as_networkx_writes_it(index: sqlite3.Connection) -> None:
    # Parallel edges between two pages, and text that needs escaping, in the stream too.
    index.execute("UPDATE pages SET overview = 'a < b & \"c\" \r\n' || overview WHERE id = 1")
    index.execute("INSERT INTO edges SELECT source, target, 'related', NULL, NULL, position + 50, "
                  "line, column_ FROM edges WHERE property = 'step'")
    streamed, _ = export(index, "graphml")
    multigraph, _ = graphml_export.build_graph(select(index, None))
    written = io.BytesIO()
    nx.write_graphml(multigraph, written, encoding="utf-8")
    ours, theirs = nx.read_graphml(io.BytesIO(streamed)), nx.read_graphml(
        io.BytesIO(written.getvalue()))
    assert ours.is_multigraph() and ours.number_of_edges() > len(EDGES)
    assert dict(ours.nodes(data=True)) == dict(theirs.nodes(data=True))
    assert sorted(ours.edges(keys=True, data=True), key=repr) == sorted(
        theirs.edges(keys=True, data=True), key=repr)


def test_graphml_replaces_characters_xml_cannot_hold(index: sqlite3.Connection) -> None:
    index.execute("UPDATE pages SET overview = 'form\x0cfeed' WHERE id = 2")
    data, _ = export(index, "graphml")
    graph = nx.read_graphml(io.BytesIO(data))
    assert graph.nodes["Principle:Data_formatting"]["overview"] == "form\ufffdfeed"


# --- Cypher -------------------------------------------------------------------------------


def test_cypher_batches_every_node_and_edge(index: sqlite3.Connection) -> None:
    data, summary = export(index, "cypher")
    script = data.decode()
    statements = [s for s in re.split(r";\n", script) if s.strip()]
    node_batches = [s for s in statements if "MERGE (n:Page" in s]
    edge_batches = [s for s in statements if "MERGE (a)-[r:" in s]
    # one batch per label set and per relationship type in this small index
    label_sets = {(p[2], p[4]) for p in PAGES}
    assert len(node_batches) == len(label_sets)
    assert len(edge_batches) == len({e[2] for e in EDGES})
    rows = lambda batches: sum(s.count("\n  {") for s in batches)  # noqa: E731
    assert rows(node_batches) == len(PAGES) == summary.nodes
    assert rows(edge_batches) == len(EDGES) == summary.edges
    assert "CREATE CONSTRAINT" in statements[0]
    assert any("n:Principle:Missing" in s for s in node_batches)
    types = set(re.findall(r"\[r:(\w+) ", script))
    assert types == {"STEP", "USES_HEURISTIC", "IMPLEMENTED_BY", "LINK"}
    assert "step_number: 1, step_name: 'Format the data', position: 0" in script
    assert "last_updated: datetime('2024-05-01T00:00:00+00:00')" in script


def test_cypher_escapes_quotes_backslashes_and_newlines(index: sqlite3.Connection) -> None:
    script = export(index, "cypher")[0].decode()
    assert "title: 'Mind the \"quotes\", O\\'Brien\\'s \\\\ backslash'" in script
    assert "overview: 'First line with a \\'quote\\',\\nsecond line with a \\\\ backslash.'" \
        in script
    assert cypher_string("a\x01b\tc") == "'a\\u0001b\\tc'"
    assert QUOTED in cypher_literals(script) and MULTILINE in cypher_literals(script)


def cypher_literals(script: str) -> set[str]:
    """Every single-quoted string literal of a script, decoded as Cypher reads it."""
    escapes = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}

    def decode(match: re.Match[str]) -> str:
        char = match[1]
        return chr(int(char[1:], 16)) if char[0] == "u" else escapes.get(char, char)

    return {re.sub(r"\\(u[0-9a-fA-F]{4}|.)", decode, body)
            for body in re.findall(r"'((?:[^'\\\n]|\\.)*)'", script)}


# --- neo4j-admin CSV ----------------------------------------------------------------------


def test_neo4j_csv_headers_and_rows(index: sqlite3.Connection, tmp_path: Path) -> None:
    summary = export_graph(index, "neo4j-csv", tmp_path / "neo4j")
    with open(tmp_path / "neo4j" / "nodes.csv", newline="", encoding="utf-8") as f:
        nodes = list(csv.reader(f))
    with open(tmp_path / "neo4j" / "edges.csv", newline="", encoding="utf-8") as f:
        edges = list(csv.reader(f))
    assert nodes[0][:2] == ["key:ID", ":LABEL"] and "exists:boolean" in nodes[0]
    assert edges[0][:3] == [":START_ID", ":END_ID", ":TYPE"]
    assert {"step_number:int", "position:int"} <= set(edges[0])
    assert len(nodes) - 1 == len(PAGES) == summary.nodes
    assert len(edges) - 1 == len(EDGES) == summary.edges
    by_key = {row[0]: dict(zip(nodes[0], row)) for row in nodes[1:]}
    assert by_key["Principle:Evaluation"][":LABEL"] == "Page;Principle;Missing"
    assert by_key["Workflow:Fine_tuning_with_LoRA"]["domains:string[]"] == "NLP;Fine-tuning"
    assert by_key[PAGES[5][1]]["title"] == QUOTED
    assert by_key[PAGES[5][1]]["overview"] == MULTILINE
    first = dict(zip(edges[0], edges[1]))
    assert (first[":TYPE"], first["step_number:int"]) == ("STEP", "1")


def test_neo4j_csv_refuses_a_domain_holding_the_array_delimiter(
        index: sqlite3.Connection, tmp_path: Path) -> None:
    index.execute("INSERT INTO domains VALUES (2, 'NLP; Vision')")
    with pytest.raises(ExportError, match="Principle:Data_formatting"):
        export_graph(index, "neo4j-csv", tmp_path / "neo4j")


def test_neo4j_csv_needs_a_directory(index: sqlite3.Connection) -> None:
    with pytest.raises(ExportError, match="directory"):
        export_graph(index, "neo4j-csv", io.BytesIO())


# --- neighbourhoods and the API -----------------------------------------------------------

NEAR_LORA = {"Workflow:Fine_tuning_with_LoRA", "Principle:Data_formatting",
             "Principle:Low_rank_adaptation", "Principle:Evaluation",
             "Heuristic:Packing_short_sequences", PAGES[5][1], "Workflow:Other"}


def test_pages_export_is_the_neighbourhood(index: sqlite3.Connection) -> None:
    document = json.loads(export(index, "json", pages=[1])[0])
    assert {n["key"] for n in document["nodes"]} == NEAR_LORA
    edges = {(e["source"], e["target"], e["position"]) for e in document["edges"]}
    keys = {p[0]: p[1] for p in PAGES}
    assert edges == {(keys[s], keys[t], pos) for s, t, _, _, _, pos in EDGES
                     if keys[s] in NEAR_LORA and keys[t] in NEAR_LORA}
    # among the neighbours too: Workflow:Other -> Principle:Data_formatting is kept
    assert ("Workflow:Other", "Principle:Data_formatting", 0) in edges


def test_neighbourhood_follows_edges_both_ways(index: sqlite3.Connection) -> None:
    document = json.loads(export(index, "json", pages=[3])[0])
    assert {n["key"] for n in document["nodes"]} == {
        "Principle:Low_rank_adaptation", "Workflow:Fine_tuning_with_LoRA", "Implementation:Peft"}
    assert len(document["edges"]) == 2


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "neo4j-csv"])
def test_every_format_exports_the_same_neighbourhood(index: sqlite3.Connection, fmt: str) -> None:
    summary = export(index, fmt, pages=[5])[1]
    assert summary.nodes == 2  # the heuristic and the workflow that uses it
    # RDF: one heuristic triple (named twice) and the workflow's three steps, which are part
    # of the workflow's own description; the other formats: the two heuristic edges.
    assert summary.edges == (1 + 3 if fmt in ("turtle", "jsonld") else 2)


# --- every step, with or without a principle ------------------------------------------------

#: Workflow:Other's steps once a third step without a principle link is added to it.
STEPS_OF_OTHER = [(1, "Format", "Principle:Data_formatting"),
                  (2, "Do something else", "Principle:Unrelated"), (3, "Review by hand", None)]


def exported_steps(index: sqlite3.Connection, fmt: str, tmp_path: Path,
                   key: str) -> list[tuple[int, str, str | None]]:
    """A workflow's steps as each format's own reader sees them, in order."""
    def rows(items: list[dict]) -> list[tuple[int, str, str | None]]:
        return [(s["number"], s["name"], s["principle"]) for s in items]

    if fmt == "neo4j-csv":
        export_graph(index, fmt, tmp_path / "neo4j")
        with open(tmp_path / "neo4j" / "nodes.csv", newline="", encoding="utf-8") as f:
            return rows(json.loads(next(r for r in csv.DictReader(f) if r["key:ID"] == key)
                                   ["steps"]))
    data = export(index, fmt)[0]
    if fmt in ("json", "jsonl"):
        lines = data.splitlines() if fmt == "jsonl" else [data]
        nodes = [n for d in map(json.loads, lines)
                 for n in (d["nodes"] if fmt == "json" else [d]) if n.get("key") == key]
        return rows(nodes[0]["steps"])
    if fmt == "graphml":
        return rows(json.loads(nx.read_graphml(io.BytesIO(data)).nodes[key]["steps"]))
    if fmt == "cypher":
        node = next(line for line in data.decode().splitlines() if f"key: '{key}'" in line)
        literal = re.search(r"steps: '((?:[^'\\]|\\.)*)'", node)[0].removeprefix("steps: ")
        return rows(json.loads(cypher_literals(literal).pop()))
    rdf = Graph().parse(data=data, format={"turtle": "turtle", "jsonld": "json-ld"}[fmt])
    found = sorted((rdf.value(step, WF.position).toPython(), step)
                   for step in rdf.objects(page_iri(key), WF.hasStep))
    principles = {str(page_iri(k)): k for k in (p[1] for p in PAGES)}
    return [(rdf.value(step, WF.stepNumber).toPython(), str(rdf.value(step, WF.stepName)),
             principles.get(str(rdf.value(step, WF.principle)))) for _, step in found]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_lists_every_step_in_order_with_a_missing_principle_as_none(
        index: sqlite3.Connection, fmt: str, tmp_path: Path) -> None:
    index.execute("INSERT INTO edges VALUES (7, NULL, 'step', 3, 'Review by hand', 3, 1, 1)")
    assert exported_steps(index, fmt, tmp_path, "Workflow:Other") == STEPS_OF_OTHER
    assert exported_steps(index, fmt, tmp_path, "Workflow:Fine_tuning_with_LoRA") == [
        (n, name, key) for (n, key), name in zip(
            STEPS_OF_LORA, ("Format the data", "Train the adapter", "Evaluate"))]


def test_a_step_without_a_principle_is_no_edge_and_brings_no_neighbour(
        index: sqlite3.Connection) -> None:
    index.execute("INSERT INTO edges VALUES (7, NULL, 'step', 3, 'Review by hand', 3, 1, 1)")
    whole = json.loads(export(index, "json")[0])
    assert all(edge["target"] is not None for edge in whole["edges"])
    assert len(whole["edges"]) == len(EDGES)
    part = json.loads(export(index, "json", pages=[7])[0])
    assert {n["key"] for n in part["nodes"]} == {
        "Workflow:Other", "Principle:Data_formatting", "Principle:Unrelated",
        "Workflow:Fine_tuning_with_LoRA"}


def test_unknown_page_ids_and_formats_are_errors(index: sqlite3.Connection) -> None:
    with pytest.raises(ExportError, match="42"):
        export(index, "json", pages=[1, 42])
    with pytest.raises(ExportError, match="unknown export format 'xml'"):
        export(index, "xml")


def test_a_callers_stream_stays_open(index: sqlite3.Connection) -> None:
    for fmt in FORMATS[:-1]:
        out = io.BytesIO()
        export_graph(index, fmt, out)
        assert not out.closed and out.getvalue()


def _export_stderr(wiki: Path, out: Path, terminal: bool, fmt: str = "turtle") -> str:
    """Standard error of ``wikiflow export`` run with it on a terminal (a pty) or a pipe."""
    import os
    import pty
    import subprocess
    import sys

    reader, writer = pty.openpty() if terminal else os.pipe()
    try:
        subprocess.run([sys.executable, "-m", "wikiflow", "export", "--db",
                        str(wiki / ".wikiflow" / "index.db"), "--format",
                        fmt, "-o", str(out)], stderr=writer, stdout=subprocess.DEVNULL,
                       check=True, timeout=120, env={**os.environ, "COLUMNS": "100", "TERM": "xterm"})
        os.close(writer)
        chunks = []
        while True:
            try:
                chunk = os.read(reader, 65536)
            except OSError:  # a pty's reader fails once the writer is closed and drained
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks).decode("utf-8", "replace")
    finally:
        os.close(reader)


@pytest.mark.parametrize("fmt", [*FORMATS, "mediawiki-xml"])
def test_export_draws_a_progress_bar_on_a_terminal_only(tmp_path: Path, fmt: str) -> None:
    import shutil

    from wikiflow import Wiki

    from .test_store import EXAMPLE_WIKI

    wiki = Path(shutil.copytree(EXAMPLE_WIKI, tmp_path / "wiki",
                                ignore=shutil.ignore_patterns(".wikiflow")))
    with Wiki.open(wiki) as opened:
        opened.index(jobs=1)
    assert "Exporting" in _export_stderr(wiki, tmp_path / "a", terminal=True, fmt=fmt)
    assert "Exporting" not in _export_stderr(wiki, tmp_path / "b", terminal=False, fmt=fmt)


def test_child_rows_of_no_page_are_an_error_not_dropped(index: sqlite3.Connection) -> None:
    """An index written with foreign keys off may hold a domain of a page that is gone."""
    index.commit()  # the pragma is ignored inside a transaction
    index.execute("PRAGMA foreign_keys = OFF")
    index.execute("INSERT INTO domains VALUES (?, ?)", (99, "Orphan"))
    with pytest.raises(ExportError, match="domains of page id 99"):
        export(index, "json")


@given(st.text())
def test_a_page_iri_is_the_key_percent_encoded_as_mediawiki_does(key: str) -> None:
    """The fast path for keys needing no encoding gives what ``quote`` gives."""
    from urllib.parse import quote

    assert str(page_iri(key)) == str(rdf_export.PAGE) + quote(key, safe=rdf_export._IRI_SAFE)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner), max_leaves=20)


@given(JSON_VALUES)
def test_json_text_is_json_dumps_without_ascii_escapes(value: object) -> None:
    from wikiflow.graph.export.documents import json_text

    assert json_text(value) == json.dumps(value, ensure_ascii=False)


@given(st.text())
def test_graphml_quotes_and_escapes_any_text_as_saxutils_does(text: str) -> None:
    """The fast paths for text needing no escaping give what xml.sax.saxutils gives."""
    from xml.sax.saxutils import escape, quoteattr

    assert graphml_export._attribute(text) == quoteattr(graphml_export._xml_text(text))
    assert graphml_export._value(text) == escape(text)


def test_mediawiki_xml_names_a_page_file_gone_since_indexing(tmp_path: Path) -> None:
    import shutil

    from wikiflow import Wiki
    from wikiflow.errors import InputError

    from .test_store import EXAMPLE_WIKI

    wiki = Path(shutil.copytree(EXAMPLE_WIKI, tmp_path / "wiki",
                                ignore=shutil.ignore_patterns(".wikiflow")))
    with Wiki.open(wiki) as opened:
        opened.index(jobs=1)
        gone = wiki / "workflows" / "RAG_Pipeline.mediawiki"
        gone.unlink()
        with pytest.raises(InputError, match=re.escape(gone.name)):
            opened.export("mediawiki-xml", io.BytesIO())


def test_turtle_and_jsonld_are_written_without_loading_rdflib(tmp_path: Path) -> None:
    """rdflib takes a twentieth of a second to import: a quarter of a 4,000-page export."""
    import subprocess
    import sys

    script = (
        "import io, sqlite3, sys\n"
        "from importlib import resources\n"
        "from wikiflow.graph.export import export_graph\n"
        "conn = sqlite3.connect(':memory:')\n"
        "conn.executescript(resources.files('wikiflow.graph').joinpath('schema.sql')"
        ".read_text())\n"
        "conn.execute(\"INSERT INTO pages (id, key, namespace, title, exists_) "
        "VALUES (1, 'Workflow:A', 'Workflow', 'A', 1)\")\n"
        "for fmt in ('turtle', 'jsonld'):\n"
        "    out = io.BytesIO()\n"
        "    export_graph(conn, fmt, out)\n"
        "    assert b'Workflow:A' in out.getvalue(), fmt\n"
        "print('rdflib' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120, check=True)
    assert result.stdout.strip() == "False"
