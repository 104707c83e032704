"""`goanalyzer ops csi lint` on the upstream samples and our own manifests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from goanalyzer.cli.main import main
from goanalyzer.ops.csi.lint import lint, parse_quantity
from goanalyzer.ops.csi.manifests import parse_manifests

DATA = Path(__file__).resolve().parent / "data" / "csi"
SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples" / "csi-tencentcloud"


def run(capsys, *args: str) -> tuple[int, str, str]:
    rc = main(["ops", "csi", *args])
    out, err = capsys.readouterr()
    return rc, out, err


def lint_text(text: str):
    return lint(parse_manifests(text, "t.yaml"), ["t.yaml"]).findings


def test_good_manifests_are_clean(capsys):
    rc, out, err = run(capsys, "lint", str(DATA / "good.yaml"))
    assert (rc, err) == (0, "")
    assert out == "8 StorageClass/PVC/PV objects in 1 files: 0 critical, 0 warning, 0 info\n"


def test_broken_manifests_every_finding(capsys):
    rc, out, err = run(capsys, "lint", str(DATA / "broken.yaml"), "--format", "json")
    assert (rc, err) == (3, "")
    report = json.loads(out)
    assert (report["objects"], report["checked"]) == (9, 8)
    assert [(f["line"], f["severity"], f["code"], f["name"]) for f in report["findings"]] == [
        (6, "info", "zone", "cbs-shared"),
        (9, "warning", "ignored-key", "cbs-shared"),
        (10, "critical", "not-a-string", "cbs-shared"),
        (10, "warning", "ignored-key", "cbs-shared"),
        (11, "warning", "unknown-key", "cbs-shared"),
        (12, "warning", "ignored-key", "cbs-shared"),
        (13, "critical", "bad-field", "cbs-shared"),
        (22, "critical", "access-mode", "shared-data"),
        (25, "critical", "size-range", "shared-data"),
        (37, "critical", "size-range", "tiny"),
        (37, "info", "size-truncated", "tiny"),
        (44, "critical", "missing-required", "cfs-no-net"),
        (46, "warning", "bad-value", "cfs-no-net"),
        (47, "warning", "no-expansion", "cfs-no-net"),
        (54, "warning", "missing-class", "orphan"),
        (65, "critical", "no-dynamic", "cos-dynamic"),
        (89, "critical", "missing-required", "bucket"),
        (91, "critical", "bad-value", "bucket"),
        (92, "critical", "secret-keys", "bucket"),
        (101, "critical", "access-mode", "disk-pv"),
        (103, "warning", "size-step", "disk-pv"),
        (106, "warning", "cbs-handle", "disk-pv"),
    ]
    # secret values never appear, only key names
    for secret in ("AKIDnotarealkey", "not-a-real-secret", "also-not-real"):
        assert secret not in out


def test_broken_manifests_text_lines(capsys):
    path = DATA / "broken.yaml"
    rc, out, _ = run(capsys, "lint", str(path))
    assert rc == 3
    lines = out.splitlines()
    assert f"{path}:22: critical: ReadWriteMany is not supported by cbs (a CBS disk attaches to one node: no shared " \
           "mode); supported: ReadWriteOnce, ReadWriteOncePod [access-mode] (PersistentVolumeClaim/shared-data)" in lines
    assert f"{path}:9: warning: parameter Encrypt is ignored: the driver reads 'encrypt' with exactly that spelling " \
           "[ignored-key] (StorageClass/cbs-shared)" in lines
    assert f"{path}:37: critical: request 10G gives a 9 GB disk; CLOUD_SSD needs at least 20 GB: request 20Gi " \
           "[size-range] (PersistentVolumeClaim/tiny)" in lines
    assert f"{path}:44: critical: cfs: required parameter subnetid is missing (subnet of that VPC for the mount " \
           "target) [missing-required] (StorageClass/cfs-no-net)" in lines
    assert f"{path}:54: warning: StorageClass cbs-premium is not defined in the linted files [missing-class] " \
           "(PersistentVolumeClaim/orphan)" in lines
    assert f"{path}:92: critical: Secret cos-secret has keys token; the cosfs driver accepts only SecretId and " \
           "SecretKey and refuses to mount [secret-keys] (PersistentVolume/bucket)" in lines
    assert lines[-1] == "8 StorageClass/PVC/PV objects in 1 files: 11 critical, 9 warning, 2 info"


def test_pvc_finds_its_class_in_another_file(capsys, tmp_path):
    claim = tmp_path / "pvc.yaml"
    claim.write_text("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: db\nspec:\n"
                     "  storageClassName: cbs-ssd-topo\n  accessModes: [ReadWriteMany]\n"
                     "  resources:\n    requests:\n      storage: 40Gi\n")
    rc, out, _ = run(capsys, "lint", str(claim))
    assert rc == 1
    assert out.splitlines()[0] == (f"{claim}:6: warning: StorageClass cbs-ssd-topo is not defined in the linted "
                                   "files [missing-class] (PersistentVolumeClaim/db)")
    rc, out, _ = run(capsys, "lint", str(DATA / "good.yaml"), str(claim))
    assert rc == 3
    assert out.splitlines()[0].startswith(f"{claim}:7: critical: ReadWriteMany is not supported by cbs")


def test_kind_list_items_are_linted(capsys):
    rc, out, _ = run(capsys, "lint", str(DATA / "list.yaml"))
    assert rc == 0
    assert out.splitlines() == [
        f"{DATA / 'list.yaml'}:9: info: proto not set: nodes mount with lustre, which needs the Lustre kernel "
        "module [default-value] (StorageClass/turbo)",
        "2 StorageClass/PVC/PV objects in 1 files: 0 critical, 0 warning, 1 info",
    ]


def test_upstream_samples(capsys):
    if not SAMPLES.is_dir():
        pytest.skip("shared samples not present")
    files = sorted(str(p) for p in SAMPLES.glob("*.yaml"))
    rc, out, err = run(capsys, "lint", *files, "--format", "json")
    assert (rc, err) == (1, "")
    report = json.loads(out)
    assert (report["objects"], report["checked"]) == (13, 12)
    problems = [(Path(f["path"]).name, f["line"], f["code"], f["name"]) for f in report["findings"]
                if f["severity"] != "info"]
    # diskZones (plural) in the upstream example is not read by the driver's CreateVolume
    assert problems == [("cbs-storageclass-examples.yaml", 59, "ignored-key", "cbs-shanghai-1-2")]
    infos = sorted({f["name"] for f in report["findings"] if f["severity"] == "info"})
    assert infos == ["cbs-asp", "cbs-basic", "cbs-basic-encrypt", "cbs-basic-prepaid", "cbs-premium",
                     "cbs-shanghai-1-2", "cbs-ssd"]


def test_cbs_parameter_rules():
    findings = lint_text(
        "kind: StorageClass\nmetadata: {name: a}\nprovisioner: com.tencent.cloud.csi.cbs\n"
        "volumeBindingMode: WaitForFirstConsumer\n"
        "parameters:\n  type: CLOUD_HSSD\n  diskType: CLOUD_HSSD\n  diskChargeType: prepaid\n"
        "  devices: \"3\"\n  encrypt: \"yes\"\n  disktags: a:b,broken\n  cdcid: cdc-1\n")
    assert [(f.line, f.severity.value, f.message) for f in findings] == [
        (6, "warning", "parameter type and diskType both set diskType; the driver takes whichever its map iteration "
                       "visits last (random)"),
        (8, "warning", "parameter diskChargeType='prepaid' is not one of PREPAID, POSTPAID_BY_HOUR; values are "
                       "case-sensitive; the driver uses POSTPAID_BY_HOUR"),
        (9, "critical", "devices must be 1 without devicemapper"),
        (10, "critical", "parameter encrypt='yes' is not one of ENCRYPT; the driver rejects it"),
        (11, "warning", "parameter disktags: entries 'broken' are not key:value and are skipped"),
    ]


def test_cbs_prepaid_and_lvm_rules():
    findings = lint_text(
        "kind: StorageClass\nmetadata: {name: a}\nprovisioner: com.tencent.cloud.csi.cbs\n"
        "allowedTopologies:\n- matchLabelExpressions:\n  - key: failure-domain.beta.kubernetes.io/zone\n"
        "    values: [ap-beijing-1]\n"
        "parameters:\n  diskChargeType: PREPAID\n  diskChargeTypePrepaidPeriod: \"13\"\n  cdcid: cdc-1\n"
        "  devicemapper: LVM\n  devices: \"1\"\n  fstype: xfs\n")
    assert [(f.line, f.severity.value, f.code) for f in findings] == [
        (6, "warning", "topology-key"),
        (10, "critical", "bad-value"),
        (11, "warning", "conflict"),
        (13, "critical", "bad-value"),
        (14, "info", "deprecated-key"),
    ]
    assert findings[3].message == "devicemapper LVM needs devices of at least 2"


def test_pvc_bound_to_static_pv_checks_binding():
    findings = lint_text(
        "kind: PersistentVolume\nmetadata: {name: pv1}\nspec:\n  accessModes: [ReadWriteOnce]\n"
        "  capacity: {storage: 20Gi}\n  csi:\n    driver: com.tencent.cloud.csi.cbs\n"
        "    volumeHandle: disk-8a1b2c3d\n---\n"
        "kind: PersistentVolumeClaim\nmetadata: {name: c1}\nspec:\n  storageClassName: \"\"\n"
        "  volumeName: pv1\n  accessModes: [ReadWriteOncePod]\n  resources: {requests: {storage: 30Gi}}\n")
    assert [(f.line, f.severity.value, f.message) for f in findings] == [
        (14, "critical", "PersistentVolume pv1 capacity 20Gi is smaller than the request: the claim cannot bind"),
        (14, "critical", "PersistentVolume pv1 does not offer ReadWriteOncePod: the claim cannot bind"),
    ]


def test_duplicate_keys_and_non_string_values():
    findings = lint_text(
        "kind: StorageClass\nmetadata:\n  name: a\nprovisioner: com.tencent.cloud.csi.cfs\n"
        "parameters:\n  vpcid: vpc-1\n  subnetid: subnet-1\n  vers: 4\n  vpcid: vpc-2\n")
    assert [(f.line, f.severity.value, f.code) for f in findings] == [
        (8, "critical", "not-a-string"), (9, "critical", "duplicate-key")]
    assert findings[0].message == ('parameter vers must be a string: quote it (vers: "4"); the API server rejects '
                                   "numbers and booleans here")


def test_unknown_tencent_driver_and_foreign_provisioner():
    findings = lint_text("kind: StorageClass\nmetadata: {name: a}\nprovisioner: com.tencent.cloud.csi.cos\n---\n"
                         "kind: StorageClass\nmetadata: {name: b}\nprovisioner: ebs.csi.aws.com\n"
                         "parameters: {type: gp3}\n")
    assert [(f.line, f.code) for f in findings] == [(3, "unknown-driver")]
    assert findings[0].message.startswith("unknown Tencent Cloud CSI provisioner com.tencent.cloud.csi.cos; known: "
                                          "com.tencent.cloud.csi.cbs, com.tencent.cloud.csi.cfs,")


def test_quantities():
    assert parse_quantity("10Gi") == 10 * 2**30
    assert parse_quantity("10G") == 10 * 10**9
    assert parse_quantity("1.5Gi") == 3 * 2**29
    assert parse_quantity("1e3") == 1000
    assert parse_quantity(5) == 5
    assert parse_quantity("10 GiB") is None
    assert parse_quantity(True) is None


@pytest.mark.parametrize(("content", "message"), [
    ("kind: StorageClass\nmetadata:\n  name: a\n  labels: [x\n", "5: invalid YAML: expected ',' or ']', but got '<stream end>'"),
    ("kind: StorageClass\n---\n- just\n- a list\n", "3: document 2 is not a mapping (a Kubernetes object)"),
    ("metadata:\n  name: a\n", "1: document 1 has no kind"),
    ("kind: List\nitems:\n- metadata: {name: x}\n", "3: item 0 of the List has no kind"),
    ("kind: A\n\tb: 1\n", "2: invalid YAML: found character '\\t' that cannot start any token"),
])
def test_malformed_yaml_names_file_and_line(capsys, tmp_path, content, message):
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    rc, out, err = run(capsys, "lint", str(path))
    assert (rc, out) == (2, "")
    assert err == f"error: {path}:{message}\n"


def test_malformed_fixture_and_missing_file(capsys, tmp_path):
    rc, _out, err = run(capsys, "lint", str(DATA / "malformed.yaml"))
    assert rc == 2
    assert err == f"error: {DATA / 'malformed.yaml'}:13: invalid YAML: expected ',' or ']', but got ':'\n"
    rc, _out, err = run(capsys, "lint", str(tmp_path / "none.yaml"))
    assert (rc, err) == (2, f"error: {tmp_path / 'none.yaml'}: no such file\n")


def test_help_lists_exit_codes(capsys):
    rc, out, _ = run(capsys, "lint", "--help")
    assert rc == 0
    assert "3  critical: what the API server, provisioner or node plugin will refuse" in out
