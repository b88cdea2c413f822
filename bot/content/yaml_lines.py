"""YAML loading that remembers where each value stood, so problems can be reported as path:line."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml


class LineDict(dict[Any, Any]):
    """A mapping from YAML that knows the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[Any, int]


class LineList(list[Any]):
    """A sequence from YAML that knows the line of each item (1-based)."""

    line: int = 0
    item_lines: list[int]


# libyaml's parser when PyYAML was built with it (it is in the usual wheels): several times
# faster than the pure-Python one, and it keeps the same line marks.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise yaml.MarkedYAMLError(
                problem=f"duplicate key {key!r}", problem_mark=key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


class YamlSyntaxError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def load_yaml(path: Path) -> Any:
    """Parse one YAML file into LineDict / LineList values; raise YamlSyntaxError with its line."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:  # at the line of the bad byte, not line 1
        line = raw[: exc.start].count(b"\n") + 1
        return _raise(line, f"not UTF-8: byte 0x{raw[exc.start]:02x} (save the file as UTF-8)")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return _raise(line, "a NUL byte: is this a text file?")
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        return _raise(line, exc.problem or str(exc))
    except yaml.YAMLError as exc:
        return _raise(1, str(exc))


def _raise(line: int, message: str) -> Any:
    raise YamlSyntaxError(line, message)


def line_of(data: Any, loc: Sequence[int | str]) -> int:
    """The line of the deepest value along `loc` that the YAML recorded (1 when nothing is known)."""
    line = getattr(data, "line", 1) or 1
    node = data
    for part in loc:
        if isinstance(node, LineDict) and part in node:
            line = node.key_lines.get(part, line)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            break
    return line
