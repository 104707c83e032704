"""Build steps: where a body builds, with a composite literal, a value of the program's own types
(`cmdTraefik := &cli.Command{...}`), and the short text the startup flow shows for it.

The rule. A statement-level definition or assignment (`x := T{...}`, `x := &T{...}`, `var x = ...`,
`x = ...`, `c.F = T{...}`) whose value is a composite literal is a build step when the literal's
type is a named type declared in a loaded package outside the standard library (the module's own
or a dependency's, such as paerser's `cli.Command`), or when it is a non-empty slice, array or map
literal whose element type is such a type or one of whose elements is a literal of such a type
(`[]cli.ResourceLoader{&tcli.FileLoader{}, ...}`, `[]interface{}{&Server{}}`).

Why so narrow: a startup is made of the program's own values, and the flow must still read as its
calls. On the Traefik fixture the rule adds 10 steps to 403: main's loaders and command, none in
runCmd or setupServer themselves, one in each constructor below them (NewServer,
NewConfigurationWatcher, initACMEProvider, loadConfigFiles' finder, Collect's payload), three in
SetEffectiveConfiguration (the default entry points). Left out:
- literals of standard library types (`&http.Client{...}`) and of unnamed types (`struct{...}{}`,
  `map[string]interface{}{...}`): plumbing, not the program's own values;
- empty collections of unnamed type (`map[string]*acme.LocalStore{}`): a container filled later;
- literals that are call arguments, returned, or nested in other expressions: the call or the
  return already is the step (`return &Server{...}` is what the constructor's call stands for);
- types declared inside a function body, and types of packages that were not loaded: nothing says
  where they are declared, so the flow cannot tell the program's own from anybody else's;
- assignments to `_`: nothing is kept.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from goanalyzer.analysis.commands import CommandShape, command_shapes
from goanalyzer.model import FileFacts
from goanalyzer.program import Program
from goanalyzer.resolve.types import Types, TypeScope
from goanalyzer.syntax.ir import expr_text, type_text

ELEMENTS_SHOWN = 3
"""A collection's elements named in the text at most (then `...`)."""

VALUE_LIMIT = 24
"""Characters of a non-literal element (`"http": ep`) shown at most."""


@dataclass(frozen=True, slots=True)
class Build:
    """One value a statement builds."""

    text: str
    """`cmdTraefik := &cli.Command{Name: "traefik", ...}`: the target, and the literal with its
    type, a command's name, a collection's first elements; other fields as `...`."""
    type: str
    """The program's type the value is made of, qualified (a collection's element type)."""
    line: int
    col: int
    """Position of the literal (after the `&`)."""


class Builds:
    """Finds the build steps of statements (see module doc); one per flow, memoised types."""

    def __init__(self, program: Program):
        self.program = program
        self.types = Types(program)
        self._shapes: dict[tuple[str, str], CommandShape] | None = None

    def scope(self, facts: FileFacts) -> TypeScope:
        return self.types.file_scope(facts)

    def statement(self, s: Any, scope: TypeScope) -> list[Build | None]:
        """Per value of a define, var or assign statement, in order: what it builds, or None."""
        tag = s[0]
        if tag == "define":
            targets, values = [(n, f"{n} :=") for n in s[1]], s[2]
        elif tag == "var":
            targets, values = [(n, f"var {n} =") for n in s[1]], s[3]
        elif tag == "assign" and s[2] == "=":
            targets, values = [(text, f"{text} =") for text in (expr_text(t, 40) for t in s[1])], s[3]
        else:
            return []
        if len(targets) != len(values):  # `a, b := f()`: no literal on the right
            return [None] * len(values)
        return [self._build(name, head, value, scope) for (name, head), value in zip(targets, values)]

    def _build(self, name: str, head: str, value: Any, scope: TypeScope) -> Build | None:
        lit = _literal(value)
        if lit is None or name == "_":
            return None
        made_of = self._made_of(lit, self.types.resolve(lit[1], scope), scope)
        if made_of is None:
            return None
        return Build(f"{head} {self._text(value, None, scope)}", made_of, lit[3], lit[4])

    # ------------------------------------------------------------------ the rule
    def _made_of(self, lit: Any, rt: Any, scope: TypeScope) -> str | None:
        """The program type a literal of (resolved) type `rt` builds, or None."""
        own = self._own(rt)
        if own is not None or not lit[2]:
            return own
        own = self._own(_deref(_element(self.types.underlying(rt))))
        if own is not None:
            return own
        for _key, value in lit[2]:
            inner = _literal(value)
            if inner is not None and inner[1] is not None:
                own = self._made_of(inner, self.types.resolve(inner[1], scope), scope)
                if own is not None:
                    return own
        return None

    def _own(self, rt: Any) -> str | None:
        """`pkg.Name` when `rt` is a named type declared in a loaded package outside the standard library."""
        if rt is None or rt[0] != "named" or (rt[1], rt[2]) not in self.program.types or self.program.is_std(rt[1]):
            return None
        return f"{rt[1]}.{rt[2]}"

    # ------------------------------------------------------------------ the text
    def _text(self, e: Any, element: Any, scope: TypeScope, depth: int = 0) -> str:
        """A literal as the flow names it; `element` is the type of an elided literal type
        (`{...}` inside `[]T{...}`)."""
        if e[0] == "unary" and e[1] == "&":
            return "&" + self._text(e[2], _deref(element), scope, depth)
        if e[0] != "lit":
            return expr_text(e, VALUE_LIMIT)
        rt = self.types.resolve(e[1], scope) if e[1] is not None else _deref(element)
        written = type_text(e[1]) if e[1] is not None else ""
        if not e[2]:
            return f"{written}{{}}"
        under = self.types.underlying(rt)
        if depth > 0 or not _is_collection(under):
            name = self._command_name(rt, e[2])
            return f"{written}{{{name}, ...}}" if name and len(e[2]) > 1 else f"{written}{{{name or '...'}}}"
        items = [(f"{expr_text(k, VALUE_LIMIT)}: " if k is not None else "")
                 + self._text(v, _element(under), scope, depth + 1) for k, v in e[2][:ELEMENTS_SHOWN]]
        more = ", ..." if len(e[2]) > ELEMENTS_SHOWN else ""
        return f"{written}{{{', '.join(items)}{more}}}"

    def _command_name(self, rt: Any, fields: list) -> str:
        """`Name: "traefik"` when the literal builds a command (a command-shaped struct) with a
        literal name; "" otherwise."""
        if self._shapes is None:
            self._shapes = command_shapes(self.program)
        shape = self._shapes.get((rt[1], rt[2])) if rt is not None and rt[0] == "named" else None
        if shape is None:
            return ""
        for key, value in fields:
            if key is not None and key[0] == "id" and key[1] == shape.name_field and value[0] == "basic":
                return f"{shape.name_field}: {_quoted(value[2])}"
        return ""


def _literal(e: Any) -> Any:
    """The composite literal `e` is, directly or behind `&`; None for anything else."""
    if e[0] == "unary" and e[1] == "&":
        e = e[2]
    return e if e[0] == "lit" else None


def _deref(rt: Any) -> Any:
    return rt[1] if rt is not None and rt[0] == "ptr" else rt


def _is_collection(under: Any) -> bool:
    return under is not None and under[0] in ("slice", "array", "map")


def _element(under: Any) -> Any:
    """The element type of a slice, array or map type; None for anything else."""
    return under[-1] if _is_collection(under) else None


def _quoted(source: str) -> str:
    """A Go string literal as an interpreted one: a raw string's backticks would end a Markdown code span."""
    return json.dumps(source[1:-1], ensure_ascii=False) if source.startswith("`") else source
