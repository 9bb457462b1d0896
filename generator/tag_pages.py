"""The handbook's tag pages: one page per tag listing the playbooks that carry it (in parts, like
a large section), and the list of tags on the hand-written tags page.

Material's tags plugin put every tag's list on one page, which grew with the handbook (849 KB
at 5,000 pages) and which a rebuild of only the edited pages could not keep right. These are
plain generated Markdown, so they are small at any size, rebuilt when their text changes, and
read by any engine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import layout
from .layout import escape_label
from .model import Playbook

TAGS_DIR = "tags"
# Where a hand-written page (content/tags.md in ours) wants the list of tags. Without one, tags
# show on pages unlinked, and there are no tag pages. Material's directive is read too, so a
# page written for Material's tags plugin keeps working.
TAG_LIST_MARKER = re.compile(r"<!--\s*(?:handbook|material)/tags\s*-->")
_MARKER_BYTES = re.compile(TAG_LIST_MARKER.pattern.encode())


def lists_tags(path: str, data: bytes) -> bool:
    """Whether the hand-written file at `path` is a page that wants the list of tags."""
    return path.endswith(".md") and _MARKER_BYTES.search(data) is not None


def tag_slug(tag: str) -> str:
    """The tag's folder under tags/: lower-case words joined by hyphens, never a path."""
    return "-".join(re.findall(r"\w+", tag.lower())) or "tag"


@dataclass(frozen=True)
class Tag:
    name: str  # as the first playbook (by title) spells it; tags differing only in case are one
    slug: str  # tag_slug(name)
    playbooks: tuple[Playbook, ...]  # by title

    @property
    def path(self) -> str:
        return f"{TAGS_DIR}/{self.slug}/index.md"

    @property
    def url(self) -> str:
        return layout.page_url(self.path)


def tags_of(playbooks: list[Playbook]) -> list[Tag]:
    """Every tag of these playbooks with the playbooks that carry it, by name."""
    by_slug: dict[str, list[Playbook]] = {}
    for pb in sorted(playbooks, key=lambda p: (p.title.lower(), p.id)):
        for slug in dict.fromkeys(tag_slug(tag) for tag in pb.tags):
            by_slug.setdefault(slug, []).append(pb)
    tags = []
    for slug, members in by_slug.items():
        name = next(tag for tag in members[0].tags if tag_slug(tag) == slug)
        tags.append(Tag(name, slug, tuple(members)))
    return sorted(tags, key=lambda tag: (tag.name.lower(), tag.name))


@dataclass(frozen=True)
class TagIndex:
    """The hand-written page that lists the tags (its docs-relative path), and the tags."""

    page: str
    tags: list[Tag]


def tag_list(from_page: str, tags: list[Tag]) -> str:
    """The Markdown list of tags, with links from `from_page` and how many playbooks carry each."""
    if not tags:
        return "No playbook has tags yet."
    lines = []
    for tag in tags:
        count = len(tag.playbooks)
        noun = "playbook" if count == 1 else "playbooks"
        href = layout.relative_link(from_page, tag.path)
        lines.append(f"- [{escape_label(tag.name)}]({href}): {count} {noun}")
    return "\n".join(lines) + "\n"


def with_tag_list(path: str, text: str, tags: list[Tag]) -> str:
    """A hand-written page with its tags marker replaced by the list of tags."""
    return TAG_LIST_MARKER.sub(lambda _: tag_list(path, tags), text)
