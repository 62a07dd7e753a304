"""What reaches a terminal: progress for long operations (a rich bar on a terminal, nothing
when output is piped), and text made ``printable``, which every command's output passes
through (``cli.common.emit``)."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator, Sized
from time import monotonic
from typing import TypeVar

T = TypeVar("T")

#: Below this many items a bar is more noise than help.
MIN_ITEMS = 20
#: Seconds between two moves of the bar. Moving it takes a lock and some arithmetic, more than
#: an export spends on a page, and the bar is redrawn ten times a second anyway: items are
#: counted as they pass and the bar moves by their number at most this often.
UPDATE_INTERVAL = 0.05


def track(items: Iterable[T], description: str, total: int | None = None) -> Iterator[T]:
    """Iterate ``items``, drawing a progress bar on standard error when it is a terminal."""
    if total is None and isinstance(items, Sized):
        total = len(items)
    if not sys.stderr.isatty() or (total is not None and total < MIN_ITEMS):
        yield from items
        return
    from rich.console import Console  # imported late: most runs are piped or small
    from rich.progress import Progress

    # On standard error: standard output may be the data (``export`` without ``-o``).
    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(description, total=total)
        done, due = 0, monotonic() + UPDATE_INTERVAL
        for item in items:
            yield item
            done += 1
            if monotonic() >= due:
                bar.advance(task, done)
                done, due = 0, monotonic() + UPDATE_INTERVAL
        bar.advance(task, done)


#: C0 and C1 control characters (and DEL) but tab and newline. A search, not ``str.translate``:
#: most text holds none, and the search passes over it ten times faster (9 M characters of
#: non-ASCII text: 0.11 s against 1.4 s).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` with every control character but tab and newline shown as its JSON escape
    ``\\u00XX``: visible in text, and the same string again inside JSON and YAML output.

    Page text is untrusted: an escape sequence in a title or a line (CSI ``ESC [``, OSC
    ``ESC ]`` links and window titles ended by BEL, C1 ``\\x9b``, a lone CR that hides what came
    before) would otherwise reach the user's terminal and act there.
    """
    return _CONTROL.sub(_escape_control, text)


def _escape_control(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"
