"""What every rule is: metadata as class attributes, documentation in the docstring, a pure check.

A rule reads the parsed ``Page`` (never re-scans the text) and yields ``Diagnostic`` values.
Its docstring has fixed sections — a one-line summary, ``## Why is this bad?``, ``## Example``
(a bad fragment, then ``Use instead:`` and a good one) and ``## Fix safety`` — from which
``wikiflow rule``, ``docs/rules.md``, ``wikiflow guide`` and the example tests are generated.
"""

from __future__ import annotations

import inspect
import re
from functools import lru_cache
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, ClassVar, TypeVar

from ...config import DEFAULT_SOURCE_TYPES
from ..edits import Applicability, Fix
from ...page.model import Page, Severity
from ...page.names import fold_label, page_name
from ...page.spans import LineIndex, Span


_SECTION = re.compile(r"^## (.+)$", re.MULTILINE)
# An example may itself contain ``` (Markdown fences are a thing rules report), so its own fence
# may be longer, as in CommonMark: four backticks close only four.
_FENCED = re.compile(r"^(?P<fence>`{3,})wikitext\n(?P<body>.*?)^(?P=fence)$",
                     re.DOTALL | re.MULTILINE)


@dataclass(slots=True)
class Settings:
    """Rule options from configuration (``[tool.wikiflow]``)."""

    allowed_source_types: tuple[str, ...] = DEFAULT_SOURCE_TYPES
    now: datetime = field(default_factory=lambda: datetime.now(timezone.utc))


T = TypeVar("T")
#: Lines ``Context.line`` counts from the start of the text before it uses the line index.
_COUNTED_LINES = 8


@dataclass(slots=True)
class Context:
    """What a check may use besides the page: settings, the exact text of a span, and values
    derived from the page that several rules share. One context serves one lint of one page.

    ``source(span)`` exists for fixes that must restate what is written (a heading's spacing);
    it is a slice of the text the spans point into, not a second parse.
    """

    text: str
    index: LineIndex
    settings: Settings
    _derived: dict[Callable[[Page], Any], Any] = field(default_factory=dict)
    _counted: int = 0  # lines counted by ``line`` without the index

    def derived(self, work: Callable[..., T], page: Page, *context: Context) -> T:
        """``work(page)``, worked out once for this page however many rules ask: the steps'
        diagram nodes, for one, are matched by three rules (about a third of ``lint_page`` on
        the corpus when each matched them itself, issue 18). ``page`` must be the page this
        context was made for, and ``work`` a pure function of it, or of it and this context
        when that is passed too (``work(page, ctx)``: a fix that restates the page's text)."""
        try:
            return self._derived[work]
        except KeyError:
            value = self._derived[work] = work(page, *context)
            return value

    def source(self, span: Span) -> str:
        return self.text[span.start:span.end]

    def line(self, offset: int) -> int:
        """The 1-based line of ``offset``, as ``Span.line`` gives it. The first few are
        counted with one ``str.count`` each instead of finding every line start of the page:
        a message that names a line (WF603) made each such page do that (issue 18); past
        ``_COUNTED_LINES`` questions the line index answers, so a page asking for thousands
        stays linear."""
        if self._counted < _COUNTED_LINES:
            self._counted += 1
            return self.text.count("\n", 0, offset) + 1
        return self.index.line(offset)

    def at(self, start: int, end: int | None = None) -> Span:
        return self.index.span(start, start if end is None else end)

    @property
    def top(self) -> Span:
        """Where whole-page findings point: the first line."""
        return self.at(0, min(len(self.text), max(self.text.find("\n"), 0)))


#: A fix, or a function that builds it (or finds there is none) when it is first asked for.
LazyFix = Fix | Callable[[], Fix | None] | None


@dataclass(slots=True, eq=False)
class Diagnostic:
    code: str
    name: str
    severity: Severity
    message: str
    span: Span
    proposed: LazyFix = None
    path: str | None = None

    @property
    def fix(self) -> Fix | None:
        """The fix, built the first time it is asked for: a rule that rewrites a block
        renders it and re-parses both texts to judge its safety, which is wasted on a lint
        that neither fixes nor shows fixes (40% of ``lint_page`` on the corpus, issue 18)."""
        return self.build_fix()

    def build_fix(self) -> Fix | None:
        """The fix, built now if it was not: one still to build holds its page and the page's
        context (``lint_paths`` builds them page by page)."""
        if callable(self.proposed):
            self.proposed = self.proposed()
        return self.proposed

    @fix.setter
    def fix(self, value: LazyFix) -> None:
        self.proposed = value

    def _fields(self) -> tuple[Any, ...]:
        return (self.code, self.name, self.severity, self.message, self.span, self.fix,
                self.path)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Diagnostic) and self._fields() == other._fields()

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled (``lint --jobs``) with its fix built: a function does not pickle."""
        return Diagnostic, self._fields()

    @property
    def fixable(self) -> bool:
        return self.fix is not None and self.fix.applicability is Applicability.SAFE

    def to_data(self) -> dict[str, Any]:
        span = self.span.to_dict()
        return {
            "path": self.path, "line": span["line"], "column": span["column"],
            "end_line": span["end_line"], "end_column": span["end_column"],
            "code": self.code, "name": self.name, "severity": self.severity.value,
            "message": self.message, "fix": self.fix.to_data() if self.fix else None,
        }


@dataclass(frozen=True, slots=True)
class RuleDoc:
    #: The docstring's first paragraph as one line: what one-line listings show.
    summary: str
    why: str
    bad: str
    good: str
    fix_safety: str
    #: Any further paragraphs before ``## Why is this bad?`` (settings, scope).
    details: str = ""


class Rule:
    """Base class. Subclasses set ``code``, ``name``, ``severity`` and implement ``check``."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity] = Severity.ERROR
    #: The applicability of this rule's fix, or None when a person must decide.
    fix: ClassVar[Applicability | None] = None

    def check(self, page: Page, ctx: Context) -> Iterable[Diagnostic]:
        raise NotImplementedError

    def report(self, message: str, span: Span, fix: LazyFix = None) -> Diagnostic:
        return Diagnostic(self.code, self.name, self.severity, message, span, fix)

    @classmethod
    def doc(cls) -> RuleDoc:
        return parse_doc(inspect.getdoc(cls) or "", cls.code)

    @classmethod
    def group(cls) -> str:
        return cls.code[:3]


def parse_doc(text: str, code: str) -> RuleDoc:
    """Split a rule docstring into its sections; a missing section is a rule-authoring bug."""
    head, *rest = _SECTION.split(text)
    summary, _, details = head.strip().partition("\n\n")
    sections = {title.strip().lower(): body.strip() for title, body in zip(rest[::2], rest[1::2])}
    try:
        examples = [match["body"] for match in _FENCED.finditer(sections["example"])]
        return RuleDoc(" ".join(summary.split()), sections["why is this bad?"], examples[0],
                       examples[1], sections["fix safety"], details.strip())
    except (KeyError, IndexError) as error:
        raise TypeError(f"{code}: docstring needs summary, '## Why is this bad?', '## Example' "
                        "with a bad and a good ```wikitext block, and '## Fix safety'") from error


#: ``fold_label``, kept: step names and node labels are folded by several rules on each page
#: (WF305 and the diagram rules' matching), and again on every lint round of a fix.
label_key = lru_cache(maxsize=8192)(fold_label)


@lru_cache(maxsize=8192)
def target_key(target: str) -> str:
    """``page_name(target).key``, kept: the related-pages rules compare every step's and every
    list item's target by key, and ``PageName.key`` builds its string on each call (issue 18)."""
    return page_name(target).key


def problems(page: Page, *codes: str) -> Iterator[Any]:
    """The parser's problems of the given codes (rules that report what reading found)."""
    for problem in page.problems:
        if problem.code in codes:
            yield problem
