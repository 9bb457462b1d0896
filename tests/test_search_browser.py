"""The search box in Debian's Chromium, with each engine: typed queries find their entry among
the first three results and land on its anchor; field text stays text; the keyboard works;
nothing is downloaded before a search; a search that finds nothing offers the FAQ and a
pre-filled question to the owners; the query tokenizer agrees with the build's.

The sites are built from `tests/handbooks/search/`, a handbook written for search: each query
below names the one entry a reader typing it is after, and why. A large synthetic handbook
(`bench/synth.py`) checks that a search asks every one of its Pagefind indexes.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from browser import serve_path, static_server
from conftest import ENGINE, REPOSITORY, built, new_handbook, with_plugin_options, with_repository

from generator.search_text import compounds, joined_compounds, searchable, words

pytestmark = pytest.mark.browser
ENGINES = ["lunr", "pagefind", "pagefind-merged"]
SPLIT = 25  # documents in one Pagefind index for `pagefind-merged`: the search handbook needs three
LARGE = 870  # linkable entries of the synthetic handbook: about 900 documents...
PER_INDEX = 300  # ...in indexes of this many, so three or more
SETTLED = """(query) => {
  const panel = document.querySelector('[data-hb-search-query]');
  return panel && panel.getAttribute('data-hb-search-query') === query
    && panel.getAttribute('aria-busy') !== 'true';
}"""


Site = tuple[Path, str]  # a built site's folder, and the path it is served at (its site_url's)


def served(root: Path, folder: str = "site") -> Site:
    return root / folder, serve_path(root)


def search_handbook(factory: pytest.TempPathFactory, name: str) -> Path:
    return new_handbook(factory.mktemp(name) / "handbook", "search")


def more_indexes(site: Path) -> list[str]:
    """The Pagefind indexes besides the first, as the search box is told to merge them."""
    config = json.loads((site / "search" / "config.json").read_text(encoding="utf-8"))
    return list(config["pagefindIndexes"])


@pytest.fixture(scope="module")
def lunr_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The search handbook as built by default: lunr, no repository."""
    return built(search_handbook(tmp_path_factory, "lunr"))


@pytest.fixture(scope="module")
def sites(lunr_root: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Site]:
    """Each engine's site of the search handbook, with the path it is served at."""
    pagefind = with_plugin_options(search_handbook(tmp_path_factory, "pagefind"), "search: pagefind")
    merged = with_plugin_options(
        search_handbook(tmp_path_factory, "merged"), f"search: pagefind\npagefind_records_per_index: {SPLIT}"
    )
    found = {"lunr": lunr_root, "pagefind": built(pagefind), "pagefind-merged": built(merged)}
    assert len(more_indexes(found["pagefind-merged"] / "site")) >= 2  # three indexes or more, merged
    assert more_indexes(found["pagefind"] / "site") == []
    return {engine: served(root) for engine, root in found.items()}


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
def opened(browser: Any, site: Site, path: str = "") -> Iterator[tuple[Any, str]]:
    """A page of the site, served on 127.0.0.1 at its path, open in Chromium; closed afterwards."""
    folder, prefix = site
    with static_server(folder, prefix) as base:
        page = browser.new_page()
        try:
            page.goto(base + path)
            yield page, base
        finally:
            page.close()


def links(site: Site) -> dict[str, str]:
    return dict(json.loads((site[0] / "links.json").read_text()))


# (kind, what the reader types, the entry they are after, why that entry is the answer)
QUERIES = [
    (
        "keyword",
        "repository access",
        "onb-repo-access",
        "the onboarding item that gives a new engineer access to our repositories",
    ),
    (
        "keyword",
        "renewing the contract",
        "renewal-review",
        "the review that decides whether to renew a contract: 'renewing' and 'renewal' share a stem",
    ),
    ("typo", "escalaton", "gov-escalation", "the escalation path, the one entry named for escalation"),
    (
        "typo",
        "knowlege transfer",
        "exit-knowledge-transfer",
        "the practice titled for planning the knowledge transfer",
    ),
    (
        "question",
        "what should we check before signing a contract with a partner",
        "vetting-checklist",
        "the checklist of what to check about a candidate before anyone signs a contract",
    ),
    (
        "question",
        "should we outsource all our IT",
        "faq-outsource-everything",
        "the FAQ asking whether to outsource all of IT: 'IT' in capitals is a word, not 'it'",
    ),
    (
        "synonym",
        "staff augmentation",
        "model-team-extension",
        "search.yaml makes staff augmentation another name for team extension, which the text never calls it",
    ),
    (
        "synonym",
        "sow template",
        "tpl-statement-of-work",
        "search.yaml makes SOW another name for the statement of work template",
    ),
    (
        "synonym",
        "face to face meetings",
        "faq-how-often-visit",
        "the FAQ about meeting in person, which search.yaml says face to face means",
    ),
    (
        "joined",
        "vendor lockin",
        "agency-lock-in",
        "the anti-pattern 'Agency lock-in', typed without its hyphen",
    ),
    ("hyphenated", "lock-in", "agency-lock-in", "the one entry about lock-in, typed as its title spells it"),
    (
        "joined",
        "timezones",
        "norm-shared-hours",
        "the one entry about teams in different time zones, typed as one word",
    ),
    (
        "keywords",
        "ADR",
        "gov-written-decisions",
        "the rule on writing decisions down lists ADR among its keywords; its text never says it",
    ),
]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("kind", "query", "answer", "why"), QUERIES, ids=[q[1] for q in QUERIES])
def test_a_reader_s_query_finds_its_entry_in_the_first_three(
    sites: dict[str, Site],
    browser: Any,
    engine: str,
    kind: str,
    query: str,
    answer: str,
    why: str,
) -> None:
    site = sites[engine]
    wanted = links(site)[answer]
    with opened(browser, site, "checklists/") as (page, base):
        found = search(page, base, query)
    assert wanted in found[:3], (
        f"{engine} {kind} {query!r} should find {answer} ({why}): first three {found[:3]}"
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_a_stop_word_is_never_the_start_of_a_longer_word(
    sites: dict[str, Site], browser: Any, engine: str
) -> None:
    """A stop word at the end of a query is that word, not the first letters of a longer one: the
    reader asking when the demo is on gets the demo, and nothing from the onboarding checklist
    ("on" is not "onboarding"), which never mentions a demo."""
    site = sites[engine]
    with opened(browser, site) as (page, base):
        found = search(page, base, "when is the demo on")
        assert links(site)["ritual-demo"] in found[:3], found
        assert not [url for url in found if "onboarding" in url], found


@pytest.mark.parametrize("engine", ENGINES)
def test_a_query_of_stop_words_only_searches_them_as_whole_words(
    sites: dict[str, Site], browser: Any, engine: str
) -> None:
    """A query of stop words only is searched rather than ignored, but as the words typed: "on"
    alone does not find the onboarding checklist."""
    with opened(browser, sites[engine]) as (page, base):
        found = search(page, base, "on")
        assert not [url for url in found if "onboarding" in url], found


@pytest.mark.parametrize("engine", ENGINES)
def test_a_result_lands_on_the_entry_s_anchor_and_shows_its_page(
    sites: dict[str, Site], browser: Any, engine: str
) -> None:
    site = sites[engine]
    with opened(browser, site) as (page, base):
        found = search(page, base, "agency lock-in")
        assert found[0] == links(site)["agency-lock-in"] == "anti-patterns/anti-patterns/#agency-lock-in"
        first = page.locator("#hb-search-results li").first
        assert first.locator(".hb-search__title").inner_text() == "Agency lock-in"
        assert first.locator(".hb-search__where").inner_text() == "Anti-patterns in partner relationships"
        assert first.locator(".hb-search__snippet mark").count() >= 1
        page.keyboard.press("Enter")  # the first result is the active one
        page.wait_for_url("**/anti-patterns/anti-patterns/#agency-lock-in")
        target = page.locator("h2#agency-lock-in")
        box = target.bounding_box()
        assert box is not None and 0 <= box["y"] < page.viewport_size["height"]


@pytest.mark.parametrize("engine", ENGINES)
def test_arrow_keys_choose_a_result_and_escape_closes(
    sites: dict[str, Site], browser: Any, engine: str
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
    sites: dict[str, Site], browser: Any, engine: str
) -> None:
    """The handbook names no repository: the FAQ is offered, no question to ask there."""
    with opened(browser, sites[engine], "faq/faq/") as (page, base):
        assert search(page, base, "xyzzy qwfq") == []
        assert "Nothing in the handbook matches" in page.locator(".hb-search__status").inner_text()
        faq = page.locator(".hb-search__help a", has_text="Browse the FAQ")
        assert faq.get_attribute("href") == base + "faq/"
        assert page.locator(".hb-search__help a.hb-search__ask").count() == 0


@pytest.fixture(scope="module")
def repository_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The search handbook with a repository configured."""
    return built(with_repository(search_handbook(tmp_path_factory, "repository")))


def test_with_a_repository_a_search_also_offers_a_question_to_the_owners(
    repository_root: Path, browser: Any
) -> None:
    site = served(repository_root)
    with opened(browser, site, "faq/faq/") as (page, base):
        assert search(page, base, "xyzzy qwfq") == []
        ask = page.locator(".hb-search__help a.hb-search__ask").get_attribute("href")
        assert ask.startswith(f"{REPOSITORY}/issues/new?")
        fields = parse_qs(urlsplit(ask).query)
        assert fields["title"] == ["Handbook question: xyzzy qwfq"]
        assert 'searched the handbook for "xyzzy qwfq"' in fields["body"][0]
        assert f"{base}faq/faq/" in fields["body"][0]
        found = search(page, base, "exit plan")  # with results, the way out is still offered below them
        assert links(site)["no-exit-plan"] in found[:3]
        assert page.locator(".hb-search__help a.hb-search__ask").count() == 1


@pytest.mark.parametrize("engine", ENGINES)
def test_nothing_is_downloaded_for_search_until_the_reader_searches(
    sites: dict[str, Site], browser: Any, engine: str
) -> None:
    folder, prefix = sites[engine]
    with static_server(folder, prefix) as base:
        page = browser.new_page()
        fetched: list[str] = []
        page.on("request", lambda request: fetched.append(request.url))
        page.goto(base + "faq/faq/")
        page.wait_for_load_state("networkidle")
        heavy = ("search/index.json", "/pagefind/", "lunr.js", "worker.js", "search/words/")
        assert not [url for url in fetched if any(part in url for part in heavy)]
        assert search(page, base, "pilot")
        assert [url for url in fetched if any(part in url for part in heavy)]
        assert not [url for url in fetched if "search_index.json" in url]  # Material's search is off
        page.close()


HOSTILE = "question: 'How should we run a `<img src=x onerror=window.pwned=1>` pilot?'"


@pytest.fixture(scope="module")
def hostile_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The search handbook whose FAQ question holds markup in a code span (allowed: it is shown
    as code)."""
    root = search_handbook(tmp_path_factory, "hostile")
    faq = root / "playbooks" / "faq.yaml"
    text = faq.read_text(encoding="utf-8")
    old = "question: How should we run a pilot?"
    assert old in text
    faq.write_text(text.replace(old, HOSTILE), encoding="utf-8")
    return built(root)


def test_field_text_in_results_is_shown_as_text_never_run(hostile_root: Path, browser: Any) -> None:
    with opened(browser, served(hostile_root)) as (page, base):
        found = search(page, base, "onerror pilot")
        assert "faq/faq/#faq-run-a-pilot" in found
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


def test_the_browser_splits_words_as_the_build_does(lunr_root: Path, browser: Any) -> None:
    query_js = (ENGINE / "generator" / "assets" / "search" / "query.js").read_text(encoding="utf-8")
    stop_words = json.loads((lunr_root / "site" / "search" / "index.json").read_text())["stopWords"]
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
def test_odd_queries_search_rather_than_fail(sites: dict[str, Site], browser: Any, engine: str) -> None:
    """Repeated words, two words of one synonym group, stop words only, punctuation only."""
    with opened(browser, sites[engine]) as (page, base):
        status = page.locator(".hb-search__status")
        odd = ("pilot pilot", "checklist checklist", "vendor or supplier lock-in lock-in", "how to", "?!")
        for query in (*odd, "third-party-vendor"):
            search(page, base, query)
            assert "not available" not in status.inner_text(), (query, status.inner_text())
        assert search(page, base, "exit exit plan")


@pytest.fixture(scope="module")
def partner_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The search handbook's partner handbook."""
    return built(search_handbook(tmp_path_factory, "partners"), "--audience", "partners")


def test_the_partner_search_never_finds_an_internal_entry_even_by_its_exact_title(
    partner_root: Path, lunr_root: Path, browser: Any
) -> None:
    from generator import audience
    from generator.pipeline import Project, check_playbooks

    whole, _ = check_playbooks(Project(partner_root))
    view = audience.view(whole, "partners")
    withheld = set(whole.entries) - set(view.entries)
    costs = whole.entries["faq-structure-costs"]  # a question kept internal in a shared FAQ
    assert "faq-structure-costs" in withheld
    with opened(browser, served(lunr_root)) as (page, base):
        assert search(page, base, costs.label)[0].endswith("#faq-structure-costs")  # ours find it first
    shared = view.entries["faq-how-often-visit"]
    with opened(browser, served(partner_root, "site-partners")) as (page, base):
        hits = search(page, base, costs.label)
        assert not [
            h for h in hits if h.partition("#")[2] in withheld or h.partition("#")[0].strip("/") in withheld
        ]
        assert not [h for h in hits if h.partition("#")[0].rstrip("/").rpartition("/")[2] in withheld]
        assert search(page, base, shared.label)[0].endswith("#faq-how-often-visit")


@pytest.fixture(scope="module")
def large_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """A synthetic handbook of about 900 documents, in Pagefind indexes of `PER_INDEX`: the box
    merges them, as it does for any handbook larger than `pagefind_records_per_index`."""
    sys.path.insert(0, str(ENGINE / "bench"))
    from synth import write_handbook

    root = tmp_path_factory.mktemp("large") / "handbook"
    write_handbook(LARGE, root)
    built(with_plugin_options(root, f"search: pagefind\npagefind_records_per_index: {PER_INDEX}"))
    site = root / "site"
    more = more_indexes(site)
    pages = [
        json.loads((site / "pagefind" / folder / "pagefind-entry.json").read_text())["languages"]["en"][
            "page_count"
        ]
        for folder in ["", *more]
    ]
    assert max(pages) <= PER_INDEX and len(pages) == math.ceil(sum(pages) / PER_INDEX) >= 3, pages
    return served(root)


def test_a_search_asks_every_pagefind_index_of_a_large_handbook(large_site: Site, browser: Any) -> None:
    """Each index is fetched only when the reader searches, and all of them are then."""
    folder, prefix = large_site
    more = more_indexes(folder)
    with static_server(folder, prefix) as base:
        page = browser.new_page()
        fetched: list[str] = []
        page.on("request", lambda request: fetched.append(request.url))
        page.goto(base)
        page.wait_for_load_state("networkidle")
        assert not [url for url in fetched if "/pagefind/" in url]
        assert search(page, base, "escalation")
        for index in ["", *more]:
            entry = f"{base}pagefind/{index}pagefind-entry.json"
            assert entry in fetched, f"{entry} was not fetched"
            assert [url for url in fetched if url.startswith(f"{base}pagefind/{index}index/")]
        page.close()
