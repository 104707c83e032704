"""Corefile checks for the mistakes that break or quietly mislead CoreDNS, each with its line.

Critical: CoreDNS refuses the file or cannot work as meant (duplicate zone:port, kubernetes twice
in a block, forward without upstreams, template syntax left unrendered, a brace glued to a word,
broken imports, invalid keys). Warning: an upper-case word that looks like a placeholder (a sed
marker or a documentation placeholder: it may be a real value); a stock build does not know the
plugin; a suffix rewrite without `answer auto`. Info: an import glob that matches nothing here.

The template plugin's own Go templates (`answer "{{ .Name }} 60 IN A ..."`) are its syntax, not
a placeholder. Credentials are never checked for placeholders nor quoted, and every message has
URL passwords masked: lint output never carries a secret.
"""

from __future__ import annotations

import difflib
import enum
import functools
import re
from dataclasses import dataclass
from typing import Iterator

from goanalyzer.ops.common import Severity
from goanalyzer.ops.coredns.expand import Expanded, NoteKind, Plugin
from goanalyzer.ops.coredns.lexer import Token, TokenKind
from goanalyzer.ops.coredns.masking import mask_url, secret_start
from goanalyzer.ops.coredns.model import Block, Corefile, Directive, ServerBlock, Snippet, TopImport
from goanalyzer.ops.coredns.plugins import PLUGIN_ORDER, REMOVED, is_known


class Rule(str, enum.Enum):
    DUPLICATE_ZONE = "duplicate-zone"
    INVALID_KEY = "invalid-key"
    KUBERNETES_TWICE = "kubernetes-twice"
    UNKNOWN_PLUGIN = "unknown-plugin"
    FORWARD_NO_UPSTREAM = "forward-no-upstream"
    REWRITE_SUFFIX_NO_ANSWER = "rewrite-suffix-without-answer-auto"
    TEMPLATE_PLACEHOLDER = "template-placeholder"
    PLACEHOLDER_WORD = "placeholder-word"
    GLUED_BRACE = "glued-brace"
    IMPORT = "import"


@dataclass(slots=True)
class Finding:
    rule: Rule
    severity: Severity
    file: str
    line: int
    message: str


_NOTE_SEVERITY = {
    NoteKind.IMPORT_EMPTY_GLOB: Severity.INFO,
    NoteKind.IMPORT_MISSING: Severity.CRITICAL,
    NoteKind.IMPORT_BAD_GLOB: Severity.CRITICAL,
    NoteKind.IMPORT_ARGS: Severity.CRITICAL,
    NoteKind.IMPORT_DEPTH: Severity.CRITICAL,
}


def lint(corefile: Corefile, expanded: Expanded) -> list[Finding]:
    """All findings, sorted by file, line and rule."""
    findings: list[Finding] = []
    findings += placeholder_findings(corefile, expanded)
    findings += _key_findings(expanded)
    for server in expanded.servers:
        findings += _kubernetes_twice(server.plugins)
        for plugin in server.plugins:
            findings += _plugin_findings(plugin)
    for note in expanded.notes:
        findings.append(Finding(Rule.IMPORT, _NOTE_SEVERITY[note.kind], note.file, note.line, note.message))
    templated = {(f.file, f.line) for f in findings if f.rule in _EXPLAINS_BAD_KEY}
    findings = [f for f in findings if not (f.rule is Rule.INVALID_KEY and (f.file, f.line) in templated)]
    for finding in findings:
        finding.message = mask_url(finding.message)
    return sorted(findings, key=lambda f: (f.file, f.line, f.rule.value, f.message))


_EXPLAINS_BAD_KEY = (Rule.TEMPLATE_PLACEHOLDER, Rule.PLACEHOLDER_WORD, Rule.GLUED_BRACE)


# ---------------------------------------------------------------- keys


def _key_findings(expanded: Expanded) -> list[Finding]:
    """Invalid keys, and a zone+port+transport served twice (CoreDNS: "it is already defined")."""
    out: list[Finding] = []
    seen: dict[tuple[str, str, str], tuple[str, int]] = {}
    for server in expanded.servers:
        filtered = any(p.name == "view" for p in server.plugins)
        for key in server.keys:
            if key.key.error:
                written = f" ({key.raw!r} as written)" if key.raw and key.raw != key.key.text else ""
                out.append(Finding(Rule.INVALID_KEY, Severity.CRITICAL, key.file, key.line,
                                   f"server block key {key.key.text!r}{written}: {key.key.error}"))
                continue
            repeated: list[tuple[str, tuple[str, int]]] = []
            for zone in key.key.zones:
                address = (key.key.transport, zone, key.key.port)
                if address in seen:
                    repeated.append((f"{key.key.transport}://{zone}:{key.key.port}", seen[address]))
                elif not filtered:
                    seen[address] = (key.file, key.line)
            if repeated:
                label, (first_file, first_line) = repeated[0]
                where = f"line {first_line}" if first_file == key.file else f"{first_file}:{first_line}"
                more = f" (and {len(repeated) - 1} more zone(s) of this key)" if len(repeated) > 1 else ""
                out.append(Finding(Rule.DUPLICATE_ZONE, Severity.CRITICAL, key.file, key.line,
                                   f"{label}{more} is already served by the server block at {where}; "
                                   "CoreDNS refuses to start (\"it is already defined\")"))
    return out


# ---------------------------------------------------------------- plugins


def _kubernetes_twice(plugins: list[Plugin]) -> list[Finding]:
    first: Plugin | None = None
    out = []
    for plugin in plugins:
        if plugin.name != "kubernetes":
            continue
        if first is None:
            first = plugin
            continue
        where = f"line {first.line}" if first.file == plugin.file else f"{first.file}:{first.line}"
        via = f"via {plugin.via}; " if plugin.via else ""
        out.append(Finding(Rule.KUBERNETES_TWICE, Severity.CRITICAL, plugin.file, plugin.line,
                           f"kubernetes appears again in this server block ({via}first at {where}); "
                           "CoreDNS allows it once per server block"))
    return out


def _plugin_findings(plugin: Plugin) -> list[Finding]:
    out: list[Finding] = []
    if not is_known(plugin.name) and not placeholders_in(plugin.name):
        out.append(Finding(Rule.UNKNOWN_PLUGIN, Severity.WARNING, plugin.file, plugin.line, _unknown(plugin.name)))
    if plugin.name == "forward" and len(plugin.args) < 2:
        out.append(Finding(Rule.FORWARD_NO_UPSTREAM, Severity.CRITICAL, plugin.file, plugin.line,
                           "forward has no upstream: it needs `forward FROM TO...` "
                           "(CoreDNS refuses to start: wrong argument count)"))
    if plugin.name == "rewrite":
        out += _rewrite_findings(plugin)
    return out


@functools.lru_cache(maxsize=1024)
def _unknown(name: str) -> str:
    if name in REMOVED:
        return f"unknown plugin {name!r}: {REMOVED[name]}"
    close = difflib.get_close_matches(name, PLUGIN_ORDER, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return (f"unknown plugin {name!r}{hint}: not in CoreDNS's plugin.cfg, "
            "a stock build refuses to start (\"Unknown directive\")")


def _rewrite_findings(plugin: Plugin) -> list[Finding]:
    """`name suffix FROM TO` needs `answer auto` (or an explicit answer rule) to map answers back."""
    rules: list[tuple[int, list[str]]] = []
    if plugin.block:
        rules = [(line.line, [line.name, *line.args]) for line in plugin.block]
    else:
        rules = [(plugin.line, list(plugin.args))]
    answers_in_block = any(words[:1] == ["answer"] for _, words in rules)
    out = []
    for line, words in rules:
        if words[:1] in (["continue"], ["stop"]):
            words = words[1:]
        if len(words) >= 2 and words[0] == "name" and words[1] == "suffix":
            has_auto = any(words[i] == "answer" and words[i + 1] == "auto" for i in range(len(words) - 1))
            if not has_auto and not answers_in_block:
                out.append(Finding(Rule.REWRITE_SUFFIX_NO_ANSWER, Severity.WARNING, plugin.file, line,
                                   f"rewrite {' '.join(words)}: suffix rewrite without `answer auto`; answers "
                                   "keep the rewritten name and clients drop them as not matching the question"))
    return out


# ---------------------------------------------------------------- template placeholders

_COREDNS_ENV = re.compile(r"\{%[^{}%]+%\}|\{\$[^{}]+\}")
_K3S = re.compile(r"%\{[A-Za-z_][A-Za-z0-9_]*\}%")
_SHELL = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$\([^)]*\)")
_SED = re.compile(r"^[A-Z][A-Z0-9_]{3,}$")
_MAYBE = re.compile(r"[%${]|^[A-Z]")  # cheap first look: most words hold none of the markers
# Upper-case words that are real DNS vocabulary in plugin arguments (types, classes, rcodes, opcodes).
_DNS_WORDS = frozenset(
    """AAAA AFSDB AMTRELAY APL ATMA AVC AXFR CAA CDNSKEY CDS CERT CNAME CSYNC DHCID DLV DNAME DNSKEY EUI48 EUI64
    GPOS HINFO HIP HTTPS IPSECKEY ISDN IXFR KEY KX L32 L64 LOC LP MAILA MAILB MINFO NAPTR NIMLOC NINFO NSAP
    NSEC NSEC3 NSEC3PARAM NULL OPENPGPKEY OPT RKEY RRSIG SMIMEA SPF SSHFP SVCB TALINK TKEY TLSA TSIG UINFO
    UNSPEC URI ZONEMD CHAOS HESIOD NONE NOERROR FORMERR SERVFAIL NXDOMAIN NOTIMP REFUSED YXDOMAIN YXRRSET
    NXRRSET NOTAUTH NOTZONE BADSIG BADVERS BADKEY BADTIME BADMODE BADNAME BADALG BADTRUNC BADCOOKIE QUERY
    IQUERY STATUS NOTIFY UPDATE""".split()
)
TEMPLATE_PLUGIN = "template"
"""The plugin whose arguments are Go templates (`{{ .Name }}`) by design."""


def placeholders_in(value: str, *, go_templates: bool = False) -> list[tuple[Rule, str, str]]:
    """(rule, placeholder, message) for each templating marker in one word; CoreDNS env syntax is
    fine, and so is `{{ }}` where Go templates are the plugin's syntax (`go_templates`)."""
    if not _MAYBE.search(value):
        return []
    text = _COREDNS_ENV.sub("", value)
    found = []
    for match in _K3S.finditer(text):
        found.append((Rule.TEMPLATE_PLACEHOLDER, match.group(0),
                      f"`{match.group(0)}` is a k3s template placeholder, not CoreDNS syntax "
                      "(CoreDNS environment references are {$NAME} or {%NAME%}); render it first"))
    for match in _SHELL.finditer(text):
        found.append((Rule.TEMPLATE_PLACEHOLDER, match.group(0),
                      f"`{match.group(0)}` is shell substitution, not CoreDNS syntax: CoreDNS reads it "
                      "literally (its environment references are {$NAME} or {%NAME%})"))
    if "{{" in text and not go_templates:
        found.append((Rule.TEMPLATE_PLACEHOLDER, value,
                      f"`{value}` starts a Go/Helm template expression, not CoreDNS syntax (only the "
                      "template plugin takes {{ }}); render it first"))
    word = text.rstrip(",")
    if _SED.match(word) and word not in _DNS_WORDS:
        found.append((Rule.PLACEHOLDER_WORD, word,
                      f"`{word}` looks like a placeholder left unsubstituted (a sed marker as in "
                      "coredns/deployment's coredns.yaml.sed, or a documentation placeholder); CoreDNS "
                      "takes it literally"))
    return found


@dataclass(frozen=True, slots=True)
class _Word:
    """A word of the Corefile with the plugin and line it belongs to (for secrets and templates)."""

    token: Token
    plugin: str | None  # the server-level plugin whose line or block holds the word
    line_name: str  # the name of the line holding it (the plugin itself, or a line of its block)
    index: int  # position among that line's arguments; -1 for the line's name, -2 for a key

    @property
    def secret(self) -> bool:
        start = secret_start(self.plugin, self.line_name)
        return start is not None and self.index >= start


def _words(corefile: Corefile) -> Iterator[_Word]:
    for item in corefile.items:
        if isinstance(item, TopImport):
            yield from _directive_words(item.directive, None)
        elif isinstance(item, Snippet):
            yield from _block_words(item.body, None)
        else:
            for key in item.keys:
                yield _Word(key, None, "", -2)
            for directive in item.directives:
                yield from _directive_words(directive, None)


def _directive_words(directive: Directive, plugin: str | None) -> Iterator[_Word]:
    name = directive.name.value
    owner = plugin or name
    yield _Word(directive.name, owner, name, -1)
    index = 0
    for part in directive.items:
        if isinstance(part, Block):
            yield from _block_words(part, owner)
            continue
        yield _Word(part, owner, name, index)
        index += 1


def _block_words(block: Block, plugin: str | None) -> Iterator[_Word]:
    for line in block.lines:
        yield from _directive_words(line, plugin)


def placeholder_findings(corefile: Corefile, expanded: Expanded) -> list[Finding]:
    """Template markers and glued braces in the Corefile's words (comments excluded) and in
    imported files; never in credentials, whose values must not be quoted."""
    out: list[Finding] = []
    for word in _words(corefile):
        if word.secret:
            continue
        out += _word_findings(corefile.path, word)
    for item in corefile.items:
        if isinstance(item, ServerBlock) and item.glued and item.close is not None:
            out.append(Finding(Rule.TEMPLATE_PLACEHOLDER, Severity.CRITICAL, corefile.path, item.close.line,
                               f"`{item.glued}` is glued to the closing brace (`{item.close.value}`): a template "
                               "marker left unrendered; CoreDNS reads it as one word and refuses the file"))
    for server in expanded.servers:
        for plugin, owner in _walk(server.plugins, None):
            if plugin.file == corefile.path:
                continue
            start = secret_start(owner, plugin.name) if owner != plugin.name else None
            values = [plugin.name, *(plugin.raw_args if start is None else plugin.raw_args[:start])]
            for value in values:
                for rule, _, message in placeholders_in(value, go_templates=owner == TEMPLATE_PLUGIN):
                    out.append(Finding(rule, _SEVERITY[rule], plugin.file, plugin.line, message))
    return out


_SEVERITY = {Rule.TEMPLATE_PLACEHOLDER: Severity.CRITICAL, Rule.PLACEHOLDER_WORD: Severity.WARNING}


def _word_findings(path: str, word: _Word) -> list[Finding]:
    token = word.token
    value = token.value
    if value.startswith("}") and len(value) > 1:
        return []  # a glued closing brace is reported once, above
    out = [Finding(rule, _SEVERITY[rule], path, token.line, message)
           for rule, _, message in placeholders_in(value, go_templates=word.plugin == TEMPLATE_PLUGIN)]
    if token.kind is TokenKind.WORD and len(value) > 1 and value.endswith("{") and "{" not in value[:-1] \
            and "}" not in value:
        out.append(Finding(Rule.GLUED_BRACE, Severity.CRITICAL, path, token.line, _glued_message(value, word.index)))
    return out


def _glued_message(value: str, index: int) -> str:
    fix = f"write `{value[:-1]} {{`"
    if index == -2:
        return (f"`{value}`: the '{{' is glued to the key, so CoreDNS serves the zone `{value}` with a server "
                f"block that has no braces; {fix}")
    return f"`{value}`: the '{{' is glued to the word, so CoreDNS reads `{value}` as one word and opens no block; {fix}"


def _walk(plugins: list[Plugin], owner: str | None):
    """Each plugin line with the server-level plugin that owns it."""
    for plugin in plugins:
        here = owner or plugin.name
        yield plugin, here
        yield from _walk(plugin.block, here)


def render_findings(path: str, findings: list[Finding]) -> str:
    """One line per finding, then a count."""
    lines = [f"{f.file}:{f.line}: {f.severity.value}: {f.rule.value}: {f.message}" for f in findings]
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    if findings:
        lines.append(f"{path}: {len(findings)} finding(s): {counts[Severity.CRITICAL]} critical, "
                     f"{counts[Severity.WARNING]} warning, {counts[Severity.INFO]} info")
    else:
        lines.append(f"{path}: no findings")
    return "\n".join(lines)
