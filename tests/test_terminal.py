"""The progress bar: drawn on a terminal only, moved at most once per interval."""

from __future__ import annotations

import io
import sys

import pytest
from rich.progress import Progress

from wikiflow import terminal


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_bar_moves_per_interval_not_per_item_and_counts_every_item(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Moving the bar costs more than an export spends on a page: an export of 100,000
    pages must not move it 100,000 times. A clock that ticks 1 ms per reading makes the
    count of moves exact, whatever the machine's speed."""
    ticks = iter(range(10**9))
    monkeypatch.setattr(terminal, "monotonic", lambda: next(ticks) / 1000, raising=False)
    monkeypatch.setattr(sys, "stderr", Terminal())
    moves: list[int] = []
    advance = Progress.advance
    monkeypatch.setattr(Progress, "advance", lambda self, task, amount=1: (
        moves.append(amount), advance(self, task, amount)))
    items = 100_000
    assert list(terminal.track(range(items), "Counting", total=items)) == list(range(items))
    assert sum(moves) == items
    assert len(moves) <= items // 10  # moved per item, it would be 100,000


def test_no_bar_when_standard_error_is_no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert list(terminal.track(range(100), "Counting")) == list(range(100))
    assert sys.stderr.getvalue() == ""
