"""A MkDocs project: mkdocs.yml + docs/ (overview, packages, commands, startup pages, call graph,
and the explorer).

Pages come from the walkthrough's sections; diagrams are placed in the pages as SVG, so their
links and tooltips work, with pan and zoom (site_assets.py). Source citations link where `Linker`
finds a true link (`--link-base`, the git checkout's remote, a dependency's repository at its
version); otherwise they are plain text, since the built site cannot reach the source files. A
long startup flow is several pages, under one "Startup" entry of the navigation. The built site
needs no network: no CDN script, code highlighted by Pygments at build time, the explorer one
self-contained page (explore.py).
"""

from __future__ import annotations

__all__ = ["write_site"]

from pathlib import Path

import yaml

from goanalyzer.outputs import write_file
from goanalyzer.views.about import module_title
from goanalyzer.views.annotations import Problem, load_annotations
from goanalyzer.views.explore import render_explorer
from goanalyzer.views.links import Linker
from goanalyzer.views.markdown import Ctx
from goanalyzer.views.site_assets import inline_diagrams, write_assets
from goanalyzer.views.startup_pages import page_tree, startup_pages
from goanalyzer.analysis.pipeline import Analysis
from goanalyzer.views.walkthrough import (callgraph_section, commands_section, function_names, overview_section,
                                          packages_section, problems_section, write_diagrams)

PAGES = [("index.md", "Overview"), ("packages.md", "Packages"), ("commands.md", "Commands"),
         ("startup.md", "Startup"), ("callgraph.md", "Call graph")]
EXPLORER = "explore.html"


def write_site(analysis: Analysis, out_dir: str | Path, *, title: str | None = None,
               annotations_file: str | Path | None = None, link_base: str | None = None
               ) -> tuple[Path, list[Problem]]:
    """Write DIR/mkdocs.yml and DIR/docs/*.md + diagrams; returns (mkdocs.yml path, annotation problems)."""
    out = Path(out_dir)
    docs = out / "docs"
    program = analysis.program
    title = title or module_title(program)
    command_names = [c.name for c in analysis.commands.commands] if analysis.commands else []
    notes = load_annotations(annotations_file, function_names(analysis), command_names)
    linker = Linker(program, link_base, page_dir=docs, relative=False)
    summary = analysis.summary
    html = {p.id: f"{p.id}.html" for p in summary.pages()} if summary is not None else {}
    images, sources, _ = write_diagrams(analysis, docs, link_base, linker=linker, page_links=html)
    ctx = Ctx(analysis, linker, notes, images, sources)
    startup = startup_pages(ctx, summary) if summary is not None else []
    contents = []
    for name, label in PAGES[1:]:
        if name == "startup.md" and summary is not None:
            contents += page_tree(ctx, summary, root_label=label)
        else:
            contents.append(f"- [{label}]({name})")
    pages = {
        "index.md": overview_section(ctx, title, contents) + problems_section(notes.problems, 2),
        "packages.md": packages_section(ctx, 1),
        "commands.md": commands_section(ctx, 1),
    }
    pages.update({page.name: page.lines for page in startup})
    if not startup:
        pages["startup.md"] = ["# Startup", "", "No startup flow: " + ("; ".join(analysis.notes) or
                                                                       "no entry point was found") + ".", ""]
    pages["callgraph.md"] = callgraph_section(ctx, 1)
    pages["index.md"] += ["## Explore", "", f"[The explorer]({EXPLORER}) is one page to browse the program offline: "
                          "search, the call graph around any function, the source of what you click.", ""]
    for name, lines in pages.items():
        write_file(docs / name, "\n".join(inline_diagrams(lines, docs)).rstrip() + "\n", out)
    write_file(docs / EXPLORER, render_explorer(analysis, linker, title=f"{title}: explorer"), out)
    nav: list[dict] = []
    for name, label in PAGES:
        if name == "startup.md" and len(startup) > 1:
            nav.append({label: [{"Overview" if page.name == name else page.title: page.name} for page in startup]})
        else:
            nav.append({label: name})
    nav.append({"Explorer": EXPLORER})
    config = {
        "site_name": title,
        "docs_dir": "docs",
        "site_dir": "site",
        "use_directory_urls": False,
        "nav": nav,
        **write_assets(docs),
        "validation": {"links": {"not_found": "warn", "anchors": "warn", "unrecognized_links": "warn"}},
    }
    return write_file(out / "mkdocs.yml", yaml.safe_dump(config, sort_keys=False), out), notes.problems
