from __future__ import annotations

from collections.abc import Iterator

from ...edits import Applicability, Fix
from ....page.model import Page, Severity
from ....page.spans import Span
from ..base import Context, Diagnostic, Rule


class MarkdownTitle(Rule):
    """The page opens with a Markdown title line (``# Workflow: Name``).

    ## Why is this bad?
    In wikitext a line starting with ``#`` is a numbered list item, so the page opens with
    "1. Workflow: Name" above the metadata table. MediaWiki already shows the page name as the
    title; the guide's page starts with the metadata table.

    ## Example
    ```wikitext
    # Workflow: QLoRA Finetuning
    ```
    Use instead:
    ```wikitext
    {| class="wikitable" style="float:right; margin-left:1em; width:300px;"
    |-
    ! Knowledge Sources
    |
    * [[source::Repo|HuggingFace Examples|https://github.com/huggingface/transformers/tree/main/examples]]
    * [[source::Blog|Fine-tuning Llama 2|https://www.philschmid.de/sagemaker-llama2-qlora]]
    |-
    ! Domains
    | [[domain::LLMs]], [[domain::Fine_Tuning]]
    |-
    ! Last Updated
    | [[last_updated::2023-11-20 14:00 GMT]]
    |}
    ```

    ## Fix safety
    Safe: the line only repeats the page name, which MediaWiki shows as the title; the fix
    deletes it and one blank line after it. A title line holding an annotation gets no fix:
    deleting it would lose the fact.
    """

    code, name = "WF601", "markdown-title"
    severity = Severity.WARNING
    fix = Applicability.SAFE

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        for markup in page.markdown:
            if markup.kind != "title" or markup.span is None:
                continue
            written = ctx.source(markup.span).strip()
            end = _after_line(ctx.text, markup.span.end)
            blank = _after_line(ctx.text, end)
            if end < len(ctx.text) and not ctx.text[end:blank].strip():
                end = blank
            fix = None if _holds_annotation(page, markup.span) else Fix.replace(
                "Remove the Markdown title line", markup.span.start, end, "")
            yield self.report(f"Markdown title '{written}' is a numbered list item in wikitext; "
                              "expected no title line (MediaWiki shows the page name) and the "
                              "page to start with the metadata table", markup.span, fix)


def _after_line(text: str, pos: int) -> int:
    """The offset after the line end at or after ``pos`` (the text's end on the last line)."""
    end = text.find("\n", pos)
    return len(text) if end == -1 else end + 1


def _holds_annotation(page: Page, span: Span) -> bool:
    """True when an annotation starts inside ``span`` (the title line)."""
    return any(a.span is not None and span.start <= a.span.start < span.end
               for a in page.annotations)
