from __future__ import annotations

from collections.abc import Iterator

from ...edits import Applicability, Fix
from ....page.model import Page, Severity
from ..base import Context, Diagnostic, Rule
from .markdown_fence import outside_fences


class MarkdownLink(Rule):
    """A Markdown link (``[text](url)``) instead of a wikitext external link (``[url text]``).

    ## Why is this bad?
    MediaWiki does not understand Markdown links: the reader sees the brackets, the text and
    the raw URL in parentheses.

    ## Example
    ```wikitext
    === Usage ===
    Follow the [PEFT quicktour](https://huggingface.co/docs/peft/quicktour) before step 1.
    ```
    Use instead:
    ```wikitext
    === Usage ===
    Follow the [https://huggingface.co/docs/peft/quicktour PEFT quicktour] before step 1.
    ```

    ## Fix safety
    Safe: the same text and URL are written as a wikitext external link.
    """

    code, name = "WF604", "markdown-link"
    severity = Severity.WARNING
    fix = Applicability.SAFE

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        for span in outside_fences(page, "link"):
            written = ctx.source(span)
            text, _, url = written[1:-1].partition("](")
            wanted = f"[{url} {text}]"
            fix = Fix.replace("Write the link as [url text]", span.start,
                              span.end, wanted)
            yield self.report(f"Markdown link '{written}' is shown as text in MediaWiki; "
                              f"expected '{wanted}'", span, fix)
