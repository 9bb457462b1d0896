"""Stage 2, validate: check each file against its kind's model, then the handbook as a whole.

Per file: the kind, the schema (types, required and unknown fields, slugs, dates; worded
by `messages`) and raw HTML in text. Across files: ids and former ids (aliases) are unique,
and every reference resolves to an entry of the right kind. Every problem is collected
with its position; nothing here raises for bad content.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from . import layout
from .kinds import Kinds, built_in_kinds
from .load import Loc, SourceFile
from .messages import describe, schema_problem, suggest
from .model import Linkable, Playbook, RefsMarker, entry_type, refs_marker
from .problems import Problem
from .safety import unsafe_markup

RESERVED_IDS = {"index"}
RESERVED_PAGE_ID = re.compile(rf"{re.escape(layout.PART_STEM)}\d+")  # a large section's part pages


def reserved(playbook_id: str) -> bool:
    """Whether a playbook (or a former playbook id) cannot have this id: its URL is the site's."""
    return playbook_id in RESERVED_IDS or RESERVED_PAGE_ID.fullmatch(playbook_id) is not None


@dataclass(frozen=True)
class ValidPlaybook:
    source: SourceFile
    model: Playbook


@dataclass(frozen=True)
class EntryInfo:
    """A linkable entry: where it is defined and what to call it."""

    id: str
    label: str
    entry: Linkable
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
    aliases: dict[str, str] = field(default_factory=dict)  # former id → current id
    # Every playbook file was read and validated, and no id is defined twice: what the site
    # would publish is known, so published URLs can be checked even while references are broken.
    complete: bool = True
    kinds: Kinds = field(default_factory=built_in_kinds)  # the built-in kinds and the handbook's own
    # Who reads this handbook. The partner handbook is a view of the whole one (audience.view):
    # `withheld` holds the ids and former ids it leaves out, each with what a `[[default]]`
    # naming it shows instead (the value of a withheld default; None for other entries).
    audience: str = "internal"
    withheld: dict[str, str | None] = field(default_factory=dict)
    # Ids that files which could not be read or validated seem to define: a reference to one
    # is not reported, since that file is the one root cause.
    unavailable: frozenset[str] = frozenset()

    def kinds_used(self) -> list[type[Playbook]]:
        """The kinds that have playbooks, in navigation order."""
        used = {pb.model.kind for pb in self.playbooks}
        return [cls for name, cls in self.kinds.items() if name in used]

    def resolve(self, entry_id: str) -> EntryInfo | None:
        """The entry an id or a former id (alias) names today."""
        return self.entries.get(self.aliases.get(entry_id, entry_id))


# --- per file --------------------------------------------------------------------------


def _unsafe_fields(source: SourceFile, data: Any, loc: Loc) -> Iterator[Problem]:
    """YAML values are data, never markup: refuse anything that would become raw HTML."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _unsafe_fields(source, value, (*loc, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _unsafe_fields(source, value, (*loc, i))
    elif isinstance(data, str) and (reason := unsafe_markup(data)):
        yield source.problem(loc, reason)


def validate_file(source: SourceFile, kinds: Kinds) -> tuple[Playbook | None, list[Problem]]:
    data = source.data
    kind = data.get("kind")
    if "kind" not in data:
        return None, [source.problem((), f"missing required field 'kind' (one of: {', '.join(kinds)})")]
    if not isinstance(kind, str) or kind not in kinds:
        hint = suggest(kind, kinds) if isinstance(kind, str) else ""
        return None, [
            source.problem(("kind",), f"unknown kind {describe(kind)}{hint}; use one of: {', '.join(kinds)}")
        ]
    cls = kinds[kind]
    problems = list(_unsafe_fields(source, data, ())) if source.may_hold_markup else []
    try:
        model = cls.model_validate(data)
    except ValidationError as exc:
        if late := source.find_positions():  # e.g. nesting too deep: the real cause
            return None, problems + late
        found = (schema_problem(source, cls, err) for err in exc.errors(include_url=False))
        return None, problems + [p for p in found if p is not None]
    return (None if problems else model), problems


def _validated_once(
    source: SourceFile, kinds: Kinds
) -> tuple[Playbook | None, list[Problem], list[tuple[Linkable, Loc] | Reference]]:
    """`validate_file`, with the entries and references of the playbook: worked out once per
    loaded file and kind (a live preview validates only the files a save changed)."""
    kind = source.data.get("kind")
    cls = kinds.get(kind) if isinstance(kind, str) else None

    def work() -> tuple[Playbook | None, list[Problem], list[tuple[Linkable, Loc] | Reference]]:
        model, problems = validate_file(source, kinds)
        return model, problems, list(walk(model, (), model.id)) if model is not None else []

    # A declared kind is a new class after each reading; without a kind, the hint lists them all.
    model, problems, walked = source.worked_out("validated", cls if cls is not None else kinds, work)
    return model, list(problems), walked


# --- across files ----------------------------------------------------------------------


def walk(model: BaseModel, loc: Loc, owner: str) -> Iterator[tuple[Linkable, Loc] | Reference]:
    if isinstance(model, Linkable) and model.id:
        yield model, loc
        owner = model.id
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        marker = refs_marker(info)
        if marker is not None and isinstance(value, str):  # a field naming one entry
            yield Reference(owner, name, value, (*loc, name), marker)
        elif marker is not None:
            for i, target in enumerate(value or ()):
                yield Reference(owner, name, target, (*loc, name, i), marker)
        elif isinstance(value, BaseModel):
            yield from walk(value, (*loc, name), owner)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from walk(item, (*loc, name, i), owner)


_ID_LINE = re.compile(r"""^[ \t-]*["']?id["']?[ \t]*:[ \t]*["']?([a-z0-9][a-z0-9-]*)""", re.MULTILINE)
_ALIASES = re.compile(r"""^[ \t-]*["']?aliases["']?[ \t]*:(.*(?:\n[ \t]*-[ \t]*[^\n:]*$)*)""", re.MULTILINE)
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")


def ids_in_unreadable_text(text: str) -> set[str]:
    """The ids (and former ids) a file that could not be parsed appears to define, read from
    its lines: its `id:` values and the items under `aliases:`."""
    ids = set(_ID_LINE.findall(text))
    for block in _ALIASES.findall(text):
        ids.update(_SLUG.findall(block))
    return ids


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


def _place(entry: EntryInfo, *loc: str | int) -> str:
    where = entry.source.problem((*entry.loc, *loc), "")
    return f"{where.path}:{where.line}:{where.col}"


def _collect_aliases(entries: dict[str, EntryInfo]) -> tuple[dict[str, str], list[Problem]]:
    """Former ids, each naming exactly one current entry and never clashing with an id."""
    aliases: dict[str, str] = {}
    where: dict[str, str] = {}
    problems: list[Problem] = []
    for entry in entries.values():
        for i, alias in enumerate(entry.entry.aliases):
            problem_at = (*entry.loc, "aliases", i)
            if alias in entries:
                message = f"alias '{alias}' is the id of an entry at {_place(entries[alias], 'id')}"
            elif alias in aliases:
                message = f"alias '{alias}' is already a former id of '{aliases[alias]}' ({where[alias]})"
            elif reserved(alias):
                message = f"alias '{alias}' is reserved; choose another"
            else:
                aliases[alias] = entry.id
                where[alias] = _place(entry, "aliases", i)
                continue
            problems.append(entry.source.problem(problem_at, message))
    return aliases, problems


def _wrong_target(ref: Reference, target: EntryInfo) -> str | None:
    """Why a resolved reference points at the wrong kind of entry, or None if it fits."""
    allowed = ref.marker.targets
    if allowed is None or entry_type(type(target.entry)) in allowed:
        return None
    noun = _entry_noun(target.entry)
    return f"'{ref.target}' in '{ref.field}' must be the id of {ref.marker.noun}, but it is {noun}"


_NOUNS = {
    "citation": "a work on the references page",
    "kpi": "a KPI",
    "faq-group": "a FAQ group",
    "question": "a FAQ question",
    "culture-item": "a culture entry",
}


def _entry_noun(entry: Linkable) -> str:
    if isinstance(entry, Playbook):
        return f"the {entry.kind} playbook '{entry.id}'"
    name = entry_type(type(entry))
    if name in _NOUNS:
        return _NOUNS[name]
    words = name.replace("-", " ")
    return f"{'an' if words[0] in 'aeiou' else 'a'} {words}"


def validate_handbook(
    sources: list[SourceFile],
    unreadable_ids: frozenset[str] = frozenset(),
    kinds: Kinds | None = None,
    broken_kinds: frozenset[str] = frozenset(),
) -> tuple[Handbook, list[Problem]]:
    """Validate every file, then the links between them. `unreadable_ids` are ids that files
    which could not be read probably define: references to them are not reported, since the
    unreadable file is the one root cause. So is a broken declaration for the files of
    `broken_kinds`: they are set aside like invalid files, without problems of their own."""
    problems: list[Problem] = []
    valid: list[ValidPlaybook] = []
    walks: list[list[tuple[Linkable, Loc] | Reference]] = []  # each valid playbook's entries and references
    known_elsewhere: set[str] = set(unreadable_ids)
    kinds = built_in_kinds() if kinds is None else kinds
    for source in sources:
        if isinstance(kind := source.data.get("kind"), str) and kind in broken_kinds:
            known_elsewhere.update(_ids_in_raw_data(source.data))
            continue
        model, found, walked = _validated_once(source, kinds)
        problems.extend(found)
        if model is None:
            known_elsewhere.update(_ids_in_raw_data(source.data))
        else:
            valid.append(ValidPlaybook(source, model))
            walks.append(walked)

    entries: dict[str, EntryInfo] = {}
    duplicates: dict[str, list[EntryInfo]] = {}
    references: list[tuple[SourceFile, Reference]] = []
    complete = len(valid) == len(sources)
    for pb, walked in zip(valid, walks, strict=True):
        for item in walked:
            if isinstance(item, Reference):
                references.append((pb.source, item))
                continue
            linkable, loc = item
            assert linkable.id is not None
            entry = EntryInfo(linkable.id, linkable.label, linkable, pb.model, pb.source, loc)
            if linkable is pb.model and reserved(entry.id):
                problems.append(
                    pb.source.problem((*loc, "id"), f"id '{entry.id}' is reserved; choose another")
                )
            elif entry.id in entries:
                complete = False
                duplicates.setdefault(entry.id, [entries[entry.id]]).append(entry)
            else:
                entries[entry.id] = entry

    for entry_id, places in duplicates.items():  # at every place: any one may be the new one
        for entry in places:
            others = " and ".join(_place(other, "id") for other in places if other is not entry)
            problems.append(
                entry.source.problem((*entry.loc, "id"), f"duplicate id '{entry_id}': also at {others}")
            )

    aliases, alias_problems = _collect_aliases(entries)
    problems.extend(alias_problems)

    backlinks: dict[str, list[str]] = {}
    hints: dict[str, str] = {}  # unknown id → its "did you mean"
    for source, ref in references:
        if ref.target in aliases:
            problems.append(
                source.problem(
                    ref.loc,
                    f"'{ref.target}' in '{ref.field}' is a former id of '{aliases[ref.target]}'; "
                    f"link to '{aliases[ref.target]}'",
                )
            )
        elif ref.target in entries and (wrong := _wrong_target(ref, entries[ref.target])):
            problems.append(source.problem(ref.loc, wrong))
        elif ref.target in entries:
            if ref.marker.backlinks:
                owners = backlinks.setdefault(ref.target, [])
                if ref.owner not in owners and ref.owner != ref.target:
                    owners.append(ref.owner)
        elif ref.target not in known_elsewhere:
            if ref.target not in hints:  # a missing id is usually referenced many times
                hints[ref.target] = suggest(ref.target, entries)
            hint = hints[ref.target]
            problem = source.problem(ref.loc, f"unknown id '{ref.target}' in '{ref.field}'{hint}")
            problems.append(dataclasses.replace(problem, about=("unknown", ref.target)))
    unavailable = frozenset(known_elsewhere)
    return Handbook(valid, entries, backlinks, aliases, complete, kinds, unavailable=unavailable), problems
