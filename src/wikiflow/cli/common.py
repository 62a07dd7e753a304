"""What the command modules share: the one output layer, error handling, exit codes, rule
selection and report options.

Every line a command prints goes through ``emit`` (or ``emit_report``), which makes page text
harmless on a terminal (``printable``) and colours it only on a terminal that wants colour.
"""

from __future__ import annotations

import importlib
import os
import re
import sqlite3
import sys
from collections.abc import Callable, Iterable, Sequence
from functools import wraps
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from ..config import Config, load_config
from ..errors import WikiflowError
from ..files.pages import STDIN, write_text
from ..page.model import Severity
from ..lint.report import FORMATS
from ..terminal import printable

if TYPE_CHECKING:
    from rich.console import Console

    from ..graph.indexer import IndexStats
    from ..lint.engine import LintResult

F = TypeVar("F", bound=Callable[..., Any])

EXIT_FINDINGS = 1
EXIT_ERROR = 2
#: A reader that went away (``wikiflow search … | head``): 128 + SIGPIPE, as git's shell status.
EXIT_BROKEN_PIPE = 141
#: Ctrl-C, as shells report a process ended by SIGINT (128 + 2).
EXIT_INTERRUPTED = 130

#: The style of each named group of the ``*_COLOURS`` patterns below (``emit(colours=…)``).
_STYLES = {
    "wf.path": "bold", "wf.code": "bold red", "wf.error": "red", "wf.warning": "yellow",
    "wf.info": "blue", "wf.caret": "red", "wf.fix": "cyan", "wf.passed": "green",
    "wf.added": "green", "wf.removed": "red", "wf.hunk": "cyan", "wf.header": "bold",
}
REPORT_COLOURS = (
    re.compile(r"^(?P<path>[^\s:][^:\n]*):\d+:\d+: (?P<code>WF\d+) "
               r"\[(?:(?P<error>error)|(?P<warning>warning)|(?P<info>info))\]", re.M),
    re.compile(r"^ +\d* +\| +(?P<caret>\^+)$", re.M),
    re.compile(r"^ += (?P<fix>fix \(\w+\)):", re.M),
    re.compile(r"^(?P<passed>All checks passed.*)$", re.M),
)
DIFF_COLOURS = (
    re.compile(r"^(?P<header>(?:---|\+\+\+) .*)$", re.M),
    re.compile(r"^(?P<added>\+(?!\+\+ ).*)$", re.M),
    re.compile(r"^(?P<removed>-(?!-- ).*)$", re.M),
    re.compile(r"^(?P<hunk>@@ .*)$", re.M),
)


def emit(text: str, *, err: bool = False, nl: bool = True,
         colours: Sequence[re.Pattern[str]] = ()) -> None:
    """Print ``text`` made ``printable``; on a terminal that wants colour (``NO_COLOR`` unset,
    or ``FORCE_COLOR`` set), the parts ``colours`` name are coloured."""
    text = printable(text)
    target = _colour_console(err) if colours else None
    if target is None:
        click.echo(text, err=err, nl=nl)
        return
    from rich.text import Text

    styled = Text(text + ("\n" if nl else ""))
    for pattern in colours:
        styled.highlight_regex(pattern, style_prefix="wf.")
    target.print(styled, end="", soft_wrap=True)


def emit_report(text: str, output_file: str | None, *,
                colours: Sequence[re.Pattern[str]] = REPORT_COLOURS) -> None:
    """A report to standard output, or to ``--output-file`` (plain, made ``printable``)."""
    if output_file is None:
        emit(text, nl=False, colours=colours)
    else:
        write_text(output_file, printable(text))


def is_terminal(err: bool = False) -> bool:
    stream = sys.stderr if err else sys.stdout
    return stream.isatty()


def console(err: bool = False) -> Console:
    """A rich console on standard output (or error) with wikiflow's colours (made anew: the
    streams may have been replaced since, as tests do)."""
    from rich.console import Console  # loaded only for a terminal
    from rich.theme import Theme

    return Console(file=sys.stderr if err else sys.stdout, theme=Theme(_STYLES),
                   highlight=False, markup=False, emoji=False)


def _colour_console(err: bool) -> Console | None:
    """The console to colour with, or None: rich reads ``NO_COLOR``/``FORCE_COLOR`` and
    ``TERM=dumb``; a pipe or file gets no colour unless ``FORCE_COLOR`` says so."""
    if not (is_terminal(err) or os.environ.get("FORCE_COLOR")):
        return None  # the common case for scripts, decided without loading rich
    found = console(err)
    if found.no_color or found.color_system is None or not found.is_terminal:
        return None
    return found


class Group(click.Group):
    """The ``wikiflow`` group: a reader that goes away (``| head``) ends a command quietly, and
    the list of commands shows each one's first sentence whole.

    ``lazy`` maps the name of each command not added yet to the module whose ``COMMANDS``
    holds it: the module is imported, and all its commands added, when one of them is
    asked for (as click's documentation does for large command sets).
    """

    def __init__(self, *args: Any, lazy: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = self.lazy.get(cmd_name)
        if cmd_name not in self.commands and module is not None:
            for command in importlib.import_module(module).COMMANDS:
                self.add_command(command)
        return self.commands.get(cmd_name)

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        """Click cuts a command's first sentence to fit the list (``Check a whole wiki:
        dangling…``); given as ``short_help``, it is wrapped instead."""
        if cmd.short_help is None and cmd.help:
            cmd.short_help = " ".join(cmd.help.split("\n\n")[0].split())
        super().add_command(cmd, name)

    def invoke(self, ctx: click.Context) -> Any:
        """One place for a broken pipe, as git: no message, exit 141. Standard output is
        flushed here, so that a pipe closed early fails inside this handler rather than at
        interpreter exit, and then pointed at /dev/null so that nothing tries again."""
        try:
            try:
                return super().invoke(ctx)
            finally:
                sys.stdout.flush()
        except BrokenPipeError:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(EXIT_BROKEN_PIPE)


def errors_to_exit(func: F) -> F:
    """Turn library errors, and system errors the library did not expect, into
    ``wikiflow: error: …`` on stderr and exit code 2 rather than a traceback; Ctrl-C into
    exit code 130 (click's own handling says "Aborted!" and exits 1)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except BrokenPipeError:
            raise  # not an error of the command: Group.invoke ends it quietly
        except WikiflowError as error:
            emit(f"wikiflow: error: {error}", err=True)
            sys.exit(EXIT_ERROR)
        except OSError as error:  # the library names files in its own errors; this is a net
            where = f"{error.filename}: " if error.filename else ""
            emit(f"wikiflow: error: {where}{error.strerror or error}", err=True)
            sys.exit(EXIT_ERROR)
        except sqlite3.Error as error:  # a full disk, an index locked past the timeout
            emit(f"wikiflow: error: index: {error}", err=True)
            sys.exit(EXIT_ERROR)
        except KeyboardInterrupt:  # Ctrl-C, or a SIGTERM that stopped a SQLite statement
            sys.exit(STOPPED_BY.get("code", EXIT_INTERRUPTED))

    return wrapper  # type: ignore[return-value]


#: The exit status of a signal that ended the command (``terminate``; cleared as a command
#: starts, since a process may run several: tests, the library's callers).
STOPPED_BY: dict[str, int] = {}


def terminate(signum: int) -> NoReturn:
    """End the command as ``signum`` asks: exit 128 + signum once everything has unwound.

    The status is also kept for ``errors_to_exit``: a signal that arrives while SQLite runs a
    statement is handled in its progress hook, where sqlite3 drops the ``SystemExit`` and
    reports an interrupted statement, which the library raises as ``KeyboardInterrupt``
    (``graph.store.raise_interrupt``): a SIGTERM then exited 130, as Ctrl-C does."""
    STOPPED_BY["code"] = 128 + signum
    raise SystemExit(128 + signum)


def format_option(*choices: str, help: str = "Output format.") -> Callable[[F], F]:
    """``--format`` (the parameter ``fmt``) among ``choices``, the first one the default."""
    return click.option("--format", "fmt", type=click.Choice(choices), default=choices[0],
                        show_default=True, help=help)


#: ``--config FILE`` (the parameter ``config_path``).
config_option = click.option(
    "--config", "config_path", type=click.Path(dir_okay=False),
    help="wikiflow.toml or pyproject.toml to use instead of the nearest one.")


def report_options(func: F) -> F:
    """The options of a report of findings that ``lint`` and ``check`` share."""
    for option in reversed((
        click.option("--select", multiple=True, metavar="CODES",
                     help="Only these rules (codes, prefixes such as WF3, names; "
                          "comma-separated)."),
        click.option("--ignore", multiple=True, metavar="CODES", help="Skip these rules."),
        format_option(*FORMATS, help="text for people; json; github: workflow annotations; "
                                     "sarif: SARIF 2.1.0."),
        click.option("--statistics", is_flag=True,
                     help="Count findings per rule instead of listing."),
        click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings."),
        click.option("--fail-on", type=click.Choice([s.value for s in Severity]),
                     help="The lowest severity that exits 1 (default: the configuration's "
                          "fail-on, else warning: info findings are shown but pass)."),
        config_option,
        click.option("-q", "--quiet", is_flag=True,
                     help="Only the findings: no summary line, nothing when clean."),
        click.option("--output-file", type=click.Path(dir_okay=False), metavar="FILE",
                     help="Write the report to FILE (replaced whole) instead of standard output."),
    )):
        func = option(func)
    return func


def output_options(help: str) -> Callable[[F], F]:
    """``-o/--output`` and ``--force``: every command that writes a file the user names refuses
    to replace an existing one unless told to (``refuse_overwrite``), ``new`` and ``export``
    alike."""
    def decorate(func: F) -> F:
        func = click.option("--force", is_flag=True,
                            help="Overwrite the output file(s) if they exist.")(func)
        return click.option("-o", "--output", type=click.Path(), help=help)(func)
    return decorate


def refuse_overwrite(targets: Iterable[Path], force: bool) -> None:
    """A usage error (exit 2) naming the first of ``targets`` that exists, unless ``force``."""
    existing = next((target for target in targets if target.exists()), None)
    if existing is not None and not force:
        raise click.UsageError(f"{existing} exists; use --force to overwrite it")


def warn_unreadable(root: Path, stats: IndexStats) -> bool:
    """Name on stderr each file of the wiki an indexing run could not read; whether any."""
    for path, reason in stats.unreadable:
        emit(f"wikiflow: warning: {root / path}: {reason} (left out)", err=True)
    return bool(stats.unreadable)


def split_selectors(values: tuple[str, ...]) -> tuple[str, ...]:
    """``--select WF1,WF3 --select WF501`` → every selector."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def find_settings(config_path: str | None, paths: tuple[str, ...]) -> Config:
    """The configuration ``--config`` names, else the nearest one above the first path."""
    start = Path(paths[0]) if paths and paths[0] != STDIN else Path.cwd()
    return load_config(Path(config_path) if config_path else None,
                       start=start if start.is_dir() else start.parent)


def failing(results: list[LintResult], config: Config) -> bool:
    """Whether any finding is severe enough to fail the run (``fail-on``)."""
    return any(config.fails(d.severity) for result in results for d in result.diagnostics)


def lint_config(config_path: str | None, paths: tuple[str, ...], select: tuple[str, ...],
                ignore: tuple[str, ...], extend_select: tuple[str, ...],
                fail_on: str | None = None) -> Config:
    """The configuration with the rule selection and ``--fail-on`` of the command line."""
    from ..lint.ruledocs import DOCUMENTED  # the rules: loaded by the commands that lint

    config = find_settings(config_path, paths)
    if fail_on is not None:
        config.fail_on = Severity(fail_on)
    if select:
        config.select = split_selectors(select)
    config.ignore = (*config.ignore, *split_selectors(ignore))
    config.extend_select = (*config.extend_select, *split_selectors(extend_select))
    known = [(rule.code, rule.name) for rule in DOCUMENTED]
    for selector in (*config.select, *config.ignore, *config.extend_select):
        if selector != "ALL" and not any(selector in (code, name) or code.startswith(selector)
                                         for code, name in known):
            raise click.UsageError(f"unknown rule selector {selector!r} (see 'wikiflow rules')")
    return config


db_option = click.option("--db", type=click.Path(dir_okay=False),
                         help="Index file (default: .wikiflow/index.db beside the wiki; to "
                              "read, the nearest in this folder or one above it).")
