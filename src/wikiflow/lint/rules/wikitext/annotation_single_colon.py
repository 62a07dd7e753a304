from __future__ import annotations

from collections.abc import Iterator

from ...edits import Applicability, Fix
from ....page.model import Page
from ....page.names import fold_label
from ....page.smw import Reading, read_link
from ..base import Context, Diagnostic, Rule

#: The guide's properties by folded name (``uses heuristic``) → spelling in the guide.
PROPERTIES = {fold_label(name): name
              for name in ("step", "uses_heuristic", "domain", "source", "last_updated")}


class AnnotationSingleColon(Rule):
    """An annotation written with one colon (``[[step:Principle:X]]``), making a plain link.

    ## Why is this bad?
    Semantic MediaWiki reads ``[[property::value]]``, with two colons. With one, the link
    points at a page literally named ``step:Principle:X``: the reader sees a red link and the
    graph loses the edge.

    ## Example
    ```wikitext
    === Step 1: Data Preparation ===
    [[step:Principle:Data_Formatting]]
    Convert the raw JSON/CSV data into the Alpaca prompt template.
    ```
    Use instead:
    ```wikitext
    === Step 1: Data Preparation ===
    [[step::Principle:Data_Formatting]]
    Convert the raw JSON/CSV data into the Alpaca prompt template.
    ```

    ## Fix safety
    Safe: the second colon is added; the property, value and caption stay as written.
    """

    code, name = "WF607", "annotation-single-colon"
    fix = Applicability.SAFE

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        for link in page.links:
            prop, colon, value = link.target.partition(":")
            if not colon or not value.strip() or link.span is None or link.target_span is None:
                continue
            canonical = PROPERTIES.get(fold_label(prop))
            if canonical is None:
                continue
            # The target is the written one stripped: its colon follows the blanks before it.
            written_target = ctx.source(link.target_span)
            at = link.target_span.start + len(written_target) - len(written_target.lstrip()) \
                + len(prop)
            written = ctx.source(link.span)
            split = at - link.span.start
            fixed = f"{written[:split]}:{written[split:]}"
            if read_link(fixed[2:-2]).kind is not Reading.ANNOTATION:
                continue  # with '::' still no annotation (a '|' before it, an empty value…)
            fix = Fix.replace("Write the annotation with '::'", at, at, ":")
            yield self.report(f"'{written}' has one colon, so it is a plain link to a page named "
                              f"'{link.target}', not a '{canonical}' annotation; expected "
                              f"'{fixed}'", link.span, fix)
