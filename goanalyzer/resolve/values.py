"""Expanding value sets: an entry `@returns:F` means "the functions F returns" (factories),
`@param:I:F` "the functions passed for F's parameter I" (forwarding helpers)."""

from __future__ import annotations

from goanalyzer.resolve.sites import DEFERRED, PARAM, Sites


def expand(values: set[str], sites: Sites) -> set[str]:
    """Concrete function names for a value set, following factories and forwarded parameters
    transitively (cycle-safe)."""
    out: set[str] = set()
    seen: set[str] = set()
    stack = list(values)
    while stack:
        value = stack.pop()
        if not value.startswith((DEFERRED, PARAM)):
            out.add(value)
        elif value not in seen:
            seen.add(value)
            if value.startswith(DEFERRED):
                stack.extend(sites.returned.get(value[len(DEFERRED):], ()))
            else:
                index, _, function = value[len(PARAM):].partition(":")
                stack.extend(sites.value_stores.get(("param", function, int(index)), ()))
    return out
