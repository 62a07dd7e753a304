"""What commands print: page text made harmless, colour only where wanted, a closed pipe, the
query's "further results" and piped table, -q and --output-file. The real CLI in a subprocess,
asserting the bytes, since a terminal and a pipe are what differ."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import click
import pytest
import yaml

from tests.conftest import EXAMPLE_WIKI
from wikiflow.cli.main import all_commands, main
from wikiflow.lint.ruledocs import DOCUMENTED

TIMEOUT = 120
#: What would act on a terminal: C0 controls but tab and newline, DEL, and C1 (as UTF-8).
CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")
#: Sequences a page may carry: OSC 8 link and OSC 0 window title ended by BEL, CSI, C1 CSI, CR.
HOSTILE = "\x1b]8;;http://evil.example\x07click\x1b]8;;\x07 \x1b]0;pwned\x07 \x1b[2J \x9b31m \rX"
IN_PAGE = HOSTILE.replace("\r", "")
IN_VALUE = "\x1b\x07\x9b31m pwned\x1bP"
LONG_NAME = "Continued_Training_Of_A_Very_Long_Named_Workflow_Page_Beyond_Any_Column"


def _env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if key not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "TERM")}
    return {**env, "TERM": "xterm-256color", **extra}


def _run(*args: str, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "wikiflow", *args], capture_output=True,
                          timeout=TIMEOUT, cwd=cwd, env=_env(**env))


def _run_on_terminal(*args: str, **env: str) -> tuple[int, bytes]:
    """Run with standard output on a pseudo-terminal; its exit code and what it showed."""
    leader, follower = pty.openpty()
    try:
        process = subprocess.Popen([sys.executable, "-m", "wikiflow", *args], stdout=follower,
                                   stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                                   env=_env(**env))
        os.close(follower)
        follower = -1
        shown, deadline = b"", time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 1)
            if ready:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:  # EIO: the terminal's other side is closed
                    break
                if not chunk:
                    break
                shown += chunk
            elif process.poll() is not None:
                break
        return process.wait(timeout=TIMEOUT), shown.replace(b"\r\n", b"\n")
    finally:
        if follower >= 0:
            os.close(follower)
        os.close(leader)
        if process.poll() is None:
            process.kill()


@pytest.fixture()
def wiki(tmp_path: Path) -> Path:
    """The example wiki with page text that carries terminal escape sequences, and a Workflow
    with a long name; indexed."""
    folder = Path(shutil.copytree(EXAMPLE_WIKI, tmp_path / "wiki",
                                  ignore=shutil.ignore_patterns(".wikiflow")))
    page = folder / "workflows" / "RAG_Pipeline.mediawiki"
    text = page.read_text(encoding="utf-8")
    # A CR of page text is a line end once read (as in MediaWiki): the bold keeps its line.
    text = text.replace("== Overview ==\n", f"== Overview ==\n**bold {IN_PAGE}** retrieval\n", 1)
    # SMW drops control characters from a value (CharArmor), so the domain arrives without
    # them; the rest of the page keeps its escape sequences.
    text = text.replace("[[domain::", f"[[domain::Evil{IN_VALUE}]] [[domain::", 1)
    page.write_text(text, encoding="utf-8")
    shutil.copy(folder / "workflows" / "QLoRA_Fine_Tuning.mediawiki",
                folder / "workflows" / f"{LONG_NAME}.mediawiki")
    assert _run("index", str(folder)).returncode == 0
    return folder


def _assert_harmless(output: bytes, shown: bytes = b"\\u001b]0;pwned\\u0007") -> None:
    assert not CONTROL_BYTES.search(output), output
    assert shown in output  # shown, not dropped


def test_page_text_never_reaches_the_terminal_as_control_characters(wiki: Path) -> None:
    db = str(wiki / ".wikiflow" / "index.db")
    page = str(wiki / "workflows" / "RAG_Pipeline.mediawiki")
    runs = {
        "lint": _run("lint", page),
        "lint --diff": _run("lint", "--diff", page),
        "parse json": _run("parse", page),
        "parse yaml": _run("parse", "--format", "yaml", page),
        "show": _run("show", "RAG_Pipeline", "--db", db),
        "search": _run("search", "pwned", "--db", db),
        "query": _run("query", "[[Workflow:+]] |?domain", "--db", db),
        "query csv": _run("query", "[[Workflow:+]] |?domain", "--db", db, "--format", "csv"),
    }
    for name, run in runs.items():
        assert run.returncode in (0, 1), (name, run.stderr)
        assert not CONTROL_BYTES.search(run.stderr), name
        shown = {"parse yaml": b"\\e]0;pwned\\a", "search": b"\\u001b]0;[pwned]\\u0007",
                 "query": b"Evil31m_pwnedP", "query csv": b"Evil31m_pwnedP"}  # a page value is a title
        _assert_harmless(run.stdout, shown.get(name, b"\\u001b]0;pwned\\u0007"))
    for name, load in (("parse json", json.loads), ("parse yaml", yaml.safe_load)):
        assert load(runs[name].stdout)["overview"].startswith(f"**bold {IN_PAGE}")  # all kept
    error = _run("show", f"Nothing{HOSTILE}", "--db", db)
    assert error.returncode == 2
    _assert_harmless(error.stderr)


def test_a_reader_that_goes_away_ends_the_command_quietly(wiki: Path) -> None:
    for args in (("search", "retrieval", "--db", str(wiki / ".wikiflow" / "index.db")),
                 ("lint", str(wiki / "workflows")), ("rules",)):
        reader, writer = os.pipe()
        os.close(reader)  # as `| head` does once it has read enough
        try:
            run = subprocess.run([sys.executable, "-m", "wikiflow", *args], stdout=writer,
                                 stderr=subprocess.PIPE, timeout=TIMEOUT, env=_env())
        finally:
            os.close(writer)
        assert (run.returncode, run.stderr) == (141, b""), args


def test_colour_on_a_terminal_unless_no_color_and_never_in_a_pipe(wiki: Path) -> None:
    page = str(wiki / "workflows" / "RAG_Pipeline.mediawiki")
    code, shown = _run_on_terminal("lint", page)
    assert code == 1 and re.search(rb"\x1b\[[0-9;]*mWF602", shown)
    _, plain = _run_on_terminal("lint", page, NO_COLOR="1")
    assert b"\x1b[" not in plain and b"WF602 [warning]" in plain
    assert b"\x1b[" not in _run("lint", page).stdout
    forced = _run("lint", "--diff", page, FORCE_COLOR="1").stdout
    assert re.search(rb"\x1b\[[0-9;]*m\+'''bold", forced)
    _assert_harmless(re.sub(rb"\x1b\[[0-9;]*m", b"", forced))  # page text escaped all the same


def test_query_says_when_the_limit_cut_it_and_pipes_plain_rows(wiki: Path) -> None:
    db = str(wiki / ".wikiflow" / "index.db")
    cut = _run("query", "[[Workflow:+]]", "--limit", "2", "--db", db)
    assert cut.returncode == 0
    assert b"2 of 5 result(s) shown; further results" in cut.stderr
    assert cut.stdout.decode().splitlines()[1:] == [
        "Workflow:Continued_Training_Of_A_Very_Long_Named_Workflow_Page_Beyond_Any_Column",
        "Workflow:DPO_Preference_Alignment"]
    answer = json.loads(_run("query", "[[Workflow:+]] |limit=2 |offset=1", "--db", db,
                             "--format", "json").stdout)
    assert answer["meta"] == {"count": 2, "offset": 1, "total": 5}
    assert answer["query-continue-offset"] == 3
    whole = _run("query", "[[Workflow:+]] |?domain", "--db", db)
    assert b"further" not in whole.stderr and b"5 result(s)" in whole.stderr
    lines = whole.stdout.decode().splitlines()
    assert lines[0] == "page\tdomain" and all(line.count("\t") == 1 for line in lines)
    assert not re.search("[\u2500-\u257f\u2026]", whole.stdout.decode())  # no box, nothing cut


def test_query_reports_what_it_did_not_apply(wiki: Path) -> None:
    """Parameters that change nothing, and a sort property no page has, are said, never
    silently ignored: on standard error, and in the JSON answer."""
    db = str(wiki / ".wikiflow" / "index.db")
    run = _run("query", "[[Workflow:+]] |mainlabel=Recipe |sort=gpu_memroy", "--db", db)
    warnings = [line for line in run.stderr.decode().splitlines() if line.startswith("warning:")]
    assert run.returncode == 0 and len(warnings) == 2
    assert "'mainlabel=Recipe'" in warnings[0] and "'gpu_memroy'" in warnings[1]
    answer = json.loads(_run("query", "[[Workflow:+]] |format=table", "--db", db,
                             "--format", "json").stdout)
    assert len(answer["warnings"]) == 1 and "'format'" in answer["warnings"][0]
    assert "warnings" not in json.loads(_run("query", "[[Workflow:+]]", "--db", db,
                                             "--format", "json").stdout)


def test_query_table_on_a_narrow_terminal_wraps_and_cuts_nothing(wiki: Path) -> None:
    code, shown = _run_on_terminal("query", "[[Workflow:+]]", "--db",
                                   str(wiki / ".wikiflow" / "index.db"), COLUMNS="40")
    text = shown.decode()
    assert code == 0 and "\u2026" not in text and "\u2502" in text  # a table, nothing cut
    assert f"Workflow:{LONG_NAME}" in re.sub(r"[\s\u2500-\u257f]", "", text)


def test_quiet_prints_only_findings_and_output_file_takes_the_report(wiki: Path,
                                                                     tmp_path: Path) -> None:
    clean = str(wiki / "workflows" / "QLoRA_Fine_Tuning.mediawiki")
    dirty = str(wiki / "workflows" / "RAG_Pipeline.mediawiki")
    assert _run("lint", "-q", clean).stdout == b""
    loud, quiet = _run("lint", dirty), _run("lint", "--quiet", dirty)
    assert quiet.returncode == 1 and b"WF602" in quiet.stdout and b"Found" not in quiet.stdout
    assert loud.stdout.startswith(quiet.stdout) and b"Found" in loud.stdout
    report = tmp_path / "report.txt"
    to_file = _run("lint", "--output-file", str(report), dirty)
    assert to_file.returncode == 1 and to_file.stdout == b""
    assert report.read_bytes() == loud.stdout
    checked = _run("check", str(wiki), "-q", "--format", "json", "--output-file", str(report))
    assert checked.stdout == b"" and isinstance(json.loads(report.read_bytes()), list)


def test_rules_lists_one_line_per_rule() -> None:
    run = _run("rules")
    lines = run.stdout.decode().splitlines()
    assert len(lines) == len(DOCUMENTED)
    assert [line.split()[0] for line in lines] == [rule.code for rule in DOCUMENTED]


def test_help_shows_whole_first_sentences_and_no_rest_markup() -> None:
    # the group's own context settings: click caches the help option a first context makes
    context = click.Context(main, info_name="wikiflow", **main.context_settings)
    for name, command in all_commands().items():
        short = command.get_short_help_str(limit=20)
        assert short.endswith(".") and not short.endswith("..."), (name, short)
        texts = [command.help or "", *(getattr(p, "help", None) or "" for p in command.params)]
        assert not any("``" in text for text in texts), name
    assert "..." not in main.get_help(context).split("Commands:")[1]
