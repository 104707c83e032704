"""Where the output goes (issue 17): never through a planted link, all or nothing, checked before
the analysis runs, Ctrl-C is exit 130 with nothing half-written, and the tree's text cannot drive
the terminal."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, write_module
from goanalyzer.cli.main import main
from goanalyzer.cli.options import printable
from goanalyzer.errors import UsageError
from goanalyzer.outputs import staged, write_file

APP = str(FIXTURES / "cobra-app")
QUIET = ["--goroot", "none", "--no-cache", "-q"]


def test_a_link_planted_in_the_output_directory_is_refused_and_nothing_is_moved_in(tmp_path, capsys):
    out, victim = tmp_path / "out", tmp_path / "victim"
    out.mkdir()
    victim.write_text("keep\n")
    (out / "index.md").symlink_to(victim)
    assert main(["walkthrough", APP, "-o", str(out), *QUIET]) == 2
    assert capsys.readouterr().err.endswith(f"error: refusing to write through a symbolic link: {out / 'index.md'}\n")
    assert victim.read_text() == "keep\n" and sorted(p.name for p in out.iterdir()) == ["index.md"]
    assert [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []


def test_a_planted_directory_link_is_refused_too(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "docs").symlink_to(elsewhere)
    with pytest.raises(UsageError, match=r"^refusing to write through a symbolic link: .*/site/docs$"):
        write_file(tmp_path / "site" / "docs" / "index.md", "x", tmp_path / "site")
    assert list(elsewhere.iterdir()) == []


def test_a_write_replaces_the_file_atomically(tmp_path):
    target = tmp_path / "page.md"
    target.write_text("old\n")
    write_file(target, "new\n")
    assert target.read_text() == "new\n" and [p.name for p in tmp_path.iterdir()] == ["page.md"]


def test_an_interrupted_stage_leaves_the_output_as_it_was(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.md").write_text("earlier run\n")
    with pytest.raises(KeyboardInterrupt):
        with staged(out) as stage:
            write_file(stage / "index.md", "half\n", stage)
            raise KeyboardInterrupt
    assert (out / "index.md").read_text() == "earlier run\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize("args, message", [
    (["callgraph", APP, "-o", "{file}/x.tsv"], "error: -o {file}/x.tsv: {file} is a file, not a directory\n"),
    (["walkthrough", APP, "-o", "{file}"], "error: -o {file}: exists and is not a directory\n"),
    (["explore", APP, "-o", "{dir}"], "error: -o {dir}: is a directory (give a file name)\n"),
    (["site", APP, "-o", "{file}/site"], "error: -o {file}/site: {file} is a file, not a directory\n"),
])
def test_an_output_that_cannot_be_written_ends_the_run_before_the_analysis(tmp_path, capsys, monkeypatch, args,
                                                                           message):
    import goanalyzer

    (tmp_path / "f").write_text("")
    (tmp_path / "d").mkdir()
    names = {"file": str(tmp_path / "f"), "dir": str(tmp_path / "d")}
    monkeypatch.setattr(goanalyzer, "load", lambda *a, **k: pytest.fail("loaded before checking -o"))
    assert main([a.format(**names) for a in args] + QUIET) == 2
    assert capsys.readouterr().err == message.format(**names)


def test_a_read_only_output_directory_is_said_before_the_analysis(tmp_path, capsys, monkeypatch):
    locked = tmp_path / "locked"
    locked.mkdir()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == locked else real_access(p, mode))
    assert main(["walkthrough", APP, "-o", str(locked / "out"), *QUIET]) == 2
    assert capsys.readouterr().err == f"error: -o {locked / 'out'}: cannot write into {locked} (permission denied)\n"


def _slow_tree(root: Path) -> Path:
    """Enough packages that a cold walkthrough takes seconds."""
    files = {f"p{i}/f{j}.go": f"package p{i}\n\n" + "\n".join(f"func F{j}_{k}() {{ F{j}_{k + 1}() }}"
                                                           for k in range(60)) + f"\nfunc F{j}_60() {{}}\n"
             for i in range(60) for j in range(20)}
    imports = "\n".join(f'\t"example.com/slow/p{i}"' for i in range(60))
    calls = "\n".join(f"\tp{i}.F0_0()" for i in range(60))
    files["main.go"] = f"package main\n\nimport (\n{imports}\n)\n\nfunc main() {{\n{calls}\n}}\n"
    return write_module(root, files, module="example.com/slow")


def test_ctrl_c_exits_130_and_leaves_no_output(tmp_path):
    tree = _slow_tree(tmp_path / "slow")
    out = tmp_path / "out"
    child = subprocess.Popen([sys.executable, "-c", "from goanalyzer.cli.main import run; run()", "walkthrough",
                              str(tree), "--goroot", "none", "--cache-dir", str(tmp_path / "cache"), "-j", "1",
                              "-o", str(out)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(1.0)
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=60)
    assert (child.returncode, err.strip().splitlines()[-1]) == (130, "interrupted")
    assert not out.exists() and [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []


def test_escape_sequences_from_the_tree_never_reach_the_terminal(tmp_path, capsys):
    module = write_module(tmp_path / "m", {"a.go": "package m\n\nfunc A() {}\n"})
    (module / "go.mod").write_text("module example.com/m\n\nreplace example.com/x => ./\x1b]0;pwned\x07\x1b[2J\n")
    assert main(["index", str(module), "--goroot", "none", "--no-cache"]) == 0
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    assert (f"warning: {module / 'go.mod'}:3: replace example.com/x => ./\\x1b]0;pwned\\x07\\x1b[2J: no such "
            "directory; its packages stay unresolved\n") in err
    assert printable("a\x1b[2Jb\x07c\u202ed\n") == "a\\x1b[2Jb\\x07c\\u202ed\n"
