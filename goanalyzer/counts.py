"""The counts `goanalyzer index` prints, from loaded packages: the same figures whether their files
hold full facts (a Program) or only heads (a warm `index`, which never unpickles a declaration)."""

from __future__ import annotations

from typing import Any, Mapping

from goanalyzer.model import FileFacts, Package


def count_program(packages: Mapping[str, Package], externals: set[str], diagnostics: list) -> dict[str, Any]:
    """Modules, packages, files and distinct symbols, counted as the Program names them."""
    funcs = symbols = 0
    for package in packages.values():
        package_funcs, package_symbols = _count_symbols(package)
        funcs += package_funcs
        symbols += package_symbols
    return {
        "modules": len({p.module for p in packages.values() if p.module}),
        "packages": len(packages),
        "root_packages": sum(1 for p in packages.values() if p.is_root),
        "external_imports": len(externals),
        "files": sum(len(p.files) for p in packages.values()),
        "symbols": symbols,
        "funcs": funcs,
        "diagnostics": len(diagnostics),
    }


def _count_symbols(package: Package) -> tuple[int, int]:
    """(funcs, all symbols) of one package. Names are distinct per package (its path prefixes them
    all), so package-local keys count the same as qualified names without building them: a func
    by (name, receiver, pointer), each init on its own (the Program numbers them), a type or value
    by name (`_` names nothing)."""
    funcs: set[tuple[str, str | None, bool]] = set()
    types: set[str] = set()
    values: set[str] = set()
    inits = 0
    for file in package.files:
        head = file.head() if isinstance(file, FileFacts) else file
        for func in head.funcs:
            if func[0] == "init" and func[1] is None:
                inits += 1
            else:
                funcs.add(func)
        types.update(head.types)
        values.update(head.values)
    values.discard("_")
    return len(funcs) + inits, len(funcs) + inits + len(types) + len(values)
