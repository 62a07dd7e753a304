"""The MCP tools that read, as plain library functions: each is a thin layer over the call its
command makes (``Wiki.search``, ``Wiki.ask``, ``Wiki.show``, ``lint_source``, ``new_page``) and
answers with a model of ``models``. The server (``server``) gives each its ``Wiki``.

Reads of the index run inside ``Wiki.snapshot``: an answer is made from one state of the
index, even while a page is being written beside it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..config import Config
from ..errors import InputError, StoreError
from ..graph.wiki import Located, Wiki, ask_data
from ..lint.engine import lint_source
from ..lint.runner import fixed_text, new_page
from ..page.model import Page
from ..page.names import namespaced_key, page_name
from ..page.structured import PageSpec
from .models import (AskAnswer, Backlink, FixResult, HeuristicView, LinkView, LintReport,
                     Neighbour, NewPage, PageView, Related, SearchHit, SearchResult, SourceView,
                     StepView, findings_of)

#: The longest page text a tool takes, in characters: MediaWiki's default ``$wgMaxArticleSize``
#: (2,048 KiB), beyond which a wiki would refuse the page anyway.
MAX_TEXT = 2 * 1024 * 1024
#: The most pages ``related`` walks out to, and the most links away.
MAX_RELATED = 200
MAX_DEPTH = 3


def revision_of(data: bytes) -> str:
    """A page's revision: the hash of its file's bytes, as the index stores it (``files``)."""
    return hashlib.sha1(data).hexdigest()


def search(wiki: Wiki, query: str, namespace: str | None = None, limit: int = 10
           ) -> SearchResult:
    """Title and full-text search (``wikiflow search``)."""
    with wiki.snapshot():
        hits = wiki.search(query, limit=limit, namespace=namespace)
    return SearchResult(hits=[SearchHit(**hit) for hit in hits])


def ask(wiki: Wiki, query: str) -> AskAnswer:
    """An ``#ask`` query's rows (``wikiflow query --format json``)."""
    with wiki.snapshot():
        return AskAnswer.model_validate(ask_data(wiki.ask(query)))


def locate(wiki: Wiki, title: str) -> Located:
    """The node ``title`` means; a ``StoreError`` naming the pages it may have meant."""
    found = wiki.locate(title)
    if found is None:
        similar = wiki.similar(title)
        hint = f"; did you mean {' or '.join(similar)}?" if similar else ""
        raise StoreError(f"no page {title!r} in the wiki{hint}")
    return found


def get_page(wiki: Wiki, title: str, config: Config) -> PageView:
    """The page ``title`` names, read from its file now: its parts, its lint findings and its
    revision, with the index's backlinks and whether its steps' and heuristics' pages exist."""
    with wiki.snapshot():
        found = locate(wiki, title)
        name = page_name(found.key)
        view = PageView(page=found.key, namespace=name.namespace, title=name.title,
                        exists=found.exists, path=found.path, revision=None, text=None,
                        backlinks=[Backlink(**row) for row in wiki.used_by(found.id)])
        if not found.exists or found.path is None:  # only linked to: nothing to read
            return view
        data = read_page_file(wiki, found.path)
        linted = lint_source(data, path=found.path, title=name.title, config=config)
        page = linted.page
        assert page is not None  # linted without fixes: the page is the one parsed
        known = wiki.existing([*(_key(step.target) for step in page.steps),
                               *(_key(h.target) for h in page.heuristics)])
    view.text, view.revision = linted.source, revision_of(data)
    view.findings, view.other_type = findings_of(linted.diagnostics), linted.other_type
    _fill(view, page, known)
    return view


def _fill(view: PageView, page: Page, known: set[str]) -> None:
    """The parts of a parsed page, into ``view``."""
    view.sources = [SourceView(type=s.type, title=s.title, url=s.url) for s in page.sources]
    view.domains = [domain.name for domain in page.domains]
    view.last_updated = page.last_updated.isoformat() if page.last_updated else None
    view.overview, view.description, view.usage = page.overview, page.description, page.usage
    view.steps = [StepView(number=step.number, name=step.name, principle=_key(step.target),
                           principle_exists=_key(step.target) in known, body=step.body)
                  for step in page.steps]
    view.heuristics = [HeuristicView(name=_key(h.target), exists=_key(h.target) in known)
                       for h in page.heuristics]
    view.diagram = page.diagram.source if page.diagram else None
    view.links = [*(LinkView(target=key, property=a.prop) for a in page.annotations
                    if (key := namespaced_key(a.value)) is not None),
                  *(LinkView(target=page_name(link.target).key, property=None)
                    for link in page.links if page_name(link.target).valid)]


def _key(target: str | None) -> str | None:
    """The key of the page an annotation's value names, as the index resolves it."""
    return None if target is None else page_name(target).key


def read_page_file(wiki: Wiki, path: str) -> bytes:
    """The bytes of the wiki's page file at ``path`` (relative to the wiki's folder)."""
    file = wiki_folder(wiki) / path
    try:
        return file.read_bytes()
    except OSError as error:
        raise InputError(f"{file}: cannot read: {error.strerror or error}") from error


def wiki_folder(wiki: Wiki) -> Path:
    """The wiki's folder (the server is started on one, never on a dump)."""
    if wiki.source is None or not wiki.source.is_dir():
        raise InputError("the MCP server reads and writes a wiki folder, not a dump")
    return wiki.source


def related(wiki: Wiki, title: str, depth: int = 1) -> Related:
    """``title``'s neighbourhood as ``wikiflow show`` gives it, and with ``depth`` > 1 every
    page up to that many links away (either way, at most ``MAX_RELATED``)."""
    with wiki.snapshot():
        shown = wiki.show(locate(wiki, title).key)
        around = wiki.neighbours(shown["page"], min(depth, MAX_DEPTH), limit=MAX_RELATED)
    return Related(page=shown["page"], steps=shown.get("steps", []),
                   heuristics=shown.get("heuristics", []), used_by=shown.get("used_by", []),
                   shares_principles_with=shown.get("shares_principles_with", []),
                   neighbours=[Neighbour(**hit) for hit in around])


def lint_page(text: str, title: str | None, config: Config) -> LintReport:
    """The findings for a page's text (``wikiflow lint``); the title decides its type."""
    linted = lint_source(text, title=title, config=config)
    return LintReport(findings=findings_of(linted.diagnostics), other_type=linted.other_type)


def fix_page(text: str, unsafe: bool, config: Config) -> FixResult:
    """The page with its fixes applied until nothing changes (``wikiflow lint --fix``)."""
    linted = lint_source(text, config=config, fix=True, unsafe=unsafe)
    return FixResult(text=fixed_text(linted), changed=linted.changed,
                     fixes_applied=linted.fixes_applied, converged=linted.converged,
                     findings=findings_of(linted.diagnostics))


def new_page_from_spec(spec: PageSpec, config: Config) -> NewPage:
    """The wikitext of a page written from the structured form (``wikiflow new --from``),
    with its findings (none, for a spec the schema accepts, unless the wiki's rules differ)."""
    text = new_page(spec.title, spec)
    linted = lint_source(text, title=spec.title, config=config)
    return NewPage(title=spec.title, text=text, findings=findings_of(linted.diagnostics))
