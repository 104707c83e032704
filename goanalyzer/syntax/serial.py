"""Facts as bytes and back, for the cache and for the workers' hand-over.

A blob read back may come from a cache file somebody else wrote (a shared `--cache-dir`, a CI
cache), so reading one builds only our own models: the unpickler resolves no name but the model
classes of `goanalyzer.model` and `goanalyzer.syntax.ir`, whose constructors only store their
fields. A planted blob that names anything else (`os.system`, `builtins.eval`) is refused, and the
file is parsed again instead.
"""

from __future__ import annotations

import enum
import io
import pickle

from goanalyzer import model
from goanalyzer.syntax import ir

__all__ = ["UnsafeBlob", "dumps", "loads"]

PROTOCOL = pickle.HIGHEST_PROTOCOL


class UnsafeBlob(pickle.UnpicklingError):
    """A blob naming something other than our models."""


def _model_classes() -> dict[tuple[str, str], type]:
    allowed = {}
    for module in (model, ir):
        for name, value in vars(module).items():
            if isinstance(value, type) and value.__module__ == module.__name__ and \
                    (hasattr(value, "__dataclass_fields__") or issubclass(value, enum.Enum)):
                allowed[(module.__name__, name)] = value
    return allowed


ALLOWED = _model_classes()


class _ModelsOnly(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> type:
        try:
            return ALLOWED[(module, name)]
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

