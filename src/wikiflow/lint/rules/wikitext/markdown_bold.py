from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from ...edits import Applicability, Fix
from ....page.model import Page, Severity
from ..base import Context, Diagnostic, Rule
from .markdown_fence import outside_fences


class MarkdownBold(Rule):
    """Markdown bold (``**text**``) instead of wikitext bold (``'''text'''``).

    ## Why is this bad?
    MediaWiki does not understand ``**``: it shows the asterisks, and at the start of a line
    ``**`` makes a nested list item instead of bold text.

    ## Example
    ```wikitext
    === Usage ===
    Execute this workflow when you have a **domain-specific dataset** and limited GPU memory.
    ```
    Use instead:
    ```wikitext
    === Usage ===
    Execute this workflow when you have a '''domain-specific dataset''' and limited GPU memory.
    ```

    ## Fix safety
    Safe: only the markers change, ``**text**`` becomes ``'''text'''``. Bold text that starts or
    ends with an apostrophe gets no fix (the quotes would run together).
    """

    code, name = "WF602", "markdown-bold"
    severity = Severity.WARNING
    fix = Applicability.SAFE

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        for span in outside_fences(page, "bold"):
            written = ctx.source(span)
            text = written[2:-2]
            wanted = f"'''{text}'''"
            fix = None
            if not text.startswith("'") and not text.endswith("'"):
                # Built when asked for: the corpus's most frequent finding, and a plain
                # lint shows no fix.
                fix = partial(Fix.replace, "Write the bold text as '''text'''",
                              span.start, span.end, wanted)
            yield self.report(f"Markdown bold '{written}' is shown with its asterisks in "
                              f"MediaWiki; expected \"{wanted}\"", span, fix)
