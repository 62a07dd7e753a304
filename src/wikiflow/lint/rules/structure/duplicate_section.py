from __future__ import annotations

from collections.abc import Iterator

from ....page.model import Page
from ..base import Context, Diagnostic, Rule, problems


class DuplicateSection(Rule):
    """A guide section appears more than once.

    ## Why is this bad?
    Each section of the guide has one job; the graph parser and readers take the first copy and
    the second is silently ignored, so whatever it says is lost. wikiflow keeps the later copy
    as written, but only a person can merge the two.

    ## Example
    ```wikitext
    == Overview ==
    End-to-end process for fine-tuning Llama-2 with LoRA.

    == Overview ==
    A second, different summary.
    ```
    Use instead:
    ```wikitext
    == Overview ==
    End-to-end process for fine-tuning Llama-2 with LoRA.
    ```

    ## Fix safety
    No fix: which copy to keep is a decision for the writer.
    """

    code, name = "WF103", "duplicate-section"

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        for problem in problems(page, "duplicate-section"):
            yield self.report(problem.message, problem.span)
