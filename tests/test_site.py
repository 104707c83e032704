"""`goanalyzer site` writes a MkDocs project that builds with --strict."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from goanalyzer.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
TRAEFIK = ROOT / "fixtures" / "traefik-2.5.2"
LIBRARY = ROOT / "fixtures" / "odd" / "library"
MKDOCS = Path(sys.executable).parent / "mkdocs"
PAGES = ["index", "packages", "commands", "startup", "callgraph"]


def build(tmp_path, path, *extra) -> Path:
    out = tmp_path / "site"
    assert main(["site", str(path), "--goroot", "none", "--no-cache", "-q", "-o", str(out), *extra]) == 0
    config = yaml.safe_load((out / "mkdocs.yml").read_text())
    assert [list(item)[0] for item in config["nav"]] == ["Overview", "Packages", "Commands", "Startup", "Call graph"]
    proc = subprocess.run([str(MKDOCS), "build", "--strict", "-f", str(out / "mkdocs.yml")], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "WARNING" not in proc.stderr
    return out


@pytest.mark.skipif(not MKDOCS.exists(), reason="mkdocs is a dev dependency: install it in the venv")
def test_site_traefik(tmp_path):

    out = build(tmp_path, TRAEFIK, "--link-base", "https://github.com/traefik/traefik/blob/v2.5.2/{path}#L{line}")
    config = yaml.safe_load((out / "mkdocs.yml").read_text())
    startup = config["nav"][3]["Startup"]  # the long startup flow is several pages under one entry
    assert startup[:3] == [{"Overview": "startup.md"}, {"cli.execute": "startup-cli-execute.md"},
                           {"cli.run": "startup-cli-run.md"}]
    assert {"traefik.runCmd": "startup-traefik-runcmd.md"} in startup and len(startup) == 11
    html = {p: (out / "site" / f"{p}.html").read_text()
            for p in PAGES + ["startup-traefik-runcmd", "startup-traefik-setupserver"]}
    assert "healthcheck" in html["commands"] and "subCommands" in html["commands"]
    assert "cli.Execute" in html["startup"] and 'href="startup-cli-execute.html"' in html["startup"]
    assert "setupServer" in html["startup-traefik-runcmd"] and 'href="startup-traefik-setupserver.html"' in \
        html["startup-traefik-runcmd"]
    assert "<h1 id=\"startup-traefiksetupserver\">" in html["startup-traefik-setupserver"]
    # the flowcharts' folded steps link to the built pages
    assert 'xlink:href="startup-cli-execute.html"' in (out / "site" / "startup.svg").read_text() or \
        not (out / "site" / "startup.svg").exists()
    assert "pkg/server" in html["packages"]
    for name in ("commands", "startup", "callgraph"):
        page = html[name]
        if (out / "docs" / f"{name}.svg").exists():
            assert f'src="{name}.svg"' in page
            assert (out / "site" / f"{name}.svg").exists()
    # internal links of the built site point at files that exist
    for page in html.values():
        for href in re.findall(r'href="([^"#:]+\.html)', page):
            assert (out / "site" / href).exists(), href


@pytest.mark.skipif(not MKDOCS.exists(), reason="mkdocs is a dev dependency: install it in the venv")
def test_site_library(tmp_path):
    out = build(tmp_path, LIBRARY)
    assert yaml.safe_load((out / "mkdocs.yml").read_text())["nav"][3] == {"Startup": "startup.md"}
    html = (out / "site" / "packages.html").read_text()
    assert "shape" in html and "NewRect" in html
