"""Finding credentials in a Dockerfile and tracing each to the instructions that use it.

By name (GIT_PWD, GITLAB_TOKEN) and by use: written to a .netrc, embedded as user:password@ in a URL
(and stored by `git config ... insteadOf`), sent by curl/wget (-u user:password, --password=,
Authorization headers), copied into an ENV, printed to the build log. Literal credentials are
findings of their own; their values are never kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from goanalyzer.ops.common import MASK, Severity
from goanalyzer.ops.dockerfile.model import Credential, LeakFinding, Role, Use, UseKind
from goanalyzer.ops.dockerfile.parser import Dockerfile, Instruction, Stage, expand, key_values, var_refs
from goanalyzer.ops.dockerfile.scopes import Rows, Scope, Var, home, lineage, scopes, values
from goanalyzer.ops.dockerfile.secrets import (
    FILLERS,
    auth_headers,
    curl_users,
    is_literal_secret,
    name_is_secret,
    netrc_tokens,
    password_options,
    url_userinfo,
)
from goanalyzer.ops.dockerfile.shell import (
    destinations,
    fetched_host,
    is_removal,
    netrc_path,
    prints_to_log,
    removes,
    secret_file_printed,
    segments,
    written_text,
)

FILLER_LOGIN = "x-access-token"
"""The user name GitHub documents for a token sent as the password (for the proposed .netrc)."""


@dataclass(slots=True)
class FileWrite:
    """A file holding credentials written by an instruction."""

    stage: Stage
    instruction: Instruction
    file: str
    removed: bool  # deleted again by the same RUN: not in the layer


@dataclass(slots=True)
class HostAuth:
    """A host the build authenticates to, where, and with which variables (for the rewrite)."""

    host: str
    stage: str
    line: int
    logins: list[str] = field(default_factory=list)
    passwords: list[str] = field(default_factory=list)
    literal_login: str | None = None
    literal_password: bool = False


@dataclass(slots=True)
class Trace:
    """What the walk over a Dockerfile collects."""

    dockerfile: Dockerfile
    global_args: Scope
    per_stage: Rows
    creds: dict[tuple[str, int], Credential] = field(default_factory=dict)
    findings: list[LeakFinding] = field(default_factory=list)
    file_writes: list[FileWrite] = field(default_factory=list)
    auths: list[HostAuth] = field(default_factory=list)
    hosts: list[tuple[str, int, int]] = field(default_factory=list)
    """Every host the build authenticates to (a .netrc machine, a URL with userinfo): (host, line,
    stage index)."""

    def credentials(self) -> list[Credential]:
        return sorted(self.creds.values(), key=lambda c: (c.line, c.name))


@dataclass(slots=True)
class _Run:
    """The instruction being read, with what it sees."""

    stage: Stage
    instruction: Instruction
    scope: Scope
    values: dict[str, str | None]
    home: str
    used_names: list[str] = field(default_factory=list)


def trace(dockerfile: Dockerfile) -> Trace:
    """Every credential of the Dockerfile with its uses, literal credentials and files written."""
    global_args, per_stage = scopes(dockerfile, dockerfile.path)
    state = Trace(dockerfile, global_args, per_stage)
    _declarations(state)
    for stage in dockerfile.stages:
        chain = lineage(dockerfile, stage)
        for ins, scope in per_stage[stage.index]:
            if ins.keyword == "RUN" or (ins.keyword in ("COPY", "ADD")
                                        and any("netrc" in d for d in destinations(ins))):
                run = _Run(stage, ins, scope, values(scope, dockerfile.escape), home(chain, ins.line))
                _read_instruction(state, run)
    return state


def _read_instruction(state: Trace, run: _Run) -> None:
    _netrc_write(state, run)
    _url_credentials(state, run)
    _http_auth(state, run)
    _build_log(state, run)
    _other_references(state, run)


# ---------------------------------------------------------------- credentials and uses


def _credential(state: Trace, var: Var, role: Role, reason: str) -> Credential:
    """The credential of a declaration (created on first sight); a stronger role wins."""
    key = (var.name, var.line)
    if key not in state.creds:
        state.creds[key] = Credential(var.name, var.kind, role, var.stage, var.line)
        if is_literal_secret(var.value, var.name):
            state.creds[key].default = MASK
    cred = state.creds[key]
    if role is Role.PASSWORD or (role is Role.SECRET and cred.role is Role.LOGIN):
        cred.role = role
    if reason not in cred.reasons:
        cred.reasons.append(reason)
    return cred


def _use(state: Trace, run: _Run, name: str, role: Role | None, kind: UseKind, detail: str,
         host: str | None = None, file: str | None = None, removed: bool = False) -> bool:
    """Record that the instruction uses variable `name` (a credential from now on when `role` is given);
    False when `name` is no ARG or ENV (a shell variable)."""
    var = run.scope.get(name)
    in_scope = var is not None
    if var is None:
        var = state.global_args.get(name)
        if var is None:
            return False
    if role is not None:
        cred = _credential(state, var, role, f"used as {role.value} ({kind.value})")
    else:
        cred = state.creds.get((var.name, var.line))
        if cred is None:
            return False
    cred.uses.append(Use(run.instruction.line, run.stage.label, kind, detail, host, file, removed, in_scope))
    run.used_names.append(name)
    return True


def _literal(state: Trace, run: _Run, message: str) -> None:
    ins = run.instruction
    state.findings.append(LeakFinding("hardcoded-credential", Severity.CRITICAL, message, ins.line, ins.end_line,
                                      run.stage.label))


def _refs(state: Trace, text: str) -> list[str]:
    return var_refs(text, state.dockerfile.escape)


def _resolve_host(state: Trace, raw: str, run: _Run) -> str:
    host, unknown = expand(raw.strip("'\""), run.values, state.dockerfile.escape)
    return host if not unknown else raw


# ---------------------------------------------------------------- declarations


def _declarations(state: Trace) -> None:
    """Credentials by name and by value: the ARG and ENV declarations, and ENVs that copy one."""
    escape, path = state.dockerfile.escape, state.dockerfile.path
    for var in state.global_args.values():
        if name_is_secret(var.name):
            _credential(state, var, Role.SECRET, "name looks like a credential")
        _url_passwords(state, var, {})
    for stage in state.dockerfile.stages:
        for ins, scope in state.per_stage[stage.index]:
            if ins.keyword not in ("ARG", "ENV"):
                continue
            for name, value in key_values(ins, escape, path):
                var = Var(name, ins.keyword, ins.line, stage.label, value)
                if name_is_secret(name):
                    _credential(state, var, Role.SECRET, "name looks like a credential")
                _url_passwords(state, var, scope)
                if ins.keyword == "ENV" and value:
                    _env_copies(state, var, scope)


def _source(state: Trace, scope: Scope, name: str) -> Var | None:
    return scope.get(name) or state.global_args.get(name)


def _url_passwords(state: Trace, var: Var, scope: Scope) -> None:
    """A value holding a URL with user:password@: the value, or the variable it takes the password from."""
    for m in url_userinfo(var.value or ""):
        password = m.group("password")
        if password is None:
            continue
        secret = m.group("user") if password in FILLERS else password
        refs = _refs(state, secret)
        if not refs and is_literal_secret(secret):
            _credential(state, var, Role.PASSWORD, "value is a URL with a literal user:password@")
        for ref in refs:
            source = _source(state, scope, ref)
            if source is not None:
                _credential(state, source, Role.PASSWORD, f"password in a URL in {var.kind} {var.name}")


def _env_copies(state: Trace, var: Var, scope: Scope) -> None:
    """ENV NAME=$CREDENTIAL: the ENV is a credential too, and a use of the one it copies."""
    for ref in _refs(state, var.value or ""):
        source = _source(state, scope, ref)
        if source is None or (source.name, source.line) not in state.creds:
            continue
        origin = state.creds[(source.name, source.line)]
        _credential(state, var, origin.role, f"copies {ref}")
        origin.uses.append(Use(var.line, var.stage, UseKind.ENV, f"copied into ENV {var.name}", in_scope=ref in scope))


# ---------------------------------------------------------------- uses in RUN (and COPY/ADD heredocs)


def _netrc_entries(text: str) -> list[tuple[str | None, list[tuple[str, str]]]]:
    """The login/password pairs written after each `machine` word (None before the first)."""
    entries: list[tuple[str | None, list[tuple[str, str]]]] = [(None, [])]
    for keyword, value in netrc_tokens(written_text(text)):
        if keyword == "machine":
            entries.append((value, []))
        else:
            entries[-1][1].append((keyword, value))
    return [entry for entry in entries if entry[0] is not None or entry[1]]


def _netrc_write(state: Trace, run: _Run) -> None:
    """A .netrc written by the instruction: its hosts, the variables it takes values from, literals."""
    ins = run.instruction
    netrc_file = netrc_path(ins, run.home)
    if not netrc_file:
        return
    removed = ins.keyword == "RUN" and removes(ins.text, "netrc")
    for raw_machine, pairs in _netrc_entries(ins.text):
        machine = _resolve_host(state, raw_machine, run) if raw_machine is not None else None
        auth = HostAuth(machine, run.stage.label, ins.line) if machine is not None else None
        if machine is not None:
            state.hosts.append((machine, ins.line, run.stage.index))
        filler = any(keyword == "password" and value in FILLERS for keyword, value in pairs)
        for keyword, value in pairs:
            refs = _refs(state, value)
            role = Role.PASSWORD if keyword == "password" or filler else Role.LOGIN
            if auth is not None and not refs:
                if keyword == "login" and "$" not in value and "`" not in value:
                    auth.literal_login = auth.literal_login or (FILLER_LOGIN if filler else value)
            for ref in refs:
                if _use(state, run, ref, role, UseKind.NETRC, f"{keyword} of machine {machine} in {netrc_file}",
                        machine, netrc_file, removed) and auth is not None:
                    (auth.passwords if role is Role.PASSWORD else auth.logins).append(ref)
            if not refs and keyword == "password" and is_literal_secret(value):
                _literal(state, run, f"literal password ({MASK}) for machine {machine} written to {netrc_file}")
                if auth is not None:
                    auth.literal_password = True
        if auth is not None and (auth.passwords or auth.logins or auth.literal_password):
            state.auths.append(auth)
    state.file_writes.append(FileWrite(run.stage, ins, netrc_file, removed))


def _url_credentials(state: Trace, run: _Run) -> None:
    """user:password@ in URLs of the command (git clone, git config insteadOf, go get ...); a command
    that removes the URL again (git config --remove-section, --unset) writes nothing."""
    text = run.instruction.text
    gitconfig_removed = removes(text, ".gitconfig") or removes(text, "git config")
    for segment in segments(text):
        if is_removal(segment):
            continue
        for m in url_userinfo(segment):
            host = _resolve_host(state, m.group("host"), run)
            state.hosts.append((host, run.instruction.line, run.stage.index))
            kind, file, removed = UseKind.URL, None, False
            if re.search(r"\bgit\s+config\b", segment):
                kind, file, removed = UseKind.GITCONFIG, f"{run.home}/.gitconfig", gitconfig_removed
            elif re.search(r"\bgit\s+clone\b", segment):
                file = "the cloned repository's .git/config"
            _url_auth(state, run, m, host, kind, file, removed)
            if file and file.startswith("/"):
                state.file_writes.append(FileWrite(run.stage, run.instruction, file, removed))


def _url_auth(state: Trace, run: _Run, m: re.Match[str], host: str, kind: UseKind, file: str | None,
              removed: bool) -> None:
    """The user and password of one URL; with GitHub's x-oauth-basic filler the user is the token."""
    user, password = m.group("user"), m.group("password")
    auth = HostAuth(host, run.stage.label, run.instruction.line)
    filler = password in FILLERS
    if not _refs(state, user) and not filler:
        auth.literal_login = user
    for ref in _refs(state, user):
        role = Role.PASSWORD if filler else Role.LOGIN
        detail = (f"token as the user name in a URL for {host} (x-oauth-basic)" if filler
                  else f"user name in a URL for {host}")
        if _use(state, run, ref, role, kind, detail, host, file, removed):
            (auth.passwords if filler else auth.logins).append(ref)
    secret = user if filler else password
    if filler:
        auth.literal_login = FILLER_LOGIN
    if password is not None:
        for ref in ([] if filler else _refs(state, password)):
            if _use(state, run, ref, Role.PASSWORD, kind, f"password in a URL for {host}", host, file, removed):
                auth.passwords.append(ref)
        if not _refs(state, secret) and is_literal_secret(secret):
            what = "token as the user name" if filler else "password"
            _literal(state, run, f"literal {what} ({MASK}) in a URL for {host}")
            auth.literal_password = True
    if auth.passwords or auth.logins or auth.literal_password:
        state.auths.append(auth)


def _http_auth(state: Trace, run: _Run) -> None:
    """Credentials curl or wget send: -u user:password, --password=, Authorization-style headers."""
    for segment in segments(run.instruction.text):
        tool = re.search(r"\b(curl|wget)\b", segment)
        if tool is None:
            continue
        host = fetched_host(segment) or "the server"
        sent: list[tuple[str, str, Role]] = []
        if tool.group(1) == "curl":
            for user, password in curl_users(segment):
                sent += [(user, "user name of curl -u", Role.LOGIN), (password, "password of curl -u", Role.PASSWORD)]
        sent += [(password, f"password of {tool.group(1)} --password", Role.PASSWORD)
                 for password in password_options(segment)]
        sent += [(value, f"{name} header", Role.PASSWORD) for name, value in auth_headers(segment)]
        for value, what, role in sent:
            for ref in _refs(state, value):
                _use(state, run, ref, role, UseKind.HTTP_AUTH, f"{what} for {host}", host)
            if role is Role.PASSWORD and not _refs(state, value) and is_literal_secret(value):
                _literal(state, run, f"literal credential ({MASK}) in the {what} for {host}")


def _build_log(state: Trace, run: _Run) -> None:
    """Secrets a command prints to the build output (echo $TOKEN, cat /run/secrets/...)."""
    ins = run.instruction
    for segment in segments(ins.text):
        if not prints_to_log(segment):
            continue
        for ref in dict.fromkeys(_refs(state, segment)):
            var = _source(state, run.scope, ref)
            cred = state.creds.get((var.name, var.line)) if var is not None else None
            if cred is not None and cred.role is not Role.LOGIN:
                state.findings.append(LeakFinding(
                    "secret-in-build-log", Severity.WARNING,
                    f"{ref} ({cred.role.value}) is printed to the build output: the build log (CI job logs, "
                    "docker build --progress=plain) shows its value", ins.line, ins.end_line, run.stage.label,
                    [cred.line]))
        secret_file = secret_file_printed(segment)
        if secret_file is not None:
            state.findings.append(LeakFinding(
                "secret-in-build-log", Severity.WARNING,
                f"the BuildKit secret {secret_file} is printed to the build output: the build log shows its value",
                ins.line, ins.end_line, run.stage.label))


def _other_references(state: Trace, run: _Run) -> None:
    """Any other reference to a known credential."""
    for ref in _refs(state, run.instruction.text):
        if ref in run.used_names:
            continue
        var = _source(state, run.scope, ref)
        if var is not None and (var.name, var.line) in state.creds:
            _use(state, run, ref, None, UseKind.COMMAND, "referenced by the command")
