"""Where each page of the site is written, and the links between them.

A page's HTML file is its file in a type-folder wiki (``files.layout.path_for_page``) with
``.html``: that map is reversible and makes only safe names (unsafe characters
percent-encoded, no ``..``, long titles cut into folders), so nothing a title holds can name a
file outside the site's folder. Main-namespace pages go below ``main/``, so that no title
lands on ``index.html`` or a folder of the site's own (``assets/``, ``domains/``).
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from urllib.parse import quote

from ..errors import InputError
from ..files.layout import FOLDER_OF, path_for_page
from ..page.names import page_name

HTML = ".html"
INDEX = "index.html"
GRAPH = "graph.html"
MAIN_FOLDER = "main"
DOMAIN_FOLDER = "domains"
LIST_FOLDER = "lists"
ASSETS = "assets"


def page_path(key: str) -> str | None:
    """The site path (relative, with ``/``) of the page ``key``; None for a name no file can
    hold (the page is then listed but has no page of its own)."""
    name = page_name(key)
    try:
        path = path_for_page(name, HTML)
    except InputError:
        return None
    return path if name.namespace in FOLDER_OF else f"{MAIN_FOLDER}/{path}"


@lru_cache(maxsize=4096)
def domain_path(domain: str) -> str:
    """The site path of the page listing a domain's pages. A domain is free text; one that no
    file name can hold gets a name from its hash."""
    try:
        return f"{DOMAIN_FOLDER}/{path_for_page(page_name(domain), HTML)}"
    except InputError:
        digest = hashlib.sha1(domain.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        return f"{DOMAIN_FOLDER}/domain-{digest}{HTML}"


def href(source: str, target: str, fragment: str = "") -> str:
    """The relative URL from the site page ``source`` to ``target`` (both site paths),
    percent-encoded: a file name's ``%`` must reach the browser as ``%25``. Up to the site's
    top and down again (``../principles/X.html`` from a Workflow): site paths are normal
    relative paths, and this runs for every link of every page."""
    relative = "../" * source.count("/") + _quoted(target)  # quote leaves "../" as it is
    return relative + (f"#{quote(fragment)}" if fragment else "")


def _quoted(path: str) -> str:
    """``path`` percent-encoded. Most site paths hold only characters ``quote`` keeps: one
    match in C tells, where a cache of quoted paths (65,536) missed on most of a 400,000-page
    site's list pages and ``quote`` took a third of writing them."""
    return path if _KEPT.fullmatch(path) else quote(path)


#: What ``quote`` leaves as it is (its safe ``/`` and the unreserved characters of RFC 3986).
_KEPT = re.compile(r"[A-Za-z0-9_.\-~/]*")


def list_path(namespace: str) -> str:
    """The site path of the list of a namespace's pages (``lists/Workflow.html``; the main
    namespace's is ``lists/main.html``)."""
    return f"{LIST_FOLDER}/{namespace or MAIN_FOLDER}{HTML}"
