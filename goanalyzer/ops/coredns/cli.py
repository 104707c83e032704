"""`goanalyzer ops coredns ...`: the Corefile toolkit. The only module that prints or exits."""

from __future__ import annotations

from pathlib import Path

import click

from goanalyzer.ops.common import EXIT_USAGE, OpsInputError, dumps, exit_code_for, fail_input, format_option
from goanalyzer.ops.coredns.configmap import Source, SourceKind, load_source, render_configmap
from goanalyzer.ops.coredns.expand import Expanded, expand
from goanalyzer.ops.coredns.lint import lint, render_findings
from goanalyzer.ops.coredns.model import Corefile
from goanalyzer.ops.coredns.multicluster import MulticlusterError, Request, plan, render_plan, unified_diff
from goanalyzer.ops.coredns.parser import parse_corefile
from goanalyzer.ops.coredns.printer import format_canonical, model_to_data, outline, print_lossless
from goanalyzer.ops.coredns.route import render_route, route as route_name



def _load(path: str) -> tuple[Source, Corefile]:
    try:
        source = load_source(path)
        return source, parse_corefile(source.corefile, path, source.first_line)
    except OpsInputError as error:
        fail_input(error)
        raise  # unreachable: fail_input exits


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
    Every command reads a raw Corefile or a ConfigMap YAML (data.Corefile); with a ConfigMap
    literal block, line numbers are lines of the YAML file.
    Exit codes: 0 ok, 1 warnings, 2 unreadable or malformed input (file:line given), 3 critical.
    """


@coredns.command("print")
@click.argument("file", type=click.Path(dir_okay=False))
@format_option
def print_cmd(file: str, fmt: str) -> None:
    """Print FILE's Corefile exactly as parsed, byte for byte (proves the parser lossless).

    \b
    FILE is a Corefile or a Kubernetes ConfigMap YAML carrying data.Corefile (then the Corefile
    string is printed). --format json wraps the text as {"path", "source", "text"}.
    Exit codes: 0 printed, 2 unreadable or malformed input.
    """
    source, corefile = _load(file)
    text = print_lossless(corefile)
    if fmt == "json":
        click.echo(dumps({"path": file, "source": source.kind.value, "text": text}))
    else:
        click.echo(text, nl=False)


@coredns.command("fmt")
@click.argument("file", type=click.Path(dir_okay=False))
@format_option
def fmt_cmd(file: str, fmt: str) -> None:
    """Print FILE's Corefile in canonical layout (meaning unchanged).

    \b
    4-space indents, one space between words, `{` at line ends, `}` on its own line, one blank
    line between blocks, comments kept, keys without separating commas.
    FILE is a Corefile or a Kubernetes ConfigMap YAML carrying data.Corefile.
    Exit codes: 0 formatted, 2 unreadable or malformed input.
    """
    source, corefile = _load(file)
    text = format_canonical(corefile)
    if fmt == "json":
        click.echo(dumps({"path": file, "source": source.kind.value, "text": text}))
    else:
        click.echo(text, nl=False)


@coredns.command("parse")
@click.argument("file", type=click.Path(dir_okay=False))
@format_option
def parse_cmd(file: str, fmt: str) -> None:
    """Show the parsed model: server blocks with their keys (transport, zones, port), snippets,
    imports, directives with arguments and nested blocks, comments, all with line numbers.

    \b
    FILE is a Corefile or a Kubernetes ConfigMap YAML carrying data.Corefile.
    --format text prints an outline, --format json the whole model.
    Credentials in plugin blocks (etcd credentials, tsig secret, azure secret,
    nomad token, route53 aws_access_key) are shown as ****.
    Exit codes: 0 parsed, 2 unreadable or malformed input.
    """
    source, corefile = _load(file)
    if fmt == "json":
        data = model_to_data(corefile)
        data["source"] = source.kind.value
        click.echo(dumps(data))
    else:
        click.echo(outline(corefile))


@coredns.command("lint")
@click.argument("file", type=click.Path(dir_okay=False))
@format_option
def lint_cmd(file: str, fmt: str) -> None:
    """Check FILE for mistakes that break or mislead CoreDNS, each with its line.

    \b
    critical: duplicate zone:port, kubernetes twice in a server block, forward without
              upstreams, template placeholders that are not CoreDNS syntax (%{X}%, ${X},
              {{ }}, sed markers such as CLUSTER_DOMAIN or }STUBDOMAINS), broken imports,
              invalid keys
    warning:  unknown plugin names (not in plugin.cfg), suffix rewrites without `answer auto`
    info:     import globs that match no file here
    Imports and {$ENV}/{%ENV%} are resolved as CoreDNS would (environment of this process).
    FILE is a Corefile or a Kubernetes ConfigMap YAML carrying data.Corefile.
    Exit codes: 0 no warnings, 1 warnings, 2 unreadable or malformed input, 3 critical findings.
    """
    _, corefile = _load(file)
    findings = lint(corefile, _expand(corefile))
    if fmt == "json":
        click.echo(dumps({"path": file, "findings": findings}))
    else:
        click.echo(render_findings(file, findings))
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
    FILE is a Corefile or a Kubernetes ConfigMap YAML carrying data.Corefile.
    Exit codes: 0 a block answers, 1 no block serves NAME (CoreDNS answers REFUSED),
    2 unreadable or malformed input or a bad --port.
    """
    if not port.isdigit() or not 0 < int(port) < 65536:
        click.echo(f"error: --port {port!r}: must be a number 1-65535", err=True)
        raise SystemExit(EXIT_USAGE)
    _, corefile = _load(file)
    result = route_name(_expand(corefile), name, str(int(port)))
    if fmt == "json":
        click.echo(dumps(result))
    else:
        click.echo(render_route(result))
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
    The original Corefile is kept byte for byte; the new blocks are appended and the result is
    parsed again and linted. A ConfigMap input keeps its YAML; only the Corefile block changes.
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
        click.echo(f"error: {file}: {error}", err=True)
        raise SystemExit(EXIT_USAGE) from None
    try:
        reread = parse_corefile(change.corefile, file)
        findings = lint(reread, expand(reread))
    except OpsInputError as error:  # would be a bug in the generator; report, do not trace back
        click.echo(f"error: generated Corefile does not parse: {error}", err=True)
        raise SystemExit(EXIT_USAGE) from None
    summary = render_findings("new Corefile", findings).splitlines()[-1].split(": ", 1)[1]
    if explain:
        fmt = "text"
    if fmt == "corefile":
        click.echo(change.corefile, nl=False)
    elif fmt == "configmap":
        click.echo(render_configmap(source, change.corefile).rstrip("\n"))
    elif fmt == "diff":
        if source.kind is SourceKind.CONFIGMAP:
            new_text = render_configmap(source, change.corefile)
            click.echo(unified_diff(source.file_text, new_text, Path(file).name), nl=False)
        else:
            click.echo(unified_diff(source.corefile, change.corefile, Path(file).name), nl=False)
    elif fmt == "text":
        click.echo(render_plan(change, summary))
    else:
        click.echo(dumps({"path": file, "plan": change, "lint": findings}))
    if findings and fmt in ("corefile", "configmap", "diff"):
        click.echo(render_findings("new Corefile", findings), err=True)
    raise SystemExit(exit_code_for([f.severity for f in findings]))
