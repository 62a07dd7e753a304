from __future__ import annotations

from collections.abc import Iterator

from ...edits import Applicability
from ....page.model import Page, Severity
from ....page.render import SECTION_TITLES, heading, step_title
from ..base import Context, Diagnostic, Rule, problems
from ..fixes import rewrite_heading


class HeadingFormat(Rule):
    """A guide heading is not written the way the guide writes it.

    ## Why is this bad?
    The guide writes its headings one way — ``== Overview ==``, ``=== Step 2: Train ===`` —
    with one space inside the ``=`` marks, its own capitalisation, and ``Step N: Name`` for
    steps. Variants still parse, but they make pages differ for no reason, and tools that
    search the wiki text for a heading miss them.

    ## Example
    ```wikitext
    == Execution Steps ==
    === Step 1 - Data Preparation ===
    [[step::Principle:Data_Formatting]]
    Convert the raw data into the prompt template.

    === step 2: Model Quantization ===
    [[step::Principle:Quantization]]
    Load the base model in 4-bit precision.

    ===Step 3: Adapter Training===
    [[step::Principle:Low_Rank_Adaptation]]
    Train only the adapters.
    ```
    Use instead:
    ```wikitext
    == Execution Steps ==
    === Step 1: Data Preparation ===
    [[step::Principle:Data_Formatting]]
    Convert the raw data into the prompt template.

    === Step 2: Model Quantization ===
    [[step::Principle:Quantization]]
    Load the base model in 4-bit precision.

    === Step 3: Adapter Training ===
    [[step::Principle:Low_Rank_Adaptation]]
    Train only the adapters.
    ```

    ## Fix safety
    Safe: the heading is rewritten at its own level with the guide's title (for a step, its
    number and name as written); a heading holding an HTML comment gets an unsafe fix.
    """

    code, name, severity = "WF106", "heading-format", Severity.INFO
    fix = Applicability.SAFE

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        steps = {s.heading_span.start: s for s in page.steps if s.heading_span is not None}
        # A heading at the wrong level gets its marks rewritten by WF104: here only its title
        # counts, so one slip is reported once.
        misplaced = {p.span.start for p in problems(page, "section-level") if p.span}
        text = ctx.text
        for item in page.headings:
            key, span = item.key, item.span
            if key is None or span is None:
                continue
            if key == "step":
                step = steps.get(span.start)
                if step is None or step.number is None:
                    continue  # a heading without "Step N:" is rewritten whole by WF310
                title = step_title(step.number, step.name)
            else:
                title = SECTION_TITLES[key]
            written = text[span.start:span.end].rstrip()
            expected = heading(item.level, title)
            if span.start in misplaced:
                if item.title == title:
                    continue
                message = (f"heading title '{item.title}' is not written as the guide writes "
                           f"it; expected '{title}'")
            elif written == expected:
                continue
            else:
                message = (f"heading '{written}' is not written as the guide writes it; "
                           f"expected '{expected}'")
            safety = Applicability.UNSAFE if "<!--" in written else Applicability.SAFE
            yield self.report(message, span,
                              rewrite_heading(ctx, span, item.level, title,
                                              f"Write the heading as '{expected}'", safety))
