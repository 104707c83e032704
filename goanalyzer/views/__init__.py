"""Views people read: the Markdown walkthrough, CodeTour tours, a MkDocs site, the offline
explorer and notebook reprs. Views render the `Analysis` they are given (goanalyzer.analysis.pipeline);
they never run analyses.

`walkthrough` builds pages from the analyses (program, call graph, commands, startup flow, happy
path) with `startup_pages` and `about`; `excerpts`, `links` (with `gitrefs`) and `annotations` are
its helpers; `codetour` and `site` (with `site_assets`) reuse it; `explore` writes the one-file HTML
explorer; `notebook` holds the `_repr_*_` helpers the model classes delegate to.
"""

from __future__ import annotations

from goanalyzer.views.annotations import Annotations, load_annotations
from goanalyzer.views.links import Linker
from goanalyzer.views.walkthrough import Walkthrough, build_walkthrough, write_walkthrough

__all__ = ["Annotations", "Linker", "Walkthrough", "build_walkthrough", "load_annotations", "write_walkthrough"]
