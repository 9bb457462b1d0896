"""search.yaml: the words readers use that mean the same thing in this handbook.

    synonyms:
      - [partner, supplier, vendor, agency, contractor]
      - [exit, offboarding, termination]

Each group lists words or short phrases that a reader may type for one idea. Search treats
them as one: an entry that says "vendor" is found by "supplier" too (the build adds the other
words of the group to the entry's search document, so both engines get them). Words are
compared as search compares them: case, accents and word endings ("vendors") aside.

Synonyms are internal, as a playbook is: the groups under `synonyms:` are in the internal
handbook's search only. The partner handbook's search gets the groups under
`shared_synonyms:` (the internal handbook's gets them too): a word added to search.yaml reaches
partners only if it is put there on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from pydantic import Field, StringConstraints, ValidationError

from .load import Loc, SourceFile, load_file
from .messages import schema_problem
from .model import AUDIENCES, Strict
from .problems import Problem
from .search_text import STOP_WORDS, searchable, stem, words

SEARCH_FILE = "search.yaml"
GROUPS, SHARED_GROUPS = "synonyms", "shared_synonyms"

Term = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=80),
    Field(description="A word or short phrase a reader may type."),
]
Group = Annotated[
    list[Term],
    Field(min_length=2, description="Words and phrases that mean the same thing in this handbook."),
]


class SearchFile(Strict):
    """The schema of search.yaml."""

    synonyms: list[Group] = Field(
        default=[],
        description="Groups of equivalent words: searching for any word of a group finds entries"
        " that use another. These are for the internal handbook only.",
    )
    shared_synonyms: list[Group] = Field(
        default=[],
        description="Groups of equivalent words for the internal handbook and the partner"
        " handbook's search alike: words partners may read.",
    )


@dataclass(frozen=True)
class SearchSettings:
    synonyms: list[list[str]] = field(default_factory=list)
    audiences: list[tuple[str, ...]] = field(default_factory=list)  # who reads each group
    lines: list[int] = field(default_factory=list)  # where each group is in search.yaml

    def for_audience(self, audience: str) -> SearchSettings:
        """The groups `audience` reads: all of them for ourselves."""
        if audience == AUDIENCES[0]:
            return self
        kept = [g for g, readers in enumerate(self.audiences) if audience in readers]
        return SearchSettings(
            [self.synonyms[g] for g in kept], [self.audiences[g] for g in kept], [self.lines[g] for g in kept]
        )

    def withheld(self, audience: str) -> list[tuple[list[str], int]]:
        """The groups kept from `audience`, with their lines."""
        if audience == AUDIENCES[0]:
            return []
        kept = [g for g, readers in enumerate(self.audiences) if audience not in readers]
        return [(self.synonyms[g], self.lines[g]) for g in kept]


def phrase_key(term: str) -> tuple[str, ...]:
    """How a synonym is compared: its words, stemmed. In a phrase of two or more words that
    are not stop words, the stop words do not count ("end a contract" is "end the contract");
    a phrase that is mostly stop words keeps them ("out of business")."""
    all_words = words(term)
    meaningful = [word for word in all_words if word not in STOP_WORDS]
    return tuple(stem(word) for word in (meaningful if is_loose(term) else all_words))


def is_loose(term: str) -> bool:
    """Whether stop words inside the phrase may differ: it has two or more other words."""
    return len([word for word in words(term) if word not in STOP_WORDS]) >= 2


def read_search_settings(path: Path) -> tuple[SearchSettings, list[Problem]]:
    """The settings in search.yaml (none if the file is absent), and every problem in it."""
    if not path.is_file():
        return SearchSettings(), []
    source, problems = load_file(path, path.name)
    if source is None:
        return SearchSettings(), problems
    try:
        parsed = SearchFile.model_validate(source.data)
    except ValidationError as exc:
        found = (schema_problem(source, SearchFile, err) for err in exc.errors(include_url=False))
        return SearchSettings(), [p for p in found if p is not None]
    listed = [(GROUPS, g, group) for g, group in enumerate(parsed.synonyms)]
    listed += [(SHARED_GROUPS, g, group) for g, group in enumerate(parsed.shared_synonyms)]
    problems = _check_groups(source, listed)
    if problems:
        return SearchSettings(), problems
    readers = [AUDIENCES if key == SHARED_GROUPS else AUDIENCES[:1] for key, _, _ in listed]
    lines = [source.problem((key, g), "").line for key, g, _ in listed]
    return SearchSettings([group for _, _, group in listed], readers, lines), []


def _check_groups(source: SourceFile, groups: list[tuple[str, int, list[str]]]) -> list[Problem]:
    """Every term must be searchable and belong to one group only (of either list)."""
    problems: list[Problem] = []
    seen: dict[tuple[str, ...], tuple[Loc, str]] = {}  # phrase key → (group, term as written)
    for field_name, g, group in groups:
        for t, term in enumerate(group):
            loc = (field_name, g, t)
            key = phrase_key(term)
            if not key:
                problems.append(
                    source.problem(loc, f"'{term}' has no letters or digits, so no search can match it")
                )
            elif not searchable(term):
                problems.append(
                    source.problem(
                        loc, f"'{term}' is made of stop words only, which search ignores; remove it"
                    )
                )
            elif key in seen and seen[key][0] == loc[:2]:
                problems.append(source.problem(loc, f"'{term}' is already in this group as '{seen[key][1]}'"))
            elif key in seen:
                first = source.problem(seen[key][0], "")
                problems.append(
                    source.problem(
                        loc,
                        f"'{term}' is already in the group at line {first.line} (as '{seen[key][1]}');"
                        " a word belongs to one group: merge the two groups",
                    )
                )
            else:
                seen[key] = (loc[:2], term)
    return problems
