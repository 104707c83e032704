"""CoreDNS's plugin execution order (plugin.cfg), and the names a stock build knows.

A query runs through the plugins of its server block in this order, whatever their order in the
Corefile. Taken from coredns/coredns plugin.cfg at commit 4b26cced (2026-08-20).
"""

from __future__ import annotations

PLUGIN_ORDER: tuple[str, ...] = (
    "root", "metadata", "geoip", "cancel", "proxyproto", "quic", "grpc_server", "https", "https3",
    "timeouts", "multisocket", "reload", "nsid", "bufsize", "bind", "debug", "trace", "ready",
    "health", "pprof", "shed", "prometheus", "errors", "log", "dnstap", "local", "dns64", "any",
    "chaos", "loadbalance", "tsig", "rewrite", "autopath", "acl", "cache", "header", "dnssec", "tls",
    "minimal", "template", "transfer", "hosts", "route53", "azure", "clouddns", "k8s_external",
    "kubernetes", "file", "auto", "secondary", "etcd", "loop", "forward", "grpc", "erratic",
    "whoami", "on", "sign", "view", "nomad",
)

_RANK = {name: index for index, name in enumerate(PLUGIN_ORDER)}

# Plugins that older Corefiles still name but current CoreDNS no longer has.
REMOVED: dict[str, str] = {
    "proxy": "the proxy plugin was removed in CoreDNS 1.5.0; use forward",
}


def is_known(name: str) -> bool:
    return name in _RANK


def rank(name: str) -> int:
    """Position in the execution order; unknown plugins sort last."""
    return _RANK.get(name, len(PLUGIN_ORDER))
