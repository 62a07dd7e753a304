"""Semantic MediaWiki set-up: the ``Property:`` pages that give the guide's properties a type.

Without them SMW treats every property as a Page, so ``last_updated`` cannot be sorted or
compared as a date. What SMW stores for each annotation, and what that means for queries on the
wiki, is in docs/sync.md ("What Semantic MediaWiki stores").
"""

from __future__ import annotations

from dataclasses import dataclass

from ..graph.dump import wiki_text
from ..graph.records import PROPERTY_TYPES
from .client import SyncError, WikiClient
from ..page.names import page_name
from .transfer import SyncReport, unified_diff
from .state import text_sha1

PROPERTY_NAMESPACE = "Property"


@dataclass(frozen=True, slots=True)
class Property:
    name: str
    about: str

    @property
    def type(self) -> str:
        """The type the index stores the property's values as (``records.PROPERTY_TYPES``)."""
        return PROPERTY_TYPES[self.name]

    @property
    def title(self) -> str:
        return f"{PROPERTY_NAMESPACE}:{page_name(self.name).title}"

    @property
    def text(self) -> str:
        return f"{self.about}\n\nThis property is of type [[Has type::{self.type}]]."


PROPERTIES = (
    Property("step",
             "A step of a Workflow: the Principle page it applies. A Workflow writes one "
             "<code><nowiki>[[step::Principle:Name]]</nowiki></code> per step heading, in step "
             "order."),
    Property("uses_heuristic",
             "A Heuristic page a Workflow relies on: "
             "<code><nowiki>[[uses_heuristic::Heuristic:Name]]</nowiki></code>."),
    Property("last_updated",
             "When the page was last brought up to date, in UTC: "
             "<code><nowiki>[[last_updated::2023-11-20 14:00 GMT]]</nowiki></code>."),
    Property("domain",
             "A subject tag of a Workflow: <code><nowiki>[[domain::Fine_Tuning]]</nowiki></code>."),
    Property("source",
             "The kind of a source the page is based on (Repo, Paper, Blog, ...). The page "
             "writes <code><nowiki>[[source::Type|Title|URL]]</nowiki></code>; Semantic "
             "MediaWiki keeps only the part before the first <code>|</code>, the type: title "
             "and URL are shown but not stored."),
)


def property_pages() -> dict[str, str]:
    """Title → text of every ``Property:`` page (what ``smw-setup --print`` shows)."""
    return {prop.title: prop.text for prop in PROPERTIES}


def setup(client: WikiClient, *, dry_run: bool = False, overwrite: bool = False,
          summary: str = "wikiflow smw-setup: property types") -> SyncReport:
    """Create the property pages; one that exists with other text is a conflict unless
    ``overwrite`` (someone may have described the property their own way)."""
    if PROPERTY_NAMESPACE.lower() not in client.namespaces():
        raise SyncError(f"{client.url} has no Property namespace: is Semantic MediaWiki "
                        f"installed? (smw-setup --print shows the pages to create by hand)")
    report = SyncReport(dry_run=dry_run)
    pages = property_pages()
    current = client.latest(pages, text=True)
    for title, text in pages.items():
        remote = current[title]
        if remote is not None and remote.sha1 == text_sha1(text):
            report.add(title, "", "same")
        elif remote is not None and not overwrite:
            report.add(title, "", "conflict", "exists with other text; --overwrite replaces it",
                       unified_diff(wiki_text(remote.text or ""), text, title, title))
        elif dry_run:
            old = wiki_text(remote.text or "") if remote is not None else ""
            report.add(title, "", "update" if remote else "create",
                       diff=unified_diff(old, text, title, title))
        else:
            saved = client.save(title, text, summary=summary, base=None if remote is None else remote.base)
            report.edits += saved.changed
            report.add(title, "", "update" if remote else "create", f"revision {saved.revid}")
    return report
