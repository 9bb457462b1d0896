"""Links that never break: the manifest of published URLs and the redirects that honour it.

`published-urls.txt` lists every URL the site has ever published, each with what served it:
an entry id, or `page:PATH` for a page without one. A URL that the site no longer produces
must be answered by a redirect, which is possible when its entry still exists (it moved) or
is listed as a former id in some entry's `aliases:` (it was renamed). Otherwise `handbook
check` fails and names the URL. Every id and alias also gets a short link, `/go/ID/`.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import layout
from .model import SLUG_PATTERN
from .problems import Problem
from .validate import EntryInfo, Handbook
from .write import write_text_atomically

MANIFEST = "published-urls.txt"


def manifest_name(audience: str) -> str:
    """The internal handbook's manifest, or an audience's own: published-urls-partners.txt."""
    return MANIFEST if audience == "internal" else MANIFEST.replace(".txt", f"-{audience}.txt")


GO_DIR = "go"
HEADER = """\
# Every URL this handbook has published (relative to the site root) and what served it:
# an entry id, or page:PATH for a page without one. Do not edit by hand.
# `handbook check` fails when one of these stops working: keep the entry, or list its old id
# under `aliases:` of the entry that replaces it. `handbook urls` adds new URLs;
# `handbook urls --forget URL` retires one on purpose.
"""
_LINE = re.compile(rf"^(/\S*)\s+((?:{SLUG_PATTERN[1:-1]})|page:\S+)$")


@dataclass(frozen=True)
class PublishedUrl:
    url: str  # "/faq/partner-faq/#faq-run-a-pilot"; "/" is the home page
    source: str  # the entry id that served it, or "page:PATH" for a page without an id
    line: int = 0


@dataclass
class RedirectPlan:
    """What the build must emit so that every old URL, anchor and short link answers."""

    pages: dict[str, str] = field(default_factory=dict)  # old .md path → target .md path[#anchor]
    anchors: dict[str, dict[str, str]] = field(default_factory=dict)  # page URL → anchor → target
    links: dict[str, str] = field(default_factory=dict)  # alias → current URL (for links.json)


def url_of_page(md_path: str) -> str:
    return "/" + layout.page_url(md_path)


def entry_url(entry: EntryInfo) -> str:
    return "/" + layout.entry_url(entry.playbook, entry.id)


def produced_urls(handbook: Handbook, page_paths: Iterable[str]) -> dict[str, str]:
    """Every URL the site publishes now: each entry, and each page without an entry id."""
    urls = {entry_url(entry): entry_id for entry_id, entry in handbook.entries.items()}
    for path in page_paths:
        urls.setdefault(url_of_page(path), f"page:{path}")
    return urls


def read_manifest(path: Path) -> tuple[list[PublishedUrl], list[Problem]]:
    display = path.name
    if not path.is_file():
        return [], []
    published, problems = [], []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        text = raw.strip()
        if not text or text.startswith("#"):
            continue
        match = _LINE.match(text)
        if match is None:
            problems.append(
                Problem(
                    display,
                    number,
                    1,
                    "expected 'URL SOURCE' (a URL from the site root, then an id or page:PATH)",
                )
            )
            continue
        published.append(PublishedUrl(match.group(1), match.group(2), number))
    return published, problems


def write_manifest(path: Path, published: Iterable[PublishedUrl]) -> None:
    lines = sorted({(p.url, p.source) for p in published})
    width = max((len(url) for url, _ in lines), default=0)
    body = "".join(f"{url.ljust(width)}  {source}\n" for url, source in lines)
    write_text_atomically(path, HEADER + body)


def _relative(from_url: str, to_url: str) -> str:
    """A link from one directory-style page URL to another URL, as a browser resolves it."""
    page, _, anchor = to_url.partition("#")
    if page == from_url:
        return f"#{anchor}" if anchor else "./"
    rel = posixpath.relpath(page, from_url.rstrip("/") or "/")
    rel = "./" if rel == "." else rel.rstrip("/") + "/"
    return rel + (f"#{anchor}" if anchor else "")


def plan_redirects(
    handbook: Handbook, published: list[PublishedUrl], page_paths: Iterable[str], manifest: str = MANIFEST
) -> tuple[RedirectPlan, list[Problem]]:
    md_by_url = {url_of_page(path): path for path in page_paths}
    produced = produced_urls(handbook, md_by_url.values())
    plan = RedirectPlan()
    moved: dict[str, str] = {}  # old URL → current URL of the entry that served it
    lost: list[PublishedUrl] = []
    for item in published:
        if item.url in produced:
            continue
        target = None if item.source.startswith("page:") else handbook.resolve(item.source)
        if target is not None:
            moved[item.url] = entry_url(target)
        else:
            lost.append(item)
    problems = _lost_url_problems(lost, manifest, handbook)
    for alias, entry_id in handbook.aliases.items():
        entry = handbook.entries[entry_id]
        current = entry_url(entry)
        plan.links[alias] = current.lstrip("/")
        if entry.entry is entry.playbook:  # a renamed playbook: its old page
            moved.setdefault(f"/{entry.playbook.spec.folder}/{alias}/", current)
        else:
            moved.setdefault(f"{current.split('#')[0]}#{alias}", current)
    for old, new in sorted(moved.items()):
        old_page, _, old_anchor = old.partition("#")
        if old_page not in md_by_url and _old_md(old_page) not in plan.pages:
            # The old page is gone: send it to where its own entry (or this one) lives now.
            page_target = moved.get(old_page, new.split("#")[0])
            plan.pages[_old_md(old_page)] = _target_md(page_target, md_by_url)
        if old_anchor:
            landing = old_page if old_page in md_by_url else moved.get(old_page, new).split("#")[0]
            link = _relative(landing, new)
            if link != f"#{old_anchor}":  # the redirect page already lands on it
                plan.anchors.setdefault(landing.lstrip("/"), {})[old_anchor] = link
    return plan, problems


def _lost_url_problems(lost: list[PublishedUrl], manifest: str, handbook: Handbook) -> list[Problem]:
    """One problem per lost URL; the anchors of a lost page are counted in the page's problem,
    since they have the one cause."""
    lost_pages = {item.url for item in lost if "#" not in item.url}
    anchors: dict[str, list[PublishedUrl]] = {}
    for item in lost:
        page, anchor, _ = item.url.partition("#")
        if anchor and page in lost_pages:
            anchors.setdefault(page, []).append(item)
    folded = {item.url for on_page in anchors.values() for item in on_page}
    problems = []
    for item in lost:
        if item.url in folded:
            continue
        if item.source.startswith("page:"):
            why = f"the page {item.source.removeprefix('page:')} no longer exists; restore it"
        elif item.source in handbook.withheld:
            why = (
                f"entry '{item.source}' is no longer shared with this handbook's readers; share it "
                "again (`audience:`), or list its id under `aliases:` of a shared entry that replaces it"
            )
        else:
            why = (
                f"entry '{item.source}' was removed or renamed; keep it, or list '{item.source}' "
                "under `aliases:` of the entry that replaces it"
            )
        also = ""
        if on_page := anchors.get(item.url):
            lines = sorted(a.line for a in on_page)
            also = f" (and {len(on_page)} anchor(s) on it, lines {lines[0]}-{lines[-1]})"
        problems.append(
            Problem(
                manifest,
                item.line,
                1,
                f"'{item.url}'{also} is published but no page or redirect serves it any more: {why}, "
                f"or retire it with `handbook urls --forget {item.url}`",
                about=("lost", item.source) if _an_entry_gone(item, handbook) else ("", ""),
            )
        )
    return problems


def _an_entry_gone(item: PublishedUrl, handbook: Handbook) -> bool:
    return not item.source.startswith("page:") and item.source not in handbook.withheld


def _old_md(page_url: str) -> str:
    path = page_url.strip("/")
    return f"{path}/index.md" if path else "index.md"


def _target_md(url: str, md_by_url: dict[str, str]) -> str:
    page, sep, anchor = url.partition("#")
    return md_by_url[page] + sep + anchor


def go_links(handbook: Handbook) -> dict[str, str]:
    """`/go/ID/` for every id and former id → the entry's page (and anchor)."""
    links = {}
    for entry_id, entry in handbook.entries.items():
        target = layout.page_path(entry.playbook)
        if entry.entry is not entry.playbook:
            target += f"#{entry_id}"
        for name in (entry_id, *entry.entry.aliases):
            links[f"{GO_DIR}/{name}.md"] = target
    return links
