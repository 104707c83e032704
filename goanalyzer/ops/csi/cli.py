"""`goanalyzer ops csi ...`: the only module of this package that prints or exits."""

from __future__ import annotations


import click

from goanalyzer.ops.common import EXIT_USAGE, OpsInputError, dumps, exit_code_for, fail_input, format_option
from goanalyzer.ops.csi import generate
from goanalyzer.ops.csi.drivers import (
    CBS_DISK_TYPES,
    CBS_PREPAID_PERIODS,
    CBS_RENEW_FLAGS,
    CFS_STORAGE_TYPES,
    DRIVERS,
    AccessMode,
)
from goanalyzer.ops.csi.lint import LintReport, lint
from goanalyzer.ops.csi.manifests import load_manifests

EXIT_CODES = """\b
Exit codes:
  0  no findings above info
  1  warnings: keys the driver silently ignores or changes, sizes off the 10 GB step,
     a PVC whose StorageClass is not in the files
  2  usage error, unreadable file or malformed YAML (FILE:LINE given)
  3  critical: what the API server, provisioner or node plugin will refuse
     (ReadWriteMany on CBS, missing required parameters, invalid values)"""


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def csi() -> None:
    """Tencent Cloud CSI (kubernetes-csi-tencentcloud): lint StorageClasses, PVCs and PVs,
    generate correct StorageClasses, show what each driver accepts.

    \b
    Drivers: com.tencent.cloud.csi.cbs (block disks, one node), .cfs (NFS, shared),
    .cfsturbo (CFS Turbo, shared), .cosfs (COS buckets, static PVs only),
    .chdfs (CHDFS, static PVs only).
    """


def _render_lint(report: LintReport) -> str:
    lines = [f"{f.path}:{f.line}: {f.severity.value}: {f.message} [{f.code}] ({f.kind}/{f.name or '?'})"
             for f in report.findings]
    counts = {s: sum(1 for f in report.findings if f.severity.value == s) for s in ("critical", "warning", "info")}
    lines.append(f"{report.checked} StorageClass/PVC/PV objects in {len(report.files)} files: "
                 f"{counts['critical']} critical, {counts['warning']} warning, {counts['info']} info")
    return "\n".join(lines)


@csi.command(name="lint", epilog=EXIT_CODES)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@format_option
def lint_command(files: tuple[str, ...], fmt: str) -> None:
    """Check StorageClasses, PVCs and PVs (multi-document YAML, `kind: List` too) against the
    Tencent Cloud CSI drivers: access modes (no ReadWriteMany on CBS), required, unknown and
    silently ignored parameters, allowed values, CBS sizes in 10 GB steps, non-string parameter
    values, PVCs whose StorageClass is missing and PVC/PV binding. All FILES are read together,
    so a PVC finds its StorageClass in another file. Secret values are never printed.

    \b
    A FILE may be JSON (`kubectl get -o json`); `-` reads standard input. Files over 20 MiB,
    nesting deeper than 200 levels and alias expansion past 1,000,000 values are refused
    (exit 2 with FILE:LINE), as are bytes that are not UTF-8 (kubectl refuses them too).
    """
    manifests = []
    try:
        for name in files:
            manifests.extend(load_manifests(name))
    except OpsInputError as error:
        fail_input(error)
        return
    report = lint(manifests, list(files))
    click.echo(dumps(report) if fmt == "json" else _render_lint(report))
    raise SystemExit(exit_code_for([f.severity for f in report.findings]))


@csi.command(name="drivers")
@format_option
def drivers_command(fmt: str) -> None:
    """Show the model of each driver: access modes, provisioning, parameters with defaults and
    allowed values. Exit code 0."""
    if fmt == "json":
        click.echo(dumps(list(DRIVERS.values())))
        return
    lines: list[str] = []
    for driver in DRIVERS.values():
        modes = ", ".join(a.value for a in AccessMode if a in driver.access_modes)
        provisioning = ", ".join(sorted(p.value for p in driver.provisioning))
        lines.append(f"{driver.name}: {driver.title}")
        lines.append(f"  access modes: {modes}; provisioning: {provisioning}; expansion: "
                     f"{'yes' if driver.expansion else 'no'}; snapshots: {'yes' if driver.snapshots else 'no'}")
        for label, params in (("StorageClass parameters", driver.parameters),
                              ("PV volumeAttributes", driver.volume_attributes)):
            if not params:
                continue
            lines.append(f"  {label}:")
            for p in params:
                bits = ["required" if p.required else "optional"]
                if p.aliases:
                    bits.append("alias " + "/".join(p.aliases))
                if p.default is not None:
                    bits.append(f"default {p.default}")
                if p.allowed:
                    bits.append("one of " + "|".join(p.allowed))
                if p.set_by_driver:
                    bits.append("set by the driver")
                lines.append(f"    {p.name} ({'; '.join(bits)}): {p.description}")
        for note in driver.notes:
            lines.append(f"  note: {note}")
    click.echo("\n".join(lines))


@csi.group(name="storageclass")
def storageclass() -> None:
    """Generate a StorageClass (and optionally a PVC) as YAML the driver accepts."""


def _emit_generated(build, fmt: str, kind: str) -> None:
    try:
        generated = build()
    except ValueError as error:
        click.echo(f"error: {error}", err=True)
        raise SystemExit(EXIT_USAGE) from None
    if fmt == "json":
        click.echo(dumps({"objects": generated.objects, "notes": generated.notes}))
    else:
        click.echo(generate.to_yaml(generated, f"goanalyzer ops csi storageclass {kind}"))


_yaml_format = click.option("--format", "fmt", type=click.Choice(["yaml", "text", "json"]), default="yaml",
                            show_default=True,
                            help="YAML for kubectl apply (`text` is the same, as in the other ops commands), or JSON.")


def _claim_options(default_mode: str):
    def wrap(func):
        func = click.option("--access-mode", type=click.Choice([a.value for a in AccessMode]),
                            default=default_mode, show_default=True, help="Access mode of the PVC.")(func)
        func = click.option("--size", default="10Gi", show_default=True, help="PVC request (e.g. 50Gi).")(func)
        func = click.option("--namespace", default=None, help="Namespace of the PVC.")(func)
        func = click.option("--pvc", "claim", default=None, metavar="NAME",
                            help="Also emit a PersistentVolumeClaim with this name.")(func)
        func = click.option("--reclaim-policy", type=click.Choice(["Delete", "Retain"]), default="Delete",
                            show_default=True)(func)
        return click.option("--name", required=True, help="StorageClass name.")(func)
    return wrap


@storageclass.command(name="cbs", epilog="\b\nExit codes:\n  0  printed\n  2  invalid options (reason given)")
@_claim_options(AccessMode.RWO.value)
@click.option("--disk-type", type=click.Choice(CBS_DISK_TYPES), default="CLOUD_PREMIUM", show_default=True)
@click.option("--zone", default=None, help="diskZone: create every disk in this zone (e.g. ap-guangzhou-3).")
@click.option("--allowed-zone", "zones", multiple=True,
              help="Restrict to these zones through allowedTopologies (repeatable).")
@click.option("--prepaid-months", type=click.Choice(CBS_PREPAID_PERIODS), default=None,
              help="Charge PREPAID for this many months (default: POSTPAID_BY_HOUR).")
@click.option("--renew-flag", type=click.Choice(CBS_RENEW_FLAGS), default=None, help="Prepaid renewal.")
@click.option("--encrypt", is_flag=True, help="Encrypted disks (encrypt: ENCRYPT).")
@click.option("--tags", default=None, help="Disk tags `k1:v1,k2:v2`.")
@click.option("--project", type=click.IntRange(min=0), default=None, help="Project id.")
@click.option("--throughput", type=click.IntRange(min=1), default=None,
              help="Extra throughput MB/s (CLOUD_HSSD/CLOUD_TSSD).")
@click.option("--fstype", type=click.Choice(["ext4", "xfs"]), default=None, help="csi.storage.k8s.io/fstype.")
@click.option("--binding-mode", type=click.Choice(["WaitForFirstConsumer", "Immediate"]),
              default="WaitForFirstConsumer", show_default=True)
@_yaml_format
def storageclass_cbs(name, reclaim_policy, claim, namespace, size, access_mode, disk_type, zone, zones,
                     prepaid_months, renew_flag, encrypt, tags, project, throughput, fstype, binding_mode,
                     fmt) -> None:
    """A CBS StorageClass: block disks for one node at a time (ReadWriteOnce/ReadWriteOncePod),
    sizes rounded up to multiples of 10 GB, WaitForFirstConsumer by default."""
    _emit_generated(lambda: generate.cbs(
        name=name, disk_type=disk_type, zone=zone, zones=list(zones) or None,
        prepaid_months=int(prepaid_months) if prepaid_months else None, renew_flag=renew_flag,
        encrypt=encrypt, tags=tags, project=project, throughput=throughput, fstype=fstype,
        reclaim=reclaim_policy, binding=binding_mode, claim=claim, namespace=namespace, size=size,
        access_mode=access_mode), fmt, "cbs")


@storageclass.command(name="cfs", epilog="\b\nExit codes:\n  0  printed\n  2  invalid options (reason given)")
@_claim_options(AccessMode.RWX.value)
@click.option("--vpc-id", required=True, help="VPC of the file systems (vpc-...).")
@click.option("--subnet-id", required=True, help="Subnet of that VPC (subnet-...).")
@click.option("--zone", default=None, help="Zone (default: the controller's zone).")
@click.option("--pgroup-id", default=None, help="Permission group (default pgroupbasic).")
@click.option("--storage-type", type=click.Choice(CFS_STORAGE_TYPES), default="SD", show_default=True)
@click.option("--tags", default=None, help="Resource tags `k1:v1,k2:v2`.")
@click.option("--nfs-version", type=click.Choice(["3", "4"]), default=None, help="NFS version on the nodes.")
@_yaml_format
def storageclass_cfs(name, reclaim_policy, claim, namespace, size, access_mode, vpc_id, subnet_id, zone,
                     pgroup_id, storage_type, tags, nfs_version, fmt) -> None:
    """A CFS StorageClass: NFS file systems shared by many nodes (ReadWriteMany by default);
    each PVC creates a new file system in the given VPC and subnet."""
    _emit_generated(lambda: generate.cfs(
        name=name, vpc_id=vpc_id, subnet_id=subnet_id, zone=zone, pgroup_id=pgroup_id,
        storage_type=storage_type, tags=tags, nfs_version=nfs_version, reclaim=reclaim_policy,
        claim=claim, namespace=namespace, size=size, access_mode=access_mode), fmt, "cfs")
