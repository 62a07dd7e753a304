from __future__ import annotations

from collections.abc import Iterator

from ....page.model import Page, Severity
from ....page.names import fold_label
from ....page.outline import SUB_SECTIONS, TOP_SECTIONS
from ..base import Context, Diagnostic, Rule


class UnknownSection(Rule):
    """A section the guide does not define.

    ## Why is this bad?
    The guide defines every section of a Workflow page; the graph parser reads only those.
    Anything in another section is kept on the page as written but is invisible to the
    graph: if it matters, it belongs in Description, Usage or a step.

    ## Example
    ```wikitext
    == GitHub URL ==
    https://github.com/huggingface/peft
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
    No fix: where the content belongs, if anywhere, is for the writer to say.
    """

    code, name, severity = "WF105", "unknown-section", Severity.INFO

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        if not page.sections:
            return
        headings = {h.span.start: h for h in page.headings if h.key is None and h.span}
        for section in page.sections:
            folded = fold_label(section.title)
            if folded in TOP_SECTIONS or folded in SUB_SECTIONS:
                continue  # a second copy of a guide section: WF103
            item = headings.get(section.span.start) if section.span else None
            span = item.span if item is not None else section.span or ctx.top
            marks = "=" * section.level
            yield self.report(f"section '{marks} {section.title} {marks}' is not one the guide "
                              "defines; it is kept as written, but the graph does not read it",
                              span)
