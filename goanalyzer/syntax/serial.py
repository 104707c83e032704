"""Facts as bytes and back, for the cache and for the workers' hand-over.

A blob read back may come from a cache file somebody else wrote (a shared `--cache-dir`, a CI
cache), so reading one builds only our own models: the unpickler resolves no name but the model
classes of `goanalyzer.model` and `goanalyzer.syntax.ir`, whose constructors only store their
fields. A planted blob that names anything else (`os.system`, `builtins.eval`) is refused, and the
file is parsed again instead.

Even a model class is never handed to the blob itself, only a function that calls it (a record's
constructor, an enum's member lookup): with a class on its stack a blob could set attributes on it
(pickle's BUILD), altering every later load in the process, or make an instance without its
constructor (NEWOBJ). Models refuse BUILD on their instances (`model.Record`, `model.Kind`).
"""

from __future__ import annotations

import enum
import io
import pickle
from typing import Callable

from goanalyzer import model
from goanalyzer.syntax import ir

__all__ = ["UnsafeBlob", "dumps", "loads", "pack_body", "unpack_body"]

PROTOCOL = pickle.HIGHEST_PROTOCOL


class UnsafeBlob(pickle.UnpicklingError):
    """A blob naming something other than our models."""


def _model_classes() -> dict[tuple[str, str], type]:
    allowed = {}
    for module in (model, ir):
        for name, value in vars(module).items():
            if isinstance(value, type) and value.__module__ == module.__name__ and (
                    (issubclass(value, model.Record) and hasattr(value, "__dataclass_fields__"))
                    or (issubclass(value, enum.Enum) and len(value) > 0)):
                allowed[(module.__name__, name)] = value
    return allowed


ALLOWED = _model_classes()
"""The classes a blob may name: the models (dataclasses) and their kinds (enums with members)."""


def _maker(cls: type) -> Callable:
    """What the unpickler calls for a class: never the class itself (see the module's docstring)."""
    if issubclass(cls, enum.Enum):
        return cls._value2member_map_.__getitem__  # a member by its value: nothing else to call

    def make(*fields):
        return cls(*fields)

    return make


_MAKERS = {key: _maker(cls) for key, cls in ALLOWED.items()}


class _ModelsOnly(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Callable:
        try:
            return _MAKERS[(module, name)]
        except KeyError:
            raise UnsafeBlob(f"refused: the blob names {module}.{name}") from None

    def persistent_load(self, pid):
        raise UnsafeBlob("refused: the blob holds a persistent reference")


def loads(blob: bytes):
    """The models a blob holds; UnsafeBlob (an UnpicklingError) when it names anything else."""
    return _ModelsOnly(io.BytesIO(blob)).load()


def dumps(facts) -> bytes | None:
    """The facts as bytes, or None when they nest too deep to serialise (a type nested hundreds of
    levels): such a file is not cached, and the loader parses it again in its own process."""
    try:
        return pickle.dumps(facts, protocol=PROTOCOL)
    except RecursionError:
        return None



def pack_body(body):
    """A function body's IR as bytes, read back by `unpack_body` when an analysis walks it: a
    large program's bodies take a tenth of the memory packed, and most are never walked (RTA
    reaches about half the functions of the packages it reads). RecursionError when too deep."""
    return None if body is None else pickle.dumps(body, protocol=PROTOCOL)


def unpack_body(body):
    """The IR of a body `pack_body` packed (as `loads` reads a blob: our models only); anything
    else (None, an IR built in this process) as it is."""
    return loads(body) if isinstance(body, bytes) else body
