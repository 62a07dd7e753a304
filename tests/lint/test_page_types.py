"""Pages of other types (Principle, Heuristic, …) are left alone by lint, lint --fix and fmt,
including through the pre-commit hooks, which pass such files by name."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import CORPUS, ROOT, corpus_pages, needs_corpus
from wikiflow import format_text, lint_source
from wikiflow.lint.engine import folder_and_name
from wikiflow.lint.runner import format_paths, lint_paths
from wikiflow.files.pages import DEFAULT_EXTENSIONS

PRINCIPLE = """# Principle: Data Formatting

{| class="wikitable"
|-
! Domains
| [[domain::LLMs]]
|}

== Overview ==
Turn raw records into the prompt template a model was trained on.

== Theoretical Basis ==
A model follows the format it saw in training.
"""
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())


@pytest.mark.parametrize(("relative", "why"), [
    ("principles/Data_Formatting.md", "folder 'principles/'"),
    ("heuristics/Data_Formatting.wiki", "folder 'heuristics/'"),
    ("Principle_Data_Formatting.mediawiki", "file name 'Principle_Data_Formatting.mediawiki'"),
    ("Heuristic:Data_Formatting.wiki", "file name 'Heuristic:Data_Formatting.wiki'"),
    ("Data_Formatting.md", "first line '# Principle: Data Formatting'"),
])
def test_fix_and_fmt_leave_a_page_of_another_type_alone(tmp_path: Path, relative: str,
                                                        why: str) -> None:
    path = tmp_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PRINCIPLE)
    [linted] = lint_paths([str(path)], fix=True, unsafe=True)
    [formatted] = format_paths([str(path)])
    assert path.read_text() == PRINCIPLE
    assert linted.diagnostics == [] and not linted.changed and why in linted.other_type
    assert not formatted.changed and why in formatted.other_type


def test_a_workflow_in_a_workflows_folder_is_linted_whatever_its_first_line(
        tmp_path: Path) -> None:
    path = tmp_path / "workflows" / "Data_Formatting.md"
    path.parent.mkdir()
    path.write_text(PRINCIPLE)
    [linted] = lint_paths([str(path)], write=False)
    assert linted.other_type is None and linted.diagnostics


def test_only_the_page_s_own_folder_gives_its_type(tmp_path: Path) -> None:
    path = tmp_path / "environments" / "project" / "page.wiki"
    path.parent.mkdir(parents=True)
    path.write_text("== Overview ==\nx\n")
    [linted] = lint_paths([str(path)], write=False)
    assert linted.other_type is None


def test_a_title_with_a_namespace_gives_the_type() -> None:
    result = lint_source("== Overview ==\nx\n", title="Heuristic:Packing", fix=True)
    assert result.diagnostics == [] and "Heuristic page" in result.other_type
    assert format_text(PRINCIPLE).other_type is not None


@pytest.mark.parametrize("hook", HOOKS, ids=[hook["id"] for hook in HOOKS])
def test_hooks_take_every_default_extension_but_read_me_files(hook: dict) -> None:
    files, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])
    for extension in DEFAULT_EXTENSIONS:
        page = f"wiki/workflows/QLoRA{extension}"
        assert files.search(page) and not exclude.search(page)
    assert exclude.search("docs/README.md") and exclude.search("wiki/_WorkflowIndex.md")


@pytest.mark.parametrize("hook", HOOKS, ids=[hook["id"] for hook in HOOKS])
def test_a_hook_run_on_a_principle_page_leaves_it_as_it_is(tmp_path: Path, hook: dict) -> None:
    path = tmp_path / "principles" / "Data_Formatting.md"
    path.parent.mkdir()
    path.write_text(PRINCIPLE)
    command, *options = hook["entry"].split()
    assert command == "wikiflow"
    done = subprocess.run([sys.executable, "-m", "wikiflow", *options, str(path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert path.read_text() == PRINCIPLE
    assert "skipped: a Principle page" in done.stderr


@needs_corpus
def test_no_corpus_page_of_another_type_is_linted_or_reshaped() -> None:
    others = [p for p in corpus_pages() if p.parent.name != "workflows"]
    assert others, f"no Principle/Heuristic/… pages under {CORPUS}"
    for path in others:
        data = path.read_bytes()
        assert lint_source(data, path=str(path), title=path.stem, fix=True).other_type, path
        assert not format_text(data, path.stem, str(path)).changed, path


def test_the_summary_counts_a_page_left_alone_apart_from_the_pages_checked(
        tmp_path: Path) -> None:
    (tmp_path / "principles").mkdir()
    (tmp_path / "principles" / "Data_Formatting.md").write_text(PRINCIPLE)
    workflow = tmp_path / "Recipe.wiki"
    run = subprocess.run([sys.executable, "-m", "wikiflow", "new", "Recipe", "-o", str(workflow)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    run = subprocess.run([sys.executable, "-m", "wikiflow", "lint", str(workflow),
                          str(tmp_path / "principles" / "Data_Formatting.md")],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert ("All checks passed (1 file(s)). 1 page(s) of other types left alone."
            in run.stdout), run.stdout


def test_no_rule_runs_on_a_page_of_another_type(monkeypatch: pytest.MonkeyPatch) -> None:
    """Its type is known from the parsed page before any rule runs: running every rule to
    drop what they found was a third of linting the corpus (mostly Principles and
    Heuristics). A rule that runs here fails the lint; on a Workflow page it does run."""
    from wikiflow.lint import engine

    ran: list[str] = []

    def counted(self: object, page: object, ctx: object) -> list[object]:
        ran.append(type(self).__name__)
        return []

    for rule in engine.RULES:
        monkeypatch.setattr(rule, "check", counted)
    skipped = lint_source(PRINCIPLE, path="principles/Data_Formatting.md")
    assert skipped.other_type and ran == []
    lint_source(PRINCIPLE.replace("# Principle:", "# Workflow:"), path="Data_Formatting.md")
    assert ran


@settings(max_examples=500)
@given(st.lists(st.sampled_from(["", ".", "..", "principles", "a b", ".x", "x.md", "\\", "é:"]),
                max_size=5).map("/".join),
       st.booleans())
def test_a_path_is_taken_apart_as_pathlib_takes_it(path: str, absolute: bool) -> None:
    """``other_page_type`` reads a page's folder and file name by splitting plain paths as
    strings; every path, plain or not (``a/./b``, ``a//b``, a trailing ``/``), gives what
    ``Path`` gives."""
    path = f"/{path}" if absolute else path
    where = Path(path)
    assert folder_and_name(path) == (where.parent.name, where.name)
