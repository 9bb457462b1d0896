"""What outside site checkers look at, measured where the reader is: in Chromium, on each kind of
page. No request leaves the site's host, no console error, a first view under the byte budget
(compressed, as a host serves it), a 404 page that works under a sub-path; and, in the files, a
sitemap and canonical links on the configured site_url."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from browser import static_server
from conftest import REPO

SITE_URL = yaml.safe_load(
    re.sub(r"!\S+", "", (REPO / "mkdocs.yml").read_text(encoding="utf-8"))  # MkDocs' own tags
)["site_url"]
PREFIX = urlsplit(SITE_URL).path  # served there, as it is published: the 404 page needs it
FIRST_VIEW_BUDGET = 150_000  # bytes transferred, compressed, before the reader does anything


def kinds_of_page(site: Path) -> list[str]:
    """A page of every kind the site has: the home page, each section's index and a playbook
    of each, the tags page and a tag's page, the review status, hand-written pages, the
    404 page (a missing address), a short /go/ link."""
    found = ["", "tags/", "review-status/", "contributing/", "worked-example/", "no/such/page/"]
    for section in sorted(p for p in site.iterdir() if p.is_dir()):
        pages = sorted(q.parent for q in section.glob("*/index.html"))
        if section.name in ("assets", "search", "go", "tags") or not (section / "index.html").is_file():
            continue
        found.append(f"{section.name}/")
        if pages:
            found.append(f"{section.name}/{pages[0].name}/")
    tag = sorted((site / "tags").glob("*/index.html"))[0].parent.name
    go = sorted((site / "go").glob("*/index.html"))[0].parent.name
    return [*found, f"tags/{tag}/", f"go/{go}/"]


@contextmanager
def watched(browser: Any, **options: Any) -> Iterator[tuple[Any, dict[str, list[Any]]]]:
    """A page whose requests to other hosts are stopped and recorded, with its console errors,
    failed requests and finished requests."""
    context = browser.new_context(**options)
    seen: dict[str, list[Any]] = {"elsewhere": [], "errors": [], "failed": [], "finished": []}

    def route(route: Any) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            seen["elsewhere"].append(route.request.url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("requestfailed", lambda r: seen["failed"].append(r.url))
    page.on("requestfinished", lambda r: seen["finished"].append(r))
    try:
        yield page, seen
    finally:
        context.close()


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
            with watched(browser, viewport={"width": 412, "height": 823}, is_mobile=True) as (page, seen):
                page.goto(base + path, wait_until="networkidle")
                sizes = [r.sizes() for r in seen["finished"]]
                weights[path] = sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes)
                urls = [r.url for r in seen["finished"]]
                assert not [u for u in urls if "search/index.json" in u or "/pagefind/" in u], path
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
    tree = ET.parse(built_site / "sitemap.xml")
    locations = [e.text or "" for e in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert len(locations) > 100
    for location in locations:
        assert location.startswith(SITE_URL), location
        assert (built_site / location[len(SITE_URL) :] / "index.html").is_file(), location
    for location in locations[::10]:
        html = (built_site / location[len(SITE_URL) :] / "index.html").read_text(encoding="utf-8")
        assert f'<link rel="canonical" href="{location}">' in html
