"""The `stage` kind: one stage of a partnership's lifecycle, a page of its own."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from ..model import AntiPatternRefs, ChecklistRefs, KindSpec, Playbook, Text
from .operating_model import Iso44001Stage, Practice


class LifecycleStage(Playbook):
    """The summary says what the stage is for; `order` is its place in the lifecycle."""

    spec: ClassVar[KindSpec] = KindSpec(
        name="stage",
        folder="lifecycle",
        title="Lifecycle",
        singular="lifecycle stage",
        intro=(
            "The life of a partnership from the first sign that you need help to a clean exit, "
            "one page per stage: what it is for, what to do, who takes part and what must be "
            "true before moving on."
        ),
        review_months=6,
        position=5,
        entry_nouns={"practices": "practice"},
    )

    kind: Literal["stage"]
    iso_44001: list[Iso44001Stage] = Field(
        default=[], description="The ISO 44001 lifecycle stage(s) this stage carries out."
    )
    involved: list[Text] = Field(default=[], description="Who takes part in this stage.")
    practices: list[Practice] = Field(default=[], title="What to do")
    exit_criteria: list[Text] = Field(default=[], description="What must be true to move on.")
    anti_patterns: AntiPatternRefs = []
    checklists: ChecklistRefs = []


KIND = LifecycleStage
