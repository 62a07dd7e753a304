"""Source positions: offsets for edits, line:column for people.

A span is a half-open range of character offsets into the (normalised) page text. Its line and
column are computed from the page's :class:`LineIndex` only when someone asks (a diagnostic is
shown, JSON is written): parsing creates dozens of spans per page and most are never shown.
"""

from __future__ import annotations

from bisect import bisect_right


class LineIndex:
    """Maps offsets of one text to 1-based (line, column) positions in O(log lines).

    The line starts are found on the first question: a parse makes an index for every page, and
    most pages are never asked (``bench/bench_parse.py``).
    """

    __slots__ = ("_text", "_starts", "_length")

    def __init__(self, text: str) -> None:
        self._text: str | None = text
        self._starts: list[int] = []
        self._length = len(text)

    def _line_starts(self) -> list[int]:
        text = self._text
        if text is not None:
            starts = self._starts = [0]
            pos = text.find("\n")
            while pos != -1:
                starts.append(pos + 1)
                pos = text.find("\n", pos + 1)
            self._text = None  # not kept alive by the spans that share this index
        return self._starts

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) of ``offset``; offsets past the end clamp to the end."""
        starts = self._starts if self._text is None else self._line_starts()
        if not 0 <= offset <= self._length:  # rare: a test before two calls (graph, per edge)
            offset = max(0, min(offset, self._length))
        line = bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1

    def line(self, offset: int) -> int:
        """The 1-based line of ``offset``, as ``position`` gives it, in fewer steps: the graph
        asks it of every annotation of a wiki. Past the end, ``bisect_right`` already gives the
        last line; before the start it gives 0."""
        starts = self._starts if self._text is None else self._line_starts()
        return bisect_right(starts, offset) or 1

    def span(self, start: int, end: int) -> Span:
        return Span(start, end, self)


class Span:
    """``[start, end)`` of a page's text; line and column (1-based) are derived on demand."""

    __slots__ = ("start", "end", "index")

    def __init__(self, start: int, end: int, index: LineIndex) -> None:
        self.start = start
        self.end = end
        self.index = index

    @property
    def line(self) -> int:
        return self.index.line(self.start)

    @property
    def column(self) -> int:
        return self.index.position(self.start)[1]

    @property
    def position(self) -> tuple[int, int]:
        """(line, column) of the start in one lookup, for callers that store both."""
        return self.index.position(self.start)

    @property
    def end_line(self) -> int:
        return self.index.line(self.end)

    @property
    def end_column(self) -> int:
        return self.index.position(self.end)[1]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Span):
            return NotImplemented
        return (self.start, self.end) == (other.start, other.end)

    def __hash__(self) -> int:
        return hash((self.start, self.end))

    def __repr__(self) -> str:
        return f"Span({self.start}, {self.end}, {self.line}:{self.column}-" \
               f"{self.end_line}:{self.end_column})"

    def to_dict(self) -> dict[str, int]:
        line, column = self.index.position(self.start)
        end_line, end_column = self.index.position(self.end)
        return {"start": self.start, "end": self.end, "line": line, "column": column,
                "end_line": end_line, "end_column": end_column}
