"""`handbook build` on the starter handbook: assertions on the built HTML, search index and links.json."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ENGINE, REPOSITORY, built, run_handbook

from generator import layout
from generator.inline import words
from generator.pipeline import Project, check
from generator.validate import Handbook


def _html(site: Path, url: str) -> str:
    return (site / url.split("#")[0] / "index.html").read_text(encoding="utf-8")


def _article(html: str) -> str:
    return html.split("<article", 1)[1].split("</article>", 1)[0]


def _tree_digest(root: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.relative_to(root).as_posix().startswith(skip)
    }


def _yaml(root: Path, name: str) -> dict[str, Any]:
    return yaml.safe_load((root / "playbooks" / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def site(starter_site: Path) -> Path:
    return starter_site / "site"


@pytest.fixture(scope="module")
def model(starter_site: Path) -> Handbook:
    """The built handbook as the engine reads it: its playbooks, entries and backlinks."""
    result, problems = check(Project(starter_site))
    assert not problems
    return result


def test_links_json_maps_every_id_to_a_real_anchor(site: Path, model: Handbook) -> None:
    links = json.loads((site / "links.json").read_text())
    assert set(links) == set(model.entries)
    for entry_id, url in links.items():
        assert not url.startswith("/") and ".." not in url
        html = _html(site, url)
        if "#" in url:
            assert url.endswith(f"#{entry_id}")
            assert f'id="{entry_id}"' in html, f"{url}: no anchor"


def test_pages_have_titles_and_sections(starter_site: Path, site: Path, model: Handbook) -> None:
    source = _yaml(starter_site, "anti-patterns.yaml")
    html = _html(site, "anti-patterns/anti-patterns/")
    assert f"<title>{source['title']} - Partner Handbook</title>" in html
    first = source["anti_patterns"][0]
    assert re.search(rf'<h2 id="{first["id"]}">{re.escape(first["name"])}', html)
    home = _html(site, "")
    sections = {pb.model.spec.title for pb in model.playbooks}  # a section per kind in use
    assert len(sections) == len(model.kinds_used()) >= 8
    for section in (*sections, "How to contribute"):
        assert section in home, section


def test_cross_references_link_to_the_target_with_its_title(site: Path, model: Handbook) -> None:
    """The anti-pattern's remedy names `gov-written-decisions` under `see:`: its page links
    the rule's own page and anchor, with the rule's title as the words."""
    assert "gov-written-decisions" in model.entries["ap-decisions-in-calls"].entry.remedies[0].see
    html = _html(site, "anti-patterns/anti-patterns/")
    links = re.findall(r'<a href="([^"]+#gov-written-decisions)">([^<]+)</a>', html)
    assert links
    target = _html(site, "operating-model/operating-model/")
    heading = re.search(r'<h3 id="gov-written-decisions">(.*?)<a class="headerlink"', target)
    assert heading is not None
    assert ("../../operating-model/operating-model/#gov-written-decisions", heading.group(1)) in links
    assert unescape(heading.group(1)) == model.entries["gov-written-decisions"].label


def test_targets_list_their_backlinks(site: Path, model: Handbook) -> None:
    html = _html(site, "operating-model/operating-model/")
    section = html.split('id="gov-written-decisions"', 1)[1].split("<h", 1)[0]
    assert "Referenced by:" in section
    assert 'href="../../anti-patterns/anti-patterns/#ap-decisions-in-calls"' in section
    listed = re.findall(r'<a href="[^"]*#([a-z0-9-]+)">', section.split("Referenced by:", 1)[1])
    assert sorted(listed) == sorted(set(model.backlinks["gov-written-decisions"]))


def test_search_index_holds_every_entry_at_its_own_address(site: Path) -> None:
    index = json.loads((site / "search" / "index.json").read_text())
    locations = [doc["u"] for doc in index["docs"]]
    links = json.loads((site / "links.json").read_text())  # every id (and former id) → its URL
    missing = sorted(set(links.values()) - set(locations))
    assert not missing, f"entries without a search document: {missing[:5]}"
    assert len(locations) == len(set(locations)), "an address is in the index twice"
    # Pages that are not content stay out: the tags page, tag pages, the review status.
    assert not [loc for loc in locations if loc.startswith(("tags/", "review-status/"))]


def test_edit_links_open_the_real_source(repository_site: Path) -> None:
    """A generated page's edit button opens its YAML file, wherever it is filed (a playbook in
    a sub-folder too); a hand-written page's, its Markdown; a section index has none."""
    site = repository_site / "site"
    generated = _html(site, "faq/faq/")
    assert f'href="{REPOSITORY}/edit/main/playbooks/faq.yaml"' in generated
    assert "Generated from <code>playbooks/faq.yaml</code>" in generated
    nested = _html(site, "lifecycle/stage-choose/")
    assert f'href="{REPOSITORY}/edit/main/playbooks/lifecycle/01-choose.yaml"' in nested
    written = _html(site, "contributing/")
    assert f'href="{REPOSITORY}/edit/main/CONTRIBUTING.md"' in written
    index_page = _html(site, "faq/")
    assert "/edit/main/" not in index_page


def test_tags_page_lists_playbook_tags(site: Path, model: Handbook) -> None:
    """The tags page links a page per tag, which lists the playbooks tagged with it; a
    playbook shows its tags linked to those pages."""
    tagged: dict[str, set[str]] = {}
    for pb in model.playbooks:
        for tag in pb.model.tags:
            tagged.setdefault(tag, set()).add(layout.page_url(layout.page_path(pb.model)))
        page = _html(site, layout.page_url(layout.page_path(pb.model)))
        for tag in pb.model.tags:
            assert f'<a href="../../tags/{tag}/" class="md-tag">' in page, (pb.model.id, tag)
    assert len(tagged) > 5
    tags = _article(_html(site, "tags/"))
    assert re.findall(r'<li><a href="([^"]+)/">', tags) == sorted(tagged)
    for tag, pages in tagged.items():
        tag_page = _article(_html(site, f"tags/{tag}/"))
        hrefs = re.findall(r'<a href="\.\./\.\./([^"]+)"', tag_page)
        assert set(hrefs) == pages, tag


def test_field_values_are_data_not_templates(tmp_path: Path, handbook: Path) -> None:
    root = tmp_path / "edge"
    root.mkdir()
    shutil.copy2(handbook / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(handbook / "theme_overrides", root / "theme_overrides")
    shutil.copytree(ENGINE / "tests/positive/edge-cases/playbooks", root / "playbooks")
    result = run_handbook("build", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    html = _html(root / "site", "faq/edge-faq/")
    article = _article(html)
    assert "Shown literally: {{ 7*7 }}." in article and "Shown literally: 49" not in article
    assert '<h3 id="edge-question">What about {{ 7*7 }} and {% raw %}?' in article
    assert "{% raw %}" in html
    assert "Ünïcödé" in html


def test_build_writes_only_build_folders(handbook: Path) -> None:
    before = _tree_digest(handbook)
    result = run_handbook("build", cwd=handbook)
    assert result.returncode == 0, result.stderr
    after = _tree_digest(handbook, skip=("build/", "site/"))
    assert after == before
    assert sorted(p.name for p in handbook.iterdir()) == sorted([*before_top(before), "build", "site"])


def before_top(digest: dict[str, str]) -> set[str]:
    return {path.split("/")[0] for path in digest}


def test_invalid_content_fails_and_keeps_the_last_good_site(handbook: Path) -> None:
    assert run_handbook("build", cwd=handbook).returncode == 0
    good_site = _tree_digest(handbook / "site")
    faq = handbook / "playbooks" / "faq.yaml"
    text = faq.read_text()
    assert "\nsee: [" in text
    faq.write_text(text.replace("\nsee: [", "\nsee: [no-such-entry, ", 1))
    result = run_handbook("build", cwd=handbook)
    assert result.returncode == 1
    assert "playbooks/faq.yaml:" in result.stderr and "unknown id 'no-such-entry'" in result.stderr
    assert "Traceback" not in result.stderr
    assert _tree_digest(handbook / "site") == good_site


@pytest.mark.parametrize("link", ["[gone](no-such-page.md)", "[gone](faq/faq.md#no-such-anchor)"])
def test_broken_links_in_content_fail_the_strict_build(handbook: Path, link: str) -> None:
    page = handbook / "content" / "tags.md"
    page.write_text(page.read_text() + f"\n{link}\n")
    result = run_handbook("build", cwd=handbook)
    assert result.returncode == 1
    assert "tags.md" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (handbook / "site").exists()


def test_every_checklist_item_is_its_own_task(site: Path, model: Handbook) -> None:
    checklists = [pb for pb in model.playbooks if pb.model.kind == "checklist"]
    assert len(checklists) >= 2
    for pb in checklists:
        html = _html(site, layout.page_url(layout.page_path(pb.model)))
        items = [item for group in pb.model.groups for item in group.items]
        assert html.count('<li class="task-list-item">') == len(items), pb.model.id
        assert "- [ ]" not in html
        text = re.sub(r"<[^>]+>", "", unescape(html))
        for item in items:  # as the reader sees it: a link by id shows its words, a default its value
            assert words(item.text, model)[:30] in text


def test_checklists_appear_in_lifecycle_order(handbook: Path) -> None:
    """Checklists with an `order` are listed in that order, on their section's index and in
    the navigation, whatever their titles: here onboarding (1) before exit (2), which their
    titles alone would put the other way round."""
    in_order = ("onboarding-checklist.yaml", "exit-checklist.yaml")
    for order, name in enumerate(in_order, 1):
        path = handbook / "playbooks" / name
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("\nkind: checklist\n", f"\nkind: checklist\norder: {order}\n", 1))
    built(handbook)
    model, problems = check(Project(handbook))
    assert not problems
    from generator.kinds.checklist import Checklist

    checklists = [pb.model for pb in model.playbooks if isinstance(pb.model, Checklist)]
    expected = [pb.title for pb in sorted(checklists, key=layout.section_order)]
    assert expected == [_yaml(handbook, name)["title"] for name in in_order]
    assert expected != sorted(expected)
    site = handbook / "site"
    index = _html(site, "checklists/")
    article = index.split('<article class="md-content__inner md-typeset">')[1]
    listed = [unescape(t) for t in re.findall(r'<a href="[^"]+">([^<]+)</a></strong>', article)]
    assert listed == expected
    page = _html(site, "checklists/exit-checklist/")
    nav = page.split("md-nav--primary")[1].split('class="md-content"')[0]
    labels = [unescape(" ".join(t.split())) for t in re.findall(r'md-ellipsis">(.*?)</span>', nav, re.S)]
    assert list(dict.fromkeys(t for t in labels if t in expected)) == expected


def test_a_small_handbook_keeps_lunr_search(site: Path) -> None:
    assert (site / "search" / "index.json").is_file()
    assert (site / "assets" / "search" / "lunr.js").is_file()
    assert not (site / "pagefind").exists()
    assert not (site / "search" / "search_index.json").exists()  # Material's search is off


@pytest.mark.parametrize(
    ("option", "entries", "mode"),
    [
        ("auto", 2000, "lunr"),
        ("auto", 2001, "pagefind"),
        ("lunr", 9000, "lunr"),
        ("pagefind", 10, "pagefind"),
    ],
)
def test_search_mode_follows_the_option_and_the_size(option: str, entries: int, mode: str) -> None:
    from generator.search import choose

    assert choose(option, entries, 2000) == mode
