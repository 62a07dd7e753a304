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


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits (in any order) to ``text``."""
    parts: list[str] = []
    position = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if edit.start < position:
            raise ValueError(f"overlapping edits at offset {edit.start}")
        parts.append(text[position:edit.start])
        parts.append(edit.content)
        position = edit.end
    parts.append(text[position:])
    return "".join(parts)


def compatible(fixes: Iterable[Fix]) -> list[Fix]:
    """The fixes that can be applied together: in page order, skipping any that overlaps one
    already taken (the skipped ones are found again in the next round of the fix loop)."""
    chosen: list[Fix] = []
    taken: list[tuple[int, int]] = []
    for fix in sorted(fixes, key=lambda f: (f.start, f.end)):
        spans = [(edit.start, edit.end) for edit in fix.edits]
        if any(s < e2 and s2 < e or (s == e == s2 == e2) for s, e in spans for s2, e2 in taken):
            continue
        chosen.append(fix)
        taken.extend(spans)
    return chosen
