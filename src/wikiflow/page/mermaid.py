"""Mermaid flowcharts: the text of ``{{#mermaid:...}}`` → a ``Diagram`` with spans and problems.

Only the flowchart grammar is read, since that is what the guide asks for; another diagram type
is named and reported, not parsed. The verdict is Mermaid 10.9.3's (the version the wiki's
extension bundles; tests/page/test_mermaid_differential.py compares the two): the reader
follows its preprocessing (CR line ends, quotes inside HTML tags) and its grammar
(``flow.jison``): unquoted label text ends at any of ``()[]{}|"`` and may span lines, a quoted
string may be followed by plain text, an id that starts with a keyword (``end-node``,
``style``) is an error, white space (new lines too) may surround an arrow, so a line may start
with one, keyword statements need their arguments, and only whole-line ``%%`` comments are
dropped. It never raises: a statement it cannot read becomes a positioned ``Problem`` and
reading resumes at the next statement.

Speed: the page parser's budget is about 0.2 ms a page, so the usual line, ``A[Label] -->
B{Label}``, is read with one regex match (``SIMPLE``, twice as fast on the corpus); any other
line goes through the general reader, a cursor moved by regexes anchored at it. ``SIMPLE``
matches only what the general reader would read the same way and without a problem (never a
line the next line continues with an arrow), which the tests check.
"""

from __future__ import annotations

import re

from .mermaid_syntax import (
    ACCESSIBILITY, CLASS, DIRECTION, DIRECTIONS, FOLLOW, FRONT_MATTER, GAP, HEADER, HSPACE, ID,
    KEYWORD, KEYWORD_STATEMENTS, LABEL_TEXT, LAST_END, NEEDS_QUOTES, OTHER_KINDS, QUOTED,
    RESERVED, REST, SHAPES, SIMPLE, SPECIAL, STYLE_KEYWORD, SUBGRAPH_ID, Shape, WORD, decode,
    preprocessed,
    quoted_label, shown, written_text,
)
from .model import Diagram, DiagramEdge, DiagramNode, Problem, Severity
from .spans import LineIndex, Span

_AFTER_NODE = 'Mermaid expects an arrow such as "-->", "&", ";" or a new line here'
_AFTER_HEADER = 'Mermaid expects a new line after the header, or ";" right after its direction'


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
            and not NEEDS_QUOTES.search(label):
        return f"[{label}]"
    # "#" first, so the entities written here are the only "#" left; a backtick is encoded so a
    # label in backticks is not read as a Markdown string.
    encoded = label.replace("#", "#35;").replace('"', "#quot;").replace("`", "#96;")
    return f'["{encoded}"]'


def _keyword_inside(statement: re.Match[str]) -> str | None:
    """The keyword a keyword statement holds where Mermaid's lexer reads one instead of a
    name or a style (``style end fill:#f9f``, ``class A,end hot``, ``style A fill:_top``),
    which is an error box; None when it holds none."""
    found = statement.groupdict()
    for group in ("ids", "names"):
        for name in (found.get(group) or "").split(","):
            if (reserved := RESERVED.match(name)) is not None:
                return reserved.group().strip()
    if found.get("style") is not None:
        keyword = STYLE_KEYWORD.search(statement.string, *statement.span("style"))
        if keyword is not None:
            return keyword.group("word")
    return None


def _quote(text: str) -> str:
    """``text`` in double quotes for a message, shortened so a message stays one line."""
    text = text if len(text) <= 60 else text[:57] + "..."
    return f'"{text}"'


class _Reader:
    """One pass over one diagram's text, collecting what it means and what is wrong with it."""

    __slots__ = ("source", "text", "start", "index", "kind", "direction", "nodes", "edges",
                 "subgraphs", "open", "problems", "begin", "edge_budget")

    def __init__(self, text: str, start: int, index: LineIndex) -> None:
        self.source = text  # labels are taken from here, as written
        self.text = preprocessed(text)  # the statements are read here
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
        front = FRONT_MATTER.match(text)
        pos = GAP.match(text, front.end() if front else 0).end()
        if pos >= len(text):
            self._problem("mermaid-syntax",
                          'empty diagram; Mermaid expects a header such as "graph TD" and nodes',
                          0, len(text))
        elif (pos := self._header(pos)) is not None:
            self._body(pos)
            for title, begin, end in self.open:
                self._problem("mermaid-syntax", f'subgraph {_quote(title)} is not closed; '
                              'Mermaid expects "end" after its nodes', begin, end)
        return Diagram(self.source, self.kind, self.direction, list(self.nodes.values()),
                       self.edges, self.problems, self._span(0, len(text)), self.subgraphs)

    def _header(self, pos: int) -> int | None:
        """Read the header at ``pos``; where statements start, or None for another diagram type."""
        text = self.text
        header = HEADER.match(text, pos)
        if header is None:
            word = WORD.match(text, pos)
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
        end = header.end()
        if direction and text.startswith(";", end):
            return end + 1
        after = HSPACE.match(text, end).end()
        if after < len(text) and text[after] == ";":  # "graph TD ;" and "graph;"
            self._problem("mermaid-syntax", f'unexpected ";" after {_quote(text[pos:end])}; '
                          f'{_AFTER_HEADER}', after, after + 1)
            return after + 1
        return self._separator(end, _AFTER_HEADER)

    def _body(self, pos: int) -> None:
        """Read the statements from ``pos``: simple lines with one match each, others in turn."""
        text = self.text
        for simple in SIMPLE.finditer(text, pos):
            first = simple.start("a")
            if first > pos:
                # Usually only a new line and indentation lie before it: no statement to read.
                pos = first if text[pos:first].isspace() else self._statements(pos, first)
            # A statement of the general reader may run on into this line (an arrow at the end
            # of the line before).
            if pos != first:
                continue
            self._simple(simple)
            pos = simple.end()
        self._statements(pos, len(self.text))

    def _simple(self, match: re.Match[str]) -> None:
        """Register the two nodes and the edge of a line ``SIMPLE`` matched. The usual line of
        a diagram, so its nodes are registered here rather than through ``_register``."""
        groups = ("a_id", "a_rect", "a_rhombus", "arrow", "label", "b_id", "b_rect", "b_rhombus")
        if self.text is self.source:  # nothing preprocessed: the usual case, and faster
            a_id, a_rect, a_rhombus, arrow, label, b_id, b_rect, b_rhombus = match.group(*groups)
        else:  # labels as written, not as preprocessed
            a_id, a_rect, a_rhombus, arrow, label, b_id, b_rect, b_rhombus = (
                None if match.start(group) < 0 else self.source[slice(*match.span(group))]
                for group in groups)
        a_start, a_end, b_start, b_end = *match.span("a"), *match.span("b")
        nodes, start, index = self.nodes, self.start, self.index
        for node_id, rect, rhombus, begin, end in ((a_id, a_rect, a_rhombus, a_start, a_end),
                                                   (b_id, b_rect, b_rhombus, b_start, b_end)):
            if rect is not None:
                shape, text = "rect", rect.strip()
            elif rhombus is not None:
                shape, text = "rhombus", rhombus.strip()
            elif node_id in nodes:  # a bare id already seen changes nothing
                continue
            else:
                shape = text = None
            node = nodes.get(node_id)
            span = Span(start + begin, start + end, index)
            if node is None:
                nodes[node_id] = DiagramNode(node_id, text, shape or "default", span)
            else:  # a later shape replaces the label, as in Mermaid
                node.label, node.shape, node.span = text, shape, span
        self.edges.append(DiagramEdge(a_id, b_id, label and label.strip() or None, arrow,
                                      Span(start + a_start, start + b_end, index)))

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
        while (pos := GAP.match(text, pos).end()) < limit:
            self.begin = pos
            pos = self._line(pos)
        return pos

    def _line(self, pos: int) -> int:
        """Read the statement at ``pos``; returns where it stops."""
        text = self.text
        other = DIRECTION.match(text, pos) or ACCESSIBILITY.match(text, pos)
        if other is not None:  # "direction LR", "accTitle: …", "accDescr { … }"
            return other.end()
        keyword = KEYWORD.match(text, pos)
        if keyword is None:
            return self._statement(pos)
        if keyword.group(1):
            return self._subgraph(pos, keyword.end())
        if keyword.group(2):
            after = HSPACE.match(text, keyword.end()).end()
            if not self._at_end(after):  # "end" used as a node id, reported by _node
                return self._statement(pos)
            self._close_subgraph(pos, keyword.end())
            return after
        return self._keyword_statement(pos, keyword.group())

    def _keyword_statement(self, begin: int, keyword: str) -> int:
        """``style``, ``classDef``, ``class``, ``click``, ``linkStyle``: not interpreted, but
        checked for the arguments Mermaid needs (``style A`` alone is an error box)."""
        text = self.text
        end = REST.match(text, begin).end()
        pattern, example = KEYWORD_STATEMENTS[keyword]
        match = pattern.match(text, begin)
        stop = self._trim(begin, end)
        if match is None or not self._at_end(HSPACE.match(text, match.end()).end()):
            self._problem("mermaid-syntax", f'{_quote(text[begin:stop])} is not a {keyword} '
                          f'statement Mermaid can read; it expects the form of "{example}"',
                          begin, stop)
        elif (word := _keyword_inside(match)) is not None:
            self._problem("mermaid-syntax", f'{_quote(text[begin:stop])} has the keyword '
                          f'"{word}" where Mermaid reads a name or a style: it stops there',
                          begin, stop)
        elif keyword == "style":  # Mermaid draws the node it styles, written or not
            node = ID.match(text, HSPACE.match(text, begin + len(keyword)).end())
            if node is not None:
                self._register(self.source[node.start():node.end()], None, None, *node.span())
        elif (which := match.groupdict().get("which")) and which != "default" \
                and max(map(int, which.split(","))) >= len(self.edges):
            self._problem("mermaid-syntax", f'{_quote(text[begin:stop])} styles link '
                          f'{max(map(int, which.split(",")))}, but the links before it are '
                          f'numbered 0 to {len(self.edges) - 1}: Mermaid stops there',
                          begin, stop)
        return end

    def _subgraph(self, begin: int, pos: int) -> int:
        """``subgraph id [title]``, ``subgraph "title"`` or ``subgraph title``: note the title."""
        text = self.text
        end = REST.match(text, pos).end()
        start = HSPACE.match(text, pos).end()
        stop = self._trim(begin, end)
        named = SUBGRAPH_ID.fullmatch(text, start, stop) if start < stop else None
        if named is not None:
            if text[named.start(2):named.start(2) + 1] in ("/", "\\"):  # "[/" opens a shape
                self._check_text("[", f"subgraph {named.group(1)}[", "]", begin, stop)
            title = self._label(named.start(2), named.end(2), f"subgraph {named.group(1)}[",
                                "]", begin, stop)
        else:
            raw = self.source[start:stop]
            title, quoted = written_text(raw)
            if not quoted:
                self._check_text(text[start:stop], "subgraph ", "", begin, stop)
        if start >= stop or LAST_END.search(text, start, stop):
            self._problem("mermaid-syntax", f'{_quote(text[begin:stop])} has no id or title '
                          'Mermaid can read; write one, as in "subgraph Training"', begin, stop)
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
            follow = FOLLOW.match(text, node[2])
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
        match = ID.match(text, pos)
        if match is None:
            self._expected_node(pos, after)
            return None
        node_id, end = self.source[pos:match.end()], match.end()
        shape = label = None
        if text[end:end + 1] in SHAPES:
            found = self._shape(node_id, pos, end)
            if found is None:
                return None
            shape, label, end = found
        if text.startswith(":::", end):
            end = CLASS.match(text, end).end()
        if (reserved := RESERVED.match(text, pos)) is not None:
            self._reserved(node_id, reserved.group().strip(), pos, match.end())
        return self._register(node_id, shape, label, pos, end), pos, end

    def _reserved(self, node_id: str, word: str, begin: int, end: int) -> None:
        """Report an id that Mermaid's lexer reads as a keyword (all of it, or its start)."""
        if word == "end":
            self._problem("mermaid-end-node", f'{_quote(node_id)} cannot be a node id (in '
                          f'{_quote(self._line_text())}): Mermaid reads "end" as the keyword '
                          'that closes a subgraph; use another id, such as "End" or "finish"',
                          begin, end)
            return
        other = "n" + node_id if node_id[0] == "_" else node_id[0].upper() + node_id[1:]
        self._problem("mermaid-keyword-id", f'{_quote(node_id)} cannot be a node id (in '
                      f'{_quote(self._line_text())}): Mermaid reads {_quote(word)} at its start '
                      f'as a keyword; use another id, such as {_quote(other)}', begin, end)

    def _shape(self, node_id: str, begin: int, pos: int) -> tuple[str, str, int] | None:
        """The (shape, label, end) of the shape opening at ``pos``; None, reported, if unclosed.

        Mermaid takes the longest opener and nothing else; a shorter one is tried only to say
        more ("A[(4-bit) Load]" is a rectangle with parentheses to quote)."""
        text = self.text
        # Never empty: each first character has a one-character opener.
        shapes = [shape for shape in SHAPES[text[pos]] if text.startswith(shape.opener, pos)]
        for shape in shapes:
            found = self._close(pos + len(shape.opener), shape)
            if found is None:
                continue
            start, stop, end = found
            count = len(self.problems)
            label = self._label(start, stop, node_id + shape.opener, shape.closer, begin, end)
            if shape.opener != shapes[0].opener and len(self.problems) == count:
                self._not_closed(node_id, shapes[0], begin, end)
            return shape.name, label, end
        self._not_closed(node_id, shapes[0], begin, self._trim(begin, self._eol(pos)))
        return None

    def _not_closed(self, node_id: str, shape: Shape, begin: int, end: int) -> None:
        self._problem("mermaid-syntax", f'{_quote(shape.opener)} of node {_quote(node_id)} is '
                      f'not closed; Mermaid expects {_quote(shape.closer)}', begin, end)

    def _close(self, pos: int, shape: Shape) -> tuple[int, int, int] | None:
        """Where the label from ``pos`` ends, and the shape after its closer: Mermaid's text
        runs to the first bracket, "|" or quote, over new lines too. Failing that, the closer
        that balances the opener on the line, for a message about what to quote."""
        text, closer = self.text, shape.closer
        quoted = QUOTED.match(text, pos)
        head = LABEL_TEXT.match(text, quoted.end() if quoted else pos).end()
        if text.startswith(closer, head):
            return pos, head, head + len(closer)
        if len(closer) > 1 and text.startswith(closer[1:], head) \
                and text[head - 1] == closer[0] and head - 1 >= pos:  # "/]", "\\]"
            return pos, head - 1, head + len(closer) - 1
        depth, i = shape.depth, pos
        while (bracket := shape.brackets.search(text, i)) is not None:
            i = bracket.start()
            if text[i] == "\n":
                return None
            depth += 1 if text[i] == shape.open_char else -1
            if depth == 0:
                head = i + 1 - len(closer)
                if head >= pos and text.startswith(closer, head):
                    return pos, head, i + 1
                return None
            i += 1
        return None

    def _label(self, start: int, stop: int, prefix: str, suffix: str, begin: int,
               end: int) -> str:
        """The label between ``start`` and ``stop`` as Mermaid's text rule reads it: one quoted
        string and plain text after it, or plain text; nothing at all is refused."""
        text, source = self.text, self.source
        quoted = QUOTED.match(text, start, stop)
        if quoted is not None and LABEL_TEXT.match(text, quoted.end(), stop).end() == stop:
            raw = quoted_label(source[quoted.start(1):quoted.end(1)]) \
                + decode(source[quoted.end():stop])
        else:
            raw = decode(source[start:stop])
            self._check_text(text[start:stop], prefix, suffix, begin, end)
        if not raw and text[start:stop] in ("", '""'):
            self._problem("mermaid-empty-label", f'{_quote(source[begin:end])} has an empty '
                          'label, which Mermaid rejects; write the text, or leave out the '
                          f'{_quote(prefix[-1:] + suffix[:1])}', begin, end)
        return shown(raw).strip()

    def _link(self, link: re.Match[str]) -> tuple[str, str | None]:
        """The normalised arrow (no spaces, no label: ``-- x -->`` is ``-->``) and its label."""
        if arrow := link.group("arrow"):
            if link.start("pipe") < 0:
                return arrow, None
            start, stop = link.span("pipe")
            label = self._label(start, stop, arrow + "|", "|", link.start("arrow"), stop + 1)
            return arrow, label or None
        opener, close = link.group("open"), link.group("close")
        if opener.endswith(".") and close.startswith("."):
            close = "-" + close
        label = self._edge_text(*link.span("text"))
        return opener[:-2] + close, label or None

    def _edge_text(self, start: int, stop: int) -> str:
        """The text of ``-- text -->``: plain text, or one quoted string; never empty."""
        raw = self.source[start:stop].strip()
        quoted = QUOTED.fullmatch(raw)
        if quoted is not None and quoted.group(1):
            return written_text(raw)[0]
        if not raw or '"' in raw:
            what = "no text" if not raw else "a quote inside its text"
            self._problem("mermaid-syntax", f'the link {_quote(self._line_text())} has {what}; '
                          'Mermaid expects text, or one quoted string, between its dashes',
                          self.begin, self._trim(self.begin, stop))
        return shown(decode(raw)).strip()

    def _check_text(self, raw: str, prefix: str, suffix: str, begin: int, end: int) -> None:
        """Report characters that end unquoted text in Mermaid: it rejects the diagram for them."""
        bad = SPECIAL.search(raw)
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
        pos = HSPACE.match(text, pos).end()
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
