"""The search box in Debian's Chromium, with each engine: typed queries find their entry among
the first three results and land on its anchor; field text stays text; the keyboard works;
nothing is downloaded before a search; a search that finds nothing offers the FAQ and a
pre-filled question to the owners; the query tokenizer agrees with the build's."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from browser import static_server
from conftest import REPO, copy_project, run_handbook, site_with_search
from conftest import REPOSITORY as REPO_URL

from generator.search_text import compounds, joined_compounds, searchable, words

pytestmark = pytest.mark.browser
ENGINES = ["lunr", "pagefind", "pagefind-merged"]
PER_INDEX = 300  # documents in one Pagefind index for `pagefind-merged`: the handbook needs three
SETTLED = """(query) => {
  const panel = document.querySelector('[data-hb-search-query]');
  return panel && panel.getAttribute('data-hb-search-query') === query
    && panel.getAttribute('aria-busy') !== 'true';
}"""


@pytest.fixture(scope="module")
def merged_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped handbook with its Pagefind documents in several indexes, as a handbook of
    more than `pagefind_records_per_index` documents has them: the box merges them."""
    options = f"search: pagefind\n      pagefind_records_per_index: {PER_INDEX}"
    site = site_with_search(tmp_path_factory.mktemp("merged") / "handbook", options)
    more = json.loads((site / "search" / "config.json").read_text(encoding="utf-8"))["pagefindIndexes"]
    assert more == ["index-2/", "index-3/"] or more == ["index-2/", "index-3/", "index-4/"]
    assert all((site / "pagefind" / folder / "pagefind-entry.json").is_file() for folder in more)
    return site


@pytest.fixture(scope="module")
def sites(built_site: Path, pagefind_site: Path, merged_site: Path) -> dict[str, Path]:
    return {"lunr": built_site, "pagefind": pagefind_site, "pagefind-merged": merged_site}


def search(page: Any, base: str, query: str) -> list[str]:
    """Type the query into the header box like a reader; the result links, in order, as
    `page/#anchor` relative to the site root `base`."""
    box = page.locator("#hb-search-input")
    box.click()
    box.fill("")
    box.press_sequentially(query, delay=15)
    page.wait_for_function(SETTLED, arg=query, timeout=30_000)
    hrefs = page.eval_on_selector_all(
        "#hb-search-results a.hb-search__link", "links => links.map(a => a.href)"
    )
    return [h.removeprefix(base) for h in hrefs]


@contextmanager
def opened(browser: Any, site: Path, path: str = "") -> Iterator[tuple[Any, str]]:
    """A page of the site, served on 127.0.0.1, open in Chromium; closed afterwards."""
    with static_server(site) as base:
        page = browser.new_page()
        try:
            page.goto(base + path)
            yield page, base
        finally:
            page.close()


def links(site: Path) -> dict[str, str]:
    return dict(json.loads((site / "links.json").read_text()))


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("kind", "query", "answers"),
    [
        (
            "keyword",
            "paved roads",
            {"set-partner-standards", "gov-standards", "onb-paved-roads", "xsc-paved-roads"},
        ),
        (
            "keyword",
            "renewing the contract",
            {"renewal-review", "cadence-annual-renewal-review", "dec-renewal"},
        ),
        (
            "typo",
            "knowlege transfer",
            {"knowledge-transfer", "gov-knowledge-transfer", "onb-knowledge-transfer"},
        ),
        ("typo", "timezones", {"time-zone-overlap", "csc-time-zone-overlap"}),
        (
            "question",
            "what should we check before signing a contract with a partner",
            {
                "faq-vetting-essentials",
                "partner-vetting-checklist",
                "vet-before-signing",
                "vetting-due-diligence",
                "contract-terms-checklist",  # the clauses to check: an answer since issue 14
            },
        ),
        ("question", "should we outsource all our IT", {"faq-outsource-everything"}),
        ("synonym", "supplier lock-in", {"agency-lock-in", "hsc-lock-in-risk", "xsc-lock-in"}),
        (
            "synonym",
            "contractor onboarding",
            {"onboarding-checklist", "stage-onboarding", "faq-onboard-partner"},
        ),
        ("synonym", "staff augmentation", {"augmentation-model"}),
    ],
)
def test_a_reader_s_query_finds_its_entry_in_the_first_three(
    sites: dict[str, Path], browser: Any, engine: str, kind: str, query: str, answers: set[str]
) -> None:
    site = sites[engine]
    wanted = {links(site)[a] for a in answers}
    with opened(browser, site, "checklists/") as (page, base):
        found = search(page, base, query)
        assert wanted & set(found[:3]), f"{engine} {kind} {query!r}: first three were {found[:3]}"


@pytest.mark.parametrize("engine", ENGINES)
def test_a_result_lands_on_the_entry_s_anchor_and_shows_its_page(
    sites: dict[str, Path], browser: Any, engine: str
) -> None:
    with opened(browser, sites[engine]) as (page, base):
        found = search(page, base, "agency lock-in")
        assert found[0] == "anti-patterns/partner-anti-patterns/#agency-lock-in"
        first = page.locator("#hb-search-results li").first
        assert first.locator(".hb-search__title").inner_text() == "Agency lock-in"
        assert first.locator(".hb-search__where").inner_text() == "Anti-patterns in partner relationships"
        assert first.locator(".hb-search__snippet mark").count() >= 1
        page.keyboard.press("Enter")  # the first result is the active one
        page.wait_for_url("**/anti-patterns/partner-anti-patterns/#agency-lock-in")
        target = page.locator("h2#agency-lock-in")
        box = target.bounding_box()
        assert box is not None and 0 <= box["y"] < page.viewport_size["height"]


@pytest.mark.parametrize("engine", ENGINES)
def test_arrow_keys_choose_a_result_and_escape_closes(
    sites: dict[str, Path], browser: Any, engine: str
) -> None:
    with opened(browser, sites[engine]) as (page, base):
        found = search(page, base, "escalation")
        assert len(found) >= 3
        box = page.locator("#hb-search-input")
        box.press("ArrowDown")
        assert box.get_attribute("aria-activedescendant") == "hb-search-result-1"
        assert page.locator("#hb-search-result-1").get_attribute("aria-selected") == "true"
        box.press("Escape")
        assert page.locator(".hb-search__panel").is_hidden()
        page.keyboard.press("/")  # the shortcut focuses the box again, results as they were
        assert page.evaluate("document.activeElement.id") == "hb-search-input"
        page.keyboard.press("ArrowDown")
        assert box.get_attribute("aria-activedescendant") == "hb-search-result-2"
        page.keyboard.press("Enter")
        page.wait_for_url(lambda url: url.endswith(found[2]))


@pytest.mark.parametrize("engine", ENGINES)
def test_a_search_that_finds_nothing_offers_the_faq(
    sites: dict[str, Path], browser: Any, engine: str
) -> None:
    """The shipped handbook names no repository: the FAQ is offered, no question to ask there."""
    with opened(browser, sites[engine], "faq/partner-faq/") as (page, base):
        assert search(page, base, "xyzzy qwfq") == []
        assert "Nothing in the handbook matches" in page.locator(".hb-search__status").inner_text()
        faq = page.locator(".hb-search__help a", has_text="Browse the FAQ")
        assert faq.get_attribute("href") == base + "faq/"
        assert page.locator(".hb-search__help a.hb-search__ask").count() == 0


def test_with_a_repository_a_search_also_offers_a_question_to_the_owners(
    repository_site: Path, browser: Any
) -> None:
    with opened(browser, repository_site, "faq/partner-faq/") as (page, base):
        assert search(page, base, "xyzzy qwfq") == []
        ask = page.locator(".hb-search__help a.hb-search__ask").get_attribute("href")
        assert ask.startswith(f"{REPO_URL}/issues/new?")
        fields = parse_qs(urlsplit(ask).query)
        assert fields["title"] == ["Handbook question: xyzzy qwfq"]
        assert 'searched the handbook for "xyzzy qwfq"' in fields["body"][0]
        assert f"{base}faq/partner-faq/" in fields["body"][0]
        search(page, base, "exit plan")  # with results, the way out is still offered below them
        assert page.locator(".hb-search__help a.hb-search__ask").count() == 1


@pytest.mark.parametrize("engine", ENGINES)
def test_nothing_is_downloaded_for_search_until_the_reader_searches(
    sites: dict[str, Path], browser: Any, engine: str
) -> None:
    with static_server(sites[engine]) as base:
        page = browser.new_page()
        fetched: list[str] = []
        page.on("request", lambda request: fetched.append(request.url))
        page.goto(base + "faq/partner-faq/")
        page.wait_for_load_state("networkidle")
        heavy = ("search/index.json", "/pagefind/", "lunr.js", "worker.js", "search/words/")
        assert not [url for url in fetched if any(part in url for part in heavy)]
        assert search(page, base, "pilot")
        assert [url for url in fetched if any(part in url for part in heavy)]
        assert not [url for url in fetched if "search_index.json" in url]  # Material's search is off
        page.close()


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A handbook whose FAQ question holds markup in a code span (allowed: it is shown as code)."""
    root = copy_project(tmp_path_factory.mktemp("hostile") / "handbook")
    faq = root / "playbooks" / "partner-faq.yaml"
    text = faq.read_text(encoding="utf-8")
    old = "question: How should we run a pilot?"
    assert old in text
    faq.write_text(
        text.replace(old, "question: 'How should we run a `<img src=x onerror=window.pwned=1>` pilot?'")
    )
    assert run_handbook("urls", cwd=root).returncode == 0
    result = run_handbook("build", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def test_field_text_in_results_is_shown_as_text_never_run(hostile_site: Path, browser: Any) -> None:
    with opened(browser, hostile_site) as (page, base):
        found = search(page, base, "onerror pilot")
        assert "faq/partner-faq/#faq-run-a-pilot" in found
        title = page.locator("#hb-search-results .hb-search__title", has_text="onerror")
        assert "<img src=x onerror=window.pwned=1>" in title.inner_text()
        assert page.locator("#hb-search-results img").count() == 0
        assert page.evaluate("window.pwned") is None


TRICKY = [
    "Won't the partner's lock-in hold?",
    "Café, naïve résumé — Ünïcödé",
    "ﬁnance İstanbul Straße",
    "IT and US, it is on us",
    "1.5–3 months; e.g. time-zone/on-site",
    "snake_case and CamelCase x-y-z",
    "日本語のテキスト and Ελληνικά",
    "‘quoted’ “double” `back`tick",
]


def test_the_browser_splits_words_as_the_build_does(built_site: Path, browser: Any) -> None:
    query_js = (REPO / "content" / "assets" / "search" / "query.js").read_text(encoding="utf-8")
    stop_words = json.loads((built_site / "search" / "index.json").read_text())["stopWords"]
    page = browser.new_page()
    page.set_content("<html><body></body></html>")
    page.add_script_tag(content=query_js)
    for text in TRICKY:
        got = page.evaluate(
            """([text, stop]) => ({
              compounds: HandbookQuery.compounds(text),
              words: HandbookQuery.words(text),
              searchable: HandbookQuery.searchable(text, new Set(stop)),
            })""",
            [text, stop_words],
        )
        assert got == {"compounds": compounds(text), "words": words(text), "searchable": searchable(text)}, (
            text
        )
        assert [c.replace("-", "") for c in got["compounds"] if "-" in c] == joined_compounds(text)
    page.close()


@pytest.mark.parametrize("engine", ENGINES)
def test_odd_queries_search_rather_than_fail(sites: dict[str, Path], browser: Any, engine: str) -> None:
    """Repeated words, two words of one synonym group, stop words only, punctuation only."""
    with opened(browser, sites[engine]) as (page, base):
        status = page.locator(".hb-search__status")
        odd = ("pilot pilot", "checklist checklist", "vendor or supplier lock-in lock-in", "how to", "?!")
        for query in (*odd, "third-party-vendor"):
            search(page, base, query)
            assert "not available" not in status.inner_text(), (query, status.inner_text())
        assert search(page, base, "exit exit plan")


def test_the_partner_search_never_finds_an_internal_entry_even_by_its_exact_title(
    partner_site: Path, built_site: Path, browser: Any
) -> None:
    from generator import audience
    from generator.pipeline import Project, check_playbooks

    whole, _ = check_playbooks(Project(partner_site))
    view = audience.view(whole, "partners")
    withheld = set(whole.entries) - set(view.entries)
    costs = whole.entries["faq-structure-costs"]  # "How should we structure costs …?": internal
    assert "faq-structure-costs" in withheld
    with opened(browser, built_site) as (page, base):  # our own people find it first
        assert search(page, base, costs.label)[0].endswith("#faq-structure-costs")
    shared = view.entries["faq-how-often-visit"]
    with opened(browser, partner_site / "site-partners") as (page, base):
        hits = search(page, base, costs.label)
        assert not [
            h for h in hits if h.partition("#")[2] in withheld or h.partition("#")[0].strip("/") in withheld
        ]
        assert search(page, base, shared.label)[0].endswith("#faq-how-often-visit")


def test_a_search_asks_every_pagefind_index_of_a_large_handbook(merged_site: Path, browser: Any) -> None:
    """Each index is fetched only when the reader searches, and all of them are then."""
    more = json.loads((merged_site / "search" / "config.json").read_text(encoding="utf-8"))["pagefindIndexes"]
    with static_server(merged_site) as base:
        page = browser.new_page()
        fetched: list[str] = []
        page.on("request", lambda request: fetched.append(request.url))
        page.goto(base + "faq/partner-faq/")
        page.wait_for_load_state("networkidle")
        assert not [url for url in fetched if "/pagefind/" in url]
        assert search(page, base, "escalation")
        for folder in ["", *more]:
            entry = f"{base}pagefind/{folder}pagefind-entry.json"
            assert entry in fetched, f"{entry} was not fetched"
            assert [url for url in fetched if url.startswith(f"{base}pagefind/{folder}index/")]
        page.close()
