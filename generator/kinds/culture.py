"""The `culture` kind: culture documentation a partner can align to."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from ..model import Entry, KindSpec, Markdown, Playbook, Text, TitledEntry


class CultureItem(TitledEntry):
    description: Markdown
    guidance: Markdown | None = Field(default=None, description="Advice on filling this in.")


class CultureQuestion(Entry):
    label_field: ClassVar[str] = "question"
    question: Text
    guidance: Markdown = Field(description="What a useful answer covers.")
    answer: Markdown | None = Field(default=None, description="Your organisation's own answer.")


class Culture(Playbook):
    spec: ClassVar[KindSpec] = KindSpec(
        name="culture",
        folder="culture",
        title="Culture",
        singular="culture playbook",
        intro=(
            "Culture documentation a partner can align to: values, communication norms, rituals, "
            "how decisions are made, how software is delivered, and the questions a partner "
            "should be able to answer."
        ),
        review_months=12,
        position=20,
        entry_nouns={
            "values": "value",
            "communication": "norm",
            "rituals": "ritual",
            "decision_making": "decision",
            "ways_of_working": "way",
            "delivery": "practice",
            "questions": "question",
        },
    )

    kind: Literal["culture"]
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


KIND = Culture
