"""Secrets in a Corefile, and how every view of the model (`parse`, `lint`, `route`) hides them.

Three places hold them: the credential lines of plugin blocks (from the plugins' READMEs), the
password of URL userinfo (`https://user:pass@host`, e.g. a kubernetes or etcd `endpoint`), and
the same lines commented out. They are shown as `****` the way the other ops tools mask: a URL
keeps its user and loses its password; `{$ENV}`/`{%ENV%}` references are not secrets and stay.
`print` and `fmt` reproduce the file itself (that is their job) and mask nothing.
"""

from __future__ import annotations

import re

from goanalyzer.ops.common import MASK

# Lines inside a plugin's block whose arguments, from the given index on, are credentials.
SECRET_ARGS: dict[tuple[str, str], int] = {
    ("etcd", "credentials"): 1,  # credentials USERNAME PASSWORD
    ("tsig", "secret"): 1,  # secret NAME KEY
    ("route53", "aws_access_key"): 0,  # aws_access_key AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
    ("azure", "secret"): 0,  # secret CLIENT_SECRET
    ("nomad", "token"): 0,  # token TOKEN
}
_SECRET_LINES = sorted({name for _, name in SECRET_ARGS})
_ENV_REFERENCE = re.compile(r"\{\$[^{}]+\}|\{%[^{}%]+%\}")
_URL_PASSWORD = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://[^\s/@:]*):(?P<password>[^\s/@]*)@")
_COMMENTED_SECRET = re.compile(rf"^(?P<head>#+\s*(?:{'|'.join(_SECRET_LINES)}))(?P<rest>\s.*)$", re.DOTALL)


def secret_start(plugin: str | None, name: str) -> int | None:
    """Index of the first secret argument of line `name` in `plugin`'s block, None when none is."""
    return SECRET_ARGS.get((plugin or "", name))


def mask_url(value: str) -> str:
    """`value` with the password of every URL replaced by ****, its user kept."""
    if "@" not in value:
        return value

    def replace(match: re.Match[str]) -> str:
        password = match.group("password")
        if _ENV_REFERENCE.fullmatch(password):
            return match.group(0)
        return f"{match.group('head')}:{MASK}@"

    return _URL_PASSWORD.sub(replace, value)


def masked_args(plugin: str | None, name: str, args: list[str]) -> list[str]:
    """`args` of the line `name` inside `plugin`'s block with credentials and URL passwords masked."""
    start = secret_start(plugin, name)
    if start is None:
        return [mask_url(a) for a in args]
    return [mask_url(a) if i < start or _ENV_REFERENCE.fullmatch(a) else MASK for i, a in enumerate(args)]


def mask_comment(text: str) -> str:
    """A comment with URL passwords masked, and every word after a commented-out credential line's
    name (`# aws_access_key ID KEY`) masked."""
    text = mask_url(text)
    match = _COMMENTED_SECRET.match(text)
    if match is None:
        return text
    rest = re.sub(r"\S+", lambda m: m.group(0) if _ENV_REFERENCE.fullmatch(m.group(0)) else MASK, match.group("rest"))
    return match.group("head") + rest
