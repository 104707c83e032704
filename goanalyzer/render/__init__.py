"""Views of the analyses as pictures and data files.

One job per module: `formats` (tsv/json/graphml), `dot` (Graphviz source), `mermaid` (Mermaid
flowcharts), `engine` (find and run a Graphviz engine), `svg` (render + write diagram files).
Every function here is pure over the analysis objects and deterministic; only `engine` and `svg`
run a process or touch the filesystem. See docs/rendering.md.
"""

from __future__ import annotations

from goanalyzer.render.dot import render_callgraph_dot, render_commands_dot, render_startup_dot
from goanalyzer.render.engine import RenderError, find_engine, render
from goanalyzer.render.formats import callgraph_graphml, callgraph_json, callgraph_tsv, callgraph_tsv_chunks
from goanalyzer.render.mermaid import render_callgraph_mermaid, render_commands_mermaid, render_startup_mermaid
from goanalyzer.render.svg import callgraph_svg, write_diagram

__all__ = [
    "RenderError", "callgraph_graphml", "callgraph_json", "callgraph_svg", "callgraph_tsv", "callgraph_tsv_chunks",
    "find_engine",
    "render", "render_callgraph_dot", "render_callgraph_mermaid", "render_commands_dot",
    "render_commands_mermaid", "render_startup_dot", "render_startup_mermaid", "write_diagram",
]
