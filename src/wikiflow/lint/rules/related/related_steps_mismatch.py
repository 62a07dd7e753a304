from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from functools import partial

from ...edits import Applicability, Fix
from ....page.model import Page, RelatedStep
from ....page.render import related_steps_of
from ..base import Context, Diagnostic, Rule, target_key
from .related_pages_missing import related_pages_fix

#: Quoted lines longer than this are cut in messages.
_QUOTE = 120


def expected_related(page: Page) -> list[tuple[str, int | None]]:
    """(principle key, step number) pairs the steps imply, in step order; a step written
    without a number has the one step-number-missing gives it, its place."""
    return [(target_key(s.target), n if s.number is None else s.number)
            for n, s in enumerate(page.steps, start=1) if s.target]


def rebuild_related_pages(page: Page, ctx: Context, title: str) -> Fix | None:
    """A fix that rewrites Related Pages with the step list derived from the steps.

    Heuristics and anything else in the section are written back by the renderer; the note
    written after an item (``- Step 2 (needs a GPU)``) stays with its principle. An item for
    no step is dropped, which makes the fix unsafe (``related_pages_fix`` checks the words).
    """
    notes: dict[str, str] = {}
    for item in page.related_steps:
        notes.setdefault(target_key(item.target), item.note)
    derived = [replace(item, note=notes.get(target_key(item.target), ""))
               for item in related_steps_of(replace(page, related_steps=[]))]
    return related_pages_fix(replace(page, related_steps=derived), ctx, title)


class RelatedStepsMismatch(Rule):
    """The Related Pages step list differs from the Execution Steps.

    ## Why is this bad?
    The guide duplicates each step link under Related Pages as
    ``* [[step::Principle:X]] - Step N`` for easy parsing and navigation. When the list names
    other principles, other numbers or another order than the steps, the graph gets two
    conflicting recipes.

    ## Example
    ```wikitext
    == Related Pages ==
    === Execution Steps ===
    * [[step::Principle:Quantization]] - Step 1
    * [[step::Principle:Data_Formatting]]

    === Tips and Tricks ===
    * [[uses_heuristic::Heuristic:Gradient_Checkpointing_Optimization]]
    ```
    Use instead:
    ```wikitext
    == Related Pages ==
    === Execution Steps ===
    * [[step::Principle:Data_Formatting]] - Step 1
    * [[step::Principle:Quantization]] - Step 2
    * [[step::Principle:Low_Rank_Adaptation]] - Step 3

    === Tips and Tricks ===
    * [[uses_heuristic::Heuristic:Gradient_Checkpointing_Optimization]]
    ```

    ## Fix safety
    Safe: the list is rebuilt from the step links the page already has, a note written after
    an item stays with it, and everything else in Related Pages is written back unchanged.
    Unsafe when the rebuilt list would drop a word or an annotation written there (an item
    naming no step, a target the steps spell otherwise), move a line past another, or the
    section holds an HTML comment.
    """

    code, name = "WF502", "related-steps-mismatch"
    fix = Applicability.SAFE

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        if "related_pages" not in page.spans or not page.steps:
            return
        expected = expected_related(page)
        written = [(target_key(item.target), item.step) for item in page.related_steps]
        if written == expected:
            return
        position = next((n for n, (have, want) in enumerate(zip(written, expected))
                         if have != want), min(len(written), len(expected)))
        span = page.related_steps[position].span if position < len(written) else None
        fix = partial(rebuild_related_pages, page, ctx,
                      "Rebuild the Related Pages step list from the steps")
        yield self.report(_message(page, ctx, position, len(written)),
                          span or page.spans.get("related_steps") or page.spans["related_pages"],
                          fix)


def _message(page: Page, ctx: Context, position: int, written: int) -> str:
    steps = [step for step in page.steps if step.target]
    if position >= len(steps):
        item = page.related_steps[position]
        return (f"Related Pages lists {_quoted(ctx, item)} but the page has only {len(steps)} "
                "linked step(s); expected one line per step")
    step = steps[position]
    want = f"'* [[step::{step.target}]] - Step {step.number}'"
    if position >= written:
        return f"Related Pages lists {written} step(s) of {len(steps)}; missing {want}"
    item = page.related_steps[position]
    return (f"Related Pages item {position + 1} is {_quoted(ctx, item)}; expected {want} "
            "(same steps, same order)")


def _quoted(ctx: Context, item: RelatedStep) -> str:
    """The item's line as written (a very long one cut, saying so)."""
    line = ctx.source(item.span).strip() if item.span is not None else f"[[step::{item.target}]]"
    return f"'{line}'" if len(line) <= _QUOTE else f"'{line[:_QUOTE - 1]}…'"
