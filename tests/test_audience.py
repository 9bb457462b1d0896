"""Who reads what: the rules that make the partner handbook a view of the same playbooks.

A small handbook written here holds each case once: a shared playbook with a withheld entry, a
withheld checklist item, a shared entry that refers to withheld ones (by `see:`, in its text,
and as the one accountable role of a decision), and an internal playbook.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import run_handbook

from generator import audience, inline
from generator.pipeline import Project, check, check_playbooks
from generator.render import render_pages
from generator.review import today
from generator.validate import Handbook

COMMON = """\
    owner: Partner Management Office
    last_reviewed: 2026-10-01
    tags: [partners]
"""

FAQ = f"""\
    id: faq
    title: Questions partners ask
    kind: faq
    audience: [internal, partners]
    summary: What partners ask us in their first weeks.
{COMMON}    groups:
      - id: faq-working
        title: Working together
        questions:
          - id: faq-standup
            question: When is the daily stand-up held?
            answer: At half past nine, on the team's video call; see [how we pay][faq-rates].
            see: [faq-rates, role-lead]
          - id: faq-rates
            audience: internal
            question: How do we negotiate the day rates of the vendor?
            answer: Open with the benchmark rate from procurement and never show the ceiling figure.
"""

CHECKLIST = f"""\
    id: onboarding
    title: Onboarding a partner engineer
    kind: checklist
    audience: partners
    summary: The first days of a partner engineer.
{COMMON}    groups:
      - id: onb-day-one
        title: Day one
        items:
          - text: Give the engineer access to the repository and the chat channels.
            owner: role-lead
          - text: File the engineer's confidential background screening report in the vendor folder.
            audience: [internal]
"""

MODEL = f"""\
    id: how-we-work
    title: How we work with partners
    kind: operating-model
    audience: [internal, partners]
    summary: Roles and decisions.
{COMMON}    roles:
      - id: role-lead
        title: Delivery lead
        side: both
        responsibilities: [Runs the delivery of the engagement day to day.]
      - id: role-finance
        audience: internal
        title: Commercial controller of vendor spending
        side: organisation
        responsibilities: [Approves every invoice above the agreed threshold.]
    decisions:
      - id: decide-scope
        title: Change the scope of a sprint
        description: A change of scope inside the agreed budget.
        responsible: [role-lead, role-finance]
        accountable: role-finance
"""

INTERNAL_ONLY = f"""\
    id: vetting
    title: Vetting a partner before we sign
    kind: checklist
    summary: How we judge a candidate partner.
{COMMON}    groups:
      - id: vet-money
        title: Money
        items:
          - id: vet-margins
            text: Compare the vendor's quoted margins with our secret benchmark spreadsheet.
"""


def write_handbook(root: Path, files: dict[str, str]) -> Project:
    for name, text in files.items():
        path = root / "playbooks" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return Project(root)


@pytest.fixture
def handbook(tmp_path: Path) -> Handbook:
    project = write_handbook(
        tmp_path,
        {"faq.yaml": FAQ, "onboarding.yaml": CHECKLIST, "model.yaml": MODEL, "vetting.yaml": INTERNAL_ONLY},
    )
    found, problems = check_playbooks(project)
    assert problems == []
    return found


def test_an_unmarked_playbook_is_internal_and_a_shared_one_brings_its_entries(handbook: Handbook) -> None:
    view = audience.view(handbook, "partners")
    assert [pb.model.id for pb in view.playbooks] == ["faq", "how-we-work", "onboarding"]
    assert "vetting" not in view.entries and "vet-margins" not in view.entries
    assert {"faq-working", "faq-standup", "onb-day-one", "role-lead", "decide-scope"} <= set(view.entries)
    assert audience.view(handbook, "internal") is handbook


def test_an_entry_marked_internal_stays_out_of_a_shared_playbook(handbook: Handbook) -> None:
    view = audience.view(handbook, "partners")
    faq = next(pb.model for pb in view.playbooks if pb.model.id == "faq")
    assert [q.id for q in faq.groups[0].questions] == ["faq-standup"]  # type: ignore[attr-defined]
    assert "faq-rates" not in view.entries and "role-finance" not in view.entries
    assert set(view.withheld) >= {"faq-rates", "role-finance", "vetting", "vet-margins"}
    # the whole handbook is untouched: the view is a copy
    assert "faq-rates" in handbook.entries


def test_a_checklist_item_marked_internal_is_left_out_whatever_form_it_takes(handbook: Handbook) -> None:
    view = audience.view(handbook, "partners")
    checklist = next(pb.model for pb in view.playbooks if pb.model.id == "onboarding")
    texts = [item.text for item in checklist.groups[0].items]  # type: ignore[attr-defined]
    assert texts == ["Give the engineer access to the repository and the chat channels."]


def test_references_to_withheld_entries_never_become_links_or_titles(handbook: Handbook) -> None:
    view = audience.view(handbook, "partners")
    question = view.entries["faq-standup"].entry
    assert question.see == ["role-lead"]  # the withheld one is dropped
    decision = view.entries["decide-scope"].entry
    assert decision.responsible == ["role-lead"]  # type: ignore[attr-defined]
    pages = {page.path: page.text for page in render_pages(view, today())}
    faq_page = pages["faq/faq.md"]
    assert "see [how we pay][faq-rates]" not in faq_page
    assert "see how we pay." in faq_page  # the author's words, no link
    model_page = pages["operating-model/how-we-work.md"]
    assert "Commercial controller" not in model_page and "role-finance" not in model_page
    assert f"| {inline.WITHHELD_TEXT} |" in model_page  # the accountable role: plain, no title
    assert "review-status.md" not in pages and "vetting" not in "".join(pages)
    assert "Owner:" not in faq_page and "Partner Management Office" not in faq_page
    assert inline.words("see [how we pay][faq-rates]", view) == "see how we pay"


def test_the_internal_handbook_shows_what_is_shared(handbook: Handbook) -> None:
    pages = {p.path: p.text for p in render_pages(handbook, today(), shared=audience.sharing(handbook))}
    faq_page = pages["faq/faq.md"]
    assert '!!! info "Shared with partners"' in faq_page
    assert faq_page.count("*Internal only: partners do not see this.*") == 1  # faq-rates
    assert "screening report in the vendor folder. *(internal only)*" in pages["checklists/onboarding.md"]
    assert "Shared with partners" not in pages["checklists/vetting.md"]


def test_backlinks_and_aliases_are_among_shared_entries_only(tmp_path: Path) -> None:
    faq = FAQ.replace(
        "          - id: faq-rates\n", "          - id: faq-rates\n            aliases: [faq-pay]\n"
    )
    vetting = INTERNAL_ONLY.replace("text: Compare", "see: [faq-standup]\n            text: Compare")
    project = write_handbook(tmp_path, {"faq.yaml": faq, "vetting.yaml": vetting, "model.yaml": MODEL})
    handbook, problems = check_playbooks(project)
    assert problems == []
    assert "vet-margins" in handbook.backlinks["faq-standup"]
    view = audience.view(handbook, "partners")
    assert "faq-standup" not in view.backlinks  # linked only from a withheld entry
    assert "faq-pay" not in view.aliases and "faq-pay" in view.withheld


def test_partners_marked_inside_an_internal_playbook_is_an_error_at_its_line(tmp_path: Path) -> None:
    vetting = INTERNAL_ONLY.replace(
        "          - id: vet-margins\n",
        "          - id: vet-margins\n            audience: [internal, partners]\n",
    )
    project = write_handbook(tmp_path, {"vetting.yaml": vetting})
    _, problems = check(project)
    messages = [str(p) for p in problems if "audience" in str(p) or "partners never see" in str(p)]
    assert messages == [
        "playbooks/vetting.yaml:13:19: error: marked for partners, but what holds it is internal, so "
        "partners never see it: share the playbook (and any entry around this one) with "
        "`audience: [internal, partners]`, or remove this"
    ]


def test_an_unknown_audience_is_reported_at_its_value(tmp_path: Path) -> None:
    project = write_handbook(
        tmp_path, {"faq.yaml": FAQ.replace("audience: [internal, partners]", "audience: [public]")}
    )
    _, problems = check_playbooks(project)
    assert [(p.path, p.line, p.col) for p in problems] == [("playbooks/faq.yaml", 4, 12)]
    assert "'public'" in problems[0].message and "partners" in problems[0].message


def test_check_warns_once_per_file_about_shared_entries_that_lean_on_internal_ones(tmp_path: Path) -> None:
    write_handbook(tmp_path, {"faq.yaml": FAQ, "model.yaml": MODEL})
    warnings = audience.dependencies(check_playbooks(Project(tmp_path))[0])
    assert [(w.path, w.line, w.severity) for w in warnings] == [
        ("playbooks/faq.yaml", 15, "warning"),
        ("playbooks/model.yaml", 23, "warning"),
    ]
    assert "faq-rates (line 15)" in warnings[0].message and "2 internal entries" not in warnings[0].message
    assert "role-finance" in warnings[1].message


def test_a_hand_written_page_is_internal_unless_its_front_matter_shares_it(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "index.md").write_text("# Internal home\n")
    (content / "index.partners.md").write_text("# Welcome, partners\n")
    (content / "shared.md").write_text("---\naudience: [internal, partners]\n---\n# Shared\n")
    (content / "private.md").write_text("---\ntitle: Private\n---\n# Private\n")
    (content / "style.css").write_text("body {}\n")
    (content / "bad.md").write_text("---\naudience: everyone\n---\n# Bad\n")
    project = Project(tmp_path)
    assert sorted(project.content_sources()) == ["bad.md", "index.md", "private.md", "shared.md", "style.css"]
    partners = project.for_audience("partners").content_sources()
    assert sorted(partners) == ["index.md", "shared.md", "style.css"]
    assert partners["index.md"].name == "index.partners.md"
    from generator.shared_pages import page_problems

    assert [str(p) for p in page_problems("content/bad.md", (content / "bad.md").read_text())] == [
        "content/bad.md:2:11: error: unknown audience 'everyone': use internal, partners"
    ]


def test_the_cli_warns_but_passes(tmp_path: Path) -> None:
    write_handbook(tmp_path, {"faq.yaml": FAQ, "model.yaml": MODEL})
    result = run_handbook("check", cwd=tmp_path)
    assert "warning" not in result.stdout  # plain check: the errors CI enforces, no warnings
    assert "published but not recorded" not in result.stdout
