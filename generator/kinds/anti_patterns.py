"""The `anti-patterns` kind: ways partner relationships go wrong, and what to do about them."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from ..model import Entry, KindSpec, Markdown, Playbook, Refs, Strict, Text


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


class AntiPatterns(Playbook):
    spec: ClassVar[KindSpec] = KindSpec(
        name="anti-patterns",
        folder="anti-patterns",
        title="Anti-patterns",
        singular="anti-patterns playbook",
        intro=("Ways partner relationships go wrong, how to spot them early, and what to do about them."),
        review_months=12,
        position=30,
        entry_nouns={
            "anti_patterns": "pattern",
        },
    )

    kind: Literal["anti-patterns"]
    anti_patterns: list[AntiPattern] = Field(min_length=1)


KIND = AntiPatterns
