"""What outside site checkers look at, measured where the reader is: in Chromium, on each kind of
page of the built starter handbook. No request leaves the site's host, no console error, a
first view under the byte budget (compressed, as a host serves it), a 404 page that works under
a sub-path; and, in the files, a sitemap and canonical links on the configured site_url."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from browser import first_view, kinds_of_page, serve_path, site_url, static_server, watched

FIRST_VIEW_BUDGET = 150_000  # bytes transferred, compressed, before the reader does anything
MISSING = "no/such/page/"


def _pages(site: Path) -> list[str]:
    """A page of every kind the built site has (`kinds_of_page`), and a missing address."""
    pages = kinds_of_page(site)
    assert MISSING in pages and len(pages) == len(set(pages))
    assert all(p == MISSING or (site / p / "index.html").is_file() for p in pages)
    return pages


@pytest.mark.browser
def test_no_page_asks_another_host_or_logs_an_error(starter_site: Path, browser: Any) -> None:
    site = starter_site / "site"
    pages = _pages(site)
    assert len(pages) >= 20
    with static_server(site, prefix=serve_path(starter_site)) as base:
        for path in pages:
            with watched(browser) as (page, seen):
                response = page.goto(base + path, wait_until="networkidle")
                missing = path == MISSING
                assert response.status == (404 if missing else 200), path
                errors = seen["errors"]
                if missing:  # Chromium reports the document's own 404 in the console
                    errors = [e for e in errors if "status of 404" not in e]
                assert seen["elsewhere"] == [], f"{path}: requests to other hosts"
                assert errors == [] and seen["failed"] == [], f"{path}: {errors} {seen['failed']}"


@pytest.mark.browser
def test_the_first_view_of_every_kind_of_page_is_under_150_kb(starter_site: Path, browser: Any) -> None:
    """Bytes over the wire with gzip, as Chromium counts them, before the reader searches or
    scrolls: the search index is not among them."""
    site = starter_site / "site"
    weights = {}
    with static_server(site, prefix=serve_path(starter_site), compress=True) as base:
        for path in _pages(site):
            view = first_view(browser, base + path)
            weights[path] = view["bytes"]
            assert not [u for u in view["urls"] if "search/index.json" in u or "/pagefind/" in u], path
    heavy = {path: n for path, n in weights.items() if n > FIRST_VIEW_BUDGET}
    assert not heavy, f"over {FIRST_VIEW_BUDGET} bytes: {heavy}"
    assert min(weights.values()) > 30_000  # the theme's script and styles were counted


@pytest.mark.browser
def test_the_404_page_keeps_its_styles_under_a_sub_path(starter_site: Path, browser: Any) -> None:
    prefix = serve_path(starter_site)  # served there, as it is published: the 404 page needs it
    assert prefix == "/handbook/"
    with static_server(starter_site / "site", prefix=prefix) as base, watched(browser) as (page, seen):
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
            assert urlsplit(home).path in (prefix, prefix + ".")
            logo.click()
            page.wait_for_url(base)
            seen["finished"].clear()


def _built_pages(site: Path) -> set[str]:
    """Every page of the site by its address, less the /go/ short links (redirects)."""
    return {
        "" if p.parent == site else p.parent.relative_to(site).as_posix() + "/"
        for p in site.rglob("index.html")
        if p.relative_to(site).parts[0] != "go"
    }


def test_the_sitemap_and_canonical_links_name_the_published_address(starter_site: Path) -> None:
    """Every page is in the sitemap, on the site_url, with a canonical link to that address."""
    published = site_url(starter_site)
    assert published, "mkdocs.yml sets no site_url"
    site = starter_site / "site"
    tree = ET.parse(site / "sitemap.xml")
    locations = [e.text or "" for e in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert all(location.startswith(published) for location in locations), locations
    assert sorted(location[len(published) :] for location in locations) == sorted(_built_pages(site))
    assert len(locations) > 30
    for location in locations:
        html = (site / location[len(published) :] / "index.html").read_text(encoding="utf-8")
        assert f'<link rel="canonical" href="{location}">' in html


def test_each_page_loads_only_the_scripts_it_uses_and_reads_from_its_title(starter_site: Path) -> None:
    """The tool's script only where there is a tool (each checklist and scorecard), the copy
    button's where there are templates; the maintainer's note after the page's text; the home
    tab named once."""
    site = starter_site / "site"
    pages = [p for p in site.rglob("index.html") if "go" not in p.relative_to(site).parts[:1]]
    tools, copies = set(), set()
    for path in pages:
        html = path.read_text(encoding="utf-8")
        has_tool = 'class="hb-tool"' in html
        if has_tool:
            tools.add(path.parent.relative_to(site).as_posix() + "/")
        if "hb-copy" in html:
            copies.add(path.parent.relative_to(site).as_posix() + "/")
        assert ("assets/engagements.js" in html) == has_tool, path
        assert ("assets/templates.js" in html) == ("hb-copy" in html), path
        if 'class="hb-source"' in html:  # after the last section's heading, inside the article
            note, end = html.index('class="hb-source"'), html.index("</article>")
            assert html.rfind("<h2", 0, end) < note < end, path
    playbooks = [
        yaml.safe_load(p.read_text(encoding="utf-8"))
        for p in sorted((starter_site / "playbooks").rglob("*.yaml"))
    ]
    links = json.loads((site / "links.json").read_text(encoding="utf-8"))

    def pages_of(*names: str) -> set[str]:
        return {links[pb["id"]] for pb in playbooks if pb["kind"] in names}

    assert tools == pages_of("checklist", "scorecard") and len(tools) >= 3
    assert copies == pages_of("template") and copies
    found = re.search(r"^site_name: (.+)$", (starter_site / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    assert found
    site_name = found.group(1)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert f"<title>{site_name}</title>" in home
    faq = next(pb for pb in playbooks if pb["kind"] == "faq")
    html = (site / links[faq["id"]] / "index.html").read_text(encoding="utf-8")
    assert f"<title>{faq['title']} - {site_name}</title>" in html
