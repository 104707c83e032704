"""Lexer and lossless parser: CoreDNS's grammar, byte-for-byte round trips, errors with lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from goanalyzer.ops.common import OpsInputError
from goanalyzer.ops.coredns.configmap import SourceKind, load_source
from goanalyzer.ops.coredns.lexer import TokenKind, lex
from goanalyzer.ops.coredns.model import ServerBlock, Snippet, TopImport
from goanalyzer.ops.coredns.parser import parse_corefile
from goanalyzer.ops.coredns.printer import print_lossless
from goanalyzer.ops.coredns.zones import cidr_zones, parse_key

DATA = Path(__file__).resolve().parent / "data" / "coredns"
SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples" / "corefiles"


def sample_files() -> list[Path]:
    if not SAMPLES.is_dir():
        pytest.skip("shared samples not present")
    return sorted(p for p in SAMPLES.iterdir() if p.is_file())


def own_files() -> list[Path]:
    return sorted(p for p in DATA.rglob("*") if p.is_file())


def roundtrip(path: Path) -> None:
    source = load_source(str(path))
    corefile = parse_corefile(source.corefile, str(path), source.first_line)
    assert print_lossless(corefile) == source.corefile


def test_every_shared_sample_round_trips_byte_for_byte():
    files = sample_files()
    assert len(files) == 7
    for path in files:
        source = load_source(str(path))
        assert source.kind is SourceKind.COREFILE
        assert source.corefile.encode() == path.read_bytes()
        roundtrip(path)


def test_every_own_input_round_trips_byte_for_byte():
    files = own_files()
    assert {p.name for p in files} >= {"syntax-tour.Corefile", "messy.Corefile", "note-cluster-a.configmap.yaml"}
    for path in files:
        roundtrip(path)


@pytest.mark.parametrize(
    "text",
    [
        "\ufeff.:53 {\r\n    whoami\r\n}\r\n",  # byte order mark and CRLF
        ". {\n  whoami\n}",  # no newline at the end
        "example.org\nwhoami\n",  # single server block without braces
        ".:53\n",  # keys alone
        "",  # empty file
        "# only a comment",
        '. {\n  log . "multi\nline \\" quote"  # c\n}\n',
    ],
)
def test_edge_inputs_round_trip(text):
    corefile = parse_corefile(text, "t")
    assert print_lossless(corefile) == text


def test_lexer_follows_coredns_quoting_and_comments():
    tokens = lex('a#comment\n"x \\"y\\" \\z"b "" c\n', "t").tokens
    assert [(t.value, t.kind) for t in tokens] == [
        ("a", TokenKind.WORD),
        ('x "y" \\z', TokenKind.QUOTED),
        ("b", TokenKind.WORD),
        ("", TokenKind.QUOTED),
        ("c", TokenKind.WORD),
    ]
    assert [t.line for t in tokens] == [1, 2, 2, 2, 2]
    assert [t.starts_line for t in tokens] == [True, True, False, False, False]


def test_syntax_tour_model():
    path = DATA / "syntax-tour.Corefile"
    corefile = parse_corefile(path.read_text(), str(path))
    kinds = [type(item).__name__ for item in corefile.items]
    assert kinds == ["Snippet", "TopImport", "ServerBlock", "ServerBlock", "ServerBlock", "ServerBlock"]
    snippet = corefile.items[0]
    assert isinstance(snippet, Snippet) and snippet.name == "common"
    log = snippet.body.lines[1]
    assert [t.value for t in log.args] == [".", "{remote} asked {name}"]
    imported = corefile.items[1]
    assert isinstance(imported, TopImport) and [t.value for t in imported.directive.args] == ["conf.d/*.server"]
    main = corefile.items[2]
    assert isinstance(main, ServerBlock)
    assert [d.name.value for d in main.directives] == ["import", "health", "kubernetes", "forward", "cache", "import"]
    forward = main.directives[3]
    assert [t.value for t in forward.args] == [".", "{$UPSTREAM}", "9.9.9.9"]
    assert [(d.name.value, d.name.line) for d in forward.block.lines] == [("except", 18), ("policy", 19)]
    schemes = corefile.items[3]
    assert [parse_key(k.value).transport for k in schemes.keys] == ["tls", "grpc", "https"]
    assert [parse_key(k.value).port for k in schemes.keys] == ["853", "443", "443"]
    commas = corefile.items[4]
    assert [k.value.rstrip(",") for k in commas.keys] == ["example.net", "example.com:1053"]
    hosts = commas.directives[0].block.lines[0]
    assert [t.value for t in [hosts.name, *hosts.args]] == ["10.0.0.1", 'host with "quotes"']


def test_sample_keys_ports_and_reverse_cidrs():
    files = {p.name: p for p in sample_files()}
    nsm = files["04-nsm-interdomain-cluster1.Corefile.template"]
    first = parse_corefile(nsm.read_text(), str(nsm)).items[0]
    assert [(parse_key(k.value).zones, parse_key(k.value).port) for k in first.keys] == [(["."], "53"), (["."], "30053")]
    man = files["06-coredns-corefile5-syntax-examples.Corefile"]
    items = parse_corefile(man.read_text(), str(man)).items
    cidr = items[-1]
    assert cidr.keys[0].value == "10.0.0.0/27"
    zones = parse_key(cidr.keys[0].value).zones
    assert len(zones) == 32 and zones[0] == "0.0.0.10.in-addr.arpa." and zones[-1] == "31.0.0.10.in-addr.arpa."


def test_glued_sed_marker_is_kept_for_lint():
    files = {p.name: p for p in sample_files()}
    path = files["02-coredns-deployment-coredns.yaml.sed.Corefile.template"]
    block = parse_corefile(path.read_text(), str(path)).items[0]
    assert block.glued == "STUBDOMAINS" and block.close.line == 18


def test_cidr_zones_cut_at_label_boundaries():
    assert cidr_zones("10.96.0.0/12") == [f"{n}.10.in-addr.arpa." for n in range(96, 112)]
    assert cidr_zones("10.200.0.0/16") == ["200.10.in-addr.arpa."]
    assert cidr_zones("fd00:10::/30") == [f"{n}.1.0.0.0.0.d.f.ip6.arpa." for n in range(4)]
    assert cidr_zones("fd00::/16") == ["0.0.d.f.ip6.arpa."]
    assert cidr_zones("example.org") is None


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (". {\n  whoami\n", 1, "missing '}' for the server block opened at line 1"),
        ("}\n", 1, "unexpected '}' (no server block is open)"),
        (". {\n  whoami }\n", 2, "unexpected '}' at the end of a directive line: put it on its own line"),
        ('. {\n  log "open\n}\n', 2, "unterminated quoted string (no closing '\"')"),
        ("(s) {\n log\n}\n(s) {\n log\n}\n", 4, "redeclaration of previously declared snippet s"),
        ("a,\n", 1, "expected another server block key after ','"),
        ("a, {\n}\n", 1, "expected another key but found '{' - check for an extra comma"),
        (". {\n  forward . 1.1.1.1 {\n    max_fails 3\n", 2, "missing '}' for the '{' opened at line 2"),
        ("(s)\n", 1, "snippet (s) needs a '{' block"),
    ],
)
def test_malformed_input_names_the_line(text, line, message):
    with pytest.raises(OpsInputError) as caught:
        parse_corefile(text, "bad.Corefile")
    assert (caught.value.line, caught.value.message) == (line, message)
    assert str(caught.value) == f"bad.Corefile:{line}: {message}"


def test_configmap_lines_point_into_the_yaml():
    path = DATA / "note-cluster-a.configmap.yaml"
    source = load_source(str(path))
    assert source.kind is SourceKind.CONFIGMAP and source.first_line == 8
    corefile = parse_corefile(source.corefile, str(path), source.first_line)
    block = corefile.items[0]
    lines = {d.name.value: d.name.line for d in block.directives}
    text = path.read_text().splitlines()
    assert lines["kubernetes"] == 15 and text[14].strip().startswith("kubernetes cluster.local")
    assert lines["reload"] == 26 and text[25].strip() == "reload"


def test_configmap_errors_name_yaml_line(tmp_path):
    bad = tmp_path / "cm.yaml"
    bad.write_text("apiVersion: v1\nkind: ConfigMap\ndata:\n  Corefile: |\n    . {\n      whoami\n")
    source = load_source(str(bad))
    with pytest.raises(OpsInputError) as caught:
        parse_corefile(source.corefile, str(bad), source.first_line)
    assert str(caught.value) == f"{bad}:5: missing '}}' for the server block opened at line 5"
    nodata = tmp_path / "other.yaml"
    nodata.write_text("apiVersion: v1\nkind: Secret\n")
    with pytest.raises(OpsInputError) as caught:
        load_source(str(nodata))
    assert str(caught.value) == f"{nodata}:1: YAML without a ConfigMap data.Corefile key"
