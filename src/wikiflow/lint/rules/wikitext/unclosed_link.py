from __future__ import annotations

from collections.abc import Iterator

from ....page.model import Page
from ..base import Context, Diagnostic, Rule, problems

#: How much of the line after an unclosed opener a message quotes.
QUOTE = 50


def quote_from(ctx: Context, start: int) -> str:
    """The line from ``start`` as written, shortened for a message.

    Only the quoted characters are read: a long line of unclosed openers is quoted for each.
    """
    line = ctx.text[start:start + QUOTE + 1].partition("\n")[0].rstrip()
    return line if len(line) <= QUOTE else line[:QUOTE - 1] + "…"


class UnclosedLink(Rule):
    """A ``[[`` link or annotation is not closed by ``]]`` on the same line.

    ## Why is this bad?
    MediaWiki shows an unclosed link as plain text with its brackets: the page loses the link,
    and an unclosed annotation (``[[step::…``) loses its graph edge too.

    ## Example
    ```wikitext
    === Step 2: Model Quantization ===
    [[step::Principle:Quantization]
    Load the base model in 4-bit precision (NF4) to fit in memory.
    ```
    Use instead:
    ```wikitext
    === Step 2: Model Quantization ===
    [[step::Principle:Quantization]]
    Load the base model in 4-bit precision (NF4) to fit in memory.
    ```

    ## Fix safety
    No fix: where the link was meant to end is for the writer to say.
    """

    code, name = "WF605", "unclosed-link"

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        for problem in problems(page, "unclosed-link"):
            yield self.report(f"link '{quote_from(ctx, problem.span.start)}' is never closed by "
                              "']]' on its line; expected '[[target]]' (or "
                              "'[[property::value]]') on one line", problem.span)
