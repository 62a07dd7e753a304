"""The guide's outline: its sections by folded heading title and level, and what a heading is.

Kept apart from the parser, which reads blocks by these tables, so that the renderer and the
lint rules that judge headings share the one list of sections.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .names import fold_label

#: Guide sections by folded heading title: (block key, expected level).
TOP_SECTIONS = {
    "overview": ("overview", 2),
    "execution steps": ("execution_steps", 2),
    "execution diagram": ("execution_diagram", 2),
    "related pages": ("related_pages", 2),
}
SUB_SECTIONS = {
    "description": ("description", 3),
    "usage": ("usage", 3),
    "tips and tricks": ("tips", 3),
}
STEP_LEVEL = 3

# Reads a stripped title to its end: a lazy group before a trailing "\s*$" was quadratic in a
# long run of blanks inside it.
STEP_TITLE = re.compile(r"step\s*(\d+)\s*(?:[:.)\-–—]\s*)?(.*)", re.IGNORECASE)

# Section titles and row headers repeat from page to page; folding each anew cost a tenth of the
# builder's time (``bench/bench_parse.py``).
fold_title = lru_cache(maxsize=4096)(fold_label)


def classify_heading(title: str, level: int, parent: str) -> tuple[str | None, int]:
    """The guide block a (non-step) heading opens, and the level the guide gives it."""
    folded = fold_title(title)
    if folded == "execution steps" and parent == "related_pages" and level > 2:
        return "related_steps", 3
    known = TOP_SECTIONS.get(folded) or SUB_SECTIONS.get(folded)
    return known if known else (None, 0)
