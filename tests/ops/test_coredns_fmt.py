"""Canonical formatting: exact layout, idempotence, and the same meaning as the input."""

from __future__ import annotations

from pathlib import Path

import pytest

from goanalyzer.ops.coredns.model import Block, Corefile, Directive, ServerBlock, Snippet, TopImport
from goanalyzer.ops.coredns.parser import parse_corefile
from goanalyzer.ops.coredns.printer import format_canonical

DATA = Path(__file__).resolve().parent / "data" / "coredns"
SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples" / "corefiles"


def meaning(corefile: Corefile) -> list:
    """What CoreDNS reads: keys and directive words with nesting, no layout, no comments."""

    def directive(d: Directive) -> list:
        return [d.name.value] + [block(p) if isinstance(p, Block) else p.value for p in d.items]

    def block(b: Block) -> list:
        return [directive(line) for line in b.lines]

    out = []
    for item in corefile.items:
        if isinstance(item, TopImport):
            out.append(("import", directive(item.directive)))
        elif isinstance(item, Snippet):
            out.append(("snippet", item.name, block(item.body)))
        else:
            assert isinstance(item, ServerBlock)
            keys = [k.value.rstrip(",") for k in item.keys if k.value]
            out.append(("server", keys, [directive(d) for d in item.directives], item.glued))
    return out


def test_messy_file_formats_exactly():
    path = DATA / "messy.Corefile"
    expected = (DATA / "messy.fmt-expected.Corefile").read_text()
    assert format_canonical(parse_corefile(path.read_text(), str(path))) == expected
    assert expected.splitlines()[2:7] == [
        ".:53 { # main server",
        "    errors",
        "",
        "    health {",
        "        lameduck 5s",
    ]


def inputs() -> list[Path]:
    paths = [DATA / "messy.Corefile", DATA / "syntax-tour.Corefile", DATA / "lint-problems.Corefile"]
    if SAMPLES.is_dir():
        paths += sorted(SAMPLES.iterdir())
    return paths


@pytest.mark.parametrize("path", inputs(), ids=lambda p: p.name)
def test_fmt_keeps_meaning_and_is_idempotent(path):
    original = parse_corefile(path.read_text(), str(path))
    formatted = format_canonical(original)
    reparsed = parse_corefile(formatted, "formatted")
    assert meaning(reparsed) == meaning(original)
    assert format_canonical(reparsed) == formatted
    assert formatted.endswith("\n") and "\t" not in formatted
    assert all(line == line.rstrip() for line in formatted.splitlines())


def test_fmt_adds_braces_and_drops_key_commas():
    text = "example.org,\n  example.net\nwhoami   # who\nlog\n"
    assert format_canonical(parse_corefile(text, "t")) == (
        "example.org example.net {\n    whoami # who\n    log\n}\n"
    )


def test_fmt_keeps_quotes_and_one_line_blocks_split():
    text = '.:53 {\n  log . "{remote} {name}"\n  hosts { fallthrough }\n}\n'
    assert format_canonical(parse_corefile(text, "t")) == (
        '.:53 {\n    log . "{remote} {name}"\n    hosts {\n        fallthrough\n    }\n}\n'
    )


@pytest.mark.parametrize(("text", "expected"), [
    ("a ,\nb {\n}\n", "a , b {\n}\n"),  # a lone comma continues the keys: kept, not stripped to nothing
    ('"" example.org {\n}\n', '"" example.org {\n}\n'),  # an empty quoted key is a word: kept
    ("import, x {\n}\n", "import, x {\n}\n"),  # a key `import,` must not become an import line
    ("a,, b {\n}\n", "a,, b {\n}\n"),  # `a,,` is the key `a,`: stripping one comma would change it
    ("a, b {\n}\n", "a b {\n}\n"),
])
def test_fmt_keeps_key_commas_that_matter(text, expected):
    once = format_canonical(parse_corefile(text, "Corefile"))
    assert once == expected
    assert format_canonical(parse_corefile(once, "Corefile")) == once
