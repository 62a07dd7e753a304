"""wikiflow's Mermaid reader against real mermaid 10.9.3 (the version the wiki's extension bundles).

Seeded mutations of real diagrams (the shared corpus's, and a built-in set so the test runs
without it) go to both readers: the verdicts (draws or error box) must be the same, and where
both accept, the nodes (id, label, shape) and edges (ends, label, arrow) too. mermaid runs in
node with jsdom (tests/page/mermaid_oracle.mjs), one process for the whole batch, installed
from npm into a cache folder outside the repository. ``WIKIFLOW_MERMAID_RUNS`` sets the number
of mutations (default 600).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import corpus_workflows, unavailable
from wikiflow.page.mermaid import parse_mermaid
from wikiflow.page.model import Diagram
from wikiflow.page.parse import parse_page

MERMAID_VERSION = "10.9.3"
JSDOM_VERSION = "24.1.3"
ORACLE = Path(__file__).with_name("mermaid_oracle.mjs")
RUNS = int(os.environ.get("WIKIFLOW_MERMAID_RUNS", "600"))

#: wikiflow's shape names as mermaid's flowDb names them.
SHAPES = {
    "default": None, "rect": "square", "round": "round", "stadium": "stadium",
    "subroutine": "subroutine", "cylinder": "cylinder", "circle": "circle",
    "double_circle": "doublecircle", "asymmetric": "odd", "rhombus": "diamond",
    "hexagon": "hexagon", "parallelogram": "lean_right", "parallelogram_alt": "lean_left",
    "trapezoid": "trapezoid", "trapezoid_alt": "inv_trapezoid",
}

SEEDS = [
    "graph TD\n    A[Data Preparation] --> B[Model Quantization]\n    B --> C[Adapter Training]\n",
    "flowchart LR\n    A[Load Model] --> B{Use compile?}\n    B -->|Yes| C[Compile]\n"
    "    B -->|No| D[Run Eager]\n    C --> E((Done))\n    D --> E\n",
    "graph TD\n    subgraph Prep [Preparation]\n        A[Collect] --> B[Clean]\n    end\n"
    "    B -- tokenized --> C[(Dataset)]\n    C -.-> D>Train]\n    D ==> E[[Evaluate]]\n",
    'graph TB\n    A["Load (4-bit)"] --> B(["Fine-tune"])\n    B --- C[/Export/]\n'
    "    C --> D[\\Deploy\\]\n    style A fill:#f9f\n    classDef hot fill:#f00\n"
    "    class B hot\n",
    "flowchart TD\n    %% the pipeline\n    A & B --> C{{Merge}}\n    C --o D(Serve)\n"
    "    C --x E[Reject]\n    D <--> F[Monitor]\n",
]

LABELS = [
    "Load", "Load Model", "Use compile?", "Cache & Pass", "4-bit", "Step 2: Train",
    "a/b", "x = y", "100%", "it's", "v2.0", "naïve", "日本語", "end", "style", "A",
    '<span style="color:red">Load</span>', "<b>bold</b>", "line<br/>break", "line\nbreak",
    '"Load" v2', '"Load"', '"Load (x)"', ' "Load (x)"', '"a" "b"', 'x "y"', "Load (x)", "(x)",
    "x]", "[x", "a|b", "a{b}", "", " ", '""', "#quot;hi#quot;", "#35;1", "`md`", '"`**md**`"',
    "/v1/completions", "\\win", "a;b", "a--b", "a-->b", "a:b", "a::b",
]
IDS = [
    "A", "B2", "n_1", "node-1", "A.b", "n:1", "a+b", "x*", "it's", "go!", "B-", "1", "12ab",
    "End", "end", "end-node", "endpoint", "style", "styled", "class", "classify", "classDef",
    "click", "clicked", "graph", "graphs", "flowchart", "subgraph", "linkStyle", "interpolate",
    "call", "call_me", "href", "_self", "_blank", "_top", "default", "v", "direction", "o",
    "x", "é", "a/b", "a&b", "a=b", "a#b", "a-", "-a", "a--b", "a.-b",
]
ARROWS = [
    "-->", "---", "-.->", "-.-", "==>", "===", "--x", "--o", "<-->", "x--x", "o--o", "~~~",
    "---->", "-..->", "====>", "->", "=>", "--", "==", "-.", "<--", "<==>", "-->|yes|",
    "-->|Yes, clean|", '-->|"a|b"|', "-->||", '-->|""|', "-->|a (b)|", "-->| spaced |",
    "-- text -->", "-- a-b ---", "-. dotted .->", "== thick ==>", "-- mixed ==>", "<-- both -->",
    "-- -->", '-- "quoted" -->', "--  x  --o", "-->|x| ", " -->|x|",
]
HEADERS = [
    "graph TD", "graph LR", "graph TB", "graph BT", "graph RL", "flowchart TD", "flowchart LR",
    "graph", "flowchart", "graph >", "graph <", "graph ^", "graph v", "graph BR", "graph XY",
    "graph TD ;", "graph TD;", "graph TD  ", "graph  TD", "graph td", "flowchart-elk TD",
    "Graph TD", "grph TD", "%% note\ngraph TD", "%%{init: {'theme': 'dark'}}%%\ngraph TD",
    "---\ntitle: Steps\n---\ngraph TD", "\ufeffgraph TD", "\n\ngraph TD", "graph TD\n%% c",
]
STATEMENTS = [
    "style A fill:#f9f", "style A", "style A fill:#f9f,stroke:#333", "classDef hot fill:#f00",
    "classDef hot", "classDef hot fill:#f00;", "class A hot", "class A", "class A,B hot",
    'click A "https://example.org"', "click A callback", "click A", "linkStyle 0 stroke:#f00",
    "linkStyle 99 stroke:#f00", "linkStyle default stroke:#f00", "linkStyle 0",
    "accTitle: Steps", "accDescr: The steps", "accDescr {\n  The steps\n  in order\n}",
    "direction LR", "direction XY", "direction", "%% a comment", "  %% indented comment",
    "A:::hot", "A & B --> C", "A --> B & C", "end", "subgraph S", "subgraph S [Title]",
    'subgraph "Quoted title"', "subgraph S1 [Title (x)]", ";", "A -->", "--> A", "A B",
    "A --> B; B --> C", "A-->B-->C", "A[x]:::hot --> B", "A --> B %% trailing",
]

Mutation = Callable[[random.Random, list[str]], list[str]]


def _pick_line(rng: random.Random, lines: list[str]) -> int:
    """A statement line (never the header, when there is more than it)."""
    return rng.randrange(1, len(lines)) if len(lines) > 1 else 0


def _replace_label(rng: random.Random, lines: list[str]) -> list[str]:
    """A node's label replaced by another, of any shape the line has."""
    i = _pick_line(rng, lines)
    line, label = lines[i], rng.choice(LABELS)
    for opener, closer in (("[", "]"), ("(", ")"), ("{", "}")):
        start = line.find(opener)
        end = line.find(closer, start + 1)
        if 0 <= start < end:
            lines[i] = line[:start + 1] + label + line[end:]
            return lines
    lines[i] = f"{line} --> N{rng.randrange(9)}[{label}]"
    return lines


def _replace_id(rng: random.Random, lines: list[str]) -> list[str]:
    """A node id replaced by another (reserved words and unusual characters included)."""
    i = _pick_line(rng, lines)
    words = lines[i].split()
    if not words:
        return lines
    j = rng.randrange(len(words))
    word = words[j]
    k = 0
    while k < len(word) and (word[k].isalnum() or word[k] in "_-"):
        k += 1
    words[j] = rng.choice(IDS) + word[k:]
    lines[i] = "    " + " ".join(words)
    return lines


def _replace_arrow(rng: random.Random, lines: list[str]) -> list[str]:
    """An arrow (with its text) replaced by another, or added between two nodes."""
    i = _pick_line(rng, lines)
    arrow = rng.choice(ARROWS)
    for old in ("-->", "---", "-.->", "==>", "--o", "--x", "<-->"):
        if old in lines[i]:
            lines[i] = lines[i].replace(old, f" {arrow} " if rng.random() < 0.7 else arrow, 1)
            return lines
    lines.append(f"    {rng.choice(IDS[:4])} {arrow} {rng.choice(IDS[:4])}")
    return lines


def _add_statement(rng: random.Random, lines: list[str]) -> list[str]:
    """A statement (keyword, comment, group, subgraph piece) inserted between lines."""
    lines.insert(rng.randrange(1, len(lines) + 1), "    " + rng.choice(STATEMENTS))
    return lines


def _replace_header(rng: random.Random, lines: list[str]) -> list[str]:
    lines[0] = rng.choice(HEADERS)
    return lines


def _wrap_subgraph(rng: random.Random, lines: list[str]) -> list[str]:
    """Lines wrapped in a subgraph, with a title of some form, its ``end`` sometimes missing."""
    if len(lines) < 2:
        return lines
    start = rng.randrange(1, len(lines))
    stop = rng.randrange(start, len(lines)) + 1
    title = rng.choice(["S", "S1 [Title]", '"Quoted"', "Two words", "S2 [a (b)]", "S3[x]",
                        "S4 [Title]", "", "end", 'S5 ["q"]', "style"])
    opening = f"    subgraph {title}".rstrip()
    closing = [] if rng.random() < 0.1 else ["    end"]
    return lines[:start] + [opening] + lines[start:stop] + closing + lines[stop:]


def _break_line(rng: random.Random, lines: list[str]) -> list[str]:
    """An edge line split before its arrow, so the next line starts with the arrow."""
    i = _pick_line(rng, lines)
    for arrow in (" -->", " ---", " -.->", " ==>", "-->"):
        if arrow in lines[i]:
            head, _, tail = lines[i].partition(arrow)
            lines[i:i + 1] = [head, "    " + arrow.strip() + tail]
            break
    return lines


def _duplicate_or_drop(rng: random.Random, lines: list[str]) -> list[str]:
    i = _pick_line(rng, lines)
    if len(lines) > 2 and rng.random() < 0.5:
        del lines[i]
    else:
        lines.insert(i, lines[i])
    return lines


def _punctuate(rng: random.Random, lines: list[str]) -> list[str]:
    """A separator, space or stray character put at a random place of a line."""
    i = _pick_line(rng, lines)
    line = lines[i]
    at = rng.randrange(len(line) + 1)
    lines[i] = line[:at] + rng.choice([";", " ", "  ", "&", ":", "\t", '"', "|", "-", "%%"]) \
        + line[at:]
    return lines


MUTATIONS: list[Mutation] = [
    _replace_label, _replace_label, _replace_id, _replace_id, _replace_arrow, _replace_arrow,
    _add_statement, _add_statement, _replace_header, _wrap_subgraph, _break_line,
    _duplicate_or_drop, _punctuate,
]


def _whole_diagram(rng: random.Random) -> str:
    """A new small diagram of random statements under a random header."""
    lines = [rng.choice(HEADERS)]
    for _ in range(rng.randrange(1, 6)):
        a, b = rng.choice(IDS), rng.choice(IDS)
        label = rng.choice(LABELS)
        lines.append(f"    {a}[{label}] {rng.choice(ARROWS)} {b}" if rng.random() < 0.6
                     else "    " + rng.choice(STATEMENTS))
    return "\n".join(lines) + "\n"


def mutations(seeds: list[str], count: int, seed: int = 15) -> Iterator[str]:
    """``count`` mutated diagrams, the same ones for the same seeds and seed."""
    rng = random.Random(seed)
    for _ in range(count):
        if rng.random() < 0.1:
            yield _whole_diagram(rng)
            continue
        lines = rng.choice(seeds).rstrip("\n").split("\n")
        for _ in range(rng.choice([1, 1, 2, 3])):
            lines = rng.choice(MUTATIONS)(rng, lines)
        text = "\n".join(lines) + "\n"
        ends = rng.random()
        yield text.replace("\n", "\r") if ends < 0.03 else \
            text.replace("\n", "\r\n") if ends < 0.06 else text


def corpus_diagrams() -> list[str]:
    """The Execution Diagrams of the shared corpus's Workflow pages (none without the corpus)."""
    sources = []
    for path in corpus_workflows():
        diagram = parse_page(path.read_text(encoding="utf-8")).diagram
        if diagram is not None:
            sources.append(diagram.source)
    return sources


# --- the oracle ---------------------------------------------------------------------------


def _cache() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "wikiflow" / f"mermaid-{MERMAID_VERSION}"


def _installed(folder: Path) -> bool:
    package = folder / "node_modules" / "mermaid" / "package.json"
    return package.is_file() and json.loads(package.read_text())["version"] == MERMAID_VERSION \
        and (folder / "node_modules" / "jsdom" / "package.json").is_file()


@pytest.fixture(scope="session")
def mermaid_folder() -> Path:
    """A folder holding mermaid and jsdom from npm, installed once and reused."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        unavailable("node and npm are needed to run real mermaid")
    folder = _cache()
    if not _installed(folder):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "package.json").write_text(json.dumps({"private": True, "dependencies": {
            "mermaid": MERMAID_VERSION, "jsdom": JSDOM_VERSION}}))
        done = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--save-exact"],
                              cwd=folder, capture_output=True, text=True, timeout=600)
        if done.returncode != 0 or not _installed(folder):
            unavailable(f"npm could not install mermaid@{MERMAID_VERSION}: {done.stderr[-500:]}")
    return folder


def ask_mermaid(folder: Path, diagrams: list[str]) -> list[dict]:
    """Real mermaid's answer for each diagram, from one node process."""
    stdin = "".join(json.dumps(text) + "\n" for text in diagrams)
    done = subprocess.run(["node", str(ORACLE), str(folder)], input=stdin, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(answers) == len(diagrams), done.stderr
    return answers


# --- comparing ----------------------------------------------------------------------------


def _arrow_probe(arrow: str) -> str:
    """A diagram holding only ``arrow``: mermaid's reading of wikiflow's normalised arrow."""
    return f"graph TD\nP {arrow} Q\n"


def _label_probe(label: str) -> str:
    """A diagram holding only ``label``, quoted: how mermaid shows wikiflow's label (its HTML
    sanitiser writes ``<br/>`` as ``<br>``, for one)."""
    if not any(char in label for char in "[](){}|"):
        return f"graph TD\nP[{label}]\n"
    return 'graph TD\nP["' + label.replace("#", "#35;").replace('"', "#quot;") + '"]\n'


def _wikiflow(diagram: Diagram, arrows: dict[str, list], shown: dict[str, str]) -> dict:
    """wikiflow's reading in the oracle's terms (arrows and HTML labels as mermaid reads
    wikiflow's forms of them)."""
    if diagram.problems:
        return {"ok": False, "problems": [p.message for p in diagram.problems]}
    nodes = sorted([n.id, shown.get(n.label, n.label) if n.label is not None else n.id,
                    SHAPES[n.shape]] for n in diagram.nodes)
    edges = [[e.source, e.target, shown.get(e.label, e.label) if e.label else "",
              *arrows[e.arrow]] for e in diagram.edges]
    return {"ok": True, "nodes": nodes, "edges": edges}


def _mermaid(answer: dict) -> dict:
    if not answer["ok"]:
        return {"ok": False, "error": answer["error"]}
    return {"ok": True, "nodes": sorted(answer["nodes"]), "edges": answer["edges"]}


def disagreements(folder: Path, diagrams: list[str]) -> list[tuple[str, dict, dict]]:
    """Each diagram on which wikiflow and mermaid differ, with both readings."""
    readings = [parse_mermaid(text) for text in diagrams]
    accepted = [d for d in readings if not d.problems]
    arrows = sorted({e.arrow for d in accepted for e in d.edges})
    html = sorted({label for d in accepted for label in [n.label for n in d.nodes]
                   + [e.label for e in d.edges] if label and "<" in label})
    answers = ask_mermaid(folder, diagrams + [_arrow_probe(arrow) for arrow in arrows]
                          + [_label_probe(label) for label in html])
    probes = iter(answers[len(diagrams):])
    probed = {arrow: answer["edges"][0][3:] if answer["ok"] else ["unreadable", arrow]
              for arrow, answer in zip(arrows, probes, strict=False)}
    shown = {label: answer["nodes"][0][1] if answer["ok"] else label
             for label, answer in zip(html, probes, strict=False)}
    found = []
    for text, reading, answer in zip(diagrams, readings, answers, strict=False):
        ours, theirs = _wikiflow(reading, probed, shown), _mermaid(answer)
        same = ours["ok"] == theirs["ok"] and (not ours["ok"] or ours == theirs)
        if not same:
            found.append((text, ours, theirs))
    return found


def _report(found: list[tuple[str, dict, dict]], total: int) -> str:
    shown = "\n\n".join(f"{text!r}\n  wikiflow: {ours}\n  mermaid:  {theirs}"
                        for text, ours, theirs in found[:15])
    return f"{len(found)} of {total} diagrams read differently:\n\n{shown}"


#: Keyword statements whose names and style text hold keywords, letters of other scripts and
#: link targets, where mermaid's lexer reads a token of its own (the mutations found the first
#: three: "style end fill:#f9f", "classDef hot é:#f00", "style A _blank:#f9f").
KEYWORD_CASES = [
    "style end fill:#f9f", "style graph fill:#f9f", "style _blank fill:#f9f",
    "style endx fill:#f9f", "style end-x fill:#f9f", "style é fill:#f00", "style A é:#f00",
    "style A fill:é", "style A ß:1", "style A fill:#f9f,stroke:naïve", "style A _blank:#f9f",
    "style A x_blank:#f9f", "style A fill:_top", "style A fill_x:#f9f", "style A _x:#f9f",
    "style A fill:_blankx", "style A fill: _blank", "style A fill:end", "style A x:style",
    "style A x:class", "style A x:href", "style A x:href y", "style A x:default",
    "style A x:1_blank", "style A x:x1_blank", "style A x:1end", "style A x:1.end",
    "style A x:.end", "style A fill:a.end", "style A fill:#end", "style A x:a#end",
    "style A x:a-end", "style A x:a end", "style A x:a,end", "style A x:a=end",
    "style A x:endé", "style A x:TB", "style A x:direction", "classDef end fill:#f00",
    "classDef hot _self:#f00", "classDef é fill:#f00", "class end hot", "class B end",
    "class B _top", "class A hot,end", "class A,end hot", "class A x_top", "class A end2",
    "class é hot", "linkStyle 0 stroke:é", "linkStyle 0 _blank:1",
]


def test_keyword_statements_read_as_mermaid_reads_them(mermaid_folder: Path) -> None:
    diagrams = [f"graph TB\n    A --> B\n    {case}\n" for case in KEYWORD_CASES]
    found = disagreements(mermaid_folder, diagrams)
    assert not found, _report(found, len(diagrams))


def test_the_generator_is_deterministic_and_covers_each_construct() -> None:
    first, second = list(mutations(SEEDS, 600)), list(mutations(SEEDS, 600))
    assert first == second
    joined = "\n".join(first)
    for construct in ("subgraph", "graph >", "\r", "\ufeff", "accDescr {", "style A\n",
                      '|"a|b"|', "-->||", "end-node", '"Load" v2'):
        assert construct in joined, construct


def test_wikiflow_reads_diagrams_as_mermaid_does(mermaid_folder: Path) -> None:
    seeds = SEEDS + corpus_diagrams()
    diagrams = list(mutations(seeds, RUNS))
    found = disagreements(mermaid_folder, diagrams)
    assert not found, _report(found, len(diagrams))


def test_the_seeds_themselves_agree(mermaid_folder: Path) -> None:
    seeds = SEEDS + corpus_diagrams()
    found = disagreements(mermaid_folder, seeds)
    assert not found, _report(found, len(seeds))
