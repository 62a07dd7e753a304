from __future__ import annotations

from collections.abc import Iterator

from ....page.model import Page, Severity
from ....page.names import fold_label
from ....page.parse import METADATA_ROWS
from ..base import Context, Diagnostic, Rule


class UnknownMetadataRow(Rule):
    """A metadata row the guide does not define.

    ## Why is this bad?
    The guide's metadata table has three rows: Knowledge Sources, Domains and Last Updated.
    Another row is kept on the page as written, but the graph parser does not read it; if it
    matters, it belongs in the page's text.

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
    | [[last_updated::2023-11-20 14:00 GMT]]
    |-
    ! License
    | Apache-2.0
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
    No fix: whether the row's content matters, and where it goes, is for the writer to say.
    """

    code, name, severity = "WF205", "unknown-metadata-row", Severity.INFO

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        for row in page.metadata_rows:
            if fold_label(row.header) in METADATA_ROWS:
                continue  # a second copy of a guide row: WF204
            what = f"metadata row '{row.header}'" if row.header else \
                "a metadata cell without a '! Header'"
            yield self.report(f"{what} is not one the guide defines (Knowledge Sources, Domains, "
                              "Last Updated); it is kept as written, but the graph does not "
                              "read it", row.span or ctx.top)
