from __future__ import annotations

from collections.abc import Iterator

from ...edits import Applicability, Fix
from ....page.model import HEURISTIC, Page
from ....page.names import page_name
from ..base import Context, Diagnostic, Rule


class HeuristicLinkNamespace(Rule):
    """A ``uses_heuristic`` link points outside the Heuristic namespace.

    ## Why is this bad?
    Heuristics are pages in the ``Heuristic:`` namespace. ``[[uses_heuristic::X]]`` without
    it links the main-namespace page ``X`` (usually a red link), and a ``Principle:`` or other
    namespace makes the graph edge point at the wrong kind of page.

    ## Example
    ```wikitext
    === Tips and Tricks ===
    * [[uses_heuristic::Gradient_Checkpointing_Optimization]]
    * [[uses_heuristic::Heuristic:Packing_Short_Sequences]]
    ```
    Use instead:
    ```wikitext
    === Tips and Tricks ===
    * [[uses_heuristic::Heuristic:Gradient_Checkpointing_Optimization]]
    * [[uses_heuristic::Heuristic:Packing_Short_Sequences]]
    ```

    ## Fix safety
    Unsafe: adding ``Heuristic:`` to a target without a namespace makes the link point at
    another page, which is probably but not certainly the one meant. A target in another
    namespace gets no fix.
    """

    code, name = "WF507", "heuristic-link-namespace"
    fix = Applicability.UNSAFE

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        for annotation in page.annotations:
            # Every spelling of the property contains the word; the cheap test goes first.
            if "heuristic" not in annotation.property.lower() or annotation.span is None \
                    or annotation.prop != "uses_heuristic":
                continue
            target = page_name(annotation.value)
            if target.namespace == HEURISTIC:
                continue
            written = ctx.source(annotation.span)
            if target.namespace or ":" in annotation.value:
                prefix = annotation.value.partition(":")[0]
                found = f"points into the '{target.namespace}' namespace" if target.namespace \
                    else f"starts with '{prefix}:', which is no namespace"
                yield self.report(f"heuristic link '{written}' {found}; expected a '{HEURISTIC}:' "
                                  f"page, '[[uses_heuristic::{HEURISTIC}:…]]'", annotation.span)
                continue
            # The value starts after '::' and the blanks the writer put there.
            after = written.index("::") + 2
            at = after + len(written[after:]) - len(written[after:].lstrip())
            fixed = f"{written[:at]}{HEURISTIC}:{written[at:]}"
            start = annotation.span.start + at
            fix = Fix.replace(f"Add the '{HEURISTIC}:' namespace", start, start, f"{HEURISTIC}:",
                              Applicability.UNSAFE)
            yield self.report(f"heuristic link '{written}' has no namespace; expected "
                              f"'{fixed}'", annotation.span, fix)
