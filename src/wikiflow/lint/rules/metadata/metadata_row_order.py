from __future__ import annotations

from collections.abc import Iterator

from ...edits import Applicability, Fix
from ....page.model import Page, Severity
from ....page.render import render_table
from ..base import Context, Diagnostic, Rule, problems
from ..fixes import keeps_words
from .metadata_style import table_open_line

#: The guide's rows in the guide's order: (span key, header).
ROWS = (("sources", "Knowledge Sources"), ("domains", "Domains"), ("last_updated", "Last Updated"))


class MetadataRowOrder(Rule):
    """The metadata rows are not in the guide's order, or a row appears twice.

    ## Why is this bad?
    The guide lists Knowledge Sources, then Domains, then Last Updated, so every page's card
    reads the same way. A second copy of a row is worse: the graph reads the first and the
    second is ignored.

    ## Example
    ```wikitext
    {| class="wikitable" style="float:right; margin-left:1em; width:300px;"
    |-
    ! Domains
    | [[domain::LLMs]], [[domain::Fine_Tuning]]
    |-
    ! Knowledge Sources
    |
    * [[source::Repo|PEFT|https://github.com/huggingface/peft]]
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
    Safe: the rows are written back in the guide's order from what the page has (rows the
    guide does not define go last), keeping every word; unsafe when the rewrite would move an
    HTML comment or lose text the table holds outside its rows. A duplicated row gets no fix:
    which copy is right is for the writer to say.
    """

    code, name, severity = "WF204", "metadata-row-order", Severity.WARNING
    fix = Applicability.SAFE

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        for problem in problems(page, "duplicate-metadata-row"):
            yield self.report(f"{problem.message}; the guide has one row of each kind (the "
                              "first is read, this one is kept as written)", problem.span)
        present = [(page.spans[key], header) for key, header in ROWS if key in page.spans]
        written = sorted(present, key=lambda row: row[0].start)
        if written == present:
            return
        first = next(row for row, want in zip(written, present) if row != want)
        yield self.report(
            f"metadata rows are in the order {', '.join(h for _, h in written)}; the guide's "
            f"order is {', '.join(h for _, h in present)}", first[0], _reorder(page, ctx))


def _reorder(page: Page, ctx: Context) -> Fix | None:
    """Rewrite the rows after the ``{|`` line (kept as written: WF203's business)."""
    line = table_open_line(page, ctx)
    table = page.spans["metadata"]
    if line is None or not ctx.text.startswith("|}", table.end - 2):
        return None  # an unclosed table: the renderer would close it, changing more than order
    rendered = render_table(page)
    rows = rendered[rendered.index("\n"):]
    old = ctx.text[line.end:table.end]
    safe = keeps_words(old, rows) and not any(
        c.span is not None and table.start <= c.span.start < table.end for c in page.comments)
    return Fix.replace("Write the metadata rows in the guide's order", line.end, table.end, rows,
                       Applicability.SAFE if safe else Applicability.UNSAFE)
