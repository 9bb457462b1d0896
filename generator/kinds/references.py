"""The `references` kind: the works this handbook draws on, and which playbooks use them."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field, StringConstraints

from ..model import URL_PATTERN, CitationRefs, KindSpec, Markdown, Playbook, Text, TitledEntry


class Citation(TitledEntry):
    """A work the handbook draws on: an article, a book, a standard."""

    type: Literal["article", "book", "standard", "framework", "study", "law"]
    author: Text | None = Field(default=None, description="Only if the work itself names one.")
    publisher: Text | None = None
    published: Text | None = Field(default=None, description="When, as precisely as the work says.")
    url: Annotated[str, StringConstraints(pattern=URL_PATTERN)] | None = None
    summary: Markdown = Field(description="What the work is and what the handbook takes from it.")
    cites: CitationRefs = Field(default=[], description="Ids of other works this one cites.")


class References(Playbook):
    spec: ClassVar[KindSpec] = KindSpec(
        name="references",
        folder="references",
        title="References",
        singular="references page",
        intro=(
            "The articles, books and standards this handbook draws on, and which playbooks use each of them."
        ),
        review_months=12,
        position=90,
        entry_nouns={
            "works": "work",
        },
    )

    kind: Literal["references"]
    works: list[Citation] = Field(min_length=1)


KIND = References
