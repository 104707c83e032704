"""The real Corefiles in ../shared/samples/corefiles (provenance in ../shared/samples/SOURCES.txt):
print is byte-identical, fmt is idempotent, parse succeeds, and lint raises no critical finding on a
rendered Corefile. The three `.template` files are unrendered templates on purpose (sed markers, k3s
`%{X}%`, shell `${ip2}`), so for them lint must report exactly the markers CoreDNS cannot take."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from goanalyzer.cli.main import main

SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples" / "corefiles"
FILES = sorted(p.name for p in SAMPLES.iterdir()) if SAMPLES.is_dir() else []
TEMPLATE_CRITICALS = {
    "02-coredns-deployment-coredns.yaml.sed.Corefile.template": [18],  # }STUBDOMAINS: CoreDNS refuses the file
    "03-k3s-manifests-coredns.Corefile.template": [5],  # %{CLUSTER_DOMAIN}%
    "04-nsm-interdomain-cluster1.Corefile.template": [21, 24],  # ${ip2}, ${ip3}
}

pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/samples not present beside the clone")


def run(capsys, *argv):
    rc = main(["ops", "coredns", *argv])
    out, err = capsys.readouterr()
    return rc, out, err


def test_corpus_is_there():
    assert len(FILES) == 7


@pytest.mark.parametrize("name", FILES)
def test_print_byte_identical_and_fmt_idempotent(capsys, tmp_path, name):
    path = SAMPLES / name
    assert run(capsys, "print", str(path)) == (0, path.read_text(), "")
    rc, formatted, err = run(capsys, "fmt", str(path))
    assert (rc, err) == (0, "")
    again = tmp_path / name
    again.write_text(formatted)
    assert run(capsys, "fmt", str(again)) == (0, formatted, "")
    rc, out, err = run(capsys, "parse", str(path), "--format", "json")
    assert (rc, err, json.loads(out)["path"]) == (0, "", str(path))


@pytest.mark.parametrize("name", FILES)
def test_lint_raises_no_false_critical(capsys, name):
    rc, out, _ = run(capsys, "lint", str(SAMPLES / name), "--format", "json")
    critical = [f["line"] for f in json.loads(out)["findings"] if f["severity"] == "critical"]
    assert critical == TEMPLATE_CRITICALS.get(name, [])
    # 05a still uses `proxy` (removed in CoreDNS 1.5.0): warnings only, exit 1
    assert rc == (3 if critical else 1 if name.startswith("05a-") else 0)
