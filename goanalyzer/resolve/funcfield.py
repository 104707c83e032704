"""Calls through func-typed struct fields (`cmd.Run(args)`) -> every function, method value or
closure stored in that field anywhere: composite-literal fields, assignments, factory results.

Can miss: values stored through reflection, through a copy of the struct under another type, or
in bodies that were not walked (dependencies outside --into).
"""

from __future__ import annotations

from goanalyzer.resolve.refs import FieldCall
from goanalyzer.resolve.values import ValueFlow


def funcfield_callees(target: FieldCall, flow: ValueFlow) -> list[str]:
    """Callees for a call through a func field."""
    return sorted(flow.functions(flow.sites.field_stores.get((target.owner, target.field), set())))
