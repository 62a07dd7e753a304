"""Building blocks for fixes: one edit over a block's span, text from the renderer."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from ..edits import Applicability, Fix
from ...page.names import page_name
from ...page.parse import parse_text
from ...page.render import heading
from ...page.spans import Span
from .base import Context


def replace_block(ctx: Context, start: int, end: int, content: str, title: str,
                  applicability: Applicability = Applicability.SAFE) -> Fix:
    """Replace ``[start, end)`` by ``content``, keeping the white space that ended the block."""
    old = ctx.text[start:end]
    trailing = old[len(old.rstrip()):]
    return Fix.replace(title, start, end, content.rstrip("\n") + trailing, applicability)


def append_block(ctx: Context, content: str, title: str,
                 applicability: Applicability = Applicability.SAFE) -> Fix:
    """Add a block at the end of the page, after one blank line."""
    body = ctx.text.rstrip()
    separator = "\n\n" if body else ""
    return Fix.replace(title, len(body), len(ctx.text), f"{separator}{content.rstrip()}\n",
                       applicability)



_WORD = re.compile(r"\w+")


def rewrite_heading(ctx: Context, span: Span, level: int, title: str, fix_title: str,
                    applicability: Applicability = Applicability.SAFE) -> Fix:
    """Write the heading at ``span`` as ``render.heading`` does, leaving blanks after it alone."""
    end = span.start + len(ctx.source(span).rstrip())
    return Fix.replace(fix_title, span.start, end, heading(level, title), applicability)


def replace_annotation_value(ctx: Context, span: Span, value: str, title: str,
                             applicability: Applicability = Applicability.SAFE) -> Fix:
    """Rewrite the value of the ``[[property::value|…]]`` at ``span``, the rest as written."""
    written = ctx.source(span)
    prop, _, rest = written[2:-2].partition("::")
    old, bar, tail = rest.partition("|")
    lead = old[:len(old) - len(old.lstrip())]
    trail = old[len(old.rstrip()):]
    return Fix.replace(title, span.start, span.end,
                       f"[[{prop}::{lead}{value}{trail}{bar}{tail}]]", applicability)


def drops_words(old: str, new: str) -> bool:
    """True when a word of ``old`` is missing from ``new`` (counting repeats, any case). Numbers
    are left out: a step number is restated from the steps, not a word the writer chose."""
    kept = Counter(_WORD.findall(new.casefold()))
    kept.subtract(word for word in _WORD.findall(old.casefold()) if not word.isdigit())
    return any(count < 0 for count in kept.values())


def drops_annotations(old: str, new: str) -> bool:
    """True when an annotation of ``old`` is missing from ``new``, page names compared as
    MediaWiki does. Words alone miss a changed value: ``[[step::Principle:A]]`` rewritten as
    ``[[step::A]]`` beside a ``[[step::Principle]]`` keeps every word."""
    return bool(_annotations(old) - _annotations(new))


@lru_cache(maxsize=4)
def _annotations(text: str) -> frozenset[tuple[str, str]]:
    """Kept for the next fix of the same page: WF502's rewrite of Related Pages and the one
    WF501, WF503 and WF504 share (``related_pages_edits``) judge the same written text, and
    parsing it was a quarter of building WF502's fix on the corpus (issue 18)."""
    return frozenset((a.prop, page_name(a.value).key) for a in parse_text(text).annotations)


def keeps_words(old: str, new: str) -> bool:
    """True when ``new`` has exactly the words of ``old`` (any order, any case): a rewrite that
    only moves and restates text."""
    return sorted(_WORD.findall(old.casefold())) == sorted(_WORD.findall(new.casefold()))
