"""Every stage is linear in its input: a megabyte of each adversarial kind (tests/adversarial.py)
goes through parse, render, fmt and lint with fixes in a child process under a CPU limit.

The limit is generous, several times what the slowest kind takes (about 10 CPU-s for half a
million table cells, each read five times), so a loaded machine passes; a quadratic stage on a
megabyte takes hours and is killed (STYLE.md: tests never assert timings, they bound the work).
"""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from tests.adversarial import KINDS
from tests.conftest import ROOT

SIZE = 1_000_000
CPU_SECONDS = 60
#: The child sets its own CPU limit, then runs every stage over the text it builds.
CHILD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_CPU, ({limit}, {limit} + 1))  # SIGXCPU, then SIGKILL
sys.path.insert(0, {root!r})
from tests.adversarial import KINDS
from wikiflow import parse_page, render_page
from wikiflow.lint.runner import format_text
from wikiflow.errors import InputError
from wikiflow.lint.engine import lint_source
text = KINDS[{kind!r}]({size})
render_page(parse_page(text))
try:
    format_text(text)
except InputError:
    pass
lint_source(text, fix=True)
{extra}
"""


def run_limited(kind: str, limit: int = CPU_SECONDS, extra: str = ""
                ) -> subprocess.CompletedProcess[str]:
    code = CHILD.format(limit=limit, root=str(ROOT), kind=kind, size=SIZE, extra=extra)
    # The wall-clock bound only guards against a child that waits instead of computing.
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=limit * 10)


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_megabyte_of_each_kind_is_read_in_linear_time(kind: str) -> None:
    result = run_limited(kind)
    killed = result.returncode in (-signal.SIGXCPU, -signal.SIGKILL)
    assert result.returncode == 0, (
        f"{kind}: over {CPU_SECONDS} CPU-s for {SIZE:,} characters (super-linear)" if killed
        else f"{kind}: {result.stderr[-2000:]}")


def test_the_limit_stops_quadratic_work() -> None:
    """The harness itself: a quadratic loop over the same megabyte is killed."""
    quadratic = "for i in range(len(text)):\n    text.find('never there', i)"
    result = run_limited("equals-line", limit=2, extra=quadratic)
    assert result.returncode in (-signal.SIGXCPU, -signal.SIGKILL)
