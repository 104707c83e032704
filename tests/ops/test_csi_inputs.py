"""`csi lint` on hostile and unusual input: deep YAML/JSON, self-referencing and exploding aliases,
bytes that are not UTF-8, JSON from `kubectl get -o json`, stdin. Each refusal is exit 2 with
FILE:LINE and a plain message, never a RecursionError or an internal error."""

from __future__ import annotations

import io
import json
import sys

import pytest

from goanalyzer.cli.main import main
from goanalyzer.ops.csi import manifests


def run(capsys, *args: str) -> tuple[int, str, str]:
    rc = main(["ops", "csi", *args])
    out, err = capsys.readouterr()
    return rc, out, err


def deep_block_yaml(depth: int) -> str:
    keys = "".join(f"{'  ' * (level + 1)}k{level}:\n" for level in range(depth))
    return "kind: StorageClass\nmetadata:\n  name: x\nparameters:\n" + keys + "  " * (depth + 1) + "v\n"


@pytest.mark.parametrize(("content", "line"), [
    (deep_block_yaml(600), 203),  # block mappings 600 deep: refused where depth 201 starts
    ("kind: StorageClass\nx: " + "[" * 600 + "]" * 600 + "\n", 2),  # flow sequences
    ('{"kind": "StorageClass",\n "x": ' + "[" * 5000 + "]" * 5000 + "}\n", 2),  # JSON
    ("kind: StorageClass\nx: &a [*a]\n", 2),  # an alias that contains itself
])
def test_nesting_is_exit_2_with_the_line(capsys, tmp_path, content, line):
    path = tmp_path / "deep.yaml"
    path.write_text(content)
    assert run(capsys, "lint", str(path)) == (2, "", f"error: {path}:{line}: YAML nodes nested deeper than 200 levels\n")


def test_nesting_limit_edge(capsys, tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text(deep_block_yaml(198))  # the document, parameters and 198 keys: 200 levels
    rc, out, _ = run(capsys, "lint", str(path))
    assert (rc, out.splitlines()[-1]) == (3, "1 StorageClass/PVC/PV objects in 1 files: 1 critical, 0 warning, 0 info")
    path.write_text(deep_block_yaml(199))
    assert run(capsys, "lint", str(path))[0] == 2


def test_alias_expansion_is_bounded(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(manifests, "MAX_VALUES", 100)
    path = tmp_path / "bomb.yaml"
    laughs = "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]\n" for i in range(1, 4))
    path.write_text("kind: StorageClass\nl0: &l0 [a, b]\n" + laughs)
    # the line is the anchor's: aliases are the anchored nodes, repeated
    assert run(capsys, "lint", str(path)) == (
        2, "", f"error: {path}:2: more than 100 values after expanding YAML aliases; refusing to read it\n")


@pytest.mark.parametrize("comment", ["# café".encode("latin-1"), "# 存储类".encode("gbk")])
def test_non_utf8_bytes_are_refused_at_their_line(capsys, tmp_path, comment):
    path = tmp_path / "sc.yaml"
    path.write_bytes(b"kind: StorageClass\n" + comment + b"\nmetadata:\n  name: x\n")
    assert run(capsys, "lint", str(path)) == (
        2, "", f"error: {path}:2: bytes that are not UTF-8 (Kubernetes YAML is UTF-8 text; kubectl refuses this "
               "file too)\n")


def test_kubectl_json_list_is_linted_with_lines(capsys, tmp_path):
    path = tmp_path / "objects.json"
    path.write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": [
        {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": "cbs"},
         "provisioner": "com.tencent.cloud.csi.cbs", "parameters": {"diskType": "CLOUD_SSD"}},
        {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "shared", "namespace": "a"},
         "spec": {"storageClassName": "cbs", "accessModes": ["ReadWriteMany"],
                  "resources": {"requests": {"storage": "20Gi"}}}}]}, indent=4))
    rc, out, err = run(capsys, "lint", str(path))
    assert (rc, err) == (3, "")
    assert out.splitlines()[1:] == [
        f"{path}:26: critical: ReadWriteMany is not supported by cbs (a CBS disk attaches to one node: no shared "
        "mode); supported: ReadWriteOnce, ReadWriteOncePod [access-mode] (PersistentVolumeClaim/shared)",
        "2 StorageClass/PVC/PV objects in 1 files: 1 critical, 0 warning, 1 info",
    ]


def test_dash_reads_stdin(capsys, monkeypatch):
    data = b"kind: StorageClass\nmetadata:\n  name: x\nprovisioner: com.tencent.cloud.csi.cfs\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    rc, out, err = run(capsys, "lint", "-")
    assert (rc, err) == (3, "")
    assert out.splitlines()[0] == ("<stdin>:1: critical: cfs: required parameter subnetid is missing (subnet of that "
                                   "VPC for the mount target) [missing-required] (StorageClass/x)")


def test_symlink_loop_and_directory(capsys, tmp_path):
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    assert run(capsys, "lint", str(loop)) == (2, "", f"error: {loop}: symlink loop (too many levels of symbolic links)\n")
    rc, out, err = run(capsys, "lint", str(tmp_path))
    assert (rc, out) == (2, "") and f"'{tmp_path}' is a directory" in err


def test_control_character_is_exit_2_with_the_line(capsys, tmp_path):
    path = tmp_path / "sc.yaml"
    path.write_text('kind: StorageClass\nx: "\x01"\n')
    assert run(capsys, "lint", str(path)) == (2, "", f"error: {path}:2: invalid YAML: character 0x0001 is not allowed\n")
