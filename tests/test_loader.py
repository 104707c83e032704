"""The loader's scheduling: in-process and pooled scans give the same program, in the same order."""

from conftest import write_module

import goanalyzer
from goanalyzer.loader import PARALLEL_THRESHOLD


def _many_packages(root):
    files = {}
    for p in range(12):
        imports = "".join(f'import _ "example.com/m/p{q}"\n' for q in (p + 1, p + 5) if q < 12)
        for f in range(8):
            files[f"p{p}/f{f}.go"] = f"package p{p}\n\n{imports if f == 0 else ''}\nfunc F{f}() {{}}\n\ntype T{f} struct{{ A int }}\n"
    files["main.go"] = 'package main\n\nimport _ "example.com/m/p0"\n\nfunc main() {}\n'
    return write_module(root, files)


def test_pooled_load_equals_in_process_load(tmp_path):
    module = _many_packages(tmp_path / "m")
    assert 12 * 8 >= PARALLEL_THRESHOLD  # big enough for the pool
    alone = goanalyzer.load(module, goroot="none", jobs=1, cache_dir=str(tmp_path / "c1"))
    pooled = goanalyzer.load(module, goroot="none", jobs=2, cache_dir=str(tmp_path / "c2"))
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
