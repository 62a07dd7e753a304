"""Internal links as MediaWiki draws them: a page that exists is a link to its page in the site,
a missing one is red (``class="new"``), a ``#fragment`` points into a page's headings.

Which pages exist and where they live is the site's business: it hands in a ``Links`` function.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import lru_cache

from ..page.names import page_name, title_error

#: A page title as written in a link → the relative href of that page in the site, or None
#: when the page does not exist (the link is then red, as in MediaWiki).
Links = Callable[[str], str | None]

_BLANKS = re.compile(r"[\s_]+")
#: Namespaces whose links MediaWiki does not draw where they are written.
HIDDEN_NAMESPACES = frozenset({"Category"})


def anchor(text: str) -> str:
    """A heading's id and a link's fragment, as MediaWiki's HTML5 fragment mode writes them
    (blanks as ``_``), so that ``[[#Step 1: Load]]`` reaches ``=== Step 1: Load ===``."""
    return _BLANKS.sub("_", text.strip())


@lru_cache(maxsize=4096)
def target_title(target: str) -> str | None:
    """The page a link's target names (without its fragment), as MediaWiki displays it
    (``Principle:Data formatting``); None when MediaWiki would refuse it as a title, and then
    the link is shown as text. Kept: the same targets recur on every page (a link, each fact
    of the facts box)."""
    name = page_name(target.partition("#")[0])
    return None if title_error(name.title) else name.full


def page_link(target: str, inner_html: str, links: Links, *, css: str = "",
              title: str | None = None) -> str | None:
    """``<a>`` around ``inner_html`` for a link to ``target`` (page, ``page#fragment`` or
    ``#fragment``); None when ``target`` is no valid title. ``title`` overrides the hover text
    (annotations show their property there)."""
    page, hash_, fragment = target.strip().partition("#")
    href_fragment = f"#{html.escape(anchor(fragment))}" if hash_ else ""
    if not page.strip():
        return f'<a href="{href_fragment}">{inner_html}</a>' if href_fragment else None
    full = target_title(page)
    if full is None:
        return None
    href = links(page.strip())
    hover = html.escape(title or full)
    if href is None:
        return (f'<a class="{f"{css} new" if css else "new"}" '
                f'title="{hover} (page does not exist)">{inner_html}</a>')
    attrs = f' class="{css}"' if css else ""
    return f'<a href="{html.escape(href + href_fragment)}"{attrs} title="{hover}">{inner_html}</a>'
