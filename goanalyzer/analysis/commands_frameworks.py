"""The CLI frameworks goanalyzer names, by import path, and the literal shapes that identify their
commands when the framework's own source is missing (no module cache, no vendor/): then a
`cobra.Command{Use: ...}` is known by its import path and field names alone."""

from __future__ import annotations

__all__ = ["CONSTRUCTORS", "FRAMEWORKS", "SyntaxShape", "framework_of", "missing_framework_modules", "syntax_shape"]

from dataclasses import dataclass

from goanalyzer.program import Program

FRAMEWORKS: dict[str, str] = {
    "github.com/traefik/paerser": "paerser",
    "github.com/spf13/cobra": "cobra",
    "github.com/urfave/cli": "urfave",
    "github.com/peterbourgon/ff": "ffcli",
    "gopkg.in/alecthomas/kingpin.v2": "kingpin",
    "github.com/alecthomas/kingpin": "kingpin",
    "github.com/mitchellh/cli": "mitchellh",
}
"""Import path prefix -> framework label (a label only: detection is by shape)."""


@dataclass(slots=True, frozen=True)
class SyntaxShape:
    """A framework's command struct as fields seen in a literal, without its type declaration."""

    name_field: str
    run_fields: tuple[str, ...]
    child_fields: tuple[str, ...] = ()


_SHAPES: dict[tuple[str, str], SyntaxShape] = {
    ("cobra", "Command"): SyntaxShape("Use", ("Run", "RunE")),
    ("urfave", "App"): SyntaxShape("Name", ("Action",), ("Commands",)),
    ("urfave", "Command"): SyntaxShape("Name", ("Action",), ("Subcommands",)),
    ("ffcli", "Command"): SyntaxShape("Name", ("Exec",), ("Subcommands",)),
    ("paerser", "Command"): SyntaxShape("Name", ("Run",)),
}


CONSTRUCTORS: dict[tuple[str, str], str] = {("urfave", "NewApp"): "App"}
"""(framework, function) -> the command type it returns: a call of it stands for that command when
the framework's module is missing (urfave/cli's `app := cli.NewApp()`, then `app.Commands = ...`)."""


def framework_of(package: str) -> str | None:
    for prefix, label in FRAMEWORKS.items():
        if package == prefix or package.startswith(prefix + "/") or package.startswith(prefix + "."):
            return label
    return None


def syntax_shape(package: str, type_name: str) -> SyntaxShape | None:
    """The shape of `package.type_name` when it is a known framework's command struct."""
    label = framework_of(package)
    if label is None or (label == "ffcli" and not package.endswith(("/ffcli", "/ff/v4"))):  # v4: ff.Command
        return None
    return _SHAPES.get((label, type_name))


def missing_framework_modules(program: Program) -> list[str]:
    """The modules of the frameworks the program imports but that were not loaded, as go.mod
    requires them (the import path when go.mod does not say)."""
    out: set[str] = set()
    requires = [r.path for m in program.workspace.modules if m.gomod is not None for r in m.gomod.requires]
    for path in program.externals:
        if framework_of(path) is None:
            continue
        owners = [r for r in requires if path == r or path.startswith(r + "/")]
        module = max(owners, key=len) if owners else path
        out.add("".join(c if c.isprintable() and not c.isspace() else "?" for c in module))  # printed as is
    return sorted(out)
