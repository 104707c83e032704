"""Dockerfile parser, credential tracing, GOPRIVATE consistency and the lint CLI (text, JSON, SARIF)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from goanalyzer.cli.main import main
from goanalyzer.ops.common import OpsInputError
from goanalyzer.ops.dockerfile.parser import expand, parse_dockerfile, split_words, var_refs
from goanalyzer.ops.dockerfile.lint import analyse
from goanalyzer.ops.dockerfile.secrets import mask_text

DATA = Path(__file__).parent / "data" / "dockerfile"
NOTE = DATA / "Dockerfile.note"
SINGLE = DATA / "Dockerfile.single-stage"
FIXED = DATA / "Dockerfile.secret-mount"


def lint(text: str, target: str | None = None):
    return analyse(parse_dockerfile(text, "Dockerfile"), target)


# ------------------------------------------------------------------ parser


def test_parser_continuations_comments_and_stages() -> None:
    df = parse_dockerfile(NOTE.read_text(), "Dockerfile")
    assert [(s.name, s.base, s.base_stage, s.line) for s in df.stages] == [
        ("builder", "golang:1.21-alpine", None, 3), (None, "alpine:3.19", None, 21)]
    run = df.stages[0].instructions[4]
    assert (run.keyword, run.line, run.end_line) == ("RUN", 12, 13)
    assert run.args == ('apk add --no-cache git     && echo "machine stash.xxxx.com login ${GIT_USR} '
                        'password ${GIT_PWD}" > ~/.netrc')
    copy = df.stages[1].instructions[1]
    assert (copy.flags, copy.args) == (["--from=builder"], "/out/svc /usr/local/bin/svc")
    assert df.stages[1].instructions[2].json_args == ["/usr/local/bin/svc"]


def test_parser_escape_directive_heredoc_and_global_arg() -> None:
    df = parse_dockerfile(SINGLE.read_text(), "Dockerfile")
    assert (df.directives, df.escape) == ({"escape": "`"}, "`")
    assert [a.args for a in df.global_args] == ["GITLAB_TOKEN"]
    env = df.stages[0].instructions[3]
    assert (env.keyword, env.line, env.end_line, env.args) == ("ENV", 7, 8, "GOPROXY=https://goproxy.cn     GOFLAGS=-mod=mod")
    run = df.stages[0].instructions[6]
    assert (run.line, run.end_line, run.args) == (12, 16, "<<EOF")
    assert [(h.name, h.body, h.body_line) for h in run.heredocs] == [
        ("EOF", "set -e\ngo mod download\ngo build -o /app ./cmd/app", 13)]


def test_parser_comment_and_blank_lines_inside_a_continuation_and_tab_stripping_heredoc() -> None:
    text = "FROM alpine AS Base\nRUN apk add \\\n# a comment\n\n    curl\nRUN <<-EOT cat > /x\n\t\thello\n\tEOT\nFROM base\n"
    df = parse_dockerfile(text, "Dockerfile")
    assert df.stages[0].name == "base"
    assert df.stages[0].instructions[1].args == "apk add     curl"
    assert df.stages[0].instructions[2].heredocs[0].body == "hello"
    assert df.stages[1].base_stage == 0


def test_directive_after_a_comment_is_a_comment() -> None:
    df = parse_dockerfile("# hello\n# escape=`\nFROM alpine\nRUN echo a \\\n b\n", "Dockerfile")
    assert df.escape == "\\" and df.stages[0].instructions[1].args == "echo a  b"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("FROM alpine\nRUNN echo\n", "Dockerfile:2: unknown instruction: RUNN"),
        ("RUN echo\nFROM alpine\n", "Dockerfile:1: RUN before the first FROM: only ARG may precede FROM"),
        ("FROM alpine\nRUN <<EOF\necho\n", "Dockerfile:2: unterminated heredoc EOF"),
        ("# escape=x\nFROM alpine\n", "Dockerfile:1: invalid escape token 'x': must be \\ or `"),
        ("# escape=`\n# escape=\\\nFROM a\n", "Dockerfile:2: only one escape parser directive can be used"),
        ("FROM a AS b c\n", "Dockerfile:1: FROM requires either one argument, or three: FROM <source> [AS <name>]"),
        ("FROM a AS x\nFROM b AS X\n", "Dockerfile:2: duplicate stage name 'x'"),
        ("FROM a\nSHELL /bin/bash -c\n", "Dockerfile:2: SHELL requires the arguments to be in JSON form"),
        ("FROM a\nENV NAME\n", "Dockerfile:2: ENV NAME needs a value"),
        ("FROM a\nARG 1BAD\nRUN true\n", "Dockerfile:2: ARG: invalid name '1BAD'"),
        ("\n# only a comment\n", "Dockerfile: file with no instructions"),
        ("ARG A\n", "Dockerfile:1: no FROM instruction: a Dockerfile needs at least one stage"),
    ],
)
def test_malformed_dockerfiles_name_the_line(text: str, message: str) -> None:
    with pytest.raises(OpsInputError) as error:
        lint(text)
    assert str(error.value) == message


def test_words_references_and_expansion() -> None:
    assert split_words('A="x y" B=\'$z\' C=a\\ b') == ["A=x y", "B=$z", "C=a b"]
    assert var_refs("echo $A ${B:-x} \\$C ${D}") == ["A", "B", "D"]
    assert expand("${A}/${B:-def}/${C:+set}/$D", {"A": "a", "C": "c", "D": None}) == ("a/def/set/", ["D"])


def test_mask_text_hides_literal_passwords_only() -> None:
    assert mask_text("machine h login u password hunter2") == "machine h login u password ****"
    assert mask_text("machine h login u password ${P}") == "machine h login u password ${P}"
    assert mask_text("git clone https://bob:hunter2@git.example/x") == "git clone https://bob:****@git.example/x"
    assert mask_text("https://${U}:${P}@h/") == "https://${U}:${P}@h/"


# ------------------------------------------------------------------ analysis


def test_note_dockerfile_trace() -> None:
    report = lint(NOTE.read_text())
    assert report.final_stage == "#1"
    traces = {c.name: (c.kind, c.role.value, c.stage, c.line, [(u.line, u.kind.value, u.host, u.file) for u in c.uses],
                       c.final_stage_carries) for c in report.credentials}
    assert traces == {
        "GIT_USR": ("ARG", "login", "builder", 5, [(12, "netrc", "stash.xxxx.com", "/root/.netrc")], False),
        "GIT_PWD": ("ARG", "password", "builder", 6, [(12, "netrc", "stash.xxxx.com", "/root/.netrc")], False),
    }
    assert [(f.rule, f.severity.value, f.line) for f in report.findings] == [
        ("credential-build-arg", "info", 5),
        ("credential-build-arg", "warning", 6),
        ("credential-file-in-layer", "warning", 12),
        ("use-secret-mount", "info", 12),
    ]
    assert [(c.host, c.line, c.private_match, c.attempts, c.checksum_db) for c in report.go_checks] == [
        ("stash.xxxx.com", 17, "stash.xxxx.com", ["direct"], None)]


def test_target_builder_makes_the_builder_final() -> None:
    report = lint(NOTE.read_text(), target="builder")
    assert [(f.rule, f.severity.value) for f in report.findings if f.line == 6] == [("credential-build-arg", "critical")]


def test_final_stage_from_builder_and_copy_of_the_netrc_carry_it() -> None:
    base = NOTE.read_text().replace("FROM alpine:3.19", "FROM builder AS final")
    report = lint(base)
    assert {c.name: c.final_stage_carries for c in report.credentials} == {"GIT_USR": True, "GIT_PWD": True}
    copied = NOTE.read_text().replace("COPY --from=builder /out/svc /usr/local/bin/svc",
                                      "COPY --from=builder /root/ /root/")
    rule = next(f for f in lint(copied).findings if f.rule == "credential-file-in-layer")
    assert rule.severity.value == "critical"


def test_netrc_removed_in_the_same_run_leaves_no_file_finding() -> None:
    text = ("FROM golang:1.21\nARG GIT_PWD\nENV GOPRIVATE=stash.xxxx.com\n"
            "RUN echo \"machine stash.xxxx.com login ci password $GIT_PWD\" > /root/.netrc && go mod download"
            " && rm -f /root/.netrc\n")
    report = lint(text)
    assert "credential-file-in-layer" not in {f.rule for f in report.findings}
    assert report.credentials[0].exposures[-1] == (
        "file /root/.netrc (removed in the same RUN at line 4: not in the layer)")


def test_global_arg_used_without_redeclaration_is_out_of_scope() -> None:
    text = ("ARG GIT_PWD\nFROM golang:1.21\nENV GOPRIVATE=stash.xxxx.com\n"
            "RUN echo \"machine stash.xxxx.com login ci password ${GIT_PWD}\" > ~/.netrc && go mod download\n")
    rules = [(f.rule, f.line) for f in lint(text).findings]
    assert ("arg-out-of-scope", 4) in rules


def test_literal_password_is_critical_and_never_printed(capsys) -> None:
    text = ("FROM golang:1.21\nENV GOPRIVATE=stash.xxxx.com\n"
            "RUN echo 'machine stash.xxxx.com login ci password Sup3rS3cret!' > ~/.netrc && go mod download\n")
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"Dockerfile.literal.{os.getpid()}"
    path.write_text(text)
    try:
        for fmt in ("text", "json", "sarif"):
            rc = main(["ops", "dockerfile", "lint", str(path), "--format", fmt])
            out = capsys.readouterr().out
            assert rc == 3
            assert "Sup3rS3cret" not in out
            assert "****" in out
    finally:
        path.unlink()


def test_goprivate_missing_for_the_netrc_host() -> None:
    text = NOTE.read_text().replace("    GOPRIVATE=stash.xxxx.com", "    GOPRIVATE=gitlab.other.example")
    findings = [(f.rule, f.line, f.message) for f in lint(text).findings if f.rule.startswith("private-host")]
    assert findings == [
        ("private-host-checksum-db", 17,
         "stash.xxxx.com is not covered by GOPRIVATE: the go command looks its modules up in sum.golang.org, which "
         "fails with 404/410 ('verifying module') and discloses the module paths"),
        ("private-host-via-proxy", 17,
         "stash.xxxx.com (credentials at line 12) is not covered by GOPRIVATE: the go command at this line asks "
         "https://goproxy.cn for its modules first"),
    ]


def test_go_env_w_and_inline_assignment_are_seen() -> None:
    text = ("FROM golang:1.21\nARG GIT_PWD\nRUN go env -w GOPRIVATE=stash.xxxx.com GOPROXY=https://goproxy.cn,direct\n"
            "RUN echo \"machine stash.xxxx.com login ci password $GIT_PWD\" > ~/.netrc\n"
            "RUN GONOSUMDB=none go mod download\n")
    report = lint(text)
    assert [(c.goprivate, c.gonosumdb, c.checksum_db) for c in report.go_checks] == [
        ("stash.xxxx.com", "none", "sum.golang.org")]
    assert [f.rule for f in report.findings if f.rule.startswith("private-host")] == ["private-host-checksum-db"]


def test_secret_mount_dockerfile_is_clean() -> None:
    report = lint(FIXED.read_text())
    assert (report.credentials, report.findings, report.rewrites) == ([], [], [])


# ------------------------------------------------------------------ CLI


def test_cli_lint_note_text(capsys) -> None:
    rc = main(["ops", "dockerfile", "lint", str(NOTE)])
    lines = capsys.readouterr().out.splitlines()
    assert rc == 1
    assert lines[0] == f"{NOTE}: 2 stages (builder, #1); final stage: #1"
    assert lines[10:19] == [
        "  ARG GIT_PWD (password) line 6, stage builder",
        "    why: name looks like a credential; used as password (netrc)",
        "    used: line 12 (netrc): password of machine stash.xxxx.com in /root/.netrc",
        "    exposed: image history of stage builder: the RUNs at lines 12, 17, 19 record build-arg values "
        "(`RUN |N GIT_PWD=…`)",
        "             build provenance attestations in mode=max record build-arg values",
        "             file /root/.netrc in the layer of the instruction at line 12",
        "    final stage carries it: no",
        "",
        "Findings",
    ]
    rewrite = lines[lines.index("Proposed BuildKit rewrite (stage builder)"):]
    assert rewrite == [
        "Proposed BuildKit rewrite (stage builder)",
        "  first line:  # syntax=docker/dockerfile:1",
        "  delete line 5:  ARG GIT_USR",
        "  delete line 6:  ARG GIT_PWD",
        "  line 12-13:",
        "    - RUN apk add --no-cache git \\",
        '    -     && echo "machine stash.xxxx.com login ${GIT_USR} password ${GIT_PWD}" > ~/.netrc',
        "    + RUN apk add --no-cache git",
        "  line 17:",
        "    - RUN go mod download",
        "    + RUN --mount=type=secret,id=netrc,target=/root/.netrc go mod download",
        "  line 19:",
        "    - RUN CGO_ENABLED=0 go build -o /out/svc ./cmd/svc",
        "    + RUN --mount=type=secret,id=netrc,target=/root/.netrc CGO_ENABLED=0 go build -o /out/svc ./cmd/svc",
        "  build:",
        "    # in the CI job, outside the build context (the values come from the CI's secret variables):",
        "    umask 077; printf 'machine stash.xxxx.com login %s password %s\\n' \"$GIT_USR\" \"$GIT_PWD\" > "
        "\"$HOME/.netrc\"",
        "    docker build --secret id=netrc,src=\"$HOME/.netrc\" .",
    ]


def test_cli_lint_single_stage_is_critical_and_json(capsys) -> None:
    rc = main(["ops", "dockerfile", "lint", str(SINGLE), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert rc == 3
    assert [(f["rule"], f["severity"], f["line"]) for f in data["findings"]] == [
        ("credential-build-arg", "warning", 5),
        ("credential-build-arg", "critical", 6),
        ("credential-env", "critical", 9),
        ("credential-file-in-layer", "critical", 10),
        ("use-secret-mount", "info", 10),
        ("private-host-checksum-db", "warning", 12),
        ("private-host-via-proxy", "warning", 12),
    ]
    token = next(c for c in data["credentials"] if c["name"] == "GITLAB_TOKEN" and c["line"] == 6)
    assert [(u["line"], u["kind"]) for u in token["uses"]] == [(9, "env"), (10, "gitconfig")]
    assert data["rewrites"][0]["replacements"][0]["after"] is None


def _check_sarif(doc: dict) -> None:
    """The constraints of the SARIF 2.1.0 schema that code-scanning uploads rely on."""
    assert doc["version"] == "2.1.0"
    assert doc["$schema"].endswith("sarif-2.1.0.json")
    (run,) = doc["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "goanalyzer-dockerfile-lint"
    rule_ids = [r["id"] for r in driver["rules"]]
    assert len(rule_ids) == len(set(rule_ids))
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("none", "note", "warning", "error")
        float(rule["properties"]["security-severity"])
    for result in run["results"]:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in ("none", "note", "warning", "error")
        assert result["message"]["text"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["endLine"] >= region["startLine"]
        for related in result.get("relatedLocations", []):
            assert related["physicalLocation"]["region"]["startLine"] >= 1


def test_cli_lint_sarif(capsys) -> None:
    rc = main(["ops", "dockerfile", "lint", str(NOTE), "--format", "sarif"])
    doc = json.loads(capsys.readouterr().out)
    assert rc == 1
    _check_sarif(doc)
    results = doc["runs"][0]["results"]
    assert [(r["ruleId"], r["level"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results] == [
        ("credential-build-arg", "note", 5),
        ("credential-build-arg", "warning", 6),
        ("credential-file-in-layer", "warning", 12),
        ("use-secret-mount", "note", 12),
    ]
    assert results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == NOTE.as_posix()
    assert results[1]["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 12


def test_sarif_validates_against_the_official_schema_when_available(capsys) -> None:
    """Set SARIF_SCHEMA to a copy of the OASIS sarif-schema-2.1.0.json to run this check."""
    schema_path = os.environ.get("SARIF_SCHEMA")
    if not schema_path or not Path(schema_path).is_file():
        pytest.skip("SARIF_SCHEMA not set")
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(Path(schema_path).read_text())
    if "Root" in schema.get("definitions", {}):
        schema = {**schema, "$ref": "#/definitions/Root"}
    for path in (NOTE, SINGLE):
        main(["ops", "dockerfile", "lint", str(path), "--format", "sarif"])
        doc = json.loads(capsys.readouterr().out)
        errors = [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(doc)]
        assert errors == []


def test_cli_lint_errors(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM golang:1.21\nRUN <<EOF\ngo build\n")
    assert main(["ops", "dockerfile", "lint", str(bad)]) == 2
    assert capsys.readouterr().err == f"error: {bad}:2: unterminated heredoc EOF\n"
    assert main(["ops", "dockerfile", "lint", str(NOTE), "--target", "nope"]) == 2
    assert capsys.readouterr().err == f"error: {NOTE}: no stage named 'nope' (stages: builder, #1)\n"


def test_cli_lint_clean_exit_0(capsys) -> None:
    assert main(["ops", "dockerfile", "lint", str(FIXED)]) == 0
    assert capsys.readouterr().out.splitlines()[2] == "Credentials: none found"


# ------------------------------------------------------------------ printf writes, URL values, no leaked values

PRINTF = (
    "FROM golang:1.21 AS b\n"
    "ARG GIT_USR=deploy\n"
    "ARG GIT_PWD=hunter2lit\n"
    "ARG TOKEN\n"
    "RUN printf 'machine stash.xxxx.com login %s password %s\\n' \"$GIT_USR\" \"$GIT_PWD\" > /root/.netrc"
    " && go mod download\n"
    "RUN echo $TOKEN\n"
)


def test_printf_netrc_write_traces_its_arguments_and_is_no_literal_password() -> None:
    report = lint(PRINTF)
    traces = {c.name: (c.role.value, [(u.line, u.kind.value, u.host) for u in c.uses]) for c in report.credentials}
    assert traces == {
        "GIT_USR": ("login", [(5, "netrc", "stash.xxxx.com")]),
        "GIT_PWD": ("password", [(5, "netrc", "stash.xxxx.com")]),
        "TOKEN": ("secret", [(6, "command", None)]),
    }
    assert [(f.rule, f.line) for f in report.findings if f.rule == "hardcoded-credential"] == [
        ("hardcoded-credential", 3)]  # the ARG default, not the printf %s


def test_rewrite_masks_removed_defaults_and_feeds_the_netrc_from_the_variables_it_used() -> None:
    (rewrite,) = lint(PRINTF).rewrites
    assert rewrite.remove_lines == [{"line": 2, "text": "ARG GIT_USR=****"}, {"line": 3, "text": "ARG GIT_PWD=****"}]
    assert rewrite.build_command[1] == (
        "umask 077; printf 'machine stash.xxxx.com login %s password %s\\n' \"$GIT_USR\" \"$GIT_PWD\" > \"$HOME/.netrc\"")


def test_rewrite_keeps_a_literal_url_user_name_in_the_netrc_format() -> None:
    text = ("FROM golang:1.21\nARG GIT_TOKEN\n"
            "RUN git config --global url.\"https://oauth2:${GIT_TOKEN}@git.corp/\".insteadOf https://git.corp/"
            " && go mod download\n")
    (rewrite,) = lint(text).rewrites
    assert rewrite.build_command[1] == (
        "umask 077; printf 'machine git.corp login oauth2 password %s\\n' \"$GIT_TOKEN\" > \"$HOME/.netrc\"")


def test_env_url_with_a_literal_password_is_a_hardcoded_credential() -> None:
    text = ("FROM golang:1.21\nARG ART\n"
            "ENV GOPROXY=https://ci:s3cretpw@artifactory.corp/api/go,direct GONOSUMDB=x\n"
            "ENV GOFLAGS=-mod=mod MIRROR=https://ci:${ART}@mirror.corp/\n"
            "RUN go build ./...\n")
    report = lint(text)
    creds = {c.name: (c.kind, c.role.value, c.default, c.reasons) for c in report.credentials}
    assert creds == {
        "ART": ("ARG", "password", None, ["password in a URL in ENV MIRROR"]),
        "GOPROXY": ("ENV", "password", "****", ["value is a URL with a literal user:password@"]),
        "MIRROR": ("ENV", "password", None, ["copies ART"]),
    }
    assert [(f.rule, f.severity.value, f.line) for f in report.findings if f.line in (3, 4)] == [
        ("credential-env", "critical", 3), ("hardcoded-credential", "critical", 3),
        ("credential-env", "critical", 4)]


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_no_output_format_shows_a_literal_secret(tmp_path: Path, capsys, fmt: str) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(PRINTF + "ENV GOPROXY=https://ci:s3cretpw@artifactory.corp/go,direct GOPRIVATE=stash.xxxx.com\n"
                          "ENV NPM_PASSWORD hunter3lit\nRUN echo 'machine h.example login u password hunter4lit' >> ~/.netrc"
                          " && go build ./...\n")
    assert main(["ops", "dockerfile", "lint", str(dockerfile), "--format", fmt]) == 3
    out = capsys.readouterr().out
    assert "****" in out
    for secret in ("hunter2lit", "hunter3lit", "hunter4lit", "s3cretpw"):
        assert secret not in out
