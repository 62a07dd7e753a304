"""The Jinja2 environment of the site (autoescape on: page text is untrusted) and the security
policy every page carries.

No page holds inline script: the scripts are files under ``assets/`` and what they need from a
page is in ``data-`` attributes (escaped like any attribute), so the Content-Security-Policy can
forbid inline script outright. Styles may be inline: Mermaid writes a ``<style>`` into each
diagram it draws.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, Template, select_autoescape
from markupsafe import Markup, escape

#: The policy of every page, as a ``<meta>`` tag in the static site and a header in ``serve``.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; "
       "form-action 'self'; object-src 'none'")


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The one environment: templates from the package, every value escaped. Templates are
    package data, not edited while a build runs: ``auto_reload`` off spares a stat of each
    template file per page rendered (three per page)."""
    env = Environment(loader=PackageLoader("wikiflow.site", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      auto_reload=False)
    # Only the policy: the templates use none of Jinja2's own globals (range, lipsum...),
    # and each was copied into every page's context, through a ChainMap, as it was rendered.
    env.globals = {"csp": CSP}
    env.filters["items"] = list_items
    return env


def list_items(rows: Iterable[Sequence[Any]], note_class: str = "how") -> Markup:
    """The ``<li>`` of each row ``(title, href[, note])`` of a list (the ``items`` filter): a
    link, red (``class="new"``, no href) when ``href`` is None, then the note, when there is
    one, in a span of ``note_class``. Every value is escaped as the templates escape it.

    A loop of the templates' own cost some 3 µs a row, and the list pages of a 400,000-page
    wiki hold over a million rows (``bench/bench_site.py``): this is the one loop of the
    templates written in Python."""
    out = []
    for title, href, *note in rows:
        link = (f'<a href="{escape(href)}">{escape(title)}</a>' if href
                else f'<a class="new">{escape(title)}</a>')
        shown = note[0] if note else None
        out.append(f"<li>{link}</li>" if shown is None or shown == "" else
                   f'<li>{link} <span class="{note_class}">{escape(shown)}</span></li>')
    return Markup("".join(out))


def render(template: str, **context: Any) -> str:
    """``template`` filled with ``context``; ``root`` (the relative way to the site's top,
    ``""`` or ``"../"``…) must be in it for the links to assets."""
    return _template(template).render(**context)


@lru_cache(maxsize=None)
def _template(name: str) -> Template:
    """The template ``name``, loaded once: the environment's own cache takes a lock and
    reorders its entries on every page (``auto_reload`` is off: it never loads one again)."""
    return environment().get_template(name)
