"""The rule registry: the only list of rules. Codes and names are checked unique at import.

The hundreds digit of a code is its group: WF1 page structure and overview, WF2 metadata,
WF3 steps, WF4 diagram, WF5 related pages, WF6 wikitext hygiene.
"""

from __future__ import annotations

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


def _registry(rules: tuple[type[Rule], ...]) -> dict[str, type[Rule]]:
    by_key: dict[str, type[Rule]] = {}
    for rule in rules:
        for key in (rule.code, rule.name):
            if key in by_key:
                raise TypeError(f"rule {key!r} is registered twice")
            by_key[key] = rule
        rule.doc()  # a rule without its documentation sections does not load
    return by_key


_BY_KEY = _registry(RULES)


def rule_for(key: str) -> type[Rule] | None:
    """The rule with this code or name."""
    return _BY_KEY.get(key) or _BY_KEY.get(key.upper())
