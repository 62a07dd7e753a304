from __future__ import annotations

from collections.abc import Iterator

from ...edits import Applicability, Fix
from ....page.model import Page, Severity
from ..base import Context, Diagnostic, Rule

#: The guide's properties, spelled as the guide writes them (``Annotation.prop`` of the
#: guide's spelling).
PROPERTIES = frozenset(("step", "uses_heuristic", "domain", "source", "last_updated"))


class PropertyNameFormat(Rule):
    """A guide property spelled otherwise than the guide (``[[Uses heuristic::…]]``).

    ## Why is this bad?
    Semantic MediaWiki resolves ``Uses heuristic`` and ``uses_heuristic`` to one property (it
    folds the first letter and ``_``), but other tools reading the wikitext (search, scripts,
    reviews) look for the guide's spelling, and mixed spellings make pages harder to compare and
    edit. Any other letter in another case (``Last Updated``) makes it another property, which
    queries for the guide's property do not find.

    ## Example
    ```wikitext
    === Tips and Tricks ===
    * [[Uses heuristic::Heuristic:Gradient_Checkpointing_Optimization]]
    * [[ uses_heuristic ::Heuristic:Packing_Short_Sequences]]
    ```
    Use instead:
    ```wikitext
    === Tips and Tricks ===
    * [[uses_heuristic::Heuristic:Gradient_Checkpointing_Optimization]]
    * [[uses_heuristic::Heuristic:Packing_Short_Sequences]]
    ```

    ## Fix safety
    Safe: only the property name is rewritten, the value and caption stay as written, and SMW
    reads the same property, when the spellings differ only in the first letter, ``_`` or
    spaces. Unsafe when another letter's case differs: SMW stores the fact under another
    property until the rename, so the rename changes what queries of either name find.
    """

    code, name = "WF608", "property-name-format"
    severity = Severity.WARNING
    fix = Applicability.SAFE

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        text = ctx.text
        for annotation in page.annotations:
            where = annotation.property_span
            if where is None or annotation.span is None:
                continue
            spelled = text[where.start:where.end]
            if spelled in PROPERTIES:  # spelled as the guide does (most annotations)
                continue
            # Folded whole: SMW would store 'Last Updated' apart from last_updated, which is
            # all the more reason to spell it as the guide does.
            canonical = annotation.prop.lower()
            if canonical not in PROPERTIES:
                continue
            written = ctx.source(annotation.span)
            fixed = f"[[{canonical}{written[where.end - annotation.span.start:]}"
            same = annotation.prop == canonical  # the property SMW reads stays the same
            fix = Fix.replace(f"Write the property as '{canonical}'", where.start, where.end,
                              canonical, Applicability.SAFE if same else Applicability.UNSAFE)
            yield self.report(f"property '{spelled}' in '{written}' is not spelled as in the "
                              f"guide; expected '{fixed}'", annotation.span, fix)
