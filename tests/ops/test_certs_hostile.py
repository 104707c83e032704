"""certs on hostile and unusual input: bad CA files, missing referenced files, symlink loops, deep
nesting, bytes that are not UTF-8. Each is exit 2 naming the file (and line), or a finding."""

from __future__ import annotations

import importlib.util
import io
import json
import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from goanalyzer.cli.main import main

DATA = Path(__file__).resolve().parent / "data" / "certs"
_spec = importlib.util.spec_from_file_location("certs_testgen", DATA / "certs_testgen.py")
gen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen)

NOW = "2026-11-26T00:00:00Z"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def run(capsys, *args: str) -> tuple[int, str, str]:
    rc = main(["ops", "certs", *args])
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.fixture
def loop(tmp_path: Path) -> Path:
    os.symlink("loop-b", tmp_path / "loop-a")
    os.symlink("loop-a", tmp_path / "loop-b")
    return tmp_path / "loop-a"


def test_probe_cafile_empty_wrong_or_unreadable_is_exit_2_naming_it(tmp_path, loop, capsys):
    empty = tmp_path / "empty.pem"
    empty.write_text("")
    _, key = gen.make_cert("x", utc(2025, 1, 1), utc(2027, 1, 1))
    key_file = tmp_path / "ca.key"
    key_file.write_text(gen.key_pem(key))
    broken = tmp_path / "broken.pem"
    broken.write_text("# bundle\n-----BEGIN CERTIFICATE-----\nnot*base64\n-----END CERTIFICATE-----\n")
    cases = [
        (empty, "CA file is empty"),
        (key_file, "CA file holds no PEM certificate (-----BEGIN CERTIFICATE-----)"),
        (broken, None),
        (loop, "symlink loop (too many levels of symbolic links)"),
        (tmp_path / "absent.pem", "no such file"),
    ]
    for path, message in cases:
        rc, out, err = run(capsys, "probe", "127.0.0.1:1", "--cafile", str(path))
        assert (rc, out) == (2, ""), path
        if message is None:
            assert err == f"error: {path}:2: CERTIFICATE block is not valid base64\n"
        else:
            assert err == f"error: {path}: {message}\n"
        assert "SSLError" not in err and "internal error" not in err
        assert "PRIVATE KEY" not in err


def test_kubeconfig_with_missing_referenced_files_is_a_finding_per_file(tmp_path, capsys):
    conf = tmp_path / "kubelet.conf"
    conf.write_text(
        "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    certificate-authority: pki/ca.crt\n"
        "    server: https://10.0.0.1:6443\n  name: default-cluster\nusers:\n- name: default-auth\n  user:\n"
        "    client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem\n"
        "    client-key: /var/lib/kubelet/pki/kubelet-client-current.pem\n"
    )
    rc, out, err = run(capsys, "scan", str(conf), "--now", NOW)
    assert (rc, err) == (3, "")
    assert out.splitlines() == [
        "as of Nov 26, 2026 00:00 UTC; expiring = within 30 days",
        "no certificates found",
        "",
        "findings:",
        f"  critical  {conf}:5: clusters/default-cluster/certificate-authority: referenced file pki/ca.crt is missing",
        f"  critical  {conf}:11: users/default-auth/client-certificate: referenced file"
        " /var/lib/kubelet/pki/kubelet-client-current.pem is missing",
        f"  critical  {conf}:12: users/default-auth/client-key: referenced file /var/lib/kubelet/pki/kubelet-client-current.pem is missing",
        "",
        "skipped:",
        f"  {conf}:12: users/default-auth/client-key: private key (not shown)",
        "",
        "0 certificate(s): 0 ok, 0 expiring, 0 expired, 0 not yet valid; 3 finding(s)",
    ]


def test_kubeconfig_reference_through_a_symlink_loop_says_so(tmp_path, loop, capsys):
    conf = tmp_path / "admin.conf"
    conf.write_text(f"apiVersion: v1\nkind: Config\nusers:\n- name: a\n  user:\n    client-certificate: {loop}\n")
    rc, out, _ = run(capsys, "scan", str(conf), "--now", NOW, "--format", "json")
    assert rc == 3
    assert json.loads(out)["findings"] == [{"severity": "critical", "check": "missing-file", "path": str(conf), "line": 6,
                                            "message": f"users/a/client-certificate: referenced file {loop} is a symlink loop"}]


def test_symlink_loop_named_or_in_a_tree(tmp_path, loop, capsys):
    rc, out, err = run(capsys, "scan", str(loop))
    assert (rc, out) == (2, "")
    assert err == f"error: {loop}: symlink loop (too many levels of symbolic links)\n"
    rc, out, err = run(capsys, "scan", str(tmp_path), "--now", NOW)
    assert (rc, err) == (1, "")
    lines = out.splitlines()
    assert lines[lines.index("findings:"):] == [
        "findings:",
        f"  warning   {tmp_path / 'loop-a'}: symlink loop (too many levels of symbolic links)",
        f"  warning   {tmp_path / 'loop-b'}: symlink loop (too many levels of symbolic links)",
        "",
        "0 certificate(s): 0 ok, 0 expiring, 0 expired, 0 not yet valid; 2 finding(s)",
    ]


def test_links_out_of_the_tree_are_not_followed(tmp_path, capsys):
    outside, tree = tmp_path / "outside", tmp_path / "tree"
    outside.mkdir()
    tree.mkdir()
    ca, _ = gen.make_cert("kubernetes", utc(2025, 1, 1), utc(2035, 1, 1), ca=True)
    (outside / "ca.crt").write_text(gen.pem(ca))
    (tree / "inside.crt").write_text(gen.pem(ca))
    os.symlink(outside / "ca.crt", tree / "escape.crt")
    os.symlink("inside.crt", tree / "alias.crt")
    rc, out, _ = run(capsys, "scan", str(tree), "--now", NOW, "--format", "json")
    doc = json.loads(out)
    assert rc == 0
    assert [c["name"] for c in doc["certificates"]] == [str(tree / "alias.crt"), str(tree / "inside.crt")]
    assert doc["skipped"] == [{"path": str(tree / "escape.crt"), "line": None, "malformed": False,
                               "reason": f"symlink to {outside / 'ca.crt'} outside the scanned tree (not followed)"}]


def test_deep_yaml_and_json_nesting_is_exit_2_with_file_and_line(tmp_path, capsys):
    conf = tmp_path / "deep.conf"
    conf.write_text("apiVersion: v1\nkind: Config\nclusters:\n- cluster: " + "[" * 5000 + "]" * 5000 + "\n  name: x\n")
    rc, out, err = run(capsys, "scan", str(conf))
    assert (rc, out, err) == (2, "", f"error: {conf}:4: YAML nodes nested deeper than 200 levels\n")
    saved = tmp_path / "check.json"
    saved.write_text('{"kind": "CertificateExpirationInfo",\n "certificates": ' + "[" * 5000 + "]" * 5000 + "}\n")
    rc, out, err = run(capsys, "kubeadm", str(saved))
    assert (rc, out, err) == (2, "", f"error: {saved}:2: JSON arrays/objects nested deeper than 200 levels\n")
    saved_yaml = tmp_path / "check.yaml"
    saved_yaml.write_text("apiVersion: output.kubeadm.k8s.io/v1alpha3\nkind: CertificateExpirationInfo\ncertificates:\n"
                          + "".join("  " * depth + "- \n" for depth in range(300)))
    rc, out, err = run(capsys, "kubeadm", str(saved_yaml))
    assert (rc, out) == (2, "")
    assert err == f"error: {saved_yaml}:203: YAML nodes nested deeper than 200 levels\n"


def test_non_utf8_bytes_where_the_real_tools_accept_them(tmp_path, capsys, monkeypatch):
    ca, _ = gen.make_cert("kubernetes", utc(2025, 1, 1), utc(2035, 1, 1), ca=True)
    bundle = tmp_path / "ca.crt"
    bundle.write_bytes("# 中文 comment\n".encode("gbk") + gen.pem(ca).encode())  # openssl ignores text outside blocks
    rc, out, err = run(capsys, "scan", str(bundle), "--now", NOW, "--format", "json")
    assert (rc, err) == (0, "")
    assert [(c["name"], c["line"]) for c in json.loads(out)["certificates"]] == [(str(bundle), 2)]

    conf = tmp_path / "admin.conf"
    conf.write_bytes(b"apiVersion: v1\nkind: Config\n# caf\xe9\nclusters: []\nusers: []\n")
    rc, out, err = run(capsys, "scan", str(conf))
    assert (rc, out) == (2, "")
    assert err == f"error: {conf}:3: kubeconfig holds bytes that are not UTF-8 (0xe9); kubectl rejects it too\n"

    saved = (DATA / "check-expiration-old.txt").read_bytes().replace(b"Reading", b"Reading \xd6\xd0\xce\xc4")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(saved)))
    rc, out, err = run(capsys, "kubeadm", "-", "--now", "2026-01-01T00:00:00Z")
    assert (rc, err) == (0, "")
    assert out.splitlines()[-1] == "4 entries, 0 need attention"

    log = tmp_path / "apiserver.log"
    log.write_bytes(b"I0518 10:00:00.000000       1 log.go:184] http: TLS handshake error from 10.13.96.11:50000:"
                    b" remote error: tls: bad certificate \xff\n")
    rc, out, err = run(capsys, "diagnose", str(log), "--year", "2022", "--self-ip", "10.13.96.11", "--format", "json")
    assert err == ""
    assert rc == 3
    assert "\\xff" in json.loads(out)["groups"][0]["samples"][0]["text"]
