"""The MkDocs side of the pipeline: generate before each build, then wire nav and edit links.

Registered as the `handbook` plugin, so `mkdocs build` and `mkdocs serve` (and therefore
`handbook build` and `handbook serve`) regenerate the Markdown from the YAML every time.
While serving, invalid content is reported in the terminal and at the top of every page
(`error_panel`), and the last good pages stay up until the next good build.
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import jinja2
import jinja2.bccache
import markupsafe
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import clean_directory
from mkdocs.utils.templates import TemplateContext

from . import search, search_docs, site_assets
from .audience import INTERNAL
from .model import AUDIENCES
from .nav_views import page_views
from .page_workers import PageWorkers, worker_count
from .pipeline import Generated, PreviewMemory, Project, generate
from .problems import ContentError, Problem
from .pruned_nav import PrunedNav
from .render import TemplateFailure
from .review import ClockError
from .safety import page_parts, unsafe_frame, unsafe_html
from .search import RECORDS_PER_INDEX
from .tag_pages import TAGS_DIR, tag_slug

log = logging.getLogger("mkdocs.plugins.handbook")

PANEL_LIMIT = 50  # problems listed on a page; the terminal has them all
_ARTICLE = re.compile(r"<article\b[^>]*>", re.IGNORECASE)
_BODY = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
# Elements whose whitespace is their content: left as they are by `without_indentation`.
_VERBATIM = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2\s*>)", re.IGNORECASE | re.DOTALL)
_INDENT = re.compile(r"\n\s+")


def without_indentation(page_html: str) -> str:
    """The page without the indentation of its template (about half the bytes of a page with a
    long navigation). A line break followed by spaces becomes a line break: in HTML both are
    one space, so the page looks the same; verbatim elements are kept as they are."""
    parts = _VERBATIM.split(page_html)
    # split() returns text, then each match's two groups: keep the matches, strip the text.
    kept = (_INDENT.sub("\n", part) if i % 3 == 0 else part for i, part in enumerate(parts) if i % 3 != 2)
    return "".join(kept)


def error_panel(problems: Sequence[Problem | str]) -> str:
    """The live preview's notice that the playbooks are invalid: one line per problem, as
    `handbook check` prints it. Everything quoted from the YAML is escaped: it is text."""
    items = "".join(f"<li><code>{html.escape(str(p))}</code></li>" for p in problems[:PANEL_LIMIT])
    if len(problems) > PANEL_LIMIT:
        items += f"<li>… and {len(problems) - PANEL_LIMIT} more: see the terminal.</li>"
    return (
        '<div class="handbook-errors" role="alert">'
        f'<p class="handbook-errors__title">{len(problems)} problem(s) in the playbooks: '
        "this preview shows the last good version</p>"
        f'<ul class="handbook-errors__list">{items}</ul>'
        '<p class="handbook-errors__hint">Fix them and save: this page reloads by itself.</p>'
        "</div>"
    )


def with_error_panel(page_html: str, problems: Sequence[Problem | str]) -> str:
    """The page with `error_panel` at the top of its content (else of its body)."""
    match = _ARTICLE.search(page_html) or _BODY.search(page_html)
    if match is None:
        return error_panel(problems) + page_html
    return page_html[: match.end()] + error_panel(problems) + page_html[match.end() :]


class CompiledTemplates(jinja2.BytecodeCache):
    """The theme's templates, compiled once for a whole live preview: MkDocs makes a new Jinja
    environment for every build. Jinja compares each template's source with the one compiled,
    so an edited override is compiled again."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if (code := self.code.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


@dataclass(frozen=True)
class PageTag:
    """A tag as Material's `partials/tags.html` shows it above a page: linked to its tag page."""

    name: str
    url: str | None  # relative to the site root; None if the handbook has no page for it
    hidden: bool = False


AUDIENCE_VARIABLE = "HANDBOOK_AUDIENCE"  # which handbook `mkdocs build`/`serve` make: internal by default


class AudienceSite(Config):  # type: ignore[no-untyped-call]
    """The site of the partner handbook: `plugins: - handbook: partners:` in mkdocs.yml."""

    site_name = config_options.Optional(config_options.Type(str))  # default: "<site_name> for partners"
    site_url = config_options.Optional(config_options.Type(str))
    site_dir = config_options.Optional(config_options.Type(str))  # default: site-partners
    banner = config_options.Optional(config_options.Type(str))  # plain text across the top of every page
    ask_url = config_options.Optional(config_options.Type(str))  # default: none (our issues are internal)
    # Files in content/ besides the pages (images, downloads) that partners may have: glob
    # patterns from content/ (generator/shared_pages.py). Every other file is internal.
    files = config_options.ListOfItems(config_options.Type(str), default=[])


class HandbookConfig(Config):  # type: ignore[no-untyped-call]
    """Options under `plugins: - handbook:` in mkdocs.yml; everything else comes from the folders."""

    search = config_options.Choice(("auto", "lunr", "pagefind"), default="auto")
    pagefind_above = config_options.Type(int, default=2000)  # linkable entries, for search: auto
    # Documents in one Pagefind index; a larger handbook gets several, merged by the search box.
    pagefind_records_per_index = config_options.Type(int, default=RECORDS_PER_INDEX)
    # "Ask the handbook's owners" from the search box: a new-issue URL with {title} and {body};
    # by default derived from repo_url; "" hides the link.
    ask_url = config_options.Optional(config_options.Type(str))
    partners = config_options.SubConfig(AudienceSite)
    # Processes that read and render the pages of `handbook build` (generator/page_workers.py):
    # 0 is one per core; 1 renders every page in MkDocs' own process.
    page_workers = config_options.Type(int, default=0)
    # Other files naming entry ids (glob patterns from the handbook's folder: search queries of
    # a benchmark, say), which `handbook rename` updates too, as it does coverage.yaml.
    id_files = config_options.ListOfItems(config_options.Type(str), default=[])


# Theme features that lead to the repository, which partners cannot open.
REPOSITORY_FEATURES = ("content.action.edit", "content.action.view")


class HandbookPlugin(BasePlugin[HandbookConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        super().__init__()
        self.command = "build"
        self.last_good: Generated | None = None
        self.problems: list[Problem] = []  # of the last failed generation, for `handbook build`
        self.preview_errors: list[Problem | str] = []  # on every page of the live preview until fixed
        self.quiet_problems = False  # True when `handbook build` prints the problems itself
        self.search_mode: search.Mode = "lunr"
        self.dirty = False  # MkDocs leaves the site folder as it is: this plugin decides what to rebuild
        self.builds = 0  # in this process: a live preview rebuilds many times
        self.site_shape = ""  # what every page depends on, at the last build (`_site_shape`)
        self.incremental = False  # this build re-renders only the pages whose Markdown or navigation changed
        self.nav_views: dict[str, str] = {}  # page → the navigation it shows (nav_views.page_views)
        self.nav_changed: set[str] = set()  # pages an incremental build renders for their navigation
        self.memory = PreviewMemory()  # a live preview's parsed playbooks and rendered pages
        self.page_docs: dict[str, list[search_docs.SearchDoc]] = {}  # hand-written page → its documents
        self.audience: str | None = None  # set by `handbook build`; else HANDBOOK_AUDIENCE, else internal
        self.built = INTERNAL  # the audience of the last build
        self.project: Project | None = None  # of the last build
        self.compiled_templates = CompiledTemplates()  # the theme's, kept by a live preview
        self.workers = PageWorkers()  # of the build under way
        self.pruned = PrunedNav()  # the sections of the navigation that Material prunes

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.command = command  # defining on_startup also keeps this object across rebuilds
        self.dirty = dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        audience = self.audience or os.environ.get(AUDIENCE_VARIABLE) or INTERNAL
        if audience not in AUDIENCES:
            raise PluginError(f"{AUDIENCE_VARIABLE}={audience!r}: use one of {', '.join(AUDIENCES)}")
        project = self.project = Project(Path(config.config_file_path).resolve().parent, audience)
        self.built = audience
        try:
            self.last_good = generate(project, memory=self.memory if self.command == "serve" else None)
            self.problems, self.preview_errors = [], []
        except ContentError as exc:
            self.problems = exc.problems
            self.preview_errors = list(exc.problems)
            if self.command == "build" and self.quiet_problems:
                raise PluginError(f"{len(exc.problems)} problem(s) in the playbooks") from None
            for problem in exc.problems:
                log.error(str(problem))
            if self.command != "serve" or self.last_good is None:
                raise PluginError(f"{len(exc.problems)} problem(s) in the playbooks; see above") from None
            log.error("Playbooks are invalid: still serving the last good version")
        except ClockError as exc:
            raise PluginError(str(exc)) from None
        except TemplateFailure as exc:
            if self.command != "serve" or self.last_good is None:
                raise PluginError(str(exc)) from None
            self.preview_errors = [str(exc)]
            log.error(str(exc))
        config.nav = self.last_good.nav
        config.docs_dir = str(project.build_dir)
        site_assets.add_theme(config)  # the engine's page template and stylesheet
        ask = search.ask_url(config.repo_url, self.config.ask_url)
        if audience != INTERNAL:
            ask = self._as_audience_site(config, self.config.partners)
        entries, option = self.last_good.entries, self.config.search
        self.search_mode = search.choose(option, entries, self.config.pagefind_above)
        search.switch_off_material_search(config)  # the handbook's own box replaces Material's
        config.extra["handbook_search"] = {
            "engine": self.search_mode,
            "ask": ask,
            "faq": "faq/" if "faq/index.md" in self.last_good.pages else "",
        }
        if self.dirty:  # MkDocs leaves the site folder to us: decide what to render again
            shape, views = self._site_shape(config, self.last_good), page_views(config.nav or [])
            same_pages = views.keys() == self.nav_views.keys()
            self.incremental = self.builds > 0 and shape == self.site_shape and same_pages
            self.nav_changed = {page for page, view in views.items() if view != self.nav_views.get(page)}
            self.site_shape, self.nav_views = shape, views
        redirects = config.plugins.get("redirects")
        if redirects is None:
            raise PluginError("add the 'redirects' plugin after 'handbook' in mkdocs.yml: old links need it")
        # Hand-written redirect_maps in mkdocs.yml win; the plugin is re-created on every build.
        if not self.incremental:  # an incremental rebuild keeps the redirect pages it wrote
            redirects.config["redirect_maps"] = {
                **self.last_good.redirects,
                **redirects.config["redirect_maps"],
            }
        return config

    def _site_shape(self, config: MkDocsConfig, good: Generated) -> str:
        """What every page's HTML depends on besides its own Markdown and the navigation it
        shows: redirects, tag pages, the error panel, the settings and the theme overrides.
        While it and the set of pages stay the same, a rebuild renders only the pages whose
        Markdown the generator rewrote or whose navigation changed; else every page."""
        theme_files = []
        if custom := config.theme.custom_dir:
            for path in sorted(Path(custom).rglob("*")):
                theme_files.append(f"{path} {path.stat().st_mtime_ns}")
        parts = [
            good.redirects,
            good.tag_urls,
            [str(problem) for problem in self.panel_errors],
            Path(config.config_file_path).read_text(encoding="utf-8", errors="replace"),
            theme_files,
            config.extra,
            config.theme.get("features"),
        ]
        return json.dumps(parts, sort_keys=True, default=str)

    @staticmethod
    def _as_audience_site(config: MkDocsConfig, site: AudienceSite) -> str:
        """Make the site an audience's: its own name, address and banner, and nothing that leads
        into the repository (its link, "edit this page"). Returns the search box's "ask" link."""
        config.site_name = site.site_name or f"{config.site_name} for partners"
        config.site_url = site.site_url.rstrip("/") + "/" if site.site_url else None
        config.repo_url = config.repo_name = config.edit_uri = None
        features = config.theme.get("features") or []
        config.theme["features"] = [f for f in features if f not in REPOSITORY_FEATURES]
        config.extra["handbook_banner"] = site.banner or ""
        return site.ask_url or ""

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Callable[..., None]
    ) -> LiveReloadServer:
        """Watch what the site is made from (playbooks, pages, templates...) instead of the
        Markdown generated from it: every build rewrites what changed there, and watching it
        would run every rebuild twice."""
        server.unwatch(config.docs_dir)
        for path in self.project.sources() if self.project else []:
            server.watch(str(path))
        return server

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        edit_paths = self.last_good.edit_paths if self.last_good and self.built == INTERNAL else {}
        for file in files:
            if not file.is_documentation_page():
                continue
            if file.src_uri.startswith(f"{TAGS_DIR}/"):  # tag pages: reached from the tags page
                file.inclusion = InclusionLevel.NOT_IN_NAV
            # "Edit this page" opens the real source: the YAML of a generated page.
            file.edit_uri = edit_paths.get(file.src_uri)
            if self.incremental and file.src_uri in self.nav_changed and os.path.isfile(file.abs_dest_path):
                os.utime(file.abs_dest_path, (0, 0))  # older than its Markdown: MkDocs renders it again
        pages = {file.src_uri for file in files if file.is_documentation_page()}
        self.page_docs = {uri: docs for uri, docs in self.page_docs.items() if uri in pages}  # deleted pages
        site_assets.add_assets(files, config)  # the search box, the tools, anchor redirects
        if self.search_mode == "lunr":  # the lunr.js that MkDocs ships, for the search worker
            files.append(File.generated(config, search.LUNR_JS_URI, abs_src_path=str(search.LUNR_JS)))
        return files

    @property
    def panel_errors(self) -> list[Problem | str]:
        """What the pages' error panel lists: only in the live preview, never in a built site."""
        return self.preview_errors if self.command == "serve" else []

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """In a live preview MkDocs leaves the site folder as it is (a dirty build): start it
        afresh unless this rebuild is incremental, so every page is rendered again."""
        if self.dirty and not self.incremental:
            clean_directory(config.site_dir)

    @event_priority(-100)  # after every other plugin's: the workers see the navigation as MkDocs does
    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Titles as text, for a theme that prints them as HTML. A build of many pages reads
        and renders them in a worker process per core."""
        for item in _nav_items(nav.items):
            if item.title is not None:
                item.title = as_theme_text(item.title)
        self.pruned = PrunedNav.of(nav, config.theme.get("features") or [])
        if self.command == "build" and not self.dirty:
            pages = len(files.documentation_pages())
            count = worker_count(self.config.page_workers, pages)
            log.info(f"Reading and rendering {pages} pages in {count} process(es)")
            if count > 1:
                self.workers.start(count, files, nav, config, gather=lambda: self.page_docs)
        return nav

    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        """In a live preview: the theme's templates compiled once, not on every save; and when a
        save changed no page's navigation, the 404 page and the sitemap (which show nothing
        else that a save can change) are left as they are."""
        if self.command == "serve":
            env.bytecode_cache = self.compiled_templates
        self.pruned.show(None)  # the 404 page and the sitemap are in no section
        if self.incremental and not self.nav_changed:
            config.theme.static_templates -= {"404.html", "sitemap.xml"}
        return env

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """A hand-written page's sections become search documents here, from its HTML."""
        source = self._source(page)
        if source and not source.startswith("playbooks/"):  # a hand-written page: index its sections
            self.page_docs[page.file.src_uri] = search_docs.content_page_docs(page, html)
        return html

    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        """The page's front matter as text, for a theme that prints it as HTML (the title and
        description in the head, the tags), and its tags linked to their tag pages."""
        urls = self.last_good.tag_urls if self.last_good else {}
        names = page.meta.get("tags") or []
        tags = [PageTag(as_theme_text(n), urls.get(tag_slug(n))) for n in names if isinstance(n, str)]
        page.meta = {k: as_theme_text(v) if isinstance(v, str) else v for k, v in page.meta.items()}
        context["tags"] = tags  # type: ignore[typeddict-unknown-key]  # a key of Material's templates
        self.pruned.show(page)
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Last line of defence, over the whole page: a page generated from YAML carries no
        script or embeds in its content, and no page has an event handler or an attribute
        that text broke out into in its head, navigation or footer."""
        source = self._source(page)
        content, frame = page_parts(output)
        findings = unsafe_frame(frame)
        if source.startswith("playbooks/"):
            findings = unsafe_html(content) + findings
        if findings:
            where = source or f"{config.docs_dir}/{page.file.src_uri}"
            raise PluginError(f"{where}: unsafe HTML in the rendered page: {'; '.join(findings[:3])}")
        errors = self.panel_errors
        return without_indentation(with_error_panel(output, errors) if errors else output)

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        """The 404 page as the other pages: without the template's indentation (it shows the
        navigation's top level, 175 KB with it at 5,000 pages), and with the problems of the
        playbooks in a live preview (a page renamed in the broken YAML is not there yet)."""
        if not template_name.endswith(".html"):
            return output_content
        errors = self.panel_errors
        return without_indentation(with_error_panel(output_content, errors) if errors else output_content)

    @event_priority(100)  # the search index is complete before any other plugin looks at the site
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Take in what the page workers gathered (joined when this process had built its share
        of the pages), then write the search index of the engine chosen: from the playbooks'
        entry documents and the sections of the hand-written pages, with synonyms and
        compounds added."""
        self.pruned.restore()
        if reports := self.workers.join():
            gathered = [self.page_docs, *(report.gathered for report in reports)]
            found = ((uri, g.get(uri)) for uri in self.workers.order for g in gathered)
            self.page_docs = {uri: docs for uri, docs in found if docs is not None}
            if self.last_good is not None:
                self.last_good.timings["waiting for the page workers"] = self.workers.waited
        if self.last_good is not None and not (self.search_mode == "pagefind" and self.incremental):
            started = time.perf_counter()
            settings = self.last_good.search_settings
            pages = (doc for docs in self.page_docs.values() for doc in docs)
            docs = search_docs.expand([*self.last_good.search_docs, *pages], settings)
            if self.search_mode == "lunr":
                search.write_lunr_index(Path(config.site_dir), docs, settings)
            else:  # an incremental rebuild keeps the last Pagefind index: rebuilding it takes seconds
                per_index = self.config.pagefind_records_per_index
                search.build_pagefind_index(Path(config.site_dir), docs, settings, per_index)
            self._timed(f"search index ({self.search_mode})", started)
        self.builds += 1

    def _source(self, page: Page) -> str:
        """The repository file a page comes from (a playbook, a hand-written page), or ""."""
        return self.last_good.edit_paths.get(page.file.src_uri, "") if self.last_good else ""

    def _timed(self, stage: str, started: float) -> None:
        if self.last_good is not None:
            self.last_good.timings[stage] = time.perf_counter() - started

    def on_build_error(self, *, error: Exception) -> None:
        self.workers.stop()

    def on_shutdown(self) -> None:
        """A build that failed or was interrupted stops its workers before the caller removes
        the folder they write to."""
        self.workers.stop()


def as_theme_text(text: str) -> markupsafe.Markup:
    """Text made safe for where the theme prints it: Material (and MkDocs' templates) print
    titles, descriptions and tags as HTML, unescaped, in text and in attributes alike. A
    `Markup` string is printed as it is and not escaped a second time by `| e`."""
    return markupsafe.escape(text)


def _nav_items(items: list[Any]) -> Iterator[Any]:
    for item in items:
        yield item
        yield from _nav_items(getattr(item, "children", None) or [])
