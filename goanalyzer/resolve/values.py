"""Expanding value sets: an entry `@returns:F` means "the functions F returns" (factories),
`@param:I:F` "the functions passed for F's parameter I" (forwarding helpers), `@field:pkg.T.F`
"the functions stored in that field" (a func field read and passed on), `@result:I:F` "the
functions F returns as result I" (a function of several results)."""

from __future__ import annotations

from goanalyzer.resolve.sites import DEFERRED, FIELD, PARAM, RESULT, Sites


def expand(values: set[str], sites: Sites) -> set[str]:
    """Concrete function names for a value set, following factories, forwarded parameters, fields
    and results transitively (cycle-safe)."""
    out: set[str] = set()
    seen: set[str] = set()
    stack = list(values)
    while stack:
        value = stack.pop()
        if not value.startswith((DEFERRED, PARAM, FIELD, RESULT)):
            out.add(value)
        elif value not in seen:
            seen.add(value)
            if value.startswith(DEFERRED):
                stack.extend(sites.returned.get(value[len(DEFERRED):], ()))
            elif value.startswith(RESULT):
                index, _, function = value[len(RESULT):].partition(":")
                stack.extend(sites.returned_at.get((function, int(index)), ()))
                named = sites.named_results.get((function, int(index)))
                stack.extend(sites.value_stores.get(named, ()) if named is not None else ())
            elif value.startswith(FIELD):
                owner, _, field = value[len(FIELD):].rpartition(".")
                package, _, struct = owner.rpartition(".")
                stack.extend(sites.field_stores.get(((package, struct), field), ()))
            else:
                index, _, function = value[len(PARAM):].partition(":")
                stack.extend(sites.value_stores.get(("param", function, int(index)), ()))
    return out


def made_types_of(made: set[str], sites: Sites) -> set[str]:
    """Named types a value was made of, through parameters: `Resources: loaders` inside
    healthcheck.NewCmd holds what main passes for `loaders` (cycle-safe)."""
    out: set[str] = set()
    seen: set[str] = set()
    stack = list(made)
    while stack:
        value = stack.pop()
        if not value.startswith(PARAM):
            out.add(value)
        elif value not in seen:
            seen.add(value)
            index, _, function = value[len(PARAM):].partition(":")
            stack.extend(sites.passed_made.get((function, int(index)), ()))
    return out
