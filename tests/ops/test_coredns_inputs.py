"""coredns on the inputs SREs actually have: stdin, ConfigMaps saved as JSON, and Corefiles whose
comments are not UTF-8 (GBK, Latin-1), which CoreDNS reads without complaint."""

from __future__ import annotations

import io
import json
import sys

from goanalyzer.cli.main import main

GBK_COMMENT = "# 上游 DNS 服务器\n".encode("gbk")
LATIN1_COMMENT = "# café résolveur\n".encode("latin-1")


def run(capsysbinary, *argv):
    rc = main(["ops", "coredns", *argv])
    out, err = capsysbinary.readouterr()
    return rc, out, err.decode()


def feed_stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_dash_reads_stdin_for_every_command(capsysbinary, monkeypatch):
    corefile = b".:53 {\n    forward .  8.8.8.8\n}\n"
    expected = {
        "print": corefile,
        "fmt": b".:53 {\n    forward . 8.8.8.8\n}\n",
        "parse": b"<stdin>: 1 item(s)\nline 1: server block dns://.:53\n  2: forward . 8.8.8.8\n",
        "lint": b"<stdin>: no findings\n",
    }
    for command, out in expected.items():
        feed_stdin(monkeypatch, corefile)
        assert run(capsysbinary, command, "-") == (0, out, "")
    feed_stdin(monkeypatch, corefile)
    rc, out, _ = run(capsysbinary, "route", "-", "example.org")
    assert rc == 0 and out.splitlines()[1] == b"answered by the server block at <stdin>:1 (.:53), zone . over dns"
    feed_stdin(monkeypatch, corefile)
    rc, out, _ = run(capsysbinary, "multicluster", "-", "--remote-name", "b", "--remote-dns", "192.0.2.1")
    assert rc == 2  # no kubernetes plugin: the refusal names stdin
    feed_stdin(monkeypatch, b". {\n    hosts{\n    }\n}\n")
    rc, out, err = run(capsysbinary, "parse", "-")
    assert (rc, out) == (2, b"") and err.startswith("error: <stdin>:2: `hosts{`")


def test_configmap_saved_as_json(capsysbinary, tmp_path):
    corefile = ".:53 {\n    errors\n    kubernetes cluster.local in-addr.arpa ip6.arpa\n    forward . /etc/resolv.conf\n}\n"
    configmap = {"apiVersion": "v1", "kind": "ConfigMap",
                 "metadata": {"name": "coredns", "namespace": "kube-system"}, "data": {"Corefile": corefile}}
    path = tmp_path / "coredns.json"
    path.write_text(json.dumps(configmap, indent=4))
    assert run(capsysbinary, "print", str(path)) == (0, corefile.encode(), "")
    rc, out, _ = run(capsysbinary, "print", str(path), "--format", "json")
    assert (rc, json.loads(out)["source"]) == (0, "configmap")
    assert run(capsysbinary, "lint", str(path)) == (0, f"{path}: no findings\n".encode(), "")
    listed = tmp_path / "list.json"
    listed.write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": [configmap]}))
    assert run(capsysbinary, "print", str(listed)) == (0, corefile.encode(), "")
    # Corefile errors count lines of the Corefile (a JSON string has no lines of its own)
    configmap["data"]["Corefile"] = ".:53 {\n    errors\n"
    path.write_text(json.dumps(configmap))
    assert run(capsysbinary, "parse", str(path)) == (
        2, b"", f"error: {path}:1: missing '}}' for the server block opened at line 1\n")


def test_json_that_is_not_a_configmap(capsysbinary, tmp_path):
    path = tmp_path / "cm.json"
    path.write_text('{"kind": "ConfigMap",\n "data": {"Corefile": 1}}')
    assert run(capsysbinary, "parse", str(path)) == (
        2, b"", f"error: {path}:1: JSON without a ConfigMap data.Corefile key\n")
    path.write_text('{"kind": "ConfigMap",\n "data": {"Corefile": "x"}')
    assert run(capsysbinary, "parse", str(path)) == (
        2, b"", f"error: {path}:2: not valid JSON: Expecting ',' delimiter\n")
    path.write_text('{"kind": "ConfigMap", "x": ' + "[" * 300 + "]" * 300 + "}")
    assert run(capsysbinary, "parse", str(path)) == (
        2, b"", f"error: {path}:1: JSON arrays/objects nested deeper than 200 levels\n")


def test_non_utf8_comments_kept_byte_for_byte(capsysbinary, tmp_path):
    path = tmp_path / "Corefile"
    raw = GBK_COMMENT + b".:53 {\n" + LATIN1_COMMENT + b"    forward .   8.8.8.8\n}\n"
    path.write_bytes(raw)
    assert run(capsysbinary, "print", str(path)) == (0, raw, "")
    assert run(capsysbinary, "fmt", str(path)) == (
        0, GBK_COMMENT + b".:53 {\n    " + LATIN1_COMMENT + b"    forward . 8.8.8.8\n}\n", "")
    warning = f"warning: {path}:1: bytes that are not UTF-8 (kept as they are; shown as \\xNN escapes)\n"
    rc, out, err = run(capsysbinary, "parse", str(path), "--format", "json")
    assert (rc, err) == (0, warning)
    assert json.loads(out)["comments"] == [
        {"line": 1, "text": "# \\xc9\\xcf\\xd3\\xce DNS \\xb7\\xfe\\xce\\xf1\\xc6\\xf7"},
        {"line": 3, "text": "# caf\\xe9 r\\xe9solveur"},
    ]
    assert run(capsysbinary, "lint", str(path)) == (0, f"{path}: no findings\n".encode(), warning)


def test_non_utf8_word_is_shown_escaped(capsysbinary, tmp_path):
    path = tmp_path / "Corefile"
    path.write_bytes(b"caf\xe9.example {\n    whoami\n}\n")
    rc, out, err = run(capsysbinary, "parse", str(path))
    assert (rc, out) == (0, f"{path}: 1 item(s)\nline 1: server block dns://caf\\xe9.example.:53\n  2: whoami\n".encode())
    assert err == f"warning: {path}:1: bytes that are not UTF-8 (kept as they are; shown as \\xNN escapes)\n"
    assert run(capsysbinary, "print", str(path))[1] == path.read_bytes()


def test_non_utf8_configmap_is_refused_at_its_line(capsysbinary, tmp_path):
    path = tmp_path / "cm.yaml"
    path.write_bytes(b"apiVersion: v1\nkind: ConfigMap\ndata:\n  Corefile: |\n    # caf\xe9\n    . {\n    }\n")
    assert run(capsysbinary, "print", str(path)) == (
        2, b"", f"error: {path}:5: bytes that are not UTF-8 in a ConfigMap (Kubernetes stores ConfigMap data as "
                "UTF-8 text; kubectl refuses this file too)\n")


def test_multicluster_keeps_non_utf8_bytes(capsysbinary, tmp_path):
    path = tmp_path / "Corefile"
    raw = b".:53 {\n    " + LATIN1_COMMENT + b"    kubernetes cluster.local\n}\n"
    path.write_bytes(raw)
    rc, out, _ = run(capsysbinary, "multicluster", str(path), "--remote-name", "b", "--remote-dns", "192.0.2.1")
    assert rc == 0 and out.startswith(raw)
    rc, out, err = run(capsysbinary, "multicluster", str(path), "--remote-name", "b", "--remote-dns", "192.0.2.1",
                       "--format", "configmap")
    assert (rc, out) == (2, b"")
    assert err.endswith(f"error: {path}:2: bytes that are not UTF-8 cannot go into a ConfigMap (Kubernetes "
                        "stores its data as UTF-8 text); fix them or use --format corefile\n")


def test_yaml_flow_mapping_configmap_is_not_mistaken_for_json(capsysbinary, tmp_path):
    path = tmp_path / "cm.yaml"
    path.write_text('{apiVersion: v1, kind: ConfigMap, data: {Corefile: ".:53 {\\n    whoami\\n}\\n"}}\n')
    assert run(capsysbinary, "print", str(path)) == (0, b".:53 {\n    whoami\n}\n", "")


def test_control_character_in_configmap_is_exit_2_with_the_line(capsysbinary, tmp_path):
    path = tmp_path / "cm.yaml"
    path.write_text('apiVersion: v1\nkind: ConfigMap\ndata:\n  Corefile: "\x07"\n')
    assert run(capsysbinary, "parse", str(path)) == (
        2, b"", f"error: {path}:4: not valid YAML: character 0x0007 is not allowed\n")
