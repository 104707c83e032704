"""Blanking function bodies keeps every declaration, offset and line, and nothing but bodies goes."""

import pickle

import pytest

from goanalyzer.syntax.extract import parse_source
from goanalyzer.syntax.skeleton import blank_bodies

SOURCE = b'''package p

import "fmt"

// Asm has no body: the next declaration's brace must not be taken for its body.
func Asm(x int) int

type T struct{ A int }

func (t *T) M(s struct{ B string }) struct{ C int } {
	if t.A > 0 { return struct{ C int }{1} }
	fmt.Println("}", '}', `{
}`) // }
	/* } */
	return struct{ C int }{}
}

func Generic[E interface{ ~int }](e E) (
	out E,
) {
	return e
}

var V = func() int { return 1 }()
'''


def test_bodies_become_spaces_and_everything_else_stays():
    blanked = blank_bodies(SOURCE)
    assert len(blanked) == len(SOURCE) and blanked.count(b"\n") == SOURCE.count(b"\n")
    text = blanked.decode()
    assert "func Asm(x int) int\n\ntype T struct{ A int }\n" in text
    assert "func (t *T) M(s struct{ B string }) struct{ C int } {" in text
    assert "fmt.Println" not in text and "return e" not in text
    assert "var V = func() int { return 1 }()" in text  # not a declaration at the start of a line
    assert text.endswith("\n}\n\nvar V = func() int { return 1 }()\n")


def test_blanked_source_gives_the_same_declaration_facts():
    original = parse_source("p.go", SOURCE, bodies=False)
    blanked = parse_source("p.go", blank_bodies(SOURCE), bodies=False)
    assert pickle.dumps(original) == pickle.dumps(blanked)
    assert [f.name for f in original.funcs] == ["Asm", "M", "Generic"]
    assert [f.has_body for f in original.funcs] == [False, True, True]


@pytest.mark.parametrize("source", [
    b"package p\n\nfunc F() {\n\tif x {\n",  # unbalanced: left alone
    b"package p\n\nfunc F()\n",  # no body at all
    b"package p\n\nvar s = `\nfunc F() {\n}\n`\n",  # a func inside a raw string is not a declaration
])
def test_sources_the_scanner_is_unsure_of_are_left_alone(source):
    assert blank_bodies(source) == source
