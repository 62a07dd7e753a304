from __future__ import annotations

from collections.abc import Iterator

from ....page.model import Page
from ..base import Context, Diagnostic, Rule


class MetadataMissing(Rule):
    """The page has no metadata table before its first heading.

    ## Why is this bad?
    The guide opens every Workflow page with a metadata table — Knowledge Sources, Domains,
    Last Updated — that the graph parser reads for provenance, categories and freshness. A
    page without one (or with the table under a heading, where it is just a table) has none
    of them.

    ## Example
    ```wikitext
    = Fine-tuning Llama-2 with QLoRA =
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
    No fix: the sources, domains and date are facts only the writer has.
    """

    code, name = "WF201", "metadata-missing"

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        if "metadata" in page.spans:
            return
        yield self.report("the page has no metadata table before its first heading; the guide "
                          "opens the page with '{| class=\"wikitable\" …' holding Knowledge "
                          "Sources, Domains and Last Updated", ctx.top)
