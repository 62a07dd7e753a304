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
    === Usage ===
    Run it on models of the [[-domain::LLMs]] kind.
    ```
    Use instead:
    ```wikitext
    === Usage ===
    Run it on models of the [[domain::LLMs]] kind.
    ```

    ## Fix safety
    No fix: which property was meant is for the writer to say.
    """

    code, name = "WF612", "annotation-refused"

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        for problem in problems(page, "annotation-refused"):
            yield self.report(problem.message, problem.span)
