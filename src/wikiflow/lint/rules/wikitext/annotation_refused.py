from __future__ import annotations

from collections.abc import Iterator

from ....page.model import Page
from ..base import Context, Diagnostic, Rule, problems


class AnnotationRefused(Rule):
    """An annotation Semantic MediaWiki refuses to store (``[[-Domain::LLMs]]``).

    ## Why is this bad?
    SMW reads ``[[property::value]]`` but stores nothing when the property name starts with
    ``-`` (an inverse property, which cannot be annotated), holds ``.`` (a property chain), a
    line break or a character SMW forbids in names (``[ ] | < > { } + – % ? * ! #``), or when
    the value is blank. The page then shows an error where the value should be, and the fact is
    missing from every query and from the graph.

    ## Example
    ```wikitext
    === Step 1: Data Preparation ===
    [[step.principle::Principle:Data_Formatting]]
    Convert the raw JSON/CSV data into the Alpaca prompt template.
    ```
    Use instead:
    ```wikitext
    === Step 1: Data Preparation ===
    [[step::Principle:Data_Formatting]]
    Convert the raw JSON/CSV data into the Alpaca prompt template.
    ```

    ## Fix safety
    No fix: which property was meant is for the writer to say.
    """

    code, name = "WF612", "annotation-refused"

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        for problem in problems(page, "annotation-refused"):
            yield self.report(problem.message, problem.span)
