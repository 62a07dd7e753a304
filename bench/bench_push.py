"""Push throughput against a real MediaWiki (Debian's package, started like the tests start it).

    python bench/bench_push.py [--pages 500] [--baseline-edits 30]

Rows:

* ``single edit (baseline)``: the wiki's own latency for one edit — a bare ``requests`` session,
  already logged in with the token in hand, POSTing ``action=edit`` of a generated page, one
  after another. Its inverse is the edit rate no client can beat without parallel edits.
* ``wikiflow push``: ``push`` of a generated wiki of ``--pages`` pages (Workflow, Principle and
  Heuristic pages in the shared corpus's proportions) into the empty wiki, everything included:
  login, siteinfo, the lint gate, the revision look-ups and one edit per page.
* ``wikiflow push, unchanged``: the same push again; target < 2 s with 0 edits.
* ``wikiflow pull, empty folder``: every page back into a new folder.

The ratio column is edits per second against the baseline's.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

import requests
from generate import write_wiki
from rich.console import Console
from rich.table import Table

from tests.mediawiki_server import MediaWikiServer, missing_reason
from wikiflow.config import Config
from wikiflow.sync.client import WikiClient
from wikiflow.sync.transfer import lint_gate, pull, push

TARGET_UNCHANGED_SECONDS = 2.0


def baseline_latencies(wiki: MediaWikiServer, texts: list[str]) -> list[float]:
    """Seconds per edit with a bare logged-in session: the wiki's own cost of one edit."""
    api = f"{wiki.url}api.php"
    session = requests.Session()

    def token(kind: str) -> str:
        answer = session.get(api, params={"action": "query", "meta": "tokens", "type": kind,
                                          "format": "json"}, timeout=30).json()
        return str(answer["query"]["tokens"][f"{kind}token"])

    login = session.post(api, data={"action": "login", "lgname": wiki.user,
                                    "lgpassword": wiki.password, "lgtoken": token("login"),
                                    "format": "json"}, timeout=30).json()
    if login["login"]["result"] != "Success":
        raise SystemExit(f"baseline login failed: {login['login'].get('reason')}")
    csrf = token("csrf")
    latencies = []
    for i, text in enumerate(texts):
        started = time.perf_counter()
        answer = session.post(api, data={"action": "edit", "title": f"Baseline {i}",
                                         "text": text, "summary": "baseline", "bot": 1,
                                         "token": csrf, "format": "json"}, timeout=30).json()
        latencies.append(time.perf_counter() - started)
        if answer.get("edit", {}).get("result") != "Success":
            raise SystemExit(f"baseline edit failed: {answer}")
    return latencies


def timed(action):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--baseline-edits", type=int, default=30)
    args = parser.parse_args(argv)
    reason = missing_reason()
    if reason:
        print(f"cannot run: {reason}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="wikiflow-push-") as tmp:
        folder = Path(tmp) / "wiki"
        workflows = args.pages * 7 // 10
        principles = args.pages * 2 // 10
        write_wiki(folder, workflows, principles, args.pages - workflows - principles)
        texts = [p.read_text() for p in sorted((folder / "workflows").iterdir())]
        wiki = MediaWikiServer(Path(tmp) / "mediawiki")
        wiki.start()
        try:
            rows = run(wiki, folder, texts[: args.baseline_edits], args.pages)
        finally:
            wiki.stop()
    show(rows, args.pages)
    return 0


def run(wiki: MediaWikiServer, folder: Path, texts: list[str],
        pages: int) -> list[tuple[str, int, float]]:
    latencies = baseline_latencies(wiki, texts)
    median = statistics.median(latencies)

    def client() -> WikiClient:
        return WikiClient(wiki.url, user=wiki.user, password=wiki.password)

    gate = lint_gate(Config())
    first, seconds = timed(lambda: push(client(), folder, lint=gate))
    if first.edits != pages or first.problems:
        raise SystemExit(f"push made {first.edits} edits, problems: {first.problems[:3]}")
    again, again_seconds = timed(lambda: push(client(), folder, lint=gate))
    pulled, pull_seconds = timed(lambda: pull(client(), folder.parent / "copy"))
    return [("single edit (baseline)", 1, median),
            ("wikiflow push", first.edits, seconds),
            ("wikiflow push, unchanged", again.edits, again_seconds),
            ("wikiflow pull, empty folder", len(pulled.fetched), pull_seconds)]


def show(rows: list[tuple[str, int, float]], pages: int) -> None:
    baseline_rate = 1 / rows[0][2]
    table = Table(title=f"push / pull, {pages} pages, Debian MediaWiki 1.39 on php -S")
    for column in ("row", "pages or edits", "seconds", "per second", "× baseline edit rate"):
        table.add_column(column, justify="left" if column == "row" else "right")
    for name, count, seconds in rows:
        rate = count / seconds if count else 0.0
        ratio = f"{rate / baseline_rate:.2f}" if "push" in name and count else "-"
        table.add_row(name, str(count), f"{seconds:.3f}", f"{rate:.1f}", ratio)
    Console().print(table)
    unchanged = rows[2]
    verdict = "met" if unchanged[1] == 0 and unchanged[2] < TARGET_UNCHANGED_SECONDS else "MISSED"
    Console().print(f"re-push of unchanged pages: {unchanged[2]:.2f} s, {unchanged[1]} edits "
                    f"(target < {TARGET_UNCHANGED_SECONDS:.0f} s and 0 edits): {verdict}")


if __name__ == "__main__":
    sys.exit(main())
