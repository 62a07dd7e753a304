"""Diagnostics as people and tools read them: text, JSON, GitHub annotations, SARIF 2.1.0."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..files.pages import PageFiles
from ..terminal import printable
from ..version import __version__

if TYPE_CHECKING:
    from .engine import LintResult
    from .rules.base import Diagnostic

FORMATS = ("text", "json", "github", "sarif")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}

def diagnostics_of(results: Iterable[LintResult]) -> list[Diagnostic]:
    return [d for result in results for d in result.diagnostics]


def render_report(results: Sequence[LintResult], fmt: str, *, statistics: bool = False,
                  quiet: bool = False, found: PageFiles | None = None) -> str:
    """The report in ``fmt``; ``quiet`` leaves out the text summary (only the findings, as
    ruff's ``-q``), so a clean run prints nothing; the summary also says what the walk
    (``found``) skipped."""
    diagnostics = diagnostics_of(results)
    if statistics:
        return render_statistics(diagnostics)
    if fmt == "json":
        return json.dumps([d.to_data() for d in diagnostics], indent=2, ensure_ascii=False) + "\n"
    if fmt == "github":
        return "".join(github_line(d) + "\n" for d in diagnostics)
    if fmt == "sarif":
        return json.dumps(sarif(diagnostics), indent=2, ensure_ascii=False) + "\n"
    return render_text(results, quiet=quiet, found=found)


def render_text(results: Sequence[LintResult], *, quiet: bool = False,
                found: PageFiles | None = None) -> str:
    """``path:line:col: CODE message``, the source line with a caret, then a summary (unless
    ``quiet``) that says what the walk (``found``) skipped."""
    lines: list[str] = []
    for result in results:
        source_lines = result.source.split("\n")
        for d in result.diagnostics:
            lines.append(f"{d.path or '-'}:{d.span.line}:{d.span.column}: {d.code} "
                         f"[{d.severity.value}] {d.message}")
            lines.extend(_snippet(source_lines, d))
    if not quiet:  # the verdict last, where a reader of the run's end looks
        if found is not None and skipped_summary(found):
            lines.append(skipped_summary(found))
        lines.append(summary(results))
    return "".join(line + "\n" for line in lines)


def _snippet(source_lines: list[str], d: Diagnostic) -> list[str]:
    if not 0 < d.span.line <= len(source_lines):
        return []
    text = source_lines[d.span.line - 1]
    start = d.span.column - 1
    end = d.span.end_column - 1 if d.span.end_line == d.span.line else len(text)
    # measured on the line as shown, where a control character takes six columns (``\u001b``)
    indent, width = len(printable(text[:start])), len(printable(text[start:end]))
    number = str(d.span.line)
    snippet = [f"  {number} | {text}",
               f"  {' ' * len(number)} | {' ' * indent}{'^' * max(width, 1)}"]
    if d.fix is not None:
        snippet.append(f"  {' ' * len(number)} = fix ({d.fix.applicability.value}): "
                       f"{d.fix.title}")
    return snippet


def summary(results: Sequence[LintResult]) -> str:
    diagnostics = diagnostics_of(results)
    fixed = sum(result.fixes_applied for result in results)
    # a page of another type was named but left alone: it is not among the files checked
    others = sum(result.other_type is not None for result in results)
    checked = len(results) - others
    parts = []
    if fixed:
        parts.append(f"Fixed {fixed} finding(s).")
    if not diagnostics:
        parts.append(f"All checks passed ({checked} file(s)).")
    else:
        parts.append(_findings(diagnostics, checked))
    if others:
        parts.append(f"{others} page(s) of other types left alone.")
    return " ".join(parts)


def _findings(diagnostics: Sequence[Diagnostic], checked: int) -> str:
    by_severity = Counter(d.severity.value for d in diagnostics)
    counts = ", ".join(f"{by_severity[s]} {s}" for s in ("error", "warning", "info")
                       if by_severity[s])
    fixable = sum(1 for d in diagnostics if d.fixable)
    unsafe = sum(1 for d in diagnostics if d.fix is not None and not d.fixable)
    parts = [f"Found {len(diagnostics)} finding(s) in {checked} file(s) ({counts})."]
    if fixable:
        parts.append(f"{fixable} fixable with --fix.")
    if unsafe:
        parts.append(f"{unsafe} more with --unsafe-fixes.")
    return " ".join(parts)


def skipped_summary(found: PageFiles) -> str:
    """How many files a walk left out, by reason ('' for none): a page may be missing from a
    run for one of these."""
    parts = []
    if found.other_type_pages:
        parts.append(f"{found.other_type_pages} page file(s) of other types")
    if found.excluded:
        parts.append(f"{found.excluded} excluded file(s) or folder(s)")
    return f"Skipped {' and '.join(parts)} (--show-files lists them)." if parts else ""


def render_statistics(diagnostics: Sequence[Diagnostic]) -> str:
    counts = Counter((d.code, d.name) for d in diagnostics)
    fixable = Counter(d.code for d in diagnostics if d.fixable)
    lines = [f"{count:6d}  {code}  {name}{'  [*]' if fixable[code] else ''}"
             for (code, name), count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    lines.append(f"{sum(counts.values()):6d}  total ([*] = fixable with --fix)")
    return "\n".join(lines) + "\n"


def github_line(d: Diagnostic) -> str:
    """A GitHub Actions workflow command that shows as an annotation on the file and line."""
    level = {"error": "error", "warning": "warning", "info": "notice"}[d.severity.value]
    props = (f"file={_escape_property(d.path or '-')},line={d.span.line},col={d.span.column},"
             f"endLine={d.span.end_line},endColumn={d.span.end_column},"
             f"title={_escape_property(f'{d.code} {d.name}')}")
    return f"::{level} {props}::{_escape_data(d.message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def sarif(diagnostics: Sequence[Diagnostic]) -> dict[str, Any]:
    """A SARIF 2.1.0 log with one run: every rule's metadata and every finding."""
    from .rules import RULES  # here: every command's start reads this module's FORMATS

    rule_index = {rule.code: n for n, rule in enumerate(RULES)}
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "wikiflow", "version": __version__,
                "informationUri": "https://github.com/wikiflow/wikiflow",
                "rules": [_sarif_rule(rule) for rule in RULES],
            }},
            "results": [_sarif_result(d, rule_index) for d in diagnostics],
        }],
    }


def _sarif_rule(rule: Any) -> dict[str, Any]:
    doc = rule.doc()
    return {
        "id": rule.code, "name": rule.name,
        "shortDescription": {"text": doc.summary},
        "fullDescription": {"text": doc.why},
        "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity.value]},
        "help": {"text": doc.why, "markdown": f"{doc.why}\n\nFix safety: {doc.fix_safety}"},
    }


def _sarif_result(d: Diagnostic, rule_index: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": d.code,
        "level": _SARIF_LEVEL[d.severity.value],
        "message": {"text": d.message},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": (d.path or "-").replace("\\", "/")},
            "region": {"startLine": d.span.line, "startColumn": d.span.column,
                       "endLine": d.span.end_line, "endColumn": d.span.end_column},
        }}],
    }
    if d.code in rule_index:
        result["ruleIndex"] = rule_index[d.code]
    if d.fix is not None:
        result["fixes"] = [{
            "description": {"text": f"{d.fix.title} ({d.fix.applicability.value})"},
            "artifactChanges": [{
                "artifactLocation": {"uri": (d.path or "-").replace("\\", "/")},
                "replacements": [_replacement(d, edit) for edit in d.fix.edits],
            }],
        }]
    return result


def _replacement(d: Diagnostic, edit: Any) -> dict[str, Any]:
    index = d.span.index
    line, column = index.position(edit.start)
    end_line, end_column = index.position(edit.end)
    return {"deletedRegion": {"startLine": line, "startColumn": column,
                              "endLine": end_line, "endColumn": end_column},
            "insertedContent": {"text": edit.content}}
