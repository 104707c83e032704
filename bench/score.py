#!/usr/bin/env python3
"""Compare a call graph with an oracle edge list (precision, recall, F1).

Self-contained scorer for the benchmark. It follows the rules of
../shared/bench/score_callgraph.py (the shared scorer, used by bench/run.py
when it is on disk) so that both give the same figures:

* input: TSV, caller in column 1, callee in column 2, x/tools names; blank
  lines, lines starting with '#' and lines with fewer than two columns are
  skipped; gzipped files (``.gz``) are read transparently;
* vendored package paths are normalised: ``cmd/vendor/golang.org/x/mod.F``,
  ``vendor/golang.org/x/net/...`` and ``a/b/vendor/c.F`` all lose everything up
  to and including their last ``vendor/`` path element;
* only edges whose caller (normalised, receiver's leading ``(`` / ``(*``
  removed) starts with one of the --scope prefixes (also normalised) count;
* figures are over distinct (caller, callee) pairs.

Usage: score.py ORACLE.tsv[.gz] OURS.tsv[.gz] --scope cmd/gofmt [--scope ...] [--show N]
The last line printed is ``precision=P recall=R f1=F``.
"""
from __future__ import annotations

import argparse
import gzip
import re
import sys
from dataclasses import dataclass, field

# A run of characters that can make up an import path (plus the `.Name` after it).
_PATH_RUN = re.compile(r"[\w.\-/]+")


def _strip_vendor(run: str) -> str:
    """Drop everything up to the last `vendor/` that starts a path element."""
    cut = -1
    start = 0
    while True:
        i = run.find("vendor/", start)
        if i < 0:
            break
        if i == 0 or run[i - 1] == "/":
            cut = i + len("vendor/")
        start = i + 1
    return run if cut < 0 else run[cut:]


def normalise(name: str) -> str:
    """x/tools function name with vendored package paths made canonical."""
    return _PATH_RUN.sub(lambda m: _strip_vendor(m.group(0)), name.strip())


def _bare(name: str) -> str:
    return name.lstrip("(*")


def _open(path: str):
    if path.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


def in_scope(caller: str, scopes: list[str]) -> bool:
    b = _bare(caller)
    return any(b.startswith(s) for s in scopes)


def load_edges(path: str, scopes: list[str]) -> set[tuple[str, str]]:
    """Distinct normalised (caller, callee) pairs whose caller is in scope."""
    scopes = [normalise(s) for s in scopes]
    out: set[tuple[str, str]] = set()
    with _open(path) as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 2:
                continue
            caller = normalise(parts[0])
            if in_scope(caller, scopes):
                out.add((caller, normalise(parts[1])))
    return out


@dataclass
class Score:
    oracle: int
    ours: int
    common: int
    precision: float
    recall: float
    f1: float
    missed: list[tuple[str, str]] = field(default_factory=list)
    extra: list[tuple[str, str]] = field(default_factory=list)


def compare(gt: set, ours: set) -> Score:
    common = gt & ours
    p = len(common) / len(ours) if ours else 0.0
    r = len(common) / len(gt) if gt else 0.0
    f = 2 * p * r / (p + r) if (p + r) else 0.0
    return Score(len(gt), len(ours), len(common), p, r, f,
                 sorted(gt - ours), sorted(ours - gt))


def score(oracle_path: str, ours_path: str, scopes: list[str]) -> Score:
    return compare(load_edges(oracle_path, scopes), load_edges(ours_path, scopes))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("oracle")
    ap.add_argument("ours")
    ap.add_argument("--scope", action="append", required=True,
                    help="caller package prefix to compare (repeatable)")
    ap.add_argument("--show", type=int, default=10, help="examples of misses/extras to print")
    a = ap.parse_args(argv)
    s = score(a.oracle, a.ours, a.scope)
    print(f"oracle edges {s.oracle}, ours {s.ours}, common {s.common}")
    for title, rows in (("missed", s.missed), ("extra", s.extra)):
        for caller, callee in rows[: a.show]:
            print(f"  {title}: {caller} -> {callee}")
    print(f"precision={s.precision:.3f} recall={s.recall:.3f} f1={s.f1:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
