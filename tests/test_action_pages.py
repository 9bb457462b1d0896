"""Pages built for action, on the starter handbook with a few edits a contributor would make: an
old link to an entry that moved to another page still lands on it, thresholds are marked as
this handbook's defaults, checklist items show who does them and when, decisions are a RACI
table, and a rule linked from many entries lists its referrers by page."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from browser import serve_path, static_server
from conftest import built, new_handbook, run_handbook

from generator.inline import DEFAULT_MARK, DEFAULT_TITLE
from generator.load import text_values

# Entries the fixture moves to another playbook, after their URLs were published:
# (old URL, entry id).
MOVED = [
    ("lifecycle/stage-run/#run-share-knowledge", "run-share-knowledge"),
    ("faq/faq/#faq-escalate", "faq-escalate"),
]
MUCH_REFERENCED = "gov-escalation"
FORM_DEFAULT = "default-escalation-reply"  # used inside the scorecard's scoring form
UNUSED_DEFAULT = "default-demo-length"
BARE_ITEM = "onb-buddy"  # a checklist item the fixture leaves without owner and date

# A FAQ about escalating, written for these tests: each answer links the escalation rule, so
# that more than BACKLINKS_LISTED (8) entries refer to it. The starter's `faq-escalate` moves here.
ESCALATION_FAQ = """\
# yaml-language-server: $schema=../schemas/faq.schema.json
id: escalation-faq
title: Escalating with a partner
kind: faq
audience: [internal, partners]
summary: What both teams ask before, during and after an escalation.
owner: Partner Management Office
last_reviewed: 2026-11-30
tags: [faq, governance]
references: [ref-itil-supplier-management]
groups:
  - id: esc-before
    title: Before escalating
    questions:
      - id: esc-when
        question: When is a blocked task worth escalating?
        answer: |
          When the team has spent two working days on it without a way forward, or
          sooner if a release is at risk.
        see: [gov-escalation]
      - id: esc-first-step
        question: Who hears about an escalation first?
        answer: The partner's delivery lead and our engineering lead, together and at the same time.
        see: [gov-escalation]
      - id: esc-written
        question: Does an escalation need a written note?
        answer: A short one in the team channel, saying what is blocked, since when and what was tried.
        see: [gov-escalation]
      - id: esc-either-side
        question: Can a partner engineer escalate to us?
        answer: Anyone on either team can, through the same steps and with the same reply time.
        see: [gov-escalation]
  - id: esc-during
    title: During and after
    questions:
      - id: esc-silence
        question: What happens when nobody answers an escalation?
        answer: Silence counts as no answer, and the problem goes one step further up.
        see: [gov-escalation]
      - id: esc-score
        question: Does escalating count against the partner at the next review?
        answer: No. A problem raised early is what the partnership review hopes to find.
        see: [gov-escalation]
      - id: esc-dispute
        question: Is an escalation a contract dispute?
        answer: Seldom. Most are about priorities, access or people, and end at the first or second step.
        see: [gov-escalation]
      - id: esc-close
        question: Who closes an escalation?
        answer: |
          Whoever raised it, once the problem is solved, with a line in the decision
          log about the outcome.
        see: [gov-escalation]
      - id: esc-recurring
        question: What if the same problem keeps coming back?
        answer: |
          Take it to the next partnership review with the date of each escalation,
          so both sides fix the cause.
        see: [gov-escalation]
"""


class _Dumper(yaml.SafeDumper):
    """Multi-line text as a block, as contributors write it."""


_Dumper.add_representer(
    str,
    lambda dumper, value: dumper.represent_scalar(
        "tag:yaml.org,2002:str", value, style="|" if "\n" in value else None
    ),
)


def _rewrite(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Edit a playbook as data, keeping its schema comment."""
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    change(data)
    dumped = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000)
    path.write_text(text.splitlines()[0] + "\n" + dumped, encoding="utf-8")


def _take(entries: list[dict[str, Any]], entry_id: str) -> dict[str, Any]:
    [found] = [entry for entry in entries if entry["id"] == entry_id]
    entries.remove(found)
    return found


def _items(checklist: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for group in checklist["groups"] for item in group["items"]]


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The starter, its URLs recorded, then edited and rebuilt: two entries moved to another
    playbook (a practice to another stage, a question to a new FAQ whose nine answers all link
    the escalation rule), a default used in the scorecard's level guidance, a default nobody
    uses yet, and one onboarding item without owner or date."""
    root = new_handbook(tmp_path_factory.mktemp("action") / "handbook")
    fixed = run_handbook("fix", cwd=root)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    published = (root / "published-urls.txt").read_text(encoding="utf-8")
    for old, entry in MOVED:
        assert re.search(rf"^/{re.escape(old)}\s+{entry}$", published, re.M), old
    playbooks = root / "playbooks"

    moved: dict[str, dict[str, Any]] = {}
    _rewrite(
        playbooks / "lifecycle" / "03-run.yaml",
        lambda d: moved.update(practice=_take(d["practices"], "run-share-knowledge")),
    )
    _rewrite(playbooks / "lifecycle" / "02-start.yaml", lambda d: d["practices"].append(moved["practice"]))
    _rewrite(
        playbooks / "faq.yaml",
        lambda d: moved.update(question=_take(d["groups"][0]["questions"], "faq-escalate")),
    )
    (playbooks / "escalation-faq.yaml").write_text(ESCALATION_FAQ, encoding="utf-8")
    _rewrite(
        playbooks / "escalation-faq.yaml", lambda d: d["groups"][1]["questions"].append(moved["question"])
    )

    def use_in_form(card: dict[str, Any]) -> None:
        criterion = card["groups"][1]["criteria"][0]
        criterion["levels"][2]["guidance"] = (
            f"Recaps after every call; escalations answered [[{FORM_DEFAULT}]]."
        )

    _rewrite(playbooks / "partner-scorecard.yaml", use_in_form)
    _rewrite(
        playbooks / "defaults.yaml",
        lambda d: d["defaults"].append(
            {
                "id": UNUSED_DEFAULT,
                "title": "Length of a demo",
                "value": "half an hour",
                "governs": "How long the fortnightly demo of working software lasts.",
                "why": "Long enough to show a sprint's work, short enough for the product owner to come.",
            }
        ),
    )

    def strip(checklist: dict[str, Any]) -> None:
        [item] = [i for i in _items(checklist) if i["id"] == BARE_ITEM]
        del item["owner"], item["when"]

    _rewrite(playbooks / "onboarding-checklist.yaml", strip)

    fixed = run_handbook("fix", cwd=root)  # records the new URLs; never forgets the old ones
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    checked = run_handbook("check", cwd=root)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    return built(root)


@pytest.fixture(scope="module")
def site(root: Path) -> Path:
    return root / "site"


@pytest.fixture(scope="module")
def links(site: Path) -> dict[str, str]:
    return dict(json.loads((site / "links.json").read_text()))


def _page(site: Path, url: str) -> str:
    return (site / url.split("#")[0] / "index.html").read_text(encoding="utf-8")


def _playbooks(root: Path) -> list[dict[str, Any]]:
    return [
        yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((root / "playbooks").rglob("*.yaml"))
    ]


def test_moved_entries_live_on_another_page_and_keep_their_old_urls(
    root: Path, links: dict[str, str]
) -> None:
    """`handbook fix` never forgets a published URL: the entries' old addresses stay in the
    manifest, and the build sends each to the page the entry lives on now."""
    published = (root / "published-urls.txt").read_text(encoding="utf-8")
    anchors = json.loads((root / "site" / "anchor-redirects.json").read_text())
    for old, entry in MOVED:
        assert re.search(rf"^/{re.escape(old)}\s+{entry}$", published, re.M), old
        assert links[entry].split("#")[0] != old.split("#")[0], entry
        assert re.search(rf"^/{re.escape(links[entry])}\s+{entry}$", published, re.M), links[entry]
        assert entry in anchors[old.split("#")[0]], anchors


@pytest.mark.parametrize(("old", "entry"), MOVED, ids=[entry for _, entry in MOVED])
def test_old_links_to_moved_entries_land_in_the_browser(
    root: Path, links: dict[str, str], browser: Any, old: str, entry: str
) -> None:
    new = links[entry]
    with static_server(root / "site", serve_path(root)) as base:
        page = browser.new_page()
        page.goto(base + old)
        page.wait_for_url(base + new, timeout=10_000)
        target = page.locator(f"[id='{entry}']")
        target.wait_for(state="attached")
        box = target.bounding_box()
        assert box is not None and 0 <= box["y"] < page.viewport_size["height"]
        page.close()


def _defaults(root: Path) -> dict[str, str]:
    data = yaml.safe_load((root / "playbooks" / "defaults.yaml").read_text(encoding="utf-8"))
    return {d["id"]: d["value"] for d in data["defaults"]}


def _uses(root: Path, marked: bool | None = None) -> dict[str, set[str]]:
    """default id → the playbook ids whose text uses it. A scorecard's level guidance is shown
    as plain text inside the scoring form: `marked=True` leaves those uses out, False keeps only them."""
    uses: dict[str, set[str]] = {}
    for data in _playbooks(root):
        for where, text in text_values(data):
            in_form = "levels" in where
            if marked is None or marked != in_form:
                for name in DEFAULT_MARK.findall(text):
                    uses.setdefault(name.strip(), set()).add(data["id"])
    return uses


def test_every_default_used_in_the_text_shows_its_value_marked(
    root: Path, site: Path, links: dict[str, str]
) -> None:
    defaults = _defaults(root)
    marked_uses, form_uses = _uses(root, marked=True), _uses(root, marked=False)
    assert len(marked_uses) >= 3 and len(set().union(*marked_uses.values())) >= 3
    assert form_uses == {FORM_DEFAULT: {"partner-scorecard"}}
    for name, playbooks in marked_uses.items():
        for playbook in playbooks:
            html = _page(site, links[playbook])
            marked = re.findall(
                rf'<a href="[^"]*#{name}" title="{re.escape(DEFAULT_TITLE)}">([^<]*)</a>',
                html.replace("&#39;", "'"),
            )
            assert defaults[name] in marked, (name, playbook)
    for name, playbooks in form_uses.items():  # inside a scorecard's form: the value
        for playbook in playbooks:
            html = _page(site, links[playbook])
            levels = " ".join(re.findall(r'<label class="hb-level">.*?</label>', html, re.DOTALL))
            assert defaults[name] in levels.replace("&#39;", "'"), (name, playbook)
    for page in site.rglob("*.html"):  # outside code (the contributor guide shows the syntax)
        text = re.sub(r"<code>.*?</code>", "", page.read_text(), flags=re.DOTALL)
        assert "[[default-" not in text, page
        assert not re.search(r"\]\[[a-z0-9-]+\]", text), page


def test_the_defaults_page_lists_where_each_default_is_used(
    root: Path, site: Path, links: dict[str, str]
) -> None:
    html = _page(site, links["defaults"])
    uses = _uses(root)
    assert UNUSED_DEFAULT not in uses
    for name in _defaults(root):
        row = re.search(rf'<tr>\s*<td><a href="(?:\./)?#{name}">.*?</tr>', html, re.DOTALL)
        assert row is not None, name
        if name not in uses:
            assert "not used yet" in row.group(), name
            continue
        assert "not used yet" not in row.group(), name
        used_on = {
            href.removeprefix("../../").split("#")[0] for href in re.findall(r'href="([^"#]*)#', row.group())
        }
        assert used_on >= {links[playbook] for playbook in uses[name]}, name


def test_the_default_mark_is_visible_in_chromium(root: Path, links: dict[str, str], browser: Any) -> None:
    with static_server(root / "site", serve_path(root)) as base:
        page = browser.new_page()
        page.goto(base + links["operating-model"])
        mark = page.locator(f'article a[title="{DEFAULT_TITLE}"]').first
        assert mark.is_visible()
        after = mark.evaluate("a => getComputedStyle(a, '::after').content")
        assert after == '"default"'
        page.close()


def test_checklist_items_show_their_owner_and_date(root: Path, site: Path, links: dict[str, str]) -> None:
    """Each item of the onboarding checklist that names an owner (a role) and a date shows
    both under its text, the owner linked by the role's title; an item without them shows neither."""
    data = yaml.safe_load((root / "playbooks" / "onboarding-checklist.yaml").read_text(encoding="utf-8"))
    items = _items(data)
    with_both = [item for item in items if item.get("owner") and item.get("when")]
    assert len(with_both) == len(items) - 1 >= 5
    roles = {
        role["id"]: role["title"]
        for role in yaml.safe_load((root / "playbooks" / "operating-model.yaml").read_text())["roles"]
    }
    html = _page(site, links["onboarding-checklist"])
    assert html.count("<strong>When:</strong>") == len(with_both)
    assert html.count("<strong>Who:</strong>") == len(with_both)
    for item in items:
        shown = html.split(f'<span id="{item["id"]}"></span>', 1)[1].split("</li>", 1)[0]
        if item["id"] == BARE_ITEM:
            assert "When:" not in shown and "Who:" not in shown
            continue
        assert f"<strong>When:</strong> {item['when']} ·" in shown, item["id"]
        role = re.search(r'<strong>Who:</strong> <a href="[^"]*#([a-z0-9-]+)">([^<]+)</a>', shown)
        assert role is not None and role.groups() == (item["owner"], roles[item["owner"]]), item["id"]


def test_who_decides_what_is_a_raci_table(root: Path, site: Path, links: dict[str, str]) -> None:
    """One row per decision: the decision, then who is responsible, accountable, consulted and
    informed, each role linked."""
    data = yaml.safe_load((root / "playbooks" / "operating-model.yaml").read_text(encoding="utf-8"))
    html = _page(site, links["operating-model"])
    start = html.index("<th>Decision</th>")
    header = html[html.rindex("<tr>", 0, start) : html.index("</tr>", start)]
    assert re.findall(r"<th>([^<]*)</th>", header) == ["Decision", "R", "A", "C", "I"]
    body = html[html.index("<tbody>", start) : html.index("</table>", start)]
    rows = [
        [re.findall(r'href="[^"]*#([a-z0-9-]+)"', cell) for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]
    expected = [
        [[d["id"]], d["responsible"], [d["accountable"]], d.get("consulted", []), d.get("informed", [])]
        for d in data["decisions"]
    ]
    assert rows == expected
    assert len(rows) >= 2


def test_a_much_referenced_rule_lists_its_referrers_by_page(site: Path, links: dict[str, str]) -> None:
    """The escalation rule is linked from more than 8 entries: "Referenced by" names each
    page once, with a count, instead of a paragraph of links that buries the rule."""
    html = _page(site, links[MUCH_REFERENCED])
    section = html.split(f'id="{MUCH_REFERENCED}"', 1)[1].split("<h3", 1)[0]
    found = re.search(r"<strong>Referenced by:</strong> (\d+) entries on (.*?)</p>", section, re.DOTALL)
    assert found is not None and int(found.group(1)) > 8
    pages = re.findall(r'<a href="([^"]+)">[^<]*</a> \((\d+)\)', found.group(2))
    assert sum(int(n) for _, n in pages) == int(found.group(1))
    named = [href.removeprefix("../../") for href, _ in pages]
    assert len(named) == len(set(named)) >= 3  # each page once
    assert dict(zip(named, (int(n) for _, n in pages), strict=True))[links["escalation-faq"]] == 10
    assert f'href="../../{links["esc-when"]}"' not in section  # the entries are counted, not listed


def test_search_records_hold_the_words_a_reader_sees(root: Path, site: Path, links: dict[str, str]) -> None:
    """Links by id and defaults in playbook text reach the search index as their words and
    values, never as `[words][id]` or `[[id]]` (which a result snippet would show)."""
    index = json.loads((site / "search" / "index.json").read_text())
    generated = {url.split("#")[0] for url in links.values()}
    # playbook pages only: CONTRIBUTING shows the link syntax in its examples, on purpose
    docs = {doc["u"]: doc for doc in index["docs"] if doc["u"].split("#")[0] in generated}
    assert len(docs) >= len(set(links.values()))
    for doc in docs.values():
        for field in ("t", "x"):
            text = doc.get(field, "")
            assert not re.search(r"\]\[[a-z0-9-]+\]|\[\[", text), (doc["u"], text[:120])
    defaults = _defaults(root)
    rule = " ".join(docs[links[MUCH_REFERENCED]]["x"].split())
    assert defaults[FORM_DEFAULT] in rule  # [[default-escalation-reply]] in the rule's text
    recap = " ".join(docs[links["norm-recap"]]["x"].split())
    assert "our rule on decisions" in recap  # [our rule on decisions][gov-written-decisions]
