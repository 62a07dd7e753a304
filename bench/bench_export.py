"""Export benchmark: every format of ``wikiflow export`` on the index of a synthetic wiki, with
the CPU time, the pages per second, the peak memory of the exporting process and the size of
what it wrote; and the GraphML export through networkx (``networkx.write_graphml`` of
``graphml.build_graph``), the baseline the streamed GraphML writer replaced.

    python bench/bench_export.py [--workflows 10000] [--others 30000] [--wiki DIR]
                                 [--formats graphml,json,...] [--no-networkx]
                                 [--before SRC] [--repeat N] [--terminal]

The wiki is generated as ``bench_index.py`` does (a tenth of its size by default: networkx
holds about 4 KB per node or edge) and indexed once; each export then runs in a process of its
own, so that its peak memory is its own. ``--before SRC`` runs every format with the wikiflow
of another source tree too (``git archive main src | tar -x -C /tmp/before``), interleaved, and
gives the ratio: on a shared machine only ratios from one run mean much. ``--terminal`` puts
the export's standard error on a pseudo-terminal, so the progress bar is drawn and paid for.
Target: at least 20,000 pages/s for every format (issue 18).
"""

from __future__ import annotations

import argparse
import json
import os
import pty
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from bench_index import prepare, wiki_arguments  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from wikiflow.graph.export import FORMATS  # noqa: E402

#: Issue 18: every format writes at least this many pages a second.
TARGET_PAGES_PER_SECOND = 20_000
#: The row of the GraphML export through networkx.
NETWORKX = "graphml via networkx"
#: Formats ``Wiki.export`` writes besides the graph's (the pages' own text).
PAGE_FORMATS = ("mediawiki-xml",)

#: One export, run by ``python -c`` with the wikiflow to measure on its path: argv is the
#: index, the wiki, the format and the output. Prints CPU seconds and peak MB as JSON. CPU
#: time, not wall time: on a shared machine wall time counts other guests' work.
CHILD = """
import json, resource, sys, time
from pathlib import Path
db, wiki, fmt, out = sys.argv[1:]
from wikiflow import Wiki
opened = Wiki.open(wiki, db=db, create=False)
started = time.process_time()
if fmt == "graphml via networkx":
    import networkx as nx
    from wikiflow.graph.export.graphml import build_graph
    from wikiflow.graph.export.rows import select
    nx.write_graphml(build_graph(select(opened.conn, None))[0], out, encoding="utf-8")
else:
    opened.export(fmt, Path(out))
print(json.dumps([time.process_time() - started,
                  resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024]))
"""


def export(src: Path, db: Path, wiki: Path, fmt: str, out: Path,
           terminal: bool) -> tuple[float, float]:
    """CPU seconds and peak MB of one export by the wikiflow of ``src``, in a process of its
    own; its standard error on a pseudo-terminal when ``terminal`` (the bar drawn), else
    discarded."""
    if fmt == "neo4j-csv":
        out.mkdir()
    reader, writer = pty.openpty() if terminal else (None, subprocess.DEVNULL)
    try:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(db), str(wiki), fmt, str(out)],
            stdout=subprocess.PIPE, stderr=writer, env={
                "PYTHONPATH": str(src), "PATH": "/usr/bin:/bin", "TERM": "xterm",
                "COLUMNS": "100"})
        if reader is not None:
            os.close(writer)  # type: ignore[arg-type]
            _drain(reader)
        answer = child.communicate(timeout=3600)[0]
    finally:
        if reader is not None:
            os.close(reader)
    if child.returncode:
        raise SystemExit(f"{fmt} export with {src} failed ({child.returncode})")
    seconds, peak = json.loads(answer)
    return seconds, peak


def _drain(reader: int) -> None:
    """Read the pseudo-terminal until the child closes it, as a terminal would."""
    while True:
        try:
            if not os.read(reader, 65536):
                return
        except OSError:  # a pty's reader fails once the writer is closed and drained
            return


def size_mb(path: Path) -> float:
    files = [path] if path.is_file() else list(path.iterdir())
    return sum(f.stat().st_size for f in files) / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    wiki_arguments(parser, "wikiflow-bench-export")
    parser.add_argument("--formats", default=",".join(FORMATS + PAGE_FORMATS),
                        help="comma-separated formats (default: all)")
    parser.add_argument("--no-networkx", action="store_true",
                        help="leave out the networkx baseline (about 4 KB per node or edge)")
    parser.add_argument("--before", type=Path,
                        help="a wikiflow source tree (its src folder) to compare with")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of each export; the least CPU time counts")
    parser.add_argument("--terminal", action="store_true",
                        help="standard error on a pseudo-terminal: the progress bar is drawn")
    args = parser.parse_args(argv)
    wiki = prepare(args.wiki, args.workflows, args.others)
    db = wiki.parent / f"{wiki.name}.db"
    src = HERE.parent / "src"
    subprocess.run([sys.executable, "-m", "wikiflow", "index", str(wiki), "--db", str(db)],
                   check=True, stdout=subprocess.DEVNULL,
                   env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"})
    runs = args.formats.split(",") + ([] if args.no_networkx else [NETWORKX])
    trees = {"after": src, **({"before": args.before.resolve()} if args.before else {})}
    pages = sqlite3.connect(db).execute("SELECT count(*) FROM pages").fetchone()[0]
    table = Table(title=f"export of {pages:,} pages (target: ≥ {TARGET_PAGES_PER_SECOND:,} "
                        f"pages/s each format; best of {args.repeat}"
                        + ("; bar drawn" if args.terminal else "") + ")")
    columns = ["format", "CPU seconds", "pages/s", "met", "peak MB", "output MB"]
    if args.before:
        columns[1:1] = ["CPU before", "pages/s before"]
        columns.insert(5, "× time")
    for column in columns:
        table.add_column(column, justify="left" if column == "format" else "right")
    with tempfile.TemporaryDirectory() as scratch:
        for fmt in runs:
            best: dict[str, tuple[float, float]] = {}
            for attempt in range(args.repeat):
                for name, tree in trees.items():
                    out = Path(scratch) / f"{fmt.replace(' ', '-')}-{name}-{attempt}"
                    measured = export(tree, db, wiki, fmt, out, args.terminal)
                    best[name] = min(best.get(name, measured), measured)
                    size = size_mb(out)
            seconds, peak = best["after"]
            rate = pages / seconds if seconds else float("inf")
            row = [fmt, f"{seconds:.2f}", f"{rate:,.0f}",
                   "yes" if rate >= TARGET_PAGES_PER_SECOND else "NO", f"{peak:.0f}",
                   f"{size:.0f}"]
            if args.before:
                before = best["before"][0]
                row[1:1] = [f"{before:.2f}", f"{pages / before:,.0f}"]
                row.insert(5, f"{seconds / before:.2f}")
            table.add_row(*row)
    Console(width=max(Console().width, 110)).print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
