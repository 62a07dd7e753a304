"""The public library API; every CLI command is one of these functions with the same options."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Config
from ..errors import InputError, NotAPage, SpecError
from ..files.pages import (
    DEFAULT_EXCLUDE,
    DEFAULT_EXTENSIONS,
    STDIN,
    PageFiles,
    find_page_files,
    read_page_source,
    read_source,
    title_from_path,
    write_text,
)
from .engine import LintResult, lint_source, other_page_type
from ..page.model import Page, Problem
from ..page.decode import decode_page
from ..page.parse import parse_page, parse_text
from ..terminal import track
from ..page.render import render_page
from ..workers import map_chunks, processes, settle_worker

if TYPE_CHECKING:
    from ..page.structured import PageSpec

#: Problems after which a page cannot be formatted without changing what MediaWiki shows:
#: everything after an unclosed comment is hidden, and a stray ``{{`` or ``<pre>`` could pair
#: with a closer in another block once blocks are put in the guide's order.
UNFORMATTABLE = frozenset({"unclosed-comment", "unclosed-template", "unclosed-tag"})


@dataclass(slots=True)
class ParsedFile:
    path: str
    page: Page


@dataclass(slots=True)
class FormatResult:
    """One file's formatting: its text before and after (line ends as in the file).

    ``skipped`` says why the file was not formatted (it is binary, or could not be read or
    formatted); ``error`` why the run must fail for it (it could not be read, formatted or
    written, or is a binary file named explicitly): the file is left as it was.
    ``other_type`` says why a page was left as it is: a page of another type than Workflow.
    """

    path: str
    original: str
    formatted: str
    problems: list[Problem] = field(default_factory=list)
    skipped: str | None = None
    error: str | None = None
    other_type: str | None = None

    @property
    def changed(self) -> bool:
        return self.original != self.formatted

    def diff(self) -> str:
        return "".join(difflib.unified_diff(
            self.original.splitlines(keepends=True), self.formatted.splitlines(keepends=True),
            fromfile=f"a/{self.path}", tofile=f"b/{self.path}"))


def page_files(paths: Iterable[str], extensions: Iterable[str] = DEFAULT_EXTENSIONS,
               exclude: Iterable[str] = DEFAULT_EXCLUDE) -> PageFiles:
    """The page files ``paths`` name and what the walk left out (``--show-files``); raises
    ``InputError`` when a folder given holds no page, so a mistyped path fails a CI job."""
    found = find_page_files(paths, extensions, exclude)
    found.require_pages()
    return found


def parse_file(path: str, name: str | None = None) -> Page:
    """Parse one page file (``-`` for standard input, reported as ``name`` when given); the
    title comes from the file name."""
    name = name or path
    return parse_page(read_source(path), title_from_path(name), path=name)


def parse_paths(paths: Iterable[str], extensions: Iterable[str] = DEFAULT_EXTENSIONS,
                exclude: Iterable[str] = DEFAULT_EXCLUDE, stdin_filename: str | None = None
                ) -> list[ParsedFile]:
    files = page_files(paths, extensions, exclude).pages
    return [ParsedFile(_shown(path, stdin_filename), parse_file(path, _shown(path, stdin_filename)))
            for path in track(files, "Parsing")]


def _shown(path: str, stdin_filename: str | None) -> str:
    """The name a file is reported under: standard input takes ``--stdin-filename``."""
    return stdin_filename if path == STDIN and stdin_filename else path


def format_text(source: str | bytes, title: str | None = None, path: str | None = None
                ) -> FormatResult:
    """Format one page's text canonically, keeping its line ends.

    A page of another type than Workflow (``lint.other_page_type``) comes back unchanged, with
    ``other_type`` saying why: the canonical layout is a Workflow's. Raises ``InputError`` (and
    formats nothing) when the text is not UTF-8, when it has an unclosed comment, template or
    tag (see ``UNFORMATTABLE``), or when
    the formatted page would not carry the same Semantic MediaWiki facts as the original — a
    safety net against a formatter bug ever changing what the wiki stores.
    """
    name = path or "<input>"
    text, newline, problems = decode_page(source, name)
    if problems:
        raise InputError(problems[0].message)
    page = parse_text(text, title)
    original = text.replace("\n", newline) if newline != "\n" else text
    other = other_page_type(page, text, path, title)
    if other is not None:
        return FormatResult(name, original, original, page.problems, other_type=other)
    for problem in page.problems:
        if problem.code in UNFORMATTABLE and problem.span is not None:
            raise InputError(f"{name}:{problem.span.line}:{problem.span.column}: cannot format: "
                             f"{problem.message}; fix that first")
    rendered = render_page(page)
    if rendered != text:
        _check_same_facts(name, page, parse_text(rendered, title))
    formatted = rendered.replace("\n", newline) if newline != "\n" else rendered
    return FormatResult(name, original, formatted, page.problems)


def _facts(page: Page) -> set[tuple[str, str]]:
    return {(a.prop, a.value) for a in page.annotations}


def _check_same_facts(name: str, before: Page, after: Page) -> None:
    """Refuse a formatting that drops an annotation, or makes one the page did not make."""
    old, new = _facts(before), _facts(after)
    for changed, what in ((old - new, "drop"), (new - old, "add")):
        if changed:
            listed = ", ".join(f"[[{prop}::{value}]]" for prop, value in sorted(changed)[:3])
            raise InputError(f"{name}: formatting would {what} annotations ({listed}); "
                             "file left unchanged — please report this as a wikiflow bug")


def format_paths(paths: Iterable[str], *, write: bool = True,
                 extensions: Iterable[str] = DEFAULT_EXTENSIONS,
                 exclude: Iterable[str] = DEFAULT_EXCLUDE,
                 stdin_filename: str | None = None) -> list[FormatResult]:
    """Format every page file; with ``write``, rewrite the files that change (not stdin, which
    is reported as ``stdin_filename`` when given).

    A file that fails (see ``FormatResult.error``) is left as it was, and the others are
    formatted all the same.
    """
    paths = list(paths)
    named = _named(paths)
    return [_format_file(path, _shown(path, stdin_filename), write, path in named)
            for path in track(page_files(paths, extensions, exclude).pages, "Formatting")]


def _format_file(path: str, name: str, write: bool, named: bool) -> FormatResult:
    try:
        result = format_text(read_page_source(path), title_from_path(name), name)
    except NotAPage as error:
        return FormatResult(name, "", "", skipped=str(error), error=str(error) if named else None)
    except InputError as error:
        return FormatResult(name, "", "", skipped=str(error), error=str(error))
    if write and result.changed and path != STDIN:
        try:
            write_text(path, result.formatted)
        except InputError as error:
            result.error = str(error)
    return result


def _named(paths: list[str]) -> set[str]:
    """The paths as ``find_page_files`` gives those named explicitly (not found in a folder)."""
    return {raw if raw == STDIN else str(Path(raw)) for raw in map(str, paths)}


def lint_paths(paths: Iterable[str], config: Config | None = None, *, fix: bool = False,
               unsafe: bool = False, write: bool = True, jobs: int = 1,
               stdin_filename: str | None = None) -> list[LintResult]:
    """Lint every page file; with ``fix`` (and ``write``) rewrite the files fixes changed.

    ``jobs`` > 1 lints files in that many processes (0: one per core). Results come back in
    the order of the files. A file that cannot be read, or is binary, is a result ``skipped``
    (and an ``error`` unless it is binary and was found in a folder); one whose fixes cannot
    be written is left as it was, its result the findings of the file as it is, with an
    ``error``. The others are linted and written all the same. Standard input is linted as the
    file ``stdin_filename`` would be (its name in the report, its per-file-ignores and title),
    and never written. The results hold no ``page``: ``lint_source`` gives it for one text.
    Their fixes are built (``Diagnostic.build_fix``), so that none holds its page either.
    """
    config = config or Config()
    paths = list(paths)
    named = _named(paths)
    files = page_files(paths, config.extensions, config.excluded).pages
    tasks = [(path, _shown(path, stdin_filename), config, fix, unsafe) for path in files]
    with _run(tasks, processes(jobs)) as linted:
        results = list(track(linted, "Linting", total=len(tasks)))
    for path, result in zip(files, results):
        if result.skipped is not None and path in named:
            result.error = result.skipped
    if fix and write:
        results = [_write_fixes(task, result) for task, result in zip(tasks, results)]
    return results


def _write_fixes(task: tuple[str, str, Config, bool, bool], result: LintResult) -> LintResult:
    """Write a fixed file (never standard input); if that fails, the findings of the file as
    it stays."""
    path, name, config, _, unsafe = task
    if not result.changed or path == STDIN:
        return result
    try:
        write_text(path, fixed_text(result))
    except InputError as error:
        unfixed = _lint_file((path, name, config, False, unsafe))
        unfixed.error = unfixed.error or str(error)
        return unfixed
    return result


def fixed_text(result: LintResult) -> str:
    """The fixed page with the file's own line ends."""
    if result.newline == "\n":
        return result.source
    return result.source.replace("\n", result.newline)


def lint_diff(result: LintResult) -> str:
    """A unified diff of what the fixes changed."""
    return "".join(difflib.unified_diff(
        result.original.splitlines(keepends=True), result.source.splitlines(keepends=True),
        fromfile=f"a/{result.path}", tofile=f"b/{result.path}"))


def _run(tasks: list[tuple[str, str, Config, bool, bool]], workers: int
         ) -> AbstractContextManager[Iterator[LintResult]]:
    """Lint the files in order, in ``workers`` processes when there are enough files for each
    to get several chunks (a process costs more than a handful of pages)."""
    if len(tasks) < 2 * workers:
        workers = 1
    chunk = max(1, min(64, len(tasks) // (workers * 8)))
    return map_chunks(_lint_files, tasks, workers=workers, chunk=chunk, ahead=4 * workers,
                      setup=partial(settle_worker, below_caller=False))


def _lint_files(tasks: list[tuple[str, str, Config, bool, bool]]) -> list[LintResult]:
    return [_lint_file(task) for task in tasks]


def _lint_file(task: tuple[str, str, Config, bool, bool]) -> LintResult:
    path, name, config, fix, unsafe = task
    try:
        source = read_page_source(path)
    except NotAPage as error:
        return LintResult(name, "", [], skipped=str(error))
    except InputError as error:
        return LintResult(name, "", [], skipped=str(error), error=str(error))
    result = lint_source(source, path=name, title=title_from_path(name),
                         config=config, fix=fix, unsafe=unsafe)
    # Not kept: a run over a wiki would hold every page, and a worker would send each one
    # back, its pickle costing more than the lint (``lint --jobs 2`` was slower than 1).
    result.page = None
    # Nor through a fix still to build, which holds its page (most corpus pages have one,
    # WF503's): the report builds every fix anyway (its summary counts the fixable ones), so
    # they are built here, as a worker's are when they are sent back. On 2,240 corpus pages
    # with --jobs 1 the peak memory went from 109 to 58 MB, and the CPU of the lint and its
    # fixes together from 2.6 to 2.0 s, the collector walking fewer live objects (issue 18).
    for diagnostic in result.diagnostics:
        diagnostic.build_fix()
    return result


def new_page(name: str, spec: PageSpec | None = None) -> str:
    """A complete page: rendered from ``spec``, or a scaffold that follows every rule.

    Raises ``SpecError`` when ``name`` is not a page name MediaWiki accepts (checked first, as
    a spec given here takes ``name`` as its title).
    """
    from ..page.structured import page_from_spec, page_title_error, scaffold_spec  # pydantic: lazy

    problem = page_title_error(name)
    if problem is not None:
        raise SpecError(f"{name!r} is not a valid page name: {problem}")
    if spec is not None and spec.title != name:
        spec = spec.model_copy(update={"title": name})
    return render_page(page_from_spec(spec or scaffold_spec(name)))
