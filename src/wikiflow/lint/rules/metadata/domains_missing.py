from __future__ import annotations

from collections.abc import Iterator

from ....page.model import Page
from ..base import Context, Diagnostic, Rule
from .sources_missing import missing_row


class DomainsMissing(Rule):
    """The metadata table has no domain tag.

    ## Why is this bad?
    Domains are the categories the wiki is browsed and searched by (``LLMs``,
    ``Fine_Tuning``, ``Data_Engineering``). A page without one is found by nobody browsing.

    ## Example
    ```wikitext
    {| class="wikitable" style="float:right; margin-left:1em; width:300px;"
    |-
    ! Knowledge Sources
    |
    * [[source::Repo|PEFT|https://github.com/huggingface/peft]]
    |-
    ! Domains
    |
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
    No fix: only the writer knows which categories the recipe belongs to.
    """

    code, name = "WF210", "domains-missing"

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        if page.domains:
            return
        yield from missing_row(self, page, ctx, "domains", "the metadata table has no "
                           "'[[domain::Tag]]'; the guide expects a Domains row of tags such as "
                           "'[[domain::LLMs]], [[domain::Fine_Tuning]]'")
