"""The `faq` kind: short answers to the questions asked most, each linked to its sources."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from ..model import Entry, KindSpec, Markdown, Playbook, Text, TitledEntry


class Question(Entry):
    label_field: ClassVar[str] = "question"
    question: Text
    answer: Markdown


class FaqGroup(TitledEntry):
    questions: list[Question] = Field(min_length=1)


class Faq(Playbook):
    spec: ClassVar[KindSpec] = KindSpec(
        name="faq",
        folder="faq",
        title="FAQ",
        singular="FAQ",
        intro=(
            "Short answers to the questions partner managers and engineers ask most, each linked "
            "to the practices it draws on."
        ),
        review_months=6,
        position=40,
        entry_nouns={
            "groups": "group",
            "questions": "question",
        },
    )

    kind: Literal["faq"]
    groups: list[FaqGroup] = Field(min_length=1)


KIND = Faq
