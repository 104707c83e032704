"""Who uses the PIDs: tasks per cgroup, container and pod, parsed from each process's cgroup path.

Kubernetes names the cgroups it creates, so the path alone tells the pod and the container:
  systemd driver   /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid_with_underscores>.slice/
                   cri-containerd-<64 hex>.scope   (also docker-<id>.scope, crio-<id>.scope)
  cgroupfs driver  /kubepods/burstable/pod<uid>/<64 hex>   (guaranteed pods sit right under /kubepods)
The same paths appear in cgroup v1 (per controller) and v2 (unified); /proc/PID/cgroup gives them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from goanalyzer.ops.pids.cgroups import CgroupPids
from goanalyzer.ops.pids.procfs import ProcessThreads

_SYSTEMD_POD = re.compile(r"(?:^|-)kubepods(?:-(burstable|besteffort))?-pod([0-9a-fA-F_]{36})\.slice$")
_CGROUPFS_POD = re.compile(r"pod([0-9a-fA-F-]{36})$")
_SCOPE_CONTAINER = re.compile(r"(?:cri-containerd|docker|crio|libpod)-([0-9a-f]{64})\.scope$")
_BARE_CONTAINER = re.compile(r"([0-9a-f]{64})$")


@dataclass(frozen=True, slots=True)
class K8sPlace:
    """The pod and container a cgroup path belongs to (None where the path does not say)."""

    pod_uid: str | None
    qos: str | None
    container_id: str | None
    pod_cgroup: str | None
    """The pod's own cgroup (where the kubelet writes podPidsLimit as pids.max)."""


def parse_cgroup_path(path: str) -> K8sPlace:
    """Pod UID, QoS class and container ID from a cgroup path of either cgroup driver."""
    parts = [p for p in path.split("/") if p]
    for index, part in enumerate(parts):
        systemd = _SYSTEMD_POD.search(part)
        cgroupfs = _CGROUPFS_POD.match(part) if "kubepods" in parts[:index] else None
        if systemd is None and cgroupfs is None:
            continue
        if systemd is not None:
            uid, qos = systemd.group(2).replace("_", "-"), systemd.group(1) or "guaranteed"
        else:
            assert cgroupfs is not None
            parent = parts[index - 1]
            uid, qos = cgroupfs.group(1), parent if parent in ("burstable", "besteffort") else "guaranteed"
        container = None
        if index + 1 < len(parts):
            below = parts[index + 1]
            found = _SCOPE_CONTAINER.match(below) or _BARE_CONTAINER.match(below)
            container = found.group(1) if found else None
        return K8sPlace(uid.lower(), qos, container, "/" + "/".join(parts[: index + 1]))
    return K8sPlace(None, None, None, None)


@dataclass(slots=True)
class TaskGroup:
    """Tasks of the processes in one cgroup, or of one pod (all its containers)."""

    key: str
    """The cgroup path, or `pod <uid>`."""
    processes: int
    tasks: int
    zombies: int
    pod_uid: str | None = None
    qos: str | None = None
    container_id: str | None = None
    limit: int | None = None
    """pids.max of the pod's cgroup, else the kubelet's podPidsLimit (pods only)."""
    limit_source: str | None = None
    percent: float | None = None


def _add(groups: dict[str, TaskGroup], key: str, process: ProcessThreads, **facts: str | None) -> None:
    group = groups.get(key)
    if group is None:
        group = groups[key] = TaskGroup(key, 0, 0, 0, **facts)
    group.processes += 1
    group.tasks += process.threads
    group.zombies += process.state == "Z"


def group_tasks(processes: list[ProcessThreads], cgroups: list[CgroupPids],
                pod_pids_limit: int | None) -> tuple[list[TaskGroup], list[TaskGroup]]:
    """(pods, cgroups): tasks per pod and per cgroup, most tasks first. Pods get their limit from
    their cgroup's pids.max when the cgroup tree was read, else from the kubelet's podPidsLimit."""
    by_cgroup: dict[str, TaskGroup] = {}
    by_pod: dict[str, TaskGroup] = {}
    pod_cgroups: dict[str, str] = {}
    for process in processes:
        if process.cgroup is None:
            continue
        place = parse_cgroup_path(process.cgroup)
        _add(by_cgroup, process.cgroup, process, pod_uid=place.pod_uid, qos=place.qos, container_id=place.container_id)
        if place.pod_uid is not None and place.pod_cgroup is not None:
            _add(by_pod, f"pod {place.pod_uid}", process, pod_uid=place.pod_uid, qos=place.qos)
            pod_cgroups[place.pod_uid] = place.pod_cgroup
    limits = {c.cgroup: c.limit for c in cgroups}
    for pod in by_pod.values():
        cgroup = pod_cgroups[pod.pod_uid or ""]
        if limits.get(cgroup) is not None:
            pod.limit, pod.limit_source = limits[cgroup], "pids.max"
        elif pod_pids_limit is not None and pod_pids_limit > 0:
            pod.limit, pod.limit_source = pod_pids_limit, "podPidsLimit"
        if pod.limit:
            pod.percent = round(100.0 * pod.tasks / pod.limit, 2)
    order = lambda g: (-g.tasks, g.key)  # noqa: E731 - one sort key for both lists
    return sorted(by_pod.values(), key=order), sorted(by_cgroup.values(), key=order)
