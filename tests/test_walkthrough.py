"""The walkthrough: unit tests on hand-made models plus end-to-end facts on fixtures/traefik-2.5.2."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import goanalyzer
from goanalyzer.analysis.callgraph import build_callgraph
from goanalyzer.analysis.commands_model import Command, CommandField, CommandSet
from goanalyzer.analysis.startup_model import StartupFlow, Step, StepKind
from goanalyzer.cli.main import main
from goanalyzer.views.annotations import resolve_annotations
from goanalyzer.views.excerpts import excerpt, format_excerpt
from goanalyzer.views.links import Linker
from goanalyzer.analysis.pipeline import Analysis, analyse, definitions
from goanalyzer.analysis.startup_summary import summarise_flow
from goanalyzer.views.walkthrough import build_walkthrough, diagram_sources

ROOT = Path(__file__).resolve().parent.parent
TRAEFIK = ROOT / "fixtures" / "traefik-2.5.2"
LIBRARY = ROOT / "fixtures" / "odd" / "library"
T = "github.com/traefik/traefik/v2"
P = "github.com/traefik/paerser"
LINK_BASE = "https://github.com/traefik/traefik/blob/v2.5.2/{path}#L{line}"


@pytest.fixture(scope="module")
def program():
    return goanalyzer.load(TRAEFIK, goroot="none", into=(f"{P}/cli",), use_cache=False)


@pytest.fixture(scope="module")
def cg(program):
    return build_callgraph(program, "full")


def hand_made(program, cg) -> Analysis:
    """A CommandSet and StartupFlow written by hand, positioned on the fixture's real lines."""
    main_file = "cmd/traefik/traefik.go"
    traefik = Command(id=f"{main_file}:44:16", name="traefik", description="Traefik is a proxy.\nSecond line.",
                      long="", type=f"{P}/cli.Command", framework="paerser", path=main_file, line=44, col=16,
                      built_in=f"{T}/cmd/traefik.main", run=f"{T}/cmd/traefik.main$1",
                      run_calls=[f"{T}/cmd/traefik.runCmd"],
                      fields=[CommandField("Resources", "loaders", [f"(*{T}/pkg/cli.FileLoader).Load"])],
                      children=["cmd/version/version.go:22:9"])
    version = Command(id="cmd/version/version.go:22:9", name="version", description="Prints the Traefik version.",
                      long="", type=f"{P}/cli.Command", framework="paerser", path="cmd/version/version.go",
                      line=22, col=9, built_in=f"{T}/cmd/version.NewCmd", parent=traefik.id)
    commands = CommandSet([traefik, version], [f"{P}/cli.Command"])
    execute = Step(StepKind.CALL, f"{P}/cli.Execute", f"{T}/cmd/traefik.main", main_file, 67, 20)
    exit_ = Step(StepKind.EXIT, "github.com/sirupsen/logrus.Exit", f"{T}/cmd/traefik.main", main_file, 70, 15,
                 context=["if err != nil"], error_path=True, external=True)
    run = Step(StepKind.CALL, f"{T}/cmd/traefik.runCmd", f"{T}/cmd/traefik.main$1", main_file, 51, 17,
               rule="funcfield")
    setup = Step(StepKind.CALL, f"{T}/cmd/traefik.setupServer", f"{T}/cmd/traefik.runCmd", main_file, 105, 22)
    run.steps.append(setup)
    execute.steps.append(run)
    flow = StartupFlow(f"{T}/cmd/traefik.main", main_file, 38, [execute, exit_], into=[f"{P}/cli"])
    return Analysis(program, cg, commands, flow, f"{T}/cmd/traefik.main",
                    summary=summarise_flow(flow, defined=definitions(cg)))


def test_excerpt_has_real_lines_with_numbers():
    rows = excerpt(TRAEFIK / "cmd" / "traefik" / "traefik.go", 67, before=1, after=1)
    assert [n for n, _ in rows] == [67, 68]  # the blank line 66 is trimmed
    assert "cli.Execute(cmdTraefik)" in rows[0][1]
    text = format_excerpt(rows, mark=67)
    assert text.startswith("```go\n") and ">67      err = cli.Execute(cmdTraefik)" in text


def test_links_template_relative_and_dependency(program, tmp_path):
    execute = program.funcs[f"{P}/cli.Execute"]
    linker = Linker(program, LINK_BASE)
    assert linker.cite("cmd/traefik/traefik.go", 67) == (
        "[`cmd/traefik/traefik.go:67`](https://github.com/traefik/traefik/blob/v2.5.2/cmd/traefik/traefik.go#L67)")
    assert linker.display(execute.file.path) == f"{P}@v0.1.4/cli/commands.go"
    assert linker.url(execute.file.path, 50) == "https://github.com/traefik/paerser/blob/v0.1.4/cli/commands.go#L50"
    relative = Linker(program, None, page_dir=tmp_path)
    url = relative.url("cmd/traefik/traefik.go", 67)
    assert not url.startswith("/") and url.endswith("#L67")
    assert (tmp_path / url.split("#")[0]).resolve() == (TRAEFIK / "cmd/traefik/traefik.go").resolve()


def test_annotations_resolve_and_report_vanished(program, cg):
    names = sorted(set(program.funcs) | set(cg.graph.nodes))
    notes = resolve_annotations({"runCmd": "the real work", "cli.Execute -> traefik.runCmd": "via Run",
                                 "command traefik": "default", "oldStartup": "gone"}, names, ["traefik"])
    assert notes.for_step(f"{P}/cli.Execute", f"{T}/cmd/traefik.runCmd") == "via Run"
    assert notes.for_command("traefik") == "default"
    # runCmd exists in two packages (traefik and healthcheck): ambiguous is a problem, not a guess
    keys = {p.key: p.reason for p in notes.problems}
    assert "vanished" in keys["oldStartup"]
    assert "runCmd" in keys and "ambiguous" in keys["runCmd"]


def test_hand_made_models_render(program, cg, tmp_path):
    analysis = hand_made(program, cg)
    notes = resolve_annotations({"traefik.runCmd": "Everything real starts here.", "gone.Func": "stale"},
                                sorted(program.funcs), ["traefik", "version"])
    walk = build_walkthrough(analysis, title="Traefik", annotations=notes, linker=Linker(program, LINK_BASE),
                             split=False)
    text = walk.pages["index.md"]
    assert text.startswith("# Traefik\n")
    assert "`traefik.main` in [`cmd/traefik/traefik.go:38`]" in text
    for field, type_ in [("Name", "string"), ("Run", "func([]string) error"), ("subCommands", "[]*Command")]:
        assert f"| `{field}` | `{type_}` |" in text
    assert "#### Command version" in text and "Prints the Traefik version." in text
    assert "### 1 `cli.Execute`" in text
    assert "### 1.1 `traefik.runCmd`" in text and "through a func-typed field" in text
    assert "### 1.1.1 `traefik.setupServer`" in text
    assert "### 2 exit: `logrus.Exit` (error path)" in text and "only under `if err != nil`" in text
    assert ">105      svr, err := setupServer(staticConfiguration)" in text
    assert "Everything real starts here." in text
    assert "`gone.Func`: symbol vanished" in text
    assert "[`github.com/traefik/paerser@v0.1.4/cli/commands.go:" in text


def test_split_pages_link_to_each_other(program, cg):
    walk = build_walkthrough(hand_made(program, cg), split=True)
    assert list(walk.pages) == ["index.md", "commands.md", "startup.md", "callgraph.md"]
    for name in walk.pages:
        if name != "index.md":
            assert f"]({name})" in walk.pages["index.md"]
            assert walk.pages[name].startswith("[← Overview](index.md)")


def _read_all(out: Path) -> str:
    return "\n".join(p.read_text() for p in sorted(out.glob("*.md")))


def test_cli_walkthrough_library(tmp_path, capsys):
    out = tmp_path / "lib"
    assert main(["walkthrough", str(LIBRARY), "--goroot", "none", "--no-cache", "-q", "-o", str(out)]) == 0
    text = _read_all(out)
    assert "library" in text and "# Packages" in text or "## Packages" in text
    assert "shape" in text and "Call graph" in text
    assert (out / "callgraph.dot").exists() and (out / "callgraph.mmd").exists()
    assert "walkthrough:" in capsys.readouterr().out


def test_cli_missing_entry_is_usage_error(tmp_path):
    assert main(["walkthrough", str(TRAEFIK), "--goroot", "none", "--no-cache", "-q", "--entry", "nosuchentry",
                 "-o", str(tmp_path / "x")]) == 2


# ------------------------------------------------------------------ end to end on the fixture
def test_fixture_walkthrough_end_to_end(tmp_path, capsys):
    notes = tmp_path / "notes.yaml"
    notes.write_text("traefik.runCmd -> setupServer: wires providers and entry points\n"
                     "cli.Execute: paerser picks the command from os.Args\n"
                     "removedFunction: this one is stale\n")
    out = tmp_path / "wt"
    code = main(["walkthrough", str(TRAEFIK), "--goroot", "none", "--no-cache", "-q", "-o", str(out),
                 "--link-base", LINK_BASE, "--annotations", str(notes), "--title", "Traefik v2.5.2", "--show", "all"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "removedFunction" in captured.err and "vanished" in captured.err
    text = _read_all(out)
    index = (out / "index.md").read_text()
    assert index.startswith("# Traefik v2.5.2")
    assert "`traefik.main` in [`cmd/traefik/traefik.go:38`](https://github.com/traefik/traefik/blob/v2.5.2/" \
           "cmd/traefik/traefik.go#L38)" in index
    for name in ("traefik", "healthcheck", "version"):
        assert f"Command {name}" in text
    fields = [("Name", "string"), ("Description", "string"), ("Configuration", "interface{}"),
              ("Resources", "[]ResourceLoader"), ("Run", "func([]string) error"),
              ("CustomHelpFunc", "func(io.Writer, *Command) error"), ("Hidden", "bool"), ("AllowArg", "bool"),
              ("subCommands", "[]*Command")]
    for i, (field, type_) in enumerate(fields, 1):
        assert f"| {i} | `{field}` | `{type_}` |" in text
    assert "`cli.Execute`" in text and "`traefik.runCmd`" in text and "`traefik.setupServer`" in text
    assert "github.com/traefik/paerser@v0.1.4/cli/commands.go" in text
    assert "wires providers and entry points" in text and "paerser picks the command" in text
    assert "removedFunction" in index
    # every source link is a template link with a real line of a real file
    links = re.findall(r"\]\((https://github\.com/traefik/traefik/blob/v2\.5\.2/([^)#]+)#L(\d+))\)", text)
    assert links
    for _url, path, line in links:
        source = TRAEFIK / path
        assert source.is_file(), path
        assert 1 <= int(line) <= len(source.read_text().splitlines())
    # the startup headings follow the article, page after page: main's steps, then runCmd's
    startup = (out / "startup.md").read_text()
    assert startup.index("### 1 `package initialisation`") < startup.index("### 2 `cmd.NewTraefikConfiguration`") \
        < startup.index("### 11 `cli.Execute`")
    run_cmd = (out / "startup-traefik-runcmd.md").read_text()
    steps = ("traefik.configureLogging", "(*static.Configuration).ValidateConfiguration", "traefik.setupServer",
             "(*server.Server).Start", "(*server.Server).Wait")
    order = [run_cmd.index(f"`{n}`\n") for n in steps]
    assert order == sorted(order)
    for name in ("commands", "startup", "callgraph"):
        assert (out / f"{name}.dot").exists() and (out / f"{name}.mmd").exists()
        assert f"{name}." in text
    stdout = captured.out
    assert str(out / "index.md") in stdout and "startup.dot" in stdout


def test_fixture_relative_links_resolve(tmp_path):

    out = tmp_path / "rel"
    assert main(["walkthrough", str(TRAEFIK), "--goroot", "none", "--no-cache", "-q", "-o", str(out),
                 "--show", "all"]) == 0
    text = _read_all(out)
    links = re.findall(r"\]\(([^)]+\.go)#L(\d+)\)", text)
    assert links
    for target, _line in links:
        assert (out / target).resolve().is_file() if not target.startswith(("http", "/")) else \
            (PAERSER_CACHE / target.removeprefix(PAERSER_WEB)).is_file(), target


def test_analyse_library_has_no_entry():
    program = goanalyzer.load(LIBRARY, goroot="none", use_cache=False)
    analysis = analyse(program)
    assert analysis.entry is None and analysis.flow is None and analysis.commands is None
    assert any("library" in n for n in analysis.notes)


# ------------------------------------------------------------------ the startup flow on pages
PAERSER_WEB = "https://github.com/traefik/paerser/blob/v0.1.4/"
"""Where a paerser file links without --link-base: its repository at the module's version."""
PAERSER_CACHE = TRAEFIK / "_gomodcache" / "github.com" / "traefik" / "paerser@v0.1.4"

STARTUP_PAGES = ["startup.md", "startup-cli-execute.md", "startup-cli-run.md", "startup-healthcheck-runcmd-1.md",
                 "startup-traefik-runcmd.md", "startup-traefik-configurelogging.md", "startup-traefik-setupserver.md",
                 "startup-server-server-start.md", "startup-cli-fileloader-load.md",
                 "startup-server-configurationwatcher-startprovider.md", "startup-server-server-listensignals.md"]
OVERVIEW_NODES = 30
"""The overview flowchart draws at most this many nodes."""


@pytest.fixture(scope="module")
def linked(tmp_path_factory):
    """The fixture's walkthrough as `make demo` writes it (with --link-base), every side path shown."""
    out = tmp_path_factory.mktemp("linked")
    assert main(["walkthrough", str(TRAEFIK), "--goroot", "none", "--no-cache", "-q", "-o", str(out),
                 "--link-base", LINK_BASE, "--show", "all"]) == 0
    return out


def _dot_nodes(text: str) -> list[str]:
    return re.findall(r"^\s+(n\d+) \[", text, flags=re.M)


def _anchors(markdown: str) -> set[str]:
    from goanalyzer.views.markdown import anchor
    return {anchor(line.lstrip("#").strip()) for line in markdown.splitlines() if line.startswith("#")}


def test_startup_pages_and_their_links(linked):
    pages = {p.name: p.read_text() for p in linked.glob("*.md")}
    assert sorted(n for n in pages if n.startswith("startup")) == sorted(STARTUP_PAGES)
    index = pages["index.md"]
    for name in STARTUP_PAGES:  # index.md lists every page, nested under the page it is reached from
        assert f"]({name})" in index
    assert "    - [`cli.execute`](startup-cli-execute.md) (19 steps)" in index
    assert "            - [`traefik.runCmd`](startup-traefik-runcmd.md) (" in index
    # each page leads back up and on to the next
    assert pages["startup-traefik-runcmd.md"].startswith(
        "[← Overview](index.md) · [Startup](startup.md) › [`cli.execute`](startup-cli-execute.md) › "
        "[`cli.run`](startup-cli-run.md) › **`traefik.runCmd`** · next: [`traefik.configureLogging`]"
        "(startup-traefik-configurelogging.md) →\n")
    assert "- [`traefik.setupServer`](startup-traefik-setupserver.md): 59 steps, called from `traefik.runCmd`" \
        in pages["startup-traefik-runcmd.md"]
    # every relative link reaches a page that exists, and its anchor a heading on it
    for name, text in pages.items():
        for target, _, fragment in re.findall(r"\]\(([^)#:]*\.md)(#([^)]*))?\)", text):
            assert target in pages, (name, target)
            if fragment:
                assert fragment in _anchors(pages[target]), (name, target, fragment)
        for image in re.findall(r"!\[[^]]*\]\(([^)]+)\)", text):
            assert (linked / image).is_file(), (name, image)


def test_startup_steps_are_on_their_pages(linked):
    overview = (linked / "startup.md").read_text()
    assert "### 11 `cli.Execute`\n" in overview and "### 11.1 `cli.execute`\n" in overview
    assert "**Its 298 steps continue on their own page: [`cli.execute`](startup-cli-execute.md).**" in overview
    # the values main builds, in statement order between its calls, with where their types are declared
    assert overview.index("### 2 `cmd.NewTraefikConfiguration`\n") \
        < overview.index("### 3 build: `loaders := []cli.ResourceLoader{&tcli.FileLoader{}, &tcli.FlagLoader{}, "
                         "&tcli.EnvLoader{}}`\n") \
        < overview.index('### 4 build: `cmdTraefik := &cli.Command{Name: "traefik", ...}`\n') \
        < overview.index("### 5 `healthcheck.NewCmd`\n")
    assert "Built in `traefik.main` at [`cmd/traefik/traefik.go:44`](" in overview
    assert "`traefik.main` builds this value itself, with a composite literal of `cli.Command`." in overview
    assert "`cli.Command` is declared in [`github.com/traefik/paerser@v0.1.4/cli/commands.go:13`](" in overview
    assert "![Startup flowchart: traefik.main](startup.svg)" in overview or "startup.dot" in overview
    execute = (linked / "startup-cli-execute.md").read_text()
    assert "\n# Startup: `cli.execute`\n" in execute
    assert "[`github.com/traefik/paerser@v0.1.4/cli/commands.go:56`]" \
           "(https://github.com/traefik/paerser/blob/v0.1.4/cli/commands.go#L56)" in execute
    run = (linked / "startup-cli-run.md").read_text()
    assert "### 13 `traefik.main$1`\n" in run and "### 13.1 `traefik.runCmd`\n" in run  # after the loaders (9-11)
    assert "What `traefik.main$1` does is shown below.\n" in run  # its guard-clause call, ### 7
    assert "**Its 209 steps continue on their own page: [`traefik.runCmd`](startup-traefik-runcmd.md).**" in run
    run_cmd = (linked / "startup-traefik-runcmd.md").read_text()
    assert "\n# Startup: `traefik.runCmd`\n" in run_cmd
    assert "### 10 `traefik.setupServer`\n" in run_cmd and "### 18 wait: `(*server.Server).Wait`\n" in run_cmd
    assert "### 16 `safe.Go`\n" in run_cmd and "### 17 go `traefik.runCmd$1`\n" in run_cmd  # what the helper runs
    assert "[`traefik.setupServer`](startup-traefik-setupserver.md).**" in run_cmd
    # a small callee is a section of the page, with its own flowchart, numbered on from its call
    assert "### 12 defer `(*server.Server).Close`\n" in run_cmd and "### 12.1 go `(*server.Server).Close$1`" in run_cmd
    assert "Its 4 steps, drawn on their own:" in run_cmd and "startup-server-server-close.dot" in run_cmd
    setup = (linked / "startup-traefik-setupserver.md").read_text()
    assert "\n# Startup: `traefik.setupServer`\n" in setup
    assert "Reached by: [`traefik.main`](startup.md) → [`cli.Execute`](startup.md) → " in setup


def test_startup_flowcharts_stay_small(linked):
    from goanalyzer.render.engine import find_engine, render

    overview = (linked / "startup.dot").read_text()
    assert len(_dot_nodes(overview)) <= OVERVIEW_NODES
    assert "commands.go:51 · 298 more steps — see its page" in overview  # cli.execute, folded
    sizes = {p.name: len(_dot_nodes(p.read_text())) for p in linked.glob("startup*.dot")}
    assert len(sizes) == 37 and max(sizes.values()) <= 50, sizes
    if find_engine() is not None:  # the overview, rendered, is at most 1200 px either way
        png = render(overview, "png")
        width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        assert width <= 1200 and height <= 1200, (width, height)


def test_diagram_links_reach_sources_and_pages(linked):
    for path in linked.glob("startup*.dot"):
        for url in re.findall(r'(?:URL|HREF)="([^"]+)"', path.read_text()):
            if url.startswith("https://github.com/traefik/traefik/blob/v2.5.2/"):
                file, line = url.removeprefix("https://github.com/traefik/traefik/blob/v2.5.2/").split("#L")
                assert (TRAEFIK / file).is_file() and int(line) <= len((TRAEFIK / file).read_text().splitlines())
            elif url.startswith("https://github.com/traefik/paerser/blob/v0.1.4/"):
                file = url.removeprefix("https://github.com/traefik/paerser/blob/v0.1.4/").split("#")[0]
                assert (TRAEFIK / "_gomodcache/github.com/traefik/paerser@v0.1.4" / file).is_file(), url
            else:  # a folded step: the page that shows its steps
                assert url in STARTUP_PAGES, (path.name, url)
    cli_run = (linked / "startup-cli-execute.dot").read_text()
    assert 'URL="startup-cli-run.md"' in cli_run and "v2.5.2/github.com" not in cli_run


def test_startup_pages_with_relative_links(tmp_path):
    out = tmp_path / "rel"
    assert main(["walkthrough", str(TRAEFIK), "--goroot", "none", "--no-cache", "-q", "-o", str(out)]) == 0
    for path in out.glob("startup*.dot"):
        for url in re.findall(r'(?:URL|HREF)="([^"#]+)', path.read_text()):
            assert (out / url).resolve().is_file() if not url.startswith(("http", "/")) else \
                (PAERSER_CACHE / url.removeprefix(PAERSER_WEB)).is_file(), (path.name, url)


def test_one_page_walkthrough_links_startup_parts_by_anchor(program, cg):
    walk = build_walkthrough(analyse(program, cg=cg, into=(f"{P}/cli",)), split=False)
    assert list(walk.pages) == ["index.md"]
    text = walk.pages["index.md"]
    assert "## Startup: `traefik.runCmd`" in text and not re.search(r"\]\([^)#:]+\.md", text)
    links = re.findall(r"\]\(#([^)]+)\)", text)
    assert "startup-traefikruncmd" in links and set(links) <= _anchors(text)


# ------------------------------------------------------------------ the overview page, golden
OVERVIEW_GOLDEN = Path(__file__).resolve().parent / "pages" / "traefik-index.md"


def overview_page() -> str:
    program = goanalyzer.load(TRAEFIK, goroot="none", use_cache=False, into=(P,))
    analysis = goanalyzer.analyse(program, into=(P,))
    return build_walkthrough(analysis, linker=Linker(program, LINK_BASE)).pages["index.md"]


def test_overview_page_is_golden():
    """The index page: version in the title, the README paragraph, the happy path in run order, the
    pages to read next. Regenerate after a deliberate change with
    `python -c 'import test_walkthrough as t; t.OVERVIEW_GOLDEN.write_text(t.overview_page())'` (in tests/)."""
    assert overview_page() == OVERVIEW_GOLDEN.read_text(encoding="utf-8")


def test_a_build_excerpt_shows_the_whole_literal(linked):
    """The article's subject: cmdTraefik's Configuration, Resources and Run fields are on the page."""
    overview = (linked / "startup.md").read_text()
    start = overview.index(">44      cmdTraefik := &cli.Command{\n")
    block = overview[start:overview.index("```", start)]
    assert " 49          Resources:     loaders,\n" in block and " 50          Run: func(_ []string) error {\n" in block
    assert block.endswith(" 53      }\n")


def test_statement_end_skips_brackets_in_strings_and_comments(tmp_path):
    from goanalyzer.views.excerpts import statement_end
    source = tmp_path / "a.go"
    source.write_text('x := T{\n\tA: "}{",  // }\n\tB: \'}\',\n}\ny := f(1)\n')
    assert statement_end(source, 1) == 4 and statement_end(source, 5) == 5


# ------------------------------------------------------------------ one name per package, in every view
def test_packages_sharing_a_name_print_apart_in_every_view(linked):
    """Traefik's pkg/cli (imported as `tcli`) and paerser's cli both end in `cli`: pages, happy path,
    flowcharts and the commands page name Traefik's by its alias, paerser's plainly."""
    pages = {p.name: p.read_text() for p in linked.iterdir() if p.suffix in (".md", ".dot", ".mmd")}
    plain = re.compile(r"(?<![\w/])cli\.(?:FileLoader|FlagLoader|EnvLoader|loadConfigFiles)")
    assert not [name for name, text in pages.items() if plain.search(text)]
    index, run, commands = pages["index.md"], pages["startup-cli-run.md"], pages["commands.md"]
    assert "         1. `(*tcli.FileLoader).Load` at [`github.com/traefik/paerser@v0.1.4/cli/commands.go:117`]" in index
    assert "\n7. `cmdVersion.NewCmd` at [`cmd/traefik/traefik.go:61`]" in index  # `cmdVersion "…/cmd/version"`
    assert "### 9 `(*tcli.FileLoader).Load`\n" in run and "### 1 `cli.isFlag`\n" in run
    # the loaders in the order the program's slice lists them, as they run: File, Flag, Env
    assert run.index("### 9 `(*tcli.FileLoader).Load`") < run.index("### 10 `(*tcli.FlagLoader).Load`") \
        < run.index("### 11 `(*tcli.EnvLoader).Load`")
    assert "<(*tcli.FileLoader).Load (interface)<BR/>" in pages["startup-cli-run.dot"]
    assert "# Startup: `(*tcli.FileLoader).Load`\n" in pages["startup-cli-fileloader-load.md"]
    assert "- **Resources:** `loaders` → `tcli.EnvLoader`, `tcli.FileLoader`, `tcli.FlagLoader`\n" in commands
    assert "### The `cli.Command` struct" in commands
    assert "| `cmdVersion.NewCmd` | `cmdVersion.NewCmd$1` |" in commands
    assert "run: cmdVersion.NewCmd$1</FONT>" in pages["commands.dot"]
    assert '"(*tcli.FileLoader).Load (interface)<br/>commands.go:117' in pages["startup-cli-run.mmd"]


# ------------------------------------------------------------------ after startup
def test_what_serves_requests_is_listed_after_startup(program, cg):
    from goanalyzer.analysis.happy_path import HappyPath, HappyStep
    analysis = hand_made(program, cg)
    serve = Step(StepKind.CALL, "(*github.com/traefik/traefik/v2/pkg/provider/acme.ChallengeHTTP).ServeHTTP",
                 f"{T}/cmd/traefik.setupServer", "cmd/traefik/traefik.go", 105, 22, rule="interface")
    analysis.happy = HappyPath(analysis.entry, (HappyStep(analysis.flow.steps[0], 0),), after=(serve,))
    index = build_walkthrough(analysis, linker=Linker(program, LINK_BASE), split=True).pages["index.md"]
    section = index[index.index("## After startup\n"):index.index("## The command tree")]
    assert section == (
        "## After startup\n\nOnce the program serves, these run for each request or connection; they are not part "
        "of the startup, so the startup pages fold them (`--show serving` writes them out):\n\n"
        "- `(*acme.ChallengeHTTP).ServeHTTP`: defined in [`pkg/provider/acme/challenge_http.go:43`]"
        "(https://github.com/traefik/traefik/blob/v2.5.2/pkg/provider/acme/challenge_http.go#L43); called by "
        "`traefik.setupServer` at [`cmd/traefik/traefik.go:105`]"
        "(https://github.com/traefik/traefik/blob/v2.5.2/cmd/traefik/traefik.go#L105), through an interface method\n\n")
    assert "## After startup" not in build_walkthrough(hand_made(program, cg), split=True).pages["index.md"]


# ------------------------------------------------------------------ the happy path in the call graph
def test_the_callgraph_highlights_the_happy_path(linked):
    """The fixture's call graph (115 functions) collapses by package; the happy path's functions
    stay, bold and orange, and so do the calls between them."""
    text = (linked / "callgraph.dot").read_text()
    assert "collapsed_note" in text
    orange = re.findall(r'^  "([^"]+)" -> "([^"]+)" \[[^\n]*color="#ea580c"', text, flags=re.M)
    M, C = f"{T}/cmd/traefik", f"{P}/cli"
    assert sorted(orange) == sorted([
        (f"{C}.Execute", f"{C}.execute"), (f"{C}.execute", f"{C}.run"),
        *[(f"{C}.run", f"(*{T}/pkg/cli.{k}Loader).Load") for k in ("Env", "File", "Flag")],
        (f"{C}.run", f"{M}.main$1"), (f"{M}.main$1", f"{M}.runCmd"),
        *[(f"{M}.main", n) for n in (f"(*{C}.Command).AddCommand", f"{C}.Execute", f"{T}/cmd.NewTraefikConfiguration",
                                     f"{T}/cmd/healthcheck.NewCmd", f"{T}/cmd/version.NewCmd")],
        *[(f"{M}.runCmd", n) for n in (f"(*{T}/pkg/config/static.Configuration).SetEffectiveConfiguration",
                                       f"(*{T}/pkg/server.Server).Close", f"(*{T}/pkg/server.Server).Start",
                                       f"(*{T}/pkg/server.Server).Wait", f"{M}.checkNewVersion",
                                       f"{M}.configureLogging", f"{M}.setupServer", f"{M}.stats")]])
    bold = re.findall(r'^\s+"([^"]+)" \[label[^\n]*color="#ea580c"[^\n]*fontname="Helvetica-Bold"', text, flags=re.M)
    assert len(bold) == 22 and f"{C}.Execute" in bold and f"{M}.runCmd$1" in bold
    page = (linked / "callgraph.md").read_text()
    assert "The happy path's functions and calls are drawn bold in orange." in page


# ------------------------------------------------------------------ "shown above" / "below" as the page reads
def test_a_flowchart_says_where_steps_shown_elsewhere_are(linked):
    """cli.run's chart opens its page; PrintHelp's steps are in a small part's chart further down
    (section 2), main$1's in this very chart, lower down: all below. The text at section 4, after
    section 2, says above."""
    chart = (linked / "startup-cli-run.dot").read_text()
    assert "commands.go:104 · steps shown below</FONT>" in chart
    assert "commands.go:108 · steps shown below</FONT>" in chart
    assert "<traefik.main$1 (funcfield)<BR/><FONT POINT-SIZE=\"9\" COLOR=\"#64748b\">commands.go:113 · steps drawn " \
           "below</FONT>" in chart
    assert "steps shown above" not in chart
    run = (linked / "startup-cli-run.md").read_text()
    assert run.index("### 2 `(*cli.Command).PrintHelp`") < run.index("### 4 `(*cli.Command).PrintHelp`") \
        < run.index("What `(*cli.Command).PrintHelp` does is shown above.")
    setup = (linked / "startup-traefik-setupserver.dot").read_text()
    assert "traefik.go:237 · steps shown below</FONT>" in setup  # GetProtocol: under NewTCPEntryPoints, section 10


def test_the_text_says_below_when_the_steps_come_later_on_the_page(program, cg):
    """runCmd (step 1) calls setupServer, whose steps main's own call (step 2) shows further down:
    the flow marks the inner call seen_before but not expanded_below (another body), and the page
    still says below."""
    main_file, M = "cmd/traefik/traefik.go", f"{T}/cmd/traefik"
    inner = Step(StepKind.CALL, f"{M}.setupServer", f"{M}.runCmd", main_file, 105, 22, seen_before=True)
    run = Step(StepKind.CALL, f"{M}.runCmd", f"{M}.main", main_file, 51, 17, steps=[inner])
    logging_ = Step(StepKind.CALL, f"{M}.configureLogging", f"{M}.setupServer", main_file, 77, 2)
    setup = Step(StepKind.CALL, f"{M}.setupServer", f"{M}.main", main_file, 105, 22, steps=[logging_])
    again = Step(StepKind.CALL, f"{M}.setupServer", f"{M}.main", main_file, 106, 2, seen_before=True)
    flow = StartupFlow(f"{M}.main", main_file, 38, [run, setup, again])
    analysis = Analysis(program, cg, None, flow, flow.entry, summary=summarise_flow(flow, defined=definitions(cg)))
    text = build_walkthrough(analysis, split=True).pages["startup.md"]
    first, second = text.index("### 1.1 `traefik.setupServer`"), text.index("### 3 `traefik.setupServer`")
    assert text.index("What `traefik.setupServer` does is shown below.", first) < text.index("### 2 ")
    assert text.index("What `traefik.setupServer` does is shown above.", second) > second
    chart = diagram_sources(analysis)["startup"][0]
    assert "traefik.go:105 · steps drawn below" in chart and "traefik.go:106 · steps drawn above" in chart
