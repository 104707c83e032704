"""Reading a Corefile from a file that is either a raw Corefile or a Kubernetes ConfigMap
(data.Corefile, as YAML or as the JSON of `kubectl get -o json`), and writing a changed Corefile
back into ConfigMap form.

For a ConfigMap whose Corefile is a literal block (`Corefile: |`), line numbers point into the
YAML file and the rewrite touches only the block's lines, so the rest of the YAML stays as it was.
A raw Corefile may hold bytes that are not UTF-8 (CoreDNS reads bytes; a GBK or Latin-1 comment
is fine): they are kept as surrogate escapes. A ConfigMap must be UTF-8 (the API server stores
text), so such bytes there are an input error at their line.
"""

from __future__ import annotations

import enum
import json
import re
from dataclasses import dataclass

import yaml

from goanalyzer.ops.common import OpsInputError
from goanalyzer.ops.inputs import GuardedSafeLoader, check_json_nesting, read_input

_YAML_HINT = re.compile(r"^(apiVersion|kind|data|metadata)\s*:", re.MULTILINE)


class SourceKind(str, enum.Enum):
    COREFILE = "corefile"
    CONFIGMAP = "configmap"


@dataclass(slots=True)
class Source:
    """Where a Corefile came from and how to map its lines back to the file."""

    path: str
    kind: SourceKind
    corefile: str  # the Corefile text exactly as stored
    first_line: int = 1  # file line of the Corefile's first line
    file_text: str = ""  # the whole file (the YAML for a ConfigMap)
    block_start: int = 0  # 0-based file line where the literal block's content starts
    block_end: int = 0  # 0-based file line just after it
    block_indent: int = 0  # spaces of indentation of the literal block
    literal: bool = False
    non_utf8_line: int | None = None  # first line with bytes that are not UTF-8 (kept as they are)

    @property
    def warning(self) -> str | None:
        """What to say on stderr when the model shows kept bytes as \\xNN escapes."""
        if self.non_utf8_line is None:
            return None
        return (f"warning: {self.path}:{self.non_utf8_line}: bytes that are not UTF-8 (kept as they are; "
                "shown as \\xNN escapes)")


def load_source(path: str) -> Source:
    """Read `path` (`-` for stdin) as a ConfigMap when it looks like Kubernetes YAML or JSON, else
    as a raw Corefile."""
    read = read_input(path)
    text = read.text
    is_json = text.lstrip("\ufeff \t\r\n").startswith("{")  # a Corefile cannot start with '{'
    if not is_json and not _YAML_HINT.search(text):
        return Source(path=read.path, kind=SourceKind.COREFILE, corefile=text, file_text=text,
                      non_utf8_line=read.non_utf8_line)
    if read.non_utf8_line is not None:
        raise OpsInputError("bytes that are not UTF-8 in a ConfigMap (Kubernetes stores ConfigMap data "
                            "as UTF-8 text; kubectl refuses this file too)", path=read.path, line=read.non_utf8_line)
    return _from_json(read.path, text) if is_json else _from_configmap(read.path, text)


def _from_json(path: str, text: str) -> Source:
    """A ConfigMap (or a List of them) saved with `kubectl get -o json`; Corefile lines count from 1.
    Text that is not JSON may still be a YAML flow mapping (`{apiVersion: v1, ...}`)."""
    check_json_nesting(text, path)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        try:
            return _from_configmap(path, text)
        except OpsInputError:
            raise OpsInputError(f"not valid JSON: {error.msg}", path=path, line=error.lineno) from None
    except RecursionError:
        raise OpsInputError("JSON nested too deeply", path=path) from None
    candidates = [document]
    if isinstance(document, dict) and isinstance(document.get("items"), list):
        candidates += document["items"]
    for candidate in candidates:
        data = candidate.get("data") if isinstance(candidate, dict) else None
        if isinstance(data, dict) and isinstance(data.get("Corefile"), str):
            return Source(path=path, kind=SourceKind.CONFIGMAP, corefile=data["Corefile"], first_line=1,
                          file_text=text)
    raise OpsInputError("JSON without a ConfigMap data.Corefile key", path=path, line=1)


def _from_configmap(path: str, text: str) -> Source:
    try:
        loader = GuardedSafeLoader(text)
    except yaml.reader.ReaderError as error:  # control characters are refused before any parsing
        line = text.count("\n", 0, error.position) + 1
        raise OpsInputError(f"not valid YAML: character {error.character:#06x} is not allowed", path=path,
                            line=line) from None
    loader.source_path = path
    try:
        documents = []
        while loader.check_node():
            documents.append(loader.get_node())
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        raise OpsInputError(f"not valid YAML: {error.problem or error}", path=path, line=line) from error
    except yaml.YAMLError as error:
        raise OpsInputError(f"not valid YAML: {error}", path=path) from error
    finally:
        loader.dispose()
    for document in documents:
        node = _corefile_node(document)
        if node is None:
            continue
        value = node.value
        if node.style == "|":
            start = node.start_mark.line + 1
            end = node.end_mark.line
            indent = _indent_of(text, start, end)
            return Source(
                path=path, kind=SourceKind.CONFIGMAP, corefile=value, first_line=start + 1, file_text=text,
                block_start=start, block_end=end, block_indent=indent, literal=True,
            )
        return Source(path=path, kind=SourceKind.CONFIGMAP, corefile=value, first_line=1, file_text=text)
    raise OpsInputError("YAML without a ConfigMap data.Corefile key", path=path, line=1)


def _corefile_node(document: yaml.Node | None) -> yaml.ScalarNode | None:
    """The data.Corefile scalar of a ConfigMap document (also inside a `kind: List`)."""
    if not isinstance(document, yaml.MappingNode):
        return None
    fields = {k.value: v for k, v in document.value if isinstance(k, yaml.ScalarNode)}
    items = fields.get("items")
    if isinstance(items, yaml.SequenceNode):
        for item in items.value:
            found = _corefile_node(item)
            if found is not None:
                return found
    data = fields.get("data")
    if not isinstance(data, yaml.MappingNode):
        return None
    for key, value in data.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "Corefile" and isinstance(value, yaml.ScalarNode):
            return value
    return None


def _indent_of(text: str, start: int, end: int) -> int:
    for line in text.split("\n")[start:end]:
        if line.strip():
            return len(line) - len(line.lstrip(" "))
    return 4


def render_configmap(source: Source, corefile: str) -> str:
    """A ConfigMap carrying `corefile`: the input YAML with only the Corefile block replaced when
    possible, otherwise a fresh kube-system/coredns ConfigMap."""
    if source.kind is SourceKind.CONFIGMAP and source.literal:
        lines = source.file_text.split("\n")
        pad = " " * source.block_indent
        block = [pad + line if line else "" for line in corefile.rstrip("\n").split("\n")]
        spliced = "\n".join(lines[: source.block_start] + block + lines[source.block_end :])
        if _reads_back(spliced, corefile):
            return spliced
    if source.kind is SourceKind.CONFIGMAP:
        documents = list(yaml.safe_load_all(source.file_text))
        for document in documents:
            if isinstance(document, dict) and isinstance(document.get("data"), dict) and "Corefile" in document["data"]:
                document["data"]["Corefile"] = corefile
                return yaml.safe_dump(document, sort_keys=False, default_flow_style=False)
    return fresh_configmap(corefile)


def fresh_configmap(corefile: str) -> str:
    """The kube-system/coredns ConfigMap kubeadm creates, with `corefile` as its data."""
    body = "\n".join("    " + line if line else "" for line in corefile.rstrip("\n").split("\n"))
    text = (
        "apiVersion: v1\n"
        "kind: ConfigMap\n"
        "metadata:\n"
        "  name: coredns\n"
        "  namespace: kube-system\n"
        "data:\n"
        "  Corefile: |\n"
        f"{body}\n"
    )
    if _reads_back(text, corefile):
        return text
    return yaml.safe_dump(
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "coredns", "namespace": "kube-system"},
         "data": {"Corefile": corefile}},
        sort_keys=False,
    )


def _reads_back(text: str, corefile: str) -> bool:
    try:
        for document in yaml.safe_load_all(text):
            if isinstance(document, dict) and isinstance(document.get("data"), dict):
                if document["data"].get("Corefile") == corefile:
                    return True
    except yaml.YAMLError:
        return False
    return False
