#!/usr/bin/env python3
"""goanalyzer benchmarks: indexing speed, call-graph accuracy/speed and command trees.

    .venv/bin/python bench/run.py                      # everything (what `make bench` runs)
    .venv/bin/python bench/run.py --only index --tree fixtures/traefik-2.5.2
    .venv/bin/python bench/run.py --only callgraph --program gofmt --program go
    .venv/bin/python bench/run.py --only raw --tree "$(go env GOROOT)/src"
    .venv/bin/python bench/run.py --only commands --cli DIR/gh-v2.60.0 --gomodcache DIR/gomodcache
    .venv/bin/python bench/run.py --only walkthrough --tree DIR/traefik-v2.5.2 --gomodcache DIR/gomodcache

Prints figures with the project's targets beside them; it never asserts and
always exits 0 unless its own arguments are wrong. A missing or failing
goanalyzer command gives one line saying so and the rest goes on.
See bench/README.md.
"""
from __future__ import annotations

import argparse
import gzip
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
ORACLE_DIR = BENCH / "oracle"
SHARED_SCORER = REPO.parent / "shared" / "bench" / "score_callgraph.py"
MB = 1024 * 1024

# Targets from issue 2 (index), issue 3 and issue 12 (call graph). Printed, never asserted.
T_COLD_OVER_RAW = 3.0       # cold index <= 3x raw tree-sitter parse of the same files
T_WARM_OVER_COLD = 0.10     # warm <= 10% of cold
T_GOROOT_COLD_S = 60.0      # GOROOT/src cold < 60 s
T_GOROOT_RSS_MB = 2048.0    # ... with peak RSS < 2 GB
T_PRECISION = 0.99          # static, package initialisation included (issue 12)
T_RECALL = 0.99
T_CG_SPEED = 0.5            # goanalyzer cold <= 0.5x `callgraph -algo=static`


def mark(ok: bool | None) -> str:
    return "" if ok is None else ("  [ok]" if ok else "  [MISS]")


def say(*a) -> None:
    print(*a, flush=True)


# --------------------------------------------------------------------------- processes

@dataclass
class Run:
    argv: list[str]
    rc: int | None          # None: could not start / timed out
    wall: float
    stdout_path: Path
    stderr: str
    maxrss_mb: float        # largest single process of the tree (wait4 ru_maxrss)
    tree_rss_mb: float      # peak of the summed RSS of the whole tree (sampled /proc)
    error: str = ""

    def ok(self) -> bool:
        return self.rc == 0

    def why(self) -> str:
        if self.error:
            return self.error
        tail = [ln for ln in self.stderr.strip().splitlines() if ln.strip()]
        return f"exit {self.rc}" + (f": {tail[-1].strip()[:300]}" if tail else "")


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                out.extend(int(x) for x in fh.read().split())
    except OSError:
        pass
    return out


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree_rss_kb(root: int) -> int:
    total, todo, seen = 0, [root], set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += _rss_kb(pid)
        todo.extend(_children(pid))
    return total


def run_measured(argv: list[str], out_path: Path, cwd: str | None = None,
                 env: dict | None = None, timeout: float = 900.0) -> Run:
    """Run argv, stdout to out_path; wall time and peak memory of this run alone.

    Peak memory: ru_maxrss from wait4() on this very child (the kernel folds in its
    waited-for descendants, as the max of any single process — not polluted by
    earlier children of this script, unlike a RUSAGE_CHILDREN delta), plus the
    peak of the summed VmRSS of the process tree sampled from /proc every 20 ms
    (what a pool of workers costs together).
    """
    err_file = tempfile.TemporaryFile()
    with open(out_path, "wb") as out:
        t0 = time.perf_counter()
        try:
            p = subprocess.Popen(argv, stdout=out, stderr=err_file, stdin=subprocess.DEVNULL,
                                 cwd=cwd, env=env)
        except OSError as e:
            return Run(argv, None, 0.0, out_path, "", 0.0, 0.0, error=f"cannot start: {e}")
        peak = [0]
        done = threading.Event()

        def sample():
            while not done.is_set():
                peak[0] = max(peak[0], _tree_rss_kb(p.pid))
                done.wait(0.02)

        th = threading.Thread(target=sample, daemon=True)
        th.start()
        deadline = t0 + timeout
        status = ru = None
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                p.kill()
                _, status, ru = os.wait4(p.pid, 0)
                break
            time.sleep(0.005)
        wall = time.perf_counter() - t0
        done.set()
        th.join()
        p.returncode = os.waitstatus_to_exitcode(status)
    err_file.seek(0)
    stderr = err_file.read().decode("utf-8", "replace")
    err_file.close()
    timed_out = wall >= timeout
    return Run(argv, None if timed_out else p.returncode, wall, out_path, stderr,
               ru.ru_maxrss / 1024.0, max(peak[0], ru.ru_maxrss) / 1024.0,
               error=f"timed out after {timeout:.0f} s" if timed_out else "")


def find_goanalyzer(explicit: str | None) -> list[str] | None:
    if explicit:
        return explicit.split()
    beside = Path(sys.executable).parent / "goanalyzer"
    if beside.exists():
        return [str(beside)]
    venv = REPO / ".venv" / "bin" / "goanalyzer"
    if venv.exists():
        return [str(venv)]
    w = shutil.which("goanalyzer")
    return [w] if w else None


def find_goroot(explicit: str | None) -> Path | None:
    if explicit:
        return Path(explicit)
    if os.environ.get("GOROOT"):
        return Path(os.environ["GOROOT"])
    if shutil.which("go"):
        try:
            r = subprocess.run(["go", "env", "GOROOT"], capture_output=True, text=True, timeout=60)
            if r.returncode == 0 and r.stdout.strip():
                return Path(r.stdout.strip())
        except (OSError, subprocess.SubprocessError):
            pass
    return None


# --------------------------------------------------------------------------- raw parse

def go_files(tree: Path) -> list[str]:
    """Non-test .go files, skipping testdata/ and directories starting with . or _."""
    out = []
    for dirpath, dirnames, filenames in os.walk(tree):
        dirnames[:] = sorted(d for d in dirnames
                             if d != "testdata" and not d.startswith((".", "_")))
        for f in sorted(filenames):
            if f.endswith(".go") and not f.endswith("_test.go"):
                out.append(os.path.join(dirpath, f))
    return out


_LIST_FILES = """
import sys, goanalyzer
program = goanalyzer.load(sys.argv[1], goroot=sys.argv[2] or "none", use_cache=False, bodies="none", jobs=1)
print("\\n".join(f.path for p in program.packages.values() for f in p.files))
"""


def indexed_files(tree: Path, goroot: Path | None, timeout: float) -> list[str] | None:
    """The files `goanalyzer index TREE` parses (its packages' files, the transitive imports
    included), listed through the library in a separate, untimed process; None when that fails."""
    try:
        r = subprocess.run([sys.executable, "-c", _LIST_FILES, str(tree), str(goroot or "")],
                           capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.SubprocessError):
        return None
    files = [line for line in r.stdout.splitlines() if line]
    return files if r.returncode == 0 and files else None


_PARSER = None


def _parser():
    global _PARSER
    if _PARSER is None:
        import tree_sitter
        import tree_sitter_go
        _PARSER = tree_sitter.Parser(tree_sitter.Language(tree_sitter_go.language()))
    return _PARSER


def _parse_chunk(paths: list[str]) -> tuple[int, int, int]:
    """Read and parse files; returns (bytes, lines, files with syntax errors)."""
    parser = _parser()
    nbytes = nlines = nerr = 0
    for path in paths:
        with open(path, "rb") as fh:
            src = fh.read()
        nbytes += len(src)
        nlines += src.count(b"\n")
        if parser.parse(src).root_node.has_error:
            nerr += 1
    return nbytes, nlines, nerr


@dataclass
class Raw:
    files: int
    bytes: int
    lines: int
    errors: int
    t1: float          # one process, read + parse
    t_parse1: float    # one process, parse only (sources already in memory)
    t2: float          # pool of `jobs` processes, read + parse, pool start-up included
    jobs: int


def raw_parse(files: list[str], jobs: int) -> Raw:
    parser = _parser()
    # one process: read + parse, then parse alone from memory
    t0 = time.perf_counter()
    nbytes, nlines, nerr = _parse_chunk(files)
    t1 = time.perf_counter() - t0
    srcs = []
    for f in files:
        with open(f, "rb") as fh:
            srcs.append(fh.read())
    t0 = time.perf_counter()
    for s in srcs:
        parser.parse(s)
    tp = time.perf_counter() - t0
    del srcs
    # a pool of `jobs` processes; chunks interleaved so big directories are spread
    nchunks = max(jobs * 8, 1)
    chunks = [files[i::nchunks] for i in range(nchunks)]
    chunks = [c for c in chunks if c]
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("fork")) as ex:
        list(ex.map(_parse_chunk, chunks))
    t2 = time.perf_counter() - t0
    return Raw(len(files), nbytes, nlines, nerr, t1, tp, t2, jobs)


def print_raw(r: Raw) -> None:
    mb = r.bytes / MB
    say(f"  files {r.files:,}   {mb:.2f} MB   {r.lines:,} lines   "
        f"({r.errors} with tree-sitter syntax errors)")
    say(f"  raw parse, 1 process : {r.t1:7.2f} s  {r.files / r.t1:8.0f} files/s  "
        f"{mb / r.t1:6.2f} MB/s   (parse alone, sources in memory: {r.t_parse1:.2f} s)")
    say(f"  raw parse, {r.jobs} processes: {r.t2:7.2f} s  {r.files / r.t2:8.0f} files/s  "
        f"{mb / r.t2:6.2f} MB/s   (read + parse, pool start-up included)")


# --------------------------------------------------------------------------- index bench

def bench_index(trees: list[Path], ga: list[str] | None, goroot: Path | None,
                jobs: int, timeout: float, raw_only: bool, repeat: int = 3) -> None:
    say("== index benchmark ==")
    say(f"   targets: cold <= {T_COLD_OVER_RAW:g}x raw parse; warm <= {T_WARM_OVER_COLD:.0%} "
        f"of cold; GOROOT/src cold < {T_GOROOT_COLD_S:g} s and peak RSS < "
        f"{T_GOROOT_RSS_MB / 1024:g} GB")
    if not raw_only and ga is None:
        say("   goanalyzer: command not found (install with `make install`); raw parse only")
    for tree in trees:
        say(f"\n-- {tree}")
        if not tree.is_dir():
            say("  SKIP: not a directory")
            continue
        files = None if raw_only or ga is None else indexed_files(tree, goroot, timeout)
        if files is None:
            files = go_files(tree)
            say("  raw parse over the tree's non-test .go files (goanalyzer's own file list unavailable)")
        else:
            say("  raw parse over the files goanalyzer indexes (its packages and their transitive imports)")
        if not files:
            say("  SKIP: no .go files")
            continue
        r = raw_parse(files, jobs)
        print_raw(r)
        if raw_only or ga is None:
            continue
        is_goroot = goroot is not None and tree.resolve() == (goroot / "src").resolve()
        cache = Path(tempfile.mkdtemp(prefix="ga-bench-cache-"))
        outdir = Path(tempfile.mkdtemp(prefix="ga-bench-out-"))
        try:
            argv = ga + ["index", str(tree), "--cache-dir", str(cache)]
            if goroot is not None:
                argv += ["--goroot", str(goroot)]
            cold_walls = []
            for attempt in range(repeat):  # each cold run on an empty cache; the last one is kept
                if attempt:
                    shutil.rmtree(cache, ignore_errors=True)
                cold = run_measured(argv, outdir / "cold.txt", timeout=timeout)
                if not cold.ok():
                    break
                cold_walls.append(cold.wall)
            if not cold.ok():
                say(f"  FAIL: `goanalyzer index` (cold) {cold.why()}")
                continue
            warm_walls = []
            for _ in range(repeat):
                warm = run_measured(argv, outdir / "warm.txt", timeout=timeout)
                if not warm.ok():
                    break
                warm_walls.append(warm.wall)
            cold_s = statistics.median(cold_walls)
            mb = r.bytes / MB
            say(f"  goanalyzer cold      : {cold_s:7.2f} s  {r.files / cold_s:8.0f} files/s  "
                f"{mb / cold_s:6.2f} MB/s{_runs(cold_walls)}"
                + (f"   (target < {T_GOROOT_COLD_S:g} s){mark(cold_s < T_GOROOT_COLD_S)}"
                   if is_goroot else ""))
            say(f"  cold / raw           : {cold_s / r.t2:5.2f}x vs raw on {r.jobs} processes, "
                f"{cold_s / r.t1:5.2f}x vs 1 process   (target <= {T_COLD_OVER_RAW:g}x)"
                f"{mark(cold_s / r.t2 <= T_COLD_OVER_RAW)}")
            say(f"  peak RSS (cold)      : {cold.maxrss_mb:7.0f} MB largest process, "
                f"{cold.tree_rss_mb:7.0f} MB whole process tree (sampled)"
                + (f"   (target < {T_GOROOT_RSS_MB:g} MB)"
                   f"{mark(max(cold.maxrss_mb, cold.tree_rss_mb) < T_GOROOT_RSS_MB)}"
                   if is_goroot else ""))
            if not warm.ok():
                say(f"  FAIL: `goanalyzer index` (warm) {warm.why()}")
                continue
            warm_s = statistics.median(warm_walls)
            say(f"  goanalyzer warm      : {warm_s:7.2f} s  = {warm_s / cold_s:6.1%} of cold{_runs(warm_walls)}"
                f"   (target <= {T_WARM_OVER_COLD:.0%}){mark(warm_s / cold_s <= T_WARM_OVER_COLD)}")
            floor_s = startup_floor(ga, repeat, timeout)
            if floor_s is not None:
                say(f"  of which start-up    : {floor_s:7.2f} s  (`goanalyzer index --help`: interpreter and imports); "
                    f"the rest {max(warm_s - floor_s, 0):.2f} s = {max(warm_s - floor_s, 0) / cold_s:.1%} of cold")
            say(f"  peak RSS (warm)      : {warm.maxrss_mb:7.0f} MB largest process, "
                f"{warm.tree_rss_mb:7.0f} MB whole process tree (sampled)")
            summary = [ln for ln in (outdir / "cold.txt").read_text("utf-8", "replace").splitlines()
                       if ln.strip()]
            if summary:
                say("  goanalyzer's summary (cold): " + " | ".join(s.strip() for s in summary[-6:]))
        finally:
            shutil.rmtree(cache, ignore_errors=True)
            shutil.rmtree(outdir, ignore_errors=True)


# --------------------------------------------------------------------------- scoring

def load_scorer():
    """The shared scorer when it is on disk, else bench/score.py. Returns (name, fn)."""
    sys.path.insert(0, str(BENCH))
    import score as own  # noqa: E402  (bench/score.py)

    def own_pairs(oracle: Path, ours: Path, scopes: list[str]):
        return own.load_edges(str(oracle), scopes), own.load_edges(str(ours), scopes)

    if not SHARED_SCORER.exists():
        return "bench/score.py", own_pairs, own
    spec = importlib.util.spec_from_file_location("shared_score_callgraph", SHARED_SCORER)
    mod = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(mod)
        mod.load, mod.norm  # noqa: B018 (the two functions we use)
    except Exception as e:  # noqa: BLE001 - any problem: fall back to our own copy
        say(f"   (shared scorer unusable: {e}; using bench/score.py)")
        return "bench/score.py", own_pairs, own

    def shared_pairs(oracle: Path, ours: Path, scopes: list[str]):
        sc = [mod.norm(s) for s in scopes]
        with tempfile.TemporaryDirectory() as td:
            paths = []
            for p in (oracle, ours):
                if str(p).endswith(".gz"):   # the shared scorer reads plain text only
                    plain = Path(td) / (p.name[:-3])
                    with gzip.open(p, "rb") as src, open(plain, "wb") as dst:
                        shutil.copyfileobj(src, dst)
                    p = plain
                paths.append(p)
            return mod.load(str(paths[0]), sc), mod.load(str(paths[1]), sc)

    return f"{SHARED_SCORER} (cross-checked with bench/score.py)", shared_pairs, own


def without_synthetic(path: Path) -> Path:
    """A copy of our TSV without the synthetic package-initialiser calls (call site `:0:0`)."""
    kept = path.with_suffix(".no-init.tsv")
    with open(path, encoding="utf-8") as src, open(kept, "w", encoding="utf-8") as dst:
        dst.writelines(line for line in src if line.split("\t")[2:3] != [":0:0"])
    return kept


def spread(rows: list, n: int) -> list:
    """n examples spread evenly over a sorted list (not just the first caller's)."""
    if len(rows) <= n:
        return rows
    step = len(rows) / n
    return [rows[int(i * step)] for i in range(n)]


def pkg_of(name: str) -> str:
    b = name.lstrip("(*")
    head = b.split(")")[0]
    slash = head.rfind("/")
    dot = head.find(".", slash + 1)
    return head[:dot] if dot > 0 else head


# --------------------------------------------------------------------------- call-graph bench

def read_programs() -> list[dict]:
    progs = []
    with open(ORACLE_DIR / "programs.tsv", encoding="utf-8") as fh:
        for line in fh:
            if not line.strip() or line.startswith("#"):
                continue
            name, pkg, scope, goflags, tree, env = (line.rstrip("\n").split("\t") + [""] * 5)[:6]
            progs.append({"name": name, "pkg": pkg, "scopes": scope.split(), "goflags": goflags,
                          "tree": Path(tree) if tree else None,
                          "env": dict(kv.split("=", 1) for kv in env.split() if "=" in kv)})
    return progs


def bench_callgraph(ga: list[str] | None, goroot: Path | None, only_progs: list[str],
                    show: int, timeout: float, with_full: bool, keep: Path | None, repeat: int = 3) -> None:
    say("== call-graph benchmark ==")
    say(f"   targets: precision >= {T_PRECISION}, recall >= {T_RECALL} against "
        f"`callgraph -algo=static` with its package-initialiser edges (static-with-init); "
        f"goanalyzer cold <= {T_CG_SPEED}x callgraph's wall time")
    if goroot is None or not (goroot / "src").is_dir():
        say("   SKIP: no GOROOT (pass --goroot, set $GOROOT or install go)")
        return
    if ga is None:
        say("   SKIP: goanalyzer command not found (install with `make install`)")
        return
    scorer_name, pairs, own = load_scorer()
    say(f"   scorer: {scorer_name}")
    cg = shutil.which("callgraph")
    if not cg or not shutil.which("go"):
        say("   (go / callgraph not installed: no speed comparison)")
    progs = read_programs()
    if only_progs:
        progs = [p for p in progs if p["name"] in only_progs]
    rows = []
    for prog in progs:
        pkgdir = (prog["tree"] or goroot / "src") / prog["pkg"]
        say(f"\n-- {prog['name']}: {pkgdir}   (scope: {' '.join(prog['scopes'])})"
            + (f"   ({' '.join(f'{k}={v}' for k, v in prog['env'].items())})" if prog["env"] else ""))
        if not pkgdir.is_dir():
            say(f"  SKIP: no such directory {'(lay the tree out as bench/README.md says)' if prog['tree'] else 'in this GOROOT'}")
            continue
        ga_env = dict(os.environ, **prog["env"])
        runs = [("static", "static-with-init")] + ([("full", "vta")] if with_full else [])
        ga_static_wall = None
        for algo, oracle_algo in runs:
            oracle = ORACLE_DIR / f"{prog['name']}.{oracle_algo}.tsv.gz"
            if not oracle.exists():
                say(f"  SKIP {algo}: no oracle {oracle.name} (bench/oracle/regenerate.sh)")
                continue
            cache = Path(tempfile.mkdtemp(prefix="ga-bench-cache-"))
            outdir = Path(tempfile.mkdtemp(prefix="ga-bench-out-"))
            try:
                out = outdir / f"{prog['name']}.{algo}.tsv"
                argv = ga + ["callgraph", str(pkgdir), "--algo", algo, "--format", "tsv",
                             "--cache-dir", str(cache), "--goroot", str(goroot), "-q"]
                for scope in prog["scopes"]:
                    if "/vendor/" in scope:  # callers inside vendored code: read those bodies too
                        argv += ["--into", scope.split("/vendor/", 1)[1]]
                    elif prog["tree"]:  # a module's packages beyond PATH: read their bodies too
                        argv += ["--into", scope]
                r = run_measured(argv, out, env=ga_env, timeout=timeout)
                if not r.ok():
                    say(f"  FAIL: `goanalyzer callgraph --algo {algo}` {r.why()}")
                    continue
                walls = [r.wall]
                for _ in range(repeat - 1 if algo == "static" else 0):  # each cold: a fresh cache
                    again = Path(tempfile.mkdtemp(prefix="ga-bench-cache-"))
                    argv_again = [str(again) if a == str(cache) else a for a in argv]
                    walls.append(run_measured(argv_again, outdir / "again.tsv", env=ga_env, timeout=timeout).wall)
                    shutil.rmtree(again, ignore_errors=True)
                if keep:
                    keep.mkdir(parents=True, exist_ok=True)
                    shutil.copy(out, keep / out.name)
                if oracle_algo == "vta":  # that oracle leaves out the synthetic initialiser calls: so do we
                    out = without_synthetic(out)
                gt, ours = pairs(oracle, out, prog["scopes"])
                if "cross-checked" in scorer_name:
                    g2, o2 = own.load_edges(str(oracle), prog["scopes"]), \
                        own.load_edges(str(out), prog["scopes"])
                    if (g2, o2) != (gt, ours):
                        say("  WARNING: bench/score.py disagrees with the shared scorer here")
                s = own.compare(gt, ours)
                say(f"  --algo {algo} vs {oracle.name}: oracle {s.oracle}, ours {s.ours}, "
                    f"common {s.common}")
                if algo == "static":
                    say(f"  precision {s.precision:.3f} (target >= {T_PRECISION})"
                        f"{mark(s.precision >= T_PRECISION)}   recall {s.recall:.3f} "
                        f"(target >= {T_RECALL}){mark(s.recall >= T_RECALL)}   f1 {s.f1:.3f}")
                else:
                    say(f"  precision {s.precision:.3f}   recall {s.recall:.3f}   f1 {s.f1:.3f}"
                        "   (informative: vta is a different algorithm)")
                say(f"  goanalyzer cold: {statistics.median(walls):.2f} s{_runs(walls)}, peak RSS "
                    f"{r.maxrss_mb:.0f} MB largest process / {r.tree_rss_mb:.0f} MB process tree")
                for title, items in (("missed", s.missed), ("extra", s.extra)):
                    if not items:
                        continue
                    by_pkg = Counter(pkg_of(callee) for _, callee in items).most_common(5)
                    say(f"  {title} {len(items)}; by callee package: "
                        + ", ".join(f"{p} {n}" for p, n in by_pkg))
                    for caller, callee in spread(items, show):
                        say(f"    {title}: {caller} -> {callee}")
                if algo == "static":
                    ga_static_wall = statistics.median(walls)
                    rows.append([prog["name"], s.oracle, s.ours, s.precision, s.recall, s.f1,
                                 ga_static_wall, r.maxrss_mb, r.tree_rss_mb, None])
            finally:
                shutil.rmtree(cache, ignore_errors=True)
                shutil.rmtree(outdir, ignore_errors=True)
        if ga_static_wall is not None and cg and shutil.which("go"):
            env = {**os.environ, "GOFLAGS": prog["goflags"], "GOPROXY": "off", "GOWORK": "off",
                   "GOROOT": str(goroot), "GOOS": "linux", "GOARCH": "amd64", **prog["env"]}  # env wins
            fmt = "{{.Caller}}|{{.Callee}}|{{.Filename}}:{{.Line}}:{{.Column}}|{{.Dynamic}}"
            cg_walls = []
            with tempfile.TemporaryDirectory() as td:
                for _ in range(repeat):
                    c = run_measured([cg, "-algo=static", f"-format={fmt}", "."],
                                     Path(td) / "cg.txt", cwd=str(pkgdir), env=env, timeout=timeout)
                    if not c.ok():
                        break
                    cg_walls.append(c.wall)
            if c.ok():
                ratio = ga_static_wall / statistics.median(cg_walls)
                rows[-1][-1] = ratio
                say(f"  callgraph -algo=static: {statistics.median(cg_walls):.2f} s{_runs(cg_walls)} "
                    f"(peak RSS {c.maxrss_mb:.0f} MB); "
                    f"goanalyzer/callgraph = {ratio:.2f} (target <= {T_CG_SPEED})"
                    f"{mark(ratio <= T_CG_SPEED)}")
            else:
                say(f"  callgraph -algo=static failed here: {c.why()}")
    if rows:
        say("\n   static-with-init (targets: precision, recall >= "
            f"{T_PRECISION}; ga/callgraph <= {T_CG_SPEED})")
        say("   program   oracle    ours  precision  recall     f1   cold s  RSS MB (largest/tree)   ga/callgraph")
        for name, no, nu, p, rc, f, w, rss, tree, ratio in rows:
            rs = f"{ratio:.2f}" if ratio is not None else "-"
            say(f"   {name:8s} {no:7d} {nu:7d}   {p:8.3f} {rc:7.3f} {f:6.3f} {w:8.2f}   {rss:6.0f} / {tree:6.0f}"
                f"   {rs:>12s}")


def startup_floor(ga: list[str], repeat: int, timeout: float) -> float | None:
    """Median wall time of `goanalyzer index --help`: the interpreter and every import `index`
    needs, what any run pays before it reads a file."""
    walls = []
    for _ in range(repeat):
        started = time.perf_counter()
        try:
            subprocess.run(ga + ["index", "--help"], capture_output=True, timeout=timeout, check=True)
        except (OSError, subprocess.SubprocessError):
            return None
        walls.append(time.perf_counter() - started)
    return statistics.median(walls)


def compile_bytecode() -> str:
    """Compile goanalyzer's modules as `pip install` does. An editable install compiles them on
    first import, unless PYTHONDONTWRITEBYTECODE is set (as on this VM): then every run would
    compile every module again, and the warm figures would measure the compiler."""
    import compileall

    spec = importlib.util.find_spec("goanalyzer")
    if spec is None or not spec.submodule_search_locations:
        return "goanalyzer not importable from this python; its bytecode was left as it is"
    package = Path(list(spec.submodule_search_locations)[0])
    compileall.compile_dir(package, quiet=1)
    return f"bytecode of {package} compiled (as pip install does)"


def _runs(walls: list[float]) -> str:
    """`` (median of 1.02 0.95 0.99)`` when a figure is the median of several runs."""
    return f" (median of {' '.join(f'{w:.2f}' for w in walls)})" if len(walls) > 1 else ""


# --------------------------------------------------------------------------- main

def default_trees(goroot: Path | None) -> list[Path]:
    trees = [REPO / "fixtures" / "traefik-2.5.2"]
    scratch = Path("/work/scratch/traefik-2.5.2")
    if scratch.is_dir():
        trees.append(scratch)
    if goroot is not None and (goroot / "src").is_dir():
        trees.append(goroot / "src")
    return trees


COMMAND_CLIS = ("gh-v2.60.0", "prometheus-v2.55.1", "gopass-v1.16.1", "tailscale-v1.102.3", "serf-v0.10.2")
"""The real CLIs the commands benchmark scores by default, when laid out in /work/scratch (bench/README.md)."""


def bench_commands(ga: list[str] | None, clis: list[Path], gomodcache: Path | None, show: int,
                   timeout: float) -> None:
    """Command trees (issue 13): goanalyzer against the go/ast lister, per framework, on the
    framework fixtures and each CLI tree (bench/commands/score.py does the work)."""
    say("== commands: goanalyzer commands vs bench/commands/lister (go/ast)")
    if ga is None:
        say("SKIP: commands: goanalyzer command not found (install with `make install`)")
        return
    scratch = Path("/work/scratch")
    if not clis:
        clis = [scratch / name for name in COMMAND_CLIS if (scratch / name).is_dir()]
    if gomodcache is None and (scratch / "gomodcache").is_dir() and clis:
        gomodcache = scratch / "gomodcache"
    spec = importlib.util.spec_from_file_location("commands_score", BENCH / "commands" / "score.py")
    scorer = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = scorer  # its dataclasses look their module up
    spec.loader.exec_module(scorer)
    sys.stdout.flush()
    scorer.bench(ga, clis, gomodcache, show, timeout)
    sys.stdout.flush()


WALKTHROUGH_TREES = ("traefik-v2.5.2", "gh-v2.60.0")
"""Real trees the walkthrough benchmark writes by default, when laid out in /work/scratch."""


def bench_walkthrough(trees: list[Path], gomodcache: Path | None) -> None:
    """Walkthrough time, pages and diagram widths (issue 14; bench/walkthrough.py does the work)."""
    say("== walkthrough: cold `goanalyzer walkthrough` per tree")
    scratch = Path("/work/scratch")
    trees = trees or [REPO / "fixtures" / "traefik-2.5.2",
                      *(scratch / name for name in WALKTHROUGH_TREES if (scratch / name).is_dir())]
    if gomodcache is None and (scratch / "gomodcache").is_dir():
        gomodcache = scratch / "gomodcache"
    spec = importlib.util.spec_from_file_location("walkthrough_bench", BENCH / "walkthrough.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.bench(trees, gomodcache)
    sys.stdout.flush()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="goanalyzer benchmarks (figures only, no asserts)")
    ap.add_argument("--only", choices=["index", "callgraph", "rta", "raw", "commands", "walkthrough", "hostile"],
                    help="run one benchmark; `raw` = the raw tree-sitter parse part of index only; "
                         "`rta` = bench/rta.py over --program (default: every program)")
    ap.add_argument("--tree", action="append", type=Path, default=[],
                    help="tree to index (repeatable); default: fixtures/traefik-2.5.2, "
                         "/work/scratch/traefik-2.5.2 when present, GOROOT/src")
    ap.add_argument("--goroot", help="GOROOT (default: $GOROOT, else `go env GOROOT`)")
    ap.add_argument("--program", action="append", default=[],
                    help="call-graph oracle program(s) from bench/oracle/programs.tsv; default all")
    ap.add_argument("--goanalyzer", help="command to run goanalyzer (default: beside this python, "
                                         ".venv/bin/goanalyzer, or on PATH)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2,
                    help="processes for the pooled raw parse (default: cores)")
    ap.add_argument("--show", type=int, default=10, help="examples of misses/extras")
    ap.add_argument("--full", action="store_true",
                    help="also run `--algo full` and score it against the vta oracle")
    ap.add_argument("--keep-output", type=Path, help="copy goanalyzer's TSV outputs here")
    ap.add_argument("--timeout", type=float, default=900.0, help="per command, seconds")
    ap.add_argument("--repeat", type=int, default=3,
                    help="runs of each timed command (index cold and warm, goanalyzer and callgraph cold); "
                         "medians are reported (default 3)")
    ap.add_argument("--cli", action="append", type=Path, default=[],
                    help="CLI module tree for the commands benchmark (repeatable; with --only commands, "
                         "--tree counts too); default: " + ", ".join(f"/work/scratch/{n}" for n in COMMAND_CLIS)
                         + " when present")
    ap.add_argument("--gomodcache", type=Path,
                    help="module cache holding the CLIs' frameworks (default: /work/scratch/gomodcache when present)")
    a = ap.parse_args(argv)

    goroot = find_goroot(a.goroot)
    ga = find_goanalyzer(a.goanalyzer)
    say(f"goanalyzer bench  {time.strftime('%Y-%m-%d %H:%M')}  cores {os.cpu_count()}  "
        f"python {sys.version.split()[0]}")
    say(f"goanalyzer: {' '.join(ga) if ga else 'not found'}   GOROOT: {goroot or 'not found'}")
    if ga is not None:
        say(compile_bytecode())
    if a.only in (None, "index", "raw"):
        trees = a.tree or default_trees(goroot)
        bench_index(trees, ga, goroot, max(a.jobs, 1), a.timeout, raw_only=(a.only == "raw"), repeat=a.repeat)
        say("")
    if a.only in (None, "callgraph"):
        bench_callgraph(ga, goroot, a.program, a.show, a.timeout, a.full, a.keep_output, a.repeat)
        say("")
    if a.only in (None, "rta"):
        say("== RTA benchmark (bench/rta.py) ==")
        import rta as rta_bench  # bench/rta.py, beside this script
        names = a.program or [p["name"] for p in read_programs()]
        rta_bench.main([arg for n in names for arg in ("--program", n)] + ["--repeat", str(a.repeat)]
                       + (["--goroot", str(goroot)] if goroot else []))
        say("")
    if a.only in (None, "commands"):
        clis = a.cli + (a.tree if a.only == "commands" else [])
        bench_commands(ga, clis, a.gomodcache, a.show, a.timeout)
        say("")
    if a.only in (None, "walkthrough"):
        bench_walkthrough(a.cli + (a.tree if a.only == "walkthrough" else []), a.gomodcache)
        say("")
    if a.only in (None, "hostile"):
        import hostile  # bench/hostile.py, beside this script
        hostile.main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
