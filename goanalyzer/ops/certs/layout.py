"""kubeadm's certificate layout: which file is which `kubeadm certs renew` name, which CA signs it,
which static pods read it, and the set of files a control-plane node is expected to have.

Names, CAs and files follow kubeadm's own tables (cmd/kubeadm/app/phases/certs, kubeconfig); a row
is "externally managed" when the key of its CA is absent, as `kubeadm certs check-expiration` says.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import PurePath

KUBEADM_ROOT = "/etc/kubernetes"
MANIFESTS = "manifests"


@dataclass(frozen=True, slots=True)
class CaFiles:
    """One of kubeadm's three CAs."""

    name: str
    cert: str
    key: str


@dataclass(frozen=True, slots=True)
class KubeadmCert:
    """One certificate `kubeadm certs renew` knows, with its file relative to /etc/kubernetes."""

    name: str
    file: str
    ca: str
    restart: tuple[str, ...]
    key: str | None = None
    local_etcd: bool = False
    """Only present with kubeadm's stacked (local) etcd."""
    since: str | None = None
    """Only from this kubeadm version on (absent earlier, so never reported missing)."""


CAS = (
    CaFiles("ca", "pki/ca.crt", "pki/ca.key"),
    CaFiles("etcd-ca", "pki/etcd/ca.crt", "pki/etcd/ca.key"),
    CaFiles("front-proxy-ca", "pki/front-proxy-ca.crt", "pki/front-proxy-ca.key"),
)
CA_BY_NAME = {ca.name: ca for ca in CAS}

_APISERVER = ("kube-apiserver",)
CERTS = (
    KubeadmCert("admin.conf", "admin.conf", "ca", ()),
    KubeadmCert("apiserver", "pki/apiserver.crt", "ca", _APISERVER, "pki/apiserver.key"),
    KubeadmCert("apiserver-etcd-client", "pki/apiserver-etcd-client.crt", "etcd-ca", _APISERVER, "pki/apiserver-etcd-client.key", local_etcd=True),
    KubeadmCert("apiserver-kubelet-client", "pki/apiserver-kubelet-client.crt", "ca", _APISERVER, "pki/apiserver-kubelet-client.key"),
    KubeadmCert("controller-manager.conf", "controller-manager.conf", "ca", ("kube-controller-manager",)),
    KubeadmCert("etcd-healthcheck-client", "pki/etcd/healthcheck-client.crt", "etcd-ca", ("etcd",), "pki/etcd/healthcheck-client.key", local_etcd=True),
    KubeadmCert("etcd-peer", "pki/etcd/peer.crt", "etcd-ca", ("etcd",), "pki/etcd/peer.key", local_etcd=True),
    KubeadmCert("etcd-server", "pki/etcd/server.crt", "etcd-ca", ("etcd",), "pki/etcd/server.key", local_etcd=True),
    KubeadmCert("front-proxy-client", "pki/front-proxy-client.crt", "front-proxy-ca", _APISERVER, "pki/front-proxy-client.key"),
    KubeadmCert("scheduler.conf", "scheduler.conf", "ca", ("kube-scheduler",)),
    KubeadmCert("super-admin.conf", "super-admin.conf", "ca", (), since="v1.29"),
)
CERT_BY_FILE = {cert.file: cert for cert in CERTS}
SERVICE_ACCOUNT_FILES = ("pki/sa.key", "pki/sa.pub")


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a scanned file sits in a kubeadm tree: the tree's root and its kubeadm role."""

    root: str
    cert: KubeadmCert | None = None
    ca: CaFiles | None = None

    @property
    def name(self) -> str:
        return self.cert.name if self.cert else self.ca.name if self.ca else ""

    @property
    def ca_name(self) -> str:
        return self.cert.ca if self.cert else self.ca.name if self.ca else ""


def place(path: str) -> Placement | None:
    """The kubeadm role of a file by its path's tail (pki/etcd/peer.crt, admin.conf), or None."""
    parts = PurePath(path).parts
    for depth in (3, 2, 1):
        if len(parts) < depth:
            continue
        tail = "/".join(parts[-depth:])
        root = str(PurePath(*parts[:-depth])) if len(parts) > depth else "."
        if tail in CERT_BY_FILE and (depth > 1 or _looks_like_root(root)):
            return Placement(root, cert=CERT_BY_FILE[tail])
        for ca in CAS:
            if tail == ca.cert:
                return Placement(root, ca=ca)
    return None


def _looks_like_root(root: str) -> bool:
    """A kubeconfig named admin.conf counts as kubeadm's only beside a pki/ directory."""
    return os.path.isdir(os.path.join(root, "pki"))


def externally_managed(root: str, ca_name: str) -> bool:
    """kubeadm's rule: a CA whose key is absent is managed outside kubeadm, and so is what it signs."""
    return not os.path.exists(os.path.join(root, CA_BY_NAME[ca_name].key))


def is_control_plane_root(directory: str) -> bool:
    """A directory that is a control-plane node's /etc/kubernetes (worker nodes have no apiserver files)."""
    return any(os.path.exists(os.path.join(directory, rel)) for rel in ("pki/apiserver.crt", "pki/ca.key", f"{MANIFESTS}/kube-apiserver.yaml"))


def local_etcd(root: str) -> bool:
    """kubeadm's stacked etcd keeps its PKI in pki/etcd; with external etcd that folder is absent."""
    return os.path.isdir(os.path.join(root, "pki", "etcd")) or os.path.exists(os.path.join(root, MANIFESTS, "etcd.yaml"))


@dataclass(frozen=True, slots=True)
class ExpectedFile:
    """A file kubeadm creates: `kind` is certificate, certificate-authority, key or service-account."""

    file: str
    name: str
    kind: str

    def describe(self) -> str:
        if self.kind == "certificate-authority":
            return f"{self.name} CA certificate"
        if self.kind == "key":
            return f"{self.name} private key"
        if self.kind == "service-account":
            return "service-account signing key pair"
        return self.name


def expected_files(root: str) -> list[ExpectedFile]:
    """What kubeadm creates on a control-plane node, for this tree's etcd mode (CA keys not included:
    their absence means an external CA)."""
    etcd = local_etcd(root)
    out = [ExpectedFile(ca.cert, ca.name, "certificate-authority") for ca in CAS if etcd or ca.name != "etcd-ca"]
    for cert in CERTS:
        if cert.since or (cert.local_etcd and not etcd):
            continue
        out.append(ExpectedFile(cert.file, cert.name, "certificate"))
        if cert.key:
            out.append(ExpectedFile(cert.key, cert.name, "key"))
    out += [ExpectedFile(rel, "sa", "service-account") for rel in SERVICE_ACCOUNT_FILES]
    return out


def missing_files(root: str) -> list[ExpectedFile]:
    """The expected files that are absent."""
    return [e for e in expected_files(root) if not os.path.lexists(os.path.join(root, e.file))]


def renew_command(placement: Placement, external: bool) -> str:
    """The next step for one row: the `kubeadm certs renew` call, or why there is none."""
    if placement.ca is not None:
        return "kubeadm does not renew CAs (manual CA rotation)"
    if external:
        return f"renew with the external CA (no {CA_BY_NAME[placement.ca_name].key})"
    return f"kubeadm certs renew {placement.name}"


CERT_BY_NAME = {cert.name: cert for cert in CERTS}


def renew_by_name(name: str, section: str, ca_name: str | None, external: bool | None) -> tuple[str | None, list[str]]:
    """The renew step and static pods for a row of `kubeadm certs check-expiration` output."""
    if section == "certificate-authority" and name in CA_BY_NAME:
        return renew_command(Placement(KUBEADM_ROOT, ca=CA_BY_NAME[name]), bool(external)), []
    cert = CERT_BY_NAME.get(name)
    if cert is None:
        return None, []
    placement = Placement(KUBEADM_ROOT, cert=cert)
    if external and ca_name in CA_BY_NAME:
        return renew_command(Placement(KUBEADM_ROOT, cert=KubeadmCert(name, cert.file, ca_name, cert.restart)), True), list(cert.restart)
    return renew_command(placement, bool(external)), list(cert.restart)


def renew_plan(rows: list[tuple[str, str, list[str]]]) -> list[str]:
    """(name, renew step, restart) of the rows due -> the commands in order, then the restarts."""
    commands = sorted({step if step.startswith("kubeadm ") else f"{name}: {step}" for name, step, _ in rows})
    pods = sorted({pod for _, step, restart in rows if step.startswith("kubeadm certs renew") for pod in restart})
    plan = list(commands)
    if pods:
        plan.append(restart_hint(pods))
    if any(name in ("admin.conf", "super-admin.conf") and step.startswith("kubeadm ") for name, step, _ in rows):
        plan.append("copy the renewed admin.conf wherever it is used as a kubeconfig (e.g. ~/.kube/config)")
    return plan


def restart_hint(pods: list[str]) -> str:
    """How to restart static pods: kubelet recreates a pod when its manifest comes back."""
    names = ", ".join(pods)
    return (f"restart the static pods {names}: move each manifest out of {KUBEADM_ROOT}/{MANIFESTS}, "
            "wait 20 s, move it back")
