"""`goanalyzer ops certs kubeadm`: saved `kubeadm certs check-expiration` output in all its forms."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from goanalyzer.cli.main import main

DATA = Path(__file__).resolve().parent / "data" / "certs"
SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples" / "kubeadm"
NOW = "2026-11-26T00:00:00Z"


def run(capsys, *args: str) -> tuple[int, str, str]:
    rc = main(["ops", "certs", "kubeadm", *args])
    out, err = capsys.readouterr()
    return rc, out, err


def entries(capsys, path: Path, *extra: str) -> tuple[int, list[dict]]:
    rc, out, err = run(capsys, str(path), "--now", NOW, "--format", "json", *extra)
    assert err == ""
    return rc, json.loads(out)["entries"]


def sample(name: str) -> Path:
    path = SAMPLES / name
    if not path.exists():
        pytest.skip("shared samples not present")
    return path


def test_old_layout_without_ca_column_text(capsys):
    path = DATA / "check-expiration-old.txt"
    rc, out, _ = run(capsys, str(path), "--now", NOW)
    assert rc == 3
    assert out.splitlines() == [
        f"{path} (text): judged at Nov 26, 2026 00:00 UTC from the expiry dates; expiring = within 30 days",
        "",
        "CERTIFICATE             EXPIRES                  RESIDUAL TIME   AT CAPTURE   CERTIFICATE AUTHORITY   EXTERNALLY MANAGED   STATUS",
        "admin.conf              Dec 05, 2026 10:03 UTC   9d              9d           -                       no                   EXPIRING",
        "apiserver               Dec 20, 2026 10:00 UTC   24d             24d          -                       no                   EXPIRING",
        "apiserver-etcd-client   Nov 20, 2026 10:00 UTC   <invalid>       <invalid>    -                       no                   EXPIRED",
        "front-proxy-client      Jun 01, 2027 10:00 UTC   187d            187d         -                       yes                  ok",
        "",
        "renew plan:",
        "  kubeadm certs renew admin.conf",
        "  kubeadm certs renew apiserver",
        "  kubeadm certs renew apiserver-etcd-client",
        "  restart the static pods kube-apiserver: move each manifest out of /etc/kubernetes/manifests, wait 20 s, move it back",
        "  copy the renewed admin.conf wherever it is used as a kubeconfig (e.g. ~/.kube/config)",
        "",
        "4 entries, 3 need attention",
    ]


def test_capture_basis_uses_saved_residual(capsys):
    rc, rows = entries(capsys, DATA / "check-expiration-old.txt", "--basis", "capture", "--warn-days", "5")
    assert rc == 3
    assert [(r["name"], r["assessment"]["status"]) for r in rows] == [
        ("admin.conf", "ok"), ("apiserver", "ok"), ("apiserver-etcd-client", "expired"), ("front-proxy-client", "ok"),
    ]
    assert rows[0]["assessment"]["residual_seconds"] == 9 * 86400


def test_json_v1alpha3_residual_in_seconds_and_missing(capsys):
    rc, rows = entries(capsys, DATA / "check-expiration-v1alpha3.json")
    assert rc == 1
    admin, api, etcd, ca = rows
    assert (admin["name"], admin["section"], admin["residual_at_capture"], admin["certificate_authority"]) == ("admin.conf", "certificate", "72d", "ca")
    assert admin["assessment"]["status"] == "ok"
    assert (api["assessment"]["status"], api["assessment"]["residual"], api["severity"]) == ("expiring", "14d", "warning")
    assert (etcd["missing"], etcd["severity"], etcd["assessment"], etcd["expires"]) == (True, "warning", None, None)
    assert (ca["section"], ca["certificate_authority"], ca["expires"]) == ("certificate-authority", None, "2035-11-03T14:13:00+00:00")


def test_yaml_v1alpha2_residual_in_nanoseconds(capsys):
    rc, out, _ = run(capsys, str(DATA / "check-expiration-v1alpha2.yaml"), "--now", NOW, "--format", "json")
    doc = json.loads(out)
    assert rc == 3
    assert (doc["input_format"], doc["api_version"]) == ("yaml", "output.kubeadm.k8s.io/v1alpha2")
    assert [(e["name"], e["residual_at_capture"], e["assessment"]["status"]) for e in doc["entries"]] == [
        ("admin.conf", "348d", "expired"), ("ca", "8y", "ok"),
    ]


def test_stdin(capsys, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO((DATA / "check-expiration-old.txt").read_bytes())))
    rc, out, _ = run(capsys, "-", "--now", "2026-01-01T00:00:00Z")
    assert rc == 0
    assert out.splitlines()[0] == "<stdin> (text): judged at Jan 01, 2026 00:00 UTC from the expiry dates; expiring = within 30 days"


def test_malformed_row_names_line(tmp_path, capsys):
    path = tmp_path / "out.txt"
    path.write_text(
        "CERTIFICATE                EXPIRES                  RESIDUAL TIME   CERTIFICATE AUTHORITY   EXTERNALLY MANAGED\n"
        "admin.conf                 Apr 09, 2024 09:17 UTC   348d            ca                      no\n"
        "apiserver                  sometime soon            348d            ca                      no\n"
    )
    rc, out, err = run(capsys, str(path))
    assert (rc, out) == (2, "")
    assert err == f"error: {path}:3: row of the check-expiration table has no expiry date (e.g. 'Apr 09, 2024 09:17 UTC')\n"


def test_no_table_and_bad_json(tmp_path, capsys):
    path = tmp_path / "empty.txt"
    path.write_text("[check-expiration] Reading configuration from the cluster...\n")
    rc, _, err = run(capsys, str(path))
    assert rc == 2
    assert err == f"error: {path}: no `kubeadm certs check-expiration` table (CERTIFICATE  EXPIRES  RESIDUAL TIME ...) found\n"
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "kind": "CertificateExpirationInfo",\n  "certificates": [\n')
    rc, _, err = run(capsys, str(bad))
    assert rc == 2
    assert err.startswith(f"error: {bad}:4: invalid JSON: ")


def test_sample_issue_2866_both_tables(capsys):
    rc, rows = entries(capsys, sample("check-expiration.kubeadm-issue-2866.txt"))
    assert rc == 3
    assert [(r["name"], r["section"], r["certificate_authority"], r["residual_at_capture"], r["assessment"]["status"]) for r in rows] == [
        ("admin.conf", "certificate", "ca", "348d", "expired"),
        ("apiserver", "certificate", "ca", "348d", "expired"),
        ("apiserver-kubelet-client", "certificate", "ca", "348d", "expired"),
        ("controller-manager.conf", "certificate", "ca", "348d", "expired"),
        ("front-proxy-client", "certificate", "front-proxy-ca", "348d", "expired"),
        ("scheduler.conf", "certificate", "ca", "348d", "expired"),
        ("ca", "certificate-authority", None, "6y", "ok"),
        ("front-proxy-ca", "certificate-authority", None, "6y", "ok"),
    ]
    assert rows[0]["expires"] == "2024-04-09T09:17:00+00:00"
    rc, _ = entries(capsys, sample("check-expiration.kubeadm-issue-2866.txt"), "--basis", "capture")
    assert rc == 0


def test_sample_old_alpha_blank_ca_and_truncated_row(capsys):
    rc, rows = entries(capsys, sample("check-expiration.old-alpha-blank-ca.k8s-issue-103687.txt"))
    assert rc == 3
    assert [(r["name"], r["certificate_authority"], r["externally_managed"], r["line"]) for r in rows] == [
        ("admin.conf", None, False, 8),
        ("apiserver", "ca", False, 9),
        ("apiserver-etcd-client", "etcd-ca", False, 10),
        ("apiserver-kubelet-client", "ca", False, 11),
        ("controller-manager.conf", None, False, 12),
        ("etcd-healthcheck-client", "etcd-ca", None, 13),
    ]


def test_sample_v129_super_admin(capsys):
    rc, rows = entries(capsys, sample("check-expiration.v1.29plus.update-kube-cert-pr21.txt"))
    assert rc == 0
    assert len(rows) == 11 and rows[-1]["name"] == "super-admin.conf"
    assert {r["assessment"]["residual"] for r in rows} == {"7y"}
    rc, _ = entries(capsys, sample("check-expiration.v1.29plus.update-kube-cert-pr21.txt"), "--now", "2034-05-01T00:00:00Z")
    assert rc == 1


def test_structured_entry_lines_point_at_the_entry(capsys, tmp_path):
    rc, rows = entries(capsys, DATA / "check-expiration-v1alpha3.json")
    # "ca" is the CA entry's name on line 31, not the `"caName": "ca"` of admin.conf on line 8
    assert [(r["name"], r["line"]) for r in rows] == [
        ("admin.conf", 6), ("apiserver", 14), ("apiserver-etcd-client", 22), ("ca", 31),
    ]
    bad = tmp_path / "bad.json"
    bad.write_text((DATA / "check-expiration-v1alpha3.json").read_text().replace('"2035-11-03T14:13:00Z"', '"soon"'))
    rc, out, err = run(capsys, str(bad))
    assert (rc, out, err) == (2, "", f"error: {bad}:31: expirationDate 'soon' of ca is not RFC 3339\n")


def test_yaml_with_sorted_keys_as_kubeadm_prints_it(capsys, tmp_path):
    path = tmp_path / "out.yaml"
    path.write_text(
        "apiVersion: output.kubeadm.k8s.io/v1alpha3\n"
        "certificateAuthorities:\n"
        "- expirationDate: \"2035-11-03T14:13:00Z\"\n"
        "  externallyManaged: false\n"
        "  name: ca\n"
        "  residualTime: 282061980\n"
        "certificates:\n"
        "- caName: ca\n"
        "  expirationDate: \"2026-12-10T09:16:00Z\"\n"
        "  externallyManaged: false\n"
        "  name: apiserver\n"
        "  residualTime: 1242960\n"
        "kind: CertificateExpirationInfo\n"
    )
    rc, rows = entries(capsys, path)
    assert rc == 1
    assert [(r["name"], r["section"], r["line"], r["residual_at_capture"], r["assessment"]["status"]) for r in rows] == [
        ("apiserver", "certificate", 11, "14d", "expiring"),
        ("ca", "certificate-authority", 5, "8y", "ok"),
    ]
