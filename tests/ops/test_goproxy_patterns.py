"""Go's GOPRIVATE glob matching: path.Match and module.MatchPrefixPatterns."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from goanalyzer.ops.goproxy.patterns import (
    BadPattern,
    bad_globs,
    covering_glob,
    match_prefix_patterns,
    matching_glob,
    path_match,
    split_globs,
)

PATH_MATCH_CASES = [
    ("abc", "abc", True),
    ("*", "abc", True),
    ("*c", "abc", True),
    ("a*", "a", True),
    ("a*", "abc", True),
    ("a*", "ab/c", False),
    ("a*/b", "abc/b", True),
    ("a*/b", "a/c/b", False),
    ("a*b*c*d*e*/f", "axbxcxdxe/f", True),
    ("a*b*c*d*e*/f", "axbxcxdxexxx/f", True),
    ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", False),
    ("a*b*c*d*e*/f", "axbxcxdxexxx/fff", False),
    ("a*b?c*x", "abxbbxdbxebxczzx", True),
    ("a*b?c*x", "abxbbxdbxebxczzy", False),
    ("ab[c]", "abc", True),
    ("ab[b-d]", "abc", True),
    ("ab[e-g]", "abc", False),
    ("ab[^c]", "abc", False),
    ("ab[^b-d]", "abc", False),
    ("ab[^e-g]", "abc", True),
    ("a\\*b", "a*b", True),
    ("a\\*b", "ab", False),
    ("a?b", "a☺b", True),
    ("a[^a]b", "a☺b", True),
    ("a???b", "a☺b", False),
    ("a[^a][^a][^a]b", "a☺b", False),
    ("[a-ζ]*", "α", True),
    ("*[a-ζ]", "A", False),
    ("a?b", "a/b", False),
    ("a*b", "a/b", False),
    ("[\\]a]", "]", True),
    ("[\\-]", "-", True),
    ("[x\\-]", "x", True),
    ("[x\\-]", "-", True),
    ("[x\\-]", "z", False),
    ("[\\-x]", "x", True),
    ("[\\-x]", "a", False),
    ("[a/]", "/", True),
    ("[^a]", "/", True),
    ("[z-a]", "m", False),
    ("[^z-a]", "m", True),
    ("*x", "xxx", True),
    ("", "", True),
    ("", "a", False),
    # Go commits each chunk after a star at its leftmost match: no backtracking.
    ("*[/a]*c", "a/c", False),
    ("*[/a]c", "a/c", True),
    ("*[/a]*c", "x/c", True),
]
BAD_PATTERNS = ["[]a]", "[-]", "[x-]", "[-x]", "\\", "[a-b-c]", "[", "[^", "[^bc", "a[", "a\\", "[]", "[^]"]


@pytest.mark.parametrize(("pattern", "name", "expected"), PATH_MATCH_CASES)
def test_path_match_table(pattern: str, name: str, expected: bool) -> None:
    assert path_match(pattern, name) is expected


@pytest.mark.parametrize("pattern", BAD_PATTERNS)
def test_path_match_rejects_what_go_rejects(pattern: str) -> None:
    with pytest.raises(BadPattern):
        path_match(pattern, "a")


def test_split_globs_drops_empty_entries_and_one_trailing_slash() -> None:
    assert split_globs(",stash.xxxx.com/,,*.corp.example//, ,") == ["stash.xxxx.com", "*.corp.example/", " "]


@pytest.mark.parametrize(
    ("globs", "target", "expected"),
    [
        ("stash.xxxx.com", "stash.xxxx.com/team/lib", "stash.xxxx.com"),
        ("stash.xxxx.com", "stash.xxxx.com", "stash.xxxx.com"),
        ("stash.xxxx.com", "stash.xxxx.company/x", None),
        ("*.xxxx.com", "stash.xxxx.com/team/lib", "*.xxxx.com"),
        ("*.xxxx.com", "xxxx.com/team", None),
        ("stash.xxxx.com/team", "stash.xxxx.com/team/lib/v2", "stash.xxxx.com/team"),
        ("stash.xxxx.com/team", "stash.xxxx.com", None),
        ("stash.xxxx.com/team/", "stash.xxxx.com/team/lib", "stash.xxxx.com/team"),
        ("stash.xxxx.com/t?am", "stash.xxxx.com/team/lib", "stash.xxxx.com/t?am"),
        ("stash.xxxx.com/*", "stash.xxxx.com/team/lib", "stash.xxxx.com/*"),
        ("*/team", "stash.xxxx.com/team", "*/team"),
        ("github.com/org/[", "github.com/org/x", None),
        ("github.com/org/[,github.com/org", "github.com/org/x", "github.com/org"),
        (" stash.xxxx.com", "stash.xxxx.com/x", None),
        (",,", "stash.xxxx.com/x", None),
        ("", "stash.xxxx.com/x", None),
        ("stash", "stash.xxxx.com/x", None),
        ("*", "anything/at/all", "*"),
    ],
)
def test_matching_glob(globs: str, target: str, expected: str | None) -> None:
    assert matching_glob(globs, target) == expected
    assert match_prefix_patterns(globs, target) is (expected is not None)


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("github.com/acme/lib", "github.com/acme/*"),
        ("github.com/acme/lib/v2", "github.com/acme/*"),  # a prefix of the same number of elements
        ("github.com/acme", None),  # fewer elements than the glob
        ("github.com/other/lib", None),
        ("github.com", None),
    ],
)
def test_an_org_glob_matches_the_modules_of_that_org_as_x_mod_globs_match_path(target: str, expected) -> None:
    assert matching_glob("github.com/acme/*", target) == expected


def test_covering_glob_finds_the_globs_that_cover_some_modules_of_a_host() -> None:
    assert covering_glob("gitlab.corp,github.com/acme/*", "github.com") == "github.com/acme/*"
    assert covering_glob("*.corp", "git.corp") == "*.corp"
    assert covering_glob("github.com/[/x,git.corp", "github.com") is None  # malformed: ignored by Go
    assert covering_glob("gitlab.com/acme", "github.com") is None


def test_repeated_globs_are_matched_once() -> None:
    assert split_globs("a.com,b.com,a.com/,,b.com") == ["a.com", "b.com"]


def test_bad_globs_lists_only_invalid_patterns() -> None:
    assert bad_globs("ok.com,bad/[,x\\,*.y") == ["bad/[", "x\\"]


GO_PROGRAM = """package main

import (
	"encoding/json"
	"os"
	"path"
)

func main() {
	var cases [][2]string
	json.NewDecoder(os.Stdin).Decode(&cases)
	out := []map[string]interface{}{}
	for _, c := range cases {
		m, err := path.Match(c[0], c[1])
		out = append(out, map[string]interface{}{"match": m, "bad": err != nil})
	}
	json.NewEncoder(os.Stdout).Encode(out)
}
"""


@pytest.mark.skipif(shutil.which("go") is None, reason="go toolchain not installed")
def test_path_match_agrees_with_the_go_standard_library(tmp_path) -> None:
    """Differential check against Go's own path.Match (runs offline: standard library only)."""
    cases = [(p, n) for p, n, _ in PATH_MATCH_CASES] + [(p, "a") for p in BAD_PATTERNS] + [
        ("stash.xxxx.com", "stash.xxxx.com"), ("*.xxxx.com", "a.b.xxxx.com"), ("a[b-]", "ab"),
        ("[^-a]", "b"), ("?", ""), ("**", "ab"), ("a*", "a/"),
    ]
    program = tmp_path / "match.go"
    program.write_text(GO_PROGRAM)
    env = dict(os.environ, GOCACHE=str(tmp_path / "cache"), GO111MODULE="off", GOFLAGS="", GOENV="off")
    done = subprocess.run(["go", "run", str(program)], input=json.dumps(cases), capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr
    go_results = json.loads(done.stdout)
    for (pattern, name), result in zip(cases, go_results, strict=True):
        try:
            ours = {"match": path_match(pattern, name), "bad": False}
        except BadPattern:
            ours = {"match": False, "bad": True}
        assert ours == result, (pattern, name)
