"""Which server block answers a name, and the plugins the query meets, in execution order.

CoreDNS picks, among the server blocks listening on the port, the one with the longest zone
containing the name; inside it, plugins run in plugin.cfg order, not in the order written.
Notes say what the routing-relevant plugins do with this name (rewrites are applied along the way).
Arguments and notes have URL passwords masked (they are views of the model, like `parse`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from goanalyzer.ops.coredns.expand import Expanded, Plugin, Server
from goanalyzer.ops.coredns.masking import mask_url
from goanalyzer.ops.coredns.plugins import is_known, rank
from goanalyzer.ops.coredns.zones import in_zone, normalize_name, parse_key, query_name


@dataclass(slots=True)
class Step:
    """One plugin of the chain: its position, lines and what it does with the name."""

    order: int | None  # None for plugins a stock build does not know
    plugin: str
    lines: list[int]
    file: str
    args: list[str]
    note: str = ""


@dataclass(slots=True)
class Route:
    name: str
    port: str
    found: bool
    zone: str = ""
    transport: str = ""
    file: str = ""
    line: int = 0
    keys: list[str] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    unknown: list[Step] = field(default_factory=list)
    final_name: str = ""


def route(expanded: Expanded, name: str, port: str = "53") -> Route:
    """Route `name` (an IP becomes its PTR name) on `port`."""
    qname = query_name(name)
    best: tuple[int, int, Server, str, str] | None = None
    for index, server in enumerate(expanded.servers):
        for key in server.keys:
            if key.key.port != port:
                continue
            for zone in key.key.zones:
                if not in_zone(qname, zone):
                    continue
                depth = 0 if zone == "." else zone.count(".")
                score = (depth, key.key.transport == "dns")
                if best is None or score > (best[0], best[1]):
                    best = (depth, key.key.transport == "dns", server, zone, key.key.transport)
    if best is None:
        return Route(name=qname, port=port, found=False)
    _, _, server, zone, transport = best
    result = Route(
        name=qname, port=port, found=True, zone=zone, transport=transport, file=server.file,
        line=server.line, keys=[mask_url(k.key.text) for k in server.keys],
    )
    current = qname
    block_zones = [z for k in server.keys for z in k.key.zones]
    grouped: dict[str, list[Plugin]] = {}
    for plugin in server.plugins:
        grouped.setdefault(plugin.name, []).append(plugin)
    order = 0
    for plugin_name in sorted(grouped, key=lambda n: (rank(n), n)):
        plugins = grouped[plugin_name]
        note, current = _effect(plugin_name, plugins, current, block_zones)
        step = Step(
            order=None, plugin=plugin_name, lines=[p.line for p in plugins], file=plugins[0].file,
            args=[mask_url(a) for a in plugins[0].args], note=mask_url(note),
        )
        if is_known(plugin_name):
            order += 1
            step.order = order
            result.steps.append(step)
        else:
            result.unknown.append(step)
    result.final_name = current
    return result


def _zones_of(args: list[str], fallback: list[str]) -> list[str]:
    zones: list[str] = []
    for arg in args:
        parsed = parse_key(arg)
        zones.extend(parsed.zones if not parsed.error else [normalize_name(arg)])
    return zones or fallback


def _effect(name: str, plugins: list[Plugin], qname: str, block_zones: list[str]) -> tuple[str, str]:
    """A note on what the plugin does with `qname`, and the name after it."""
    plugin = plugins[0]
    if name == "rewrite":
        for candidate in plugins:
            rewritten = _rewrite(candidate, qname)
            if rewritten is not None:
                return f"rewrites the name to {rewritten}", rewritten
        return "no name rule matches", qname
    if name in ("kubernetes", "k8s_external"):
        zones = _zones_of(plugin.args, block_zones)
        match = _longest(qname, zones)
        if match:
            fall = next((b for b in plugin.block if b.name == "fallthrough"), None)
            extra = ""
            if fall is not None:
                extra = f"; fallthrough {' '.join(fall.args) or 'all zones'} on NXDOMAIN"
            return f"answers from its zone {match}{extra}", qname
        return f"passes the query on (name outside {' '.join(zones)})", qname
    if name == "forward":
        for candidate in plugins:
            if candidate.args and in_zone(qname, normalize_name(candidate.args[0])):
                targets = " ".join(candidate.args[1:]) or "(none)"
                return f"forwards to {targets}", qname
        return "passes the query on (name outside its FROM zone)", qname
    if name in ("file", "hosts"):
        zones = _zones_of(plugin.args[1:], block_zones)
        if _longest(qname, zones):
            return f"answers from {plugin.args[0] if plugin.args else 'its file'}", qname
        return f"passes the query on (name outside {' '.join(zones)})", qname
    return "", qname


def _longest(qname: str, zones: list[str]) -> str:
    matches = [z for z in zones if in_zone(qname, z)]
    return max(matches, key=len) if matches else ""


def _rewrite(plugin: Plugin, qname: str) -> str | None:
    """Apply a `rewrite ... name TYPE FROM TO` rule (exact, suffix, prefix, substring) to `qname`."""
    rules = [[line.name, *line.args] for line in plugin.block] if plugin.block else [list(plugin.args)]
    for words in rules:
        if words[:1] in (["continue"], ["stop"]):
            words = words[1:]
        if not words or words[0] != "name":
            continue
        words = words[1:]
        kind = "exact"
        if words and words[0] in ("exact", "suffix", "prefix", "substring", "regex"):
            kind, words = words[0], words[1:]
        if len(words) < 2:
            continue
        source, target = words[0].lower(), words[1].lower()
        bare = qname.rstrip(".")
        if kind == "exact" and normalize_name(source) == qname:
            return normalize_name(target)
        if kind == "suffix":
            src, dst = source.rstrip("."), target.rstrip(".")
            if bare.endswith(src):
                return normalize_name(bare[: len(bare) - len(src)] + dst)
        if kind == "prefix" and bare.startswith(source):
            return normalize_name(target + bare[len(source):])
        if kind == "substring" and source in bare:
            return normalize_name(bare.replace(source, target, 1))
        if kind == "regex":
            try:
                match = re.fullmatch(source, bare) or re.fullmatch(source, qname)
            except re.error:
                continue
            if match:
                out = target
                for index, group in enumerate(match.groups(), start=1):
                    out = out.replace("{" + str(index) + "}", group or "")
                return normalize_name(out)
    return None


def render_route(result: Route) -> str:
    if not result.found:
        return (f"{result.name} on port {result.port}: no server block serves this name; "
                "CoreDNS answers REFUSED")
    lines = [
        f"{result.name} on port {result.port}",
        f"answered by the server block at {result.file}:{result.line} ({' '.join(result.keys)}), "
        f"zone {result.zone} over {result.transport}",
        "plugins in execution order (plugin.cfg, not file order):",
    ]
    width = max((len(s.plugin) for s in result.steps + result.unknown), default=0)
    for step in result.steps:
        where = "line " + ",".join(str(n) for n in step.lines)
        note = f"  -> {step.note}" if step.note else ""
        lines.append(f"  {step.order:>2}. {step.plugin:<{width}}  {where}{note}")
    for step in result.unknown:
        lines.append(f"   ?. {step.plugin:<{width}}  line {','.join(str(n) for n in step.lines)}  "
                     "-> not in plugin.cfg: a stock build refuses this Corefile")
    if result.final_name != result.name:
        lines.append(f"name after rewrites: {result.final_name}")
    return "\n".join(lines)
