"""Markdown building blocks the pages share: names, anchors, cells, quotes, diagrams, and the
context (analysis, links, notes, pictures) every section is written from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from goanalyzer.analysis.startup_model import Step, step_label
from goanalyzer.naming import ShortNames
from goanalyzer.render.outline import escape_text
from goanalyzer.views.annotations import Annotations
from goanalyzer.views.links import Linker
from goanalyzer.program import Program

if TYPE_CHECKING:
    from goanalyzer.analysis.pipeline import Analysis


def func_range(program: Program, name: str) -> tuple[int | None, int | None]:
    """First and last line of the function declaring `name` (a closure's enclosing function)."""
    info = program.funcs.get(name.split("$", 1)[0])
    if info is None:
        return None, None
    return info.decl.line, info.decl.end_line


def anchor(text: str) -> str:
    """The anchor MkDocs and GitHub derive from a heading (lowercase, punctuation dropped)."""
    out = []
    for ch in text.lower():
        if ch.isalnum() or ch in "-_":
            out.append(ch)
        elif ch == " ":
            out.append("-")
    return "".join(out)


def first_line(doc: str) -> str:
    """The first line of a doc comment or description, escaped (`escape_text`), or ""."""
    doc = doc.strip()
    return escape_text(doc.splitlines()[0]) if doc else ""


def quote(text: str) -> str:
    return "\n".join("> " + line if line.strip() else ">" for line in text.strip().splitlines())


@dataclass
class Ctx:
    analysis: Analysis
    linker: Linker
    notes: Annotations
    images: dict[str, str]
    """Diagram name -> file name of the picture to embed (svg), when one was rendered."""
    sources: dict[str, list[str]]
    """Diagram name -> its source files (dot, mmd), for a link."""
    page_links: dict[str, str] = field(default_factory=dict)
    """Startup page id -> how other pages link to it: a file name, or `#anchor` on one page."""

    @property
    def program(self) -> Program:
        return self.analysis.program

    @property
    def names(self) -> ShortNames:
        """How package names print (`tcli.FileLoader` beside paerser's `cli.Command`)."""
        return self.analysis.names

    def label(self, step: Step) -> str:
        """The step's label (`step_label`), its package named through `names`."""
        return self.names.relabel(step_label(step), step.callee)


def diagram(ctx: Ctx, name: str, caption: str) -> list[str]:
    """The picture (when rendered) and a line linking its sources."""
    lines = []
    if name in ctx.images:
        lines.append(f"![{caption}]({ctx.images[name]})")
        lines.append("")
    files = ctx.sources.get(name, [])
    if files:
        lines.append(f"*{caption}* — source: " + ", ".join(f"[{f}]({f})" for f in files))
        lines.append("")
    return lines
