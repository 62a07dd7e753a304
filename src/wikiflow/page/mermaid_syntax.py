"""Mermaid 10.9.3's flowchart syntax as tables and patterns, for ``page.mermaid``'s reader.

What a diagram's text means to Mermaid, restated from its grammar (``flow.jison``) and its
preprocessing, one fact per name: which openers make which shape, what an id, a label, an
arrow and a keyword statement may hold, which words are keywords, how entity codes decode.
The reader in ``page.mermaid`` walks a diagram with these; keeping them apart keeps each
module readable and lets the rules be read in one place.
"""

from __future__ import annotations

import re
from html.entities import html5
from typing import NamedTuple

#: What Mermaid takes after ``graph``: the names, "BR", and arrows (``>`` is left to right).
DIRECTIONS = frozenset({"TD", "TB", "BT", "RL", "LR", "BR", ">", "<", "^", "v"})

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


class Shape(NamedTuple):
    opener: str
    closer: str
    name: str
    depth: int
    open_char: str
    brackets: re.Pattern[str]


def _shape_table() -> dict[str, tuple[Shape, ...]]:
    """Shapes by the opener's first character, longest opener first: "[(" is tried before "[",
    and a longer opener that does not close falls back to a shorter one ("A[(4-bit) Load]" is a
    rectangle whose label starts with a parenthesis, which is then reported)."""
    table: dict[str, list[Shape]] = {}
    for opener, closer, name in _SHAPE_NAMES:
        open_char, brackets = _BRACKETS[closer[-1]]
        shape = Shape(opener, closer, name, max(opener.count(open_char), 1), open_char, brackets)
        table.setdefault(opener[0], []).append(shape)
    return {char: tuple(shapes) for char, shapes in table.items()}


SHAPES = _shape_table()

HSPACE = re.compile(r"[^\S\n]*")
# Between statements: white space, ";" and "%%" comments, which Mermaid drops only when they
# start a line (every statement stops before its new line, so a comment's line start is seen).
GAP = re.compile(r"(?:(?:\A|\n)[^\S\n]*%%[^\n]*|[\s;])*")
FRONT_MATTER = re.compile(r"\s*---[^\S\n]*\n.*?\n[^\S\n]*---[^\S\n]*(?=\n|\Z)", re.S)
HEADER = re.compile(r"(flowchart-elk|flowchart|graph)[^\S\n]*([^\s;]*)")
# Mermaid's lexer tries its keywords before an id at every token start, each up to a word
# boundary, so an id that starts with one and a "-" is a keyword and a stray word ("end-node");
# "href", "click" and "call" need white space after them.
_KEYWORDS = ("linkStyle|interpolate|classDef|class|flowchart-elk|flowchart|graph|subgraph"
             "|_self|_blank|_parent|_top|end")
RESERVED = re.compile(rf"(?:style|{_KEYWORDS})(?![A-Za-z0-9_])|(?:href|click|call)\s")
# Keyword statements as Mermaid's grammar has them (argument lists checked loosely: the
# characters Mermaid reads as style text); anything else after the keyword is an error box.
# Style text is ASCII (a letter of another script is an error box there, not in a node id).
_STYLE_TEXT = r"(?P<style>(?:[^\S\n]|[A-Za-z0-9_!#$%&'*+.`?\\/:,=]|-(?![->.]))+)"
_ARGUMENT = r"(?:[\w!#$%&'*+.`?\\/:,]|-(?![->.]))+"
KEYWORD_STATEMENTS = {
    "style": (re.compile(rf"style[^\S\n]+(?P<ids>{_ARGUMENT})[^\S\n]+{_STYLE_TEXT}"),
              "style A fill:#f9f"),
    "classDef": (re.compile(rf"classDef[^\S\n]+(?P<ids>{_ARGUMENT})[^\S\n]+{_STYLE_TEXT}"),
                 "classDef hot fill:#f96"),
    "class": (re.compile(rf"class[^\S\n]+(?P<ids>{_ARGUMENT})[^\S\n]+(?P<names>{_ARGUMENT})"),
              "class A hot"),
    # a link ("…", or href "…"), a callback (name, or call name(args)), then a tooltip, a target
    "click": (re.compile(r'click\s+\S+[^\S\n]+(?:href[^\S\n]+)?'
                         r'(?:"[^"\n]*"|call[^\S\n]+[^(\n]*\([^)\n]*\)|[\w.$]+)'
                         r'(?:[^\S\n]+(?:"[^"\n]*"|_self|_blank|_parent|_top))*'),
              'click A "https://example.org"'),
    "linkStyle": (re.compile(rf"linkStyle[^\S\n]+(?P<which>default|[0-9]+(?:,[0-9]+)*)"
                             rf"[^\S\n]+{_STYLE_TEXT}"), "linkStyle 0 stroke:#f00"),
}
# A keyword where a keyword statement's style text starts a token: at its start or after a
# blank, ":", "," or "=", past a number or a "#" (each a token of its own); "style" itself is
# style text there, "default" is not (mermaid 10.9.3, probed through the differential test's
# oracle: "fill:end", "x:1_blank", "x:#end" are error boxes, "x:a.end", "x:style" are not).
STYLE_KEYWORD = re.compile(rf"(?<![^\s:,=])[0-9]*#?(?P<word>(?:{_KEYWORDS}|default)"
                           r"(?![A-Za-z0-9_])|(?:href|click|call)(?=\s|$))")
DIRECTION = re.compile(r"direction\s+(?:TB|BT|RL|LR)[^\n]*")
ACCESSIBILITY = re.compile(r"acc(?:Title|Descr)\s*:[^\n]*|accDescr\s*\{[^}]*\}")
# What Mermaid's preprocessing changes before it reads (each change keeps the length, so
# spans stay offsets into the text as written): a CR line end, a BOM (white space to
# JavaScript), and double quotes around attribute values inside an HTML tag.
_TAG = re.compile(r"<\w+[^>]*>")
_ATTRIBUTE = re.compile(r'="([^"]*)"')
WORD = re.compile(r"[A-Za-z][\w-]*")
KEYWORD = re.compile(r"(?:(subgraph)|(end)|style|classDef|class|linkStyle)(?![\w-])|click(?=\s)")
REST = re.compile(r"[^;\n]*")
SUBGRAPH_ID = re.compile(r"([^\[\n;]+?)[^\S\n]*\[(.*)\]")
LAST_END = re.compile(r"(?<![A-Za-z0-9_])end$")
# A node id: Mermaid's id characters (its NODE_STRING, numbers, ":", ",", letters of other
# scripts); "-" only where it does not start an arrow; never ":::" (a class).
ID = re.compile(r"""(?:(?!:::)[\w!#$%&'*+.`?\\/:,]|-(?![->.]))"""
                 r"""(?:(?!:::)[\w!"#$%&'*+.`?\\/:,]|-(?![->.]))*""")
CLASS = re.compile(r":::[\w-]*")
# A label: one quoted string (a Markdown one in backticks too) and then plain text, or
# plain text alone; nothing at all is an empty label, which Mermaid refuses.
QUOTED = re.compile(r'"(`[^`"]+`|[^"]*)"')
LABEL_TEXT = re.compile(r'[^\[\](){}|"]*')
# What may follow a node: "&" and another node; an arrow, with an optional "|label|", or the
# "-- label -->" form whose closing arrow is of the opening family (conditional groups pick it);
# or the end of the statement. An arrow may have new lines around it, as in Mermaid.
FOLLOW = re.compile(
    r"[^\S\n]+(?P<amp>&)[^\S\n]+|\s*(?:"
    r"(?P<arrow>[xo<]?(?:-{2,}[-xo>]|={2,}[=xo>]|-?\.+-[xo>]?|~{3,}))"
    r"(?:\s*\|(?P<pipe>\"[^\"]*\"[^|\"]*|[^|]*)\|[^\S\n]?|\s*)"
    r"|(?P<open>[xo<]?(?:(?P<solid>--)|(?P<thick>==)|-\.))"
    r"(?P<text>(?(solid)(?:(?![xo<]?-{2,}[-xo>])(?:[^-]|-(?!-)))*"
    r"|(?(thick)(?:(?![xo<]?={2,}[=xo>])(?:[^=]|=(?!=)))*"
    r"|(?:(?![xo<]?-?\.+-[xo>]?)(?:[^.]|\.(?!-)))*)))"
    r"(?P<close>(?(solid)[xo<]?-{2,}[-xo>]|(?(thick)[xo<]?={2,}[=xo>]|[xo<]?-?\.+-[xo>]?)))\s*"
    r")|[^\S\n]*(?P<stop>;|\n|\Z)"
)
_PLAIN = r'[^\[\](){}|"#\n]+'  # label text with nothing to check or decode


def _simple_node(side: str) -> str:
    """A plain id with an optional rectangle or rhombus of plain text, its groups named by side;
    never an id that starts with a keyword, which needs the general reader."""
    return (rf"(?P<{side}>(?P<{side}_id>(?!{RESERVED.pattern})\w+)"
            rf"(?:\[(?![/\\])(?P<{side}_rect>{_PLAIN})\]"
            rf"|\{{(?P<{side}_rhombus>{_PLAIN})\}})?)")


# One whole line "A[x] --> B{y}" (shapes and "|label|" optional) with nothing to report.
SIMPLE = re.compile(
    rf"^[^\S\n]*{_simple_node('a')}[^\S\n]*(?P<arrow>-->|==>|-\.->|---(?![-xo>]))"
    rf"(?:[^\S\n]*|\|(?P<label>{_PLAIN})\|[^\S\n]?){_simple_node('b')}[^\S\n]*"
    # not when the next line goes on with an arrow: that continues this statement
    rf"(?:;[^\S\n]*$|$(?!\s*[xo<]?(?:--|==|-\.|~~)))", re.M)
SPECIAL = re.compile(r'[()\[\]{}|"]')
_ENTITY = re.compile(r"#([0-9]+|[A-Za-z][A-Za-z0-9]*);")
NEEDS_QUOTES = re.compile(r'[()\[\]{}<>|"#;]')

def _entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if name.isdigit():
        code = int(name)
        return chr(code) if code < 0x110000 else match.group()
    return html5.get(name + ";", match.group())


def decode(text: str) -> str:
    """Mermaid's entity codes (``#quot;``, ``#35;``) as the characters they stand for."""
    return _ENTITY.sub(_entity, text) if "#" in text else text


def quoted_label(inner: str) -> str:
    """The text of a quoted label; a Markdown string ``"`…`"`` drops its backticks."""
    if len(inner) >= 2 and inner[0] == "`" == inner[-1]:
        inner = inner[1:-1]
    return decode(inner)


def written_text(raw: str) -> tuple[str, bool]:
    """An edge label or subgraph title as shown, and whether it was quoted."""
    text = raw.strip()
    if len(text) >= 2 and text[0] == '"' == text[-1]:
        return quoted_label(text[1:-1]).strip(), True
    return decode(text).strip(), False


def preprocessed(text: str) -> str:
    """``text`` as Mermaid reads it after its preprocessing, at the same offsets: a CR line end
    is a new line (CRLF a space and a new line), a BOM a space, and the double quotes of an
    attribute inside an HTML tag single quotes (``<span style="x">`` may stand in a label)."""
    if "\r" in text:
        text = text.replace("\r\n", " \n").replace("\r", "\n")
    if "\ufeff" in text:
        text = text.replace("\ufeff", " ")
    if '="' in text and "<" in text:
        text = _TAG.sub(lambda tag: _ATTRIBUTE.sub(r"='\1'", tag.group()), text)
    return text


def shown(raw: str) -> str:
    """Label text as written, with line ends as Mermaid passes them on."""
    return raw.replace("\r\n", "\n").replace("\r", "\n") if "\r" in raw else raw
