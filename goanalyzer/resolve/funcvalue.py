"""Calls through func variables and parameters -> the functions assigned to the variable or passed
for the parameter at any call site of the enclosing function.

Can miss: values that arrive through containers (slices, maps, channels) or interfaces.
"""

from __future__ import annotations

from typing import Any

from goanalyzer.resolve.sites import Sites
from goanalyzer.resolve.values import expand


def funcvalue_callees(target: Any, sites: Sites) -> list[str]:
    """Callees for a call through the variable or parameter keyed `target`."""
    return sorted(expand(sites.value_stores.get(target, set()), sites))
