"""Splitting `host:port` as netstat and ss print it, with service names mapped to numbers.

netstat without -n prints service names (`ssh`, `https`); a fixed table of the common
ones keeps results independent of the local /etc/services, which is consulted last.
"""

from __future__ import annotations

import socket

from goanalyzer.ops.tcp.model import Endpoint, normalise_host

WELL_KNOWN_PORTS = {
    "ftp-data": 20, "ftp": 21, "ssh": 22, "telnet": 23, "smtp": 25, "domain": 53, "http": 80,
    "kerberos": 88, "pop3": 110, "sunrpc": 111, "nntp": 119, "ntp": 123, "imap2": 143, "imap": 143,
    "snmp": 161, "ldap": 389, "https": 443, "microsoft-ds": 445, "submission": 587, "ldaps": 636,
    "imaps": 993, "pop3s": 995, "mysql": 3306, "postgresql": 5432, "http-alt": 8080,
}


def service_port(name: str) -> int | None:
    """The TCP port of a service name, or None when nothing knows it."""
    if name in WELL_KNOWN_PORTS:
        return WELL_KNOWN_PORTS[name]
    try:
        return socket.getservbyname(name, "tcp")
    except OSError:
        return None


def split_endpoint(text: str) -> Endpoint | None:
    """`10.0.0.1:80`, `[::1]:80`, `:::22`, `0.0.0.0:*`, `127.0.0.53%lo:53`, `[fe80::1]%eth0:22`,
    `host:ssh` -> Endpoint; None when there is no `:port` at all."""
    host, sep, port_text = text.rpartition(":")
    if not sep or not host or not port_text:
        return None
    if host.startswith("["):
        inner, close, scope = host[1:].partition("]")
        if not close:
            return None
        host = inner + scope  # scope is "" or "%iface"
    if port_text == "*":
        return Endpoint(normalise_host(host), 0)
    if port_text.isdigit():
        port = int(port_text)
        if port > 65535:
            return None
        return Endpoint(normalise_host(host), port)
    return Endpoint(normalise_host(host), service_port(port_text), port_text)
