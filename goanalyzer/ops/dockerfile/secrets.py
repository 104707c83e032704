"""What counts as a credential in a Dockerfile, what is only a stand-in for one, and masking.

A value is a literal secret when it is written in the Dockerfile itself: not empty, not a
reference (`$NAME`, `${NAME}`), not a command substitution (`$(cat /run/secrets/token)`, which reads
a BuildKit secret mount), not a printf conversion (`%s`), and not a placeholder or a filler.
"""

from __future__ import annotations

import re

from goanalyzer.ops.common import MASK

SECRET_WORDS = {
    "password", "passwd", "pass", "pwd", "pw", "token", "secret", "secrets", "apikey", "credential",
    "credentials", "cred", "creds", "auth", "key", "pat", "privatekey", "passphrase",
}
NOT_SECRET_NAMES = {"PWD", "OLDPWD", "GPG_KEY", "PUBLIC_KEY"}

FILLERS = {"x-oauth-basic"}
"""Passwords that are public constants: GitHub takes a token as the user name with this password."""

PLACEHOLDER_WORDS = {
    "nothing", "none", "null", "nil", "empty", "unset", "undefined", "local", "dummy", "placeholder",
    "changeme", "change-me", "change_me", "changeit", "replaceme", "replace-me", "replace_me", "todo", "tbd",
    "secret", "password", "token", "default", "example", "foo", "bar", "notset", "not-set", "n/a", "-",
}
"""Default values that stand for "no credential given" (ARG GITHUB_TOKEN=nothing, ARG NPM_TOKEN=local)."""

_BRACKETED = re.compile(r"<[^<>]*>|\{\{[^{}]*\}\}|\[[^\[\]]*\]")  # <token>, {{ token }}, [token]
_PRINTF_SPEC = re.compile(r"%(?:%|[-+ #0]*[0-9]*(?:\.[0-9]+)?[diouxXfeEgGcsbq])")
_URL_USERINFO = re.compile(
    r"(?<![A-Za-z0-9+.-])(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<user>[^\s/@:'\"]+)(?::(?P<password>[^\s/@'\"]+))?"
    r"@(?P<host>[A-Za-z0-9.-]+)"
)
_NETRC_TOKEN = re.compile(
    r"(?:\b|(?<=\\[ntr]))(machine|login|password)(?:\s|\\[ntr])+(['\"]?)((?:[^\s'\";&|\\]+|\\(?![ntr]))+)\2"
)
_CURL_USER = re.compile(r"(?P<flag>(?<!\S)(?:-[A-Za-z]*u\s*|--user[=\s]\s*))(?P<quote>['\"]?)"
                        r"(?P<user>[^\s:'\"]*):(?P<password>[^\s'\"]+)(?P=quote)")
_PASSWORD_OPTION = re.compile(r"(?P<flag>--(?:http-|ftp-|proxy-)?password[=\s]\s*)(?P<quote>['\"]?)"
                              r"(?P<password>[^\s'\"]+)(?P=quote)")
_AUTH_HEADER = re.compile(
    r"(?P<name>(?i:authorization|proxy-authorization|private-token|job-token|x-api-key|x-auth-token))"
    r"\s*:\s*(?P<scheme>(?i:basic|bearer|token|digest)\s+)?(?P<value>[^\s'\"]+)"
)


def name_is_secret(name: str) -> bool:
    """Whether a variable's name says it holds a credential (GIT_PWD, GITLAB_TOKEN; not PUBLIC_KEY)."""
    if name.upper() in NOT_SECRET_NAMES:
        return False
    tokens = {t for t in re.split(r"[_\-]", name.lower()) if t}
    if "public" in tokens or "pub" in tokens:
        return False
    return bool(tokens & SECRET_WORDS) or name.lower().endswith(("password", "token", "secret", "passwd"))


def is_printf_spec(value: str) -> bool:
    """A printf conversion such as %s standing where a value goes (the value is an argument)."""
    spec = _PRINTF_SPEC.match(value)
    return spec is not None and spec.group(0) != "%%"


def is_placeholder(value: str, name: str = "") -> bool:
    """An empty value, a stand-in such as `nothing`, `xxx`, `<token>`, or the variable's own name."""
    bare = value.strip().strip("'\"")
    if bare == "" or bare.lower() in PLACEHOLDER_WORDS or (name and bare.lower() == name.lower()):
        return True
    lowered = bare.lower()
    return (len(set(bare)) == 1  # xxx, ***, 000
            or _BRACKETED.fullmatch(bare) is not None
            or lowered.startswith(("your-", "your_", "your ")) or lowered.endswith(("-here", "_here")))


def is_literal_secret(value: str | None, name: str = "") -> bool:
    """Whether `value` is a credential written in the Dockerfile (see the module docstring)."""
    if value is None or "$" in value or "`" in value or value == MASK or is_printf_spec(value):
        return False
    return value not in FILLERS and not is_placeholder(value, name)


def url_userinfo(text: str) -> list[re.Match[str]]:
    """URLs with user@ or user:password@ in `text`."""
    return list(_URL_USERINFO.finditer(text))


def netrc_tokens(text: str) -> list[tuple[str, str]]:
    """(keyword, value) of the machine/login/password pairs written in `text`, in order."""
    return [(m.group(1), m.group(3)) for m in _NETRC_TOKEN.finditer(text)]


def curl_users(text: str) -> list[tuple[str, str]]:
    """(user, password) of `curl -u user:password` / `--user=user:password`."""
    return [(m.group("user"), m.group("password")) for m in _CURL_USER.finditer(text)]


def password_options(text: str) -> list[str]:
    """Values of `--password=`, `--http-password=` (wget)."""
    return [m.group("password") for m in _PASSWORD_OPTION.finditer(text)]


def auth_headers(text: str) -> list[tuple[str, str]]:
    """(header name, credential) of Authorization-style headers in `text`."""
    return [(m.group("name"), m.group("value")) for m in _AUTH_HEADER.finditer(text)]


def mask_text(text: str) -> str:
    """The text with every literal credential replaced by ****: URL userinfo (the token before
    GitHub's x-oauth-basic filler too), netrc passwords, curl -u, --password= and auth headers."""

    def url(m: re.Match[str]) -> str:
        user, password = m.group("user"), m.group("password")
        if password is None:
            return m.group(0)
        if password in FILLERS:
            user = user if "$" in user else MASK
        else:
            password = MASK if "$" not in password else password
        return f"{m.group('scheme')}://{user}:{password}@{m.group('host')}"

    text = _URL_USERINFO.sub(url, text)
    text = _NETRC_TOKEN.sub(lambda m: _masked_group(m, 3) if m.group(1) == "password" else m.group(0), text)
    if re.search(r"\bcurl\b", text):
        text = _CURL_USER.sub(lambda m: _masked_group(m, "password"), text)
    text = _PASSWORD_OPTION.sub(lambda m: _masked_group(m, "password"), text)
    return _AUTH_HEADER.sub(lambda m: _masked_group(m, "value"), text)


def _masked_group(m: re.Match[str], group: int | str) -> str:
    """The match with one group shown as ****, unless it is a reference, substitution or %s."""
    value = m.group(group)
    if "$" in value or "`" in value or is_printf_spec(value):
        return m.group(0)
    return m.group(0)[: m.start(group) - m.start(0)] + MASK + m.group(0)[m.end(group) - m.start(0):]
