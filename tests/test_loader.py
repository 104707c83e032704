"""The loader's scheduling: in-process and pooled scans give the same program, in the same order."""

from conftest import write_module

import goanalyzer


def _many_packages(root):
    files = {}
    for p in range(12):
        imports = "".join(f'import _ "example.com/m/p{q}"\n' for q in (p + 1, p + 5) if q < 12)
        for f in range(8):
            files[f"p{p}/f{f}.go"] = f"package p{p}\n\n{imports if f == 0 else ''}\nfunc F{f}() {{}}\n\ntype T{f} struct{{ A int }}\n"
    files["main.go"] = 'package main\n\nimport _ "example.com/m/p0"\n\nfunc main() {}\n'
    return write_module(root, files)


def test_pooled_load_equals_in_process_load(tmp_path, monkeypatch):
    import goanalyzer.loader

    module = _many_packages(tmp_path / "m")
    alone = goanalyzer.load(module, goroot="none", jobs=1, cache_dir=str(tmp_path / "c1"))
    from_pool = []
    unpickle = goanalyzer.loader.unpickle_facts
    monkeypatch.setattr(goanalyzer.loader, "unpickle_facts", lambda *a: from_pool.append(a[0]) or unpickle(*a))
    pooled = goanalyzer.load(module, goroot="none", jobs=2, cache_dir=str(tmp_path / "c2"))
    assert len(from_pool) > 5  # most directories came back from worker processes
    assert list(pooled.packages) == list(alone.packages)
    assert list(pooled.packages)[:3] == ["example.com/m", "example.com/m/p0", "example.com/m/p1"]
    assert list(pooled.funcs) == list(alone.funcs)
    assert len(pooled.funcs) == 12 * 8 + 1
    assert (pooled.stats["files_parsed"], pooled.stats["files_cached"]) == (97, 0)


def test_pooled_warm_load_reads_every_file_from_the_cache(tmp_path):
    module = _many_packages(tmp_path / "m")
    cache = str(tmp_path / "cache")
    goanalyzer.load(module, goroot="none", jobs=2, cache_dir=cache)
    (module / "p3" / "f1.go").write_text("package p3\n\nfunc Changed() {}\n")
    warm = goanalyzer.load(module, goroot="none", jobs=2, cache_dir=cache)
    assert (warm.stats["files_parsed"], warm.stats["files_cached"]) == (1, 96)
    assert "example.com/m/p3.Changed" in warm.funcs and "example.com/m/p3.F1" not in warm.funcs


def test_heads_only_load_counts_like_the_program(tmp_path):
    # `index` counts from cached file heads; the figures must be the Program's, cold and warm.
    from conftest import FIXTURES

    from goanalyzer.loader import LoadOptions, load_packages
    from goanalyzer.counts import count_program

    cache = str(tmp_path / "cache")
    for name in ("traefik-2.5.2", "odd/syntax-error", "handrolled-app"):
        program = goanalyzer.load(FIXTURES / name, goroot="none", use_cache=False)
        expected = {k: v for k, v in program.counts().items() if k != "seconds"}
        for _ in ("cold", "warm"):
            loaded = load_packages(FIXTURES / name, LoadOptions(goroot="none", cache_dir=cache, bodies="none",
                                                                 heads_only=True))
            assert count_program(loaded.packages, loaded.externals, loaded.diagnostics) == expected
        assert loaded.stats["files_parsed"] == 0
    assert expected["funcs"] > 0


def test_load_refuses_heads_only():
    import pytest

    with pytest.raises(goanalyzer.UsageError, match="heads_only"):
        goanalyzer.load(".", heads_only=True)


def test_with_bodies_parses_only_the_packages_asked_for(tmp_path):
    # The walkthrough finds the command framework in a dependency after loading: only that
    # dependency is parsed again, with its bodies, and the program is otherwise the same.
    from conftest import TRAEFIK

    cache = str(tmp_path / "cache")
    program = goanalyzer.load(TRAEFIK, goroot="none", cache_dir=cache)
    paerser = "github.com/traefik/paerser/cli"
    assert program.funcs[f"{paerser}.run"].decl.body is None
    extended = goanalyzer.with_bodies(program, ["github.com/traefik/paerser"])
    assert extended.funcs[f"{paerser}.run"].decl.body is not None
    assert list(extended.packages) == list(program.packages)
    unchanged = [p for p in program.packages if not p.startswith("github.com/traefik/paerser")]
    assert all(extended.packages[p] is program.packages[p] for p in unchanged)
    assert extended.load_options.into == ("github.com/traefik/paerser",)


def test_counts_count_each_distinct_name_once(tmp_path):
    # Broken code may declare a name twice; the count is of distinct names, as the Program names them.
    module = write_module(tmp_path / "m", {
        "a.go": "package m\n\nfunc F() {}\nfunc init() {}\nfunc (T) M() {}\nfunc (*T) M() {}\n"
                "type T struct{}\nvar T2, _ = 1, 2\nconst C = 1\n",
        "b.go": "package m\n\nfunc F() {}\nfunc init() {}\nvar _ = 3\nconst C = 2\n",
    })
    counts = goanalyzer.load(module, goroot="none", use_cache=False).counts()
    # funcs: F, init#1, init#2, (T).M, (*T).M; symbols: those + T + T2 + C
    assert (counts["funcs"], counts["symbols"], counts["files"]) == (5, 8, 2)
