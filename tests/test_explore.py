"""`goanalyzer explore`: one self-contained page; its data, its escaping, its size."""

from __future__ import annotations

import json
import re

import pytest

import goanalyzer
from conftest import PAERSER, T, TRAEFIK, write_module
from goanalyzer.analysis.pipeline import analyse
from goanalyzer.cli.main import main
from goanalyzer.views.explore import explorer_data, render_explorer, script_json
from goanalyzer.views.links import Linker

DATA = re.compile(r'<script id="data" type="application/json">(.*?)</script>', re.S)


def page_data(page: str) -> dict:
    blocks = DATA.findall(page)
    assert len(blocks) == 1
    return json.loads(blocks[0])


@pytest.fixture(scope="module")
def traefik_page(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("explore") / "traefik.html"
    assert main(["explore", str(TRAEFIK), "--goroot", "none", "--no-cache", "-q", "-o", str(out)]) == 0
    return out.read_text(encoding="utf-8")


def test_script_json_cannot_close_its_script():
    text = script_json({"doc": "</script><script>alert(1)</script> <!-- a && b \u2028\u2029"})
    assert not re.search("[<>&\u2028\u2029]", text)
    assert json.loads(text) == {"doc": "</script><script>alert(1)</script> <!-- a && b \u2028\u2029"}


def test_page_is_self_contained(traefik_page):
    # nothing is fetched: no src/href to another file or host, and the policy forbids requests
    assert not re.search(r'<(script|link|img|iframe)[^>]+(src|href)="(?!data:)', traefik_page)
    assert "default-src 'none'" in traefik_page
    assert "http://" not in traefik_page.split('<script id="data"')[0]
    assert traefik_page.count("<script") == 2  # the data and our script, both inline
    assert "innerHTML" not in traefik_page and "insertAdjacentHTML" not in traefik_page


def test_traefik_data(traefik_page):
    data = page_data(traefik_page)
    funcs = {f["n"]: f for f in data["funcs"]}
    names = [f["n"] for f in data["funcs"]]
    run = funcs[f"{T}/cmd/traefik.runCmd"]
    assert data["files"][run["f"]]["p"] == "cmd/traefik/traefik.go" and run["l"] == 76
    assert run["src"][:3] == [76, "func runCmd(staticConfiguration *static.Configuration) error {",
                              "    configureLogging(staticConfiguration)"]
    assert "u" not in data["files"][run["f"]]  # no --link-base, no git remote: the page claims no links
    assert data["linksFrom"] == ""
    execute = funcs[f"{PAERSER}/cli.Execute"]
    assert data["files"][execute["f"]] == {"p": f"{PAERSER}@v0.1.4/cli/commands.go",
                                           "u": "https://github.com/traefik/paerser/blob/v0.1.4/cli/commands.go#L{line}"}
    edges = {(names[a], names[b]) for a, b, _dynamic in data["edges"]}
    assert (f"{T}/cmd/traefik.main$1", f"{T}/cmd/traefik.runCmd") in edges
    assert [c["name"] for c in data["commands"]] == ["traefik", "healthcheck", "version"]
    assert data["commands"][0]["kids"] == [1, 2] and data["commands"][1]["parent"] == 0
    assert data["flow"]["entry"] == f"{T}/cmd/traefik.main"
    happy = [names[h["i"]] for h in data["flow"]["happy"] if "i" in h]
    assert happy.index(f"{PAERSER}/cli.Execute") < happy.index(f"{T}/cmd/traefik.runCmd")
    types = {t["n"]: t for t in data["types"]}
    assert types[f"{PAERSER}/cli.Command"]["src"][1] == "type Command struct {"
    assert types[f"{PAERSER}/cli.Command"]["src"][-1] == "}"


def test_link_base_reaches_the_page(tmp_path):
    out = tmp_path / "x.html"
    base = "https://github.com/traefik/traefik/blob/v2.5.2/{path}#L{line}"
    assert main(["explore", str(TRAEFIK), "--goroot", "none", "--no-cache", "-q", "-o", str(out),
                 "--link-base", base]) == 0
    data = page_data(out.read_text())
    files = {f["p"]: f.get("u") for f in data["files"]}
    assert files["cmd/traefik/traefik.go"] == "https://github.com/traefik/traefik/blob/v2.5.2/cmd/traefik/traefik.go#L{line}"
    assert data["linksFrom"] == "the --link-base template"


HOSTILE = '''package main

// Evil says </script><script>alert("doc")</script> & <!-- and more.
func Evil() string { return "</script><img src=x onerror=alert(1)>" }

func main() { println(Evil()) }
'''


def test_code_text_is_escaped(tmp_path):
    root = write_module(tmp_path / "m", {"main.go": HOSTILE})
    program = goanalyzer.load(root, goroot="none", use_cache=False)
    analysis = analyse(program)
    page = render_explorer(analysis, Linker(program, None, relative=False))
    # the only </script> are the two closing tags of our own blocks
    assert page.count("</script>") == 2
    assert "<img src=x" not in page and "alert(\"doc\")</script>" not in page
    data = page_data(page)
    evil = next(f for f in data["funcs"] if f["n"] == "example.com/m.Evil")
    assert evil["d"] == 'Evil says </script><script>alert("doc")</script> & <!-- and more.'
    assert evil["src"][-1] == 'func Evil() string { return "</script><img src=x onerror=alert(1)>" }'


def test_library_has_no_flow(tmp_path):
    root = write_module(tmp_path / "lib", {"shape.go": "package shape\n\n// Area of a square.\n"
                                                       "func Area(s int) int { return mul(s, s) }\n\n"
                                                       "func mul(a, b int) int { return a * b }\n"})
    program = goanalyzer.load(root, goroot="none", use_cache=False)
    data = explorer_data(analyse(program), Linker(program, None, relative=False), title="lib")
    assert data["flow"] is None and data["entry"] is None
    assert [f["n"] for f in data["funcs"]] == ["example.com/m.Area", "example.com/m.mul"]
    assert data["edges"] == [[0, 1, 0]]
    assert any("library" in note for note in data["notes"])
