"""Function bodies are packed by the extractor and read when an analysis walks them
(syntax/serial.pack_body, program.FuncInfo.body): a large program holds its bodies in a tenth of
the memory, and Rapid Type Analysis lets go of each body it walked."""

import pickle

import pytest
from conftest import write_module

import goanalyzer
from goanalyzer.analysis.rta import rapid_type_analysis
from goanalyzer.resolve.resolution import sites_of
from goanalyzer.syntax.serial import UnsafeBlob, pack_body, unpack_body

MAIN = """package main

func helper() int { return 1 }

func unused() { helper() }

func main() {
	f := func() int { return helper() }
	_ = f()
}
"""


def _program(tmp_path, use_cache=False):
    root = write_module(tmp_path / "m", {"main.go": MAIN}, module="example.com/p")
    return goanalyzer.load(root, goroot="none", use_cache=use_cache, cache_dir=str(tmp_path / "cache"))


def test_a_body_is_packed_until_read_and_every_reader_gets_the_same_ir(tmp_path):
    for use_cache in (False, True, True):  # parsed, then written to the cache, then read from it
        program = _program(tmp_path, use_cache)
        main = program.funcs["example.com/p.main"]
        assert isinstance(main.decl.body, bytes) and main.unpacked is None
        body = main.body
        assert body[0] == "block" and main.body is body
        assert unpack_body(main.decl.body) == body and unpack_body(None) is None


def test_rapid_type_analysis_lets_go_of_the_bodies_it_read_only(tmp_path):
    program = _program(tmp_path)
    main, helper, unused = (program.funcs[f"example.com/p.{n}"] for n in ("main", "helper", "unused"))
    kept = helper.body  # read by another analysis: its readers match closures by identity
    result = rapid_type_analysis(program, reload=None)
    assert sorted(result.reachable) == ["example.com/p.helper", "example.com/p.init", "example.com/p.main",
                                        "example.com/p.main$1"]
    assert main.unpacked is None and helper.unpacked is kept and unused.unpacked is None
    assert sites_of(program).closures["example.com/p.main$1"].parent == "example.com/p.main"  # read again


def test_a_packed_body_naming_anything_but_our_models_is_refused(tmp_path):
    class Planted:
        def __reduce__(self):
            return (print, ("ran",))

    with pytest.raises(UnsafeBlob, match="^refused: the blob names builtins.print$"):
        unpack_body(pickle.dumps(("block", [Planted()], 1)))
    assert pack_body(None) is None
