"""Lines of a rendered part, and MediaWiki tables (``{| |- | || ! !! |+ |}``) gathered from them.

The scanner marks each table line; this module splits a cell line into its cells (``||``, and
``!!`` on a header line), a cell into attributes and content at its first single ``|``, and
keeps every line up to the next cell marker in the cell, as MediaWiki's ``doTableStuff`` does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .html import attributes
from .inline import MARK


@dataclass(slots=True)
class Line:
    """One line of the part: ``kind`` is text, heading (``level``), or a table line (table,
    row, caption, cell, header, end; ``attrs`` as written); ``marks`` its list markers; its
    text, built from ``parts``, holds the HTML made so far as markers.

    The parts are joined once the line is complete (``text``): a line grown by concatenation
    was quadratic in a long line of links. ``blank`` says whether anything but blanks has been
    added, without reading the parts again (nothing has when ``parts`` is empty).
    """

    kind: str = "text"
    parts: list[str] = field(default_factory=list)
    marks: str = ""
    level: int = 0
    attrs: str = ""
    blank: bool = True

    @staticmethod
    def of(text: str) -> Line:
        """A text line holding ``text``: ``Line()`` then ``add(text, blank=...)``, in one."""
        return Line(parts=[text], blank=not text.strip(" \t")) if text else Line()

    def add(self, part: str, *, blank: bool = False) -> None:
        if part:
            self.parts.append(part)
            self.blank = self.blank and blank

    @property
    def text(self) -> str:
        if len(self.parts) > 1:
            self.parts[:] = ["".join(self.parts)]
        return self.parts[0] if self.parts else ""


@dataclass
class Cell:
    tag: str
    attrs: str
    first: str
    rest: list[Item] = field(default_factory=list)


@dataclass
class Row:
    attrs: str
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Table:
    """A table; ``before`` holds lines written inside it before any cell, which browsers (and
    so MediaWiki's output) show before the table."""

    attrs: str
    caption: str | None = None
    rows: list[Row] = field(default_factory=list)
    before: list[Item] = field(default_factory=list)

    def holder(self) -> list[Item]:
        """Where a line inside the table goes: its last cell, or before the table."""
        if self.rows and self.rows[-1].cells:
            return self.rows[-1].cells[-1].rest
        return self.before


_HEADER_SPLIT = re.compile(r"\|\||!!")

Inline = Callable[[list[str]], str]
#: What a part is made of: lines, a whole line of plain text as a string (most lines: no
#: ``Line`` is made for them), and tables.
Item = Line | str | Table
Nested = Callable[[list[Item]], str]


#: Tables nested deeper than this are read as text: each level is a level of recursion when
#: rendered, and a page of ten thousand ``{|`` lines must not crash it.
MAX_DEPTH = 40


def group_tables(lines: list[Line | str]) -> list[Item]:
    """The lines with each table's lines gathered into a ``Table`` (nested ones too); a table
    line outside any table (a part cut from inside one) is read as text, and so are the opening
    and closing lines of a table nested deeper than ``MAX_DEPTH``."""
    out: list[Item] = []
    open_tables: list[Table] = []
    too_deep = 0  # tables opened past MAX_DEPTH and not yet closed
    for line in lines:
        holder = open_tables[-1].holder() if open_tables else out
        if isinstance(line, str):
            holder.append(line)
        elif line.kind == "table" and len(open_tables) >= MAX_DEPTH:
            too_deep += 1
            holder.append("{|" + line.attrs)
        elif line.kind == "end" and too_deep:
            too_deep -= 1
            holder.append("|}")
        elif line.kind == "table":
            table = Table(line.attrs)
            holder.append(table)
            open_tables.append(table)
        elif not open_tables or line.kind in ("text", "heading"):
            holder.append(line if line.kind in ("text", "heading") else line.text)
        elif line.kind == "row":
            open_tables[-1].rows.append(Row(line.attrs))
        elif line.kind == "caption":
            open_tables[-1].caption = line.text
        elif line.kind in ("cell", "header"):
            table = open_tables[-1]
            if not table.rows:
                table.rows.append(Row(""))
            table.rows[-1].cells.extend(_cells(line))
        else:  # end
            open_tables.pop()
    return out


def _cells(line: Line) -> list[Cell]:
    """The cells of one ``|`` or ``!`` line, each with its attributes split off at the first
    single ``|`` unless a link or other markup comes before it (as MediaWiki checks for ``[[``)."""
    header = line.kind == "header"
    parts = _HEADER_SPLIT.split(line.text) if header else line.text.split("||")
    cells = []
    for part in parts:
        attrs, bar, content = part.partition("|")
        if not bar or MARK in attrs:
            attrs, content = "", part
        cells.append(Cell("th" if header else "td", attrs, content))
    return cells


def table_html(table: Table, inline: Inline, nested: Nested) -> str:
    """The table as MediaWiki writes it; a table without a cell gets an empty one, as there."""
    rows = [row for row in table.rows if row.cells] or [Row("", [Cell("td", "", "")])]
    out = [f"<table{attributes('table', table.attrs)}>\n"]
    if table.caption is not None:
        out.append(f"<caption>{inline([table.caption])}</caption>\n")
    out.append("<tbody>")
    for row in rows:
        out.append(f"<tr{attributes('tr', row.attrs)}>\n")
        for cell in row.cells:
            out.append(f"<{cell.tag}{attributes(cell.tag, cell.attrs)}>{inline([cell.first])}"
                       f"{nested(cell.rest) if cell.rest else ''}</{cell.tag}>\n")
        out.append("</tr>\n")
    out.append("</tbody></table>\n")
    return "".join(out)
