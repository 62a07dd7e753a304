"""kapso's regex field extraction, the Workflow format's original "graph parser": the in-process
baseline of ``bench_parse.py`` and ``bench_lint.py`` (issue 18's ratios are against it).

Restated from Leeroo-AI/kapso, ``src/kapso/knowledge_base/search/kg_graph_search.py`` at commit
e2a8335b065ceb8ba55d36d20986fe2650d469d1: ``_parse_typed_md_file``, which kapso runs on every
``workflows/*.md`` page (the corpus's layout), minus its file read and the ``WikiPage`` it
builds. The regexes and what each extracts are kapso's, unchanged:

* ``_extract_overview``      the ``== Overview ==`` (or ``== Definition ==``) section's text, up to
                             the next heading or template, with ``[[Category:...]]`` links
                             removed and newlines collapsed;
* ``_extract_description``   the same for the ``=== Description ===`` subsection;
* ``_extract_domain_tags``   every ``[[domain::X]]`` value, underscores as spaces, first
                             occurrence kept;
* ``_extract_last_updated_tag``  the first ``[[last_updated::X]]`` value;
* ``_extract_sources``       the ``Repo URL`` row's ``[URL title]`` link and every
                             ``[[source::Type|Title|URL]]``;
* ``_extract_links``         every ``[[property::Type:Target]]`` annotation (the graph's edges:
                             step, uses_heuristic, ...).

Its patterns are compiled by ``re``'s cache on first use, as in kapso (``re.search`` with a
string pattern); the clock starts after a warm-up run, so that cost is not counted.
"""

from __future__ import annotations

import re


def _section(content: str, patterns: tuple[str, ...]) -> str:
    """kapso's ``_extract_overview``/``_extract_description``: the first pattern's match,
    cleaned."""
    for pattern in patterns:
        match = re.search(pattern, content, re.DOTALL)
        if match:
            text = re.sub(r"\[\[Category:[^\]]+\]\]", "", match.group(1).strip())
            return re.sub(r"\n+", " ", text).strip()
    return ""


_OVERVIEW = (r"== Overview ==\s*\n+(.+?)(?=\n==|\n\{\{|\Z)",
             r"== Definition ==\s*\n+(.+?)(?=\n==|\n\{\{|\Z)")
_DESCRIPTION = (r"=== Description ===\s*\n+(.+?)(?=\n===|\n==|\n\{\{|\Z)",)


def _domain_tags(content: str) -> list[str]:
    """kapso's ``_extract_domain_tags``."""
    domains: list[str] = []
    for match in re.finditer(r"\[\[domain::([^\]]+)\]\]", content):
        domain = match.group(1).strip().replace("_", " ")
        if domain and domain not in domains:
            domains.append(domain)
    return domains


def _last_updated(content: str) -> str | None:
    """kapso's ``_extract_last_updated_tag``."""
    match = re.search(r"\[\[last_updated::([^\]]+)\]\]", content)
    return match.group(1).strip() if match else None


def _sources(content: str) -> list[dict[str, str]]:
    """kapso's ``_extract_sources``."""
    sources = []
    repo = re.search(r"Repo URL\s*\n\|\|?\s*\[([^\s\]]+)\s+([^\]]+)\]", content)
    if repo:
        sources.append({"type": "Repo", "url": repo.group(1), "title": repo.group(2).strip()})
    for match in re.finditer(r"\[\[source::(\w+)\|([^|]+)\|([^\]]+)\]\]", content):
        sources.append({"type": match.group(1), "title": match.group(2),
                        "url": match.group(3)})
    return sources


def _links(content: str) -> list[dict[str, str]]:
    """kapso's ``_extract_links``."""
    return [{"edge_type": m.group(1), "target_type": m.group(2), "target_id": m.group(3)}
            for m in re.finditer(r"\[\[(\w+)::(\w+):([^\]]+)\]\]", content)]


def extract(content: str) -> dict[str, object]:
    """Every field kapso's ``_parse_typed_md_file`` takes from one page's text."""
    return {"overview": _section(content, _OVERVIEW),
            "description": _section(content, _DESCRIPTION),
            "domains": _domain_tags(content), "last_updated": _last_updated(content),
            "sources": _sources(content), "outgoing_links": _links(content)}
