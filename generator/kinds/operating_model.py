"""The `operating-model` kind: how your organisation and a partner work together."""

from __future__ import annotations

import typing
from typing import ClassVar, Literal

from pydantic import Field

from ..model import (
    AntiPatternRefs,
    AssignedRoles,
    ChecklistRefs,
    KindSpec,
    Markdown,
    Playbook,
    RoleRef,
    RoleRefs,
    Text,
    TitledEntry,
)


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


class Decision(TitledEntry):
    """One row of a RACI: who does the work, who answers for it, who is asked, who is told."""

    description: Markdown
    responsible: AssignedRoles = Field(min_length=1, description="The roles that do the work.")
    accountable: RoleRef = Field(description="The one role that answers for the decision.")
    consulted: AssignedRoles = Field(default=[], description="Roles asked before the decision.")
    informed: AssignedRoles = Field(default=[], description="Roles told after it.")


class Kpi(TitledEntry):
    description: Markdown
    measure: Text | None = None
    target: Text | None = None


class OperatingModel(Playbook):
    spec: ClassVar[KindSpec] = KindSpec(
        name="operating-model",
        folder="operating-model",
        title="Operating model",
        singular="operating model",
        intro=(
            "How your organisation and a partner work together: the lifecycle of an engagement, "
            "who does what, the meetings that keep it healthy and how success is measured."
        ),
        review_months=6,
        position=10,
        entry_nouns={
            "stages": "stage",
            "practices": "practice",
            "roles": "role",
            "cadences": "cadence",
            "engagement_models": "model",
            "partnership_types": "type",
            "decisions": "decision",
            "governance": "rule",
            "kpis": "kpi",
        },
    )

    kind: Literal["operating-model"]
    lifecycle: bool = Field(
        default=False,
        description="List the lifecycle's stage pages (kind `stage`) here, with the ISO 44001 mapping.",
    )
    stages: list[Stage] = Field(default=[], title="Lifecycle stages")
    roles: list[Role] = Field(default=[], title="Roles and responsibilities")
    cadences: list[Cadence] = Field(default=[], title="Cadences")
    engagement_models: list[EngagementModel] = Field(default=[], title="Engagement models")
    partnership_types: list[PartnershipType] = Field(default=[], title="Partnership types")
    decisions: list[Decision] = Field(default=[], title="Who decides what")
    governance: list[GovernanceRule] = Field(default=[], title="Governance")
    kpis: list[Kpi] = Field(default=[], title="Key performance indicators")


KIND = OperatingModel
