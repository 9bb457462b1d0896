"""Where each playbook and entry lives on the site: paths and URLs derived from ids only."""

from __future__ import annotations

from .model import KINDS, Playbook

KIND_DIRS: dict[str, str] = {
    "operating-model": "operating-model",
    "culture": "culture",
    "anti-patterns": "anti-patterns",
    "faq": "faq",
    "checklist": "checklists",
    "scorecard": "scorecards",
    "references": "references",
}
KIND_INTROS: dict[str, str] = {
    "operating-model": "How your organisation and a partner work together: the lifecycle of an"
    " engagement, who does what, the meetings that keep it healthy and how success is measured.",
    "culture": "Culture documentation a partner can align to: values, communication norms,"
    " rituals, how decisions are made, how software is delivered, and the questions a partner"
    " should be able to answer.",
    "anti-patterns": "Ways partner relationships go wrong, how to spot them early, and what to"
    " do about them.",
    "faq": "Short answers to the questions partner managers and engineers ask most, each"
    " linked to the practices it draws on.",
    "checklist": "Ordered checklists for the moments that matter: vetting, pilots, onboarding,"
    " health checks and exits.",
    "scorecard": "Self-assessments to score during an engagement: pick a score for each criterion,"
    " see weighted results and what needs action, keep one set of answers per engagement and"
    " export them.",
    "references": "The articles, books and standards this handbook draws on, and which"
    " playbooks use each of them.",
}
assert set(KIND_DIRS) == set(KINDS) == set(KIND_INTROS)


def page_path(playbook: Playbook) -> str:
    """The Markdown file (relative to the docs folder) that a playbook renders to."""
    return f"{KIND_DIRS[playbook.kind]}/{playbook.id}.md"


def section_order(playbook: Playbook) -> tuple[int, str]:
    """Where a playbook sits in its section: by `order` if given, then by title."""
    return (playbook.order if playbook.order is not None else 1 << 30, playbook.title.lower())


def kind_index_path(kind: str) -> str:
    return f"{KIND_DIRS[kind]}/index.md"


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
