from __future__ import annotations

from collections.abc import Iterator

from ...edits import Applicability, Fix
from ....page.model import Page, Severity
from ....page.spans import Span
from ..base import Context, Diagnostic, Rule


class UnusedSuppression(Rule):
    """A ``wikiflow-disable`` comment suppresses nothing.

    ## Why is this bad?
    Suppressions outlive the problems they silenced; a stale one hides the next real problem on
    that line and misleads readers of the page source.

    ## Example
    ```wikitext
    == Overview ==
    <!-- wikiflow-disable-next-line WF303 -->
    End-to-end process for fine-tuning Llama-2 with LoRA.
    ```
    Use instead:
    ```wikitext
    == Overview ==
    End-to-end process for fine-tuning Llama-2 with LoRA.
    ```

    ## Fix safety
    Unsafe: the fix deletes the comment.
    """

    code, name = "WF611", "unused-suppression"
    severity = Severity.WARNING
    fix = Applicability.UNSAFE

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        # Whether a suppression was used is only known once every rule has run: the lint
        # engine calls ``unused`` for each suppression nothing matched.
        return iter(())

    def unused(self, span: Span, ctx: Context) -> Diagnostic:
        start, end = span.start, span.end
        text, line_start = ctx.text, start - span.column + 1
        # Back over the blanks before the comment only, not the whole line before it: a line of
        # many comments is read once for all of them.
        first = start
        while first > line_start and text[first - 1].isspace():
            first -= 1
        if first == line_start and text.startswith("\n", end):
            start, end = line_start, end + 1  # the comment is alone on its line: drop the line
        fix = Fix.replace("Remove the unused suppression", start, end, "", Applicability.UNSAFE)
        return self.report("this suppression comment matches no diagnostic; remove it", span, fix)
