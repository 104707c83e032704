"""CoreDNS's plugin execution order (plugin.cfg), and the names a stock build knows.

A query runs through the plugins of its server block in this order, whatever their order in the
Corefile. Taken from coredns/coredns plugin.cfg at commit 4b26cced (2026-08-20).
"""

from __future__ import annotations

import re

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


# Lines inside a plugin's block whose arguments, from the given index on, are credentials (from the
# plugins' READMEs). Views of the model (`parse`) show them as ****; `print` and `fmt` re-emit the file.
SECRET_ARGS: dict[tuple[str, str], int] = {
    ("etcd", "credentials"): 1,  # credentials USERNAME PASSWORD
    ("tsig", "secret"): 1,  # secret NAME KEY
    ("route53", "aws_access_key"): 1,  # aws_access_key AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
    ("azure", "secret"): 0,  # secret CLIENT_SECRET
    ("nomad", "token"): 0,  # token TOKEN
}
MASK = "****"
_ENV_REFERENCE = re.compile(r"\{\$[^{}]+\}|\{%[^{}%]+%\}")


def masked_args(plugin: str | None, name: str, args: list[str]) -> list[str]:
    """`args` of the line `name` inside `plugin`'s block with credentials replaced by ****
    (environment references such as {$ETCD_PASSWORD} are not secrets and stay)."""
    start = SECRET_ARGS.get((plugin or "", name))
    if start is None:
        return list(args)
    return [a if i < start or _ENV_REFERENCE.fullmatch(a) else MASK for i, a in enumerate(args)]
