"""Shared fixtures: the guide's sample page, the example wiki, the shared corpus."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.mediawiki_server import MediaWikiServer, missing_reason

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
EXAMPLE_WIKI = ROOT / "examples" / "wiki"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
GUIDE = SHARED / "spec" / "workflow-page-guide.md"
SRC = str(ROOT / "src")


@pytest.fixture(scope="session")
def guide_page() -> str:
    """The guide's samples assembled into one canonical page (tests/data/guide_sample.wiki)."""
    return (DATA / "guide_sample.wiki").read_text(encoding="utf-8")


def corpus_workflows() -> list[Path]:
    return sorted(CORPUS.glob("*/workflows/*.md")) if CORPUS.is_dir() else []


def corpus_pages() -> list[Path]:
    return sorted(p for p in CORPUS.glob("*/*/*.md")) if CORPUS.is_dir() else []


needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"shared corpus not found at {CORPUS}")


def unavailable(reason: str) -> None:
    """Skip a test whose service cannot run here, or fail it when CI says services must run."""
    if os.environ.get("WIKIFLOW_REQUIRE_SERVICES") == "1":
        pytest.fail(f"WIKIFLOW_REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture
def mediawiki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MediaWikiServer]:
    """A fresh, running MediaWiki (Debian's package, SQLite, ``php -S``) for one test."""
    reason = missing_reason()
    if reason is not None:
        unavailable(reason)
    server = MediaWikiServer(tmp_path_factory.mktemp("mediawiki"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


def interrupt(args: list[str], started: Callable[[subprocess.Popen], bool]
              ) -> subprocess.CompletedProcess:
    """Run Python with ``args`` (and wikiflow's source), send it SIGINT (Ctrl-C) once
    ``started`` says it is at work, and wait for its end, each wait bounded."""
    process = subprocess.Popen([sys.executable, *args], text=True, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": SRC})
    try:
        deadline = time.monotonic() + 60
        while not started(process) and process.poll() is None:
            assert time.monotonic() < deadline, "the run never started"
            time.sleep(0.005)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
        process.wait(timeout=60)
    return subprocess.CompletedProcess(args, process.returncode, out, err)
