"""The commands that show the wiki to people: ``site`` (a static site) and ``serve`` (the same
pages live). Thin layers over ``site.build.build_site`` and ``site.serve.serve``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..graph.wiki import Wiki
from ..site.build import build_site
from ..site.serve import serve as serve_wiki
from .common import EXIT_ERROR, emit, errors_to_exit, find_settings, warn_unreadable

jobs_option = click.option(
    "--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True,
    help="Processes that read, lint and render pages (0: one per core).")


@click.command()
@click.argument("wiki", type=click.Path(exists=True, file_okay=False))
@click.option("-o", "--output", "out", type=click.Path(file_okay=False), required=True,
              help="The site's folder (made if missing; only changed files are rewritten).")
@jobs_option
@errors_to_exit
def site(wiki: str, out: str, jobs: int) -> None:
    """Build a static HTML site of a wiki folder.

    One page per wiki page (with its lint findings and, for a Workflow, its diagram drawn), a
    page per domain, index.html, a graph view and a search box; it works offline from the
    folder. Indexes WIKI first (incrementally). Library: site.build.build_site.
    """
    config = find_settings(None, (wiki,))
    with Wiki.open(wiki) as opened:
        stats = build_site(opened, Path(out), config=config, jobs=jobs)
    emit(f"{out}: {stats.pages} page(s) ({stats.reused} unchanged since the last build), "
         f"{stats.written} file(s) written, {stats.unchanged} "
         f"unchanged, {stats.removed} removed; {stats.findings} lint finding(s)")
    for problem in stats.unreadable:
        emit(f"wikiflow: warning: {problem} (shown as unreadable)", err=True)
    if warn_unreadable(Path(wiki), stats.indexed) or stats.unreadable:
        sys.exit(EXIT_ERROR)


@click.command()
@click.argument("wiki", type=click.Path(exists=True, file_okay=False))
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="The port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The interface to listen on; another than 127.0.0.1 shows the wiki to "
                   "other machines.")
@errors_to_exit
def serve(wiki: str, port: int, host: str) -> None:
    """Serve a wiki folder's pages live, with full-text search and an #ask box.

    Each page is rendered from its file when asked for, re-indexing only that file when it
    changed, and reloads itself in the browser within a second of an edit. Ctrl-C stops it.
    Library: site.serve.serve.
    """
    config = find_settings(None, (wiki,))
    with Wiki.open(wiki) as opened:
        serve_wiki(opened, host=host, port=port, config=config,
                   started=lambda url: emit(f"Serving {wiki} at {url} (Ctrl-C stops)"))


COMMANDS = (site, serve)
