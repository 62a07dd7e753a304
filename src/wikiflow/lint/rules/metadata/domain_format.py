from __future__ import annotations

import re
from collections.abc import Iterator

from ...edits import Applicability
from ....page.model import Page, Severity
from ..base import Context, Diagnostic, Rule
from ..fixes import replace_annotation_value

#: Letters and digits (any script), "_", "-", "." and "+": LLMs, Fine_Tuning, C++, Vision-Language.
_TAG = re.compile(r"[\w.+-]+")


class DomainFormat(Rule):
    """A domain tag holds spaces or characters other than letters, digits and ``_-.+``.

    ## Why is this bad?
    The guide writes domain tags as single words joined by underscores (``Fine_Tuning``,
    ``LLM_Ops``). Tags with spaces or punctuation are spelt differently from page to page, so
    one category splits into several, and some characters are not allowed in the page names
    SMW makes of them.

    ## Example
    ```wikitext
    {| class="wikitable" style="float:right; margin-left:1em; width:300px;"
    |-
    ! Knowledge Sources
    |
    * [[source::Repo|PEFT|https://github.com/huggingface/peft]]
    |-
    ! Domains
    | [[domain::LLMs]], [[domain::Fine Tuning]]
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
    Safe: spaces become underscores inside the annotation, which MediaWiki reads as the same
    name. Tags with other characters get no fix: what they should be is for the writer to say.
    """

    code, name, severity = "WF211", "domain-format", Severity.WARNING
    fix = Applicability.SAFE

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        for domain in page.domains:
            if domain.span is None or _TAG.fullmatch(domain.name):
                continue
            joined = "_".join(domain.name.split())
            if _TAG.fullmatch(joined):
                yield self.report(f"domain tag '{domain.name}' contains spaces; expected "
                                  f"'[[domain::{joined}]]'", domain.span,
                                  replace_annotation_value(ctx, domain.span, joined,
                                                           f"Write the tag as '{joined}'"))
                continue
            odd = sorted({char for char in joined if not _TAG.fullmatch(char)})
            yield self.report(f"domain tag '{domain.name}' contains "
                              f"{' '.join(repr(c) for c in odd)}; expected a tag of letters, "
                              "digits, '_', '-', '.' and '+' such as 'Fine_Tuning'", domain.span)
