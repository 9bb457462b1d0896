"""What every playbook model is built from: field types, entries, the playbook base and the
declaration of a kind (`KindSpec`). Each kind's own classes live in `generator/kinds/`.

Field names are the YAML keys. Every class is strict (no type coercion: `no` is not a
title) and closed (an unknown key is an error). Descriptions become editor hover text
through the JSON Schemas that `handbook schema` writes.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
)

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SLUG_MAX_LENGTH = 64
URL_PATTERN = r"^https?://[^\s<>]+$"
PLAIN_VALUE_PATTERN = r"^[^\[\]\n<>*_`|\\]+$"  # words put into sentences as they are


class RefsMarker:
    """Marks a field whose values are ids of other entries (rendered as links).

    `targets` names the entry types the ids may point at (validated across files): a kind's
    name for its playbooks ("checklist"), an entry type for entries ("role"); None means any.
    """

    def __init__(self, targets: tuple[str, ...] | None = None, noun: str = "entry", backlinks: bool = True):
        self.targets = targets
        self.noun = noun
        self.backlinks = backlinks  # False: the target does not list this under "Referenced by"

    def __repr__(self) -> str:
        return f"REFS({', '.join(self.targets or ('any',))})"


REFS = RefsMarker()


def refs_marker(info: Any) -> RefsMarker | None:
    """The marker of a field whose values are ids of other entries; None for any other field
    (`info` is the field's pydantic FieldInfo)."""
    return next((m for m in info.metadata if isinstance(m, RefsMarker)), None)


def _iso_date(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"'{value}' is not a date; write it as YYYY-MM-DD") from None
    if isinstance(value, dt.datetime):
        raise ValueError("expected a date (YYYY-MM-DD), got a date and time")
    return value


Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN, max_length=SLUG_MAX_LENGTH),
    Field(description="A lowercase slug (a-z, 0-9, single hyphens), unique across the handbook."),
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Markdown = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1),
    Field(description="Markdown text. Raw HTML is not allowed."),
]
Refs = Annotated[
    list[Slug],
    REFS,
    Field(description="Ids of related entries anywhere in the handbook; rendered as links."),
]
AntiPatternRefs = Annotated[
    list[Slug],
    RefsMarker(("anti-pattern",), "an anti-pattern"),
    Field(description="Ids of anti-patterns that strike here."),
]
ChecklistRefs = Annotated[
    list[Slug],
    RefsMarker(("checklist",), "a checklist playbook"),
    Field(description="Ids of checklist playbooks used here."),
]
RoleRefs = Annotated[
    list[Slug],
    RefsMarker(("role",), "a role"),
    Field(description="Ids of the roles responsible."),
]
# Who does a checklist item or takes part in a decision: a role is named by hundreds of these,
# so they are not listed under the role's "Referenced by".
_ASSIGNED_ROLE = RefsMarker(("role",), "a role", backlinks=False)
RoleRef = Annotated[Slug, _ASSIGNED_ROLE, Field(description="The id of one role.")]
OptionalRoleRef = Annotated[Slug | None, _ASSIGNED_ROLE, Field(description="The id of one role, if any.")]
AssignedRoles = Annotated[list[Slug], _ASSIGNED_ROLE, Field(description="Ids of roles.")]
CitationRefs = Annotated[
    list[Slug],
    RefsMarker(("citation",), "a work on the references page"),
    Field(description="Ids of works on the references page that this draws on."),
]


IsoDate = Annotated[
    dt.date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "description": "An ISO date: YYYY-MM-DD."}),
]


def unwrap_type(tp: Any) -> Any:
    """Strip Annotated and Optional so that a field's type can be stepped into."""
    while True:
        origin = typing.get_origin(tp)
        if origin is Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            tp = next(a for a in typing.get_args(tp) if a is not type(None))
        else:
            return tp


def list_item_model(annotation: Any) -> type[BaseModel] | None:
    """The model of a list field's items (`list[Stage]` → Stage); None for any other field."""
    tp = unwrap_type(annotation)
    args = typing.get_args(tp) if typing.get_origin(tp) is list else ()
    item = unwrap_type(args[0]) if args else None
    return item if isinstance(item, type) and issubclass(item, BaseModel) else None


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


Aliases = Annotated[
    list[Slug],
    Field(description="Former ids of this entry. Old links, anchors and /go/ short links keep working."),
]


Keywords = Annotated[
    list[Text],
    Field(
        description="Words readers search for that the text does not use (a product name, an acronym,"
        " a colleague's phrase). Search weighs them like the title; they are not shown on the page."
    ),
]


AudienceName = Literal["internal", "partners"]
AUDIENCES: tuple[str, ...] = typing.get_args(AudienceName)


def _one_or_many(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


Audience = Annotated[
    Annotated[list[AudienceName], Field(min_length=1)] | None,
    BeforeValidator(_one_or_many),
    WithJsonSchema(
        {
            "description": "Who reads this: `internal` (our own people, the default) or "
            "`[internal, partners]` (also the partner handbook). Entries inherit their playbook's "
            "audience; an entry marked `internal` in a shared playbook stays out of the partner handbook.",
            "anyOf": [
                {"type": "string", "enum": list(AUDIENCES)},
                {"type": "array", "items": {"type": "string", "enum": list(AUDIENCES)}, "minItems": 1},
            ],
        }
    ),
]


class Entry(Strict):
    """Anything a reader may link to: it has an id, a label and may point elsewhere."""

    id: Slug
    aliases: Aliases = []
    see: Refs = []
    keywords: Keywords = []
    audience: Audience = None

    label_field: ClassVar[str]  # the field that links, headings and search results show

    @property
    def label(self) -> str:
        """What links to this entry show: its title, name or question."""
        return str(getattr(self, self.label_field))


class Item(Strict):
    """An entry in a list that a reader may link to once it is given an id (a checklist item)."""

    id: Slug | None = Field(default=None, description="Optional: give it an id to link to it.")
    aliases: Aliases = []
    see: Refs = []
    keywords: Keywords = []
    audience: Audience = None

    label_field: ClassVar[str]

    @property
    def label(self) -> str:
        return str(getattr(self, self.label_field))


Linkable = Entry | Item


class TitledEntry(Entry):
    label_field: ClassVar[str] = "title"
    title: Text


# --- playbooks -------------------------------------------------------------------------


class Playbook(TitledEntry):
    """The fields every playbook file has, whatever its kind."""

    kind: str
    summary: Markdown
    owner: Text = Field(description="The team that owns and reviews this playbook.")
    last_reviewed: IsoDate
    review_every_months: Annotated[int, Field(ge=1, le=36)] | None = Field(
        default=None,
        description="How often the owner reviews this playbook; defaults to its kind's cadence.",
    )
    tags: list[Text]
    references: CitationRefs = []
    order: Annotated[int, Field(ge=1)] | None = Field(
        default=None,
        description="Position in its navigation section (1 first); playbooks without it follow by title.",
    )

    spec: ClassVar[KindSpec]  # set by each kind

    @property
    def review_months(self) -> int:
        return self.review_every_months or self.spec.review_months

    def attachments(self) -> dict[str, str]:
        """Files published beside this playbook's page: path (under its kind's folder) → text."""
        return {}


# --- kinds ----------------------------------------------------------------------------


@dataclass(frozen=True)
class KindSpec:
    """Everything about a kind besides its fields, declared once beside its model class.

    The rest of the generator reads these: the folder and URL segment of its pages, its
    navigation section and intro, what `handbook new` writes, its review cadence and template.
    """

    name: str  # the `kind:` value in a playbook file
    folder: str  # folder of its pages on the site, and the URL segment
    title: str  # its navigation section and index page title
    singular: str  # what one playbook of the kind is called in messages ("checklist")
    intro: str  # the first paragraph of its index page
    review_months: int = 6  # default review cadence of its playbooks
    # `handbook new`: the noun for an entry of a list field (its id ends "-NOUN-1"), and
    # values for fields a generic example cannot get right, by entry class name.
    entry_nouns: dict[str, str] = field(default_factory=dict)
    example_values: dict[str, dict[str, Any]] = field(default_factory=dict)
    position: int = 100  # its place in the navigation, among the kinds (lowest first, then by name)
    declared_in: str | None = None  # kinds/NAME.yaml for a kind the handbook declares
    template: str = ""  # defaults to NAME.md.j2

    @property
    def template_name(self) -> str:
        return self.template or f"{self.name}.md.j2"


def entry_type(cls: type) -> str:
    """The name references use for a class of entries: a kind's name for its playbooks,
    `type_name` if the class sets one, else its class name in kebab case (`AntiPattern` →
    `anti-pattern`)."""
    spec = getattr(cls, "spec", None)
    if isinstance(spec, KindSpec):
        return spec.name
    named = cls.__dict__.get("type_name")
    return named if isinstance(named, str) else re.sub(r"(?<!^)(?=[A-Z])", "-", cls.__name__).lower()


def section_title(model: type[BaseModel], field: str) -> str:
    """The heading of a list of entries on its page: the field's `title`, or its name in words."""
    return model.model_fields[field].title or field.replace("_", " ").capitalize()
