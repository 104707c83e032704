"""`certs scan` on a kubeadm control-plane tree: renew plan, key match, chain, expected files, CA names."""

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


def run(capsys, *args: str) -> tuple[int, str, str]:
    rc = main(["ops", "certs", *args])
    out, err = capsys.readouterr()
    return rc, out, err


def _leaf(folder: Path, stem: str, cn: str, issuer, not_after: datetime, *, key=None, client: bool = True) -> None:
    cert, own_key = gen.make_cert(cn, utc(2025, 11, 1), not_after, issuer=issuer, client=client)
    (folder / f"{stem}.crt").write_text(gen.pem(cert))
    (folder / f"{stem}.key").write_text(gen.key_pem(key if key is not None else own_key))


@pytest.fixture
def control_plane(tmp_path: Path) -> Path:
    """A kubeadm /etc/kubernetes: stacked etcd, front-proxy CA key removed (external), etcd-peer missing,
    apiserver expired, apiserver-kubelet-client with someone else's key, scheduler.conf signed by an
    impostor CA with kubeadm's CA name, controller-manager.conf expiring."""
    root = tmp_path / "kubernetes"
    pki = root / "pki"
    (pki / "etcd").mkdir(parents=True)
    (root / "manifests").mkdir()
    cas = {}
    for folder, stem, cn in ((pki, "ca", "kubernetes"), (pki / "etcd", "ca", "etcd-ca"), (pki, "front-proxy-ca", "front-proxy-ca")):
        cert, key = gen.make_cert(cn, utc(2025, 1, 1), utc(2035, 1, 1), ca=True)
        (folder / f"{stem}.crt").write_text(gen.pem(cert))
        (folder / f"{stem}.key").write_text(gen.key_pem(key))
        cas[f"{folder.name}/{stem}"] = (cert, key)
    (pki / "front-proxy-ca.key").unlink()
    ca, etcd_ca, fp_ca = cas["pki/ca"], cas["etcd/ca"], cas["pki/front-proxy-ca"]
    _leaf(pki, "apiserver", "kube-apiserver", ca, utc(2026, 11, 1), client=False)
    stranger, stranger_key = gen.make_cert("stranger", utc(2025, 1, 1), utc(2030, 1, 1))
    _leaf(pki, "apiserver-kubelet-client", "kube-apiserver-kubelet-client", ca, utc(2027, 11, 1), key=stranger_key)
    _leaf(pki, "apiserver-etcd-client", "kube-apiserver-etcd-client", etcd_ca, utc(2027, 11, 1))
    _leaf(pki, "front-proxy-client", "front-proxy-client", fp_ca, utc(2027, 11, 1))
    _leaf(pki / "etcd", "server", "node-1", etcd_ca, utc(2027, 11, 1), client=False)
    _leaf(pki / "etcd", "healthcheck-client", "kube-etcd-healthcheck-client", etcd_ca, utc(2027, 11, 1))
    (pki / "sa.key").write_text(gen.key_pem(stranger_key))
    (pki / "sa.pub").write_text(gen.public_pem(stranger_key))
    impostor = gen.make_cert("kubernetes", utc(2025, 1, 1), utc(2035, 1, 1), ca=True)
    for conf, user, issuer, not_after in (
        ("admin.conf", "kubernetes-admin", ca, utc(2027, 11, 1)),
        ("super-admin.conf", "kubernetes-super-admin", ca, utc(2027, 11, 1)),
        ("controller-manager.conf", "system:kube-controller-manager", ca, utc(2026, 12, 6)),
        ("scheduler.conf", "system:kube-scheduler", impostor, utc(2027, 11, 1)),
    ):
        client, client_key = gen.make_cert(user, utc(2025, 11, 1), not_after, issuer=issuer, client=True)
        (root / conf).write_text(gen.kubeconfig(ca[0], client, client_key, user=user))
    (root / "manifests" / "kube-apiserver.yaml").write_text("apiVersion: v1\nkind: Pod\n")
    return root


def test_kubeadm_table_renew_plan_and_findings(control_plane, capsys, monkeypatch):
    monkeypatch.chdir(control_plane.parent)
    rc, out, err = run(capsys, "scan", "kubernetes", "--now", NOW)
    assert (rc, err) == (3, "")
    lines = out.splitlines()
    start = lines.index("kubeadm:")
    end = lines.index("skipped:")
    assert lines[start:end] == [
        'kubeadm:',
        'CERTIFICATE                EXPIRES                  RESIDUAL TIME   CERTIFICATE AUTHORITY   EXTERNALLY MANAGED   STATUS     RENEW                                                    RESTART',
        'admin.conf                 Nov 01, 2027 00:00 UTC   340d            ca                      no                   ok         kubeadm certs renew admin.conf                           -',
        'apiserver                  Nov 01, 2026 00:00 UTC   <invalid>       ca                      no                   EXPIRED    kubeadm certs renew apiserver                            kube-apiserver',
        'apiserver-etcd-client      Nov 01, 2027 00:00 UTC   340d            etcd-ca                 no                   ok         kubeadm certs renew apiserver-etcd-client                kube-apiserver',
        'apiserver-kubelet-client   Nov 01, 2027 00:00 UTC   340d            ca                      no                   ok         kubeadm certs renew apiserver-kubelet-client             kube-apiserver',
        'controller-manager.conf    Dec 06, 2026 00:00 UTC   10d             ca                      no                   EXPIRING   kubeadm certs renew controller-manager.conf              kube-controller-manager',
        'etcd-healthcheck-client    Nov 01, 2027 00:00 UTC   340d            etcd-ca                 no                   ok         kubeadm certs renew etcd-healthcheck-client              etcd',
        '!MISSING! etcd-peer                                                                                              MISSING    -                                                        -',
        'etcd-server                Nov 01, 2027 00:00 UTC   340d            etcd-ca                 no                   ok         kubeadm certs renew etcd-server                          etcd',
        'front-proxy-client         Nov 01, 2027 00:00 UTC   340d            front-proxy-ca          yes                  ok         renew with the external CA (no pki/front-proxy-ca.key)   kube-apiserver',
        'scheduler.conf             Nov 01, 2027 00:00 UTC   340d            ca                      no                   ok         kubeadm certs renew scheduler.conf                       kube-scheduler',
        'super-admin.conf           Nov 01, 2027 00:00 UTC   340d            ca                      no                   ok         kubeadm certs renew super-admin.conf                     -',
        '',
        'CERTIFICATE AUTHORITY   EXPIRES                  RESIDUAL TIME   EXTERNALLY MANAGED   STATUS',
        'ca                      Jan 01, 2035 00:00 UTC   8y              no                   ok',
        'etcd-ca                 Jan 01, 2035 00:00 UTC   8y              no                   ok',
        'front-proxy-ca          Jan 01, 2035 00:00 UTC   8y              yes                  ok',
        '',
        'renew plan:',
        '  kubeadm certs renew apiserver',
        '  kubeadm certs renew controller-manager.conf',
        '  restart the static pods kube-apiserver, kube-controller-manager: move each manifest out of /etc/kubernetes/manifests, wait 20 s, move it back',
        '',
        'findings:',
        '  critical  kubernetes/pki/apiserver-kubelet-client.crt:1: private key kubernetes/pki/apiserver-kubelet-client.key does not belong to this certificate',
        '  critical  kubernetes/scheduler.conf:18: kubernetes/scheduler.conf:users/system:kube-scheduler/client-certificate-data: issuer CN=kubernetes was scanned, but its key did not sign this certificate (a CA replaced without re-issuing?)',
        "  warning   kubernetes/pki/etcd/peer.crt: missing: kubeadm's etcd-peer",
        "  warning   kubernetes/pki/etcd/peer.key: missing: kubeadm's etcd-peer private key",
        '',
    ]
    assert lines[-1] == "17 certificate(s): 15 ok, 1 expiring, 1 expired, 0 not yet valid; 4 finding(s)"


def test_main_table_signed_by_and_key_columns(control_plane, capsys, monkeypatch):
    monkeypatch.chdir(control_plane.parent)
    rc, out, _ = run(capsys, "scan", "kubernetes", "--now", NOW, "--format", "json")
    assert rc == 3
    rows = {row["name"]: row for row in json.loads(out)["certificates"]}
    picked = {name.removeprefix("kubernetes/"): (row["chain"], row["signed_by"], row["key"]) for name, row in rows.items()}
    assert picked == {
        "admin.conf:clusters/kubernetes/certificate-authority-data": ("self-signed", "ca", "none"),
        "admin.conf:users/kubernetes-admin/client-certificate-data": ("verified", "ca", "match"),
        "controller-manager.conf:clusters/kubernetes/certificate-authority-data": ("self-signed", "ca", "none"),
        "controller-manager.conf:users/system:kube-controller-manager/client-certificate-data": ("verified", "ca", "match"),
        "pki/apiserver-etcd-client.crt": ("verified", "etcd-ca", "match"),
        "pki/apiserver-kubelet-client.crt": ("verified", "ca", "mismatch"),
        "pki/apiserver.crt": ("verified", "ca", "match"),
        "pki/ca.crt": ("self-signed", "ca", "match"),
        "pki/etcd/ca.crt": ("self-signed", "etcd-ca", "match"),
        "pki/etcd/healthcheck-client.crt": ("verified", "etcd-ca", "match"),
        "pki/etcd/server.crt": ("verified", "etcd-ca", "match"),
        "pki/front-proxy-ca.crt": ("self-signed", "front-proxy-ca", "none"),
        "pki/front-proxy-client.crt": ("verified", "front-proxy-ca", "match"),
        "scheduler.conf:clusters/kubernetes/certificate-authority-data": ("self-signed", "ca", "none"),
        "scheduler.conf:users/system:kube-scheduler/client-certificate-data": ("bad-signature", None, "match"),
        "super-admin.conf:clusters/kubernetes/certificate-authority-data": ("self-signed", "ca", "none"),
        "super-admin.conf:users/kubernetes-super-admin/client-certificate-data": ("verified", "ca", "match"),
    }
    rc, out, _ = run(capsys, "scan", "kubernetes", "--now", NOW)
    table = {line.split()[0]: line for line in out.splitlines()[2:19]}
    assert table["kubernetes/pki/apiserver-kubelet-client.crt"].endswith("   ca                             MISMATCH   ok")
    assert table["kubernetes/scheduler.conf:users/system:kube-scheduler/client-certificate-data"].endswith("   BAD SIGNATURE                  match      ok")
    assert table["kubernetes/pki/ca.crt"].endswith("   self-signed (ca)               match      ok")


def test_pki_folder_alone_checks_only_pki_files(control_plane, capsys):
    (control_plane / "pki" / "ca.key").unlink()
    rc, out, _ = run(capsys, "scan", str(control_plane / "pki"), "--now", NOW, "--format", "json")
    assert rc == 3
    doc = json.loads(out)
    assert [(m["file"], m["kind"]) for m in doc["missing"]] == [("pki/etcd/peer.crt", "certificate"), ("pki/etcd/peer.key", "key")]
    roles = {r["kubeadm"]["name"]: r["kubeadm"] for r in doc["certificates"] if r["kubeadm"]}
    assert roles["apiserver"]["externally_managed"] is True
    assert roles["apiserver"]["renew"] == "renew with the external CA (no pki/ca.key)"
    assert roles["ca"] == {"name": "ca", "section": "certificate-authority", "certificate_authority": "ca", "externally_managed": True,
                           "renew": "kubeadm does not renew CAs (manual CA rotation)", "restart": []}
    assert roles["etcd-server"]["externally_managed"] is False
    assert doc["renew_plan"] == ["apiserver: renew with the external CA (no pki/ca.key)"]


def test_external_etcd_expects_no_etcd_files(control_plane, capsys):
    for path in sorted((control_plane / "pki" / "etcd").iterdir()):
        path.unlink()
    (control_plane / "pki" / "etcd").rmdir()
    for name in ("apiserver-etcd-client.crt", "apiserver-etcd-client.key"):
        (control_plane / "pki" / name).unlink()
    rc, out, _ = run(capsys, "scan", str(control_plane), "--now", NOW, "--format", "json")
    doc = json.loads(out)
    assert doc["missing"] == []
    assert [f["check"] for f in doc["findings"]] == ["key-mismatch", "chain"]
    assert rc == 3


def test_worker_node_has_no_expected_set(tmp_path, capsys):
    ca, _ = gen.make_cert("kubernetes", utc(2025, 1, 1), utc(2035, 1, 1), ca=True)
    (tmp_path / "pki").mkdir()
    (tmp_path / "pki" / "ca.crt").write_text(gen.pem(ca))
    rc, out, _ = run(capsys, "scan", str(tmp_path), "--now", NOW)
    assert rc == 0
    assert out.splitlines()[-6:] == [
        "",
        "kubeadm:",
        "CERTIFICATE AUTHORITY   EXPIRES                  RESIDUAL TIME   EXTERNALLY MANAGED   STATUS",
        "ca                      Jan 01, 2035 00:00 UTC   8y              yes                  ok",
        "",
        "1 certificate(s): 1 ok, 0 expiring, 0 expired, 0 not yet valid; 0 finding(s)",
    ]


def test_certificate_and_key_in_one_pem_file(tmp_path, capsys):
    cert, key = gen.make_cert("system:node:node-1", utc(2025, 1, 1), utc(2027, 1, 1), client=True)
    _, other_key = gen.make_cert("other", utc(2025, 1, 1), utc(2027, 1, 1))
    good, bad = tmp_path / "kubelet-client-current.pem", tmp_path / "kubelet-client-old.pem"
    good.write_text(gen.pem(cert) + gen.key_pem(key))
    bad.write_text(gen.pem(cert) + gen.key_pem(other_key))
    rc, out, _ = run(capsys, "scan", str(good), str(bad), "--now", NOW, "--format", "json")
    assert rc == 3
    doc = json.loads(out)
    assert [(c["path"], c["key"]) for c in doc["certificates"]] == [(str(good), "match"), (str(bad), "mismatch")]
    assert doc["findings"] == [{"severity": "critical", "check": "key-mismatch", "path": str(bad), "line": 1,
                                "message": f"private key {bad} does not belong to this certificate"}]
    assert gen.key_pem(key).splitlines()[1] not in out


def test_kubeadm_json_entries_carry_renew_and_restart(capsys):
    rc, out, _ = run(capsys, "kubeadm", str(DATA / "check-expiration-v1alpha3.json"), "--now", NOW, "--format", "json")
    doc = json.loads(out)
    assert [(e["name"], e["renew"], e["restart"]) for e in doc["entries"]] == [
        ("admin.conf", "kubeadm certs renew admin.conf", []),
        ("apiserver", "kubeadm certs renew apiserver", ["kube-apiserver"]),
        ("apiserver-etcd-client", "kubeadm certs renew apiserver-etcd-client", ["kube-apiserver"]),
        ("ca", "kubeadm does not renew CAs (manual CA rotation)", []),
    ]
    assert doc["renew_plan"] == [
        "kubeadm certs renew apiserver",
        "restart the static pods kube-apiserver: move each manifest out of /etc/kubernetes/manifests, wait 20 s, move it back",
    ]
    assert rc == 1


SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples" / "kubeadm"


def test_renew_plan_for_the_real_v129_output_when_everything_is_due(capsys):
    path = SAMPLES / "check-expiration.v1.29plus.update-kube-cert-pr21.txt"
    if not path.exists():
        pytest.skip("shared samples not present")
    rc, out, _ = run(capsys, "kubeadm", str(path), "--now", "2034-05-01T00:00:00Z")
    assert rc == 1
    lines = out.splitlines()
    assert lines[lines.index("renew plan:"):] == [
        "renew plan:",
        "  kubeadm certs renew admin.conf",
        "  kubeadm certs renew apiserver",
        "  kubeadm certs renew apiserver-etcd-client",
        "  kubeadm certs renew apiserver-kubelet-client",
        "  kubeadm certs renew controller-manager.conf",
        "  kubeadm certs renew etcd-healthcheck-client",
        "  kubeadm certs renew etcd-peer",
        "  kubeadm certs renew etcd-server",
        "  kubeadm certs renew front-proxy-client",
        "  kubeadm certs renew scheduler.conf",
        "  kubeadm certs renew super-admin.conf",
        "  restart the static pods etcd, kube-apiserver, kube-controller-manager, kube-scheduler: move each manifest out of"
        " /etc/kubernetes/manifests, wait 20 s, move it back",
        "  copy the renewed admin.conf wherever it is used as a kubeconfig (e.g. ~/.kube/config)",
        "",
        "11 entries, 11 need attention",
    ]
