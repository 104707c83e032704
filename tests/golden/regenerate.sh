#!/bin/sh
# Regenerate the golden oracle files of every case (or of the cases named as arguments)
# with Go's own callgraph (golang.org/x/tools/cmd/callgraph, Debian golang-golang-x-tools).
#
#   tests/golden/regenerate.sh            # all cases
#   tests/golden/regenerate.sh closures   # one case
#
# Writes <case>/oracle.static.tsv and <case>/oracle.vta.tsv and rewrites the WANT block at the
# end of <case>/main.go. Offline: GOPROXY=off, standard-library imports only.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
if [ $# -eq 0 ]; then
    set -- $(for d in */go.mod; do dirname "$d"; done)
fi
fmt='{{.Caller}}	{{.Callee}}	{{.Filename}}:{{.Line}}:{{.Column}}	{{.Dynamic}}'
for case in "$@"; do
    (
        cd "$here/$case"
        mod=$(sed -n 's/^module[[:space:]]*//p' go.mod)
        for algo in static vta; do
            GOFLAGS=-mod=mod GOPROXY=off GOWORK=off GOTOOLCHAIN=local \
                callgraph -algo=$algo -format="$fmt" . >"/tmp/golden.$$.$algo"
            # keep edges whose caller is in this module; make call-site paths relative
            awk -F'\t' -v OFS='\t' -v mod="$mod" -v dir="$PWD/" '
                { c = $1; sub(/^\(\*?/, "", c)
                  if (index(c, mod ".") == 1 || index(c, mod "/") == 1) {
                      if (index($3, dir) == 1) $3 = substr($3, length(dir) + 1)
                      print } }' "/tmp/golden.$$.$algo" | LC_ALL=C sort -u >"oracle.$algo.tsv"
            rm -f "/tmp/golden.$$.$algo"
        done
        rm -f go.sum
        python3 - "$mod" <<'PY'
import re, sys
mod = sys.argv[1]
def rows(path):
    with open(path) as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]
def synthetic_init(callee, site):
    # edge from a package initializer to an imported package's initializer: no call site
    return site.startswith(":") and callee.endswith(".init")
def rule_at(site):
    # a dynamic call site carries a `// rule: NAME` comment on its line
    fname, line, _ = site.rsplit(":", 2)
    src = open(fname).read().splitlines()[int(line) - 1]
    m = re.search(r"rule: *(interface|funcfield|funcvalue)", src)
    return m.group(1) if m else "UNKNOWN"
want = []
for caller, callee, site, kind in rows("oracle.static.tsv"):
    if not synthetic_init(callee, site):
        want.append((site, caller, callee, "static"))
static = {tuple(r[:3]) for r in rows("oracle.static.tsv")}
for caller, callee, site, kind in rows("oracle.vta.tsv"):
    # dynamic edges, and "static" ones the static algorithm lacks (a dynamic call inside a
    # synthetic function that callgraph deleted, re-attached to the caller's static site)
    if kind == "dynamic" or (caller, callee, site) not in static:
        want.append((site, caller, callee, rule_at(site)))
def key(w):
    f, l, c = w[0].rsplit(":", 2)
    return (f, int(l or 0), int(c or 0), w[1], w[2])
seen, lines = set(), []
for site, caller, callee, rule in sorted(want, key=key):
    text = f"// {caller} -> {callee}  [{rule}]"
    if text not in seen:
        seen.add(text)
        lines.append(text)
src = open("main.go").read()
i = src.find("\n// WANT:\n")
if i >= 0:
    src = src[:i + 1]
src = src.rstrip("\n") + "\n\n// WANT:\n" + "\n".join(lines) + "\n"
open("main.go", "w").write(src)
PY
        echo "$case: $(wc -l <oracle.static.tsv) static, $(wc -l <oracle.vta.tsv) vta"
    )
done
