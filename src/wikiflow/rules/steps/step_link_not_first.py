from __future__ import annotations

from collections.abc import Iterator

from ...edits import Applicability, Edit, Fix
from ...model import Annotation, Page, Step
from ..base import Context, Diagnostic, Rule


class StepLinkNotFirst(Rule):
    """The step link is not alone on the first line of its step.

    ## Why is this bad?
    The guide puts ``[[step::Principle:X]]`` on the line right after the step heading, then the
    workflow-specific context. A link buried in the prose, or given a caption, is easy to miss
    for readers and for tools that take the first line as the step's Principle.

    ## Example
    ```wikitext
    == Execution Steps ==
    === Step 1: Data Preparation ===
    Convert the raw JSON/CSV data into the Alpaca prompt template.
    [[step::Principle:Data_Formatting]]

    === Step 2: Model Quantization ===
    [[step::Principle:Quantization]]
    Load the base model in 4-bit precision (NF4) to fit in memory.

    === Step 3: Adapter Training ===
    [[step::Principle:Low_Rank_Adaptation]]
    Train only the LoRA adapters.
    ```
    Use instead:
    ```wikitext
    == Execution Steps ==
    === Step 1: Data Preparation ===
    [[step::Principle:Data_Formatting]]
    Convert the raw JSON/CSV data into the Alpaca prompt template.

    === Step 2: Model Quantization ===
    [[step::Principle:Quantization]]
    Load the base model in 4-bit precision (NF4) to fit in memory.

    === Step 3: Adapter Training ===
    [[step::Principle:Low_Rank_Adaptation]]
    Train only the LoRA adapters.
    ```

    ## Fix safety
    Unsafe: the link moves to the first line of the step. A link alone on a later line leaves
    that line; a link inside a sentence is replaced there by a plain link with the same target
    and text, so the sentence reads as before; a caption on the step link itself is dropped.
    """

    code, name, severity = "WF302", "step-link-not-first", Severity.WARNING
    fix = Applicability.UNSAFE

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        for step in page.steps:
            if step.link_first or step.link_span is None or step.heading_span is None:
                continue
            annotation = _annotation_at(page, step.link_span.start)
            written = ctx.source(step.link_span)
            canonical = f"[[step::{step.target}]]"
            if _alone_on_line(ctx, step.link_span) and _before_link_blank(ctx, step):
                what = f"has a caption ('{written}')"
            elif _before_link_blank(ctx, step):
                what = f"shares its line with text ('{written}')"
            else:
                what = f"is not on the first line ('{written}')"
            yield self.report(
                f"the step link of step {step.number} '{step.name}' {what}; expected "
                f"'{canonical}' alone on the line after the heading",
                step.link_span, _move_link(ctx, step, annotation, canonical))


def _annotation_at(page: Page, start: int) -> Annotation | None:
    for annotation in page.annotations:
        if annotation.span is not None and annotation.span.start == start:
            return annotation
    return None


def _line_bounds(ctx: Context, start: int, end: int) -> tuple[int, int]:
    text = ctx.text
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return line_start, len(text) if line_end == -1 else line_end


def _alone_on_line(ctx: Context, span) -> bool:
    line_start, line_end = _line_bounds(ctx, span.start, span.end)
    text = ctx.text
    return not text[line_start:span.start].strip() and not text[span.end:line_end].strip()


def _body_start(ctx: Context, step: Step) -> int:
    end = step.heading_span.end
    return end + 1 if ctx.text.startswith("\n", end) else end


def _before_link_blank(ctx: Context, step: Step) -> bool:
    return not ctx.text[_body_start(ctx, step):step.link_span.start].strip()


def _move_link(ctx: Context, step: Step, annotation: Annotation | None, canonical: str) -> Fix:
    span = step.link_span
    body = _body_start(ctx, step)
    title = f"Move the step link to the first line of step {step.number}"
    if _before_link_blank(ctx, step) and _alone_on_line(ctx, span):
        # Alone and first, but with a caption: restate the link without it.
        return Fix.replace(title, span.start, span.end, canonical, Applicability.UNSAFE)
    if _alone_on_line(ctx, span):
        line_start, line_end = _line_bounds(ctx, span.start, span.end)
        remove = Edit(line_start, min(line_end + 1, len(ctx.text)), "")
    else:
        caption = annotation.caption if annotation is not None else None
        plain = f"[[{step.target}|{caption}]]" if caption else f"[[{step.target}]]"
        remove = Edit(span.start, span.end, plain)
    insert = Edit(body, body, canonical + "\n" if body < len(ctx.text) else "\n" + canonical)
    return Fix(title, (insert, remove), Applicability.UNSAFE)
