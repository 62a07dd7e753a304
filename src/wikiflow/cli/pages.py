"""The page commands: parse, fmt, new, lint and schema, over files, folders and standard input.

``lint`` and ``fmt`` walk folders for pages with ruff's options (``walk_options``); given a
whole wiki, ``lint`` runs the whole-wiki checks too, through the index beside it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from ..config import Config, describe_config
from ..files.pages import STDIN, find_page_files, read_source, write_text
from ..lint import runner
from ..lint.checks import results_by_file
from ..lint.report import render_report, skipped_summary
from ..page.model import to_data
from .common import (DIFF_COLOURS, EXIT_ERROR, EXIT_FINDINGS, REPORT_COLOURS, config_option,
                     emit, emit_report, errors_to_exit, failing, find_settings, format_option,
                     lint_config, output_options, refuse_overwrite, report_options,
                     warn_unreadable)

extensions_option = click.option(
    "--extension", "extensions", multiple=True, metavar="EXT",
    help="File extension to read when walking directories (repeatable; default: the "
         "configuration's extensions, else .md .wiki .mediawiki .txt).")


def walk_options(func: Any) -> Any:
    """The options of a command that walks folders for pages (lint and fmt), as ruff's."""
    for option in reversed((
        extensions_option,
        click.option("--exclude", multiple=True, metavar="GLOB",
                     help="Leave out files and folders matching GLOB (name or path; "
                          "repeatable), instead of the configured and default ones."),
        click.option("--extend-exclude", multiple=True, metavar="GLOB",
                     help="Leave these out as well as the configured and default ones."),
        click.option("--stdin-filename", metavar="PATH",
                     help="The file standard input (-) stands for: its name in the report, "
                          "its per-file-ignores, title and configuration."),
        click.option("--show-settings", is_flag=True,
                     help="Print the resolved settings and the file they came from; "
                          "do nothing else."),
        click.option("--show-files", is_flag=True,
                     help="Print the page files that would be read and, on stderr, what is "
                          "skipped and why; do nothing else."),
    )):
        func = option(func)
    return func


def _walk_settings(config: Config, extensions: tuple[str, ...], exclude: tuple[str, ...],
                   extend_exclude: tuple[str, ...]) -> Config:
    """``config`` with the walk's command-line options applied over it."""
    if extensions:
        config.extensions = extensions
    if exclude:
        config.exclude = exclude
    config.extend_exclude = (*config.extend_exclude, *extend_exclude)
    return config


def _config_start(paths: tuple[str, ...], stdin_filename: str | None) -> tuple[str, ...]:
    """Where to look for the configuration: standard input stands for ``stdin_filename``."""
    return tuple(stdin_filename if path == STDIN and stdin_filename else path for path in paths)


def _show(config: Config, paths: tuple[str, ...], show_settings: bool,
          show_files: bool) -> bool:
    """``--show-settings`` and ``--show-files``: print, and say whether that was the job."""
    if show_settings:
        emit(describe_config(config), nl=False)
    if show_files:
        found = find_page_files(paths, config.extensions, config.excluded)
        for page in found.pages:
            emit(page)
        for item in found.skipped:
            count = f", {item.pages} page file(s)" if item.pages else ""
            emit(f"skipped {item.path} ({item.reason}{count})", err=True)
        for folder in found.empty:
            emit(f"wikiflow: warning: {folder}: no page found under this folder", err=True)
    return show_settings or show_files


@click.command()
@click.argument("paths", nargs=-1, required=True)
@format_option("json", "yaml")
@click.option("--no-spans", is_flag=True, help="Leave source positions out of the output.")
@extensions_option
@errors_to_exit
def parse(paths: tuple[str, ...], fmt: str, no_spans: bool, extensions: tuple[str, ...]) -> None:
    """Print each page's model as JSON or YAML.

    Each PATH is a file, a directory or - for standard input. One file gives one object;
    several give a list. Library: wikiflow.parse_paths.
    """
    parsed = runner.parse_paths(paths, extensions or runner.DEFAULT_EXTENSIONS)
    items = [{"path": item.path, **to_data(item.page, spans=not no_spans)} for item in parsed]
    data: Any = items[0] if len(items) == 1 else items
    if fmt == "json":
        emit(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        import yaml  # loaded for YAML output alone (every command's start is kept short)

        emit(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), nl=False)


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any file would change.")
@click.option("--diff", is_flag=True, help="Write nothing; print a unified diff per file.")
@walk_options
@config_option
@errors_to_exit
def fmt(paths: tuple[str, ...], check: bool, diff: bool, extensions: tuple[str, ...],
        exclude: tuple[str, ...], extend_exclude: tuple[str, ...], stdin_filename: str | None,
        show_settings: bool, show_files: bool, config_path: str | None) -> None:
    """Rewrite pages in the canonical layout.

    The guide's layout, the meaning unchanged. - reads standard input and writes the result to
    standard output. Library: wikiflow.format_paths.
    """
    config = _walk_settings(find_settings(config_path, _config_start(paths, stdin_filename)),
                            extensions, exclude, extend_exclude)
    if _show(config, paths, show_settings, show_files):
        return
    write = not (check or diff)
    results = runner.format_paths(paths, write=write, extensions=config.extensions,
                               exclude=config.excluded, stdin_filename=stdin_filename)
    failed, skipped = _echo_failures(results)
    done = [result for result in results if result.skipped is None and result.error is None]
    changed = [result for result in done if result.changed]
    stdin_name = (stdin_filename or STDIN) if STDIN in paths else None
    others = _say_other_type(done)
    for result in done:
        if result.path == stdin_name and write:
            click.echo(result.formatted, nl=False)  # the page itself, byte for byte, like cat
        elif diff and result.changed:
            emit(result.diff(), nl=False, colours=DIFF_COLOURS)
        elif check and result.changed:
            emit(f"would reformat {result.path}")
    verb = "reformatted" if write else "would reformat"
    walked = skipped_summary(runner.page_files(paths, config.extensions, config.excluded))
    emit(f"{len(changed)} file(s) {verb}, {len(done) - len(changed) - others} already formatted"
         + (f", {others} left alone (not Workflow pages)" if others else "")
         + (f", {skipped} skipped (not pages)" if skipped else "")
         + (f", {failed} failed" if failed else "")
         + (f". {walked}" if walked else ""), err=True)
    if failed:
        sys.exit(EXIT_ERROR)
    if changed and not write:
        sys.exit(EXIT_FINDINGS)


def _echo_failures(results: list[Any]) -> tuple[int, int]:
    """Name each file that failed on stderr; how many failed, and how many were skipped
    without failing (binary files found in a folder)."""
    failed = [result.error for result in results if result.error is not None]
    for error in failed:
        emit(f"wikiflow: error: {error}", err=True)
    return len(failed), sum(r.skipped is not None and r.error is None for r in results)


@click.command()
@click.argument("name")
@click.option("--from", "spec_path", metavar="SPEC",
              help="Render from a structured YAML/JSON spec (- for stdin).")
@output_options("File to write instead of standard output.")
@errors_to_exit
def new(name: str, spec_path: str | None, output: str | None, force: bool) -> None:
    """Write a new Workflow page NAME.

    A complete scaffold that follows every rule, or the page rendered from a structured spec.
    Library: wikiflow.new_page.
    """
    spec = None
    if spec_path is not None:
        from ..page.structured import load_spec  # pydantic: loaded by the commands that use it

        spec = load_spec(read_source(spec_path), spec_path)
    text = runner.new_page(name, spec)
    if output is None:
        click.echo(text, nl=False)
        return
    refuse_overwrite([Path(output)], force)
    write_text(output, text)
    emit(f"wrote {output}", err=True)


@click.command()
@click.argument("paths", nargs=-1, required=True)
@report_options
@click.option("--extend-select", multiple=True, metavar="CODES",
              help="Add these rules to the selection.")
@click.option("--fix", is_flag=True, help="Apply safe fixes, then report what remains.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff, also unsafe fixes.")
@click.option("--diff", is_flag=True,
              help="Print the fixes as a diff and how many would be made; write nothing.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=1, show_default=True,
              help="Processes to lint with (0: one per core).")
@walk_options
@errors_to_exit
def lint(paths: tuple[str, ...], select: tuple[str, ...], ignore: tuple[str, ...],
         extend_select: tuple[str, ...], fmt: str, statistics: bool, exit_zero: bool,
         fail_on: str | None, fix: bool, unsafe_fixes: bool, diff: bool, jobs: int,
         extensions: tuple[str, ...], exclude: tuple[str, ...], extend_exclude: tuple[str, ...],
         stdin_filename: str | None, show_settings: bool, show_files: bool,
         config_path: str | None, quiet: bool, output_file: str | None) -> None:
    """Check pages against the guide's rules.

    Every rule of the workflow page guide; given a wiki folder, the whole-wiki checks too.
    Exit 0 when clean, 1 with findings at or above --fail-on (default: warnings and errors),
    2 on a usage, configuration or input error (a folder with no page is one).
    Library: wikiflow.lint_paths (wikiflow.lint_page for one text).
    """
    config = _walk_settings(
        lint_config(config_path, _config_start(paths, stdin_filename), select, ignore,
                    extend_select, fail_on), extensions, exclude, extend_exclude)
    if _show(config, paths, show_settings, show_files):
        return
    found = runner.page_files(paths, config.extensions, config.excluded)
    results = runner.lint_paths(paths, config, fix=fix or diff, unsafe=unsafe_fixes,
                             write=not diff, jobs=jobs, stdin_filename=stdin_filename)
    failed, skipped = _echo_failures(results)
    if skipped:
        emit(f"wikiflow: {skipped} file(s) skipped (not pages)", err=True)
    results = [result for result in results if result.skipped is None]
    _say_other_type(results)
    whole, unreadable = _whole_wiki_results(paths, config)
    results += whole
    if diff:
        emit("".join(runner.lint_diff(r) for r in results if r.changed), nl=False,
             colours=DIFF_COLOURS)
        fixes = sum(r.fixes_applied for r in results)
        emit(f"Would fix {fixes} finding(s) in {sum(r.changed for r in results)} file(s).",
             err=True)
        if failed or unreadable:
            sys.exit(EXIT_ERROR)
        sys.exit(EXIT_FINDINGS if fixes and not exit_zero else 0)
    from_stdin = fix and paths == (STDIN,) and len(results) == 1
    if from_stdin:  # the fixed page goes to stdout, so the report goes to stderr
        click.echo(runner.fixed_text(results[0]), nl=False)  # the page itself, byte for byte
    report = render_report(results, fmt, statistics=statistics, quiet=quiet, found=found)
    if from_stdin and output_file is None:
        emit(report, nl=False, err=True, colours=REPORT_COLOURS)
    else:
        emit_report(report, output_file)
    if any(not r.converged for r in results):
        emit("wikiflow: warning: fixes did not settle after "
             f"{', '.join(str(r.path) for r in results if not r.converged)}", err=True)
    if failed or unreadable:
        sys.exit(EXIT_ERROR)
    if failing(results, config) and not exit_zero:
        sys.exit(EXIT_FINDINGS)


def _say_other_type(results: list[Any]) -> int:
    """Name on stderr each page left alone as a page of another type than Workflow, with
    why; how many there were."""
    others = [result for result in results if result.other_type]
    for result in others:
        emit(f"wikiflow: {result.path}: skipped: {result.other_type}", err=True)  # page text
    return len(others)


def _whole_wiki_results(paths: tuple[str, ...], config: Config) -> tuple[list, bool]:
    """Given a whole wiki (a folder with a ``workflows/`` folder), lint also runs the checks
    that need every page (WF7xx), through the index beside it. Also says whether a file of
    a wiki could not be read (each is named on stderr)."""
    results, unreadable = [], False
    for path in paths:
        folder = Path(path)
        if path != STDIN and (folder / "workflows").is_dir():
            from ..graph.wiki import Wiki  # the index: for a whole wiki only

            with Wiki.open(folder) as wiki:
                unreadable |= warn_unreadable(folder, wiki.index())
                results += results_by_file(folder, wiki.check(config))
    return results, unreadable


@click.command()
def schema() -> None:
    """Print the JSON Schema of the page spec.

    The structured (YAML/JSON) form that new --from reads.
    Library: wikiflow.page.structured.json_schema().
    """
    from ..page.structured import json_schema

    emit(json.dumps(json_schema(), indent=2))


COMMANDS = (parse, fmt, new, lint, schema)
