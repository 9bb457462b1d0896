"""The `defaults` kind: the numbers this handbook chose for you, to adjust to your organisation.

A threshold that another page states (a response time, a target, a cadence) is written there
as `[[DEFAULT-ID]]`. The build puts the value in its place, marked as an adjustable default
and linked here, so a value is stated once and changed once.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field, StringConstraints

from ..model import PLAIN_VALUE_PATTERN, CitationRefs, KindSpec, Markdown, Playbook, TitledEntry

# One line of plain words: it is put into sentences, link text and search results.
DefaultValue = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, pattern=PLAIN_VALUE_PATTERN)
]


# The title of every link to a default: it marks the value on the page (CSS keys on it).
DEFAULT_TITLE = "This handbook's default: adjust it to your organisation on the defaults page"


class Default(TitledEntry):
    value: DefaultValue = Field(
        description="The value as it reads in a sentence ('the same working day'): plain words, no Markdown."
    )
    governs: Markdown = Field(description="What the value decides, and where the handbook uses it.")
    why: Markdown = Field(description="Why this value: the source, or the reasoning behind the choice.")
    adjust: Markdown | None = Field(default=None, description="When and how to choose another value.")
    references: CitationRefs = []


class Defaults(Playbook):
    spec: ClassVar[KindSpec] = KindSpec(
        name="defaults",
        folder="defaults",
        title="Defaults to adjust",
        singular="defaults page",
        intro=(
            "The thresholds, deadlines and cadences this handbook proposes. They are starting points, "
            "not facts: change a value in one place and every page that uses it follows."
        ),
        review_months=12,
        position=85,
        entry_nouns={"defaults": "default"},
        example_values={"Default": {"value": "the same working day"}},
    )

    kind: Literal["defaults"]
    defaults: list[Default] = Field(min_length=1, title="Defaults")


KIND = Defaults
