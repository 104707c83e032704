import os

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


def test_corrupt_cache_is_discarded_with_one_warning(tmp_path):
    module = write_module(tmp_path / "m", {"a.go": "package m\n\nfunc A() {}\n"})
    cache = tmp_path / "cache"
    goanalyzer.load(module, goroot="none", cache_dir=str(cache))
    [db] = cache.glob("facts-v*.sqlite")
    db.write_bytes(b"this is not a database" * 100)
    program = goanalyzer.load(module, goroot="none", cache_dir=str(cache))
    assert "example.com/m.A" in program.funcs
    assert [d.message for d in program.diagnostics] == [
        f"cache file {db} is corrupt (file is not a database); discarding and rebuilding it"]
    again = goanalyzer.load(module, goroot="none", cache_dir=str(cache))
    assert again.stats["files_cached"] == 1


def _age(path, seconds=3600):
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns - seconds * 10**9, stat.st_mtime_ns - seconds * 10**9))


def test_unchanged_files_are_not_read_again(tmp_path, monkeypatch):
    import goanalyzer.scan

    module = write_module(tmp_path / "m", {"a.go": "package m\n\nfunc A() {}\n"})
    for path in module.rglob("*"):
        _age(path)
    cache = str(tmp_path / "cache")
    goanalyzer.load(module, goroot="none", cache_dir=cache, jobs=1)
    opened = []
    real_open = open
    monkeypatch.setattr(goanalyzer.scan, "open", lambda p, *a: opened.append(p) or real_open(p, *a), raising=False)
    warm = goanalyzer.load(module, goroot="none", cache_dir=cache, jobs=1)
    assert "example.com/m.A" in warm.funcs and warm.stats["files_cached"] == 1
    assert opened == []


def test_a_file_rewritten_right_after_it_was_read_is_read_again(tmp_path):
    # Same size, same mtime: only the racy-stamp rule notices the new content.
    module = write_module(tmp_path / "m", {"a.go": "package m\n\nfunc A() {}\n"})
    cache = str(tmp_path / "cache")
    goanalyzer.load(module, goroot="none", cache_dir=cache)
    source = module / "a.go"
    stat = source.stat()
    source.write_text("package m\n\nfunc B() {}\n")
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    again = goanalyzer.load(module, goroot="none", cache_dir=cache)
    assert "example.com/m.B" in again.funcs and "example.com/m.A" not in again.funcs


def test_index_and_callgraph_keep_their_facts_side_by_side(tmp_path):
    # Facts without bodies (index) and with bodies (analyses) of one content do not evict each other.
    module = write_module(tmp_path / "m", {"a.go": "package m\n\nfunc A() { A() }\n"})
    cache = str(tmp_path / "cache")
    goanalyzer.load(module, goroot="none", cache_dir=cache, bodies="none")
    goanalyzer.load(module, goroot="none", cache_dir=cache)
    assert goanalyzer.load(module, goroot="none", cache_dir=cache, bodies="none").stats["files_cached"] == 1
    assert goanalyzer.load(module, goroot="none", cache_dir=cache).stats["files_cached"] == 1
