from __future__ import annotations

from collections.abc import Iterator

from ....page.model import Page, Severity
from ..base import Context, Diagnostic, Rule


class SourceType(Rule):
    """A knowledge source's type is not one of the allowed types.

    The allowed types are set by ``allowed-source-types`` (default: Repo, Blog, Paper).

    ## Why is this bad?
    The guide types each source — ``Repo`` (example scripts), ``Blog`` (tutorial), ``Paper``
    (methodology) — so readers and the graph can tell code from prose from theory. Other
    types (``Doc``, ``repo``, ``GitHub``) split one category into several.

    ## Example
    ```wikitext
    {| class="wikitable" style="float:right; margin-left:1em; width:300px;"
    |-
    ! Knowledge Sources
    |
    * [[source::GitHub|PEFT|https://github.com/huggingface/peft]]
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
    No fix: which allowed type fits the source is for the writer to judge.
    """

    code, name, severity = "WF208", "source-type", Severity.WARNING

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        allowed = ctx.settings.allowed_source_types
        for source in page.sources:
            if source.type in allowed or source.span is None:
                continue
            same = next((t for t in allowed if t.casefold() == source.type.casefold()), None)
            hint = f"expected '{same}'" if same else f"allowed types: {', '.join(allowed)}"
            yield self.report(f"source type '{source.type}' is not an allowed source type; {hint}"
                              " (setting 'allowed-source-types')", source.span)
