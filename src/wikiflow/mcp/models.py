"""What the MCP tools answer: pydantic models, from which the SDK publishes each tool's output
schema and checks every answer against it before it leaves the server.

The fields are those of the commands' ``--format json`` (``show``, ``search``, ``query``,
``lint``), so an agent and a script read the same names.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from ..lint.rules.base import Diagnostic


class Finding(BaseModel):
    """One lint finding, positioned in the text linted."""

    code: str
    name: str
    severity: str
    line: int
    column: int
    end_line: int
    end_column: int
    message: str
    fix: str | None = Field(description="The fix's applicability (safe, unsafe), or null: "
                                        "none exists and a person must decide")
    fix_title: str | None


def findings_of(diagnostics: list[Diagnostic]) -> list[Finding]:
    """The diagnostics as findings (their ``--format json`` fields, the fix's edits left out)."""
    return [Finding(code=d.code, name=d.name, severity=d.severity.value, line=d.span.line,
                    column=d.span.column, end_line=d.span.end_line,
                    end_column=d.span.end_column, message=d.message,
                    fix=d.fix.applicability.value if d.fix else None,
                    fix_title=d.fix.title if d.fix else None) for d in diagnostics]


class SearchHit(BaseModel):
    page: str
    match: str = Field(description="title: the title holds every word; text: the text does")
    score: float
    snippet: str = Field(description="Words around the matches, each match in [brackets]")


class SearchResult(BaseModel):
    hits: list[SearchHit]


class AskMeta(BaseModel):
    count: int
    offset: int
    total: int


class AskAnswer(BaseModel):
    """As Semantic MediaWiki's ``action=ask`` answers (``wikiflow query --format json``)."""

    results: list[dict[str, Any]]
    meta: AskMeta
    query_continue_offset: int | None = Field(default=None, alias="query-continue-offset")
    warnings: list[str] | None = Field(default=None, description=(
        "What the query asked for that was not applied (a parameter ignored, a sort key no "
        "page has), as `wikiflow query` reports it on standard error"))


class SourceView(BaseModel):
    type: str
    title: str
    url: str


class StepView(BaseModel):
    number: int | None = Field(description="As the heading writes it (null: none)")
    name: str
    principle: str | None = Field(description="The Principle page's key")
    principle_exists: bool
    body: str


class HeuristicView(BaseModel):
    name: str
    exists: bool


class LinkView(BaseModel):
    target: str = Field(description="The key of the page linked to")
    property: str | None = Field(description="The annotation's property, null for a plain link")


class Backlink(BaseModel):
    page: str
    property: str
    step: int | None
    step_name: str | None


class PageView(BaseModel):
    """A page as ``get_page`` answers: read from its file, with what the index knows of the
    pages around it. ``revision`` is the hash of exactly the text returned."""

    page: str
    namespace: str
    title: str
    exists: bool
    path: str | None
    revision: str | None = Field(description="Content hash of the file: write_page's "
                                             "base_revision")
    text: str | None
    sources: list[SourceView] = []
    domains: list[str] = []
    last_updated: str | None = None
    overview: str = ""
    description: str = ""
    usage: str = ""
    steps: list[StepView] = []
    heuristics: list[HeuristicView] = []
    diagram: str | None = None
    links: list[LinkView] = []
    backlinks: list[Backlink] = []
    findings: list[Finding] = []
    other_type: str | None = Field(default=None, description="Why the page is not linted as a "
                                                             "Workflow, if it is not one")


class Neighbour(BaseModel):
    page: str
    distance: int
    via: str


class Sharing(BaseModel):
    workflow: str
    shared: list[str]


class Related(BaseModel):
    """A page's neighbourhood (``wikiflow show``'s, and pages further out with ``depth``)."""

    page: str
    steps: list[dict[str, Any]] = []
    heuristics: list[HeuristicView] = []
    used_by: list[Backlink] = []
    shares_principles_with: list[Sharing] = []
    neighbours: list[Neighbour] = []


class LintReport(BaseModel):
    findings: list[Finding]
    other_type: str | None = None


class FixResult(BaseModel):
    text: str
    changed: bool
    fixes_applied: int
    converged: bool
    findings: list[Finding] = Field(description="What the fixes left")


class NewPage(BaseModel):
    title: str
    text: str
    findings: list[Finding]


class WriteResult(BaseModel):
    page: str
    path: str
    revision: str
    created: bool
    warnings: list[Finding] = Field(description="Findings below error that the page keeps")
