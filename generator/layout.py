"""Where each playbook and entry lives on the site: paths and URLs derived from ids only."""

from __future__ import annotations

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
