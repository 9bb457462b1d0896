"""The shipped handbook covers partner management end to end: required entries, complete
stages, the ISO 44001 lifecycle, linked remedies and answers, and named sources."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

import pytest
from conftest import REPO, copy_project
from coverage_map import REQUIRED, SEED_POINTS, STAGES

from generator.kinds.anti_patterns import AntiPatterns
from generator.kinds.checklist import Checklist
from generator.kinds.faq import Faq
from generator.kinds.operating_model import ISO_44001_STAGES, OperatingModel
from generator.kinds.references import References
from generator.kinds.stage import LifecycleStage
from generator.layout import section_order
from generator.model import Playbook
from generator.pipeline import Project, check
from generator.validate import Handbook


def missing_ids(handbook: Handbook, required: Iterable[str]) -> list[str]:
    return [i for i in required if i not in handbook.entries]


def _of_kind(handbook: Handbook, cls: type[Playbook]) -> list[Playbook]:
    return [pb.model for pb in handbook.playbooks if isinstance(pb.model, cls)]


@pytest.fixture(scope="module")
def handbook() -> Handbook:
    result, problems = check(Project(REPO))
    assert not problems, problems
    return result


@pytest.fixture(scope="module")
def operating_model(handbook: Handbook) -> OperatingModel:
    (model,) = [m for m in _of_kind(handbook, OperatingModel) if m.id == "partnership-operating-model"]
    assert isinstance(model, OperatingModel)
    return model


@pytest.fixture(scope="module")
def stages(handbook: Handbook) -> list[LifecycleStage]:
    """The lifecycle, one playbook (and page) per stage, in navigation order."""
    found = sorted(_of_kind(handbook, LifecycleStage), key=section_order)
    return [s for s in found if isinstance(s, LifecycleStage)]


@pytest.mark.parametrize("row", REQUIRED)
def test_required_entries_exist(handbook: Handbook, row: str) -> None:
    assert missing_ids(handbook, REQUIRED[row]) == []


@pytest.mark.parametrize("seed", SEED_POINTS)
def test_every_point_of_every_seed_is_carried(handbook: Handbook, seed: str) -> None:
    for point, ids in SEED_POINTS[seed].items():
        assert missing_ids(handbook, ids) == [], f"{seed}: {point}"


def test_renaming_a_required_entry_is_caught(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "handbook", ("playbooks",))
    faq = root / "playbooks" / "partner-faq.yaml"
    text = faq.read_text(encoding="utf-8")
    assert text.count("id: faq-agency-standards\n") == 1
    faq.write_text(text.replace("id: faq-agency-standards\n", "id: faq-agency-rules\n"), encoding="utf-8")
    renamed, _ = check(Project(root))
    assert missing_ids(renamed, REQUIRED["FAQ: the two questions of seed 003"]) == ["faq-agency-standards"]


def test_stages_run_in_lifecycle_order(stages: list[LifecycleStage]) -> None:
    assert [s.id for s in stages] == STAGES


def test_every_stage_is_complete(stages: list[LifecycleStage]) -> None:
    for stage in stages:
        for field in ("practices", "involved", "exit_criteria", "anti_patterns", "checklists", "iso_44001"):
            assert getattr(stage, field), f"{stage.id} has no {field}"


def test_lifecycle_covers_all_eight_iso_44001_stages(stages: list[LifecycleStage]) -> None:
    covered = {key for stage in stages for key in stage.iso_44001}
    assert sorted(set(ISO_44001_STAGES) - covered) == []
    order = list(ISO_44001_STAGES)
    firsts = [min(order.index(k) for k in stage.iso_44001) for stage in stages]
    assert firsts == sorted(firsts), "our stages must follow the ISO 44001 order"


def test_partnership_types_rise_in_complexity(operating_model: OperatingModel) -> None:
    levels = ["low", "medium", "high"]
    types = operating_model.partnership_types
    assert [t.id for t in types] == REQUIRED["Partnership types (seed 004)"]
    assert [levels.index(t.complexity) for t in types] == sorted(levels.index(t.complexity) for t in types)
    assert all(t.examples and t.when_to_use for t in types)


def test_every_checklist_and_anti_pattern_is_used_by_a_stage(
    handbook: Handbook, stages: list[LifecycleStage]
) -> None:
    used = {i for s in stages for i in [*s.checklists, *s.anti_patterns]}
    checklists = {pb.id for pb in _of_kind(handbook, Checklist)}
    anti_patterns = {ap.id for pb in _of_kind(handbook, AntiPatterns) for ap in pb.anti_patterns}  # type: ignore[attr-defined]
    assert sorted((checklists | anti_patterns) - used) == []


def test_anti_patterns_are_complete_and_remedies_link(handbook: Handbook) -> None:
    patterns = [ap for pb in _of_kind(handbook, AntiPatterns) for ap in pb.anti_patterns]  # type: ignore[attr-defined]
    assert len(patterns) >= 12
    for ap in patterns:
        assert ap.symptoms and ap.why_it_hurts and ap.early_warning_signs, ap.id
        assert all(remedy.see for remedy in ap.remedies), f"{ap.id}: a remedy links nothing"


def test_faq_answers_link_what_they_draw_on(handbook: Handbook) -> None:
    questions = [q for pb in _of_kind(handbook, Faq) for g in pb.groups for q in g.questions]  # type: ignore[attr-defined]
    assert len(questions) >= 15
    assert [q.id for q in questions if not q.see] == []


def test_every_playbook_names_its_sources(handbook: Handbook) -> None:
    (refs,) = _of_kind(handbook, References)
    assert isinstance(refs, References)
    articles = [w.id for w in refs.works if w.type == "article"]
    assert sorted(articles) == sorted(REQUIRED["References: the five source articles"])
    for pb in handbook.playbooks:
        if not isinstance(pb.model, References):
            assert pb.model.references, f"{pb.model.id} names no references"
    cited = {i for w in refs.works for i in w.cites}
    assert set(REQUIRED["References: the works they cite"]) <= cited


def test_built_site_serves_every_required_entry(built_site: Path) -> None:
    links = json.loads((built_site / "links.json").read_text(encoding="utf-8"))
    required = {i for ids in REQUIRED.values() for i in ids}
    required |= {i for points in SEED_POINTS.values() for ids in points.values() for i in ids}
    assert sorted(required - set(links)) == []
    for entry_id in sorted(required):
        page, _, anchor = links[entry_id].partition("#")
        html = (built_site / page / "index.html").read_text(encoding="utf-8")
        if anchor:
            assert f'id="{anchor}"' in html, f"{entry_id}: no anchor on {page}"


def test_built_iso_44001_table_has_no_gap(built_site: Path) -> None:
    html = (built_site / "operating-model" / "partnership-operating-model" / "index.html").read_text()
    table = html.split('id="partnership-operating-model-iso-44001"')[1].split("</table>")[0]
    assert table.count("<tr>") == 1 + len(ISO_44001_STAGES)
    assert "not covered" not in table


def test_the_worked_example_follows_one_engagement_through_the_handbook() -> None:
    """A hand-written page, not entries: it stays, and it links the stages it walks through."""
    page = (REPO / "content" / "worked-example.md").read_text(encoding="utf-8")
    stages = ("stage-pilot", "stage-onboarding", "stage-staying-together")
    assert all(f"[{stage}]" in page for stage in stages)
    tables = re.findall(r"^\|[ :-]*-{3}[ :|-]*$", page, re.MULTILINE)
    assert len(tables) >= 5, "its scorecards, checklists and invoice check are filled-in tables"
