"""Edits and fixes: what a rule proposes, kept apart from the diagnostic that explains it.

An ``Edit`` replaces ``[start, end)`` of the page text (offsets into the same normalised text
the spans point into). A ``Fix`` is one or more edits with an applicability and an imperative
title. Safe fixes keep every word the writer wrote and only restate what they meant; unsafe
fixes are probably right but guess or delete something.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Applicability(StrEnum):
    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True, slots=True)
class Edit:
    start: int
    end: int
    content: str

    def to_data(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "content": self.content}


@dataclass(frozen=True, slots=True)
class Fix:
    title: str
    edits: tuple[Edit, ...]
    applicability: Applicability = Applicability.SAFE

    @classmethod
    def replace(cls, title: str, start: int, end: int, content: str,
                applicability: Applicability = Applicability.SAFE) -> Fix:
        return cls(title, (Edit(start, end, content),), applicability)

    @property
    def start(self) -> int:
        return min(edit.start for edit in self.edits)

    @property
    def end(self) -> int:
        return max(edit.end for edit in self.edits)

    def to_data(self) -> dict[str, Any]:
        return {"title": self.title, "applicability": self.applicability.value,
                "edits": [edit.to_data() for edit in self.edits]}


def apply_fixes(text: str, fixes: Iterable[Fix]) -> tuple[str, list[Fix]]:
    """Apply, in one pass over ``text``, every fix that fits beside the ones taken before it.

    ruff's rule (``crates/ruff_linter/src/fix/mod.rs``): fixes in page order, each taken whole
    when its first edit starts after the last edit taken, and skipped otherwise (the fix loop
    finds the skipped ones again after re-linting); an edit already made by an earlier fix (two
    rules proposing the same rewrite) is made once. A fix whose own edits overlap is never
    taken. Returns the new text and the fixes taken. Linear in the text and the edits (apart
    from the sort), so a page with 30,000 fixes is one pass, not 30,000.
    """
    parts: list[str] = []
    taken: list[Fix] = []
    made: set[Edit] = set()
    last: Edit | None = None
    for fix in sorted(fixes, key=lambda f: (f.start, f.end)):
        edits = [edit for edit in sorted(fix.edits, key=_order) if edit not in made]
        if not edits:  # the same rewrite as a fix already taken: it is made too
            taken.append(fix)
            continue
        if not _in_order(last, edits):
            continue
        for edit in edits:
            parts.append(text[last.end if last else 0:edit.start])
            parts.append(edit.content)
            last = edit
        made.update(edits)
        taken.append(fix)
    parts.append(text[last.end if last else 0:])
    return "".join(parts), taken


def _order(edit: Edit) -> tuple[int, int]:
    return edit.start, edit.end


def _in_order(last: Edit | None, edits: list[Edit]) -> bool:
    """True when each edit starts at or after the end of the one before it, and no two
    insertions share a point (their order would be a guess)."""
    for edit in edits:
        if last is not None and (edit.start < last.end
                                 or edit.start == edit.end == last.start == last.end):
            return False
        last = edit
    return True
