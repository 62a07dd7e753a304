from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timezone

from ...edits import Applicability
from ....page.model import Page
from ....page.render import DATE_FORMAT
from ..base import Context, Diagnostic, Rule
from ..fixes import replace_annotation_value

_CANONICAL = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} GMT")


class LastUpdatedFormat(Rule):
    """The ``last_updated`` value is not written ``YYYY-MM-DD HH:MM GMT``.

    ## Why is this bad?
    The guide writes every date one way, to the minute, in GMT, so pages sort and compare
    by freshness. A date without a time, an ISO timestamp (``2024-01-02T10:30:00Z``) or
    another zone reads differently on every page, and free text (``Nov 2023``) cannot be
    compared at all.

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
    | [[last_updated::2023-11-20]]
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
    Unsafe: a value that is read as a date is rewritten in the guide's form, converted to
    GMT; a date without a time gets ``00:00 GMT`` (a guess of the time) and a time without a
    zone is taken as GMT (a guess of the zone). Values that are not dates get no fix.
    """

    code, name = "WF214", "last-updated-format"
    fix = Applicability.UNSAFE

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        raw = page.last_updated_raw
        if raw is None or _CANONICAL.fullmatch(raw):
            return
        span = page.spans.get("last_updated_value")
        if span is None:
            return
        fix = None
        hint = "'YYYY-MM-DD HH:MM GMT'"
        if page.last_updated is not None:
            value = page.last_updated.astimezone(timezone.utc).strftime(DATE_FORMAT)
            hint = f"'YYYY-MM-DD HH:MM GMT', e.g. '{value}'"
            fix = replace_annotation_value(ctx, span, value, f"Write the date as '{value}'",
                                           Applicability.UNSAFE)
        yield self.report(f"last_updated '{raw}' is not written as the guide writes dates; "
                          f"expected {hint}", span, fix)
