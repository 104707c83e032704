"""Analysis commands: index, symbols, callgraph, commands, struct, startup."""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Iterable
from pathlib import Path

import click

from goanalyzer.cli.options import (ENTRY_RULE, checked_output_file, echo_entry, entry_option, into_option,
                                    load_options)
from goanalyzer.cli.terminal import echo, say
from goanalyzer.model import SymbolKind
from goanalyzer.outputs import write_file


def write_output(text: str | Iterable[str], output: str | None) -> None:
    """Write to -o FILE (creating directories; never through a link) or stdout. Text in pieces
    (lines each ending in a newline) is written as it comes."""
    if not isinstance(text, str):
        if output and output != "-":
            say(f"wrote {write_file(Path(output), text)}")
        else:
            for piece in text:
                echo(piece, nl=False)
        return
    if output and output != "-":
        path = write_file(Path(output), text if text.endswith("\n") or not text else text + "\n")
        say(f"wrote {path}")
    else:
        echo(text, nl=not text.endswith("\n"))


@click.command()
@load_options
def index(program_loader) -> None:
    """Load PATH, parse every file (cached) and print what it holds.

    PATH is a module root or any directory inside one (go.mod is found upward).
    Exit codes: 0 success, 1 nothing could be analysed, 2 usage error.
    """
    from goanalyzer.counts import count_program

    started = time.perf_counter()
    loaded = program_loader(bodies="none", heads_only=True)
    counts = count_program(loaded.packages, loaded.externals, loaded.diagnostics)
    counts["seconds"] = round(time.perf_counter() - started, 3)
    counts["files_parsed"] = int(loaded.stats.get("files_parsed", 0))
    counts["files_cached"] = int(loaded.stats.get("files_cached", 0))
    for key in ("modules", "packages", "root_packages", "files", "files_parsed", "files_cached", "funcs", "symbols",
                "external_imports", "diagnostics", "seconds"):
        echo(f"{key.replace('_', ' ')}: {counts[key]}")


@click.command()
@load_options
@click.option("--kind", "kinds", multiple=True, type=click.Choice([k.value for k in SymbolKind]),
              help="Only symbols of this kind (repeatable).")
@click.option("--package", "package", default=None, help="Only symbols of packages with this path prefix.")
@click.option("--all-packages", is_flag=True, help="Include dependencies, not only the packages under PATH.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("-o", "--output", default=None, callback=checked_output_file, help="Write to this file instead of stdout.")
def symbols(program_loader, kinds, package, all_packages, fmt, output) -> None:
    """List the symbols declared under PATH: funcs, methods, structs (with fields in order),
    interfaces (with methods), other types, consts and vars.

    With --package, dependencies are included too (e.g. --package github.com/traefik/paerser/cli).
    """
    program = program_loader(bodies="none")
    rows = program.symbols({SymbolKind(k) for k in kinds} or None, package,
                           roots_only=not (all_packages or package))
    if fmt == "json":
        write_output(json.dumps([s.to_json() for s in rows], indent=2), output)
        return
    lines = [f"{'KIND':<9} {'NAME':<70} POSITION"]
    lines += [f"{s.kind.value:<9} {s.name:<70} {s.position}" for s in rows]
    write_output("\n".join(lines), output)


@click.command()
@load_options
@click.option("--from", "sources", multiple=True,
              help="Start from this function (full name or unambiguous suffix), following the command "
                   "framework's calls as `walkthrough` does. " + ENTRY_RULE)
@click.option("--to", "target", default=None, help="Only paths that reach this function.")
@click.option("--reverse", is_flag=True, help="Callers of --from instead of callees.")
@click.option("--depth", type=click.IntRange(0), default=None, help="At most this many calls from --from.")
@click.option("--no-std", is_flag=True, help="Leave out the standard library.")
@click.option("--include", multiple=True, help="Only packages with this path prefix (repeatable).")
@click.option("--exclude", multiple=True, help="Leave out packages with this path prefix (repeatable).")
@click.option("--focus", default=None, help="Package prefix kept expanded when a diagram collapses to packages.")
@click.option("--into", multiple=True, help="Also resolve calls inside these dependency packages (prefix).")
@click.option("--algo", type=click.Choice(["static", "full", "rta"]), default="full", show_default=True,
              help="static: only what x/tools' static algorithm reports; full: also interface, "
                   "func-field and func-value calls; rta: Rapid Type Analysis as x/tools' rta, what main "
                   "and the package initialisers reach, reading dependency and standard library bodies.")
@click.option("--format", "fmt", type=click.Choice(["tsv", "json", "dot", "graphml", "mermaid"]), default="tsv",
              show_default=True)
@click.option("-o", "--output", default=None, callback=checked_output_file, help="Write to this file instead of stdout.")
def callgraph(program_loader, sources, target, reverse, depth, no_std, include, exclude, focus, into, algo, fmt,
              output) -> None:
    """The call graph of the code under PATH, named as golang.org/x/tools names functions.

    \b
    TSV lines are: caller, callee, file:line:col, rule (static, interface, funcfield, funcvalue).
    Exit codes: 0 success, 1 failure, 2 usage error (e.g. an ambiguous --from, candidates listed).
    """
    from goanalyzer.analysis.callgraph import build_callgraph
    from goanalyzer.analysis.queries import filter_graph, find_function, paths_between, reachable
    from goanalyzer.render import formats

    # rta reads what the program reaches, nearly every package it imports: one parallel pass with
    # bodies is faster, cold and warm, than skeletons then the reached packages again (analysis/rta.py)
    program = program_loader(into=tuple(into), **({"bodies": "all"} if algo == "rta" else {}))
    cg = build_callgraph(program, algo)
    if sources:
        program, cg, _, sources = _from_entry(program, cg, into, sources, algo)
    entries = [find_function(cg, s) for s in sources]
    goal = find_function(cg, target) if target else None
    if entries and goal:
        cg = paths_between(cg, entries, goal, depth=depth)
    elif entries:
        cg = reachable(cg, entries, depth, reverse=reverse)
    elif goal:
        cg = reachable(cg, [goal], depth, reverse=True)
    cg = filter_graph(cg, no_std=no_std, include=include, exclude=exclude, keep=[*entries, *([goal] if goal else [])])
    if fmt == "tsv":
        text = formats.callgraph_tsv_chunks(cg)
    elif fmt == "json":
        text = formats.callgraph_json(cg)
    elif fmt == "graphml":
        text = formats.callgraph_graphml(cg)
    elif fmt == "dot":
        from goanalyzer.render import dot
        text = dot.render_callgraph_dot(cg, focus=focus)
    else:
        from goanalyzer.render import mermaid
        text = mermaid.render_callgraph_mermaid(cg)
    write_output(text, output)


def _from_entry(program, cg, into, names, algo="full"):
    """The program as a flow from an entry sees it: the command framework's bodies read too (as
    `walkthrough` follows them), `main` replaced by the default entry (said on stderr), and for one
    main entry the graph kept to the packages its program imports.
    Returns (program, call graph, into with the framework's packages, names)."""
    import goanalyzer
    from goanalyzer.analysis.entry import default_entry, scope_to_entry
    from goanalyzer.analysis.pipeline import follow_framework

    reload = functools.partial(goanalyzer.with_bodies, program)
    program, cg, _, into = follow_framework(program, cg, tuple(into), reload, algo)
    choice = default_entry(program, cg) if "main" in names else None
    echo_entry(choice)
    names = [choice.name if name == "main" and choice is not None else name for name in names]
    if len(names) == 1:  # one program: only the packages it imports
        cg = scope_to_entry(program, cg, names[0])
    return program, cg, into, names


def _analysed(program_loader, into):
    from goanalyzer.analysis.callgraph import build_callgraph

    program = program_loader(into=tuple(into))
    return program, build_callgraph(program)


@click.command()
@load_options
@into_option
@click.option("--entry", default="main", show_default=True,
              help="The main whose program's commands are listed (name or unambiguous suffix, e.g. "
                   "cmd/helper.main), or `all` for the commands of every main under PATH. " + ENTRY_RULE)
@click.option("--format", "fmt", type=click.Choice(["json", "tree", "markdown", "dot"]), default="tree",
              show_default=True)
@click.option("-o", "--output", default=None, callback=checked_output_file, help="Write to this file instead of stdout.")
def commands(program_loader, into, entry, fmt, output) -> None:
    """The CLI commands built in the code under PATH, with parents, descriptions and run targets:
    cobra, urfave/cli v1 and v2, ffcli, paerser and hand-rolled command structs (detected by shape),
    kingpin's app.Command(...) chains and mitchellh/cli's Commands map (see docs/commands.md).

    A name only known at run time shows as "(computed)" (JSON: "name" null, "name_expr" its source).
    When a framework's module is not found (no module cache, no vendor/), its commands are still
    recognised by import path and field names; a warning names the module, and the JSON becomes
    {"partial": true, "missing_modules": [...], "commands": [...]} instead of the plain list. Exit 0.

    Commands built inside a dependency (e.g. cobra's own) need --into for that dependency. With
    several mains under PATH, the commands are those of one program: the default entry's (stderr
    says which) or --entry's; --entry all lists every main's.
    """
    import goanalyzer
    from goanalyzer.analysis.commands import find_commands
    from goanalyzer.analysis.entry import default_entry, main_functions
    from goanalyzer.analysis.pipeline import entry_commands, follow_framework
    from goanalyzer.program import resolve_name
    from goanalyzer.render import outline

    program, cg = _analysed(program_loader, into)
    # the bodies of the framework and of the helpers the commands are handed to, as walkthrough reads them
    reload = functools.partial(goanalyzer.with_bodies, program)
    program, cg, found, into = follow_framework(program, cg, tuple(into), reload)
    if entry != "all":
        choice = default_entry(program, cg) if entry == "main" else None
        if choice is not None:
            echo_entry(choice)
            entry = choice.name
        if entry != "main":  # "main" still: no main under PATH, a library's commands
            cg, found = entry_commands(program, cg, found, resolve_name(entry, main_functions(program), "main function"))
    if found is None:
        found = find_commands(program, cg)
    for module in found.missing_modules:
        say(f"warning: framework module {module} not found: its commands are recognised by import path "
            "and field names, its own code is unseen; provide it with --gomodcache DIR, a module cache "
            "holding it, or `go mod vendor` (vendor/)")
    if fmt == "json":
        text = json.dumps(found.to_document(), indent=2)
    elif fmt == "markdown":
        text = outline.commands_markdown(found)
    elif fmt == "dot":
        from goanalyzer.render import dot
        text = dot.render_commands_dot(found)
    else:
        text = outline.commands_tree(found)
    write_output(text, output)


@click.command(name="struct")
@load_options
@into_option
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@click.option("-o", "--output", default=None, callback=checked_output_file, help="Write to this file instead of stdout.")
def struct(program_loader, into, name, fmt, output) -> None:
    """A struct's fields (name, type, tag, doc), methods, where it is constructed and where its
    fields are read, called or set. NAME is qualified or an unambiguous suffix (`cli.Command`)."""
    from goanalyzer.analysis.commands import struct_view
    from goanalyzer.render import outline

    program, cg = _analysed(program_loader, into)
    view = struct_view(program, cg, name)
    if fmt == "json":
        text = json.dumps(view.to_json(), indent=2)
    elif fmt == "markdown":
        text = outline.struct_markdown(view)
    else:
        text = outline.struct_text(view)
    write_output(text, output)


@click.command()
@load_options
@into_option
@entry_option
@click.option("--depth", type=click.IntRange(0), default=None,
              help="Levels of callees expanded below the entry's own calls: 0 shows the entry's calls only "
                   "(the same calls as `callgraph --from ENTRY --depth 1`).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@click.option("-o", "--output", default=None, callback=checked_output_file, help="Write to this file instead of stdout.")
def startup(program_loader, into, entry, depth, fmt, output) -> None:
    """The startup flow from --entry in statement order: each call with its context (conditions,
    loops, goroutines, defers), exits and waits, descending into the module's own functions, into
    --into dependencies and into the detected command framework (as `walkthrough` does). A missing
    entry lists candidates (exit 2)."""
    from goanalyzer.analysis.startup import startup_flow
    from goanalyzer.render import outline

    program, cg = _analysed(program_loader, into)
    program, cg, into, [entry] = _from_entry(program, cg, into, [entry])
    flow = startup_flow(program, cg, entry, depth, into)
    if fmt == "json":
        text = json.dumps(flow.to_json(), indent=2)
    elif fmt == "markdown":
        text = outline.flow_markdown(flow)
    else:
        text = outline.flow_text(flow)
    write_output(text, output)
