"""What every ops tool shares: exit codes, input errors with line numbers, text/json output.

Exit codes of every `goanalyzer ops ...` command:
  0  nothing worth alerting on
  1  findings at warning level (e.g. a certificate expiring within --warn-days)
  2  usage error, or input that cannot be read or parsed (the message names file and line)
  3  critical findings (e.g. an expired certificate, a --crit threshold crossed)
"""

from __future__ import annotations

import enum
import json
from dataclasses import asdict, is_dataclass
from typing import Any, Callable

import click

from goanalyzer.errors import UsageError

EXIT_OK = 0
EXIT_WARNING = 1
EXIT_USAGE = 2
EXIT_CRITICAL = 3

MASK = "****"
"""What a secret is printed as, in every format."""


class Severity(str, enum.Enum):
    """How bad a finding is; maps onto the exit codes above."""

    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


def exit_code_for(severities: list[Severity] | list[str]) -> int:
    """The exit status for a set of findings: the worst one wins."""
    values = {Severity(s) for s in severities}
    if Severity.CRITICAL in values:
        return EXIT_CRITICAL
    if Severity.WARNING in values:
        return EXIT_WARNING
    return EXIT_OK


class OpsInputError(UsageError):
    """Input that cannot be read or parsed. Carries the file and line so the message can say where.

    Part of goanalyzer's one error hierarchy (goanalyzer.errors), so the CLI maps it to exit 2."""

    def __str__(self) -> str:
        if self.path and self.line:
            return f"{self.path}:{self.line}: {self.message}"
        if self.path:
            return f"{self.path}: {self.message}"
        if self.line:
            return f"line {self.line}: {self.message}"
        return self.message


def to_jsonable(value: Any) -> Any:
    """Dataclasses, enums, sets and paths turned into plain JSON values, deterministically."""
    if is_dataclass(value) and not isinstance(value, type):
        return to_jsonable(asdict(value))
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(to_jsonable(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def dumps(value: Any) -> str:
    """The JSON form every ops command prints."""
    return json.dumps(to_jsonable(value), indent=2, sort_keys=False, ensure_ascii=False)


format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format: human-readable text or JSON for scripts and monitoring.",
)


def emit(value: Any, fmt: str, render_text: Callable[[Any], str]) -> None:
    """Print `value` as JSON or through the tool's text renderer."""
    click.echo(dumps(value) if fmt == "json" else render_text(value))


def fail_input(error: OpsInputError) -> None:
    """Report unreadable or malformed input on one line and exit 2."""
    click.echo(f"error: {error}", err=True)
    raise SystemExit(EXIT_USAGE)
