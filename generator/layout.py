"""Where each playbook and entry lives on the site: paths and URLs derived from ids only."""

from __future__ import annotations

import re

from .model import KindSpec, Playbook


def page_path(playbook: Playbook) -> str:
    """The Markdown file (relative to the docs folder) that a playbook renders to."""
    return f"{playbook.spec.folder}/{playbook.id}.md"


def section_order(playbook: Playbook) -> tuple[int, str]:
    """Where a playbook sits in its section: by `order` if given, then by title."""
    return (playbook.order if playbook.order is not None else 1 << 30, playbook.title.lower())


def kind_index_path(spec: KindSpec) -> str:
    return f"{spec.folder}/index.md"


def page_url(path: str) -> str:
    """The directory-style URL of a Markdown page, relative to the site root."""
    stem = path.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/"


def entry_url(playbook: Playbook, entry_id: str) -> str:
    url = page_url(page_path(playbook))
    return url if entry_id == playbook.id else f"{url}#{entry_id}"


def relative_link(from_page: str, to_page: str) -> str:
    """A link between two Markdown files that MkDocs can check and rewrite.

    Both paths are relative to the docs folder and normalised, so this is plain string work
    (`posixpath.relpath` consults the working directory on every call, which adds up).
    """
    here = from_page.split("/")[:-1]
    there = to_page.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:])


# A section of more than PART_SIZE pages is split into parts, each with an index page. With
# Material's `navigation.prune`, a page's HTML then carries the top level, its section's parts
# and its own part's pages: a few dozen links, however large the handbook grows.
PART_SIZE = 40
PART_STEM = "part-"  # playbook ids of this form (part-2) are reserved for the parts' pages


def split_into_parts(count: int, size: int = PART_SIZE) -> list[range]:
    """Consecutive ranges of at most `size` positions, as even as possible; one range if it fits."""
    parts = max(1, -(-count // size))
    base, extra = divmod(count, parts)
    ranges, start = [], 0
    for number in range(parts):
        end = start + base + (1 if number < extra else 0)
        ranges.append(range(start, end))
        start = end
    return ranges


def part_path(spec: KindSpec, number: int) -> str:
    """The index page of part `number` (from 1) of a kind's section (an index page, so that
    the part's name in the navigation links to it)."""
    return part_path_in(f"{spec.folder}/", number)


def part_path_in(folder: str, number: int) -> str:
    """The index page of part `number` of the listing whose index page is in `folder` ("faq/")."""
    return f"{folder}{PART_STEM}{number}/index.md"


def part_label(first: str, last: str) -> str:
    """A part's name in navigation, like a dictionary's guide words: its first and last titles."""
    return first if first == last else f"{first} – {last}"


def escape_label(text: str) -> str:
    """Make text safe as the label of a Markdown link."""
    return re.sub(r"([\\\[\]])", r"\\\1", " ".join(text.split()))
