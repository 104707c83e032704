"""The cache on hostile or careless ground (issue 17): planted blobs never run, a directory others
can write is not trusted, touched-back edits are seen, and obstacles never delete a healthy cache."""

import os
import pickle
import shutil
import sqlite3
import subprocess
import sys
import threading

import pytest
from conftest import write_module

import goanalyzer
from goanalyzer.syntax import cache as cache_module
from goanalyzer.syntax import serial


class _Planted:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def _db(cache):
    [db] = cache.glob("facts-v*.sqlite")
    return db


def test_a_blob_planted_in_the_cache_is_refused_and_the_file_parsed_again(tmp_path):
    module = write_module(tmp_path / "m", {"a.go": "package m\n\nfunc A() {}\n"})
    cache = tmp_path / "cache"
    goanalyzer.load(module, goroot="none", cache_dir=str(cache), jobs=1)
    marker = tmp_path / "pwned"
    blob = pickle.dumps(_Planted(marker))
    with sqlite3.connect(_db(cache)) as connection:
        assert connection.execute("UPDATE facts SET data = ?, head = ?", (blob, blob)).rowcount == 1
    program = goanalyzer.load(module, goroot="none", cache_dir=str(cache), jobs=1)
    heads = goanalyzer.load(module, goroot="none", cache_dir=str(cache), jobs=1, bodies="none")
    assert not marker.exists()
    assert "example.com/m.A" in program.funcs and "example.com/m.A" in heads.funcs


def test_the_reader_resolves_only_model_classes():
    with pytest.raises(serial.UnsafeBlob, match=r"^refused: the blob names posix.system$"):
        serial.loads(pickle.dumps(_Planted("/nonexistent")))
    with pytest.raises(serial.UnsafeBlob, match=r"^refused: the blob names builtins.eval$"):
        serial.loads(b"\x80\x04\x95\x15\x00\x00\x00\x00\x00\x00\x00\x8c\x08builtins\x8c\x04eval\x93\x8c\x011\x85R.")
    assert ("goanalyzer.model", "FileFacts") in serial.ALLOWED and ("goanalyzer.syntax.ir", "FuncLit") in serial.ALLOWED


def test_a_cache_directory_others_can_write_is_not_used(tmp_path):
    module = write_module(tmp_path / "m", {"a.go": "package m\n\nfunc A() {}\n"})
    cache = tmp_path / "shared"
    cache.mkdir()
    cache.chmod(0o777)
    program = goanalyzer.load(module, goroot="none", cache_dir=str(cache))
    assert "example.com/m.A" in program.funcs and list(cache.iterdir()) == []
    assert [d.message for d in program.diagnostics] == [
        f"cache disabled: {cache} is writable by other users (mode 777)"]


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a directory to another user needs root")
def test_a_cache_directory_owned_by_somebody_else_is_not_used(tmp_path):
    module = write_module(tmp_path / "m", {"a.go": "package m\n\nfunc A() {}\n"})
    cache = tmp_path / "theirs"
    cache.mkdir(mode=0o700)
    os.chown(cache, 4242, 4242)
    program = goanalyzer.load(module, goroot="none", cache_dir=str(cache))
    assert "example.com/m.A" in program.funcs
    assert [d.message for d in program.diagnostics] == [
        f"cache disabled: {cache} belongs to uid 4242, not to this user (uid 0)"]


def test_a_new_cache_directory_is_private(tmp_path):
    module = write_module(tmp_path / "m", {"a.go": "package m\n\nfunc A() {}\n"})
    goanalyzer.load(module, goroot="none", cache_dir=str(tmp_path / "new" / "cache"))
    assert (tmp_path / "new" / "cache").stat().st_mode & 0o777 == 0o700


def test_an_edit_with_its_mtime_put_back_is_seen(tmp_path):
    # cp -p / touch -r / git checkouts: same size, same mtime, new content; only ctime tells
    module = write_module(tmp_path / "m", {"a.go": "package m\n\nfunc A() { B() }\n\nfunc B() {}\nfunc C() {}\n"})
    source = module / "a.go"
    old = source.stat()
    os.utime(source, ns=(old.st_atime_ns - 10**12, old.st_mtime_ns - 10**12))  # not racy
    before = source.stat()
    cache = str(tmp_path / "cache")
    first = goanalyzer.build_callgraph(goanalyzer.load(module, goroot="none", cache_dir=cache, jobs=1), "static")
    assert [(caller, callee) for caller, callee, _ in first.rows()] == [("example.com/m.A", "example.com/m.B")]
    source.write_text("package m\n\nfunc A() { C() }\n\nfunc B() {}\nfunc C() {}\n")
    os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = source.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    edges = goanalyzer.build_callgraph(goanalyzer.load(module, goroot="none", cache_dir=cache, jobs=1), "static").rows()
    assert [(caller, callee) for caller, callee, _ in edges] == [("example.com/m.A", "example.com/m.C")]


def test_a_cache_locked_by_another_process_is_skipped_not_deleted(tmp_path, monkeypatch):
    monkeypatch.setattr(cache_module, "LOCK_WAIT_S", 1)
    module = write_module(tmp_path / "m", {"a.go": "package m\n\nfunc A() {}\n"})
    cache = tmp_path / "cache"
    goanalyzer.load(module, goroot="none", cache_dir=str(cache))
    db = _db(cache)
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sqlite3, sys, time\n"
        f"c = sqlite3.connect({str(db)!r}, isolation_level=None)\n"
        "c.execute('PRAGMA locking_mode = EXCLUSIVE'); c.execute('BEGIN EXCLUSIVE')\n"
        "c.execute('INSERT INTO files (path) VALUES (\"x\")')\n"
        "print('locked', flush=True); time.sleep(30)\n")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "locked\n"
        program = goanalyzer.load(module, goroot="none", cache_dir=str(cache), jobs=1)
    finally:
        holder.kill()
        holder.wait()
    assert "example.com/m.A" in program.funcs
    assert [d.message for d in program.diagnostics] == [
        f"cache disabled: {db} is locked by another process (waited 1 s); running without the cache"]
    assert goanalyzer.load(module, goroot="none", cache_dir=str(cache)).stats["files_cached"] == 1


def test_a_read_only_cache_is_read_without_writing(tmp_path, monkeypatch):
    module = write_module(tmp_path / "m", {"a.go": "package m\n\nfunc A() {}\n"})
    cache = tmp_path / "cache"
    goanalyzer.load(module, goroot="none", cache_dir=str(cache))
    db = _db(cache)
    size = db.stat().st_size
    real_connect = cache_module.FactsCache._connect

    def read_only_disk(self, read_only=False):  # root writes through chmod; the error SQLite gives a reader
        if not read_only:
            raise sqlite3.OperationalError("attempt to write a readonly database")
        return real_connect(self, read_only=True)

    monkeypatch.setattr(cache_module.FactsCache, "_connect", read_only_disk)
    write_module(tmp_path / "m", {"b.go": "package m\n\nfunc B() {}\n"})
    program = goanalyzer.load(module, goroot="none", cache_dir=str(cache), jobs=1)
    assert {"example.com/m.A", "example.com/m.B"} <= set(program.funcs)
    assert (program.stats["files_cached"], program.stats["files_parsed"]) == (1, 1)
    assert [d.message for d in program.diagnostics] == [
        f"cache {db} is read-only: facts are read from it, not stored"]
    assert db.exists() and db.stat().st_size == size


def test_a_healthy_cache_that_cannot_be_opened_is_never_deleted(tmp_path, monkeypatch):
    module = write_module(tmp_path / "m", {"a.go": "package m\n\nfunc A() {}\n"})
    cache = tmp_path / "cache"
    goanalyzer.load(module, goroot="none", cache_dir=str(cache))
    db = _db(cache)
    monkeypatch.setattr(cache_module.FactsCache, "_connect",
                        lambda self, read_only=False: (_ for _ in ()).throw(sqlite3.DatabaseError("disk I/O error")))
    program = goanalyzer.load(module, goroot="none", cache_dir=str(cache))
    assert "example.com/m.A" in program.funcs and db.exists()
    assert [d.message for d in program.diagnostics] == [f"cache disabled: {db}: disk I/O error"]


def test_a_type_nested_hundreds_deep_is_analysed_and_left_out_of_the_cache(tmp_path):
    deep = "struct { a " * 300 + "int" + " }" * 300
    module = write_module(tmp_path / "m", {
        "a.go": f"package m\n\ntype T {deep}\n\nfunc A() {{ B() }}\n",
        "b.go": "package m\n\nfunc B() {}\n"})
    cache = tmp_path / "cache"
    for _ in range(2):
        program = goanalyzer.load(module, goroot="none", cache_dir=str(cache))
        assert ("example.com/m", "T") in program.types and "example.com/m.A" in program.funcs
    messages = [(d.message, os.path.basename(d.path or "")) for d in program.diagnostics]
    assert messages == [("not cached: its declarations nest too deeply to store", "a.go")]
    assert program.stats["files_cached"] == 1


def test_sqlite_is_left_alone_by_a_second_run_sharing_the_cache(tmp_path):
    # two loads at once (threads) agree with a load without the cache
    module = write_module(tmp_path / "m", {f"f{i}.go": f"package m\n\nfunc F{i}() {{}}\n" for i in range(20)})
    cache = str(tmp_path / "cache")
    results = []
    threads = [threading.Thread(target=lambda: results.append(sorted(
        goanalyzer.load(module, goroot="none", cache_dir=cache, jobs=1).funcs))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    alone = sorted(goanalyzer.load(module, goroot="none", use_cache=False).funcs)
    assert results == [alone, alone]
    shutil.rmtree(cache)
