from __future__ import annotations

import re
from collections.abc import Iterator

from ...edits import Applicability, Edit, Fix
from ....page.model import Annotation, Page, Severity, Step
from ..base import Context, Diagnostic, Rule

_SEPARATOR = re.compile(r"[ \t]*(?:[-–—:][ \t]*)?")


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
    Unsafe: the link moves to the first line of the step and the body stays as written, except
    that a link alone on a later line leaves that line; a link inside a sentence is replaced
    there by a plain link to the same page with the same text, so the sentence reads as before;
    a link that opens its line is put on a line of its own (a ``-`` or ``:`` after it is
    dropped); and a caption on the step link itself is dropped.
    """

    code, name, severity = "WF302", "step-link-not-first", Severity.WARNING
    fix = Applicability.UNSAFE

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        # By start, once: looking each step's up in the list was quadratic in the steps. Made
        # for the first step that needs it: most pages have none (issue 18).
        annotations: dict[int, Annotation] | None = None
        for step in page.steps:
            if step.link_first or step.link_span is None or step.heading_span is None:
                continue
            if annotations is None:
                annotations = {a.span.start: a for a in page.annotations if a.span is not None}
            annotation = annotations.get(step.link_span.start)
            written = ctx.source(step.link_span)
            canonical = f"[[step::{step.target}]]"
            first = not ctx.text[_body_start(ctx, step):step.link_span.start].strip()
            alone = _alone_on_line(ctx, step.link_span)
            if first and alone:
                what = f"has a caption ('{written}')"
            elif first:
                what = f"shares its line with text ('{written}')"
            else:
                what = f"is not on the first line ('{written}')"
            yield self.report(
                f"the step link of step {step.number} '{step.name}' {what}; expected "
                f"'{canonical}' alone on the line after the heading",
                step.link_span, _move_link(ctx, step, annotation, canonical, first, alone))


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


def _move_link(ctx: Context, step: Step, annotation: Annotation | None, canonical: str,
               first: bool, alone: bool) -> Fix:
    text, span = ctx.text, step.link_span
    body = _body_start(ctx, step)
    title = f"Move the step link to the first line of step {step.number}"
    caption = annotation.caption if annotation is not None else None
    if first and (alone or not caption):
        # First already: drop the caption, or break the line after the link (and the "-" or
        # ":" the writer put between the link and the context).
        line_end = _line_bounds(ctx, span.start, span.end)[1]
        rest = _SEPARATOR.match(text, span.end, line_end).end()
        content = canonical if alone else canonical + "\n"
        return Fix.replace(title, span.start, rest, content, Applicability.UNSAFE)
    if alone:
        line_start, line_end = _line_bounds(ctx, span.start, span.end)
        after = min(line_end + 1, len(text))
        # A blank line before and after (or the end): take one of them too, leaving one.
        if text.endswith("\n\n", 0, line_start) and (after == len(text)
                                                      or text.startswith("\n", after)):
            line_start -= 1
        remove = Edit(line_start, after, "")
    else:
        # Inside a sentence: a plain link keeps the sentence as it reads.
        plain = f"[[{step.target}|{caption}]]" if caption else f"[[{step.target}]]"
        remove = Edit(span.start, span.end, plain)
    insert = Edit(body, body, canonical + "\n" if body < len(text) else "\n" + canonical)
    return Fix(title, (insert, remove), Applicability.UNSAFE)
