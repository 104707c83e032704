"""The intermediate representation of Go types, expressions and statements: plain tuples.

Tuples keep the facts small, fast to pickle and cache, and free of tree-sitter objects. The first
element is a tag; positions are 1-based (line, col) with col counted in bytes, as go/token does.

Types (T):
    ("name", ident)                      int, Command, K (a type parameter)
    ("qual", pkg_alias, ident)           cli.Command
    ("ptr", T) ("slice", T) ("array", T) ("chan", T) ("map", K, V)
    ("func", [T params], [T results], variadic)
    ("struct", [(name, T, embedded)])    anonymous struct
    ("iface", [method names])            anonymous interface; ("iface", [method names], [T embedded])
                                         when it embeds interfaces (`interface{ io.Reader; Close() error }`)
    ("generic", T, [T args])             List[int]
    ("unknown", text)

Expressions (E):
    ("id", name, line, col)
    ("sel", X, name, line, col)          X.name; the position is the name's
    ("call", F, [args], line, col, spread)   position of "("; spread for f(xs...)
    ("conv", T, X, line, col)            a call that tree-sitter saw as a conversion: []byte(x), F[int](x)
    ("lit", T|None, [(key E|None, value E)], line, col)
    ("funclit", FuncLit)
    ("unary", op, X)                     & * <- - ! ^ +
    ("binary", op, X, Y)
    ("index", X, [E])                    x[i], and F[T] instantiations
    ("slice", X, low|None, high|None, max|None)   x[low:high:max]
    ("assert", X, T|None)                x.(T); None for x.(type)
    ("typeexpr", T)                      a type in expression position: []int, map[K]V, *T inside ()
    ("basic", kind, source)              int float imag rune bool string, with the literal's source
                                         (a string's quotes kept; `true`, `false`, `iota` as written)
    ("nil",)  ("other",)

Statements (S) all end with the line they start on:
    ("block", [S], line)
    ("decls", [S], line)                 several var/const/type specs of one declaration (same scope)
    ("expr", E, line)
    ("define", [names], [E], line)       :=
    ("assign", [E], op, [E], line)       = += ...
    ("var", [names], T|None, [E], line)  var and const inside a body
    ("type", name, T, line)
    ("go", E, col, line) ("defer", E, col, line)
    ("return", [E], line)
    ("if", S|None, E, S, S|None, line)   init, condition, then, else
    ("for", S|None, E|None, S|None, S, line)
    ("range", [E], define, E, S, line)   left side, whether :=, the ranged expression, body
    ("switch", S|None, E|None, [([E], [S], default)], line)
    ("typeswitch", S|None, name|None, E, [([T], [S], default)], line)
    ("select", [(S|None, [S])], line)    each case: its communication (None for default), body
    ("send", E, E, line) ("incdec", E, line) ("labeled", label, S, line)
    ("branch", keyword, line)            break continue goto fallthrough
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from goanalyzer.model import Record, Signature


@dataclass(slots=True)
class FuncLit(Record):
    """A function literal. Named later (`main$1`) by its order inside the enclosing function."""

    signature: Signature
    body: Any
    line: int
    col: int
    end_line: int


def expr_text(e: Any, limit: int = 80) -> str:
    """Go-like text of an expression, for conditions and field values in reports."""
    text = _text(e)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _text(e: Any) -> str:  # noqa: C901 - one case per tag
    if not isinstance(e, tuple) or not e:
        return "?"
    tag = e[0]
    if tag == "id":
        return e[1]
    if tag == "sel":
        return f"{_text(e[1])}.{e[2]}"
    if tag == "call":
        return f"{_text(e[1])}({', '.join(_text(a) for a in e[2])}{'...' if e[5] else ''})"
    if tag == "conv":
        return f"{type_text(e[1])}({_text(e[2])})"
    if tag == "lit":
        inner = ", ".join((f"{_text(k)}: " if k is not None else "") + _text(v) for k, v in e[2])
        return f"{type_text(e[1]) if e[1] is not None else ''}{{{inner}}}"
    if tag == "funclit":
        return "func(...) {...}"
    if tag == "unary":
        return f"{e[1]}{_text(e[2])}"
    if tag == "binary":
        return f"{_text(e[2])} {e[1]} {_text(e[3])}"
    if tag == "index":
        return f"{_text(e[1])}[{', '.join(_text(i) for i in e[2])}]"
    if tag == "slice":
        low, high, cap = (_text(b) if b is not None else "" for b in e[2:5])
        return f"{_text(e[1])}[{low}:{high}{':' + cap if cap else ''}]"
    if tag == "assert":
        return f"{_text(e[1])}.({type_text(e[2]) if e[2] is not None else 'type'})"
    if tag == "typeexpr":
        return type_text(e[1])
    if tag == "basic":
        return e[2] if len(e) > 2 else e[1]
    if tag == "nil":
        return "nil"
    return "..."


def type_text(t: Any) -> str:
    if not isinstance(t, tuple) or not t:
        return "?"
    tag = t[0]
    if tag == "name":
        return t[1]
    if tag == "qual":
        return f"{t[1]}.{t[2]}"
    if tag == "ptr":
        return "*" + type_text(t[1])
    if tag in ("slice", "array"):
        return "[]" + type_text(t[1])
    if tag == "chan":
        return "chan " + type_text(t[1])
    if tag == "map":
        return f"map[{type_text(t[1])}]{type_text(t[2])}"
    if tag == "func":
        return "func(...)"
    if tag == "generic":
        return type_text(t[1]) + "[...]"
    if tag == "struct":
        return "struct{...}"
    if tag == "iface":
        return "interface{...}" if t[1] or len(t) > 2 else "interface{}"
    return t[1] if len(t) > 1 and isinstance(t[1], str) else "?"
