"""Credentials in a Dockerfile: find them (by name and by use), trace each from its ARG or ENV
to the RUN that uses it, say where it ends up (image history, image config, a layer, build
provenance) and whether the final stage carries it; propose the BuildKit secret-mount rewrite;
check GOPRIVATE/GOPROXY for the private hosts the build authenticates to.

Values are never kept: a literal credential is reported as "****".
"""

from __future__ import annotations

import enum
import re
import shlex
from dataclasses import dataclass, field

from goanalyzer.ops.common import Severity
from goanalyzer.ops.goprivate.dockerfile import Dockerfile, Instruction, Stage, expand, key_values, var_refs
from goanalyzer.ops.goprivate.goenv import SETTINGS, RawValue, resolve
from goanalyzer.ops.goprivate.proxy import EntryKind, GoproxyError, route

MASK = "****"
_VAR_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
SECRET_WORDS = {
    "password", "passwd", "pass", "pwd", "pw", "token", "secret", "secrets", "apikey", "credential",
    "credentials", "cred", "creds", "auth", "key", "pat", "privatekey", "passphrase",
}
NOT_SECRET_NAMES = {"PWD", "OLDPWD", "GPG_KEY", "PUBLIC_KEY"}

_URL_USERINFO = re.compile(
    r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<user>[^\s/@:'\"]+)(?::(?P<password>[^\s/@'\"]+))?@(?P<host>[A-Za-z0-9.-]+)"
)
_NETRC_FILE = re.compile(r"(?P<path>(?:~|\$\{?HOME\}?|/[\w./-]*?)?/?[._]netrc)\b")
_NETRC_TOKEN = re.compile(r"\b(machine|login|password)\s+(['\"]?)([^\s'\";&|]+)\2")
_GO_COMMAND = re.compile(r"(?:^|[\s;&|(])go\s+(?:mod|build|get|install|list|run|test|vet|generate|work)\b")
_PRINTF_SPEC = re.compile(r"%(?:%|[-+ #0]*[0-9]*(?:\.[0-9]+)?[diouxXfeEgGcsbq])")
_ASSIGNMENTS = re.compile(r"^(?:export\s+)?(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*")


def _fetches(command: str) -> bool:
    """Whether a shell command runs the go command or git (which read ~/.netrc)."""
    for segment in _segments(command):
        words = _ASSIGNMENTS.sub("", segment).split()
        if words and words[0] in ("go", "git"):
            return True
    return False


class Role(str, enum.Enum):
    PASSWORD = "password"
    LOGIN = "login"
    SECRET = "secret"


class UseKind(str, enum.Enum):
    NETRC = "netrc"
    URL = "url-userinfo"
    GITCONFIG = "gitconfig"
    ENV = "env"
    COMMAND = "command"


@dataclass(slots=True)
class Use:
    """One place a credential variable is used."""

    line: int
    stage: str
    kind: UseKind
    detail: str
    host: str | None = None
    file: str | None = None
    removed_in_same_run: bool = False
    in_scope: bool = True


@dataclass(slots=True)
class Credential:
    """A build ARG or ENV that carries a credential, and its trace."""

    name: str
    kind: str  # "ARG" or "ENV"
    role: Role
    stage: str  # stage label, or "global" for an ARG before the first FROM
    line: int
    reasons: list[str] = field(default_factory=list)
    default: str | None = None  # masked
    uses: list[Use] = field(default_factory=list)
    exposures: list[str] = field(default_factory=list)
    final_stage_carries: bool = False


@dataclass(slots=True)
class LeakFinding:
    rule: str
    severity: Severity
    message: str
    line: int
    end_line: int
    stage: str
    related_lines: list[int] = field(default_factory=list)


@dataclass(slots=True)
class Rewrite:
    """The BuildKit secret-mount replacement for one stage."""

    stage: str
    secret_id: str
    target: str
    remove_lines: list[dict]  # {"line", "text"}
    replacements: list[dict]  # {"line", "end_line", "before", "after"}
    add_syntax_directive: bool
    build_command: list[str]


@dataclass(slots=True)
class GoCheck:
    """GOPRIVATE/GOPROXY as seen by the first go command of a stage, for one private host."""

    stage: str
    line: int
    host: str
    goprivate: str
    gonoproxy: str
    gonosumdb: str
    goproxy: str
    gosumdb: str
    private_match: str | None
    attempts: list[str]
    checksum_db: str | None
    unknown: list[str] = field(default_factory=list)


@dataclass(slots=True)
class LintReport:
    path: str
    final_stage: str
    stages: list[str]
    credentials: list[Credential]
    findings: list[LeakFinding]
    rewrites: list[Rewrite]
    go_checks: list[GoCheck]


# ---------------------------------------------------------------- helpers


def mask_text(text: str) -> str:
    """The text with literal passwords of netrc lines and URL userinfo replaced by ****."""

    def url(m: re.Match[str]) -> str:
        password = m.group("password")
        if password is None or "$" in password:
            return m.group(0)
        return f"{m.group('scheme')}://{m.group('user')}:{MASK}@{m.group('host')}"

    text = _URL_USERINFO.sub(url, text)

    def netrc(m: re.Match[str]) -> str:
        if m.group(1) != "password" or "$" in m.group(3) or _is_printf_spec(m.group(3)):
            return m.group(0)
        return f"password {m.group(2)}{MASK}{m.group(2)}"

    return _NETRC_TOKEN.sub(netrc, text)


def name_is_secret(name: str) -> bool:
    if name.upper() in NOT_SECRET_NAMES:
        return False
    tokens = {t for t in re.split(r"[_\-]", name.lower()) if t}
    if "public" in tokens or "pub" in tokens:
        return False
    return bool(tokens & SECRET_WORDS) or name.lower().endswith(("password", "token", "secret", "passwd"))


def lineage(dockerfile: Dockerfile, stage: Stage) -> list[Stage]:
    """The stage and the earlier stages it is built FROM, nearest first."""
    chain = [stage]
    while chain[-1].base_stage is not None:
        chain.append(dockerfile.stages[chain[-1].base_stage])
    return chain


def _home(stage_chain: list[Stage], before_line: int) -> str:
    """$HOME for a RUN: /root unless a USER instruction (in this stage or a base stage) says otherwise."""
    user = None
    for stage in reversed(stage_chain):
        for ins in stage.instructions:
            if ins.keyword == "USER" and ins.line < before_line:
                user = ins.args.split(":")[0].strip()
    if user in (None, "", "root", "0"):
        return "/root"
    return f"/home/{user}"


def _segments(command: str) -> list[str]:
    """Top-level shell commands separated by &&, ||, ; or newlines (quotes respected)."""
    parts, current, quote, i = [], [], None, 0
    while i < len(command):
        c = command[i]
        if quote:
            if c == quote:
                quote = None
            current.append(c)
        elif c in "'\"":
            quote = c
            current.append(c)
        elif command.startswith("&&", i) or command.startswith("||", i):
            parts.append("".join(current))
            current = []
            i += 1
        elif c in ";\n":
            parts.append("".join(current))
            current = []
        else:
            current.append(c)
        i += 1
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def _resolve_host(raw: str, values: dict[str, str | None], escape: str) -> str:
    host, unknown = expand(raw.strip("'\""), values, escape)
    return host if not unknown else raw


# ---------------------------------------------------------------- scope model


@dataclass(slots=True)
class _Var:
    name: str
    kind: str
    line: int
    stage: str
    value: str | None  # default / value as written (may reference other variables)


def _scopes(dockerfile: Dockerfile, path: str) -> tuple[dict[str, _Var], dict[int, list[tuple[Instruction, dict[str, _Var]]]]]:
    """Global ARGs, and for every stage each instruction with the variables in scope at it."""
    escape = dockerfile.escape
    global_args: dict[str, _Var] = {}
    for ins in dockerfile.global_args:
        for name, value in key_values(ins, escape, path):
            global_args[name] = _Var(name, "ARG", ins.line, "global", value)
    per_stage: dict[int, list[tuple[Instruction, dict[str, _Var]]]] = {}
    env_at_end: dict[int, dict[str, _Var]] = {}
    for stage in dockerfile.stages:
        scope: dict[str, _Var] = dict(env_at_end.get(stage.base_stage, {})) if stage.base_stage is not None else {}
        rows = []
        for ins in stage.instructions:
            rows.append((ins, dict(scope)))
            if ins.keyword == "ARG":
                for name, value in key_values(ins, escape, path):
                    if value is None and name in global_args:
                        value = global_args[name].value
                    scope[name] = _Var(name, "ARG", ins.line, stage.label, value)
            elif ins.keyword == "ENV":
                for name, value in key_values(ins, escape, path):
                    scope[name] = _Var(name, "ENV", ins.line, stage.label, value)
        per_stage[stage.index] = rows
        env_at_end[stage.index] = {k: v for k, v in scope.items() if v.kind == "ENV"}
    return global_args, per_stage


def _values(scope: dict[str, _Var], escape: str) -> dict[str, str | None]:
    """Known values of the variables in scope (None when set only at build time)."""
    values: dict[str, str | None] = {}
    for name, var in scope.items():
        if var.value is None:
            values[name] = None
        else:
            expanded, unknown = expand(var.value, values, escape)
            values[name] = None if unknown else expanded
    return values


# ---------------------------------------------------------------- analysis


def analyse(dockerfile: Dockerfile, target: str | None = None) -> LintReport:
    """Find, trace and classify the credentials of a parsed Dockerfile."""
    path, escape = dockerfile.path, dockerfile.escape
    if target is not None:
        final = dockerfile.stage_named(target)
        if final is None:
            raise KeyError(target)
    else:
        final = dockerfile.stages[-1]
    final_chain = {s.index for s in lineage(dockerfile, final)}
    global_args, per_stage = _scopes(dockerfile, path)
    creds: dict[tuple[str, int], Credential] = {}
    findings: list[LeakFinding] = []
    file_writes: list[tuple[Stage, Instruction, str, bool, list[str]]] = []  # stage, RUN, file, removed, names
    hosts: dict[str, int] = {}
    literal_logins: dict[str, str] = {}  # host -> a user name written literally (not secret)

    def credential(var: _Var, role: Role, reason: str) -> Credential:
        key = (var.name, var.line)
        if key not in creds:
            creds[key] = Credential(var.name, var.kind, role, var.stage, var.line)
            if var.value is not None and var.value != "" and not var_refs(var.value, escape):
                creds[key].default = MASK
        cred = creds[key]
        if role is Role.PASSWORD or (role is Role.SECRET and cred.role is Role.LOGIN):
            cred.role = role
        if reason not in cred.reasons:
            cred.reasons.append(reason)
        return cred

    def url_passwords(var: _Var, scope: dict[str, _Var]) -> None:
        """A value holding a URL with user:password@: the value, or the variable it takes the password from."""
        for m in _URL_USERINFO.finditer(var.value or ""):
            if m.group("password") is None:
                continue
            refs = var_refs(m.group("password"), escape)
            if not refs:
                credential(var, Role.PASSWORD, "value is a URL with a literal user:password@")
            for ref in refs:
                source = scope.get(ref) or global_args.get(ref)
                if source is not None:
                    credential(source, Role.PASSWORD, f"password in a URL in {var.kind} {var.name}")

    # by name and by value: ARG and ENV declarations
    for var in global_args.values():
        if name_is_secret(var.name):
            credential(var, Role.SECRET, "name looks like a credential")
        url_passwords(var, {})
    for stage in dockerfile.stages:
        for ins, scope in per_stage[stage.index]:
            if ins.keyword in ("ARG", "ENV"):
                for name, value in key_values(ins, escape, path):
                    var = _Var(name, ins.keyword, ins.line, stage.label, value)
                    if name_is_secret(name):
                        credential(var, Role.SECRET, "name looks like a credential")
                    url_passwords(var, scope)
                    if ins.keyword == "ENV" and value:
                        for ref in var_refs(value, escape):
                            source = scope.get(ref) or global_args.get(ref)
                            if source is None or (source.name, source.line) not in creds:
                                continue
                            origin = creds[(source.name, source.line)]
                            credential(var, origin.role, f"copies {ref}")
                            origin.uses.append(Use(ins.line, stage.label, UseKind.ENV,
                                                   f"copied into ENV {name}", in_scope=ref in scope))

    # by use: RUN commands (and COPY/ADD heredocs written to a netrc)
    for stage in dockerfile.stages:
        chain = lineage(dockerfile, stage)
        for ins, scope in per_stage[stage.index]:
            if ins.keyword not in ("RUN", "COPY", "ADD"):
                continue
            text = ins.text
            if ins.keyword != "RUN" and not any("netrc" in d for d in _destinations(ins)):
                continue
            values = _values(scope, escape)
            home = _home(chain, ins.line)
            used_names: list[str] = []

            def use(name: str, role: Role | None, kind: UseKind, detail: str, host: str | None = None,
                    file: str | None = None, removed: bool = False) -> None:
                var = scope.get(name)
                in_scope = var is not None
                if var is None:
                    gvar = global_args.get(name)
                    if gvar is None:
                        return
                    var = gvar
                cred = credential(var, role, f"used as {role.value} ({kind.value})") if role else creds.get((var.name, var.line))
                if cred is None:
                    return
                cred.uses.append(Use(ins.line, stage.label, kind, detail, host, file, removed, in_scope))
                used_names.append(name)

            # netrc written by this instruction
            netrc_file = _netrc_path(ins, home)
            if netrc_file:
                removed = ins.keyword == "RUN" and _removes(text, "netrc")
                machine = None
                for m in _NETRC_TOKEN.finditer(_printf_expanded(text)):
                    keyword, value = m.group(1), m.group(3)
                    if keyword == "machine":
                        machine = _resolve_host(value, values, escape)
                        hosts.setdefault(machine, ins.line)
                        continue
                    refs = var_refs(value, escape)
                    role = Role.PASSWORD if keyword == "password" else Role.LOGIN
                    if keyword == "login" and not refs and machine:
                        literal_logins.setdefault(machine, value)
                    for ref in refs:
                        use(ref, role, UseKind.NETRC, f"{keyword} of machine {machine} in {netrc_file}",
                            machine, netrc_file, removed)
                    if not refs and keyword == "password" and value != MASK and not _is_printf_spec(value):
                        findings.append(LeakFinding(
                            "hardcoded-credential", Severity.CRITICAL,
                            f"literal password ({MASK}) for machine {machine} written to {netrc_file}",
                            ins.line, ins.end_line, stage.label))
                file_writes.append((stage, ins, netrc_file, removed, []))
            # credentials embedded in URLs
            for m in _URL_USERINFO.finditer(text):
                host = _resolve_host(m.group("host"), values, escape)
                segment = next((s for s in _segments(text) if m.group(0) in s), text)
                kind, file = UseKind.URL, None
                if re.search(r"\bgit\s+config\b", segment):
                    kind, file = UseKind.GITCONFIG, f"{home}/.gitconfig"
                elif re.search(r"\bgit\s+clone\b", segment):
                    file = "the cloned repository's .git/config"
                hosts.setdefault(host, ins.line)
                if not var_refs(m.group("user"), escape):
                    literal_logins.setdefault(host, m.group("user"))
                for ref in var_refs(m.group("user"), escape):
                    use(ref, Role.LOGIN, kind, f"user name in a URL for {host}", host, file)
                password = m.group("password")
                if password is not None:
                    refs = var_refs(password, escape)
                    for ref in refs:
                        use(ref, Role.PASSWORD, kind, f"password in a URL for {host}", host, file)
                    if not refs:
                        findings.append(LeakFinding(
                            "hardcoded-credential", Severity.CRITICAL,
                            f"literal password ({MASK}) in a URL for {host}", ins.line, ins.end_line, stage.label))
                if file and file.startswith("/"):
                    file_writes.append((stage, ins, file, _removes(text, ".gitconfig"), []))
            # any other reference to a known credential
            for ref in var_refs(text, escape):
                if ref in used_names:
                    continue
                var = scope.get(ref) or global_args.get(ref)
                if var is not None and (var.name, var.line) in creds:
                    use(ref, None, UseKind.COMMAND, "referenced by the command")

    # exposures and findings per credential
    for cred in sorted(creds.values(), key=lambda c: (c.line, c.name)):
        _expose(dockerfile, cred, per_stage, final, final_chain, findings)
    for stage, ins, file, removed, _ in file_writes:
        if removed:
            continue
        carried = stage.index in final_chain or _copied_into(dockerfile, stage, file, final_chain)
        findings.append(LeakFinding(
            "credential-file-in-layer", Severity.CRITICAL if carried else Severity.WARNING,
            f"{file} with credentials is written by this {ins.keyword} and stays in the layer of stage "
            f"{stage.label}" + ("; the final stage carries it" if carried else
                                 "; the final stage does not carry it, but the stage's image and build cache do"),
            ins.line, ins.end_line, stage.label))

    go_checks = _go_checks(dockerfile, per_stage, hosts, findings)
    rewrites = _rewrites(dockerfile, creds, per_stage, findings, literal_logins)
    findings.sort(key=lambda f: (f.line, f.rule, f.message))
    return LintReport(
        path, final.label, [s.label for s in dockerfile.stages],
        sorted(creds.values(), key=lambda c: (c.line, c.name)), findings, rewrites, go_checks,
    )


def _destinations(ins: Instruction) -> list[str]:
    if ins.json_args is not None:
        return ins.json_args[-1:]
    words = ins.args.split()
    return words[-1:]


def _netrc_path(ins: Instruction, home: str) -> str | None:
    """The .netrc file an instruction writes, with ~ and $HOME resolved."""
    if ins.keyword in ("COPY", "ADD"):
        dest = _destinations(ins)
        if not dest or "netrc" not in dest[0] or not ins.heredocs:
            return None
        raw = dest[0]
    else:
        text = ins.text
        if "netrc" not in text or not re.search(r"\b(machine|password)\b", text):
            return None
        write = re.search(r"(?:>>?|\btee(?:\s+-a)?)\s*(['\"]?)(?P<path>[^\s'\";&|]*[._]netrc)\1", text)
        m = write or _NETRC_FILE.search(text)
        if m is None:
            return None
        raw = m.group("path")
    for prefix in ("~", "${HOME}", "$HOME"):
        if raw.startswith(prefix):
            return home + raw[len(prefix):]
    return raw if raw.startswith("/") else f"{home}/{raw.lstrip('./')}"


def _is_printf_spec(value: str) -> bool:
    """A printf conversion such as %s standing where a netrc value goes (the value is an argument)."""
    spec = _PRINTF_SPEC.match(value)
    return spec is not None and spec.group(0) != "%%"


def _printf_expanded(text: str) -> str:
    """The text with each `printf FORMAT ARG...` command replaced by its format, the conversions
    (%s, %b, ...) filled with the arguments as written, so that
    `printf 'machine h login %s password %s' "$USR" "$PWD"` reads as the netrc line it writes."""
    segments = _segments(text)
    if not any(seg.startswith("printf") for seg in segments):
        return text
    out = []
    for segment in segments:
        words = None
        if segment.startswith("printf"):
            lexer = shlex.shlex(segment, posix=True, punctuation_chars=True)
            lexer.whitespace_split = True
            try:
                words = list(lexer)
            except ValueError:
                words = None
        if not words or words[0] != "printf":
            out.append(segment)
            continue
        words = words[1:]
        while words and words[0].startswith("-") and words[0] != "--":
            words = words[2:] if words[0] == "-v" else words[1:]
        if words and words[0] == "--":
            words = words[1:]
        args = []
        for word in words:
            if word and word[0] in "<>|&;":
                break
            args.append(word)
        if not args:
            out.append(segment)
            continue
        values = iter(args[1:])

        def fill(m: re.Match[str]) -> str:
            return "%" if m.group(0) == "%%" else next(values, "")

        out.append(_PRINTF_SPEC.sub(fill, args[0]))
    return "\n".join(out)


def _removes(text: str, needle: str) -> bool:
    return any(seg.startswith("rm ") and needle in seg for seg in _segments(text))


def _copied_into(dockerfile: Dockerfile, source: Stage, file: str, final_chain: set[int]) -> bool:
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


def _expose(dockerfile: Dockerfile, cred: Credential, per_stage, final: Stage, final_chain: set[int],
            findings: list[LeakFinding]) -> None:
    """Where the credential's value ends up, and the finding that says so."""
    if cred.default == MASK and cred.role is not Role.LOGIN:
        findings.append(LeakFinding(
            "hardcoded-credential", Severity.CRITICAL,
            f"{cred.kind} {cred.name} has a literal default value ({MASK}) in the Dockerfile",
            cred.line, cred.line, cred.stage))
    for use in cred.uses:
        if not use.in_scope:
            findings.append(LeakFinding(
                "arg-out-of-scope", Severity.WARNING,
                f"{cred.name} is used here but not declared in stage {use.stage}; an ARG before FROM must be "
                f"repeated as `ARG {cred.name}` inside the stage, so it expands to an empty string",
                use.line, use.line, use.stage, [cred.line]))
    if cred.stage == "global":
        redeclared = any(ins.keyword == "ARG" and cred.name in {n for n, _ in key_values(ins, dockerfile.escape, "")}
                         for stage in dockerfile.stages for ins in stage.instructions)
        if not cred.uses and not redeclared:
            findings.append(LeakFinding(
                "unused-credential", Severity.INFO,
                f"ARG {cred.name} is declared before FROM and never used in a stage", cred.line, cred.line, "global"))
        return
    stage = next(s for s in dockerfile.stages if s.label == cred.stage)
    carried = stage.index in final_chain
    if cred.kind == "ARG":
        runs = [ins.line for ins, _ in per_stage[stage.index] if ins.keyword == "RUN" and ins.line > cred.line]
        if not runs and not cred.uses:
            findings.append(LeakFinding(
                "unused-credential", Severity.INFO,
                f"ARG {cred.name} is declared in stage {cred.stage} and never used", cred.line, cred.line, cred.stage))
            return
        if runs:
            cred.exposures.append(
                f"image history of stage {cred.stage}: the RUN{'s' if len(runs) > 1 else ''} at "
                f"line{'s' if len(runs) > 1 else ''} {', '.join(map(str, runs))} "
                f"record{'' if len(runs) > 1 else 's'} build-arg values (`RUN |N {cred.name}=…`)")
        cred.exposures.append("build provenance attestations in mode=max record build-arg values")
        cred.final_stage_carries = carried and bool(runs)
        used = [u.line for u in cred.uses]
        where = f"used at line{'s' if len(used) > 1 else ''} {', '.join(map(str, used))}" if used else "not used"
        login = cred.role is Role.LOGIN  # a user name is worth less than a password
        if cred.final_stage_carries:
            message = (f"build arg {cred.name} ({cred.role.value}, {where}) is recorded in the history of the "
                       f"final image (stage {final.label}); anyone who can pull it can read it")
            severity = Severity.WARNING if login else Severity.CRITICAL
        else:
            message = (f"build arg {cred.name} ({cred.role.value}, {where}) is recorded in the history of stage "
                       f"{cred.stage} (build cache, intermediate image) and in mode=max provenance; "
                       f"the final stage {final.label} does not carry it")
            severity = Severity.INFO if login else Severity.WARNING
        findings.append(LeakFinding("credential-build-arg", severity, message, cred.line, cred.line, cred.stage,
                                    sorted(set(used))))
    else:
        heirs = [s.label for s in dockerfile.stages if stage.index in {x.index for x in lineage(dockerfile, s)}]
        cred.exposures.append(
            f"image config (ENV) of stage{'s' if len(heirs) > 1 else ''} {', '.join(heirs)}: "
            "`docker inspect` and every container's environment show it")
        cred.final_stage_carries = carried
        severity = Severity.CRITICAL if carried else Severity.WARNING
        tail = ("the final image carries it" if carried else
                f"the final stage {final.label} does not carry it, but stage {cred.stage}'s image does")
        findings.append(LeakFinding("credential-env", severity,
                                    f"ENV {cred.name} ({cred.role.value}) persists in the image config; {tail}",
                                    cred.line, cred.line, cred.stage, sorted({u.line for u in cred.uses})))
    for use in cred.uses:
        if use.file and not use.removed_in_same_run:
            cred.exposures.append(f"file {use.file} in the layer of the instruction at line {use.line}")
        elif use.file:
            cred.exposures.append(f"file {use.file} (removed in the same RUN at line {use.line}: not in the layer)")


def _go_env_at(chain: list[Stage], per_stage, ins: Instruction, escape: str) -> tuple[dict[str, RawValue], list[str]]:
    """Raw Go settings a RUN sees: ENV/ARG in scope, `go env -w` of earlier RUNs, inline assignments."""
    raw: dict[str, RawValue] = {}
    unknown: list[str] = []
    scope = dict(next(s for i, s in per_stage[chain[0].index] if i is ins))
    values = _values(scope, escape)
    for name in SETTINGS:
        var = scope.get(name)
        if var is None:
            continue
        if values.get(name) is None:
            unknown.append(name)
        else:
            raw[name] = RawValue(values[name], f"{var.kind} at line {var.line}", var.line)
    for stage in reversed(chain):
        for earlier, _ in per_stage[stage.index]:
            if earlier.keyword != "RUN" or (stage is chain[0] and earlier.line >= ins.line):
                continue
            for m in re.finditer(r"\bgo\s+env\s+-w\s+((?:[A-Z]+=\S+\s*)+)", earlier.text):
                for pair in m.group(1).split():
                    name, _, value = pair.partition("=")
                    if name in SETTINGS:
                        raw[name] = RawValue(value.strip("'\""), f"go env -w at line {earlier.line}", earlier.line)
    for seg in _segments(ins.text):
        for m in re.finditer(r"(?:^|\s|export\s+)(GO[A-Z]+)=(\S+)", seg):
            if m.group(1) in SETTINGS and (_GO_COMMAND.search(seg) or seg.startswith("export")):
                raw[m.group(1)] = RawValue(m.group(2).strip("'\""), f"RUN at line {ins.line}", ins.line)
    return raw, unknown


def _go_checks(dockerfile: Dockerfile, per_stage, hosts: dict[str, int], findings: list[LeakFinding]) -> list[GoCheck]:
    """For each stage's first go command: is every private host the build authenticates to private for Go?"""
    checks: list[GoCheck] = []
    if not hosts:
        return checks
    for stage in dockerfile.stages:
        go_run = next((ins for ins, _ in per_stage[stage.index]
                       if ins.keyword == "RUN" and _GO_COMMAND.search(" " + ins.text)), None)
        if go_run is None:
            continue
        chain = lineage(dockerfile, stage)
        raw, unknown = _go_env_at(chain, per_stage, go_run, dockerfile.escape)
        env = resolve(raw)
        for host in sorted(hosts):
            if "$" in host:
                continue
            module = f"{host}/"
            try:
                r = route(module.rstrip("/"), env)
            except GoproxyError as error:
                findings.append(LeakFinding("goproxy-invalid", Severity.WARNING,
                                            f"GOPROXY={env.goproxy!r} is rejected by the go command: {error}",
                                            go_run.line, go_run.end_line, stage.label))
                continue
            check = GoCheck(stage.label, go_run.line, host, env.goprivate, env.gonoproxy, env.gonosumdb,
                            env.goproxy, env.gosumdb, r.goprivate_match, [a.source for a in r.attempts],
                            r.checksum_db, sorted(set(unknown)))
            checks.append(check)
            related = sorted({hosts[host]} | {v.line for v in raw.values() if v.line})
            if unknown:
                findings.append(LeakFinding(
                    "go-env-unknown", Severity.INFO,
                    f"{', '.join(sorted(set(unknown)))} depend{'s' if len(set(unknown)) == 1 else ''} on build "
                    f"args without a default; checked {host} with the other settings", go_run.line, go_run.end_line,
                    stage.label, related))
            proxies = [a.source for a in r.attempts if a.kind is EntryKind.PROXY]
            if r.gonoproxy_match is None and proxies:
                covered = "is not covered by GOPRIVATE" if r.goprivate_match is None else \
                    "matches GOPRIVATE but not GONOPROXY"
                findings.append(LeakFinding(
                    "private-host-via-proxy", Severity.WARNING,
                    f"{host} (credentials at line {hosts[host]}) {covered}: the go command at this line asks "
                    f"{', '.join(proxies)} for its modules first", go_run.line, go_run.end_line, stage.label, related))
            if r.checksum_db is not None:
                covered = "is not covered by GOPRIVATE" if r.goprivate_match is None else \
                    "matches GOPRIVATE but not GONOSUMDB"
                findings.append(LeakFinding(
                    "private-host-checksum-db", Severity.WARNING,
                    f"{host} {covered}: the go command looks its modules up in {r.checksum_db}, which fails "
                    f"with 404/410 ('verifying module') and discloses the module paths",
                    go_run.line, go_run.end_line, stage.label, related))
            if r.attempts and r.attempts[0].kind is EntryKind.OFF:
                findings.append(LeakFinding(
                    "private-host-lookup-disabled", Severity.WARNING,
                    f"{host}: module lookup disabled by GOPROXY=off and GONOPROXY does not match it",
                    go_run.line, go_run.end_line, stage.label, related))
    return checks


def _rewrites(dockerfile: Dockerfile, creds: dict[tuple[str, int], Credential], per_stage,
              findings: list[LeakFinding], literal_logins: dict[str, str]) -> list[Rewrite]:
    """Per stage: drop the credential ARGs and the netrc/gitconfig writes, mount the netrc as a secret."""
    rewrites: list[Rewrite] = []
    by_stage: dict[str, list[Use]] = {}
    for cred in creds.values():
        for use in cred.uses:
            if use.kind in (UseKind.NETRC, UseKind.GITCONFIG, UseKind.URL):
                by_stage.setdefault(use.stage, []).append(use)
    for stage in dockerfile.stages:
        uses = by_stage.get(stage.label)
        if not uses:
            continue
        instructions = [ins for ins, _ in per_stage[stage.index]]
        write_lines = sorted({u.line for u in uses})
        hosts = sorted({u.host for u in uses if u.host})
        chain = lineage(dockerfile, stage)
        home = _home(chain, write_lines[0])
        target = f"{home}/.netrc"
        mount = f"--mount=type=secret,id=netrc,target={target}"
        names = {c.name for c in creds.values() if c.stage == stage.label and c.kind == "ARG"
                 and c.uses and all(u.kind in (UseKind.NETRC, UseKind.GITCONFIG, UseKind.URL) for u in c.uses)}
        remove = sorted({c.line for c in creds.values() if c.name in names and c.stage == stage.label})
        replacements = []
        for ins in instructions:
            if ins.keyword != "RUN" or ins.line < write_lines[0]:
                continue
            is_write = ins.line in write_lines or _netrc_path(ins, home) is not None
            kept = [seg for seg in _segments(ins.args) if not (is_write and _credential_segment(seg))]
            kept = [seg for seg in kept if not (seg.startswith(("chmod", "rm ")) and "netrc" in seg)]
            command = " && ".join(kept) if is_write else ins.args
            fetches = _fetches(command) or any(_fetches(h.body) for h in ins.heredocs)
            if not is_write and not fetches:
                continue
            if is_write and not kept:
                replacements.append({"line": ins.line, "end_line": ins.end_line,
                                     "before": mask_text(ins.source), "after": None})
                continue
            flags = [f for f in ins.flags if f != mount]
            if fetches:
                flags.append(mount)
            after = "RUN " + " ".join([*flags, command])
            if ins.heredocs:
                after += "\n" + "\n".join(f"{h.body}\n{h.name}" for h in ins.heredocs)
            after = mask_text(after)
            replacements.append({"line": ins.line, "end_line": ins.end_line,
                                 "before": mask_text(ins.source), "after": after})
        # the variables the netrc, URLs or git config of this stage take their values from
        feeding = [c for c in sorted(creds.values(), key=lambda c: (c.line, c.name))
                   if any(u.stage == stage.label and u.kind in (UseKind.NETRC, UseKind.GITCONFIG, UseKind.URL)
                          for u in c.uses)]
        logins = [c.name for c in feeding if c.role is Role.LOGIN]
        passwords = ([c.name for c in feeding if c.role is Role.PASSWORD]
                     or [c.name for c in feeding if c.role is not Role.LOGIN])
        formats, args = [], []
        for h in hosts or ["<host>"]:
            literal = literal_logins.get(h)
            if logins:
                login, login_args = "%s", [f'"${logins[0]}"']
            elif literal is not None and re.fullmatch(r"[\w.@+-]+", literal):
                login, login_args = literal, []
            else:
                login, login_args = "%s", [shlex.quote(literal) if literal is not None else '"$LOGIN"']
            formats.append(f"machine {h} login {login} password %s")
            args += login_args + [f'"${passwords[0]}"' if passwords else '"$PASSWORD"']
        build = [
            "# in the CI job, outside the build context (the values come from the CI's secret variables):",
            f"umask 077; printf '{' '.join(formats)}\\n' {' '.join(args)} > \"$HOME/.netrc\"",
            "docker build --secret id=netrc,src=\"$HOME/.netrc\" .",
        ]
        by_line = {ins.line: ins for ins in dockerfile.instructions}
        removed = [{"line": line, "text": _masked_declaration(by_line[line], dockerfile.escape)} for line in remove]
        rewrites.append(Rewrite(stage.label, "netrc", target, removed, replacements,
                                "syntax" not in dockerfile.directives, build))
        first = next(ins for ins in instructions if ins.line == write_lines[0])
        findings.append(LeakFinding(
            "use-secret-mount", Severity.INFO,
            f"mount the credentials as a BuildKit secret instead: RUN {mount} ... and "
            f"docker build --secret id=netrc,src=...; drop "
            + (", ".join(f"ARG {n}" for n in sorted(names)) or "the credential ARGs"),
            first.line, first.end_line, stage.label, remove))
    return rewrites


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
    return "netrc" in segment or bool(_URL_USERINFO.search(segment) and re.search(r"\bgit\s+config\b", segment))
