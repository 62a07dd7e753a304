"""The one page-name normaliser, shared by the parser, the linter and the graph.

MediaWiki treats ``_`` and space alike, folds runs of white space, upper-cases the first letter of
the title (``$wgCapitalLinks``) and recognises a namespace prefix case-insensitively. Every place
that compares or stores page names goes through :func:`page_name`; the spelling as written is
kept beside the normalised form for messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

#: Namespaces of a wiki of recipes, plus MediaWiki's own; canonical spelling by lower-case key.
NAMESPACES: dict[str, str] = {
    name.lower(): name
    for name in (
        "Workflow", "Principle", "Heuristic", "Implementation", "Environment",
        "Talk", "User", "User talk", "Project", "File", "MediaWiki", "Template", "Help",
        "Category", "Property", "Special", "Media", "Concept",
    )
}
NAMESPACES["image"] = "File"

#: Characters MediaWiki never allows in a title (``$wgLegalTitleChars`` complement).
_ILLEGAL = re.compile(r"[#<>\[\]|{}\x00-\x1f\x7f]")
_SPACES = re.compile(r"[\s_]+")


@dataclass(frozen=True, slots=True)
class PageName:
    """A normalised page name: ``namespace`` ('' for main) and ``title`` with spaces."""

    namespace: str
    title: str
    raw: str

    @property
    def full(self) -> str:
        """The display form, ``Principle:Data formatting``."""
        return f"{self.namespace}:{self.title}" if self.namespace else self.title

    @property
    def key(self) -> str:
        """The storage form MediaWiki calls a DB key, ``Principle:Data_formatting``."""
        return self.full.replace(" ", "_")

    @property
    def valid(self) -> bool:
        return bool(self.title) and not _ILLEGAL.search(self.title)


def _fold(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


@lru_cache(maxsize=65536)
def page_name(raw: str, default_namespace: str = "") -> PageName:
    """Normalise ``raw`` the way MediaWiki resolves a link target.

    ``default_namespace`` applies when ``raw`` carries no known prefix (a ``[[step::X]]`` written
    without ``Principle:`` resolves to the main namespace unless the caller says otherwise).
    """
    text = _fold(raw).lstrip(":").strip()
    namespace = default_namespace
    prefix, sep, rest = text.partition(":")
    if sep:
        known = NAMESPACES.get(_fold(prefix).lower())
        if known is not None:
            namespace, text = known, rest.strip()
    return PageName(namespace, _capitalise(_fold(text)), raw)


def same_page(a: str, b: str) -> bool:
    """True when two spellings name the same page."""
    return page_name(a).key == page_name(b).key


def fold_label(text: str) -> str:
    """A loose comparison key for names written in prose or diagrams (case, ``_``, spaces)."""
    return _fold(text).casefold()
