from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from functools import partial

from ...edits import Applicability, Edit, Fix
from ....page.model import Page, Section
from ....page.names import fold_label
from ....page.outline import SUB_SECTIONS, TOP_SECTIONS
from ....page.render import render_related_pages
from ..base import Context, Diagnostic, Rule
from ..fixes import append_block, drops_annotations, drops_words, replace_block

#: The blocks ``render_related_pages`` writes, in its order.
RELATED_KEYS = ("related_pages", "related_steps", "tips")
#: Where the renderer puts each kind of line of those blocks (lower first): a block's leftover
#: lines, then the unknown sections anchored to it; step items come after the Related Pages
#: leftovers, heuristics after the Execution Steps ones.
_RANK_EXTRAS = {"related_pages": 0, "related_steps": 3, "tips": 6}
_RANK_SECTIONS = {"related_pages": 1, "related_steps": 4, "tips": 7}
_RANK_STEP, _RANK_HEURISTIC = 2, 5

_Group = tuple[int, int, list[Section], int]


def related_pages_fix(page: Page, ctx: Context, title: str) -> Fix | None:
    """``related_pages_edits``' rewrite as a fix named ``title``."""
    return _named(related_pages_edits(page, ctx), title)


def shared_related_pages_fix(page: Page, ctx: Context, title: str) -> Fix | None:
    """``related_pages_fix`` for the page ``ctx`` was made for, its rewrite worked out once
    (``Context.derived``): WF501, WF503 and WF504 write the same section, and rendering it
    and reading both texts for its safety took 100-140 µs a finding on the corpus, where most
    pages have both WF503 and WF504 (issue 18). ``wikiflow lint`` builds every fix (its
    summary counts the fixable ones), as do ``--fix`` and the MCP server."""
    return _named(ctx.derived(related_pages_edits, page, ctx), title)


def _named(rewrite: tuple[tuple[Edit, ...], Applicability] | None, title: str) -> Fix | None:
    return None if rewrite is None else Fix(title, *rewrite)


def related_pages_edits(page: Page, ctx: Context
                        ) -> tuple[tuple[Edit, ...], Applicability] | None:
    """Write Related Pages (with both subsections) as ``render.render_related_pages`` does.

    Unlike ``rebuild_related_pages`` (WF502) this keeps the step list as written, and it
    replaces exactly the text the renderer writes back: Related Pages, its guide subsections
    and the unknown level-3+ sections among them (a later level-2 section stays where it is).
    A Tips and Tricks block found elsewhere moves under Related Pages (a second edit deletes
    it); without a Related Pages heading the section is appended at the end of the page. None
    when another guide block sits inside that text. Unsafe when the rewrite would move a line
    past another, would drop a word or an annotation written there, or the text holds an HTML
    comment, and when it would add an empty Tips and Tricks (no heuristic is listed): that
    trades the finding for WF505, and only the writer knows which heuristics apply.
    """
    keys = {heading.key: n for n, heading in enumerate(page.headings) if heading.key}
    main = _group(page, ctx, keys["related_pages"]) if "related_pages" in keys else None

    def detached(key: str) -> bool:
        return key in keys and (main is None or not keys["related_pages"] < keys[key] < main[3])

    if detached("related_steps"):
        return None  # the step list sits under another level-2 section: a person decides
    tips = _group(page, ctx, keys["tips"]) if detached("tips") else None
    groups = [group for group in (main, tips) if group is not None]
    shown = replace(page, sections=[section for group in groups for section in group[2]])
    if main is None:  # the renderer writes an empty Related Pages only for a page that has one
        shown.spans = {**page.spans, "related_pages": ctx.top}
    content = render_related_pages(shown)
    written = "".join(ctx.text[start:end] for start, end, _, _ in groups)
    safe = (_keeps_order(page, ctx, groups) and not drops_words(written, content)
            and not drops_annotations(written, content)
            and ("tips" in page.spans or bool(page.heuristics)) and not any(
                comment.span is not None and start <= comment.span.start < end
                for start, end, _, _ in groups for comment in page.comments))
    text = ctx.text
    if main is not None:  # the blocks' fixes are taken for their edits alone: no title
        edits = list(replace_block(ctx, main[0], main[1], content, "").edits)
    elif tips is not None and not text[tips[1]:].strip():
        edits, tips = [Edit(tips[0], len(text), content.rstrip("\n") + "\n")], None
    else:
        edits = list(append_block(ctx, content, "").edits)
    if tips is not None:
        edits.append(Edit(tips[0], tips[1], ""))
    return tuple(edits), Applicability.SAFE if safe else Applicability.UNSAFE


def _group(page: Page, ctx: Context, first: int) -> _Group:
    """(start, end, unknown sections, index of the next heading) of the related block opened by
    ``page.headings[first]`` with the related blocks and unknown level-3+ sections after it.
    A Tips and Tricks block found above Related Pages ends where Related Pages starts: the two
    groups never overlap, so the fix's edits do not either."""
    headings = page.headings
    sections = {s.span.start: s for s in page.sections if s.span is not None}
    members: list[Section] = []
    opening = headings[first].key
    n = first + 1
    while n < len(headings):
        heading = headings[n]
        if heading.key == "related_pages" and opening != "related_pages":
            break
        if heading.key not in RELATED_KEYS:
            section = sections.get(heading.span.start) if heading.key is None else None
            if (section is None or section.level <= 2 or section.after not in RELATED_KEYS
                    or fold_label(section.title) in TOP_SECTIONS
                    or fold_label(section.title) in SUB_SECTIONS):
                break
            members.append(section)
        n += 1
    end = headings[n].span.start if n < len(headings) else len(ctx.text)
    return headings[first].span.start, end, members, n


def _keeps_order(page: Page, ctx: Context, groups: list[_Group]) -> bool:
    """True when the renderer writes the lines of ``groups`` in the order they are written."""
    placed: list[tuple[int, int, int]] = []  # (group, offset, rank)

    def group_of(offset: int) -> int | None:
        for number, (start, end, _, _) in enumerate(groups):
            if start <= offset < end:
                return number
        return None

    for items, rank in ((page.related_steps, _RANK_STEP), (page.heuristics, _RANK_HEURISTIC)):
        for item in items:
            if item.span is not None and (number := group_of(item.span.start)) is not None:
                placed.append((number, item.span.start, rank))
    for number, group in enumerate(groups):
        placed += [(number, s.span.start, _RANK_SECTIONS[s.after]) for s in group[2]]
    for key, rank in _RANK_EXTRAS.items():
        extra, span = page.extras.get(key), page.spans.get(key)
        if not extra or span is None or (number := group_of(span.start)) is None:
            continue
        block, offset = ctx.source(span), 0
        for line in extra.split("\n"):
            found = block.find(line, offset)
            offset = found + len(line) if found >= 0 else offset
            placed.append((number, span.start + max(found, 0), rank))
    placed.sort()
    return all(a[2] <= b[2] for a, b in zip(placed, placed[1:]))


class RelatedPagesMissing(Rule):
    """The page has no ``== Related Pages ==`` section.

    ## Why is this bad?
    Related Pages holds the page's outgoing edges: the step links duplicated for parsing and
    navigation, and the heuristics that apply to the whole process. Without it the graph has no
    ``uses_heuristic`` edges for the workflow and the guide's layout is incomplete.

    ## Example
    ```wikitext
    == Execution Diagram ==
    {{#mermaid:graph TD
        A[Data Preparation] --> B[Model Quantization]
        B --> C[Adapter Training]
    }}

    == Tips and Tricks ==
    * [[uses_heuristic::Heuristic:Gradient_Checkpointing_Optimization]]
    * [[uses_heuristic::Heuristic:Packing_Short_Sequences]]
    <!-- end of page -->
    ```
    Use instead:
    ```wikitext
    == Execution Diagram ==
    {{#mermaid:graph TD
        A[Data Preparation] --> B[Model Quantization]
        B --> C[Adapter Training]
    }}

    == Related Pages ==
    === Execution Steps ===
    * [[step::Principle:Data_Formatting]] - Step 1
    * [[step::Principle:Quantization]] - Step 2
    * [[step::Principle:Low_Rank_Adaptation]] - Step 3

    === Tips and Tricks ===
    * [[uses_heuristic::Heuristic:Gradient_Checkpointing_Optimization]]
    * [[uses_heuristic::Heuristic:Packing_Short_Sequences]]
    ```

    ## Fix safety
    Safe: the section is appended at the end of the page with the step list derived from the
    page's own step links; a Tips and Tricks section found elsewhere moves under it unchanged.
    Unsafe when the page lists no heuristic: the fix would add an empty Tips and Tricks, which
    only the writer can fill.
    """

    code, name = "WF501", "related-pages-missing"
    fix = Applicability.SAFE

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        if "related_pages" in page.spans:
            return
        end = len(ctx.text.rstrip())
        fix = partial(shared_related_pages_fix, page, ctx, "Add the Related Pages section")
        yield self.report("the page has no '== Related Pages ==' section; the guide ends every "
                          "workflow with it ('=== Execution Steps ===' and "
                          "'=== Tips and Tricks ===' subsections)", ctx.at(end), fix)
