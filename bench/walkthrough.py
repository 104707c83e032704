#!/usr/bin/env python3
"""Walkthrough benchmark (issue 14): cold time, pages, diagrams and their widths on real trees.

    .venv/bin/python bench/walkthrough.py                                   # the bundled fixture
    .venv/bin/python bench/walkthrough.py --tree DIR/traefik-v2.5.2 --tree DIR/gh-v2.60.0 \\
        --gomodcache DIR/gomodcache

For each tree: one cold `goanalyzer walkthrough` (a fresh facts cache), its wall time, the pages
and SVG diagrams written, the widest diagram in points, and any render that failed or timed out.
Targets are printed beside the figures, never asserted: <= 30 pages for Traefik, <= 60 pages and
<= 30 s for a 200-command CLI, no diagram wider than 4,000 pt, no render timeout.
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MAX_WIDTH_PT = 4000
MAX_SECONDS = 30.0
MAX_PAGES = 60
TRAEFIK_PAGES = 30
_WIDTH = re.compile(rb'<svg width="([0-9.]+)pt"')


def goanalyzer_command() -> list[str]:
    beside = Path(sys.executable).with_name("goanalyzer")
    return [str(beside)] if beside.exists() else ["goanalyzer"]


def run_walkthrough(tree: Path, gomodcache: Path | None, out: Path, cache: Path) -> tuple[float, subprocess.CompletedProcess]:
    argv = [*goanalyzer_command(), "walkthrough", str(tree), "-o", str(out), "-q", "--cache-dir", str(cache)]
    if gomodcache is not None:
        argv += ["--gomodcache", str(gomodcache)]
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, timeout=900)
    return time.perf_counter() - started, done


def widest(out: Path) -> tuple[float, str]:
    best = (0.0, "")
    for svg in out.glob("*.svg"):
        match = _WIDTH.search(svg.read_bytes()[:600])
        if match and float(match.group(1)) > best[0]:
            best = (float(match.group(1)), svg.name)
    return best


def mark(ok: bool) -> str:
    return "[ok]" if ok else "[MISS]"


def bench(trees: list[Path], gomodcache: Path | None) -> None:
    print("walkthrough: cold run per tree (fresh facts cache)")
    print(f"{'tree':<28} {'seconds':>8} {'pages':>6} {'svgs':>5} {'widest pt':>10}  failed renders")
    for tree in trees:
        with tempfile.TemporaryDirectory(prefix="bench-walk-") as scratch:
            out, cache = Path(scratch) / "out", Path(scratch) / "cache"
            try:
                seconds, done = run_walkthrough(tree, gomodcache, out, cache)
            except subprocess.TimeoutExpired:
                print(f"{tree.name:<28} FAIL: timed out after 900 s")
                continue
            if done.returncode != 0:
                tail = (done.stderr.strip().splitlines() or ["?"])[-1]
                print(f"{tree.name:<28} FAIL: exit {done.returncode}: {tail[:200]}")
                continue
            pages = len(list(out.glob("*.md")))
            svgs = len(list(out.glob("*.svg")))
            width, name = widest(out)
            failed = [line for line in done.stderr.splitlines() if "not rendered" in line]
            page_cap = TRAEFIK_PAGES if "traefik" in tree.name else MAX_PAGES
            print(f"{tree.name:<28} {seconds:>8.1f} {pages:>6} {svgs:>5} {width:>10.0f}  {len(failed)}"
                  f"   time {mark(seconds <= MAX_SECONDS)} pages<={page_cap} {mark(pages <= page_cap)} "
                  f"width {mark(width <= MAX_WIDTH_PT)} ({name}) renders {mark(not failed)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tree", action="append", type=Path, default=[],
                        help="module tree to walk through (repeatable; default: fixtures/traefik-2.5.2)")
    parser.add_argument("--gomodcache", type=Path, help="module cache holding the trees' dependencies")
    args = parser.parse_args(argv)
    bench(args.tree or [REPO / "fixtures" / "traefik-2.5.2"], args.gomodcache)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
