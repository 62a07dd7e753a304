"""Building blocks for fixes: one edit over a block's span, text from the renderer."""

from __future__ import annotations

from ..edits import Applicability, Fix
from ..spans import Span
from .base import Context


def replace_block(ctx: Context, start: int, end: int, content: str, title: str,
                  applicability: Applicability = Applicability.SAFE) -> Fix:
    """Replace ``[start, end)`` by ``content``, keeping the white space that ended the block."""
    old = ctx.text[start:end]
    trailing = old[len(old.rstrip()):]
    return Fix.replace(title, start, end, content.rstrip("\n") + trailing, applicability)


def replace_span(span: Span, content: str, title: str,
                 applicability: Applicability = Applicability.SAFE) -> Fix:
    return Fix.replace(title, span.start, span.end, content, applicability)


def append_block(ctx: Context, content: str, title: str,
                 applicability: Applicability = Applicability.SAFE) -> Fix:
    """Add a block at the end of the page, after one blank line."""
    body = ctx.text.rstrip()
    separator = "\n\n" if body else ""
    return Fix.replace(title, len(body), len(ctx.text), f"{separator}{content.rstrip()}\n",
                       applicability)


def block_range(ctx: Context, spans: dict[str, Span], *keys: str) -> tuple[int, int] | None:
    """From the first to the last of the blocks ``keys`` that the page has."""
    present = [spans[key] for key in keys if key in spans]
    if not present:
        return None
    return min(s.start for s in present), max(s.end for s in present)
