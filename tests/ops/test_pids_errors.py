"""Malformed /proc and cgroup files: one line `error: FILE:LINE: ...` and exit 2; readers and estimate helpers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from goanalyzer.cli.main import main
from goanalyzer.ops.pids.cgroups import read_cgroups
from goanalyzer.ops.pids.estimate import agrees, parse_release, stack_kib_for, stack_unit
from goanalyzer.ops.pids.procfs import parse_loadavg

DATA = Path(__file__).resolve().parent / "data" / "pids"


@pytest.fixture
def tree(tmp_path):
    """A writable copy of the new-kernel fixture tree."""
    target = tmp_path / "node"
    shutil.copytree(DATA / "new-kernel", target)
    return target


def run(capsys, *args: str) -> tuple[int, str, str]:
    rc = main(["ops", "pids", *args])
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.mark.parametrize(("relative", "content", "message"), [
    ("proc/vmstat", "nr_free_pages 1\nnr_inactive_anon 2\nnr_kernel_stack 1k\n",
     "3: value of nr_kernel_stack is not an integer: '1k'"),
    ("proc/vmstat", "nr_free_pages 1\nnr_kernel_stack\n", "2: expected `name value`, got 'nr_kernel_stack'"),
    ("proc/loadavg", "0.1 0.2 0.3 1-61 100\n",
     "1: expected `L1 L5 L15 RUNNABLE/TOTAL LASTPID`, got '0.1 0.2 0.3 1-61 100'"),
    ("proc/loadavg", "0.1 0.2 0.3 1/61\n", "1: expected 5 fields, got 4"),
    ("proc/sys/kernel/pid_max", "4194304 x\n", "1: expected an integer, got '4194304 x'"),
    ("proc/sys/kernel/threads-max", "", "1: expected one line with an integer, got 0 lines"),
    ("proc/meminfo", "MemTotal: 8008872 kB\nKernelStack: 1024 MB\n",
     "2: expected `Name: value [kB]`, got 'KernelStack: 1024 MB'"),
    ("proc/sys/kernel/osrelease", "linux\n", "1: not a kernel release: 'linux'"),
    ("sys/fs/cgroup/system.slice/containerd.service/pids.max", "unlimited\n",
     "1: expected an integer or `max`, got 'unlimited'"),
    ("sys/fs/cgroup/system.slice/pids.current", "12\n13\n", "2: expected one line, got 2"),
    ("sys/fs/cgroup/system.slice/pids.events", "max 0\nbroken\n", "2: expected `key value`, got 'broken'"),
])
def test_malformed_file_names_file_and_line(capsys, tree, relative, content, message):
    (tree / relative).write_text(content)
    rc, out, err = run(capsys, "--proc", str(tree / "proc"))
    assert (rc, out) == (2, "")
    assert err == f"error: {tree / relative}:{message}\n"


def test_not_a_proc_tree(capsys, tmp_path):
    rc, out, err = run(capsys, "--proc", str(tmp_path))
    assert (rc, out) == (2, "")
    assert err == f"error: {tmp_path}: no vmstat, loadavg or PID directories: not a proc tree\n"


def test_missing_directory(capsys, tmp_path):
    rc, _out, err = run(capsys, "--proc", str(tmp_path / "nope"))
    assert rc == 2
    assert err == f"error: {tmp_path / 'nope'}: not a directory\n"


def test_bad_options_are_usage_errors(capsys):
    proc = str(DATA / "old-kernel" / "proc")
    rc, _out, err = run(capsys, "--proc", proc, "--kernel-release", "four")
    assert rc == 2
    assert "'four' is not a kernel release like 5.15.0-91-generic" in err
    rc, _out, err = run(capsys, "--proc", proc, "--warn", "95", "--crit", "90")
    assert (rc, err) == (2, "error: --warn 95 is above --crit 90\n")
    rc, _out, err = run(capsys, "--proc", proc, "--eviction-pid-available", "ten")
    assert rc == 2
    assert "'ten' is not a count (500) or a percentage (10%)" in err
    rc, _out, err = run(capsys, "--proc", proc, "--format", "xml")
    assert rc == 2


def test_explicit_cgroup_root_and_v1_detection():
    version, groups = read_cgroups(DATA / "old-kernel" / "sys" / "fs" / "cgroup")
    assert version == "v1"
    assert [(g.cgroup, g.current, g.limit, g.refused) for g in groups] == [
        ("/kubepods", 27, None, 0),
        ("/kubepods/besteffort/pod1f2a4c88-9b1b-11e9-8d2c-5254000c6e2a", 3, 4, 0),
        ("/kubepods/burstable/pod6d0c5f3e-9b1a-11e9-8d2c-5254000c6e2a", 24, 1024, 0),
    ]
    assert read_cgroups(DATA) == (None, [])


def test_cgroup_root_option_overrides_sibling(capsys):
    import json
    rc = main(["ops", "pids", "--proc", str(DATA / "new-kernel" / "proc"), "--format", "json",
               "--cgroup-root", str(DATA / "old-kernel" / "sys" / "fs" / "cgroup")])
    report = json.loads(capsys.readouterr().out)
    assert (rc, report["cgroup_version"], len(report["cgroups"])) == (0, "v1", 3)


def test_release_parsing_and_units():
    assert parse_release("4.4.0-154-generic") == (4, 4)
    assert parse_release("6.18.44-fc-v657") == (6, 18)
    assert parse_release("5.10") == (5, 10)
    with pytest.raises(ValueError):
        parse_release("v5.10")
    assert stack_unit("4.7.10").value == "stacks"
    assert stack_unit("4.8.0").value == "kB"
    assert stack_unit(None).value == "unknown"
    assert stack_kib_for("x86_64", "3.14.79") == 8
    assert stack_kib_for("x86_64", "3.15.0") == 16
    assert stack_kib_for("aarch64", "5.4.0") == 16
    assert stack_kib_for("armv7l", "5.4.0") == 8
    assert stack_kib_for("sparc64", "5.4.0") is None


def test_agreement_tolerance():
    assert agrees(47, 63) and not agrees(47, 64)  # 16 absolute slack for small counts
    assert agrees(2000, 2200) and not agrees(2000, 2223)  # 10% of the larger beyond that


def test_loadavg_parser():
    load = parse_loadavg("0.21 0.37 0.39 1/719 19737\n", "loadavg")
    assert (load.runnable, load.total, load.last_pid) == (1, 719, 19737)
