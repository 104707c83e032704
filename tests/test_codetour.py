"""CodeTour output against the documented schema fields (https://aka.ms/codetour-schema)."""

from __future__ import annotations

import json
from pathlib import Path

from goanalyzer.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
TRAEFIK = ROOT / "fixtures" / "traefik-2.5.2"
LIBRARY = ROOT / "fixtures" / "odd" / "library"
STEP_KEYS = {"file", "line", "description", "title", "directory", "selection", "pattern", "uri", "view", "commands"}


def _tour(tmp_path, path, *extra):
    assert main(["walkthrough", str(path), "--goroot", "none", "--no-cache", "-q", "--format", "codetour",
                 "-o", str(tmp_path), *extra]) == 0
    tours = list((tmp_path / ".tours").glob("*.tour"))
    assert len(tours) == 1
    return json.loads(tours[0].read_text())


def _check_schema(tour, root: Path):
    assert tour["$schema"] == "https://aka.ms/codetour-schema"
    assert isinstance(tour["title"], str) and tour["title"]
    assert isinstance(tour["description"], str)
    assert tour["steps"]
    for step in tour["steps"]:
        assert set(step) <= STEP_KEYS
        assert isinstance(step["description"], str) and step["description"]
        if "file" in step:
            assert not step["file"].startswith("/") and "\\" not in step["file"]
            source = root / step["file"]
            assert source.is_file(), step["file"]
            assert isinstance(step["line"], int) and 1 <= step["line"] <= len(source.read_text().splitlines())


def test_tour_of_traefik(tmp_path):

    tour = _tour(tmp_path, TRAEFIK, "--title", "Traefik startup")
    _check_schema(tour, TRAEFIK)
    assert tour["title"] == "Traefik startup"
    assert (tmp_path / ".tours" / "traefik-startup.tour").exists()
    first = tour["steps"][0]
    assert first["file"] == "cmd/traefik/traefik.go" and first["line"] == 38
    titles = [s["title"] for s in tour["steps"]]
    assert {"Command traefik", "Command healthcheck", "Command version"} <= set(titles)
    assert any("cli.Execute" in t for t in titles) and any("setupServer" in t for t in titles)
    # a step inside paerser is content-only and cites the module-cache path
    assert any("github.com/traefik/paerser@v0.1.4/cli/commands.go" in s["description"] and "file" not in s
               for s in tour["steps"])


def test_tour_of_library(tmp_path):
    tour = _tour(tmp_path, LIBRARY)
    _check_schema(tour, LIBRARY)
