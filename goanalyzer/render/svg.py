"""SVG for notebooks, and diagram files on disk (.dot always, .mmd when given, rendered formats
when an engine is present)."""

from __future__ import annotations

__all__ = ["callgraph_svg", "write_diagram"]

import logging
from pathlib import Path

from goanalyzer.outputs import write_file
from goanalyzer.render.dot import DEFAULT_LIMIT, render_callgraph_dot
from goanalyzer.render.engine import NO_ENGINE, RenderError, find_engine, render

log = logging.getLogger("goanalyzer")


def callgraph_svg(cg, *, limit: int = DEFAULT_LIMIT, focus: str | None = None, cluster_by: str | None = "package",
                  link_base: str | None = None, timeout: float = 60) -> str:
    """The call graph as an SVG document (collapsed to packages above `limit` nodes).
    Raises RenderError when no engine is present."""
    source = render_callgraph_dot(cg, limit=limit, focus=focus, cluster_by=cluster_by, link_base=link_base)
    return render(source, "svg", timeout).decode("utf-8")


def write_diagram(dot_source: str, out_base_path: str | Path, formats=("svg",), *, mermaid: str | None = None,
                  timeout: float = 60) -> list[Path]:
    """Write `<base>.dot` (and `<base>.mmd` when `mermaid` is given), then `<base>.<fmt>` for each
    format. Without an engine, or when rendering fails, log one warning line and return the
    source files only."""
    base = Path(out_base_path)
    if base.suffix in (".dot", ".svg", ".png", ".mmd", ".gv"):
        base = base.with_suffix("")
    written = [write_file(base.with_name(base.name + ".dot"), dot_source)]
    if mermaid is not None:
        written.append(write_file(base.with_name(base.name + ".mmd"), mermaid))
    if not formats:
        return written
    engine = find_engine()
    if engine is None:
        log.warning("%s; wrote %s only", NO_ENGINE, ", ".join(str(p) for p in written))
        return written
    for fmt in formats:
        try:
            data = render(dot_source, fmt, timeout, engine=engine)
        except RenderError as exc:
            log.warning("%s not rendered: %s", base.with_name(base.name + "." + fmt), exc)
            continue
        written.append(write_file(base.with_name(base.name + "." + fmt), data))
    return written
