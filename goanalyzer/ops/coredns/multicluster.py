"""The Corefile change that lets cluster A resolve cluster B when both use the same cluster domain.

B's names are given an alias zone (`b.local`): a server block for it rewrites `*.b.local` to B's
`cluster.local`, forwards to B's exposed DNS and maps the answers back (`answer auto`). A second
block forwards the reverse zones of B's pod and service CIDRs. The change is appended to the
original text, so everything already there stays byte for byte.
"""

from __future__ import annotations

import difflib
import ipaddress
import re
from dataclasses import dataclass, field
from pathlib import Path

from goanalyzer.ops.coredns.expand import Expanded, Plugin, Server
from goanalyzer.ops.coredns.lint import placeholders_in
from goanalyzer.ops.coredns.zones import cidr_zones, in_zone, normalize_name, parse_key

_LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
_REVERSE = ("in-addr.arpa.", "ip6.arpa.")


class MulticlusterError(ValueError):
    """A request that cannot be turned into a correct Corefile change (exit 2)."""


@dataclass(slots=True)
class Request:
    remote_name: str
    remote_dns: str
    pod_cidrs: list[str] = field(default_factory=list)
    service_cidrs: list[str] = field(default_factory=list)
    alias_zone: str | None = None
    remote_domain: str | None = None


@dataclass(slots=True)
class AddedLine:
    line: int
    text: str
    explanation: str


@dataclass(slots=True)
class Plan:
    """The change and why: new Corefile text, each added line explained, caveats."""

    cluster_domain: str
    alias_zone: str
    remote_domain: str
    upstream: str
    ports: list[str]
    reverse_zones: dict[str, list[str]]
    corefile: str
    added: list[AddedLine]
    caveats: list[str]


def parse_upstream(text: str) -> str:
    """IP[:PORT] or [IPv6]:PORT, normalized as forward writes it."""
    host, port = text, ""
    if text.startswith("["):
        end = text.find("]")
        if end < 0:
            raise MulticlusterError(f"--remote-dns {text!r}: missing ']'")
        host, rest = text[1:end], text[end + 1 :]
        if rest:
            if not rest.startswith(":"):
                raise MulticlusterError(f"--remote-dns {text!r}: expected ':PORT' after ']'")
            port = rest[1:]
    elif text.count(":") == 1:
        host, port = text.split(":")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise MulticlusterError(f"--remote-dns {text!r}: not an IP address (IP or IP:PORT)") from None
    if port:
        if not port.isdigit() or not 0 < int(port) < 65536:
            raise MulticlusterError(f"--remote-dns {text!r}: port must be 1-65535")
        port = str(int(port))
    if address.version == 6:
        return f"[{address}]:{port}" if port else str(address)
    return f"{address}:{port}" if port else str(address)


def parse_cidr(text: str, option: str) -> str:
    try:
        network = ipaddress.ip_network(text, strict=True)
    except ValueError as error:
        if "host bits set" in str(error):
            fixed = ipaddress.ip_network(text, strict=False)
            raise MulticlusterError(f"{option} {text}: host bits set; did you mean {fixed}?") from None
        raise MulticlusterError(f"{option} {text}: not a CIDR ({error})") from None
    return str(network)


def _kubernetes_server(expanded: Expanded) -> tuple[Server, Plugin] | None:
    for server in expanded.servers:
        for plugin in server.plugins:
            if plugin.name == "kubernetes":
                return server, plugin
    return None


def _cluster_domain(server: Server, plugin: Plugin) -> str | None:
    zones: list[str] = []
    for arg in plugin.args:
        parsed = parse_key(arg)
        zones.extend(parsed.zones if not parsed.error else [])
    if not plugin.args:
        zones = [z for k in server.keys for z in k.key.zones]
    for zone in zones:
        if zone != "." and not zone.endswith(_REVERSE):
            return zone
    return None


def plan(original: str, expanded: Expanded, request: Request) -> Plan:
    """Build the change for `request` against the Corefile text `original` (already expanded)."""
    name = request.remote_name.lower()
    if not _LABEL.match(name):
        raise MulticlusterError(f"--remote-name {request.remote_name!r}: must be one DNS label (a-z, 0-9, '-')")
    upstream = parse_upstream(request.remote_dns)
    pods = [parse_cidr(c, "--remote-pod-cidr") for c in request.pod_cidrs]
    services = [parse_cidr(c, "--remote-service-cidr") for c in request.service_cidrs]
    found = _kubernetes_server(expanded)
    if found is None:
        raise MulticlusterError("no kubernetes plugin in this Corefile: nothing to tell the cluster domain")
    server, kubernetes = found
    domain = _cluster_domain(server, kubernetes)
    if domain is None:
        raise MulticlusterError(f"the kubernetes plugin at line {kubernetes.line} names no forward zone")
    if request.remote_domain is None and placeholders_in(domain.rstrip(".")):
        written = next((a for a in kubernetes.raw_args if placeholders_in(a)), domain.rstrip("."))
        raise MulticlusterError(
            f"the cluster domain {written!r} (line {kubernetes.line}) is a template placeholder; "
            "render the template first or pass --remote-cluster-domain"
        )
    remote_domain = normalize_name(request.remote_domain or domain)
    alias = normalize_name(request.alias_zone or f"{name}.local")
    if in_zone(alias, domain) or in_zone(domain, alias):
        raise MulticlusterError(f"alias zone {alias} overlaps the cluster domain {domain}")
    ports = sorted({k.key.port for k in server.keys if k.key.transport == "dns"}, key=int) or ["53"]
    reverse = {cidr: cidr_zones(cidr) or [] for cidr in pods + services}
    _check_free(expanded, [alias] + [z for zones in reverse.values() for z in zones], ports)

    alias_bare, domain_bare, remote_bare = alias.rstrip("."), domain.rstrip("."), remote_domain.rstrip(".")
    keys = " ".join(f"{alias_bare}:{p}" for p in ports)
    port_text = " and ".join(ports)
    rows: list[tuple[str, str]] = [
        ("", ""),
        (f'# cluster "{name}": its {remote_bare} names as {alias_bare} (goanalyzer ops coredns multicluster)',
         "a comment marking the generated change"),
        (f"{keys} {{",
         f"a server block for the alias zone {alias_bare} on port {port_text} (the ports of the block serving "
         f"{domain_bare}); CoreDNS routes each query to the longest matching zone, so every *.{alias_bare} "
         f"name lands here and {domain_bare} stays with cluster A's own kubernetes plugin"),
        ("    errors", "log failures of this block (e.g. cluster B's DNS unreachable) to CoreDNS's output"),
        ("    cache 30", "cache B's answers for up to 30 seconds, as the main block does"),
        (f"    rewrite name suffix .{alias_bare} .{remote_bare} answer auto",
         f"turn x.{alias_bare} into x.{remote_bare} before forwarding (B knows only its own "
         f"{remote_bare}); `answer auto` renames the answer back to x.{alias_bare} so clients accept it"),
        (f"    forward . {upstream}",
         f"send the rewritten query to cluster B's exposed DNS at {upstream} (a NodePort or LoadBalancer "
         "in front of B's CoreDNS)"),
        ("}", "end of the alias block"),
    ]
    if reverse:
        cidr_list = " ".join(reverse)
        rkeys = " ".join(f"{cidr}:{p}" for cidr in reverse for p in ports)
        zone_list = "; ".join(f"{cidr} = {', '.join(zones)}" for cidr, zones in reverse.items())
        rows += [
            ("", ""),
            (f'# cluster "{name}": reverse lookups for its pod and service CIDRs',
             "a comment marking the generated change"),
            (f"{rkeys} {{",
             f"a server block for the reverse zones of B's CIDRs {cidr_list} ({zone_list}); these are more "
             "specific than in-addr.arpa/ip6.arpa of the main block, so PTR queries for B's addresses come here"),
            ("    errors", "log failures of this block"),
            ("    cache 30", "cache the PTR answers for up to 30 seconds"),
            (f"    forward . {upstream}", f"ask cluster B's DNS at {upstream}, which owns these addresses"),
            ("}", "end of the reverse block"),
        ]
    base = original if original.endswith("\n") or not original else original + "\n"
    start = base.count("\n") + 1
    added_text = "\n".join(text for text, _ in rows) + "\n"
    corefile = base + added_text
    added = [
        AddedLine(start + index, text, why) for index, (text, why) in enumerate(rows) if text
    ]
    sample_ip = ipaddress.ip_network(pods[0]).network_address + 5 if pods else ipaddress.ip_address("10.200.0.5")
    caveats = _caveats(expanded, kubernetes, domain_bare, alias_bare, remote_bare, upstream, bool(reverse), str(sample_ip))
    return Plan(
        cluster_domain=domain, alias_zone=alias, remote_domain=remote_domain, upstream=upstream, ports=ports,
        reverse_zones=reverse, corefile=corefile, added=added, caveats=caveats,
    )


def _check_free(expanded: Expanded, zones: list[str], ports: list[str]) -> None:
    for server in expanded.servers:
        for key in server.keys:
            if key.key.transport != "dns" or key.key.port not in ports:
                continue
            for zone in key.key.zones:
                if zone in zones:
                    raise MulticlusterError(
                        f"{zone} on port {key.key.port} is already served by the server block at "
                        f"{key.file}:{key.line}"
                    )


def _caveats(expanded: Expanded, kubernetes: Plugin, domain: str, alias: str, remote: str,
             upstream: str, has_reverse: bool, sample_ip: str) -> list[str]:
    pods = next((p for p in kubernetes.block if p.name == "pods"), None)
    mode = pods.args[0] if pods is not None and pods.args else "disabled"
    out = []
    if mode == "insecure":
        out.append(
            f"`pods insecure` ({Path(pods.file).name}:{pods.line}) makes the kubernetes plugin answer any "
            f"a-b-c-d.<namespace>.pod.{domain} with the IP a.b.c.d without checking that such a pod exists, so "
            f"cluster A already resolves pod-IP names for B's addresses inside its own {domain} "
            f"({sample_ip.replace('.', '-').replace(':', '-')}.monitoring.pod.{domain} gives {sample_ip}); the {alias} alias is needed for B's service "
            f"and headless StatefulSet names, e.g. alertmanager-main-0.alertmanager-operated.monitoring.svc.{alias}"
        )
    else:
        out.append(
            f"the kubernetes plugin runs with `pods {mode}`: a-b-c-d.<namespace>.pod.{domain} names are "
            f"{'answered only for pods that exist in cluster A' if mode == 'verified' else 'not answered'}; "
            f"use B's names through the alias, e.g. alertmanager-main-0.alertmanager-operated.monitoring.svc.{alias} "
            f"(with `pods insecure` any a-b-c-d name resolves to a.b.c.d regardless of the cluster)"
        )
    out.append(
        f"`answer auto` maps the question name back; names inside record data (CNAME or SRV targets) stay in "
        f"{remote} and would then be resolved by cluster A itself; add `answer value` rules if clients follow them"
    )
    out.append(
        f"cluster B's DNS must be reachable from cluster A's CoreDNS pods at {upstream}, and B's pod and service "
        "addresses routable from A's pods, or the names resolve to addresses nobody can reach"
    )
    if has_reverse:
        out.append(
            f"B's CIDRs must not overlap cluster A's own, or PTR queries for A's addresses go to B; PTR answers "
            f"from B name B's objects under {remote}, which in cluster A reads as A's own domain"
        )
    if any(p.name == "reload" for s in expanded.servers for p in s.plugins):
        out.append("the reload plugin picks up the changed ConfigMap after the kubelet syncs it (up to about "
                   "a minute or two); no restart needed")
    else:
        out.append("this Corefile has no reload plugin: restart CoreDNS after applying the change")
    return out


def unified_diff(old: str, new: str, name: str) -> str:
    """`diff -u` of two texts, with the no-newline marker git uses."""
    lines = list(difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), fromfile=f"a/{name}", tofile=f"b/{name}",
    ))
    out = []
    for line in lines:
        if line.endswith("\n"):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)


def render_plan(plan_: Plan, lint_summary: str) -> str:
    """The explanation mode: every added line with what it does, then the caveats."""
    lines = [
        f"cluster A ({plan_.cluster_domain.rstrip('.')}) resolves the remote cluster's {plan_.remote_domain.rstrip('.')} "
        f"names as {plan_.alias_zone.rstrip('.')} through {plan_.upstream}",
        "",
        "added lines (line numbers in the new Corefile):",
    ]
    for added in plan_.added:
        lines.append(f"  {added.line:>3}  {added.text}")
        lines.append(f"       {added.explanation}")
    lines += ["", "caveats:"]
    lines += [f"  - {caveat}" for caveat in plan_.caveats]
    lines += ["", f"lint of the new Corefile: {lint_summary}"]
    return "\n".join(lines)
