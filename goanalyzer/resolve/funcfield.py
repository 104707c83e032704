"""Calls through func-typed struct fields (`cmd.Run(args)`) -> every function, method value or
closure stored in that field anywhere: composite-literal fields, assignments, factory results.

Can miss: values stored through reflection, through a copy of the struct under another type, or
in bodies that were not walked (dependencies outside --into).
"""

from __future__ import annotations

from goanalyzer.resolve.sites import Sites
from goanalyzer.resolve.values import expand


def funcfield_callees(target: tuple, sites: Sites) -> list[str]:
    """Callees for a call through field `target` = ((package, struct), field name)."""
    return sorted(expand(sites.field_stores.get(target, set()), sites))
