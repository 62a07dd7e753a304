from __future__ import annotations

import re
from collections.abc import Iterator

from ....page.model import Page, Severity
from ..base import Context, Diagnostic, Rule

_SWITCHES = re.compile(r"__[A-Z]+__(?: __[A-Z]+__)*")


class MetadataNotFirst(Rule):
    """Text comes before the metadata table.

    ## Why is this bad?
    The guide puts the metadata table at the top of the page, floated right beside the
    Overview. Text above it pushes the table down, and it belongs to no section, so neither
    readers nor the graph know what it is. (A Markdown ``# Title`` line is WF601's business.)

    ## Example
    ```wikitext
    This page explains how we fine-tune Llama-2.
    ```
    Use instead:
    ```wikitext
    == Overview ==
    End-to-end process for fine-tuning Llama-2 with QLoRA on a single GPU.
    ```

    ## Fix safety
    No fix: where the text belongs is for the writer to decide.
    """

    code, name, severity = "WF202", "metadata-not-first", Severity.WARNING

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        table = page.spans.get("metadata")
        preamble = page.extras.get("preamble")
        if table is None or preamble is None:
            return
        title = page.markdown[0] if page.markdown and page.markdown[0].kind == "title" else None
        if title is not None and title.span is not None \
                and ctx.source(title.span).strip() == preamble:
            return  # only a Markdown title line: WF601
        text = _without(page, ctx.text[:table.start])
        start = len(text) - len(text.lstrip())
        end = len(text.rstrip())
        if start >= end:
            return
        found = " ".join(text[start:end].split())
        if _SWITCHES.fullmatch(found):
            return  # behaviour switches such as __NOTOC__ show nothing
        if len(found) > 60:
            found = found[:57].rstrip() + "…"
        yield self.report(f"text before the metadata table: '{found}'; the guide puts the table "
                          "first on the page", ctx.at(start, end))


def _without(page: Page, text: str) -> str:
    """``text`` with the Markdown title line and HTML comments blanked (offsets kept)."""
    hidden = [m.span for m in page.markdown if m.kind == "title" and m.span is not None]
    hidden += [c.span for c in page.comments if c.span is not None and c.span.start < len(text)]
    if not hidden:
        return text
    chars = list(text)
    for span in hidden:
        for i in range(span.start, min(span.end, len(text))):
            chars[i] = " "
    return "".join(chars)
