"""The walk of a program's bodies as the analyses see it: done once per Program, asked for by
the call graph and by the analyses after it (commands, struct uses, the startup flow), so the call
graph itself stays plain data.
"""

from __future__ import annotations

__all__ = ["sites_of"]

from weakref import WeakKeyDictionary

from goanalyzer.program import Program
from goanalyzer.resolve.funcvalue import narrow_case_values
from goanalyzer.resolve.sites import Sites
from goanalyzer.resolve.types import Types
from goanalyzer.resolve.walk import collect_sites

_WALKED: WeakKeyDictionary[Program, Sites] = WeakKeyDictionary()
"""Program -> its walk. Sites never refer to the Program, so an entry goes with its program."""


def sites_of(program: Program) -> Sites:
    """What the walk of every loaded body of `program` found, with each type switch's func case
    narrowed to its signature. Computed on the first call for a program; treat it as read-only."""
    sites = _WALKED.get(program)
    if sites is None:
        types = Types(program)
        sites = collect_sites(program, types)
        narrow_case_values(sites, types, program)
        _WALKED[program] = sites
    return sites
