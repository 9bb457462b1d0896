"""The MkDocs side of the pipeline: generate before each build, then wire nav and edit links.

Registered as the `handbook` plugin, so `mkdocs build` and `mkdocs serve` (and therefore
`handbook build` and `handbook serve`) regenerate the Markdown from the YAML every time.
While serving, invalid content is reported and the last good pages stay up.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Literal

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from . import search, search_docs
from .load import LoadCache
from .pipeline import Generated, Project, generate
from .problems import ContentError, Problem
from .render import TemplateFailure
from .review import ClockError
from .safety import unsafe_html

log = logging.getLogger("mkdocs.plugins.handbook")


class HandbookConfig(Config):  # type: ignore[no-untyped-call]
    """Options under `plugins: - handbook:` in mkdocs.yml; everything else comes from the folders."""

    search = config_options.Choice(("auto", "lunr", "pagefind"), default="auto")
    pagefind_above = config_options.Type(int, default=2000)  # linkable entries, for search: auto
    # "Ask the handbook's owners" from the search box: a new-issue URL with {title} and {body};
    # by default derived from repo_url; "" hides the link.
    ask_url = config_options.Optional(config_options.Type(str))


class HandbookPlugin(BasePlugin[HandbookConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        super().__init__()
        self.command = "build"
        self.last_good: Generated | None = None
        self.problems: list[Problem] = []  # of the last failed generation, for `handbook build`
        self.quiet_problems = False  # True when `handbook build` prints the problems itself
        self.search_mode: search.Mode = "lunr"
        self.dirty = False
        self.builds = 0  # in this process: a live preview rebuilds many times
        self.load_cache: LoadCache = {}
        self.page_docs: dict[str, list[search_docs.SearchDoc]] = {}  # hand-written page → its documents

    @property
    def dirty_rebuild(self) -> bool:
        """A `serve --dirty` rebuild after the first build of this process."""
        return self.dirty and self.builds > 0

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.command = command  # defining on_startup also keeps this object across rebuilds
        self.dirty = dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        project = Project(Path(config.config_file_path).resolve().parent)
        try:
            cache = self.load_cache if self.command == "serve" else None
            self.last_good = generate(project, cache=cache)
        except ContentError as exc:
            self.problems = exc.problems
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
            log.error(str(exc))
        config.nav = self.last_good.nav
        entries, option = self.last_good.entries, self.config.search
        self.search_mode = search.choose(option, entries, self.config.pagefind_above)
        search.switch_off_material_search(config)  # the handbook's own box replaces Material's
        config.extra["handbook_search"] = {
            "engine": self.search_mode,
            "ask": search.ask_url(config.repo_url, self.config.ask_url),
            "faq": "faq/" if any(d.url == "faq/" for d in self.last_good.search_docs) else "",
        }
        redirects = config.plugins.get("redirects")
        if redirects is None:
            raise PluginError("add the 'redirects' plugin after 'handbook' in mkdocs.yml: old links need it")
        # Hand-written redirect_maps in mkdocs.yml win; the plugin is re-created on every build.
        if not self.dirty_rebuild:  # a dirty rebuild keeps the redirect pages it wrote
            redirects.config["redirect_maps"] = {
                **self.last_good.redirects,
                **redirects.config["redirect_maps"],
            }
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        edit_paths = self.last_good.edit_paths if self.last_good else {}
        for file in files:
            if not file.is_documentation_page():
                continue
            # "Edit this page" opens the real source: the YAML of a generated page.
            file.edit_uri = edit_paths.get(file.src_uri)
        pages = {file.src_uri for file in files if file.is_documentation_page()}
        self.page_docs = {uri: docs for uri, docs in self.page_docs.items() if uri in pages}  # deleted pages
        if self.search_mode == "lunr":  # the lunr.js that MkDocs ships, for the search worker
            files.append(File.generated(config, search.LUNR_JS_URI, abs_src_path=str(search.LUNR_JS)))
        return files

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Last line of defence: a page generated from YAML must not carry script or embeds.
        A hand-written page's sections become search documents here, from its HTML."""
        source = self.last_good.edit_paths.get(page.file.src_uri, "") if self.last_good else ""
        if source.startswith("playbooks/") and (findings := unsafe_html(html)):
            raise PluginError(f"{source}: unsafe HTML in the rendered page: {'; '.join(findings[:3])}")
        if source and not source.startswith("playbooks/"):  # a hand-written page: index its sections
            self.page_docs[page.file.src_uri] = search_docs.content_page_docs(page, html)
        return html

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write the search index of the engine chosen: from the playbooks' entry documents and
        the sections of the hand-written pages, with synonyms and compounds added."""
        if self.last_good is not None and not (self.search_mode == "pagefind" and self.dirty_rebuild):
            settings = self.last_good.search_settings
            pages = (doc for docs in self.page_docs.values() for doc in docs)
            docs = search_docs.expand([*self.last_good.search_docs, *pages], settings)
            if self.search_mode == "lunr":
                search.write_lunr_index(Path(config.site_dir), docs, settings)
            else:  # a dirty rebuild keeps the first Pagefind index: rebuilding it takes seconds
                search.build_pagefind_index(Path(config.site_dir), docs, settings)
        self.builds += 1
