"""`goanalyzer ops pids`: tasks per pod and cgroup from /proc/PID/cgroup (v1 and v2, both cgroup
drivers), zombies from /proc/PID/stat, and the kubelet's podPidsLimit, on fake trees in tmp_path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from goanalyzer.cli.main import main
from goanalyzer.ops.pids.workloads import K8sPlace, parse_cgroup_path

C1 = "1" * 64
C2 = "2" * 64
C3 = "3" * 64
POD_A = "3c1e6f52-4f1e-4a8e-9a41-0d7b2f2c9e11"
POD_B = "8a0f3b1d-22c4-4f65-b7a8-6d4e0c1f9a23"
SLICE_A = f"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{POD_A.replace('-', '_')}.slice"
SLICE_B = f"/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod{POD_B.replace('-', '_')}.slice"


def run(capsys, *args: str) -> tuple[int, str, str]:
    rc = main(["ops", "pids", *args])
    out, err = capsys.readouterr()
    return rc, out, err


def process(proc: Path, pid: int, comm: str, threads: int, state: str, ppid: int, cgroup_lines: str) -> None:
    here = proc / str(pid)
    for tid in range(pid, pid + threads):
        (here / "task" / str(tid)).mkdir(parents=True)
    (here / "comm").write_text(comm + "\n")
    (here / "stat").write_text(f"{pid} ({comm}) {state} {ppid} {pid} {pid} 0 -1 4194560 0 0 0 0\n")
    (here / "cgroup").write_text(cgroup_lines)


def node(root: Path, processes: list[tuple[int, str, int, str, int, str]], *, v2: bool = True) -> Path:
    proc = root / "proc"
    (proc / "sys" / "kernel").mkdir(parents=True)
    total = sum(p[2] for p in processes)
    (proc / "loadavg").write_text(f"0.10 0.20 0.30 1/{total} 999\n")
    (proc / "sys" / "kernel" / "pid_max").write_text("4194304\n")
    (proc / "sys" / "kernel" / "threads-max").write_text("127535\n")
    for pid, comm, threads, state, ppid, path in processes:
        lines = f"0::{path}\n" if v2 else f"12:pids:{path}\n11:cpu,cpuacct:{path}\n1:name=systemd:{path}\n0::/\n"
        process(proc, pid, comm, threads, state, ppid, lines)
    return proc


V2_PROCESSES = [
    (1, "systemd", 1, "S", 0, "/init.scope"),
    (900, "kubelet", 12, "S", 1, "/system.slice/kubelet.service"),
    (2000, "java", 20, "S", 1990, f"{SLICE_A}/cri-containerd-{C1}.scope"),
    (2100, "sh", 1, "Z", 2000, f"{SLICE_A}/cri-containerd-{C1}.scope"),
    (2101, "sh", 1, "Z", 2000, f"{SLICE_A}/cri-containerd-{C1}.scope"),
    (2200, "envoy", 6, "S", 1990, f"{SLICE_A}/cri-containerd-{C2}.scope"),
    (3000, "pause", 1, "S", 2990, f"{SLICE_B}/cri-containerd-{C3}.scope"),
]


def test_cgroup_paths_of_both_drivers():
    assert parse_cgroup_path(f"{SLICE_A}/cri-containerd-{C1}.scope") == K8sPlace(POD_A, "burstable", C1, SLICE_A)
    assert parse_cgroup_path(f"/kubepods/burstable/pod{POD_B}/{C2}") == K8sPlace(POD_B, "burstable", C2, f"/kubepods/burstable/pod{POD_B}")
    assert parse_cgroup_path(f"/kubepods/pod{POD_B}/{C2}") == K8sPlace(POD_B, "guaranteed", C2, f"/kubepods/pod{POD_B}")
    guaranteed = f"/kubepods.slice/kubepods-pod{POD_B.replace('-', '_')}.slice"
    assert parse_cgroup_path(f"{guaranteed}/docker-{C3}.scope") == K8sPlace(POD_B, "guaranteed", C3, guaranteed)
    assert parse_cgroup_path(f"{SLICE_B}/crio-conmon-{C3}.scope") == K8sPlace(POD_B, "besteffort", None, SLICE_B)
    assert parse_cgroup_path("/system.slice/kubelet.service") == K8sPlace(None, None, None, None)
    assert parse_cgroup_path(f"/pod{POD_B}/{C2}") == K8sPlace(None, None, None, None)  # not under kubepods


def test_v2_pods_cgroups_zombies_and_pod_limits(capsys, tmp_path):
    proc = node(tmp_path, V2_PROCESSES)
    cgroup = tmp_path / "sys" / "fs" / "cgroup"
    (cgroup / SLICE_A.lstrip("/")).mkdir(parents=True)
    (cgroup / "cgroup.controllers").write_text("cpu pids\n")
    (cgroup / SLICE_A.lstrip("/") / "pids.current").write_text("29\n")
    (cgroup / SLICE_A.lstrip("/") / "pids.max").write_text("1024\n")
    kubelet = tmp_path / "var" / "lib" / "kubelet"
    kubelet.mkdir(parents=True)
    (kubelet / "config.yaml").write_text("apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\npodPidsLimit: 4\n")
    rc, out, err = run(capsys, "--proc", str(proc), "--top", "3")
    assert (rc, err) == (0, "")
    lines = out.splitlines()
    start = lines.index("zombies: 2")
    assert lines[start:] == [
        "zombies: 2",
        f"kubelet podPidsLimit: 4 [{kubelet / 'config.yaml'}]",
        "processes with most threads:",
        "      2000 java             20",
        "       900 kubelet          12",
        "      2200 envoy            6",
        "pods with most tasks:",
        "  TASKS  PROCS  ZOMBIES  LIMIT             USE     QOS         POD UID",
        f"  28     4      2        1024 (pids.max)   2.73%   burstable   {POD_A}",
        f"  1      1      0        4 (podPidsLimit)  25.00%  besteffort  {POD_B}",
        "cgroups with most tasks:",
        "  TASKS  PROCS  ZOMBIES  POD UID                               CONTAINER      CGROUP",
        f"  22     3      2        {POD_A}  1111111111111  {SLICE_A}/cri-containerd-{C1}.scope",
        "  12     1      0        -                                     -              /system.slice/kubelet.service",
        f"  6      1      0        {POD_A}  2222222222222  {SLICE_A}/cri-containerd-{C2}.scope",
        "cgroups (v2): 1 with pids controller, 1 with a pids.max",
        f"       29/1024      2.83%  {SLICE_A}",
        "findings:",
        "  info: 2 zombie process(es) keep their PIDs until the parent reaps them (parents: 2 of 2000/java)",
    ]


def test_pod_near_pod_pids_limit_and_json(capsys, tmp_path):
    proc = node(tmp_path, V2_PROCESSES)
    config = tmp_path / "kubelet.yaml"
    config.write_text("kind: KubeletConfiguration\npodPidsLimit: 30\n")
    rc, out, _ = run(capsys, "--proc", str(proc), "--kubelet-config", str(config), "--format", "json")
    assert rc == 3
    doc = json.loads(out)
    assert doc["pod_pids_limit"] == {"path": str(config), "value": 30, "unreadable": None}
    assert doc["zombies"] == 2
    assert [(p["pod_uid"], p["tasks"], p["limit"], p["limit_source"], p["percent"]) for p in doc["top_pods"]] == [
        (POD_A, 28, 30, "podPidsLimit", 93.33), (POD_B, 1, 30, "podPidsLimit", 3.33),
    ]
    assert [(f["severity"], f["code"], f["message"]) for f in doc["findings"]] == [
        ("critical", "pod-pids-limit", f"pod {POD_A}: 28 tasks of podPidsLimit 30 (93.33%)"),
        ("info", "zombies", "2 zombie process(es) keep their PIDs until the parent reaps them (parents: 2 of 2000/java)"),
    ]
    first = doc["top_cgroups"][0]
    assert (first["key"], first["container_id"], first["qos"], first["zombies"]) == (f"{SLICE_A}/cri-containerd-{C1}.scope", C1, "burstable", 2)


def test_v1_cgroupfs_paths_from_the_pids_controller_line(capsys, tmp_path):
    pod = f"/kubepods/burstable/pod{POD_B}"
    proc = node(tmp_path, [(1, "systemd", 1, "S", 0, "/"), (500, "nginx", 4, "S", 1, f"{pod}/{C1}"),
                           (501, "nginx", 2, "S", 500, f"{pod}/{C1}"), (502, "pause", 1, "S", 1, f"{pod}/{C2}")], v2=False)
    rc, out, _ = run(capsys, "--proc", str(proc), "--format", "json")
    assert rc == 0
    doc = json.loads(out)
    assert [(p["pod_uid"], p["qos"], p["tasks"], p["processes"], p["limit"]) for p in doc["top_pods"]] == [(POD_B, "burstable", 7, 3, None)]
    assert [(g["key"], g["tasks"], g["container_id"]) for g in doc["top_cgroups"]] == [
        (f"{pod}/{C1}", 6, C1), ("/", 1, None), (f"{pod}/{C2}", 1, C2),
    ]
    assert doc["zombies"] == 0 and doc["pod_pids_limit"] is None


def test_pod_pids_limit_unset_is_noted(capsys, tmp_path):
    proc = node(tmp_path, V2_PROCESSES[:2])
    config = tmp_path / "config.yaml"
    config.write_text("kind: KubeletConfiguration\npodPidsLimit: -1\n")
    rc, out, _ = run(capsys, "--proc", str(proc), "--kubelet-config", str(config))
    assert rc == 0
    lines = out.splitlines()
    assert f"kubelet podPidsLimit: not set (unlimited) [{config}]" in lines
    assert lines[-1] == f"  info: podPidsLimit is not set in {config}: one pod can take every PID of the node"


@pytest.mark.parametrize("text,message", [
    ("kind: KubeletConfiguration\npodPidsLimit: lots\n", "{path}:2: podPidsLimit is not an integer: 'lots'"),
    ("kind: [unclosed\n", "{path}:2: invalid YAML: expected ',' or ']', but got '<stream end>'"),
    ("a:\n" + "".join("  " * (d + 1) + "b:\n" for d in range(250)), "{path}:200: YAML nodes nested deeper than 200 levels"),
    ("- just a list\n", "{path}:1: not a KubeletConfiguration (expected a mapping)"),
])
def test_bad_kubelet_config_is_exit_2_with_line(capsys, tmp_path, text, message):
    proc = node(tmp_path, V2_PROCESSES[:2])
    config = tmp_path / "config.yaml"
    config.write_text(text)
    rc, out, err = run(capsys, "--proc", str(proc), "--kubelet-config", str(config))
    assert (rc, out) == (2, "")
    assert err == "error: " + message.format(path=config) + "\n"


def test_explicit_kubelet_config_must_exist(capsys, tmp_path):
    proc = node(tmp_path, V2_PROCESSES[:2])
    rc, _, err = run(capsys, "--proc", str(proc), "--kubelet-config", str(tmp_path / "absent.yaml"))
    assert rc == 2
    assert err == f"error: {tmp_path / 'absent.yaml'}: no such file\n"
