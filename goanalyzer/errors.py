"""The one exception hierarchy. Exceptions carry data; only the CLI turns them into exit codes."""

from __future__ import annotations


class GoanalyzerError(Exception):
    """Base of every error goanalyzer raises on purpose.

    `exit_code` is what the CLI exits with: 2 for usage errors, 1 for failures.
    """

    exit_code = 1

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return f"{where}{self.message}"


class UsageError(GoanalyzerError):
    """The user asked for something that cannot be done as asked (bad path, ambiguous name)."""

    exit_code = 2


class LoadError(GoanalyzerError):
    """The input cannot be analysed at all (nothing to load, unreadable root)."""


class NotFoundError(UsageError):
    """A name given by the user matches nothing; `candidates` lists near matches."""

    def __init__(self, message: str, *, candidates: list[str] | None = None):
        super().__init__(message)
        self.candidates = list(candidates or [])


class AmbiguousNameError(UsageError):
    """A name given by the user matches several symbols; `candidates` lists them."""

    def __init__(self, message: str, *, candidates: list[str]):
        super().__init__(message)
        self.candidates = list(candidates)
