"""`goanalyzer site` writes a MkDocs project that builds with --strict."""

from __future__ import annotations

import re
import shutil
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
    assert [list(item)[0] for item in config["nav"]] == ["Overview", "Packages", "Commands", "Startup", "Call graph",
                                                         "Explorer"]
    assert config["theme"] == {"name": "mkdocs", "highlightjs": False}  # its highlight.js comes from a CDN
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
    assert startup == [{"Overview": "startup.md"}, {"cli.run": "startup-cli-run.md"},
                       {"traefik.runCmd": "startup-traefik-runcmd.md"},
                       {"traefik.setupServer": "startup-traefik-setupserver.md"},
                       {"(*server.Server).Start": "startup-server-server-start.md"}]
    html = {p: (out / "site" / f"{p}.html").read_text()
            for p in PAGES + ["startup-traefik-runcmd", "startup-traefik-setupserver"]}
    assert "healthcheck" in html["commands"] and "subCommands" in html["commands"]
    assert "cli.Execute" in html["startup"] and 'href="startup-cli-run.html"' in html["startup"]
    assert "setupServer" in html["startup-traefik-runcmd"] and 'href="startup-traefik-setupserver.html"' in \
        html["startup-traefik-runcmd"]
    assert "<h1 id=\"startup-traefiksetupserver\">" in html["startup-traefik-setupserver"]
    # the flowcharts' folded steps link to the built pages
    assert 'xlink:href="startup-cli-run.html"' in (out / "site" / "startup.svg").read_text() or \
        not (out / "site" / "startup.svg").exists()
    assert "pkg/server" in html["packages"]
    for name in ("commands", "startup", "callgraph"):
        page = html[name]
        if (out / "docs" / f"{name}.svg").exists():  # the picture is in the page: its links and tooltips work
            assert f'<div class="ga-diagram" data-full="{name}.svg"' in page and f'src="{name}.svg"' not in page
            assert page.count('<svg class="ga-svg"') == 1 and f'id="{name}-graph0"' in page
            assert (out / "site" / f"{name}.svg").exists()
    if (out / "docs" / "startup.svg").exists():
        assert 'xlink:href="startup-cli-run.html"' in html["startup"]
    # offline: every script and stylesheet is the site's own, code is highlighted at build time
    for page in html.values():
        assert not re.search(r'<(script|link)[^>]+(src|href)="(https?:)?//', page)
    assert '<div class="codehilite">' in html["startup"] and (out / "site" / "css" / "pygments.css").exists()
    assert (out / "site" / "explore.html").exists() and 'href="explore.html"' in html["index"]
    assert "every citation links to the lines it comes from" in html["index"]
    # internal links of the built site point at files that exist
    for page in html.values():
        for href in re.findall(r'href="([^"#:]+\.html)', page):
            assert (out / "site" / href).exists(), href


@pytest.mark.skipif(not MKDOCS.exists(), reason="mkdocs is a dev dependency: install it in the venv")
def test_site_library(tmp_path):
    library = tmp_path / "library"  # a copy outside any git checkout: no link can be derived
    shutil.copytree(LIBRARY, library)
    out = build(tmp_path, library)
    assert yaml.safe_load((out / "mkdocs.yml").read_text())["nav"][3] == {"Startup": "startup.md"}
    html = (out / "site" / "packages.html").read_text()
    assert "shape" in html and "NewRect" in html
    # built without --link-base, outside any git checkout: no page claims links it does not have
    index = (out / "site" / "index.html").read_text()
    assert "every citation links" not in index and "citations name the file and line" in index
    assert 'href="http' not in html.split('role="main">')[1].split("<footer")[0]


def test_svg_inlined_only_when_inert(tmp_path):
    from goanalyzer.views.site_assets import inline_diagrams

    (tmp_path / "ok.svg").write_text('<?xml version="1.0"?>\n<!DOCTYPE svg>\n<!-- g -->\n'
                                     '<svg width="300pt" height="100pt" viewBox="0 0 300 100">\n\n'
                                     '<g id="n1"><a xlink:href="#n1" xlink:title="&lt;b&gt;">'
                                     '<text>x</text></a></g>\n<a xlink:href="p.html" target="_blank"/>'
                                     '<a xlink:href="https://h/x.go#L1" target="_blank"/></svg>\n')
    (tmp_path / "bad.svg").write_text('<svg viewBox="0 0 1 1"><a xlink:href="javascript:alert(1)"/></svg>')
    lines = inline_diagrams(["# T", "![The ok](ok.svg)", "![The bad](bad.svg)"], tmp_path)
    assert lines == ["# T", "", '<div class="ga-diagram" data-full="ok.svg" role="figure" aria-label="The ok">',
                     '<svg class="ga-svg" style="max-width:400px" viewBox="0 0 300 100">\n'
                     '<g id="ok-n1"><a xlink:href="#ok-n1" xlink:title="&lt;b&gt;"><text>x</text></a></g>\n'
                     '<a xlink:href="p.html"/><a xlink:href="https://h/x.go#L1" target="_blank"/></svg>',
                     "</div>", "", "![The bad](bad.svg)"]
