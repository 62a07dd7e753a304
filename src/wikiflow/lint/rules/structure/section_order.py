from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator

from ....page.model import BLOCKS, Heading, Page, Severity
from ....page.render import SECTION_TITLES
from ..base import Context, Diagnostic, Rule

#: A block's place in the guide; a step ranks with its Execution Steps section.
_RANK = {key: n for n, key in enumerate(BLOCKS)} | {"step": BLOCKS.index("execution_steps")}


class SectionOrder(Rule):
    """The guide's sections are not in the guide's order.

    ## Why is this bad?
    The guide fixes the order of a Workflow page — Overview, Description, Usage, Execution
    Steps, Execution Diagram, Related Pages — so that every recipe reads the same way and the
    card (Overview, Description, Usage) comes before the recipe.

    ## Example
    ```wikitext
    == Overview ==
    End-to-end process for parameter-efficient fine-tuning (PEFT) of Llama-2 models.

    === Usage ===
    Execute this workflow when you have an instruction dataset and limited GPU memory.

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
    No fix: moving sections moves whatever the writer put between them; a person decides.
    """

    code, name, severity = "WF102", "section-order", Severity.WARNING

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        guide = [h for h in page.headings if h.key is not None]
        ranks = [_RANK[h.key] for h in guide]
        if all(a <= b for a, b in zip(ranks, ranks[1:])):
            return
        in_order = _longest_ordered(ranks)
        anchors = [guide[n] for n in sorted(in_order) if guide[n].key != "step"]
        for n, item in enumerate(guide):
            if n in in_order or item.key == "step":
                continue
            yield self.report(f"section '{_title(item)}' is out of the guide's order; "
                              f"{_expected(item, anchors)}", item.span or ctx.top)


def _longest_ordered(ranks: list[int]) -> set[int]:
    """Indexes of a longest non-decreasing run of ``ranks`` (the sections taken as in place;
    the others are reported). O(n log n) patience sorting."""
    tails: list[int] = []  # rank ending the best run of each length
    tail_at: list[int] = []  # index of that rank
    before: list[int] = [-1] * len(ranks)
    for n, rank in enumerate(ranks):
        length = bisect_right(tails, rank)
        before[n] = tail_at[length - 1] if length else -1
        if length == len(tails):
            tails.append(rank)
            tail_at.append(n)
        else:
            tails[length], tail_at[length] = rank, n
    kept: set[int] = set()
    n = tail_at[-1] if tail_at else -1
    while n >= 0:
        kept.add(n)
        n = before[n]
    return kept


def _title(item: Heading) -> str:
    return f"Related Pages/{item.title}" if item.key == "related_steps" else item.title


def _expected(item: Heading, anchors: list[Heading]) -> str:
    """Where the section goes among the sections that are in order."""
    rank = _RANK[item.key]
    after = [h for h in anchors if _RANK[h.key] < rank]
    later = [h for h in anchors if _RANK[h.key] > rank]
    parts = []
    if after:
        parts.append(f"after '{_title(after[-1])}'")
    if later:
        parts.append(f"before '{_title(later[0])}'")
    order = ", ".join(SECTION_TITLES[key] for key in BLOCKS[1:7])
    return ("expected " + " and ".join(parts) + f" (the guide's order: {order})" if parts
            else f"the guide's order is {order}")
