"""The go command's module-fetch settings, where they came from, and Go's defaults.

Defaults reproduce cmd/go/internal/cfg: an empty or unset GOPROXY is
"https://proxy.golang.org,direct", an empty GOSUMDB is "sum.golang.org", and GONOPROXY and
GONOSUMDB fall back to GOPRIVATE when they are empty (Go cannot tell an empty variable from
an unset one; use a pattern that matches nothing, such as "none", to disable the fallback).
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from goanalyzer.ops.common import MASK, OpsInputError
from goanalyzer.ops.inputs import check_json_nesting, read_input

DEFAULT_GOPROXY = "https://proxy.golang.org,direct"
DEFAULT_GOSUMDB = "sum.golang.org"
_URL_PASSWORD = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://[^\s/@:,|]*):[^\s/@,|]*@")
SETTINGS = ("GOPRIVATE", "GONOPROXY", "GONOSUMDB", "GOPROXY", "GOSUMDB", "GOINSECURE")


@dataclass(slots=True)
class Setting:
    """One variable: its raw value (None when unset), where it came from, the value Go uses."""

    name: str
    raw: str | None
    source: str
    effective: str
    defaulted: bool
    line: int | None = None


@dataclass(slots=True)
class GoEnv:
    """The effective settings the go command uses for module fetches."""

    settings: dict[str, Setting] = field(default_factory=dict)

    def value(self, name: str) -> str:
        return self.settings[name].effective

    @property
    def goprivate(self) -> str:
        return self.value("GOPRIVATE")

    @property
    def gonoproxy(self) -> str:
        return self.value("GONOPROXY")

    @property
    def gonosumdb(self) -> str:
        return self.value("GONOSUMDB")

    @property
    def goproxy(self) -> str:
        return self.value("GOPROXY")

    @property
    def gosumdb(self) -> str:
        return self.value("GOSUMDB")

    @property
    def goinsecure(self) -> str:
        return self.value("GOINSECURE")


@dataclass(slots=True)
class RawValue:
    value: str
    source: str
    line: int | None = None


def redact(value: str) -> str:
    """The value with the password of every URL (scheme://user:password@host) replaced by ****.

    A GOPROXY entry such as https://ci:token@artifactory.corp/api/go works the same masked:
    routes depend only on the list structure, never on the password.
    """
    return _URL_PASSWORD.sub(lambda m: f"{m.group('head')}:{MASK}@", value)


def resolve(raw: Mapping[str, RawValue]) -> GoEnv:
    """Apply Go's defaulting rules to raw values (missing key = unset). URL passwords are masked
    on the way in, so no later output can show them."""
    env = GoEnv()

    def put(name: str, default: str, default_note: str) -> None:
        given = raw.get(name)
        if given is not None:
            given = RawValue(redact(given.value), given.source, given.line)
        if given is not None and given.value != "":
            env.settings[name] = Setting(name, given.value, given.source, given.value, False, given.line)
            return
        origin = f"{given.source} (empty)" if given is not None else "unset"
        source = f"{origin}; {default_note}" if default_note else origin
        env.settings[name] = Setting(
            name, given.value if given else None, source, default, True, given.line if given else None
        )

    put("GOPRIVATE", "", "")
    put("GOINSECURE", "", "")
    private = env.goprivate
    put("GONOPROXY", private, "defaults to GOPRIVATE" if private else "")
    put("GONOSUMDB", private, "defaults to GOPRIVATE" if private else "")
    put("GOPROXY", DEFAULT_GOPROXY, "go command default")
    put("GOSUMDB", DEFAULT_GOSUMDB, "go command default")
    return env


def parse_go_env(text: str, path: str) -> dict[str, RawValue]:
    """Parse `go env` output: POSIX shell (KEY='v' or KEY="v"), Windows `set KEY=v`, or `go env -json`."""
    stripped = text.lstrip()
    if stripped.startswith("{"):
        check_json_nesting(text, path)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise OpsInputError(f"invalid go env -json output: {error.msg}", path=path, line=error.lineno) from None
        if not isinstance(data, dict):
            raise OpsInputError("go env -json output is not an object", path=path, line=1)
        lines = text.splitlines()
        found: dict[str, RawValue] = {}
        for name in SETTINGS:
            if name in data:
                if not isinstance(data[name], str):
                    raise OpsInputError(f"{name} is not a string", path=path, line=_json_line(lines, name))
                found[name] = RawValue(data[name], f"{path}:{_json_line(lines, name)}", _json_line(lines, name))
        return found
    found = {}
    for number, line in enumerate(text.splitlines(), start=1):
        content = line.strip()
        if not content or content.startswith("#"):
            continue
        if content.lower().startswith("set "):
            content = content[4:].lstrip()
            key, sep, value = content.partition("=")
            if not sep:
                raise OpsInputError(f"expected KEY=VALUE, got {content!r}", path=path, line=number)
        else:
            key, sep, value = content.partition("=")
            if not sep:
                raise OpsInputError(f"expected KEY=VALUE, got {content!r}", path=path, line=number)
            try:
                words = shlex.split(value, posix=True) if value else []
            except ValueError as error:
                raise OpsInputError(f"cannot unquote value of {key}: {error}", path=path, line=number) from None
            if len(words) > 1:
                raise OpsInputError(f"value of {key} is not one quoted word", path=path, line=number)
            value = words[0] if words else ""
        key = key.strip()
        if not key.replace("_", "").isalnum() or not key[:1].isalpha():
            raise OpsInputError(f"invalid variable name {key!r}", path=path, line=number)
        if key in SETTINGS:
            found[key] = RawValue(value, f"{path}:{number}", number)
    return found


def _json_line(lines: list[str], name: str) -> int:
    needle = f'"{name}"'
    for number, line in enumerate(lines, start=1):
        if needle in line:
            return number
    return 1


def load_go_env(path: str) -> dict[str, RawValue]:
    """Read a file holding `go env` output (`-`: standard input)."""
    source = read_input(path)
    return parse_go_env(source.text, source.path)


def _config_file(environ: Mapping[str, str]) -> Path | None:
    """The file `go env -w` writes: $GOENV, or os.UserConfigDir()/go/env; None for GOENV=off."""
    goenv = environ.get("GOENV", "")
    if goenv == "off":
        return None
    if goenv:
        return Path(goenv)
    base = environ.get("XDG_CONFIG_HOME") or (str(Path(environ["HOME"]) / ".config") if environ.get("HOME") else "")
    return Path(base) / "go" / "env" if base else None


def from_environment(environ: Mapping[str, str]) -> dict[str, RawValue]:
    """What the go command reads: a non-empty environment variable, else the `go env -w` file."""
    found: dict[str, RawValue] = {}
    config = _config_file(environ)
    if config is not None and config.is_file():
        try:
            lines = read_input(str(config)).text.split("\n")
        except OpsInputError:
            lines = []
        for number, line in enumerate(lines, start=1):
            key, sep, value = line.partition("=")
            if sep and key in SETTINGS:
                found[key] = RawValue(value, f"{config}:{number}", number)
    for name in SETTINGS:
        if environ.get(name):
            found[name] = RawValue(environ[name], "environment")
        elif name in environ and name not in found:
            found[name] = RawValue("", "environment")
    return found
