"""The pipeline, top to bottom: load → validate → render → write.

`check` runs the first two stages and returns every problem; `generate` runs all four and
returns what MkDocs needs (navigation, edit paths) to build the site from the build folder.
"""

from __future__ import annotations

import dataclasses
import functools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import audience as audiences
from . import (
    declared,
    derived,
    inline,
    kind_docs,
    layout,
    leaks,
    owners,
    page_links,
    partner_rules,
    render,
    review,
    rules,
    search_docs,
    shared_pages,
    site_assets,
    site_config,
    tag_pages,
    urls,
)
from .coverage import COVERAGE_FILE, coverage_problems
from .kind_templates import check_templates, failure_problem, render_problems
from .load import LoadCache, find_playbooks, load_all
from .model import AUDIENCES, KindSpec
from .problems import ContentError, Problem, fold_deleted_entries, sorted_problems
from .render import TEMPLATES_DIR, Page, TemplateFailure, render_pages
from .render_cache import RenderCache
from .schema_comments import schema_comment_problems
from .search_docs import SearchDoc
from .search_settings import SEARCH_FILE, SearchSettings, read_search_settings
from .starter import leftover_problems
from .validate import Handbook, ids_in_unreadable_text, validate_handbook
from .write import Output, content_outputs, content_sources, json_output, page_outputs, write_outputs

LINKS_FILE = "links.json"
ANCHORS_FILE = "anchor-redirects.json"
REVIEW_STATUS_PAGE = render.REVIEW_STATUS_PAGE
NavItem = str | dict[str, Any]


@dataclass(frozen=True)
class Project:
    """Where a handbook's sources and outputs live, all relative to its root folder, and which
    handbook to build from them: the internal one (everything) or an audience's view."""

    root: Path
    audience: str = audiences.INTERNAL

    def for_audience(self, name: str) -> Project:
        return dataclasses.replace(self, audience=name)

    @property
    def suffix(self) -> str:
        """What tells an audience's outputs from the internal handbook's: "" or "-partners"."""
        return "" if self.audience == audiences.INTERNAL else f"-{self.audience}"

    def id_files(self) -> list[Path]:
        """Other files that name entry ids, which `handbook rename` updates too: coverage.yaml,
        and those the `handbook` plugin's `id_files` option names (glob patterns)."""
        patterns = [COVERAGE_FILE, *site_config.plugin_strings(self.config_file, "id_files")]
        found = {path for pattern in patterns for path in self.root.glob(pattern) if path.is_file()}
        return sorted(found)

    def content_sources(self) -> dict[str, Path]:
        """Hand-written files by docs-relative path (CONTRIBUTING.md is published too), as this
        project's audience reads them."""
        shared_files = []  # files besides the pages that mkdocs.yml shares with the audience
        if self.audience != audiences.INTERNAL:
            shared_files = site_config.plugin_strings(self.config_file, self.audience, "files")
        return shared_pages.pages_for(self.audience, self.all_content_sources(), shared_files)

    def all_content_sources(self) -> dict[str, Path]:
        """Every hand-written file, whichever handbook publishes it, by its path in content/."""
        return content_sources(self.content_dir, {"contributing.md": self.contributing_file})

    def sources(self) -> list[Path]:
        """The folders and files the site is made from: what a live preview watches."""
        folders = [self.playbooks_dir, self.content_dir, TEMPLATES_DIR, self.kinds_dir]
        files = [self.contributing_file, self.manifest_file, self.owners_file, self.search_file]
        return [path for path in folders if path.is_dir()] + [path for path in files if path.is_file()]

    @property
    def kinds_dir(self) -> Path:
        """The kinds this handbook declares besides the built-in ones."""
        return self.root / declared.KINDS_DIR

    @property
    def playbooks_dir(self) -> Path:
        return self.root / "playbooks"

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def build_dir(self) -> Path:
        return self.root / "build" / f"docs{self.suffix}"

    @property
    def site_dir(self) -> Path:
        """Where `handbook build` puts the site (mkdocs.yml may name another for an audience)."""
        return self.root / f"site{self.suffix}"

    @property
    def config_file(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def schemas_dir(self) -> Path:
        return self.root / "schemas"

    @property
    def contributing_file(self) -> Path:
        """CONTRIBUTING.md at the root: shown by the forge and published as a page."""
        return self.root / "CONTRIBUTING.md"

    @property
    def manifest_file(self) -> Path:
        """The URLs this handbook has published: each audience's handbook keeps its own."""
        return self.root / urls.manifest_name(self.audience)

    @property
    def owners_file(self) -> Path:
        return self.root / owners.OWNERS_FILE

    @property
    def search_file(self) -> Path:
        return self.root / SEARCH_FILE


@dataclass
class Generated:
    nav: list[NavItem]
    edit_paths: dict[str, str]  # docs-relative page path → repository path of its source
    links: dict[str, str]  # entry id (or former id) → URL relative to the site root
    redirects: dict[str, str] = field(default_factory=dict)  # old .md path → target, for mkdocs-redirects
    # The search documents of playbooks and generated pages, made when first asked for: a live
    # preview's incremental rebuild keeps its search index, and never needs them.
    make_search_docs: Callable[[], list[SearchDoc]] = list
    pages: list[str] = field(default_factory=list)  # the generated pages, docs-relative
    search_settings: SearchSettings = field(default_factory=SearchSettings)
    changed: list[str] = field(default_factory=list)
    playbooks: int = 0
    entries: int = 0
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    whole: Handbook | None = None  # every playbook, whoever the site is for (the leak check's source)
    tag_urls: dict[str, str] = field(default_factory=dict)  # tag slug → its page's URL

    @functools.cached_property
    def search_docs(self) -> list[SearchDoc]:
        started = time.perf_counter()
        docs = self.make_search_docs()
        self.timings["search documents"] = time.perf_counter() - started
        return docs


def check_playbooks(project: Project, cache: LoadCache | None = None) -> tuple[Handbook, list[Problem]]:
    """Load and validate every playbook; collect every problem rather than stopping.

    A file that cannot be read (a YAML syntax error, say) is the root cause of any reference
    to the ids it defines: those are not reported, and its own problems are listed first."""
    kinds = declared.read_kinds(project.root)
    paths = find_playbooks(project.playbooks_dir)
    sources, problems = load_all(paths, project.root, cache)
    unreadable = sorted(set(paths) - {source.path for source in sources})
    unreadable_ids = frozenset(i for path in unreadable for i in ids_in_unreadable_text(_text_of(path)))
    handbook, found = validate_handbook(sources, unreadable_ids, kinds.kinds, frozenset(kinds.broken))
    if unreadable or kinds.problems:
        handbook.complete = False
        problems = [dataclasses.replace(p, root_cause=True) for p in problems + kinds.problems]
    found += check_templates(project.root, project.kinds_dir, handbook)
    found += inline.check_playbooks(handbook)
    return handbook, sorted_problems(problems + found)


def _text_of(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return ""


def check(project: Project) -> tuple[Handbook, list[Problem]]:
    """Everything the project enforces, for `handbook check`: what a build needs (the
    playbooks, their owners, the search settings, every published URL of every handbook built
    from them), the handbook-wide rules, and whether the derived files (URL manifests,
    CODEOWNERS, schemas) are current. Collects every problem. A build checks only the first
    part, so a preview still works while, say, a new playbook's URLs are not recorded yet."""
    handbook, _, _, _, problems = _check_all(project)
    problems += rules.check_rules(handbook) + audiences.marked_in_vain(handbook)
    problems += coverage_problems(project.root, handbook)
    kinds = ((pb.source.display, pb.model.kind) for pb in handbook.playbooks)
    problems += schema_comment_problems(project.root, project.schemas_dir, kinds)
    problems += _page_audience_problems(project) + site_config.config_problems(project.config_file)
    problems += leftover_problems(project.root)
    if handbook.complete:  # with a file unread, these would blame healthy files
        in_use = audiences_in_use(project, handbook)
        for other, view in in_use:
            if other.audience != project.audience:
                problems += _links_problems(other, view)[1]
            if other.audience != audiences.INTERNAL:
                problems += audience_problems(other, handbook, view)
        problems += derived.stale(derived_files(project, handbook, in_use), handbook)
        problems += render_problems(project.root, project.kinds_dir, handbook, {p.path for p in problems})
        problems += content_clashes(
            project, set(generated_pages(project, handbook)) | generated_files(attachment_outputs(handbook))
        )
    return handbook, sorted_problems(fold_deleted_entries(list(set(problems))))


def check_sources(project: Project) -> tuple[Handbook, list[Problem]]:
    """What a build needs to be valid: the playbooks, their owners, the search settings and
    every published URL."""
    handbook, _, _, _, problems = _check_all(project)
    return handbook, sorted_problems(fold_deleted_entries(problems))


def audiences_in_use(project: Project, handbook: Handbook) -> list[tuple[Project, Handbook]]:
    """The project of every handbook built from these sources, with the view of `handbook` it
    builds: the internal one, and each audience's that shares a playbook, has a page of its
    own or has published URLs."""
    used = [(project.for_audience(audiences.INTERNAL), handbook)]
    variants = [shared_pages.variant_of(path) for path in project.all_content_sources()]
    for name in AUDIENCES[1:]:
        other, view = project.for_audience(name), audiences.view(handbook, name)
        if view.playbooks or any(v and v[1] == name for v in variants) or other.manifest_file.is_file():
            used.append((other, view))
    return used


def audience_problems(project: Project, whole: Handbook, view: Handbook) -> list[Problem]:
    """What the sources of an audience's handbook must not do (generator/partner_rules.py)."""
    name, pages = project.audience, project.content_sources()
    pieces = list(partner_rules.shared_pieces(whole, pages, project.root, name))
    problems = partner_rules.internal_links(pieces, project.config_file, name)
    problems += partner_rules.unshared_files(pages, project.all_content_sources(), project.root, name)
    withheld = leaks.HandWritten(withheld_pages=withheld_pages(project, pages))
    problems += partner_rules.repeated_text(pieces, whole, name, withheld)
    published, _ = urls.read_manifest(project.manifest_file)
    return problems + partner_rules.newly_shared(view, published, project.manifest_file, name)


def withheld_pages(project: Project, chosen: dict[str, Path]) -> list[tuple[str, str]]:
    """(file, text) of each hand-written page that the project's audience does not read
    (`chosen`: its `content_sources()`, which read the pages' front matter)."""
    kept = set(chosen.values())
    return [
        (src.relative_to(project.root).as_posix(), src.read_text(encoding="utf-8", errors="replace"))
        for path, src in project.all_content_sources().items()
        if path.endswith(".md") and src not in kept
    ]


def derived_files(
    project: Project, handbook: Handbook, in_use: list[tuple[Project, Handbook]] | None = None
) -> derived.DerivedFiles:
    """The derived files and what they derive from; `in_use` is `audiences_in_use`, if known."""
    team_map, _ = owners.read_owners(project.owners_file)  # its problems are check_sources'
    pages = kind_docs.pages_with_blocks(project.root, project.all_content_sources())
    manifests = []
    for each, view in in_use or audiences_in_use(project, handbook):
        published, produced, missing, _ = unrecorded_urls(each, handbook, view)
        manifests.append(derived.Manifest(each.manifest_file, published, produced, missing))
    return derived.DerivedFiles(project.root, manifests, project.schemas_dir, team_map, pages)


def _check_all(
    project: Project, cache: LoadCache | None = None
) -> tuple[Handbook, Handbook, urls.RedirectPlan, SearchSettings, list[Problem]]:
    """The whole handbook, the view of it that `project` builds (the same for the internal
    handbook), the redirects that view's site needs, the search settings and every problem."""
    handbook, problems = check_playbooks(project, cache)
    settings, search_problems = read_search_settings(project.search_file)
    plan, view = urls.RedirectPlan(), handbook
    if handbook.complete:  # broken references do not hide lost URLs or unknown owners
        team_map, owner_problems = owners.read_owners(project.owners_file)
        problems += owner_problems + owners.check_owners(handbook, team_map)
        view = audiences.view(handbook, project.audience)
        plan, link_problems = _links_problems(project, view)
        problems += link_problems
    return handbook, view, plan, settings, sorted_problems(problems + search_problems)


def _links_problems(project: Project, view: Handbook) -> tuple[urls.RedirectPlan, list[Problem]]:
    """What keeps the links of `project`'s site working: its published URLs, and the links in
    its hand-written pages."""
    pages = page_paths(project, view)
    plan, problems = plan_links(project, view, pages)
    return plan, problems + content_link_problems(project, view, set(pages))


def _page_audience_problems(project: Project) -> list[Problem]:
    problems = []
    for src in project.all_content_sources().values():
        if src.suffix == ".md":
            display = src.relative_to(project.root).as_posix()
            problems += shared_pages.page_problems(display, src.read_text(encoding="utf-8", errors="replace"))
    return problems


def generated_files(attachments: list[Output]) -> set[str]:
    """What the build writes besides the pages: links, anchor redirects, `attachments`, assets."""
    return {LINKS_FILE, ANCHORS_FILE} | {out.path for out in attachments} | set(site_assets.asset_uris())


def content_clashes(project: Project, generated: set[str]) -> list[Problem]:
    """Hand-written files at a path the build writes itself (a page, an asset, a short link)."""
    return [
        Problem(
            src.relative_to(project.root).as_posix(),
            1,
            1,
            f"'{path}' clashes with a file the generator writes; rename it",
        )
        for path, src in project.content_sources().items()
        if path in generated or path.startswith(f"{urls.GO_DIR}/")
    ]


def content_link_problems(project: Project, handbook: Handbook, pages: set[str]) -> list[Problem]:
    """Links in hand-written pages: by id to an entry, or by path to one of the site's `pages`."""
    problems = []
    for page, src in project.content_sources().items():
        if page.endswith(".md"):
            display = src.relative_to(project.root).as_posix()
            text = src.read_text(encoding="utf-8", errors="replace")
            problems += page_links.check_page(display, page, text, handbook, pages)
            problems += inline.check_defaults(display, text, handbook)
    return problems


def page_paths(project: Project, handbook: Handbook) -> list[str]:
    """Every page the site will have, as docs-relative Markdown paths (`handbook` is the view
    of the project's audience)."""
    return generated_pages(project, handbook) + [p for p in project.content_sources() if p.endswith(".md")]


def generated_pages(project: Project, handbook: Handbook) -> list[str]:
    """The pages the generator writes. Review dates are our own business: not in an audience's site."""
    paths = [layout.page_path(pb.model) for pb in handbook.playbooks]
    paths += [layout.kind_index_path(cls.spec) for cls in handbook.kinds_used()]
    if project.audience == audiences.INTERNAL:
        paths.append(REVIEW_STATUS_PAGE)
    return paths


def plan_links(
    project: Project, handbook: Handbook, pages: list[str]
) -> tuple[urls.RedirectPlan, list[Problem]]:
    """Redirects for every published URL the site's `pages` no longer serve directly."""
    display = project.manifest_file.name
    published, problems = urls.read_manifest(project.manifest_file)
    plan, found = urls.plan_redirects(handbook, published, pages, display)
    return plan, problems + found


def unrecorded_urls(
    project: Project, handbook: Handbook, view: Handbook | None = None
) -> tuple[list[urls.PublishedUrl], dict[str, str], list[str], list[Problem]]:
    """The manifest of `project`'s handbook, the URLs its site produces now, and those the
    manifest does not list yet (`handbook` is the whole handbook; `view`, its audience's view
    if already made)."""
    view = view or audiences.view(handbook, project.audience)
    published, problems = urls.read_manifest(project.manifest_file)
    produced = urls.produced_urls(view, page_paths(project, view))
    missing = sorted(set(produced) - {item.url for item in published})
    return published, produced, missing, problems


def links_map(handbook: Handbook, plan: urls.RedirectPlan) -> dict[str, str]:
    links = {eid: layout.entry_url(entry.playbook, eid) for eid, entry in handbook.entries.items()}
    return links | plan.links


def _content(project: Project) -> list[tuple[Output, str]]:
    """The hand-written files the project's audience reads, its pages as it reads them."""
    found = content_outputs(project.content_sources(), project.root)
    if project.audience == audiences.INTERNAL:
        return found
    return [(_for_audience(out, project.audience), src) for out, src in found]


def _for_audience(out: Output, audience: str) -> Output:
    if not out.path.endswith(".md"):
        return out
    text = shared_pages.for_audience(audience, out.data.decode("utf-8", errors="replace"))
    return Output(out.path, text.encode("utf-8"))


def _with_id_links(out: Output, handbook: Handbook) -> Output:
    if not out.path.endswith(".md"):
        return out
    text = out.data.decode("utf-8", errors="replace")
    return Output(out.path, inline.linked(out.path, text, handbook).encode("utf-8"))


def _with_tag_list(out: Output, tags: list[tag_pages.Tag]) -> Output:
    """The tags page (any hand-written page with the marker) with the list of tags in it."""
    if not tag_pages.lists_tags(out.path, out.data):
        return out
    text = tag_pages.with_tag_list(out.path, out.data.decode("utf-8", errors="replace"), tags)
    return Output(out.path, text.encode("utf-8"))


def attachment_outputs(handbook: Handbook) -> list[Output]:
    """Files some kinds publish beside a page (a template's documents, to download)."""
    return [
        Output(f"{pb.model.spec.folder}/{path}", text.encode("utf-8"))
        for pb in handbook.playbooks
        for path, text in pb.model.attachments().items()
    ]


def build_nav(pages: list[Page], content_pages: dict[str, str], kinds: list[KindSpec]) -> list[NavItem]:
    """Home first, then one section per kind (in parts, if large), then the other hand-written
    pages (`content_pages`: path → title). Every page carries its title, so a rebuild that reads
    only the edited pages still names every page right."""
    nav: list[NavItem] = []
    if "index.md" in content_pages:
        nav.append({"Home": "index.md"})
    by_path = {p.path: p for p in pages}
    for spec in kinds:
        index = layout.kind_index_path(spec)
        if index not in by_path:
            continue
        folder = index.removesuffix("index.md")
        # A kind's playbook pages (index and part pages have no source), parted as render parts them.
        members = sorted((p for p in pages if p.source and p.path.startswith(folder)), key=lambda p: p.order)
        titled: list[NavItem] = [{p.title: p.path} for p in members]
        ranges = layout.split_into_parts(len(members))
        if len(ranges) > 1:
            part_paths = (layout.part_path(spec, number) for number in range(1, len(ranges) + 1))
            titled = [
                {by_path[part].title: [part, *titled[r.start : r.stop]]}
                for part, r in zip(part_paths, ranges, strict=True)
            ]
        nav.append({spec.title: [index, *titled]})
    nav.extend({title: path} for path, title in content_pages.items() if path != "index.md")
    nav.extend({p.title: p.path} for p in pages if p.path == REVIEW_STATUS_PAGE)
    return nav


@dataclass
class PreviewMemory:
    """What a live preview keeps from one rebuild to the next, so that a save costs the files
    it changed: each playbook as parsed, and each page as rendered."""

    loaded: LoadCache = field(default_factory=dict)
    rendered: RenderCache = field(default_factory=RenderCache)


def generate(
    project: Project, templates_dir: Path = TEMPLATES_DIR, memory: PreviewMemory | None = None
) -> Generated:
    """Run the whole pipeline into the build folder. Raises ContentError on bad content.

    A live preview passes its `memory`, so that unchanged playbooks are not parsed or rendered
    again."""
    clock = _Stopwatch()
    whole, handbook, plan, settings, problems = _check_all(project, memory.loaded if memory else None)
    clock.lap("load and validate")
    if problems:
        raise ContentError(fold_deleted_entries(problems))
    internal = project.audience == audiences.INTERNAL
    shared = audiences.sharing(whole, AUDIENCES[1]) if internal else None  # marked on internal pages
    content = _content(project)
    tags_page = next((out.path for out, _ in content if tag_pages.lists_tags(out.path, out.data)), None)
    tags = tag_pages.tags_of([pb.model for pb in handbook.playbooks]) if tags_page else []
    tag_index = tag_pages.TagIndex(tags_page, tags) if tags_page else None
    try:
        rendered = memory.rendered if memory else None
        today = review.today()
        pages = render_pages(handbook, today, templates_dir, project.kinds_dir, shared, tag_index, rendered)
    except TemplateFailure as failure:  # in a declared kind's template, it is the handbook's problem
        if (problem := failure_problem(project.root, failure)) is None:
            raise
        raise ContentError([problem]) from None
    clock.lap("render")
    content = [(_with_tag_list(_with_id_links(out, handbook), tags), src) for out, src in content]
    attachments = attachment_outputs(handbook)
    if clashes := content_clashes(project, {p.path for p in pages} | generated_files(attachments)):
        raise ContentError(clashes)
    links = links_map(handbook, plan)
    outputs = [
        *page_outputs(pages),
        *attachments,
        *(out for out, _ in content),
        json_output(LINKS_FILE, links),
        json_output(ANCHORS_FILE, plan.anchors),
    ]
    changed = write_outputs(project.build_dir, outputs)
    clock.lap("write")
    content_pages = {
        out.path: shared_pages.page_title(out.path, out.data.decode("utf-8", errors="replace"))
        for out, _ in content
        if out.path.endswith(".md")
    }
    edit_paths = {p.path: p.source for p in pages if p.source} | {out.path: src for out, src in content}
    redirects = plan.pages | urls.go_links(handbook)
    kinds = [cls.spec for cls in handbook.kinds_used()]
    nav = build_nav(pages, content_pages, kinds)

    def make_search_docs() -> list[SearchDoc]:
        return search_docs.playbook_docs(handbook) + search_docs.index_page_docs(kinds)

    return Generated(
        nav,
        edit_paths,
        links,
        redirects,
        changed=changed,
        playbooks=len(handbook.playbooks),
        entries=len(handbook.entries),
        timings=clock.laps,
        make_search_docs=make_search_docs,
        pages=[page.path for page in pages],
        search_settings=settings.for_audience(project.audience),
        whole=whole,
        tag_urls={tag.slug: tag.url for tag in tags},
    )


class _Stopwatch:
    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = now - self.start
        self.start = now
