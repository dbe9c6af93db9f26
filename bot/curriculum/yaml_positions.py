"""Parse YAML into plain data while remembering where every key and value sits in the file.

PyYAML's ``compose`` gives a node tree with marks; we build the Python data from it ourselves so that we
can record each node's position under its JSON path (``("steps", 3, "quiz", "options", 1, "text")``) and
report duplicate keys, which PyYAML would silently let the last one win.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.curriculum.problems import Problem

JsonPath = tuple[str | int, ...]
_YAML_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # the breaks YAML counts lines by
Position = tuple[int, int]  # 1-based (line, column)


@dataclass(frozen=True, slots=True)
class SourceMap:
    """Where each value (and each mapping key) of one YAML document starts."""

    path: str
    values: dict[JsonPath, Position] = field(default_factory=dict)
    keys: dict[JsonPath, Position] = field(default_factory=dict)
    blocks: dict[JsonPath, Position] = field(default_factory=dict)  # where a `|` block's text starts

    def text_position(self, path: JsonPath, line: int, col: int) -> Position:
        """Return where ``line``:``col`` (1-based line, 0-based column) of the text at ``path`` sits.

        Exact for literal (``|``) blocks; other scalars fold or escape their text, so the value's own
        position is the best we can say.
        """
        start = self.blocks.get(path)
        if start is None:
            return self.value_at(path)
        return (start[0] + line - 1, start[1] + col)

    def value_at(self, path: JsonPath) -> Position:
        """Return the position of the value at ``path``, or of its nearest located ancestor."""
        for end in range(len(path), -1, -1):
            found = self.values.get(path[:end])
            if found is not None:
                return found
        return (1, 1)

    def key_at(self, path: JsonPath) -> Position:
        """Return the position of the key naming ``path``, falling back to its value or an ancestor."""
        return self.keys.get(path) or self.value_at(path)

    def problem(self, path: JsonPath, message: str, *, at_key: bool = False) -> Problem:
        """Return a problem located at the value (or key) of ``path``."""
        line, col = self.key_at(path) if at_key else self.value_at(path)
        return Problem(self.path, line, col, message)


@dataclass(frozen=True, slots=True)
class Parsed:
    """The plain data of one document, its source map and the problems met while reading it."""

    data: Any
    source: SourceMap
    problems: list[Problem]


def _position(node: Node) -> Position:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _syntax_message(error: yaml.MarkedYAMLError) -> str:
    problem = error.problem or "the file is not valid YAML"
    if "'\\t'" in problem:
        return "tab character: YAML indentation must use spaces, not tabs"
    message = f"invalid YAML: {problem}"
    if error.context and error.context_mark is not None:
        message += f" ({error.context} at line {error.context_mark.line + 1})"
    elif error.context:
        message += f" ({error.context})"
    if error.context and "flow" in error.context:
        # PyYAML ends unquoted text inside { } or [ ] at these characters, a common surprise.
        message += "; inside { } or [ ], quote text that contains , ? : [ ] { } or #"
    elif any(marker in problem for marker in _INDENTATION_MARKERS):
        message += f"; {INDENTATION_HINT}"
    elif "mapping values are not allowed" in problem:
        message += f"; quote text that contains ': ', or {INDENTATION_HINT[0].lower()}{INDENTATION_HINT[1:]}"
    return message


INDENTATION_HINT = (
    "check the indentation of this line and the one above: the keys of one mapping, and the '- ' items "
    "of one list, start in the same column, and what belongs to a key is indented further than the key"
)
# What PyYAML says when a line is indented more or less than its neighbours allow.
_INDENTATION_MARKERS = (
    "expected <block end>",
    "did not find expected key",
    "did not find expected '-' indicator",
    "could not find expected ':'",
)


class _Builder:
    """Build plain data from a composed node tree, recording positions and duplicate keys."""

    def __init__(self, loader: yaml.SafeLoader, source: SourceMap, lines: list[str]) -> None:
        self.loader = loader
        self.source = source
        self.lines = lines
        self.problems: list[Problem] = []

    def build(self, node: Node, path: JsonPath) -> Any:
        self.source.values.setdefault(path, _position(node))
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
        if isinstance(node, ScalarNode) and node.style == "|":
            self._block_start(node, path)
        return self.loader.construct_object(node, deep=True)

    def _block_start(self, node: ScalarNode, path: JsonPath) -> None:
        """Record where a literal block's text starts: the line after its header, at its indentation."""
        header = self.lines[node.start_mark.line][node.start_mark.column :]
        if any(ch.isdigit() for ch in header.split("#")[0]):
            return  # an explicit indentation indicator: rare, and not worth reproducing YAML's rule
        first = node.start_mark.line + 1
        for text in self.lines[first : node.end_mark.line + 1]:
            if text.strip():
                indent = len(text) - len(text.lstrip(" "))
                self.source.blocks[path] = (first + 1, indent + 1)
                return

    def _mapping(self, node: MappingNode, path: JsonPath) -> dict[str, Any]:
        self.loader.flatten_mapping(node)  # resolves YAML merge keys (<<) the way SafeLoader does
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                line, col = _position(key_node)
                self.problems.append(Problem(self.source.path, line, col, "a key must be plain text"))
                continue
            # Keys stay the text as written: YAML 1.1 would turn keys like `no` or `1` into bool/int.
            key = str(key_node.value)
            key_path = (*path, key)
            if key in result:
                first_line, _ = self.source.keys[key_path]
                line, col = _position(key_node)
                self.problems.append(
                    Problem(
                        self.source.path,
                        line,
                        col,
                        f"duplicate key '{key}' (first at line {first_line}); keep only one",
                    )
                )
                continue
            self.source.keys[key_path] = _position(key_node)
            result[key] = self.build(value_node, key_path)
        return result


def parse_yaml(text: str, path: str) -> Parsed:
    """Parse one YAML document, returning its data (None if unreadable or empty) and every problem."""
    source = SourceMap(path)
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Parsed(None, source, [])
        builder = _Builder(loader, source, _YAML_LINE_BREAK.split(text))
        data = builder.build(node, ())
        return Parsed(data, source, builder.problems)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        return Parsed(None, source, [Problem(path, line, col, _syntax_message(error))])
    except yaml.YAMLError as error:
        return Parsed(None, source, [Problem(path, None, None, f"invalid YAML: {error}")])
    finally:
        loader.dispose()
