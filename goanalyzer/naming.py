"""Function names in the golang.org/x/tools/go/ssa convention (what Go's `callgraph` prints)."""

from __future__ import annotations


def func_name(package: str, name: str) -> str:
    """`github.com/traefik/paerser/cli.Execute`; a main package keeps its path."""
    return f"{package}.{name}"


def method_name(package: str, type_name: str, method: str, pointer: bool) -> str:
    """`(*github.com/traefik/paerser/cli.Command).AddCommand` or `(pkg.T).String`."""
    star = "*" if pointer else ""
    return f"({star}{package}.{type_name}).{method}"


def closure_name(parent: str, index: int) -> str:
    """The index-th (1-based) function literal directly inside `parent`: `main$1`, `main$1$2`."""
    return f"{parent}${index}"


def init_name(package: str, index: int = 0) -> str:
    """`pkg.init` is the synthetic initialiser; explicit `func init` are `pkg.init#1`, `#2`, ..."""
    return f"{package}.init" if index == 0 else f"{package}.init#{index}"


def package_of(name: str) -> str:
    """The package path inside a function name (`(*a/b.T).M` -> `a/b`, `a/b.F$1` -> `a/b`)."""
    bare = name
    if bare.startswith("("):
        bare = bare[1:bare.index(")")].lstrip("*")
    else:
        bare = bare.split("$", 1)[0]
    slash = bare.rfind("/")
    dot = bare.find(".", slash + 1)
    return bare[:dot] if dot >= 0 else bare


def short_name(name: str) -> str:
    """A readable label: the last path element of the package only (`cli.Execute`, `(*cli.Command).Run`)."""
    package = package_of(name)
    short = package.rsplit("/", 1)[-1]
    return name.replace(package + ".", short + ".", 1)
