"""Every benchmark of ``bench/`` still runs, on a wiki small enough for the test suite.

Benchmarks are for people and no test reads their figures (STYLE.md §5); but one that
stopped running goes unnoticed until someone needs it: ``bench_index.py``'s serial parse
imported a name the indexer no longer had, and every full run of it failed. Each runs
here as its README says, in a child process, and must finish with its table.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import unavailable
from tests.mediawiki_server import missing_reason

ROOT = Path(__file__).resolve().parents[1]
#: Options that make each benchmark small; ``{tmp}`` is a folder of the test's own.
SMALL = {
    "bench_parse.py": ["--pages", "30", "--repeat", "1"],
    "bench_lint.py": ["--pages", "30", "--repeat", "1"],
    "bench_index.py": ["--workflows", "30", "--others", "90", "--wiki", "{tmp}/wiki",
                       "--queries", "5"],
    "bench_export.py": ["--workflows", "30", "--others", "90", "--wiki", "{tmp}/wiki",
                        "--repeat", "1"],
    "bench_mcp.py": ["--workflows", "30", "--others", "90", "--wiki", "{tmp}/wiki",
                     "--calls", "3", "--writes", "2"],
    "bench_site.py": ["--workflows", "30", "--others", "90", "--wiki", "{tmp}/wiki",
                      "--edits", "2"],
    "bench_adversarial.py": ["--size", "1000", "--limit", "2"],
    "bench_push.py": ["--pages", "10", "--baseline-edits", "2"],
}


def test_every_benchmark_is_run_here() -> None:
    """A benchmark added to ``bench/`` is added to ``SMALL`` too."""
    assert sorted(SMALL) == sorted(p.name for p in (ROOT / "bench").glob("bench_*.py"))


@pytest.mark.parametrize("script", sorted(SMALL))
def test_the_benchmark_runs_to_its_table(script: str, tmp_path: Path) -> None:
    if script == "bench_push.py" and (reason := missing_reason()):
        unavailable(reason)
    args = [arg.format(tmp=tmp_path) for arg in SMALL[script]]
    result = subprocess.run([sys.executable, str(ROOT / "bench" / script), *args], cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    # rich draws a table's rows between "│"; bench_adversarial prints a plain one, a row a line
    rows = [line for line in lines if line.startswith("│")] or lines[2:]
    assert rows, result.stdout
