"""`goanalyzer ops certs scan`: PEM bundles, DER, kubeconfigs and trees, with generated certificates."""

from __future__ import annotations

import importlib.util
import json
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


@pytest.fixture
def tree(tmp_path: Path) -> dict:
    """An /etc/kubernetes-style tree: CA, expiring apiserver chain, key, DER etcd cert, kubeconfig, manifest."""
    root = tmp_path / "kubernetes"
    pki = root / "pki"
    (pki / "etcd").mkdir(parents=True)
    (root / "manifests").mkdir()
    ca, ca_key = gen.make_cert("kubernetes", utc(2025, 1, 1), utc(2035, 1, 1), ca=True)
    api, api_key = gen.make_cert(
        "kube-apiserver", utc(2025, 12, 10), utc(2026, 12, 10), issuer=(ca, ca_key),
        dns=["kubernetes", "kubernetes.default"], ips=["10.96.0.1", "10.13.96.11"],
    )
    etcd, _ = gen.make_cert("etcd-server", utc(2024, 1, 1), utc(2025, 1, 1), issuer=(ca, ca_key), dns=["localhost"])
    future, _ = gen.make_cert("front-proxy-client", utc(2027, 1, 1), utc(2028, 1, 1), issuer=(ca, ca_key), client=True)
    admin, admin_key = gen.make_cert("kubernetes-admin", utc(2025, 12, 1), utc(2027, 12, 1), issuer=(ca, ca_key), org="system:masters", client=True)
    (pki / "ca.crt").write_text(gen.pem(ca))
    (pki / "apiserver.crt").write_text(gen.pem(api) + gen.pem(ca))
    (pki / "apiserver.key").write_text(gen.key_pem(api_key))
    (pki / "sa.pub").write_text(gen.public_pem(api_key))
    (pki / "front-proxy-client.crt").write_text(gen.pem(future))
    (pki / "etcd" / "server.der").write_bytes(gen.der(etcd))
    (root / "admin.conf").write_text(gen.kubeconfig(ca, admin, admin_key))
    (root / "manifests" / "kube-apiserver.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n")
    return {"root": root, "api_key": api_key, "admin_key": admin_key}


def run(capsys, *args: str) -> tuple[int, str, str]:
    rc = main(["ops", "certs", *args])
    out, err = capsys.readouterr()
    return rc, out, err


def test_scan_tree_table_flags_expired_expiring_and_future(tree, capsys, monkeypatch):
    monkeypatch.chdir(tree["root"].parent)
    rc, out, err = run(capsys, "scan", "kubernetes", "--now", NOW)
    assert rc == 3
    assert err == ""
    lines = out.splitlines()
    assert lines[0] == "as of Nov 26, 2026 00:00 UTC; expiring = within 30 days"
    header = lines[1].split()
    assert header == ["CERTIFICATE", "SUBJECT", "ISSUER", "EXPIRES", "RESIDUAL", "TIME", "CA", "SANS", "SIGNED", "BY", "KEY", "STATUS"]
    rows = {line.split()[0]: line for line in lines[2:9]}
    assert sorted(rows) == [
        "kubernetes/admin.conf:clusters/kubernetes/certificate-authority-data",
        "kubernetes/admin.conf:users/kubernetes-admin/client-certificate-data",
        "kubernetes/pki/apiserver.crt#1",
        "kubernetes/pki/apiserver.crt#2",
        "kubernetes/pki/ca.crt",
        "kubernetes/pki/etcd/server.der",
        "kubernetes/pki/front-proxy-client.crt",
    ]
    api = rows["kubernetes/pki/apiserver.crt#1"]
    assert "CN=kube-apiserver" in api and "Dec 10, 2026 00:00 UTC   14d" in api
    assert api.endswith("DNS:kubernetes, DNS:kubernetes.default, IP:10.96.0.1, IP:10.13.96.11   ca                 match   EXPIRING")
    assert rows["kubernetes/pki/apiserver.crt#2"].split()[-4:] == ["self-signed", "(ca)", "-", "ok"]
    assert " yes " in rows["kubernetes/pki/ca.crt"]
    assert rows["kubernetes/pki/etcd/server.der"].split()[-3:] == ["ca", "-", "EXPIRED"]
    assert "Jan 01, 2025 00:00 UTC   <invalid>   " in rows["kubernetes/pki/etcd/server.der"]
    assert rows["kubernetes/pki/front-proxy-client.crt"].endswith("NOT YET VALID")
    admin = rows["kubernetes/admin.conf:users/kubernetes-admin/client-certificate-data"]
    assert "CN=kubernetes-admin,O=system:masters" in admin and admin.split()[-3:] == ["ca", "match", "ok"]
    assert lines[9:12] == ["", "kubeadm:", "CERTIFICATE                          EXPIRES                  RESIDUAL TIME   "
                           "CERTIFICATE AUTHORITY   EXTERNALLY MANAGED   STATUS          RENEW                                                    RESTART"]
    assert lines[12:14] == [
        "admin.conf                           Dec 01, 2027 00:00 UTC   1y              ca                      yes                  ok              renew with the external CA (no pki/ca.key)               -",
        "apiserver                            Dec 10, 2026 00:00 UTC   14d             ca                      yes                  EXPIRING        renew with the external CA (no pki/ca.key)               kube-apiserver",
    ]
    findings = lines[lines.index("findings:") + 1: lines.index("skipped:") - 1]
    assert findings[0] == "  critical  kubernetes/pki/front-proxy-client.crt:1: signed by ca, kubeadm expects front-proxy-ca"
    assert len(findings) == 17
    assert lines[lines.index("skipped:") - 1:] == [
        "",
        "skipped:",
        "  kubernetes/admin.conf:19: users/kubernetes-admin/client-key-data: private key (not shown)",
        "  kubernetes/pki/apiserver.key:1: private key (not shown)",
        "  kubernetes/pki/sa.pub:1: public key",
        "",
        "7 certificate(s): 4 ok, 1 expiring, 1 expired, 1 not yet valid; 17 finding(s)",
    ]


def test_scan_never_prints_private_keys(tree, capsys):
    for fmt in ("text", "json"):
        rc, out, _ = run(capsys, "scan", str(tree["root"]), "--now", NOW, "--format", fmt)
        assert rc == 3
        for key in (tree["api_key"], tree["admin_key"]):
            body = "".join(gen.key_pem(key).splitlines()[1:-1])
            assert body[:40] not in out
            assert gen.b64(gen.key_pem(key))[:40] not in out
        assert "PRIVATE KEY-----" not in out


def test_scan_json_values(tree, capsys):
    rc, out, _ = run(capsys, "scan", str(tree["root"] / "pki" / "apiserver.crt"), "--now", NOW, "--format", "json")
    assert rc == 1
    doc = json.loads(out)
    assert doc["summary"] == {"certificates": 2, "ok": 1, "expiring": 1, "expired": 0, "not-yet-valid": 0, "critical": 0, "warning": 1,
                              "findings": 0}
    leaf = doc["certificates"][0]
    assert leaf["name"].endswith("apiserver.crt#1")
    assert leaf["line"] == 1
    assert leaf["kind"] == "pem"
    assert leaf["certificate"]["subject"] == "CN=kube-apiserver"
    assert leaf["certificate"]["issuer"] == "CN=kubernetes"
    assert leaf["certificate"]["not_after"] == "2026-12-10T00:00:00+00:00"
    assert leaf["certificate"]["is_ca"] is False
    assert leaf["certificate"]["usages"] == ["server auth"]
    assert leaf["certificate"]["sans"] == ["DNS:kubernetes", "DNS:kubernetes.default", "IP:10.96.0.1", "IP:10.13.96.11"]
    assert leaf["assessment"] == {"status": "expiring", "severity": "warning", "residual_seconds": 14 * 86400, "residual": "14d"}
    ca = doc["certificates"][1]
    assert ca["name"].endswith("apiserver.crt#2") and ca["certificate"]["is_ca"] is True and ca["certificate"]["self_signed"] is True
    assert (leaf["chain"], leaf["signed_by"], leaf["key"]) == ("verified", ca["name"], "match")  # the CA copy in the bundle
    assert leaf["key_path"] == str(tree["root"] / "pki" / "apiserver.key")
    assert leaf["kubeadm"] == {"name": "apiserver", "section": "certificate", "certificate_authority": "ca", "externally_managed": True,
                               "renew": "renew with the external CA (no pki/ca.key)", "restart": ["kube-apiserver"]}
    assert (ca["chain"], ca["signed_by"], ca["key"], ca["kubeadm"]) == ("self-signed", None, "none", None)


def test_scan_warn_and_crit_days_change_the_exit_code(tree, capsys):
    path = str(tree["root"] / "pki" / "apiserver.crt")
    assert run(capsys, "scan", path, "--now", NOW, "--warn-days", "7")[0] == 0
    assert run(capsys, "scan", path, "--now", NOW, "--warn-days", "30")[0] == 1
    assert run(capsys, "scan", path, "--now", NOW, "--crit-days", "20")[0] == 3


def test_scan_kubeconfig_referenced_file(tmp_path, capsys):
    ca, ca_key = gen.make_cert("kubernetes", utc(2025, 1, 1), utc(2035, 1, 1), ca=True)
    client, _ = gen.make_cert("system:node:node-1", utc(2025, 1, 1), utc(2027, 6, 1), issuer=(ca, ca_key), org="system:nodes", client=True)
    (tmp_path / "pki").mkdir()
    (tmp_path / "pki" / "kubelet-client-current.pem").write_text(gen.pem(client))
    (tmp_path / "kubelet.conf").write_text(
        "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    certificate-authority-data: " + gen.b64(gen.pem(ca)) +
        "\n    server: https://10.13.96.11:6443\n  name: default-cluster\nusers:\n- name: default-auth\n  user:\n"
        "    client-certificate: pki/kubelet-client-current.pem\n    client-key: pki/kubelet-client-current.pem\n"
        "- name: gone\n  user:\n    client-certificate: /nonexistent/client.crt\n"
    )
    rc, out, _ = run(capsys, "scan", str(tmp_path / "kubelet.conf"), "--now", NOW, "--format", "json")
    assert rc == 3
    doc = json.loads(out)
    names = [c["name"] for c in doc["certificates"]]
    conf = str(tmp_path / "kubelet.conf")
    assert names == [
        f"{conf}:clusters/default-cluster/certificate-authority-data",
        f"{conf}:users/default-auth/client-certificate={tmp_path / 'pki' / 'kubelet-client-current.pem'}",
    ]
    assert [s["reason"] for s in doc["skipped"]] == ["users/default-auth/client-key: private key (not shown)"]
    assert doc["findings"] == [{"severity": "critical", "check": "missing-file", "path": conf, "line": 15,
                                "message": "users/gone/client-certificate: referenced file /nonexistent/client.crt is missing"}]
    assert doc["certificates"][1]["key"] == "no private key in it"


def test_scan_malformed_pem_names_file_and_line(tmp_path, capsys):
    ca, _ = gen.make_cert("kubernetes", utc(2025, 1, 1), utc(2035, 1, 1), ca=True)
    unterminated = tmp_path / "bundle.crt"
    unterminated.write_text(gen.pem(ca) + "-----BEGIN CERTIFICATE-----\nMIIB\n")
    body = gen.pem(ca).splitlines()
    lines_in_first = len(body)
    rc, out, err = run(capsys, "scan", str(unterminated))
    assert (rc, out) == (2, "")
    assert err == f"error: {unterminated}:{lines_in_first + 1}: PEM block CERTIFICATE has no END line\n"

    bad = tmp_path / "bad.pem"
    bad.write_text("# comment\n-----BEGIN CERTIFICATE-----\nnot*base64\n-----END CERTIFICATE-----\n")
    rc, _, err = run(capsys, "scan", str(bad))
    assert rc == 2
    assert err == f"error: {bad}:2: CERTIFICATE block is not valid base64\n"

    junk = tmp_path / "junk.pem"
    junk.write_text("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    rc, _, err = run(capsys, "scan", str(junk))
    assert rc == 2
    assert err.startswith(f"error: {junk}:1: CERTIFICATE block does not decode as X.509: ")


def test_scan_kubeconfig_bad_base64_names_line(tmp_path, capsys):
    conf = tmp_path / "admin.conf"
    conf.write_text("apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    certificate-authority-data: '%%%'\n  name: k\n")
    rc, _, err = run(capsys, "scan", str(conf))
    assert rc == 2
    assert err == f"error: {conf}:5: clusters/k/certificate-authority-data is not valid base64\n"


def test_scan_explicit_unrecognised_or_missing_file(tmp_path, capsys):
    notes = tmp_path / "notes.txt"
    notes.write_text("hello\n")
    rc, _, err = run(capsys, "scan", str(notes))
    assert rc == 2
    assert err == f"error: {notes}: no certificate, key or kubeconfig found (expected PEM, DER or a kubeconfig)\n"
    rc, _, err = run(capsys, "scan", str(tmp_path / "absent.crt"))
    assert rc == 2
    assert err == f"error: {tmp_path / 'absent.crt'}: no such file or directory\n"


def test_scan_empty_directory_is_ok(tmp_path, capsys):
    rc, out, _ = run(capsys, "scan", str(tmp_path), "--now", NOW)
    assert rc == 0
    assert out.splitlines() == [
        "as of Nov 26, 2026 00:00 UTC; expiring = within 30 days",
        "no certificates found",
        "",
        "0 certificate(s): 0 ok, 0 expiring, 0 expired, 0 not yet valid; 0 finding(s)",
    ]


def test_scan_help_documents_exit_codes(capsys):
    rc, out, _ = run(capsys, "scan", "--help")
    assert rc == 0
    assert "3  critical: a certificate is expired, not yet valid, or within --crit-days" in out
    assert "--warn-days" in out


def test_scan_tree_lists_a_malformed_file_and_goes_on(tmp_path, capsys):
    ca, _ = gen.make_cert("kubernetes", utc(2025, 1, 1), utc(2035, 1, 1), ca=True)
    (tmp_path / "ca.crt").write_text(gen.pem(ca))
    broken = tmp_path / "front-proxy-ca.crt"
    broken.write_text("-----BEGIN CERTIFICATE-----\nMIIB\n")
    rc, out, err = run(capsys, "scan", str(tmp_path), "--now", NOW, "--format", "json")
    assert (rc, err) == (1, "")
    doc = json.loads(out)
    assert [c["name"] for c in doc["certificates"]] == [str(tmp_path / "ca.crt")]
    assert doc["summary"]["warning"] == 0 and doc["summary"]["ok"] == 1
    assert doc["skipped"] == [
        {"path": str(broken), "line": 1, "reason": "malformed: PEM block CERTIFICATE has no END line", "malformed": True},
    ]
    rc, out, _ = run(capsys, "scan", str(tmp_path), "--now", NOW)
    assert rc == 1
    assert out.splitlines()[-4:] == [
        "skipped:",
        f"  {broken}:1: malformed: PEM block CERTIFICATE has no END line",
        "",
        "1 certificate(s): 1 ok, 0 expiring, 0 expired, 0 not yet valid; 0 finding(s)",
    ]
    rc, _, err = run(capsys, "scan", str(broken))
    assert (rc, err) == (2, f"error: {broken}:1: PEM block CERTIFICATE has no END line\n")
