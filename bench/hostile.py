"""Huge generated code, timed (issue 17 item 8): one function with 10k/20k/40k calls and a 50k-case
switch, `callgraph` cold and warm and `walkthrough`, wall time, peak RSS and the size of what the
walkthrough writes. Linear time shows as time doubling with the calls; the views cap the flow of a
huge body (analysis/startup.py MAX_BODY_STEPS), so the walkthrough stays small.

    .venv/bin/python bench/hostile.py
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GA = [str(Path(sys.executable).with_name("goanalyzer"))]


def _calls(n: int) -> str:
    body = "\n".join(f"\tf{i % 100}()" for i in range(n))
    return f"package main\n\nfunc main() {{\n{body}\n}}\n\n" + "\n".join(f"func f{i}() {{}}" for i in range(100))


def _switch(n: int) -> str:
    cases = "\n".join(f"\tcase {i}:\n\t\tf{i % 100}()" for i in range(n))
    return (f"package main\n\nfunc main() {{\n\tx := 3\n\tswitch x {{\n{cases}\n\t}}\n}}\n\n"
            + "\n".join(f"func f{i}() {{}}" for i in range(100)))


def _run(argv: list[str]) -> tuple[float, float]:
    """Wall seconds and this child's peak RSS in MB (children are run one at a time)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return time.perf_counter() - started, max(peak, before) / 1024


def main() -> int:
    cases = [("10k calls", _calls(10_000)), ("20k calls", _calls(20_000)), ("40k calls", _calls(40_000)),
             ("50k-case switch", _switch(50_000))]
    print("== Huge generated functions (bench/hostile.py) ==")
    print(f"{'case':<16} {'callgraph cold':>14} {'warm':>6} {'walkthrough':>11} {'output':>8} {'RSS':>7}")
    with tempfile.TemporaryDirectory() as scratch:
        for name, source in cases:
            tree, cache, out = Path(scratch, "m"), Path(scratch, "cache"), Path(scratch, "out")
            for path in (tree, cache, out):
                shutil.rmtree(path, ignore_errors=True)
            tree.mkdir()
            (tree / "go.mod").write_text("module example.com/big\n\ngo 1.21\n")
            (tree / "main.go").write_text(source)
            common = ["--goroot", "none", "--cache-dir", str(cache)]
            cold, _ = _run([*GA, "callgraph", str(tree), *common, "-o", str(Path(scratch, "cg.tsv"))])
            warm, _ = _run([*GA, "callgraph", str(tree), *common, "-o", str(Path(scratch, "cg.tsv"))])
            walk, rss = _run([*GA, "walkthrough", str(tree), *common, "-o", str(out)])
            size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 1e6
            print(f"{name:<16} {cold:>12.2f} s {warm:>4.2f} s {walk:>9.2f} s {size:>5.1f} MB {rss:>4.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
