"""Stage 1, load: read playbook files and turn YAML into plain data with source positions.

YAML is composed into nodes (never constructed into arbitrary objects), then converted
by hand so that every key and value keeps its line and column, duplicate keys are caught,
and tags other than YAML's plain types are refused rather than executed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .problems import Problem

Loc = tuple[str | int, ...]

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader

YAML_SUFFIXES = (".yaml", ".yml")
MAX_DEPTH = 64
_PLAIN_TAGS = {
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
}


@dataclass(frozen=True)
class Position:
    line: int
    col: int


@dataclass
class SourceFile:
    """One playbook file: its data, and where each key and value stands in the text."""

    path: Path
    display: str
    data: dict[str, Any]
    values: dict[Loc, Position] = field(default_factory=dict)
    keys: dict[Loc, Position] = field(default_factory=dict)
    broken: set[Loc] = field(default_factory=set)  # values already reported while loading

    def problem(self, loc: Loc, message: str, *, at_key: bool = False) -> Problem:
        """A problem located at the value (or key) of `loc`, or the nearest enclosing place."""
        table = self.keys if at_key else self.values
        probe = loc
        while probe and probe not in table:
            probe = probe[:-1]
            table = self.values
        pos = table.get(probe) or self.values.get((), Position(1, 1))
        return Problem(self.display, pos.line, pos.col, message)


class _Converter:
    def __init__(self, source: SourceFile):
        self.source = source
        self.problems: list[Problem] = []
        self.constructor = SafeConstructor()
        self.seen: set[int] = set()

    def fail(self, node: Node, message: str, loc: Loc | None = None) -> None:
        if loc is not None:
            self.source.broken.add(loc)
        mark = node.start_mark
        self.problems.append(Problem(self.source.display, mark.line + 1, mark.column + 1, message))

    def convert(self, node: Node, loc: Loc, depth: int = 0) -> Any:
        self.source.values[loc] = Position(node.start_mark.line + 1, node.start_mark.column + 1)
        if id(node) in self.seen:
            self.fail(node, "YAML anchors and aliases are not supported; write the value out", loc)
            return None
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            self.fail(node, f"nesting is deeper than {MAX_DEPTH} levels", loc)
            return None
        if node.tag not in _PLAIN_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self.fail(node, f"YAML tag '{tag}' is not allowed; playbooks hold plain data", loc)
            return None
        if isinstance(node, MappingNode):
            return self.mapping(node, loc, depth)
        if isinstance(node, SequenceNode):
            return [self.convert(item, (*loc, i), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        return self.scalar(node, loc)

    def mapping(self, node: MappingNode, loc: Loc, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                self.fail(key_node, "keys must be plain text (put the key in quotes)")
                continue
            key = key_node.value
            if key == "<<":
                self.fail(key_node, "YAML merge keys ('<<') are not supported")
                continue
            if key in result:
                self.fail(key_node, f"duplicate key '{key}' (first defined at line {first_line[key]})")
                continue
            first_line[key] = key_node.start_mark.line + 1
            mark = key_node.start_mark
            self.source.keys[(*loc, key)] = Position(mark.line + 1, mark.column + 1)
            result[key] = self.convert(value_node, (*loc, key), depth + 1)
        return result

    def scalar(self, node: ScalarNode, loc: Loc) -> Any:
        try:
            return self.constructor.construct_object(node)
        except (ConstructorError, ValueError, OverflowError) as exc:
            if node.tag.endswith(":timestamp"):
                self.fail(node, f"invalid date '{node.value}': {exc}", loc)
            else:
                self.fail(node, f"invalid value '{node.value}': {exc}", loc)
            return None


def _decode(raw: bytes, display: str) -> tuple[str | None, Problem | None]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        return None, Problem(display, line, col, "file is not valid UTF-8 text")
    return text.removeprefix("\ufeff"), None


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, display: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    message = (exc.problem or "invalid YAML").removeprefix("but ")
    cm = exc.context_mark
    if exc.context and cm and mark and (cm.line, cm.column) != (mark.line, mark.column):
        where = f"line {cm.line + 1}:{cm.column + 1}"
        message += f" ({exc.context} at {where})"
    lines = text.splitlines()
    if 0 < line <= len(lines) and "\t" in lines[line - 1][: col + 1]:
        message += "; use spaces, not tabs, to indent YAML"
    return Problem(display, line, col, f"YAML syntax error: {message}")


def load_text(text: str, path: Path, display: str) -> tuple[SourceFile | None, list[Problem]]:
    """Parse one YAML document into a SourceFile, or report why it cannot be read."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, text, display)]
    except yaml.YAMLError as exc:
        return None, [Problem(display, 1, 1, f"YAML syntax error: {exc}")]
    except RecursionError:
        return None, [Problem(display, 1, 1, "YAML nesting is too deep to read")]
    if root is None:
        return None, [Problem(display, 1, 1, "file is empty; a playbook is a mapping of fields")]
    source = SourceFile(path=path, display=display, data={})
    converter = _Converter(source)
    if not isinstance(root, MappingNode):
        converter.fail(root, "the top level of a playbook must be a mapping of fields")
        return None, converter.problems
    source.data = converter.convert(root, ())
    return source, converter.problems


def load_file(path: Path, display: str) -> tuple[SourceFile | None, list[Problem]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(display, 1, 1, f"cannot read file: {exc.strerror}")]
    text, problem = _decode(raw, display)
    if text is None:
        return None, [problem] if problem else []
    return load_text(text, path, display)


def find_playbooks(playbooks_dir: Path) -> list[Path]:
    """Every YAML file below the playbooks folder, in a stable order."""
    if not playbooks_dir.is_dir():
        return []
    return sorted(p for p in playbooks_dir.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file())


def load_all(paths: list[Path], root: Path) -> tuple[list[SourceFile], list[Problem]]:
    sources: list[SourceFile] = []
    problems: list[Problem] = []
    for path in paths:
        display = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        source, found = load_file(path, display)
        problems.extend(found)
        if source is not None:
            sources.append(source)
    return sources, problems
