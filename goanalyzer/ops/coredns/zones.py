"""Server block keys as CoreDNS reads them: `[scheme://]zone[:port]`, reverse zones given as CIDRs.

A CIDR key becomes the reverse zones covering it, cut at the next label boundary (8 bits for
IPv4, 4 for IPv6): `10.0.0.0/27` is 32 zones `N.0.0.10.in-addr.arpa.`, `10.96.0.0/12` is 16.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

SCHEMES = ("dns", "tls", "quic", "grpc", "https3", "https", "unix")
DEFAULT_PORTS = {"dns": "53", "tls": "853", "quic": "853", "grpc": "443", "https": "443", "https3": "443", "unix": ""}


@dataclass(slots=True)
class ZoneKey:
    """One server block key: its transport, the zones it stands for (normalized), its port."""

    text: str
    transport: str
    zones: list[str] = field(default_factory=list)
    port: str = "53"
    error: str | None = None


def normalize_name(name: str) -> str:
    """Lower case, fully qualified (trailing dot)."""
    name = name.strip().lower()
    if name in ("", "."):
        return "."
    return name if name.endswith(".") else name + "."


def parse_key(text: str) -> ZoneKey:
    """Split a key into transport, zones and port the way CoreDNS does (errors are reported, not raised)."""
    transport, rest = "dns", text
    for scheme in SCHEMES:
        if text.lower().startswith(scheme + "://"):
            transport, rest = scheme, text[len(scheme) + 3 :]
            break
    port = ""
    colon = rest.rfind(":")
    if colon == len(rest) - 1 and colon >= 0:
        return ZoneKey(text, transport, [], DEFAULT_PORTS[transport], f"expecting data after last colon: {text!r}")
    if colon >= 0 and rest[colon + 1 :].isdigit():
        port = str(int(rest[colon + 1 :]))
        rest = rest[:colon]
    port = port or DEFAULT_PORTS[transport]
    problem = _domain_problem(rest)
    if problem:
        return ZoneKey(text, transport, [], port, problem)
    zones = cidr_zones(rest)
    if zones is None:
        return ZoneKey(text, transport, [normalize_name(rest)], port)
    return ZoneKey(text, transport, zones, port)


def _domain_problem(name: str) -> str | None:
    if name in ("", "."):
        return None if name == "." else "empty zone"
    if len(name) > 255:
        return f"zone is too long: {len(name)} > 255"
    labels = name.rstrip(".").split(".")
    if any(label == "" for label in labels):
        return f"zone is not a valid domain name: {name}"
    if any(len(label) > 63 for label in labels):
        return f"zone has a label longer than 63 characters: {name}"
    return None


def cidr_zones(text: str) -> list[str] | None:
    """Reverse zones for a CIDR key, or None when `text` is not a CIDR."""
    if "/" not in text:
        return None
    try:
        network = ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None
    boundary = 8 if network.version == 4 else 4
    prefix = network.prefixlen
    if prefix % boundary == 0:
        subnets = [network]
    else:
        subnets = list(network.subnets(new_prefix=-(-prefix // boundary) * boundary))
    return [reverse_zone(subnet) for subnet in subnets]


def zone_count(text: str) -> int:
    """How many zones a key stands for, without listing them (a CIDR key counts its reverse zones)."""
    rest = text.split("://", 1)[-1]
    if "/" not in rest:
        return 1
    colon = rest.rfind(":")
    if colon >= 0 and rest[colon + 1 :].isdigit() and "/" in rest[:colon]:
        rest = rest[:colon]
    try:
        network = ipaddress.ip_network(rest, strict=False)
    except ValueError:
        return 1
    boundary = 8 if network.version == 4 else 4
    return 1 << (-network.prefixlen % boundary)


def reverse_zone(network: ipaddress.IPv4Network | ipaddress.IPv6Network) -> str:
    """The in-addr.arpa / ip6.arpa zone of a network on a label boundary."""
    labels = network.network_address.reverse_pointer.split(".")
    digit = 8 if network.version == 4 else 4
    drop = (network.max_prefixlen - network.prefixlen) // digit
    return ".".join(labels[drop:]) + "."


def query_name(name: str) -> str:
    """A name to route: an IP address becomes its PTR name."""
    try:
        return ipaddress.ip_address(name).reverse_pointer + "."
    except ValueError:
        return normalize_name(name)


def in_zone(name: str, zone: str) -> bool:
    """True when `name` equals `zone` or lies below it (both normalized)."""
    return zone == "." or name == zone or name.endswith("." + zone)
