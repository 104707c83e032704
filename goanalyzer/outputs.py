"""Writing what the views make, safely: never through a symbolic link, atomically, and all or nothing.

An output directory may be shared or left from an earlier run, so somebody may have planted a link
in it (`docs -> /etc`, `index.md -> ~/.bashrc`): a write refuses any link at the file or at a
directory between the output root and the file. Files are written to a temporary name beside
their destination and renamed over it, so a reader never sees half a file. `staged` builds a whole
directory aside and moves it in at the end: an interrupted run leaves the output as it was.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from goanalyzer.errors import UsageError

__all__ = ["check_output_dir", "check_output_file", "staged", "write_file"]


def check_output_dir(path: str | Path, option: str = "-o") -> Path:
    """The directory `path` can be written, or UsageError naming why, before any analysis runs.
    Its parent must take files too: `staged` builds the output there."""
    out = Path(path)
    if out.is_symlink() and not out.exists():
        raise UsageError(f"{option} {out}: a dangling symbolic link")
    if out.exists() and not out.is_dir():
        raise UsageError(f"{option} {out}: exists and is not a directory")
    _check_creatable(_named(out).parent, out, option)
    if out.exists():
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


def write_file(path: str | Path, data: str | bytes | Iterable[str], root: str | Path | None = None) -> Path:
    """Write `data` (text, bytes, or text in pieces) to `path` atomically, never through a link:
    neither `path` nor a directory between `root` (default: its parent) and it may be one; missing
    directories are created."""
    path = Path(path)
    root = Path(root) if root is not None else path.parent
    _make_dirs(path.parent, root)
    _refuse_link(path)
    pieces = [data] if isinstance(data, (str, bytes)) else data
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as file:
            for piece in pieces:
                file.write(piece.encode("utf-8") if isinstance(piece, str) else piece)
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
    (every destination checked first, as `write_file` checks), on any exception (Ctrl-C included)
    it is removed and `out_dir` is left as it was. Beside, not elsewhere: relative links computed
    in it stay right. Index pages move last: a directory holding one is complete."""
    out = _named(Path(out_dir))
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".partial"))
    try:
        yield stage
        files = sorted((p for p in stage.rglob("*") if p.is_file() and not p.is_symlink()),
                       key=lambda p: (p.name in _LAST, str(p)))
        for source in files:  # all or nothing: every destination checked before anything moves
            _check_destination(out / source.relative_to(stage), out)
        for source in files:
            _move(source, out / source.relative_to(stage), out)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _named(out: Path) -> Path:
    """`out` with a name of its own (`.` and `..` made absolute), so `out.parent` is beside it."""
    return Path(os.path.abspath(out)) if out.name in ("", ".", "..") else out


_LAST = frozenset({"index.md", "mkdocs.yml"})


def _check_destination(target: Path, out: Path) -> None:
    """No link at `target` or a directory between `out` and it (`out` itself is the user's to
    name, link or not), no directory where the file goes, no file where a directory goes."""
    _refuse_link(target)
    if target.is_dir():
        raise UsageError(f"cannot write {target}: it is a directory")
    for place in target.parents:
        if place == out:
            break
        _refuse_link(place)
        if place.exists() and not place.is_dir():
            raise UsageError(f"cannot write into {place}: it is a file, not a directory")


def _move(source: Path, target: Path, out: Path) -> None:
    _make_dirs(target.parent, out)
    try:
        os.replace(source, target)
    except OSError as error:
        if error.errno != errno.EXDEV:  # `out` a link to another file system: copy instead
            raise
        write_file(target, source.read_bytes(), out)
