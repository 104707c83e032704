#!/usr/bin/env bash
# Regenerate the call-graph oracles in this directory from Go's own `callgraph`
# (golang.org/x/tools/cmd/callgraph; Debian: golang-go golang-golang-x-tools).
# Offline: every program listed in programs.tsv is a GOROOT command whose
# imports are all inside GOROOT (std, GOROOT/src/vendor, GOROOT/src/cmd/vendor).
#
#   bench/oracle/regenerate.sh [NAME...]     # default: every program in programs.tsv
#   ORACLES=static-with-init bench/oracle/regenerate.sh containerd   # only that oracle
#
# A program outside GOROOT (programs.tsv's tree column, e.g. a vendored project laid out in
# /work/scratch) runs in TREE/PACKAGE with the environment of its last column (CGO_ENABLED=0);
# it is skipped with a message when the tree is absent.
#
# For each program it writes, for the edges whose caller is in the program's
# scope (x/tools names, vendored paths kept as callgraph prints them), sorted
# and distinct:
#   NAME.static-with-init.tsv.gz  `-algo=static`, every edge, the synthetic
#       package-initialiser ones (call site `:0:0`: `P.init -> fmt.init`,
#       `P.init -> P.init#1`) included; `caller<TAB>callee` lines, the format
#       of ../shared/bench/oracle/gofmt.static-with-init.tsv, which this script
#       reproduces byte for byte.
#   NAME.vta.tsv.gz  `-algo=vta` without the synthetic initialiser edges;
#       `caller<TAB>callee<TAB>static|dynamic` lines, as ../shared/bench/oracle/gofmt.vta.tsv.
# The wall time of every `callgraph` run goes to timings.tsv.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
GO="${GO:-go}"
CALLGRAPH="${CALLGRAPH:-callgraph}"
PYTHON="${PYTHON:-python3}"
command -v "$GO" >/dev/null || { echo "regenerate.sh: no go command" >&2; exit 1; }
command -v "$CALLGRAPH" >/dev/null || { echo "regenerate.sh: no callgraph command" >&2; exit 1; }
GOROOT="$("$GO" env GOROOT)"
GOVERSION="$("$GO" env GOVERSION)"
export GOROOT GOPROXY=off GOOS=linux GOARCH=amd64 GOWORK=off
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

FORMAT='{{.Caller}}|{{.Callee}}|{{.Filename}}:{{.Line}}:{{.Column}}|{{.Dynamic}}'
TIMINGS="$HERE/timings.tsv"
[ -f "$TIMINGS" ] || printf '# date\tgo\tprogram\talgo\tcallgraph wall s\traw edges\toracle edges\n' > "$TIMINGS"

want=" $* "
while IFS=$'\t' read -r name pkg scope goflags tree envs; do
  case "$name" in ''|\#*) continue ;; esac
  if [ $# -gt 0 ] && [[ "$want" != *" $name "* ]]; then continue; fi
  dir="${tree:-$GOROOT/src}/$pkg"
  if [ ! -d "$dir" ]; then echo "regenerate.sh: skip $name: no $dir" >&2; continue; fi
  for oracle in ${ORACLES:-static-with-init vta}; do
    algo="${oracle%%-*}"
    raw="$TMP/$name.$algo.raw"
    start=$(date +%s.%N)
    # shellcheck disable=SC2086  # envs: VAR=value words
    if ! (cd "$dir" && env GOFLAGS="$goflags" ${envs:-} "$CALLGRAPH" -algo="$algo" -format="$FORMAT" . </dev/null >"$raw" 2>"$raw.err"); then
      echo "regenerate.sh: callgraph -algo=$algo failed on $pkg:" >&2
      head -20 "$raw.err" >&2
      exit 1
    fi
    end=$(date +%s.%N)
    secs=$("$PYTHON" -c "print(f'{$end - $start:.2f}')")
    out="$HERE/$name.$oracle.tsv.gz"
    n=$(SCOPE="$scope" ORACLE="$oracle" "$PYTHON" - "$raw" "$HERE/../score.py" <<'EOF' | LC_ALL=C sort -u | tee "$TMP/$name.$algo.tsv" | wc -l
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(sys.argv[2])))
import score
scopes = [score.normalise(s) for s in os.environ["SCOPE"].split()]
with open(sys.argv[1], encoding="utf-8") as fh:
    for line in fh:
        caller, callee, pos, kind = line.rstrip("\n").split("|")
        with_init = os.environ["ORACLE"] == "static-with-init"
        if pos == ":0:0" and not with_init:   # synthetic: package initialiser calling an init
            continue
        if score.in_scope(score.normalise(caller), scopes):
            print(f"{caller}\t{callee}" if with_init else f"{caller}\t{callee}\t{kind}")
EOF
)
    gzip -n -9 -c "$TMP/$name.$algo.tsv" >"$out"
    rawn=$(wc -l <"$raw")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$GOVERSION" "$pkg" "$oracle" "$secs" "$rawn" "$n" >>"$TIMINGS"
    echo "$pkg -algo=$algo: ${secs}s, $rawn raw edges, $n oracle edges -> $(basename "$out")"
  done
done <"$HERE/programs.tsv"
