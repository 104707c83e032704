"""Find and run a Graphviz engine.

Preference: an explicit `GOANALYZER_DOT` path, then `dot` on PATH (Debian's graphviz, the
reference), then the `graphviz-pure` binary installed next to the running Python (a dependency on
Linux x86-64, so a fresh machine renders without a manual step), then `graphviz-pure` on PATH.
See docs/rendering.md for the comparison behind this order.
"""

from __future__ import annotations

__all__ = ["RenderError"]

import os
import shutil
import subprocess
import sys
from pathlib import Path

from goanalyzer.errors import GoanalyzerError

FORMATS = ("svg", "png")
"""What every supported engine writes (graphviz-pure has no pdf)."""

NO_ENGINE = "no Graphviz engine found: install graphviz (dot) or the graphviz-pure package"


class RenderError(GoanalyzerError):
    """A diagram could not be rendered: no engine, a timeout, or the engine failed."""


def find_engine() -> str | None:
    """The path of the Graphviz executable to use, or None."""
    override = os.environ.get("GOANALYZER_DOT")
    if override:
        found = shutil.which(override)
        if found:
            return found
    found = shutil.which("dot")
    if found:
        return found
    beside = Path(sys.executable).parent / "graphviz-pure"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("graphviz-pure")


def render(dot_source: str, fmt: str = "svg", timeout: float = 60, *, engine: str | None = None) -> bytes:
    """Run the engine on `dot_source` and return the rendered bytes (`fmt`: svg or png)."""
    if fmt not in FORMATS:
        raise RenderError(f"cannot render {fmt!r}: supported formats are {', '.join(FORMATS)}")
    exe = engine or find_engine()
    if not exe:
        raise RenderError(NO_ENGINE)
    try:
        proc = subprocess.run([exe, f"-T{fmt}"], input=dot_source.encode("utf-8"), capture_output=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise RenderError(f"{Path(exe).name} did not finish rendering within {timeout:g} s "
                          "(a large dense graph: lower the node limit or choose a focus)") from None
    except OSError as exc:
        raise RenderError(f"cannot run {exe}: {exc}") from None
    if proc.returncode != 0 or not proc.stdout:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RenderError(f"{Path(exe).name} failed (exit {proc.returncode})" + (f": {err[0]}" if err else ""))
    return proc.stdout
