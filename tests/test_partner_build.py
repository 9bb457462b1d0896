"""The partner handbook, built from the starter handbook: what it holds, what it must never
hold, its own published-URL manifest, and the leak check that guards it. Which entries are
shared is read from the starter's playbooks (`audience.view`), never listed here.

The leak check is tested the way it would fail: a string of something withheld planted in each
kind of file a site has, and a fault in the filter that makes the build itself leak.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import REPOSITORY as REPO_URL
from conftest import run_handbook

from generator import audience, leak_scan, leaks, pipeline, unpack
from generator.pipeline import Project, check_playbooks
from generator.site import ContentProblems, build_site, hand_written
from generator.validate import EntryInfo, Handbook


def handbooks(root: Path) -> tuple[Handbook, Handbook]:
    whole, problems = check_playbooks(Project(root))
    assert not problems
    return whole, audience.view(whole, "partners")


def withheld_titled(whole: Handbook, view: Handbook) -> list[EntryInfo]:
    """Withheld entries with a title of four words or more, so that words alone give them away."""
    found = [e for eid, e in whole.entries.items() if eid not in view.entries and len(e.label.split()) >= 4]
    return sorted(found, key=lambda e: e.id)


def partner_settings(root: Path) -> dict[str, str]:
    """The partner handbook's own settings in the handbook's mkdocs.yml (site name, banner)."""
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    plugin = next(p["handbook"] for p in config["plugins"] if isinstance(p, dict) and "handbook" in p)
    return dict(plugin["partners"])


def every_text(site: Path) -> str:
    return "\n".join(unpack.readable(p) for p in sorted(site.rglob("*")) if p.is_file())


def test_the_partner_handbook_holds_the_shared_entries_and_nothing_else(partner_site: Path) -> None:
    site = partner_site / "site-partners"
    assert site.is_dir() and not (partner_site / "site").exists()  # the internal site is untouched
    whole, view = handbooks(partner_site)
    assert 0 < len(view.entries) < len(whole.entries)
    links = json.loads((site / "links.json").read_text())
    assert set(links) == set(view.entries) | set(view.aliases)
    withheld = [eid for eid in whole.entries if eid not in view.entries]
    assert not [eid for eid in withheld if (site / "go" / eid).exists()]
    assert all((site / "go" / eid / "index.html").is_file() for eid in view.entries)
    pages = {pb.model.id for pb in view.playbooks}
    assert pages and pages < {pb.model.id for pb in whole.playbooks}  # some playbooks stay internal
    for pb in whole.playbooks:
        page = site / pb.model.spec.folder / pb.model.id / "index.html"
        assert page.is_file() == (pb.model.id in pages), pb.model.id
    assert not (site / "review-status").exists()


def test_nothing_leads_partners_into_our_repository_or_our_reviews(partner_site: Path) -> None:
    site = partner_site / "site-partners"
    home = (site / "index.html").read_text()
    settings = partner_settings(partner_site)
    assert settings["site_name"] in home  # its own site name, from mkdocs.yml
    assert settings["banner"].split(". ")[0] in home  # the banner
    text = every_text(site)
    whole, _ = handbooks(partner_site)
    owners = {pb.model.owner for pb in whole.playbooks}
    for secret in (
        REPO_URL,
        "edit/main",
        "acme.internal",
        "Generated from",
        "Owner:",
        "Next review due",
        "playbooks/",
        *owners,
    ):
        assert secret not in text, secret
    assert "review-status" not in (site / "search" / "index.json").read_text()


def test_no_withheld_entry_is_a_heading_an_anchor_or_a_search_result(partner_site: Path) -> None:
    site = partner_site / "site-partners"
    whole, view = handbooks(partner_site)
    withheld = {eid: e for eid, e in whole.entries.items() if eid not in view.entries}
    assert withheld
    anchors = set()
    for page in site.rglob("*.html"):
        anchors |= set(re.findall(r'\bid="([^"]+)"', page.read_text()))
    assert anchors & set(withheld) == set()
    docs = json.loads((site / "search" / "index.json").read_text())["docs"]
    links = json.loads((site / "links.json").read_text())
    assert {links[eid] for eid in view.entries} <= {doc["u"] for doc in docs}  # every shared entry
    titles = {doc["t"] for doc in docs}
    assert {e.label for e in withheld.values()} & titles <= {e.label for e in view.entries.values()}
    assert not [doc["u"] for doc in docs if doc["u"].partition("#")[2] in withheld]


def test_the_internal_handbook_marks_what_partners_read(starter_site: Path) -> None:
    site = starter_site / "site"
    whole, view = handbooks(starter_site)
    shared_page = next(pb for pb in view.playbooks if pb.model.kind == "faq")
    html = (site / shared_page.model.spec.folder / shared_page.model.id / "index.html").read_text()
    assert "Shared with partners" in html
    inside = [
        e
        for e in whole.entries.values()
        if e.playbook.id == shared_page.model.id and e.id not in view.entries
    ]
    assert inside, "the starter's FAQ keeps some questions internal"
    assert html.count("Internal only: partners do not see this.") >= len(inside)
    internal_page = next(
        pb for pb in whole.playbooks if pb.model.id not in {p.model.id for p in view.playbooks}
    )
    html = (site / internal_page.model.spec.folder / internal_page.model.id / "index.html").read_text()
    assert "Shared with partners" not in html


@pytest.fixture(scope="module")
def planted(
    partner_site: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, EntryInfo]]:
    """A copy of the partner site with a different withheld entry planted in each kind of file."""
    site = tmp_path_factory.mktemp("planted") / "site"
    shutil.copytree(partner_site / "site-partners", site)
    whole, view = handbooks(partner_site)
    pick = iter(withheld_titled(whole, view))
    plants: dict[str, EntryInfo] = {}

    def plant(path: str, how: str) -> None:
        entry = next(pick)
        target = site / path
        # each file is one the site publishes (anchor-redirects.js at its old URL, assets/), but
        # a Pagefind fragment: this site searches with lunr, and the check reads every file
        assert target.is_file() == (how != "pagefind"), path
        target.parent.mkdir(parents=True, exist_ok=True)
        data = target.read_bytes() if target.exists() else b""
        if how == "html":
            text = data.decode().replace(
                "</article>", f"<p>{entry.label.replace('&', '&amp;')}</p></article>", 1
            )
        elif how == "json":
            text = json.dumps({**json.loads(data), "planted": f"/faq/x/#{entry.id}"})
        elif how == "js":
            text = data.decode() + f'\nconsole.log("{entry.label}");\n'
        elif how == "xml":
            text = data.decode().replace("</urlset>", f"<url><loc>/x/{entry.id}/</loc></url></urlset>")
        elif how == "gzip-xml":
            raw = gzip.decompress(data).decode()
            text = raw.replace("</urlset>", f"<url><loc>/x/#{entry.id}</loc></url></urlset>")
            target.write_bytes(gzip.compress(text.encode()))
            plants[path] = entry
            return
        elif how == "pagefind":  # a Pagefind fragment: gzip of "pagefind_dcd" and JSON
            record = {"url": "/x/", "content": f"{entry.label} and more", "meta": {"title": "x"}}
            target.write_bytes(gzip.compress(b"pagefind_dcd" + json.dumps(record).encode()))
            plants[path] = entry
            return
        else:  # the search index: a withheld title in a document's text, escaped as JSON does
            index = json.loads(data)
            index["docs"][0]["x"] = entry.label.replace("'", "\u2019")
            text = json.dumps(index, ensure_ascii=True)
        target.write_text(text)
        plants[path] = entry

    page = next(p.relative_to(site).as_posix() for p in sorted(site.glob("*/*/index.html")))
    plant(page, "html")
    plant("links.json", "json")
    plant("assets/anchor-redirects.js", "js")
    plant("sitemap.xml", "xml")
    plant("sitemap.xml.gz", "gzip-xml")
    plant("pagefind/fragment/en_planted.pf_fragment", "pagefind")
    plant("search/index.json", "search")
    return site, plants


@pytest.mark.parametrize(
    "path",
    [
        "page",
        "links.json",
        "assets/anchor-redirects.js",
        "sitemap.xml",
        "sitemap.xml.gz",
        "pagefind/fragment/en_planted.pf_fragment",
        "search/index.json",
    ],
)
def test_the_leak_check_finds_what_is_planted_in_each_kind_of_file(
    planted: tuple[Path, dict[str, EntryInfo]], partner_site: Path, path: str
) -> None:
    site, plants = planted
    if path == "page":
        path = next(p for p in plants if p.endswith(".html"))
    entry = plants[path]
    whole, _ = handbooks(partner_site)
    written = hand_written(Project(partner_site, "partners"))
    report = leaks.check_site(site, partner_site, whole, "partners", written, REPO_URL)
    where = entry.source.problem((*entry.loc, "id"), "")
    mine = [p for p in report.problems if p.path == entry.source.display and abs(p.line - where.line) <= 1]
    assert mine, [str(p) for p in report.problems]
    assert f" is in {path}" in mine[0].message and "the build leaks it" in mine[0].message
    assert len(report.problems) == len(plants)  # each planted thing once, nothing else


def test_a_fault_in_the_filter_is_caught_before_the_partner_site_is_published(
    handbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole, view = handbooks(handbook)
    withheld = {eid: e for eid, e in whole.entries.items() if eid not in view.entries}
    whole_view = pipeline.audiences.view

    def broken(whole: Handbook, name: str) -> Handbook:  # forgets to leave anything out
        view = whole_view(whole, name)
        return dataclasses.replace(whole, audience=view.audience, withheld={})

    monkeypatch.setattr(pipeline.audiences, "view", broken)
    with pytest.raises(ContentProblems) as caught:
        build_site(Project(handbook, "partners"))
    problems = caught.value.problems
    assert all("the build leaks it" in p.message for p in problems)
    # every withheld entry is reported once, at its own place in its playbook
    assert sorted((p.path, p.line) for p in problems) == sorted(
        (e.source.display, e.source.problem(e.loc, "").line) for e in withheld.values()
    )
    assert all(any(f"('{eid}')" in p.message for p in problems) for eid in withheld)
    assert not (handbook / "site-partners").exists()
    assert not list((handbook / "build").glob("partners-site-*"))  # nothing half-written left


def test_the_partner_handbook_keeps_its_own_published_urls(handbook: Path) -> None:
    manifest = handbook / "published-urls-partners.txt"
    assert run_handbook("check", cwd=handbook).returncode == 0
    recorded = manifest.read_text()
    whole, view = handbooks(handbook)
    assert all(f"#{eid}" in recorded or f"/{eid}/" in recorded for eid in view.entries)
    withheld = [eid for eid in whole.entries if eid not in view.entries]
    assert not [eid for eid in withheld if re.search(rf"[#/]{eid}[/\s]", recorded)]

    # An entry that stops being shared is a lost partner URL, reported where it is recorded.
    question = next(e for e in view.entries.values() if type(e.entry).__name__ == "Question")
    source = question.source.path
    lines = source.read_text().splitlines(keepends=True)
    at = question.source.problem((*question.loc, "id"), "").line
    indent = lines[at - 1].index("id:")
    lines.insert(at, " " * indent + "audience: internal\n")
    source.write_text("".join(lines))
    result = run_handbook("check", cwd=handbook)
    assert result.returncode == 1
    url = f"/{question.playbook.spec.folder}/{question.playbook.id}/#{question.id}"
    line = next(
        n for n, text in enumerate(manifest.read_text().splitlines(), 1) if text.startswith(url + " ")
    )
    assert f"published-urls-partners.txt:{line}:1: error: '{url}' is published but no page" in result.stdout
    assert f"entry '{question.id}' is no longer shared" in result.stdout
    assert "published-urls.txt:" not in result.stdout  # the internal handbook still has it

    forget = run_handbook("urls", "--audience", "partners", "--forget", url, cwd=handbook)
    assert forget.returncode == 0, forget.stderr
    assert url not in manifest.read_text()
    assert run_handbook("check", cwd=handbook).returncode == 0


def test_check_with_the_partner_audience_runs_the_leak_check(handbook: Path) -> None:
    result = run_handbook("check", "--audience", "partners", cwd=handbook)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"leak check: \d+ files of the partner handbook searched for \d+ traces", result.stderr)
    assert "none found" in result.stderr
    assert not (handbook / "site-partners").exists()  # checked, not published


def test_the_whole_handbook_builds_both_sites_from_one_clone(handbook: Path) -> None:
    assert run_handbook("build", cwd=handbook).returncode == 0
    assert run_handbook("build", "--audience", "partners", cwd=handbook).returncode == 0
    assert (handbook / "site" / "review-status" / "index.html").is_file()
    assert (handbook / "site-partners" / "index.html").is_file()
    name = partner_settings(handbook)["site_name"]
    assert name in (handbook / "site-partners" / "index.html").read_text()
    assert name not in (handbook / "site" / "index.html").read_text()


def test_the_leak_check_finds_the_same_on_every_core_as_in_one_process(
    planted: tuple[Path, dict[str, EntryInfo]], partner_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large site is searched by a process per core: the same finds, in the same order."""
    site, plants = planted
    whole, _ = handbooks(partner_site)
    prints = leaks.withheld_fingerprints(whole, "partners")
    files = sorted(p for p in site.rglob("*") if p.is_file())
    monkeypatch.setattr(leak_scan, "FILES_PER_PROCESS", 1)  # this small site, as a large one is searched
    monkeypatch.setattr(leak_scan.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    # A test run with a browser open has threads, which the check never forks beside; the
    # processes here only read files, so let them fork.
    monkeypatch.setattr(leak_scan.threading, "active_count", lambda: 1)
    forked: list[int] = []
    monkeypatch.setattr(leak_scan, "ProcessPoolExecutor", _counting(leak_scan.ProcessPoolExecutor, forked))
    one, every = leak_scan.scan(site, prints, files), leak_scan.scan_on_every_core(site, prints, files)
    assert forked == [2]  # two processes searched
    assert every == one and {leak.file for leak in one[0]} >= set(plants)


def _counting(pool: type, counts: list[int]) -> Callable[..., object]:
    def start(workers: int, **options: object) -> object:
        counts.append(workers)
        return pool(workers, **options)

    return start
