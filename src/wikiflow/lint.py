"""Run the rules over a page: selection, suppression comments, severities, and the fix loop."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .config import Config
from .edits import Applicability, apply_edits, compatible
from .model import Page, Problem
from .parse import decode_page, parse_page
from .rules import RULES, UNUSED_SUPPRESSION
from .rules.base import Context, Diagnostic, Rule, Settings
from .spans import LineIndex, Span

#: A fix loop that has not settled after this many rounds is stopped (and says so).
MAX_FIX_ROUNDS = 10

_SUPPRESSION = re.compile(
    r"^\s*wikiflow-(?P<kind>disable-next-line|disable|enable)\b(?P<codes>[^>]*?)\s*$")
_SEPARATORS = re.compile(r"[\s,]+")


@dataclass(slots=True)
class Suppression:
    kind: str
    codes: frozenset[str]  # empty: every rule
    span: Span
    used: bool = False

    def covers(self, diagnostic: Diagnostic) -> bool:
        return not self.codes or diagnostic.code in self.codes or diagnostic.name in self.codes


@dataclass(slots=True)
class LintResult:
    """One page's lint: the text linted (after fixes), its diagnostics and what fixing did.

    ``skipped`` says why a file was not linted (it is binary, or could not be read);
    ``error`` why the run must fail for it (it could not be read or its fixes written, or
    it is a binary file named explicitly).
    """

    path: str | None
    source: str
    diagnostics: list[Diagnostic]
    original: str = ""
    fixes_applied: int = 0
    newline: str = "\n"
    converged: bool = True
    skipped: str | None = None
    error: str | None = None

    @property
    def changed(self) -> bool:
        return self.fixes_applied > 0


def active_rules(config: Config, path: str | None = None) -> list[Rule]:
    return [rule() for rule in RULES if config.enabled(rule.code, rule.name, path)]


def lint_page(source: str | bytes, *, path: str | None = None, title: str | None = None,
              config: Config | None = None) -> list[Diagnostic]:
    """The diagnostics for one page's text (library entry point of ``wikiflow lint``)."""
    return lint_source(source, path=path, title=title, config=config).diagnostics


def lint_source(source: str | bytes, *, path: str | None = None, title: str | None = None,
                config: Config | None = None, fix: bool = False, unsafe: bool = False
                ) -> LintResult:
    """Lint, and with ``fix`` apply safe (and with ``unsafe`` also unsafe) fixes until stable."""
    config = config or Config()
    text, newline, decoding = decode_page(source, path)
    rules = active_rules(config, path)
    original = text
    applied, converged = 0, True
    page, diagnostics = _lint_text(text, title, path, rules, config, decoding)
    # A page that is not UTF-8 was read with replacement characters: never write that back.
    if fix and not decoding:
        text, page, diagnostics, applied, converged = _fix_loop(
            text, page, diagnostics, title, path, rules, config, unsafe)
    return LintResult(path, text, diagnostics, original, applied, newline, converged)


def _fix_loop(text: str, page: Page, diagnostics: list[Diagnostic], title: str | None,
              path: str | None, rules: list[Rule], config: Config, unsafe: bool
              ) -> tuple[str, Page, list[Diagnostic], int, bool]:
    applied = 0
    for _ in range(MAX_FIX_ROUNDS):
        wanted = [d.fix for d in diagnostics if d.fix is not None and (
            unsafe or d.fix.applicability is Applicability.SAFE)]
        chosen = compatible(wanted)
        if not chosen:
            return text, page, diagnostics, applied, True
        text = apply_edits(text, [edit for fix in chosen for edit in fix.edits])
        applied += len(chosen)
        page, diagnostics = _lint_text(text, title, path, rules, config)
    return text, page, diagnostics, applied, False


def _lint_text(text: str, title: str | None, path: str | None, rules: list[Rule],
               config: Config, decoding: list[Problem] | None = None
               ) -> tuple[Page, list[Diagnostic]]:
    page = parse_page(text, title, path=path)
    if decoding:
        page.problems[:0] = decoding
    index = LineIndex(text)  # lazy: line starts are found only if a position is shown
    ctx = Context(text, index, Settings(config.allowed_source_types))
    found: list[Diagnostic] = []
    for rule in rules:
        found.extend(rule.check(page, ctx))
    suppressions = _suppressions(page)
    kept = [d for d in found if not _suppressed(d, suppressions)]
    _close_used_ranges(suppressions)
    if config.enabled(UNUSED_SUPPRESSION.code, UNUSED_SUPPRESSION.name, path):
        kept.extend(UNUSED_SUPPRESSION().unused(s.span, ctx) for s in suppressions if not s.used)
    for diagnostic in kept:
        diagnostic.path = path
        diagnostic.severity = config.severity.get(diagnostic.code, diagnostic.severity)
    kept.sort(key=lambda d: (d.span.start, d.code))
    return page, kept



def _suppressions(page: Page) -> list[Suppression]:
    result = []
    for comment in page.comments:
        match = _SUPPRESSION.match(comment.text)
        if match and comment.span is not None:
            codes = frozenset(code for code in _SEPARATORS.split(match["codes"]) if code)
            result.append(Suppression(match["kind"], codes, comment.span))
    return result


def _suppressed(diagnostic: Diagnostic, suppressions: list[Suppression]) -> bool:
    line = diagnostic.span.line
    hit = False
    for item in suppressions:
        if item.kind == "disable-next-line" and item.span.end_line + 1 == line \
                and item.covers(diagnostic):
            item.used = hit = True
        elif item.kind == "disable" and item.span.line <= line and item.covers(diagnostic) \
                and not _enabled_between(item, line, suppressions, diagnostic):
            item.used = hit = True
    return hit


def _close_used_ranges(suppressions: list[Suppression]) -> None:
    """A ``wikiflow-enable`` that ends a range which suppressed something is used too."""
    for enable in (s for s in suppressions if s.kind == "enable" and not s.used):
        enable.used = any(
            item.kind == "disable" and item.used and item.span.line < enable.span.line
            and (not item.codes or not enable.codes or item.codes & enable.codes)
            for item in suppressions)


def _enabled_between(disable: Suppression, line: int, suppressions: list[Suppression],
                     diagnostic: Diagnostic) -> bool:
    """True when a matching ``wikiflow-enable`` ends the ``disable`` range before ``line``."""
    for item in suppressions:
        if item.kind == "enable" and disable.span.line < item.span.line <= line \
                and item.covers(diagnostic):
            item.used = True
            return True
    return False
