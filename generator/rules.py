"""Rules across the handbook beyond each kind's schema: what makes it complete and usable.

Each rule is a function from the validated handbook to its problems, run by `handbook check`.
A rule about one file at a time always runs; a rule across playbooks runs once every playbook
is valid (over a partly read handbook it would blame healthy files).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from . import review
from .kinds.anti_patterns import AntiPatterns
from .kinds.checklist import Checklist
from .kinds.faq import Faq
from .kinds.operating_model import OperatingModel, Stage
from .kinds.references import References
from .kinds.stage import LifecycleStage
from .load import text_values
from .problems import Problem
from .repeats import repeated_sentences
from .validate import Handbook

# The text `handbook new` writes into every field for the author to replace.
PLACEHOLDER = re.compile(r"^Write the .+ here\.$")


def placeholder_text(handbook: Handbook) -> Iterator[Problem]:
    """Text that `handbook new` wrote and nobody replaced."""
    for pb in handbook.playbooks:
        for loc, value in text_values(pb.source.data):
            if PLACEHOLDER.match(value.strip()):
                yield pb.source.problem(
                    loc, f"'{value.strip()}' is the skeleton's placeholder: write the real text"
                )


def used_by_a_stage(handbook: Handbook) -> Iterator[Problem]:
    """With a lifecycle, every checklist and every anti-pattern belongs to some stage:
    otherwise a reader following the lifecycle never meets it."""
    stages: list[Stage | LifecycleStage] = [
        s for pb in handbook.playbooks if isinstance(pb.model, OperatingModel) for s in pb.model.stages
    ]
    stages += [pb.model for pb in handbook.playbooks if isinstance(pb.model, LifecycleStage)]
    if not stages:
        return
    used = {i for stage in stages for i in [*stage.checklists, *stage.anti_patterns]}
    for pb in handbook.playbooks:
        if isinstance(pb.model, Checklist) and pb.model.id not in used:
            yield pb.source.problem(
                ("id",),
                f"checklist '{pb.model.id}' is not in any stage's `checklists:`: "
                "add it to the lifecycle stage where it is used",
            )
        if isinstance(pb.model, AntiPatterns):
            for i, pattern in enumerate(pb.model.anti_patterns):
                if pattern.id not in used:
                    yield pb.source.problem(
                        ("anti_patterns", i, "id"),
                        f"anti-pattern '{pattern.id}' is not in any stage's `anti_patterns:`: "
                        "add it to the lifecycle stage where it shows",
                    )


def names_its_sources(handbook: Handbook) -> Iterator[Problem]:
    """With a references page, every other playbook lists the works it draws on."""
    works = [pb for pb in handbook.playbooks if isinstance(pb.model, References)]
    if not works:
        return
    page = works[0].source.display
    for pb in handbook.playbooks:
        if not isinstance(pb.model, References) and not pb.model.references:
            yield pb.source.problem(
                ("id",),
                f"playbook '{pb.model.id}' names no `references:`: "
                f"list the works it draws on (ids from {page})",
            )


def answers_link_their_sources(handbook: Handbook) -> Iterator[Problem]:
    """A FAQ answer and an anti-pattern's remedy each link the entries they draw on (`see:`),
    so a short answer always leads to the full practice."""
    for pb in handbook.playbooks:
        if isinstance(pb.model, Faq):
            for g, group in enumerate(pb.model.groups):
                for q, question in enumerate(group.questions):
                    if not question.see:
                        yield pb.source.problem(
                            ("groups", g, "questions", q, "id"),
                            f"question '{question.id}' links nothing: add `see:` with its sources",
                        )
        if isinstance(pb.model, AntiPatterns):
            for p, pattern in enumerate(pb.model.anti_patterns):
                for i, remedy in enumerate(pattern.remedies):
                    if not remedy.see:
                        yield pb.source.problem(
                            ("anti_patterns", p, "remedies", i),
                            f"a remedy of '{pattern.id}' links nothing: "
                            "add `see:` with the practice or checklist it applies",
                        )


def reviewed_in_the_past(handbook: Handbook) -> Iterator[Problem]:
    """`last_reviewed` is a date that has been: a future one would hide a review that is due."""
    today = review.today()
    for pb in handbook.playbooks:
        if pb.model.last_reviewed > today:
            yield pb.source.problem(
                ("last_reviewed",),
                f"last_reviewed {pb.model.last_reviewed.isoformat()} is in the future (today is "
                f"{today.isoformat()}): write the date of the last review",
            )


Rule = Callable[[Handbook], Iterator[Problem]]
FILE_RULES: tuple[Rule, ...] = (placeholder_text, answers_link_their_sources, reviewed_in_the_past)
HANDBOOK_RULES: tuple[Rule, ...] = (used_by_a_stage, names_its_sources, repeated_sentences)


def check_rules(handbook: Handbook) -> list[Problem]:
    rules = FILE_RULES + HANDBOOK_RULES if handbook.complete else FILE_RULES
    return [problem for rule in rules for problem in rule(handbook)]
