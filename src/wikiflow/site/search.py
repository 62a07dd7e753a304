"""The static site's search data: every page's title, namespace, site path and the start of
its overview, which ``assets/search.js`` matches as the reader types."""

from __future__ import annotations

from urllib.parse import quote

from .catalog import Catalog
from .output import json_script

#: Characters of an overview kept for search and shown under a hit.
OVERVIEW = 160


def search_data(catalog: Catalog) -> str:
    """``search-index.js``: ``window.wikiflowSearch`` = [[title, namespace, URL from the
    site's top, overview]…]."""
    rows = [[e.title, e.namespace, quote(catalog.paths[e.key]), " ".join(e.overview.split())[:OVERVIEW]]
            for e in catalog.existing() if e.key in catalog.paths]
    return json_script("wikiflowSearch", rows)
