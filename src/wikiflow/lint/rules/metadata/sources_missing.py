from __future__ import annotations

from collections.abc import Iterator

from ....page.model import Page
from ..base import Context, Diagnostic, Rule
from .metadata_style import table_open_line


def missing_row(rule: Rule, page: Page, ctx: Context, key: str, message: str
                ) -> Iterator[Diagnostic]:
    """Report at the row when the page has it (empty), else at the table's ``{|`` line; a page
    without a table is WF201's."""
    where = page.spans.get(key) or table_open_line(page, ctx)
    if where is not None:
        yield rule.report(message, where)


class SourcesMissing(Rule):
    """The metadata table names no knowledge source.

    ## Why is this bad?
    Knowledge Sources say where the recipe comes from — example scripts, a tutorial, a paper —
    so a reader can check it and the graph can link it to its origin. A recipe without one
    cannot be verified.

    ## Example
    ```wikitext
    {| class="wikitable" style="float:right; margin-left:1em; width:300px;"
    |-
    ! Domains
    | [[domain::LLMs]], [[domain::Fine_Tuning]]
    |-
    ! Last Updated
    | [[last_updated::2023-11-20 14:00 GMT]]
    |}
    ```
    Use instead:
    ```wikitext
    {| class="wikitable" style="float:right; margin-left:1em; width:300px;"
    |-
    ! Knowledge Sources
    |
    * [[source::Repo|PEFT|https://github.com/huggingface/peft]]
    |-
    ! Domains
    | [[domain::LLMs]], [[domain::Fine_Tuning]]
    |-
    ! Last Updated
    | [[last_updated::2023-11-20 14:00 GMT]]
    |}
    ```

    ## Fix safety
    No fix: only the writer knows where the recipe comes from.
    """

    code, name = "WF206", "sources-missing"

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        if page.sources:
            return
        yield from missing_row(self, page, ctx, "sources", "the metadata table has no "
                           "'[[source::Type|Title|URL]]'; the guide expects a Knowledge Sources "
                           "row listing where the recipe comes from")
