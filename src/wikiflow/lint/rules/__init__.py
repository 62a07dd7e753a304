"""The rule registry: the only list of rules. Codes and names are checked unique at import.

The hundreds digit of a code is its group: WF1 page structure and overview, WF2 metadata,
WF3 steps, WF4 diagram, WF5 related pages, WF6 wikitext hygiene.
"""

from __future__ import annotations

from typing import TypeVar

from . import diagram, metadata, related, steps, structure, wikitext
from .base import Rule
from .wikitext.unused_suppression import UnusedSuppression

GROUPS = {
    "WF1": "Page structure and overview",
    "WF2": "Metadata table",
    "WF3": "Execution steps",
    "WF4": "Execution diagram",
    "WF5": "Related pages",
    "WF6": "Wikitext hygiene",
}

#: Every rule, in code order (each group package lists its own rules).
RULES: tuple[type[Rule], ...] = tuple(sorted(
    (*structure.RULES, *metadata.RULES, *steps.RULES, *diagram.RULES, *related.RULES,
     *wikitext.RULES),
    key=lambda rule: rule.code))
UNUSED_SUPPRESSION = UnusedSuppression
D = TypeVar("D")


def registry(entries: tuple[D, ...]) -> dict[str, D]:
    """Rules (or whole-wiki checks, which share their shape) by code and by name; refuses a
    code or name registered twice, and an entry without its documentation sections."""
    by_key: dict[str, D] = {}
    for entry in entries:
        for key in (entry.code, entry.name):  # type: ignore[attr-defined]
            if key in by_key:
                raise TypeError(f"rule {key!r} is registered twice")
            by_key[key] = entry
        entry.doc()  # type: ignore[attr-defined]
    return by_key


registry(RULES)  # a duplicate or undocumented rule does not load
