"""Expanding value sets: an entry `@returns:F` means "the functions F returns" (factories)."""

from __future__ import annotations

from goanalyzer.resolve.sites import DEFERRED, Sites


def expand(values: set[str], sites: Sites) -> set[str]:
    """Concrete function names for a value set, following factories transitively (cycle-safe)."""
    out: set[str] = set()
    seen: set[str] = set()
    stack = list(values)
    while stack:
        value = stack.pop()
        if not value.startswith(DEFERRED):
            out.add(value)
            continue
        factory = value[len(DEFERRED):]
        if factory in seen:
            continue
        seen.add(factory)
        stack.extend(sites.returned.get(factory, ()))
    return out
