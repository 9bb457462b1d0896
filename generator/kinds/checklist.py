"""The `checklist` kind: ordered checklists for the moments that matter."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from ..model import Item, KindSpec, Markdown, OptionalRoleRef, Playbook, Text, TitledEntry


class ChecklistItem(Item):
    label_field: ClassVar[str] = "text"
    text: Text
    note: Markdown | None = None
    owner: OptionalRoleRef = Field(default=None, description="The role that does this item.")
    when: Text | None = Field(
        default=None, description="When it is done: 'Before signature', 'Day 1', 'Week 2', 'Monthly'."
    )


class ChecklistGroup(TitledEntry):
    items: list[ChecklistItem] = Field(min_length=1)


class Checklist(Playbook):
    spec: ClassVar[KindSpec] = KindSpec(
        name="checklist",
        folder="checklists",
        title="Checklists",
        singular="checklist",
        intro=(
            "Ordered checklists for the moments that matter: vetting, pilots, onboarding, health "
            "checks and exits."
        ),
        review_months=6,
        position=50,
        entry_nouns={
            "groups": "group",
            "items": "item",
        },
    )

    kind: Literal["checklist"]
    when_to_use: Markdown | None = None
    groups: list[ChecklistGroup] = Field(min_length=1)


KIND = Checklist
