"""How long each stage takes on adversarial pages (tests/adversarial.py). One command, a table.

    python bench/bench_adversarial.py [--size CHARS] [--src DIR] [--limit CPU-SECONDS]

Each kind and stage runs in a child process of its own under a CPU limit (a super-linear
stage shows as ">LIMIT"), with ``--src`` choosing the wikiflow source tree to measure (this
tree's ``src`` by default; another checkout's, to compare before and after a change). Times are
CPU seconds of the stage alone, the text built beforehand. Printed, never asserted.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from tests.adversarial import KINDS  # noqa: E402

STAGES = {
    "parse": "parse_page(text)",
    "render": "render_page(page)",
    "fmt": "format_quietly(text)",
    "lint --fix": "lint_source(text, fix=True)",
}
CHILD = """
import resource, sys, time
sys.path[:0] = [{src!r}, {root!r}]
from tests.adversarial import KINDS
from wikiflow import parse_page, render_page
from wikiflow.lint.runner import format_text
from wikiflow.errors import InputError
from wikiflow.lint.engine import lint_source
def format_quietly(text):
    try:
        format_text(text)
    except InputError:
        pass
text = KINDS[{kind!r}]({size})
page = parse_page(text) if {stage!r} == "render" else None
resource.setrlimit(resource.RLIMIT_CPU, ({limit}, {limit} + 1))
start = time.process_time()
{code}
print(time.process_time() - start)
"""


def measure(kind: str, stage: str, size: int, src: str, limit: int) -> str:
    code = CHILD.format(src=src, root=str(ROOT), kind=kind, size=size, stage=stage,
                        limit=limit, code=STAGES[stage])
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=limit * 10)
    if result.returncode:
        return f">{limit}" if result.returncode < 0 else "error"
    return f"{float(result.stdout):.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--src", default=str(ROOT / "src"))
    parser.add_argument("--limit", type=int, default=60)
    parser.add_argument("kinds", nargs="*", default=list(KINDS))
    args = parser.parse_args()
    print(f"CPU seconds per stage, {args.size:,} characters, wikiflow from {args.src}")
    print(f"{'kind':24}" + "".join(f"{stage:>12}" for stage in STAGES))
    for kind in args.kinds:
        cells = [measure(kind, stage, args.size, args.src, args.limit) for stage in STAGES]
        print(f"{kind:24}" + "".join(f"{cell:>12}" for cell in cells), flush=True)


if __name__ == "__main__":
    main()
