"""`dockerfile lint` on the credential patterns of real Dockerfiles: no critical for stand-ins
(GitHub's x-oauth-basic filler, secret mounts, placeholder defaults, commands that remove
credentials), printf-written .netrc files, GOPRIVATE globs, secrets in the build log and in curl/wget,
the --secret command for every host, masking in every format, and hostile input."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from goanalyzer.cli.main import main
from goanalyzer.ops.dockerfile.lint import analyse
from goanalyzer.ops.dockerfile.parser import parse_dockerfile
from goanalyzer.ops.dockerfile.secrets import is_literal_secret, mask_text


def lint(text: str):
    return analyse(parse_dockerfile(text, "Dockerfile"))


def rules(report) -> list[tuple[str, str, int]]:
    return [(f.rule, f.severity.value, f.line) for f in report.findings]


# ------------------------------------------------------------------ encodings and input


GBK_DOCKERFILE = (
    "# \u6784\u5efa\u955c\u50cf: private modules from stash\n".encode("gbk")
    + b"FROM golang:1.21 AS builder\nARG GIT_PWD\nENV GOPRIVATE=stash.xxxx.com\n"
    + b"RUN echo \"machine stash.xxxx.com login ci password ${GIT_PWD}\" > ~/.netrc && go mod download\n"
    + "# \u6e05\u7406\n".encode("gbk") + b"FROM alpine:3.19\n"
)


def test_a_gbk_comment_never_stops_the_scan(tmp_path: Path, capsys) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_bytes(GBK_DOCKERFILE)
    assert main(["ops", "dockerfile", "lint", str(dockerfile), "--format", "json"]) == 1
    out, err = capsys.readouterr()
    assert err == f"warning: {dockerfile}:1: bytes that are not UTF-8 were kept as they are\n"
    data = json.loads(out)
    assert [(f["rule"], f["severity"], f["line"]) for f in data["findings"]] == [
        ("credential-build-arg", "warning", 3),
        ("credential-file-in-layer", "warning", 5),
        ("use-secret-mount", "info", 5),
    ]
    assert [(c["name"], c["role"]) for c in data["credentials"]] == [("GIT_PWD", "password")]


def test_gbk_bytes_in_an_instruction_are_shown_as_escapes(tmp_path: Path, capsys) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_bytes(b"FROM golang:1.21\nARG GIT_PWD\n"
                           b"RUN echo \"machine h login \xd6\xd0 password ${GIT_PWD}\" > ~/.netrc && go build\n")
    assert main(["ops", "dockerfile", "lint", str(dockerfile)]) == 3
    out, err = capsys.readouterr()
    assert err == f"warning: {dockerfile}:3: bytes that are not UTF-8 were kept as they are\n"
    assert '    - RUN echo "machine h login \\xd6\\xd0 password ${GIT_PWD}" > ~/.netrc && go build' in out.splitlines()


def test_dash_reads_the_dockerfile_from_stdin(monkeypatch, capsys) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"FROM alpine\nRUN true\n")))
    assert main(["ops", "dockerfile", "lint", "-"]) == 0
    assert capsys.readouterr().out == "<stdin>: 1 stage (#0); final stage: #0\n\nCredentials: none found\n"


def test_a_symlink_loop_says_so(tmp_path: Path, capsys) -> None:
    loop = tmp_path / "Dockerfile"
    loop.symlink_to(loop)
    assert main(["ops", "dockerfile", "lint", str(loop)]) == 2
    assert capsys.readouterr().err == f"error: {loop}: symlink loop (too many levels of symbolic links)\n"


def test_an_8_mb_instruction_is_read(tmp_path: Path, capsys) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM golang:1.21\nRUN echo \"machine h login u password " + "a1" * 4_000_000
                          + "\" > ~/.netrc && go build\n")
    assert main(["ops", "dockerfile", "lint", str(dockerfile), "--format", "json"]) == 3
    data = json.loads(capsys.readouterr().out)
    assert [(f["rule"], f["severity"], f["line"]) for f in data["findings"]] == [
        ("credential-file-in-layer", "critical", 2), ("hardcoded-credential", "critical", 2),
        ("private-host-checksum-db", "warning", 2), ("private-host-via-proxy", "warning", 2),
        ("use-secret-mount", "info", 2)]


# ------------------------------------------------------------------ stand-ins are not credentials


@pytest.mark.parametrize("default", ["nothing", "local", "changeme", "xxx", "<token>", "${GITHUB_TOKEN}", '""',
                                     "your-token-here", "\"{{ token }}\"", "none"])
def test_placeholder_defaults_are_not_hardcoded(default: str) -> None:
    report = lint(f"FROM golang:1.21\nARG GITHUB_TOKEN\nARG NPM_TOKEN={default}\nRUN npm ci\n")
    assert [(c.name, c.default) for c in report.credentials] == [("GITHUB_TOKEN", None), ("NPM_TOKEN", None)]
    assert "hardcoded-credential" not in {f.rule for f in report.findings}


def test_a_real_default_is_still_hardcoded() -> None:
    report = lint("FROM golang:1.21\nARG NPM_TOKEN=npm_9fK2mQ7xLp\nRUN npm ci\n")
    assert rules(report) == [("credential-build-arg", "critical", 2), ("hardcoded-credential", "critical", 2)]


@pytest.mark.parametrize(("value", "literal"), [
    ("hunter2", True), ("x-oauth-basic", False), ("$(cat", False), ("`cat", False), ("%s", False),
    ("****", False), ("", False), ("XXXX", False), ("[password]", False), ("GIT_PWD", False)])
def test_what_is_a_literal_secret(value: str, literal: bool) -> None:
    assert is_literal_secret(value, "GIT_PWD") is literal


def test_github_x_oauth_basic_filler_is_no_literal_password_and_the_user_is_the_token() -> None:
    report = lint("FROM golang:1.21 AS build\nARG GITHUB_TOKEN\nENV GOPRIVATE=github.com/acme\n"
                  "RUN git config --global url.\"https://${GITHUB_TOKEN}:x-oauth-basic@github.com/\".insteadOf "
                  "\"https://github.com/\"\nRUN go mod download\nFROM alpine\n")
    assert [(c.name, c.role.value, [(u.line, u.kind.value, u.detail) for u in c.uses]) for c in report.credentials] == [
        ("GITHUB_TOKEN", "password",
         [(4, "gitconfig", "token as the user name in a URL for github.com (x-oauth-basic)")])]
    assert rules(report) == [("credential-build-arg", "warning", 2), ("credential-file-in-layer", "warning", 4),
                             ("use-secret-mount", "info", 4)]
    assert report.rewrites[0].build_command[1] == (
        "umask 077; printf 'machine github.com login x-access-token password %s\\n' \"$GITHUB_TOKEN\" > \"$HOME/.netrc\"")


def test_a_literal_token_before_the_filler_is_hardcoded_and_masked() -> None:
    report = lint("FROM golang:1.21\nRUN git clone https://ghp_L1teralT0ken:x-oauth-basic@github.com/acme/x\n")
    assert [(f.rule, f.message) for f in report.findings if f.severity.value == "critical"] == [
        ("hardcoded-credential", "literal token as the user name (****) in a URL for github.com")]
    assert mask_text("git clone https://ghp_L1teralT0ken:x-oauth-basic@github.com/acme/x") == (
        "git clone https://****:x-oauth-basic@github.com/acme/x")


def test_secret_mounts_read_with_cat_are_no_literal_credentials() -> None:
    report = lint(
        "FROM golang:1.21\nENV GOPRIVATE=git.corp,github.com\n"
        "RUN --mount=type=secret,id=token echo \"machine git.corp login ci password $(cat /run/secrets/token)\""
        " > ~/.netrc && go mod download && rm -f ~/.netrc\n"
        "RUN --mount=type=secret,id=gh GITHUB_TOKEN=$(cat /run/secrets/gh) && git config --global "
        "url.\"https://${GITHUB_TOKEN}:x-oauth-basic@github.com/\".insteadOf https://github.com/ && go build ./... "
        "&& git config --global --unset url.\"https://${GITHUB_TOKEN}:x-oauth-basic@github.com/\".insteadOf\n")
    assert (report.credentials, report.findings, report.rewrites) == ([], [], [])
    assert [(c.host, c.private_match) for c in report.go_checks] == [("git.corp", "git.corp"), ("github.com", "github.com")]


def test_commands_that_remove_credentials_write_none() -> None:
    report = lint("FROM golang:1.21\nARG GIT_TOKEN\nENV GOPRIVATE=git.corp\n"
                  "RUN git config --global url.\"https://oauth2:${GIT_TOKEN}@git.corp/\".insteadOf https://git.corp/ "
                  "&& go mod download && git config --global --remove-section url.\"https://oauth2:${GIT_TOKEN}@git.corp/\"\n"
                  "RUN rm ~/.netrc ~/.git-credentials\n")
    (cred,) = report.credentials
    assert [(u.line, u.kind.value, u.removed_in_same_run) for u in cred.uses] == [(4, "gitconfig", True)]
    assert cred.exposures[-1] == "file /root/.gitconfig (removed in the same RUN at line 4: not in the layer)"
    assert rules(report) == [("credential-build-arg", "critical", 2), ("use-secret-mount", "info", 4)]
    assert [(r["line"], r["after"]) for r in report.rewrites[0].replacements] == [
        (4, "RUN --mount=type=secret,id=netrc,target=/root/.netrc go mod download")]


# ------------------------------------------------------------------ printf-written .netrc and GOPRIVATE globs


def test_printf_with_newline_escapes_writes_the_host_it_names() -> None:
    report = lint("FROM golang:1.21\nARG GIT_USR\nARG GIT_PWD\nENV GOPROXY=https://goproxy.cn,direct "
                  "GOPRIVATE=stash.xxxx.com\n"
                  "RUN printf \"machine stash.xxxx.com\\n login ${GIT_USR}\\n password ${GIT_PWD}\\n\" > ~/.netrc"
                  " && go mod download\n")
    assert {c.name: [(u.kind.value, u.host) for u in c.uses] for c in report.credentials} == {
        "GIT_USR": [("netrc", "stash.xxxx.com")], "GIT_PWD": [("netrc", "stash.xxxx.com")]}
    assert [(c.host, c.private_match, c.attempts, c.checksum_db) for c in report.go_checks] == [
        ("stash.xxxx.com", "stash.xxxx.com", ["direct"], None)]
    assert not [f for f in report.findings if f.rule.startswith("private-host")]


def test_echo_with_newline_escapes_and_a_literal_password_is_masked() -> None:
    text = 'RUN echo "machine h.corp\\nlogin ci\\npassword S3cr3tLit" > ~/.netrc'
    assert mask_text(text) == 'RUN echo "machine h.corp\\nlogin ci\\npassword ****" > ~/.netrc'
    report = lint("FROM golang:1.21\n" + text + "\n")
    assert [(f.rule, f.message) for f in report.findings if f.rule == "hardcoded-credential"] == [
        ("hardcoded-credential", "literal password (****) for machine h.corp written to /root/.netrc")]


def test_goprivate_org_glob_covers_the_org_on_a_host_the_build_authenticates_to() -> None:
    report = lint("FROM golang:1.21\nARG GH_PAT\nENV GOPRIVATE=github.com/acme/*\n"
                  "RUN printf \"machine github.com\\n login ci\\n password ${GH_PAT}\\n\" > ~/.netrc && go mod download\n")
    assert [(c.host, c.private_match, c.attempts, c.checksum_db) for c in report.go_checks] == [
        ("github.com", "github.com/acme/*", ["direct"], None)]
    assert rules(report) == [("credential-build-arg", "critical", 2), ("credential-file-in-layer", "critical", 4),
                             ("use-secret-mount", "info", 4)]


# ------------------------------------------------------------------ secrets in the build log, curl and wget


LOG = ("FROM alpine\nARG TOKEN\nARG NPM_USER\nRUN echo ${TOKEN}\nRUN echo \"token is $TOKEN\" && echo $NPM_USER\n"
       "RUN echo $TOKEN | docker login -u ci --password-stdin registry.corp && echo \"$TOKEN\" > /tmp/t\n"
       "RUN --mount=type=secret,id=npm cat /run/secrets/npm && cat /run/secrets/npm > /dev/null\n")


def test_secrets_echoed_to_the_build_log_are_findings() -> None:
    report = lint(LOG)
    assert [(f.rule, f.severity.value, f.line, f.message) for f in report.findings if f.rule == "secret-in-build-log"] == [
        ("secret-in-build-log", "warning", 4, "TOKEN (secret) is printed to the build output: the build log (CI job "
         "logs, docker build --progress=plain) shows its value"),
        ("secret-in-build-log", "warning", 5, "TOKEN (secret) is printed to the build output: the build log (CI job "
         "logs, docker build --progress=plain) shows its value"),
        ("secret-in-build-log", "warning", 7, "the BuildKit secret /run/secrets/npm is printed to the build output: "
         "the build log shows its value"),
    ]


CURL = ("FROM alpine\nARG NEXUS_USER\nARG NEXUS_PASS\nARG GH\n"
        "RUN curl -fsSL -u admin:Hunter2pw https://nexus.corp/a -o /a\n"
        "RUN curl --user \"${NEXUS_USER}:${NEXUS_PASS}\" https://nexus.corp/b -o /b\n"
        "RUN curl -H \"Authorization: Bearer ${GH}\" https://api.github.com/x && "
        "curl -H 'Authorization: token ghp_R3alT0ken' https://api.github.com/y\n"
        "RUN wget --user=ci --password=W3tPass https://dl.corp/c && curl -u \"$NEXUS_USER\" https://nexus.corp/c\n")


def test_curl_and_wget_credentials_are_traced_and_literals_are_critical() -> None:
    report = lint(CURL)
    assert [(c.name, c.role.value, [(u.line, u.kind.value, u.detail) for u in c.uses]) for c in report.credentials] == [
        ("NEXUS_USER", "login", [(6, "http-auth", "user name of curl -u for nexus.corp"),
                                 (8, "command", "referenced by the command")]),
        ("NEXUS_PASS", "password", [(6, "http-auth", "password of curl -u for nexus.corp")]),
        ("GH", "password", [(7, "http-auth", "Authorization header for api.github.com")]),
    ]
    assert [(f.line, f.message) for f in report.findings if f.rule == "hardcoded-credential"] == [
        (5, "literal credential (****) in the password of curl -u for nexus.corp"),
        (7, "literal credential (****) in the Authorization header for api.github.com"),
        (8, "literal credential (****) in the password of wget --password for dl.corp"),
    ]


def test_mask_text_hides_curl_wget_and_header_credentials_only() -> None:
    assert mask_text("curl -fsSL -u admin:Hunter2pw https://h/ && curl --user=\"$U:$P\" https://h/") == (
        "curl -fsSL -u admin:**** https://h/ && curl --user=\"$U:$P\" https://h/")
    assert mask_text("curl -H 'Authorization: token ghp_R3al' -H \"PRIVATE-TOKEN: ${T}\" https://h/") == (
        "curl -H 'Authorization: token ****' -H \"PRIVATE-TOKEN: ${T}\" https://h/")
    assert mask_text("wget --user=ci --password=W3tPass https://h/") == "wget --user=ci --password=**** https://h/"
    assert mask_text("useradd -u 1000:1000 x") == "useradd -u 1000:1000 x"


# ------------------------------------------------------------------ the --secret command names every host


def test_the_secret_command_names_every_host_including_literal_only_stages() -> None:
    report = lint(
        "FROM golang:1.21 AS a\nARG GIT_PWD\nENV GOPRIVATE=stash.xxxx.com,git.corp\n"
        "RUN echo \"machine stash.xxxx.com login ci password ${GIT_PWD}\" > ~/.netrc && "
        "echo \"machine git.corp login bob password Lit3ralPw\" >> ~/.netrc && go mod download\n"
        "FROM golang:1.21 AS b\nENV GOPRIVATE=gitlab.example.com\n"
        "RUN printf 'machine gitlab.example.com\\nlogin deploy\\npassword S3cretLit\\n' > /root/.netrc && go build ./..."
        " && rm /root/.netrc\nFROM alpine\n")
    assert [(r.stage, r.build_command[1]) for r in report.rewrites] == [
        ("a", "umask 077; printf 'machine git.corp login bob password %s\\nmachine stash.xxxx.com login ci password "
              "%s\\n' \"$GIT_CORP_PASSWORD\" \"$GIT_PWD\" > \"$HOME/.netrc\""),
        ("b", "umask 077; printf 'machine gitlab.example.com login deploy password %s\\n' "
              "\"$GITLAB_EXAMPLE_COM_PASSWORD\" > \"$HOME/.netrc\""),
    ]
    assert [(c.stage, c.host, c.private_match) for c in report.go_checks] == [
        ("a", "git.corp", "git.corp"), ("a", "stash.xxxx.com", "stash.xxxx.com"),
        ("b", "gitlab.example.com", "gitlab.example.com")]


# ------------------------------------------------------------------ masked in every format

SECRETS = ("Hunter2pw", "ghp_R3alT0ken", "W3tPass", "ghp_L1teralT0ken", "S3cr3tLit")


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_no_format_prints_a_literal_secret(tmp_path: Path, capsys, fmt: str) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(CURL.replace("FROM alpine", "FROM golang:1.21")
                          + "RUN git clone https://ghp_L1teralT0ken:x-oauth-basic@github.com/acme/x && go build\n"
                          + "RUN printf \"machine h.corp\\nlogin ci\\npassword S3cr3tLit\\n\" > ~/.netrc && go build\n")
    assert main(["ops", "dockerfile", "lint", str(dockerfile), "--format", fmt]) == 3
    out = capsys.readouterr().out
    assert "****" in out
    assert [secret for secret in SECRETS if secret in out] == []


def test_sarif_carries_the_build_log_rule(tmp_path: Path, capsys) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(LOG)
    assert main(["ops", "dockerfile", "lint", str(dockerfile), "--format", "sarif"]) == 3
    run = json.loads(capsys.readouterr().out)["runs"][0]
    rule = next(r for r in run["tool"]["driver"]["rules"] if r["id"] == "secret-in-build-log")
    assert (rule["name"], rule["defaultConfiguration"]["level"], rule["properties"]["security-severity"]) == (
        "SecretInBuildLog", "warning", "6.0")
    assert [(r["level"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
            for r in run["results"] if r["ruleId"] == "secret-in-build-log"] == [("warning", 4), ("warning", 5),
                                                                                  ("warning", 7)]
