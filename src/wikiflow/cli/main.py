"""The ``wikiflow`` command: the group, its version and signal handling, and the registration
of every command module's commands (``pages``, ``rules``, ``graph``, ``sync``, ``agents``, ``site``).

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
from .agents import AGENT_COMMANDS
from .common import STOPPED_BY, Group, terminate
from .graph import GRAPH_COMMANDS
from .pages import PAGE_COMMANDS
from .rules import RULE_COMMANDS
from .site import SITE_COMMANDS
from .sync import SYNC_COMMANDS


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
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


for _command in (*PAGE_COMMANDS, *RULE_COMMANDS, *GRAPH_COMMANDS, *SYNC_COMMANDS,
                 *AGENT_COMMANDS, *SITE_COMMANDS):
    main.add_command(_command)
