"""The playbook model: one pydantic class per kind, shared by validation, rendering and schemas.

Field names are the YAML keys. Every class is strict (no type coercion: `no` is not a
title) and closed (an unknown key is an error). Descriptions become editor hover text
through the JSON Schemas that `handbook schema` writes.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SLUG_MAX_LENGTH = 64
URL_PATTERN = r"^https?://[^\s<>]+$"


class RefsMarker:
    """Marks a field whose values are ids of other entries (rendered as links).

    `targets` names the entry classes the ids may point at (validated across files);
    None means any entry.
    """

    def __init__(self, targets: tuple[str, ...] | None = None, noun: str = "entry"):
        self.targets = targets
        self.noun = noun

    def __repr__(self) -> str:
        return f"REFS({', '.join(self.targets or ('any',))})"


REFS = RefsMarker()


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
    RefsMarker(("AntiPattern",), "an anti-pattern"),
    Field(description="Ids of anti-patterns that strike here."),
]
ChecklistRefs = Annotated[
    list[Slug],
    RefsMarker(("Checklist",), "a checklist playbook"),
    Field(description="Ids of checklist playbooks used here."),
]
RoleRefs = Annotated[
    list[Slug],
    RefsMarker(("Role",), "a role"),
    Field(description="Ids of the roles responsible."),
]
CitationRefs = Annotated[
    list[Slug],
    RefsMarker(("Citation",), "a work on the references page"),
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


class Entry(Strict):
    """Anything a reader may link to: it has an id, a label and may point elsewhere."""

    id: Slug
    aliases: Aliases = []
    see: Refs = []
    keywords: Keywords = []

    label_field: ClassVar[str]  # the field that links, headings and search results show

    @property
    def label(self) -> str:
        """What links to this entry show: its title, name or question."""
        return str(getattr(self, self.label_field))


class TitledEntry(Entry):
    label_field: ClassVar[str] = "title"
    title: Text


# --- operating-model -------------------------------------------------------------------


class Practice(TitledEntry):
    description: Markdown


ISO_44001_STAGES: dict[str, str] = {
    "awareness": "Operational awareness",
    "knowledge": "Knowledge",
    "internal-assessment": "Internal assessment",
    "partner-selection": "Partner selection",
    "working-together": "Working together",
    "value-creation": "Value creation",
    "staying-together": "Staying together",
    "exit": "Exit strategy activation",
}
Iso44001Stage = Literal[
    "awareness",
    "knowledge",
    "internal-assessment",
    "partner-selection",
    "working-together",
    "value-creation",
    "staying-together",
    "exit",
]
assert set(typing.get_args(Iso44001Stage)) == set(ISO_44001_STAGES)


class Stage(TitledEntry):
    goal: Markdown
    practices: list[Practice] = []
    involved: list[Text] = Field(default=[], description="Who takes part in this stage.")
    exit_criteria: list[Text] = Field(default=[], description="What must be true to move on.")
    iso_44001: list[Iso44001Stage] = Field(
        default=[], description="The ISO 44001 lifecycle stage(s) this stage carries out."
    )
    anti_patterns: AntiPatternRefs = []
    checklists: ChecklistRefs = []


class Role(TitledEntry):
    side: Literal["organisation", "partner", "both"]
    responsibilities: list[Text] = Field(min_length=1)


class Cadence(TitledEntry):
    frequency: Text
    participants: list[Text] = []
    purpose: Markdown


class EngagementModel(TitledEntry):
    description: Markdown
    when_to_use: list[Text] = []
    watch_out_for: list[Text] = []


Level = Literal["low", "medium", "high"]


class PartnershipType(TitledEntry):
    description: Markdown
    complexity: Level
    investment: Level
    examples: list[Text] = Field(min_length=1)
    when_to_use: list[Text] = []
    watch_out_for: list[Text] = []


class GovernanceRule(TitledEntry):
    rule: Markdown = Field(description="The commitment, stated so that it can be checked.")
    frequency: Text | None = Field(default=None, description="How often it happens, if it recurs.")
    owners: RoleRefs = []


class Kpi(TitledEntry):
    description: Markdown
    measure: Text | None = None
    target: Text | None = None


# --- culture ---------------------------------------------------------------------------


class CultureItem(TitledEntry):
    description: Markdown
    guidance: Markdown | None = Field(default=None, description="Advice on filling this in.")


class CultureQuestion(Entry):
    label_field: ClassVar[str] = "question"
    question: Text
    guidance: Markdown = Field(description="What a useful answer covers.")
    answer: Markdown | None = Field(default=None, description="Your organisation's own answer.")


# --- anti-patterns ---------------------------------------------------------------------


class Remedy(Strict):
    action: Markdown
    see: Refs = []


class AntiPattern(Entry):
    label_field: ClassVar[str] = "name"
    name: Text
    summary: Markdown
    symptoms: list[Text] = Field(min_length=1)
    why_it_hurts: Markdown
    remedies: list[Remedy] = Field(min_length=1)
    early_warning_signs: list[Text] = []


# --- faq -------------------------------------------------------------------------------


class Question(Entry):
    label_field: ClassVar[str] = "question"
    question: Text
    answer: Markdown


class FaqGroup(TitledEntry):
    questions: list[Question] = Field(min_length=1)


# --- checklist -------------------------------------------------------------------------


class ChecklistItem(Strict):
    id: Slug | None = Field(default=None, description="Optional: give an item an id to link to it.")
    aliases: Aliases = []
    text: Text
    note: Markdown | None = None
    see: Refs = []
    keywords: Keywords = []

    label_field: ClassVar[str] = "text"

    @property
    def label(self) -> str:
        return self.text


class ChecklistGroup(TitledEntry):
    items: list[ChecklistItem] = Field(min_length=1)


# --- scorecard -------------------------------------------------------------------------


class ScoreLevel(Strict):
    score: Annotated[int, Field(ge=0, le=10)]
    guidance: Text = Field(description="What this score looks like in practice.")


class Criterion(TitledEntry):
    description: Markdown
    weight: Annotated[int, Field(ge=1, le=10)] = Field(default=1, description="Relative weight in its group.")
    threshold: int = Field(description="Scores below this need action.")
    levels: list[ScoreLevel] = Field(min_length=2, description="Guidance for each score, lowest first.")
    practices: Refs = Field(default=[], description="Ids of practices that raise this score.")
    anti_patterns: AntiPatternRefs = []

    @model_validator(mode="after")
    def _levels_fit(self) -> Criterion:
        scores = [level.score for level in self.levels]
        if scores != sorted(set(scores)):
            raise ValueError(f"the scores of 'levels' must be distinct and in rising order, not {scores}")
        if self.threshold not in scores:
            raise ValueError(f"'threshold' {self.threshold} is not one of the level scores {scores}")
        return self


class ScorecardGroup(TitledEntry):
    description: Markdown | None = None
    criteria: list[Criterion] = Field(min_length=1)


# --- references ------------------------------------------------------------------------


class Citation(TitledEntry):
    """A work the handbook draws on: an article, a book, a standard."""

    type: Literal["article", "book", "standard", "framework", "study"]
    author: Text | None = Field(default=None, description="Only if the work itself names one.")
    publisher: Text | None = None
    published: Text | None = Field(default=None, description="When, as precisely as the work says.")
    url: Annotated[str, StringConstraints(pattern=URL_PATTERN)] | None = None
    summary: Markdown = Field(description="What the work is and what the handbook takes from it.")
    cites: CitationRefs = Field(default=[], description="Ids of other works this one cites.")


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

    section_title: ClassVar[str]
    default_review_months: ClassVar[int] = 6

    @property
    def review_months(self) -> int:
        return self.review_every_months or self.default_review_months


class OperatingModel(Playbook):
    kind: Literal["operating-model"]
    section_title: ClassVar[str] = "Operating model"
    stages: list[Stage] = Field(default=[], title="Lifecycle stages")
    roles: list[Role] = Field(default=[], title="Roles and responsibilities")
    cadences: list[Cadence] = Field(default=[], title="Cadences")
    engagement_models: list[EngagementModel] = Field(default=[], title="Engagement models")
    partnership_types: list[PartnershipType] = Field(default=[], title="Partnership types")
    governance: list[GovernanceRule] = Field(default=[], title="Governance")
    kpis: list[Kpi] = Field(default=[], title="Key performance indicators")


class Culture(Playbook):
    kind: Literal["culture"]
    section_title: ClassVar[str] = "Culture"
    default_review_months: ClassVar[int] = 12
    values: list[CultureItem] = Field(default=[], title="Values")
    communication: list[CultureItem] = Field(default=[], title="Communication norms")
    rituals: list[CultureItem] = Field(default=[], title="Rituals")
    decision_making: list[CultureItem] = Field(default=[], title="Decision-making")
    ways_of_working: list[CultureItem] = Field(default=[], title="Ways of working")
    delivery: list[CultureItem] = Field(
        default=[],
        title="How we deliver software",
        description="How we build and ship software: the operating model a partner joins.",
    )
    questions: list[CultureQuestion] = Field(default=[], title="Questions a partner should be able to answer")


class AntiPatterns(Playbook):
    kind: Literal["anti-patterns"]
    section_title: ClassVar[str] = "Anti-patterns"
    default_review_months: ClassVar[int] = 12
    anti_patterns: list[AntiPattern] = Field(min_length=1)


class Faq(Playbook):
    kind: Literal["faq"]
    section_title: ClassVar[str] = "FAQ"
    groups: list[FaqGroup] = Field(min_length=1)


class Checklist(Playbook):
    kind: Literal["checklist"]
    section_title: ClassVar[str] = "Checklists"
    when_to_use: Markdown | None = None
    groups: list[ChecklistGroup] = Field(min_length=1)


class Scorecard(Playbook):
    kind: Literal["scorecard"]
    section_title: ClassVar[str] = "Scorecards"
    when_to_use: Markdown | None = None
    groups: list[ScorecardGroup] = Field(min_length=1)


class References(Playbook):
    kind: Literal["references"]
    section_title: ClassVar[str] = "References"
    default_review_months: ClassVar[int] = 12
    works: list[Citation] = Field(min_length=1)


def section_title(model: type[BaseModel], field: str) -> str:
    """The heading of a list of entries on its page: the field's `title`, or its name in words."""
    return model.model_fields[field].title or field.replace("_", " ").capitalize()


KINDS: dict[str, type[Playbook]] = {
    "operating-model": OperatingModel,
    "culture": Culture,
    "anti-patterns": AntiPatterns,
    "faq": Faq,
    "checklist": Checklist,
    "scorecard": Scorecard,
    "references": References,
}
