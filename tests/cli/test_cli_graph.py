"""Graph commands: wiring, formats and exit codes (the logic is tested in test_store/ask/export)."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import networkx
import pytest
from click.testing import CliRunner

from tests.conftest import EXAMPLE_WIKI, ROOT, SRC, interrupt
from wikiflow.cli.main import main


@pytest.fixture()
def indexed(tmp_path: Path) -> tuple[CliRunner, Path, str]:
    wiki = Path(shutil.copytree(EXAMPLE_WIKI, tmp_path / "wiki",
                                ignore=shutil.ignore_patterns(".wikiflow")))
    runner = CliRunner()
    result = runner.invoke(main, ["index", str(wiki)])
    assert result.exit_code == 0 and "27 added" in result.output
    return runner, wiki, str(wiki / ".wikiflow" / "index.db")


def test_index_again_and_one_file(indexed) -> None:
    runner, wiki, db = indexed
    assert "27 unchanged" in runner.invoke(main, ["index", str(wiki)]).output
    page = wiki / "workflows" / "RAG_Pipeline.mediawiki"
    page.write_text(page.read_text() + "\nMore.\n")
    assert "1 updated" in runner.invoke(main, ["index", str(wiki), str(page)]).output
    page.write_text(page.read_text() + "\nAnd more.\n")
    data = json.loads(runner.invoke(main, ["index", str(wiki), "--format", "json"]).output)
    assert (data["seen"], data["updated"], data["unchanged"]) == (27, 1, 26)
    assert data["changed_keys"] == ["Workflow:RAG_Pipeline"] and data["unreadable"] == []


def test_show_workflow_json_keeps_step_order(indexed) -> None:
    runner, _, db = indexed
    data = json.loads(runner.invoke(main, ["show", "QLoRA_Fine_Tuning", "--db", db,
                                           "--format", "json"]).output)
    assert [s["number"] for s in data["steps"]] == list(range(1, len(data["steps"]) + 1))
    assert all(s["principle_exists"] for s in data["steps"])
    assert data["heuristics"] and data["shares_principles_with"]
    principle = json.loads(runner.invoke(main, ["show", "Principle:Quantization", "--db", db,
                                                "--format", "json"]).output)
    assert {u["page"] for u in principle["used_by"]} >= {"Workflow:QLoRA_Fine_Tuning"}


def test_unknown_page_and_missing_index_exit_2(indexed, tmp_path: Path) -> None:
    runner, _, db = indexed
    unknown = runner.invoke(main, ["show", "Nope", "--db", db])
    assert unknown.exit_code == 2 and "did you mean" not in unknown.output
    case = runner.invoke(main, ["show", "qlora fine TUNING", "--db", db])
    assert case.exit_code == 2
    assert "did you mean Workflow:QLoRA_Fine_Tuning?" in case.output
    missing = runner.invoke(main, ["stats", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 2 and "run 'wikiflow index' first" in missing.output


def test_system_errors_exit_2_with_a_message(indexed, tmp_path: Path) -> None:
    runner, wiki, db = indexed
    (tmp_path / "a-file").write_text("")
    for args in (["index", str(wiki), "--db", str(tmp_path / "a-file" / "index.db")],
                 ["export", "--db", db, "-o", str(tmp_path / "no" / "such" / "out.json")]):
        result = runner.invoke(main, args)
        assert result.exit_code == 2, (args, result.output)
        assert "wikiflow: error:" in result.output and str(tmp_path) in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_files_that_cannot_be_read_are_named_and_exit_2(indexed) -> None:
    _, wiki, db = indexed
    os.mkfifo(wiki / "principles" / "Pipe.mediawiki")  # opening it would wait for a writer
    (wiki / "principles" / "Gone.mediawiki").symlink_to(wiki / "nowhere")
    for command in ("index", "check", "lint"):
        run = subprocess.run([sys.executable, "-m", "wikiflow", command, str(wiki)],
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 2, (command, run.stderr)
        assert "Traceback" not in run.stderr
        for name, reason in (("Pipe", "not a regular file"), ("Gone", "broken symbolic link")):
            assert f"principles/{name}.mediawiki: {reason} (left out)" in run.stderr
    index_run = subprocess.run([sys.executable, "-m", "wikiflow", "index", str(wiki)],
                               capture_output=True, text=True, timeout=120)
    assert "27 page(s) seen" in index_run.stdout  # the rest is indexed


def test_query_formats(indexed) -> None:
    runner, _, db = indexed
    ask = "[[step::Principle:Quantization]] |?last_updated |sort=last_updated |order=desc"
    answer = json.loads(runner.invoke(main, ["query", ask, "--db", db, "--format", "json"]).stdout)
    rows = answer["results"]
    assert answer["meta"] == {"count": len(rows), "offset": 0, "total": len(rows)}
    assert rows and all("last_updated" in row for row in rows)
    dates = [row["last_updated"][0] for row in rows]
    assert dates == sorted(dates, reverse=True)
    table = list(csv.reader(io.StringIO(runner.invoke(
        main, ["query", ask, "--db", db, "--format", "csv"]).stdout)))
    assert table[0] == ["page", "last_updated"] and len(table) == len(rows) + 1
    bad = runner.invoke(main, ["query", "[[step::", "--db", db])
    assert bad.exit_code == 2 and "query:1:" in bad.output


def test_search_and_stats(indexed) -> None:
    runner, _, db = indexed
    hits = json.loads(runner.invoke(main, ["search", "vector index", "--db", db,
                                           "--format", "json"]).output)
    assert hits[0]["page"] == "Principle:Vector_Indexing" and "[" in hits[0]["snippet"]
    stats = json.loads(runner.invoke(main, ["stats", "--db", db, "--format", "json"]).output)
    assert stats["pages_by_namespace"]["Workflow"] == 4 and stats["missing_pages"] == 0


def test_export_graphml_of_a_query_neighbourhood(indexed, tmp_path: Path) -> None:
    runner, _, db = indexed
    out = tmp_path / "rag.graphml"
    result = runner.invoke(main, ["export", "[[Workflow:RAG_Pipeline]]", "--db", db,
                                  "--format", "graphml", "-o", str(out)])
    assert result.exit_code == 0
    graph = networkx.read_graphml(out)
    assert "Workflow:RAG_Pipeline" in graph and graph.number_of_edges() >= 6
    assert runner.invoke(main, ["export", "--db", db, "--format", "neo4j-csv"]).exit_code == 2


@pytest.mark.parametrize("fmt", ["json", "neo4j-csv"])
def test_export_o_refuses_to_overwrite_unless_forced_as_new_does(indexed, tmp_path: Path,
                                                                  fmt: str) -> None:
    runner, _, db = indexed
    out = tmp_path / "out"
    target = out / "nodes.csv" if fmt == "neo4j-csv" else out
    target.parent.mkdir(exist_ok=True)
    target.write_text("mine")
    refused = runner.invoke(main, ["export", "--db", db, "--format", fmt, "-o", str(out)])
    assert refused.exit_code == 2 and f"{target} exists; use --force" in refused.output
    assert target.read_text() == "mine"
    forced = runner.invoke(main, ["export", "--db", db, "--format", fmt, "-o", str(out),
                                  "--force"])
    assert forced.exit_code == 0 and target.read_text() != "mine"
    page = tmp_path / "Page.wiki"
    page.write_text("mine")
    assert runner.invoke(main, ["new", "Page", "-o", str(page)]).exit_code == 2
    assert page.read_text() == "mine"


def test_check_and_lint_of_a_wiki(indexed) -> None:
    runner, wiki, _ = indexed
    assert runner.invoke(main, ["check", str(wiki)]).exit_code == 0
    (wiki / "heuristics" / "Prefix_Caching.mediawiki").unlink()
    result = runner.invoke(main, ["check", str(wiki), "--format", "json"])
    assert result.exit_code == 1
    assert {item["code"] for item in json.loads(result.output)} == {"WF702"}
    assert "WF702" in runner.invoke(main, ["lint", str(wiki)]).output


def test_index_files_are_named_from_the_current_folder(indexed, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    runner, wiki, _ = indexed
    monkeypatch.chdir(wiki.parent)
    page = wiki / "workflows" / "RAG_Pipeline.mediawiki"
    page.write_text(page.read_text() + "\nMore.\n")
    relative = str(page.relative_to(wiki.parent))  # as a git hook at the top gives it
    assert "1 updated" in runner.invoke(main, ["index", "wiki", relative]).output
    (wiki / "heuristics" / "Prefix_Caching.mediawiki").unlink()
    gone = runner.invoke(main, ["index", "wiki", "wiki/heuristics/Prefix_Caching.mediawiki"])
    assert gone.exit_code == 0 and "1 removed" in gone.output
    (tmp_path / "Outside.mediawiki").write_text("== Overview ==\nElsewhere.\n")
    for name, said in (("Outside.mediawiki", "not in the wiki"),
                       ("wiki/workflows/Typo.mediawiki", "no such file")):
        result = runner.invoke(main, ["index", "wiki", name])
        assert result.exit_code == 2 and result.output.startswith("wikiflow: error: ")
        assert f"{name}: {said}" in result.output


def test_reading_commands_find_the_index_above_the_current_folder(
        indexed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner, wiki, _ = indexed
    monkeypatch.chdir(wiki / "principles")
    stats = runner.invoke(main, ["stats", "--format", "json"])
    assert stats.exit_code == 0 and json.loads(stats.output)["pages"] == 27
    assert runner.invoke(main, ["show", "QLoRA_Fine_Tuning"]).exit_code == 0
    monkeypatch.chdir(tmp_path)
    none = runner.invoke(main, ["search", "lora"])
    assert none.exit_code == 2 and "no index in" in none.output
    assert not (tmp_path / ".wikiflow").exists()


def test_a_db_that_is_not_an_index_or_has_no_folder_is_an_error(indexed,
                                                                 tmp_path: Path) -> None:
    runner, wiki, _ = indexed
    page = wiki / "workflows" / "RAG_Pipeline.mediawiki"
    text = page.read_bytes()
    missing = tmp_path / "new" / "i.db"
    for args, said in ((["index", str(wiki), "--db", str(page)], "not a SQLite database"),
                       (["stats", "--db", str(page)], "not a SQLite database"),
                       (["index", str(wiki), "--db", str(missing)], "no folder"),
                       (["stats", "--db", str(missing)], "no index here")):
        result = runner.invoke(main, args)
        assert result.exit_code == 2 and said in result.output, result.output
    assert page.read_bytes() == text and not (tmp_path / "new").exists()


# -- Ctrl-C -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def big_wiki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated wiki whose index takes a few seconds: time to press Ctrl-C."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from generate import write_wiki
    finally:
        sys.path.pop(0)
    root = tmp_path_factory.mktemp("big") / "wiki"
    write_wiki(root, workflows=1500)
    return root


def _has_open(process: subprocess.Popen, name: str) -> bool:
    """Whether ``process`` has a file called ``name`` open (Linux: /proc)."""
    try:
        return any(os.readlink(fd).endswith(name)
                   for fd in Path(f"/proc/{process.pid}/fd").iterdir())
    except OSError:
        return False


@pytest.mark.skipif(os.name != "posix", reason="SIGINT")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_in_a_first_index_leaves_no_index(big_wiki: Path, tmp_path: Path,
                                                 jobs: str) -> None:
    db = tmp_path / "index.db"
    run = interrupt(["-m", "wikiflow", "index", str(big_wiki), "--db", str(db), "-j", jobs],
                    lambda process: any(tmp_path.glob("index.db.new-*")))
    assert run.returncode == 130, run.stderr
    assert "Traceback" not in run.stderr and run.stdout == ""
    assert list(tmp_path.iterdir()) == []  # no index, no staging file


@pytest.mark.skipif(sys.platform != "linux", reason="SIGINT and /proc")
def test_ctrl_c_in_a_re_index_leaves_the_index_as_it_was(big_wiki: Path, tmp_path: Path
                                                         ) -> None:
    wiki = Path(shutil.copytree(big_wiki, tmp_path / "wiki"))
    db = tmp_path / "index.db"
    assert CliRunner().invoke(main, ["index", str(wiki), "--db", str(db)]).exit_code == 0
    before = _rows(db)
    for page in (wiki / "workflows").iterdir():
        page.write_text(page.read_text().replace("[[domain::", "[[domain::Changed "))
    run = interrupt(["-m", "wikiflow", "index", str(wiki), "--db", str(db), "-j", "1"],
                    lambda process: _has_open(process, "index.db"))
    assert run.returncode == 130, run.stderr
    assert _rows(db) == before


def _rows(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT p.key, d.name FROM domains d JOIN pages p ON p.id = d.page "
                            "ORDER BY 1, 2").fetchall()
    finally:
        conn.close()


@pytest.mark.skipif(not hasattr(os, "kill") or sys.platform == "win32", reason="POSIX signals")
def test_a_sigterm_that_stops_a_sqlite_statement_still_exits_143(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite runs the SIGTERM handler in its progress hook, where sqlite3 drops the handler's
    exit and reports the statement as interrupted, which the library raises as Ctrl-C: the
    command must still exit 128 + 15, not Ctrl-C's 130 (tests/test_workers.py's kill test
    failed so when its SIGTERM landed in a statement)."""
    import signal
    import threading

    from wikiflow.graph import store
    from wikiflow.graph.wiki import Wiki

    def index(self: Wiki, **_: object) -> None:  # a long statement, as the store runs one
        conn = sqlite3.connect(":memory:")
        conn.set_progress_handler(store._let_signals_in, store._PROGRESS_STEPS)
        threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGTERM)).start()
        try:  # some seconds of work when nothing stops it
            conn.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                         "LIMIT 30000000) SELECT count(*) FROM n").fetchone()
        except sqlite3.OperationalError as error:
            store.raise_interrupt(error)
            raise

    monkeypatch.setattr(Wiki, "index", index)
    wiki = shutil.copytree(EXAMPLE_WIKI, tmp_path / "wiki")
    result = CliRunner().invoke(main, ["index", str(wiki), "--db", str(tmp_path / "i.db")])
    assert result.exit_code == 143, result.output

    def ctrl_c(self: Wiki, **_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Wiki, "index", ctrl_c)  # the next command in this process: Ctrl-C's
    interrupted = CliRunner().invoke(main, ["index", str(wiki), "--db", str(tmp_path / "j.db")])
    assert interrupted.exit_code == 130
