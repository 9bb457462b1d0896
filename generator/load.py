"""Stage 1, load: read playbook files and turn YAML into plain data with source positions.

YAML is composed into nodes (never constructed into arbitrary objects), then converted
by hand so that every key and value keeps its line and column, duplicate keys are caught,
and tags other than YAML's plain types are refused rather than executed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from .problems import Problem

T = TypeVar("T")

Loc = tuple[str | int, ...]


def text_values(data: Any, loc: Loc = (), skip: frozenset[str] = frozenset()) -> Iterator[tuple[Loc, str]]:
    """Every string in a file's data with where it is, leaving out the keys in `skip`."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key not in skip:
                yield from text_values(value, (*loc, key), skip)
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from text_values(value, (*loc, i), skip)
    elif isinstance(data, str):
        yield loc, data


try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader

YAML_SUFFIXES = (".yaml", ".yml")
MAX_DEPTH = 64
MARKUP_MARKS = ("<", "&", "{", "](", "]:")  # without these, no text field can hold markup
FAST_BRACKET_LIMIT = 5000  # libyaml's composer recurses; past this, read with the event loader
MAX_FILE_BYTES = 5 * 2**20  # far above any real playbook; bounds time and memory per file
_STR = "tag:yaml.org,2002:str"
_NO_ALIASES = "YAML anchors and aliases are not supported; write the value out"
_NOTHING = object()  # no document at all (an empty file)
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
    text: str | None = None  # kept when positions are to be found later, only if needed
    may_hold_markup: bool = True  # False when the text has no '<', '&', '{' or link syntax at all
    # What later stages work out from this file (`worked_out`), by name, with what it was based on.
    memo: dict[str, tuple[object, Any]] = field(default_factory=dict, repr=False, compare=False)

    def worked_out(self, name: str, basis: object, work: Callable[[], T]) -> T:
        """`work()`, done once for this file while `basis` (whatever else it depends on) is the
        same object. It lasts as long as this object: a live preview's load cache keeps it while
        the file is unchanged, so a save costs only the files it changed."""
        kept = self.memo.get(name)
        if kept is None or kept[0] is not basis:
            kept = self.memo[name] = (basis, work())
        result: T = kept[1]
        return result

    def find_positions(self) -> list[Problem]:
        """For a file read by the fast path: read it again carefully, once, to learn where each
        key and value is. Returns what only the careful reading reports (nesting too deep)."""
        if self.text is None:
            return []
        builder = _Builder(self)
        for event in yaml.parse(self.text, Loader=_Loader):
            builder.event(event)
            if builder.stop:
                break
        self.text = None
        return builder.problems

    def problem(self, loc: Loc, message: str, *, at_key: bool = False) -> Problem:
        """A problem located at the value (or key) of `loc`, or the nearest enclosing place."""
        self.find_positions()
        table = self.keys if at_key else self.values
        probe = loc
        while probe and probe not in table:
            probe = probe[:-1]
            table = self.values
        pos = table.get(probe) or self.values.get((), Position(1, 1))
        return Problem(self.display, pos.line, pos.col, message)


class _Skip:
    """A discarded subtree (a bad key, a tagged or too deep value): its events are consumed."""

    def __init__(self) -> None:
        self.open = 1


@dataclass
class _Collection:
    value: dict[str, Any] | list[Any]
    loc: Loc | None  # None: the collection is kept only to be discarded
    depth: int
    key: str | None = None  # mappings: the key whose value comes next
    key_state: str = "key"  # "key": expecting a key; "value": a good key; "drop": a bad key
    first_line: dict[str, int] = field(default_factory=dict)


class _Builder:
    """Turns the parser's event stream into plain data, iteratively: no recursion, so even a
    file nested a million levels deep is read in bounded stack and reported, not crashed on."""

    def __init__(self, source: SourceFile):
        self.source = source
        self.problems: list[Problem] = []
        self.constructor = SafeConstructor()
        self.resolver = Resolver()
        self.stack: list[_Collection | _Skip] = []
        self.root: Any = _NOTHING
        self.root_mark: Any = None
        self.stop = False
        self.aliases = 0

    def fail(self, mark: Any, message: str, loc: Loc | None = None) -> None:
        if loc is not None:
            self.source.broken.add(loc)
        self.problems.append(_problem_at(self.source.display, mark, message))

    def _position(self, mark: Any) -> Position:
        return Position(mark.line + 1, mark.column + 1)

    def _tag(self, event: Any, kind: type[Node]) -> str:
        tag = event.tag
        if tag is None or tag == "!":
            value = event.value if isinstance(event, ScalarEvent) else None
            tag = self.resolver.resolve(kind, value, event.implicit)  # type: ignore[no-untyped-call]
        return str(tag)

    def _slot(self, event: Any) -> tuple[bool, Loc | None, int]:
        """Where the node that starts with `event` goes: (is it a key?, its loc, its depth)."""
        if not self.stack:
            return False, (), 0
        parent = self.stack[-1]
        assert isinstance(parent, _Collection)
        if isinstance(parent.value, list):
            loc = None if parent.loc is None else (*parent.loc, len(parent.value))
            return False, loc, parent.depth + 1
        if parent.key_state == "key":
            return True, None, parent.depth + 1
        if parent.key_state == "value" and parent.loc is not None and parent.key is not None:
            return False, (*parent.loc, parent.key), parent.depth + 1
        return False, None, parent.depth + 1

    def _store(self, value: Any, loc: Loc | None) -> None:
        if not self.stack:
            self.root = value
            return
        parent = self.stack[-1]
        assert isinstance(parent, _Collection)
        if isinstance(parent.value, list):
            parent.value.append(value)
        else:
            if loc is not None and parent.key is not None:
                parent.value[parent.key] = value
            parent.key, parent.key_state = None, "key"

    def _key(self, event: Any) -> None:
        parent = self.stack[-1]
        assert isinstance(parent, _Collection) and isinstance(parent.value, dict)
        parent.key_state = "drop"
        if isinstance(event, ScalarEvent) and event.value == "<<" and event.implicit[0]:
            self.fail(event.start_mark, "YAML merge keys ('<<') are not supported; write the fields out")
            return
        if not isinstance(event, ScalarEvent) or self._tag(event, ScalarNode) != _STR:
            self.fail(event.start_mark, "keys must be plain text (put the key in quotes)")
            if isinstance(event, (MappingStartEvent, SequenceStartEvent)):
                self.stack.append(_Skip())
            return
        key = event.value
        line = event.start_mark.line + 1 if event.start_mark else 1
        if key in parent.first_line:
            first = parent.first_line[key]
            self.fail(event.start_mark, f"duplicate key '{key}' (first defined at line {first})")
        else:
            parent.first_line[key] = line
            parent.key, parent.key_state = key, "value"
            if parent.loc is not None:
                self.source.keys[(*parent.loc, key)] = self._position(event.start_mark)

    def event(self, event: Any) -> None:
        top = self.stack[-1] if self.stack else None
        if isinstance(top, _Skip):
            if isinstance(event, (MappingStartEvent, SequenceStartEvent)):
                top.open += 1
            elif isinstance(event, (MappingEndEvent, SequenceEndEvent)):
                top.open -= 1
                if top.open == 0:
                    self.stack.pop()
                    self._store(None, None)
            return
        if isinstance(event, (MappingEndEvent, SequenceEndEvent)):
            done = self.stack.pop()
            assert isinstance(done, _Collection)
            self._store(done.value if done.loc is not None else None, done.loc)
            return
        if not isinstance(event, (ScalarEvent, AliasEvent, MappingStartEvent, SequenceStartEvent)):
            return
        is_key, loc, depth = self._slot(event)
        if is_key:
            self._key(event)
            return
        if self.root_mark is None and not self.stack:
            self.root_mark = event.start_mark
        if loc is not None:
            self.source.values[loc] = self._position(event.start_mark)
        if isinstance(event, AliasEvent):
            self.aliases += 1
            if self.aliases == 1:  # one report per file: an alias bomb must not flood the output
                self.fail(event.start_mark, _NO_ALIASES, loc)
            elif loc is not None:
                self.source.broken.add(loc)
            self._store(None, None)
            return
        collection = isinstance(event, (MappingStartEvent, SequenceStartEvent))
        kind: type[Node] = (
            MappingNode
            if isinstance(event, MappingStartEvent)
            else (SequenceNode if collection else ScalarNode)
        )
        tag = self._tag(event, kind)
        problem = None
        if tag not in _PLAIN_TAGS:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            problem = f"YAML tag '{shown}' is not allowed; playbooks hold plain data"
        elif collection and depth > MAX_DEPTH:
            problem = f"nesting is deeper than {MAX_DEPTH} levels; the rest of the file was not read"
            self.stop = True  # the parser slows down sharply on deep nesting: stop reading here
        if problem is not None:
            self.fail(event.start_mark, problem, loc)
            if collection:
                self.stack.append(_Skip())
            else:
                self._store(None, None)
            return
        if isinstance(event, MappingStartEvent):
            self.stack.append(_Collection({}, loc, depth))
        elif isinstance(event, SequenceStartEvent):
            self.stack.append(_Collection([], loc, depth))
        else:
            self._store(self._scalar(event, tag, loc), loc)

    def _scalar(self, event: ScalarEvent, tag: str, loc: Loc | None) -> Any:
        node = ScalarNode(tag, event.value, None, None, event.style)  # marks are not needed to construct
        try:
            return self.constructor.construct_object(node)
        except (ConstructorError, ValueError, OverflowError) as exc:
            if tag.endswith(":timestamp"):
                self.fail(event.start_mark, f"invalid date '{event.value}': {exc}", loc)
            else:
                self.fail(event.start_mark, f"invalid value '{event.value}': {exc}", loc)
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


class _NotPlain(Exception):
    """The fast loader met something only the careful loader reports well."""


def _refuse(node: Node) -> Any:
    raise _NotPlain(f"tag {node.tag}")


class _FastConstructor(SafeConstructor):
    """Plain data only: refuses aliases, duplicate and non-text keys, merge keys and tags."""

    yaml_constructors = {  # noqa: RUF012 - the class attribute PyYAML looks up
        tag: constructor
        for tag, constructor in SafeConstructor.yaml_constructors.items()
        if tag in _PLAIN_TAGS
    }
    yaml_constructors[None] = lambda self, node: _refuse(node)  # any other tag: not plain data

    def flatten_mapping(self, node: MappingNode) -> None:
        if any(key.tag != _STR for key, _ in node.value):
            raise _NotPlain("merge key or a key that is not text")

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        if len(mapping) != len(node.value):
            raise _NotPlain("duplicate key")
        return mapping


class _FastLoader(_Loader, _FastConstructor):  # type: ignore[misc]
    pass


class _FastAliasCheckingLoader(_FastLoader):
    """For text with an '&' (a possible anchor): a node built twice was reached by an alias."""

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        if node in self.constructed_objects:
            raise _NotPlain("alias")
        return super().construct_object(node, deep=deep)


def _load_fast(text: str, path: Path, display: str) -> SourceFile | None:
    """libyaml's own speed for ordinary files; positions are found later, only for errors.

    Anything unusual (tags, aliases, duplicate keys, many brackets that could nest deeply)
    returns None so that the careful loader can report it with its position.
    """
    if text.count("[") + text.count("{") > FAST_BRACKET_LIMIT:
        return None
    try:
        loader = _FastAliasCheckingLoader if "&" in text else _FastLoader  # no anchor, no alias
        data = yaml.load(text, Loader=loader)  # a safe loader that knows even fewer tags
    except (yaml.YAMLError, _NotPlain, ValueError, OverflowError, RecursionError):
        return None
    if not isinstance(data, dict) or not data or _deeper_than(data, MAX_DEPTH):
        return None  # a deep file is the careful loader's to report, with where it goes too deep
    return SourceFile(path=path, display=display, data=data, text=text)


def _deeper_than(data: Any, limit: int) -> bool:
    """Whether plain data nests collections more than `limit` deep (without recursion: how
    deep a parser lets a file go differs between libyaml releases)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        children = value.values() if isinstance(value, dict) else value
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def load_text(text: str, path: Path, display: str) -> tuple[SourceFile | None, list[Problem]]:
    """Parse one YAML document into a SourceFile, or report why it cannot be read."""
    fast = _load_fast(text, path, display)
    if fast is not None:
        fast.may_hold_markup = any(mark in text for mark in MARKUP_MARKS)
        return fast, []
    try:
        return _load_careful(text, path, display, _Loader)
    except _TooDeepForLibyaml:  # libyaml stopped first, ahead of the events read: parse in Python
        return _load_careful(text, path, display, yaml.SafeLoader)


class _TooDeepForLibyaml(Exception):
    """libyaml (from PyYAML 6.0.4) refuses flow collections nested 1,000 deep while it scans
    ahead of the events the builder has read; the builder's own, lower limit should say so."""


def _load_careful(
    text: str, path: Path, display: str, loader: type
) -> tuple[SourceFile | None, list[Problem]]:
    source = SourceFile(path=path, display=display, data={})
    builder = _Builder(source)
    first_document = None
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, DocumentStartEvent):
                if first_document is not None:
                    where = f"line {first_document.line + 1}:{first_document.column + 1}"
                    problem = f"found another document (expected a single document in the stream at {where})"
                    return None, [_problem_at(display, event.start_mark, f"YAML syntax error: {problem}")]
                first_document = event.start_mark
            builder.event(event)
            if builder.stop:
                return None, builder.problems
    except yaml.MarkedYAMLError as exc:
        if "maximum nesting depth" in str(exc.problem) and loader is not yaml.SafeLoader:
            raise _TooDeepForLibyaml from None
        return None, [_syntax_problem(exc, text, display)]
    except yaml.YAMLError as exc:
        return None, [Problem(display, 1, 1, f"YAML syntax error: {exc}")]
    if builder.root is _NOTHING:
        return None, [Problem(display, 1, 1, "file is empty; a playbook is a mapping of fields")]
    if not isinstance(builder.root, dict):
        message = "the top level of a playbook must be a mapping of fields"
        return None, [_problem_at(display, builder.root_mark, message)]
    source.data = builder.root
    return source, builder.problems


def _problem_at(display: str, mark: Any, message: str) -> Problem:
    """A problem at a parser mark (0-based), or at 1:1 when there is none."""
    if mark is None:
        return Problem(display, 1, 1, message)
    return Problem(display, mark.line + 1, mark.column + 1, message)


def load_file(path: Path, display: str) -> tuple[SourceFile | None, list[Problem]]:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            limit = MAX_FILE_BYTES // 2**20
            message = f"file is {size / 2**20:.1f} MB; a playbook may be at most {limit} MB: split it up"
            return None, [Problem(display, 1, 1, message)]
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


LoadCache = dict[Path, tuple[tuple[int, int], SourceFile]]


def load_all(
    paths: list[Path], root: Path, cache: LoadCache | None = None
) -> tuple[list[SourceFile], list[Problem]]:
    """Load every file. With a `cache` (kept by a live preview across rebuilds), a file whose
    size and modification time are unchanged since it last loaded cleanly is not read again."""
    sources: list[SourceFile] = []
    problems: list[Problem] = []
    for path in paths:
        display = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        stamp = _stamp(path) if cache is not None else None
        if cache is not None and path in cache and cache[path][0] == stamp:
            sources.append(cache[path][1])
            continue
        source, found = load_file(path, display)
        problems.extend(found)
        if source is not None:
            sources.append(source)
            if cache is not None and stamp is not None and not found:
                cache[path] = (stamp, source)
    return sources, problems


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size
