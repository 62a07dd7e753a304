from __future__ import annotations

from collections.abc import Iterator

from ....page.model import Page
from ..base import Context, Diagnostic, Rule, problems


class Encoding(Rule):
    """The page is not valid UTF-8.

    ## Why is this bad?
    MediaWiki stores pages as UTF-8. Bytes from another encoding (Windows-1252, Latin-1) turn
    into replacement characters or mojibake when the page is uploaded, and wikiflow will not
    fix a page it cannot read exactly.

    ## Example
    ```wikitext
    <!-- encoding: windows-1252 -->
    == Overview ==
    End-to-end process for fine-tuning Llama-2 – saved as Windows-1252, so this dash is byte 0x96.
    ```
    Use instead:
    ```wikitext
    == Overview ==
    End-to-end process for fine-tuning Llama-2 – the same dash, saved as UTF-8.
    ```

    ## Fix safety
    No fix: which encoding the file was written in is for a person to check before re-saving
    it as UTF-8.
    """

    code, name = "WF609", "encoding"

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        for problem in problems(page, "encoding"):
            yield self.report(problem.message, problem.span)
