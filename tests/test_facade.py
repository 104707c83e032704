"""The facade: `import goanalyzer` offers every public name exactly once, and the README's example runs."""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import goanalyzer

ROOT = Path(__file__).resolve().parents[1]


def test_every_public_name_of_an_api_module_is_exported_once():
    modules = sorted(set(goanalyzer._LAZY.values()))
    for name in modules:
        module = importlib.import_module(name)
        assert hasattr(module, "__all__"), f"{name} has no __all__"
        for public in module.__all__:
            assert goanalyzer._LAZY.get(public) == name, f"{name}.{public} is not offered by goanalyzer"
    assert len(goanalyzer.__all__) == len(set(goanalyzer.__all__))


def test_every_exported_name_resolves_to_its_definition():
    for name in goanalyzer.__all__:
        value = getattr(goanalyzer, name)
        if name in goanalyzer._LAZY:
            assert value is getattr(importlib.import_module(goanalyzer._LAZY[name]), name)
    assert sorted(dir(goanalyzer)) == sorted(goanalyzer.__all__)


def test_unknown_name_is_an_attribute_error():
    try:
        goanalyzer.no_such_thing  # noqa: B018
    except AttributeError as error:
        assert str(error) == "module 'goanalyzer' has no attribute 'no_such_thing'"
    else:
        raise AssertionError("expected AttributeError")


def test_import_stays_light():
    """The command line imports the package first: analyses and writers load on first use."""
    code = "import sys, goanalyzer; print(sorted(m for m in sys.modules if m.startswith(('goanalyzer.analysis', 'goanalyzer.views', 'goanalyzer.render', 'networkx'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def readme_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^## Python API\n.*?```python\n(.*?)```", text, re.S | re.M)
    assert len(blocks) == 1
    return blocks[0]


def test_readme_example_uses_only_the_facade():
    code = readme_example()
    imports = re.findall(r"^\s*(?:from\s+(\S+)\s+import|import\s+(\S+))", code, re.M)
    assert imports == [("", "goanalyzer")]


def test_readme_example_runs_as_written(tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    result = subprocess.run([sys.executable, "-c", readme_example()], cwd=ROOT, capture_output=True, text=True,
                            env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "github.com/traefik/paerser/cli.run" not in result.stderr
    assert result.stdout.splitlines()[0] == ("['Name', 'Description', 'Configuration', 'Resources', 'Run', "
                                             "'CustomHelpFunc', 'Hidden', 'AllowArg', 'subCommands']")
