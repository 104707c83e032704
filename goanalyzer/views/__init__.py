"""Views people read: the Markdown walkthrough, CodeTour tours, a MkDocs site and notebook reprs.

`walkthrough` builds pages from the analyses (program, call graph, commands, startup flow);
`excerpts`, `links` and `annotations` are its helpers; `codetour` and `site` reuse it;
`notebook` holds the `_repr_*_` helpers the model classes delegate to.
"""

from __future__ import annotations

from goanalyzer.views.annotations import Annotations, load_annotations
from goanalyzer.views.links import Linker
from goanalyzer.views.walkthrough import Walkthrough, build_walkthrough, write_walkthrough

__all__ = ["Annotations", "Linker", "Walkthrough", "build_walkthrough", "load_annotations", "write_walkthrough"]
