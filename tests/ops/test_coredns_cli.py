"""The `goanalyzer ops coredns` commands end to end: output, exit codes, error lines, help."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from goanalyzer.cli.main import main

DATA = Path(__file__).resolve().parent / "data" / "coredns"
SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples" / "corefiles"
NOTE = DATA / "note-cluster-a.configmap.yaml"


def cli(capsys, *argv):
    rc = main(["ops", "coredns", *argv])
    out, err = capsys.readouterr()
    return rc, out, err


def test_print_is_byte_for_byte_on_every_sample(capsys):
    if not SAMPLES.is_dir():
        pytest.skip("shared samples not present")
    for path in sorted(SAMPLES.iterdir()):
        rc, out, err = cli(capsys, "print", str(path))
        assert (rc, out, err) == (0, path.read_text(), "")


def test_print_crlf_and_bom_survive(capsys, tmp_path):
    path = tmp_path / "Corefile"
    raw = "\ufeff# win\r\n.:53 {\r\n\tforward . 8.8.8.8\r\n}".encode()
    path.write_bytes(raw)
    rc = main(["ops", "coredns", "print", str(path)])
    captured = capsys.readouterr()
    assert rc == 0 and captured.out.encode() == raw


def test_print_configmap_prints_its_corefile(capsys):
    rc, out, _ = cli(capsys, "print", str(NOTE))
    assert rc == 0 and out.splitlines()[0] == ".:53 {" and out.splitlines()[-1] == "}"
    rc, out, _ = cli(capsys, "print", str(NOTE), "--format", "json")
    data = json.loads(out)
    assert (data["source"], data["text"].splitlines()[1]) == ("configmap", "    log")


def test_fmt(capsys):
    rc, out, err = cli(capsys, "fmt", str(DATA / "messy.Corefile"))
    assert (rc, out, err) == (0, (DATA / "messy.fmt-expected.Corefile").read_text(), "")


def test_parse_json_model(capsys):
    rc, out, _ = cli(capsys, "parse", str(DATA / "syntax-tour.Corefile"), "--format", "json")
    data = json.loads(out)
    assert rc == 0
    assert [i["kind"] for i in data["items"]] == ["snippet", "import", "server", "server", "server", "server"]
    tls = data["items"][3]
    assert [(k["transport"], k["zones"], k["port"]) for k in tls["keys"]] == [
        ("tls", ["example.org."], "853"), ("grpc", ["example.org."], "443"), ("https", ["example.org."], "443"),
    ]
    main_block = data["items"][2]
    forward = main_block["directives"][3]
    assert forward == {
        "name": "forward", "line": 17, "args": [".", "{$UPSTREAM}", "9.9.9.9"],
        "block": [{"name": "except", "line": 18, "args": ["example.internal"]},
                  {"name": "policy", "line": 19, "args": ["sequential"]}],
    }
    env_key = data["items"][5]["keys"][1]
    assert (env_key["text"], env_key["environment"], env_key["zones"]) == ("{$REV_ZONE}:53", True, None)
    assert data["comments"][:2] == [
        {"line": 1, "text": "# A Corefile touring CoreDNS's syntax: snippets, imports, schemes, ports, CIDR keys,"},
        {"line": 2, "text": "# quotes, comments and environment references."},
    ]
    assert {"line": 5, "text": "# quoted format with spaces"} in data["comments"]


def test_parse_text_outline(capsys):
    rc, out, _ = cli(capsys, "parse", str(NOTE))
    lines = out.splitlines()
    assert rc == 0
    assert lines[:3] == [f"{NOTE}: 1 item(s)", "line 8: server block dns://.:53", "  9: log"]
    assert "  15: kubernetes cluster.local in-addr.arpa ip6.arpa" in lines


def test_lint_exit_codes(capsys, monkeypatch):
    monkeypatch.delenv("UPSTREAM", raising=False)
    rc, out, _ = cli(capsys, "lint", str(NOTE))
    assert (rc, out) == (0, f"{NOTE}: no findings\n")
    warn = DATA / "warn-only.Corefile"
    rc, out, _ = cli(capsys, "lint", str(warn))
    assert rc == 1
    assert out.splitlines() == [
        f"{warn}:3: warning: rewrite-suffix-without-answer-auto: rewrite name suffix .b.local .cluster.local: "
        "suffix rewrite without `answer auto`; answers keep the rewritten name and clients drop them as not "
        "matching the question",
        f"{warn}: 1 finding(s): 0 critical, 1 warning, 0 info",
    ]
    rc, out, _ = cli(capsys, "lint", str(DATA / "lint-problems.Corefile"), "--format", "json")
    data = json.loads(out)
    assert rc == 3 and len(data["findings"]) == 11
    assert data["findings"][1] == {
        "rule": "forward-no-upstream", "severity": "critical", "file": str(DATA / "lint-problems.Corefile"),
        "line": 8, "message": "forward has no upstream: it needs `forward FROM TO...` "
                              "(CoreDNS refuses to start: wrong argument count)",
    }


def test_route_text_json_and_exit_codes(capsys):
    rc, out, _ = cli(capsys, "route", str(NOTE), "kubernetes.default.svc.cluster.local")
    lines = out.splitlines()
    assert rc == 0
    assert lines[:3] == [
        "kubernetes.default.svc.cluster.local. on port 53",
        f"answered by the server block at {NOTE}:8 (.:53), zone . over dns",
        "plugins in execution order (plugin.cfg, not file order):",
    ]
    assert [line.split()[1] for line in lines[3:]] == [
        "reload", "ready", "health", "prometheus", "errors", "log", "loadbalance", "cache", "kubernetes", "forward",
    ]
    rc, out, _ = cli(capsys, "route", str(NOTE), "example.org", "--port", "5353")
    assert (rc, out) == (1, "example.org. on port 5353: no server block serves this name; CoreDNS answers REFUSED\n")
    rc, out, _ = cli(capsys, "route", str(NOTE), "example.org", "--format", "json")
    data = json.loads(out)
    assert (rc, data["found"], data["zone"], data["steps"][-1]["plugin"]) == (0, True, ".", "forward")
    rc, _, err = cli(capsys, "route", str(NOTE), "example.org", "--port", "http")
    assert (rc, err) == (2, "error: --port 'http': must be a number 1-65535\n")


@pytest.mark.parametrize("command", ["print", "fmt", "parse", "lint", "route", "multicluster"])
def test_malformed_input_is_one_error_line_and_exit_2(capsys, tmp_path, command):
    bad = tmp_path / "bad.Corefile"
    bad.write_text(".:53 {\n    errors\n    forward . 8.8.8.8 {\n")
    extra = {"route": ["example.org"], "multicluster": ["--remote-name", "b", "--remote-dns", "192.0.2.1"]}
    rc, out, err = cli(capsys, command, str(bad), *extra.get(command, []))
    assert (rc, out, err) == (2, "", f"error: {bad}:3: missing '}}' for the '{{' opened at line 3\n")


def test_unreadable_and_bad_yaml(capsys, tmp_path):
    rc, _, err = cli(capsys, "lint", str(tmp_path / "missing.Corefile"))
    assert (rc, err) == (2, f"error: {tmp_path / 'missing.Corefile'}: no such file\n")
    bad = tmp_path / "cm.yaml"
    bad.write_text("apiVersion: v1\nkind: ConfigMap\ndata:\n  Corefile: [unclosed\n")
    rc, _, err = cli(capsys, "parse", str(bad))
    assert rc == 2 and err.startswith(f"error: {bad}:5: not valid YAML: ")
    loop = tmp_path / "loop.Corefile"
    loop.symlink_to(loop)
    rc, _, err = cli(capsys, "parse", str(loop))
    assert (rc, err) == (2, f"error: {loop}: symlink loop (too many levels of symbolic links)\n")


@pytest.mark.parametrize("command", ["print", "fmt", "parse", "lint", "route", "multicluster"])
def test_help_explains_exit_codes(capsys, command):
    rc, out, _ = cli(capsys, command, "--help")
    assert rc == 0
    assert "Exit codes:" in out and "--format" in out


def test_group_help_lists_commands(capsys):
    rc, out, _ = cli(capsys, "--help")
    assert rc == 0
    for command in ["print", "fmt", "parse", "lint", "route", "multicluster"]:
        assert f"  {command} " in out


def test_parse_never_shows_credentials(capsys, tmp_path):
    path = tmp_path / "Corefile"
    path.write_text(
        "example.org {\n"
        "    etcd example.org {\n"
        '        credentials root "s3cr3t pw"\n'
        "    }\n"
        "    tsig {\n"
        "        secret example.org. QUJDREVGR0hJSktMTU5PUA==\n"
        "    }\n"
        "    nomad {\n"
        "        token {$NOMAD_TOKEN}\n"
        "    }\n"
        "}\n"
    )
    rc, out, _ = cli(capsys, "parse", str(path))
    assert rc == 0
    assert out.splitlines()[1:] == [
        "line 1: server block dns://example.org.:53",
        "  2: etcd example.org",
        "    3: credentials root ****",
        "  5: tsig",
        "    6: secret example.org. ****",
        "  8: nomad",
        "    9: token {$NOMAD_TOKEN}",
    ]
    rc, out, _ = cli(capsys, "parse", str(path), "--format", "json")
    blocks = [d["block"] for d in json.loads(out)["items"][0]["directives"]]
    assert [(line["name"], line["args"]) for block in blocks for line in block] == [
        ("credentials", ["root", "****"]), ("secret", ["example.org.", "****"]), ("token", ["{$NOMAD_TOKEN}"]),
    ]
    assert "s3cr3t" not in out and "QUJD" not in out
    assert cli(capsys, "print", str(path))[1] == path.read_text()  # print re-emits the file itself
