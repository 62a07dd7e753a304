"""The ``wikiflow`` command: the group, its version and signal handling, and the registration
of every command module's commands (``pages``, ``rules``, ``graph``, ``sync``, ``agents``,
``site``), each module loaded when needed.

Each command takes options in, makes one library call, and turns its output into text and an
exit code: 0 clean, 1 findings (``fmt --check`` would change files), 2 usage, configuration or
input error. Library errors (``WikiflowError``) become a message and code 2 in one place
(``common.errors_to_exit``). A closed pipe ends any command quietly with 141 (``common.Group``);
all output passes through ``common.emit``.
"""

from __future__ import annotations

import signal
import threading

import click

from ..version import __version__
from .common import STOPPED_BY, Group, terminate

#: Each command and the module of this package that makes it (its ``COMMANDS``). A module is
#: imported when one of its commands runs, or when the list of commands is shown: importing
#: them all (Jinja2 and the site's renderer, the MCP server, HTTP for sync) was half of the
#: 0.27 s any command took to start, ``wikiflow lint FILE`` from an editor included.
COMMAND_MODULES = {
    **dict.fromkeys(("parse", "fmt", "new", "lint", "schema"), "pages"),
    **dict.fromkeys(("rules", "rule", "guide"), "rules"),
    **dict.fromkeys(("index", "check", "query", "show", "search", "stats", "export"), "graph"),
    **dict.fromkeys(("pull", "push", "smw-setup"), "sync"),
    "mcp": "agents",
    **dict.fromkeys(("site", "serve"), "site"),
}


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]},
             lazy={name: f"{__package__}.{module}" for name, module in COMMAND_MODULES.items()})
@click.version_option(__version__, "--version", prog_name="wikiflow")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Parse, format, lint, index, query, export and sync Semantic MediaWiki Workflow pages.

    Every command's options: wikiflow COMMAND --help, and docs/cli.md.
    """
    STOPPED_BY.clear()
    if threading.current_thread() is threading.main_thread():  # where signals are handled
        previous = signal.signal(signal.SIGTERM, _terminated)
        ctx.call_on_close(lambda: signal.signal(signal.SIGTERM, previous))


def _terminated(signum: int, frame: object) -> None:
    """``kill``, ``timeout`` and a cancelled CI job send SIGTERM: unwind as after an error
    (worker processes stopped, a half-built index removed) and exit 128 + 15, the status a
    shell shows for a process that SIGTERM ended (``common.terminate``)."""
    terminate(signum)


def all_commands() -> dict[str, click.Command]:
    """Every command by name, with all their modules loaded (what ``--help`` lists)."""
    context = click.Context(main, info_name="wikiflow")
    found = {name: main.get_command(context, name) for name in main.list_commands(context)}
    return {name: command for name, command in found.items() if command is not None}
