from __future__ import annotations

from collections.abc import Iterator

from ....page.model import Page
from ..base import Context, Diagnostic, Rule
from .overview_sentences import block_body, heading_line


def empty_block(rule: Rule, page: Page, ctx: Context, key: str,
                wanted: str) -> Iterator[Diagnostic]:
    """Report block ``key`` when it exists and holds no words (HTML comments do not count)."""
    text = getattr(page, key)
    if key not in page.spans or (text and "<!--" not in text):
        return
    body = block_body(page, ctx, key)
    if body is not None and any(char.isalnum() for char in body[1]):
        return
    where = heading_line(ctx, page.spans[key])
    yield rule.report(f"'{ctx.source(where).strip()}' is empty; the guide expects {wanted}",
                      where)


class DescriptionEmpty(Rule):
    """The Description section is empty.

    ## Why is this bad?
    Description is "the What" of the recipe: its goal (what it produces), its scope (from
    what to what) and its strategy (the approach). Without it a reader has only the
    one-sentence Overview to decide what the steps add up to.

    ## Example
    ```wikitext
    === Description ===
    ```
    Use instead:
    ```wikitext
    === Description ===
    This workflow fine-tunes Llama-2 on consumer hardware. It uses Quantization and
    Low-Rank Adapters (LoRA) to reduce memory, and covers data formatting, model
    quantization and adapter training.
    ```

    ## Fix safety
    No fix: only the writer can describe the process.
    """

    code, name = "WF111", "description-empty"

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        yield from empty_block(self, page, ctx, "description",
                           "a paragraph on the process: its goal, scope and strategy")
