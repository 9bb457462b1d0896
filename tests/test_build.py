"""`handbook build` on the real handbook: assertions on the built HTML, search index and links.json."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from html import unescape
from pathlib import Path

import pytest
from conftest import REPO, copy_project, run_handbook
from conftest import REPOSITORY as REPO_URL

from generator import layout
from generator.inline import words
from generator.pipeline import Project, check


def _html(site: Path, url: str) -> str:
    return (site / url.split("#")[0] / "index.html").read_text(encoding="utf-8")


def _tree_digest(root: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.relative_to(root).as_posix().startswith(skip)
    }


@pytest.fixture(scope="module")
def handbook():  # type: ignore[no-untyped-def]
    result, problems = check(Project(REPO))
    assert not problems
    return result


def test_links_json_maps_every_id_to_a_real_anchor(built_site: Path, handbook) -> None:  # type: ignore[no-untyped-def]
    links = json.loads((built_site / "links.json").read_text())
    assert set(links) == set(handbook.entries)
    for entry_id, url in links.items():
        assert not url.startswith("/") and ".." not in url
        html = _html(built_site, url)
        if "#" in url:
            assert url.endswith(f"#{entry_id}")
            assert f'id="{entry_id}"' in html, f"{url}: no anchor"


def test_pages_have_titles_and_sections(built_site: Path) -> None:
    html = _html(built_site, "anti-patterns/partner-anti-patterns/")
    assert "<title>Anti-patterns in partner relationships - Partner Handbook</title>" in html
    assert re.search(r'<h2 id="black-box-agency">The black-box agency', html)
    home = _html(built_site, "")
    for section in ("Operating model", "Culture", "Anti-patterns", "FAQ", "Checklists", "How to contribute"):
        assert section in home


def test_cross_references_link_to_the_target_with_its_title(built_site: Path) -> None:
    html = _html(built_site, "anti-patterns/partner-anti-patterns/")
    link = re.search(r'<a href="([^"]+#knowledge-transfer)">([^<]+)</a>', html)
    assert link is not None
    assert link.group(1) == "../../lifecycle/stage-working-together/#knowledge-transfer"
    target = _html(built_site, "lifecycle/stage-working-together/")
    heading = re.search(r'<h3 id="knowledge-transfer">(.*?)<a class="headerlink"', target)
    assert heading is not None and unescape(heading.group(1)) == unescape(link.group(2))


def test_targets_list_their_backlinks(built_site: Path) -> None:
    html = _html(built_site, "lifecycle/stage-working-together/")
    section = html.split('id="knowledge-transfer"', 1)[1].split("<h", 1)[0]
    assert "Referenced by:" in section
    assert 'href="../../anti-patterns/partner-anti-patterns/#black-box-agency"' in section


def test_search_index_holds_every_entry_at_its_own_address(built_site: Path) -> None:
    index = json.loads((built_site / "search" / "index.json").read_text())
    locations = [doc["u"] for doc in index["docs"]]
    links = json.loads((built_site / "links.json").read_text())  # every id (and former id) → its URL
    missing = sorted(set(links.values()) - set(locations))
    assert not missing, f"entries without a search document: {missing[:5]}"
    assert len(locations) == len(set(locations)), "an address is in the index twice"
    # Pages that are not content stay out: the tags page, tag pages, the review status.
    assert not [loc for loc in locations if loc.startswith(("tags/", "review-status/"))]


def test_edit_links_open_the_real_source(repository_site: Path) -> None:
    generated = _html(repository_site, "faq/partner-faq/")
    assert f'href="{REPO_URL}/edit/main/playbooks/partner-faq.yaml"' in generated
    assert "Generated from <code>playbooks/partner-faq.yaml</code>" in generated
    written = _html(repository_site, "contributing/")
    assert f'href="{REPO_URL}/edit/main/CONTRIBUTING.md"' in written
    index_page = _html(repository_site, "faq/")
    assert "/edit/main/" not in index_page


def test_tags_page_lists_playbook_tags(built_site: Path) -> None:
    """The tags page links a page per tag, which lists the playbooks tagged with it; a
    playbook shows its tags linked to those pages."""
    tags = _html(built_site, "tags/").split("<article", 1)[1]
    assert '<a href="partner-management/">partner-management</a>' in tags
    tag_page = _html(built_site, "tags/anti-patterns/").split("<article", 1)[1]
    assert 'href="../../anti-patterns/partner-anti-patterns/"' in tag_page
    page = _html(built_site, "anti-patterns/partner-anti-patterns/")
    assert '<a href="../../tags/anti-patterns/" class="md-tag">' in page


def test_field_values_are_data_not_templates(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "edge", ("mkdocs.yml", "theme_overrides"))
    shutil.copytree(REPO / "tests/positive/edge-cases/playbooks", root / "playbooks")
    result = run_handbook("build", cwd=root)
    assert result.returncode == 0, result.stderr
    html = _html(root / "site", "faq/edge-faq/")
    article = html.split("<article", 1)[1].split("</article>", 1)[0]
    assert "Shown literally: {{ 7*7 }}." in article and "Shown literally: 49" not in article
    assert '<h3 id="edge-question">What about {{ 7*7 }} and {% raw %}?' in article
    assert "{% raw %}" in html
    assert "Ünïcödé" in html


def test_build_writes_only_build_folders(project: Path) -> None:
    before = _tree_digest(project)
    result = run_handbook("build", cwd=project)
    assert result.returncode == 0, result.stderr
    after = _tree_digest(project, skip=("build/", "site/"))
    assert after == before
    assert sorted(p.name for p in project.iterdir()) == sorted([*before_top(before), "build", "site"])


def before_top(digest: dict[str, str]) -> set[str]:
    return {path.split("/")[0] for path in digest}


def test_invalid_content_fails_and_keeps_the_last_good_site(project: Path) -> None:
    assert run_handbook("build", cwd=project).returncode == 0
    good_site = _tree_digest(project / "site")
    faq = project / "playbooks" / "partner-faq.yaml"
    faq.write_text(faq.read_text().replace("see:\n", "see:\n  - no-such-entry\n", 1))
    result = run_handbook("build", cwd=project)
    assert result.returncode == 1
    assert "playbooks/partner-faq.yaml:" in result.stderr and "unknown id 'no-such-entry'" in result.stderr
    assert "Traceback" not in result.stderr
    assert _tree_digest(project / "site") == good_site


@pytest.mark.parametrize("link", ["[gone](no-such-page.md)", "[gone](faq/partner-faq.md#no-such-anchor)"])
def test_broken_links_in_content_fail_the_strict_build(project: Path, link: str) -> None:
    page = project / "content" / "tags.md"
    page.write_text(page.read_text() + f"\n{link}\n")
    result = run_handbook("build", cwd=project)
    assert result.returncode == 1
    assert "tags.md" in result.stderr
    assert "Traceback" not in result.stderr


def test_every_checklist_item_is_its_own_task(built_site: Path, handbook) -> None:  # type: ignore[no-untyped-def]
    for pb in handbook.playbooks:
        if pb.model.kind != "checklist":
            continue
        html = _html(built_site, layout.page_url(layout.page_path(pb.model)))
        items = [item for group in pb.model.groups for item in group.items]
        assert html.count('<li class="task-list-item">') == len(items), pb.model.id
        assert "- [ ]" not in html
        text = re.sub(r"<[^>]+>", "", unescape(html))
        for item in items:  # as the reader sees it: a link by id shows its words, a default its value
            assert words(item.text, handbook)[:30] in text


def test_checklists_appear_in_lifecycle_order(built_site: Path, handbook) -> None:  # type: ignore[no-untyped-def]
    from generator.kinds.checklist import Checklist

    expected = [
        pb.model.title
        for pb in sorted(handbook.playbooks, key=lambda pb: layout.section_order(pb.model))
        if isinstance(pb.model, Checklist)
    ]
    assert expected[0] == "Partnership readiness checklist" and expected[-1] == "Partner exit checklist"
    index = _html(built_site, "checklists/")
    article = index.split('<article class="md-content__inner md-typeset">')[1]
    listed = [unescape(t) for t in re.findall(r'<a href="[^"]+">([^<]+)</a></strong>', article)]
    assert listed == expected
    page = _html(built_site, "checklists/partner-exit-checklist/")
    nav = page.split("md-nav--primary")[1].split('class="md-content"')[0]
    labels = [unescape(" ".join(t.split())) for t in re.findall(r'md-ellipsis">(.*?)</span>', nav, re.S)]
    assert list(dict.fromkeys(t for t in labels if t in expected)) == expected


def test_a_small_handbook_keeps_lunr_search(built_site: Path) -> None:
    assert (built_site / "search" / "index.json").is_file()
    assert (built_site / "assets" / "search" / "lunr.js").is_file()
    assert not (built_site / "pagefind").exists()
    assert not (built_site / "search" / "search_index.json").exists()  # Material's search is off


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
