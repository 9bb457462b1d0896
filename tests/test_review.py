"""Owners and review dates: next review on every page, overdue banners, the review status page
and `handbook report stale`, all on a fixed clock (HANDBOOK_TODAY or --today)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml
from conftest import TODAY, run_handbook

from generator.review import add_months


def _html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def _set_last_reviewed(handbook: Path, name: str, day: str) -> None:
    path = handbook / "playbooks" / name
    text, count = re.subn(
        r"(?m)^last_reviewed: .*$", f"last_reviewed: {day}", path.read_text(encoding="utf-8")
    )
    assert count == 1
    path.write_text(text, encoding="utf-8")


def _field(handbook: Path, name: str, key: str) -> str:
    value = yaml.safe_load((handbook / "playbooks" / name).read_text(encoding="utf-8"))[key]
    assert isinstance(value, str)
    return value


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


# The clock is TODAY (2026-12-01) unless a test sets another; the starter's playbooks were
# reviewed on it, so only those a test dates back are overdue. FAQs and checklists are
# reviewed every 6 months, culture pages every 12.


def test_overdue_page_shows_a_banner_and_current_page_does_not(handbook: Path) -> None:
    _set_last_reviewed(handbook, "faq.yaml", "2025-01-10")  # due 2025-07-10
    _set_last_reviewed(handbook, "culture.yaml", "2026-11-22")
    result = run_handbook("build", cwd=handbook, today=TODAY)
    assert result.returncode == 0, result.stderr
    faq = _html(handbook / "site", "faq/faq")
    banner = faq.split('class="admonition warning"', 1)
    assert len(banner) == 2, "no warning admonition on the overdue page"
    assert "Review overdue" in banner[1].split("</div>", 1)[0]
    assert "due for review on 2025-07-10, 509 day(s) ago" in faq
    assert faq.index("Review overdue") < faq.index("Last reviewed: 2025-01-10")  # above the content
    culture = _html(handbook / "site", "culture/culture")
    assert "Review overdue" not in culture
    assert "Next review due: 2027-11-22" in culture  # culture: every 12 months


def test_review_status_page_lists_every_playbook(handbook: Path) -> None:
    _set_last_reviewed(handbook, "faq.yaml", "2025-01-10")
    assert run_handbook("build", cwd=handbook, today=TODAY).returncode == 0
    status = _html(handbook / "site", "review-status")
    rows = re.findall(r"<tr>\s*<td><a href=\"([^\"]+)\"", status)
    assert len(rows) == len(list((handbook / "playbooks").rglob("*.yaml")))
    assert rows[0] == "../faq/faq/"  # the most overdue comes first
    assert "<strong>Overdue</strong> by 509 day(s)" in status
    assert "1 overdue" in status


def test_report_stale_lists_overdue_playbooks_in_text_and_json(handbook: Path) -> None:
    fresh = run_handbook("report", "stale", "--fail", cwd=handbook, today=TODAY)
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr  # nothing overdue: --fail passes
    _set_last_reviewed(handbook, "faq.yaml", "2025-01-10")  # due 2025-07-10
    _set_last_reviewed(handbook, "onboarding-checklist.yaml", "2026-01-01")  # due 2026-07-01
    text = run_handbook("report", "stale", cwd=handbook, today=TODAY)
    total = len(list((handbook / "playbooks").rglob("*.yaml")))
    checklist, faq = "onboarding-checklist.yaml", "faq.yaml"
    assert text.returncode == 0
    assert text.stdout.splitlines() == [  # by path
        f"playbooks/{faq}: '{_field(handbook, faq, 'title')}' (owner: {_field(handbook, faq, 'owner')}) "
        "was due for review on 2025-07-10, 509 day(s) ago",
        f"playbooks/{checklist}: '{_field(handbook, checklist, 'title')}' (owner: "
        f"{_field(handbook, checklist, 'owner')}) was due for review on 2026-07-01, 153 day(s) ago",
        f"2 of {total} playbook(s) overdue for review as of {TODAY}",
    ]
    # --today wins over HANDBOOK_TODAY: nine days later, each is nine days more overdue.
    as_json = run_handbook("report", "stale", "--format", "json", "--today", "2026-12-10", cwd=handbook)
    rows = json.loads(as_json.stdout)
    assert [(r["id"], r["owner"], r["next_review"], r["days_overdue"]) for r in rows] == [
        ("faq", _field(handbook, faq, "owner"), "2025-07-10", 518),
        ("onboarding-checklist", _field(handbook, checklist, "owner"), "2026-07-01", 162),
    ]
    assert run_handbook("report", "stale", "--fail", cwd=handbook, today=TODAY).returncode == 1


def test_review_cadence_can_be_set_per_playbook(handbook: Path) -> None:
    path = handbook / "playbooks" / "culture.yaml"
    text = path.read_text()
    assert "\ntags: " in text
    path.write_text(text.replace("\ntags: ", "\nreview_every_months: 1\ntags: ", 1))
    _set_last_reviewed(handbook, "culture.yaml", "2026-10-01")  # 12 months would make it current
    report = run_handbook("report", "stale", "--format", "json", cwd=handbook, today=TODAY)
    assert [row["id"] for row in json.loads(report.stdout)] == ["culture"]


def test_a_bad_clock_is_a_usage_error(handbook: Path) -> None:
    result = run_handbook("report", "stale", cwd=handbook, today="22/11/2026")
    assert result.returncode == 2
    assert "HANDBOOK_TODAY='22/11/2026' is not a date" in result.stderr
    assert "Traceback" not in result.stderr
