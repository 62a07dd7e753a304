"""CLI wiring: output formats, stdin, exit codes. Logic is tested through the library."""

from __future__ import annotations

import importlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from tests.conftest import EXAMPLE_WIKI
from wikiflow import __version__, parse_page
from wikiflow.cli.main import all_commands, main


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture()
def wiki(tmp_path: Path) -> Path:
    return Path(shutil.copytree(EXAMPLE_WIKI, tmp_path / "wiki",
                                ignore=shutil.ignore_patterns(".wikiflow")))


def test_parse_one_file_gives_an_object(runner: CliRunner, wiki: Path) -> None:
    path = next(wiki.glob("workflows/*.mediawiki"))
    result = runner.invoke(main, ["parse", str(path)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["title"] == path.stem and data["path"] == str(path)
    assert data["steps"][0]["number"] == 1 and data["steps"][0]["principle"]
    assert {"line", "column", "end_line", "end_column"} <= set(data["steps"][0]["span"])


def test_parse_directory_gives_a_list_of_workflows_only(runner: CliRunner, wiki: Path) -> None:
    result = runner.invoke(main, ["parse", str(wiki), "--no-spans"])
    data = json.loads(result.output)
    assert isinstance(data, list)
    assert {Path(item["path"]).parent.name for item in data} == {"workflows"}
    assert len(data) == len(list(wiki.glob("workflows/*.mediawiki")))
    assert "span" not in data[0]["steps"][0]


def test_parse_yaml_and_stdin(runner: CliRunner, guide_page: str) -> None:
    result = runner.invoke(main, ["parse", "-", "--format", "yaml"], input=guide_page)
    assert result.exit_code == 0
    assert yaml.safe_load(result.output)["domains"][0]["name"] == "LLMs"


def test_missing_file_is_exit_2_naming_it(runner: CliRunner) -> None:
    result = runner.invoke(main, ["parse", "no/such.wiki"])
    assert result.exit_code == 2 and "no/such.wiki" in result.output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("command", ["lint", "fmt", "parse"])
def test_a_page_name_that_is_not_a_file_is_exit_2_naming_it(wiki: Path, command: str) -> None:
    for name, message in (("Pipe", "not a regular file"), ("Gone", "No such file")):
        page = wiki / "workflows" / f"{name}.mediawiki"
        os.mkfifo(page) if name == "Pipe" else page.symlink_to(wiki / "nowhere")
        run = subprocess.run([sys.executable, "-m", "wikiflow", command, str(wiki / "workflows")],
                             capture_output=True, text=True, timeout=120)  # a read would wait
        assert run.returncode == 2, (command, name, run.stderr)
        assert f"{page}: " in run.stderr and message in run.stderr and "Traceback" not in run.stderr
        page.unlink()


def test_fmt_check_diff_and_write(runner: CliRunner, wiki: Path, guide_page: str) -> None:
    page = wiki / "workflows" / "Messy.wiki"
    page.write_text(guide_page.replace("== Overview ==\n", "==Overview==\n\n"))
    assert runner.invoke(main, ["fmt", "--check", str(wiki)]).exit_code == 1
    diff = runner.invoke(main, ["fmt", "--diff", str(page)])
    assert diff.exit_code == 1 and "-==Overview==" in diff.output and "+== Overview ==" in diff.output
    assert runner.invoke(main, ["fmt", str(wiki)]).exit_code == 0
    assert page.read_text() == guide_page
    assert runner.invoke(main, ["fmt", "--check", str(wiki)]).exit_code == 0


def test_fmt_keeps_crlf(runner: CliRunner, tmp_path: Path, guide_page: str) -> None:
    page = tmp_path / "p.wiki"
    page.write_bytes(guide_page.replace("\n", "\r\n").replace("==\r\n", "==\r\n\r\n").encode())
    assert runner.invoke(main, ["fmt", str(page)]).exit_code == 0
    assert page.read_bytes() == guide_page.replace("\n", "\r\n").encode()


def test_fmt_refuses_another_encoding(runner: CliRunner, tmp_path: Path) -> None:
    page = tmp_path / "latin.wiki"
    page.write_bytes("== Overview ==\ncaf\u00e9\n".encode("latin-1"))
    result = runner.invoke(main, ["fmt", str(page)])
    assert result.exit_code == 2 and "latin.wiki is not UTF-8" in result.output
    assert page.read_bytes() == "== Overview ==\ncaf\u00e9\n".encode("latin-1")


def test_fmt_stdin_writes_stdout(runner: CliRunner, guide_page: str) -> None:
    result = runner.invoke(main, ["fmt", "-"], input=guide_page.replace("== Overview ==",
                                                                         "==Overview=="))
    assert result.exit_code == 0 and result.stdout == guide_page


def test_new_scaffold_is_a_complete_clean_page(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "New.wiki"
    result = runner.invoke(main, ["new", "My_Recipe", "-o", str(out)])
    assert result.exit_code == 0
    page = parse_page(out.read_text(), "My_Recipe")
    assert page.problems == [] and len(page.steps) == 3 and page.sources and page.domains
    assert runner.invoke(main, ["new", "My_Recipe", "-o", str(out)]).exit_code == 2


def test_new_from_spec_and_bad_spec(runner: CliRunner, tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "title: X\nsources: [{type: Paper, title: T, url: 'https://arxiv.org/abs/1'}]\n"
        "domains: [LLMs]\nlast_updated: 2026-01-02 03:04 GMT\noverview: O.\ndescription: D.\n"
        "usage: U.\nsteps: [{name: Only Step, principle: P}]\n")
    result = runner.invoke(main, ["new", "Y", "--from", str(spec)])
    assert result.exit_code == 0 and "=== Step 1: Only Step ===\n[[step::Principle:P]]" in \
        result.output
    spec.write_text("title: X\n")
    bad = runner.invoke(main, ["new", "Y", "--from", str(spec)])
    assert bad.exit_code == 2 and "sources" in bad.output


@pytest.mark.parametrize("name", ["", " ", "A:B", "A[B", "A]B", "A|B", "A#B", "A{B", "A}B",
                                  "A<B", "A>B", "A\x01B"])
def test_new_with_a_name_mediawiki_refuses_is_exit_2_saying_why(runner: CliRunner,
                                                                 tmp_path: Path, name: str) -> None:
    out = tmp_path / "New.wiki"
    result = runner.invoke(main, ["new", name, "-o", str(out)])
    assert result.exit_code == 2, result.exception
    assert f"wikiflow: error: {name!r} is not a valid page name: it " in result.output
    assert not out.exists()


def test_schema_and_version(runner: CliRunner) -> None:
    schema = json.loads(runner.invoke(main, ["schema"]).output)
    assert schema["title"] == "PageSpec" and "steps" in schema["required"]
    assert __version__ in runner.invoke(main, ["--version"]).output


def test_every_command_has_help(runner: CliRunner) -> None:
    for name, command in all_commands().items():
        assert command.help, name
        assert runner.invoke(main, [name, "--help"]).exit_code == 0


def test_each_command_is_named_with_the_module_that_makes_it() -> None:
    """``COMMAND_MODULES`` is what lets a command start without loading the others: a
    command added to a module and not to it would be missing from ``wikiflow``."""
    from wikiflow.cli.main import COMMAND_MODULES

    for module in set(COMMAND_MODULES.values()):
        made = importlib.import_module(f"wikiflow.cli.{module}").COMMANDS
        assert sorted(command.name for command in made) == sorted(
            name for name, owner in COMMAND_MODULES.items() if owner == module), module


#: What a command must not load to start: the other stages' heavy modules.
_SITE_AND_SYNC = ("jinja2", "wikiflow.site", "wikiflow.mcp", "wikiflow.sync", "yaml")


@pytest.mark.parametrize(("args", "unloaded"), [
    (["--version"], ("wikiflow.cli.pages", "wikiflow.page.parse", "wikiflow.lint.rules",
                     *_SITE_AND_SYNC)),
    (["index", "{wiki}"], ("wikiflow.lint.rules", "xml.sax.saxutils", *_SITE_AND_SYNC)),
    (["lint", "{page}"], ("wikiflow.graph.wiki", *_SITE_AND_SYNC)),
])
def test_a_command_loads_only_what_it_runs(wiki: Path, args: list[str],
                                           unloaded: tuple[str, ...]) -> None:
    """Every command, a hook's ``index FILE`` or an editor's ``lint FILE`` included, paid
    for importing all of them (0.27 s before any work)."""
    page = next(wiki.glob("workflows/*.mediawiki"))
    argv = [arg.format(wiki=wiki, page=page) for arg in args]
    script = ("import sys, json\nfrom wikiflow.cli.main import main\n"
              f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
              "print(json.dumps(sorted(sys.modules)))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            cwd=wiki)
    loaded = json.loads(result.stdout.splitlines()[-1])
    assert "wikiflow.cli.main" in loaded
    assert [name for name in loaded if name.startswith(unloaded)] == []


def test_lint_clean_wiki_exits_0(runner: CliRunner, wiki: Path) -> None:
    result = runner.invoke(main, ["lint", str(wiki)])
    assert result.exit_code == 0 and "All checks passed" in result.output


def test_lint_findings_exit_1_and_formats(runner: CliRunner, wiki: Path, guide_page: str) -> None:
    page = wiki / "workflows" / "Bad.wiki"
    page.write_text(guide_page.replace("Step 2: Model", "Step 5: Model"))
    text = runner.invoke(main, ["lint", str(page), "--select", "WF303"])
    assert text.exit_code == 1 and f"{page}:29:1: WF303" in text.output
    data = json.loads(runner.invoke(main, ["lint", str(page), "--format", "json"]).output)
    assert {item["code"] for item in data} >= {"WF303"}
    github = runner.invoke(main, ["lint", str(page), "--format", "github", "--select", "WF303"])
    assert github.output.startswith("::error file=")
    sarif = json.loads(runner.invoke(main, ["lint", str(page), "--format", "sarif"]).output)
    assert sarif["version"] == "2.1.0"
    assert runner.invoke(main, ["lint", str(page), "--exit-zero"]).exit_code == 0
    stats = runner.invoke(main, ["lint", str(page), "--statistics", "--select", "WF303"])
    assert "WF303  step-number-gap" in stats.output


def test_lint_diff_writes_nothing_and_fix_writes(runner: CliRunner, wiki: Path,
                                                 guide_page: str) -> None:
    page = wiki / "workflows" / "Bad.wiki"
    bad = guide_page.replace("Step 2: Model", "Step 5: Model")
    page.write_text(bad)
    diff = runner.invoke(main, ["lint", "--diff", str(page)])
    assert diff.exit_code == 1 and "+=== Step 2: Model Quantization ===" in diff.output
    assert page.read_text() == bad
    fixed = runner.invoke(main, ["lint", "--fix", "--jobs", "2", "--ignore", "WF7", str(wiki)])
    assert fixed.exit_code == 0, fixed.output
    assert page.read_text() == guide_page and "Fixed" in fixed.output


def test_lint_stdin_fix_prints_the_page(runner: CliRunner, guide_page: str) -> None:
    result = runner.invoke(main, ["lint", "--fix", "-"],
                           input=guide_page.replace("Step 2: Model", "Step 5: Model"))
    assert result.stdout == guide_page


def test_lint_usage_and_config_errors_exit_2(runner: CliRunner, wiki: Path) -> None:
    assert runner.invoke(main, ["lint", str(wiki), "--select", "WF999"]).exit_code == 2
    (wiki / "wikiflow.toml").write_text("bogus = 1\n")
    result = runner.invoke(main, ["lint", str(wiki)])
    assert result.exit_code == 2 and "bogus: unknown key" in result.output


def test_rules_rule_and_guide(runner: CliRunner) -> None:
    listing = runner.invoke(main, ["rules"]).output
    assert "WF303  step-number-gap" in listing
    explained = runner.invoke(main, ["rule", "step-number-gap"]).output
    assert explained.startswith("# WF303 step-number-gap") and "Use instead:" in explained
    assert runner.invoke(main, ["rule", "WF999"]).exit_code == 2
    assert "WF705  unused-heuristic" in listing  # whole-wiki checks are listed and explained
    assert runner.invoke(main, ["rule", "wf705"]).output.startswith("# WF705 unused-heuristic")
    codes = [row["code"] for row in json.loads(runner.invoke(main, ["rules", "--format",
                                                                    "json"]).output)]
    assert "WF303" in codes and "WF708" in codes and codes == sorted(codes)
    assert "# Writing a Workflow page" in runner.invoke(main, ["guide"]).output


def test_a_folder_with_no_page_is_exit_2_naming_it(runner: CliRunner, wiki: Path) -> None:
    for command in ("lint", "fmt", "parse"):
        result = runner.invoke(main, [command, str(wiki / "principles")])  # pages of another type
        assert result.exit_code == 0 if command != "lint" else result.exit_code in (0, 1)
    empty = wiki / "drafts"
    empty.mkdir()
    (empty / "notes.pdf").write_bytes(b"%PDF")
    for command in ("lint", "fmt", "parse"):
        result = runner.invoke(main, [command, str(wiki / "workflows"), str(empty)])
        assert result.exit_code == 2, (command, result.output)
        assert f"wikiflow: error: {empty}: no page found under this folder" in result.output
        assert "All checks passed" not in result.output


def test_the_summary_says_what_was_skipped(runner: CliRunner, wiki: Path) -> None:
    principles = len(list((wiki / "principles").glob("*.mediawiki")))
    heuristics = len(list((wiki / "heuristics").glob("*.mediawiki")))
    (wiki / "venv").mkdir()
    (wiki / "venv" / "x.md").write_text("not a page")
    result = runner.invoke(main, ["lint", "--ignore", "WF7", str(wiki)])
    assert result.exit_code == 0, result.output
    assert (f"Skipped {principles + heuristics} page file(s) of other types and 1 excluded "
            "file(s) or folder(s) (--show-files lists them).") in result.output
    only = runner.invoke(main, ["lint", str(wiki / "workflows")])
    assert "Skipped" not in only.output
    formatted = runner.invoke(main, ["fmt", "--check", str(wiki)])
    assert formatted.stderr.endswith(f"already formatted. Skipped {principles + heuristics} page "
                                     "file(s) of other types and 1 excluded file(s) or folder(s) "
                                     "(--show-files lists them).\n")


def test_info_findings_pass_unless_fail_on_says_otherwise(runner: CliRunner, wiki: Path,
                                                          guide_page: str) -> None:
    page = wiki / "workflows" / "Bad.wiki"
    page.write_text(guide_page.replace("Step 2: Model", "Step 5: Model"))
    (wiki / "wikiflow.toml").write_text('select = ["WF303"]\n[severity]\nWF303 = "info"\n')
    result = runner.invoke(main, ["lint", str(page)])
    assert result.exit_code == 0 and "WF303 [info]" in result.output
    assert runner.invoke(main, ["lint", str(page), "--fail-on", "info"]).exit_code == 1
    (wiki / "wikiflow.toml").write_text('select = ["WF303"]\nfail-on = "info"\n'
                                        '[severity]\nWF303 = "info"\n')
    assert runner.invoke(main, ["lint", str(page)]).exit_code == 1
    (wiki / "wikiflow.toml").write_text('select = ["WF303"]\nfail-on = "error"\n')
    assert runner.invoke(main, ["lint", str(page)]).exit_code == 1  # WF303 is an error
    (wiki / "wikiflow.toml").write_text('select = ["WF303"]\nfail-on = "error"\n'
                                        '[severity]\nWF303 = "warning"\n')
    assert runner.invoke(main, ["lint", str(page)]).exit_code == 0


def test_an_old_wiki_does_not_start_failing_wf708_is_opt_in(runner: CliRunner,
                                                            wiki: Path) -> None:
    page = next((wiki / "workflows").glob("*.mediawiki"))
    text = page.read_text()
    start = text.index("[[last_updated::") + len("[[last_updated::")
    page.write_text(text[:start] + "2001-01-01 00:00 GMT" + text[text.index("]]", start):])
    for command in ("lint", "check"):
        quiet = runner.invoke(main, [command, str(wiki)])
        assert quiet.exit_code == 0 and "WF708" not in quiet.output, quiet.output
        chosen = runner.invoke(main, [command, str(wiki), "--select", "WF708"])
        assert "WF708 [info]" in chosen.output and chosen.exit_code == 0
        (wiki / "wikiflow.toml").write_text("max-age-days = 400\n")
        aged = runner.invoke(main, [command, str(wiki), "--fail-on", "info"])
        assert "WF708 [info]" in aged.output and aged.exit_code == 1
        (wiki / "wikiflow.toml").unlink()


def test_exclude_and_extend_exclude(runner: CliRunner, wiki: Path, guide_page: str) -> None:
    drafts = wiki / "workflows" / "drafts"
    drafts.mkdir()
    (drafts / "Bad.wiki").write_text(guide_page.replace("Step 2: Model", "Step 5: Model"))
    target = str(wiki / "workflows")
    assert runner.invoke(main, ["lint", target]).exit_code == 1
    assert runner.invoke(main, ["lint", target, "--extend-exclude", "drafts"]).exit_code == 0
    assert runner.invoke(main, ["lint", target, "--exclude", "*/Bad.wiki"]).exit_code == 0
    assert runner.invoke(main, ["fmt", "--check", target, "--exclude", "drafts"]).exit_code == 0
    (wiki / "wikiflow.toml").write_text('extend-exclude = ["drafts"]\n')
    assert runner.invoke(main, ["lint", target]).exit_code == 0
    assert runner.invoke(main, ["lint", str(drafts / "Bad.wiki")]).exit_code == 1  # named: read
    (wiki / "wikiflow.toml").write_text('exclude = []\n')
    (wiki / "workflows" / "venv").mkdir()
    (wiki / "workflows" / "venv" / "Bad.md").write_text("x")
    files = runner.invoke(main, ["lint", "--show-files", target])
    assert str(wiki / "workflows" / "venv" / "Bad.md") in files.stdout


def test_show_files_lists_pages_and_why_others_are_skipped(wiki: Path) -> None:
    (wiki / "node_modules").mkdir()
    run = subprocess.run([sys.executable, "-m", "wikiflow", "lint", "--show-files", str(wiki)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0
    assert run.stdout.splitlines() == [str(p) for p in sorted((wiki / "workflows").iterdir())]
    assert f"skipped {wiki / 'principles'}/ (pages of another type, " in run.stderr
    assert f"skipped {wiki / 'node_modules'}/ (excluded by 'node_modules')" in run.stderr


def test_show_settings_prints_the_resolved_settings(runner: CliRunner, wiki: Path) -> None:
    (wiki / "wikiflow.toml").write_text('ignore = ["WF105"]\n')
    result = runner.invoke(main, ["lint", "--show-settings", "--ignore", "WF2", "--fail-on",
                                  "error", "--extend-exclude", "drafts", str(wiki)])
    assert result.exit_code == 0
    assert result.output.startswith(f"# settings from {wiki / 'wikiflow.toml'}\n")
    assert 'ignore = ["WF105", "WF2"]' in result.output and 'fail-on = "error"' in result.output
    assert 'extend-exclude = ["drafts"]' in result.output and "Found" not in result.output
    fmt = runner.invoke(main, ["fmt", "--show-settings", str(wiki)])
    assert fmt.exit_code == 0 and "settings from" in fmt.output


def test_stdin_filename_names_the_input_and_takes_its_settings(runner: CliRunner, wiki: Path,
                                                               guide_page: str) -> None:
    bad = guide_page.replace("Step 2: Model", "Step 5: Model")
    (wiki / "wikiflow.toml").write_text('[per-file-ignores]\n"*/drafts/*" = ["WF303"]\n')
    name = str(wiki / "workflows" / "Mine.wiki")
    result = runner.invoke(main, ["lint", "--select", "WF303", "--stdin-filename", name, "-"],
                           input=bad)
    assert result.exit_code == 1 and f"{name}:29:1: WF303" in result.output
    ignored = runner.invoke(main, ["lint", "--select", "WF303", "--stdin-filename",
                                   str(wiki / "drafts" / "Mine.wiki"), "-"], input=bad)
    assert ignored.exit_code == 0, ignored.output  # the wiki's config, its per-file-ignores
    fixed = runner.invoke(main, ["lint", "--fix", "--stdin-filename", name, "-"], input=bad)
    assert fixed.stdout == guide_page and not Path(name).exists()
    formatted = runner.invoke(main, ["fmt", "--check", "--stdin-filename", name, "-"],
                              input=guide_page.replace("\n\n== Overview", "\n== Overview"))
    assert formatted.exit_code == 1 and f"would reformat {name}" in formatted.output


def test_lint_extension_and_diff_count(runner: CliRunner, wiki: Path, guide_page: str) -> None:
    bad = guide_page.replace("Step 2: Model", "Step 5: Model")
    (wiki / "workflows" / "Bad.page").write_text(bad)
    assert runner.invoke(main, ["lint", str(wiki / "workflows")]).exit_code == 0
    found = runner.invoke(main, ["lint", "--extension", "page", str(wiki / "workflows")])
    assert found.exit_code == 1 and "Bad.page" in found.output
    diff = runner.invoke(main, ["lint", "--diff", "--extension", ".page", str(wiki / "workflows")])
    assert diff.exit_code == 1
    assert re.search(r"^Would fix [1-9]\d* finding\(s\) in 1 file\(s\)\.$", diff.stderr, re.M)
    clean = runner.invoke(main, ["lint", "--diff", str(wiki / "workflows")])
    assert clean.exit_code == 0 and "Would fix 0 finding(s)" in clean.stderr
