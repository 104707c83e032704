"""The Tencent Cloud CSI drivers as data: provisioner names, access modes, provisioning, parameters.

Modelled on TencentCloud/kubernetes-csi-tencentcloud at commit defc12d (driver/*/controller.go,
node.go and docs/README_*.md). Facts that matter for linting:

* Parameter keys are matched case-insensitively (the drivers lower-case them) except CBS
  `encrypt`, which is looked up exactly; keys the driver's switch does not know are dropped
  without an error.
* CBS CreateVolume rejects every access mode except single-node writer: ReadWriteOnce and
  ReadWriteOncePod work, ReadOnlyMany and ReadWriteMany fail. The others (CFS, CFS Turbo,
  COSFS, CHDFS) declare multi-node multi-writer.
* COSFS and CHDFS have no controller service: static PVs only. CFS Turbo's "dynamic"
  provisioning makes a sub-directory in an existing Turbo file system.
* CBS truncates the request to whole GiB and the docs allow sizes in multiples of 10 GB.
* StorageClass parameters become the volume context the node plugin reads, so node-side keys
  (CFS path/vers/options, CFS Turbo proto/rootdir/options) are valid in a StorageClass too.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class AccessMode(str, enum.Enum):
    RWO = "ReadWriteOnce"
    ROX = "ReadOnlyMany"
    RWX = "ReadWriteMany"
    RWOP = "ReadWriteOncePod"


class Provisioning(str, enum.Enum):
    DYNAMIC = "dynamic"
    STATIC = "static"


class ValueKind(str, enum.Enum):
    TEXT = "text"
    INT = "int"
    BOOL = "bool"
    TAGS = "tags"  # `k1:v1,k2:v2`; an entry that is not exactly key:value is skipped by the driver


@dataclass(slots=True, frozen=True)
class Parameter:
    """One key a driver reads from StorageClass.parameters or PV csi.volumeAttributes."""

    name: str
    description: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    default: str | None = None
    allowed: tuple[str, ...] = ()
    kind: ValueKind = ValueKind.TEXT
    case_sensitive: bool = False
    set_by_driver: bool = False  # the controller overwrites it in the volume context
    rejects_invalid: bool = True  # False: the driver silently falls back to the default instead

    def spellings(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(slots=True, frozen=True)
class SizeLimit:
    """CBS disk size range in GB for one disk type (from the driver docs; the zone quota API decides)."""

    minimum: int
    maximum: int


@dataclass(slots=True, frozen=True)
class Driver:
    name: str
    short: str
    title: str
    access_modes: frozenset[AccessMode]
    provisioning: frozenset[Provisioning]
    expansion: bool
    snapshots: bool
    parameters: tuple[Parameter, ...]
    volume_attributes: tuple[Parameter, ...]
    size_step_gib: int | None = None
    size_limits: dict[str, SizeLimit] = field(default_factory=dict)
    topology_key: str | None = None
    node_publish_secret_keys: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def parameter(self, key: str, *, attributes: bool = False) -> Parameter | None:
        """The parameter a key selects, matching as the driver does (lower-cased unless exact)."""
        for param in self.volume_attributes if attributes else self.parameters:
            for spelling in param.spellings():
                if key == spelling or (not param.case_sensitive and key.lower() == spelling.lower()):
                    return param
        return None


CBS_DISK_TYPES = ("CLOUD_BASIC", "CLOUD_PREMIUM", "CLOUD_SSD", "CLOUD_HSSD", "CLOUD_TSSD")
CBS_DEFAULT_DISK_TYPE = "CLOUD_PREMIUM"
CBS_PREPAID_PERIODS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "24", "36")
CBS_RENEW_FLAGS = ("NOTIFY_AND_AUTO_RENEW", "NOTIFY_AND_MANUAL_RENEW", "DISABLE_NOTIFY_AND_MANUAL_RENEW")
CBS_TOPOLOGY_KEY = "topology.com.tencent.cloud.csi.cbs/zone"
CBS_PREPAID_ONLY = ("diskChargeTypePrepaidPeriod", "diskChargePrepaidRenewFlag")

CBS = Driver(
    name="com.tencent.cloud.csi.cbs",
    short="cbs",
    title="CBS (Cloud Block Storage): block disks attached to one node",
    access_modes=frozenset({AccessMode.RWO, AccessMode.RWOP}),
    provisioning=frozenset({Provisioning.DYNAMIC, Provisioning.STATIC}),
    expansion=True,
    snapshots=True,
    parameters=(
        Parameter("diskType", "disk type; `cbs` picks CLOUD_BASIC, else CLOUD_PREMIUM, by zone quota",
                  aliases=("type",), default=CBS_DEFAULT_DISK_TYPE, allowed=(*CBS_DISK_TYPES, "cbs")),
        Parameter("diskZone", "zone such as ap-guangzhou-3 (or a numeric zone id); wins over topology",
                  aliases=("zone",)),
        Parameter("diskChargeType", "PREPAID or POSTPAID_BY_HOUR; any other value means POSTPAID_BY_HOUR",
                  aliases=("paymode",), default="POSTPAID_BY_HOUR", allowed=("PREPAID", "POSTPAID_BY_HOUR"),
                  rejects_invalid=False),
        Parameter("diskChargeTypePrepaidPeriod", "prepaid months (only with diskChargeType PREPAID)",
                  default="1", allowed=CBS_PREPAID_PERIODS, kind=ValueKind.INT),
        Parameter("diskChargePrepaidRenewFlag", "prepaid renewal (only with diskChargeType PREPAID)",
                  aliases=("renewflag",), default="NOTIFY_AND_MANUAL_RENEW", allowed=CBS_RENEW_FLAGS),
        Parameter("encrypt", "disk encryption; the only value is ENCRYPT; key matched exactly",
                  allowed=("ENCRYPT",), case_sensitive=True),
        Parameter("disktags", "tags for the disk, `a:b,c:d`", kind=ValueKind.TAGS),
        Parameter("project", "project id", default="0", kind=ValueKind.INT, rejects_invalid=False),
        Parameter("aspId", "auto snapshot policy id bound to each new disk"),
        Parameter("throughputperformance", "extra throughput in MB/s (CLOUD_HSSD and CLOUD_TSSD only)",
                  kind=ValueKind.INT, rejects_invalid=False),
        Parameter("cdcid", "CDC (dedicated cluster) id; switches charging to CDCPAID"),
        Parameter("devicemapper", "LVM stripes several disks into one volume", allowed=("LVM",)),
        Parameter("devices", "number of disks; 1 without devicemapper, at least 2 with LVM", default="1",
                  kind=ValueKind.INT),
    ),
    volume_attributes=(
        Parameter("devicemapper", "set by the controller for LVM volumes", allowed=("LVM",)),
        Parameter("devices", "number of disks of an LVM volume", kind=ValueKind.INT),
    ),
    size_step_gib=10,
    size_limits={"CLOUD_PREMIUM": SizeLimit(10, 32000), "CLOUD_SSD": SizeLimit(20, 32000),
                 "CLOUD_HSSD": SizeLimit(20, 32000)},
    topology_key=CBS_TOPOLOGY_KEY,
    notes=("at most 20 CBS disks attach to one node",
           "a disk attaches only to a node in its zone: use volumeBindingMode WaitForFirstConsumer "
           "in clusters with nodes in several zones"),
)

CFS_STORAGE_TYPES = ("SD", "HP")

CFS = Driver(
    name="com.tencent.cloud.csi.cfs",
    short="cfs",
    title="CFS (Cloud File Storage): NFS shared by many nodes",
    access_modes=frozenset(AccessMode),
    provisioning=frozenset({Provisioning.DYNAMIC, Provisioning.STATIC}),
    expansion=False,
    snapshots=False,
    parameters=(
        Parameter("vpcid", "VPC the file system is created in", required=True),
        Parameter("subnetid", "subnet of that VPC for the mount target", required=True),
        Parameter("zone", "zone such as ap-guangzhou-3; default: the controller's zone"),
        Parameter("pgroupid", "permission group", default="pgroupbasic"),
        Parameter("storagetype", "SD (standard) or HP (high performance)", default="SD",
                  allowed=CFS_STORAGE_TYPES, rejects_invalid=False),
        Parameter("resourcetags", "tags for the file system, `a:b,c:d`", kind=ValueKind.TAGS),
        Parameter("path", "NFS sub-path to mount (passed to the node)", default="/"),
        Parameter("vers", "NFS version (passed to the node); default 4, or 3 when fsid is set",
                  allowed=("3", "4")),
        Parameter("options", "extra NFS mount options (passed to the node)"),
        Parameter("host", "mount target IP", set_by_driver=True),
        Parameter("fsid", "NFSv3 fsid", set_by_driver=True),
    ),
    volume_attributes=(
        Parameter("host", "NFS server (mount target) IP", required=True),
        Parameter("path", "NFS path, must start with /", default="/"),
        Parameter("vers", "NFS version; default 4, or 3 when fsid is set", allowed=("3", "4")),
        Parameter("options", "extra NFS mount options"),
        Parameter("fsid", "file system fsid, needed for NFSv3"),
    ),
)

CFS_TURBO = Driver(
    name="com.tencent.cloud.csi.cfsturbo",
    short="cfsturbo",
    title="CFS Turbo: parallel file system (Lustre or NFS client) shared by many nodes",
    access_modes=frozenset(AccessMode),
    provisioning=frozenset({Provisioning.DYNAMIC, Provisioning.STATIC}),
    expansion=False,
    snapshots=False,
    parameters=(
        Parameter("fsid", "CFS Turbo fsid (not the file system id)", required=True),
        Parameter("host", "CFS Turbo server IP", required=True),
        Parameter("proto", "client protocol on the node", default="lustre", allowed=("lustre", "nfs")),
        Parameter("rootdir", "root directory of the file system, must start with /", default="/cfs"),
        Parameter("options", "extra mount options"),
        Parameter("path", "sub-directory per volume", set_by_driver=True),
    ),
    volume_attributes=(
        Parameter("fsid", "CFS Turbo fsid", required=True),
        Parameter("host", "CFS Turbo server IP", required=True),
        Parameter("proto", "client protocol", default="lustre", allowed=("lustre", "nfs")),
        Parameter("rootdir", "root directory, must start with /", default="/cfs"),
        Parameter("path", "sub-path to mount", default="/"),
        Parameter("options", "extra mount options"),
    ),
    notes=("the lustre protocol needs the Lustre kernel module on every node",),
)

COSFS_MOUNTERS = ("cosfs", "goosefs-lite")
COSFS_DBGLEVELS = ("dbg", "info", "warn", "err", "crit")

COSFS = Driver(
    name="com.tencent.cloud.csi.cosfs",
    short="cosfs",
    title="COS (Cloud Object Storage) bucket mounted with cosfs or goosefs-lite (FUSE)",
    access_modes=frozenset(AccessMode),
    provisioning=frozenset({Provisioning.STATIC}),
    expansion=False,
    snapshots=False,
    parameters=(),
    volume_attributes=(
        Parameter("url", "bucket endpoint, e.g. http://cos.ap-guangzhou.myqcloud.com", required=True),
        Parameter("bucket", "bucket name (name-appid)", required=True),
        Parameter("path", "path in the bucket to mount", default="/"),
        Parameter("mounter", "FUSE client", default="cosfs", allowed=COSFS_MOUNTERS),
        Parameter("dbglevel", "cosfs log level", default="err", allowed=COSFS_DBGLEVELS, rejects_invalid=False),
        Parameter("additional_args", "extra cosfs options, e.g. -oallow_other"),
        Parameter("core_site", "goosefs-lite core-site settings"),
        Parameter("goosefs_lite", "goosefs-lite properties"),
    ),
    node_publish_secret_keys=("SecretId", "SecretKey"),
)

CHDFS = Driver(
    name="com.tencent.cloud.csi.chdfs",
    short="chdfs",
    title="CHDFS (Cloud HDFS) mounted with FUSE",
    access_modes=frozenset(AccessMode),
    provisioning=frozenset({Provisioning.STATIC}),
    expansion=False,
    snapshots=False,
    parameters=(),
    volume_attributes=(
        Parameter("url", "mount point URL, e.g. xxx.chdfs.ap-guangzhou.myqcloud.com", required=True),
        Parameter("allowother", "let other users access the mount", default="false", kind=ValueKind.BOOL,
                  rejects_invalid=False),
        Parameter("sync", "write memory changes through to CHDFS", default="false", kind=ValueKind.BOOL,
                  rejects_invalid=False),
        Parameter("debug", "log FUSE calls", default="false", kind=ValueKind.BOOL,
                  rejects_invalid=False),
        Parameter("additional_args", "extra mount options"),
    ),
)

DRIVERS: dict[str, Driver] = {d.name: d for d in (CBS, CFS, CFS_TURBO, COSFS, CHDFS)}
BY_SHORT: dict[str, Driver] = {d.short: d for d in DRIVERS.values()}
TENCENT_PREFIX = "com.tencent.cloud.csi."

# Keys the external-provisioner sidecar consumes before the driver sees the parameters.
PROVISIONER_PREFIX = "csi.storage.k8s.io/"
PROVISIONER_KEYS = (
    "csi.storage.k8s.io/fstype",
    "csi.storage.k8s.io/provisioner-secret-name", "csi.storage.k8s.io/provisioner-secret-namespace",
    "csi.storage.k8s.io/controller-publish-secret-name", "csi.storage.k8s.io/controller-publish-secret-namespace",
    "csi.storage.k8s.io/node-stage-secret-name", "csi.storage.k8s.io/node-stage-secret-namespace",
    "csi.storage.k8s.io/node-publish-secret-name", "csi.storage.k8s.io/node-publish-secret-namespace",
    "csi.storage.k8s.io/controller-expand-secret-name", "csi.storage.k8s.io/controller-expand-secret-namespace",
    "csi.storage.k8s.io/node-expand-secret-name", "csi.storage.k8s.io/node-expand-secret-namespace",
)
LEGACY_FSTYPE_KEY = "fstype"  # still honoured by external-provisioner, deprecated for csi.storage.k8s.io/fstype
