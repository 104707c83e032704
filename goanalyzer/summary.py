"""The counts `goanalyzer index` prints, from loaded packages: the same figures whether their files
hold full facts (a Program) or only heads (a warm `index`, which never unpickles a declaration)."""

from __future__ import annotations

from typing import Any, Mapping

from goanalyzer.model import FileFacts, Package
from goanalyzer.naming import func_name, init_name, method_name


def summarize(packages: Mapping[str, Package], externals: set[str], diagnostics: list) -> dict[str, Any]:
    """Modules, packages, files and distinct symbols, named as the Program names them."""
    funcs: set[str] = set()
    types: set[tuple[str, str]] = set()
    values: set[tuple[str, str]] = set()
    for path in sorted(packages):
        inits = 0
        for file in packages[path].files:
            head = file.head() if isinstance(file, FileFacts) else file
            for name, receiver, pointer in head.funcs:
                if receiver is not None:
                    funcs.add(method_name(path, receiver, name, pointer))
                elif name == "init":
                    inits += 1
                    funcs.add(init_name(path, inits))
                else:
                    funcs.add(func_name(path, name))
            types.update((path, name) for name in head.types)
            values.update((path, name) for name in head.values if name != "_")
    return {
        "modules": len({p.module for p in packages.values() if p.module}),
        "packages": len(packages),
        "root_packages": sum(1 for p in packages.values() if p.is_root),
        "external_imports": len(externals),
        "files": sum(len(p.files) for p in packages.values()),
        "symbols": len(funcs) + len(types) + len(values),
        "funcs": len(funcs),
        "diagnostics": len(diagnostics),
    }
