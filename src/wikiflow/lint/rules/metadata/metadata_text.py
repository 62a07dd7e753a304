from __future__ import annotations

import re
from collections.abc import Iterator

from ....page.model import Page, Severity
from ..base import Context, Diagnostic, Rule

#: What each guide row's cell should hold: (key, header, expected).
CELLS = (
    ("sources", "Knowledge Sources", "one '* [[source::Type|Title|URL]]' per line"),
    ("domains", "Domains", "'[[domain::Tag]]' annotations separated by commas"),
    ("last_updated", "Last Updated", "exactly one '[[last_updated::YYYY-MM-DD HH:MM GMT]]'"),
)
#: HTML comments are notes to editors, not cell text (the parser keeps them in the residue).
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)


class MetadataText(Rule):
    """A metadata cell holds text that is not one of its annotations.

    ## Why is this bad?
    The graph parser reads only the annotations of a metadata cell. A date written without
    ``[[last_updated::…]]``, a second ``last_updated``, a source in the Domains row, or
    domains separated by something other than commas are shown on the page but lost to the
    graph, or make the cell read differently from every other page.

    ## Example
    ```wikitext
    {| class="wikitable" style="float:right; margin-left:1em; width:300px;"
    |-
    ! Knowledge Sources
    |
    * [[source::Repo|PEFT|https://github.com/huggingface/peft]]
    |-
    ! Domains
    | [[domain::LLMs]] / [[domain::Fine_Tuning]]
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
    No fix: whether the text is a value to annotate, a note, or a mistake is for the writer to
    say.
    """

    code, name, severity = "WF212", "metadata-text", Severity.WARNING

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        for key, header, expected in CELLS:
            residue = page.extras.get(f"meta:{key}")
            if not residue:
                continue
            if "<!--" in residue:
                residue = " ".join(_COMMENT.sub(" ", residue).split())
                if not residue:
                    continue
            if len(residue) > 60:
                residue = residue[:57].rstrip() + "…"
            yield self.report(f"the {header} cell has text outside its annotations: '{residue}'; "
                              f"expected {expected}", page.spans.get(key) or ctx.top)
