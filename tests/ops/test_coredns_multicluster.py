"""multicluster: the change for cluster A to resolve cluster B; re-read by the parser and lint-clean."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from goanalyzer.cli.main import main
from goanalyzer.ops.coredns.configmap import load_source
from goanalyzer.ops.coredns.expand import expand
from goanalyzer.ops.coredns.lint import lint
from goanalyzer.ops.coredns.multicluster import MulticlusterError, Request, parse_upstream, plan
from goanalyzer.ops.coredns.parser import parse_corefile
from goanalyzer.ops.coredns.route import route

DATA = Path(__file__).resolve().parent / "data" / "coredns"
SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples" / "corefiles"
NOTE = DATA / "note-cluster-a.configmap.yaml"
ARGS = ["--remote-name", "b", "--remote-dns", "192.0.2.10:30053",
        "--remote-pod-cidr", "10.200.0.0/16", "--remote-service-cidr", "10.100.0.0/16"]

ADDED = """
# cluster "b": its cluster.local names as b.local (goanalyzer ops coredns multicluster)
b.local:53 {
    errors
    cache 30
    rewrite name suffix .b.local .cluster.local answer auto
    forward . 192.0.2.10:30053
}

# cluster "b": reverse lookups for its pod and service CIDRs
10.200.0.0/16:53 10.100.0.0/16:53 {
    errors
    cache 30
    forward . 192.0.2.10:30053
}
"""


def cli(capsys, *argv):
    rc = main(["ops", "coredns", *argv])
    out, err = capsys.readouterr()
    return rc, out, err


def test_corefile_output_is_input_plus_blocks_and_lints_clean(capsys, tmp_path):
    rc, out, err = cli(capsys, "multicluster", str(NOTE), *ARGS)
    assert (rc, err) == (0, "")
    original = load_source(str(NOTE)).corefile
    assert out == original + ADDED
    written = tmp_path / "new.Corefile"
    written.write_text(out)
    reread = parse_corefile(out, str(written))
    assert lint(reread, expand(reread, env={})) == []
    assert cli(capsys, "lint", str(written))[:2] == (0, f"{written}: no findings\n")
    alias = route(expand(reread, env={}), "alertmanager-main-0.alertmanager-operated.monitoring.svc.b.local")
    assert (alias.zone, alias.line) == ("b.local.", 24)
    assert alias.final_name == "alertmanager-main-0.alertmanager-operated.monitoring.svc.cluster.local."
    assert [s.plugin for s in alias.steps] == ["errors", "rewrite", "cache", "forward"]
    ptr = route(expand(reread, env={}), "10.200.7.9")
    assert (ptr.zone, ptr.line) == ("200.10.in-addr.arpa.", 32)
    own = route(expand(reread, env={}), "10.96.0.10")
    assert own.line == 1


def test_on_shared_kubeadm_sample(capsys, tmp_path):
    if not SAMPLES.is_dir():
        pytest.skip("shared samples not present")
    path = SAMPLES / "01-kubeadm-default.rendered.Corefile"
    rc, out, _ = cli(capsys, "multicluster", str(path), *ARGS)
    assert rc == 0 and out == path.read_text() + ADDED
    reread = parse_corefile(out, "new")
    assert lint(reread, expand(reread, env={})) == []
    rc, diff, _ = cli(capsys, "multicluster", str(path), *ARGS, "--format", "diff")
    assert rc == 0
    assert diff.splitlines()[:4] == [
        f"--- a/{path.name}", f"+++ b/{path.name}", "@@ -21,3 +21,18 @@", "     reload",
    ]
    assert [line[1:] for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")] == \
        ADDED.split("\n")[:-1]


def test_nsm_sample_uses_every_port_of_the_kubernetes_block():
    if not SAMPLES.is_dir():
        pytest.skip("shared samples not present")
    path = SAMPLES / "04-nsm-interdomain-cluster1.Corefile.template"
    corefile = parse_corefile(path.read_text(), str(path))
    change = plan(path.read_text(), expand(corefile, env={}), Request("cluster2", "192.0.2.20:30053"))
    assert change.ports == ["53", "30053"]
    assert "cluster2.local:53 cluster2.local:30053 {" in change.corefile.splitlines()


def test_configmap_output_keeps_the_yaml_and_carries_the_new_corefile(capsys):
    rc, out, _ = cli(capsys, "multicluster", str(NOTE), *ARGS, "--format", "configmap")
    assert rc == 0
    original = NOTE.read_text()
    assert out.startswith(original)
    document = yaml.safe_load(out)
    assert document["metadata"] == {"name": "coredns", "namespace": "kube-system"}
    assert document["data"]["Corefile"] == load_source(str(NOTE)).corefile + ADDED
    rc, diff, _ = cli(capsys, "multicluster", str(NOTE), *ARGS, "--format", "diff")
    assert diff.splitlines()[:3] == [f"--- a/{NOTE.name}", f"+++ b/{NOTE.name}", "@@ -26,3 +26,18 @@"]
    assert "+    b.local:53 {" in diff.splitlines()


def test_raw_input_gets_a_kube_system_configmap(capsys):
    path = DATA / "syntax-tour.Corefile"
    rc, out, _ = cli(capsys, "multicluster", str(path), "--remote-name", "b", "--remote-dns", "192.0.2.10",
                     "--format", "configmap")
    document = yaml.safe_load(out)
    assert (document["kind"], document["metadata"]["name"], document["metadata"]["namespace"]) == \
        ("ConfigMap", "coredns", "kube-system")
    assert document["data"]["Corefile"].startswith(path.read_text())
    assert "    forward . 192.0.2.10\n" in document["data"]["Corefile"]


def test_explanation_mode(capsys):
    rc, out, _ = cli(capsys, "multicluster", str(NOTE), *ARGS, "--explain")
    assert rc == 0
    lines = out.splitlines()
    assert lines[0] == ("cluster A (cluster.local) resolves the remote cluster's cluster.local names as b.local "
                        "through 192.0.2.10:30053")
    assert "   27      rewrite name suffix .b.local .cluster.local answer auto" in lines
    explained = lines[lines.index("   27      rewrite name suffix .b.local .cluster.local answer auto") + 1]
    assert explained.strip().startswith("turn x.b.local into x.cluster.local before forwarding")
    caveats = [line for line in lines if line.startswith("  - ")]
    assert caveats[0].startswith("  - `pods insecure` (note-cluster-a.configmap.yaml:16) makes the kubernetes plugin "
                                 "answer any a-b-c-d.<namespace>.pod.cluster.local")
    assert "10-200-0-5.monitoring.pod.cluster.local gives 10.200.0.5" in caveats[0]
    assert lines[-1] == "lint of the new Corefile: no findings"
    assert cli(capsys, "multicluster", str(NOTE), *ARGS, "--format", "text")[1] == out


def test_json_carries_plan_and_lint(capsys):
    rc, out, _ = cli(capsys, "multicluster", str(NOTE), *ARGS, "--format", "json")
    data = json.loads(out)
    assert rc == 0 and data["lint"] == []
    assert data["plan"]["alias_zone"] == "b.local." and data["plan"]["upstream"] == "192.0.2.10:30053"
    assert data["plan"]["reverse_zones"] == {"10.200.0.0/16": ["200.10.in-addr.arpa."],
                                             "10.100.0.0/16": ["100.10.in-addr.arpa."]}
    assert [a["line"] for a in data["plan"]["added"]] == [23, 24, 25, 26, 27, 28, 29, 31, 32, 33, 34, 35, 36]


def test_pods_verified_caveat(tmp_path):
    path = tmp_path / "Corefile"
    path.write_text(".:53 {\n    kubernetes cluster.local {\n        pods verified\n    }\n    forward . 8.8.8.8\n}\n")
    corefile = parse_corefile(path.read_text(), str(path))
    change = plan(path.read_text(), expand(corefile, env={}), Request("b", "192.0.2.10"))
    assert change.caveats[0].startswith("the kubernetes plugin runs with `pods verified`")
    assert change.caveats[-1] == "this Corefile has no reload plugin: restart CoreDNS after applying the change"


def test_upstream_forms():
    assert parse_upstream("192.0.2.10") == "192.0.2.10"
    assert parse_upstream("192.0.2.10:053") == "192.0.2.10:53"
    assert parse_upstream("[2001:db8::1]:30053") == "[2001:db8::1]:30053"
    assert parse_upstream("2001:db8::1") == "2001:db8::1"
    with pytest.raises(MulticlusterError, match="not an IP address"):
        parse_upstream("dns.b.example:53")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--remote-name", "b", "--remote-dns", "b-dns:53"],
         "--remote-dns 'b-dns:53': not an IP address (IP or IP:PORT)"),
        (["--remote-name", "b", "--remote-dns", "192.0.2.10", "--remote-pod-cidr", "10.200.1.0/16"],
         "--remote-pod-cidr 10.200.1.0/16: host bits set; did you mean 10.200.0.0/16?"),
        (["--remote-name", "b.c", "--remote-dns", "192.0.2.10"],
         "--remote-name 'b.c': must be one DNS label (a-z, 0-9, '-')"),
        (["--remote-name", "b", "--remote-dns", "192.0.2.10", "--alias-zone", "b.cluster.local"],
         "alias zone b.cluster.local. overlaps the cluster domain cluster.local."),
    ],
)
def test_impossible_requests_exit_2(capsys, extra, message):
    rc, out, err = cli(capsys, "multicluster", str(NOTE), *extra)
    assert (rc, out, err) == (2, "", f"error: {NOTE}: {message}\n")


def test_zone_already_served_and_no_kubernetes(capsys, tmp_path):
    served = tmp_path / "served.Corefile"
    served.write_text(".:53 {\n    kubernetes cluster.local\n}\nb.local:53 {\n    forward . 192.0.2.1\n}\n")
    rc, _, err = cli(capsys, "multicluster", str(served), "--remote-name", "b", "--remote-dns", "192.0.2.10")
    assert (rc, err) == (2, f"error: {served}: b.local. on port 53 is already served by the server block at {served}:4\n")
    plain = tmp_path / "plain.Corefile"
    plain.write_text(".:53 {\n    forward . 8.8.8.8\n}\n")
    rc, _, err = cli(capsys, "multicluster", str(plain), "--remote-name", "b", "--remote-dns", "192.0.2.10")
    assert (rc, err) == (2, f"error: {plain}: no kubernetes plugin in this Corefile: nothing to tell the cluster domain\n")


def test_result_lint_findings_set_the_exit_code(capsys):
    if not SAMPLES.is_dir():
        pytest.skip("shared samples not present")
    path = SAMPLES / "04-nsm-interdomain-cluster1.Corefile.template"
    rc, out, err = cli(capsys, "multicluster", str(path), "--remote-name", "cluster2", "--remote-dns", "192.0.2.20")
    assert rc == 3
    assert out.startswith(path.read_text())
    assert err.splitlines()[-1] == "new Corefile: 2 finding(s): 2 critical, 0 warning, 0 info"


def test_templated_cluster_domain_is_refused_unless_given(capsys):
    if not SAMPLES.is_dir():
        pytest.skip("shared samples not present")
    path = SAMPLES / "03-k3s-manifests-coredns.Corefile.template"
    rc, out, err = cli(capsys, "multicluster", str(path), "--remote-name", "b", "--remote-dns", "192.0.2.10")
    assert (rc, out) == (2, "")
    assert err == (f"error: {path}: the cluster domain '%{{CLUSTER_DOMAIN}}%' (line 5) is a template placeholder; "
                   "render the template first or pass --remote-cluster-domain\n")
    rc, out, _ = cli(capsys, "multicluster", str(path), "--remote-name", "b", "--remote-dns", "192.0.2.10",
                     "--remote-cluster-domain", "cluster.local")
    assert rc == 3  # the input's own placeholder is still there and lint says so
    assert "    rewrite name suffix .b.local .cluster.local answer auto" in out.splitlines()
