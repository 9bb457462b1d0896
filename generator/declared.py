"""Kinds a handbook declares itself: `kinds/NAME.yaml` (its fields) and `kinds/NAME.md.j2` (its page).

A declaration is data, read like a playbook (every problem with `file:line:col`), and becomes
a pydantic model as strict as a built-in kind's, so that everything downstream (validation,
schemas, `handbook new`, navigation, review dates, search, links.json) treats both alike.
See "How to add a kind" in CONTRIBUTING.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, StringConstraints, ValidationError

from .kinds import Kinds, built_in_kinds, entry_types, ordered
from .load import SourceFile, load_file
from .messages import schema_problem, suggest
from .model import (
    SLUG_PATTERN,
    URL_PATTERN,
    Entry,
    IsoDate,
    KindSpec,
    Markdown,
    Playbook,
    RefsMarker,
    Slug,
    Strict,
    Text,
)
from .problems import Problem

KINDS_DIR = "kinds"
FieldName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
FieldType = Literal["text", "markdown", "integer", "date", "url", "choice", "texts", "refs", "entries"]
# Fields every playbook or entry has already; a declaration cannot redefine them.
PLAYBOOK_FIELDS = frozenset(Playbook.model_fields)
ENTRY_FIELDS = frozenset(Entry.model_fields)
RESERVED_FOLDERS = frozenset({"go", "assets", "search", "tags", "templates"})  # MkDocs skips templates/


class FieldDeclaration(Strict):
    """One field of a declared kind or of its entries."""

    type: FieldType = Field(
        description="text (one line), markdown, integer, date, url, choice (one of `choices`), texts "
        "(a list of lines), refs (ids of other entries) or entries (a list of linkable entries)."
    )
    required: bool = Field(default=False, description="A playbook must fill it in (a list: at least one).")
    title: Text | None = Field(default=None, description="The heading of this section on the page.")
    description: Text | None = Field(default=None, description="What to write here: editors show it.")
    choices: list[Text] | None = Field(default=None, description="type: choice: the values allowed.")
    targets: list[Slug] | None = Field(
        default=None,
        description="type: refs: the entry types the ids may name: a kind (checklist), an entry type "
        "(role, practice, anti-pattern) or the `entry` of a declared kind. Without it, any entry.",
    )
    entry: Slug | None = Field(
        default=None, description="type: entries: the name of one entry (step), used by `refs` targets."
    )
    label: FieldName | None = Field(
        default=None, description="type: entries: the text field links and headings show (default: title)."
    )
    fields: dict[FieldName, FieldDeclaration] | None = Field(
        default=None, description="type: entries: the fields of each entry (each also has id, see, aliases)."
    )


class KindDeclaration(Strict):
    """kinds/NAME.yaml: a kind of playbook this handbook adds to the built-in ones."""

    title: Text = Field(description="Its navigation section and index page title (plural: Runbooks).")
    singular: Text = Field(description="What one playbook of this kind is called (runbook).")
    intro: Text = Field(description="The first paragraph of its section's index page.")
    folder: Slug | None = Field(default=None, description="URL segment of its pages; defaults to its name.")
    review_every_months: Annotated[int, Field(ge=1, le=36)] = Field(
        default=6, description="How often its playbooks are reviewed, unless one sets its own cadence."
    )
    position: Annotated[int, Field(ge=1)] = Field(
        default=100, description="Its place among the navigation sections (built-in kinds: 10 to 90)."
    )
    fields: dict[FieldName, FieldDeclaration] = Field(
        min_length=1,
        description="Its fields besides those every playbook has (id, title, summary, owner...).",
    )


@dataclass
class DeclaredKinds:
    """What `kinds/` holds: the kinds it adds, and the names of those whose declaration is broken
    (their playbooks are not reported as of an unknown kind: the declaration is the root cause)."""

    kinds: Kinds
    broken: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)


def read_kinds(root: Path) -> DeclaredKinds:
    """The built-in kinds plus every kind declared in `root/kinds/`."""
    folder = root / KINDS_DIR
    result = DeclaredKinds(dict(built_in_kinds()))
    if not folder.is_dir():
        return result
    declared: list[type[Playbook]] = []
    for path in sorted(folder.glob("*.yaml")):
        name, display = path.stem, path.relative_to(root).as_posix()
        cls, problems = _read_one(path, display, name, result, declared)
        result.problems += problems
        if cls is None:
            result.broken.add(name)
        else:
            declared.append(cls)
    for path in sorted(folder.glob("*.j2")):
        stem = path.name.removesuffix(".j2").removesuffix(".md")
        if not (folder / f"{stem}.yaml").is_file():
            message = f"a template without a declaration: write {KINDS_DIR}/{stem}.yaml"
            result.problems.append(Problem(path.relative_to(root).as_posix(), 1, 1, message))
    result.kinds = ordered([*built_in_kinds().values(), *declared])
    return result


def _read_one(
    path: Path, display: str, name: str, known: DeclaredKinds, declared: list[type[Playbook]]
) -> tuple[type[Playbook] | None, list[Problem]]:
    source, problems = load_file(path, display)
    if source is None:
        return None, problems
    try:
        decl = KindDeclaration.model_validate(source.data)
    except ValidationError as exc:
        found = (schema_problem(source, KindDeclaration, err) for err in exc.errors(include_url=False))
        return None, [p for p in found if p is not None]
    problems = list(_naming_problems(source, name, decl, [*known.kinds.values(), *declared]))
    taken = entry_types({**known.kinds, **{c.spec.name: c for c in declared}}) | {name}
    own = {str(entries.entry) for _, entries in _entries_fields(decl.fields)}
    for entry in sorted(own & taken):
        problems.append(
            source.problem((), f"entry type '{entry}' is already defined by another kind; rename it")
        )
    targets = taken | own | known.broken
    problems += _field_problems(source, decl.fields, ("fields",), targets, PLAYBOOK_FIELDS)
    template = path.with_suffix(".md.j2")
    if not template.is_file():
        problems.append(
            source.problem((), f'no template: write {KINDS_DIR}/{template.name} (see "How to add a kind")')
        )
    if problems:
        return None, problems
    return _playbook_class(name, decl, display), []


def _naming_problems(
    source: SourceFile, name: str, decl: KindDeclaration, others: list[type[Playbook]]
) -> list[Problem]:
    if not re.fullmatch(SLUG_PATTERN, name):
        return [source.problem((), f"'{name}' is not a kind name: name the file with a lowercase slug")]
    if name in built_in_kinds():
        return [source.problem((), f"'{name}' is a built-in kind: name yours differently")]
    folder = decl.folder or name
    problems = []
    for other in others:
        if other.spec.folder == folder:
            loc = ("folder",) if decl.folder else ()
            problems.append(
                source.problem(loc, f"folder '{folder}' is already that of the {other.spec.name} kind")
            )
    if folder in RESERVED_FOLDERS:
        problems.append(source.problem(("folder",) if decl.folder else (), f"folder '{folder}' is reserved"))
    return problems


def _entries_fields(fields: dict[str, FieldDeclaration]) -> Iterator[tuple[str, FieldDeclaration]]:
    """Every field of type `entries` with its `entry` name, nested ones included."""
    for name, decl in fields.items():
        if decl.type == "entries" and decl.entry:
            yield name, decl
            yield from _entries_fields(decl.fields or {})


_OPTIONS = {
    "choices": "choice",
    "targets": "refs",
    "entry": "entries",
    "label": "entries",
    "fields": "entries",
}


def _field_problems(
    source: SourceFile,
    fields: dict[str, FieldDeclaration],
    loc: tuple[str | int, ...],
    targets: set[str],
    reserved: frozenset[str],
) -> list[Problem]:
    problems = []
    for name, decl in fields.items():
        at = (*loc, name)
        if name in reserved:
            problems.append(source.problem(at, f"'{name}' is a field every entry has already", at_key=True))
        for option, wanted in _OPTIONS.items():
            if getattr(decl, option) is not None and decl.type != wanted:
                problems.append(
                    source.problem(
                        (*at, option), f"'{option}' is for type: {wanted}, not type: {decl.type}", at_key=True
                    )
                )
        if decl.type == "choice" and not decl.choices:
            problems.append(
                source.problem((*at, "type"), "type: choice needs `choices:`, the values allowed")
            )
        for i, target in enumerate(decl.targets or []):
            if target not in targets:
                problems.append(
                    source.problem(
                        (*at, "targets", i),
                        f"unknown entry type '{target}'{suggest(target, targets)}; "
                        "use a kind, an entry type or a declared `entry`",
                    )
                )
        if decl.type == "entries":
            problems += _entries_problems(source, decl, at, targets)
    return problems


def _entries_problems(
    source: SourceFile, decl: FieldDeclaration, at: tuple[str | int, ...], targets: set[str]
) -> list[Problem]:
    problems = []
    if decl.entry is None:
        problems.append(source.problem((*at, "type"), "type: entries needs `entry:`, the name of one entry"))
    if not decl.fields:
        problems.append(source.problem((*at, "type"), "type: entries needs `fields:`, those of one entry"))
        return problems
    label = decl.label or "title"
    label_decl = decl.fields.get(label)
    if label_decl is None or label_decl.type != "text" or not label_decl.required:
        loc = (*at, "label") if decl.label else (*at, "fields")
        problems.append(
            source.problem(
                loc, f"the label '{label}' must be a required text field of the entry", at_key=True
            )
        )
    problems += _field_problems(source, decl.fields, (*at, "fields"), targets, ENTRY_FIELDS)
    return problems


# --- from a declaration to a model ----------------------------------------------------------


Url = Annotated[str, StringConstraints(pattern=URL_PATTERN)]
_SIMPLE: dict[str, Any] = {"text": Text, "markdown": Markdown, "integer": int, "date": IsoDate, "url": Url}


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.replace("_", "-").split("-"))


def _annotation(name: str, decl: FieldDeclaration) -> Any:
    if decl.type in _SIMPLE:
        return _SIMPLE[decl.type]
    if decl.type == "choice":
        return Literal[tuple(decl.choices or ())]
    if decl.type == "texts":
        return list[Text]
    if decl.type == "refs":
        targets = tuple(decl.targets) if decl.targets else None
        noun = " or ".join(f"{'an' if t[0] in 'aeiou' else 'a'} {t.replace('-', ' ')}" for t in targets or ())
        return Annotated[list[Slug], RefsMarker(targets, noun or "entry")]
    assert decl.type == "entries" and decl.entry and decl.fields is not None
    return list[_entry_class(decl.entry, decl.label or "title", decl.fields)]  # type: ignore[misc]


def _field_definitions(fields: dict[str, FieldDeclaration]) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__annotations__": {}}
    for name, decl in fields.items():
        annotation = _annotation(name, decl)
        is_list = decl.type in ("texts", "refs", "entries")
        extra: dict[str, Any] = {"title": decl.title, "description": decl.description}
        if is_list:
            default: Any = ... if decl.required else []
            if decl.required:
                extra["min_length"] = 1
        else:
            default = ... if decl.required else None
            if not decl.required:
                annotation = annotation | None
        namespace["__annotations__"][name] = annotation
        namespace[name] = Field(default, **{k: v for k, v in extra.items() if v is not None})
    return namespace


def _entry_class(entry: str, label: str, fields: dict[str, FieldDeclaration]) -> type[Entry]:
    namespace = _field_definitions(fields)
    namespace["__annotations__"]["label_field"] = ClassVar[str]
    namespace["__annotations__"]["type_name"] = ClassVar[str]
    namespace |= {"label_field": label, "type_name": entry, "__module__": __name__}
    return type(_camel(entry), (Entry,), namespace)


def _playbook_class(name: str, decl: KindDeclaration, display: str) -> type[Playbook]:
    namespace = _field_definitions(decl.fields)
    namespace["__annotations__"]["kind"] = Literal[name]
    namespace["__doc__"] = f"A {decl.singular} ({display})."
    namespace["__module__"] = __name__
    namespace["__annotations__"]["spec"] = ClassVar[KindSpec]
    namespace["spec"] = KindSpec(
        name=name,
        folder=decl.folder or name,
        title=decl.title,
        singular=decl.singular,
        intro=decl.intro,
        review_months=decl.review_every_months,
        position=decl.position,
        entry_nouns={field: str(entries.entry) for field, entries in _entries_fields(decl.fields)},
        declared_in=display,
    )
    cls = type(_camel(name), (Playbook,), namespace)
    assert issubclass(cls, Playbook)
    return cls
