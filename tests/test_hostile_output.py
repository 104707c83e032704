"""Where the output goes (issue 17): never through a planted link, all or nothing, checked before
the analysis runs, Ctrl-C is exit 130 with nothing half-written, and the tree's text cannot drive
the terminal."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, write_module
from goanalyzer.cli.main import main
from goanalyzer.cli.terminal import PrintableFormatter, printable
from goanalyzer.errors import UsageError
from goanalyzer.outputs import staged, write_file
from goanalyzer.render.svg import write_diagram

APP = str(FIXTURES / "cobra-app")
QUIET = ["--goroot", "none", "--no-cache", "-q"]


def _partials(directory: Path) -> list[str]:
    return [p.name for p in directory.iterdir() if p.name.endswith(".partial")]


# --- never through a link -------------------------------------------------------------------------

def test_a_link_planted_in_the_output_directory_is_refused_and_nothing_is_moved_in(tmp_path, capsys):
    out, victim = tmp_path / "out", tmp_path / "victim"
    out.mkdir()
    victim.write_text("keep\n")
    (out / "index.md").symlink_to(victim)
    assert main(["walkthrough", APP, "-o", str(out), *QUIET]) == 2
    assert capsys.readouterr().err.endswith(f"error: refusing to write through a symbolic link: {out / 'index.md'}\n")
    assert victim.read_text() == "keep\n" and sorted(p.name for p in out.iterdir()) == ["index.md"]
    assert _partials(tmp_path) == []


def test_a_directory_link_planted_in_a_site_is_refused(tmp_path, capsys):
    out, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "docs").symlink_to(elsewhere)
    assert main(["site", APP, "-o", str(out), *QUIET]) == 2
    assert capsys.readouterr().err.endswith(f"error: refusing to write through a symbolic link: {out / 'docs'}\n")
    assert list(elsewhere.iterdir()) == [] and sorted(p.name for p in out.iterdir()) == ["docs"]


def test_a_tour_link_is_refused(tmp_path, capsys):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / ".tours").symlink_to(elsewhere)
    assert main(["walkthrough", APP, "--format", "codetour", "-o", str(out), *QUIET]) == 2
    assert capsys.readouterr().err.endswith(f"error: refusing to write through a symbolic link: {out / '.tours'}\n")
    assert list(elsewhere.iterdir()) == []


def test_a_planted_directory_link_is_refused_by_the_writer(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "docs").symlink_to(elsewhere)
    with pytest.raises(UsageError, match=r"^refusing to write through a symbolic link: .*/site/docs$"):
        write_file(tmp_path / "site" / "docs" / "index.md", "x", tmp_path / "site")
    assert list(elsewhere.iterdir()) == []


def test_a_diagram_is_never_written_through_a_link(tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("keep\n")
    (tmp_path / "graph.dot").symlink_to(victim)
    with pytest.raises(UsageError, match=r"^refusing to write through a symbolic link: .*/graph\.dot$"):
        write_diagram("digraph { a -> b }", tmp_path / "graph", formats=())
    assert victim.read_text() == "keep\n"


def test_an_output_file_that_is_a_link_is_refused_before_loading(tmp_path, capsys, monkeypatch):
    import goanalyzer

    victim = tmp_path / "victim"
    victim.write_text("keep\n")
    (tmp_path / "calls.tsv").symlink_to(victim)
    monkeypatch.setattr(goanalyzer, "load", lambda *a, **k: pytest.fail("loaded before checking -o"))
    assert main(["callgraph", APP, "-o", str(tmp_path / "calls.tsv"), *QUIET]) == 2
    assert capsys.readouterr().err == (f"error: -o {tmp_path / 'calls.tsv'}: is a symbolic link; "
                                       "refusing to write through it\n")
    assert victim.read_text() == "keep\n"


# --- atomic, all or nothing -----------------------------------------------------------------------

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


def test_a_stage_that_cannot_land_moves_nothing(tmp_path):
    out = tmp_path / "out"
    (out / "b.md").mkdir(parents=True)  # a directory where a page goes
    with pytest.raises(UsageError, match=r"^cannot write .*/out/b\.md: it is a directory$"):
        with staged(out) as stage:
            write_file(stage / "a.md", "a\n", stage)
            write_file(stage / "b.md", "b\n", stage)
    assert sorted(p.name for p in out.iterdir()) == ["b.md"] and _partials(tmp_path) == []


def test_index_pages_move_in_last(tmp_path, monkeypatch):
    out, moved = tmp_path / "out", []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (moved.append(Path(b)), real_replace(a, b)))
    with staged(out) as stage:
        for name in ("index.md", "a.md", "z.svg"):
            write_file(stage / name, name, stage)
    assert [p.name for p in moved if p.parent == out] == ["a.md", "z.svg", "index.md"]


def test_the_current_directory_as_output_is_staged_beside_it(tmp_path, monkeypatch):
    out = tmp_path / "here"
    out.mkdir()
    monkeypatch.chdir(out)
    assert main(["walkthrough", APP, "-o", ".", *QUIET]) == 0
    assert (out / "index.md").is_file() and _partials(out) == [] and _partials(tmp_path) == []


# --- -o checked before the analysis ---------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (["callgraph", APP, "-o", "{file}/x.tsv"], "error: -o {file}/x.tsv: {file} is a file, not a directory\n"),
    (["symbols", APP, "-o", "{dir}"], "error: -o {dir}: is a directory (give a file name)\n"),
    (["commands", APP, "-o", "{dir}"], "error: -o {dir}: is a directory (give a file name)\n"),
    (["struct", APP, "x", "-o", "{file}/a/b"], "error: -o {file}/a/b: {file} is a file, not a directory\n"),
    (["startup", APP, "-o", "{dir}"], "error: -o {dir}: is a directory (give a file name)\n"),
    (["walkthrough", APP, "-o", "{file}"], "error: -o {file}: exists and is not a directory\n"),
    (["walkthrough", APP, "--format", "codetour", "-o", "{file}/t"],
     "error: -o {file}/t: {file} is a file, not a directory\n"),
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


def _read_only(monkeypatch, *directories: Path) -> None:
    """os.access says no for these directories (the tests may run as root, where chmod does not)."""
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) in directories else real_access(p, mode))


def test_a_read_only_output_directory_is_said_before_the_analysis(tmp_path, capsys, monkeypatch):
    locked = tmp_path / "locked"
    locked.mkdir()
    _read_only(monkeypatch, locked)
    assert main(["walkthrough", APP, "-o", str(locked / "out"), *QUIET]) == 2
    assert capsys.readouterr().err == f"error: -o {locked / 'out'}: cannot write into {locked} (permission denied)\n"
    assert main(["explore", APP, "-o", str(locked / "x.html"), *QUIET]) == 2
    assert capsys.readouterr().err == (f"error: -o {locked / 'x.html'}: cannot write into {locked} "
                                       "(permission denied)\n")


def test_an_existing_output_directory_needs_its_parent_writable_too(tmp_path, capsys, monkeypatch):
    (tmp_path / "out").mkdir()
    _read_only(monkeypatch, tmp_path)  # the pages are built beside out/, then moved in
    assert main(["site", APP, "-o", str(tmp_path / "out"), *QUIET]) == 2
    assert capsys.readouterr().err == f"error: -o {tmp_path / 'out'}: cannot write into {tmp_path} (permission denied)\n"


# --- Ctrl-C ---------------------------------------------------------------------------------------

def _slow_tree(root: Path) -> Path:
    """Enough packages that a cold walkthrough takes seconds (about 7 s on one core)."""
    files = {f"p{i}/f{j}.go": f"package p{i}\n\n" + "\n".join(f"func F{j}_{k}() {{ F{j}_{k + 1}() }}"
                                                           for k in range(60)) + f"\nfunc F{j}_60() {{}}\n"
             for i in range(60) for j in range(20)}
    imports = "\n".join(f'\t"example.com/slow/p{i}"' for i in range(60))
    calls = "\n".join(f"\tp{i}.F0_0()" for i in range(60))
    files["main.go"] = f"package main\n\nimport (\n{imports}\n)\n\nfunc main() {{\n{calls}\n}}\n"
    return write_module(root, files, module="example.com/slow")


def test_ctrl_c_exits_130_and_leaves_no_output(tmp_path):
    tree, out, cache = _slow_tree(tmp_path / "slow"), tmp_path / "out", tmp_path / "cache"
    # SIGINT back to its default in the child: a shell running the tests in the background ignores
    # it, and an ignored SIGINT would be inherited (Python installs its handler only over the default)
    child = subprocess.Popen([sys.executable, "-c", "from goanalyzer.cli.main import run; run()", "walkthrough",
                              str(tree), "--goroot", "none", "--cache-dir", str(cache), "-j", "1", "-o", str(out)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 60
    while not cache.exists() and time.monotonic() < deadline:  # the cache opens once loading starts
        time.sleep(0.05)
    time.sleep(0.5)
    assert child.poll() is None, "the run ended before it could be interrupted"
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=60)
    assert (child.returncode, err.strip().splitlines()[-1]) == (130, "interrupted")
    assert err.count("interrupted") == 1 and "Traceback" not in err
    assert not out.exists() and _partials(tmp_path) == []


# --- the terminal ---------------------------------------------------------------------------------

def test_escape_sequences_from_go_mod_never_reach_the_terminal(tmp_path, capsys):
    module = write_module(tmp_path / "m", {"a.go": "package m\n\nfunc A() {}\n"})
    (module / "go.mod").write_text("module example.com/m\n\nreplace example.com/x => ./\x1b]0;pwned\x07\x1b[2J\n")
    assert main(["index", str(module), "--goroot", "none", "--no-cache"]) == 0
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    assert (f"warning: {module / 'go.mod'}:3: replace example.com/x => ./\\x1b]0;pwned\\x07\\x1b[2J: no such "
            "directory; its packages stay unresolved\n") in err


def test_an_error_listing_the_tree_s_names_is_escaped(tmp_path, capsys):
    module = write_module(tmp_path / "m", {"a.go": "package main\n\nfunc main() {}\n"},
                          module="example.com/\x1b]0;pwned\x07x")
    assert main(["startup", str(module), "--entry", "Nope", *QUIET]) == 2
    assert capsys.readouterr().err == ("error: no entry function 'Nope'\n"
                                       "  candidate: example.com/\\x1b]0;pwned\\x07x.main\n")


def test_output_on_a_terminal_is_escaped_and_exact_in_a_pipe(tmp_path, capsys, monkeypatch):
    module = write_module(tmp_path / "m", {"a\x1b]0;pwned\x07.go": "package m\n\nfunc A() {}\n"})
    assert main(["symbols", str(module), *QUIET]) == 0
    assert "a\x1b]0;pwned\x07.go:3:1" in capsys.readouterr().out  # to a pipe: the data as it is
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert main(["symbols", str(module), *QUIET]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "a\\x1b]0;pwned\\x07.go:3:1" in out


def test_printable_escapes_controls_and_bidi_overrides():
    assert printable("a\x1b[2Jb\x07c\u202ed\te\r\n") == "a\\x1b[2Jb\\x07c\\u202ed\te\\x0d\n"
    assert printable("one\ntwo\x9b", one_line=True) == "one\\x0atwo\\x9b"
    record = logging.LogRecord("goanalyzer", logging.WARNING, __file__, 1, "codetour: %s", ("x\x1b[2J",), None)
    assert PrintableFormatter("%(levelname)s: %(message)s").format(record) == "WARNING: codetour: x\\x1b[2J"
