"""The loading options every analysis command takes, and the progress bar on stderr."""

from __future__ import annotations

import functools
import sys
from typing import Callable

import click

import goanalyzer
from goanalyzer.cli.terminal import say
from goanalyzer.loader import LoadOptions, LoadResult, load_packages
from goanalyzer.model import Severity
from goanalyzer.workspace.constraints import parse_tags


def load_options(command: Callable) -> Callable:
    """Decorate a click command with PATH and the shared loading options; passes `program_loader`."""
    options = [
        click.argument("path", type=click.Path(file_okay=True, dir_okay=True, path_type=str)),
        click.option("--goos", default="linux", show_default=True, help="Target OS for build constraints."),
        click.option("--goarch", default="amd64", show_default=True, help="Target architecture for build constraints."),
        click.option("--tags", default=None,
                     help="Build tags, comma (or space) separated, as go's -tags (default: the -tags=... "
                          "of $GOFLAGS; given, it replaces them)."),
        click.option("--cgo/--no-cgo", default=None,
                     help="Include cgo files (importing \"C\") and `cgo` constraints. Default as `go list`: "
                          "$CGO_ENABLED=1/0, else on for a native build of a cgo platform when a C compiler "
                          "($CC, gcc; clang on darwin/BSD) is on $PATH."),
        click.option("--tests", is_flag=True, help="Include _test.go files."),
        click.option("--goroot", default=None,
                     help="Go root for the standard library (default: $GOROOT, else `go env GOROOT`; "
                          "'none' to analyse without it)."),
        click.option("--gomodcache", multiple=True,
                     help="Module cache directory (default: $GOMODCACHE, $GOPATH/pkg/mod, ~/go/pkg/mod). Repeatable."),
        click.option("--cache-dir", default=None, help="Facts cache directory (default: $XDG_CACHE_HOME/goanalyzer)."),
        click.option("--no-cache", is_flag=True, help="Neither read nor write the facts cache."),
        click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None, help="Parser processes (default: cores)."),
        click.option("--quiet", "-q", is_flag=True, help="No progress bar or diagnostics summary on stderr."),
    ]

    @functools.wraps(command)
    def wrapper(*args, path, goos, goarch, tags, cgo, tests, goroot, gomodcache, cache_dir, no_cache, jobs, quiet,
                **kwargs):
        base = LoadOptions(goos=goos, goarch=goarch, tags=None if tags is None else parse_tags(tags), cgo=cgo,
                           tests=tests,
                           goroot=goroot, gomodcache=tuple(gomodcache), cache_dir=cache_dir,
                           use_cache=not no_cache, jobs=jobs)

        def program_loader(**overrides) -> goanalyzer.Program | LoadResult:
            """The Program; with heads_only=True (for `index`) the loader's result of file heads."""
            options = LoadOptions(**{**{f: getattr(base, f) for f in LoadOptions.__dataclass_fields__}, **overrides})
            progress = None if quiet else ProgressBar()
            if options.heads_only:
                loaded = load_packages(path, options, progress)
            else:
                loaded = goanalyzer.load(path, options, progress=progress)
            if not quiet:
                report_diagnostics(loaded)
            return loaded

        return command(*args, program_loader=program_loader, **kwargs)

    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


class ProgressBar:
    """Loading progress on stderr, only when stderr is a terminal and the work is long. The total is
    what has been found so far: each package's imports are discovered as it is parsed."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < 40:
            return
        width = 30
        filled = int(width * done / total) if total else width
        sys.stderr.write(f"\rloading [{'#' * filled}{'.' * (width - filled)}] {done}/{total} packages")
        self.shown = True
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def report_diagnostics(loaded: goanalyzer.Program | LoadResult, limit: int = 10) -> None:
    """Warnings on stderr, one line each; debug-level ones only with --debug."""
    shown = [d for d in loaded.diagnostics if d.severity is not Severity.DEBUG]
    for diagnostic in shown[:limit]:
        say(f"warning: {diagnostic}")
    if len(shown) > limit:
        say(f"warning: ... and {len(shown) - limit} more diagnostics")


into_option = click.option("--into", multiple=True,
                           help="Also read the bodies of these dependency packages (path prefix), e.g. "
                                "github.com/traefik/paerser, to follow calls into them.")

ENTRY_RULE = ("`main`: the default entry, the same for every command: the main package at PATH; else the only "
              "one; else cmd/<name> matching the module's or repository's name; else the main a "
              ".goreleaser.yml builds; else the main reaching most of the module. Stderr says which.")

entry_option = click.option("--entry", default="main", show_default=True,
                            help="Function the startup flow starts from (name or unambiguous suffix). " + ENTRY_RULE)


def echo_entry(choice) -> None:
    """`entry: <x/tools name> (<why>)` on stderr when the default entry was chosen."""
    if choice is not None:
        say(choice.message())

SIDE_PATHS = ("errors", "logging", "help", "validation", "generated", "serving", "all")


def _side_paths(ctx, param, value: str | None) -> tuple[str, ...]:
    names = tuple(n.strip() for n in (value or "").split(",") if n.strip())
    unknown = [n for n in names if n not in SIDE_PATHS]
    if unknown:
        raise click.BadParameter(f"unknown side path {', '.join(unknown)!s}; choose from {', '.join(SIDE_PATHS)}")
    return names


show_option = click.option(
    "--show", default=None, callback=_side_paths, metavar="KINDS",
    help="Side paths to unfold in the startup pages, comma separated: errors, logging, help, validation, "
         "generated (DeepCopy*, zz_generated*), serving (ServeHTTP and what runs after startup), or all. "
         "By default they are folded: each body says what it left out.")


def _pages(ctx, param, value: str) -> int | None:
    if value == "all":
        return None
    if value.isdigit() and int(value) > 0:
        return int(value)
    raise click.BadParameter(f"{value!r} is neither a positive number nor 'all'")


pages_option = click.option(
    "--pages", default="26", show_default=True, callback=_pages, metavar="N|all",
    help="At most this many startup pages (smaller parts go on their parent's page); `all` gives every "
         "sizeable part a page of its own.")


def checked_output_file(ctx, param, value: str | None) -> str | None:
    """-o FILE checked before anything is loaded: a directory, a path under a file, a read-only
    directory or a symbolic link end the run at once (exit 2) instead of after the analysis."""
    from goanalyzer.outputs import check_output_file

    return value if value in (None, "-") else str(check_output_file(value))


def checked_output_dir(ctx, param, value: str) -> str:
    """-o DIR checked before anything is loaded, as `checked_output_file`."""
    from goanalyzer.outputs import check_output_dir

    return str(check_output_dir(value))
