"""A handbook large in pages: sections split into parts, and pages whose navigation stays small.

Speed is measured by `make bench` (bench/run.py --pages), never asserted here; these tests build
a real site of a few hundred pages and look at what a reader gets."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ENGINE, HANDBOOK, differing_files, run_handbook

from generator import layout
from generator.pipeline import Project, generate
from generator.render import BACKLINK_PAGES_LISTED, REVIEW_ROWS

sys.path.insert(0, str(ENGINE / "bench"))
from synth import write_handbook

PAGES = 180  # playbooks; FAQ, the largest section, gets about 2/7 of them: two parts


@pytest.fixture(scope="module")
def large_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("large")
    write_handbook(None, root, pages=PAGES, per_page=3)
    run_handbook("build", cwd=root, check=True)
    yield root


def test_split_into_parts_is_even_and_covers_everything() -> None:
    assert layout.split_into_parts(0) == [range(0, 0)]
    assert layout.split_into_parts(40) == [range(0, 40)]
    assert [len(r) for r in layout.split_into_parts(41)] == [21, 20]
    ranges = layout.split_into_parts(1430)
    assert max(len(r) for r in ranges) <= layout.PART_SIZE and len(ranges) == 36
    assert [i for r in ranges for i in r] == list(range(1430))


def _pages_in(item: object) -> Iterator[str]:
    if isinstance(item, str):
        yield item
    elif isinstance(item, dict):
        for value in item.values():
            yield from _pages_in(value)
    elif isinstance(item, list):
        for value in item:
            yield from _pages_in(value)


def test_a_large_section_is_navigated_by_parts(large_site: Path) -> None:
    generated = generate(Project(large_site))
    sections = {
        next(iter(item)): next(iter(item.values())) for item in generated.nav if isinstance(item, dict)
    }
    faq = sections["FAQ"]
    assert faq[0] == "faq/index.md"
    parts = faq[1:]
    assert len(parts) >= 2, "the FAQ section is large enough to be split"
    for number, part in enumerate(parts, start=1):
        ((label, children),) = part.items()
        assert children[0] == f"faq/part-{number}/index.md"
        assert 1 <= len(children) - 1 <= layout.PART_SIZE
        first, last = (next(iter(child)) for child in (children[1], children[-1]))
        assert label == f"{first} – {last}", "a part is named by its first and last titles"
    # every page is in the navigation exactly once, each with its title
    listed = list(_pages_in(generated.nav))
    assert len(listed) == len(set(listed))
    playbooks = {
        p.relative_to(large_site / "build" / "docs").as_posix()
        for p in (large_site / "build" / "docs").rglob("*.md")
    }
    assert {p for p in playbooks if "/" in p and not p.startswith("tags/")} <= set(listed)
    assert not any(p.startswith("tags/") for p in listed), "tag pages are reached from the tags page"


def test_pages_carry_only_the_navigation_they_show(large_site: Path) -> None:
    site = large_site / "site"
    faq_pages = sorted(p for p in (site / "faq").iterdir() if p.name.startswith("faq-"))
    page = (faq_pages[0] / "index.html").read_text(encoding="utf-8")
    nav = page[
        page.index('class="md-sidebar md-sidebar--primary"') : page.index(
            'class="md-sidebar md-sidebar--secondary"'
        )
    ]
    links = set(re.findall(r'<a href="([^"#]+)" class="md-nav__link', nav))
    generated = generate(Project(large_site))
    faq = next(item["FAQ"] for item in generated.nav if isinstance(item, dict) and "FAQ" in item)
    parts = [[p.removeprefix("faq/").removesuffix(".md") for p in _pages_in(part)][1:] for part in faq[1:]]
    own = next(part for part in parts if "faq-1" in part)
    shown = {link.strip("./") for link in links if re.fullmatch(r"\.\./faq-\d+/", link)} | {"faq-1"}
    # Its own part in full; another part is one link (to its first page, as Material prunes it).
    assert len(own) <= layout.PART_SIZE and set(own) <= shown
    assert shown - set(own) <= {part[0] for part in parts if part is not own}
    assert len(shown) < len(faq_pages)
    assert not re.search(r"\n[ \t]+<", page.split("<pre", 1)[0]), "indentation is left out of the page"


def test_part_pages_list_their_playbooks(large_site: Path) -> None:
    site = large_site / "site"
    index = (site / "faq" / "index.html").read_text(encoding="utf-8")
    assert 'href="part-1/"' in index and 'href="part-2/"' in index
    part = (site / "faq" / "part-2" / "index.html").read_text(encoding="utf-8")
    assert "Part 2 of" in part
    listed = set(re.findall(r'<a href="\.\./(faq-\d+)/"', part.split("<article", 1)[1]))
    assert 0 < len(listed) <= layout.PART_SIZE
    assert all((site / "faq" / name / "index.html").is_file() for name in listed)


def test_review_status_lists_the_first_due_and_points_to_the_report(large_site: Path) -> None:
    page = (large_site / "build" / "docs" / "review-status.md").read_text(encoding="utf-8")
    rows = [line for line in page.splitlines() if line.startswith("| [")]
    assert len(rows) == REVIEW_ROWS < PAGES
    assert f"The {PAGES + 1 - REVIEW_ROWS} other playbooks are due after the last one above" in page


def test_every_tag_has_its_own_page_in_parts(large_site: Path) -> None:
    """Material's tags page held every tag's list and grew with the handbook; here the tags
    page links to a page per tag, and a tag that many playbooks carry is listed in parts."""
    site = large_site / "site"
    index = (site / "tags" / "index.html").read_text(encoding="utf-8")
    tag_links = re.findall(r'<a href="([a-z0-9-]+)/">([^<]+)</a>: (\d+) playbooks?', index)
    assert len(tag_links) > 5
    sizes = {slug: int(count) for slug, _, count in tag_links}
    big = max(sizes, key=lambda slug: sizes[slug])
    assert sizes[big] > layout.PART_SIZE, "the synthetic handbook has a tag worth parting"
    big_page = (site / "tags" / big / "index.html").read_text(encoding="utf-8")
    parts = re.findall(r'href="(part-\d+)/"', big_page)
    assert len(parts) == len(layout.split_into_parts(sizes[big]))
    listed = []
    for part in parts:
        html = (site / "tags" / big / part / "index.html").read_text(encoding="utf-8")
        found = re.findall(r'<a href="\.\./\.\./\.\./([^"]+)/">', html.split("<article", 1)[1])
        assert 0 < len(found) <= layout.PART_SIZE
        listed += found
    assert len(listed) == len(set(listed)) == sizes[big]
    # every listed page shows the tag above its text, linked back to the tag's page
    for page in listed[:: max(1, len(listed) // 5)]:
        html = (site / page / "index.html").read_text(encoding="utf-8")
        chips = re.findall(r'<a href="([^"]+)" class="md-tag"', html)
        depth = "../" * (page.count("/") + 1)
        assert f"{depth}tags/{big}/" in chips
    largest = max(path.stat().st_size for path in (site / "tags").rglob("*.html"))
    assert largest < 150_000


def test_a_much_cited_entry_lists_the_first_pages_only(tmp_path: Path) -> None:
    """The references page listed every page drawing on a work: it grew with the handbook
    (141 KB at 1,500 pages). Past BACKLINK_PAGES_LISTED pages, it names the first ones and says
    how many more there are."""
    write_handbook(None, tmp_path, pages=400, per_page=3)
    generate(Project(tmp_path))
    text = (tmp_path / "build" / "docs" / "references" / "handbook-references.md").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.startswith("**Drawn on by:**")]
    capped = 0
    for line in lines:
        found = re.search(r"(\d+) entries on (\d+) pages: (.*)", line)
        assert found is not None, line
        entries, pages, listed = int(found.group(1)), int(found.group(2)), found.group(3)
        links = re.findall(r"\]\([^)]+\) \((\d+)\)", listed)
        assert len(links) == min(pages, BACKLINK_PAGES_LISTED)
        if pages > BACKLINK_PAGES_LISTED:
            capped += 1
            assert listed.endswith(f", and {pages - BACKLINK_PAGES_LISTED} more pages")
            assert sum(int(n) for n in links) < entries
        else:
            assert sum(int(n) for n in links) == entries
    assert capped > 0, "the synthetic handbook has a work drawn on by many pages"


def test_the_404_page_is_as_light_as_the_others(large_site: Path) -> None:
    """The 404 page shows the navigation's top level, like the home page; it kept its template's
    indentation (175 KB at 5,000 pages, 3.6 times the home page)."""
    site = large_site / "site"
    missing = (site / "404.html").read_text(encoding="utf-8")
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'class="md-nav' in missing and "faq/part-1/" in missing
    assert re.search(r"\n[ \t]+<", missing) is None
    assert len(missing) < 1.2 * len(home)


WITHOUT_PRUNING = """
from generator.pruned_nav import PrunedNav
PrunedNav.show = lambda self, page: None  # every section keeps all its items
from generator.cli import main
raise SystemExit(main(["build"]))
"""


def test_pruned_sections_handed_over_short_render_the_same_site(large_site: Path, tmp_path: Path) -> None:
    """Material reads only the first item of a section it prunes (generator/pruned_nav.py): the
    site built with every section whole is the same, byte for byte."""
    whole = tmp_path / "whole"
    shutil.copytree(large_site, whole, ignore=shutil.ignore_patterns("site", "build"))
    subprocess.run(
        [HANDBOOK[0], "-c", WITHOUT_PRUNING], cwd=whole, check=True, capture_output=True, timeout=300
    )
    assert len(list((whole / "site" / "faq").glob("part-*/index.html"))) >= 2  # pruned parts
    assert differing_files(large_site / "site", whole / "site") == []
