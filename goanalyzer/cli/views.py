"""View commands: walkthrough (Markdown or CodeTour) and site (MkDocs project)."""

from __future__ import annotations

from pathlib import Path

import click

from goanalyzer.cli.options import (checked_output_dir, checked_output_file, echo_entry, entry_option, into_option,
                                    load_options, pages_option, show_option)
from goanalyzer.cli.terminal import echo, say
from goanalyzer.outputs import staged


def _analyse(program_loader, entry, into, depth, show=(), max_pages=None):
    import goanalyzer
    from goanalyzer.analysis.pipeline import analyse

    program = program_loader(into=tuple(into))
    analysis = analyse(program, entry=entry, depth=depth, into=tuple(into), show=show, max_pages=max_pages,
                       reload=lambda into: goanalyzer.with_bodies(program, into))
    echo_entry(analysis.entry_choice)
    return analysis


def _report_problems(problems) -> None:
    for problem in problems:
        say(f"warning: {problem}")


@click.command()
@load_options
@entry_option
@click.option("-o", "--output", "out_dir", required=True, callback=checked_output_dir,
              help="Directory to write into (created; built aside and moved in at the end).")
@click.option("--annotations", "annotations_file", type=click.Path(dir_okay=False), default=None,
              help="YAML file mapping a function name, a step `caller -> callee` or `command NAME` to a note.")
@click.option("--link-base", default=None,
              help="Link template for source lines, e.g. https://github.com/o/r/blob/v1/{path}#L{line} "
                   "(default: the git checkout's github.com/gitlab.com remote at its tag or commit, else relative "
                   "links to the files; dependencies link to their repository at their version).")
@click.option("--title", default=None, help="Title of the walkthrough.")
@click.option("--format", "fmt", type=click.Choice(["markdown", "codetour"]), default="markdown", show_default=True)
@into_option
@click.option("--depth", type=click.IntRange(0), default=None, help="Expand the startup flow at most this deep.")
@show_option
@pages_option
def walkthrough(program_loader, entry, out_dir, annotations_file, link_base, title, fmt, into, depth, show,
                pages) -> None:
    """Write an annotated walkthrough of the program under PATH: where it starts, its commands,
    the startup flow step by step (with source excerpts and links) and diagrams.

    \b
    markdown: DIR/index.md (+ commands.md, startup.md, callgraph.md when long; a long
              startup flow goes on in startup-<callee>.md pages) and the commands, startup,
              startup-<callee> and callgraph .svg (when Graphviz is present), .dot and .mmd.
    codetour: DIR/.tours/<name>.tour for VS Code's CodeTour (paths relative to the module root).
    A tree without commands or main (a library) gets its packages and call graph instead.
    Exit codes: 0 success, 1 failure, 2 usage error (e.g. --entry not found, candidates listed).
    """
    analysis = _analyse(program_loader, entry, into, depth, show, pages)
    for note in analysis.notes:
        say(f"note: {note}")
    out = Path(out_dir)
    if fmt == "codetour":
        from goanalyzer.views.codetour import write_tour
        with staged(out) as stage:
            path, problems = write_tour(analysis, stage, title=title, annotations_file=annotations_file)
        _report_problems(problems)
        echo(f"tour: {out / path.relative_to(stage)}")
        return
    from goanalyzer.views.walkthrough import write_walkthrough
    with staged(out) as stage:
        walk, written = write_walkthrough(analysis, stage, title=title, annotations_file=annotations_file,
                                          link_base=link_base)
    written = [out / p.relative_to(stage) for p in written]
    _report_problems(walk.problems)
    echo(f"walkthrough: {out / 'index.md'}")
    for name in walk.pages:
        if name != "index.md":
            echo(f"  page: {out / name}")
    for path in written:
        if path.suffix in (".svg", ".dot", ".mmd"):
            echo(f"  diagram: {path}")
    if not any(p.suffix == ".svg" for p in written):
        echo("  (no Graphviz engine found: diagrams written as .dot and .mmd only)")


@click.command()
@load_options
@click.option("-o", "--output", "out_dir", required=True, callback=checked_output_dir,
              help="Directory of the MkDocs project (created; built aside and moved in at the end).")
@entry_option
@click.option("--annotations", "annotations_file", type=click.Path(dir_okay=False), default=None,
              help="YAML notes, as for `walkthrough`.")
@click.option("--link-base", default=None, help="Link template for the module's source lines (default: the git checkout's github.com/gitlab.com "
                   "remote at its tag or commit, else no links; dependencies link to their repository at their "
                   "version either way).")
@click.option("--title", default=None, help="Site name.")
@into_option
@click.option("--depth", type=click.IntRange(0), default=None, help="Expand the startup flow at most this deep.")
@show_option
@pages_option
def site(program_loader, out_dir, entry, annotations_file, link_base, title, into, depth, show, pages) -> None:
    """Write a MkDocs project for the program under PATH: overview, packages with their symbols,
    commands, the startup walkthrough and the call graph, with the diagrams embedded.

    Build it with `mkdocs build -f DIR/mkdocs.yml` (or `mkdocs serve`).
    """
    from goanalyzer.views.site import write_site
    analysis = _analyse(program_loader, entry, into, depth, show, pages)
    for note in analysis.notes:
        say(f"note: {note}")
    out = Path(out_dir)
    with staged(out) as stage:
        config, problems = write_site(analysis, stage, title=title, annotations_file=annotations_file,
                                      link_base=link_base)
    config = out / config.relative_to(stage)
    _report_problems(problems)
    echo(f"site: {config}")
    echo(f"  build it with: mkdocs build -f {config}")


@click.command()
@load_options
@entry_option
@click.option("-o", "--output", "out_file", required=True, callback=checked_output_file,
              help="The HTML file to write (its directory is created).")
@click.option("--link-base", default=None,
              help="Link template for the module's source lines, e.g. https://github.com/o/r/blob/v1/{path}#L{line} "
                   "(default: the git checkout's github.com/gitlab.com remote at its tag or commit, else no links; "
                   "dependencies link to their repository at their version either way).")
@click.option("--title", default=None, help="Title of the page.")
@into_option
@click.option("--depth", type=click.IntRange(0), default=None, help="Expand the startup flow at most this deep.")
def explore(program_loader, entry, out_file, link_base, title, into, depth) -> None:
    """Write one self-contained HTML page to explore the program under PATH in a browser, offline:
    the main path and the command tree, the call graph around any function (callers and callees
    N levels, grouped by package or type, standard library hidden, packages collapsed), a search
    over functions, types and commands, the source of what is clicked, and the startup flow with
    its side paths folded.

    The page fetches nothing (scripts, styles and data are inside it): open it from disk.
    Exit codes: 0 success, 1 failure, 2 usage error.
    """
    from goanalyzer.views.explore import write_explorer
    analysis = _analyse(program_loader, entry, into, depth, ("all",))  # the page folds side paths itself
    for note in analysis.notes:
        say(f"note: {note}")
    path = write_explorer(analysis, out_file, link_base=link_base, title=title)
    echo(f"explorer: {path} ({path.stat().st_size / 1e6:.1f} MB)")
