"""pids controller usage per cgroup: pids.current against pids.max, and refused forks.

cgroup v2 (a cgroup.controllers file at the root) keeps pids.* in every non-root cgroup of the
unified tree; cgroup v1 keeps them under the `pids` hierarchy. The root cgroup has no pids.max
in either, and a cgroup without the controller enabled has no pids.* files, so both are skipped.
pids.events `max N` counts fork()/clone() calls the limit refused: the symptom on-call sees as
"Resource temporarily unavailable".
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from goanalyzer.ops.common import OpsInputError


@dataclass(slots=True)
class CgroupPids:
    """One cgroup's pids controller state. `limit` None means pids.max is `max` (unlimited)."""

    cgroup: str
    current: int
    limit: int | None
    refused: int | None


def _read_one_line(path: Path) -> str | None:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except (FileNotFoundError, NotADirectoryError, ProcessLookupError):
        return None
    except OSError as error:
        raise OpsInputError(f"cannot read: {error.strerror}", path=str(path)) from None
    lines = text.splitlines()
    if len(lines) != 1:
        raise OpsInputError(f"expected one line, got {len(lines)}", path=str(path), line=1 if not lines else 2)
    return lines[0].strip()


def _parse_count(value: str, path: Path, *, allow_max: bool) -> int | None:
    if allow_max and value == "max":
        return None
    try:
        number = int(value)
    except ValueError:
        expected = "an integer or `max`" if allow_max else "an integer"
        raise OpsInputError(f"expected {expected}, got {value!r}", path=str(path), line=1) from None
    if number < 0:
        raise OpsInputError(f"negative count {number}", path=str(path), line=1)
    return number


def _read_refused(path: Path) -> int | None:
    """pids.events: lines `max N` (v2 also has `max.imposed N` since 6.x in some trees)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except (FileNotFoundError, NotADirectoryError, ProcessLookupError):
        return None
    except OSError as error:
        raise OpsInputError(f"cannot read: {error.strerror}", path=str(path)) from None
    refused = None
    for number, line in enumerate(text.splitlines(), start=1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 2:
            raise OpsInputError(f"expected `key value`, got {line.strip()!r}", path=str(path), line=number)
        try:
            value = int(parts[1])
        except ValueError:
            raise OpsInputError(f"expected an integer, got {parts[1]!r}", path=str(path), line=number) from None
        if parts[0] == "max":
            refused = value
    return refused


def pids_hierarchy(root: Path) -> tuple[str, Path] | None:
    """Which cgroup version is mounted at `root`, and the directory holding the pids tree."""
    if (root / "cgroup.controllers").is_file():
        return "v2", root
    if (root / "pids").is_dir():
        return "v1", root / "pids"
    if (root / "unified" / "cgroup.controllers").is_file():
        return "v2", root / "unified"
    return None


def read_cgroups(root: Path) -> tuple[str | None, list[CgroupPids]]:
    """Every cgroup below `root` with a pids.current file, sorted by name."""
    found = pids_hierarchy(root)
    if found is None:
        return None, []
    version, base = found
    result: list[CgroupPids] = []
    for directory, _dirs, files in os.walk(base):
        if "pids.current" not in files or "pids.max" not in files:
            continue
        here = Path(directory)
        current_text = _read_one_line(here / "pids.current")
        limit_text = _read_one_line(here / "pids.max")
        if current_text is None or limit_text is None:
            continue  # removed while walking
        relative = here.relative_to(base).as_posix()
        result.append(CgroupPids(
            cgroup="/" if relative == "." else "/" + relative,
            current=_parse_count(current_text, here / "pids.current", allow_max=False) or 0,
            limit=_parse_count(limit_text, here / "pids.max", allow_max=True),
            refused=_read_refused(here / "pids.events"),
        ))
    result.sort(key=lambda c: c.cgroup)
    return version, result
