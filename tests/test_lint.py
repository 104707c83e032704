"""What `make test`, and so CI, checks of the code itself: no unused imports, undefined names or
unused locals (pyflakes), and the import contracts in pyproject.toml (import-linter): the layout
stays a picture of the pipeline."""

import io
import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from pyflakes.api import checkRecursive
from pyflakes.reporter import Reporter

OWN_PYTHON = [ROOT / "goanalyzer", ROOT / "bench", *ROOT.joinpath("tests").glob("*.py"), ROOT / "tests" / "ops"]


def test_pyflakes_finds_nothing():
    out, err = io.StringIO(), io.StringIO()
    warnings = checkRecursive([str(p) for p in OWN_PYTHON], Reporter(out, err))
    assert (warnings, out.getvalue(), err.getvalue()) == (0, "", "")


def test_import_contracts_are_kept():
    # in a process of its own: import-linter reconfigures logging (it would silence "goanalyzer")
    lint_imports = Path(sys.executable).with_name("lint-imports")
    run = subprocess.run([str(lint_imports), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Contracts: 2 kept, 0 broken." in run.stdout
