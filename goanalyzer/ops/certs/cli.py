"""`goanalyzer ops certs`: the only module here that prints or exits."""

from __future__ import annotations

import ipaddress
import re
from datetime import datetime, timezone

import click

from goanalyzer.ops.certs import diagnose as diag
from goanalyzer.ops.certs.kubeadm import evaluate
from goanalyzer.ops.certs.klog import parse_log
from goanalyzer.ops.certs.load import load_paths
from goanalyzer.ops.certs.probe import probe as run_probe
from goanalyzer.ops.certs.render import render_diagnosis, render_kubeadm, render_probe, render_scan
from goanalyzer.ops.certs.scan import scan as run_scan
from goanalyzer.ops.common import OpsInputError, emit, exit_code_for, fail_input, format_option
from goanalyzer.ops.inputs import printable, read_input

EXIT_CODES = """
\b
Exit codes:
  0  nothing worth alerting on
  1  warning: {warning}
  2  usage error, unreadable or malformed input (file:line given)
  3  critical: {critical}
"""


def _parse_time(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 date/time (e.g. 2026-11-26T08:00:00Z)", param_hint=option) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _now(value: str | None) -> datetime:
    return _parse_time(value, "--now") or datetime.now(timezone.utc)


now_option = click.option("--now", "now_text", metavar="DATETIME", help="Judge at this instant instead of the current time (ISO 8601, UTC if no zone).")
warn_option = click.option("--warn-days", type=click.IntRange(min=0), default=30, show_default=True, help="Warn when a certificate expires within this many days.")
crit_option = click.option("--crit-days", type=click.IntRange(min=0), default=0, show_default=True, help="Treat expiry within this many days as critical (expired is always critical).")


@click.group()
def certs() -> None:
    """Certificate expiry on disk, in kubeadm output and on the wire, and the kube-apiserver
    loopback-certificate diagnosis from klog logs. Private keys are recognised, never shown."""


@certs.command(short_help="Certificates in PEM/DER files, kubeconfigs and trees, with expiry.", help="""Every certificate under PATH...: PEM files (bundles and chains), DER files, kubeconfigs
(embedded *-data and referenced files) and whole trees such as /etc/kubernetes. A table in the spirit of
`kubeadm certs check-expiration` (certificate, subject, issuer, expiry, residual time (`<invalid>` once
expired), CA, SANs, the scanned CA whose signature verifies (SIGNED BY), whether the private key beside
it matches (KEY), status). In a kubeadm tree (/etc/kubernetes or its pki/) a second table names each
file as kubeadm does, with its CA, EXTERNALLY MANAGED (the CA key is absent), the `kubeadm certs renew`
step and the static pods to restart, `!MISSING!` rows for files a control-plane node should have, and a
renew plan for what is due. Private keys are never shown (only compared through their public half);
public keys and CSRs are listed as skipped; files that are none of these are ignored in directories and
an error when named explicitly. Malformed certificate data is an error in a named file and, in a
directory, listed as skipped with its line (the rest of the tree is still scanned). Files a kubeconfig
refers to that are missing, and symlink loops, are findings; links out of a scanned tree are not followed.
""" + EXIT_CODES.format(warning="a certificate expires within --warn-days, a file kubeadm expects is missing, a symlink loop, or a file in a directory is malformed",
                        critical="a certificate is expired, not yet valid, or within --crit-days; a key that does not match; a signature that does not verify; a file a kubeconfig refers to is missing"))
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@warn_option
@crit_option
@now_option
@format_option
def scan(paths: tuple[str, ...], warn_days: int, crit_days: int, now_text: str | None, fmt: str) -> None:
    now = _now(now_text)
    try:
        loaded = load_paths(list(paths))
    except OpsInputError as error:
        fail_input(error)
    report = run_scan(loaded, now, warn_days, crit_days, list(paths))
    emit(report, fmt, render_scan)
    raise SystemExit(report.exit_code)


@certs.command(short_help="Re-judge saved `kubeadm certs check-expiration` output.", help="""Saved output of `kubeadm certs check-expiration` (FILE, or - for stdin): the text tables,
including old `kubeadm alpha certs` output with a blank CA column and interleaved log lines, or the
`-o json|yaml` CertificateExpirationInfo form. Rows are judged again at --now from their expiry dates
(the saved residual time goes stale), or with --basis capture from the residual time as saved.
""" + EXIT_CODES.format(warning="a certificate expires within --warn-days, or is reported missing", critical="a certificate is expired or within --crit-days"))
@click.argument("file", metavar="FILE")
@click.option("--basis", type=click.Choice(["now", "capture"]), default="now", show_default=True, help="Judge from the expiry dates at --now, or from the residual times at capture.")
@warn_option
@crit_option
@now_option
@format_option
def kubeadm(file: str, basis: str, warn_days: int, crit_days: int, now_text: str | None, fmt: str) -> None:
    now = _now(now_text)
    try:
        given = read_input(file)
        report = evaluate(printable(given.text), given.path, now, warn_days, crit_days, basis)
    except OpsInputError as error:
        fail_input(error)
    emit(report, fmt, render_kubeadm)
    raise SystemExit(report.exit_code)


def _year_from_text(texts: list[tuple[str, str]]) -> int | None:
    """x509 errors often carry 'current time 2022-05-18T...': the best guess for klog's missing year."""
    for _, text in texts:
        m = re.search(r"current time (\d{4})-\d{2}-\d{2}T", text)
        if m:
            return int(m.group(1))
    return None


def _ip(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> list[str]:
    out = []
    for value in values:
        try:
            out.append(str(ipaddress.ip_address(value.strip("[]"))))
        except ValueError:
            raise click.BadParameter(f"{value!r} is not an IP address", ctx=ctx, param=param) from None
    return out


@certs.command(short_help="TLS/x509 failures in klog logs -> verdict (loopback certificate, ...).", help="""TLS/x509 failures in kube-apiserver (or any klog) logs, grouped by kind, source address,
target and component, and a verdict: `loopback-cert-expired` when only the apiserver's connections to its
own addresses fail (its in-memory loopback certificate expired, kubernetes/kubernetes#86552; restart each
replica), `client-cert-invalid` (another party's certificate), `unknown-authority` (wrong CA), `clock-skew`
("not yet valid"), or `none`. Own addresses come from --self-ip, else from the targets of the apiserver's
own client-go requests in the log. Reads plain and structured klog, also behind CRI/journald prefixes.
With --started-at, predicts when the loopback certificate expires.
""" + EXIT_CODES.format(warning="verdict client-cert-invalid or unknown-authority, or a predicted loopback expiry within --warn-days", critical="verdict loopback-cert-expired or clock-skew, or a predicted loopback expiry already passed"))
@click.argument("logs", nargs=-1, required=True, metavar="LOG...")
@click.option("--self-ip", "self_ips", multiple=True, callback=_ip, metavar="IP", help="An address of this apiserver (repeatable); inferred from the log when not given.")
@click.option("--year", type=click.IntRange(1970, 9999), help="Year of the log lines (klog has none). Default: the year of the first 'current time YYYY-...' in the logs, else this year (last year for dates still to come).")
@click.option("--started-at", metavar="DATETIME", help="When the apiserver started (ISO 8601): predict the loopback certificate's expiry.")
@click.option("--kube-version", metavar="VERSION", help="Kubernetes version of the apiserver (e.g. v1.32): 365-day loopback validity before v1.33, 1096 days since.")
@click.option("--validity-days", type=click.IntRange(min=1), help="Loopback certificate validity in days (overrides --kube-version).")
@warn_option
@now_option
@format_option
def diagnose(logs: tuple[str, ...], self_ips: list[str], year: int | None, started_at: str | None, kube_version: str | None,
             validity_days: int | None, warn_days: int, now_text: str | None, fmt: str) -> None:
    now = _now(now_text)
    start = _parse_time(started_at, "--started-at")
    try:
        validity = validity_days or diag.validity_for_version(kube_version)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--kube-version") from None
    texts = []
    try:
        for log in logs:
            texts.append((log, printable(read_input(log).text)))
        use_year = year or _year_from_text(texts) or now.year
        parsed = [(log, text, parse_log(text, log, use_year)) for log, text in texts]
        naive_now = now.astimezone(timezone.utc).replace(tzinfo=None)
        if year is None and any(line.timestamp > naive_now for _, _, lines in parsed for line in lines):
            use_year -= 1
            parsed = [(log, text, parse_log(text, log, use_year)) for log, text in texts]
    except OpsInputError as error:
        fail_input(error)
    lines = [line for _, _, log_lines in parsed for line in log_lines]
    summaries = [diag.LogSummary(log, len(text.splitlines()), len(log_lines)) for log, text, log_lines in parsed]
    prediction = diag.predict(start, validity, now, warn_days) if start else None
    result = diag.diagnose(lines, summaries, use_year, self_ips, prediction)
    emit(result, fmt, render_diagnosis)
    severities = [result.severity] + ([prediction.severity] if prediction else [])
    raise SystemExit(exit_code_for(severities))


@certs.command(short_help="TLS handshake with HOST:PORT; validity of the served certificates.", help="""A real TLS handshake with HOST:PORT; reports the certificates the server presents
(the whole chain as sent; only the leaf where the Python ssl module cannot give the chain) with validity and residual time. The handshake does
not verify, so expired certificates are still shown; --verify (system CAs) or --cafile adds a verifying
handshake. Use --servername apiserver-loopback-client to see a kube-apiserver's loopback certificate.
""" + EXIT_CODES.format(warning="a certificate expires within --warn-days, or verification failed", critical="a presented certificate is expired, not yet valid, or within --crit-days") + "  (2 also when the connection or handshake fails)\n")
@click.argument("target", metavar="HOST:PORT")
@click.option("--servername", metavar="NAME", help="SNI name to send (default: HOST unless it is an IP address).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=5.0, show_default=True, help="Seconds to wait for connect and handshake.")
@click.option("--verify", is_flag=True, help="Also verify the chain and name against the system CA store.")
@click.option("--cafile", metavar="FILE", help="Also verify against this CA bundle (PEM) instead of the system CAs; an empty or non-PEM file is an input error (exit 2).")
@warn_option
@crit_option
@now_option
@format_option
def probe(target: str, servername: str | None, timeout: float, verify: bool, cafile: str | None, warn_days: int,
          crit_days: int, now_text: str | None, fmt: str) -> None:
    now = _now(now_text)
    try:
        result = run_probe(target, now, servername=servername, timeout=timeout, warn_days=warn_days, crit_days=crit_days, verify=verify, cafile=cafile)
    except OpsInputError as error:
        fail_input(error)
    emit(result, fmt, render_probe)
    raise SystemExit(result.exit_code)
