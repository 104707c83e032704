"""Source links that are true: dependencies at their version, the module at its checkout's tag or commit."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

import goanalyzer
from conftest import PAERSER, TRAEFIK, write_module
from goanalyzer.views.gitrefs import find_checkout, web_repository
from goanalyzer.views.links import Linker, module_file_url

COMMIT = "0123456789abcdef0123456789abcdef01234567"
OTHER = "fedcba9876543210fedcba9876543210fedcba98"
TAG_OBJECT = "1111111111111111111111111111111111111111"


@pytest.mark.parametrize("module, version, url", [
    ("github.com/traefik/paerser", "v0.1.4", "https://github.com/traefik/paerser/blob/v0.1.4/cli/a.go#L7"),
    ("github.com/containous/alice", "v0.0.0-20181107144136-d83ebdd94cbd",
     "https://github.com/containous/alice/blob/d83ebdd94cbd/cli/a.go#L7"),
    ("github.com/o/r", "v1.2.4-0.20210101120000-abcdef123456", "https://github.com/o/r/blob/abcdef123456/cli/a.go#L7"),
    ("github.com/o/r", "v2.4.0+incompatible", "https://github.com/o/r/blob/v2.4.0/cli/a.go#L7"),
    ("github.com/o/r/v3", "v3.1.0", "https://github.com/o/r/blob/v3.1.0/cli/a.go#L7"),
    ("github.com/o/r/tools/gen", "v0.3.0", "https://github.com/o/r/blob/tools/gen/v0.3.0/tools/gen/cli/a.go#L7"),
    ("github.com/o/r/sub/v2", "v2.0.1", "https://github.com/o/r/blob/sub/v2.0.1/sub/cli/a.go#L7"),
    ("gitlab.com/g/r", "v1.0.0", "https://gitlab.com/g/r/-/blob/v1.0.0/cli/a.go#L7"),
    ("golang.org/x/sys", "v0.1.0", None),
])
def test_module_file_url(module, version, url):
    assert module_file_url(module, version, "cli/a.go", 7) == url


@pytest.mark.parametrize("remote, web", [
    ("git@github.com:traefik/traefik.git", "https://github.com/traefik/traefik"),
    ("https://user:s3cret@github.com/o/r.git", "https://github.com/o/r"),
    ("ssh://git@gitlab.com:22/group/sub/r.git", "https://gitlab.com/group/sub/r"),
    ("https://example.com/o/r", None),
    ("/srv/git/r.git", None),
    ("file:///srv/git/r", None),
])
def test_web_repository(remote, web):
    assert web_repository(remote) == web


def fake_checkout(root: Path, *, head: str = "ref: refs/heads/main\n", packed: str = "", config: str | None = None):
    """A .git directory written as text (what git itself would leave), no git needed."""
    git = root / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "refs" / "tags").mkdir(parents=True)
    (git / "HEAD").write_text(head)
    (git / "config").write_text(config if config is not None else
                                '[core]\n\tbare = false\n[remote "upstream"]\n\turl = https://gitlab.com/x/y\n'
                                '[remote "origin"]\n\turl = git@github.com:acme/app.git\n'
                                '\tfetch = +refs/heads/*:refs/remotes/origin/*\n')
    if packed:
        (git / "packed-refs").write_text("# pack-refs with: peeled fully-peeled sorted\n" + packed)
    return git


def test_checkout_tag_from_packed_refs(tmp_path):
    fake_checkout(tmp_path, packed=f"{COMMIT} refs/heads/main\n{TAG_OBJECT} refs/tags/v1.2.0\n^{COMMIT}\n"
                                   f"{OTHER} refs/tags/v1.1.0\n")
    checkout = find_checkout(tmp_path / "sub")
    assert checkout is not None and checkout.root == tmp_path.resolve()
    assert (checkout.web, checkout.ref) == ("https://github.com/acme/app", "v1.2.0")


def test_checkout_commit_loose_ref_and_loose_annotated_tag(tmp_path):
    git = fake_checkout(tmp_path)
    (git / "refs" / "heads" / "main").write_text(COMMIT + "\n")
    assert find_checkout(tmp_path).ref == COMMIT
    # an annotated tag stored loose: its object names the commit
    (git / "refs" / "tags" / "release-7").write_text(TAG_OBJECT + "\n")
    obj = git / "objects" / TAG_OBJECT[:2] / TAG_OBJECT[2:]
    obj.parent.mkdir(parents=True)
    body = f"object {COMMIT}\ntype commit\ntag release-7\n".encode()
    obj.write_bytes(zlib.compress(b"tag %d\x00" % len(body) + body))
    assert find_checkout(tmp_path).ref == "release-7"


def test_checkout_detached_worktree_and_unknown_host(tmp_path):
    main_git = fake_checkout(tmp_path / "main", head=OTHER + "\n")
    assert find_checkout(tmp_path / "main").ref == OTHER
    worktree = main_git / "worktrees" / "wt"
    worktree.mkdir(parents=True)
    (worktree / "HEAD").write_text(COMMIT + "\n")
    (worktree / "commondir").write_text("../..\n")
    (tmp_path / "wt").mkdir()
    (tmp_path / "wt" / ".git").write_text(f"gitdir: {worktree}\n")
    wt = find_checkout(tmp_path / "wt")
    assert (wt.web, wt.ref, wt.root) == ("https://github.com/acme/app", COMMIT, (tmp_path / "wt").resolve())
    fake_checkout(tmp_path / "other", head=COMMIT + "\n", config='[remote "origin"]\n\turl = /srv/git/app.git\n')
    assert find_checkout(tmp_path / "other") is None


def test_linker_uses_the_checkout(tmp_path):
    fake_checkout(tmp_path, packed=f"{COMMIT} refs/heads/main\n{COMMIT} refs/tags/v0.9.0\n")
    root = write_module(tmp_path / "svc", {"main.go": "package main\n\nfunc main() {}\n"})
    program = goanalyzer.load(root, goroot="none", use_cache=False)
    linker = Linker(program, None, relative=False)
    assert linker.has_links and linker.source == "https://github.com/acme/app at v0.9.0"
    assert linker.url("main.go", 3) == "https://github.com/acme/app/blob/v0.9.0/svc/main.go#L3"
    template = Linker(program, "https://example.org/{path}?line={line}", relative=False)
    assert template.url("main.go", 3) == "https://example.org/main.go?line=3"


def test_no_checkout_no_links(tmp_path):
    root = write_module(tmp_path / "svc", {"main.go": "package main\n\nfunc main() {}\n"})
    program = goanalyzer.load(root, goroot="none", use_cache=False)
    linker = Linker(program, None, relative=False)
    assert not linker.has_links and linker.url("main.go", 3) is None
    assert linker.cite("main.go", 3) == "`main.go:3`"


def test_dependency_links_without_template():
    program = goanalyzer.load(TRAEFIK, goroot="none", use_cache=False, into=(PAERSER,))
    linker = Linker(program, None, relative=False, checkout=None)
    execute = program.funcs[f"{PAERSER}/cli.Execute"]
    assert linker.url(execute.file.path, 50) == "https://github.com/traefik/paerser/blob/v0.1.4/cli/commands.go#L50"
    assert linker.url("cmd/traefik/traefik.go", 67) is None


def test_replaced_and_case_escaped_dependencies_link_to_what_was_read(tmp_path):
    mux = "_gomodcache/github.com/containous/mux@v0.0.0-20181024131434-c33f32e26898"
    toml = "_gomodcache/github.com/!burnt!sushi/toml@v0.3.1"
    root = write_module(tmp_path / "svc", {
        "main.go": 'package main\n\nimport (\n\t"github.com/gorilla/mux"\n\t"github.com/BurntSushi/toml"\n)\n\n'
                   "func main() { mux.New(); toml.Decode() }\n",
        f"{mux}/go.mod": "module github.com/gorilla/mux\n",
        f"{mux}/mux.go": "package mux\n\nfunc New() {}\n",
        f"{toml}/go.mod": "module github.com/BurntSushi/toml\n",
        f"{toml}/decode.go": "package toml\n\nfunc Decode() {}\n",
    })
    gomod = root / "go.mod"
    gomod.write_text(gomod.read_text() + "require (\n\tgithub.com/gorilla/mux v1.8.0\n\tgithub.com/BurntSushi/toml v0.3.1\n)\n"
                     "replace github.com/gorilla/mux => github.com/containous/mux v0.0.0-20181024131434-c33f32e26898\n")
    program = goanalyzer.load(root, goroot="none", use_cache=False)
    linker = Linker(program, None, relative=False, checkout=None)
    new = program.funcs["github.com/gorilla/mux.New"]
    assert linker.url(new.file.path, 3) == "https://github.com/containous/mux/blob/c33f32e26898/mux.go#L3"
    decode = program.funcs["github.com/BurntSushi/toml.Decode"]
    assert linker.url(decode.file.path, 3) == "https://github.com/BurntSushi/toml/blob/v0.3.1/decode.go#L3"
