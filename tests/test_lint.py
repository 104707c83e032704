"""The code has no unused imports, undefined names or unused locals: pyflakes over the project's
own Python (what `make test`, and so CI, checks)."""

import io

from conftest import ROOT
from pyflakes.api import checkRecursive
from pyflakes.reporter import Reporter

OWN_PYTHON = [ROOT / "goanalyzer", ROOT / "bench", *ROOT.joinpath("tests").glob("*.py"), ROOT / "tests" / "ops"]


def test_pyflakes_finds_nothing():
    out, err = io.StringIO(), io.StringIO()
    warnings = checkRecursive([str(p) for p in OWN_PYTHON], Reporter(out, err))
    assert (warnings, out.getvalue(), err.getvalue()) == (0, "", "")
