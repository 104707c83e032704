"""`parse` and `lint` never print a secret, in any format; `print` and `fmt` reproduce the file."""

from __future__ import annotations

import json

import pytest

from goanalyzer.cli.main import main
from goanalyzer.ops.coredns.masking import mask_comment, mask_url, masked_args

SECRETS = ["AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG", "s3cr3t-pw", "QUJDREVGR0hJSktMTU5PUA==",
           "azure-client-secret", "nomad-token-123", "kube-pass", "etcd-pass", "old-key-id", "OLDSECRET"]

COREFILE = """\
example.org {
    route53 example.org.:Z1D633PJN98FT9 {
        aws_access_key AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG
    }
    # aws_access_key old-key-id OLDSECRET
    etcd example.org {
        credentials root s3cr3t-pw
        endpoint http://root:etcd-pass@10.0.0.5:2379
    }
    tsig {
        secret example.org. QUJDREVGR0hJSktMTU5PUA==
    }
    azure rg:example.org {
        secret azure-client-secret
    }
    nomad {
        token nomad-token-123
    }
    kubernetes cluster.local {
        endpoint https://admin:kube-pass@10.0.0.1:6443
    }
    forward . {$UPSTREAM}
}
"""


def run(capsys, *argv):
    rc = main(["ops", "coredns", *argv])
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.fixture
def corefile(tmp_path):
    path = tmp_path / "Corefile"
    path.write_text(COREFILE)
    return path


def test_parse_text_masks_every_secret(capsys, corefile):
    rc, out, err = run(capsys, "parse", str(corefile))
    assert (rc, err) == (0, "")
    assert out.splitlines()[1:] == [
        "line 1: server block dns://example.org.:53",
        "  2: route53 example.org.:Z1D633PJN98FT9",
        "    3: aws_access_key **** ****",
        "  6: etcd example.org",
        "    7: credentials root ****",
        "    8: endpoint http://root:****@10.0.0.5:2379",
        "  10: tsig",
        "    11: secret example.org. ****",
        "  13: azure rg:example.org",
        "    14: secret ****",
        "  16: nomad",
        "    17: token ****",
        "  19: kubernetes cluster.local",
        "    20: endpoint https://admin:****@10.0.0.1:6443",
        "  22: forward . {$UPSTREAM}",
    ]


def test_parse_json_masks_every_secret(capsys, corefile):
    rc, out, _ = run(capsys, "parse", str(corefile), "--format", "json")
    data = json.loads(out)
    blocks = [d.get("block", []) for d in data["items"][0]["directives"]]
    assert [(line["name"], line["args"]) for block in blocks for line in block] == [
        ("aws_access_key", ["****", "****"]),
        ("credentials", ["root", "****"]),
        ("endpoint", ["http://root:****@10.0.0.5:2379"]),
        ("secret", ["example.org.", "****"]),
        ("secret", ["****"]),
        ("token", ["****"]),
        ("endpoint", ["https://admin:****@10.0.0.1:6443"]),
    ]
    assert data["comments"] == [{"line": 5, "text": "# aws_access_key **** ****"}]
    assert not [s for s in SECRETS if s in out]


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_lint_never_quotes_a_secret(capsys, tmp_path, fmt):
    path = tmp_path / "Corefile"
    # secrets that look like placeholders, a Helm expression and a bad key holding a URL password
    path.write_text(
        "example.org {\n"
        "    route53 {\n        aws_access_key AKIAIOSFODNN7EXAMPLE {{.Values.secret}}\n    }\n"
        "    kubernetes cluster.local {\n        endpoint https://admin:kube-pass@{{.Values.host}}\n    }\n"
        "}\n"
        "dns://admin:kube-pass@x:53 {\n    whoami\n}\n"
    )
    rc, out, _ = run(capsys, "lint", str(path), "--format", fmt)
    assert rc == 3
    assert not [s for s in SECRETS + ["Values.secret"] if s in out]
    assert "https://admin:****@{{.Values.host}}" in out


def test_print_and_fmt_reproduce_the_file_and_say_so(capsys, corefile):
    assert run(capsys, "print", str(corefile)) == (0, COREFILE, "")
    assert run(capsys, "fmt", str(corefile)) == (0, COREFILE, "")
    for command in ("print", "fmt"):
        help_text = " ".join(run(capsys, command, "--help")[1].split())
        assert "By design the output reproduces the file" in help_text
        assert "credentials included (nothing is masked; use `parse` for a view with secrets shown as ****)" in help_text


def test_masking_helpers_edges():
    assert mask_url("https://user:pa:ss@host/x") == "https://user:****@host/x"
    assert mask_url("https://user@host") == "https://user@host"  # no password, as the other ops tools
    assert mask_url("https://[::1]:443/path@x") == "https://[::1]:443/path@x"  # a port is not a password
    assert mask_url("https://u:{$PASS}@host") == "https://u:{$PASS}@host"  # an environment reference stays
    assert masked_args("etcd", "credentials", ["root", "{$ETCD_PASSWORD}"]) == ["root", "{$ETCD_PASSWORD}"]
    assert masked_args("route53", "credentials", ["default", "/root/.aws/credentials"]) == [
        "default", "/root/.aws/credentials"]  # a profile and a file name, not secrets
    assert mask_comment("#   token abc def") == "#   token **** ****"
    assert mask_comment("# tokens are rotated daily") == "# tokens are rotated daily"


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_route_masks_url_passwords(capsys, corefile, fmt):
    path = corefile.parent / "forward.Corefile"
    path.write_text(". {\n    forward . https://u:fwd-pass@9.9.9.9\n}\n")
    rc, out, _ = run(capsys, "route", str(path), "example.org", "--format", fmt)
    assert rc == 0 and "fwd-pass" not in out
    # text shows the note; JSON the step's arguments and its note
    assert out.count("https://u:****@9.9.9.9") == (1 if fmt == "text" else 2)
