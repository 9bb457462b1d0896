"""Checklists and scorecards in use, in Chromium: scoring, persistence per engagement, export,
printing, the page without JavaScript, and axe-core accessibility scans in light and dark mode.
Screenshots of a scorecard in both modes are saved to tests/artifacts/.

The handbook is the starter (its partner scorecard and onboarding checklist) with a second
scorecard whose groups have long titles, for the chart at a phone's width."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from browser import serve_path, static_server
from conftest import ENGINE, built, new_handbook, run_handbook

from generator.kinds import built_in_kinds

KINDS = built_in_kinds()

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).parent / "artifacts"
SCORECARD = "scorecards/partner-scorecard/"
CHECKLIST = "checklists/onboarding-checklist/"
HEALTH = "scorecards/vendor-health-scorecard/"
HEALTH_SCORECARD = """\
# yaml-language-server: $schema=../schemas/scorecard.schema.json
id: vendor-health-scorecard
title: Vendor health scorecard
kind: scorecard
summary: |
  A quarterly look at a running engagement with a software vendor, scored by the
  people on our side who work with the vendor's team every week.
owner: Partner Management Office
last_reviewed: 2026-11-20
tags: [governance, scorecard]
see: [partner-scorecard]
references: [ref-itil-supplier-management]
when_to_use: |
  Once a quarter, before the [partnership review][run-partnership-review], so that
  the review starts from scores both sides can see.
groups:
  - id: vh-delivery-against-commitments
    title: Delivery against what the statement of work commits the vendor to
    description: Whether the vendor ships what it said it would, when it said it would.
    criteria:
      - id: vh-forecasts
        title: Forecasts that hold
        description: How often the vendor's own estimates for a milestone turn out right.
        weight: 2
        threshold: 2
        levels:
          - {score: 0, guidance: Milestones slip without warning.}
          - {score: 1, guidance: "Slips are announced late, on the day itself."}
          - {score: 2, guidance: Slips are rare and announced a sprint ahead.}
          - {score: 3, guidance: Forecasts hold within a few days.}
          - {score: 4, guidance: The vendor helps us forecast our own work better.}
        practices: [run-weekly-rhythm]
      - id: vh-scope-changes
        title: Handling of scope changes
        description: What happens when what we need changes halfway through.
        weight: 1
        threshold: 2
        levels:
          - {score: 0, guidance: Every change turns into a dispute about money.}
          - {score: 1, guidance: Changes are accepted but their cost stays unclear.}
          - {score: 2, guidance: Each change comes with a written effect on dates and cost.}
          - {score: 3, guidance: The vendor proposes cheaper ways to reach the new goal.}
          - {score: 4, guidance: Changes feel routine to both sides.}
  - id: vh-engineering-practice-and-operational-maturity
    title: Engineering practice and operational maturity of the vendor team
    description: Whether the software the vendor leaves behind is one we can run and change.
    criteria:
      - id: vh-incidents
        title: Incident response
        description: How the vendor team behaves when something it built breaks in production.
        weight: 2
        threshold: 3
        levels:
          - {score: 0, guidance: We find out about outages from our users.}
          - {score: 1, guidance: The vendor reacts once we call them.}
          - {score: 2, guidance: The vendor is alerted and reacts within the agreed time.}
          - {score: 3, guidance: Every incident gets a written review with actions.}
          - {score: 4, guidance: Actions from reviews are done before the next review.}
      - id: vh-documentation
        title: Documentation kept current
        description: Whether a new engineer on our side could find how things work.
        weight: 1
        threshold: 2
        levels:
          - {score: 0, guidance: There is none.}
          - {score: 1, guidance: It exists but describes last year's system.}
          - {score: 2, guidance: It is updated when someone asks.}
          - {score: 3, guidance: It is updated in the same change as the code.}
          - {score: 4, guidance: Our engineers prefer it to asking the vendor.}
        practices: [run-share-knowledge]
  - id: vh-working-relationship-between-both-organisations
    title: Working relationship between both organisations, seen from our side
    description: Whether the people involved would choose to work together again.
    criteria:
      - id: vh-openness
        title: Openness about problems
        description: How early the vendor tells us about trouble in its own team.
        weight: 1
        threshold: 3
        levels:
          - {score: 0, guidance: We learn about staff changes after they happened.}
          - {score: 1, guidance: Problems surface only at the quarterly review.}
          - {score: 2, guidance: Problems are raised when asked.}
          - {score: 3, guidance: Problems are raised unprompted and with a proposal.}
          - {score: 4, guidance: The vendor asks for our help before things go wrong.}
"""


@pytest.fixture(scope="module")
def handbook_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The starter with the vendor health scorecard added, built."""
    root = new_handbook(tmp_path_factory.mktemp("tools") / "handbook")
    (root / "playbooks" / "vendor-health-scorecard.yaml").write_text(HEALTH_SCORECARD, encoding="utf-8")
    run_handbook("fix", cwd=root, check=True)
    return built(root)


@pytest.fixture(scope="module")
def site(handbook_root: Path) -> Iterator[str]:
    with static_server(handbook_root / "site", prefix=serve_path(handbook_root)) as base:
        yield base


def _playbook(root: Path, name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((root / "playbooks" / f"{name}.yaml").read_text(encoding="utf-8"))
    return data


def _criteria_of(root: Path, name: str) -> list[dict[str, Any]]:
    return [criterion for group in _playbook(root, name)["groups"] for criterion in group["criteria"]]


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


def _criteria(page: Any) -> list[dict[str, Any]]:
    return page.eval_on_selector_all(
        "fieldset.hb-criterion",
        "sets => sets.map(s => ({id: s.dataset.criterion, weight: +s.dataset.weight, min: +s.dataset.min,"
        " max: +s.dataset.max, threshold: +s.dataset.threshold,"
        " scores: [...s.querySelectorAll('input')].map(i => +i.value)}))",
    )


def _score(page: Any, criterion: str, value: int) -> None:
    page.locator(f"input[name='{criterion}'][value='{value}']").check()


def _status(page: Any) -> str:
    return str(page.locator(".hb-tool__status").inner_text())


def test_scoring_updates_the_total_and_lists_what_is_below_threshold(
    handbook_root: Path, site: str, page: Any
) -> None:
    page.goto(site + SCORECARD)
    criteria = _criteria(page)
    assert [c["id"] for c in criteria] == [c["id"] for c in _criteria_of(handbook_root, "partner-scorecard")]
    assert len(criteria) >= 3
    first, second = criteria[0], criteria[1]
    _score(page, first["id"], first["max"])
    assert "total 100%" in _status(page)
    low = first["scores"][0]
    assert low < second["threshold"]
    _score(page, second["id"], second["scores"][0])
    expected = first["weight"] / (first["weight"] + second["weight"])
    assert f"total {round(expected * 100)}%" in _status(page)
    below = page.locator(".hb-below li")
    assert below.count() == 1
    assert below.first.locator(f"a[href='#{second['id']}']").count() == 1
    assert below.first.locator("a").count() >= 2  # the criterion and at least one linked remedy
    rows = page.locator(".hb-results .hb-chart .hb-chart__row")
    groups = _playbook(handbook_root, "partner-scorecard")["groups"]
    assert rows.count() == len(groups) >= 2  # a row a group
    scored = rows.filter(has_text="2 of")
    assert scored.count() == 1 and "not scored" not in scored.inner_text()


def test_the_chart_shows_whole_group_titles_and_what_is_not_scored(
    handbook_root: Path, site: str, browser: Any
) -> None:
    """At a phone's width: every group's title in full and inside the screen (the vendor
    health scorecard's are long), unscored groups said to be so (not drawn as 0%), text no
    smaller than the page's."""
    titles = [group["title"] for group in _playbook(handbook_root, "vendor-health-scorecard")["groups"]]
    assert len(titles) >= 3 and min(len(title) for title in titles) > 50
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(site + HEALTH)
        groups = page.eval_on_selector_all(
            "article h2[id]", "hs => hs.map(h => h.textContent.replace(/¶$/, '').trim())"
        )
        assert set(titles) <= set(groups)
        first = _criteria(page)[0]
        _score(page, first["id"], first["max"])
        rows = page.locator(".hb-results .hb-chart__row")
        labels = [t.strip() for t in rows.locator(".hb-chart__label").all_inner_texts()]
        assert labels == titles  # each in full, in the scorecard's order
        values = rows.locator(".hb-chart__value").all_inner_texts()
        assert values[0].startswith("100%")
        assert all(v.startswith("not scored") for v in values[1:]), values
        assert "0%" not in " ".join(values[1:])
        boxes = page.eval_on_selector_all(
            ".hb-chart__row, .hb-chart__label, .hb-chart__value",
            "els => els.map(e => { const r = e.getBoundingClientRect();"
            " return [r.left, r.right, e.scrollWidth - e.clientWidth,"
            " parseFloat(getComputedStyle(e).fontSize)]; })",
        )
        assert all(left >= 0 and right <= 390 and hidden <= 1 for left, right, hidden, _ in boxes), boxes
        assert min(size for *_, size in boxes) >= 12
    finally:
        context.close()


def test_answers_survive_a_reload_and_engagements_stay_separate(site: str, page: Any) -> None:
    page.goto(site + SCORECARD)
    criterion = _criteria(page)[0]
    _score(page, criterion["id"], criterion["max"])
    page.reload()
    assert page.locator(f"input[name='{criterion['id']}'][value='{criterion['max']}']").is_checked()
    page.get_by_label("Name of a new engagement").fill("Acme pilot, Q3")
    page.get_by_role("button", name="Add").click()
    assert "“Acme pilot, Q3”" in _status(page)
    assert page.locator(f"input[name='{criterion['id']}']:checked").count() == 0  # a fresh engagement
    _score(page, criterion["id"], criterion["min"])
    page.get_by_label("Engagement", exact=True).select_option("Default engagement")
    assert page.locator(f"input[name='{criterion['id']}'][value='{criterion['max']}']").is_checked()
    page.reload()
    page.get_by_label("Engagement", exact=True).select_option("Acme pilot, Q3")
    assert page.locator(f"input[name='{criterion['id']}'][value='{criterion['min']}']").is_checked()
    page.get_by_role("button", name="Reset answers").click()
    assert page.locator(f"input[name='{criterion['id']}']:checked").count() == 0
    assert "0 of" in _status(page)


def test_export_writes_the_expected_markdown_and_csv(handbook_root: Path, site: str, page: Any) -> None:
    page.goto(site + SCORECARD)
    page.get_by_label("Name of a new engagement").fill("Export test")
    page.get_by_role("button", name="Add").click()
    criteria = _criteria(page)
    first, second = criteria[0], criteria[1]
    _score(page, first["id"], first["max"])
    _score(page, second["id"], second["scores"][0])
    with page.expect_download() as download:
        page.get_by_role("button", name="Export CSV").click()
    assert download.value.suggested_filename == "partner-scorecard-export-test.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    assert [row["id"] for row in rows] == [c["id"] for c in criteria]
    assert (rows[0]["score"], rows[0]["below_threshold"]) == (str(first["max"]), "no")
    assert (rows[1]["score"], rows[1]["below_threshold"]) == (str(second["scores"][0]), "yes")
    assert rows[2]["score"] == "" and rows[2]["weight"] == str(criteria[2]["weight"])
    with page.expect_download() as download:
        page.get_by_role("button", name="Export Markdown").click()
    markdown = Path(download.value.path()).read_text()
    lines = markdown.splitlines()
    assert lines[0] == "# " + _playbook(handbook_root, "partner-scorecard")["title"]
    assert lines[2].startswith("Engagement: Export test · Exported 20")
    assert "Playbook last reviewed 20" in lines[2]
    assert "| Group | Criterion | Weight | Score | Threshold | Status |" in lines
    assert sum(1 for line in lines if line.endswith("| below threshold |")) == 1
    assert sum(1 for line in lines if line.endswith("| not scored |")) == len(criteria) - 2


def test_checklist_items_are_tickable_with_progress(handbook_root: Path, site: str, page: Any) -> None:
    page.goto(site + CHECKLIST)
    boxes = page.locator("li.task-list-item input[type=checkbox]")
    total = boxes.count()
    groups = _playbook(handbook_root, "onboarding-checklist")["groups"]
    assert total == sum(len(group["items"]) for group in groups) >= 3
    assert f"0 of {total} items done" in _status(page)
    for i in (0, 2):  # by keyboard, as a reader tabbing through the list would
        boxes.nth(i).focus()
        page.keyboard.press("Space")
    assert f"2 of {total} items done" in _status(page)
    page.reload()
    assert boxes.nth(0).is_checked() and boxes.nth(2).is_checked() and not boxes.nth(1).is_checked()
    assert all(boxes.nth(i).get_attribute("aria-label") for i in range(total))
    with page.expect_download() as download:
        page.get_by_role("button", name="Export Markdown").click()
    exported = Path(download.value.path()).read_text()
    assert exported.count("- [x] ") == 2 and exported.count("- [ ] ") == total - 2


def test_print_shows_the_content_without_navigation(site: str, page: Any) -> None:
    page.goto(site + SCORECARD)
    page.emulate_media(media="print")
    for hidden in (".md-header", ".md-sidebar--primary", ".md-footer", ".hb-tool__row"):
        assert not page.locator(hidden).first.is_visible(), hidden
    header = page.locator(".hb-print-header")
    assert header.is_visible()
    assert "Engagement: Default engagement · Printed 20" in header.inner_text()
    assert "Playbook last reviewed 20" in header.inner_text()
    for size in ("A4", "Letter"):
        pdf = page.pdf(format=size)
        assert pdf[:4] == b"%PDF" and len(pdf) > 10_000


def test_without_javascript_pages_read_as_complete_tools(
    handbook_root: Path, site: str, browser: Any
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + SCORECARD)
    criteria = _criteria_of(handbook_root, "partner-scorecard")
    fieldsets = page.locator("fieldset.hb-criterion")
    assert fieldsets.count() == len(criteria)
    assert fieldsets.first.locator("label.hb-level").count() == len(criteria[0]["levels"]) >= 3
    assert page.locator(".hb-noscript").is_visible()
    assert not page.locator(".hb-tool").is_visible()
    page.goto(site + CHECKLIST)
    groups = _playbook(handbook_root, "onboarding-checklist")["groups"]
    assert page.locator("li.task-list-item").count() == sum(len(group["items"]) for group in groups)
    context.close()


def _pages_to_scan(site: Path) -> list[str]:
    """The home page, the first playbook of each kind, every scorecard (with results shown)."""
    links = json.loads((site / "links.json").read_text())
    urls = [""]
    for kind in KINDS:
        folder = KINDS[kind].spec.folder + "/"
        playbooks = sorted(
            {url.split("#")[0] for url in links.values() if url.startswith(folder) and url != folder}
        )
        urls += playbooks if kind == "scorecard" else playbooks[:1]
    return urls


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations(
    handbook_root: Path, site: str, browser: Any, scheme: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    found = {}
    urls = _pages_to_scan(handbook_root / "site")
    scorecards = [
        p for p in (handbook_root / "playbooks").rglob("*.yaml") if "\nkind: scorecard\n" in p.read_text()
    ]
    assert sum(url.startswith("scorecards/") for url in urls) == len(scorecards) >= 2
    assert len(urls) == 1 + len(KINDS) - 1 + len(scorecards)  # home, a page of each kind, every scorecard
    for url in urls:
        page.goto(site + url)
        page.wait_for_load_state("networkidle")
        if url.startswith("scorecards/"):
            # Score one criterion so that results and the chart are scanned too; clicking from
            # script keeps the page unscrolled, so the header is not caught mid-transition.
            page.locator("fieldset.hb-criterion input").first.evaluate("input => input.click()")
        violations = axe.run(page).response["violations"]
        serious = [
            (v["id"], [n["target"] for n in v["nodes"]][:3])
            for v in violations
            if v["impact"] in ("serious", "critical")
        ]
        if serious:
            found[url or "home"] = serious
    context.close()
    assert found == {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshot_of_a_scorecard(site: str, browser: Any, scheme: str) -> None:
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site + SCORECARD)
    for criterion in _criteria(page)[:4]:
        _score(page, criterion["id"], criterion["scores"][1])
    ARTIFACTS.mkdir(exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    target = ARTIFACTS / f"scorecard-{scheme}.png"
    page.screenshot(path=str(target))
    results = ARTIFACTS / f"scorecard-results-{scheme}.png"
    page.locator(".hb-results").screenshot(path=str(results))
    assert target.stat().st_size > 20_000 and results.stat().st_size > 5_000
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (background == "rgb(255, 255, 255)") is (scheme == "light")
    context.close()


def test_artifacts_folder_is_ignored_by_git() -> None:
    assert "/tests/artifacts/" in (ENGINE / ".gitignore").read_text()
