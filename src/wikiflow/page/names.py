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
#: MediaWiki refuses titles holding percent-encoding, ``~~~`` (a signature) or relative paths.
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
_RELATIVE = re.compile(r"^\.\.?(?:/|$)|/\.\.?(?:/|$)")
#: The longest title MediaWiki stores, in bytes of UTF-8.
MAX_TITLE_BYTES = 255


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


def title_error(title: str) -> str | None:
    """Why MediaWiki would refuse ``title`` (a name without namespace), or None when it is valid.

    The checks of MediaWiki's title codec: not empty, none of the characters outside
    ``$wgLegalTitleChars``, no percent-encoding, no ``~~~``, not a relative path, at most
    255 bytes. The message quotes what was found, for ``wikiflow new`` and the page spec.
    """
    folded = _fold(title)
    if not folded:
        return "it is empty"
    illegal = _ILLEGAL.search(folded)
    if illegal:
        return (f"it contains {illegal.group()!r} "
                f"(MediaWiki refuses # < > [ ] | {{ }} and control characters)")
    percent = _PERCENT.search(folded)
    if percent:
        return f"it contains percent-encoding ({percent.group()!r})"
    if "~~~" in folded:
        return "it contains '~~~'"
    if _RELATIVE.search(folded):
        return "it is or holds a relative path ('.' or '..')"
    size = len(folded.encode("utf-8"))
    if size > MAX_TITLE_BYTES:
        return f"it has {size} bytes of UTF-8, more than {MAX_TITLE_BYTES}"
    return None


def _fold(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


#: Lower-case first letters of the known prefixes: a value whose prefix starts with none of them
#: carries no namespace.
_INITIALS = frozenset(prefix[0] for prefix in NAMESPACES)
#: What ``page_name`` skips before a prefix: white space, ``_`` and leading colons.
_LEAD = re.compile(r"[\s_:]*")
_TITLE_CHAR = r"[^\s_#<>\[\]|{}\x00-\x1f\x7f]"
#: A value already in key form: a canonical prefix, then legal words joined by single ``_``.
_KEY_FORM = re.compile(
    "(?:" + "|".join(sorted({re.escape(name.replace(" ", "_")) for name in NAMESPACES.values()}))
    + rf"):(?P<title>{_TITLE_CHAR}+(?:_{_TITLE_CHAR}+)*)")


def _key_form(text: str) -> int | None:
    """Where the title starts when ``text`` is already a key of a known namespace (its own
    normal form), else None."""
    match = _KEY_FORM.fullmatch(text)
    if match is None:
        return None
    start = match.start("title")
    first = text[start]
    return start if first.upper() == first else None


@lru_cache(maxsize=65536)
def page_name(raw: str, default_namespace: str = "") -> PageName:
    """Normalise ``raw`` the way MediaWiki resolves a link target.

    ``default_namespace`` applies when ``raw`` carries no known prefix (a ``[[step::X]]`` written
    without ``Principle:`` resolves to the main namespace unless the caller says otherwise).
    A name already in key form (a file name, a stored key) is taken apart without folding, for
    speed: an index names every file and target that way; ``tests/page/test_names.py`` checks
    that both ways agree.
    """
    start = _key_form(raw)
    if start is not None:
        return PageName(raw[:start - 1].replace("_", " "), raw[start:].replace("_", " "), raw)
    return _resolve(raw, default_namespace)


def _resolve(raw: str, default_namespace: str) -> PageName:
    """``page_name`` the long way: fold, find a known prefix, capitalise."""
    text = _fold(raw).lstrip(":").strip()
    namespace = default_namespace
    prefix, sep, rest = text.partition(":")
    if sep:
        known = NAMESPACES.get(_fold(prefix).lower())
        if known is not None:
            namespace, text = known, rest.strip()
    return PageName(namespace, _capitalise(_fold(text)), raw)


def namespaced_key(value: str) -> str | None:
    """``page_name(value).key`` when ``value`` names a valid page of a known namespace, else None.

    Hand-written fast paths, for speed: the graph asks this of every annotation value and link
    of a wiki, and most are plain words, dates or keys already in canonical form, which an
    exact look at a few characters settles without folding the whole text. ``page_name``
    decides the rest; ``tests/page/test_names.py`` checks that both agree on arbitrary text.
    """
    if ":" not in value:
        return None
    if _key_form(value) is not None:
        return value
    first = value[_LEAD.match(value).end():][:1]
    if first.lower()[:1] not in _INITIALS:
        return None
    name = page_name(value)
    return name.key if name.namespace and name.valid else None


def same_page(a: str, b: str) -> bool:
    """True when two spellings name the same page."""
    return page_name(a).key == page_name(b).key


def fold_label(text: str) -> str:
    """A loose comparison key for names written in prose or diagrams (case, ``_``, spaces)."""
    return _fold(text).casefold()
