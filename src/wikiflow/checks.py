"""Checks over a whole indexed wiki: what no single page can tell (WF7xx).

Each check is one SQL query over the index and yields diagnostics in the same form as the page
rules, so ``wikiflow check`` has the same output formats and exit codes as ``wikiflow lint``.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from .config import DEFAULT_MAX_AGE_DAYS
from .lint import LintResult
from .model import Severity
from .rules.base import Diagnostic


@dataclass(frozen=True, slots=True)
class StoredSpan:
    """A position known only by line and column (read from the index, not from the text)."""

    line: int
    column: int
    start: int = 0
    end: int = 0
    index: None = None

    @property
    def end_line(self) -> int:
        return self.line

    @property
    def end_column(self) -> int:
        return self.column

    def to_dict(self) -> dict[str, int]:
        return {"start": 0, "end": 0, "line": self.line, "column": self.column,
                "end_line": self.line, "end_column": self.column}


@dataclass(frozen=True, slots=True)
class WikiCheck:
    code: str
    name: str
    severity: Severity
    summary: str
    run: Callable[[sqlite3.Connection, WikiCheck, int], Iterator[Diagnostic]]

    def report(self, path: str | None, line: int, column: int, message: str) -> Diagnostic:
        return Diagnostic(self.code, self.name, self.severity, message,
                          StoredSpan(max(line, 1), max(column, 1)), None, path)  # type: ignore[arg-type]


def _dangling(prop: str, kind: str) -> Callable[..., Iterator[Diagnostic]]:
    def run(conn: sqlite3.Connection, check: WikiCheck, _: int) -> Iterator[Diagnostic]:
        rows = conn.execute(
            "SELECT s.path, e.line, e.column_, t.key, s.key FROM edges e "
            "JOIN pages s ON s.id = e.source JOIN pages t ON t.id = e.target "
            "WHERE t.exists_ = 0 AND " + ("e.property = ?" if prop else
                                          "e.property NOT IN ('step', 'uses_heuristic')")
            + " ORDER BY s.path, e.line", (prop,) if prop else ())
        for path, line, column, target, source in rows:
            yield check.report(path, line, column, f"{source} links to {kind} '{target}', "
                               "which has no page in this wiki")
    return run


def _unused(namespace: str, prop: str) -> Callable[..., Iterator[Diagnostic]]:
    def run(conn: sqlite3.Connection, check: WikiCheck, _: int) -> Iterator[Diagnostic]:
        rows = conn.execute(
            "SELECT p.path, p.key FROM pages p WHERE p.namespace = ? AND p.exists_ = 1 AND "
            "NOT EXISTS (SELECT 1 FROM edges e JOIN pages w ON w.id = e.source WHERE "
            "e.target = p.id AND e.property = ? AND w.namespace = 'Workflow') ORDER BY p.path",
            (namespace, prop))
        for path, key in rows:
            yield check.report(path, 1, 1, f"no Workflow uses {key} (no [[{prop}::{key}]] "
                               "on any Workflow page)")
    return run


def _duplicate_titles(conn: sqlite3.Connection, check: WikiCheck, _: int) -> Iterator[Diagnostic]:
    rows = conn.execute(
        "SELECT f.path, p.key, (SELECT group_concat(g.path, ', ') FROM files g WHERE "
        "g.page = f.page AND g.path != f.path) FROM files f JOIN pages p ON p.id = f.page "
        "WHERE (SELECT count(*) FROM files g WHERE g.page = f.page) > 1 ORDER BY f.path")
    for path, key, others in rows:
        yield check.report(path, 1, 1, f"this file and {others} are all page '{key}' "
                           "(names that differ only by case of the first letter, '_' or spaces)")


def _duplicate_workflows(conn: sqlite3.Connection, check: WikiCheck, _: int
                         ) -> Iterator[Diagnostic]:
    sequences: dict[tuple[int, ...], list[tuple[str, str]]] = defaultdict(list)
    rows = conn.execute(
        "SELECT w.path, w.key, group_concat(e.target, ',') FROM pages w JOIN "
        "(SELECT source, target FROM edges WHERE property = 'step' ORDER BY source, position) e "
        "ON e.source = w.id WHERE w.namespace = 'Workflow' GROUP BY w.id")
    for path, key, targets in rows:
        sequences[tuple(int(t) for t in targets.split(","))].append((path, key))
    for pages in sequences.values():
        for path, key in pages[1:] if len(pages) > 1 else ():
            yield check.report(path, 1, 1, f"{key} has the same ordered principles as "
                               f"{pages[0][1]}; likely a duplicate recipe")


def _stale(conn: sqlite3.Connection, check: WikiCheck, max_age_days: int) -> Iterator[Diagnostic]:
    cutoff = (datetime.now(timezone.utc) - timedelta(days=max_age_days)).isoformat()
    rows = conn.execute("SELECT path, key, last_updated FROM pages WHERE exists_ = 1 AND "
                        "last_updated IS NOT NULL AND last_updated < ? ORDER BY path", (cutoff,))
    for path, key, updated in rows:
        yield check.report(path, 1, 1, f"{key} was last updated {updated[:10]}, more than "
                           f"{max_age_days} days ago")


CHECKS: tuple[WikiCheck, ...] = (
    WikiCheck("WF701", "dangling-step", Severity.ERROR,
              "A step links to a Principle page that does not exist.",
              _dangling("step", "Principle")),
    WikiCheck("WF702", "dangling-heuristic", Severity.ERROR,
              "A workflow uses a Heuristic page that does not exist.",
              _dangling("uses_heuristic", "Heuristic")),
    WikiCheck("WF703", "dangling-link", Severity.WARNING,
              "An annotation or link names a page that does not exist.", _dangling("", "page")),
    WikiCheck("WF704", "unused-principle", Severity.WARNING,
              "A Principle page no Workflow uses as a step.", _unused("Principle", "step")),
    WikiCheck("WF705", "unused-heuristic", Severity.WARNING,
              "A Heuristic page no Workflow uses.", _unused("Heuristic", "uses_heuristic")),
    WikiCheck("WF706", "duplicate-title", Severity.ERROR,
              "Several files are the same page once names are normalised.", _duplicate_titles),
    WikiCheck("WF707", "duplicate-workflow", Severity.WARNING,
              "Two Workflows have the same ordered principle sequence.", _duplicate_workflows),
    WikiCheck("WF708", "stale-page", Severity.INFO,
              "A page's Last Updated is older than the configured age.", _stale),
)


def check_wiki(conn: sqlite3.Connection, enabled: Callable[[str, str], bool],
               max_age_days: int = DEFAULT_MAX_AGE_DAYS) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for check in CHECKS:
        if enabled(check.code, check.name):
            found.extend(check.run(conn, check, max_age_days))
    return found


def results_by_file(root: Path, diagnostics: list) -> list[LintResult]:
    """Whole-wiki findings grouped by file, with each file's text for the snippets."""
    by_path: dict[str, list] = {}
    for diagnostic in diagnostics:
        by_path.setdefault(diagnostic.path, []).append(diagnostic)
    results = []
    for path, found in by_path.items():
        file = root / path if path and root.is_dir() else None
        text = file.read_text(encoding="utf-8", errors="replace") if file and file.is_file() \
            else ""
        for diagnostic in found:
            diagnostic.path = str(file) if file else path
        results.append(LintResult(str(file) if file else path, text, found))
    return results
