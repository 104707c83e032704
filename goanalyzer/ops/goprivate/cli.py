"""CLI: `goanalyzer ops goproxy explain|modules`, `ops dockerfile lint`, `ops netrc check`.

Exit codes (see goanalyzer.ops.common): 0 nothing found, 1 warnings, 2 usage error or
unreadable/malformed input (file:line given), 3 critical findings.
"""

from __future__ import annotations

import os
from importlib import metadata
from pathlib import Path

import click

from goanalyzer.ops.common import OpsInputError, dumps, emit, exit_code_for, fail_input, format_option
from goanalyzer.ops.goprivate import render
from goanalyzer.ops.goprivate.dockerfile import load_dockerfile
from goanalyzer.ops.goprivate.goenv import GoEnv, RawValue, from_environment, load_go_env, resolve
from goanalyzer.ops.goprivate.gomod import load_gomod
from goanalyzer.ops.goprivate.leaks import analyse
from goanalyzer.ops.goprivate.netrc import check_netrc
from goanalyzer.ops.goprivate.proxy import GoproxyError, Route, env_findings, route
from goanalyzer.ops.goprivate.sarif import to_sarif

EXIT_CODES = """
\b
Exit codes:
  0  nothing worth alerting on
  1  warnings
  2  usage error, or input that cannot be read or parsed (file:line given)
  3  critical findings
"""


def _env_options(func):
    options = [
        click.option("--go-env", "go_env", type=click.Path(dir_okay=False, path_type=Path),
                     help="File holding `go env` (or `go env -json`) output to use instead of the environment."),
        click.option("--goprivate", default=None, help="GOPRIVATE: comma-separated module path globs."),
        click.option("--gonoproxy", default=None, help="GONOPROXY (empty: defaults to GOPRIVATE)."),
        click.option("--gonosumdb", default=None, help="GONOSUMDB (empty: defaults to GOPRIVATE)."),
        click.option("--goproxy", default=None, help="GOPROXY list, e.g. https://goproxy.cn,direct."),
        click.option("--gosumdb", default=None, help="GOSUMDB, e.g. sum.golang.org or off."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _load_env(go_env: Path | None, overrides: dict[str, str | None]) -> tuple[GoEnv, Path | None]:
    raw = load_go_env(go_env) if go_env is not None else from_environment(os.environ)
    for name, value in overrides.items():
        if value is not None:
            raw[name] = RawValue(value, "command line")
    return resolve(raw), go_env


def _goproxy_error(env: GoEnv, go_env: Path | None, error: GoproxyError) -> OpsInputError:
    setting = env.settings["GOPROXY"]
    if go_env is not None and setting.source.startswith(f"{go_env}:"):
        return OpsInputError(f"GOPROXY: {error}", path=str(go_env), line=setting.line)
    return OpsInputError(f"GOPROXY={env.goproxy!r} ({setting.source}): {error}")


def _env_json(env: GoEnv) -> dict:
    return {name: {"value": s.effective, "raw": s.raw, "source": s.source, "defaulted": s.defaulted}
            for name, s in env.settings.items()}


def _finish(env: GoEnv, routes: list[Route], fmt: str, source: dict | None = None) -> None:
    findings = env_findings(env) + [f for r in routes for f in r.findings]
    data = {"env": _env_json(env), **(source or {}), "modules": routes, "findings": findings}
    if fmt == "json":
        click.echo(dumps(data))
    else:
        click.echo(render.render_routes({"env_model": env, "routes": routes, "findings": findings}))
    raise SystemExit(exit_code_for([f.severity for f in findings]))


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
@click.argument("gomod", type=click.Path(path_type=Path))
@_env_options
@format_option
def modules_cmd(gomod: Path, go_env: Path | None, goprivate, gonoproxy, gonosumdb, goproxy, gosumdb,
                fmt: str) -> None:
    """The same as `explain` for every requirement of a go.mod file (replace directives applied:
    a module replaced by another is fetched as that one, one replaced by a directory is not fetched).
    """
    try:
        mod = load_gomod(gomod)
        env, path = _load_env(go_env, {"GOPRIVATE": goprivate, "GONOPROXY": gonoproxy, "GONOSUMDB": gonosumdb,
                                       "GOPROXY": goproxy, "GOSUMDB": gosumdb})
        routes = []
        try:
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
        except GoproxyError as error:
            raise _goproxy_error(env, path, error) from None
    except OpsInputError as error:
        fail_input(error)
    _finish(env, routes, fmt, {"gomod": str(gomod), "module": mod.module})


@click.group()
def dockerfile() -> None:
    """Credentials that leak through Dockerfile ARG/ENV, and GOPRIVATE for the hosts they unlock."""


@dockerfile.command("lint", epilog=EXIT_CODES + "  (3: a credential is hard-coded or the final image carries it)\n")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--target", default=None, help="The stage that is built (docker build --target); default: the last.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text", show_default=True,
              help="Output: text, JSON, or SARIF 2.1.0 for code-scanning UIs.")
def lint(path: Path, target: str | None, fmt: str) -> None:
    """Parse a Dockerfile (escape directive, continuations, heredocs, JSON/shell forms, multi-stage
    FROM ... AS, ARG scopes) and find credentials passed through ARG or ENV: by name, and by use
    (written to a .netrc, embedded as user:pass@ in a URL, git config insteadOf). Each is traced
    from its declaration to the instructions that use it, with where it is exposed (image
    history of the stage, image config, a layer, build provenance) and whether the final stage
    carries it. Proposes the BuildKit rewrite (RUN --mount=type=secret,id=netrc,...) with the
    matching `docker build --secret` command, and checks GOPRIVATE/GOPROXY for the private hosts.
    Passwords are never printed.
    """
    try:
        parsed = load_dockerfile(path)
        try:
            report = analyse(parsed, target)
        except KeyError:
            raise OpsInputError(f"no stage named {target!r} (stages: {', '.join(s.label for s in parsed.stages)})",
                                path=str(path)) from None
    except OpsInputError as error:
        fail_input(error)
    if fmt == "sarif":
        try:
            version = metadata.version("goanalyzer")
        except metadata.PackageNotFoundError:
            version = "0.0.0"
        click.echo(dumps(to_sarif(report, version)))
    else:
        emit(report, fmt, render.render_lint)
    raise SystemExit(exit_code_for([f.severity for f in report.findings]))


@click.group()
def netrc() -> None:
    """.netrc files as the go command reads them."""


def _default_netrc() -> Path:
    if os.environ.get("NETRC"):
        return Path(os.environ["NETRC"])
    return Path.home() / ".netrc"


@netrc.command("check", epilog=EXIT_CODES)
@click.argument("path", required=False, type=click.Path(path_type=Path))
@format_option
def check(path: Path | None, fmt: str) -> None:
    """List the entries the go command uses from a .netrc (default: $NETRC, else ~/.netrc), with
    passwords masked; warn on permissions wider than 0600, entries Go silently drops (keyword and
    value on different lines, missing login or password), duplicate machines (the first wins),
    lines after `default`, and unexpanded ${VARIABLES}.
    """
    try:
        report = check_netrc(path or _default_netrc())
    except OpsInputError as error:
        fail_input(error)
    emit(report, fmt, render.render_netrc)
    raise SystemExit(exit_code_for([f.severity for f in report.findings]))


__all__ = ["goproxy", "dockerfile", "netrc"]
