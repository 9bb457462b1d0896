"""Links never break: published-urls.txt, aliases, moved entries, /go/ short links, `handbook urls`."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from browser import static_server
from conftest import REPO, copy_project, run_handbook

from generator.pipeline import Project, check, links_map, page_paths, plan_links

MANIFEST = "published-urls.txt"


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == count, f"{old!r} occurs {text.count(old)} times in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _cut_question(faq: Path, question_id: str) -> str:
    """Remove a FAQ question from its file and return its YAML block."""
    text = faq.read_text(encoding="utf-8")
    start = text.index(f"      - id: {question_id}\n")
    end = text.index("      - id: ", start + 10)
    faq.write_text(text[:start] + text[end:], encoding="utf-8")
    return text[start:end]


def _rename_and_move(root: Path) -> None:
    """What a real pull request does: rename an entry and a playbook (with `handbook rename`,
    as CONTRIBUTING says), move a question to a new playbook, retitle a stage."""
    playbooks = root / "playbooks"
    faq = playbooks / "partner-faq.yaml"
    for old, new in (
        ("faq-run-a-pilot", "faq-how-to-run-a-pilot"),
        ("pilot-plan-checklist", "pilot-checklist"),
    ):
        renamed = run_handbook("rename", old, new, cwd=root)
        assert renamed.returncode == 0, renamed.stdout + renamed.stderr
    assert not (playbooks / "pilot-plan-checklist.yaml").exists()
    assert "[Pilot plan checklist][pilot-checklist]" in (root / "content" / "index.md").read_text()
    moved = _cut_question(faq, "faq-how-often-visit")
    (playbooks / "partner-faq-visits.yaml").write_text(
        "id: partner-faq-visits\ntitle: Visiting partners\nkind: faq\naudience: [internal, partners]\n"
        "summary: Meeting partners in person.\n"
        "owner: Partner Management Office\nlast_reviewed: 2026-11-22\ntags: [visits]\n"
        "references: [ref-long-term-partner-considerations]\n"
        "groups:\n  - id: faq-group-visits\n    title: Visits\n    questions:\n" + moved,
        encoding="utf-8",
    )
    _edit(playbooks / "lifecycle" / "05-pilot.yaml", "\ntitle: Pilot\n", "\ntitle: Trial project\n")


def test_committed_manifest_lists_every_published_url() -> None:
    result = run_handbook("urls", "--check", cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr


def test_rename_move_and_retitle_keep_every_published_url(project: Path) -> None:
    before = links_map(*_plan(project))
    _rename_and_move(project)
    result = run_handbook("check", cwd=project)  # the new page's URLs and owner: derived files
    assert result.returncode == 1
    assert all(line.endswith("run `handbook fix`") for line in result.stdout.splitlines()), result.stdout
    assert run_handbook("fix", cwd=project).returncode == 0
    result = run_handbook("check", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    after = links_map(*_plan(project))
    assert after["stage-pilot"] == before["stage-pilot"]  # retitled: same anchor
    assert (
        after["faq-run-a-pilot"]
        == after["faq-how-to-run-a-pilot"]
        == "faq/partner-faq/#faq-how-to-run-a-pilot"
    )
    assert after["pilot-plan-checklist"] == "checklists/pilot-checklist/"
    assert after["faq-how-often-visit"] == "faq/partner-faq-visits/#faq-how-often-visit"


def _plan(root: Path) -> tuple[Any, Any]:
    handbook, problems = check(Project(root))
    assert not problems, problems
    plan, _ = plan_links(Project(root), handbook, page_paths(Project(root), handbook))
    return handbook, plan


def test_removed_entry_without_alias_fails_check_naming_the_url(project: Path) -> None:
    _cut_question(project / "playbooks" / "partner-faq.yaml", "faq-domain-experience")
    result = run_handbook("check", cwd=project)
    assert result.returncode == 1
    line = next(
        n
        for n, text in enumerate((project / MANIFEST).read_text().splitlines(), 1)
        if "#faq-domain-experience" in text
    )
    assert result.stdout.startswith(
        f"{MANIFEST}:{line}:1: error: '/faq/partner-faq/#faq-domain-experience' is published but no page or "
        "redirect serves it any more: entry 'faq-domain-experience' was removed or renamed"
    ), result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert run_handbook("build", cwd=project).returncode == 1


def test_retiring_a_url_takes_the_forget_flag(project: Path) -> None:
    _cut_question(project / "playbooks" / "partner-faq.yaml", "faq-domain-experience")
    assert run_handbook("urls", cwd=project).returncode == 0  # adds, never removes
    assert run_handbook("check", cwd=project).returncode == 1
    refused = run_handbook("urls", "--forget", "/faq/partner-faq/", cwd=project)
    assert refused.returncode == 1 and "is still published" in refused.stderr
    gone = "/faq/partner-faq/#faq-domain-experience"
    assert run_handbook("urls", "--forget", gone, cwd=project).returncode == 0
    assert gone not in (project / MANIFEST).read_text()
    assert run_handbook("check", cwd=project).returncode == 0


def test_new_urls_are_flagged_until_recorded(project: Path) -> None:
    _edit(
        project / "playbooks" / "partner-faq.yaml",
        "      - id: faq-run-a-pilot\n",
        "      - id: faq-pilot-length\n        question: How long should a pilot last?\n"
        "        answer: A few weeks.\n        see: [pilot-project]\n\n      - id: faq-run-a-pilot\n",
    )
    unrecorded = run_handbook("urls", "--check", cwd=project)
    assert unrecorded.returncode == 1
    assert (
        f"{MANIFEST}: not recorded yet: /faq/partner-faq/#faq-pilot-length  faq-pilot-length"
        in unrecorded.stdout
    )
    checked = run_handbook("check", cwd=project)
    assert checked.returncode == 1
    assert (
        f"{MANIFEST}:{len((project / MANIFEST).read_text().splitlines()) + 1}:1: error: "
        "'/faq/partner-faq/#faq-pilot-length' published but not recorded here"
    ) in checked.stdout
    # the FAQ is shared, and so is a new question in it: the partner handbook publishes it too
    assert "published-urls-partners.txt:" in checked.stdout
    assert checked.stdout.rstrip().endswith("run `handbook fix`")
    fixed = run_handbook("fix", cwd=project)
    assert fixed.returncode == 0 and "recorded 1 new published URL(s)" in fixed.stdout
    assert run_handbook("urls", "--check", cwd=project).returncode == 0
    assert run_handbook("check", cwd=project).returncode == 0


@pytest.fixture(scope="module")
def renamed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("renamed") / "handbook")
    _rename_and_move(root)
    result = run_handbook("build", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def test_home_page_id_links_follow_the_rename(renamed_site: Path) -> None:
    """content/index.md links the checklist by id; after the rename the link goes straight to
    the new page (no redirect hop), and MkDocs resolved it (a relative href, no .md left)."""
    home = (renamed_site / "index.html").read_text(encoding="utf-8")
    assert 'href="checklists/pilot-checklist/"' in home
    assert "pilot-plan-checklist" not in home
    assert [
        h for h in re.findall(r'href="([^"]*)"', home) if re.search(r"\.md(#|$)", h) and "://" not in h
    ] == []


def test_links_json_maps_former_ids(renamed_site: Path) -> None:
    links = json.loads((renamed_site / "links.json").read_text())
    assert links["faq-run-a-pilot"] == "faq/partner-faq/#faq-how-to-run-a-pilot"
    assert links["pilot-plan-checklist"] == "checklists/pilot-checklist/"


@pytest.mark.parametrize(
    ("old", "new_path", "anchor"),
    [
        ("faq/partner-faq/#faq-run-a-pilot", "faq/partner-faq/", "faq-how-to-run-a-pilot"),
        ("checklists/pilot-plan-checklist/", "checklists/pilot-checklist/", ""),
        ("checklists/pilot-plan-checklist/#pilot-scope", "checklists/pilot-checklist/", "pilot-scope"),
        ("faq/partner-faq/#faq-how-often-visit", "faq/partner-faq-visits/", "faq-how-often-visit"),
        ("go/faq-run-a-pilot/", "faq/partner-faq/", "faq-how-to-run-a-pilot"),
        ("go/pilot-plan-checklist/", "checklists/pilot-checklist/", ""),
        ("go/stage-pilot/", "lifecycle/stage-pilot/", ""),
        ("go/pilot-project/", "lifecycle/stage-pilot/", "pilot-project"),
    ],
)
def test_old_urls_and_anchors_answer_in_the_browser(
    renamed_site: Path, browser: Any, old: str, new_path: str, anchor: str
) -> None:
    with static_server(renamed_site) as base:
        page = browser.new_page()
        page.goto(base + old)
        expected = base + new_path + (f"#{anchor}" if anchor else "")
        page.wait_for_url(expected, timeout=10_000)
        if anchor:
            target = page.locator(f"[id='{anchor}']")
            target.wait_for(state="attached")
            box = target.bounding_box()
            assert box is not None and 0 <= box["y"] < page.viewport_size["height"]
        page.close()
