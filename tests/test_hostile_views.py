"""Generated pages never run the analysed code's text (issue 17): doc comments, command
descriptions, README paragraphs and file names land escaped in every file a view writes, and the
explorer of a hostile tree runs no injected script in a real browser."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES
from goanalyzer.cli.main import main
from goanalyzer.views.links import Linker
from goanalyzer.views.markdown import escape_text
from test_explore_browser import _skip_reason, chromium

LIVE_HTML = re.compile(r"<script>alert|<img src=x onerror|<iframe|href=\"javascript:")
"""Markup that would run in a page (HTML, SVG, or Markdown, where raw HTML passes through)."""
LIVE_MARKDOWN = re.compile(r"\]\(javascript:|\(javascript:alert\(9\)")
"""A Markdown link that would become a javascript: URL."""


def _live(path: Path) -> list[str]:
    text = path.read_text(errors="replace")
    found = LIVE_HTML.findall(text)
    if path.suffix in (".md", ".tour"):
        found += LIVE_MARKDOWN.findall(text)
        found = [m for m in found if not _in_code_block(text, m)]
    return found


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    tree = tmp_path_factory.mktemp("hostile") / "app"
    shutil.copytree(FIXTURES / "cobra-app", tree)
    serve = tree / "cmd" / "serve.go"
    text = serve.read_text()
    text = text.replace('Short: "Start the HTTP server",',
                        'Short: "Start <script>alert(1)</script> the <img src=x onerror=alert(2)> server",')
    text = text.replace("The server listens on :8080",
                        'The server <iframe src="javascript:alert(3)"></iframe> [x](javascript:alert(4)) listens on :8080')
    text = text.replace("func runServe(args []string) error {",
                        "// runServe runs <script>alert(5)</script> the server. [y](javascript:alert(6))\n"
                        "func runServe(args []string) error {")
    serve.write_text(text)
    (tree / "main.go").write_text('// Command <script>alert(7)</script> main.\npackage main\n\nimport '
                                  '"example.com/cobra-app/cmd"\n\n// main <img src=x onerror=alert(8)>\n'
                                  "func main() {\n\tcmd.Execute()\n\thelper()\n}\n")
    (tree / "javascript:alert(9);f.go").write_text(
        'package main\n\n// helper </script><script>alert(10)</script>\nfunc helper() { println("x") }\n')
    (tree / "README.md").write_text("# App\n\nThis <script>alert(12)</script> app <img src=x onerror=alert(13)> "
                                    "does [z](javascript:alert(14)).\n")
    return tree


def _written(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.suffix in (".md", ".html", ".svg", ".json", ".tour"))


def test_no_view_writes_the_trees_text_as_live_html(hostile, tmp_path):
    out = tmp_path / "out"
    common = ["--goroot", "none", "--no-cache", "-q"]
    assert main(["walkthrough", str(hostile), "-o", str(out / "walk"), *common]) == 0
    assert main(["site", str(hostile), "-o", str(out / "site"), *common]) == 0
    assert main(["explore", str(hostile), "-o", str(out / "explore.html"), *common]) == 0
    assert main(["walkthrough", str(hostile), "--format", "codetour", "-o", str(out / "tour"), *common]) == 0
    files = _written(out)
    assert len(files) > 10 and any(p.suffix == ".tour" for p in files)
    assert {f"{p.relative_to(out)}: {m}" for p in files for m in _live(p)} == set()
    commands = (out / "walk" / "commands.md").read_text()
    assert "Start &lt;script&gt;alert(1)&lt;/script&gt; the &lt;img src=x onerror=alert(2)&gt; server" in commands
    assert "&#91;x&#93;(javascript:alert(4))" in commands
    callgraph = (out / "walk" / "callgraph.md").read_text()
    assert "/app/javascript%3Aalert%289%29%3Bf.go#L4)" in callgraph


def _in_code_block(text: str, match: str) -> bool:
    """Whether every occurrence of `match` in Markdown lies inside a fenced code block (rendered as text)."""
    inside, ok = False, True
    for line in text.splitlines():
        if line.startswith("```"):
            inside = not inside
        elif match in line and not inside:
            ok = False
    return ok


def test_prose_keeps_its_words_but_loses_its_markup():
    assert escape_text("Run <b>x</b> & [y](javascript:z)") == \
        "Run &lt;b&gt;x&lt;/b&gt; &amp; &#91;y&#93;(javascript:z)"


def test_links_never_carry_a_scheme_from_a_file_name(hostile):
    import goanalyzer

    program = goanalyzer.load(hostile, goroot="none", use_cache=False)
    linker = Linker(program, None, relative=True, page_dir=str(hostile))
    assert linker.url(str(hostile / "javascript:alert(9);f.go"), 4) == "javascript%3Aalert%289%29%3Bf.go#L4"
    evil = Linker(program, "javascript:alert(1)//{path}#L{line}", relative=True, page_dir=str(hostile))
    assert evil.url(str(hostile / "main.go"), 1) is None


@pytest.mark.skipif(_skip_reason() is not None, reason=_skip_reason() or "")
def test_the_explorer_of_a_hostile_tree_runs_no_injected_script(hostile, tmp_path):
    page = tmp_path / "explore.html"
    assert main(["explore", str(hostile), "-o", str(page), "--goroot", "none", "--no-cache", "-q"]) == 0
    own_scripts = page.read_text().count("<script")
    driver = chromium(tmp_path)
    try:
        driver.get(page.as_uri())
        driver.execute_script("window.__alerts = []; window.alert = function (m) { window.__alerts.push(m); };")
        search = driver.find_element("css selector", "input[type=search]")
        for query in ("runServe", "helper", "serve", "main"):
            search.clear()
            search.send_keys(query)
        assert driver.execute_script("return document.querySelectorAll('script').length") == own_scripts
        assert driver.execute_script("return document.querySelectorAll('iframe, img[onerror]').length") == 0
        assert driver.execute_script("return window.__alerts") == []  # an alert at load would have raised
    finally:
        driver.quit()
