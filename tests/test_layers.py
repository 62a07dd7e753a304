"""The one-way data flow of STYLE.md, checked with import-linter's contract in pyproject.toml."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("lint-imports") is None and
                    not (Path(sys.executable).parent / "lint-imports").exists(),
                    reason="import-linter is not installed (pip install -e '.[test]')")
def test_import_contracts_hold() -> None:
    exe = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    result = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True, env={
        "PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stdout + result.stderr


PACKAGE = ROOT / "src" / "wikiflow"
ARCHITECTURE = ROOT / "docs" / "architecture.md"
#: STYLE.md §1 and the house issue: a few top-level modules, none over ~600 lines.
MOST_TOP_LEVEL_MODULES = 8
MOST_LINES = 600


def test_few_modules_stay_at_the_top_and_none_is_long() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= MOST_TOP_LEVEL_MODULES, top
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MOST_LINES}
    assert not long, f"modules over {MOST_LINES} lines: {long}"


def test_the_architecture_map_names_every_stage_and_module() -> None:
    """docs/architecture.md's table lists each package's modules; a module added, moved or
    removed without updating the map fails here."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(" `"): line.split("|")[3]
            for line in text.splitlines() if line.startswith("| `")}
    packages = sorted(p.name for p in PACKAGE.iterdir()
                      if (p / "__init__.py").is_file())
    assert sorted(name.rstrip("/") for name in rows) == packages
    for package in packages:
        # a module is written as `name` (what it does): other backticked words are not
        listed = set(re.findall(r"`([a-z_]+)/?` \(", rows[f"{package}/"]))
        present = {p.stem for p in (PACKAGE / package).glob("*.py") if p.stem != "__init__"}
        present |= {p.name for p in (PACKAGE / package).iterdir() if (p / "__init__.py").is_file()}
        assert listed == present, (f"{package}/: the map lists {sorted(listed - present)} that "
                                   f"are gone and misses {sorted(present - listed)}")
