"""The cache on hostile or careless ground (issue 17): planted blobs never run, a directory others
can write is not trusted, touched-back edits are seen, and obstacles never delete a healthy cache."""

import os
import pickle
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

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


def _hold_lock(db, exclusive: bool = True) -> subprocess.Popen:
    """Another process holding the database locked for 30 s: against readers too (exclusive), or
    against writers only (WAL readers go on)."""
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sqlite3, sys, time\n"
        f"c = sqlite3.connect({str(db)!r}, isolation_level=None)\n"
        + ("c.execute('PRAGMA locking_mode = EXCLUSIVE'); c.execute('BEGIN EXCLUSIVE')\n" if exclusive
           else "c.execute('BEGIN IMMEDIATE')\n") +
        "c.execute('INSERT INTO files (path) VALUES (\"x\")')\n"
        "print('locked', flush=True); time.sleep(30)\n")], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "locked\n"
    return holder


def test_a_cache_locked_by_another_process_is_skipped_not_deleted(tmp_path, monkeypatch):
    monkeypatch.setattr(cache_module, "LOCK_WAIT_S", 1)
    module = write_module(tmp_path / "m", {"a.go": "package m\n\nfunc A() {}\n"})
    cache = tmp_path / "cache"
    goanalyzer.load(module, goroot="none", cache_dir=str(cache))
    db = _db(cache)
    holder = _hold_lock(db)
    try:
        program = goanalyzer.load(module, goroot="none", cache_dir=str(cache), jobs=1)
    finally:
        holder.kill()
        holder.wait()
    assert "example.com/m.A" in program.funcs
    assert [d.message for d in program.diagnostics] == [
        f"cache disabled: {db} is locked by another process (waited 1 s); running without the cache"]
    assert goanalyzer.load(module, goroot="none", cache_dir=str(cache)).stats["files_cached"] == 1


def test_a_cache_locked_by_a_writer_during_a_load_is_waited_for_once(tmp_path, monkeypatch):
    monkeypatch.setattr(cache_module, "LOCK_WAIT_S", 1)
    module = write_module(tmp_path / "m", {f"p{i}/f.go": f"package p{i}\n\nfunc F() {{}}\n" for i in range(4)})
    write_module(module, {"m.go": "package m\n\nimport (\n" + "".join(
        f'\t_ "example.com/m/p{i}"\n' for i in range(4)) + ")\n"})
    cache = tmp_path / "cache"
    goanalyzer.load(module, goroot="none", cache_dir=str(cache))
    db = _db(cache)
    (module / "p0" / "f.go").write_text("package p0\n\nfunc G() {}\n")  # one batch to store
    holders = []
    real_open = cache_module.FactsCache._open

    def lock_once_open(self):  # the loader's connection is open; another process takes the lock
        real_open(self)
        if not holders:
            holders.append(_hold_lock(db, exclusive=False))

    monkeypatch.setattr(cache_module.FactsCache, "_open", lock_once_open)
    try:
        program = goanalyzer.load(module, goroot="none", cache_dir=str(cache), jobs=1)
    finally:
        for holder in holders:
            holder.kill()
            holder.wait()
    assert "example.com/m/p0.G" in program.funcs and "example.com/m/p3.F" in program.funcs
    assert [d.message for d in program.diagnostics] == [
        f"cache {db} is locked by another process (waited 1 s): facts not stored this time"]
    assert program.stats["files_cached"] == 4 and program.stats["seconds"] < 1.9  # one wait, not one per write


def test_a_read_only_cache_is_read_without_writing(tmp_path, monkeypatch):
    module = write_module(tmp_path / "m", {"a.go": "package m\n\nfunc A() {}\n"})
    cache = tmp_path / "cache"
    goanalyzer.load(module, goroot="none", cache_dir=str(cache))
    db = _db(cache)
    size = db.stat().st_size
    real_connect = cache_module.FactsCache._connect

    def read_only_disk(self, read_only=False, immutable=False):  # the error SQLite gives a reader
        if not read_only:
            raise sqlite3.OperationalError("attempt to write a readonly database")
        return real_connect(self, read_only=True, immutable=immutable)

    monkeypatch.setattr(cache_module.FactsCache, "_connect", read_only_disk)
    write_module(tmp_path / "m", {"b.go": "package m\n\nfunc B() {}\n"})
    program = goanalyzer.load(module, goroot="none", cache_dir=str(cache), jobs=1)
    assert {"example.com/m.A", "example.com/m.B"} <= set(program.funcs)
    assert (program.stats["files_cached"], program.stats["files_parsed"]) == (1, 1)
    assert [d.message for d in program.diagnostics] == [
        f"cache {db} is read-only: facts are read from it, not stored"]
    assert db.exists() and db.stat().st_size == size


NOBODY = 65534


def _load_as_nobody(module, cache) -> tuple[list[str], list[str], dict]:
    """goanalyzer.load in a forked child running as user nobody: root writes through any mode bits.
    Forked, not executed: the interpreter lives where nobody may not look, and is already loaded."""
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through the pipe
        try:
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            program = goanalyzer.load(module, goroot="none", cache_dir=str(cache), jobs=1)
            result = ([d.message for d in program.diagnostics], sorted(program.funcs), program.stats)
        except BaseException as error:  # noqa: BLE001
            result = ([repr(error)], [], {})
        os.write(writing, pickle.dumps(result))
        os._exit(0)
    os.close(writing)
    with os.fdopen(reading, "rb") as pipe:
        result = pickle.loads(pipe.read())
    os.waitpid(child, 0)
    return result


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run a load as another user")
@pytest.mark.parametrize("file_mode, directory_mode, message", [
    (0o444, 0o755, "cache {db} cannot be written (attempt to write a readonly database): "
                   "facts are read from it, not stored"),
    (0o644, 0o555, "cache {db} is read-only: facts are read from it, not stored"),
    (0o444, 0o555, "cache {db} is read-only: facts are read from it, not stored")])
def test_a_cache_on_read_only_ground_is_read_and_kept(file_mode, directory_mode, message):
    with tempfile.TemporaryDirectory() as top:  # tmp_path is private to root; nobody must reach this
        os.chmod(top, 0o755)
        module = write_module(Path(top) / "m", {"a.go": "package m\n\nfunc A() {}\n"})
        cache = Path(top) / "cache"
        goanalyzer.load(module, goroot="none", cache_dir=str(cache))
        db = _db(cache)
        for path in (module, *module.iterdir()):
            path.chmod(0o755 if path.is_dir() else 0o644)
        for path in (cache, db):
            os.chown(path, NOBODY, -1)
        db.chmod(file_mode)
        cache.chmod(directory_mode)
        contents = db.read_bytes()
        write_module(module, {"b.go": "package m\n\nfunc B() {}\n"})
        (module / "b.go").chmod(0o644)
        messages, funcs, stats = _load_as_nobody(module, cache)
        assert messages == [message.format(db=db)]
        assert {"example.com/m.A", "example.com/m.B"} <= set(funcs)
        assert (stats["files_cached"], stats["files_parsed"]) == (1, 1)
        assert db.read_bytes() == contents


def test_a_healthy_cache_that_cannot_be_opened_is_never_deleted(tmp_path, monkeypatch):
    module = write_module(tmp_path / "m", {"a.go": "package m\n\nfunc A() {}\n"})
    cache = tmp_path / "cache"
    goanalyzer.load(module, goroot="none", cache_dir=str(cache))
    db = _db(cache)
    monkeypatch.setattr(cache_module.FactsCache, "_connect", lambda self, read_only=False, immutable=False: (
        _ for _ in ()).throw(sqlite3.DatabaseError("disk I/O error")))
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


def _text(value: str) -> bytes:
    data = value.encode()
    return b"\x8c" + bytes([len(data)]) + data  # SHORT_BINUNICODE


def _global(module: str, name: str) -> bytes:
    return _text(module) + _text(name) + b"\x93"  # STACK_GLOBAL


def test_a_blob_cannot_alter_a_model_class_or_a_shared_member():
    # BUILD with slot state on the class: setattr(Severity, "poisoned", True) if the class reached the blob
    on_class = b"\x80\x04" + _global("goanalyzer.model", "Severity") + b"N}" + _text("poisoned") + b"\x88s\x86b."
    with pytest.raises(AttributeError):
        serial.loads(on_class)
    assert not hasattr(goanalyzer.Severity, "poisoned")
    # BUILD on the shared member Severity.WARNING: would rename it for the whole process
    on_member = (b"\x80\x04" + _global("goanalyzer.model", "Severity") + _text("warning") + b"\x85R"
                 + b"}" + _text("_name_") + _text("EVIL") + b"sb.")
    with pytest.raises(TypeError, match=r"^Severity members are never altered$"):
        serial.loads(on_member)
    assert goanalyzer.Severity.WARNING.name == "WARNING"
    # NEWOBJ: an instance made without its constructor
    without_init = b"\x80\x04" + _global("goanalyzer.model", "FileFacts") + b")\x81."
    with pytest.raises(pickle.UnpicklingError, match=r"^NEWOBJ class argument must be a type, not function$"):
        serial.loads(without_init)
    diagnostic = goanalyzer.Diagnostic(goanalyzer.Severity.WARNING, "m", "p.go", 3)
    assert serial.loads(serial.dumps(diagnostic)) == diagnostic
    assert serial.loads(serial.dumps(goanalyzer.TypeKind.STRUCT)) is goanalyzer.TypeKind.STRUCT


def test_a_cache_that_fails_while_scanning_warns_once(tmp_path, monkeypatch):
    module = write_module(tmp_path / "m", {
        "a.go": 'package m\n\nimport "example.com/m/sub"\n\nfunc A() { sub.B() }\n',
        "sub/b.go": "package sub\n\nfunc B() {}\n"})
    cache = tmp_path / "cache"

    def failing_stamps(self, paths, key_suffix="", column="data"):  # as a read that SQLite refuses
        self._read("SELECT path FROM no_such_table WHERE path IN ({marks})", [], paths)
        return {}

    monkeypatch.setattr(cache_module.FactsCache, "get_stamps", failing_stamps)
    program = goanalyzer.load(module, goroot="none", cache_dir=str(cache), jobs=1)
    assert {"example.com/m.A", "example.com/m/sub.B"} <= set(program.funcs)
    assert [d.message for d in program.diagnostics] == ["cache not read this time: no such table: no_such_table"]


def test_the_command_prints_a_cache_warning_once(tmp_path):
    module = write_module(tmp_path / "m", {"a.go": "package m\n\nfunc A() { B() }\n\nfunc B() {}\n"})
    cache = tmp_path / "cache"
    goanalyzer.load(module, goroot="none", cache_dir=str(cache))
    db = _db(cache)
    db.write_bytes(b"this is not a database" * 100)
    run = subprocess.run([sys.executable, "-c", "from goanalyzer.cli.main import run; run()", "callgraph",
                          str(module), "--cache-dir", str(cache), "--goroot", "none", "--format", "tsv"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "example.com/m.A\texample.com/m.B\ta.go:3:13\tstatic\n"
    assert run.stderr.splitlines() == [
        f"warning: cache file {db} is corrupt (file is not a database); discarding and rebuilding it"]
