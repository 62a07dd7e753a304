"""Semantic MediaWiki's side of a page: each in-text annotation shown where it is written, and
the facts box that lists them all.

SMW shows ``[[property::value|caption]]`` as its caption, or its value, as a link when the
property holds pages; the hover names the property. Which properties hold pages is what the
wiki's ``Property:`` pages say (``sync.smw.PROPERTIES``, which ``wikiflow smw-setup`` writes);
any other property is a Page, SMW's default. The guide's ``[[source::Type|Title|URL]]`` record
is shown as a link to the URL with its type.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from functools import lru_cache

from markupsafe import Markup

from ..page.model import Annotation, Page
from ..page.names import page_name
from ..sync.smw import PROPERTIES
from .html import escape_text
from .inline import is_url
from .links import Links, page_link

_TYPES = {page_name(prop.name).title.lower(): prop.type for prop in PROPERTIES}
SOURCE = "source"


def property_type(annotation: Annotation) -> str:
    """The SMW type of the annotation's property: Page unless a ``Property:`` page says else."""
    return _TYPES.get(page_name(annotation.property).title.lower(), "Page")


def source_record(annotation: Annotation) -> tuple[str, str, str] | None:
    """(type, title, URL) of the guide's ``[[source::Type|Title|URL]]``, or None when the
    annotation is not such a record (or its URL is no URL a link may point to)."""
    if annotation.prop != SOURCE or len(annotation.parts) < 3:
        return None
    kind, title, *url = (part.strip() for part in annotation.parts)
    address = "|".join(url)
    return (kind, title, address) if is_url(address) else None


def annotation_html(annotation: Annotation, caption_html: str | None, links: Links) -> str:
    """An annotation where it is written: ``caption_html`` (the caption rendered) or else its
    value, as a link when the property holds pages; nothing for a blank caption, which is how
    SMW writers hide an annotation."""
    hover = f"{annotation.property.strip()}: {annotation.value}"
    record = source_record(annotation)
    if record is not None:
        return _source_html(*record, hover)
    if caption_html is None:
        shown = escape_text(annotation.value)
    elif not annotation.caption or not annotation.caption.strip():
        return ""
    else:
        shown = caption_html
    return _shown_html(annotation.value, shown, links, hover, property_type(annotation) == "Page")


def _shown_html(value: str, shown: str, links: Links, hover: str, pages: bool) -> str:
    """``shown`` as a link to the page ``value`` when the property holds ``pages`` (and
    ``value`` can name one), else as text; the hover names the property."""
    if pages:
        linked = page_link(value, shown, links, css="smw-annotation", title=hover)
        if linked is not None:
            return linked
    return f'<span class="smw-annotation" title="{html.escape(hover)}">{shown}</span>'


def _source_html(kind: str, title: str, url: str, hover: str) -> str:
    return (f'<span class="smw-source" title="{html.escape(hover)}"><a rel="nofollow" '
            f'class="external text" href="{html.escape(url)}">{escape_text(title or url)}</a> '
            f'<span class="smw-source-type">({escape_text(kind)})</span></span>')


def factbox_html(page: Page, links: Links) -> Markup:
    """A facts box like Semantic MediaWiki's factbox: every annotation of the page, property →
    values (each once, in page order), properties by name as SMW sorts them; nothing when the
    page states no facts."""
    facts = _facts(page.annotations)
    if not facts:
        return Markup("")
    rows = "".join(_fact_row(name, values, links)
                   for name, values in sorted(facts.items(), key=lambda item: item[0].casefold()))
    about = escape_text(page.title or "this page")
    return Markup(f'<div class="smwfact"><div class="smwfactboxhead">Facts about {about}</div>\n'
                  f'<table class="smwfacttable">\n{rows}</table></div>')


def _facts(annotations: Iterable[Annotation]) -> dict[str, list[Annotation]]:
    """Property label → its annotations, one per distinct value, in page order."""
    facts: dict[str, dict[tuple[str, ...], Annotation]] = {}
    for annotation in annotations:
        label = page_name(annotation.property).title
        key = annotation.parts if annotation.prop == SOURCE else (annotation.value,)
        facts.setdefault(label, {}).setdefault(key, annotation)
    return {label: list(values.values()) for label, values in facts.items()}


def _fact_row(label: str, values: list[Annotation], links: Links) -> str:
    """A property's row of the facts box. Its values share the property (``label``), so
    whether they are source records and what type they hold is asked once a row, not once a
    value: the facts box was a third of a page's own work in a site build."""
    first = values[0]
    source, pages = first.prop == SOURCE, property_type(first) == "Page"
    shown = ", ".join(_fact_html(value, links, source=source, pages=pages) for value in values)
    return (f'<tr><th class="smwpropname" scope="row">{_property_html(label, links)}</th>'
            f'<td class="smwprops">{shown}</td></tr>\n')


def _property_html(label: str, links: Links) -> str:
    return page_link(f"Property:{label}", escape_text(label), links) or escape_text(label)


def _fact_html(annotation: Annotation, links: Links, *, source: bool, pages: bool) -> str:
    """A value in the facts box: a page by its name, a source record with its type, anything
    else as written; ``source`` and ``pages`` say what its property is (``_fact_row``)."""
    hover = f"{annotation.property.strip()}: {annotation.value}"
    record = source_record(annotation) if source else None
    if record is not None:
        return _source_html(*record, hover)
    return _shown_html(annotation.value, _value_html(annotation.value), links, hover, pages)


@lru_cache(maxsize=4096)
def _value_html(value: str) -> str:
    """A value as the facts box shows it: the page it names by its name, else as written.
    Kept: the values of a wiki's facts (its steps, domains, heuristics) recur on many pages."""
    name = page_name(value)
    return escape_text(name.full if name.valid else value)
