"""Owners and review dates: next review on every page, overdue banners, the review status page
and `handbook report stale`, all on a fixed clock (HANDBOOK_TODAY or --today)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from conftest import run_handbook

from generator.review import add_months


def _html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def _set_last_reviewed(project: Path, name: str, day: str) -> None:
    path = project / "playbooks" / name
    text = re.sub(r"(?m)^last_reviewed: .*$", f"last_reviewed: {day}", path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
        (dt.date(2026, 11, 20), 6, dt.date(2027, 5, 20)),
        (dt.date(2026, 12, 15), 1, dt.date(2027, 1, 15)),
    ],
)
def test_add_months_clamps_to_month_end(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


def test_overdue_page_shows_a_banner_and_current_page_does_not(project: Path) -> None:
    _set_last_reviewed(project, "partner-faq.yaml", "2025-01-10")  # FAQ: every 6 months
    result = run_handbook("build", cwd=project, today="2026-11-22")
    assert result.returncode == 0, result.stderr
    faq = _html(project / "site", "faq/partner-faq")
    banner = faq.split('class="admonition warning"', 1)
    assert len(banner) == 2, "no warning admonition on the overdue page"
    assert "Review overdue" in banner[1].split("</div>", 1)[0]
    assert "due for review on 2025-07-10, 500 day(s) ago" in faq
    assert faq.index("Review overdue") < faq.index("Last reviewed: 2025-01-10")  # above the content
    culture = _html(project / "site", "culture/culture-template")
    assert "Review overdue" not in culture
    assert "Next review due: 2027-11-23" in culture  # culture: every 12 months


def test_review_status_page_lists_every_playbook(project: Path) -> None:
    _set_last_reviewed(project, "partner-faq.yaml", "2025-01-10")
    assert run_handbook("build", cwd=project, today="2026-11-22").returncode == 0
    status = _html(project / "site", "review-status")
    rows = re.findall(r"<tr>\s*<td><a href=\"([^\"]+)\"", status)
    assert len(rows) == len(list((project / "playbooks").rglob("*.yaml")))
    assert rows[0] == "../faq/partner-faq/"  # the most overdue comes first
    assert "<strong>Overdue</strong> by 500 day(s)" in status
    assert "1 overdue" in status


def test_report_stale_lists_overdue_playbooks_in_text_and_json(project: Path) -> None:
    _set_last_reviewed(project, "partner-faq.yaml", "2025-01-10")
    _set_last_reviewed(project, "onboarding-checklist.yaml", "2026-01-01")
    text = run_handbook("report", "stale", cwd=project, today="2026-11-22")
    total = len(list((project / "playbooks").rglob("*.yaml")))
    assert text.returncode == 0
    assert text.stdout.splitlines() == [
        "playbooks/onboarding-checklist.yaml: 'Partner team onboarding checklist' (owner: Engineering "
        "Enablement) was due for review on 2026-07-01, 144 day(s) ago",
        "playbooks/partner-faq.yaml: 'Frequently asked questions' (owner: Partner Management Office) "
        "was due for review on 2025-07-10, 500 day(s) ago",
        f"2 of {total} playbook(s) overdue for review as of 2026-11-22",
    ]
    as_json = run_handbook("report", "stale", "--format", "json", "--today", "2026-11-22", cwd=project)
    rows = json.loads(as_json.stdout)
    assert [(r["id"], r["owner"], r["next_review"], r["days_overdue"]) for r in rows] == [
        ("onboarding-checklist", "Engineering Enablement", "2026-07-01", 144),
        ("partner-faq", "Partner Management Office", "2025-07-10", 500),
    ]
    assert run_handbook("report", "stale", "--fail", cwd=project, today="2026-11-22").returncode == 1
    assert run_handbook("report", "stale", "--fail", "--today", "2025-02-01", cwd=project).returncode == 0


def test_review_cadence_can_be_set_per_playbook(project: Path) -> None:
    path = project / "playbooks" / "culture-template.yaml"
    path.write_text(path.read_text().replace("\ntags:\n", "\nreview_every_months: 1\ntags:\n", 1))
    _set_last_reviewed(project, "culture-template.yaml", "2026-10-01")
    report = run_handbook("report", "stale", "--format", "json", cwd=project, today="2026-11-22")
    assert [row["id"] for row in json.loads(report.stdout)] == ["culture-template"]


def test_a_bad_clock_is_a_usage_error(project: Path) -> None:
    result = run_handbook("report", "stale", cwd=project, today="22/11/2026")
    assert result.returncode == 2
    assert "HANDBOOK_TODAY='22/11/2026' is not a date" in result.stderr
    assert "Traceback" not in result.stderr
