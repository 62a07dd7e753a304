from __future__ import annotations

from collections.abc import Iterator

from ....page.model import Page, Source
from ..base import Context, Diagnostic, Rule


def source_parts(page: Page, ctx: Context) -> Iterator[tuple[Source, list[str]]]:
    """Each modelled source with the ``|``-separated parts of its annotation, as written
    (``Source.url`` joins any parts after the second)."""
    for source in page.sources:
        if source.span is not None:
            yield source, ctx.source(source.span)[2:-2].partition("::")[2].split("|")


class SourceMalformed(Rule):
    """A knowledge source is not ``[[source::Type|Title|URL]]`` with three non-empty parts.

    ## Why is this bad?
    The graph parser reads a source as a record of exactly three fields: its type (Repo, Blog,
    Paper), its title and its URL. A missing part leaves the record incomplete; an extra ``|``
    shifts the parts, so a title is read as the URL.

    ## Example
    ```wikitext
    {| class="wikitable" style="float:right; margin-left:1em; width:300px;"
    |-
    ! Knowledge Sources
    |
    * [[source::Repo|https://github.com/huggingface/peft]]
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
    No fix: the missing title or URL, or which ``|`` is wrong, is for the writer to say.
    """

    code, name = "WF207", "source-malformed"

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        for source, parts in source_parts(page, ctx):
            if len(parts) == 3 and all(part.strip() for part in parts):
                continue
            if len(parts) != 3:
                what = f"has {len(parts)} part{'s' if len(parts) != 1 else ''}"
            else:
                names = ("type", "title", "URL")
                what = "has an empty " + " and ".join(
                    name for name, part in zip(names, parts) if not part.strip())
            yield self.report(f"source '{ctx.source(source.span)}' {what}; expected "
                              "'[[source::Type|Title|URL]]' with three non-empty parts",
                              source.span)
