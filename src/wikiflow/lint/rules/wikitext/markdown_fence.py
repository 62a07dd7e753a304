from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

from ...edits import Applicability, Edit, Fix
from ....page.model import Markup, Page, Severity
from ....page.render import render_diagram_block
from ....page.spans import Span
from ..base import Context, Diagnostic, Rule

#: A language name ``<syntaxhighlight lang="…">`` accepts (``python``, ``c++``, ``objective-c``).
_LANGUAGE = re.compile(r"[\w+#.-]+")
DEFAULT_LANGUAGE = "text"
MERMAID = "mermaid"


def fence_pairs(page: Page) -> list[tuple[Markup, Markup | None]]:
    """The page's Markdown fences paired in order: opening, closing (None when unpaired)."""
    fences = [m for m in page.markdown if m.kind == "fence" and m.span is not None]
    return [(fences[n], fences[n + 1] if n + 1 < len(fences) else None)
            for n in range(0, len(fences), 2)]


def outside_fences(page: Page, kind: str) -> Iterator[Span]:
    """Spans of the Markdown constructs of ``kind`` that are not code between fences
    (``x**2 + y**2`` inside a fenced block is no bold)."""
    fenced = None
    for markup in page.markdown:
        if markup.kind != kind or markup.span is None:
            continue
        if fenced is None:
            fenced = in_fences(page)
        if not fenced.covers(markup.span):
            yield markup.span


def in_fences(page: Page) -> "FencedRanges":
    """The stretches of the page between paired fences (code, where Markdown is not prose)."""
    return FencedRanges([(open_.span.start, close.span.end)
                         for open_, close in fence_pairs(page) if close is not None])


class FencedRanges:
    """Sorted, disjoint ``[start, end)`` ranges; ``covers(span)`` in O(log n)."""

    __slots__ = ("starts", "ends")

    def __init__(self, ranges: list[tuple[int, int]]) -> None:
        self.starts = [start for start, _ in ranges]
        self.ends = [end for _, end in ranges]

    def covers(self, span: Span) -> bool:
        n = bisect_right(self.starts, span.start) - 1
        return n >= 0 and span.start < self.ends[n]


def info_language(written: str) -> str:
    """The language named on an opening fence line, or ``text``."""
    info = written.lstrip("`").split()
    if info and _LANGUAGE.fullmatch(info[0]):
        return info[0].lower()
    return DEFAULT_LANGUAGE


class MarkdownFence(Rule):
    """A Markdown code fence instead of ``<syntaxhighlight>``.

    ## Why is this bad?
    MediaWiki does not understand Markdown fences: it shows the backticks and renders the code
    as wikitext, so ``*`` starts list items, ``#`` numbered ones and ``[[…]]`` links, and the
    code loses its line breaks and indentation.

    ## Example
    ````wikitext
    === Step 1: Data Preparation ===
    [[step::Principle:Data_Formatting]]
    Convert the raw JSON/CSV data into the Alpaca prompt template.
    ```python
    dataset = dataset.map(format_alpaca)
    ```
    ````
    Use instead:
    ````wikitext
    === Step 1: Data Preparation ===
    [[step::Principle:Data_Formatting]]
    Convert the raw JSON/CSV data into the Alpaca prompt template.
    <syntaxhighlight lang="python">
    dataset = dataset.map(format_alpaca)
    </syntaxhighlight>
    ````

    ## Fix safety
    Unsafe: fences are paired in the order they appear, which is a guess when one is missing,
    and the text between them stops being wikitext. An unpaired fence gets no fix, nor does a
    ``mermaid`` fence: it is a diagram, written ``{{#mermaid:…}}``, not code to show.
    """

    code, name = "WF603", "markdown-fence"
    severity = Severity.WARNING
    fix = Applicability.UNSAFE

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        for opening, closing in fence_pairs(page):
            written = ctx.source(opening.span).rstrip()
            language = info_language(written)
            tag = f'<syntaxhighlight lang="{language}">'
            expected = f"'{tag}' … '</syntaxhighlight>'"
            if language == MERMAID:  # a diagram: MediaWiki draws it with the Mermaid extension
                expected = f"a '{render_diagram_block('graph TD …')}' diagram"
            if closing is None:
                yield self.report(f"Markdown code fence '{written}' has no closing fence and "
                                  f"MediaWiki shows it as text; expected {expected} around the "
                                  "code", opening.span)
                continue
            closer = ctx.source(closing.span).rstrip()
            fix = None
            # A closing fence with an info string makes the pairing doubtful; a Mermaid diagram
            # in <syntaxhighlight> would show as code, so it gets no fix.
            if not closer.strip("`") and language != MERMAID:
                fix = Fix("Replace the fences with <syntaxhighlight>", (
                    Edit(opening.span.start, opening.span.start + len(written), tag),
                    Edit(closing.span.start, closing.span.start + len(closer),
                         "</syntaxhighlight>")), Applicability.UNSAFE)
            yield self.report(f"Markdown code fence '{written}' … '{closer}' (to line "
                              f"{ctx.line(closing.span.start)}) is shown as text by MediaWiki; "
                              f"expected {expected}", opening.span, fix)
