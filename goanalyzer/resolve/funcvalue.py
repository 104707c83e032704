"""Calls through func variables and parameters -> the functions assigned to the variable or passed
for the parameter at any call site of the enclosing function.

Can miss: values that arrive through containers (slices, maps, channels). A func that travels
through an `interface{}` is followed into a type switch's func case, keeping only the functions
of the case's signature.
"""

from __future__ import annotations

from typing import Any

from goanalyzer.program import Program
from goanalyzer.resolve.sites import Sites
from goanalyzer.resolve.types import Types
from goanalyzer.resolve.values import ValueFlow


def funcvalue_callees(key: tuple, flow: ValueFlow) -> list[str]:
    """Callees for a call through the variable or parameter keyed `key` (`ValueCall.key`)."""
    return sorted(flow.functions(flow.sites.value_stores.get(key, set())))


def narrow_case_values(sites: Sites, types: Types, program: Program) -> None:
    """Each type-switch case variable keeps the functions whose signature its case names: a
    `case func(*Context):` never holds a `func(*Context) error`. A function whose signature is
    unknown stays. Run once every body is walked (the value sets are complete then)."""
    flow = ValueFlow(sites)
    for key, demanded in sites.case_types.items():
        kept = {name for name in flow.functions(sites.value_stores.get(key, set()))
                if _signature(name, sites, types, program) in (None, demanded)}
        sites.value_stores[key] = kept


def _signature(name: str, sites: Sites, types: Types, program: Program) -> Any:
    info = program.funcs.get(name)
    if info is not None:
        return types.signature(info)
    closure = sites.closures.get(name)
    if closure is not None:
        return types.signature_of(closure.lit.signature, types.file_scope(closure.file))
    return None
