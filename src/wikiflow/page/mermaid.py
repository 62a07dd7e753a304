"""Mermaid flowcharts: the text of ``{{#mermaid:...}}`` → a ``Diagram`` with spans and problems.

Only the flowchart grammar is read, since that is what the guide asks for; another diagram type
is named and reported, not parsed. Where writers trip, the reader follows Mermaid's own lexer
(``flow.jison``): Mermaid ends unquoted label text at any of ``()[]{}|"``, reads ``end`` as a
keyword, lets white space (new lines too) surround an arrow, and drops only whole-line ``%%``
comments. It never raises: a statement it cannot read becomes a positioned ``Problem`` and
reading resumes at the next statement.

Speed: the page parser's budget is about 0.2 ms a page, so the usual line, ``A[Label] -->
B{Label}``, is read with one regex match (``_SIMPLE``, twice as fast on the corpus); any other
line goes through the general reader, a cursor moved by regexes anchored at it. ``_SIMPLE``
matches only what the general reader would read the same way and without a problem, which the
tests check.
"""

from __future__ import annotations

import re
from html.entities import html5
from typing import NamedTuple

from .model import Diagram, DiagramEdge, DiagramNode, Problem, Severity
from .spans import LineIndex, Span

DIRECTIONS = frozenset({"TD", "TB", "BT", "RL", "LR"})

#: Keywords that open the other Mermaid diagram types.
OTHER_KINDS = frozenset({
    "sequenceDiagram", "classDiagram", "classDiagram-v2", "stateDiagram", "stateDiagram-v2",
    "erDiagram", "journey", "gantt", "pie", "quadrantChart", "requirementDiagram", "gitGraph",
    "C4Context", "C4Container", "C4Component", "C4Dynamic", "C4Deployment", "mindmap",
    "timeline", "zenuml", "sankey-beta", "xychart-beta", "block-beta", "packet-beta",
    "architecture-beta", "kanban", "radar-beta",
})

_SHAPE_NAMES = (
    ("(((", ")))", "double_circle"), ("((", "))", "circle"), ("([", "])", "stadium"),
    ("(", ")", "round"), ("[[", "]]", "subroutine"), ("[(", ")]", "cylinder"),
    ("[/", "/]", "parallelogram"), ("[/", "\\]", "trapezoid"), ("[\\", "\\]", "parallelogram_alt"),
    ("[\\", "/]", "trapezoid_alt"), ("[", "]", "rect"), ("{{", "}}", "hexagon"),
    ("{", "}", "rhombus"), (">", "]", "asymmetric"),
)
# A label ends where the bracket kind its closer ends with comes back to depth 0 (the opener's
# count of that bracket, "((" → 2); only that kind nests, so "A[Load (4-bit)]" closes at "]".
_BRACKETS = {"]": ("[", re.compile(r"[\[\]\n]")), ")": ("(", re.compile(r"[()\n]")),
             "}": ("{", re.compile(r"[{}\n]"))}


class _Shape(NamedTuple):
    opener: str
    closer: str
    name: str
    depth: int
    open_char: str
    brackets: re.Pattern[str]


def _shape_table() -> dict[str, tuple[_Shape, ...]]:
    """Shapes by the opener's first character, longest opener first: "[(" is tried before "[",
    and a longer opener that does not close falls back to a shorter one ("A[(4-bit) Load]" is a
    rectangle whose label starts with a parenthesis, which is then reported)."""
    table: dict[str, list[_Shape]] = {}
    for opener, closer, name in _SHAPE_NAMES:
        open_char, brackets = _BRACKETS[closer[-1]]
        shape = _Shape(opener, closer, name, max(opener.count(open_char), 1), open_char, brackets)
        table.setdefault(opener[0], []).append(shape)
    return {char: tuple(shapes) for char, shapes in table.items()}


_SHAPES = _shape_table()

_HSPACE = re.compile(r"[^\S\n]*")
# Between statements: white space, ";" and "%%" comments, which Mermaid drops only when they
# start a line (every statement stops before its new line, so a comment's line start is seen).
_GAP = re.compile(r"(?:(?:\A|\n)[^\S\n]*%%[^\n]*|[\s;])*")
_FRONT_MATTER = re.compile(r"\s*---[^\S\n]*\n.*?\n[^\S\n]*---[^\S\n]*(?=\n|\Z)", re.S)
_HEADER = re.compile(r"(flowchart-elk|flowchart|graph)(?![\w-])[^\S\n]*([^\s;]*)")
_WORD = re.compile(r"[A-Za-z][\w-]*")
_KEYWORDS = frozenset({"subgraph", "end", "style", "classDef", "class", "click", "linkStyle",
                       "direction", "accTitle", "accDescr"})
_KEYWORD = re.compile(r"(?:(subgraph)|(end)|style|classDef|class|click|linkStyle|direction"
                      r"|accTitle|accDescr)(?![\w-])")
_REST = re.compile(r"[^;\n]*")
_SUBGRAPH_ID = re.compile(r"([\w-]+)[^\S\n]*\[(.*)\]")
_ID = re.compile(r"\w+(?:-\w+)*")
_CLASS = re.compile(r":::[\w-]*")
_QUOTED = re.compile(r'[^\S\n]*"([^"]*)"[^\S\n]*')
# What may follow a node: "&" and another node; an arrow, with an optional "|label|", or the
# "-- label -->" form whose closing arrow is of the opening family (conditional groups pick it);
# or the end of the statement. An arrow may have new lines around it, as in Mermaid.
_FOLLOW = re.compile(
    r"[^\S\n]*(?P<amp>&)[^\S\n]*|\s*(?:"
    r"(?P<arrow>[xo<]?(?:-{2,}[-xo>]|={2,}[=xo>]|-?\.+-[xo>]?|~{3,}))"
    r"(?:\s*\|(?P<pipe>[^|\n]*)\|)?"
    r"|(?P<open>[xo<]?(?:(?P<solid>--)|(?P<thick>==)|-\.))(?P<text>[^\n]*?)"
    r"(?P<close>(?(solid)-{2,}[-xo>]|(?(thick)={2,}[=xo>]|-?\.+-[xo>]?)))"
    r")\s*|[^\S\n]*(?P<stop>;|\n|\Z)"
)
_PLAIN = r'[^\[\](){}|"#\n]*'  # label text with nothing to check or decode


def _simple_node(side: str) -> str:
    """A plain id with an optional rectangle or rhombus of plain text, its groups named by side."""
    return (rf"(?P<{side}>(?P<{side}_id>\w+)(?:\[(?![/\\])(?P<{side}_rect>{_PLAIN})\]"
            rf"|\{{(?P<{side}_rhombus>{_PLAIN})\}})?)")


# One whole line "A[x] --> B{y}" (shapes and "|label|" optional) with nothing to report.
_SIMPLE = re.compile(
    rf"^[^\S\n]*{_simple_node('a')}[^\S\n]*(?P<arrow>-->|==>|-\.->|---(?![-xo>]))"
    rf"(?:\|(?P<label>{_PLAIN})\|)?[^\S\n]*{_simple_node('b')}[^\S\n]*;?[^\S\n]*$", re.M)
_SPECIAL = re.compile(r'[()\[\]{}|"]')
_ENTITY = re.compile(r"#([0-9]+|[A-Za-z][A-Za-z0-9]*);")
_NEEDS_QUOTES = re.compile(r'[()\[\]{}<>|"#;]')

_AFTER_NODE = 'Mermaid expects an arrow such as "-->", "&", ";" or a new line here'
_AFTER_HEADER = 'Mermaid expects ";" or a new line after the header'


def parse_mermaid(source: str, start: int = 0, index: LineIndex | None = None) -> Diagram:
    """Read a flowchart; ``start`` is its offset in the page that ``index`` maps, for spans."""
    if index is None:
        index, start = LineIndex(source), 0
    return _Reader(source, start, index).read()


def linear_diagram(labels: list[str]) -> str:
    """The guide's linear flowchart of steps: ``A[l1] --> B[l2]``, then ``B --> C[l3]``..."""
    ids = node_ids(len(labels))
    lines = ["graph TD"]
    if len(labels) == 1:
        lines.append(f"    {ids[0]}{_rect(labels[0])}")
    for i in range(1, len(labels)):
        source = f"{ids[0]}{_rect(labels[0])}" if i == 1 else ids[i - 1]
        lines.append(f"    {source} --> {ids[i]}{_rect(labels[i])}")
    return "\n".join(lines) + "\n"


def node_ids(count: int) -> list[str]:
    """Spreadsheet-style ids ``A``…``Z``, ``AA``, ``AB``…: short, and never a Mermaid keyword."""
    ids = []
    for number in range(1, count + 1):
        name = ""
        while number:
            number, digit = divmod(number - 1, 26)
            name = chr(65 + digit) + name
        ids.append(name)
    return ids


def _rect(label: str) -> str:
    """A rectangle shape for ``label``, quoted when Mermaid would not read it back as written."""
    if label and label == label.strip() and label[0] not in "/\\" \
            and not _NEEDS_QUOTES.search(label):
        return f"[{label}]"
    # "#" first, so the entities written here are the only "#" left; a backtick is encoded so a
    # label in backticks is not read as a Markdown string.
    encoded = label.replace("#", "#35;").replace('"', "#quot;").replace("`", "#96;")
    return f'["{encoded}"]'


def _entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if name.isdigit():
        code = int(name)
        return chr(code) if code < 0x110000 else match.group()
    return html5.get(name + ";", match.group())


def _decode(text: str) -> str:
    """Mermaid's entity codes (``#quot;``, ``#35;``) as the characters they stand for."""
    return _ENTITY.sub(_entity, text) if "#" in text else text


def _quoted_label(inner: str) -> str:
    """The text of a quoted label; a Markdown string ``"`…`"`` drops its backticks."""
    if len(inner) >= 2 and inner[0] == "`" == inner[-1]:
        inner = inner[1:-1]
    return _decode(inner).strip()


def _text(raw: str) -> tuple[str, bool]:
    """An edge label or subgraph title as shown, and whether it was quoted."""
    text = raw.strip()
    if len(text) >= 2 and text[0] == '"' == text[-1]:
        return _quoted_label(text[1:-1]), True
    return _decode(text).strip(), False


def _quote(text: str) -> str:
    """``text`` in double quotes for a message, shortened so a message stays one line."""
    text = text if len(text) <= 60 else text[:57] + "..."
    return f'"{text}"'


class _Reader:
    """One pass over one diagram's text, collecting what it means and what is wrong with it."""

    __slots__ = ("text", "start", "index", "kind", "direction", "nodes", "edges", "subgraphs",
                 "open", "problems", "begin", "edge_budget")

    def __init__(self, text: str, start: int, index: LineIndex) -> None:
        self.text = text
        self.start = start
        self.index = index
        self.kind = "graph"
        self.direction: str | None = None
        self.nodes: dict[str, DiagramNode] = {}
        self.edges: list[DiagramEdge] = []
        self.subgraphs: list[str] = []
        self.open: list[tuple[str, int, int]] = []  # subgraphs not yet ended: title, span
        self.problems: list[Problem] = []
        self.begin = 0  # where the statement being read starts, for messages
        # Edges that "&" groups may still make: one per character of the diagram, so that
        # reading stays linear in it ("A & B & … --> C & D & …" makes every pair an edge).
        self.edge_budget = len(text)

    def read(self) -> Diagram:
        text = self.text
        front = _FRONT_MATTER.match(text)
        pos = _GAP.match(text, front.end() if front else 0).end()
        if pos >= len(text):
            self._problem("mermaid-syntax",
                          'empty diagram; Mermaid expects a header such as "graph TD" and nodes',
                          0, len(text))
        elif (pos := self._header(pos)) is not None:
            self._body(pos)
            for title, begin, end in self.open:
                self._problem("mermaid-syntax", f'subgraph {_quote(title)} is not closed; '
                              'Mermaid expects "end" after its nodes', begin, end)
        return Diagram(text, self.kind, self.direction, list(self.nodes.values()), self.edges,
                       self.problems, self._span(0, len(text)), self.subgraphs)

    def _header(self, pos: int) -> int | None:
        """Read the header at ``pos``; where statements start, or None for another diagram type."""
        text = self.text
        header = _HEADER.match(text, pos)
        if header is None:
            word = _WORD.match(text, pos)
            if word and word.group() in OTHER_KINDS:
                self.kind = word.group()
                self._problem("mermaid-not-flowchart", f'{_quote(word.group())} is not a '
                              'flowchart; the Execution Diagram expects "graph TD"', *word.span())
                return None
            end = self._trim(pos, self._eol(pos))
            self._problem("mermaid-header", f'the diagram starts with {_quote(text[pos:end])}; '
                          'Mermaid expects a header such as "graph TD" first', pos, end)
            return pos
        self.kind, direction = header.group(1), header.group(2)
        if direction in DIRECTIONS:
            self.direction = direction
        elif direction:
            self._problem("mermaid-syntax", f'unknown direction {_quote(direction)}; Mermaid '
                          'expects one of TD, TB, BT, RL, LR', *header.span(2))
        self.begin = pos
        return self._separator(header.end(), _AFTER_HEADER)

    def _body(self, pos: int) -> None:
        """Read the statements from ``pos``: simple lines with one match each, others in turn."""
        text = self.text
        for simple in _SIMPLE.finditer(text, pos):
            first = simple.start("a")
            if first > pos:
                # Usually only a new line and indentation lie before it: no statement to read.
                pos = first if text[pos:first].isspace() else self._statements(pos, first)
            # A statement of the general reader may run on into this line (an arrow at the end
            # of the line before); "end" and other keywords need the general reader.
            if pos != first or simple.group("a_id") in _KEYWORDS or simple.group("b_id") == "end":
                continue
            self._simple(simple)
            pos = simple.end()
        self._statements(pos, len(self.text))

    def _simple(self, match: re.Match[str]) -> None:
        """Register the two nodes and the edge of a line ``_SIMPLE`` matched."""
        a_id, a_rect, a_rhombus, arrow, label, b_id, b_rect, b_rhombus = match.group(
            "a_id", "a_rect", "a_rhombus", "arrow", "label", "b_id", "b_rect", "b_rhombus")
        (a_start, a_end), (b_start, b_end) = match.span("a"), match.span("b")
        self._register_simple(a_id, a_rect, a_rhombus, a_start, a_end)
        self._register_simple(b_id, b_rect, b_rhombus, b_start, b_end)
        self.edges.append(DiagramEdge(a_id, b_id, label and label.strip() or None, arrow,
                                      Span(self.start + a_start, self.start + b_end, self.index)))

    def _register_simple(self, node_id: str, rect: str | None, rhombus: str | None,
                         begin: int, end: int) -> None:
        if rect is not None:
            self._register(node_id, "rect", rect.strip(), begin, end)
        elif rhombus is not None:
            self._register(node_id, "rhombus", rhombus.strip(), begin, end)
        elif node_id not in self.nodes:  # a bare id already seen changes nothing
            self._register(node_id, None, None, begin, end)

    def _register(self, node_id: str, shape: str | None, label: str | None, begin: int,
                  end: int) -> str:
        """Add a node at its first mention; a later shape replaces the label, as in Mermaid."""
        node = self.nodes.get(node_id)
        if node is None:
            self.nodes[node_id] = DiagramNode(node_id, label, shape or "default",
                                              self._span(begin, end))
        elif shape is not None:
            node.label, node.shape, node.span = label, shape, self._span(begin, end)
        return node_id

    def _statements(self, pos: int, limit: int) -> int:
        """Read statements starting before ``limit``; returns where the next one would start."""
        text = self.text
        while (pos := _GAP.match(text, pos).end()) < limit:
            self.begin = pos
            pos = self._line(pos)
        return pos

    def _line(self, pos: int) -> int:
        """Read the statement at ``pos``; returns where it stops."""
        text = self.text
        keyword = _KEYWORD.match(text, pos)
        if keyword is None:
            return self._statement(pos)
        if keyword.group(1):
            return self._subgraph(pos, keyword.end())
        if keyword.group(2):
            after = _HSPACE.match(text, keyword.end()).end()
            if not self._at_end(after):  # "end" used as a node id, reported by _node
                return self._statement(pos)
            self._close_subgraph(pos, keyword.end())
            return after
        # style, classDef, class, click...: kept in the source, not interpreted
        return _REST.match(text, keyword.end()).end()

    def _subgraph(self, begin: int, pos: int) -> int:
        """``subgraph id [title]``, ``subgraph "title"`` or ``subgraph title``: note the title."""
        text = self.text
        end = _REST.match(text, pos).end()
        raw = text[pos:end].strip()
        named = _SUBGRAPH_ID.fullmatch(raw)
        inner = named.group(2) if named else raw
        title, quoted = _text(inner)
        stop = self._trim(begin, end)
        if not quoted:
            prefix, suffix = (f"subgraph {named.group(1)}[", "]") if named else ("subgraph ", "")
            self._check_text(inner, prefix, suffix, begin, stop)
        self.subgraphs.append(title)
        self.open.append((title, begin, stop))
        return end

    def _close_subgraph(self, begin: int, end: int) -> None:
        if self.open:
            self.open.pop()
        else:
            self._problem("mermaid-syntax", '"end" closes a subgraph, but no subgraph is open; '
                          'Mermaid expects "subgraph" before it', begin, end)

    def _statement(self, begin: int) -> int:
        """Nodes joined by ``&`` and arrows (``A & B --> C[x] -->|y| D``); where it stops."""
        text = self.text
        sources: list[tuple[str, int, int]] = []
        group: list[tuple[str, int, int]] = []
        link: tuple[str, str | None] | None = None
        pos, after = begin, None
        while (node := self._node(pos, after)) is not None:
            group.append(node)
            follow = _FOLLOW.match(text, node[2])
            kind = follow and follow.lastgroup
            if kind == "amp":
                pos, after = follow.end(), "&"
                continue
            if link is not None:
                self._connect(sources, group, *link)
            if kind == "stop":
                return follow.start("stop")
            if follow is None:
                return self._separator(node[2], _AFTER_NODE)
            link = self._link(follow)
            sources, group = group, []
            pos, after = follow.end(), link[0]
        return self._eol(pos)

    def _connect(self, sources: list[tuple[str, int, int]], targets: list[tuple[str, int, int]],
                 arrow: str, label: str | None) -> None:
        """One edge per source and target: ``A & B --> C & D`` is four edges."""
        count = len(sources) * len(targets)
        if count > self.edge_budget:
            self._problem("mermaid-syntax", f"{_quote(self._line_text())} joins {len(sources)} "
                          f"nodes to {len(targets)}: {count:,} edges, more than wikiflow reads "
                          "from a diagram of this size (one per character); none of them is "
                          "read: split the groups", self.begin, targets[-1][2])
            return
        self.edge_budget -= count
        for source, begin, _ in sources:
            for target, _, end in targets:
                self.edges.append(DiagramEdge(source, target, label, arrow,
                                              self._span(begin, end)))

    def _node(self, pos: int, after: str | None) -> tuple[str, int, int] | None:
        """Register the node at ``pos``, with its shape if one follows, as (id, start, end);
        None when there is no readable node there (the problem is reported)."""
        text = self.text
        match = _ID.match(text, pos)
        if match is None:
            self._expected_node(pos, after)
            return None
        node_id, end = match.group(), match.end()
        shape = label = None
        if text[end:end + 1] in _SHAPES:
            found = self._shape(node_id, pos, end)
            if found is None:
                return None
            shape, label, end = found
        if text.startswith(":::", end):
            end = _CLASS.match(text, end).end()
        if node_id == "end":
            self._problem("mermaid-end-node", f'"end" cannot be a node id (in '
                          f'{_quote(self._line_text())}): Mermaid reads it as the keyword that '
                          'closes a subgraph; use another id, such as "End" or "finish"',
                          pos, match.end())
        return self._register(node_id, shape, label, pos, end), pos, end

    def _shape(self, node_id: str, begin: int, pos: int) -> tuple[str, str, int] | None:
        """The (shape, label, end) of the shape opening at ``pos``; None, reported, if unclosed."""
        text = self.text
        # Never empty: each first character has a one-character opener.
        shapes = [shape for shape in _SHAPES[text[pos]] if text.startswith(shape.opener, pos)]
        for shape in shapes:
            found = self._close(pos + len(shape.opener), shape)
            if found is None:
                continue
            raw, quoted, end = found
            if quoted:
                return shape.name, _quoted_label(raw), end
            self._check_text(raw, node_id + shape.opener, shape.closer, begin, end)
            return shape.name, _decode(raw).strip(), end
        self._problem("mermaid-syntax", f'{_quote(shapes[0].opener)} of node {_quote(node_id)} '
                      f'is not closed on its line; Mermaid expects {_quote(shapes[0].closer)}',
                      begin, self._trim(begin, self._eol(pos)))
        return None

    def _close(self, pos: int, shape: _Shape) -> tuple[str, bool, int] | None:
        """The raw label from ``pos`` to the shape's closer, whether quoted, and where it ends."""
        text, closer = self.text, shape.closer
        quoted = _QUOTED.match(text, pos)
        if quoted and text.startswith(closer, quoted.end()):
            return quoted.group(1), True, quoted.end() + len(closer)
        depth, i = shape.depth, pos
        while (bracket := shape.brackets.search(text, i)) is not None:
            i = bracket.start()
            if text[i] == "\n":
                return None
            depth += 1 if text[i] == shape.open_char else -1
            if depth == 0:
                head = i + 1 - len(closer)
                if head >= pos and text.startswith(closer, head):
                    return text[pos:head], False, i + 1
                return None
            i += 1
        return None

    def _link(self, link: re.Match[str]) -> tuple[str, str | None]:
        """The normalised arrow (no spaces, no label: ``-- x -->`` is ``-->``) and its label."""
        if arrow := link.group("arrow"):
            raw = link.group("pipe")
            if raw is None:
                return arrow, None
            label, quoted = _text(raw)
            if not quoted:
                self._check_text(raw, arrow + "|", "|", link.start("arrow"), link.end("pipe") + 1)
            return arrow, label or None
        opener, close = link.group("open"), link.group("close")
        if opener.endswith(".") and close.startswith("."):
            close = "-" + close
        label = _text(link.group("text"))[0]
        return opener[:-2] + close, label or None

    def _check_text(self, raw: str, prefix: str, suffix: str, begin: int, end: int) -> None:
        """Report characters that end unquoted text in Mermaid: it rejects the diagram for them."""
        bad = _SPECIAL.search(raw)
        if bad is None:
            return
        paren = "(" in raw or ")" in raw
        code = "mermaid-unquoted-paren" if paren else "mermaid-syntax"
        what = "parentheses" if paren else _quote(bad.group())
        fixed = raw.strip().replace('"', "#quot;")
        self._problem(code, f'{_quote(self.text[begin:end])} has unquoted {what}, which Mermaid '
                      f'rejects; quote the text: {prefix}"{fixed}"{suffix}', begin, end)

    def _expected_node(self, pos: int, after: str | None) -> None:
        text = self.text
        end = self._eol(pos)
        found = text[pos:end].strip()
        statement = _quote(self._line_text())
        if after is None:
            message = f'{_quote(found)} is not a statement Mermaid knows; expected a node id ' \
                      'such as A or A[Label]'
        elif not found or found[0] == ";":
            message = f'{_quote(after)} in {statement} has no node after it; Mermaid expects ' \
                      'a node id there'
        else:
            message = f'expected a node id after {_quote(after)} in {statement}, found ' \
                      f'{_quote(found)}'
        self._problem("mermaid-syntax", message, self.begin, self._trim(self.begin, end))

    def _separator(self, pos: int, expected: str) -> int:
        """Check the statement ends at ``pos`` (``;``, a new line or the end); report what not."""
        text = self.text
        pos = _HSPACE.match(text, pos).end()
        if self._at_end(pos):
            return pos
        end = self._eol(pos)
        found = text[pos:end].rstrip()
        if found.startswith("%%"):
            expected = "Mermaid comments (%%) must start their own line"
        elif found[0] in "[({":
            expected = "Mermaid expects a shape right after its node id, with no space"
        elif found.startswith(("->", "=>")):
            expected = 'Mermaid arrows have two dashes, as in "-->"'
        self._problem("mermaid-syntax", f'unexpected {_quote(found)} after '
                      f'{_quote(text[self.begin:pos].strip())}; {expected}', pos, pos + len(found))
        return end

    def _at_end(self, pos: int) -> bool:
        return pos >= len(self.text) or self.text[pos] in ";\n"

    def _eol(self, pos: int) -> int:
        end = self.text.find("\n", pos)
        return len(self.text) if end < 0 else end

    def _trim(self, begin: int, end: int) -> int:
        """``end`` moved back over trailing white space, so a span ends at the last character."""
        return begin + len(self.text[begin:end].rstrip())

    def _line_text(self) -> str:
        return self.text[self.begin:self._eol(self.begin)].strip()

    def _span(self, begin: int, end: int) -> Span:
        return Span(self.start + begin, self.start + end, self.index)

    def _problem(self, code: str, message: str, begin: int, end: int) -> None:
        self.problems.append(Problem(code, message, self._span(begin, end), Severity.ERROR))
