from __future__ import annotations

from collections.abc import Iterator

from ...edits import Applicability, Fix
from ....page.model import Page
from ....page.render import diagram_source_of, render_diagram_block, render_diagram_section
from ..base import Context, Diagnostic, Rule
from ..fixes import append_block

EXPECTED = "'{{#mermaid:graph TD …}}' flowchart of the steps"


class DiagramMissing(Rule):
    """The page has no ``{{#mermaid:…}}`` execution diagram.

    ## Why is this bad?
    The guide makes the Execution Diagram mandatory: a Mermaid flowchart of the steps gives
    readers the shape of the process (linear, branching, looping) at a glance.

    ## Example
    ```wikitext
    == Execution Diagram ==
    ```
    Use instead:
    ```wikitext
    == Execution Diagram ==
    {{#mermaid:graph TD
        A[Data Preparation] --> B[Model Quantization]
        B --> C[Adapter Training]
    }}
    ```

    ## Fix safety
    Safe: the diagram is the guide's linear flowchart of the step names the page already has,
    inserted right after an empty ``== Execution Diagram ==`` heading, or as a new section
    before Related Pages. When the section already holds other text (perhaps a diagram written
    another way) the fix is unsafe; a page without steps gets no fix.
    """

    code, name = "WF401", "diagram-missing"
    fix = Applicability.SAFE

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        if page.diagram is not None:
            return
        title = next((h for h in page.headings if h.key == "execution_diagram"), None)
        if title is not None and title.span is not None:
            written = ctx.source(title.span).strip()
            yield self.report(f"'{written}' has no diagram; expected a {EXPECTED}",
                              title.span, _insert_diagram(page, ctx, title.span.end))
            return
        related = next((h for h in page.headings if h.key == "related_pages"), None)
        span = related.span if related is not None and related.span is not None else ctx.top
        yield self.report(f"the page has no '== Execution Diagram ==' section; expected one "
                          f"with a {EXPECTED}", span, _add_section(page, ctx))


def _insert_diagram(page: Page, ctx: Context, heading_end: int) -> Fix | None:
    """The diagram on the line after the section's heading, the rest of the section kept."""
    source = diagram_source_of(page)
    if source is None:
        return None
    text = ctx.text
    block = render_diagram_block(source)
    if text.startswith("\n", heading_end):
        where = heading_end + 1
        content = block + "\n" + ("" if text.startswith("\n", where) or where == len(text)
                                  else "\n")
    else:
        where, content = heading_end, "\n" + block + "\n"
    # Text already in the section may be the writer's own diagram in another form.
    safety = Applicability.UNSAFE if "execution_diagram" in page.extras or any(
        section.after == "execution_diagram" and section.level > 2 for section in page.sections
    ) else Applicability.SAFE
    return Fix.replace("Add the steps' flowchart to the Execution Diagram section", where, where,
                       content, safety)


def _add_section(page: Page, ctx: Context) -> Fix | None:
    """A new Execution Diagram section before Related Pages (after the steps), else at the end."""
    if not page.steps:
        return None
    content = render_diagram_section(page).strip("\n")
    title = "Add an Execution Diagram section with the steps' flowchart"
    related = page.spans.get("related_pages")
    last_step = page.steps[-1].span
    if related is not None and (last_step is None or related.start >= last_step.end):
        return Fix.replace(title, related.start, related.start, content + "\n\n")
    return append_block(ctx, content, title)
