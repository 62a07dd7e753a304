"""Run the rules over a page: selection, suppression comments, severities, and the fix loop."""

from __future__ import annotations

import functools
import os
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path

from ..config import Config, Selection, selection_enables
from .edits import Applicability, Fix, apply_fixes
from ..files.pages import STDIN
from ..files.layout import page_for_path
from ..page.model import Page, Problem, Severity
from ..page.names import NAMESPACES, page_name
from ..page.decode import decode_page
from ..page.parse import parse_text
from .rules import RULES, UNUSED_SUPPRESSION
from .rules.base import Context, Diagnostic, LazyFix, Rule, Settings
from ..page.spans import LineIndex, Span

#: A fix loop that has not settled after this many rounds is stopped (and says so).
MAX_FIX_ROUNDS = 10
WORKFLOW = NAMESPACES["workflow"]

# The codes run to the end (a lazy group before a trailing "\s*$" was quadratic in a long one).
_SUPPRESSION = re.compile(
    r"^\s*wikiflow-(?P<kind>disable-next-line|disable|enable)\b(?P<codes>[^>]*)$")
_SEPARATORS = re.compile(r"[\s,]+")
#: A path ``Path`` takes apart as ``str.split("/")`` does: no empty or "." part (POSIX only).
_PLAIN_PATH = re.compile(r"/?(?:(?!\.(?:/|\Z))[^/]+/)*(?!\.\Z)[^/]+") if os.sep == "/" else None
#: The findings' order: by where they start, then by code.
_BY_PLACE = attrgetter("span.start", "code")


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
    it is a binary file named explicitly). ``other_type`` says why a page was left alone: it
    is a page of another type than Workflow (no diagnostics, nothing fixed). ``fixes_applied``
    counts the findings fixing removed, less those it brought (a fix that trades an error for
    a warning fixed nothing).
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
    other_type: str | None = None
    #: The page as parsed for the lint, when no fix changed it (a caller that shows the page
    #: beside its findings need not parse it again).
    page: Page | None = None

    @property
    def changed(self) -> bool:
        return self.source != self.original


def active_rules(config: Config, path: str | None = None) -> tuple[Rule, ...]:
    """The rules that run on the file at ``path`` (rules keep no state, so one instance each
    serves every page)."""
    return _active_rules(config.selection(path))


@functools.lru_cache(maxsize=64)
def _active_rules(selection: Selection) -> tuple[Rule, ...]:
    """Worked out once per selection, not per page: it took 63 ``Config.enabled`` calls and
    about 5% of a plain lint of each page (issue 18)."""
    return tuple(rule() for rule in RULES if selection_enables(selection, rule.code, rule.name))


def lint_page(source: str | bytes, *, path: str | None = None, title: str | None = None,
              config: Config | None = None) -> list[Diagnostic]:
    """The diagnostics for one page's text (library entry point of ``wikiflow lint``)."""
    return lint_source(source, path=path, title=title, config=config).diagnostics


def lint_source(source: str | bytes, *, path: str | None = None, title: str | None = None,
                config: Config | None = None, fix: bool = False, unsafe: bool = False
                ) -> LintResult:
    """Lint, and with ``fix`` apply safe (and with ``unsafe`` also unsafe) fixes until stable.

    A page of another type than Workflow (see ``other_page_type``) is not linted: the
    result has no diagnostics and says in ``other_type`` why. ``fix`` leaves an empty page
    as it is (its findings say what it lacks; ``wikiflow new`` writes a whole page).
    """
    config = config or Config()
    text, newline, decoding = decode_page(source, path)
    rules = active_rules(config, path)
    original = text
    page = _parse(text, title, decoding)
    # Known before any rule runs: on a page of another type they would find what is dropped
    # (a third of linting the corpus, whose pages are mostly Principles and Heuristics).
    other = other_page_type(page, text, path, title)
    if other is not None:
        return LintResult(path, text, [], original, newline=newline, other_type=other,
                          page=page)
    diagnostics = _check(page, text, path, rules, config)
    # A page that is not UTF-8 was read with replacement characters: never write that back.
    # Fixes mend a page; on an empty one they would write half a skeleton.
    if not fix or decoding or not text.strip():
        return LintResult(path, text, diagnostics, original, newline=newline, page=page)
    fixed, fixed_diagnostics, converged = _fix_loop(text, diagnostics, title, path, rules,
                                                    config, unsafe)
    return LintResult(path, fixed, fixed_diagnostics, original,
                      _fixed_count(diagnostics, fixed_diagnostics), newline, converged)


def other_page_type(page: Page, text: str, path: str | None = None, title: str | None = None
                    ) -> str | None:
    """Why the page is not a Workflow page, or None when it is (or may be) one.

    The type comes from where the page is, as the index reads it (``layout.page_for_path``: a
    type folder such as ``principles/``, or a namespace before ``_``/``:`` in the file name),
    then from a title with a namespace, then from a Markdown title line (``# Principle: X``).
    Only the file's own folder counts: a page named on the command line has no wiki root, and
    ``~/environments/project/page.wiki`` is no Environment page. A page of the main namespace
    is linted as a Workflow, as a plain page file always was.
    """
    if path not in (None, STDIN):
        folder, name = folder_and_name(path)
        namespace = page_for_path(f"{folder}/{name}").namespace
        if namespace and namespace != page_for_path(name).namespace:
            return _not_workflow(namespace, f"its folder '{folder}/'")
        if namespace:
            return _not_workflow(namespace, f"its file name '{name}'")
    if title and (namespace := page_name(title).namespace):
        return _not_workflow(namespace, f"its title '{title}'")
    for markup in page.markdown:
        if markup.kind == "title" and markup.span is not None:
            line = text[markup.span.start:markup.span.end]
            namespace = page_name(line.lstrip("#")).namespace
            if namespace:
                return _not_workflow(namespace, f"its first line '{line.strip()}'")
    return None


def folder_and_name(path: str) -> tuple[str, str]:
    """``Path(path).parent.name`` and ``Path(path).name``: a plain path (every one an index or
    a site build lints) is split as a string, where making a ``Path`` of it was half of
    ``other_page_type``; another (``a/./b``, ``a//b``, a Windows path) goes through ``Path``."""
    if _PLAIN_PATH is None or _PLAIN_PATH.fullmatch(path) is None:
        where = Path(path)
        return where.parent.name, where.name
    folder, _, name = path.rpartition("/")
    return folder.rpartition("/")[2], name


def _not_workflow(namespace: str, where: str) -> str | None:
    if namespace == WORKFLOW:
        return None
    return (f"a {namespace} page (from {where}); the Workflow rules, fixes and layout apply to "
            "Workflow pages only")


def _fix_loop(text: str, diagnostics: list[Diagnostic], title: str | None, path: str | None,
              rules: tuple[Rule, ...], config: Config, unsafe: bool
              ) -> tuple[str, list[Diagnostic], bool]:
    """Apply the wanted fixes that fit together, re-lint, and again until none is left or
    ``MAX_FIX_ROUNDS`` rounds have run; the last value says whether it settled."""
    for _ in range(MAX_FIX_ROUNDS):
        fixed, taken = apply_fixes(text, _wanted(diagnostics, unsafe))
        if not taken or fixed == text:
            return text, diagnostics, True
        text = fixed
        diagnostics = _check(_parse(text, title), text, path, rules, config)
    return text, diagnostics, not _wanted(diagnostics, unsafe)


def _wanted(diagnostics: list[Diagnostic], unsafe: bool) -> list[Fix]:
    return [d.fix for d in diagnostics if d.fix is not None and (
        unsafe or d.fix.applicability is Applicability.SAFE)]


def _fixed_count(before: list[Diagnostic], after: list[Diagnostic]) -> int:
    """Findings (by code) that fixing removed, less the ones it brought."""
    old, new = Counter(d.code for d in before), Counter(d.code for d in after)
    return max(0, (old - new).total() - (new - old).total())


def _parse(text: str, title: str | None, decoding: list[Problem] | None = None) -> Page:
    page = parse_text(text, title)  # decoded once, by lint_source: spans index ``text``
    if decoding:
        page.problems[:0] = decoding
    return page


def _check(page: Page, text: str, path: str | None, rules: tuple[Rule, ...], config: Config
           ) -> list[Diagnostic]:
    """The findings of ``rules`` on ``page`` (parsed from ``text``), suppressions applied."""
    index = LineIndex(text)  # lazy: line starts are found only if a position is shown
    ctx = Context(text, index, Settings(config.allowed_source_types))
    found: list[Diagnostic] = []
    for rule in rules:
        found.extend(rule.check(page, ctx))
    suppressions = _suppressions(page)
    kept = _unsuppressed(found, suppressions)
    if suppressions:  # most pages have none: no unused one to report, no selection to read
        _close_used_ranges(suppressions)
        if config.enabled(UNUSED_SUPPRESSION.code, UNUSED_SUPPRESSION.name, path):
            kept.extend(UNUSED_SUPPRESSION().unused(s.span, ctx)
                        for s in suppressions if not s.used)
    _settle(kept, path, config.severity)
    _drop_fixes_inside_comments(kept, page)
    return kept


def _settle(diagnostics: list[Diagnostic], path: str | None,
            severity: dict[str, Severity]) -> None:
    """Name the file, apply the configured severities and sort by place, then code. Each step
    is left out when it changes nothing (a rule reports no path; most configurations set no
    severity): they ran for every finding of every page (issue 18)."""
    if path is not None:
        for diagnostic in diagnostics:
            diagnostic.path = path
    if severity:
        for diagnostic in diagnostics:
            diagnostic.severity = severity.get(diagnostic.code, diagnostic.severity)
    diagnostics.sort(key=_BY_PLACE)


def _drop_fixes_inside_comments(diagnostics: list[Diagnostic], page: Page) -> None:
    """A fix with an edit that starts or ends inside an HTML comment it does not replace whole
    loses its fix: text put there is hidden (after an unclosed ``<!--``, everything to the end
    of the page is), so the finding stays and every run would add the text again."""
    comments = sorted((c.span.start, c.span.end) for c in page.comments if c.span is not None)
    if not comments:
        return
    unclosed = {p.span.start for p in page.problems
                if p.code == "unclosed-comment" and p.span is not None}
    starts = [start for start, _ in comments]
    ends = [float("inf") if start in unclosed else end for start, end in comments]

    def hidden(offset: int) -> bool:
        n = bisect_left(starts, offset) - 1  # the last comment that opens before ``offset``
        return n >= 0 and offset < ends[n]

    for diagnostic in diagnostics:
        diagnostic.fix = functools.partial(_outside, diagnostic.proposed, hidden)


def _outside(proposed: LazyFix, hidden: Callable[[int], bool]) -> Fix | None:
    """``proposed`` built, or None when it writes into a comment (see above): a step of its
    own, so that a fix still unbuilt is judged when it is built."""
    fix = proposed() if callable(proposed) else proposed
    return None if fix is None or _touches(fix, hidden) else fix


def _touches(fix: Fix, hidden: Callable[[int], bool]) -> bool:
    return any(hidden(edit.start) or hidden(edit.end) for edit in fix.edits)



def _suppressions(page: Page) -> list[Suppression]:
    result = []
    for comment in page.comments:
        match = _SUPPRESSION.match(comment.text)
        if match and comment.span is not None:
            codes = frozenset(code for code in _SEPARATORS.split(match["codes"]) if code)
            result.append(Suppression(match["kind"], codes, comment.span))
    return result


def _unsuppressed(found: list[Diagnostic], suppressions: list[Suppression]) -> list[Diagnostic]:
    """The diagnostics no suppression hides; marks each suppression that hid one.

    Linear in diagnostics and suppressions (times the rules that found something): testing
    each diagnostic against every suppression, and each range against every ``enable``, made
    a page of many suppression comments quadratic, its ranges cubic.
    """
    if not suppressions:  # most pages: no diagnostic's line is needed (finding it is ~9%
        return found      # of a lint_page, issue 18)
    hidden = [False] * len(found)
    next_line: dict[int, list[Suppression]] = defaultdict(list)
    for item in suppressions:
        if item.kind == "disable-next-line":
            next_line[item.span.end_line + 1].append(item)
    ranges = [item for item in suppressions if item.kind != "disable-next-line"]
    by_rule: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, diagnostic in enumerate(found):
        for item in next_line.get(diagnostic.span.line, ()):
            if item.covers(diagnostic):
                item.used = hidden[i] = True
        by_rule[diagnostic.code, diagnostic.name].append(i)
    for (code, name), indices in by_rule.items():
        covering = [item for item in ranges
                    if not item.codes or code in item.codes or name in item.codes]
        if covering:
            _sweep_ranges(covering, [(found[i].span.line, i) for i in indices], hidden)
    return [diagnostic for i, diagnostic in enumerate(found) if not hidden[i]]


def _sweep_ranges(ranges: list[Suppression], lines: list[tuple[int, int]],
                  hidden: list[bool]) -> None:
    """One rule's diagnostics (line, index) against the ranges that name it, in line order.

    A ``disable`` hides the diagnostics from its line on, until an ``enable`` on a later line;
    that ``enable`` is used once a diagnostic after it was not hidden thanks to it.
    """
    # At one line an enable comes first (it ends the ranges opened above it, not one opened on
    # its own line), then a disable, then the diagnostics, which both concern.
    order = {"enable": 0, "disable": 1}
    events = sorted([(item.span.line, order[item.kind], i) for i, item in enumerate(ranges)]
                    + [(line, 2, index) for line, index in lines])
    open_ranges: list[Suppression] = []
    marked = 0  # open ranges before this one are already marked used
    ended: list[Suppression] = []  # enables that ended open ranges, used at the next diagnostic
    for _, kind, i in events:
        if kind == 0:
            if open_ranges:
                ended.append(ranges[i])
                open_ranges, marked = [], 0
        elif kind == 1:
            open_ranges.append(ranges[i])
        else:
            if open_ranges:
                hidden[i] = True
                for item in open_ranges[marked:]:
                    item.used = True
                marked = len(open_ranges)
            for item in ended:
                item.used = True
            ended.clear()


def _close_used_ranges(suppressions: list[Suppression]) -> None:
    """A ``wikiflow-enable`` that ends a range which suppressed something is used too: one
    that follows a used ``disable`` of any of its codes (either naming none: every rule)."""
    first_used: dict[str, int] = {}  # code → the first line of a used disable naming it
    every = "*"  # the key of a disable naming no code
    for item in suppressions:
        if item.kind == "disable" and item.used:
            for code in item.codes or (every,):
                first_used.setdefault(code, item.span.line)
    earliest = min(first_used.values(), default=None)
    for enable in suppressions:
        if enable.kind != "enable" or enable.used:
            continue
        line = enable.span.line
        if enable.codes:
            enable.used = any(first_used.get(code, line) < line
                              for code in (*enable.codes, every))
        else:
            enable.used = earliest is not None and earliest < line
