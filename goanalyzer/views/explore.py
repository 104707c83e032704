"""The explorer: one self-contained HTML file to browse an analysis offline.

The page carries the analysis as JSON (functions, calls, types, commands, the startup flow and its
happy path, source excerpts) in a `<script type="application/json">` block, and a small script of
our own (assets/explore.js) that draws the overview, the call graph around a focused function
(callers/callees N levels, grouped by package or type, the standard library hidden or not,
packages collapsed or expanded: all client-side), a search, the source of what is clicked and the
startup flow with its side paths folded. Nothing is fetched: the page's Content-Security-Policy
forbids any request, scripts and styles are inline, and every text from the analysed code goes
into the DOM as text (`textContent`), never as markup.

Excerpts are what makes the file big: only the program's own functions (and those of --into
packages) and types get one, nearest the entry first, each at most `EXCERPT_LINES` lines, all
together at most `EXCERPT_BUDGET` characters (the rest are named in the page's notes).
"""

from __future__ import annotations

__all__ = ["explorer_data", "render_explorer", "write_explorer"]

import dataclasses
import html
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

from goanalyzer.outputs import write_file
from goanalyzer.analysis.happy_path import side_path
from goanalyzer.analysis.pipeline import Analysis
from goanalyzer.analysis.startup_model import DESCRIBED, Step, is_init_phase, step_label
from goanalyzer.naming import ShortNames, package_of
from goanalyzer.views.about import module_title
from goanalyzer.views.excerpts import source_lines
from goanalyzer.views.links import Linker

EXCERPT_LINES = 60
"""Lines of a function's source kept at most (its start: signature, doc, first statements)."""
EXCERPT_BUDGET = 4_500_000
"""Characters of excerpts at most in one page: the whole standard library as one tree (29,573
functions) then makes a 13 MB page."""
LINE_SENTINEL = 987654321
"""A line number no file has: a file's URL is asked for with it, which then becomes `{line}`."""
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _split_position(position: str) -> tuple[str, int]:
    path, _, rest = (position or "").rpartition(":")
    path, _, line = path.rpartition(":")
    return (path, int(line)) if path and line.isdigit() else ("", 0)


class _Tables:
    """Interned strings (packages, files) so that each is written once, and how names print."""

    def __init__(self, linker: Linker, names: ShortNames):
        self.linker = linker
        self.names = names
        self.packages: list[str] = []
        self.files: list[dict[str, Any]] = []
        self._package_ids: dict[str, int] = {}
        self._file_ids: dict[str, int] = {}

    def package(self, name: str) -> int:
        if name not in self._package_ids:
            self._package_ids[name] = len(self.packages)
            self.packages.append(name)
        return self._package_ids[name]

    def file(self, display: str) -> int:
        if display not in self._file_ids:
            url = self.linker.url(display, LINE_SENTINEL)
            entry: dict[str, Any] = {"p": display}
            if url:
                entry["u"] = url.replace(str(LINE_SENTINEL), "{line}")
            self._file_ids[display] = len(self.files)
            self.files.append(entry)
        return self._file_ids[display]


def _receiver_type(name: str) -> str:
    """`(*pkg.T).M` -> `pkg.T`; '' for a plain function."""
    if name.startswith("("):
        return name[1:name.index(")")].lstrip("*")
    return ""


def _functions(analysis: Analysis, tables: _Tables) -> tuple[list[dict[str, Any]], dict[str, int]]:
    cg = analysis.cg
    own = {p.path for p in analysis.program.root_packages()}
    names = sorted(cg.node_names())
    index = {name: i for i, name in enumerate(names)}
    out = []
    for name in names:
        data = cg.graph.nodes[name]
        # the short name (`cli.Execute`) is derived in the page from `n` and the package
        record: dict[str, Any] = {"n": name, "p": tables.package(data.get("package") or package_of(name)),
                                  "k": data.get("kind", "func")}
        path, line = _split_position(data.get("position", ""))
        if path:
            record["f"], record["l"] = tables.file(path), line
        if data.get("doc"):
            record["d"] = data["doc"].strip()
        if data.get("std") and package_of(name) not in own:  # GOROOT/src analysed: its packages are the program
            record["x"] = 1
        receiver = _receiver_type(name)
        if receiver:
            record["t"] = receiver
        out.append(record)
    return out, index


def _edges(analysis: Analysis, index: dict[str, int]) -> list[list[int]]:
    out = []
    for caller, callee, data in analysis.cg.graph.edges(data=True):
        rule = data.get("rule", "static")
        dynamic = 0 if getattr(rule, "value", rule) == "static" else 1
        out.append([index[caller], index[callee], dynamic])
    out.sort()
    return out


def _types(analysis: Analysis, tables: _Tables) -> list[dict[str, Any]]:
    program = analysis.program
    wanted = {p.path for p in program.root_packages()}
    if analysis.flow is not None:
        wanted |= {p for p in program.packages if any(p == i or p.startswith(i + "/") for i in analysis.flow.into)}
    out = []
    for (package, name), info in sorted(program.types.items()):
        if package not in wanted:
            continue
        record: dict[str, Any] = {"n": f"{package}.{name}", "s": tables.names.short(f"{package}.{name}"),
                                  "p": tables.package(package), "k": info.decl.kind.value,
                                  "f": tables.file(program.display_path(info.file.path)), "l": info.decl.line}
        if info.decl.doc:
            record["d"] = info.decl.doc.strip()
        if info.decl.fields:
            record["fields"] = [[f.name or f.type_text, f.type_text] for f in info.decl.fields[:80]]
        out.append(record)
    return out


def _commands(analysis: Analysis, tables: _Tables, index: dict[str, int]) -> list[dict[str, Any]]:
    if analysis.commands is None:
        return []
    commands = analysis.commands.commands
    position = {c.id: i for i, c in enumerate(commands)}
    out = []
    for c in commands:
        record: dict[str, Any] = {"name": c.name, "desc": c.description.strip(), "f": tables.file(c.path),
                                  "l": c.line, "in": c.built_in, "kids": [position[k] for k in c.children
                                                                          if k in position]}
        if c.parent in position:
            record["parent"] = position[c.parent]
        if c.run:
            record["run"] = index.get(c.run, -1)
            record["runName"] = c.run
        out.append(record)
    return out


def _step(step: Step, tables: _Tables, index: dict[str, int]) -> dict[str, Any]:
    record: dict[str, Any] = {"k": step.kind.value, "c": tables.names.relabel(step_label(step), step.callee)}
    if is_init_phase(step):
        record["init"] = 1  # folded until asked for, like every view's "package initialisation"
    if step.kind not in DESCRIBED and step.callee in index:
        record["i"] = index[step.callee]
    if step.path:
        record["f"], record["l"] = tables.file(step.path), step.line
    if step.context:
        record["ctx"] = step.context
    if step.error_path:
        record["err"] = 1
    side = side_path(step)
    if side is not None:
        record["side"] = side.value
    rule = getattr(step.rule, "value", step.rule)
    if rule != "static":
        record["r"] = rule
    for flag, key in ((step.recursive, "rec"), (step.external, "ext"), (step.seen_before, "seen")):
        if flag:
            record[key] = 1
    if step.steps:
        record["s"] = [_step(s, tables, index) for s in step.steps]
    return record


def _flow(analysis: Analysis, tables: _Tables, index: dict[str, int]) -> dict[str, Any] | None:
    flow = analysis.flow
    if flow is None:
        return None
    record: dict[str, Any] = {"entry": flow.entry, "i": index.get(flow.entry, -1),
                              "steps": [_step(s, tables, index) for s in flow.steps]}
    if flow.path:
        record["f"], record["l"] = tables.file(flow.path), flow.line
    happy = analysis.happy
    if happy is not None:
        record["happy"] = [{"d": h.depth, **_step(_leaf(h.step), tables, index), **({"note": h.note} if h.note
                                                                                     else {})}
                           for h in happy.steps]
    return record


def _leaf(step: Step) -> Step:
    """The step without its children (the happy path lists them on their own)."""
    return dataclasses.replace(step, steps=[])


def _reading_order(analysis: Analysis, index: dict[str, int]) -> list[str]:
    """The functions that get an excerpt, nearest the entry first (so the budget cuts the farthest):
    the program's own (and --into) functions reached from the entry and the commands' run
    functions, then the rest of its own packages."""
    program, cg = analysis.program, analysis.cg
    own = {p.path for p in program.root_packages()}
    into = tuple(analysis.flow.into) if analysis.flow is not None else ()

    def readable(name: str) -> bool:
        package = package_of(name)
        return name in index and (package in own or any(package == i or package.startswith(i + "/") for i in into))

    order: list[str] = []
    seen: set[str] = set()
    frontier = [n for n in [analysis.entry, *(c.run for c in (analysis.commands.commands if analysis.commands else ())
                                              if c.run)] if n and readable(n)]
    while frontier:
        following = []
        for name in frontier:
            if name in seen:
                continue
            seen.add(name)
            order.append(name)
            following += [c for c in cg.callees(name) if c not in seen and readable(c)]
        frontier = following
    order += sorted(n for n in index if n not in seen and readable(n))
    return order


def _type_excerpt_end(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A type declaration's lines: up to its closing brace at the left margin (or the first line)."""
    if not lines or not lines[0][1].rstrip().endswith(("{", "(")):
        return lines[:1]
    for i, (_n, text) in enumerate(lines):
        if text.startswith(("}", ")")):
            return lines[:i + 1]
    return lines


def _excerpts(analysis: Analysis, linker: Linker, functions: list[dict[str, Any]], index: dict[str, int],
              types: list[dict[str, Any]], files: list[dict[str, Any]]) -> int:
    """Attach `src` ([first line, lines...]) to the functions a reader reaches and to the types;
    returns how many were left without one for lack of budget."""
    program = analysis.program
    budget, skipped = EXCERPT_BUDGET, 0
    for name in _reading_order(analysis, index):
        record = functions[index[name]]
        if "f" not in record:
            continue
        absolute = linker.absolute(files[record["f"]]["p"])
        info = program.funcs.get(name.split("$", 1)[0])
        if absolute is None or info is None:
            continue
        last = min(info.decl.end_line, record["l"] + EXCERPT_LINES - 1)
        rows = source_lines(absolute, record["l"], last)
        size = sum(len(text) + 8 for _n, text in rows)
        if size > budget:
            skipped += 1
            continue
        budget -= size
        record["src"] = [record["l"], *(text for _n, text in rows)]
        if info.decl.end_line > last:
            record["more"] = info.decl.end_line - last
    for record in types:
        absolute = linker.absolute(files[record["f"]]["p"])
        if absolute is None:
            continue
        rows = _type_excerpt_end(source_lines(absolute, record["l"], record["l"] + EXCERPT_LINES - 1))
        size = sum(len(text) + 8 for _n, text in rows)
        if rows and size <= budget:
            budget -= size
            record["src"] = [record["l"], *(text for _n, text in rows)]
    return skipped


def explorer_data(analysis: Analysis, linker: Linker, *, title: str) -> dict[str, Any]:
    """Everything the page shows, as plain JSON-ready data (indexes into `funcs`, `pkgs`, `files`)."""
    tables = _Tables(linker, analysis.names)
    functions, index = _functions(analysis, tables)
    edges = _edges(analysis, index)
    types = _types(analysis, tables)
    commands = _commands(analysis, tables, index)
    flow = _flow(analysis, tables, index)
    skipped = _excerpts(analysis, linker, functions, index, types, tables.files)
    program = analysis.program
    module = program.module_path
    roots = [p.path for p in program.root_packages()]
    notes = list(analysis.notes)
    if skipped:
        notes.append(f"{skipped} functions have no excerpt: the page keeps at most {EXCERPT_BUDGET:,} characters "
                     "of source")
    return {
        "title": title, "module": module, "entry": analysis.entry, "roots": roots,
        "linksFrom": linker.source if linker.has_links else "", "notes": notes,
        "pkgs": tables.packages, "files": tables.files, "funcs": functions, "edges": edges,
        "types": types, "commands": commands, "flow": flow,
    }


def _asset(name: str) -> str:
    return resources.files("goanalyzer.views").joinpath("assets", name).read_text(encoding="utf-8")


def script_json(data: Any) -> str:
    """JSON safe inside a `<script>` element: no `<`, `>`, `&` or line separators in it as such."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m[0]], text)


def render_explorer(analysis: Analysis, linker: Linker, *, title: str | None = None) -> str:
    """The whole page as one string."""
    title = title or f"{module_title(analysis.program)}: explorer"
    data = script_json(explorer_data(analysis, linker, title=title))
    parts = {"TITLE": html.escape(title), "CSS": _asset("explore.css"), "DATA": data,
             "JS": _asset("panzoom.js") + "\n" + _asset("explore.js")}
    return re.sub(r"/\*(TITLE|CSS|JS|DATA)\*/", lambda m: parts[m[1]], _asset("explore.html"))


def write_explorer(analysis: Analysis, out_file: str | Path, *, link_base: str | None = None,
                   title: str | None = None) -> Path:
    """Write the explorer page; source links as `Linker` finds them (no relative links: the page
    may be moved)."""
    linker = Linker(analysis.program, link_base, relative=False)
    return write_file(Path(out_file), render_explorer(analysis, linker, title=title))
