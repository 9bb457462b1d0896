"""The `scorecard` kind: self-assessments to score during an engagement."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field, model_validator

from ..model import AntiPatternRefs, KindSpec, Markdown, Playbook, Refs, Strict, Text, TitledEntry


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


class Scorecard(Playbook):
    spec: ClassVar[KindSpec] = KindSpec(
        name="scorecard",
        folder="scorecards",
        title="Scorecards",
        singular="scorecard",
        intro=(
            "Self-assessments to score during an engagement: pick a score for each criterion, see "
            "weighted results and what needs action, keep one set of answers per engagement and "
            "export them."
        ),
        review_months=6,
        position=60,
        entry_nouns={
            "groups": "group",
            "criteria": "criterion",
            "levels": "level",
        },
        example_values={
            "Criterion": {
                "threshold": 3,
                "levels": [
                    {"score": n, "guidance": f"Write what a score of {n} looks like."}
                    for n in (1, 2, 3, 4, 5)
                ],
            },
        },
    )

    kind: Literal["scorecard"]
    when_to_use: Markdown | None = None
    groups: list[ScorecardGroup] = Field(min_length=1)


KIND = Scorecard
