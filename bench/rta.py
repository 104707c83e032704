#!/usr/bin/env python3
"""`goanalyzer callgraph --algo rta` against x/tools' `callgraph -algo=rta`, in one run.

    .venv/bin/python bench/rta.py                          # gofmt and doc
    .venv/bin/python bench/rta.py --program vet --repeat 1 --oracle-dir /tmp/oracles
    .venv/bin/python bench/rta.py --program containerd --repeat 1   # /work/scratch/containerd-v1.6.20

For each program of bench/oracle/programs.tsv asked for, x/tools' callgraph runs in the package
directory (GOPROXY=off, the program's GOFLAGS and environment, e.g. CGO_ENABLED=0; under GOROOT/src
or the program's tree) and its edges whose caller is in the program's scope are the oracle;
goanalyzer runs cold (an empty cache each time) and warm, in the same environment. A program whose
tree is absent is skipped with one line. Printed:
precision and recall over distinct (caller, callee) pairs (bench/score.py's rules), the median
wall times, goanalyzer cold / x/tools, and the peak RSS of each tool's process (wait4's
ru_maxrss). Figures only: nothing is asserted, and the exit code is 0 unless an argument is wrong.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import score  # noqa: E402  (bench/score.py)

T_PRECISION, T_RECALL, T_SPEED = 0.97, 0.95, 0.5  # issue 12: precision, recall, cold time vs x/tools


def measured(argv: list[str], out: Path, cwd: str | None = None, env: dict | None = None) -> tuple[int, float, float]:
    """(exit code, wall seconds, peak RSS MB of the process) of one command, stdout to `out`."""
    started = time.perf_counter()
    with open(out, "wb") as stdout:
        process = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.DEVNULL, cwd=cwd, env=env)
        _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, time.perf_counter() - started, usage.ru_maxrss / 1024.0


@dataclass(frozen=True, slots=True)
class Program:
    """One line of bench/oracle/programs.tsv."""

    package: str
    """Package directory under `tree` (GOROOT/src when there is none)."""
    scopes: list[str]
    goflags: str
    tree: Path | None
    env: dict[str, str]
    """Extra environment of both tools (`CGO_ENABLED=0`)."""


def programs() -> dict[str, Program]:
    out = {}
    for line in (BENCH / "oracle" / "programs.tsv").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, package, scopes, goflags, tree, env = (line.split("\t") + [""] * 5)[:6]
            out[name] = Program(package, scopes.split(), goflags, Path(tree) if tree else None,
                                dict(kv.split("=", 1) for kv in env.split() if "=" in kv))
    return out


def median_run(argv, out, repeat, cwd=None, env=None, before=None):
    runs = []
    for _ in range(repeat):
        if before:
            before()
        runs.append(measured(argv, out, cwd, env))
    failed = [r for r in runs if r[0] != 0]
    if failed:
        return None
    return statistics.median(r[1] for r in runs), max(r[2] for r in runs)


def bench_program(name: str, program: Program, args, work: Path) -> None:
    directory = (program.tree or args.goroot / "src") / program.package
    scopes = program.scopes
    if not directory.is_dir():
        print(f"SKIP {name}: no {directory} (bench/README.md says how to lay it out)")
        return
    env = {**os.environ, "GOPROXY": "off", "GOFLAGS": program.goflags, "GOWORK": "off", "GOROOT": str(args.goroot),
           **program.env}
    raw = work / f"{name}.xtools.tsv"
    xtools = median_run([args.callgraph, "-algo=rta", "-format={{.Caller}}\t{{.Callee}}", "."], raw, args.repeat,
                        cwd=str(directory), env=env)
    if xtools is None:
        print(f"SKIP {name}: x/tools callgraph failed in {directory}")
        return
    oracle = score.load_edges(str(raw), scopes)
    if args.oracle_dir:
        args.oracle_dir.mkdir(parents=True, exist_ok=True)
        lines = sorted({line for line in raw.read_text().splitlines()
                        if score.in_scope(line.split("\t")[0], scopes)})
        (args.oracle_dir / f"{name}.rta.tsv").write_text("".join(f"{line}\n" for line in lines))
    ours_path = work / f"{name}.goanalyzer.tsv"
    cache = work / f"cache-{name}"
    argv = [*args.goanalyzer, "callgraph", str(directory), "--algo", "rta", "--format", "tsv",
            "--cache-dir", str(cache), "--goroot", str(args.goroot)]
    ours_env = {**os.environ, **program.env}
    cold = median_run(argv, ours_path, args.repeat, env=ours_env, before=lambda: shutil.rmtree(cache, ignore_errors=True))
    warm = median_run(argv, ours_path, args.repeat, env=ours_env) if cold else None
    if cold is None or warm is None:
        print(f"FAIL {name}: goanalyzer callgraph --algo rta failed")
        return
    result = score.compare(oracle, score.load_edges(str(ours_path), scopes))
    ratio = cold[0] / xtools[0]
    print(f"{name}: oracle {result.oracle} edges, ours {result.ours}, common {result.common}")
    print(f"  precision {result.precision:.3f}{mark(result.precision >= T_PRECISION)}  "
          f"recall {result.recall:.3f}{mark(result.recall >= T_RECALL)}")
    print(f"  goanalyzer cold {cold[0]:.2f} s, warm {warm[0]:.2f} s; x/tools {xtools[0]:.2f} s; "
          f"cold/x-tools {ratio:.2f}{mark(ratio <= T_SPEED)}")
    print(f"  peak RSS: goanalyzer {max(cold[1], warm[1]):.0f} MB, x/tools {xtools[1]:.0f} MB")
    for caller, callee in result.missed[:args.show]:
        print(f"    missed: {caller} -> {callee}")
    for caller, callee in result.extra[:args.show]:
        print(f"    extra:  {caller} -> {callee}")


def mark(ok: bool) -> str:
    return "  [ok]" if ok else "  [MISS]"


def main(argv=None) -> int:
    known = programs()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--program", action="append", choices=sorted(known), help="default: gofmt and doc")
    parser.add_argument("--goroot", type=Path, default=None, help="default: $GOROOT, else `go env GOROOT`")
    parser.add_argument("--callgraph", default=shutil.which("callgraph") or "callgraph")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timed command (medians)")
    parser.add_argument("--show", type=int, default=5, help="misses and extras printed per program")
    parser.add_argument("--oracle-dir", type=Path, default=None, help="also write each x/tools edge list here")
    args = parser.parse_args(argv)
    if args.goroot is None:
        found = os.environ.get("GOROOT") or (subprocess.run(["go", "env", "GOROOT"], capture_output=True, text=True)
                                             .stdout.strip() if shutil.which("go") else "")
        args.goroot = Path(found) if found else None
    if args.goroot is None or not (args.goroot / "src").is_dir() or not shutil.which(args.callgraph):
        print("SKIP: needs a GOROOT and x/tools' callgraph on PATH")
        return 0
    beside = Path(sys.executable).parent / "goanalyzer"
    args.goanalyzer = [str(beside)] if beside.exists() else ["goanalyzer"]
    with tempfile.TemporaryDirectory(prefix="goanalyzer-rta-") as work:
        for name in args.program or ["gofmt", "doc"]:
            bench_program(name, known[name], args, Path(work))
    return 0


if __name__ == "__main__":
    sys.exit(main())
