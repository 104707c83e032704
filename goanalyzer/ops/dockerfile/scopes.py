"""Which ARG and ENV variables an instruction sees: global ARGs, per-stage ARG/ENV, ENV inherited
through `FROM stage`; and the stage facts the trace needs ($HOME, the stages a stage is built FROM).
"""

from __future__ import annotations

from dataclasses import dataclass

from goanalyzer.ops.dockerfile.parser import Dockerfile, Instruction, Stage, expand, key_values


@dataclass(slots=True)
class Var:
    """One ARG or ENV declaration."""

    name: str
    kind: str  # "ARG" or "ENV"
    line: int
    stage: str  # stage label, or "global" for an ARG before the first FROM
    value: str | None  # default / value as written (may reference other variables)


Scope = dict[str, Var]
Rows = dict[int, list[tuple[Instruction, Scope]]]
"""For every stage index, each instruction with the variables in scope at it."""


def scopes(dockerfile: Dockerfile, path: str) -> tuple[Scope, Rows]:
    """Global ARGs, and for every stage each instruction with the variables in scope at it."""
    escape = dockerfile.escape
    global_args: Scope = {}
    for ins in dockerfile.global_args:
        for name, value in key_values(ins, escape, path):
            global_args[name] = Var(name, "ARG", ins.line, "global", value)
    per_stage: Rows = {}
    env_at_end: dict[int, Scope] = {}
    for stage in dockerfile.stages:
        scope: Scope = dict(env_at_end.get(stage.base_stage, {})) if stage.base_stage is not None else {}
        rows = []
        for ins in stage.instructions:
            rows.append((ins, dict(scope)))
            _declare(ins, scope, global_args, stage.label, escape, path)
        per_stage[stage.index] = rows
        env_at_end[stage.index] = {k: v for k, v in scope.items() if v.kind == "ENV"}
    return global_args, per_stage


def _declare(ins: Instruction, scope: Scope, global_args: Scope, stage: str, escape: str, path: str) -> None:
    """Add the variables an ARG or ENV declares (an ARG without a value takes the global default)."""
    if ins.keyword == "ARG":
        for name, value in key_values(ins, escape, path):
            if value is None and name in global_args:
                value = global_args[name].value
            scope[name] = Var(name, "ARG", ins.line, stage, value)
    elif ins.keyword == "ENV":
        for name, value in key_values(ins, escape, path):
            scope[name] = Var(name, "ENV", ins.line, stage, value)


def values(scope: Scope, escape: str) -> dict[str, str | None]:
    """Known values of the variables in scope (None when set only at build time)."""
    known: dict[str, str | None] = {}
    for name, var in scope.items():
        if var.value is None:
            known[name] = None
        else:
            expanded, unknown = expand(var.value, known, escape)
            known[name] = None if unknown else expanded
    return known


def lineage(dockerfile: Dockerfile, stage: Stage) -> list[Stage]:
    """The stage and the earlier stages it is built FROM, nearest first."""
    chain = [stage]
    while chain[-1].base_stage is not None:
        chain.append(dockerfile.stages[chain[-1].base_stage])
    return chain


def home(stage_chain: list[Stage], before_line: int) -> str:
    """$HOME for a RUN: /root unless a USER instruction (in this stage or a base stage) says otherwise."""
    user = None
    for stage in reversed(stage_chain):
        for ins in stage.instructions:
            if ins.keyword == "USER" and ins.line < before_line:
                user = ins.args.split(":")[0].strip()
    if user in (None, "", "root", "0"):
        return "/root"
    return f"/home/{user}"
