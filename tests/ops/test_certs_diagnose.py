"""`goanalyzer ops certs diagnose`: the kube-apiserver loopback-certificate diagnosis and its look-alikes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from goanalyzer.cli.main import main
from goanalyzer.ops.certs.diagnose import extract_failure
from goanalyzer.ops.certs.klog import parse_line, parse_message

DATA = Path(__file__).resolve().parent / "data" / "certs"
SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples" / "klog"
NOW = "2026-11-26T00:00:00Z"

ISSUE_LINES = (
    "I0510 17:43:56.892900  790992 log.go:172] http: TLS handshake error from 10.13.96.11:36528: remote error: tls: bad certificate\n"
    "E0510 17:43:56.892945  790992 reflector.go:178] k8s.io/client-go/informers/factory.go:135: Failed to list"
    " *v1.MutatingWebhookConfiguration: Get https://10.13.96.11:6443/apis/admissionregistration.k8s.io/v1/"
    "mutatingwebhookconfigurations?resourceVersion=331916875: x509: certificate has expired or is not yet valid\n"
)


def run(capsys, *args: str) -> tuple[int, str, str]:
    rc = main(["ops", "certs", "diagnose", *args])
    out, err = capsys.readouterr()
    return rc, out, err


def diagnose_json(capsys, *args: str) -> tuple[int, dict]:
    rc, out, err = run(capsys, *args, "--now", NOW, "--format", "json")
    assert err == ""
    return rc, json.loads(out)


@pytest.fixture
def issue_log(tmp_path: Path) -> Path:
    path = tmp_path / "kube-apiserver.log"
    path.write_text(ISSUE_LINES)
    return path


def test_issue_lines_inferred_self_ip_give_loopback(issue_log, capsys):
    rc, doc = diagnose_json(capsys, str(issue_log), "--year", "2020")
    assert rc == 3
    assert doc["verdict"] == "loopback-cert-expired"
    assert doc["severity"] == "critical"
    assert doc["self_addresses"] == [{
        "address": "10.13.96.11",
        "origin": "inferred",
        "reason": "target of 1 client-go request(s) to the Kubernetes API, e.g. https://10.13.96.11:6443/apis/"
                  "admissionregistration.k8s.io/v1/mutatingwebhookconfigurations?resourceVersion=331916875",
    }]
    assert doc["failures_total"] == 2
    g1, g2 = doc["groups"]
    assert (g1["kind"], g1["side"], g1["rejected_by"], g1["source"], g1["target"], g1["component"], g1["involves_self"], g1["count"]) == (
        "bad-certificate", "incoming-handshake", "peer", "10.13.96.11", None, "log.go", True, 1)
    assert (g2["kind"], g2["side"], g2["source"], g2["target"], g2["component"], g2["involves_self"]) == (
        "expired-or-not-yet-valid", "outgoing-request", None, "10.13.96.11:6443", "reflector.go", True)
    assert g1["first"] == "2020-05-10T17:43:56.892900" and g2["last"] == "2020-05-10T17:43:56.892945"
    assert g1["samples"] == [{"path": str(issue_log), "line": 1, "text": ISSUE_LINES.splitlines()[0]}]
    assert doc["patterns"][0]["pattern"] == "loopback-cert-expired" and doc["patterns"][0]["groups"] == [1, 2]
    assert doc["fix"][0].startswith("Restart each affected kube-apiserver replica")
    assert doc["verify"] == [
        "curl -vk --resolve apiserver-loopback-client:6443:10.13.96.11 https://apiserver-loopback-client:6443/healthz 2>&1 | grep -E 'subject:|expire date:'",
        "openssl s_client -connect 10.13.96.11:6443 -servername apiserver-loopback-client </dev/null 2>/dev/null | openssl x509 -noout -subject -dates",
        "goanalyzer ops certs probe 10.13.96.11:6443 --servername apiserver-loopback-client",
    ]


def test_issue_lines_with_self_ip_text(issue_log, capsys):
    rc, out, err = run(capsys, str(issue_log), "--self-ip", "10.13.96.11", "--year", "2020", "--now", NOW)
    assert (rc, err) == (3, "")
    lines = out.splitlines()
    assert lines[0] == "verdict: loopback-cert-expired (critical)"
    assert lines[1].startswith(
        "2 certificate failure(s) in 2 group(s), all on connections of the apiserver to its own address (10.13.96.11),"
        " from 2020-05-10 17:43:56.892900 to 2020-05-10 17:43:56.892945."
    )
    assert "  10.13.96.11 (given: --self-ip)" in lines
    assert "  [1] bad-certificate incoming-handshake from 10.13.96.11 [own address] log.go x1 2020-05-10 17:43:56.892900 .. 2020-05-10 17:43:56.892900" in lines
    assert "  loopback-cert-expired (critical): groups 1, 2" in lines
    assert "  $ goanalyzer ops certs probe 10.13.96.11:6443 --servername apiserver-loopback-client" in lines


def test_handshake_line_alone_needs_self_ip(tmp_path, capsys):
    path = tmp_path / "a.log"
    path.write_text(ISSUE_LINES.splitlines()[0] + "\n")
    rc, doc = diagnose_json(capsys, str(path), "--year", "2020")
    assert (rc, doc["verdict"], doc["self_addresses"]) == (1, "client-cert-invalid", [])
    rc, doc = diagnose_json(capsys, str(path), "--year", "2020", "--self-ip", "10.13.96.11")
    assert (rc, doc["verdict"]) == (3, "loopback-cert-expired")


def test_data_log_loopback_ignores_non_certificate_noise(capsys):
    rc, doc = diagnose_json(capsys, str(DATA / "apiserver-loopback.log"), "--year", "2020")
    assert (rc, doc["verdict"], doc["failures_total"]) == (3, "loopback-cert-expired", 4)
    assert [(g["kind"], g["count"]) for g in doc["groups"]] == [("bad-certificate", 2), ("expired-or-not-yet-valid", 2)]
    assert doc["logs"] == [{"path": str(DATA / "apiserver-loopback.log"), "lines": 6, "klog_lines": 6}]


def test_outside_client_expired_is_not_loopback(capsys):
    log = str(DATA / "outside-client-expired.log")
    for extra in ((), ("--self-ip", "10.13.96.11")):
        rc, doc = diagnose_json(capsys, log, "--year", "2020", *extra)
        assert rc == 1
        assert doc["verdict"] == "client-cert-invalid"
        assert [(g["kind"], g["side"], g["source"], g["involves_self"], g["count"]) for g in doc["groups"]] == [
            ("expired-or-not-yet-valid", "authentication", None, False, 2),
            ("bad-certificate", "incoming-handshake", "10.13.96.42", False, 1),
        ]
        assert doc["fix"][1] == "Restarting the apiserver does not help here."


def test_loopback_plus_outside_failures_is_not_concluded(tmp_path, capsys):
    path = tmp_path / "mixed.log"
    path.write_text(ISSUE_LINES + (DATA / "outside-client-expired.log").read_text())
    rc, doc = diagnose_json(capsys, str(path), "--year", "2020")
    assert (rc, doc["verdict"]) == (1, "client-cert-invalid")
    assert [g["involves_self"] for g in doc["groups"]] == [False, True, False, True]
    assert doc["summary"].endswith(
        "2 failure(s) also involve the apiserver's own address; the loopback certificate is not concluded because other connections fail too."
    )


def test_clock_skew_from_structured_cri_log(capsys):
    rc, doc = diagnose_json(capsys, str(DATA / "structured-cri.log"))
    assert rc == 3
    assert doc["verdict"] == "clock-skew"
    assert doc["year"] == 2026
    skew = [g for g in doc["groups"] if g["kind"] == "not-yet-valid"][0]
    assert (skew["side"], skew["certificate_not_before"], skew["first"]) == ("authentication", ["2026-03-02T09:00:00Z"], "2026-03-02T08:15:00.123400")
    ua = [g for g in doc["groups"] if g["kind"] == "unknown-authority"][0]
    assert (ua["side"], ua["target"], ua["component"]) == ("outgoing-request", "example-webhook.example.svc:443", "dispatcher.go")
    assert [p["pattern"] for p in doc["patterns"]] == ["clock-skew", "unknown-authority"]
    assert doc["verify"] == ["timedatectl status", "chronyc tracking"]


def test_unknown_authority(capsys):
    rc, doc = diagnose_json(capsys, str(DATA / "unknown-authority.log"), "--year", "2026")
    assert (rc, doc["verdict"]) == (1, "unknown-authority")
    assert [(g["side"], g["source"], g["target"], g["count"]) for g in doc["groups"]] == [
        ("incoming-handshake", "192.168.5.20", None, 1),
        ("outgoing-request", None, "example-webhook.example.svc:443", 2),
    ]
    assert doc["verify"][-1] == "openssl s_client -connect example-webhook.example.svc:443 -showcerts </dev/null"


def test_no_failures_is_none(tmp_path, capsys):
    path = tmp_path / "quiet.log"
    path.write_text("I0510 17:44:02.330011  790992 log.go:172] http: TLS handshake error from 10.13.96.1:52210: EOF\n")
    rc, doc = diagnose_json(capsys, str(path), "--year", "2020")
    assert (rc, doc["verdict"], doc["groups"], doc["summary"]) == (0, "none", [], "no TLS/x509 certificate failures found")


def test_prediction_from_start_time(tmp_path, capsys):
    path = tmp_path / "quiet.log"
    path.write_text("I1120 10:00:00.000000       1 controller.go:132] OpenAPI AggregationController: action for item k8s_internal_local_delegation_chain_0000000000: Nothing (removed from the queue).\n")
    rc, doc = diagnose_json(capsys, str(path), "--started-at", "2025-12-10T08:00:00Z")
    assert rc == 1
    assert doc["verdict"] == "none" and doc["severity"] == "warning"
    assert doc["prediction"] == {
        "started_at": "2025-12-10T08:00:00+00:00", "validity_days": 365, "loopback_expires": "2026-12-10T08:00:00+00:00",
        "expired": False, "residual": "14d", "severity": "warning",
        "predicted_at": "2026-11-26T00:00:00+00:00", "if_restarted_now_expires": "2027-11-26T00:00:00+00:00",
    }
    _, out, _ = run(capsys, str(path), "--started-at", "2025-12-10T08:00:00Z", "--now", NOW)
    assert out.splitlines()[-2:] == [
        "prediction: apiserver started 2025-12-10 08:00:00+00:00; loopback certificate (365 days) expires 2026-12-10 08:00:00+00:00 (residual 14d)",
        "  after a restart at 2026-11-26 00:00:00+00:00 the new one would expire 2027-11-26 00:00:00+00:00",
    ]
    rc, doc = diagnose_json(capsys, str(path), "--started-at", "2025-12-10T08:00:00Z", "--kube-version", "v1.33.2")
    assert rc == 0
    assert (doc["prediction"]["validity_days"], doc["prediction"]["loopback_expires"]) == (1096, "2028-12-10T08:00:00+00:00")
    rc, doc = diagnose_json(capsys, str(path), "--started-at", "2025-01-01T00:00:00Z")
    assert (rc, doc["prediction"]["expired"]) == (3, True)


def test_secrets_in_log_lines_are_masked(tmp_path, capsys):
    path = tmp_path / "s.log"
    path.write_text(
        'E0510 17:43:56.892945       1 round_trippers.go:45] curl -k -v -XGET -H "Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.secret"'
        " https://10.0.0.9:443/api/v1/pods: x509: certificate signed by unknown authority\n"
    )
    rc, out, _ = run(capsys, str(path), "--year", "2020", "--now", NOW)
    assert rc == 1
    assert "eyJhbGciOiJSUzI1NiJ9" not in out
    assert 'Bearer ****"' in out


def test_input_errors(tmp_path, capsys):
    notlog = tmp_path / "notes.txt"
    notlog.write_text("\nthis is not a log\n")
    rc, out, err = run(capsys, str(notlog))
    assert (rc, out) == (2, "")
    assert err == f"error: {notlog}:2: no klog lines found (expected e.g. 'E0510 17:43:56.892945 790992 reflector.go:178] message')\n"
    bad_date = tmp_path / "bad.log"
    bad_date.write_text("E0230 17:43:56.892945  790992 reflector.go:178] x\n")
    rc, _, err = run(capsys, str(bad_date), "--year", "2021")
    assert rc == 2
    assert err == f"error: {bad_date}:1: klog timestamp 0230 17:43:56 is invalid in 2021: day is out of range for month\n"
    rc, _, err = run(capsys, str(bad_date), "--self-ip", "apiserver")
    assert rc == 2
    assert "'apiserver' is not an IP address" in err
    rc, _, err = run(capsys, str(tmp_path / "absent.log"))
    assert rc == 2
    assert err == f"error: {tmp_path / 'absent.log'}: no such file\n"


def test_klog_structured_and_prefixed_parsing():
    message, fields, structured = parse_message('"Unable to authenticate the request" err="[x509: \\"q\\" x]" user=bob')
    assert (message, fields, structured) == ("Unable to authenticate the request", {"err": '[x509: "q" x]', "user": "bob"}, True)
    assert parse_message("http: TLS handshake error from 1.2.3.4:5: EOF") == ("http: TLS handshake error from 1.2.3.4:5: EOF", {}, False)
    line = parse_line(
        "May 10 17:43:56 cp-1 kube-apiserver[790992]: I0510 17:43:56.892900  790992 log.go:172] http: TLS handshake error"
        " from [fd00::11]:36528: remote error: tls: bad certificate", "j.log", 7, 2020,
    )
    assert (line.severity, line.source, line.component, line.line) == ("I", "log.go:172", "log.go", 7)
    failure = extract_failure(line)
    assert (failure.kind.value, failure.source_host, failure.rejected_by) == ("bad-certificate", "fd00::11", "peer")
    assert parse_line("goroutine 1 [running]:", "j.log", 8, 2020) is None


def test_shared_sample_log(capsys):
    path = SAMPLES / "apiserver-loopback-expiry.samples.log"
    if not path.exists():
        pytest.skip("shared samples not present")
    rc, doc = diagnose_json(capsys, str(path), "--year", "2020")
    assert (rc, doc["verdict"], doc["failures_total"]) == (1, "client-cert-invalid", 10)
    assert [(g["kind"], g["side"], g["source"], g["count"]) for g in doc["groups"]] == [
        ("expired", "authentication", None, 1),
        ("expired-or-not-yet-valid", "authentication", None, 3),
        ("bad-certificate", "incoming-handshake", "172.17.0.2", 5),
        ("bad-certificate", "incoming-handshake", "172.33.4.1", 1),
    ]
    assert doc["groups"][0]["certificate_not_after"] == ["2022-05-14T07:07:34Z"]
    rc, doc = diagnose_json(capsys, str(path), "--year", "2020", "--self-ip", "172.17.0.2")
    assert (rc, doc["verdict"]) == (1, "client-cert-invalid")
    assert [g["involves_self"] for g in doc["groups"]] == [False, False, True, False]


def test_shared_sample_kubernetes_86552_lines_alone(tmp_path, capsys):
    path = SAMPLES / "apiserver-loopback-expiry.samples.log"
    if not path.exists():
        pytest.skip("shared samples not present")
    excerpt = tmp_path / "86552.log"
    excerpt.write_text("".join(path.read_text().splitlines(keepends=True)[:5]))
    rc, doc = diagnose_json(capsys, str(excerpt), "--year", "2019", "--self-ip", "172.17.0.2")
    assert (rc, doc["verdict"], doc["groups"][0]["count"]) == (3, "loopback-cert-expired", 5)
    assert doc["verify"][0].startswith("curl -vk --resolve apiserver-loopback-client:6443:172.17.0.2 ")


def test_help_lists_verdicts_and_exit_codes(capsys):
    rc, out, _ = run(capsys, "--help")
    assert rc == 0
    for verdict in ("loopback-cert-expired", "client-cert-invalid", "unknown-authority", "clock-skew", "`none`"):
        assert verdict in out
    assert "3  critical: verdict loopback-cert-expired or clock-skew" in " ".join(out.split("\n"))


def test_structured_secrets_and_url_credentials_are_masked(tmp_path, capsys):
    path = tmp_path / "s.log"
    path.write_text(
        'E0510 17:43:56.892945       1 reflector.go:178] "Failed to list" url="https://admin:s3cr3t@10.0.0.9:6443/api/v1/pods"'
        ' token="abc.def-SECRET" err="x509: certificate signed by unknown authority, password=\\"hunter2 x\\""\n'
    )
    for fmt in ("text", "json"):
        rc, out, err = run(capsys, str(path), "--year", "2020", "--now", NOW, "--format", fmt)
        assert (rc, err) == (1, "")
        for secret in ("s3cr3t", "SECRET", "hunter2"):
            assert secret not in out
    doc = json.loads(out)
    assert doc["groups"][0]["target"] == "10.0.0.9:6443"
    assert doc["self_addresses"][0]["reason"].endswith("e.g. https://****@10.0.0.9:6443/api/v1/pods")
    assert doc["groups"][0]["samples"][0]["text"] == (
        'E0510 17:43:56.892945       1 reflector.go:178] "Failed to list" url="https://****@10.0.0.9:6443/api/v1/pods"'
        ' token="****" err="x509: certificate signed by unknown authority, password=\\"****\\""'
    )


def test_masking_keeps_ordinary_words():
    from goanalyzer.ops.certs.diagnose import mask_secrets

    text = "Failed to list *v1.Secret: Get https://10.0.0.9:6443/api/v1/secrets?limit=500: x509: certificate has expired"
    assert mask_secrets(text) == text
    assert mask_secrets("bootstrapToken=abcdef.0123456789abcdef rest") == "bootstrapToken=**** rest"


def test_loopback_addresses_count_as_own(tmp_path, capsys):
    path = tmp_path / "lo.log"
    path.write_text(
        "I0510 17:43:56.892900       1 log.go:172] http: TLS handshake error from 127.0.0.1:36528: remote error: tls: bad certificate\n"
        "E0510 17:43:56.892945       1 reflector.go:178] k8s.io/client-go/informers/factory.go:135: Failed to list *v1.Service:"
        " Get https://[::1]:6443/api/v1/services?limit=500: x509: certificate has expired or is not yet valid:"
        " current time 2020-05-10T17:43:56Z is after 2020-05-09T10:00:00Z\n"
    )
    rc, doc = diagnose_json(capsys, str(path))
    assert (rc, doc["verdict"], doc["year"]) == (3, "loopback-cert-expired", 2020)
    assert [(a["address"], a["origin"]) for a in doc["self_addresses"]] == [("::1", "inferred"), ("127.0.0.1", "loopback")]
    assert [(g["kind"], g["source"], g["target"], g["involves_self"]) for g in doc["groups"]] == [
        ("bad-certificate", "127.0.0.1", None, True),
        ("expired", None, "[::1]:6443", True),
    ]
    assert doc["groups"][1]["certificate_not_after"] == ["2020-05-09T10:00:00Z"]
    assert doc["verify"][0] == (
        "curl -vk --resolve apiserver-loopback-client:6443:[::1] https://apiserver-loopback-client:6443/healthz"
        " 2>&1 | grep -E 'subject:|expire date:'"
    )
