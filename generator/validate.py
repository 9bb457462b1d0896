"""Stage 2, validate: check each file against its kind's model, then the handbook as a whole.

Per file: the kind, the schema (types, required and unknown fields, slugs, dates) and
raw HTML in text. Across files: ids are unique and every reference resolves. Every
problem is collected with its position; nothing here raises for bad content.
"""

from __future__ import annotations

import difflib
import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from pydantic import BaseModel, ValidationError

from .load import Loc, SourceFile
from .model import KINDS, URL_PATTERN, ChecklistItem, Entry, Playbook, RefsMarker, unwrap_type
from .problems import Problem

RESERVED_IDS = {"index"}


class _AllLinksMarkdown(MarkdownIt):
    """A parser that keeps every link target, so that unsafe ones can be judged here."""

    def validateLink(self, url: str) -> bool:
        return True


_markdown = _AllLinksMarkdown("commonmark")


@dataclass(frozen=True)
class ValidPlaybook:
    source: SourceFile
    model: Playbook


@dataclass(frozen=True)
class EntryInfo:
    """A linkable entry: where it is defined and what to call it."""

    id: str
    label: str
    entry: Entry | ChecklistItem
    playbook: Playbook
    source: SourceFile
    loc: Loc


@dataclass(frozen=True)
class Reference:
    owner: str  # id of the nearest entry that holds the reference
    field: str
    target: str
    loc: Loc
    marker: RefsMarker


@dataclass
class Handbook:
    playbooks: list[ValidPlaybook]
    entries: dict[str, EntryInfo]
    backlinks: dict[str, list[str]] = field(default_factory=dict)


def _suggest(word: str, choices: typing.Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


# --- per file --------------------------------------------------------------------------


def _model_at(cls: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    tp: Any = cls
    for step in loc:
        tp = unwrap_type(tp)
        if isinstance(step, int):
            args = typing.get_args(tp)
            tp = args[0] if args else None
        elif isinstance(tp, type) and issubclass(tp, BaseModel) and step in tp.model_fields:
            tp = tp.model_fields[step].annotation
        else:
            return None
    tp = unwrap_type(tp)
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        word = "true" if value else "false"
        return f"the boolean {word} (YAML reads yes/no/on/off as booleans: put the text in quotes)"
    if isinstance(value, (int, float)):
        return f"the number {value} (put it in quotes if it is text)"
    if value is None:
        return "nothing (the value is empty)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if hasattr(value, "isoformat"):
        return f"the date {value.isoformat()} (put it in quotes if it is text)"
    return f"'{value}'"


def _field_name(loc: Loc) -> str:
    names = [step for step in loc if isinstance(step, str)]
    name = names[-1] if names else "value"
    return f"each item of '{name}'" if loc and isinstance(loc[-1], int) else f"'{name}'"


def _schema_problem(source: SourceFile, cls: type[Playbook], error: Any) -> Problem | None:
    loc: Loc = tuple(error["loc"])
    if any(loc[: len(b)] == b for b in source.broken):
        return None  # already reported while loading
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    what = _field_name(loc)
    if kind == "missing":
        return source.problem(loc[:-1], f"missing required field '{loc[-1]}'")
    if kind == "extra_forbidden":
        parent = _model_at(cls, loc[:-1])
        hint = _suggest(str(loc[-1]), parent.model_fields) if parent else ""
        return source.problem(loc, f"unknown field '{loc[-1]}'{hint}", at_key=True)
    if kind == "string_type":
        message = f"{what} must be text, not {_describe(value)}"
    elif kind == "list_type":
        message = f"{what} must be a list, not {_describe(value)}"
    elif kind in ("model_type", "dict_type", "model_attributes_type"):
        message = f"{what} must be a mapping of fields, not {_describe(value)}"
    elif kind == "literal_error":
        message = f"{what} must be one of {ctx.get('expected')}, not {_describe(value)}"
    elif kind == "string_pattern_mismatch" and ctx.get("pattern") == URL_PATTERN:
        message = f"{what} must be an http:// or https:// address without spaces, not {_describe(value)}"
    elif kind == "string_pattern_mismatch":
        message = (
            f"'{value}' is not a valid id: use lowercase letters, digits and single hyphens,"
            " for example 'knowledge-transfer'"
        )
    elif kind == "int_type":
        message = f"{what} must be a whole number, not {_describe(value)}"
    elif kind == "greater_than_equal":
        message = f"{what} must be {ctx.get('ge')} or more, not {value}"
    elif kind == "string_too_long":
        message = f"{what} is longer than {ctx.get('max_length')} characters"
    elif kind == "string_too_short":
        message = f"{what} must not be empty"
    elif kind == "too_short":
        message = f"{what.removeprefix('each item of ')} needs at least {ctx.get('min_length')} item(s)"
    elif kind in ("date_type", "date_from_datetime_inexact", "date_from_datetime_parsing"):
        message = f"{what} must be a date written YYYY-MM-DD, not {_describe(value)}"
    elif kind == "value_error":
        message = f"{what}: {ctx.get('error')}"
    else:  # pragma: no cover - a pydantic error type this module does not word yet
        message = f"{what}: {error['msg']}"
    return source.problem(loc, message)


_UNSAFE_SCHEME = re.compile(r"(?i)\b(?:javascript|vbscript|data)\s*:")
_ATTRIBUTE_LIST = re.compile(r"\{:?[ \t]*(?:[#.][\w-]|[\w-]+=)")


def _unsafe_markup(text: str) -> str | None:
    """Why a text field would inject markup into the page, or None if it is plain Markdown."""
    if _ATTRIBUTE_LIST.search(text):
        return "attribute lists ('{: ...}', '{ #id }') are not allowed in playbook text"
    if "<" not in text and not _UNSAFE_SCHEME.search(text):
        return None
    for token in _markdown.parse(text):
        for tok in [token, *(token.children or [])]:
            if tok.type in ("html_inline", "html_block"):
                snippet = tok.content.strip().splitlines()[0][:40]
                return f"raw HTML is not allowed in playbooks ('{snippet}'); use Markdown"
            target = str(tok.attrs.get("href") or tok.attrs.get("src") or "")
            if _UNSAFE_SCHEME.match(target.strip()):
                return f"unsafe link target '{target[:40]}'; links must be http(s), mailto or relative"
    return None


def _unsafe_fields(source: SourceFile, data: Any, loc: Loc) -> Iterator[Problem]:
    """YAML values are data, never markup: refuse anything that would become raw HTML."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _unsafe_fields(source, value, (*loc, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _unsafe_fields(source, value, (*loc, i))
    elif isinstance(data, str) and (reason := _unsafe_markup(data)):
        yield source.problem(loc, reason)


def validate_file(source: SourceFile) -> tuple[Playbook | None, list[Problem]]:
    data = source.data
    kind = data.get("kind")
    if "kind" not in data:
        return None, [source.problem((), f"missing required field 'kind' (one of: {', '.join(KINDS)})")]
    if not isinstance(kind, str) or kind not in KINDS:
        hint = _suggest(kind, KINDS) if isinstance(kind, str) else ""
        return None, [
            source.problem(("kind",), f"unknown kind {_describe(kind)}{hint}; use one of: {', '.join(KINDS)}")
        ]
    cls = KINDS[kind]
    problems = list(_unsafe_fields(source, data, ()))
    try:
        model = cls.model_validate(data)
    except ValidationError as exc:
        found = (_schema_problem(source, cls, err) for err in exc.errors(include_url=False))
        return None, problems + [p for p in found if p is not None]
    return (None if problems else model), problems


# --- across files ----------------------------------------------------------------------


Linkable = Entry | ChecklistItem


def _walk(model: BaseModel, loc: Loc, owner: str) -> Iterator[tuple[Linkable, Loc] | Reference]:
    if isinstance(model, Linkable) and model.id:
        yield model, loc
        owner = model.id
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        marker = next((m for m in info.metadata if isinstance(m, RefsMarker)), None)
        if marker is not None:
            for i, target in enumerate(value):
                yield Reference(owner, name, target, (*loc, name, i), marker)
        elif isinstance(value, BaseModel):
            yield from _walk(value, (*loc, name), owner)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _walk(item, (*loc, name, i), owner)


def _ids_in_raw_data(data: Any) -> Iterator[str]:
    """Best-effort ids of a file that failed validation, so its references are not blamed."""
    if isinstance(data, dict):
        if isinstance(data.get("id"), str):
            yield data["id"]
        for value in data.values():
            yield from _ids_in_raw_data(value)
    elif isinstance(data, list):
        for value in data:
            yield from _ids_in_raw_data(value)


def _wrong_target(ref: Reference, target: EntryInfo) -> str | None:
    """Why a resolved reference points at the wrong kind of entry, or None if it fits."""
    allowed = ref.marker.targets
    if allowed is None or type(target.entry).__name__ in allowed:
        return None
    noun = _entry_noun(target.entry)
    return f"'{ref.target}' in '{ref.field}' must be the id of {ref.marker.noun}, but it is {noun}"


_NOUNS = {
    "Citation": "a work on the references page",
    "Kpi": "a KPI",
    "FaqGroup": "a FAQ group",
    "Question": "a FAQ question",
    "CultureItem": "a culture entry",
}


def _entry_noun(entry: Entry | ChecklistItem) -> str:
    if isinstance(entry, Playbook):
        return f"the {entry.kind} playbook '{entry.id}'"
    name = type(entry).__name__
    if name in _NOUNS:
        return _NOUNS[name]
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", name).lower()
    return f"{'an' if words[0] in 'aeiou' else 'a'} {words}"


def validate_handbook(sources: list[SourceFile]) -> tuple[Handbook, list[Problem]]:
    problems: list[Problem] = []
    valid: list[ValidPlaybook] = []
    known_elsewhere: set[str] = set()
    for source in sources:
        model, found = validate_file(source)
        problems.extend(found)
        if model is None:
            known_elsewhere.update(_ids_in_raw_data(source.data))
        else:
            valid.append(ValidPlaybook(source, model))

    entries: dict[str, EntryInfo] = {}
    references: list[tuple[SourceFile, Reference]] = []
    for pb in valid:
        for item in _walk(pb.model, (), pb.model.id):
            if isinstance(item, Reference):
                references.append((pb.source, item))
                continue
            linkable, loc = item
            assert linkable.id is not None
            entry = EntryInfo(linkable.id, linkable.label, linkable, pb.model, pb.source, loc)
            if entry.id in RESERVED_IDS and linkable is pb.model:
                problems.append(
                    pb.source.problem((*loc, "id"), f"id '{entry.id}' is reserved; choose another")
                )
            elif entry.id in entries:
                first = entries[entry.id]
                there = first.source.problem((*first.loc, "id"), "")
                problems.append(
                    pb.source.problem(
                        (*loc, "id"),
                        f"duplicate id '{entry.id}': already used at {there.path}:{there.line}:{there.col}",
                    )
                )
            else:
                entries[entry.id] = entry

    backlinks: dict[str, list[str]] = {}
    for source, ref in references:
        if ref.target in entries and (wrong := _wrong_target(ref, entries[ref.target])):
            problems.append(source.problem(ref.loc, wrong))
        elif ref.target in entries:
            owners = backlinks.setdefault(ref.target, [])
            if ref.owner not in owners and ref.owner != ref.target:
                owners.append(ref.owner)
        elif ref.target not in known_elsewhere:
            hint = _suggest(ref.target, entries)
            problems.append(source.problem(ref.loc, f"unknown id '{ref.target}' in '{ref.field}'{hint}"))
    return Handbook(valid, entries, backlinks), problems
