"""CLI: `goanalyzer ops goproxy explain|modules`.

Exit codes (see goanalyzer.ops.common): 0 nothing found, 1 warnings, 2 usage error or
unreadable/malformed input (file:line given).
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from goanalyzer.ops.common import OpsInputError, dumps, exit_code_for, fail_input, format_option
from goanalyzer.ops.goproxy.goenv import GoEnv, RawValue, from_environment, load_go_env, resolve
from goanalyzer.ops.goproxy.gomod import GoMod, load_gomod
from goanalyzer.ops.goproxy.proxy import GoproxyError, Route, env_findings, route
from goanalyzer.ops.goproxy.render import render_routes
from goanalyzer.ops.inputs import printable

EXIT_CODES = """
\b
Exit codes:
  0  nothing worth alerting on
  1  warnings (a private path sent to a proxy or the checksum database, a malformed pattern)
  2  usage error, or input that cannot be read or parsed (file:line given)
"""


def _env_options(func):
    options = [
        click.option("--go-env", "go_env", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
                     help="File holding `go env` (or `go env -json`) output to use instead of the environment "
                          "('-': standard input)."),
        click.option("--goprivate", default=None, help="GOPRIVATE: comma-separated module path globs."),
        click.option("--gonoproxy", default=None, help="GONOPROXY (empty: defaults to GOPRIVATE)."),
        click.option("--gonosumdb", default=None, help="GONOSUMDB (empty: defaults to GOPRIVATE)."),
        click.option("--goproxy", default=None, help="GOPROXY list, e.g. https://goproxy.cn,direct."),
        click.option("--gosumdb", default=None, help="GOSUMDB, e.g. sum.golang.org or off."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _load_env(go_env: Path | None, overrides: dict[str, str | None]) -> tuple[GoEnv, str | None]:
    raw = load_go_env(str(go_env)) if go_env is not None else from_environment(os.environ)
    for name, value in overrides.items():
        if value is not None:
            raw[name] = RawValue(value, "command line")
    return resolve(raw), (None if go_env is None else "<stdin>" if str(go_env) == "-" else str(go_env))


def _goproxy_error(env: GoEnv, go_env: str | None, error: GoproxyError) -> OpsInputError:
    setting = env.settings["GOPROXY"]
    if go_env is not None and setting.source.startswith(f"{go_env}:"):
        return OpsInputError(f"GOPROXY: {error}", path=go_env, line=setting.line)
    return OpsInputError(f"GOPROXY={env.goproxy!r} ({setting.source}): {error}")


def _env_json(env: GoEnv) -> dict:
    return {name: {"value": s.effective, "raw": s.raw, "source": s.source, "defaulted": s.defaulted}
            for name, s in env.settings.items()}


def _finish(env: GoEnv, routes: list[Route], fmt: str, source: dict | None = None) -> None:
    findings = env_findings(env) + [f for r in routes for f in r.findings]
    data = {"env": _env_json(env), **(source or {}), "modules": routes, "findings": findings}
    if fmt == "json":
        click.echo(printable(dumps(data)))
    else:
        click.echo(printable(render_routes(env, routes, findings)))
    raise SystemExit(exit_code_for([f.severity for f in findings]))


def _requirement_routes(mod: GoMod, env: GoEnv) -> list[Route]:
    """The route of every requirement, replace directives applied."""
    routes = []
    for req in sorted(mod.requires, key=lambda r: (r.path, r.version)):
        replacement = mod.replacement_for(req)
        if replacement is None:
            r = route(req.path, env, req.version)
        elif replacement.local:
            r = route(req.path, env, req.version)
            r.attempts, r.checksum_db, r.checksum_reason = [], None, "local directory"
            r.replaced_by = replacement.new_path
            r.findings = []
        else:
            r = route(replacement.new_path, env, replacement.new_version)
            r.module, r.version = req.path, req.version
            r.replaced_by = f"{replacement.new_path} {replacement.new_version}"
        r.indirect, r.line = req.indirect, req.line
        routes.append(r)
    return routes


@click.group()
def goproxy() -> None:
    """Where the go command fetches each module from (GOPRIVATE, GONOPROXY, GONOSUMDB, GOPROXY)."""


@goproxy.command("explain", epilog=EXIT_CODES)
@click.argument("modules", nargs=-1, required=True)
@_env_options
@format_option
def explain(modules: tuple[str, ...], go_env: Path | None, goprivate, gonoproxy, gonosumdb, goproxy, gosumdb,
            fmt: str) -> None:
    """For each MODULE path: whether it is private, the exact sequence of sources the go command
    tries (proxies in GOPROXY order, 'direct', 'off'), when it moves to the next one (',' only after
    404/410, '|' after any error), and whether the checksum database is consulted.

    Settings come from the environment (and the `go env -w` file), or from --go-env FILE;
    the options override them. Warnings: private paths sent to a proxy or the checksum
    database, malformed patterns, GOPROXY=off.
    """
    try:
        env, path = _load_env(go_env, {"GOPRIVATE": goprivate, "GONOPROXY": gonoproxy, "GONOSUMDB": gonosumdb,
                                       "GOPROXY": goproxy, "GOSUMDB": gosumdb})
        try:
            routes = [route(m, env) for m in sorted(set(modules))]
        except GoproxyError as error:
            raise _goproxy_error(env, path, error) from None
    except OpsInputError as error:
        fail_input(error)
    _finish(env, routes, fmt)


@goproxy.command("modules", epilog=EXIT_CODES)
@click.argument("gomod", type=click.Path(allow_dash=True, path_type=Path))
@_env_options
@format_option
def modules_cmd(gomod: Path, go_env: Path | None, goprivate, gonoproxy, gonosumdb, goproxy, gosumdb,
                fmt: str) -> None:
    """The same as `explain` for every requirement of the go.mod file GOMOD ('-': standard input),
    replace directives applied: a module replaced by another is fetched as that one, one replaced
    by a directory is not fetched.
    """
    try:
        mod = load_gomod(str(gomod))
        env, path = _load_env(go_env, {"GOPRIVATE": goprivate, "GONOPROXY": gonoproxy, "GONOSUMDB": gonosumdb,
                                       "GOPROXY": goproxy, "GOSUMDB": gosumdb})
        try:
            routes = _requirement_routes(mod, env)
        except GoproxyError as error:
            raise _goproxy_error(env, path, error) from None
    except OpsInputError as error:
        fail_input(error)
    _finish(env, routes, fmt, {"gomod": "<stdin>" if str(gomod) == "-" else str(gomod), "module": mod.module})


__all__ = ["goproxy"]
