"""Shared helpers: repository paths, loading fixtures without depending on the machine's Go."""

from __future__ import annotations

from pathlib import Path

import pytest

import goanalyzer
from goanalyzer.analysis.callgraph import build_callgraph

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
TRAEFIK = FIXTURES / "traefik-2.5.2"
PAERSER = "github.com/traefik/paerser"
T = "github.com/traefik/traefik/v2"


def load_fixture(name: str, **options) -> goanalyzer.Program:
    options.setdefault("goroot", "none")
    options.setdefault("use_cache", False)
    return goanalyzer.load(FIXTURES / name, **options)


@pytest.fixture(scope="session")
def traefik():
    return load_fixture("traefik-2.5.2", into=(PAERSER,))


@pytest.fixture(scope="session")
def traefik_cg(traefik):
    return build_callgraph(traefik)


def write_module(tmp_path: Path, files: dict[str, str | bytes], module: str = "example.com/m") -> Path:
    """A temporary module from inline sources."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "go.mod").write_text(f"module {module}\n\ngo 1.21\n")
    for name, content in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    return tmp_path
