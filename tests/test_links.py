"""Links never break: published-urls.txt, aliases, moved entries, /go/ short links, `handbook urls`.

Every test works on a copy of the starter handbook: it renames, moves, retitles and removes the
starter's own entries, as a contributor's pull request would.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from browser import serve_path, static_server
from conftest import new_handbook, run_handbook

from generator.pipeline import Project, check, links_map, page_paths, plan_links

MANIFEST = "published-urls.txt"
PARTNER_MANIFEST = "published-urls-partners.txt"
FAQ = "playbooks/faq.yaml"
MOVED_FAQ = "playbooks/faq-people.yaml"


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == count, f"{old!r} occurs {text.count(old)} times in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _cut_question(faq: Path, question_id: str) -> str:
    """Remove a FAQ question from its file and return its YAML block."""
    text = faq.read_text(encoding="utf-8")
    start = text.index(f"      - id: {question_id}\n")
    following = re.compile(r"^ {0,6}- id: ", re.M).search(text, start + 1)  # next question or group
    end = following.start() if following else len(text)
    faq.write_text(text[:start] + text[end:], encoding="utf-8")
    return text[start:end]


def _rename_and_move(root: Path) -> None:
    """What a real pull request does: rename an entry and a playbook (with `handbook rename`,
    as CONTRIBUTING says), move a question to a new playbook, retitle a stage."""
    playbooks = root / "playbooks"
    for old, new in (
        ("faq-escalate", "faq-raise-a-problem"),
        ("exit-checklist", "offboarding-checklist"),
    ):
        renamed = run_handbook("rename", old, new, cwd=root)
        assert renamed.returncode == 0, renamed.stdout + renamed.stderr
    assert not (playbooks / "exit-checklist.yaml").exists()
    assert (playbooks / "offboarding-checklist.yaml").is_file()
    assert "[the exit checklist][offboarding-checklist]" in (root / "content" / "index.md").read_text()
    moved = _cut_question(root / FAQ, "faq-team-changes")
    (root / MOVED_FAQ).write_text(
        "id: faq-people\ntitle: Questions about the people on a team\nkind: faq\n"
        "audience: [internal, partners]\n"
        "summary: Who joins or leaves a partner team, and who has a say in it.\n"
        "owner: Partner Management Office\nlast_reviewed: 2026-11-22\ntags: [faq]\n"
        "references: [ref-itil-supplier-management]\n"
        "groups:\n  - id: faq-group-team\n    title: The team\n    questions:\n" + moved,
        encoding="utf-8",
    )
    _edit(
        playbooks / "lifecycle" / "03-run.yaml", "\ntitle: Run the partnership\n", "\ntitle: Keep it going\n"
    )


def _plan(root: Path) -> tuple[Any, Any]:
    handbook, problems = check(Project(root))
    assert not problems, problems
    plan, _ = plan_links(Project(root), handbook, page_paths(Project(root), handbook))
    return handbook, plan


def test_committed_manifest_lists_every_published_url(handbook: Path) -> None:
    """After `handbook fix`, the manifest holds every URL the site publishes; a URL it lacks is
    reported by `handbook urls --check`."""
    result = run_handbook("urls", "--check", cwd=handbook)
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = handbook / MANIFEST
    lines = manifest.read_text(encoding="utf-8").splitlines()
    dropped = next(line for line in lines if line.startswith("/faq/faq/#faq-main-contact "))
    manifest.write_text("\n".join(line for line in lines if line != dropped) + "\n", encoding="utf-8")
    result = run_handbook("urls", "--check", cwd=handbook)
    assert result.returncode == 1
    assert "not recorded yet: /faq/faq/#faq-main-contact" in result.stdout


def test_rename_move_and_retitle_keep_every_published_url(handbook: Path) -> None:
    before = links_map(*_plan(handbook))
    _rename_and_move(handbook)
    result = run_handbook("check", cwd=handbook)  # the new page's URLs and owner: derived files
    assert result.returncode == 1
    assert result.stdout.strip()
    assert all(line.endswith("run `handbook fix`") for line in result.stdout.splitlines()), result.stdout
    assert run_handbook("fix", cwd=handbook).returncode == 0
    result = run_handbook("check", cwd=handbook)
    assert result.returncode == 0, result.stdout + result.stderr
    after = links_map(*_plan(handbook))
    assert after["stage-run"] == before["stage-run"]  # retitled: same address
    assert after["faq-escalate"] == after["faq-raise-a-problem"] == "faq/faq/#faq-raise-a-problem"
    assert after["exit-checklist"] == "checklists/offboarding-checklist/"
    assert after["exit-notice"] == "checklists/offboarding-checklist/#exit-notice"
    assert after["faq-team-changes"] == "faq/faq-people/#faq-team-changes"
    assert before["faq-team-changes"] == "faq/faq/#faq-team-changes"


def test_removed_entry_without_alias_fails_check_naming_the_url(handbook: Path) -> None:
    _cut_question(handbook / FAQ, "faq-negotiate-rates")
    result = run_handbook("check", cwd=handbook)
    assert result.returncode == 1
    line = next(
        n
        for n, text in enumerate((handbook / MANIFEST).read_text().splitlines(), 1)
        if "#faq-negotiate-rates" in text
    )
    assert result.stdout.startswith(
        f"{MANIFEST}:{line}:1: error: '/faq/faq/#faq-negotiate-rates' is published but no page or "
        "redirect serves it any more: entry 'faq-negotiate-rates' was removed or renamed"
    ), result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert run_handbook("build", cwd=handbook).returncode == 1


def test_retiring_a_url_takes_the_forget_flag(handbook: Path) -> None:
    _cut_question(handbook / FAQ, "faq-negotiate-rates")  # internal: only the internal manifest
    assert run_handbook("urls", cwd=handbook).returncode == 0  # adds, never removes
    assert run_handbook("check", cwd=handbook).returncode == 1
    refused = run_handbook("urls", "--forget", "/faq/faq/", cwd=handbook)
    assert refused.returncode == 1 and "is still published" in refused.stderr
    gone = "/faq/faq/#faq-negotiate-rates"
    assert run_handbook("urls", "--forget", gone, cwd=handbook).returncode == 0
    assert gone not in (handbook / MANIFEST).read_text()
    result = run_handbook("check", cwd=handbook)
    assert result.returncode == 0, result.stdout + result.stderr


def test_new_urls_are_flagged_until_recorded(handbook: Path) -> None:
    _edit(
        handbook / FAQ,
        "      - id: faq-escalate\n",
        "      - id: faq-pilot-length\n        question: How long does a paid pilot last?\n"
        "        answer: Between two and six weeks, agreed before it starts.\n"
        "        see: [choose-paid-pilot]\n      - id: faq-escalate\n",
    )
    unrecorded = run_handbook("urls", "--check", cwd=handbook)
    assert unrecorded.returncode == 1
    assert f"{MANIFEST}: not recorded yet: /faq/faq/#faq-pilot-length  faq-pilot-length" in unrecorded.stdout
    checked = run_handbook("check", cwd=handbook)
    assert checked.returncode == 1
    assert (
        f"{MANIFEST}:{len((handbook / MANIFEST).read_text().splitlines()) + 1}:1: error: "
        "'/faq/faq/#faq-pilot-length' published but not recorded here"
    ) in checked.stdout
    # the FAQ is shared, and so is a new question in it: the partner handbook publishes it too
    assert f"{PARTNER_MANIFEST}:" in checked.stdout
    assert checked.stdout.rstrip().endswith("run `handbook fix`")
    fixed = run_handbook("fix", cwd=handbook)
    assert fixed.returncode == 0 and "recorded 1 new published URL(s)" in fixed.stdout
    assert "/faq/faq/#faq-pilot-length" in (handbook / PARTNER_MANIFEST).read_text()
    assert run_handbook("urls", "--check", cwd=handbook).returncode == 0
    result = run_handbook("check", cwd=handbook)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def renamed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The starter after the pull request of `_rename_and_move`, fixed and built; returns the
    handbook's folder."""
    root = new_handbook(tmp_path_factory.mktemp("renamed") / "handbook")
    _rename_and_move(root)
    assert run_handbook("fix", cwd=root).returncode == 0
    result = run_handbook("build", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def test_home_page_id_links_follow_the_rename(renamed: Path) -> None:
    """content/index.md links the checklist by id; after the rename the link goes straight to
    the new page (no redirect hop), and MkDocs resolved it (a relative href, no .md left)."""
    home = (renamed / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="checklists/offboarding-checklist/"' in home
    assert "checklists/exit-checklist/" not in home
    assert [
        h for h in re.findall(r'href="([^"]*)"', home) if re.search(r"\.md(#|$)", h) and "://" not in h
    ] == []


def test_links_json_maps_former_ids(renamed: Path) -> None:
    links = json.loads((renamed / "site" / "links.json").read_text())
    assert links["faq-escalate"] == "faq/faq/#faq-raise-a-problem"
    assert links["exit-checklist"] == "checklists/offboarding-checklist/"
    assert links["faq-team-changes"] == "faq/faq-people/#faq-team-changes"


@pytest.mark.parametrize(
    ("old", "new_path", "anchor"),
    [
        ("faq/faq/#faq-escalate", "faq/faq/", "faq-raise-a-problem"),
        ("checklists/exit-checklist/", "checklists/offboarding-checklist/", ""),
        ("checklists/exit-checklist/#exit-notice", "checklists/offboarding-checklist/", "exit-notice"),
        ("faq/faq/#faq-team-changes", "faq/faq-people/", "faq-team-changes"),
        ("go/faq-escalate/", "faq/faq/", "faq-raise-a-problem"),
        ("go/exit-checklist/", "checklists/offboarding-checklist/", ""),
        ("go/stage-run/", "lifecycle/stage-run/", ""),
        ("go/run-weekly-rhythm/", "lifecycle/stage-run/", "run-weekly-rhythm"),
    ],
)
def test_old_urls_and_anchors_answer_in_the_browser(
    renamed: Path, browser: Any, old: str, new_path: str, anchor: str
) -> None:
    with static_server(renamed / "site", serve_path(renamed)) as base:
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
