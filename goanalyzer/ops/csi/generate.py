"""Build StorageClass and PVC objects that the driver accepts as written.

Every parameter value is a string (the API requires it), CBS sizes are rounded up to the next
multiple of 10 GB within the disk type's minimum, CBS gets WaitForFirstConsumer so the disk is
created in the zone of the node that runs the pod, and access modes the driver refuses are
refused here. Invalid combinations raise ValueError with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from goanalyzer.ops.csi.drivers import (
    CBS,
    CBS_DEFAULT_DISK_TYPE,
    CBS_TOPOLOGY_KEY,
    CFS,
    AccessMode,
    Driver,
)
from goanalyzer.ops.csi.lint import GIB, parse_quantity


@dataclass(slots=True)
class Generated:
    """The objects to print and notes about what was adjusted."""

    objects: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)


def round_cbs_size(request: str, disk_type: str) -> tuple[int, str | None]:
    """The CBS size in GiB for a request, and a note when it had to change."""
    size = parse_quantity(request)
    if size is None or size <= 0:
        raise ValueError(f"size {request!r} is not a positive quantity such as 50Gi")
    gib = -(-size // GIB)
    step = CBS.size_step_gib or 1
    limit = CBS.size_limits.get(disk_type)
    rounded = max(-(-gib // step) * step, limit.minimum if limit else step)
    if limit and rounded > limit.maximum:
        raise ValueError(f"size {request} exceeds the {disk_type} maximum of {limit.maximum} GB")
    if rounded * GIB != size:
        return rounded, (f"size {request} rounded up to {rounded}Gi: CBS disks are whole multiples of {step} GB"
                         + (f" and {disk_type} starts at {limit.minimum} GB" if limit else ""))
    return rounded, None


def _tags(value: str | None) -> str | None:
    if not value:
        return None
    for entry in value.split(","):
        if len(entry.split(":")) != 2 or not all(entry.split(":")):
            raise ValueError(f"tag {entry!r} is not key:value")
    return value


_DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")


def _check_names(name: str, claim: str | None, namespace: str | None) -> None:
    """Names the API server accepts: DNS-1123 subdomains for the objects, a DNS-1123 label for the namespace."""
    for option, value in (("--name", name), ("--pvc", claim)):
        if value is None:
            continue
        if len(value) > 253 or not all(_DNS_LABEL.fullmatch(part) for part in value.split(".")):
            raise ValueError(f"{option} {value!r} is not a valid object name: lower-case letters, digits, '-' and "
                             "'.', starting and ending with a letter or digit, at most 253 characters")
    if namespace is not None and (len(namespace) > 63 or not _DNS_LABEL.fullmatch(namespace)):
        raise ValueError(f"--namespace {namespace!r} is not a valid namespace: lower-case letters, digits and '-', "
                         "starting and ending with a letter or digit, at most 63 characters")


def _check_mode(driver: Driver, mode: str) -> None:
    if AccessMode(mode) not in driver.access_modes:
        allowed = ", ".join(a.value for a in AccessMode if a in driver.access_modes)
        raise ValueError(f"{driver.short} does not support {mode}; supported: {allowed}")


def _claim(name: str, namespace: str | None, class_name: str, mode: str, size: str) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": name}
    if namespace:
        metadata["namespace"] = namespace
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": metadata,
            "spec": {"storageClassName": class_name, "accessModes": [mode],
                     "resources": {"requests": {"storage": size}}}}


def _class(name: str, driver: Driver, parameters: dict[str, str], *, reclaim: str, binding: str,
           expansion: bool, zones: list[str] | None = None) -> dict[str, Any]:
    sc: dict[str, Any] = {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": name},
                          "provisioner": driver.name}
    if parameters:
        sc["parameters"] = parameters
    sc["reclaimPolicy"] = reclaim
    sc["volumeBindingMode"] = binding
    sc["allowVolumeExpansion"] = expansion
    if zones:
        sc["allowedTopologies"] = [{"matchLabelExpressions": [{"key": CBS_TOPOLOGY_KEY, "values": list(zones)}]}]
    return sc


def cbs(*, name: str, disk_type: str = CBS_DEFAULT_DISK_TYPE, zone: str | None = None,
        zones: list[str] | None = None, prepaid_months: int | None = None, renew_flag: str | None = None,
        encrypt: bool = False, tags: str | None = None, project: int | None = None,
        throughput: int | None = None, fstype: str | None = None, reclaim: str = "Delete",
        binding: str = "WaitForFirstConsumer", claim: str | None = None, namespace: str | None = None,
        size: str = "10Gi", access_mode: str = AccessMode.RWO.value) -> Generated:
    """A CBS StorageClass (and a PVC when `claim` is given)."""
    notes: list[str] = []
    _check_names(name, claim, namespace)
    _check_mode(CBS, access_mode)
    if zone and zones:
        raise ValueError("give --zone (diskZone) or --allowed-zone (allowedTopologies), not both")
    params: dict[str, str] = {"diskType": disk_type}
    if zone:
        params["diskZone"] = zone
    if prepaid_months is not None:
        params["diskChargeType"] = "PREPAID"
        params["diskChargeTypePrepaidPeriod"] = str(prepaid_months)
        params["diskChargePrepaidRenewFlag"] = renew_flag or "NOTIFY_AND_MANUAL_RENEW"
    elif renew_flag:
        raise ValueError("--renew-flag applies only with --prepaid-months")
    if encrypt:
        params["encrypt"] = "ENCRYPT"
    if _tags(tags):
        params["disktags"] = tags or ""
    if project is not None:
        params["project"] = str(project)
    if throughput is not None:
        if disk_type not in ("CLOUD_HSSD", "CLOUD_TSSD"):
            raise ValueError("--throughput applies to CLOUD_HSSD and CLOUD_TSSD only")
        params["throughputperformance"] = str(throughput)
    if fstype:
        params["csi.storage.k8s.io/fstype"] = fstype
    objects = [_class(name, CBS, params, reclaim=reclaim, binding=binding, expansion=True, zones=zones)]
    if claim:
        gib, note = round_cbs_size(size, disk_type)
        if note:
            notes.append(note)
        objects.append(_claim(claim, namespace, name, access_mode, f"{gib}Gi"))
    return Generated(objects, notes)


def cfs(*, name: str, vpc_id: str, subnet_id: str, zone: str | None = None, pgroup_id: str | None = None,
        storage_type: str = "SD", tags: str | None = None, nfs_version: str | None = None,
        reclaim: str = "Delete", binding: str = "Immediate", claim: str | None = None,
        namespace: str | None = None, size: str = "10Gi",
        access_mode: str = AccessMode.RWX.value) -> Generated:
    """A CFS StorageClass (and a PVC when `claim` is given). Each PVC creates a new CFS file system."""
    _check_names(name, claim, namespace)
    _check_mode(CFS, access_mode)
    if not vpc_id.startswith("vpc-") or not subnet_id.startswith("subnet-"):
        raise ValueError("--vpc-id must look like vpc-xxxxxxxx and --subnet-id like subnet-xxxxxxxx")
    params: dict[str, str] = {"vpcid": vpc_id, "subnetid": subnet_id}
    if zone:
        params["zone"] = zone
    if pgroup_id:
        params["pgroupid"] = pgroup_id
    params["storagetype"] = storage_type
    if _tags(tags):
        params["resourcetags"] = tags or ""
    if nfs_version:
        params["vers"] = nfs_version
    objects = [_class(name, CFS, params, reclaim=reclaim, binding=binding, expansion=False)]
    notes = ["each PVC of this class creates a new CFS file system (capacity is not enforced by NFS)"]
    if claim:
        if parse_quantity(size) is None:
            raise ValueError(f"size {size!r} is not a positive quantity such as 50Gi")
        objects.append(_claim(claim, namespace, name, access_mode, size))
    return Generated(objects, notes)


def to_yaml(generated: Generated, command: str) -> str:
    """Multi-document YAML with the notes as comments at the top."""
    header = [f"# generated by: {command}"] + [f"# note: {note}" for note in generated.notes]
    documents = [yaml.safe_dump(obj, sort_keys=False, default_flow_style=False).rstrip("\n")
                 for obj in generated.objects]
    return "\n".join(header) + "\n" + "\n---\n".join(documents)
