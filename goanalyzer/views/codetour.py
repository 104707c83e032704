"""CodeTour tours (VS Code's CodeTour extension) from the walkthrough's analyses.

The tour file follows CodeTour's documented schema (https://aka.ms/codetour-schema): top-level
`$schema`, `title`, `description`, `steps`; each step `title`, `description` (Markdown) and, when
it points at code, `file` (relative to the folder the tour is opened in: the module root) and
`line` (1-based). A step in a dependency (outside the module root) is a content-only step that
cites the file by its module-cache path. Write the tour under the repository: `-o REPO` gives
`REPO/.tours/<name>.tour`.
"""

from __future__ import annotations

__all__ = ["build_tour", "write_tour"]

import json
import re
from pathlib import Path
from typing import Any

from goanalyzer.naming import short_name
from goanalyzer.analysis.startup_model import step_label
from goanalyzer.views.annotations import Problem, load_annotations
from goanalyzer.views.links import Linker

from goanalyzer.views.startup_pages import why
from goanalyzer.analysis.pipeline import Analysis
from goanalyzer.views.walkthrough import function_names

SCHEMA = "https://aka.ms/codetour-schema"

TOUR_VERBS = {"go": "starts a goroutine running", "defer": "defers", "exit": "exits through",
              "wait": "waits on", "return": "reaches", "build": "builds"}
"""How a tour step says what happens, by step kind (a plain call "calls")."""


def _relative(linker: Linker, path: str) -> str | None:
    absolute = linker.absolute(path)
    if absolute is None or "@" in linker.display(path):
        return None  # a dependency's file (module cache): outside the repository the tour opens in
    root = Path(linker.program.workspace.root).resolve()
    try:
        return Path(absolute).resolve().relative_to(root).as_posix()
    except ValueError:
        return None


def _step(linker: Linker, title: str, description: str, path: str | None, line: int | None) -> dict[str, Any]:
    step: dict[str, Any] = {"title": title}
    rel = _relative(linker, path) if path else None
    if rel is not None and line:
        step["file"] = rel
        step["line"] = int(line)
    elif path:
        description += f"\n\n(In a dependency: `{linker.display(path)}:{line}`.)"
    step["description"] = description
    return step


def build_tour(analysis: Analysis, *, title: str | None = None, annotations=None,
               max_steps: int = 200) -> dict[str, Any]:
    program = analysis.program
    linker = Linker(program, None, relative=False)
    module = program.workspace.modules[0].path if program.workspace.modules else Path(program.workspace.root).name
    title = title or f"{module}: startup"
    notes = annotations
    steps: list[dict[str, Any]] = []

    def noted(text: str, *notes_) -> str:
        extra = [n for n in notes_ if n]
        return text + "".join(f"\n\n**Note:** {n}" for n in extra)

    if analysis.entry:
        info = program.funcs.get(analysis.entry)
        if info is not None:
            steps.append(_step(linker, f"Start: {short_name(analysis.entry)}",
                               noted(f"The program starts in `{analysis.entry}`.",
                                     notes.for_function(analysis.entry) if notes else None),
                               info.file.path, info.decl.line))
    if analysis.commands is not None:
        by_id = analysis.commands.by_id()
        for c in analysis.commands.commands:
            parent = f" It is a sub-command of `{by_id[c.parent].name}`." if c.parent in by_id else ""
            run = f" It runs `{short_name(c.run)}`." if c.run else ""
            desc = c.description.strip().splitlines()[0] if c.description.strip() else ""
            steps.append(_step(linker, f"Command {c.name}",
                               noted(f"The `{c.name}` command ({c.framework}): {desc}{parent}{run}",
                                     notes.for_command(c.name) if notes else None),
                               c.path, c.line))
    if analysis.flow is not None:
        def walk(flow_steps, prefix):
            number = 0
            for s in flow_steps:
                if s.external and not s.steps and s.kind.value == "call":
                    continue
                number += 1
                label = f"{prefix}{number}"
                verb = TOUR_VERBS.get(s.kind.value, "calls")
                steps.append(_step(linker, f"{label} {step_label(s)}",
                                   noted(f"`{short_name(s.caller)}` {verb} `{s.callee}`. {why(s)}",
                                         notes.for_step(s.caller, s.callee) if notes else None,
                                         notes.for_function(s.callee) if notes else None),
                                   s.path, s.line))
                walk(s.steps, f"{label}.")
        walk(analysis.flow.steps, "")
    if not steps:
        for package in program.root_packages():
            for facts in package.files:
                for decl in facts.types[:3]:
                    steps.append(_step(linker, f"{package.name}.{decl.name}",
                                       decl.doc.strip() or f"Type `{decl.name}` of `{package.path}`.",
                                       facts.path, decl.line))
    return {
        "$schema": SCHEMA,
        "title": title,
        "description": f"Generated by goanalyzer from the source of {module}: where it starts, its commands "
                       f"and its startup flow.",
        "steps": steps[:max_steps],
    }


def tour_name(title: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", title).strip("-").lower() or "tour"


def write_tour(analysis: Analysis, out_dir: str | Path, *, title: str | None = None,
               annotations_file: str | Path | None = None) -> tuple[Path, list[Problem]]:
    command_names = [c.name for c in analysis.commands.commands] if analysis.commands else []
    notes = load_annotations(annotations_file, function_names(analysis), command_names)
    tour = build_tour(analysis, title=title, annotations=notes)
    path = Path(out_dir) / ".tours" / f"{tour_name(tour['title'])}.tour"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(tour, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path, notes.problems
