from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

from ....page.model import Page
from ..base import Context, Diagnostic, Rule

#: A value shaped like the guide's date (or its date part) whose numbers may be out of range.
_SHAPE = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2}))?")


class LastUpdatedInvalid(Rule):
    """The ``last_updated`` value is not a real date and time (``2023-02-30``, ``25:61``).

    ## Why is this bad?
    A date that does not exist cannot be sorted or compared, so the page drops out of every
    freshness check; it is usually a typo in the month, day or hour.

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
    | [[last_updated::2023-02-30 14:00 GMT]]
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
    | [[last_updated::2023-02-28 14:00 GMT]]
    |}
    ```

    ## Fix safety
    No fix: which number is wrong is for the writer to say.
    """

    code, name = "WF215", "last-updated-invalid"

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        raw = page.last_updated_raw
        span = page.spans.get("last_updated_value")
        if raw is None or span is None or page.last_updated is not None:
            return
        match = _SHAPE.match(raw)
        if match is None:
            return  # not shaped like a date: WF214 says what is expected
        year, month, day, hour, minute = (int(part or 0) for part in match.groups())
        try:
            datetime(year, month, day, hour, minute)
        except ValueError as error:
            yield self.report(f"last_updated '{raw}' is not a real date and time ({error}); "
                              "expected a date and time that exist, as YYYY-MM-DD HH:MM GMT",
                              span)
