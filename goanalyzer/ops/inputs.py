"""Reading untrusted ops input: one size limit, bytes the real tools accept, plain errors.

Every ops reader takes its text from `read_input`: `-` is standard input; a file larger than
`MAX_INPUT_BYTES` is refused (exit 2) before it is read; bytes that are not UTF-8 (a GBK or Latin-1
comment, which CoreDNS and Docker accept) decode with `surrogateescape`, so they survive a round trip
through `encode_output` unchanged and never stop a scan; a symlink loop, a directory or a missing file
is an `OpsInputError` naming the path. `nesting_guard` turns runaway nesting into the same kind of
error instead of a RecursionError; `load_yaml` (a guarded SafeLoader) and `check_json_nesting` apply it
to YAML and JSON.
"""

from __future__ import annotations

import errno
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from goanalyzer.ops.common import OpsInputError

MAX_INPUT_BYTES = 20 * 1024 * 1024
"""Largest input any ops tool reads (20 MiB): real configs, logs and dumps are far smaller."""

MAX_NESTING = 200
"""Deepest block/YAML/JSON nesting any ops parser follows before it reports the input as malformed."""

STDIN = "-"


@dataclass(frozen=True, slots=True)
class InputText:
    """Decoded input and whether it held bytes that are not UTF-8 (kept as surrogate escapes)."""

    text: str
    path: str
    non_utf8_line: int | None = None
    """First line holding a byte that is not UTF-8, None when the input is clean UTF-8."""

    @property
    def warning(self) -> str | None:
        if self.non_utf8_line is None:
            return None
        return f"{self.path}:{self.non_utf8_line}: bytes that are not UTF-8 were kept as they are"


def read_bytes(path: str, *, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The raw bytes of `path` (or stdin for `-`), refused past `limit`."""
    if path == STDIN:
        data = sys.stdin.buffer.read(limit + 1)
        if len(data) > limit:
            raise OpsInputError(f"input larger than {limit // (1024 * 1024)} MiB; refusing to read it", path="<stdin>")
        return data
    target = Path(path)
    try:
        size = target.stat().st_size
        if target.is_dir():
            raise OpsInputError("is a directory, expected a file", path=path)
        if size > limit:
            raise OpsInputError(f"file is {size // (1024 * 1024)} MiB, larger than the "
                                f"{limit // (1024 * 1024)} MiB limit; refusing to read it", path=path)
        with target.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        raise OpsInputError(_reason(error), path=path) from error
    if len(data) > limit:
        raise OpsInputError(f"file grew past the {limit // (1024 * 1024)} MiB limit while being read", path=path)
    return data


def read_input(path: str, *, limit: int = MAX_INPUT_BYTES) -> InputText:
    """`path` (or stdin for `-`) as text; bytes that are not UTF-8 are kept as surrogate escapes."""
    data = read_bytes(path, limit=limit)
    shown = "<stdin>" if path == STDIN else path
    try:
        return InputText(data.decode("utf-8"), shown)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return InputText(data.decode("utf-8", errors="surrogateescape"), shown, non_utf8_line=line)


def encode_output(text: str) -> bytes:
    """Text from `read_input` back to the bytes it came from (non-UTF-8 bytes included)."""
    return text.encode("utf-8", errors="surrogateescape")


def printable(text: str) -> str:
    """Text safe to print on a UTF-8 terminal or in JSON: kept bytes shown as \\xNN escapes."""
    return text.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="backslashreplace")


def nesting_guard(depth: int, *, path: str | None, line: int | None, what: str = "blocks") -> None:
    """Raise a plain input error once nesting passes `MAX_NESTING` (instead of a RecursionError)."""
    if depth > MAX_NESTING:
        raise OpsInputError(f"{what} nested deeper than {MAX_NESTING} levels", path=path, line=line)


def _reason(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "symlink loop (too many levels of symbolic links)"
    if error.errno == errno.ENOENT:
        return "no such file"
    if error.errno == errno.EACCES:
        return "permission denied"
    if error.errno == errno.EISDIR:
        return "is a directory, expected a file"
    return f"cannot read: {error.strerror or error}"


class GuardedSafeLoader(yaml.SafeLoader):
    """A SafeLoader that stops at `MAX_NESTING` levels with FILE:LINE instead of a RecursionError
    (PyYAML composes nested nodes recursively). Set `source_path` before loading; subclass it to add
    constructors."""

    source_path: str | None = None
    _depth = 0

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        self._depth += 1
        try:
            if self._depth > MAX_NESTING:
                nesting_guard(self._depth, path=self.source_path, line=self.peek_event().start_mark.line + 1,
                              what="YAML nodes")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def load_yaml(text: str, path: str | None, loader: type[GuardedSafeLoader] = GuardedSafeLoader) -> object:
    """One YAML document through a guarded safe loader (never a loader that can run code).
    yaml.YAMLError is left to the caller, which knows how to word it."""
    instance = loader(text)
    instance.source_path = path
    try:
        return instance.get_single_data()
    finally:
        instance.dispose()


_JSON_TOKENS = re.compile(r'"(?:[^"\\\n]|\\.)*"|[\[\]{}]')


def check_json_nesting(text: str, path: str | None) -> None:
    """Refuse JSON nested deeper than `MAX_NESTING` with FILE:LINE (json.loads would raise RecursionError)."""
    depth = 0
    for token in _JSON_TOKENS.finditer(text):
        value = token.group(0)
        if value in "[{":
            depth += 1
            if depth > MAX_NESTING:
                nesting_guard(depth, path=path, line=text.count("\n", 0, token.start()) + 1, what="JSON arrays/objects")
        elif value in "]}":
            depth -= 1
