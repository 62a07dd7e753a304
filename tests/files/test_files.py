"""Page files as the commands read and write them: writes are whole or not at all (a failed
or killed write keeps the old file, its mode kept), one failing file is named while the rest go
on, pages in another encoding and binary files are reported by name rather than read as pages.

Failures are real ones, in a subprocess: a file size limit (``RLIMIT_FSIZE``), a signal, a
file the user running the command may not write."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_WIKI
from wikiflow.lint.runner import format_paths, lint_paths
from wikiflow.files.pages import atomic_output, write_text
from wikiflow.graph.wiki import Wiki

#: Every wait on a child process is bounded by this many seconds.
TIMEOUT = 120
#: A file size limit well below the big page, well above the small ones.
LIMIT = 64 * 1024


@pytest.fixture
def messy(guide_page: str) -> str:
    """The guide's page with a heading that ``fmt`` rewrites and ``lint --fix`` fixes (safe)."""
    return guide_page.replace("== Overview ==\n", "==Overview==\n")


def big(page: str) -> str:
    """``page`` with a description four times ``LIMIT`` long."""
    return page.replace("=== Description ===\n", "=== Description ===\n" +
                        "A long description of the process. " * (4 * LIMIT // 35) + "\n")


def file_size_limit(limit: int = LIMIT) -> Callable[[], None]:
    """For ``preexec_fn``: no file may grow beyond ``limit`` bytes (and no core file)."""
    def set_limits() -> None:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return set_limits


#: Runs the command with SIGXFSZ as argv[1] says. Python ignores it, so a write beyond the
#: limit fails (EFBIG); SIG_DFL instead ends the process mid-write, as a kill would.
RUN_WITH_SIGXFSZ = ("import signal, sys; from wikiflow.cli.main import main; "
                    "signal.signal(signal.SIGXFSZ, int(sys.argv[1])); "
                    "main(sys.argv[2:], prog_name='wikiflow')")


def run_limited(args: list[str], action: int = signal.SIG_IGN, limit: int = LIMIT
                ) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", RUN_WITH_SIGXFSZ, str(int(action)), *args],
                          capture_output=True, text=True, timeout=TIMEOUT,
                          preexec_fn=file_size_limit(limit))


def names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


@pytest.mark.parametrize("command", [["fmt"], ["lint", "--fix"]])
def test_a_write_that_fails_midway_keeps_the_old_page_and_the_others_are_written(
        tmp_path: Path, messy: str, guide_page: str, command: list[str]) -> None:
    (tmp_path / "a.wiki").write_text(messy)
    (tmp_path / "b.wiki").write_text(big(messy))
    (tmp_path / "c.wiki").write_text(messy)
    run = run_limited([*command, str(tmp_path)])
    assert run.returncode == 2, run.stderr
    assert f"{tmp_path / 'b.wiki'}: cannot write: File too large" in run.stderr
    assert (tmp_path / "b.wiki").read_text() == big(messy)
    assert (tmp_path / "a.wiki").read_text() == (tmp_path / "c.wiki").read_text() == guide_page
    assert names(tmp_path) == ["a.wiki", "b.wiki", "c.wiki"]  # no temporary file left


def test_a_kill_during_a_write_leaves_the_old_page(tmp_path: Path, messy: str) -> None:
    """SIGXFSZ's default action ends the process in the middle of the write."""
    (tmp_path / "b.wiki").write_text(big(messy))
    run = run_limited(["fmt", str(tmp_path)], signal.SIG_DFL)
    assert run.returncode == -signal.SIGXFSZ, run.stderr
    assert (tmp_path / "b.wiki").read_text() == big(messy)
    # What the kill left behind is hidden: no command takes it for a page.
    assert [path.name for path in tmp_path.iterdir() if not path.name.startswith(".")] == \
        ["b.wiki"]
    assert [r.path for r in format_paths([str(tmp_path)], write=False)] == \
        [str(tmp_path / "b.wiki")]


WRITE_AND_WAIT = """
import sys, time
from wikiflow.files.pages import atomic_output
with atomic_output(sys.argv[1]) as out:
    out.write(b"new " * 1_000_000)
    out.flush()
    if sys.argv[2] == "during":
        print("writing", flush=True)
        time.sleep(60)
print("written", flush=True)
time.sleep(60)
"""


@pytest.mark.parametrize(("moment", "expected"), [("during", "old\n"), ("after", "new ")])
def test_sigkill_leaves_the_old_or_the_new_file_never_part(tmp_path: Path, moment: str,
                                                          expected: str) -> None:
    target = tmp_path / "page.wiki"
    target.write_text("old\n")
    child = subprocess.Popen([sys.executable, "-c", WRITE_AND_WAIT, str(target), moment],
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() in ("writing", "written")
    finally:
        child.kill()
        child.wait(timeout=TIMEOUT)
        child.stdout.close()  # type: ignore[union-attr]
    text = target.read_text()
    assert text.startswith(expected) and len(text) in (4, 4_000_000)


def test_a_failed_write_raises_naming_the_file_and_keeps_it(tmp_path: Path) -> None:
    target = tmp_path / "page.wiki"
    target.write_text("old\n")

    class Interrupted(Exception):
        pass

    with pytest.raises(Interrupted), atomic_output(target) as out:
        out.write(b"half a page")
        raise Interrupted
    assert target.read_text() == "old\n" and names(tmp_path) == ["page.wiki"]


@pytest.mark.parametrize("mode", [0o600, 0o755, 0o640])
def test_a_rewritten_file_keeps_its_mode(tmp_path: Path, messy: str, guide_page: str,
                                         mode: int) -> None:
    page = tmp_path / "p.wiki"
    page.write_text(messy)
    page.chmod(mode)
    format_paths([str(page)])
    assert page.read_text() == guide_page and stat.S_IMODE(page.stat().st_mode) == mode


def test_a_new_file_gets_the_mode_of_the_umask(tmp_path: Path) -> None:
    out = tmp_path / "New.wiki"
    subprocess.run([sys.executable, "-m", "wikiflow", "new", "New", "-o", str(out)],
                   check=True, capture_output=True, timeout=TIMEOUT,
                   preexec_fn=lambda: os.umask(0o027))
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


def test_a_link_is_followed_not_replaced(tmp_path: Path) -> None:
    (tmp_path / "real.wiki").write_text("old\n")
    (tmp_path / "link.wiki").symlink_to("real.wiki")
    write_text(str(tmp_path / "link.wiki"), "new\n")
    assert (tmp_path / "link.wiki").is_symlink() and (tmp_path / "real.wiki").read_text() == \
        "new\n"


def grown_wiki(folder: Path, copies: int = 40) -> Path:
    """The example wiki with each workflow page copied under other names: an export of it
    (400 KB of JSON) is well above the file size limit of the export test."""
    shutil.copytree(EXAMPLE_WIKI, folder)
    for page in sorted((folder / "workflows").iterdir()):
        for number in range(copies):
            shutil.copy(page, page.with_stem(f"{page.stem}_{number}"))
    return folder


@pytest.mark.parametrize(("command", "limit"), [
    (["new", "Page", "--force", "-o"], 1024),  # the scaffold is 2 KB
    (["export", "--format", "json", "--force", "-o"], 4 * LIMIT),  # room for SQLite's own files
])
def test_an_output_file_that_fails_is_not_left_partial(tmp_path: Path, command: list[str],
                                                        limit: int) -> None:
    """``new -o`` and ``export -o``: no file when it is new, the old file otherwise."""
    db = tmp_path / "index.db"
    subprocess.run([sys.executable, "-m", "wikiflow", "index", "--db", str(db),
                    str(grown_wiki(tmp_path / "wiki"))],
                   check=True, capture_output=True, timeout=TIMEOUT)
    old = tmp_path / "old.out"
    old.write_text("old\n")
    index = ["--db", str(db)] if command[0] == "export" else []
    for out in (tmp_path / "new.out", old):
        run = run_limited([*command, str(out), *index], limit=limit)
        assert run.returncode == 2 and f"{out}: cannot write: File too large" in run.stderr
    assert old.read_text() == "old\n" and not (tmp_path / "new.out").exists()
    assert names(tmp_path) == ["index.db", "old.out", "wiki"]


def make_read_only(path: Path) -> Callable[[], None]:
    """Make ``path`` a file this user may not write; return what undoes it. Root writes
    read-only files, so for root the file is made immutable (skipped where the file system
    cannot)."""
    path.chmod(0o444)
    if os.geteuid() != 0:
        return lambda: None
    if shutil.which("chattr") is None or subprocess.run(
            ["chattr", "+i", str(path)], capture_output=True, timeout=TIMEOUT).returncode:
        pytest.skip("running as root, and the file system cannot make a file immutable")
    return lambda: subprocess.run(["chattr", "-i", str(path)], check=True, timeout=TIMEOUT)


@pytest.mark.parametrize("command", [["fmt"], ["lint", "--fix"]])
def test_a_read_only_file_among_several_is_named_and_the_others_written(
        tmp_path: Path, messy: str, guide_page: str, command: list[str]) -> None:
    for name in ("a.wiki", "b.wiki", "c.wiki"):
        (tmp_path / name).write_text(messy)
    undo = make_read_only(tmp_path / "a.wiki")
    try:
        run = subprocess.run([sys.executable, "-m", "wikiflow", *command, str(tmp_path)],
                             capture_output=True, text=True, timeout=TIMEOUT)
    finally:
        undo()
    assert run.returncode == 2, run.stderr
    assert f"{tmp_path / 'a.wiki'}: cannot write: " in run.stderr
    assert (tmp_path / "a.wiki").read_text() == messy
    assert (tmp_path / "b.wiki").read_text() == (tmp_path / "c.wiki").read_text() == guide_page
    assert stat.S_IMODE((tmp_path / "a.wiki").stat().st_mode) == 0o444
    assert names(tmp_path) == ["a.wiki", "b.wiki", "c.wiki"]


def latin_1(page: str) -> tuple[bytes, int]:
    """``page`` in Latin-1 with an 'é' at column 4 of its overview line; that line's number."""
    lines = page.split("\n")
    number = next(n for n, text in enumerate(lines, 2) if "Overview" in text)
    lines[number - 1] = "Café " + lines[number - 1]
    return "\n".join(lines).encode("latin-1"), number


def test_fmt_of_a_folder_names_a_page_in_another_encoding_and_formats_the_rest(
        tmp_path: Path, messy: str, guide_page: str) -> None:
    latin, line = latin_1(messy)
    (tmp_path / "a.wiki").write_bytes(latin)
    (tmp_path / "b.wiki").write_text(messy)
    run = subprocess.run([sys.executable, "-m", "wikiflow", "fmt", str(tmp_path)],
                         capture_output=True, text=True, timeout=TIMEOUT)
    assert run.returncode == 2
    assert f"{tmp_path / 'a.wiki'} is not UTF-8: byte 0xE9 at line {line}, column 4" in run.stderr
    assert (tmp_path / "a.wiki").read_bytes() == latin
    assert (tmp_path / "b.wiki").read_text() == guide_page


def test_index_leaves_out_a_page_in_another_encoding_and_says_where(tmp_path: Path,
                                                                     guide_page: str) -> None:
    wiki = Path(shutil.copytree(EXAMPLE_WIKI, tmp_path / "wiki"))
    latin, line = latin_1(guide_page)
    (wiki / "workflows" / "Latin.mediawiki").write_bytes(latin)
    with Wiki.open(wiki, db=tmp_path / "index.db") as opened:
        stats = opened.index()
        indexed = {row[0] for row in opened.conn.execute(
            "SELECT key FROM pages WHERE exists_ = 1")}
    assert stats.unreadable == [("workflows/Latin.mediawiki", "not UTF-8: cannot decode the "
                                 f"byte at line {line}, column 4 (re-save the file as UTF-8)")]
    assert "Workflow:Latin" not in indexed and "Workflow:RAG_Pipeline" in indexed
    run = subprocess.run([sys.executable, "-m", "wikiflow", "index", str(wiki), "--db",
                          str(tmp_path / "index.db")], capture_output=True, text=True,
                         timeout=TIMEOUT)
    assert run.returncode == 2 and f"Latin.mediawiki: not UTF-8: cannot decode the byte at " \
        f"line {line}, column 4" in run.stderr


def test_lint_reports_another_encoding_at_its_position_and_lints_the_rest(
        tmp_path: Path, messy: str) -> None:
    latin, line = latin_1(messy)
    (tmp_path / "a.wiki").write_bytes(latin)
    (tmp_path / "b.wiki").write_text(messy)
    first, second = lint_paths([str(tmp_path)], fix=True)
    found = [(d.code, d.span.line, d.span.column) for d in first.diagnostics]
    assert ("WF609", line, 4) in found and (tmp_path / "a.wiki").read_bytes() == latin
    assert second.fixes_applied == 1 and second.error is None


#: The start of a PNG image: binary (NUL bytes), yet these bytes decode as UTF-8 with one
#: replacement, so a reader that does not look would take it for a page.
IMAGE = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + b"\x1b]0;title\x07" * 4


def test_a_binary_file_found_in_a_folder_is_skipped_and_counted(tmp_path: Path,
                                                                 guide_page: str) -> None:
    (tmp_path / "image.wiki").write_bytes(IMAGE)
    (tmp_path / "page.wiki").write_text(guide_page)
    reason = f"{tmp_path / 'image.wiki'}: binary file, not a page"
    for result in (*lint_paths([str(tmp_path)]), *format_paths([str(tmp_path)])):
        if result.path == str(tmp_path / "image.wiki"):
            assert (result.skipped, result.error) == (reason, None)
        else:
            assert result.skipped is None
    assert (tmp_path / "image.wiki").read_bytes() == IMAGE
    run = subprocess.run([sys.executable, "-m", "wikiflow", "lint", str(tmp_path)],
                         capture_output=True, timeout=TIMEOUT)
    assert b"PNG" not in run.stdout + run.stderr and b"1 file(s) skipped" in run.stderr
    assert run.returncode == lint_exit(tmp_path / "page.wiki")


def lint_exit(page: Path) -> int:
    return subprocess.run([sys.executable, "-m", "wikiflow", "lint", str(page)],
                          capture_output=True, timeout=TIMEOUT).returncode


@pytest.mark.parametrize("command", [["lint"], ["lint", "--fix"], ["fmt"]])
def test_a_binary_file_named_explicitly_is_an_error(tmp_path: Path, command: list[str]) -> None:
    image = tmp_path / "image.wiki"
    image.write_bytes(IMAGE)
    run = subprocess.run([sys.executable, "-m", "wikiflow", *command, str(image)],
                         capture_output=True, timeout=TIMEOUT)
    assert run.returncode == 2
    assert f"{image}: binary file, not a page".encode() in run.stderr
    assert b"PNG" not in run.stdout + run.stderr and image.read_bytes() == IMAGE


def test_a_utf_16_page_is_another_encoding_not_binary(tmp_path: Path, guide_page: str) -> None:
    page = tmp_path / "wide.wiki"
    page.write_bytes(guide_page.encode("utf-16"))
    (result,) = lint_paths([str(page)])
    assert result.skipped is None and ("WF609", 1, 1) in [
        (d.code, d.span.line, d.span.column) for d in result.diagnostics]


@pytest.mark.skipif(os.geteuid() != 0, reason="only root may give a file to another user")
def test_a_rewritten_file_keeps_its_owner(tmp_path: Path, messy: str, guide_page: str) -> None:
    page = tmp_path / "p.wiki"
    page.write_text(messy)
    os.chown(page, 65534, 65534)
    format_paths([str(page)])
    assert page.read_text() == guide_page
    assert (page.stat().st_uid, page.stat().st_gid) == (65534, 65534)
