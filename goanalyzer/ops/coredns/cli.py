"""`goanalyzer ops coredns ...`: the Corefile toolkit. The only module that prints or exits."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import click

from goanalyzer.ops.common import EXIT_USAGE, OpsInputError, exit_code_for, fail_input, format_option, to_jsonable
from goanalyzer.ops.coredns.configmap import Source, SourceKind, load_source, render_configmap
from goanalyzer.ops.coredns.expand import Expanded, expand
from goanalyzer.ops.coredns.lint import lint, render_findings
from goanalyzer.ops.coredns.model import Corefile
from goanalyzer.ops.coredns.multicluster import MulticlusterError, Request, plan, render_plan, unified_diff
from goanalyzer.ops.coredns.parser import parse_corefile
from goanalyzer.ops.coredns.printer import format_canonical, model_to_data, outline, print_lossless
from goanalyzer.ops.coredns.route import render_route, route as route_name
from goanalyzer.ops.inputs import encode_output, printable

_KEPT_BYTE = re.compile("[\udc80-\udcff]")


def _load(path: str, *, warn: bool = True) -> tuple[Source, Corefile]:
    """Read and parse FILE (`-` is stdin); with `warn`, say on stderr that non-UTF-8 bytes were kept
    (the views show them as \\xNN; `print` and `fmt` give them back unchanged and do not warn)."""
    try:
        source = load_source(path)
        corefile = parse_corefile(source.corefile, source.path, source.first_line)
    except OpsInputError as error:
        fail_input(error)
        raise  # unreachable: fail_input exits
    if warn and source.warning:
        click.echo(source.warning, err=True)
    return source, corefile


def _echo_text(text: str, nl: bool = True) -> None:
    click.echo(printable(text), nl=nl)


def _echo_bytes(text: str) -> None:
    """The file's own bytes (non-UTF-8 ones included), as `print` and `fmt` promise."""
    click.echo(encode_output(text), nl=False)


def _echo_json(value: Any) -> None:
    """The JSON every ops command prints (indent 2), written in pieces so that a model with millions
    of words never exists twice in memory; kept non-UTF-8 bytes appear as \\xNN."""
    encoder = json.JSONEncoder(indent=2, ensure_ascii=False)
    batch: list[str] = []
    size = 0
    for chunk in encoder.iterencode(to_jsonable(value)):
        batch.append(chunk)
        size += len(chunk)
        if size > 1 << 16:
            click.echo(_json_printable("".join(batch)), nl=False)
            batch, size = [], 0
    click.echo(_json_printable("".join(batch)))


def _json_printable(text: str) -> str:
    return _KEPT_BYTE.sub(lambda m: f"\\\\x{ord(m.group(0)) - 0xDC00:02x}", text)


def _expand(corefile: Corefile) -> Expanded:
    try:
        return expand(corefile)
    except OpsInputError as error:
        fail_input(error)
        raise


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def coredns() -> None:
    """CoreDNS Corefile toolkit: a lossless parser, formatter, linter, query router and the
    multi-cluster change (two clusters that both use cluster.local).

    \b
    Every command reads a raw Corefile or a ConfigMap (data.Corefile) as YAML or as the JSON of
    `kubectl get -o json`; FILE `-` is standard input. With a ConfigMap literal block, line
    numbers are lines of the YAML file; otherwise they are lines of the Corefile.
    Secrets are masked (****) in parse, lint and route; print and fmt reproduce the file.
    Limits: files over 20 MiB, over 1,000,000 words or 200,000 directive lines, blocks nested
    deeper than 200 levels and keys standing for over 100,000 zones are refused (exit 2).
    Exit codes: 0 ok, 1 warnings, 2 unreadable or malformed input (file:line given), 3 critical.
    """


@coredns.command("print")
@click.argument("file", type=click.Path(dir_okay=False))
@format_option
def print_cmd(file: str, fmt: str) -> None:
    """Print FILE's Corefile exactly as parsed, byte for byte (proves the parser lossless).

    \b
    By design the output reproduces the file, credentials included (nothing is masked; use
    `parse` for a view with secrets shown as ****). Bytes that are not UTF-8 (a GBK or Latin-1
    comment) come back unchanged; in --format json they appear as \\xNN.
    FILE is a Corefile or a Kubernetes ConfigMap (YAML or JSON) carrying data.Corefile (then the
    Corefile string is printed); `-` reads standard input. --format json wraps the text as
    {"path", "source", "text"}.
    Exit codes: 0 printed, 2 unreadable or malformed input.
    """
    source, corefile = _load(file, warn=False)
    text = print_lossless(corefile)
    if fmt == "json":
        _echo_json({"path": source.path, "source": source.kind.value, "text": text})
    else:
        _echo_bytes(text)


@coredns.command("fmt")
@click.argument("file", type=click.Path(dir_okay=False))
@format_option
def fmt_cmd(file: str, fmt: str) -> None:
    """Print FILE's Corefile in canonical layout (meaning unchanged).

    \b
    4-space indents, one space between words, `{` at line ends, `}` on its own line, one blank
    line between blocks, comments kept, keys without separating commas.
    By design the output reproduces the file's words, credentials included (nothing is masked;
    use `parse` for a view with secrets shown as ****). Bytes that are not UTF-8 come back
    unchanged; in --format json they appear as \\xNN.
    FILE is a Corefile or a Kubernetes ConfigMap (YAML or JSON) carrying data.Corefile; `-`
    reads standard input.
    Exit codes: 0 formatted, 2 unreadable or malformed input.
    """
    source, corefile = _load(file, warn=False)
    text = format_canonical(corefile)
    if fmt == "json":
        _echo_json({"path": source.path, "source": source.kind.value, "text": text})
    else:
        _echo_bytes(text)


@coredns.command("parse")
@click.argument("file", type=click.Path(dir_okay=False))
@format_option
def parse_cmd(file: str, fmt: str) -> None:
    """Show the parsed model: server blocks with their keys (transport, zones, port), snippets,
    imports, directives with arguments and nested blocks, comments, all with line numbers.

    \b
    FILE is a Corefile or a Kubernetes ConfigMap (YAML or JSON) carrying data.Corefile; `-`
    reads standard input.
    --format text prints an outline, --format json the whole model.
    Secrets are never shown, in either format: credentials in plugin blocks (etcd credentials,
    tsig secret, azure secret, nomad token, route53 aws_access_key ID and key), the password of
    any URL (user:****@, e.g. a kubernetes endpoint) and such lines commented out are ****.
    Bytes that are not UTF-8 are shown as \\xNN, with a warning on stderr.
    Exit codes: 0 parsed, 2 unreadable or malformed input.
    """
    source, corefile = _load(file)
    if fmt == "json":
        data = model_to_data(corefile)
        data["source"] = source.kind.value
        _echo_json(data)
    else:
        _echo_text(outline(corefile))


@coredns.command("lint")
@click.argument("file", type=click.Path(dir_okay=False))
@format_option
def lint_cmd(file: str, fmt: str) -> None:
    """Check FILE for mistakes that break or mislead CoreDNS, each with its line.

    \b
    critical: duplicate zone:port, kubernetes twice in a server block, forward without
              upstreams, template syntax that is not CoreDNS's (%{X}%, ${X}, {{ }} outside
              the template plugin, text glued to a closing brace such as }STUBDOMAINS),
              a key glued to its brace (example.org{), broken imports, invalid keys
    warning:  upper-case words that look like placeholders (sed markers such as
              CLUSTER_DOMAIN, documentation placeholders such as AWS_ACCESS_KEY_ID), unknown
              plugin names (not in plugin.cfg), suffix rewrites without `answer auto`
    info:     import globs that match no file here
    Imports and {$ENV}/{%ENV%} are resolved as CoreDNS would (environment of this process).
    Messages never quote a secret (credentials and URL passwords are ****).
    FILE is a Corefile or a Kubernetes ConfigMap (YAML or JSON) carrying data.Corefile; `-`
    reads standard input.
    Exit codes: 0 no warnings, 1 warnings, 2 unreadable or malformed input, 3 critical findings.
    """
    source, corefile = _load(file)
    findings = lint(corefile, _expand(corefile))
    if fmt == "json":
        _echo_json({"path": source.path, "findings": findings})
    else:
        _echo_text(render_findings(source.path, findings))
    raise SystemExit(exit_code_for([f.severity for f in findings]))


@coredns.command("route")
@click.argument("file", type=click.Path(dir_okay=False))
@click.argument("name")
@click.option("--port", default="53", show_default=True, help="Port the query arrives on.")
@format_option
def route_cmd(file: str, name: str, port: str, fmt: str) -> None:
    """Show which server block answers NAME (longest zone match on --port) and its plugins in
    execution order (CoreDNS's plugin.cfg order, not file order), with what the routing plugins
    (rewrite, kubernetes, k8s_external, forward, hosts, file) do with the name.

    \b
    NAME may be an IP address: its PTR name is routed.
    FILE is a Corefile or a Kubernetes ConfigMap (YAML or JSON) carrying data.Corefile; `-`
    reads standard input. URL passwords in plugin arguments are shown as ****.
    Exit codes: 0 a block answers, 1 no block serves NAME (CoreDNS answers REFUSED),
    2 unreadable or malformed input or a bad --port.
    """
    if not port.isdigit() or not 0 < int(port) < 65536:
        click.echo(f"error: --port {port!r}: must be a number 1-65535", err=True)
        raise SystemExit(EXIT_USAGE)
    _, corefile = _load(file)
    result = route_name(_expand(corefile), name, str(int(port)))
    if fmt == "json":
        _echo_json(result)
    else:
        _echo_text(render_route(result))
    raise SystemExit(0 if result.found else 1)


@coredns.command("multicluster")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--remote-name", required=True, help="Short name of cluster B (one DNS label), e.g. b.")
@click.option("--remote-dns", required=True, help="Cluster B's exposed DNS, IP[:PORT] (NodePort/LoadBalancer).")
@click.option("--remote-pod-cidr", "pod_cidrs", multiple=True, help="Cluster B's pod CIDR (repeatable).")
@click.option("--remote-service-cidr", "service_cidrs", multiple=True, help="Cluster B's service CIDR (repeatable).")
@click.option("--alias-zone", default=None, help="Zone under which A sees B's names [default: <remote-name>.local].")
@click.option("--remote-cluster-domain", default=None,
              help="Cluster B's own domain [default: the same as this Corefile's, e.g. cluster.local].")
@click.option("--format", "fmt", type=click.Choice(["corefile", "configmap", "diff", "text", "json"]),
              default="corefile", show_default=True,
              help="corefile: the new Corefile; configmap: the ConfigMap to apply; diff: unified diff "
                   "against FILE; text: the explanation of each added line and the caveats; json: all of it.")
@click.option("--explain", is_flag=True, help="Explanation mode: same as --format text.")
def multicluster_cmd(file: str, remote_name: str, remote_dns: str, pod_cidrs: tuple[str, ...],
                     service_cidrs: tuple[str, ...], alias_zone: str | None, remote_cluster_domain: str | None,
                     fmt: str, explain: bool) -> None:
    """Add to FILE the change that lets this cluster (A) resolve cluster B when both use the
    same cluster domain: an alias zone (b.local) rewritten to B's cluster.local and forwarded to
    B's exposed DNS (answers mapped back), plus reverse zones for B's CIDRs.

    \b
    The original Corefile is kept byte for byte (credentials included: nothing is masked); the
    new blocks are appended and the result is parsed again and linted. A ConfigMap input keeps
    its YAML; only the Corefile block changes. FILE `-` reads standard input.
    Example:
      goanalyzer ops coredns multicluster coredns.yaml --remote-name b \\
          --remote-dns 192.0.2.10:30053 --remote-pod-cidr 10.200.0.0/16 --format diff
    Exit codes: 0 change made and lint clean, 1 the result has lint warnings, 2 unreadable input
    or an impossible request (bad IP/CIDR, zone already served), 3 the result has critical findings.
    """
    source, corefile = _load(file)
    request = Request(remote_name=remote_name, remote_dns=remote_dns, pod_cidrs=list(pod_cidrs),
                      service_cidrs=list(service_cidrs), alias_zone=alias_zone, remote_domain=remote_cluster_domain)
    try:
        change = plan(print_lossless(corefile), _expand(corefile), request)
    except MulticlusterError as error:
        click.echo(f"error: {source.path}: {error}", err=True)
        raise SystemExit(EXIT_USAGE) from None
    try:
        reread = parse_corefile(change.corefile, source.path)
        findings = lint(reread, expand(reread))
    except OpsInputError as error:  # would be a bug in the generator; report, do not trace back
        click.echo(f"error: generated Corefile does not parse: {error}", err=True)
        raise SystemExit(EXIT_USAGE) from None
    summary = render_findings("new Corefile", findings).splitlines()[-1].split(": ", 1)[1]
    if explain:
        fmt = "text"
    if fmt == "configmap" and source.non_utf8_line is not None:
        click.echo(f"error: {source.path}:{source.non_utf8_line}: bytes that are not UTF-8 cannot go into a "
                   "ConfigMap (Kubernetes stores its data as UTF-8 text); fix them or use --format corefile",
                   err=True)
        raise SystemExit(EXIT_USAGE)
    if fmt == "corefile":
        _echo_bytes(change.corefile)
    elif fmt == "configmap":
        click.echo(render_configmap(source, change.corefile).rstrip("\n"))
    elif fmt == "diff":
        if source.kind is SourceKind.CONFIGMAP:
            new_text = render_configmap(source, change.corefile)
            _echo_bytes(unified_diff(source.file_text, new_text, Path(file).name))
        else:
            _echo_bytes(unified_diff(source.corefile, change.corefile, Path(file).name))
    elif fmt == "text":
        _echo_text(render_plan(change, summary))
    else:
        _echo_json({"path": source.path, "plan": change, "lint": findings})
    if findings and fmt in ("corefile", "configmap", "diff"):
        click.echo(printable(render_findings("new Corefile", findings)), err=True)
    raise SystemExit(exit_code_for([f.severity for f in findings]))
