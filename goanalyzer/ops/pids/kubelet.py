"""The kubelet's podPidsLimit from its KubeletConfiguration file (/var/lib/kubelet/config.yaml).

podPidsLimit is what the kubelet writes as pids.max into every pod's cgroup; -1 or absent means
no per-pod limit, so one pod can take every PID of the node.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from goanalyzer.ops.common import OpsInputError
from goanalyzer.ops.inputs import load_yaml, read_input

KUBELET_CONFIG = "/var/lib/kubelet/config.yaml"


@dataclass(frozen=True, slots=True)
class PodPidsLimit:
    """podPidsLimit as configured: `value` None when the file is unreadable (`unreadable` says why)
    or when it does not set one (`unreadable` None)."""

    path: str
    value: int | None
    unreadable: str | None = None


def read_pod_pids_limit(path: str, *, explicit: bool) -> PodPidsLimit:
    """podPidsLimit from a KubeletConfiguration. A file named on the command line must be readable;
    the default one may be absent or locked (not every node runs a kubelet, not everyone is root)."""
    try:
        given = read_input(path)
    except OpsInputError as error:
        if explicit:
            raise
        return PodPidsLimit(path, None, error.message)
    try:
        doc = load_yaml(given.text, path)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise OpsInputError(f"invalid YAML: {getattr(error, 'problem', error)}", path=path,
                            line=mark.line + 1 if mark is not None else None) from None
    if not isinstance(doc, dict):
        raise OpsInputError("not a KubeletConfiguration (expected a mapping)", path=path, line=1)
    value = doc.get("podPidsLimit")
    if value is None:
        return PodPidsLimit(path, None)
    if isinstance(value, bool) or not isinstance(value, int):
        line = next((n for n, text in enumerate(given.text.splitlines(), start=1) if text.lstrip().startswith("podPidsLimit")), None)
        raise OpsInputError(f"podPidsLimit is not an integer: {value!r}", path=path, line=line)
    return PodPidsLimit(path, value)
