"""route: longest zone match on the port, plugins in plugin.cfg order, rewrites applied."""

from __future__ import annotations

from pathlib import Path

import pytest

from goanalyzer.ops.coredns.expand import expand
from goanalyzer.ops.coredns.parser import parse_corefile
from goanalyzer.ops.coredns.plugins import PLUGIN_ORDER
from goanalyzer.ops.coredns.route import route

DATA = Path(__file__).resolve().parent / "data" / "coredns"
SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples" / "corefiles"


def load(path: Path, env=None):
    return expand(parse_corefile(path.read_text(), str(path)), env=env or {})


def test_kubeadm_default_plugins_in_plugin_cfg_order():
    if not SAMPLES.is_dir():
        pytest.skip("shared samples not present")
    result = route(load(SAMPLES / "01-kubeadm-default.rendered.Corefile"), "kubernetes.default.svc.cluster.local")
    assert result.found and result.zone == "." and result.line == 1
    assert [s.plugin for s in result.steps] == [
        "reload", "ready", "health", "prometheus", "errors", "loadbalance", "cache", "kubernetes", "loop", "forward",
    ]
    assert [s.lines for s in result.steps][:3] == [[21], [6], [3]]
    notes = {s.plugin: s.note for s in result.steps}
    assert notes["kubernetes"] == "answers from its zone cluster.local.; fallthrough in-addr.arpa ip6.arpa on NXDOMAIN"
    assert notes["forward"] == "forwards to /etc/resolv.conf"


def test_longest_zone_wins_and_stub_blocks():
    if not SAMPLES.is_dir():
        pytest.skip("shared samples not present")
    expanded = load(SAMPLES / "05b-corefile-migration-multiproxy.to-1.5.0.expected.Corefile")
    stub = route(expanded, "www.mystub-2.example.org")
    assert (stub.zone, stub.line) == ("mystub-2.example.org.", 24)
    assert [s.plugin for s in stub.steps] == ["errors", "cache", "loop", "forward"]
    other = route(expanded, "example.org")
    assert (other.zone, other.line) == (".", 1)


def test_ports_and_schemes_and_imports():
    expanded = load(DATA / "syntax-tour.Corefile", {"UPSTREAM": "1.1.1.1", "REV_ZONE": "rev.example"})
    tls = route(expanded, "example.org", port="853")
    assert (tls.transport, tls.line, [s.plugin for s in tls.steps]) == ("tls", 25, ["tls", "whoami"])
    assert route(expanded, "example.org", port="443").transport in ("grpc", "https")
    imported = route(expanded, "www.remote.example")
    assert Path(imported.file).name == "remote.server" and imported.line == 1
    main = route(expanded, "kubernetes.default.svc.cluster.local")
    # snippet and file imports are part of the chain, sorted by plugin.cfg
    assert [s.plugin for s in main.steps] == ["health", "errors", "log", "loadbalance", "cache", "kubernetes", "forward"]
    assert {s.plugin: s.note for s in main.steps}["forward"] == "forwards to 1.1.1.1 9.9.9.9"
    other_port = route(expanded, "example.com", port="1053")
    assert other_port.line == 30
    assert not route(expanded, "example.com", port="5353").found


def test_ip_address_routes_its_ptr_name():
    expanded = load(DATA / "syntax-tour.Corefile", {"REV_ZONE": "rev.example"})
    result = route(expanded, "10.1.2.3")
    assert result.name == "3.2.1.10.in-addr.arpa." and result.zone == "10.in-addr.arpa." and result.line == 38


def test_rewrite_changes_the_name_for_later_plugins(tmp_path):
    path = tmp_path / "Corefile"
    path.write_text(
        "b.local {\n  forward . 192.0.2.1\n  rewrite name suffix .b.local .cluster.local answer auto\n"
        "  kubernetes cluster.local\n}\n"
    )
    result = route(load(path), "web.default.svc.b.local")
    assert [(s.order, s.plugin, s.note) for s in result.steps] == [
        (1, "rewrite", "rewrites the name to web.default.svc.cluster.local."),
        (2, "kubernetes", "answers from its zone cluster.local."),
        (3, "forward", "forwards to 192.0.2.1"),
    ]
    assert result.final_name == "web.default.svc.cluster.local."


def test_unknown_plugins_listed_apart(tmp_path):
    path = tmp_path / "Corefile"
    path.write_text(". {\n  proxy . 8.8.8.8\n  errors\n}\n")
    result = route(load(path), "example.org")
    assert [s.plugin for s in result.steps] == ["errors"]
    assert [(s.plugin, s.order, s.lines) for s in result.unknown] == [("proxy", None, [2])]


def test_plugin_order_matches_coredns_plugin_cfg_landmarks():
    order = list(PLUGIN_ORDER)
    assert order.index("rewrite") < order.index("cache") < order.index("kubernetes") < order.index("forward")
    assert order.index("errors") < order.index("log") and order[0] == "root"
