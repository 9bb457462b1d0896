"""The words of validation: pydantic's errors turned into messages a contributor can act on.

Each message names the field, says what was found (YAML 1.1 surprises included: `no` is a
boolean, `2026-01-15` a date) and, for an unknown field, suggests the nearest valid one.
"""

from __future__ import annotations

import difflib
import re
import typing
from typing import Any

from pydantic import BaseModel

from .load import Loc, SourceFile
from .model import PLAIN_VALUE_PATTERN, URL_PATTERN, unwrap_type
from .problems import Problem


def suggest(word: str, choices: typing.Iterable[str]) -> str:
    """' (did you mean X?)' for a genuinely close X (a typo or a near spelling), else ''.

    difflib ranks the candidates; a hint is given only for a few typing slips (insertions,
    deletions, substitutions or swapped letters) or a shared stem, so that two ids that merely
    share words ('faq-partner-not-calling-back', 'ref-partnerships-and-alliances') are never
    suggested for each other."""
    candidates = difflib.get_close_matches(word, list(choices), n=5, cutoff=0.6)
    close = [choice for choice in candidates if _near(word, choice)]
    return f" (did you mean '{close[0]}'?)" if close else ""


def _near(word: str, choice: str) -> bool:
    a, b = word.lower(), choice.lower()
    if typing_slips(a, b) <= min(3, max(1, len(a) // 4)):
        return True
    stem = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return stem >= 4 and stem >= 0.75 * min(len(a), len(b))


def typing_slips(a: str, b: str) -> int:
    """Edit distance counting a swap of two neighbouring letters as one slip (optimal string
    alignment)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


def _model_at(cls: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    tp: Any = cls
    for step in loc:
        tp = unwrap_type(tp)
        if isinstance(step, int):
            args = typing.get_args(tp)
            tp = args[0] if args else None
        elif isinstance(tp, type) and issubclass(tp, BaseModel) and step in tp.model_fields:
            tp = tp.model_fields[step].annotation
        else:
            return None
    tp = unwrap_type(tp)
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def describe(value: Any) -> str:
    if isinstance(value, bool):
        word = "true" if value else "false"
        return f"the boolean {word} (YAML reads yes/no/on/off as booleans: put the text in quotes)"
    if isinstance(value, (int, float)):
        return f"the number {value} (put it in quotes if it is text)"
    if value is None:
        return "nothing (the value is empty)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if hasattr(value, "isoformat"):
        return f"the date {value.isoformat()} (put it in quotes if it is text)"
    return f"'{value}'"


def _field_name(loc: Loc) -> str:
    names = [step for step in loc if isinstance(step, str)]
    name = names[-1] if names else "value"
    return f"each item of '{name}'" if loc and isinstance(loc[-1], int) else f"'{name}'"


_MUST_BE = {  # pydantic error type → what the field must be
    "string_type": "text",
    "list_type": "a list",
    "model_type": "a mapping of fields",
    "dict_type": "a mapping of fields",
    "model_attributes_type": "a mapping of fields",
    "int_type": "a whole number",
    "date_type": "a date written YYYY-MM-DD",
    "date_from_datetime_inexact": "a date written YYYY-MM-DD",
    "date_from_datetime_parsing": "a date written YYYY-MM-DD",
}


def schema_problem(source: SourceFile, cls: type[BaseModel], error: Any) -> Problem | None:
    loc: Loc = tuple(error["loc"])
    if any(loc[: len(b)] == b for b in source.broken):
        return None  # already reported while loading
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    what = _field_name(loc)
    if kind == "missing":
        return source.problem(loc[:-1], f"missing required field '{loc[-1]}'")
    if kind == "extra_forbidden":
        parent = _model_at(cls, loc[:-1])
        hint = suggest(str(loc[-1]), parent.model_fields) if parent else ""
        return source.problem(loc, f"unknown field '{loc[-1]}'{hint}", at_key=True)
    if kind in _MUST_BE:
        message = f"{what} must be {_MUST_BE[kind]}, not {describe(value)}"
    elif kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        hint = suggest(value, choices) if isinstance(value, str) else ""
        message = f"{what} must be one of {ctx.get('expected')}, not {describe(value)}{hint}"
    elif kind == "string_pattern_mismatch" and ctx.get("pattern") == URL_PATTERN:
        message = f"{what} must be an http:// or https:// address without spaces, not {describe(value)}"
    elif kind == "string_pattern_mismatch" and ctx.get("pattern") == PLAIN_VALUE_PATTERN:
        message = f"{what} is put into sentences as it is: plain words, no Markdown, brackets or line breaks"
    elif kind == "string_pattern_mismatch":
        message = (
            f"'{value}' is not a valid id: use lowercase letters, digits and single hyphens,"
            " for example 'knowledge-transfer'"
        )
    elif kind == "greater_than_equal":
        message = f"{what} must be {ctx.get('ge')} or more, not {value}"
    elif kind == "string_too_long":
        message = f"{what} is longer than {ctx.get('max_length')} characters"
    elif kind == "string_too_short":
        message = f"{what} must not be empty"
    elif kind == "too_short":  # a list that is itself an item of a list keeps "each item of"
        name = what if loc and isinstance(loc[-1], int) else what.removeprefix("each item of ")
        message = f"{name} needs at least {ctx.get('min_length')} item(s)"
    elif kind == "value_error":
        message = f"{what}: {ctx.get('error')}"
    else:  # pragma: no cover - a pydantic error type this module does not word yet
        message = f"{what}: {error['msg']}"
    return source.problem(loc, message)
