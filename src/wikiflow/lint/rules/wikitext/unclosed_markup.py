from __future__ import annotations

from collections.abc import Iterator

from ....page.model import Page
from ..base import Context, Diagnostic, Rule, problems
from .unclosed_link import quote_from

#: Parser problem → what the guide's wikitext expects instead.
EXPECTED = {
    "unclosed-template": "'{{' … '}}' around the template (the diagram is '{{#mermaid:…}}')",
    "unclosed-comment": "'<!--' … '-->' around the comment",
    "unclosed-tag": "the tag closed by its '</…>' (e.g. '<syntaxhighlight>' … "
                    "'</syntaxhighlight>')",
    "unclosed-table": "the metadata table closed by a '|}' line",
}


class UnclosedMarkup(Rule):
    """A template, comment, tag or table is opened and never closed.

    ## Why is this bad?
    MediaWiki reads everything after an unclosed construct as part of it: an unclosed comment
    hides the rest of the page, an unclosed ``{{#mermaid:`` shows the diagram as text, an
    unclosed ``<syntaxhighlight>`` or table swallows the sections after it.

    ## Example
    ```wikitext
    == Execution Diagram ==
    {{#mermaid:graph TD
        A[Data Preparation] --> B[Model Quantization]
        B --> C[Adapter Training]
    }
    ```
    Use instead:
    ```wikitext
    == Execution Diagram ==
    {{#mermaid:graph TD
        A[Data Preparation] --> B[Model Quantization]
        B --> C[Adapter Training]
    }}
    ```

    ## Fix safety
    No fix: where the construct was meant to end is for the writer to say.
    """

    code, name = "WF606", "unclosed-markup"

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        for problem in problems(page, *EXPECTED):
            yield self.report(f"'{quote_from(ctx, problem.span.start)}': {problem.message}; "
                              f"expected {EXPECTED[problem.code]}", problem.span)
