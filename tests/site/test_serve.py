"""``wikiflow serve`` as a user runs it: a process on 127.0.0.1 and a free port, its pages,
its security headers, an edit shown, search and #ask, and Ctrl-C."""

from __future__ import annotations

import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote

import pytest

from tests.conftest import EXAMPLE_WIKI, SRC
from tests.site.conftest import Tab

WAIT = 60


class Served(NamedTuple):
    url: str
    wiki: Path
    process: subprocess.Popen[str]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    wiki = shutil.copytree(EXAMPLE_WIKI, tmp_path / "wiki")
    process = subprocess.Popen(
        [sys.executable, "-m", "wikiflow", "serve", str(wiki), "--port", "0"], text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": SRC})
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], WAIT)
        assert ready, "serve printed no URL"
        line = process.stdout.readline()  # the URL, once the server listens
        found = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert found, (line, process.stderr.read() if process.poll() is not None else "")
        yield Served(found.group(0), wiki, process)
    finally:
        process.kill()
        process.communicate(timeout=WAIT)


def get(url: str) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(url, timeout=WAIT) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8")


def test_serve_renders_a_page_and_shows_an_edit_on_the_next_request(served: Served) -> None:
    page = f"{served.url}principles/Quantization.html"
    status, headers, body = get(page)
    assert status == 200 and "Quantization" in body
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    file = served.wiki / "principles" / "Quantization.mediawiki"
    file.write_text(file.read_text(encoding="utf-8").replace(
        "== Overview ==\n", "== Overview ==\nAn edit made while serving.\n", 1), "utf-8")
    assert "An edit made while serving." in get(page)[2]


def test_serve_shows_a_page_made_while_serving(served: Served) -> None:
    (served.wiki / "principles" / "New_Idea.mediawiki").write_text(
        "== Overview ==\nA page made while serving.\n", encoding="utf-8")
    status, _, body = get(f"{served.url}principles/New_Idea.html")
    assert status == 200 and "A page made while serving." in body


def test_serve_searches_the_index_and_answers_ask(served: Served) -> None:
    status, _, body = get(f"{served.url}search?q=preference")
    assert status == 200 and "DPO_Preference_Alignment" in body.replace(" ", "_")
    ask = quote("[[domain::Fine_Tuning]]")
    status, _, body = get(f"{served.url}ask?q={ask}")
    link = '<a href="/workflows/QLoRA_Fine_Tuning.html">Workflow:QLoRA_Fine_Tuning</a>'
    assert status == 200 and link in body
    status, _, body = get(f"{served.url}ask?q={quote('[[')}")
    assert status == 200 and "does not read" in body


def test_serve_says_when_ask_rows_stop_at_the_limit(served: Served) -> None:
    """SMW's "further results": rows past the limit are announced, never cut silently."""
    whole = get(f"{served.url}ask?q={quote('[[Workflow:+]]')}")[2]
    assert whole.count('href="/workflows/') > 1 and 'class="more"' not in whole
    status, _, body = get(f"{served.url}ask?q={quote('[[Workflow:+]]|limit=1')}")
    assert status == 200 and body.count('href="/workflows/') == 1
    assert re.search(r'class="more">Results 1–1 of \d+ are shown\. Add \|offset=1', body)
    body = get(f"{served.url}ask?q={quote('[[Workflow:+]]|mainlabel=Recipe')}")[2]
    assert re.search(r'class="more">Not applied: [^<]*mainlabel', body)


def test_serve_answers_nothing_outside_the_site(served: Served) -> None:
    for path in ("../../etc/passwd", "assets/../../pyproject.toml", "%2e%2e/%2e%2e/etc/passwd",
                 "workflows/Nothing.html"):
        status, _, body = get(served.url + path)
        assert status == 404 and "root:" not in body


def test_ctrl_c_stops_serve_cleanly(served: Served) -> None:
    served.process.send_signal(signal.SIGINT)
    _, err = served.process.communicate(timeout=WAIT)
    assert served.process.returncode == 130
    assert "Traceback" not in err


def test_a_page_open_in_the_browser_shows_an_edit_by_itself(served: Served, tab: Tab) -> None:
    tab.open(f"{served.url}workflows/RAG_Pipeline.html")
    file = served.wiki / "workflows" / "RAG_Pipeline.mediawiki"
    time.sleep(0.01)  # a modification time apart from the one shown
    file.write_text(file.read_text(encoding="utf-8").replace(
        "== Overview ==\n", "== Overview ==\nEdited behind the browser's back.\n", 1), "utf-8")
    tab.page.get_by_text("Edited behind the browser's back.").wait_for(timeout=WAIT * 1000)
    assert tab.console_errors == []
