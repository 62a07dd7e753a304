"""The Mermaid flowchart reader: shapes, arrows, statements, positioned problems, properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import CORPUS
from wikiflow.page.mermaid import linear_diagram, node_ids, parse_mermaid
from wikiflow.page.model import Diagram, Severity
from wikiflow.page.spans import LineIndex


GUIDE_SAMPLE = """graph TD
    A[Data Preparation] --> B[Model Quantization]
    B --> C[Adapter Training]
"""


def body(statements: str) -> Diagram:
    """A diagram of ``statements`` under a ``graph TD`` header."""
    return parse_mermaid("graph TD\n" + statements + "\n")


def edges(diagram: Diagram) -> list[tuple[str, str, str | None, str]]:
    return [(e.source, e.target, e.label, e.arrow) for e in diagram.edges]


def codes(diagram: Diagram) -> list[str]:
    return [p.code for p in diagram.problems]


def mermaid_blocks(text: str) -> list[tuple[int, str]]:
    """(offset, text) of each ``{{#mermaid:...}}`` body, ended by the ``}}`` that balances it."""
    blocks = []
    opening = "{{#mermaid:"
    start = text.find(opening)
    while start != -1:
        pos = begin = start + len(opening)
        depth = 1
        while pos < len(text) and depth:
            if text.startswith("{{", pos):
                depth, pos = depth + 1, pos + 2
            elif text.startswith("}}", pos):
                depth, pos = depth - 1, pos + 2
            else:
                pos += 1
        blocks.append((begin, text[begin:pos - 2] if depth == 0 else text[begin:]))
        start = text.find(opening, pos)
    return blocks


# --- the guide and the header -------------------------------------------------------------


def test_guide_sample() -> None:
    diagram = parse_mermaid(GUIDE_SAMPLE)
    assert diagram.problems == []
    assert (diagram.kind, diagram.direction, diagram.source) == ("graph", "TD", GUIDE_SAMPLE)
    assert [(n.id, n.label, n.shape) for n in diagram.nodes] == [
        ("A", "Data Preparation", "rect"), ("B", "Model Quantization", "rect"),
        ("C", "Adapter Training", "rect")]
    assert edges(diagram) == [("A", "B", None, "-->"), ("B", "C", None, "-->")]
    assert diagram.span.start == 0 and diagram.span.end == len(GUIDE_SAMPLE)
    a = diagram.nodes[0].span
    assert (a.line, a.column, a.end_line, a.end_column) == (2, 5, 2, 24)
    edge = diagram.edges[1].span
    assert (edge.line, edge.column, edge.end_column) == (3, 5, 30)


@pytest.mark.parametrize(("source", "kind", "direction"), [
    ("graph TD\nA-->B", "graph", "TD"),
    ("flowchart LR\nA-->B", "flowchart", "LR"),
    ("graph BT;A-->B", "graph", "BT"),
    ("graph\nA-->B", "graph", None),
    ("\n\n%% a comment\n  %%{init: {'theme': 'dark'}}%%\nflowchart RL\nA-->B", "flowchart", "RL"),
    ("---\ntitle: Steps\n---\ngraph TB\nA-->B", "graph", "TB"),
])
def test_header(source: str, kind: str, direction: str | None) -> None:
    diagram = parse_mermaid(source)
    assert diagram.problems == []
    assert (diagram.kind, diagram.direction) == (kind, direction)
    assert edges(diagram) == [("A", "B", None, "-->")]


# --- nodes --------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "shape", "label"), [
    ("A[rect]", "rect", "rect"),
    ("A(round)", "round", "round"),
    ("A([stadium])", "stadium", "stadium"),
    ("A[[subroutine]]", "subroutine", "subroutine"),
    ("A[(cylinder)]", "cylinder", "cylinder"),
    ("A((circle))", "circle", "circle"),
    ("A(((double)))", "double_circle", "double"),
    ("A>asym]", "asymmetric", "asym"),
    ("A{rhombus}", "rhombus", "rhombus"),
    ("A{{hexagon}}", "hexagon", "hexagon"),
    ("A[/para/]", "parallelogram", "para"),
    ("A[\\alt\\]", "parallelogram_alt", "alt"),
    ("A[/trap\\]", "trapezoid", "trap"),
    ("A[\\trap/]", "trapezoid_alt", "trap"),
    ("A", "default", None),
    ("A[  padded  ]", "rect", "padded"),
    ('A["text (with) parens"]', "rect", "text (with) parens"),
    ('A["say #quot;hi#quot; #35;1"]', "rect", 'say "hi" #1'),
    ('A["`**bold** text`"]', "rect", "**bold** text"),
    ('A(["quoted stadium"])', "stadium", "quoted stadium"),
    ("A{Use compile?}", "rhombus", "Use compile?"),
    ("A[Cache & Pass]", "rect", "Cache & Pass"),
    ("A[ ]", "rect", ""),
    ("node_1-x[Id with dash]", "rect", "Id with dash"),
])
def test_node_shapes(text: str, shape: str, label: str | None) -> None:
    for statement in (text, text + " --> Z"):  # alone and inside an edge
        diagram = body(statement)
        assert diagram.problems == []
        node = diagram.nodes[0]
        assert (node.shape, node.label) == (shape, label)
        assert node.span.end - node.span.start == len(text)


def test_nodes_in_first_appearance_order_one_per_id() -> None:
    diagram = body("B --> A\nA --> C\nC --> B\nD")
    assert [n.id for n in diagram.nodes] == ["B", "A", "C", "D"]


def test_later_definition_gives_a_bare_node_its_label() -> None:
    diagram = body("A --> B\nB[Second] --> C\nC{Third}")
    assert [(n.id, n.label, n.shape) for n in diagram.nodes] == [
        ("A", None, "default"), ("B", "Second", "rect"), ("C", "Third", "rhombus")]
    assert diagram.nodes[1].span.line == 3  # the definition, not the first mention


def test_class_suffix_is_accepted() -> None:
    diagram = body("A[Start]:::green --> B:::red")
    assert diagram.problems == []
    assert edges(diagram) == [("A", "B", None, "-->")]
    assert diagram.nodes[0].label == "Start"


# --- edges --------------------------------------------------------------------------------


@pytest.mark.parametrize(("statement", "label", "arrow"), [
    ("A --> B", None, "-->"),
    ("A-->B", None, "-->"),
    ("A --- B", None, "---"),
    ("A -.-> B", None, "-.->"),
    ("A -.- B", None, "-.-"),
    ("A ==> B", None, "==>"),
    ("A === B", None, "==="),
    ("A --o B", None, "--o"),
    ("A --x B", None, "--x"),
    ("A ---> B", None, "--->"),
    ("A ====> B", None, "====>"),
    ("A -..-> B", None, "-..->"),
    ("A <--> B", None, "<-->"),
    ("A ~~~ B", None, "~~~"),
    ("A -->|yes| B", "yes", "-->"),
    ("A-->|Yes, Clean|B", "Yes, Clean", "-->"),
    ("A --> | spaced | B", "spaced", "-->"),
    ('A -->|"quoted (ok)"| B', "quoted (ok)", "-->"),
    ("A -.->|maybe| B", "maybe", "-.->"),
    ("A -- text --> B", "text", "-->"),
    ("A -- a-b --- B", "a-b", "---"),
    ("A -. dotted .-> B", "dotted", "-.->"),
    ("A -. dotted -.-> B", "dotted", "-.->"),
    ("A == thick ==> B", "thick", "==>"),
    ("A <-- both --> B", "both", "<-->"),
])
def test_edge_kinds_and_labels(statement: str, label: str | None, arrow: str) -> None:
    diagram = body(statement)
    assert diagram.problems == []
    assert edges(diagram) == [("A", "B", label, arrow)]
    assert diagram.edges[0].span.column == 1
    assert diagram.edges[0].span.end_column == len(statement) + 1


def test_chain() -> None:
    diagram = body("A[One] --> B{Two} -->|no| C((Three)) --- D")
    assert diagram.problems == []
    assert edges(diagram) == [("A", "B", None, "-->"), ("B", "C", "no", "-->"),
                              ("C", "D", None, "---")]
    assert [n.label for n in diagram.nodes] == ["One", "Two", "Three", None]
    assert diagram.edges[1].span.column == 12  # from B to C


def test_ampersand_groups_are_a_cartesian_product() -> None:
    diagram = body("A & B --> C & D")
    assert diagram.problems == []
    assert edges(diagram) == [("A", "C", None, "-->"), ("A", "D", None, "-->"),
                              ("B", "C", None, "-->"), ("B", "D", None, "-->")]


def test_ampersand_groups_in_a_chain() -> None:
    diagram = body("A --> B & C --> D")
    assert edges(diagram) == [("A", "B", None, "-->"), ("A", "C", None, "-->"),
                              ("B", "D", None, "-->"), ("C", "D", None, "-->")]


def test_an_arrow_may_continue_on_the_next_line_as_in_mermaid() -> None:
    diagram = body("A -->\n    B\nC\n--> D")
    assert diagram.problems == []
    assert edges(diagram) == [("A", "B", None, "-->"), ("C", "D", None, "-->")]


# --- statements ---------------------------------------------------------------------------


def test_subgraphs() -> None:
    diagram = body("""A --> B
    subgraph one [Training Loop]
        F1[Generate] --> F2[Reward]
        subgraph "Inner (nested)"
            F2 --> F3
        end
    end
    subgraph plain title
        X
    end
    subgraph two["Quoted"]
    end
    B --> F1""")
    assert diagram.problems == []
    assert diagram.subgraphs == ["Training Loop", "Inner (nested)", "plain title", "Quoted"]
    assert [n.id for n in diagram.nodes] == ["A", "B", "F1", "F2", "F3", "X"]
    assert ("B", "F1", None, "-->") in edges(diagram)


def test_comments_styles_and_separators_are_kept_out_of_the_graph() -> None:
    diagram = body("""%% the flow
    A --> B; B --> C;
    style A fill:#f9f,stroke:#333
    classDef done fill:#9f9;
    class A,B done
    click A "https://example.org" "tooltip"
    linkStyle 0 stroke:#ff3
    %% end of it""")
    assert diagram.problems == []
    assert [n.id for n in diagram.nodes] == ["A", "B", "C"]
    assert edges(diagram) == [("A", "B", None, "-->"), ("B", "C", None, "-->")]


def test_capitalised_end_is_a_valid_node_id() -> None:
    diagram = body("A --> End\nEND[Finish]")
    assert diagram.problems == []
    assert [n.id for n in diagram.nodes] == ["A", "End", "END"]


# --- problems -----------------------------------------------------------------------------


def only_problem(diagram: Diagram, code: str) -> tuple[int, int, int, str]:
    """The single problem's (line, column, end column, message), checked to be of ``code``."""
    assert codes(diagram) == [code]
    problem = diagram.problems[0]
    assert problem.severity is Severity.ERROR
    return problem.span.line, problem.span.column, problem.span.end_column, problem.message


def test_unquoted_paren_in_a_label() -> None:
    diagram = parse_mermaid("graph TD\n    A[Load (4-bit)] --> B\n")
    line, column, end, message = only_problem(diagram, "mermaid-unquoted-paren")
    assert (line, column, end) == (2, 5, 20)
    assert '"A[Load (4-bit)]"' in message and 'A["Load (4-bit)"]' in message
    assert diagram.nodes[0].label == "Load (4-bit)"
    assert edges(diagram) == [("A", "B", None, "-->")]


@pytest.mark.parametrize(("statement", "fix"), [
    ("A[(4-bit) Load]", 'A["(4-bit) Load"]'),
    ("A(Call f(x))", 'A("Call f(x)")'),
    ("A{Use compile()?}", 'A{"Use compile()?"}'),
    ("A -->|Yes (default)| B", '-->|"Yes (default)"|'),
    ("subgraph Training (GRPO)\nend", 'subgraph "Training (GRPO)"'),
])
def test_unquoted_paren_elsewhere(statement: str, fix: str) -> None:
    diagram = body(statement)
    assert codes(diagram) == ["mermaid-unquoted-paren"]
    assert fix in diagram.problems[0].message


def test_other_unquoted_brackets_are_syntax_problems() -> None:
    diagram = body('A[see [docs] here] --> B[say "hi"]')
    assert codes(diagram) == ["mermaid-syntax", "mermaid-syntax"]
    assert 'A["see [docs] here"]' in diagram.problems[0].message
    assert 'B["say #quot;hi#quot;"]' in diagram.problems[1].message
    assert [n.label for n in diagram.nodes] == ["see [docs] here", 'say "hi"']


def test_end_as_a_node_id() -> None:
    diagram = body("A --> B\nC --> end")
    line, column, end, message = only_problem(diagram, "mermaid-end-node")
    assert (line, column, end) == (3, 7, 10)
    assert '"C --> end"' in message and '"End"' in message
    assert ("C", "end", None, "-->") in edges(diagram)  # still recorded


def test_end_as_the_first_node_of_a_statement() -> None:
    diagram = body("end --> A")
    assert only_problem(diagram, "mermaid-end-node")[:3] == (2, 1, 4)


def test_missing_header() -> None:
    diagram = parse_mermaid("\n  A[Start] --> B[Stop]\n")
    line, column, end, message = only_problem(diagram, "mermaid-header")
    assert (line, column, end) == (2, 3, 23)
    assert '"A[Start] --> B[Stop]"' in message and '"graph TD"' in message
    assert diagram.direction is None
    assert edges(diagram) == [("A", "B", None, "-->")]


@pytest.mark.parametrize("kind", ["sequenceDiagram", "classDiagram", "stateDiagram-v2", "pie",
                                  "gantt", "erDiagram", "journey", "mindmap", "timeline",
                                  "gitGraph"])
def test_not_a_flowchart(kind: str) -> None:
    diagram = parse_mermaid(f"%% comment\n{kind}\n    A->>B: hello\n")
    line, column, end, message = only_problem(diagram, "mermaid-not-flowchart")
    assert (line, column, end) == (2, 1, len(kind) + 1)
    assert kind in message
    assert (diagram.kind, diagram.nodes, diagram.edges) == (kind, [], [])


@pytest.mark.parametrize("source", ["", "   \n\n", "%% only a comment\n"])
def test_empty_diagram(source: str) -> None:
    diagram = parse_mermaid(source)
    assert codes(diagram) == ["mermaid-syntax"]
    assert "empty diagram" in diagram.problems[0].message


@pytest.mark.parametrize(("statements", "position", "quoted"), [
    # (statements under "graph TD", (line, column, end column), text the message quotes)
    ("A --> B\nC -->", (3, 1, 6), '"C -->"'),
    ("A --> B &", (2, 9, 10), '"&"'),
    ("A[Load data --> B", (2, 1, 18), '"["'),
    ("A((circle) --> B", (2, 1, 17), '"(("'),
    ("A --> B C", (2, 9, 10), '"C"'),
    ("A -> B", (2, 3, 7), "two dashes"),
    ("A --> B %% trailing comment", (2, 9, 28), "own line"),
    ("A [label] --> B", (2, 3, 16), "no space"),
    ("--> B", (2, 1, 6), '"--> B"'),
    ("A --> [x]", (2, 1, 10), '"[x]"'),
    ("subgraph Open\nA --> B", (2, 1, 14), '"Open"'),
    ("A --> B\nend", (3, 1, 4), "no subgraph is open"),
])
def test_syntax_problems(statements: str, position: tuple[int, int, int], quoted: str) -> None:
    diagram = body(statements)
    line, column, end, message = only_problem(diagram, "mermaid-syntax")
    assert (line, column, end) == position
    assert quoted in message


def test_unknown_direction() -> None:
    diagram = parse_mermaid("graph DOWN\nA --> B")
    assert only_problem(diagram, "mermaid-syntax")[:3] == (1, 7, 11)
    assert diagram.direction is None
    assert edges(diagram) == [("A", "B", None, "-->")]


def test_header_needs_a_new_line_before_statements() -> None:
    diagram = parse_mermaid("graph TD A --> B\nB --> C")
    assert only_problem(diagram, "mermaid-syntax")[:3] == (1, 10, 17)
    assert edges(diagram) == [("B", "C", None, "-->")]


def test_reading_resumes_after_a_problem() -> None:
    diagram = body("A[Load (4-bit)] --> B\nB -->;\nC --> end\nD --> E")
    assert codes(diagram) == ["mermaid-unquoted-paren", "mermaid-syntax", "mermaid-end-node"]
    assert [p.span.line for p in diagram.problems] == [2, 3, 4]
    assert ("D", "E", None, "-->") in edges(diagram)


def test_spans_are_positions_in_the_page() -> None:
    page = "== Execution Diagram ==\nIntro.\n{{#mermaid:graph TD\n    A[Load (4-bit)] --> B\n}}\n"
    start = page.index("graph")
    source = page[start:page.index("}}")]
    diagram = parse_mermaid(source, start, LineIndex(page))
    problem = diagram.problems[0]
    assert (problem.span.line, problem.span.column) == (4, 5)
    assert page[problem.span.start:problem.span.end] == "A[Load (4-bit)]"
    assert (diagram.span.line, diagram.span.column) == (3, 12)
    edge = diagram.edges[0].span
    assert page[edge.start:edge.end] == "A[Load (4-bit)] --> B"


# --- linear_diagram and node_ids ----------------------------------------------------------


def test_linear_diagram_layout() -> None:
    labels = ["Data Preparation", "Model Quantization", "Adapter Training"]
    assert linear_diagram(labels) == GUIDE_SAMPLE
    assert linear_diagram(["Only"]) == "graph TD\n    A[Only]\n"
    assert linear_diagram([]) == "graph TD\n"


def test_linear_diagram_quotes_what_mermaid_needs_quoted() -> None:
    text = linear_diagram(['Load (4-bit)', 'Say "hi" #1', " padded", "/path", "plain & fine"])
    assert text == ('graph TD\n'
                    '    A["Load (4-bit)"] --> B["Say #quot;hi#quot; #35;1"]\n'
                    '    B --> C[" padded"]\n'
                    '    C --> D["/path"]\n'
                    '    D --> E[plain & fine]\n')


def test_node_ids() -> None:
    assert node_ids(0) == []
    assert node_ids(3) == ["A", "B", "C"]
    ids = node_ids(703)
    assert ids[25:28] == ["Z", "AA", "AB"]
    assert ids[701:] == ["ZZ", "AAA"]
    assert len(set(ids)) == 703


# --- properties ---------------------------------------------------------------------------

# Step names hold no line end (a page's line ends are decoded before it is read).
LABELS = st.lists(st.text(min_size=1).filter(lambda s: "\n" not in s and "\r" not in s),
                  max_size=30)


@settings(max_examples=300)
@given(LABELS)
def test_linear_diagram_reads_back(labels: list[str]) -> None:
    diagram = parse_mermaid(linear_diagram(labels))
    assert diagram.problems == []
    assert [n.label for n in diagram.nodes] == [label.strip() for label in labels]
    ids = node_ids(len(labels))
    assert [(e.source, e.target) for e in diagram.edges] == list(zip(ids, ids[1:]))


PIECES = st.sampled_from([
    "graph TD\n", "flowchart LR;", "A", "B1", "end", "End", "subgraph S\n", "subgraph x [T]\n",
    "end\n", "\n", ";", " ", "\t", "-->", "---", "-.->", "==>", "--o", "-- t -->", "-. t .->",
    "|x|", "|(x)|", "&", "[", "]", "(", ")", "{", "}", "[[", "]]", "((", "))", "[(", ")]", "[/",
    "/]", "[\\", "\\]", ">", '"', "`", "#quot;", "#35;", ":::c", "%%", "%% c\n", "style A x\n",
    "label", "(4-bit)", "sequenceDiagram\n", "---\n", "\r\n", "é", "-", ".", "~~~",
])


@settings(max_examples=500)
@given(st.one_of(st.text(), st.lists(PIECES, max_size=40).map("".join)))
def test_never_raises_and_spans_match_the_page(text: str) -> None:
    start = len("x\n{{#mermaid:")
    page = "x\n{{#mermaid:" + text + "}}"
    index = LineIndex(page)
    diagram = parse_mermaid(text, start, index)
    ids = {node.id for node in diagram.nodes}
    assert all(edge.source in ids and edge.target in ids for edge in diagram.edges)
    items = [*diagram.nodes, *diagram.edges, *diagram.problems, diagram]
    for item in items:
        span = item.span
        assert span == index.span(span.start, span.end)
        assert start <= span.start <= span.end <= start + len(text)


SIMPLE_LABEL = st.from_regex(r"[A-Za-z0-9 ?&,.:'-]{0,12}", fullmatch=True)
SIMPLE_NODE = st.tuples(st.sampled_from(["A", "B", "n_1", "Z9", "End", "end", "style"]),
                        st.sampled_from(["", "[{}]", "{{{}}}", "({})", "[[{}]]", "[/{}/]"]),
                        SIMPLE_LABEL).map(lambda t: t[0] + t[1].format(t[2]))
SIMPLE_LINE = st.tuples(SIMPLE_NODE, st.sampled_from([" --> ", "-->", " --- ", " ==> ", " -.-> ",
                                                      " -->|yes| ", "---o", " --o "]),
                        SIMPLE_NODE, st.sampled_from(["", ";", " ", " ; "]))


@settings(max_examples=300)
@given(st.lists(SIMPLE_LINE.map("".join), min_size=1, max_size=5))
def test_one_match_lines_read_as_the_general_reader_reads_them(lines: list[str]) -> None:
    # A line that starts with ";" is never a one-match line, so the general reader reads it.
    fast = parse_mermaid("graph TD\n" + "\n".join(lines))
    general = parse_mermaid("graph TD\n" + "\n".join(";" + line for line in lines))
    assert (fast.nodes, fast.edges) == (general.nodes, general.edges)
    assert codes(fast) == codes(general)
    for ours, theirs in zip(fast.nodes + fast.edges, general.nodes + general.edges):
        assert (ours.span.line, ours.span.column + 1) == (theirs.span.line, theirs.span.column)


# --- mermaid 10.9.3's verdicts (issue 15; tests/page/test_mermaid_differential.py checks
# them all against the real mermaid) ---------------------------------------------------------


@pytest.mark.parametrize(("source", "nodes", "edges_"), [
    ('graph TD\nA[<span style="color:red">Load</span>]',
     [("A", '<span style="color:red">Load</span>')], []),
    ("graph TD\nA[Load\nmodel] --> B", [("A", "Load\nmodel"), ("B", None)], [("A", "B")]),
    ('graph TD\nA["Load" v2]', [("A", "Load v2")], []),
    ('graph TD\nA["Load" ]', [("A", "Load")], []),
    ("graph TD\nA.b:c+d*e'f!g --> B-", [("A.b:c+d*e'f!g", None), ("B-", None)],
     [("A.b:c+d*e'f!g", "B-")]),
    ("graph TD\na&b --> endpoint", [("a&b", None), ("endpoint", None)], [("a&b", "endpoint")]),
    ("graph TD\nstyled --> classify", [("styled", None), ("classify", None)],
     [("styled", "classify")]),
    ('graph TD\nA -->|"a|b"| B', [("A", None), ("B", None)], [("A", "B")]),
    ("graph TD\nA --> B\n--> C", [("A", None), ("B", None), ("C", None)],
     [("A", "B"), ("B", "C")]),
    ("graph TD\nA[x] --> B[y]\n    -.-> C[z]", [("A", "x"), ("B", "y"), ("C", "z")],
     [("A", "B"), ("B", "C")]),
    ("graph TD\rA --> B\rB --> C", [("A", None), ("B", None), ("C", None)],
     [("A", "B"), ("B", "C")]),
    ("\ufeffgraph TD\nA --> B", [("A", None), ("B", None)], [("A", "B")]),
    ("graph TD\naccDescr {\n  two lines;\n  of text\n}\nA --> B", [("A", None), ("B", None)],
     [("A", "B")]),
    ("graph TD\nA -- text\nover lines --> B", [("A", None), ("B", None)], [("A", "B")]),
    ("graph TD\nstyle A fill:#f9f", [("A", None)], []),
    ("graph TD\nA[ ]", [("A", "")], []),
])
def test_what_mermaid_draws_is_read(source: str, nodes: list, edges_: list) -> None:
    diagram = parse_mermaid(source)
    assert diagram.problems == []
    assert [(n.id, n.label) for n in diagram.nodes] == nodes
    assert [(e.source, e.target) for e in diagram.edges] == edges_


@pytest.mark.parametrize("direction", [">", "<", "^", "v", "BR"])
def test_arrow_directions_are_headers(direction: str) -> None:
    diagram = parse_mermaid(f"graph {direction}\nA --> B")
    assert diagram.problems == []
    assert diagram.direction == direction


RESERVED = ["style", "class", "classDef", "click", "graph", "flowchart", "subgraph", "linkStyle",
            "interpolate", "call", "href", "_self", "_blank", "end", "end-node", "style-x"]


@pytest.mark.parametrize("word", RESERVED)
def test_keywords_are_no_node_ids(word: str) -> None:
    diagram = body(f"A --> {word}")
    assert [p.code for p in diagram.problems][:1] in (
        ["mermaid-end-node"], ["mermaid-keyword-id"], ["mermaid-syntax"])
    assert diagram.problems[0].span.line == 2


@pytest.mark.parametrize(("statements", "code"), [
    ("A[]", "mermaid-empty-label"),
    ('A[""]', "mermaid-empty-label"),
    ("A -->|| B", "mermaid-empty-label"),
    ('A -->|""| B', "mermaid-empty-label"),
    ("A -- --> B", "mermaid-syntax"),
    ("A[/v1/completions]", "mermaid-syntax"),
    ("A[\\win]", "mermaid-syntax"),
    ('A[ "Load (x)"]', "mermaid-unquoted-paren"),
    ('A[x "y"]', "mermaid-syntax"),
    ("A -->|x|  B", "mermaid-syntax"),
    ("A &B", "mermaid-syntax"),
    ("style A", "mermaid-syntax"),
    ("classDef hot", "mermaid-syntax"),
    ("class A", "mermaid-syntax"),
    ("click A", "mermaid-syntax"),
    ("linkStyle 0", "mermaid-syntax"),
    ("A --> B\nlinkStyle 1 stroke:#f00", "mermaid-syntax"),
    ("direction XY", "mermaid-syntax"),
    ("subgraph", "mermaid-syntax"),
    ('subgraph S [""]\nA\nend', "mermaid-empty-label"),
])
def test_what_mermaid_refuses_is_reported(statements: str, code: str) -> None:
    diagram = body(statements)
    assert code in codes(diagram)
    assert all(p.span.line >= 2 for p in diagram.problems)


@pytest.mark.parametrize("header", ["graph TD ;", "graph ;", "graph td", "graphTD X"])
def test_bad_headers_are_reported(header: str) -> None:
    assert codes(parse_mermaid(header + "\nA --> B")) == ["mermaid-syntax"]


# --- the corpus ---------------------------------------------------------------------------


def test_corpus_diagrams() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    count = 0
    for path in sorted(CORPUS.glob("*/workflows/*.md")):
        page = path.read_text(encoding="utf-8")
        index = LineIndex(page)
        for start, source in mermaid_blocks(page):
            count += 1
            diagram = parse_mermaid(source, start, index)
            ids = {node.id for node in diagram.nodes}
            assert all(e.source in ids and e.target in ids for e in diagram.edges), path
            assert diagram.nodes, path
    assert count > 0
