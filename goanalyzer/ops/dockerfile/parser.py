"""A Dockerfile parser for the credential lint: parser directives (escape), line
continuations, comments, heredocs, JSON (exec) and shell forms, flags, multi-stage
FROM ... AS with stage references, and ARG/ENV with their scopes.

Follows the Dockerfile reference (BuildKit frontend): directives only at the very top;
a continuation is the escape character at the end of a line (trailing blanks allowed);
comment and empty lines inside a continued instruction are dropped; heredocs (<<EOF, <<-EOF,
<<"EOF") for RUN, COPY and ADD take the following lines up to the terminator.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Iterator

from goanalyzer.ops.common import OpsInputError
from goanalyzer.ops.inputs import read_input

INSTRUCTIONS = {
    "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL",
    "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
}
HEREDOC_INSTRUCTIONS = {"RUN", "COPY", "ADD"}
JSON_FORM_INSTRUCTIONS = {"RUN", "CMD", "ENTRYPOINT", "SHELL", "COPY", "ADD", "VOLUME"}
FLAG_INSTRUCTIONS = {"FROM", "RUN", "COPY", "ADD", "HEALTHCHECK"}

_DIRECTIVE = re.compile(r"^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.*?)\s*$")
_KNOWN_DIRECTIVES = {"syntax", "escape", "check"}
_HEREDOC = re.compile(r"(?<![<\w])<<(-?)(['\"]?)([A-Za-z0-9_][A-Za-z0-9_.-]*)\2(?![<\w'\"])")
_VAR = r"[A-Za-z_][A-Za-z0-9_]*"


@dataclass(slots=True)
class Heredoc:
    name: str
    strip_tabs: bool
    quoted: bool  # a quoted delimiter turns off variable expansion
    body: str
    line: int  # the terminator's line
    body_line: int  # first line of the body


@dataclass(slots=True)
class Instruction:
    keyword: str
    args: str  # after the keyword and the flags, continuations joined
    flags: list[str]
    json_args: list[str] | None  # exec (JSON) form
    heredocs: list[Heredoc]
    line: int
    end_line: int
    stage: int  # -1 before the first FROM
    source: str = ""  # the physical lines, as written

    @property
    def text(self) -> str:
        """Everything a shell would see: the command and the heredoc bodies."""
        command = " ".join(self.json_args) if self.json_args is not None else self.args
        return "\n".join([command] + [h.body for h in self.heredocs])

    def flag(self, name: str) -> list[str]:
        """Values of --name=value flags."""
        prefix = f"--{name}="
        return [f[len(prefix):] for f in self.flags if f.startswith(prefix)]


@dataclass(slots=True)
class Stage:
    index: int
    name: str | None
    base: str
    base_stage: int | None  # index of the earlier stage this one is built FROM
    line: int
    instructions: list[Instruction] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.name if self.name else f"#{self.index}"


@dataclass(slots=True)
class Dockerfile:
    path: str
    directives: dict[str, str]
    escape: str
    global_args: list[Instruction]
    stages: list[Stage]

    @property
    def instructions(self) -> list[Instruction]:
        result = list(self.global_args)
        for stage in self.stages:
            result.extend(stage.instructions)
        return sorted(result, key=lambda i: i.line)

    def stage_named(self, name: str) -> Stage | None:
        lowered = name.lower()
        for stage in self.stages:
            if stage.name == lowered:
                return stage
        if lowered.isdigit() and int(lowered) < len(self.stages):
            return self.stages[int(lowered)]
        return None


def split_words(text: str, escape: str = "\\") -> list[str]:
    """Whitespace-separated words with quotes removed and escapes applied (ARG, ENV, FROM)."""
    words: list[str] = []
    current: list[str] = []
    in_word = False
    quote: str | None = None
    i = 0
    while i < len(text):
        c = text[i]
        if quote:
            if c == quote:
                quote = None
            elif c == escape and quote == '"' and i + 1 < len(text):
                i += 1
                current.append(text[i])
            else:
                current.append(c)
        elif c in " \t\n":
            if in_word:
                words.append("".join(current))
                current, in_word = [], False
        elif c in "'\"":
            quote, in_word = c, True
        elif c == escape and i + 1 < len(text):
            i += 1
            current.append(text[i])
            in_word = True
        else:
            current.append(c)
            in_word = True
        i += 1
    if quote:
        raise ValueError(f"unterminated {quote} quote")
    if in_word:
        words.append("".join(current))
    return words


def _raw_words(text: str) -> Iterator[tuple[int, int]]:
    """Spans of whitespace-separated words, quotes kept, lazily (for peeling flags off the front)."""
    i = 0
    while i < len(text):
        if text[i] in " \t":
            i += 1
            continue
        start, quote = i, None
        while i < len(text) and (quote or text[i] not in " \t"):
            if quote and text[i] == quote:
                quote = None
            elif not quote and text[i] in "'\"":
                quote = text[i]
            i += 1
        yield start, i


def var_refs(text: str, escape: str = "\\") -> list[str]:
    """Names referenced as $NAME or ${NAME...}, in order, escaped dollars skipped."""
    pattern = re.compile(r"(?<!" + re.escape(escape) + r")\$(?:\{(" + _VAR + r")[^}]*\}|(" + _VAR + r"))")
    return [m.group(1) or m.group(2) for m in pattern.finditer(text)]


def expand(text: str, values: dict[str, str | None], escape: str = "\\") -> tuple[str, list[str]]:
    """Dockerfile variable substitution; returns the result and the names whose value is unknown."""
    unknown: list[str] = []
    pattern = re.compile(
        r"(?<!" + re.escape(escape) + r")\$(?:\{(" + _VAR + r")(?:(:?[-+])([^}]*))?\}|(" + _VAR + r"))"
    )

    def replace(m: re.Match[str]) -> str:
        name = m.group(1) or m.group(4)
        op, word = m.group(2), m.group(3) or ""
        value = values.get(name)
        if op in (":-", "-"):
            return value if value else word
        if op in (":+", "+"):
            return word if value else ""
        if value is None:
            unknown.append(name)
            return ""
        return value

    return pattern.sub(replace, text), unknown


def _parse_directives(lines: list[str], path: str) -> tuple[dict[str, str], int]:
    directives: dict[str, str] = {}
    index = 0
    while index < len(lines):
        match = _DIRECTIVE.match(lines[index])
        if not match or match.group(1).lower() not in _KNOWN_DIRECTIVES:
            break
        key = match.group(1).lower()
        if key in directives:
            raise OpsInputError(f"only one {key} parser directive can be used", path=path, line=index + 1)
        directives[key] = match.group(2)
        index += 1
    escape = directives.get("escape", "\\")
    if escape not in ("\\", "`"):
        line = list(directives).index("escape") + 1
        raise OpsInputError(f"invalid escape token {escape!r}: must be \\ or `", path=path, line=line)
    return directives, index


def parse_dockerfile(text: str, path: str) -> Dockerfile:
    """Parse Dockerfile text; OpsInputError names the line of the first problem."""
    lines = text.splitlines()
    directives, index = _parse_directives(lines, path)
    escape = directives.get("escape", "\\")
    continuation = re.compile(re.escape(escape) + r"[ \t]*$")
    dockerfile = Dockerfile(path, directives, escape, [], [])
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            index += 1
            continue
        start = index + 1
        parts: list[str] = []
        while True:
            current = lines[index]
            index += 1
            match = continuation.search(current)
            if not match:
                parts.append(current)
                break
            parts.append(current[: match.start()])
            while index < len(lines) and (not lines[index].strip() or lines[index].lstrip().startswith("#")):
                index += 1
            if index >= len(lines):
                break
        logical = "".join(parts).strip()
        end = index
        keyword, _, rest = logical.partition(" ")
        if "\t" in keyword:
            keyword, _, tail = keyword.partition("\t")
            rest = tail + " " + rest
        keyword_upper = keyword.upper()
        if keyword_upper not in INSTRUCTIONS:
            raise OpsInputError(f"unknown instruction: {keyword}", path=path, line=start)
        heredocs: list[Heredoc] = []
        if keyword_upper in HEREDOC_INSTRUCTIONS:
            for match in _HEREDOC.finditer(rest):
                strip_tabs, quoted, name = match.group(1) == "-", bool(match.group(2)), match.group(3)
                body: list[str] = []
                body_line = index + 1
                while True:
                    if index >= len(lines):
                        raise OpsInputError(f"unterminated heredoc {name}", path=path, line=start)
                    content = lines[index]
                    index += 1
                    if strip_tabs:
                        content = content.lstrip("\t")
                    if content == name:
                        break
                    body.append(content)
                heredocs.append(Heredoc(name, strip_tabs, quoted, "\n".join(body), index, body_line))
            end = index
        instruction = _instruction(keyword_upper, rest.strip(), heredocs, start, end, path, escape)
        instruction.source = "\n".join(lines[start - 1 : end])
        _place(dockerfile, instruction, path, escape)
    if not dockerfile.stages:
        if dockerfile.global_args:
            raise OpsInputError("no FROM instruction: a Dockerfile needs at least one stage", path=path,
                                line=dockerfile.global_args[-1].line)
        raise OpsInputError("file with no instructions", path=path)
    return dockerfile


def _instruction(keyword: str, rest: str, heredocs: list[Heredoc], start: int, end: int, path: str,
                 escape: str) -> Instruction:
    flags: list[str] = []
    if keyword in FLAG_INSTRUCTIONS:
        cut = 0
        for begin, finish in _raw_words(rest):
            word = rest[begin:finish]
            if not word.startswith("--"):
                break
            try:
                flags.extend(split_words(word, escape))
            except ValueError as error:
                raise OpsInputError(f"{keyword} flag {word}: {error}", path=path, line=start) from None
            cut = finish
        rest = rest[cut:].strip()
    json_args = None
    if keyword in JSON_FORM_INSTRUCTIONS and rest.startswith("["):
        try:
            parsed = json.loads(rest)
        except json.JSONDecodeError:
            parsed = None
        if isinstance(parsed, list) and all(isinstance(item, str) for item in parsed):
            json_args = parsed
    if keyword == "SHELL" and json_args is None:
        raise OpsInputError("SHELL requires the arguments to be in JSON form", path=path, line=start)
    if keyword in ("FROM", "ARG", "ENV", "RUN", "USER", "WORKDIR", "COPY", "ADD") and not rest and not heredocs:
        raise OpsInputError(f"{keyword} requires at least one argument", path=path, line=start)
    return Instruction(keyword, rest, flags, json_args, heredocs, start, end, -1)


def _place(dockerfile: Dockerfile, instruction: Instruction, path: str, escape: str) -> None:
    if instruction.keyword == "FROM":
        try:
            words = split_words(instruction.args, escape)
        except ValueError as error:
            raise OpsInputError(f"FROM: {error}", path=path, line=instruction.line) from None
        name = None
        if len(words) == 3 and words[1].lower() == "as":
            name = words[2].lower()
            if not re.fullmatch(r"[a-z][a-z0-9_.-]*", name):
                raise OpsInputError(f"invalid name for build stage: {words[2]!r}", path=path, line=instruction.line)
            if dockerfile.stage_named(name) is not None:
                raise OpsInputError(f"duplicate stage name {name!r}", path=path, line=instruction.line)
        elif len(words) != 1:
            raise OpsInputError("FROM requires either one argument, or three: FROM <source> [AS <name>]",
                                path=path, line=instruction.line)
        base = words[0]
        earlier = dockerfile.stage_named(base) if not base.isdigit() else None
        stage = Stage(len(dockerfile.stages), name, base, earlier.index if earlier else None, instruction.line)
        instruction.stage = stage.index
        stage.instructions.append(instruction)
        dockerfile.stages.append(stage)
        return
    if not dockerfile.stages:
        if instruction.keyword != "ARG":
            raise OpsInputError(f"{instruction.keyword} before the first FROM: only ARG may precede FROM",
                                path=path, line=instruction.line)
        dockerfile.global_args.append(instruction)
        return
    instruction.stage = len(dockerfile.stages) - 1
    dockerfile.stages[-1].instructions.append(instruction)


def key_values(instruction: Instruction, escape: str, path: str) -> list[tuple[str, str | None]]:
    """NAME[=value] pairs of ARG, and NAME=value pairs (or the legacy `ENV NAME value`) of ENV."""
    try:
        words = split_words(instruction.args, escape)
    except ValueError as error:
        raise OpsInputError(f"{instruction.keyword}: {error}", path=path, line=instruction.line) from None
    if instruction.keyword == "ENV" and words and "=" not in words[0]:
        if len(words) < 2:
            raise OpsInputError(f"ENV {words[0]} needs a value", path=path, line=instruction.line)
        # legacy form: the rest of the line, unsplit, is the value
        value = instruction.args.split(None, 1)[1].strip()
        return [(words[0], value)]
    pairs: list[tuple[str, str | None]] = []
    for word in words:
        name, sep, value = word.partition("=")
        if not re.fullmatch(_VAR, name):
            raise OpsInputError(f"{instruction.keyword}: invalid name {name!r}", path=path, line=instruction.line)
        if instruction.keyword == "ENV" and not sep:
            raise OpsInputError(f"ENV {name} needs a value (NAME=value)", path=path, line=instruction.line)
        pairs.append((name, value if sep else None))
    return pairs


def load_dockerfile(path: str) -> tuple[Dockerfile, str | None]:
    """Read and parse a Dockerfile (`-`: standard input); bytes that are not UTF-8 (a GBK or Latin-1
    comment, which Docker accepts) are kept, with the warning that says where."""
    source = read_input(path)
    return parse_dockerfile(source.text, source.path), source.warning
