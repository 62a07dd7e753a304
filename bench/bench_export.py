"""Export benchmark: every format of ``wikiflow export`` on the index of a synthetic wiki, with
the time, the peak memory of the exporting process and the size of what it wrote; and the
GraphML export through networkx (``networkx.write_graphml`` of ``graphml.build_graph``), the
baseline the streamed GraphML writer replaced.

    python bench/bench_export.py [--workflows 10000] [--others 30000] [--wiki DIR]
                                 [--formats graphml,json,...] [--no-networkx]

The wiki is generated as ``bench_index.py`` does (a tenth of its size by default: networkx
holds about 4 KB per node or edge) and indexed once; each export then runs in a process of its
own, so that its peak memory is its own. The table gives each format's CPU seconds and pages
per second (target: at least 20,000, issue 18).
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from bench_index import prepare, wiki_arguments  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from wikiflow.graph.export import FORMATS, export_graph  # noqa: E402
from wikiflow.graph.export.rows import select  # noqa: E402

#: Issue 18: every format writes at least this many pages a second.
TARGET_PAGES_PER_SECOND = 20_000
#: The row of the GraphML export through networkx.
NETWORKX = "graphml via networkx"


def export(db: str, fmt: str, out: str) -> tuple[float, float]:
    """CPU seconds and peak MB of one export, measured in the process that runs it (CPU time:
    on a shared machine wall time counts other guests' work)."""
    conn = sqlite3.connect(db)
    started = time.process_time()
    if fmt == NETWORKX:
        import networkx as nx

        from wikiflow.graph.export.graphml import build_graph

        multigraph, _ = build_graph(select(conn, None))
        nx.write_graphml(multigraph, out, encoding="utf-8")
    else:
        export_graph(conn, fmt, Path(out))
    seconds = time.process_time() - started
    return seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def size_mb(path: Path) -> float:
    files = [path] if path.is_file() else list(path.iterdir())
    return sum(f.stat().st_size for f in files) / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    wiki_arguments(parser, "wikiflow-bench-export")
    parser.add_argument("--formats", default=",".join(FORMATS),
                        help="comma-separated formats (default: all)")
    parser.add_argument("--no-networkx", action="store_true",
                        help="leave out the networkx baseline (about 4 KB per node or edge)")
    args = parser.parse_args(argv)
    wiki = prepare(args.wiki, args.workflows, args.others)
    db = wiki.parent / f"{wiki.name}.db"
    subprocess.run([sys.executable, "-m", "wikiflow", "index", str(wiki), "--db", str(db)],
                   check=True, stdout=subprocess.DEVNULL,
                   env={"PYTHONPATH": str(HERE.parent / "src"), "PATH": "/usr/bin:/bin"})
    runs = args.formats.split(",") + ([] if args.no_networkx else [NETWORKX])
    pages = sqlite3.connect(db).execute("SELECT count(*) FROM pages").fetchone()[0]
    table = Table(title=f"export of {pages:,} pages (target: ≥ {TARGET_PAGES_PER_SECOND:,} "
                        "pages/s each format)")
    for column in ("format", "CPU seconds", "pages/s", "met", "peak MB", "output MB"):
        table.add_column(column, justify="left" if column == "format" else "right")
    with tempfile.TemporaryDirectory() as scratch:
        for fmt in runs:
            out = Path(scratch) / fmt.replace(" ", "-")
            if fmt == "neo4j-csv":
                out.mkdir()
            with multiprocessing.get_context("spawn").Pool(1) as pool:
                seconds, peak = pool.apply(export, (str(db), fmt, str(out)))
            rate = pages / seconds if seconds else float("inf")
            table.add_row(fmt, f"{seconds:.2f}", f"{rate:,.0f}",
                          "yes" if rate >= TARGET_PAGES_PER_SECOND else "NO", f"{peak:.0f}",
                          f"{size_mb(out):.0f}")
    Console().print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
