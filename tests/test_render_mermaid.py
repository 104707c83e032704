"""Mermaid output: golden strings, escaping, and validation with Mermaid's own parser (node + npm)."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from goanalyzer.render import mermaid

HERE = Path(__file__).parent
NODE_DIR = HERE / "mermaid"

_spec = importlib.util.spec_from_file_location("_render_models", HERE / "test_render_dot.py")
models = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(models)


def test_callgraph_mermaid_golden():
    assert mermaid.render_callgraph_mermaid(models.tiny_callgraph()) == models.CALLGRAPH_MMD


def test_startup_mermaid_golden():
    assert mermaid.render_startup_mermaid(models.tiny_flow()) == models.STARTUP_MMD


def test_commands_mermaid_golden():
    assert mermaid.render_commands_mermaid(models.tiny_commands()) == models.COMMANDS_MMD


def test_label_escaping():
    assert mermaid.label('a "b" <c> #d') == '"a #quot;b#quot; #lt;c#gt; #35;d"'
    assert mermaid.label("(*pkg.T).M$1 [x]") == '"(*pkg.T).M$1 [x]"'


def test_collapsed_mermaid():
    text = mermaid.render_callgraph_mermaid(models.big_callgraph())
    assert "collapsed_note" in text and "p00.F00" not in text and text.count("functions") >= 20


HAPPY = [("example.com/app.main", "example.com/app.main$1"), ("example.com/app.main$1", "os.Exit")]


def test_callgraph_mermaid_highlights_the_happy_path():
    text = mermaid.render_callgraph_mermaid(models.tiny_callgraph(), highlight=HAPPY)
    assert text == models.CALLGRAPH_MMD + (
        "  style f1 stroke:#ea580c,stroke-width:3px\n  style f2 stroke:#ea580c,stroke-width:3px\n"
        "  style f4 stroke:#ea580c,stroke-width:3px\n  linkStyle 1,2 stroke:#ea580c,stroke-width:3px\n")
    # collapsed: the path's functions stay nodes, the rest are packages
    big = mermaid.render_callgraph_mermaid(models.big_callgraph(),
                                           highlight=[("example.com/big/p00.F00", "example.com/big/p01.F03")])
    assert '["F00"]' in big and '["F03"]' in big and '["F01"]' not in big
    assert "linkStyle 0 stroke:#ea580c,stroke-width:3px" in big


def _diagrams() -> dict[str, str]:
    return {
        "callgraph": mermaid.render_callgraph_mermaid(models.tiny_callgraph()),
        "callgraph_type": mermaid.render_callgraph_mermaid(models.tiny_callgraph(), cluster_by="type"),
        "callgraph_collapsed": mermaid.render_callgraph_mermaid(models.big_callgraph()),
        "callgraph_focus": mermaid.render_callgraph_mermaid(models.big_callgraph(), focus="example.com/big/p03"),
        "commands": mermaid.render_commands_mermaid(models.tiny_commands()),
        "startup": mermaid.render_startup_mermaid(models.tiny_flow()),
        "startup_rich": mermaid.render_startup_mermaid(models.rich_flow(), parts={"startup-app-runcmd": "x.md"}),
        "callgraph_happy": mermaid.render_callgraph_mermaid(models.tiny_callgraph(), highlight=HAPPY),
    }


def _validator() -> list[str]:
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.skip("node/npm not found: Mermaid validation needs Node.js")
    if not (NODE_DIR / "node_modules" / "mermaid").is_dir():
        try:
            proc = subprocess.run([npm, "install", "--no-audit", "--no-fund"], cwd=NODE_DIR, capture_output=True,
                                  text=True, timeout=300)
        except subprocess.TimeoutExpired:
            pytest.skip("npm install timed out (no network?): cannot fetch the mermaid package")
        if proc.returncode != 0 or not (NODE_DIR / "node_modules" / "mermaid").is_dir():
            pytest.skip("npm install failed (no network?): " + (proc.stderr.strip().splitlines() or ["?"])[-1])
    return [node, str(NODE_DIR / "validate.mjs")]


def test_mermaid_parser_accepts_all_views(tmp_path):
    command = _validator()
    files = []
    for name, text in _diagrams().items():
        path = tmp_path / f"{name}.mmd"
        path.write_text(text, encoding="utf-8")
        files.append(str(path))
    bad = tmp_path / "zz_bad.mmd"
    bad.write_text('flowchart LR\n  a["x("y")"] --> b\n', encoding="utf-8")
    proc = subprocess.run(command + files + [str(bad)], capture_output=True, text=True, timeout=120)
    results = {Path(r["file"]).stem: r for r in map(json.loads, proc.stdout.splitlines())}
    assert results.pop("zz_bad")["ok"] is False, "the validator must reject a broken diagram"
    failures = {k: r["error"] for k, r in results.items() if not r["ok"]}
    assert not failures, failures
    assert len(results) == len(files) - 0 and all(r["type"].startswith("flowchart") for r in results.values())
