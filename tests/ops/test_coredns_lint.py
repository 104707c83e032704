"""lint: each rule with its line, on the shared samples and on our own Corefiles."""

from __future__ import annotations

from pathlib import Path

import pytest

from goanalyzer.ops.common import Severity
from goanalyzer.ops.coredns.configmap import load_source
from goanalyzer.ops.coredns.expand import expand
from goanalyzer.ops.coredns.lint import Rule, lint, placeholders_in
from goanalyzer.ops.coredns.parser import parse_corefile

DATA = Path(__file__).resolve().parent / "data" / "coredns"
SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples" / "corefiles"


def run(path: Path, env: dict[str, str] | None = None):
    source = load_source(str(path))
    corefile = parse_corefile(source.corefile, str(path), source.first_line)
    return lint(corefile, expand(corefile, env=env or {}))


def summary(findings):
    return [(Path(f.file).name, f.line, f.rule.value, f.severity.value) for f in findings]


def sample(name: str) -> Path:
    if not SAMPLES.is_dir():
        pytest.skip("shared samples not present")
    return SAMPLES / name


def test_every_rule_on_own_file():
    findings = run(DATA / "lint-problems.Corefile")
    name = "lint-problems.Corefile"
    assert summary(findings) == [
        (name, 2, "kubernetes-twice", "critical"),
        (name, 8, "forward-no-upstream", "critical"),
        (name, 9, "rewrite-suffix-without-answer-auto", "warning"),
        (name, 13, "unknown-plugin", "warning"),
        (name, 14, "unknown-plugin", "warning"),
        (name, 15, "import", "critical"),
        (name, 18, "duplicate-zone", "critical"),
        (name, 19, "template-placeholder", "critical"),
        (name, 19, "template-placeholder", "critical"),
        (name, 22, "template-placeholder", "critical"),
        (name, 27, "placeholder-word", "warning"),
    ]
    messages = {(f.line, f.rule): f.message for f in findings}
    assert messages[(18, Rule.DUPLICATE_ZONE)] == (
        'dns://.:53 is already served by the server block at line 5; CoreDNS refuses to start ("it is already defined")'
    )
    assert messages[(2, Rule.KUBERNETES_TWICE)] == (
        "kubernetes appears again in this server block (via import doubled at lint-problems.Corefile:7; "
        "first at line 6); CoreDNS allows it once per server block"
    )
    assert messages[(13, Rule.UNKNOWN_PLUGIN)] == (
        "unknown plugin 'proxy': the proxy plugin was removed in CoreDNS 1.5.0; use forward"
    )
    assert messages[(14, Rule.UNKNOWN_PLUGIN)].startswith("unknown plugin 'kubernets' (did you mean 'kubernetes'?)")
    assert messages[(15, Rule.IMPORT)] == (
        "import missing-file.conf: no snippet of that name is defined before it and no such file"
    )
    assert messages[(9, Rule.REWRITE_SUFFIX_NO_ANSWER)].startswith(
        "rewrite name suffix .b.local .cluster.local: suffix rewrite without `answer auto`"
    )
    # the block-form rewrite on line 11 has `answer auto` and is not reported
    assert (11, Rule.REWRITE_SUFFIX_NO_ANSWER) not in messages


def test_placeholder_kinds():
    assert [(r, p) for r, p, _ in placeholders_in("%{CLUSTER_DOMAIN}%")] == [
        (Rule.TEMPLATE_PLACEHOLDER, "%{CLUSTER_DOMAIN}%")]
    assert [(r, p) for r, p, _ in placeholders_in("${ip2}:30053")] == [(Rule.TEMPLATE_PLACEHOLDER, "${ip2}")]
    assert [(r, p) for r, p, _ in placeholders_in("UPSTREAMNAMESERVER")] == [
        (Rule.PLACEHOLDER_WORD, "UPSTREAMNAMESERVER")]
    assert [(r, p) for r, p, _ in placeholders_in("{{")] == [(Rule.TEMPLATE_PLACEHOLDER, "{{")]
    assert placeholders_in("{{", go_templates=True) == []
    # CoreDNS's own environment syntax and DNS vocabulary are not placeholders
    assert placeholders_in("{$UPSTREAM}") == []
    assert placeholders_in("{%ZONE%}") == []
    assert placeholders_in("NXDOMAIN") == [] and placeholders_in("AAAA") == [] and placeholders_in("A") == []


def test_imports_and_env_resolved_like_coredns():
    env = {"UPSTREAM": "1.1.1.1", "REV_ZONE": "rev.example"}
    assert run(DATA / "syntax-tour.Corefile", env) == []
    findings = run(DATA / "syntax-tour.Corefile", {})
    assert summary(findings) == [("syntax-tour.Corefile", 38, "invalid-key", "critical")]
    assert findings[0].message == "server block key ':53' ('{$REV_ZONE}:53' as written): empty zone"


def test_duplicate_zone_counts_cidr_keys_and_skips_views(tmp_path):
    path = tmp_path / "Corefile"
    path.write_text(
        "10.0.0.0/24 {\n  whoami\n}\n0.0.10.in-addr.arpa {\n  whoami\n}\n"
        ".:53 {\n  view internal {\n    expr incidr(client_ip(), '10.0.0.0/8')\n  }\n  whoami\n}\n"
        ".:53 {\n  whoami\n}\n"
    )
    findings = run(path)
    assert summary(findings) == [("Corefile", 4, "duplicate-zone", "critical")]
    assert findings[0].message.startswith("dns://0.0.10.in-addr.arpa.:53 is already served by the server block at line 1")


def test_sample_kubeadm_default_is_clean():
    assert run(sample("01-kubeadm-default.rendered.Corefile")) == []
    assert run(sample("05b-corefile-migration-multiproxy.to-1.5.0.expected.Corefile")) == []
    assert run(sample("06-coredns-corefile5-syntax-examples.Corefile")) == []


def test_sample_sed_template():
    findings = run(sample("02-coredns-deployment-coredns.yaml.sed.Corefile.template"))
    assert [(f.line, f.rule, f.severity) for f in findings] == [
        (7, Rule.PLACEHOLDER_WORD, Severity.WARNING),
        (7, Rule.PLACEHOLDER_WORD, Severity.WARNING),
        (11, Rule.PLACEHOLDER_WORD, Severity.WARNING),
        (18, Rule.TEMPLATE_PLACEHOLDER, Severity.CRITICAL),
    ]
    assert findings[0].message == (
        "`CLUSTER_DOMAIN` looks like a placeholder left unsubstituted (a sed marker as in coredns/deployment's "
        "coredns.yaml.sed, or a documentation placeholder); CoreDNS takes it literally")
    assert [f.message.split("`")[1] for f in findings] == [
        "CLUSTER_DOMAIN", "REVERSE_CIDRS", "UPSTREAMNAMESERVER", "STUBDOMAINS",
    ]
    assert "glued to the closing brace (`}STUBDOMAINS`)" in findings[3].message


def test_sample_k3s_template_and_absent_import_globs():
    findings = run(sample("03-k3s-manifests-coredns.Corefile.template"))
    assert [(f.line, f.rule.value, f.severity.value) for f in findings] == [
        (5, "template-placeholder", "critical"),
        (20, "import", "info"),
        (22, "import", "info"),
    ]
    assert findings[0].message.startswith("`%{CLUSTER_DOMAIN}%` is a k3s template placeholder")
    assert findings[1].message == "import /etc/coredns/custom/*.override: no file matches the glob"


def test_sample_nsm_shell_substitution():
    findings = run(sample("04-nsm-interdomain-cluster1.Corefile.template"))
    assert [(f.line, f.message.split("`")[1]) for f in findings] == [(21, "${ip2}"), (24, "${ip3}")]


def test_sample_pre_1_5_proxy():
    findings = run(sample("05a-corefile-migration-multiproxy.from-1.1.3.Corefile"))
    assert [(f.line, f.rule.value, f.severity.value) for f in findings] == [
        (10, "unknown-plugin", "warning"), (11, "unknown-plugin", "warning"), (12, "unknown-plugin", "warning"),
    ]


def test_template_plugin_go_templates_are_its_syntax(tmp_path):
    path = tmp_path / "Corefile"
    path.write_text(
        ". {\n"
        "    template IN A example {\n"
        '        match "^ip-(?P<a>[0-9]*)-(?P<b>[0-9]*)[.]example[.]$"\n'
        '        answer "{{ .Name }} 60 IN A 10.0.{{ .Group.a }}.{{ .Group.b }}"\n'
        '        additional "ns.example. 60 IN A {{ index .Match 1 }}"\n'
        "        fallthrough\n"
        "    }\n"
        "    log . \"{{ .Name }}\"\n"
        "}\n"
    )
    findings = run(path)
    assert summary(findings) == [("Corefile", 8, "template-placeholder", "critical")]
    assert findings[0].message == (
        "`{{ .Name }}` starts a Go/Helm template expression, not CoreDNS syntax (only the template plugin "
        "takes {{ }}); render it first")


def test_documentation_placeholders_are_warnings_not_critical(tmp_path):
    path = tmp_path / "Corefile"
    path.write_text(
        "example.org {\n"
        "    route53 example.org.:Z1D633PJN98FT9 {\n        aws_access_key AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY\n    }\n"
        "    etcd {\n        credentials USERNAME PASSWORD\n    }\n"
        "    forward . UPSTREAM_DNS\n"
        "}\n"
    )
    findings = run(path)
    # secrets are never checked (nor quoted); the etcd user name is not a secret; placeholders are warnings
    assert summary(findings) == [("Corefile", 6, "placeholder-word", "warning"),
                                 ("Corefile", 8, "placeholder-word", "warning")]
    assert [f.message.split("`")[1] for f in findings] == ["USERNAME", "UPSTREAM_DNS"]


def test_key_glued_to_its_brace(tmp_path):
    path = tmp_path / "Corefile"
    path.write_text("example.org{\n    whoami\n}\n. {\n    hosts{\n}\n")
    findings = run(path)
    assert [(f.line, f.rule.value, f.severity.value, f.message) for f in findings] == [
        (1, "glued-brace", "critical",
         "`example.org{`: the '{' is glued to the key, so CoreDNS serves the zone `example.org{` with a server "
         "block that has no braces; write `example.org {`"),
        (5, "glued-brace", "critical",
         "`hosts{`: the '{' is glued to the word, so CoreDNS reads `hosts{` as one word and opens no block; "
         "write `hosts {`"),
        (5, "unknown-plugin", "warning",
         "unknown plugin 'hosts{' (did you mean 'hosts'?): not in CoreDNS's plugin.cfg, a stock build refuses "
         "to start (\"Unknown directive\")"),
    ]
