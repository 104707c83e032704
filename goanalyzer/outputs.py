"""Writing what the views make, safely: never through a symbolic link, atomically, and all or nothing.

An output directory may be shared or left from an earlier run, so somebody may have planted a link
in it (`docs -> /etc`, `index.md -> ~/.bashrc`): a write refuses any link at the file or at a
directory between the output root and the file. Files are written to a temporary name beside
their destination and renamed over it, so a reader never sees half a file. `staged` builds a whole
directory aside and moves it in at the end: an interrupted run leaves the output as it was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from goanalyzer.errors import UsageError

__all__ = ["check_output_dir", "check_output_file", "staged", "write_file"]


def check_output_dir(path: str | Path, option: str = "-o") -> Path:
    """The directory `path` can be written, or UsageError naming why, before any analysis runs."""
    out = Path(path)
    if out.is_symlink() and not out.exists():
        raise UsageError(f"{option} {out}: a dangling symbolic link")
    if out.exists() and not out.is_dir():
        raise UsageError(f"{option} {out}: exists and is not a directory")
    _check_creatable(out, out, option)
    return out


def check_output_file(path: str | Path, option: str = "-o") -> Path:
    """The file `path` can be written, or UsageError naming why, before any analysis runs."""
    out = Path(path)
    if out.is_dir():
        raise UsageError(f"{option} {out}: is a directory (give a file name)")
    if out.is_symlink():
        raise UsageError(f"{option} {out}: is a symbolic link; refusing to write through it")
    _check_creatable(out.parent, out, option)
    return out


def _check_creatable(directory: Path, given: Path, option: str) -> None:
    existing = directory
    while not existing.exists():
        if existing.is_symlink():
            raise UsageError(f"{option} {given}: {existing} is a dangling symbolic link")
        existing = existing.parent
    if not existing.is_dir():
        raise UsageError(f"{option} {given}: {existing} is a file, not a directory")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise UsageError(f"{option} {given}: cannot write into {existing} (permission denied)")


def write_file(path: str | Path, data: str | bytes, root: str | Path | None = None) -> Path:
    """Write `data` to `path` atomically, never through a link: neither `path` nor a directory
    between `root` (default: its parent) and it may be one; missing directories are created."""
    path = Path(path)
    root = Path(root) if root is not None else path.parent
    _make_dirs(path.parent, root)
    _refuse_link(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(raw)
        os.chmod(temporary, 0o644 & ~_umask())
        os.replace(temporary, path)  # replaces a directory entry: never writes through a link
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return path


def _make_dirs(directory: Path, root: Path) -> None:
    """Create `directory` (under `root`), refusing a link at any level from root down."""
    try:
        parts = directory.relative_to(root).parts
    except ValueError:
        parts, root = (), directory
    root.mkdir(parents=True, exist_ok=True)
    current = root
    for part in parts:
        current = current / part
        _refuse_link(current)
        if not current.exists():
            current.mkdir()
        elif not current.is_dir():
            raise UsageError(f"cannot write into {current}: it is a file, not a directory")


def _refuse_link(path: Path) -> None:
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISLNK(mode):
        raise UsageError(f"refusing to write through a symbolic link: {path}")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def staged(out_dir: str | Path) -> Iterator[Path]:
    """A fresh directory beside `out_dir` to write into; on success its files move into `out_dir`
    (through `write_file`'s checks), on any exception (Ctrl-C included) it is removed and `out_dir`
    is left as it was. Beside, not elsewhere: relative links computed in it stay right."""
    out = Path(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".partial"))
    try:
        yield stage
        files = sorted(p for p in stage.rglob("*") if p.is_file() and not p.is_symlink())
        for source in files:  # every target checked before any moves: all or nothing
            target = out / source.relative_to(stage)
            for place in [target, *target.parents]:
                if place == out:  # the directory the user named may be a link; nothing inside it
                    break
                _refuse_link(place)
        for source in files:
            target = out / source.relative_to(stage)
            _make_dirs(target.parent, out)
            os.replace(source, target)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
