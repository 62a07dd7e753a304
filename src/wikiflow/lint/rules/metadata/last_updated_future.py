from __future__ import annotations

from collections.abc import Iterator

from ....page.model import Page
from ....page.render import DATE_FORMAT
from ..base import Context, Diagnostic, Rule


class LastUpdatedFuture(Rule):
    """The ``last_updated`` date is in the future.

    ## Why is this bad?
    A page cannot have been updated later than now: the date is a typo (a wrong year or
    month) or a placeholder, and it makes the page look fresher than every other page.

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
    |-
    ! Last Updated
    | [[last_updated::2923-11-20 14:00 GMT]]
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
    No fix: the real date of the last update is known only to the writer.
    """

    code, name = "WF216", "last-updated-future"

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        when = page.last_updated
        now = ctx.settings.now
        if when is None or when <= now:
            return
        yield self.report(f"last_updated '{page.last_updated_raw}' is in the future (now is "
                          f"{now.strftime(DATE_FORMAT)}); expected the time of the last update",
                          page.spans.get("last_updated_value") or ctx.top)
