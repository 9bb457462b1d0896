"""What outside site checkers look at, measured where the reader is: in Chromium, on each kind of
page. No request leaves the site's host, no console error, a first view under the byte budget
(compressed, as a host serves it), a 404 page that works under a sub-path; and, in the files, a
sitemap and canonical links on the configured site_url."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from browser import first_view, kinds_of_page, serve_path, site_url, static_server, watched
from conftest import REPO

SITE_URL = site_url(REPO)
PREFIX = serve_path(REPO)  # served there, as it is published: the 404 page needs it
FIRST_VIEW_BUDGET = 150_000  # bytes transferred, compressed, before the reader does anything


@pytest.mark.browser
def test_no_page_asks_another_host_or_logs_an_error(built_site: Path, browser: Any) -> None:
    pages = kinds_of_page(built_site)
    assert len(pages) >= 20
    with static_server(built_site, prefix=PREFIX) as base:
        for path in pages:
            with watched(browser) as (page, seen):
                response = page.goto(base + path, wait_until="networkidle")
                missing = path == "no/such/page/"
                assert response.status == (404 if missing else 200), path
                errors = seen["errors"]
                if missing:  # Chromium reports the document's own 404 in the console
                    errors = [e for e in errors if "status of 404" not in e]
                assert seen["elsewhere"] == [], f"{path}: requests to other hosts"
                assert errors == [] and seen["failed"] == [], f"{path}: {errors} {seen['failed']}"


@pytest.mark.browser
def test_the_first_view_of_every_kind_of_page_is_under_150_kb(built_site: Path, browser: Any) -> None:
    """Bytes over the wire with gzip, as Chromium counts them, before the reader searches or
    scrolls: the search index is not among them."""
    weights = {}
    with static_server(built_site, prefix=PREFIX, compress=True) as base:
        for path in kinds_of_page(built_site):
            view = first_view(browser, base + path)
            weights[path] = view["bytes"]
            assert not [u for u in view["urls"] if "search/index.json" in u or "/pagefind/" in u], path
    heavy = {path: n for path, n in weights.items() if n > FIRST_VIEW_BUDGET}
    assert not heavy, f"over {FIRST_VIEW_BUDGET} bytes: {heavy}"
    assert min(weights.values()) > 30_000  # the theme's script and styles were counted


@pytest.mark.browser
def test_the_404_page_keeps_its_styles_under_a_sub_path(built_site: Path, browser: Any) -> None:
    assert PREFIX == "/handbook/"
    with static_server(built_site, prefix=PREFIX) as base, watched(browser) as (page, seen):
        for missing in ("gone/", "a/b/c/gone/", "gone.html"):
            response = page.goto(base + missing, wait_until="networkidle")
            assert response.status == 404
            assert seen["failed"] == [] and seen["elsewhere"] == []
            statuses = [r.response().status for r in seen["finished"] if r.url != base + missing]
            assert statuses and all(s == 200 for s in statuses), statuses
            header = page.eval_on_selector(".md-header", "e => getComputedStyle(e).position")
            assert header == "sticky"  # Material's stylesheet applied
            assert page.locator("#hb-search-input").count() == 1  # the search box's script ran
            logo = page.locator(".md-header a.md-logo")
            home = page.evaluate("a => a.href", logo.element_handle())
            assert urlsplit(home).path in (PREFIX, PREFIX + ".")
            logo.click()
            page.wait_for_url(base)
            seen["finished"].clear()


def test_the_sitemap_and_canonical_links_name_the_published_address(built_site: Path) -> None:
    assert SITE_URL, "mkdocs.yml sets no site_url"
    tree = ET.parse(built_site / "sitemap.xml")
    locations = [e.text or "" for e in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert len(locations) > 100
    for location in locations:
        assert location.startswith(SITE_URL), location
        assert (built_site / location[len(SITE_URL) :] / "index.html").is_file(), location
    for location in locations[::10]:
        html = (built_site / location[len(SITE_URL) :] / "index.html").read_text(encoding="utf-8")
        assert f'<link rel="canonical" href="{location}">' in html


def test_each_page_loads_only_the_scripts_it_uses_and_reads_from_its_title(built_site: Path) -> None:
    """The tool's script only where there is a tool, the copy button's where there are
    templates; the maintainer's note after the page's text; the home tab named once."""
    pages = [p for p in built_site.rglob("index.html") if "go" not in p.relative_to(built_site).parts[:1]]
    tools = 0
    for path in pages:
        html = path.read_text(encoding="utf-8")
        has_tool = 'class="hb-tool"' in html
        tools += has_tool
        assert ("assets/engagements.js" in html) == has_tool, path
        assert ("assets/templates.js" in html) == ("hb-copy" in html), path
        if 'class="hb-source"' in html:  # after the last section's heading, inside the article
            note, end = html.index('class="hb-source"'), html.index("</article>")
            assert html.rfind("<h2", 0, end) < note < end, path
    assert tools >= 10
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert "<title>Partner Handbook</title>" in home
    faq = (built_site / "faq" / "partner-faq" / "index.html").read_text(encoding="utf-8")
    assert "<title>Frequently asked questions - Partner Handbook</title>" in faq
