"""The pipeline, top to bottom: load → validate → render → write.

`check` runs the first two stages and returns every problem; `generate` runs all four and
returns what MkDocs needs (navigation, edit paths) to build the site from the build folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import layout
from .load import find_playbooks, load_all
from .model import KINDS
from .problems import ContentError, Problem
from .render import TEMPLATES_DIR, Page, render_pages
from .validate import Handbook, validate_handbook
from .write import content_outputs, json_output, page_outputs, write_outputs

LINKS_FILE = "links.json"
NavItem = str | dict[str, Any]


@dataclass(frozen=True)
class Project:
    """Where a handbook's sources and outputs live, all relative to its root folder."""

    root: Path

    @property
    def playbooks_dir(self) -> Path:
        return self.root / "playbooks"

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def build_dir(self) -> Path:
        return self.root / "build" / "docs"

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    @property
    def config_file(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def schemas_dir(self) -> Path:
        return self.root / "schemas"


@dataclass
class Generated:
    nav: list[NavItem]
    edit_paths: dict[str, str]  # docs-relative page path → repository path of its source
    links: dict[str, str]  # entry id → URL relative to the site root
    changed: list[str] = field(default_factory=list)


def check(project: Project) -> tuple[Handbook, list[Problem]]:
    """Load and validate every playbook; collect every problem rather than stopping."""
    sources, problems = load_all(find_playbooks(project.playbooks_dir), project.root)
    handbook, found = validate_handbook(sources)
    return handbook, sorted(problems + found)


def links_map(handbook: Handbook) -> dict[str, str]:
    return {eid: layout.entry_url(entry.playbook, eid) for eid, entry in handbook.entries.items()}


def build_nav(pages: list[Page], content_pages: list[str]) -> list[NavItem]:
    """Home first, then one section per kind, then the other hand-written pages."""
    nav: list[NavItem] = []
    if "index.md" in content_pages:
        nav.append({"Home": "index.md"})
    for kind, cls in KINDS.items():
        index = layout.kind_index_path(kind)
        in_kind = [p for p in pages if p.path.startswith(index.removesuffix("index.md"))]
        if any(p.path == index for p in in_kind):
            members = [p.path for p in sorted(in_kind, key=lambda p: p.order) if p.path != index]
            nav.append({cls.section_title: [index, *members]})
    nav.extend(p for p in content_pages if p != "index.md")
    return nav


def generate(project: Project, templates_dir: Path = TEMPLATES_DIR) -> Generated:
    """Run the whole pipeline into the build folder. Raises ContentError on bad content."""
    handbook, problems = check(project)
    if problems:
        raise ContentError(problems)
    pages = render_pages(handbook, templates_dir)
    content = content_outputs(project.content_dir)
    generated_paths = {p.path for p in pages} | {LINKS_FILE}
    clashes = [
        Problem(src, 1, 1, f"'{out.path}' clashes with a page the generator writes; rename it")
        for out, src in content
        if out.path in generated_paths
    ]
    if clashes:
        raise ContentError(clashes)
    links = links_map(handbook)
    outputs = [*page_outputs(pages), *(out for out, _ in content), json_output(LINKS_FILE, links)]
    changed = write_outputs(project.build_dir, outputs)
    content_pages = [out.path for out, _ in content if out.path.endswith(".md")]
    edit_paths = {p.path: p.source for p in pages if p.source} | {out.path: src for out, src in content}
    return Generated(build_nav(pages, content_pages), edit_paths, links, changed)
