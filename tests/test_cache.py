import logging

from conftest import write_module

import goanalyzer


def test_second_run_reparses_only_changed_files(tmp_path):
    module = write_module(tmp_path / "m", {"a.go": "package m\n\nfunc A() {}\n", "b.go": "package m\n\nfunc B() {}\n"})
    cache = tmp_path / "cache"
    first = goanalyzer.load(module, goroot="none", cache_dir=str(cache))
    assert (first.stats["files_parsed"], first.stats["files_cached"]) == (2, 0)
    (module / "b.go").write_text("package m\n\nfunc B2() {}\n")
    second = goanalyzer.load(module, goroot="none", cache_dir=str(cache))
    assert (second.stats["files_parsed"], second.stats["files_cached"]) == (1, 1)
    assert "example.com/m.B2" in second.funcs and "example.com/m.B" not in second.funcs


def test_corrupt_cache_is_discarded_with_a_warning(tmp_path, caplog):
    module = write_module(tmp_path / "m", {"a.go": "package m\n\nfunc A() {}\n"})
    cache = tmp_path / "cache"
    goanalyzer.load(module, goroot="none", cache_dir=str(cache))
    [db] = cache.glob("facts-v*.sqlite")
    db.write_bytes(b"this is not a database" * 100)
    with caplog.at_level(logging.WARNING, logger="goanalyzer"):
        program = goanalyzer.load(module, goroot="none", cache_dir=str(cache))
    assert "example.com/m.A" in program.funcs
    assert any("is corrupt" in r.message and "rebuilding" in r.message for r in caplog.records)
    again = goanalyzer.load(module, goroot="none", cache_dir=str(cache))
    assert again.stats["files_cached"] == 1
