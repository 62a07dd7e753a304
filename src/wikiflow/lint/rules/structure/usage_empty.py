from __future__ import annotations

from collections.abc import Iterator

from ....page.model import Page
from ..base import Context, Diagnostic, Rule
from .description_empty import empty_block


class UsageEmpty(Rule):
    """The Usage section is empty.

    ## Why is this bad?
    Usage is "the When": the business trigger, the input a reader has and the output they
    need. It answers "is this the right recipe for my task?"; without it the page cannot be
    matched to a need.

    ## Example
    ```wikitext
    === Usage ===
    ```
    Use instead:
    ```wikitext
    === Usage ===
    Execute this workflow when you have an instruction dataset and need to adapt a base
    Llama-2 model on limited GPU memory (e.g., <24GB VRAM).
    ```

    ## Fix safety
    No fix: only the writer knows when the recipe applies.
    """

    code, name = "WF112", "usage-empty"

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        yield from empty_block(self, page, ctx, "usage",
                           "when to run the recipe: the input state and the desired output")
