"""The BuildKit secret-mount rewrite of each stage that writes credentials: drop the credential ARGs
and the .netrc/git config writes, mount a .netrc as a secret in the RUNs that fetch, and the CI
commands that write that .netrc (naming every host the stage authenticates to) and build with it."""

from __future__ import annotations

import re
import shlex

from goanalyzer.ops.common import MASK, Severity
from goanalyzer.ops.dockerfile.model import WRITES, Credential, LeakFinding, Rewrite, Role
from goanalyzer.ops.dockerfile.parser import Dockerfile, Instruction, Stage, key_values
from goanalyzer.ops.dockerfile.scopes import Rows, home, lineage
from goanalyzer.ops.dockerfile.secrets import mask_text, url_userinfo
from goanalyzer.ops.dockerfile.shell import fetches, is_removal, netrc_path, segments
from goanalyzer.ops.dockerfile.trace import HostAuth

_VAR_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
NEWLINE = "\\n"
"""printf's line break, as written in the proposed command."""


def rewrites(dockerfile: Dockerfile, creds: list[Credential], per_stage: Rows,
             auths: list[HostAuth]) -> tuple[list[Rewrite], list[LeakFinding]]:
    """One rewrite (and a `use-secret-mount` finding) per stage that writes credentials."""
    result: list[Rewrite] = []
    findings: list[LeakFinding] = []
    for stage in dockerfile.stages:
        stage_auths = [a for a in auths if a.stage == stage.label]
        lines = {u.line for c in creds for u in c.uses if u.stage == stage.label and u.kind in WRITES}
        lines |= {a.line for a in stage_auths}
        if not lines:
            continue
        rewrite, finding = _stage_rewrite(dockerfile, stage, creds, per_stage, stage_auths, sorted(lines))
        result.append(rewrite)
        findings.append(finding)
    return result, findings


def _stage_rewrite(dockerfile: Dockerfile, stage: Stage, creds: list[Credential], per_stage: Rows,
                   auths: list[HostAuth], write_lines: list[int]) -> tuple[Rewrite, LeakFinding]:
    instructions = [ins for ins, _ in per_stage[stage.index]]
    stage_home = home(lineage(dockerfile, stage), write_lines[0])
    target = f"{stage_home}/.netrc"
    mount = f"--mount=type=secret,id=netrc,target={target}"
    names = {c.name for c in creds if c.stage == stage.label and c.kind == "ARG"
             and c.uses and all(u.kind in WRITES for u in c.uses)}
    remove = sorted({c.line for c in creds if c.name in names and c.stage == stage.label})
    replacements = _replacements(instructions, write_lines, stage_home, mount)
    feeding = [c for c in creds if any(u.stage == stage.label and u.kind in WRITES for u in c.uses)]
    hosts = sorted({a.host for a in auths} | {u.host for c in feeding for u in c.uses
                                             if u.stage == stage.label and u.kind in WRITES and u.host})
    build = _build_command(hosts, auths, feeding)
    by_line = {ins.line: ins for ins in dockerfile.instructions}
    removed = [{"line": line, "text": _masked_declaration(by_line[line], dockerfile.escape)} for line in remove]
    rewrite = Rewrite(stage.label, "netrc", target, removed, replacements, "syntax" not in dockerfile.directives, build)
    first = next(ins for ins in instructions if ins.line == write_lines[0])
    finding = LeakFinding(
        "use-secret-mount", Severity.INFO,
        f"mount the credentials as a BuildKit secret instead: RUN {mount} ... and "
        f"docker build --secret id=netrc,src=...; drop "
        + (", ".join(f"ARG {n}" for n in sorted(names)) or "the credential ARGs"),
        first.line, first.end_line, stage.label, remove)
    return rewrite, finding


def _replacements(instructions: list[Instruction], write_lines: list[int], stage_home: str, mount: str) -> list[dict]:
    """Each RUN from the first write on: writes lose their credential commands, fetches get the mount."""
    replacements = []
    for ins in instructions:
        if ins.keyword != "RUN" or ins.line < write_lines[0]:
            continue
        is_write = ins.line in write_lines or netrc_path(ins, stage_home) is not None
        kept = [seg for seg in segments(ins.args) if not (is_write and _credential_segment(seg))]
        kept = [seg for seg in kept if not (seg.startswith(("chmod", "rm ")) and "netrc" in seg)]
        command = " && ".join(kept) if is_write else ins.args
        fetch = fetches(command) or any(fetches(h.body) for h in ins.heredocs)
        if not is_write and not fetch:
            continue
        if is_write and not kept:
            replacements.append({"line": ins.line, "end_line": ins.end_line,
                                 "before": mask_text(ins.source), "after": None})
            continue
        flags = [f for f in ins.flags if f != mount]
        if fetch:
            flags.append(mount)
        after = "RUN " + " ".join([*flags, command])
        if ins.heredocs:
            after += "\n" + "\n".join(f"{h.body}\n{h.name}" for h in ins.heredocs)
        replacements.append({"line": ins.line, "end_line": ins.end_line,
                             "before": mask_text(ins.source), "after": mask_text(after)})
    return replacements


def _build_command(hosts: list[str], auths: list[HostAuth], feeding: list[Credential]) -> list[str]:
    """The CI commands: write a .netrc with one line per host (from the CI's secret variables), build."""
    formats, args = [], []
    for host in hosts or ["<host>"]:
        login, login_args, password_arg = _netrc_line(host, [a for a in auths if a.host == host], feeding)
        formats.append(f"machine {host} login {login} password %s")
        args += login_args + [password_arg]
    return [
        "# in the CI job, outside the build context (the values come from the CI's secret variables):",
        f"umask 077; printf '{NEWLINE.join(formats)}{NEWLINE}' {' '.join(args)} > \"$HOME/.netrc\"",
        "docker build --secret id=netrc,src=\"$HOME/.netrc\" .",
    ]


def _netrc_line(host: str, mine: list[HostAuth], feeding: list[Credential]) -> tuple[str, list[str], str]:
    """The login (literal or %s), its printf argument, and the password argument for one host: the
    variables the Dockerfile used for that host, else a CI variable named after the host (a literal
    password must move to the CI's secrets)."""
    logins = [c.name for c in feeding if c.role is Role.LOGIN]
    passwords = ([c.name for c in feeding if c.role is Role.PASSWORD]
                 or [c.name for c in feeding if c.role is not Role.LOGIN])
    host_logins = list(dict.fromkeys(n for a in mine for n in a.logins)) or (logins if not mine else [])
    host_passwords = list(dict.fromkeys(n for a in mine for n in a.passwords)) or (passwords if not mine else [])
    literal = next((a.literal_login for a in mine if a.literal_login is not None), None)
    stem = re.sub(r"[^A-Za-z0-9]+", "_", host).strip("_").upper() or "HOST"
    if host_logins:
        login, login_args = "%s", [f'"${host_logins[0]}"']
    elif literal is not None and re.fullmatch(r"[\w.@+-]+", literal):
        login, login_args = literal, []
    else:
        login, login_args = "%s", [shlex.quote(literal) if literal is not None else f'"${stem}_LOGIN"']
    password = f'"${host_passwords[0]}"' if host_passwords else f'"${stem}_PASSWORD"'
    return login, login_args, password


def _masked_declaration(ins: Instruction, escape: str) -> str:
    """An ARG or ENV line with every literal value replaced by ****."""
    shown = []
    for name, value in key_values(ins, escape, ""):
        if value is None:
            shown.append(name)
        elif re.fullmatch(r"\$(\{" + _VAR_NAME + r"\}|" + _VAR_NAME + ")", value):
            shown.append(f"{name}={value}")
        else:
            shown.append(f"{name}={MASK}")
    return f"{ins.keyword} {' '.join(shown)}"


def _credential_segment(segment: str) -> bool:
    """A command that writes or removes a credential (a .netrc, a git config URL with userinfo)."""
    if "netrc" in segment:
        return True
    return bool(url_userinfo(segment) and re.search(r"\bgit\s+config\b", segment)) or (
        is_removal(segment) and re.search(r"\bgit\s+config\b", segment) is not None)
