from __future__ import annotations

from collections.abc import Iterator

from ....page.model import Page
from ..base import Context, Diagnostic, Rule
from .sources_missing import missing_row


class LastUpdatedMissing(Rule):
    """The metadata table has no ``[[last_updated::…]]``.

    ## Why is this bad?
    Last Updated is the page's freshness marker: ML tooling changes fast, and readers and
    the graph use the date to judge whether a recipe still applies.

    ## Example
    ```wikitext
    {| class="wikitable" style="float:right; margin-left:1em; width:300px;"
    |-
    ! Knowledge Sources
    |
    * [[source::Repo|PEFT|https://github.com/huggingface/peft]]
    |-
    ! Domains
    | [[domain::LLMs]], [[domain::Fine_Tuning]]
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
    No fix: the time of the last real update is known only to the writer (today's date would
    be a guess).
    """

    code, name = "WF213", "last-updated-missing"

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        if page.last_updated_raw is not None:
            return
        yield from missing_row(self, page, ctx, "last_updated", "the metadata table has no "
                           "'[[last_updated::YYYY-MM-DD HH:MM GMT]]'; the guide expects a Last "
                           "Updated row with the time of the last update")
