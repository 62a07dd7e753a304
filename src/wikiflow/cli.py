"""The ``wikiflow`` command: options in, one library call, output and exit code out.

Exit codes: 0 clean, 1 findings (``fmt --check`` would change files), 2 usage, configuration or
input error. Library errors (``WikiflowError``) become a message and code 2 here, in one place.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
import yaml

from . import __version__, api
from .errors import WikiflowError
from .files import STDIN, read_source, write_text
from .model import to_data
from .structured import json_schema, load_spec

F = TypeVar("F", bound=Callable[..., Any])

EXIT_FINDINGS = 1
EXIT_ERROR = 2


def _errors_to_exit(func: F) -> F:
    """Turn library errors into ``wikiflow: error: …`` on stderr and exit code 2."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except WikiflowError as error:
            click.echo(f"wikiflow: error: {error}", err=True)
            sys.exit(EXIT_ERROR)

    return wrapper  # type: ignore[return-value]


extensions_option = click.option(
    "--extension", "extensions", multiple=True, metavar="EXT",
    help="File extension to read when walking directories (repeatable; default: .md .wiki "
         ".mediawiki .txt).")


def _extensions(values: tuple[str, ...]) -> tuple[str, ...]:
    return values or api.DEFAULT_EXTENSIONS


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="wikiflow")
def main() -> None:
    """Parse, format and check Semantic MediaWiki Workflow pages."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["json", "yaml"]), default="json",
              show_default=True, help="Output format.")
@click.option("--no-spans", is_flag=True, help="Leave source positions out of the output.")
@extensions_option
@_errors_to_exit
def parse(paths: tuple[str, ...], fmt: str, no_spans: bool, extensions: tuple[str, ...]) -> None:
    """Print the page model of each PATH (file, directory or - for stdin) as data.

    One file gives one object; several give a list. Library: ``wikiflow.parse_paths``.
    """
    parsed = api.parse_paths(paths, _extensions(extensions))
    items = [{"path": item.path, **to_data(item.page, spans=not no_spans)} for item in parsed]
    data: Any = items[0] if len(items) == 1 else items
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        click.echo(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), nl=False)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any file would change.")
@click.option("--diff", is_flag=True, help="Write nothing; print a unified diff per file.")
@extensions_option
@_errors_to_exit
def fmt(paths: tuple[str, ...], check: bool, diff: bool, extensions: tuple[str, ...]) -> None:
    """Rewrite pages in the guide's canonical layout (meaning unchanged).

    ``-`` reads standard input and writes the result to standard output.
    Library: ``wikiflow.format_paths``.
    """
    write = not (check or diff)
    results = api.format_paths(paths, write=write, extensions=_extensions(extensions))
    changed = [result for result in results if result.changed]
    for result in results:
        if result.path in ("<input>", STDIN) and write:
            click.echo(result.formatted, nl=False)
        elif diff and result.changed:
            click.echo(result.diff(), nl=False)
        elif check and result.changed:
            click.echo(f"would reformat {result.path}")
    verb = "reformatted" if write else "would reformat"
    click.echo(f"{len(changed)} file(s) {verb}, {len(results) - len(changed)} already formatted",
               err=True)
    if changed and not write:
        sys.exit(EXIT_FINDINGS)


@main.command()
@click.argument("name")
@click.option("--from", "spec_path", metavar="SPEC",
              help="Render from a structured YAML/JSON spec (- for stdin).")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write to FILE instead of standard output.")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@_errors_to_exit
def new(name: str, spec_path: str | None, output: str | None, force: bool) -> None:
    """Write a new Workflow page NAME: a complete scaffold, or rendered from a spec.

    Library: ``wikiflow.new_page``.
    """
    spec = None
    if spec_path is not None:
        spec = load_spec(read_source(spec_path), spec_path)
        if spec.title != name:
            spec = spec.model_copy(update={"title": name})
    text = api.new_page(name, spec)
    if output is None:
        click.echo(text, nl=False)
        return
    if Path(output).exists() and not force:
        raise click.UsageError(f"{output} exists; use --force to overwrite it")
    write_text(output, text)
    click.echo(f"wrote {output}", err=True)


@main.command()
def schema() -> None:
    """Print the JSON Schema of the structured (YAML/JSON) page form."""
    click.echo(json.dumps(json_schema(), indent=2))


if __name__ == "__main__":  # pragma: no cover
    main()
