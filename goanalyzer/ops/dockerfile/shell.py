"""Reading the shell commands of RUN instructions: the commands of a line, what they write where
(a .netrc by echo, printf, tee or a heredoc), what they remove, and what they print to the build log.
"""

from __future__ import annotations

import re
from functools import lru_cache

from goanalyzer.ops.dockerfile.parser import Instruction

_NETRC_FILE = re.compile(r"(?P<path>(?:~|\$\{?HOME\}?|/[\w./-]*?)?/?[._]netrc)\b")
_NETRC_WRITE = re.compile(r"(?:>>?|\btee(?:\s+-a)?)\s*(['\"]?)(?P<path>[^\s'\";&|]*[._]netrc)\1")
_GO_COMMAND = re.compile(r"(?:^|[\s;&|(])go\s+(?:mod|build|get|install|list|run|test|vet|generate|work)\b")
_ASSIGNMENTS = re.compile(r"^(?:export\s+)?(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*")
_PRINTF_SPEC = re.compile(r"%(?:%|[-+ #0]*[0-9]*(?:\.[0-9]+)?[diouxXfeEgGcsbq])")
_SEGMENT_TOKEN = re.compile(r"'[^']*'?|\"[^\"]*\"?|&&|\|\||[;\n]|[^'\"&|;\n]+|[&|]")
_QUOTED = re.compile(r"'[^']*'|\"[^\"\\]*(?:\\.[^\"\\]*)*\"")
_WORD_PART = re.compile(
    r"'([^']*)'?|\"([^\"\\]*(?:\\.[^\"\\]*)*)\"?|\\(.)|([^\s'\"\\<>|&;]+)|([<>|&;]+)|(\s+)", re.DOTALL)
_DOUBLE_ESCAPE = re.compile(r"\\([\"\\$`])")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\"}
_GIT_CONFIG_REMOVAL = re.compile(r"\bgit\s+config\b.*\s--(?:remove-section|unset|unset-all)\b")


def segments(command: str) -> list[str]:
    """Top-level shell commands separated by &&, ||, ; or newlines (quotes respected)."""
    return list(_segments(command))


@lru_cache(maxsize=32)
def _segments(command: str) -> tuple[str, ...]:
    parts: list[str] = []
    current: list[str] = []
    for token in _SEGMENT_TOKEN.findall(command):
        if token in ("&&", "||", ";", "\n"):
            parts.append("".join(current))
            current = []
        else:
            current.append(token)
    parts.append("".join(current))
    return tuple(p.strip() for p in parts if p.strip())


def command_words(segment: str) -> list[str]:
    """The words of one command, leading VAR=value assignments and `export` dropped."""
    return _ASSIGNMENTS.sub("", segment).split()


def fetches(command: str) -> bool:
    """Whether a shell command runs the go command or git (which read ~/.netrc)."""
    for segment in segments(command):
        words = command_words(segment)
        if words and words[0] in ("go", "git"):
            return True
    return False


def runs_go(text: str) -> bool:
    """Whether the text runs a go command that fetches modules (mod, build, get, ...)."""
    return _GO_COMMAND.search(" " + text) is not None


def is_removal(segment: str) -> bool:
    """A command that deletes a file (rm, unlink, shred) or a git config entry (--unset, --remove-section)."""
    words = command_words(segment)
    return bool(words) and (words[0] in ("rm", "unlink", "shred") or _GIT_CONFIG_REMOVAL.search(segment) is not None)


def removes(text: str, needle: str) -> bool:
    """Whether a command of the text removes something whose name holds `needle` (e.g. "netrc")."""
    return any(is_removal(seg) and needle in seg for seg in segments(text))


def destinations(ins: Instruction) -> list[str]:
    """The destination of a COPY or ADD (its last argument)."""
    if ins.json_args is not None:
        return ins.json_args[-1:]
    return ins.args.split()[-1:]


def netrc_path(ins: Instruction, home: str) -> str | None:
    """The .netrc file an instruction writes, with ~ and $HOME resolved; None when it writes none
    (a command that only removes or reads a .netrc writes none)."""
    if ins.keyword in ("COPY", "ADD"):
        dest = destinations(ins)
        if not dest or "netrc" not in dest[0] or not ins.heredocs:
            return None
        raw = dest[0]
    else:
        text = "\n".join(seg for seg in segments(ins.text) if not is_removal(seg))
        if "netrc" not in text or not re.search(r"\b(machine|password)\b", text):
            return None
        m = _NETRC_WRITE.search(text) or _NETRC_FILE.search(text)
        if m is None:
            return None
        raw = m.group("path")
    for prefix in ("~", "${HOME}", "$HOME"):
        if raw.startswith(prefix):
            return home + raw[len(prefix):]
    return raw if raw.startswith("/") else f"{home}/{raw.lstrip('./')}"


def _unescape(text: str) -> str:
    """printf's (and dash's echo's) backslash escapes: \\n is a line break."""
    return re.sub(r"\\([ntr\\])", lambda m: _ESCAPES[m.group(1)], text)


def shell_words(segment: str) -> list[str]:
    """The words a POSIX shell passes for one command, quotes removed (`"a\\nb"` keeps its
    backslash, as the shell does); redirections and pipes (`>`, `|`) are words of their own."""
    words: list[str] = []
    current: list[str] | None = None
    for m in _WORD_PART.finditer(segment):
        single, double, escaped, plain, operator, _ = m.groups()
        if m.lastindex == 6:  # white space ends a word
            if current is not None:
                words.append("".join(current))
            current = None
            continue
        if operator is not None:
            if current is not None:
                words.append("".join(current))
            words.append(operator)
            current = None
            continue
        part = (single if single is not None else _DOUBLE_ESCAPE.sub(r"\1", double) if double is not None
                else escaped if escaped is not None else plain)
        if current is None:
            current = []
        current.append(part)
    if current is not None:
        words.append("".join(current))
    return words


def _printf_words(segment: str) -> list[str] | None:
    """The format and arguments of a `printf` command, as the shell passes them; None if it is not one."""
    words = shell_words(segment)
    if not words or words[0] != "printf":
        return None
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
    return args or None


def _printf_output(args: list[str]) -> str:
    """What `printf FORMAT ARG...` writes, the arguments as written (`"$PWD"` stays `$PWD`)."""
    values = iter(args[1:])

    def fill(m: re.Match[str]) -> str:
        return "%" if m.group(0) == "%%" else next(values, "")

    return _PRINTF_SPEC.sub(fill, _unescape(args[0]))


def written_text(text: str) -> str:
    """The text with each `printf FORMAT ARG...` replaced by what it writes and the backslash escapes
    of `echo` lines read as dash's echo reads them, so that `printf 'machine h login %s password %s'
    "$USR" "$PWD"` and `printf "machine h\\n login ..."` read as the netrc lines they write."""
    out = []
    for segment in segments(text):
        words = _printf_words(segment) if segment.startswith("printf") else None
        if words is not None:
            out.append(_printf_output(words))
        elif command_words(segment)[:1] == ["echo"]:
            out.append(_unescape(segment))
        else:
            out.append(segment)
    return "\n".join(out)


def prints_to_log(segment: str) -> bool:
    """Whether a command prints its arguments (or a secret file) to the build output: echo, printf
    or cat without a redirection or pipe."""
    words = command_words(segment)
    if not words or words[0] not in ("echo", "printf", "cat"):
        return False
    unquoted = _QUOTED.sub("", segment)
    return not re.search(r"[>|]", unquoted.replace("2>&1", ""))


def secret_file_printed(segment: str) -> str | None:
    """The BuildKit secret file (/run/secrets/ID) a command prints to the build output, if any."""
    if not prints_to_log(segment):
        return None
    m = re.search(r"/run/secrets/[\w.-]+", segment)
    if m is None:
        return None
    words = command_words(segment)
    return m.group(0) if words[0] == "cat" or "$(" in segment or "`" in segment else None


def fetched_host(segment: str) -> str | None:
    """The host of the first http(s) URL of a command (for curl/wget credentials)."""
    m = re.search(r"https?://(?:[^\s/@'\"]*@)?([A-Za-z0-9.-]+)", segment)
    return m.group(1) if m else None
