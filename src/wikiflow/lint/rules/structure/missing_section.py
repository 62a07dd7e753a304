from __future__ import annotations

from collections.abc import Iterator

from ....page.model import BLOCKS, Page
from ....page.render import SECTION_TITLES, heading
from ..base import Context, Diagnostic, Rule

#: The sections this rule requires, with what the guide wants in each (diagram and related
#: pages have their own rules: WF401, WF501, WF503, WF504).
REQUIRED = {
    "overview": (2, "the goal in one sentence"),
    "description": (3, "the process: goal, scope and strategy"),
    "usage": (3, "when to run this recipe: input state and desired output"),
    "execution_steps": (2, "the ordered '=== Step N: Name ===' steps"),
}


class MissingSection(Rule):
    """A mandatory section (Overview, Description, Usage, Execution Steps) is absent.

    ## Why is this bad?
    Every section of the guide is mandatory: the Overview is the search snippet, Description
    and Usage tell a reader what the recipe does and when to use it, and Execution Steps is
    the recipe itself. A page without one of them cannot be read or indexed as a workflow.

    ## Example
    ```wikitext
    == Overview ==
    End-to-end process for parameter-efficient fine-tuning (PEFT) of Llama-2 models.

    === Description ===
    Fine-tunes a quantized base model with LoRA adapters on a single GPU.
    ```
    Use instead:
    ```wikitext
    == Overview ==
    End-to-end process for parameter-efficient fine-tuning (PEFT) of Llama-2 models.

    === Description ===
    Fine-tunes a quantized base model with LoRA adapters on a single GPU.

    === Usage ===
    Execute this workflow when you have an instruction dataset and limited GPU memory.
    ```

    ## Fix safety
    No fix: only the writer knows what the section should say.
    """

    code, name = "WF101", "missing-section"

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        for key, (level, content) in REQUIRED.items():
            if key in page.spans:
                continue
            expected = heading(level, SECTION_TITLES[key])
            yield self.report(f"the page has no '{expected}' section; the guide requires one "
                              f"with {content}", _where(page, ctx, key))


def _where(page: Page, ctx: Context, key: str):
    """Where the section belongs: before the next guide block the page has, else after the
    previous one, else the top of the page."""
    rank = BLOCKS.index(key)
    for later in BLOCKS[rank + 1:]:
        if later in page.spans:
            return ctx.at(page.spans[later].start)
    for earlier in reversed(("metadata", *BLOCKS[1:rank])):
        if earlier in page.spans:
            return ctx.at(page.spans[earlier].end)
    return ctx.top
