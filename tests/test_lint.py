"""What `make test`, and so CI, checks of the code itself: no unused imports, undefined names or
unused locals (pyflakes), and the import contracts in pyproject.toml (import-linter): the layout
stays a picture of the pipeline."""

import io

from conftest import ROOT
from pyflakes.api import checkRecursive
from pyflakes.reporter import Reporter

OWN_PYTHON = [ROOT / "goanalyzer", ROOT / "bench", *ROOT.joinpath("tests").glob("*.py"), ROOT / "tests" / "ops"]


def test_pyflakes_finds_nothing():
    out, err = io.StringIO(), io.StringIO()
    warnings = checkRecursive([str(p) for p in OWN_PYTHON], Reporter(out, err))
    assert (warnings, out.getvalue(), err.getvalue()) == (0, "", "")


def test_import_contracts_are_kept(capsys):
    from importlinter.cli import lint_imports

    status = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True)
    assert status == 0, capsys.readouterr().out
