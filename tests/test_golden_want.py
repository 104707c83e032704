"""The `// WANT:` blocks of the golden cases against `--algo full`, edge for edge.

A WANT block lists every distinct (caller, callee, rule) edge that Go's `callgraph -algo=vta`
prints for a caller in the case's own module, static and dynamic, without the synthetic
`P.init -> Q.init` edges (tests/golden/README.md). Where our analysis differs on purpose or by a
known limit, the case is an xfail whose reason says why, and the test first checks that the
difference is exactly the one recorded here: a new missing or extra edge is a plain failure, and
a difference that goes away makes the strict xfail fail, so its record gets deleted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import ROOT

import goanalyzer
from goanalyzer.analysis.callgraph import build_callgraph
from goanalyzer.workspace.workspace import default_goroot

GOLDEN = ROOT / "tests" / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "go.mod").is_file())
RULES = ("static", "interface", "funcfield", "funcvalue")
WANT_MARK = "\n// WANT:\n"
WANT_LINE = re.compile(r"// (?P<caller>\S+) -> (?P<callee>\S+)  \[(?P<rule>[a-z]+)\]")

pytestmark = pytest.mark.skipif(default_goroot() is None,
                                reason="WANT edges name standard-library methods: needs a GOROOT")


class Edge(NamedTuple):
    caller: str
    callee: str
    rule: str

    def __str__(self) -> str:
        return f"{self.caller} -> {self.callee}  [{self.rule}]"


def parse_want(path: Path) -> set[Edge]:
    """The edges of the WANT block that ends `path`; a malformed line is an error naming it."""
    source = path.read_text()
    start = source.find(WANT_MARK)
    if start < 0 or source.find(WANT_MARK, start + 1) >= 0:
        raise ValueError(f"{path}: expected exactly one '// WANT:' block")
    first_line = source.count("\n", 0, start) + 3
    edges = set()
    for number, line in enumerate(source[start + len(WANT_MARK):].splitlines(), first_line):
        match = WANT_LINE.fullmatch(line)
        if match is None or match["rule"] not in RULES:
            raise ValueError(f"{path.name}:{number}: not a WANT edge: {line!r}")
        edges.add(Edge(match["caller"], match["callee"], match["rule"]))
    return edges


def in_module(name: str, module: str) -> bool:
    bare = name.lstrip("(*")
    return bare.startswith((module + ".", module + "/"))


def is_initialiser_link(caller: str, callee: str) -> bool:
    """`P.init -> Q.init`: a package initialiser calling an imported one's (left out of WANT)."""
    return caller.endswith(".init") and callee.endswith(".init") and caller != callee


def full_edges(case: str) -> set[Edge]:
    """The `--algo full` edges of the case whose caller is in its module, one per distinct rule."""
    module = f"example.com/{case}"
    program = goanalyzer.load(GOLDEN / case, use_cache=False)
    return {Edge(caller, callee, site.rule) for caller, callee, site in build_callgraph(program, "full").rows()
            if in_module(caller, module) and not is_initialiser_link(caller, callee)}


@dataclass(frozen=True, slots=True)
class Difference:
    """Edges WANT lists that we miss, and edges we add, for one reason. Each entry is a WANT-style
    line, or `~ ` and a regular expression matching such lines (when the set varies with GOROOT)."""

    reason: str
    missing: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()


class KnownDifference(Exception):
    """Raised when a case differs from WANT exactly as recorded: the xfail it is marked with."""


P = "example.com/"
KNOWN: dict[str, tuple[Difference, ...]] = {
    "closures": (Difference(
        "a func stored as a slice element (`table[0]()`) is not followed: the funcvalue rule tracks "
        "variables, parameters and fields, not container elements; VTA follows slice elements",
        missing=(f"{P}closures.main -> {P}closures.init$2  [funcvalue]",)),),
    "funcvalue": (Difference(
        "funcs passed in a slice literal and ranged over (`for _, f := range fs { f() }`) are not "
        "followed: the funcvalue rule tracks variables, parameters and fields, not container elements",
        missing=(f"{P}funcvalue.each -> {P}funcvalue.bye  [funcvalue]",
                 f"{P}funcvalue.each -> {P}funcvalue.hello  [funcvalue]")),),
    "conversion": (Difference(
        "the value a method's receiver holds is not tracked, and a conversion `Handler(handle)` is not "
        "seen through to `handle`: `h(n)` inside `(Handler).Serve` gets no callee",
        missing=(f"({P}conversion.Handler).Serve -> {P}conversion.handle  [funcvalue]",)),),
    "constructor_results": (Difference(
        "standard-library bodies are read as skeletons: the *errors.errorString that errors.New builds "
        "is never seen (its declared result is the interface `error`); VTA follows it through the body",
        missing=(f"{P}constructor_results.main -> (*errors.errorString).Error  [interface]",)),),
    "interface_calls": (Difference(
        "an interface call reaches every implementing type constructed anywhere or returned by a loaded "
        "function, standard library included (time.Now makes time.Time a fmt.Stringer candidate); "
        "VTA keeps only the types whose values flow to the call (`named`)",
        extra=(rf"~ {re.escape(P)}interface_calls\.main -> "
               rf"\(\*?(?!{re.escape(P)})[\w./-]+\.\w+\)\.String  \[interface\]",)),),
    "generics": (
        Difference(
            "x/tools 0.5.0 deletes generic instances as synthetic and re-attaches their callees to the "
            "caller at the instantiation site; we resolve F[T](x) to the generic F and walk its body once "
            "(issue 3's choice), so the dynamic call in Map stays in Map",
            missing=(f"{P}generics.main -> {P}generics.note  [static]",
                     f"{P}generics.main -> {P}generics.double  [funcvalue]",
                     f"{P}generics.main -> (*{P}generics.Stack[string]).Push[string]$1  [static]",
                     f"{P}generics.main -> (*{P}generics.Stack[int]).Push[int]$1  [static]"),
            extra=(f"{P}generics.main -> {P}generics.Sum  [static]",
                   f"{P}generics.main -> {P}generics.Map  [static]",
                   f"{P}generics.main -> {P}generics.NewStack  [static]",
                   f"{P}generics.main -> (*{P}generics.Stack).Push  [static]",
                   f"{P}generics.main -> (*{P}generics.Stack).Len  [static]",
                   f"{P}generics.Map -> {P}generics.double  [funcvalue]")),
        Difference(
            "x/tools builds no body for a generic method, so (*Stack[T]).Push is never a caller; we walk "
            "it under its generic name (*Stack).Push",
            extra=(f"(*{P}generics.Stack).Push -> {P}generics.note  [static]",
                   f"(*{P}generics.Stack).Push -> (*{P}generics.Stack).Push$1  [static]")),
    ),
}


def _matches(line: str, pattern: str) -> bool:
    return re.fullmatch(pattern[2:], line) is not None if pattern.startswith("~ ") else line == pattern


def unexplained(lines: set[str], recorded: list[str]) -> tuple[set[str], list[str]]:
    """Lines no recorded entry explains, and recorded entries that match no line."""
    stray = {line for line in lines if not any(_matches(line, entry) for entry in recorded)}
    gone = [entry for entry in recorded if not any(_matches(line, entry) for line in lines)]
    return stray, gone


def _param(case: str):
    known = KNOWN.get(case)
    if not known:
        return case
    reason = "; ".join(d.reason for d in known)
    return pytest.param(case, marks=pytest.mark.xfail(strict=True, raises=KnownDifference, reason=reason))


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_full_callgraph_has_exactly_the_wanted_edges(case):
    want = {str(e) for e in parse_want(GOLDEN / case / "main.go")}
    got = {str(e) for e in full_edges(case)}
    known = KNOWN.get(case, ())
    missing, missing_gone = unexplained(want - got, [line for d in known for line in d.missing])
    extra, extra_gone = unexplained(got - want, [line for d in known for line in d.extra])
    assert (sorted(missing), sorted(extra)) == ([], []), "edges differ from WANT beyond the recorded differences"
    assert (missing_gone, extra_gone) == ([], []), "recorded differences that no longer occur: delete them"
    if known:
        raise KnownDifference("; ".join(d.reason for d in known))


def test_every_recorded_difference_names_a_case_and_a_reason():
    assert set(KNOWN) <= set(CASES)
    assert all(d.reason and (d.missing or d.extra) for known in KNOWN.values() for d in known)


def test_recorded_missing_edges_are_in_want():
    for case, known in KNOWN.items():
        want = {str(e) for e in parse_want(GOLDEN / case / "main.go")}
        assert {line for d in known for line in d.missing} <= want, case


def _oracle_rows(case: str, algo: str) -> list[list[str]]:
    text = (GOLDEN / case / f"oracle.{algo}.tsv").read_text()
    return [line.split("\t") for line in text.splitlines() if line]


@pytest.mark.parametrize("case", CASES)
def test_want_block_is_what_the_oracle_files_say(case):
    """WANT = the oracle's edges with a caller in the module: static ones as `static`, the rest (VTA
    dynamic, or static-flagged only by VTA, generics) with the rule of their call-site comment."""
    static = {(c, e, s) for c, e, s, _ in _oracle_rows(case, "static")}
    derived = {(c, e, True) for c, e, s in static}
    derived |= {(c, e, False) for c, e, s, kind in _oracle_rows(case, "vta")
                if kind == "dynamic" or (c, e, s) not in static}
    derived = {(c, e, is_static) for c, e, is_static in derived if not is_initialiser_link(c, e)}
    want = {(e.caller, e.callee, e.rule == "static") for e in parse_want(GOLDEN / case / "main.go")}
    assert want == derived


def test_a_malformed_want_line_is_reported_with_its_line(tmp_path):
    path = tmp_path / "main.go"
    path.write_text("package main\n\nfunc main() {}\n\n// WANT:\n"
                    "// a.main -> b.f  [static]\n// a.main -> b.g [static]\n")
    with pytest.raises(ValueError) as error:
        parse_want(path)
    assert str(error.value) == "main.go:7: not a WANT edge: '// a.main -> b.g [static]'"


def test_a_file_without_a_want_block_is_an_error(tmp_path):
    path = tmp_path / "main.go"
    path.write_text("package main\n")
    with pytest.raises(ValueError) as error:
        parse_want(path)
    assert str(error.value) == f"{path}: expected exactly one '// WANT:' block"
