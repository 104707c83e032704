"""The commands benchmark (issue 13): `goanalyzer commands` against an independent lister
(bench/commands/lister, Go's go/ast, run with the `go` on PATH), per framework:

- found:   the lister's commands that goanalyzer reports at the same position;
- names:   of those whose name the lister could fold, the ones goanalyzer names the same;
- parents: of those found, the ones whose parent is the lister's (both roots, or the same position).

Positions are `file:line:col` relative to the tree; a command built inside the framework
(urfave/cli's `cli.NewApp()`; without the module, goanalyzer's stand-in at the call) is
`framework:urfave.NewApp` on both sides. Prints figures with
their targets beside them; never fails on a miss (exit 0), FAIL/SKIP lines for what cannot run.

    .venv/bin/python bench/commands/score.py                      # the framework fixtures
    .venv/bin/python bench/commands/score.py --tree DIR --show 20  # any module tree
    .venv/bin/python bench/commands/score.py --tree gh-v2.60.0 --gomodcache gomodcache

`bench/run.py --only commands` calls `bench()`: the fixtures as one table, each tree as its own.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
FIXTURES = ["cobra-app", "cobra-helpers", "cobra-nomodule", "cobra-value-parent", "cobra-group-helper",
            "urfave-app", "urfave-v1-app", "urfave-v2-flags", "ffcli-app", "ffcli-helpers", "ffcli-call-context",
            "kingpin-app", "kingpin-v2-tool", "mitchellh-app", "mitchellh-registry", "traefik-2.5.2"]
TARGETS = {"found": 98.0, "names": 98.0, "parents": 95.0}
FRAMEWORK_MODULES = ("github.com/spf13/cobra", "github.com/urfave/cli", "github.com/peterbourgon/ff",
                     "github.com/traefik/paerser", "gopkg.in/alecthomas/kingpin", "github.com/alecthomas/kingpin",
                     "github.com/mitchellh/cli")


@dataclass(slots=True, frozen=True)
class Listed:
    framework: str
    key: str
    name: str | None
    parent: str | None


@dataclass(slots=True)
class Score:
    total: int = 0
    found: int = 0
    named: int = 0
    names_right: int = 0
    parents_right: int = 0
    extra: int = 0
    """Commands goanalyzer reports in the tree that the lister does not list (informative)."""
    misses: list[str] = field(default_factory=list)


def oracle(tree: Path, timeout: float) -> list[Listed]:
    env = {**os.environ, "GOFLAGS": "-mod=mod", "GOPROXY": "off", "GOWORK": "off", "GO111MODULE": "on"}
    out = subprocess.run(["go", "run", ".", str(tree)], cwd=HERE / "lister", capture_output=True, text=True,
                         timeout=timeout, env=env, check=True).stdout
    rows = []
    for line in out.splitlines():
        framework, key, name, parent = line.split("\t")
        rows.append(Listed(framework, key, None if name == "-" else name, None if parent == "-" else parent))
    return rows


def framework_into(tree: Path) -> list[str]:
    """The framework modules go.mod requires: analysed in full (urfave/cli v1's NewApp builds the App)."""
    gomod = tree / "go.mod"
    text = gomod.read_text() if gomod.is_file() else ""
    words = {w for line in text.splitlines() for w in line.split()}
    return sorted(w for w in words if w.startswith(FRAMEWORK_MODULES))


def ours(goanalyzer: list[str], tree: Path, timeout: float, gomodcache: Path | None = None) -> dict[str, dict]:
    into = [a for m in framework_into(tree) for a in ("--into", m)]
    cache = ["--gomodcache", str(gomodcache)] if gomodcache else []
    out = subprocess.run([*goanalyzer, "commands", str(tree), "--format", "json", "-q", "--goroot", "none", *into,
                          *cache], capture_output=True, text=True, timeout=timeout, check=True).stdout
    data = json.loads(out)
    rows = data["commands"] if isinstance(data, dict) else data
    return {_key(r): r for r in rows}


def _key(row: dict) -> str:
    position, built_in = row["position"], row.get("built_in") or ""
    if "@" in position.split(":", 1)[0] or built_in.startswith(FRAMEWORK_MODULES):
        # built in the module cache by the framework's constructor, or standing for what that
        # constructor builds when its module is missing (at the call)
        return f"framework:{row['framework']}.{built_in.rsplit('.', 1)[-1]}"
    return position


def _parent_key(row: dict, by_position: dict[str, dict]) -> str | None:
    parent = row.get("parent_position")
    return _key(by_position[parent]) if parent in by_position else parent


def score(listed: list[Listed], found: dict[str, dict], scores: dict[str, Score]) -> None:
    by_position = {r["position"]: r for r in found.values()}
    known = {item.key for item in listed}
    for key, row in found.items():
        if key not in known and not key.startswith("framework:"):
            s = scores.setdefault(row["framework"], Score())
            s.extra += 1
            s.misses.append(f"extra {key} {row['name']}")
    for item in listed:
        s = scores.setdefault(item.framework, Score())
        s.total += 1
        row = found.get(item.key)
        if row is None:
            s.misses.append(f"missing {item.key} {item.name}")
            continue
        s.found += 1
        if item.name is not None:
            s.named += 1
            if row["name"] == item.name:
                s.names_right += 1
            else:
                s.misses.append(f"name {item.key}: {row['name']!r} (want {item.name!r})")
        if _parent_key(row, by_position) == item.parent:
            s.parents_right += 1
        else:
            s.misses.append(f"parent {item.key} {item.name}: {_parent_key(row, by_position)} (want {item.parent})")


def _pct(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 100.0


def report(scores: dict[str, Score], show: int) -> None:
    print(f"{'framework':<10} {'commands':>8} {'found':>14} {'names':>14} {'parents':>14} {'extra':>6}")
    for framework in sorted(scores):
        s = scores[framework]
        figures = {"found": _pct(s.found, s.total), "names": _pct(s.names_right, s.named),
                   "parents": _pct(s.parents_right, s.found)}
        cells = [f"{figures[k]:6.1f}% {'[ok]' if figures[k] >= TARGETS[k] else '[MISS]':>6}" if s.total else "-"
                 for k in TARGETS]  # a framework only goanalyzer sees (hand-rolled structs): extras alone
        print(f"{framework:<10} {s.total:>8} " + " ".join(f"{c:>14}" for c in cells) + f" {s.extra:>6}")
        for miss in s.misses[:show]:
            print(f"    {miss}")
    print("targets: found ≥ 98%, names (fixed ones) ≥ 98%, parents ≥ 95%; extra: goanalyzer's commands the lister "
          "does not list (no target)")


def bench(goanalyzer: list[str], trees: list[Path], gomodcache: Path | None, show: int, timeout: float) -> None:
    """The fixtures as one table, then each tree as its own, titled by its directory name."""
    if shutil.which("go") is None:
        print("SKIP: commands: no `go` on PATH for the lister (apt-get install golang-go)")
        return
    groups = [("fixtures", [REPO / "fixtures" / name for name in FIXTURES])] + [(t.name, [t]) for t in trees]
    for title, group in groups:
        scores: dict[str, Score] = {}
        for tree in group:
            try:
                listed = oracle(tree.resolve(), timeout)
                found = ours(goanalyzer, tree, timeout, gomodcache)
            except (subprocess.SubprocessError, OSError, ValueError) as error:
                print(f"FAIL: commands {tree}: {_reason(error)}")
                continue
            score(listed, found, scores)
        if scores:
            print(f"-- {title}")
            report(scores, show)


def _reason(error: Exception) -> str:
    """The error with the last line the failing command wrote on stderr (`lister: open .../go.mod: ...`)."""
    stderr = getattr(error, "stderr", None) or ""
    lines = stderr.strip().splitlines() if isinstance(stderr, str) else []
    last = [line for line in lines if not line.startswith("exit status")][-1:]  # `go run` adds that line
    return f"{error} ({last[0]})" if last else str(error)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="commands benchmark: goanalyzer against a go/ast lister")
    ap.add_argument("--tree", action="append", type=Path, help="module tree (repeatable; default: the fixtures)")
    ap.add_argument("--goanalyzer", default=None, help="goanalyzer command (default: the one beside this Python)")
    ap.add_argument("--show", type=int, default=10, help="misses shown per framework")
    ap.add_argument("--timeout", type=float, default=900)
    ap.add_argument("--gomodcache", type=Path, help="module cache holding the trees' frameworks (GOMODCACHE layout)")
    a = ap.parse_args(argv)
    if shutil.which("go") is None:
        print("SKIP: commands: no `go` on PATH for the lister (apt-get install golang-go)")
        return 0
    beside = Path(sys.executable).with_name("goanalyzer")
    goanalyzer = a.goanalyzer.split() if a.goanalyzer else [str(beside) if beside.exists() else "goanalyzer"]
    trees = a.tree or [REPO / "fixtures" / name for name in FIXTURES]
    scores: dict[str, Score] = {}
    for tree in trees:
        try:
            listed = oracle(tree.resolve(), a.timeout)
            found = ours(goanalyzer, tree, a.timeout, a.gomodcache)
        except (subprocess.SubprocessError, OSError, ValueError) as error:
            print(f"FAIL: commands {tree}: {_reason(error)}")
            continue
        score(listed, found, scores)
    report(scores, a.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
