"""Where each credential ends up (image history, image config, a layer, build provenance), whether
the final stage carries it, and the findings that say so."""

from __future__ import annotations

from dataclasses import dataclass

from goanalyzer.ops.common import MASK, Severity
from goanalyzer.ops.dockerfile.model import Credential, LeakFinding, Role
from goanalyzer.ops.dockerfile.parser import Dockerfile, Stage, key_values
from goanalyzer.ops.dockerfile.scopes import Rows, lineage
from goanalyzer.ops.dockerfile.trace import FileWrite


@dataclass(frozen=True, slots=True)
class Final:
    """The stage that is built, and the stages its image is made of."""

    stage: Stage
    chain: frozenset[int]


def final_stage(dockerfile: Dockerfile, target: str | None) -> Final:
    """The stage `docker build --target` builds (default: the last); KeyError for an unknown name."""
    if target is not None:
        stage = dockerfile.stage_named(target)
        if stage is None:
            raise KeyError(target)
    else:
        stage = dockerfile.stages[-1]
    return Final(stage, frozenset(s.index for s in lineage(dockerfile, stage)))


def expose(dockerfile: Dockerfile, cred: Credential, per_stage: Rows, final: Final) -> list[LeakFinding]:
    """Fill in where the credential's value ends up; the findings that say so."""
    findings = _literal_default(cred) + _out_of_scope(cred)
    if cred.stage == "global":
        return findings + _global_arg(dockerfile, cred)
    stage = next(s for s in dockerfile.stages if s.label == cred.stage)
    if cred.kind == "ARG":
        finding = _build_arg(cred, per_stage, stage, final)
        if finding is None or finding.rule == "unused-credential":
            return findings + ([finding] if finding else [])
        findings.append(finding)
    else:
        findings.append(_env(dockerfile, cred, stage, final))
    for use in cred.uses:
        if use.file and not use.removed_in_same_run:
            cred.exposures.append(f"file {use.file} in the layer of the instruction at line {use.line}")
        elif use.file:
            cred.exposures.append(f"file {use.file} (removed in the same RUN at line {use.line}: not in the layer)")
    return findings


def _literal_default(cred: Credential) -> list[LeakFinding]:
    if cred.default == MASK and cred.role is not Role.LOGIN:
        return [LeakFinding("hardcoded-credential", Severity.CRITICAL,
                            f"{cred.kind} {cred.name} has a literal default value ({MASK}) in the Dockerfile",
                            cred.line, cred.line, cred.stage)]
    return []


def _out_of_scope(cred: Credential) -> list[LeakFinding]:
    return [LeakFinding(
        "arg-out-of-scope", Severity.WARNING,
        f"{cred.name} is used here but not declared in stage {use.stage}; an ARG before FROM must be "
        f"repeated as `ARG {cred.name}` inside the stage, so it expands to an empty string",
        use.line, use.line, use.stage, [cred.line]) for use in cred.uses if not use.in_scope]


def _global_arg(dockerfile: Dockerfile, cred: Credential) -> list[LeakFinding]:
    redeclared = any(ins.keyword == "ARG" and cred.name in {n for n, _ in key_values(ins, dockerfile.escape, "")}
                     for stage in dockerfile.stages for ins in stage.instructions)
    if cred.uses or redeclared:
        return []
    return [LeakFinding("unused-credential", Severity.INFO,
                        f"ARG {cred.name} is declared before FROM and never used in a stage", cred.line, cred.line,
                        "global")]


def _plural(items: list, one: str, many: str) -> str:
    return many if len(items) > 1 else one


def _build_arg(cred: Credential, per_stage: Rows, stage: Stage, final: Final) -> LeakFinding | None:
    """A build arg: recorded by every later RUN of its stage and in mode=max provenance."""
    runs = [ins.line for ins, _ in per_stage[stage.index] if ins.keyword == "RUN" and ins.line > cred.line]
    if not runs and not cred.uses:
        return LeakFinding("unused-credential", Severity.INFO,
                           f"ARG {cred.name} is declared in stage {cred.stage} and never used", cred.line, cred.line,
                           cred.stage)
    if runs:
        cred.exposures.append(
            f"image history of stage {cred.stage}: the RUN{_plural(runs, '', 's')} at "
            f"line{_plural(runs, '', 's')} {', '.join(map(str, runs))} "
            f"record{_plural(runs, 's', '')} build-arg values (`RUN |N {cred.name}=…`)")
    cred.exposures.append("build provenance attestations in mode=max record build-arg values")
    cred.final_stage_carries = stage.index in final.chain and bool(runs)
    used = [u.line for u in cred.uses]
    where = f"used at line{_plural(used, '', 's')} {', '.join(map(str, used))}" if used else "not used"
    login = cred.role is Role.LOGIN  # a user name is worth less than a password
    if cred.final_stage_carries:
        message = (f"build arg {cred.name} ({cred.role.value}, {where}) is recorded in the history of the "
                   f"final image (stage {final.stage.label}); anyone who can pull it can read it")
        severity = Severity.WARNING if login else Severity.CRITICAL
    else:
        message = (f"build arg {cred.name} ({cred.role.value}, {where}) is recorded in the history of stage "
                   f"{cred.stage} (build cache, intermediate image) and in mode=max provenance; "
                   f"the final stage {final.stage.label} does not carry it")
        severity = Severity.INFO if login else Severity.WARNING
    return LeakFinding("credential-build-arg", severity, message, cred.line, cred.line, cred.stage, sorted(set(used)))


def _env(dockerfile: Dockerfile, cred: Credential, stage: Stage, final: Final) -> LeakFinding:
    """An ENV: in the image config of its stage and of every stage built FROM it."""
    heirs = [s.label for s in dockerfile.stages if stage.index in {x.index for x in lineage(dockerfile, s)}]
    cred.exposures.append(
        f"image config (ENV) of stage{_plural(heirs, '', 's')} {', '.join(heirs)}: "
        "`docker inspect` and every container's environment show it")
    carried = stage.index in final.chain
    cred.final_stage_carries = carried
    tail = ("the final image carries it" if carried else
            f"the final stage {final.stage.label} does not carry it, but stage {cred.stage}'s image does")
    return LeakFinding("credential-env", Severity.CRITICAL if carried else Severity.WARNING,
                       f"ENV {cred.name} ({cred.role.value}) persists in the image config; {tail}",
                       cred.line, cred.line, cred.stage, sorted({u.line for u in cred.uses}))


def file_findings(dockerfile: Dockerfile, writes: list[FileWrite], final: Final) -> list[LeakFinding]:
    """A file with credentials left in a layer: critical when the final image carries it."""
    findings = []
    for write in writes:
        if write.removed:
            continue
        stage, ins = write.stage, write.instruction
        carried = stage.index in final.chain or _copied_into(dockerfile, stage, write.file, final.chain)
        findings.append(LeakFinding(
            "credential-file-in-layer", Severity.CRITICAL if carried else Severity.WARNING,
            f"{write.file} with credentials is written by this {ins.keyword} and stays in the layer of stage "
            f"{stage.label}" + ("; the final stage carries it" if carried else
                                 "; the final stage does not carry it, but the stage's image and build cache do"),
            ins.line, ins.end_line, stage.label))
    return findings


def _copied_into(dockerfile: Dockerfile, source: Stage, file: str, final_chain: frozenset[int]) -> bool:
    """Whether a stage of the final image COPYs the file (or a directory holding it) from `source`."""
    for index in final_chain:
        for ins in dockerfile.stages[index].instructions:
            if ins.keyword not in ("COPY", "ADD"):
                continue
            for value in ins.flag("from"):
                origin = dockerfile.stage_named(value)
                if origin is None or origin.index != source.index:
                    continue
                sources = ins.json_args[:-1] if ins.json_args is not None else ins.args.split()[:-1]
                for src in sources:
                    src = src.rstrip("/") or "/"
                    if src in ("/", ".") or file == src or file.startswith(src + "/"):
                        return True
    return False
