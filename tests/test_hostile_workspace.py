"""The tree on hostile or careless ground (issue 17): links stay inside the tree, odd files are
named rather than skipped silently or read forever, and what go would reject is said."""

import os

from conftest import write_module

import goanalyzer


def _messages(program, root):
    return sorted((d.message, os.path.relpath(d.path, root) if d.path else "") for d in program.diagnostics)


def test_a_directory_link_out_of_the_tree_is_not_walked(tmp_path):
    outside = write_module(tmp_path / "elsewhere", {"secret/s.go": "package secret\n\nfunc Leak() {}\n"},
                           module="example.com/elsewhere")
    module = write_module(tmp_path / "m", {"a.go": "package m\n\nfunc A() {}\n", "inner/i.go": "package inner\n"})
    (module / "root").symlink_to("/")
    (module / "other").symlink_to(outside / "secret")
    (module / "again").symlink_to(module / "inner")  # inside the tree, but an alias: walked once
    program = goanalyzer.load(module, goroot="none", use_cache=False)
    assert sorted(program.packages) == ["example.com/m", "example.com/m/inner"]
    assert not any("Leak" in name for name in program.funcs)
    assert _messages(program, module) == [
        ("symlink leads out of the tree (/), not followed", "root"),
        (f"symlink leads out of the tree ({outside / 'secret'}), not followed", "other"),
        ("symlink to a directory already walked (a loop or an alias), skipped", "again")]


def test_a_file_link_out_of_the_tree_is_not_read(tmp_path):
    secret = tmp_path / "secret.go"
    secret.write_text("package m\n\nfunc Leak() {}\n")
    module = write_module(tmp_path / "m", {"a.go": "package m\n\nfunc A() {}\n", "shared/s.go": "package shared\n"})
    (module / "b.go").symlink_to(secret)
    (module / "c.go").symlink_to(module / "shared" / "s.go")  # inside: read (and found a second package)
    program = goanalyzer.load(module, goroot="none", use_cache=False)
    assert "example.com/m.A" in program.funcs and "example.com/m.Leak" not in program.funcs
    assert (f"skipped: symlink leads out of the tree ({secret})", "b.go") in _messages(program, module)


def test_a_fifo_named_go_is_named_and_never_opened(tmp_path):
    module = write_module(tmp_path / "m", {"a.go": "package m\n\nfunc A() {}\n"})
    os.mkfifo(module / "pipe.go")  # opening it would block the run forever
    program = goanalyzer.load(module, goroot="none", use_cache=False, jobs=1)
    assert "example.com/m.A" in program.funcs
    assert _messages(program, module) == [("skipped: not a regular file (FIFO, socket or device)", "pipe.go")]


def test_a_module_cache_it_may_not_read_is_a_diagnostic_and_the_rest_is_analysed(tmp_path, monkeypatch):
    cache = tmp_path / "gomodcache"
    write_module(cache / "example.com" / "dep@v1.0.0", {"d.go": "package dep\n\nfunc D() {}\n"}, module="example.com/dep")
    module = write_module(tmp_path / "m", {"a.go": 'package m\n\nimport "example.com/dep"\n\nfunc A() { dep.D() }\n'})
    with open(module / "go.mod", "a") as gomod:
        gomod.write("\nrequire example.com/dep v1.0.0\n")
    real_is_dir = type(cache).is_dir

    def denied(path):  # what a chmod 000 directory does to a user other than root
        if str(path).startswith(str(cache)):
            raise PermissionError(13, "Permission denied", str(path))
        return real_is_dir(path)

    monkeypatch.setattr(type(cache), "is_dir", denied)
    program = goanalyzer.load(module, goroot="none", use_cache=False, gomodcache=(str(cache),))
    assert "example.com/m.A" in program.funcs and "example.com/dep.D" not in program.funcs
    assert ("cannot look into it: permission denied; imports it would resolve to stay unresolved",
            str(cache / "example.com" / "dep@v1.0.0")) in [(d.message, d.path) for d in program.diagnostics]


def test_two_packages_in_one_directory_are_reported_as_go_list_does(tmp_path):
    module = write_module(tmp_path / "m", {
        "a.go": "package main\n\nfunc main() {}\n", "b.go": "package foo\n\nfunc Foo() {}\n",
        "c.go": "package foo\n\nfunc Bar() {}\n", "ignored.go": "//go:build ignore\n\npackage other\n",
        "doc.go": "package documentation\n"})
    program = goanalyzer.load(module, goroot="none", use_cache=False)
    assert program.packages["example.com/m"].name == "foo"
    assert [(d.severity.value, d.message) for d in program.diagnostics] == [
        ("error", f"found packages main (a.go) and foo (b.go) in {module}; analysing foo only")]


def test_go_work_modules_resolve_to_their_directories(tmp_path):
    write_module(tmp_path / "lib", {"l.go": "package lib\n\nfunc L() {}\n"}, module="example.com/lib")
    module = write_module(tmp_path / "app", {"a.go": 'package app\n\nimport "example.com/lib"\n\nfunc A() { lib.L() }\n'},
                          module="example.com/app")
    (tmp_path / "go.work").write_text("go 1.21\n\nuse (\n\t./app\n\t./lib\n\t./gone\n)\n")
    program = goanalyzer.load(module, goroot="none", use_cache=False)
    assert "example.com/lib.L" in program.funcs
    assert [(d.message, d.line) for d in program.diagnostics] == [
        (f"use ./gone: no go.mod in {tmp_path / 'gone'}", 6)]


def test_go_mod_problems_are_said_and_the_rest_is_read(tmp_path):
    module = write_module(tmp_path / "m", {"a.go": "package m\n\nfunc A() {}\n"})
    (module / "go.mod").write_bytes(
        b"\xef\xbb\xbfmodule example.com/bom\n\ngo 1.21\n\nrequire (\n\texample.com/x v1.0.0\n"
        b"replace example.com/y => ./missing\n")
    program = goanalyzer.load(module, goroot="none", use_cache=False)
    assert "example.com/bom.A" in program.funcs
    assert [(d.message, d.line) for d in program.diagnostics] == [
        ("unterminated require block", 5),
        ("replace example.com/y => ./missing: no such directory; its packages stay unresolved", 7)]


def test_inconsistent_vendoring_is_said(tmp_path):
    module = write_module(tmp_path / "m", {"a.go": "package m\n\nfunc A() {}\n",
                                           "vendor/example.com/x/x.go": "package x\n"})
    with open(module / "go.mod", "a") as gomod:
        gomod.write("\nrequire (\n\texample.com/x v1.0.0\n\texample.com/y v1.2.0\n)\n")
    (module / "vendor" / "modules.txt").write_text("# example.com/x v1.1.0\n## explicit\nexample.com/x\n")
    program = goanalyzer.load(module, goroot="none", use_cache=False)
    assert [d.message for d in program.diagnostics] == [
        "inconsistent vendoring: example.com/x is v1.0.0 in go.mod but v1.1.0 in vendor/modules.txt",
        "inconsistent vendoring: example.com/y@v1.2.0 is required in go.mod but not in vendor/modules.txt"]


def test_a_gopath_tree_names_packages_by_their_path_under_src(tmp_path):
    gopath = tmp_path / "gopath"
    for rel, text in {"src/example.com/app/main.go": 'package main\n\nimport "example.com/lib"\n\nfunc main() { lib.L() }\n',
                      "src/example.com/lib/l.go": "package lib\n\nfunc L() {}\n"}.items():
        (gopath / rel).parent.mkdir(parents=True, exist_ok=True)
        (gopath / rel).write_text(text)
    for root in (gopath, gopath / "src" / "example.com" / "app"):
        program = goanalyzer.load(root, goroot="none", use_cache=False)
        assert {"example.com/app.main", "example.com/lib.L"} <= set(program.funcs)


def test_release_tags_follow_the_toolchain_else_the_newest_release(tmp_path):
    from goanalyzer.workspace.constraints import NEWEST_GO_MINOR, build_context

    goroot = tmp_path / "goroot"
    goroot.mkdir()
    (goroot / "VERSION").write_text("go1.19.8\ntime 2023-04-04T17:18:44Z\n")
    assert build_context("linux", "amd64", goroot=goroot).satisfied("go1.19")
    assert not build_context("linux", "amd64", goroot=goroot).satisfied("go1.20")
    newest = build_context("linux", "amd64")
    assert newest.satisfied("go1.23") and newest.satisfied(f"go1.{NEWEST_GO_MINOR}")
    assert not newest.satisfied(f"go1.{NEWEST_GO_MINOR + 1}")


def test_an_import_through_a_directory_link_out_of_the_tree_is_not_read(tmp_path):
    outside = write_module(tmp_path / "outside", {"s.go": "package secret\n\nfunc Leak() {}\n"}, module="example.com/o")
    module = write_module(tmp_path / "m", {
        "a.go": 'package m\n\nimport (\n\t"example.com/m/pkg"\n\t"example.com/x"\n)\n\nfunc A() { pkg.P(); x.X() }\n',
        "vendor/modules.txt": "# example.com/x v1.0.0\n## explicit\nexample.com/x\n"})
    with open(module / "go.mod", "a") as gomod:
        gomod.write("\nrequire example.com/x v1.0.0\n")
    (module / "pkg").symlink_to(outside)
    (module / "vendor" / "example.com").mkdir()
    (module / "vendor" / "example.com" / "x").symlink_to(outside)
    program = goanalyzer.load(module, goroot="none", use_cache=False)
    assert sorted(program.funcs) == ["example.com/m.A"]
    assert _messages(program, module) == [
        (f"import example.com/m/pkg: symlink leads out of the tree ({outside}), not followed", "pkg"),
        (f"import example.com/x: symlink leads out of the tree ({outside}), not followed", "vendor/example.com/x"),
        (f"symlink leads out of the tree ({outside}), not followed", "pkg")]


def test_control_files_that_are_fifos_or_huge_are_said_and_never_waited_on(tmp_path):
    module = write_module(tmp_path / "m", {"a.go": "package m\n\nfunc A() {}\n", "sub/s.go": "package sub\n",
                                           "vendor/example.com/x/x.go": "package x\n"})
    os.mkfifo(module / "sub" / "go.mod")  # nested: would be read as a module boundary
    os.mkfifo(module / "vendor" / "modules.txt")
    with open(module / "go.work", "wb") as gowork:
        gowork.truncate((16 << 20) + 1)  # sparse: 16 MiB of nothing, over the go command's go.mod limit
    program = goanalyzer.load(module, goroot="none", use_cache=False)
    assert sorted(program.packages) == ["example.com/m", "example.com/m/sub"]
    assert _messages(program, module) == [
        ("cannot read go.work: larger than 16 MiB (16777217 bytes)", "go.work"),
        ("cannot read vendor/modules.txt: not a regular file (FIFO, socket or device); vendored packages stay "
         "unresolved", "vendor/modules.txt"),
        ("skipped: not a regular file (FIFO, socket or device)", "sub/go.mod")]


def test_unreadable_modules_txt_and_nested_directory_are_diagnostics_with_partial_results(tmp_path, monkeypatch):
    import goanalyzer.workspace.workspace as workspace

    module = write_module(tmp_path / "m", {"a.go": "package m\n\nfunc A() {}\n", "locked/l.go": "package locked\n",
                                           "vendor/modules.txt": "# example.com/x v1.0.0\n"})
    real_scandir, real_read = os.scandir, workspace.read_control_file

    def scandir(path="."):  # chmod 000 does not deny root, who may run these tests: deny by hand
        if str(path) == str(module / "locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    def read(path, *args, **kwargs):
        if path.name == "modules.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real_read(path, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(workspace, "read_control_file", read)
    program = goanalyzer.load(module, goroot="none", use_cache=False)
    assert sorted(program.packages) == ["example.com/m"] and "example.com/m.A" in program.funcs
    assert _messages(program, module) == [
        ("cannot read directory: Permission denied", "locked"),
        ("cannot read vendor/modules.txt: permission denied; vendored packages stay unresolved",
         "vendor/modules.txt")]


def test_go_work_replace_wins_over_go_mod_and_gowork_off_ignores_it(tmp_path, monkeypatch):
    for name in ("mod", "work"):
        write_module(tmp_path / name, {"d.go": f"package dep\n\nfunc From{name.title()}() {{}}\n"},
                     module="example.com/dep")
    module = write_module(tmp_path / "app", {"a.go": 'package app\n\nimport "example.com/dep"\n\nfunc A() {}\n'},
                          module="example.com/app")
    with open(module / "go.mod", "a") as gomod:
        gomod.write("\nrequire example.com/dep v1.0.0\n\nreplace example.com/dep => ../mod\n")
    (tmp_path / "go.work").write_text("go 1.22\n\nuse ./app\n\nreplace example.com/dep => ./work\n")
    program = goanalyzer.load(module, goroot="none", use_cache=False)
    assert program.packages["example.com/dep"].dir == str(tmp_path / "work")
    monkeypatch.setenv("GOWORK", "off")
    program = goanalyzer.load(module, goroot="none", use_cache=False)
    assert program.packages["example.com/dep"].dir == str(tmp_path / "mod")


def test_release_tags_reach_the_release_go_mod_asks_for(tmp_path):
    from goanalyzer.workspace.constraints import release_minor

    goroot = tmp_path / "goroot"
    goroot.mkdir()
    (goroot / "VERSION").write_text("go1.19.8\n")
    assert release_minor(goroot, ["1.21", None], {}) == 21  # GOTOOLCHAIN=auto switches to go1.21
    assert release_minor(goroot, ["1.21", "go1.23.4"], {}) == 23
    assert release_minor(goroot, ["1.21"], {"GOTOOLCHAIN": "local"}) == 19
    assert release_minor(goroot, ["1.21"], {"GOTOOLCHAIN": "go1.20.3+auto"}) == 20
    module = write_module(tmp_path / "m", {"a.go": "package m\n\nfunc A() {}\n",
                                           "new.go": "//go:build go1.40\n\npackage m\n\nfunc New() {}\n"})
    assert "example.com/m.New" not in goanalyzer.load(module, goroot="none", use_cache=False).funcs
    (module / "go.mod").write_text("module example.com/m\n\ngo 1.40\n")
    assert "example.com/m.New" in goanalyzer.load(module, goroot="none", use_cache=False).funcs


def test_a_gopath_entry_beats_a_nearer_directory_named_src(tmp_path, monkeypatch):
    app = tmp_path / "gopath" / "src" / "example.com" / "x" / "src" / "app"
    app.mkdir(parents=True)
    (app / "main.go").write_text("package main\n\nfunc main() {}\n")
    monkeypatch.delenv("GOPATH", raising=False)
    assert "app.main" in goanalyzer.load(app, goroot="none", use_cache=False).funcs  # the nearest src
    monkeypatch.setenv("GOPATH", str(tmp_path / "gopath"))
    assert "example.com/x/src/app.main" in goanalyzer.load(app, goroot="none", use_cache=False).funcs


def test_a_replacement_around_the_tree_trusts_no_link(tmp_path):
    secret = tmp_path / "secret.go"
    secret.write_text("package m\n\nfunc Leak() {}\n")
    module = write_module(tmp_path / "m", {"a.go": "package m\n\nfunc A() {}\n"})
    with open(module / "go.mod", "a") as gomod:
        gomod.write("\nreplace example.com/anything => /\n")
    (module / "b.go").symlink_to(secret)
    program = goanalyzer.load(module, goroot="none", use_cache=False)
    assert "example.com/m.A" in program.funcs and "example.com/m.Leak" not in program.funcs
    assert (f"skipped: symlink leads out of the tree ({secret})", "b.go") in _messages(program, module)
