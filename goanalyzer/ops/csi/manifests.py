"""Multi-document Kubernetes YAML with a line number for every key and list item.

PyYAML's composer gives nodes with marks; we build plain Python values from them and keep
a map from key path to line so findings can point at the exact line. `kind: List` documents
are expanded into their items. Duplicate keys are recorded (the API server rejects them)
rather than silently keeping the last one as PyYAML would.

Hostile input stays bounded: nesting deeper than `MAX_NESTING` (also through an alias that
contains itself) and alias expansion past `MAX_VALUES` values are input errors with FILE:LINE.
Bytes that are not UTF-8 are refused at their line, as kubectl refuses them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from goanalyzer.ops.common import OpsInputError
from goanalyzer.ops.inputs import MAX_NESTING, GuardedSafeLoader, nesting_guard, read_input

KeyPath = tuple[str | int, ...]

MAX_VALUES = 1_000_000
"""Most values (mappings, lists, scalars) built from one file: YAML aliases can repeat a subtree
without bound (a "billion laughs" file), real manifests hold thousands."""


@dataclass(slots=True)
class Manifest:
    """One Kubernetes object from a file, with the lines of its keys."""

    path: str
    document: int
    line: int
    data: dict[str, Any]
    lines: dict[KeyPath, int]
    duplicates: list[tuple[KeyPath, int]] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return str(self.data.get("kind") or "")

    @property
    def name(self) -> str:
        meta = self.data.get("metadata")
        return str(meta.get("name") or "") if isinstance(meta, dict) else ""

    @property
    def namespace(self) -> str | None:
        meta = self.data.get("metadata")
        value = meta.get("namespace") if isinstance(meta, dict) else None
        return None if value is None else str(value)

    def get(self, *path: str | int) -> Any:
        value: Any = self.data
        for key in path:
            if isinstance(value, dict) and key in value:
                value = value[key]
            elif isinstance(value, list) and isinstance(key, int) and 0 <= key < len(value):
                value = value[key]
            else:
                return None
        return value

    def line_of(self, *path: str | int) -> int:
        """The line of the deepest existing key on `path` (the object's first line at worst)."""
        for end in range(len(path), 0, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return self.line


class _Builder:
    """Turns composed nodes into values, recording lines and duplicate keys."""

    def __init__(self, loader: GuardedSafeLoader, path: str):
        self.loader = loader
        self.path = path
        self.lines: dict[KeyPath, int] = {}
        self.duplicates: list[tuple[KeyPath, int]] = []
        self.values = 0

    def build(self, node: yaml.Node, path: KeyPath) -> Any:
        self.values += 1
        if self.values > MAX_VALUES:
            raise OpsInputError(f"more than {MAX_VALUES} values after expanding YAML aliases; refusing to read it",
                                path=self.path, line=node.start_mark.line + 1)
        if len(path) > MAX_NESTING:
            nesting_guard(len(path), path=self.path, line=node.start_mark.line + 1, what="YAML nodes")
        if isinstance(node, yaml.MappingNode):
            self.loader.flatten_mapping(node)
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = self.loader.construct_object(key_node, deep=True)
                key = key if isinstance(key, str) else str(key)
                line = key_node.start_mark.line + 1
                if key in result:
                    self.duplicates.append((path + (key,), line))
                self.lines[path + (key,)] = line
                result[key] = self.build(value_node, path + (key,))
            return result
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.lines[path + (index,)] = item.start_mark.line + 1
                items.append(self.build(item, path + (index,)))
            return items
        return self.loader.construct_object(node, deep=True)


def _sub(lines: dict[KeyPath, int], prefix: KeyPath) -> dict[KeyPath, int]:
    size = len(prefix)
    return {key[size:]: line for key, line in lines.items() if key[:size] == prefix and len(key) > size}


def parse_manifests(text: str, path: str) -> list[Manifest]:
    """All objects in a multi-document YAML text; raises OpsInputError with the line on bad YAML."""
    try:
        loader = GuardedSafeLoader(text)
    except yaml.reader.ReaderError as error:  # control characters are refused before any parsing
        line = text.count("\n", 0, error.position) + 1
        raise OpsInputError(f"invalid YAML: character {error.character:#06x} is not allowed", path=path,
                            line=line) from None
    loader.source_path = path
    result: list[Manifest] = []
    try:
        document = 0
        while loader.check_node():
            node = loader.get_node()
            document += 1
            if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"):
                continue
            line = node.start_mark.line + 1
            if not isinstance(node, yaml.MappingNode):
                raise OpsInputError(f"document {document} is not a mapping (a Kubernetes object)", path=path,
                                    line=line)
            builder = _Builder(loader, path)
            data = builder.build(node, ())
            if not data.get("kind"):
                raise OpsInputError(f"document {document} has no kind", path=path, line=line)
            if data.get("kind") == "List" and isinstance(data.get("items"), list):
                for index, item in enumerate(data["items"]):
                    prefix: KeyPath = ("items", index)
                    if not isinstance(item, dict) or not item.get("kind"):
                        raise OpsInputError(f"item {index} of the List has no kind", path=path,
                                            line=builder.lines.get(prefix, line))
                    result.append(Manifest(path, document, builder.lines.get(prefix, line), item,
                                           _sub(builder.lines, prefix),
                                           [(k[2:], n) for k, n in builder.duplicates if k[:2] == prefix]))
                continue
            result.append(Manifest(path, document, line, data, builder.lines, builder.duplicates))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = error.problem or error.context or "invalid YAML"
        raise OpsInputError(f"invalid YAML: {problem}", path=path, line=line) from None
    except yaml.YAMLError as error:
        raise OpsInputError(f"invalid YAML: {error}", path=path) from None
    finally:
        loader.dispose()
    return result


def load_manifests(path: Path | str) -> list[Manifest]:
    """The objects of one file (`-` is standard input)."""
    read = read_input(str(path))
    if read.non_utf8_line is not None:
        raise OpsInputError("bytes that are not UTF-8 (Kubernetes YAML is UTF-8 text; kubectl refuses this "
                            "file too)", path=read.path, line=read.non_utf8_line)
    return parse_manifests(read.text, read.path)
