"""Check StorageClasses, PVCs and PVs against the Tencent Cloud CSI driver model.

Severity follows what happens in the cluster: critical when the API server, the provisioner
or the node plugin will refuse it (the PVC stays Pending, the pod never mounts); warning when
the driver silently ignores or changes what was written; info for advice. Objects of other
provisioners are read only so PVCs can find their StorageClass.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from goanalyzer.ops.common import Severity
from goanalyzer.ops.csi.drivers import (
    CBS,
    CBS_DEFAULT_DISK_TYPE,
    CBS_PREPAID_ONLY,
    CBS_TOPOLOGY_KEY,
    COSFS,
    DRIVERS,
    LEGACY_FSTYPE_KEY,
    PROVISIONER_KEYS,
    PROVISIONER_PREFIX,
    TENCENT_PREFIX,
    AccessMode,
    Driver,
    Parameter,
    Provisioning,
    ValueKind,
)
from goanalyzer.ops.csi.manifests import Manifest

GIB = 1 << 30
DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class"
BETA_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class"
CHECKED_KINDS = ("StorageClass", "PersistentVolumeClaim", "PersistentVolume")

_QUANTITY = re.compile(r"^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$")
_SUFFIX = {None: 1, "m": Decimal("0.001"), "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12, "P": 10**15,
           "E": 10**18, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}


@dataclass(slots=True)
class Finding:
    severity: Severity
    code: str
    message: str
    path: str
    line: int
    kind: str
    name: str


@dataclass(slots=True)
class LintReport:
    files: list[str]
    objects: int
    checked: int
    findings: list[Finding] = field(default_factory=list)


def parse_quantity(text: Any) -> int | None:
    """A Kubernetes resource quantity in bytes (rounded up), or None when it is not one."""
    if isinstance(text, bool) or not isinstance(text, (str, int)):
        return None
    match = _QUANTITY.match(str(text).strip())
    if not match:
        return None
    try:
        value = Decimal(match.group(1)) * _SUFFIX[match.group(2)]
    except InvalidOperation:
        return None
    return int(value.to_integral_value(rounding="ROUND_CEILING"))


def _gib(n: int) -> str:
    return f"{n}Gi"


class _Linter:
    def __init__(self, manifests: list[Manifest]):
        self.manifests = manifests
        self.findings: list[Finding] = []
        self.classes: dict[str, Manifest] = {}
        self.volumes: dict[str, Manifest] = {}
        self.secrets: dict[tuple[str, str], Manifest] = {}
        for m in manifests:
            if m.kind == "StorageClass" and m.name:
                self.classes.setdefault(m.name, m)
            elif m.kind == "PersistentVolume" and m.name:
                self.volumes.setdefault(m.name, m)
            elif m.kind == "Secret" and m.name:
                self.secrets.setdefault((m.namespace or "default", m.name), m)

    def add(self, m: Manifest, severity: Severity, code: str, message: str, *path: str | int) -> None:
        self.findings.append(Finding(severity, code, message, m.path, m.line_of(*path), m.kind, m.name))

    # ---- shared pieces -------------------------------------------------------------------------

    def _string_map(self, m: Manifest, where: tuple[str, ...], label: str) -> dict[str, str]:
        """A map[string]string field: non-string values are rejected by the API server."""
        raw = m.get(*where)
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.add(m, Severity.CRITICAL, "not-a-map", f"{label} must be a map of strings", *where)
            return {}
        values: dict[str, str] = {}
        for key, value in raw.items():
            if value is None:
                self.add(m, Severity.WARNING, "empty-value", f"{label} {key} has no value (null)", *where, key)
                values[key] = ""
            elif not isinstance(value, str):
                shown = str(value).lower() if isinstance(value, bool) else str(value)
                self.add(m, Severity.CRITICAL, "not-a-string",
                         f"{label} {key} must be a string: quote it ({key}: \"{shown}\"); the API server "
                         "rejects numbers and booleans here", *where, key)
                values[key] = shown
            else:
                values[key] = value
        return values

    def _resolve(self, driver: Driver, m: Manifest, values: dict[str, str], where: tuple[str, ...],
                 attributes: bool) -> dict[str, tuple[str, str]]:
        """Check each key against the driver; return canonical name -> (key as written, value)."""
        params = driver.volume_attributes if attributes else driver.parameters
        label = "volumeAttributes" if attributes else "parameter"
        known: dict[str, tuple[str, str]] = {}
        for key in sorted(values):
            value = values[key]
            if not attributes and key.startswith(PROVISIONER_PREFIX):
                if key not in PROVISIONER_KEYS:
                    self.add(m, Severity.WARNING, "unknown-key",
                             f"{label} {key} is not a key the external-provisioner knows", *where, key)
                continue
            if not attributes and key.lower() == LEGACY_FSTYPE_KEY:
                self.add(m, Severity.INFO, "deprecated-key",
                         f"{label} {key} is the deprecated spelling of csi.storage.k8s.io/fstype", *where, key)
                continue
            param = driver.parameter(key, attributes=attributes)
            if param is None:
                self._unknown(driver, m, key, params, where, label)
                continue
            if param.name in known:
                other = known[param.name][0]
                self.add(m, Severity.WARNING, "duplicate-key",
                         f"{label} {key} and {other} both set {param.name}; the driver takes whichever "
                         "its map iteration visits last (random)", *where, key)
            known[param.name] = (key, value)
            if param.set_by_driver:
                self.add(m, Severity.INFO, "set-by-driver",
                         f"{label} {key} is set by the driver when it creates the volume; this value is "
                         "overwritten", *where, key)
            self._value(m, param, key, value, where, label)
        for param in params:
            if param.required and param.name not in known:
                self.add(m, Severity.CRITICAL, "missing-required",
                         f"{driver.short}: required {label} {param.name} is missing ({param.description})",
                         *where)
        return known

    def _unknown(self, driver: Driver, m: Manifest, key: str, params: tuple[Parameter, ...],
                 where: tuple[str, ...], label: str) -> None:
        exact = [p for p in params if p.case_sensitive and key.lower() == p.name.lower()]
        if exact:
            self.add(m, Severity.WARNING, "ignored-key",
                     f"{label} {key} is ignored: the driver reads {exact[0].name!r} with exactly that spelling",
                     *where, key)
            return
        if driver is CBS and key.lower() == "diskzones":
            self.add(m, Severity.WARNING, "ignored-key",
                     f"{label} {key} is ignored by the driver (it reads diskZone only); to spread disks "
                     f"over zones use allowedTopologies with {CBS_TOPOLOGY_KEY} and WaitForFirstConsumer",
                     *where, key)
            return
        spellings = [s for p in params for s in p.spellings()]
        close = difflib.get_close_matches(key.lower(), [s.lower() for s in spellings], n=1, cutoff=0.75)
        hint = ""
        if close:
            hint = f" (did you mean {next(s for s in spellings if s.lower() == close[0])}?)"
        self.add(m, Severity.WARNING, "unknown-key",
                 f"{label} {key} is not read by {driver.name}; it is silently ignored{hint}", *where, key)

    def _value(self, m: Manifest, param: Parameter, key: str, value: str, where: tuple[str, ...],
               label: str) -> None:
        level = Severity.CRITICAL if param.rejects_invalid else Severity.WARNING
        effect = "the driver rejects it" if param.rejects_invalid else (
            f"the driver uses {param.default} instead" if param.default else "the driver ignores it")
        if param.kind is ValueKind.INT and not re.fullmatch(r"[+-]?\d+", value.strip()):
            self.add(m, level, "bad-value", f"{label} {key}={value!r} is not an integer; {effect}", *where, key)
            return
        if param.kind is ValueKind.BOOL and value.strip().lower() not in (
                "1", "t", "true", "0", "f", "false"):
            self.add(m, Severity.WARNING, "bad-value",
                     f"{label} {key}={value!r} is not a boolean; the driver treats it as false", *where, key)
            return
        if param.kind is ValueKind.TAGS:
            bad = [entry for entry in value.split(",") if len(entry.split(":")) != 2]
            if bad and value:
                self.add(m, Severity.WARNING, "bad-value",
                         f"{label} {key}: entries {', '.join(repr(b) for b in bad)} are not key:value and are "
                         "skipped", *where, key)
            return
        if param.allowed and value not in param.allowed:
            if param is CBS.parameter("diskChargeType") and value.upper() in param.allowed:
                effect = "values are case-sensitive; the driver uses POSTPAID_BY_HOUR"
            self.add(m, level, "bad-value",
                     f"{label} {key}={value!r} is not one of {', '.join(param.allowed)}; {effect}", *where, key)

    def _access_modes(self, driver: Driver, m: Manifest, where: tuple[str, ...]) -> list[str]:
        modes = m.get(*where)
        if not isinstance(modes, list) or not modes:
            self.add(m, Severity.CRITICAL, "no-access-modes", "accessModes is missing or empty", *where)
            return []
        result = []
        for index, mode in enumerate(modes):
            if mode not in {a.value for a in AccessMode}:
                self.add(m, Severity.CRITICAL, "bad-access-mode", f"unknown access mode {mode!r}", *where, index)
                continue
            result.append(mode)
            if AccessMode(mode) not in driver.access_modes:
                allowed = ", ".join(a.value for a in AccessMode if a in driver.access_modes)
                reason = " (a CBS disk attaches to one node: no shared mode)" if driver is CBS else ""
                self.add(m, Severity.CRITICAL, "access-mode",
                         f"{mode} is not supported by {driver.short}{reason}; supported: {allowed}", *where, index)
        return result

    def _cbs_size(self, m: Manifest, size_bytes: int, disk_type: str | None, where: tuple[str, ...],
                  what: str) -> None:
        gib = size_bytes // GIB
        if size_bytes % GIB:
            self.add(m, Severity.INFO, "size-truncated",
                     f"{what} is not a whole number of GiB; the driver asks for {gib} GB (it truncates)", *where)
        limit = CBS.size_limits.get(disk_type or "")
        step = CBS.size_step_gib or 1
        minimum = limit.minimum if limit else step
        if gib < minimum:
            self.add(m, Severity.CRITICAL, "size-range",
                     f"{what} gives a {gib} GB disk; {disk_type or 'CBS'} needs at least {minimum} GB: "
                     f"request {_gib(max(minimum, step))}", *where)
            return
        if limit and gib > limit.maximum:
            self.add(m, Severity.CRITICAL, "size-range",
                     f"{what} gives a {gib} GB disk; {disk_type} allows at most {limit.maximum} GB", *where)
            return
        if gib % step:
            rounded = (gib // step + 1) * step
            self.add(m, Severity.WARNING, "size-step",
                     f"{what} gives a {gib} GB disk; CBS sizes are multiples of {step} GB: request {_gib(rounded)}",
                     *where)

    # ---- objects --------------------------------------------------------------------------------

    def storage_class(self, m: Manifest) -> None:
        provisioner = m.get("provisioner")
        if not isinstance(provisioner, str) or not provisioner:
            self.add(m, Severity.CRITICAL, "no-provisioner", "StorageClass has no provisioner")
            return
        driver = DRIVERS.get(provisioner)
        if driver is None:
            if provisioner.startswith(TENCENT_PREFIX):
                self.add(m, Severity.CRITICAL, "unknown-driver",
                         f"unknown Tencent Cloud CSI provisioner {provisioner}; known: {', '.join(sorted(DRIVERS))}",
                         "provisioner")
            return
        if Provisioning.DYNAMIC not in driver.provisioning:
            self.add(m, Severity.CRITICAL, "no-dynamic",
                     f"{driver.short} has no controller service and cannot provision volumes; PVCs of this class "
                     "stay Pending: create a static PersistentVolume instead", "provisioner")
        for field_name, allowed in (("reclaimPolicy", ("Delete", "Retain")),
                                    ("volumeBindingMode", ("Immediate", "WaitForFirstConsumer"))):
            value = m.get(field_name)
            if value is not None and value not in allowed:
                self.add(m, Severity.CRITICAL, "bad-field",
                         f"{field_name} {value!r} is not one of {', '.join(allowed)}", field_name)
        if m.get("allowVolumeExpansion") is True and not driver.expansion:
            self.add(m, Severity.WARNING, "no-expansion",
                     f"allowVolumeExpansion is true but {driver.short} cannot expand volumes; resize requests fail",
                     "allowVolumeExpansion")
        values = self._string_map(m, ("parameters",), "parameter")
        if Provisioning.DYNAMIC not in driver.provisioning:
            return
        known = self._resolve(driver, m, values, ("parameters",), attributes=False)
        if driver is CBS:
            self._cbs_class(m, known)
        if driver.short == "cfsturbo" and "proto" not in known:
            self.add(m, Severity.INFO, "default-value",
                     "proto not set: nodes mount with lustre, which needs the Lustre kernel module", "parameters")

    def _cbs_class(self, m: Manifest, known: dict[str, tuple[str, str]]) -> None:
        charge = known.get("diskChargeType", ("", ""))[1]
        prepaid = charge == "PREPAID"
        for name in CBS_PREPAID_ONLY:
            if name in known and not prepaid:
                key = known[name][0]
                self.add(m, Severity.WARNING, "ignored-key",
                         f"parameter {key} is ignored: diskChargeType is not PREPAID", "parameters", key)
        if prepaid and "cdcid" in known:
            self.add(m, Severity.WARNING, "conflict",
                     "cdcid switches charging to CDCPAID and diskChargeType PREPAID to PREPAID; which wins depends "
                     "on Go map order: set only one", "parameters", known["cdcid"][0])
        disk_type = known.get("diskType", ("", CBS_DEFAULT_DISK_TYPE))[1]
        if "throughputperformance" in known and disk_type not in ("CLOUD_HSSD", "CLOUD_TSSD"):
            self.add(m, Severity.WARNING, "ignored-key",
                     f"parameter throughputperformance applies to CLOUD_HSSD and CLOUD_TSSD only, not {disk_type}",
                     "parameters", known["throughputperformance"][0])
        mapper = known.get("devicemapper", ("", ""))[1]
        devices_text = known.get("devices", ("", "1"))[1]
        if re.fullmatch(r"[+-]?\d+", devices_text.strip()):
            devices = int(devices_text)
            where = ("parameters", known["devices"][0]) if "devices" in known else ("parameters",)
            if devices <= 0:
                self.add(m, Severity.CRITICAL, "bad-value", f"devices {devices} must be at least 1", *where)
            elif mapper == "LVM" and devices < 2:
                self.add(m, Severity.CRITICAL, "bad-value", "devicemapper LVM needs devices of at least 2", *where)
            elif not mapper and devices != 1:
                self.add(m, Severity.CRITICAL, "bad-value", "devices must be 1 without devicemapper", *where)
        topologies = m.get("allowedTopologies")
        keys: list[tuple[str, tuple[str | int, ...]]] = []
        if isinstance(topologies, list):
            for i, term in enumerate(topologies):
                exprs = term.get("matchLabelExpressions") if isinstance(term, dict) else None
                for j, expr in enumerate(exprs if isinstance(exprs, list) else []):
                    if isinstance(expr, dict):
                        keys.append((str(expr.get("key")),
                                     ("allowedTopologies", i, "matchLabelExpressions", j, "key")))
        for key, where in keys:
            if key != CBS_TOPOLOGY_KEY:
                self.add(m, Severity.WARNING, "topology-key",
                         f"allowedTopologies key {key} is not read by the driver; use {CBS_TOPOLOGY_KEY}", *where)
        if "diskZone" not in known and not keys and m.get("volumeBindingMode") != "WaitForFirstConsumer":
            self.add(m, Severity.INFO, "zone",
                     "no diskZone, no allowedTopologies and Immediate binding: the disk may be created in a zone "
                     "where the pod cannot run; consider volumeBindingMode WaitForFirstConsumer", "provisioner")

    def _class_for(self, m: Manifest) -> tuple[str | None, tuple[str, ...]]:
        name = m.get("spec", "storageClassName")
        if name is not None:
            return str(name), ("spec", "storageClassName")
        beta = m.get("metadata", "annotations", BETA_CLASS_ANNOTATION)
        if beta is not None:
            return str(beta), ("metadata", "annotations", BETA_CLASS_ANNOTATION)
        return None, ("spec",)

    def claim(self, m: Manifest) -> None:
        class_name, where = self._class_for(m)
        sc: Manifest | None = None
        if class_name is None:
            defaults = [c for c in self.classes.values()
                        if str(c.get("metadata", "annotations", DEFAULT_CLASS_ANNOTATION)).lower() == "true"]
            if len(defaults) == 1:
                sc = defaults[0]
            else:
                self.add(m, Severity.INFO, "default-class",
                         "no storageClassName: the cluster's default StorageClass decides; not checked", *where)
        elif class_name == "":
            volume = m.get("spec", "volumeName")
            if not volume:
                self.add(m, Severity.WARNING, "static-unbound",
                         'storageClassName "" disables provisioning and no volumeName is set: the claim binds only '
                         "to a matching PV without a class", *where)
        else:
            sc = self.classes.get(class_name)
            if sc is None:
                self.add(m, Severity.WARNING, "missing-class",
                         f"StorageClass {class_name} is not defined in the linted files", *where)
        driver = DRIVERS.get(str(sc.get("provisioner"))) if sc is not None else None
        volume_name = m.get("spec", "volumeName")
        pv = self.volumes.get(str(volume_name)) if volume_name else None
        if driver is None and pv is not None:
            driver = DRIVERS.get(str(pv.get("spec", "csi", "driver")))
        modes = self._access_modes(driver, m, ("spec", "accessModes")) if driver else []
        request = m.get("spec", "resources", "requests", "storage")
        size_where = ("spec", "resources", "requests", "storage")
        size = parse_quantity(request)
        if request is None:
            self.add(m, Severity.CRITICAL, "no-size", "resources.requests.storage is missing", "spec")
        elif size is None:
            self.add(m, Severity.CRITICAL, "bad-size", f"storage request {request!r} is not a quantity", *size_where)
        elif driver is CBS and pv is None and sc is not None:
            values = sc.get("parameters") if isinstance(sc.get("parameters"), dict) else {}
            disk_type = CBS_DEFAULT_DISK_TYPE
            for key, value in values.items():
                if CBS.parameter(key) is CBS.parameter("diskType"):
                    disk_type = str(value)
            self._cbs_size(m, size, None if disk_type == "cbs" else disk_type, size_where,
                           f"request {request}")
        if pv is not None:
            self._binding(m, pv, modes, size, class_name)

    def _binding(self, claim: Manifest, pv: Manifest, modes: list[str], size: int | None,
                 class_name: str | None) -> None:
        pv_modes = pv.get("spec", "accessModes")
        pv_modes = pv_modes if isinstance(pv_modes, list) else []
        missing = [mode for mode in modes if mode not in pv_modes]
        if missing:
            self.add(claim, Severity.CRITICAL, "binding",
                     f"PersistentVolume {pv.name} does not offer {', '.join(missing)}: the claim cannot bind",
                     "spec", "volumeName")
        capacity = parse_quantity(pv.get("spec", "capacity", "storage"))
        if size is not None and capacity is not None and capacity < size:
            self.add(claim, Severity.CRITICAL, "binding",
                     f"PersistentVolume {pv.name} capacity {pv.get('spec', 'capacity', 'storage')} is smaller than "
                     "the request: the claim cannot bind", "spec", "volumeName")
        pv_class = pv.get("spec", "storageClassName") or ""
        if class_name is not None and class_name != pv_class:
            self.add(claim, Severity.CRITICAL, "binding",
                     f"PersistentVolume {pv.name} has storageClassName {pv_class!r}, the claim {class_name!r}: "
                     "the claim cannot bind", "spec", "volumeName")

    def volume(self, m: Manifest) -> None:
        csi = m.get("spec", "csi")
        if not isinstance(csi, dict):
            return
        name = str(csi.get("driver") or "")
        driver = DRIVERS.get(name)
        if driver is None:
            if name.startswith(TENCENT_PREFIX):
                self.add(m, Severity.CRITICAL, "unknown-driver",
                         f"unknown Tencent Cloud CSI driver {name}; known: {', '.join(sorted(DRIVERS))}",
                         "spec", "csi", "driver")
            return
        self._access_modes(driver, m, ("spec", "accessModes"))
        handle = csi.get("volumeHandle")
        if not handle:
            self.add(m, Severity.CRITICAL, "no-handle", "spec.csi.volumeHandle is missing", "spec", "csi")
        elif driver is CBS and not all(re.fullmatch(r"disk-[0-9a-z]+", h) for h in str(handle).split(",")):
            self.add(m, Severity.WARNING, "cbs-handle",
                     f"volumeHandle {handle!r} is not a CBS disk id (disk-xxxxxxxx)", "spec", "csi", "volumeHandle")
        where = ("spec", "csi", "volumeAttributes")
        values = self._string_map(m, where, "volumeAttributes")
        known = self._resolve(driver, m, values, where, attributes=True)
        capacity = m.get("spec", "capacity", "storage")
        size = parse_quantity(capacity)
        if capacity is None:
            self.add(m, Severity.CRITICAL, "no-size", "spec.capacity.storage is missing", "spec")
        elif size is None:
            self.add(m, Severity.CRITICAL, "bad-size", f"capacity {capacity!r} is not a quantity",
                     "spec", "capacity", "storage")
        elif driver is CBS:
            self._cbs_size(m, size, None, ("spec", "capacity", "storage"), f"capacity {capacity}")
        for attribute in ("path", "rootdir"):
            if attribute in known and driver.short in ("cfs", "cfsturbo"):
                key, value = known[attribute]
                if value and not value.startswith("/"):
                    self.add(m, Severity.CRITICAL, "bad-value",
                             f"volumeAttributes {key}={value!r} must start with /; the node plugin rejects it",
                             *where, key)
        if driver is COSFS:
            self._cosfs(m, known, csi)

    def _cosfs(self, m: Manifest, known: dict[str, tuple[str, str]], csi: dict[str, Any]) -> None:
        where = ("spec", "csi", "volumeAttributes")
        mounter = known.get("mounter", ("", "cosfs"))[1] or "cosfs"
        ignored = ("dbglevel", "additional_args") if mounter == "goosefs-lite" else ("core_site", "goosefs_lite")
        if mounter in ("cosfs", "goosefs-lite"):
            for name in ignored:
                if name in known and known[name][1]:
                    self.add(m, Severity.WARNING, "ignored-key",
                             f"volumeAttributes {known[name][0]} is ignored with mounter {mounter}", *where,
                             known[name][0])
        ref = csi.get("nodePublishSecretRef")
        if not isinstance(ref, dict) or not ref.get("name"):
            self.add(m, Severity.CRITICAL, "no-secret",
                     "cosfs needs spec.csi.nodePublishSecretRef naming a Secret with SecretId and SecretKey",
                     "spec", "csi")
            return
        secret = self.secrets.get((str(ref.get("namespace") or "default"), str(ref["name"])))
        if secret is None:
            return
        keys = set()
        for section in ("data", "stringData"):
            block = secret.get(section)
            if isinstance(block, dict):
                keys.update(str(k) for k in block)
        extra = sorted(keys - set(COSFS.node_publish_secret_keys))
        missing = [k for k in COSFS.node_publish_secret_keys if k not in keys]
        if extra:
            self.add(m, Severity.CRITICAL, "secret-keys",
                     f"Secret {secret.name} has keys {', '.join(extra)}; the cosfs driver accepts only SecretId and "
                     "SecretKey and refuses to mount", "spec", "csi", "nodePublishSecretRef")
        if missing:
            self.add(m, Severity.CRITICAL, "secret-keys",
                     f"Secret {secret.name} lacks {', '.join(missing)}", "spec", "csi", "nodePublishSecretRef")

    def run(self) -> list[Finding]:
        for m in self.manifests:
            for key_path, line in m.duplicates:
                self.findings.append(Finding(Severity.CRITICAL, "duplicate-key",
                                             f"key {'.'.join(str(k) for k in key_path)} appears twice; the API "
                                             "server rejects duplicate fields", m.path, line, m.kind, m.name))
            if m.kind == "StorageClass":
                self.storage_class(m)
            elif m.kind == "PersistentVolumeClaim":
                self.claim(m)
            elif m.kind == "PersistentVolume":
                self.volume(m)
        order = {Severity.CRITICAL: 0, Severity.WARNING: 1, Severity.INFO: 2}
        return sorted(self.findings, key=lambda f: (f.path, f.line, order[f.severity], f.code, f.message))


def lint(manifests: list[Manifest], files: list[str]) -> LintReport:
    """Findings for every StorageClass, PVC and PV in `manifests` (all files together)."""
    findings = _Linter(manifests).run()
    checked = sum(1 for m in manifests if m.kind in CHECKED_KINDS)
    return LintReport(files=files, objects=len(manifests), checked=checked, findings=findings)


__all__ = ["Finding", "LintReport", "lint", "parse_quantity"]
