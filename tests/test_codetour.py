"""CodeTour output against the documented schema fields (https://aka.ms/codetour-schema)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import goanalyzer

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


PAERSER_FILE = "_gomodcache/github.com/traefik/paerser@v0.1.4/cli/commands.go"
TRAEFIK_TOUR = [
    ("Start: traefik.main", "cmd/traefik/traefik.go", 38),
    ("1. package initialisation", "cmd/traefik/traefik.go", 38),
    ("2. cmd.NewTraefikConfiguration", "cmd/configuration.go", 19),
    ("3. loaders := []cli.ResourceLoader{&tcli.FileLoader{}, &tcli.FlagLoader{}, &tcli.EnvLoader{}}",
     "cmd/traefik/traefik.go", 42),
    ('4. cmdTraefik := &cli.Command{Name: "traefik", ...}', "cmd/traefik/traefik.go", 44),
    ("5. healthcheck.NewCmd", "cmd/healthcheck/healthcheck.go", 15),
    ("6. (*cli.Command).AddCommand", PAERSER_FILE, 27),
    ("7. cmdVersion.NewCmd", "cmd/version/version.go", 21),
    ("8. (*cli.Command).AddCommand", PAERSER_FILE, 27),
    ("9. cli.Execute", PAERSER_FILE, 50),
    ("10. cli.execute", PAERSER_FILE, 54),
    ("11. cli.run", PAERSER_FILE, 97),
    ("12. (*tcli.FileLoader).Load", "pkg/cli/loader_file.go", 26),
    ("13. (*tcli.FlagLoader).Load", "pkg/cli/loader_flag.go", 15),
    ("14. (*tcli.EnvLoader).Load", "pkg/cli/loader_env.go", 17),
    ("15. traefik.main$1", "cmd/traefik/traefik.go", 50),
    ("16. traefik.runCmd", "cmd/traefik/traefik.go", 76),
    ("17. traefik.configureLogging", "cmd/traefik/traefik.go", 296),
    ("18. roundrobin.SetDefaultWeight", "cmd/traefik/traefik.go", 81),
    ("19. (*static.Configuration).SetEffectiveConfiguration", "pkg/config/static/static_config.go", 68),
    ("20. traefik.checkNewVersion", "cmd/traefik/traefik.go", 346),
    ("21. traefik.stats", "cmd/traefik/traefik.go", 355),
    ("22. traefik.setupServer", "cmd/traefik/traefik.go", 151),
    ("23. signal.NotifyContext", "cmd/traefik/traefik.go", 110),
    ("24. (*server.Server).Start", "pkg/server/server.go", 43),
    ("25. (*server.Server).Close", "pkg/server/server.go", 75),
    ("26. daemon.SdNotify", "cmd/traefik/traefik.go", 115),
    ("27. daemon.SdWatchdogEnabled", "cmd/traefik/traefik.go", 120),
    ("28. traefik.runCmd$1", "cmd/traefik/traefik.go", 127),
    ("29. (*server.Server).Wait", "pkg/server/server.go", 60),
]
"""The tour walks the happy path, each step opened where its function is defined. Titles name a package
shared by two packages as the program imports it: Traefik's pkg/cli as `tcli` (paerser's stays `cli`),
cmd/version as `cmdVersion`."""


def test_tour_of_traefik(tmp_path):

    tour = _tour(tmp_path, TRAEFIK, "--title", "Traefik startup")
    _check_schema(tour, TRAEFIK)
    assert tour["title"] == "Traefik startup"
    assert (tmp_path / ".tours" / "traefik-startup.tour").exists()
    assert [(s["title"], s.get("file"), s.get("line")) for s in tour["steps"]] == TRAEFIK_TOUR
    assert tour["steps"][12]["description"] == (
        "`cli.run` calls `(*github.com/traefik/traefik/v2/pkg/cli.FileLoader).Load` at "
        "`github.com/traefik/paerser@v0.1.4/cli/commands.go:117`. Only under `for range cmd.Resources, until done`; a dynamic "
        "call, resolved through an interface method. (each in turn (for range cmd.Resources, until done))")


def test_tour_opens_module_cache_files_by_uri(tmp_path):
    """A dependency outside the module root (a real module cache) opens by its file URI."""
    tree, cache = tmp_path / "traefik", tmp_path / "modcache"
    shutil.copytree(TRAEFIK, tree, ignore=shutil.ignore_patterns("_gomodcache"))
    shutil.copytree(TRAEFIK / "_gomodcache", cache)
    tour = _tour(tmp_path / "out", tree, "--gomodcache", str(cache))
    _check_schema(tour, tree)
    step = next(s for s in tour["steps"] if s["title"] == "9. cli.Execute")
    source = cache / "github.com" / "traefik" / "paerser@v0.1.4" / "cli" / "commands.go"
    assert step["uri"] == source.resolve().as_uri() and step["line"] == 50 and "file" not in step
    assert step["description"].endswith("(In a dependency: `github.com/traefik/paerser@v0.1.4/cli/commands.go:50`.)")


def test_tour_says_what_it_cuts(caplog):
    program = goanalyzer.load(TRAEFIK, goroot="none", use_cache=False, into=("github.com/traefik/paerser",))
    analysis = goanalyzer.analyse(program, into=("github.com/traefik/paerser",))
    tour, warnings = goanalyzer.build_tour(analysis, max_steps=10)
    assert len(tour["steps"]) == 10
    assert warnings == ["the tour keeps the first 10 of 30 steps; the walkthrough pages have the rest"]


def test_tour_of_library(tmp_path):
    tour = _tour(tmp_path, LIBRARY)
    _check_schema(tour, LIBRARY)
