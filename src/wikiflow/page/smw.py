"""Semantic MediaWiki's in-text rules: what SMW makes of the text inside one ``[[…]]``.

A restatement of SMW's own parser (``src/Parser/LinksProcessor.php``, ``LinksEncoder.php``,
``src/DataValues/ValueParsers/PropertyValueParser.php``, ``src/Utils/CharArmor.php``) under
its default settings plus links in values (``strict``, ``links-in-values``): the property is
the text before the last ``::`` or ``:=``, re-split at the first ``::``; a value may hold
``[[links]]``, ``[url text]`` and annotations of its own; ``[[SMW::off]]`` … ``[[SMW::on]]``
switch storing off; ``@@@`` makes a property link. docs/annotations.md lists the cases SMW's
tests state and the few where wikiflow answers otherwise, with the reason.

Pure functions over strings, like the scanner: offsets are relative to the text given.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache

from .scan import pair_brackets


class Kind(Enum):
    """What SMW makes of a ``[[…]]``."""

    ANNOTATION = "annotation"  # a fact for each property (``[[a:=b::v]]`` names two)
    REFUSED = "refused"  # read as an annotation, nothing stored: SMW shows an error instead
    LINK = "link"  # not SMW's: MediaWiki's link
    PROPERTY_LINK = "property-link"  # ``[[p::@@@]]``: a link to ``Property:p``, no fact
    SWITCH = "switch"  # ``[[SMW::off]]``, ``[[SMW::on]]`` (any other ``SMW`` value: nothing)
    NOTHING = "nothing"  # ``[[p::]]``: SMW drops it without a trace


@dataclass(slots=True)
class Name:
    """A property as SMW reads it (``name``) and where it is written in the inner text."""

    name: str
    start: int
    end: int


@dataclass(slots=True)
class Reading:
    """SMW's reading of one ``[[…]]``; ``inner`` readings are the annotations inside its value
    (links in values), with their offsets, read before it as SMW reads them."""

    kind: Kind
    names: list[Name] = field(default_factory=list)
    value: str = ""
    caption: str | None = None
    parts: tuple[str, ...] = ()
    reason: str = ""  # why SMW refuses it
    switch_on: bool | None = None  # what a SWITCH sets (None: nothing)
    inner: list[tuple[int, int, Reading]] = field(default_factory=list)

    # The kinds, on the class for callers: ``reading.kind is Reading.LINK``.
    ANNOTATION, REFUSED, LINK = Kind.ANNOTATION, Kind.REFUSED, Kind.LINK
    PROPERTY_LINK, SWITCH, NOTHING = Kind.PROPERTY_LINK, Kind.SWITCH, Kind.NOTHING

    @property
    def shown(self) -> str:
        """The text SMW puts in place of the annotation (what a value around it holds)."""
        if self.kind in (Kind.SWITCH, Kind.NOTHING):
            return ""
        if self.kind is Kind.PROPERTY_LINK:
            return self.names[0].name if self.caption in (None, "#") else self.caption
        return self.caption if self.caption is not None else self.value


_SEPARATOR = re.compile(r":[=:]")
_NESTING = re.compile(r"\[\[|\]\]|\|")
#: An innermost ``[[…]]``: the annotations SMW reads inside a value (one level, as SMW does).
_LEAF = re.compile(r"\[\[([^\[\]]*)\]\]")
#: ``$smwgPropertyInvalidCharacterList`` (SMW's default), and ``#`` outside a query.
_INVALID = frozenset("[]|<>{}+–%\r\n?*!#")
#: PHP ``strip_tags``: a tag, or an unclosed ``<`` to the end (#1727: ``Foo-<Bar`` → ``Foo-``).
_TAG = re.compile(r"<[^>]*(?:>|$)")
_ENTITIES = {"&amp;": "&", "&quot;": '"', "&lt;": "<", "&gt;": ">"}
#: ``CharArmor::removeSpecialChars``: entities dropped, unusual blanks made spaces.
_SPECIAL = {"&shy;": "", "&lrm;": "", "\u2007": " ", "\u2000": " ", "\u200a": " "}


@lru_cache(maxsize=4096)
def read_link(inner: str) -> Reading:
    """SMW's reading of ``[[inner]]``: an annotation, a refused one, a switch, or a link.

    Kept per text (callers only read a reading): a page writes most of its links twice, in
    its steps and in its Related Pages."""
    readings: list[tuple[int, int, Reading]] = []
    text: str | None = inner
    if "[[" in inner:
        text, readings = _read_leaves(inner)
    if text is None:  # a "[[" left unpaired: SMW's pattern does not match
        return Reading(Kind.LINK)
    reading = _read_flat(text)
    if readings and reading.names and readings[0][0] < reading.names[-1].end:
        # An annotation inside the property part: what it shows is no name as written.
        return Reading(Kind.REFUSED, [Name(inner[:readings[0][0]], 0, readings[0][0])],
                       reason="its property name holds an annotation", inner=readings)
    reading.inner = readings
    return reading


def _read_leaves(inner: str) -> tuple[str | None, list[tuple[int, int, Reading]]]:
    """The inner text with each annotation inside it replaced by what it shows, and those
    annotations; None when its double brackets do not pair (SMW then matches nothing)."""
    if any(pair is None for pair in pair_brackets(inner).values()):
        return None, []
    readings: list[tuple[int, int, Reading]] = []
    pieces: list[str] = []
    done = 0
    for leaf in _LEAF.finditer(inner):
        reading = _read_flat(leaf.group(1))
        if reading.kind is Kind.LINK:
            continue  # a link in a value stays as written
        readings.append((leaf.start(), leaf.end(), reading))
        pieces += [inner[done:leaf.start()], reading.shown]
        done = leaf.end()
    pieces.append(inner[done:])
    return "".join(pieces), readings


def _read_flat(text: str) -> Reading:
    """``[[text]]`` read with SMW's pattern; a ``[[…]]`` inside is value text (SMW encodes its
    brackets first), so its ``|`` parts nothing."""
    if not text or text[0] == ":":
        return Reading(Kind.LINK)
    last = _last_separator(text)
    if last is None:
        return Reading(Kind.LINK)
    prop, rest = text[:last], text[last + 2:]
    if len(_top_level_split(prop)) > 1:  # #1747: [[Foo|Bar::Foobar]] is a link with a caption
        return Reading(Kind.LINK)
    parts = tuple(_top_level_split(rest))
    value, caption = parts[0], parts[1] if len(parts) > 1 else None
    if "::=" in text and prop.endswith(":"):  # the legacy "[[p::=v]]": "=" stays in the value
        prop, value = f"{prop}:={value}".split("::", 1)
    if ":" in prop:  # strict mode: the first "::" parts the property from the value
        prop, value = f"{prop}::{value}".split("::", 1)
    parts = (value, *parts[1:])
    if value == "":
        return Reading(Kind.NOTHING)
    if prop == "SMW":
        return Reading(Kind.SWITCH, switch_on={"on": True, "off": False}.get(value))
    names = _names(prop)
    if value.startswith("@@@"):
        first = names[0]
        return Reading(Kind.PROPERTY_LINK, [Name(_property(first.name)[0], first.start,
                                                 first.end)], caption=caption)
    clean = _visible(value).strip()
    for name in names:
        name.name, reason = _property(name.name)
        if reason:
            return Reading(Kind.REFUSED, [Name(prop, 0, len(prop))], clean, caption, parts,
                           reason)
    if not clean:
        return Reading(Kind.REFUSED, names, clean, caption, parts, "its value is empty")
    return Reading(Kind.ANNOTATION, names, clean, caption, parts)


def _last_separator(text: str) -> int | None:
    """Where the last ``::`` or ``:=`` starts, after at least one character: SMW's pattern
    takes the longest property it can."""
    at = max(text.rfind("::", 1), text.rfind(":=", 1))
    return at if at >= 1 else None


def _top_level_split(rest: str) -> list[str]:
    """``rest`` split at each ``|`` outside a ``[[…]]`` in it (a link's caption is its own)."""
    if "[[" not in rest:
        return rest.split("|")
    parts: list[str] = []
    depth = start = 0
    for mark in _NESTING.finditer(rest):
        found = mark.group()
        if found == "|":
            if depth == 0:
                parts.append(rest[start:mark.start()])
                start = mark.end()
        else:
            depth = depth + 1 if found == "[[" else max(depth - 1, 0)
    parts.append(rest[start:])
    return parts


def _names(prop: str) -> list[Name]:
    """The properties a property part names: ``a:=b`` names two, as SMW's split does."""
    if ":" not in prop:  # the usual case, without the pattern
        return [Name(prop, 0, len(prop))]
    names, start = [], 0
    for separator in _SEPARATOR.finditer(prop):
        names.append(Name(prop[start:separator.start()], start, separator.start()))
        start = separator.end()
    names.append(Name(prop[start:], start, len(prop)))
    return names


@lru_cache(maxsize=4096)
def _property(written: str) -> tuple[str, str]:
    """The property SMW reads in a name written so, and why it stores nothing for it ("" when
    it takes it). Invisible characters are dropped, tags stripped, the name trimmed; the
    spelling is otherwise kept (page names fold it, ``page.names``). Once per spelling: names
    repeat from link to link."""
    name = _TAG.sub("", _decode(_visible(written))).strip()
    if not name:
        return name, "its property name is empty"
    bad = next((char for char in name if char in _INVALID), None)
    if bad is not None:
        shown = {"\n": "a line break", "\r": "a carriage return"}.get(bad, f"'{bad}'")
        return name, f"its property name holds {shown}, which SMW does not allow"
    if "." in name:
        return name, "its property name holds '.', which SMW reads as a property chain"
    name = name.rstrip(" ]").lstrip(" [").strip()
    if name.startswith("-"):
        return name, "its property name starts with '-', which names an inverse property"
    return name, ""


def _decode(text: str) -> str:
    """PHP's ``htmlspecialchars_decode``, which SMW applies to property names."""
    if "&" not in text:
        return text
    for entity, char in _ENTITIES.items():
        text = text.replace(entity, char)
    return text


def _visible(text: str) -> str:
    """``CharArmor``: SMW drops invisible format and control characters (a left-to-right mark,
    a zero-width space, a soft hyphen) from every name and value before reading it."""
    if "&" not in text and text.isprintable():  # the usual case, without a look at each
        return text
    for special, replacement in _SPECIAL.items():
        text = text.replace(special, replacement)
    return "".join(char for char in text
                   if char.isspace() or unicodedata.category(char)[0] != "C")
