"""Who reads what: the rules that make the partner handbook a view of the same playbooks.

A small handbook written here holds each case once: a shared playbook with a withheld entry, a
withheld checklist item, a shared entry that refers to withheld ones (by `see:`, in its text,
and as the one accountable role of a decision), and an internal playbook. What `handbook check
--audience partners` says about such references is checked on the starter handbook with one
such playbook added, since that check also builds the partner handbook for the leak check.
"""

from __future__ import annotations

import json
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


# A shared default a decision quotes, and one kept internal: for what partners read in place of
# a withheld default, its value.
DEFAULTS = f"""\
    id: defaults
    title: Numbers we work to
    kind: defaults
    audience: [internal, partners]
    summary: The few numbers both sides plan with.
{COMMON}    defaults:
      - id: default-reply
        title: Answer a partner's question
        value: within two working days
        governs: How soon a question from the partner team gets an answer.
        why: A team that waits longer stops asking.
      - id: default-margin
        audience: internal
        title: Most we pay above the benchmark rate
        value: a tenth
        governs: How far a day rate may rise above procurement's benchmark.
        why: Above that, we compare other offers first.
"""

# The decision quotes the internal default and links the internal role twice: once with words of
# its own, once with none but its id.
DESCRIPTION = "description: A change of scope inside the agreed budget."
QUOTING = (
    "description: A change of scope inside the agreed budget (up to [[default-margin]]), checked by "
    "[the controller][role-finance]; ask [role-finance][] first."
)


def line_of(text: str, fragment: str) -> int:
    """The line of the dedented playbook text that holds `fragment` (once)."""
    lines = [n for n, line in enumerate(textwrap.dedent(text).splitlines(), 1) if fragment in line]
    assert len(lines) == 1, (fragment, lines)
    return lines[0]


def value_at(text: str, fragment: str) -> str:
    """LINE:COL of the value in the line `fragment` (a `key: value` line)."""
    line = line_of(text, fragment)
    row = textwrap.dedent(text).splitlines()[line - 1]
    return f"{line}:{row.index(fragment) + fragment.index(': ') + 3}"


def test_partners_read_internal_only_where_a_shared_entry_must_show_what_is_withheld(tmp_path: Path) -> None:
    """The warnings name the two places a reference cannot be shown at all: the accountable role
    of a shared decision, and a link whose only words are the id; a link with words, a default
    and a `see:` lose their link by design, without a warning."""
    model = MODEL.replace(DESCRIPTION, QUOTING)
    write_handbook(tmp_path, {"faq.yaml": FAQ, "model.yaml": model, "defaults.yaml": DEFAULTS})
    handbook, problems = check_playbooks(Project(tmp_path))
    assert problems == []
    warnings = audience.dependencies(handbook)
    assert [(w.path, w.line, w.severity) for w in warnings] == [
        ("playbooks/model.yaml", line_of(model, "ask [role-finance][] first"), "warning"),
        ("playbooks/model.yaml", line_of(model, "accountable: role-finance"), "warning"),
    ]
    assert all(
        w.message == "partners read *internal* here: 'role-finance' is not shared with them" for w in warnings
    )


def test_report_partners_lists_every_reference_from_a_shared_entry_to_an_internal_one(tmp_path: Path) -> None:
    model = MODEL.replace(DESCRIPTION, QUOTING)
    write_handbook(
        tmp_path,
        {"faq.yaml": FAQ, "model.yaml": model, "defaults.yaml": DEFAULTS, "vetting.yaml": INTERNAL_ONLY},
    )
    described = line_of(model, "ask [role-finance][] first")
    expected = [  # (file, line, id, what partners see); the internal playbook refers to nothing shared
        ("playbooks/faq.yaml", line_of(FAQ, "see [how we pay][faq-rates]"), "faq-rates", "words"),
        ("playbooks/faq.yaml", line_of(FAQ, "see: [faq-rates, role-lead]"), "faq-rates", "nothing"),
        ("playbooks/model.yaml", described, "default-margin", "value"),
        ("playbooks/model.yaml", described, "role-finance", "words"),
        ("playbooks/model.yaml", described, "role-finance", "internal"),
        (
            "playbooks/model.yaml",
            line_of(model, "responsible: [role-lead, role-finance]"),
            "role-finance",
            "nothing",
        ),
        ("playbooks/model.yaml", line_of(model, "accountable: role-finance"), "role-finance", "internal"),
    ]
    result = run_handbook("report", "partners", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert sorted((r["path"], r["line"], r["id"], r["shown"]) for r in rows) == sorted(expected)

    result = run_handbook("report", "partners", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    *lines, total = result.stdout.splitlines()
    assert total == "7 reference(s) from shared entries to internal ones, in 2 file(s)"
    shown = {
        "words": "partners read the link's words, unlinked",
        "value": "partners read the default's value, unlinked",
        "nothing": "partners do not see this reference",
        "internal": "partners read *internal* here",
    }
    titles = {
        "faq-rates": "How do we negotiate the day rates of the vendor?",
        "role-finance": "Commercial controller of vendor spending",
        "default-margin": "Most we pay above the benchmark rate",
    }
    assert sorted(lines) == sorted(
        f"{r['path']}:{r['line']}:{r['col']}: '{r['id']}' ({titles[r['id']]}) is internal: "
        f"{shown[r['shown']]}"
        for r in rows
    )


def test_a_hand_written_file_is_internal_unless_its_front_matter_or_mkdocs_yml_shares_it(
    tmp_path: Path,
) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "index.md").write_text("# Internal home\n")
    (content / "index.partners.md").write_text("# Welcome, partners\n")
    (content / "shared.md").write_text("---\naudience: [internal, partners]\n---\n# Shared\n")
    (content / "private.md").write_text("---\ntitle: Private\n---\n# Private\n")
    (content / "style.css").write_text("body {}\n")
    (content / "files").mkdir()
    (content / "files" / "rate-card.csv").write_text("role,day rate\n")
    (content / "files" / "partner-kit.docx").write_bytes(b"PK")
    (content / "bad.md").write_text("---\naudience: everyone\n---\n# Bad\n")
    project = Project(tmp_path)
    everything = ["bad.md", "files/partner-kit.docx", "files/rate-card.csv", "index.md", "private.md"]
    assert sorted(project.content_sources()) == [*everything, "shared.md", "style.css"]
    partners = project.for_audience("partners").content_sources()
    assert sorted(partners) == ["index.md", "shared.md"]  # no file besides pages, until shared
    assert partners["index.md"].name == "index.partners.md"
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nplugins:\n  - handbook:\n      partners:\n"
        '        files: ["*.css", "files/partner-*"]\n'
    )
    partners = project.for_audience("partners").content_sources()
    assert sorted(partners) == ["files/partner-kit.docx", "index.md", "shared.md", "style.css"]
    from generator.shared_pages import page_problems

    assert [str(p) for p in page_problems("content/bad.md", (content / "bad.md").read_text())] == [
        "content/bad.md:2:11: error: unknown audience 'everyone': use internal, partners"
    ]


# A shared playbook for the starter handbook whose decision partners cannot be shown in full.
MONEY = """\
    # yaml-language-server: $schema=../schemas/operating-model.schema.json
    id: money-matters
    title: How money decisions are made
    kind: operating-model
    audience: [internal, partners]
    summary: Who may move budget during an engagement, and who signs it off.
    owner: Partner Management Office
    last_reviewed: 2026-10-01
    tags: [governance]
    references: [{reference}]
    roles:
      - id: role-controller
        audience: internal
        title: Commercial controller for supplier spending
        side: organisation
        responsibilities: [Signs off every invoice above the agreed threshold.]
    decisions:
      - id: decide-budget-shift
        title: Move budget between work packages
        description: |
          Money moves from one work package to another inside the agreed total.
          The [controller][role-controller] checks the sums:
          ask [role-controller][] before you promise anything.
        responsible: [{shared_role}, role-controller]
        accountable: role-controller
"""


def test_check_for_partners_warns_only_where_partners_read_internal_and_passes(starter_copy: Path) -> None:
    """Plain `handbook check` (what CI enforces) shows no warning; `--audience partners` warns,
    exits 0 and still runs the leak check."""
    handbook, problems = check_playbooks(Project(starter_copy))
    assert problems == []
    shared = audience.view(handbook, "partners")
    role = next(e.id for e in shared.entries.values() if type(e.entry).__name__ == "Role")
    reference = next(
        e.id for e in shared.entries.values() if e.playbook.kind == "references" and e.entry is not e.playbook
    )
    money = textwrap.dedent(MONEY.format(reference=reference, shared_role=role))
    (starter_copy / "playbooks" / "money.yaml").write_text(money, encoding="utf-8")
    assert run_handbook("fix", cwd=starter_copy).returncode == 0  # the new URLs and owner

    result = run_handbook("check", cwd=starter_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "warning" not in result.stdout + result.stderr  # plain check: the errors CI enforces

    result = run_handbook("check", "--audience", "partners", cwd=starter_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    warnings = [line for line in result.stdout.splitlines() if ": warning: " in line]
    message = "warning: partners read *internal* here: 'role-controller' is not shared with them"
    assert warnings == [  # each at the value that holds the reference
        f"playbooks/money.yaml:{value_at(money, 'description: |')}: {message}",
        f"playbooks/money.yaml:{value_at(money, 'accountable: role-controller')}: {message}",
    ]
    assert "(2 warning(s))" in result.stdout
    assert "leak check:" in result.stderr and "none found" in result.stderr
