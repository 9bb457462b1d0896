"""Fuzzing `handbook check` with Hypothesis: random YAML, random data shaped like playbooks of
every kind in the registry, and mutations of the starter's playbooks (a playbook of each kind).
Whatever the input, checking never raises, stays within a time bound and gives every problem a
file, a line and a column; input that passes renders.

The default profile runs a few hundred examples. A longer campaign:
    HYPOTHESIS_PROFILE=campaign pytest tests/test_fuzz.py
"""

from __future__ import annotations

import datetime as dt
import os
import time
import typing
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.kinds import built_in_kinds
from generator.load import SourceFile, _Builder, find_playbooks, load_all, load_text
from generator.problems import Problem
from generator.render import render_pages
from generator.starter import STARTER_DIR
from generator.validate import validate_handbook

KINDS = built_in_kinds()

settings.register_profile("ci", max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "campaign", max_examples=4000, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

TIME_BOUND = 5.0  # seconds for one check of one fuzzed file beside the rest of a handbook
PLAYBOOKS = find_playbooks(STARTER_DIR / "playbooks")
# By path in playbooks/ (lifecycle/01-choose.yaml): the starter's texts, each mutated in place.
TEXTS = {
    path.relative_to(STARTER_DIR / "playbooks").as_posix(): path.read_text(encoding="utf-8")
    for path in PLAYBOOKS
}
RENDERED_ON = dt.date(2026, 11, 22)


def _field_names() -> list[str]:
    names: set[str] = set()
    pending: list[type] = list(KINDS.values())
    seen: set[type] = set()
    while pending:
        cls = pending.pop()
        if cls in seen or not hasattr(cls, "model_fields"):
            continue
        seen.add(cls)
        for name, info in cls.model_fields.items():
            names.add(name)
            for arg in _types_in(info.annotation):
                pending.append(arg)
    return sorted(names)


def _types_in(annotation: object) -> list[type]:
    """Every class mentioned in a type annotation (list[Stage] → list, Stage)."""
    found: list[type] = []
    stack = [annotation]
    while stack:
        tp = stack.pop()
        if isinstance(tp, type):
            found.append(tp)
        stack.extend(typing.get_args(tp))
    return found


FIELDS = _field_names()
NASTY = [
    "no", "on", "yes", "~", "null", "1e3", "0x1F", "2026-02-30", "2026-01-15", ".inf", "[]", "{}",
    "!!python/object/apply:os.system ['id']", "!custom x", "&a x", "*a", "<<: *a", '"unclosed',
    "'", "|", ">-", "- x", "? x", "\t", "<script>alert(1)</script>", "[x](javascript:alert(1))",
    "{{ 7*7 }}", "{% raw %}", "../../etc", "a" * 70, "\u2028", "\x00", "é", "Ünïcödé 🙂",
]  # fmt: skip


def _others(excluding: str) -> list[object]:
    paths = [p for p in PLAYBOOKS if p.relative_to(STARTER_DIR / "playbooks").as_posix() != excluding]
    sources, problems = load_all(paths, STARTER_DIR)
    assert not problems
    return list(sources)


OTHERS = {name: _others(name) for name in TEXTS}
ALL_OTHERS = _others("")


def _check(text: str, name: str = "fuzzed.yaml", others: list[object] | None = None) -> list[Problem]:
    """Check one file beside the rest of the starter handbook; render it if it passes."""
    start = time.monotonic()
    display = f"playbooks/{name}"
    source, problems = load_text(text, Path(display), display)
    sources = [*(ALL_OTHERS if others is None else others), *([source] if source else [])]
    handbook, found = validate_handbook(sources)  # type: ignore[arg-type]
    problems += found
    if not problems:
        render_pages(handbook, RENDERED_ON)
    assert time.monotonic() - start < TIME_BOUND
    for problem in problems:
        assert problem.path.startswith("playbooks/"), problem
        assert problem.line >= 1 and problem.col >= 1, problem
        assert problem.message.strip(), problem
    return problems


yaml_text = st.text(
    alphabet=st.sampled_from(
        [*list("abcdefghij-_:[]{},#&*!|>'\"%@`?~ \t\n0123456789.<>/\\"), "é", "\ufeff", "\x85"]
    ),
    max_size=400,
)


@given(yaml_text)
def test_random_text_never_crashes_check(text: str) -> None:
    _check(text)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.dates(),
    st.text(max_size=40),
    st.sampled_from(NASTY),
)
shaped = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=8)), children, max_size=6),
    ),
    max_leaves=40,
)


@given(
    kind=st.sampled_from([*KINDS, "nonsense"]),
    body=st.dictionaries(st.sampled_from(FIELDS), shaped, max_size=12),
)
def test_data_shaped_like_playbooks_never_crashes_check(kind: str, body: dict[str, object]) -> None:
    _check(yaml.safe_dump({"kind": kind, **body}, allow_unicode=True, sort_keys=False))


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, str]:
    name = draw(st.sampled_from(sorted(TEXTS)))
    lines = TEXTS[name].splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "indent", "value", "insert", "truncate"]))
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "indent":
            shift = draw(st.integers(-4, 4))
            line = lines[i]
            lines[i] = (
                (" " * shift + line) if shift >= 0 else line[min(-shift, len(line) - len(line.lstrip(" "))) :]
            )
        elif action == "value":
            key, sep, _ = lines[i].partition(":")
            lines[i] = f"{key}{sep or ':'} {draw(st.sampled_from(NASTY))}\n"
        elif action == "insert":
            lines.insert(i, draw(yaml_text) + "\n")
        else:
            lines = lines[:i]
    return name, "".join(lines)


@given(mutated())
def test_mutated_starter_playbooks_never_crash_check(case: tuple[str, str]) -> None:
    name, text = case
    _check(text, name, OTHERS[name])


def test_the_unmutated_handbook_passes() -> None:
    """The mutations start from a valid handbook with a playbook of every built-in kind."""
    kinds = {yaml.safe_load(text)["kind"] for text in TEXTS.values()}
    assert kinds == set(KINDS)
    for name, text in TEXTS.items():
        assert _check(text, name, OTHERS[name]) == []


@given(mutated())
def test_the_fast_loader_agrees_with_the_careful_one(case: tuple[str, str]) -> None:
    """Whatever the fast path accepts, the careful event-by-event reader reads identically."""
    name, text = case
    fast = load_text(text, Path(name), name)[0]
    if fast is None or fast.text is None:
        return  # the fast path declined: the careful reader was used anyway
    careful = SourceFile(path=Path(name), display=name, data={})
    builder = _Builder(careful)
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        builder.event(event)
    assert builder.problems == []
    assert builder.root == fast.data
