"""Entry point of the `goanalyzer` command. The only place that maps errors to exit codes.

Exit codes: 0 success, 1 failure (nothing could be analysed), 2 usage error
(bad path, unknown or ambiguous name, an -o that cannot be written), 130 interrupted (Ctrl-C).
`ops` commands document their own codes. Messages go out through cli/terminal.py.
"""

from __future__ import annotations

import gc
import logging
import os
import sys

import click

from goanalyzer.cli.lazy import LazyGroup
from goanalyzer.cli.terminal import PrintableFormatter, say
from goanalyzer.errors import GoanalyzerError

COMMANDS = {
    "index": "goanalyzer.cli.analyse:index",
    "symbols": "goanalyzer.cli.analyse:symbols",
    "callgraph": "goanalyzer.cli.analyse:callgraph",
    "commands": "goanalyzer.cli.analyse:commands",
    "struct": "goanalyzer.cli.analyse:struct",
    "startup": "goanalyzer.cli.analyse:startup",
    "walkthrough": "goanalyzer.cli.views:walkthrough",
    "site": "goanalyzer.cli.views:site",
    "explore": "goanalyzer.cli.views:explore",
    "ops": "goanalyzer.cli.ops:ops",
}


@click.group(cls=LazyGroup, lazy_subcommands=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="goanalyzer")
@click.option("--debug", is_flag=True, help="Show debug logging and full tracebacks.")
@click.option("-v", "--verbose", is_flag=True, help="Show informational logging.")
@click.pass_context
def cli(ctx: click.Context, debug: bool, verbose: bool) -> None:
    """goanalyzer reads Go codebases for people: structs, commands, call graphs and
    the startup path, drawn as diagrams and written up as a walkthrough.

    It works from syntax alone (tree-sitter), so the code need not build, and it
    never runs or builds the analysed program.
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    level = logging.DEBUG if debug else logging.INFO if verbose else logging.WARNING
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(PrintableFormatter("%(levelname)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler])


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; turn goanalyzer errors into one line on stderr and an exit code."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        result = cli.main(args=argv, prog_name="goanalyzer", standalone_mode=False)
    except click.exceptions.Abort as error:
        if isinstance(error.__context__, KeyboardInterrupt):  # click turns Ctrl-C into Abort
            click.echo("interrupted", err=True)
            return 130
        click.echo("aborted", err=True)
        return 1
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except GoanalyzerError as error:
        if debug:
            raise
        say(f"error: {error}")
        for candidate in getattr(error, "candidates", [])[:20]:
            say(f"  candidate: {candidate}")
        return error.exit_code
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return 130
    except Exception as error:  # noqa: BLE001 - the promise is: never a traceback without --debug
        if debug:
            raise
        say(f"internal error: {type(error).__name__}: {error} (run with --debug for the traceback)")
        return 1
    return result if isinstance(result, int) else 0


def run() -> None:
    """Console-script entry. A command is one short process holding one program whose objects
    are acyclic, so the cycle collector only costs time here (a third of a cold run), and freeing
    them one by one at exit costs a warm run a fifth of its time: the process ends without it, once
    its output is flushed (files are closed and the cache committed before `main` returns)."""
    gc.disable()
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # a reader that went away (`| head`), or a closed stream
            code = code or 1
    os._exit(code)


if __name__ == "__main__":
    run()
