"""`coverage.yaml`: what a handbook promises to keep covering, as its own data.

An organisation writes down which entries its handbook must keep (by topic, and by each point
of the sources it was written from) and which optional fields every entry of a type must fill
in. `handbook check` reports, at the line of `coverage.yaml`, a required entry that is gone,
and, at the entry, one that leaves a required field empty; `handbook rename` keeps the ids in
it current; `handbook report coverage` prints the source-to-entry table. A handbook without
the file promises nothing: delete it, or edit it in the pull request that changes coverage.

    areas:                       # topic → entries the handbook must keep
      Lifecycle: [stage-choose, stage-start]
    sources:                     # source → each point it makes → the entries that carry it
      "Article: Choosing partners":
        Check references before signing: [vet-references]
    complete:                    # kind or entry type → optional fields each must fill in
      stage: [exit_criteria, checklists]
    iso_44001: true              # every ISO 44001 stage is covered by a lifecycle stage
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints, ValidationError

from .kinds import entry_classes
from .kinds.operating_model import ISO_44001_STAGES, OperatingModel
from .kinds.stage import LifecycleStage
from .load import Loc, SourceFile, load_file
from .messages import schema_problem, suggest
from .model import Slug, Strict, Text, entry_type
from .problems import Problem
from .validate import Handbook, walk

COVERAGE_FILE = "coverage.yaml"
FieldName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]


class CoverageFile(Strict):
    """coverage.yaml: what this handbook must keep covering (`handbook check` reads it)."""

    areas: dict[Text, list[Slug]] = Field(
        default={}, description="A topic → the ids of the entries that cover it and must stay."
    )
    sources: dict[Text, dict[Text, list[Slug]]] = Field(
        default={},
        description="A source the handbook draws on → each point it makes → the ids of the entries "
        "that carry it (`handbook report coverage` prints the table).",
    )
    complete: dict[Slug, list[FieldName]] = Field(
        default={},
        description="A kind (stage) or entry type (anti-pattern) → optional fields that every one "
        "of them must fill in, in this handbook.",
    )
    iso_44001: bool = Field(
        default=False, description="Every ISO 44001 stage is covered by a lifecycle stage's `iso_44001`."
    )


def read_coverage(root: Path) -> tuple[SourceFile | None, CoverageFile | None, list[Problem]]:
    path = root / COVERAGE_FILE
    if not path.is_file():
        return None, None, []
    source, problems = load_file(path, COVERAGE_FILE)
    if source is None:
        return None, None, problems
    try:
        return source, CoverageFile.model_validate(source.data), []
    except ValidationError as exc:
        found = (schema_problem(source, CoverageFile, err) for err in exc.errors(include_url=False))
        return source, None, [p for p in found if p is not None]


def required_ids(coverage: CoverageFile) -> Iterator[tuple[Loc, str, str]]:
    """(where in the file, the id, what it covers) for every id the file requires."""
    for area, ids in coverage.areas.items():
        for i, entry_id in enumerate(ids):
            yield ("areas", area, i), entry_id, area
    for name, points in coverage.sources.items():
        for point, ids in points.items():
            for i, entry_id in enumerate(ids):
                yield ("sources", name, point, i), entry_id, f"{name}: {point}"


def coverage_problems(root: Path, handbook: Handbook) -> list[Problem]:
    """Every promise of coverage.yaml the handbook breaks (none while a playbook is unreadable:
    its ids would look gone)."""
    source, coverage, problems = read_coverage(root)
    if source is None or coverage is None or not handbook.complete:
        return problems
    for loc, entry_id, covers in required_ids(coverage):
        if entry_id in handbook.aliases:
            now = handbook.aliases[entry_id]
            problems.append(source.problem(loc, f"'{entry_id}' is a former id of '{now}': write '{now}'"))
        elif entry_id not in handbook.entries:
            problems.append(
                source.problem(
                    loc,
                    f"required entry '{entry_id}' is gone{suggest(entry_id, handbook.entries)}: it covers "
                    f"'{covers}'; restore it, or change what this file requires",
                )
            )
    problems += _incomplete(source, coverage, handbook)
    if coverage.iso_44001:
        problems += _iso_gaps(source, handbook)
    return problems


def _models_by_type(handbook: Handbook) -> dict[str, list[tuple[BaseModel, SourceFile, Loc]]]:
    found: dict[str, list[tuple[BaseModel, SourceFile, Loc]]] = {}
    for pb in handbook.playbooks:
        for item in walk(pb.model, (), pb.model.id):
            if isinstance(item, tuple):
                model, loc = item
                found.setdefault(entry_type(type(model)), []).append((model, pb.source, loc))
    return found


def _incomplete(source: SourceFile, coverage: CoverageFile, handbook: Handbook) -> Iterator[Problem]:
    classes, models = entry_classes(handbook.kinds), _models_by_type(handbook)
    for type_name, fields in coverage.complete.items():
        cls = classes.get(type_name)
        if cls is None:
            message = f"unknown kind or entry type '{type_name}'{suggest(type_name, classes)}"
            yield source.problem(("complete", type_name), message, at_key=True)
            continue
        for i, name in enumerate(fields):
            if name not in cls.model_fields:
                yield source.problem(
                    ("complete", type_name, i),
                    f"a {type_name} has no field '{name}'{suggest(name, cls.model_fields)}",
                )
                continue
            for model, where, loc in models.get(type_name, []):
                if not getattr(model, name):
                    yield where.problem(
                        (*loc, "id"),
                        f"{type_name} '{getattr(model, 'id', '')}' has no `{name}:`, which "
                        f"{COVERAGE_FILE} asks of every {type_name}",
                    )


def _iso_gaps(source: SourceFile, handbook: Handbook) -> Iterator[Problem]:
    covered = {key for pb in handbook.playbooks for key in _iso_keys(pb.model)}
    gaps = [key for key in ISO_44001_STAGES if key not in covered]
    if gaps:
        named = " and ".join(f"'{ISO_44001_STAGES[key]}'" for key in gaps)
        keys = ", ".join(gaps)
        yield source.problem(
            ("iso_44001",), f"no lifecycle stage covers ISO 44001's {named} (`iso_44001: [{keys}]`)"
        )


def _iso_keys(model: BaseModel) -> list[str]:
    if isinstance(model, LifecycleStage):
        return list(model.iso_44001)
    if isinstance(model, OperatingModel):
        return [key for stage in model.stages for key in stage.iso_44001]
    return []


def coverage_table(root: Path, handbook: Handbook) -> str:
    """The sources of coverage.yaml, point by point, with the entries carrying each, linked by
    id: Markdown for a pull request or a hand-written page."""
    _, coverage, _ = read_coverage(root)
    lines = ["| Source | Point | Entries |", "| --- | --- | --- |"]
    for name, points in (coverage.sources if coverage else {}).items():
        for point, ids in points.items():
            cells = [
                f"[{_cell(handbook.entries[i].label)}][{i}]" if i in handbook.entries else f"`{i}`"
                for i in ids
            ]
            lines.append(f"| {_cell(name)} | {_cell(point)} | {', '.join(cells)} |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|").replace("[", "\\[").replace("]", "\\]")
