"""Site benchmark: ``wikiflow site`` on a synthetic wiki (default: issue 16's, 100,000 Workflows
and 300,000 Principle/Heuristic pages, the wiki ``bench_index.py`` uses) and on the shared
corpus, and ``wikiflow serve`` re-rendering one changed page.

    python bench/bench_site.py [--workflows 100000] [--others 300000] [--wiki DIR] [--edits 20]

Rows, for each wiki: a first index (``Wiki.index`` into a new index), a full site build from
nothing (a new index and an empty folder: ``build_site`` indexes, then renders and writes every
page), the build as a multiple of the first index (goal: at most 3x), a second build with no
change (no page rendered again: ``site.cache`` finds every one unchanged; nothing written),
and, on the synthetic wiki, the p50 and p95 of one page changed on disk and asked of ``serve``
(re-indexed alone and rendered; goal < 100 ms; each page is restored afterwards). The
generated wiki is kept in ``--wiki`` and reused when it has the same sizes.

A site from nothing creates a file per page, the index none: the table also gives what making
an empty file costs in the scratch folder just before each build (``creation_cost``). On ext4
that cost grows tenfold for some minutes after many files were deleted (on the 2-core machine
of the README: 25-33 µs a file after seven quiet minutes, 300-500 µs right after deleting a few
thousand; ``perf`` puts the time in the inode allocator's ``recently_deleted`` check), so a run
started right after deleting a site, a wiki or the test suite's temporary folders measures
the file system's memory as much as wikiflow.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from bench_index import prepare, warm, wiki_arguments  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from wikiflow import Wiki  # noqa: E402
from wikiflow.config import Config  # noqa: E402
from wikiflow.site.build import build_site  # noqa: E402
from wikiflow.site.serve import LiveSite  # noqa: E402

CORPUS = HERE.parent.parent / "shared" / "corpus"
#: The goals of issue 16.
SITE_RATIO, SERVE_SECONDS = 3.0, 0.1


def cpu_seconds() -> float:
    """CPU time of this process and of its ended children (the workers of a finished run)."""
    return sum(getattr(resource.getrusage(who), part)
               for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
               for part in ("ru_utime", "ru_stime"))


def timed_index(wiki: Path, db: Path) -> tuple[float, float]:
    """Wall and CPU seconds of a first index of ``wiki`` into ``db``."""
    db.unlink(missing_ok=True)
    started, cpu = time.perf_counter(), cpu_seconds()
    with Wiki.open(wiki, db=db) as opened:
        opened.index()
    return time.perf_counter() - started, cpu_seconds() - cpu


def timed_build(wiki: Path, db: Path, out: Path) -> tuple[float, float, int]:
    """Wall and CPU seconds of a build into ``out`` with the index ``db``; the files it
    wrote."""
    started, cpu = time.perf_counter(), cpu_seconds()
    with Wiki.open(wiki, db=db) as opened:
        stats = build_site(opened, out, progress=False)
    return time.perf_counter() - started, cpu_seconds() - cpu, stats.written


def creation_cost(folder: Path, files: int = 300) -> float:
    """Microseconds of wall time to create (and close) an empty file in ``folder``, the mean
    over ``files`` new files. They are left in place: deleting them would slow the very
    creations that follow (see the module's docstring); the scratch folder goes at the end."""
    folder.mkdir(parents=True)
    started = time.perf_counter()
    for n in range(files):
        os.close(os.open(folder / f"probe-{n}", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    return (time.perf_counter() - started) / files * 1e6


def measure(wikis: list[Path], scratch: Path) -> dict[str, float]:
    """First index, build from nothing and a second build, summed over ``wikis``: wall
    seconds, and CPU seconds (``…_cpu``: on a machine others load, the ratio of CPU times
    moves less than the ratio of wall times)."""
    totals = dict.fromkeys(("index", "site", "again", "index_cpu", "site_cpu", "files"), 0.0)
    scratch.mkdir(parents=True, exist_ok=True)
    totals["creation_us"] = creation_cost(scratch / "probe")
    for n, wiki in enumerate(wikis):
        index_db, db, out = (scratch / f"index-{n}.db", scratch / f"site-{n}.db",
                             scratch / f"site-{n}")
        wall, cpu = timed_index(wiki, index_db)
        totals["index"] += wall
        totals["index_cpu"] += cpu
        db.unlink(missing_ok=True)
        shutil.rmtree(out, ignore_errors=True)
        wall, cpu, written = timed_build(wiki, db, out)
        totals["site"] += wall
        totals["site_cpu"] += cpu
        totals["files"] += written
        totals["again"] += timed_build(wiki, db, out)[0]
    return totals


def serve_edits(wiki: Path, db: Path, edits: int) -> list[float]:
    """Seconds for ``serve`` to answer for a page just changed on disk, ``edits`` times."""
    with Wiki.open(wiki, db=db) as opened:
        site = LiveSite(opened, Config())
        pages = sorted(site.keys)[:: max(1, len(site.keys) // edits)][:edits]
        times = []
        for i, path in enumerate(pages):
            file = wiki / (site.catalog.entries[site.keys[path]].file or "")
            text, stat = file.read_bytes(), file.stat()
            try:
                file.write_bytes(text + f"\nEdited {i}.\n".encode())
                started = time.perf_counter()
                reply = site.respond("/" + path)
                times.append(time.perf_counter() - started)
            finally:  # the wiki is left as generated, for the next run and other benchmarks
                file.write_bytes(text)
                os.utime(file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
            assert reply.status == 200 and f"Edited {i}." in reply.body.decode(), path
        return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    wiki_arguments(parser, "wikiflow-bench", 100_000, 300_000)
    parser.add_argument("--edits", type=int, default=20)
    args = parser.parse_args(argv)
    console = Console()
    with console.status(f"writing {args.workflows} + {args.others} pages"):
        wiki = prepare(args.wiki, args.workflows, args.others)
    table = Table(title="wikiflow site")
    for column in ("wiki", "pages", "first index (s)", "site from nothing (s)", "ratio",
                   "CPU ratio", "second build (s)", "files written", "create a file (µs)"):
        table.add_column(column, justify="right" if column != "wiki" else "left")
    with tempfile.TemporaryDirectory() as scratch:
        corpus = sorted(p for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []
        for name, wikis, pages in (
                (f"generated ({args.workflows + args.others} pages)", [wiki],
                 args.workflows + args.others),
                ("shared corpus", corpus, sum(len(list(w.glob("*/*.md"))) for w in corpus))):
            if not wikis:
                continue
            for folder in wikis:
                warm(folder)
            with console.status(f"building the site of the {name}"):
                t = measure(wikis, Path(scratch) / name.split()[0])
            ratio = t["site"] / t["index"]
            table.add_row(name, str(pages), f"{t['index']:.1f}", f"{t['site']:.1f}",
                          f"{ratio:.2f}x" + (" (goal ≤ 3x)" if ratio > SITE_RATIO else ""),
                          f"{t['site_cpu'] / t['index_cpu']:.2f}x", f"{t['again']:.1f}",
                          str(int(t["files"])), f"{t['creation_us']:.0f}")
        with console.status("serve: changed pages"):
            times = serve_edits(wiki, Path(scratch) / "generated" / "site-0.db", args.edits)
    console.print(table)
    p50, p95 = statistics.median(times), sorted(times)[int(0.95 * (len(times) - 1))]
    console.print(f"serve, one changed page: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms "
                  f"over {len(times)} edits (goal < {SERVE_SECONDS * 1000:.0f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
