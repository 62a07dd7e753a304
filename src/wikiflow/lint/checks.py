"""Checks over a whole indexed wiki: what no single page can tell (WF7xx).

Each check is one SQL query over the index and yields diagnostics in the same form as the page
rules, so ``wikiflow check`` has the same output formats and exit codes as ``wikiflow lint``.
"""

from __future__ import annotations

import inspect
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import ClassVar

from ..config import DEFAULT_MAX_AGE_DAYS
from .engine import LintResult
from ..page.model import Severity
from .rules.base import Diagnostic, RuleDoc, parse_doc


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


class WikiCheck:
    """Base class of the whole-wiki checks: like a page rule (``rules.base.Rule``), a unit with
    ``code``, ``name``, ``severity`` and a docstring in the rules' sections, from which
    ``wikiflow rule``, ``wikiflow rules`` and ``docs/rules.md`` are generated; ``run`` is a
    query over the index rather than a look at one page. No check has an automatic fix: a
    person decides whether to write the missing page or mend the link."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    fix: ClassVar[None] = None

    @classmethod
    def doc(cls) -> RuleDoc:
        return parse_doc(inspect.getdoc(cls) or "", cls.code)

    @classmethod
    def run(cls, conn: sqlite3.Connection, max_age_days: int) -> Iterator[Diagnostic]:
        raise NotImplementedError

    @classmethod
    def report(cls, path: str | None, line: int, column: int, message: str) -> Diagnostic:
        return Diagnostic(cls.code, cls.name, cls.severity, message,
                          StoredSpan(max(line, 1), max(column, 1)), None, path)  # type: ignore[arg-type]


class _DanglingCheck(WikiCheck):
    """Links under ``prop`` (every other property when empty) to a ``kind`` page not there."""

    prop: ClassVar[str]
    kind: ClassVar[str]

    @classmethod
    def run(cls, conn: sqlite3.Connection, max_age_days: int) -> Iterator[Diagnostic]:
        rows = conn.execute(
            "SELECT s.path, e.line, e.column_, t.key, s.key FROM edges e "
            "JOIN pages s ON s.id = e.source JOIN pages t ON t.id = e.target "
            "WHERE t.exists_ = 0 AND " + ("e.property = ?" if cls.prop else
                                          "e.property NOT IN ('step', 'uses_heuristic')")
            + " ORDER BY s.path, e.line", (cls.prop,) if cls.prop else ())
        for path, line, column, target, source in rows:
            yield cls.report(path, line, column, f"{source} links to {cls.kind} '{target}', "
                             "which has no page in this wiki")


class DanglingStep(_DanglingCheck):
    """A step links to a Principle page that does not exist.

    ## Why is this bad?
    The step's theory is the Principle page: a reader who follows the link finds nothing, and
    the graph has a step that leads nowhere (a missing node).

    ## Example
    ```wikitext
    <!-- the wiki has no page Principle:Quantisation -->
    === Step 1: Quantize the base model ===
    [[step::Principle:Quantisation]]
    ```
    Use instead:
    ```wikitext
    <!-- the wiki has principles/Quantization.mediawiki -->
    === Step 1: Quantize the base model ===
    [[step::Principle:Quantization]]
    ```

    ## Fix safety
    No fix: a person decides whether the page is missing or the link is wrong.
    """

    code, name, severity = "WF701", "dangling-step", Severity.ERROR
    prop, kind = "step", "Principle"


class DanglingHeuristic(_DanglingCheck):
    """A Workflow uses a Heuristic page that does not exist.

    ## Why is this bad?
    The tip the Workflow points to cannot be read, and the graph has a heuristic edge that
    leads nowhere.

    ## Example
    ```wikitext
    <!-- the wiki has no page Heuristic:Grad_Checkpointing -->
    * [[uses_heuristic::Heuristic:Grad_Checkpointing]]
    ```
    Use instead:
    ```wikitext
    <!-- the wiki has heuristics/Gradient_Checkpointing.mediawiki -->
    * [[uses_heuristic::Heuristic:Gradient_Checkpointing]]
    ```

    ## Fix safety
    No fix: a person decides whether the page is missing or the link is wrong.
    """

    code, name, severity = "WF702", "dangling-heuristic", Severity.ERROR
    prop, kind = "uses_heuristic", "Heuristic"


class DanglingLink(_DanglingCheck):
    """An annotation or link names a page that does not exist.

    ## Why is this bad?
    Any other page-valued annotation or plain link to a page in a known namespace is an edge of
    the graph; one to a page the wiki does not have is a red link on the wiki.

    ## Example
    ```wikitext
    <!-- the wiki has no page Implementation:Load_In_4bit -->
    See [[Implementation:Load_In_4bit]] for the code.
    ```
    Use instead:
    ```wikitext
    <!-- the wiki has implementations/BitsAndBytes_Load_In_4bit.mediawiki -->
    See [[Implementation:BitsAndBytes_Load_In_4bit]] for the code.
    ```

    ## Fix safety
    No fix: a person decides whether the page is missing or the link is wrong.
    """

    code, name, severity = "WF703", "dangling-link", Severity.WARNING
    prop, kind = "", "page"


class _UnusedCheck(WikiCheck):
    """Pages of ``namespace`` that no Workflow links under ``prop``."""

    namespace: ClassVar[str]
    prop: ClassVar[str]

    @classmethod
    def run(cls, conn: sqlite3.Connection, max_age_days: int) -> Iterator[Diagnostic]:
        rows = conn.execute(
            "SELECT p.path, p.key FROM pages p WHERE p.namespace = ? AND p.exists_ = 1 AND "
            "NOT EXISTS (SELECT 1 FROM edges e JOIN pages w ON w.id = e.source WHERE "
            "e.target = p.id AND e.property = ? AND w.namespace = 'Workflow') ORDER BY p.path",
            (cls.namespace, cls.prop))
        for path, key in rows:
            yield cls.report(path, 1, 1, f"no Workflow uses {key} (no [[{cls.prop}::{key}]] "
                             "on any Workflow page)")


class UnusedPrinciple(_UnusedCheck):
    """A Principle page no Workflow uses as a step.

    ## Why is this bad?
    A Principle exists to explain a step of a recipe; one that no Workflow reaches is either
    left over from a removed step or linked under another name (a step's link has a typo).

    ## Example
    ```wikitext
    <!-- principles/LoRA_Rank_Selection.mediawiki, and no Workflow page has: -->
    [[step::Principle:LoRA_Rank_Selection]]
    ```
    Use instead:
    ```wikitext
    <!-- on the Workflow page the Principle belongs to (or delete the page) -->
    === Step 3: Choose the adapter rank ===
    [[step::Principle:LoRA_Rank_Selection]]
    ```

    ## Fix safety
    No fix: a person decides which Workflow needs the Principle, if any.
    """

    code, name, severity = "WF704", "unused-principle", Severity.WARNING
    namespace, prop = "Principle", "step"


class UnusedHeuristic(_UnusedCheck):
    """A Heuristic page no Workflow uses.

    ## Why is this bad?
    A Heuristic is a tip for recipes; one no Workflow lists under Tips and Tricks is never met
    by a reader following a recipe.

    ## Example
    ```wikitext
    <!-- heuristics/Warmup_Steps.mediawiki, and no Workflow page has: -->
    * [[uses_heuristic::Heuristic:Warmup_Steps]]
    ```
    Use instead:
    ```wikitext
    <!-- in the Tips and Tricks of a Workflow it helps (or delete the page) -->
    * [[uses_heuristic::Heuristic:Warmup_Steps]]
    ```

    ## Fix safety
    No fix: a person decides which Workflow the tip helps, if any.
    """

    code, name, severity = "WF705", "unused-heuristic", Severity.WARNING
    namespace, prop = "Heuristic", "uses_heuristic"


class DuplicateTitle(WikiCheck):
    """Several files are the same page once names are normalised.

    ## Why is this bad?
    MediaWiki reads `lora_setup`, `Lora setup` and `Lora_setup` as one title (first letter upper
    case, spaces as underscores): on the wiki the files overwrite each other, and the index
    keeps only the one whose path sorts last.

    ## Example
    ```wikitext
    <!-- principles/Lora_setup.mediawiki and principles/lora setup.wiki: one page -->
    ```
    Use instead:
    ```wikitext
    <!-- principles/Lora_setup.mediawiki alone, holding what both files said -->
    ```

    ## Fix safety
    No fix: a person merges the texts.
    """

    code, name, severity = "WF706", "duplicate-title", Severity.ERROR

    @classmethod
    def run(cls, conn: sqlite3.Connection, max_age_days: int) -> Iterator[Diagnostic]:
        rows = conn.execute(
            "SELECT f.path, p.key, (SELECT group_concat(g.path, ', ') FROM files g WHERE "
            "g.page = f.page AND g.path != f.path) FROM files f JOIN pages p ON p.id = f.page "
            "WHERE (SELECT count(*) FROM files g WHERE g.page = f.page) > 1 ORDER BY f.path")
        for path, key, others in rows:
            yield cls.report(path, 1, 1, f"this file and {others} are all page '{key}' (names "
                             "that differ only by case of the first letter, '_' or spaces)")


class DuplicateWorkflow(WikiCheck):
    """Two Workflows have the same ordered principle sequence.

    ## Why is this bad?
    Two recipes whose steps link the same Principles in the same order are most likely one
    recipe written twice (often by agents working from two copies of a repository); readers
    and queries then find two answers that drift apart.

    ## Example
    ```wikitext
    <!-- Workflow:QLoRA_Fine_Tuning, steps: Quantization, LoRA_Adapters, Training_Loop -->
    <!-- Workflow:QLoRA_Training, steps: Quantization, LoRA_Adapters, Training_Loop -->
    ```
    Use instead:
    ```wikitext
    <!-- one of the two, holding what both said (or the difference as a step of its own) -->
    ```

    ## Fix safety
    No fix: a person decides which page to keep.
    """

    code, name, severity = "WF707", "duplicate-workflow", Severity.WARNING

    @classmethod
    def run(cls, conn: sqlite3.Connection, max_age_days: int) -> Iterator[Diagnostic]:
        sequences: dict[tuple[int, ...], list[tuple[str, str]]] = defaultdict(list)
        rows = conn.execute(
            "SELECT w.path, w.key, group_concat(e.target, ',') FROM pages w JOIN "
            "(SELECT source, target FROM edges WHERE property = 'step' AND target IS NOT NULL "
            "ORDER BY source, "
            "position) e ON e.source = w.id WHERE w.namespace = 'Workflow' GROUP BY w.id")
        for path, key, targets in rows:
            sequences[tuple(int(t) for t in targets.split(","))].append((path, key))
        for pages in sequences.values():
            for path, key in pages[1:] if len(pages) > 1 else ():
                yield cls.report(path, 1, 1, f"{key} has the same ordered principles as "
                                 f"{pages[0][1]}; likely a duplicate recipe")


class StalePage(WikiCheck):
    """A page's Last Updated is older than the configured age.

    ## Why is this bad?
    Recipes follow libraries that change every few months; a page nobody has checked for a
    long time (``max-age-days``, 365 unless configured) likely names old APIs and versions.
    Off unless selected by code or name (``--select WF708``, ``extend-select =
    ["stale-page"]``) or ``max-age-days`` is set: age alone would turn an unchanged wiki's CI
    red as time passes.

    ## Example
    ```wikitext
    <!-- with max-age-days = 365, checked on 2026-12-01 -->
    | [[last_updated::2022-03-01 10:00 GMT]]
    ```
    Use instead:
    ```wikitext
    <!-- after checking the page against its sources -->
    | [[last_updated::2026-11-20 14:00 GMT]]
    ```

    ## Fix safety
    No fix: the date says a person checked the page.
    """

    code, name, severity = "WF708", "stale-page", Severity.INFO

    @classmethod
    def run(cls, conn: sqlite3.Connection, max_age_days: int) -> Iterator[Diagnostic]:
        cutoff = (datetime.now(timezone.utc) - timedelta(days=max_age_days)).isoformat()
        rows = conn.execute(
            "SELECT path, key, last_updated FROM pages WHERE exists_ = 1 AND last_updated IS "
            "NOT NULL AND last_updated < ? ORDER BY path", (cutoff,))
        for path, key, updated in rows:
            yield cls.report(path, 1, 1, f"{key} was last updated {updated[:10]}, more than "
                             f"{max_age_days} days ago")


#: Every whole-wiki check, in code order.
CHECKS: tuple[type[WikiCheck], ...] = (
    DanglingStep, DanglingHeuristic, DanglingLink, UnusedPrinciple, UnusedHeuristic,
    DuplicateTitle, DuplicateWorkflow, StalePage)


def check_wiki(conn: sqlite3.Connection, enabled: Callable[[str, str], bool],
               max_age_days: int = DEFAULT_MAX_AGE_DAYS) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for check in CHECKS:
        if enabled(check.code, check.name):
            found.extend(check.run(conn, max_age_days))
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
