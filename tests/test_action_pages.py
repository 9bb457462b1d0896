"""Pages built for action, on the real handbook: one page per lifecycle stage (every old link
still lands), thresholds marked as this handbook's defaults, dated checklists with owners and
a RACI of who decides what."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from browser import static_server
from conftest import REPO

from generator.inline import DEFAULT_MARK, DEFAULT_TITLE
from generator.load import text_values

OLD_PAGE = "/operating-model/partnership-operating-model/"


def _moved_urls() -> list[tuple[str, str]]:
    """Published URLs of the one long operating-model page whose entries now live elsewhere."""
    moved = []
    for line in (REPO / "published-urls.txt").read_text().splitlines():
        if line.startswith(OLD_PAGE + "#"):
            url, entry = line.split()
            moved.append((url.lstrip("/"), entry))
    return moved


MOVED = _moved_urls()


def test_the_stages_left_the_long_page() -> None:
    """The stages and their practices were published on the operating-model page: they are
    the old links this test follows."""
    assert {"stage-pilot", "pilot-project", "stage-exit"} <= {entry for _, entry in MOVED}


@pytest.mark.parametrize(("old", "entry"), MOVED, ids=[entry for _, entry in MOVED])
def test_old_operating_model_links_land_in_the_browser(
    built_site: Path, browser: Any, old: str, entry: str
) -> None:
    links = json.loads((built_site / "links.json").read_text())
    new = links[entry]
    with static_server(built_site) as base:
        page = browser.new_page()
        page.goto(base + old)
        page.wait_for_url(base + new, timeout=10_000)
        if "#" in new:
            target = page.locator(f"[id='{entry}']")
            target.wait_for(state="attached")
            box = target.bounding_box()
            assert box is not None and 0 <= box["y"] < page.viewport_size["height"]
        else:
            assert page.locator("h1").first.is_visible()
        page.close()


def _defaults() -> dict[str, str]:
    data = yaml.safe_load((REPO / "playbooks" / "handbook-defaults.yaml").read_text())
    return {d["id"]: d["value"] for d in data["defaults"]}


def _uses(marked: bool | None = None) -> dict[str, set[str]]:
    """default id → the playbook ids whose text uses it. A scorecard's level guidance is shown
    as plain text inside the scoring form: `marked=True` leaves those uses out, False keeps only them."""
    uses: dict[str, set[str]] = {}
    for path in sorted((REPO / "playbooks").rglob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        for where, text in text_values(data):
            in_form = "levels" in where
            if marked is None or marked != in_form:
                for name in DEFAULT_MARK.findall(text):
                    uses.setdefault(name.strip(), set()).add(data["id"])
    return uses


def test_every_default_used_in_the_text_shows_its_value_marked(built_site: Path) -> None:
    defaults = _defaults()
    links = json.loads((built_site / "links.json").read_text())
    assert len(_uses(marked=True)) >= 10
    for name, playbooks in _uses(marked=True).items():
        for playbook in playbooks:
            html = (built_site / links[playbook].split("#")[0] / "index.html").read_text()
            marked = re.findall(
                rf'<a href="[^"]*#{name}" title="{re.escape(DEFAULT_TITLE)}">([^<]*)</a>',
                html.replace("&#39;", "'"),
            )
            assert defaults[name] in marked, (name, playbook)
    for name, playbooks in _uses(marked=False).items():  # inside a scorecard's form: the value
        for playbook in playbooks:
            html = (built_site / links[playbook].split("#")[0] / "index.html").read_text()
            levels = " ".join(re.findall(r'<label class="hb-level">.*?</label>', html, re.DOTALL))
            assert defaults[name] in levels.replace("&#39;", "'"), (name, playbook)
    for page in built_site.rglob("*.html"):
        text = page.read_text()
        assert "[[default-" not in text, page
        assert not re.search(r"\]\[[a-z0-9-]+\](?![^<]*</code>)", text), page


def test_the_defaults_page_lists_where_each_default_is_used(built_site: Path) -> None:
    html = (built_site / "defaults" / "handbook-defaults" / "index.html").read_text()
    for name in _uses():
        row = re.search(rf'<tr>\s*<td><a href="(?:\./)?#{name}">.*?</tr>', html, re.DOTALL)
        assert row is not None and "not used yet" not in row.group(), name


def test_the_default_mark_is_visible_in_chromium(built_site: Path, browser: Any) -> None:
    with static_server(built_site) as base:
        page = browser.new_page()
        page.goto(base + "operating-model/partnership-operating-model/")
        mark = page.locator(f'article a[title="{DEFAULT_TITLE}"]').first
        assert mark.is_visible()
        after = mark.evaluate("a => getComputedStyle(a, '::after').content")
        assert after == '"default"'
        page.close()


def test_every_item_of_the_first_90_days_has_an_owner_and_a_date(built_site: Path) -> None:
    data = yaml.safe_load((REPO / "playbooks" / "first-90-days.yaml").read_text())
    items = [item for group in data["groups"] for item in group["items"]]
    assert all(item.get("owner") and item.get("when") for item in items)
    html = (built_site / "checklists" / "first-90-days" / "index.html").read_text()
    assert html.count("<strong>When:</strong>") == len(items)
    assert html.count("<strong>Who:</strong>") == len(items)


def test_who_decides_what_is_a_raci_table(built_site: Path) -> None:
    data = yaml.safe_load((REPO / "playbooks" / "decision-rights.yaml").read_text())
    html = (built_site / "operating-model" / "decision-rights" / "index.html").read_text()
    table = html[html.index("<th>Decision</th>") : html.index("</table>", html.index("<th>Decision</th>"))]
    assert table.count("<tr>") == len(data["decisions"])  # the header row is before the slice
    assert len(data["decisions"]) >= 8


def test_a_much_referenced_rule_lists_its_referrers_by_page(built_site: Path) -> None:
    """gov-escalation is linked from many entries: "Referenced by" names each page once, with
    a count, instead of a paragraph of links that buries the rule."""
    html = (built_site / "operating-model" / "partnership-operating-model" / "index.html").read_text()
    section = html.split('id="gov-escalation"', 1)[1].split("<h3", 1)[0]
    found = re.search(r"<strong>Referenced by:</strong> (\d+) entries on (.*?)</p>", section, re.DOTALL)
    assert found is not None and int(found.group(1)) > 8
    counts = [int(n) for n in re.findall(r"</a> \((\d+)\)", found.group(2))]
    assert sum(counts) == int(found.group(1))


def test_search_records_hold_the_words_a_reader_sees(built_site: Path) -> None:
    """Links by id and defaults in playbook text reach the search index as their words and
    values, never as `[words][id]` or `[[id]]` (which a result snippet would show)."""
    index = json.loads((built_site / "search" / "index.json").read_text())
    generated = {url.split("#")[0] for url in json.loads((built_site / "links.json").read_text()).values()}
    # playbook pages only: CONTRIBUTING shows the link syntax in its examples, on purpose
    docs = [doc for doc in index["docs"] if doc["u"].split("#")[0] in generated]
    assert len(docs) > 800
    for doc in docs:
        for field in ("t", "x"):
            text = doc.get(field, "")
            assert not re.search(r"\]\[[a-z0-9-]+\]|\[\[", text), (doc["u"], text[:120])
