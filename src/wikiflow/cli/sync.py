"""The commands that talk to a live MediaWiki: pull, push, smw-setup.

Thin layers over ``wikiflow.sync.transfer`` and ``wikiflow.sync.smw``. The wiki URL comes from ``--wiki``,
``WIKIFLOW_WIKI_URL`` or ``[tool.wikiflow.wiki]``; the bot password from the environment or
the configuration, or from the URL as git takes one (with a warning when that URL is on the
command line, where other users and shell history see it); it is never printed or stored.
Exit codes: 0 done, 1 conflicts or pages not pushed, 2 usage, configuration or network error
or a page pull could not write (the others are pulled).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import click

from .common import DIFF_COLOURS, EXIT_ERROR, EXIT_FINDINGS, emit, errors_to_exit, format_option
from ..config import Config, load_config
from ..sync.client import WikiClient, parse_wiki_url
from ..sync.smw import property_pages, setup
from ..sync.transfer import (
    ACTIONS,
    DEFAULT_NAMESPACES,
    DEFAULT_SUMMARY,
    SyncReport,
    canonical_namespaces,
    connect,
    lint_gate,
    pull,
    push,
)

wiki_option = click.option("--wiki", "url", metavar="URL",
                           help="The wiki: an http:// or https:// URL of its api.php or "
                                "script path; default: WIKIFLOW_WIKI_URL, then wiki.url in "
                                "the configuration.")
config_option = click.option("--config", "config_path", type=click.Path(dir_okay=False),
                             help="Configuration file (default: the nearest wikiflow.toml or "
                                  "pyproject.toml).")
namespaces_option = click.option(
    "--namespaces", metavar="NS,NS", help="Namespaces to sync (default: wiki.namespaces, then "
    f"{','.join(DEFAULT_NAMESPACES)}).")


def _config(config_path: str | None, folder: Path | None) -> Config:
    start = folder if folder is not None and folder.is_dir() else Path.cwd()
    return load_config(Path(config_path) if config_path else None, start=start)


def _namespaces(option: str | None, config: Config) -> tuple[str, ...]:
    names = option.split(",") if option else config.wiki.namespaces or DEFAULT_NAMESPACES
    return canonical_namespaces(name for name in names if name.strip())


def _client(config: Config, url: str | None, rate: float | None = None) -> WikiClient:
    """The client of a command; a warning when ``--wiki`` holds a password."""
    client = connect(config.wiki, url=url, edit_rate=rate)
    if url and parse_wiki_url(url).password:
        click.echo("wikiflow: warning: a password in --wiki is seen by other users of this "
                   "machine and kept in the shell's history; set WIKIFLOW_WIKI_PASSWORD "
                   "instead (docs/sync.md)", err=True)
    return client


def _finish(report: SyncReport, fmt: str) -> None:
    """Print the report; exit 2 when a page could not be written, else 1 when a page was left
    in conflict or not pushed."""
    if fmt == "json":
        emit(json.dumps(report.to_data(), indent=2, ensure_ascii=False))
    else:
        _print_text(report)
    if report.failures:
        sys.exit(EXIT_ERROR)
    if report.problems:
        sys.exit(EXIT_FINDINGS)


def _print_text(report: SyncReport) -> None:
    prefix = "would be " if report.dry_run else ""
    for outcome in report.outcomes:
        if outcome.diff:
            emit(outcome.diff, nl=not outcome.diff.endswith("\n"), colours=DIFF_COLOURS)
        if outcome.action == "same" and not outcome.detail:
            continue
        what = ACTIONS[outcome.action]
        what = f"{prefix}{what}" if outcome.action in ("create", "update", "delete") else what
        detail = f": {outcome.detail}" if outcome.detail else ""
        emit(f"{outcome.path or outcome.page}: {what}{detail}",
             err=outcome.action in ("conflict", "blocked", "failed"))
    counts = Counter(outcome.action for outcome in report.outcomes)
    summary = ", ".join(f"{n} {action}" for action, n in sorted(counts.items())) or "nothing to do"
    emit(f"{summary}; {report.edits} edit(s){' (dry run)' if report.dry_run else ''}",
         err=True)
    if report.not_exact:
        emit(f"note: {report.not_exact} file(s) differ from the wiki's form only by line "
             f"ends, a byte-order mark or trailing whitespace; that is not a change "
             f"(docs/sync.md)", err=True)


@click.command("pull")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@wiki_option
@namespaces_option
@click.option("--delete", is_flag=True,
              help="Remove local files of pages deleted on the wiki (only if unedited).")
@config_option
@format_option("text", "json")
@errors_to_exit
def pull_command(folder: Path, url: str | None, namespaces: str | None, delete: bool,
                 config_path: str | None, fmt: str) -> None:
    """Copy a wiki's pages into FOLDER.

    One file per page, fetching only what changed. A file edited here since the last sync is
    never overwritten: the wiki's text is written beside it as FILE.remote and the page is
    reported as a conflict. Library: wikiflow.sync.transfer.pull.
    """
    config = _config(config_path, folder)
    client = _client(config, url)
    _finish(pull(client, folder, _namespaces(namespaces, config), delete=delete,
                 extensions=config.extensions), fmt)


@click.command("push")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@wiki_option
@namespaces_option
@click.option("--dry-run", is_flag=True, help="Print a unified diff per page; edit nothing.")
@click.option("--summary", help=f"Edit summary (default: wiki.summary, then {DEFAULT_SUMMARY!r}).")
@click.option("--force", is_flag=True, help="Push Workflow pages even when they have lint errors.")
@click.option("--delete", is_flag=True,
              help="Delete on the wiki the pages whose files were deleted here.")
@click.option("--rate", type=click.FloatRange(min=0, min_open=True), metavar="EDITS/S",
              help="At most this many edits per second (default: wiki.edit-rate, else no limit "
                   "but the wiki's maxlag).")
@config_option
@format_option("text", "json")
@errors_to_exit
def push_command(folder: Path, url: str | None, namespaces: str | None, dry_run: bool,
                 summary: str | None, force: bool, delete: bool, rate: float | None,
                 config_path: str | None, fmt: str) -> None:
    """Push FOLDER's changed pages to the wiki.

    Creates or updates on the wiki the pages of FOLDER whose text changed since the last sync.
    A page edited on the wiki since the last pull is not overwritten: it is reported as a
    conflict and the wiki's text is written beside the file as FILE.remote.
    Library: wikiflow.sync.transfer.push.
    """
    config = _config(config_path, folder)
    client = _client(config, url, rate)
    report = push(client, folder, _namespaces(namespaces, config), dry_run=dry_run,
                  delete=delete, summary=summary or config.wiki.summary or DEFAULT_SUMMARY,
                  lint=None if force else lint_gate(config),
                  extensions=config.extensions)
    _finish(report, fmt)


@click.command("smw-setup")
@wiki_option
@click.option("--print", "print_only", is_flag=True,
              help="Print the Property pages instead of pushing them.")
@click.option("--dry-run", is_flag=True, help="Show what would change on the wiki.")
@click.option("--overwrite", is_flag=True, help="Replace property pages that say otherwise.")
@config_option
@format_option("text", "json")
@errors_to_exit
def smw_setup_command(url: str | None, print_only: bool, dry_run: bool, overwrite: bool,
                      config_path: str | None, fmt: str) -> None:
    """Create SMW's Property pages for the guide.

    The Property: pages that give Semantic MediaWiki the guide's property types (last_updated:
    Date; step, uses_heuristic, domain: Page; source: Text).
    Library: wikiflow.sync.smw.setup (property_pages for --print).
    """
    if print_only:
        pages: dict[str, Any] = property_pages()
        if fmt == "json":
            emit(json.dumps(pages, indent=2))
        else:
            emit("\n".join(f"== {title} ==\n{text}\n" for title, text in pages.items()))
        return
    config = _config(config_path, None)
    _finish(setup(_client(config, url), dry_run=dry_run, overwrite=overwrite), fmt)


COMMANDS = (pull_command, push_command, smw_setup_command)
