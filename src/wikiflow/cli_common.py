"""What the command modules share: error handling, exit codes, rule selection options."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from .config import Config, load_config
from .errors import WikiflowError
from .files import STDIN
from .report import FORMATS
from .ruledocs import DOCUMENTED
from .store import IndexStats

F = TypeVar("F", bound=Callable[..., Any])

EXIT_FINDINGS = 1
EXIT_ERROR = 2


def errors_to_exit(func: F) -> F:
    """Turn library errors, and system errors the library did not expect, into
    ``wikiflow: error: …`` on stderr and exit code 2 rather than a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except WikiflowError as error:
            click.echo(f"wikiflow: error: {error}", err=True)
            sys.exit(EXIT_ERROR)
        except OSError as error:  # the library names files in its own errors; this is a net
            where = f"{error.filename}: " if error.filename else ""
            click.echo(f"wikiflow: error: {where}{error.strerror or error}", err=True)
            sys.exit(EXIT_ERROR)
        except sqlite3.Error as error:  # a full disk, an index locked past the timeout
            click.echo(f"wikiflow: error: index: {error}", err=True)
            sys.exit(EXIT_ERROR)

    return wrapper  # type: ignore[return-value]


def format_option(*choices: str, help: str = "Output format.") -> Callable[[F], F]:
    """``--format`` (the parameter ``fmt``) among ``choices``, the first one the default."""
    return click.option("--format", "fmt", type=click.Choice(choices), default=choices[0],
                        show_default=True, help=help)


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
        click.option("--config", "config_path", type=click.Path(dir_okay=False),
                     help="wikiflow.toml or pyproject.toml to use instead of the nearest one."),
    )):
        func = option(func)
    return func


def warn_unreadable(root: Path, stats: IndexStats) -> bool:
    """Name on stderr each file of the wiki an indexing run could not read; whether any."""
    for path, reason in stats.unreadable:
        click.echo(f"wikiflow: warning: {root / path}: {reason} (left out)", err=True)
    return bool(stats.unreadable)


def split_selectors(values: tuple[str, ...]) -> tuple[str, ...]:
    """``--select WF1,WF3 --select WF501`` → every selector."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def lint_config(config_path: str | None, paths: tuple[str, ...], select: tuple[str, ...],
                 ignore: tuple[str, ...], extend_select: tuple[str, ...]) -> Config:
    start = Path(paths[0]) if paths and paths[0] != STDIN else Path.cwd()
    config = load_config(Path(config_path) if config_path else None,
                         start=start if start.is_dir() else start.parent)
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
