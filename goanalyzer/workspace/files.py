"""Reading the small control files of a tree (go.mod, go.work, vendor/modules.txt, VERSION) when the
tree is untrusted: a FIFO named go.mod would block the run forever, a device or a sparse file of
gigabytes would never end, and neither may take the analysis down."""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_CONTROL_FILE_BYTES = 16 << 20
"""The go command's own limit for a go.mod (cmd/go/internal/modfetch MaxGoMod, 16 MiB)."""


class UnreadableFile(OSError):
    """A control file that is not read, with the reason said as people would say it."""


def read_control_file(path: Path, limit: int = MAX_CONTROL_FILE_BYTES) -> str:
    """The text of a regular file of at most `limit` bytes (invalid UTF-8 replaced). Opened without
    blocking and checked after opening, so a FIFO swapped in after a check is never waited on.
    Raises UnreadableFile (not a regular file, too large) or OSError (permission, vanished)."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile(f"not a regular file (FIFO, socket or device): {path}")
        if info.st_size > limit:
            raise UnreadableFile(f"larger than {limit >> 20} MiB ({info.st_size} bytes): {path}")
        with os.fdopen(descriptor, "rb", closefd=False) as stream:
            data = stream.read(limit + 1)
    finally:
        os.close(descriptor)
    if len(data) > limit:
        raise UnreadableFile(f"larger than {limit >> 20} MiB: {path}")
    return data.decode("utf-8", errors="replace")


def reason(error: OSError) -> str:
    """An OSError as a short phrase: 'permission denied', 'not a regular file (...)'."""
    if isinstance(error, UnreadableFile):
        return str(error).rsplit(": ", 1)[0]
    return (error.strerror or str(error)).lower()
