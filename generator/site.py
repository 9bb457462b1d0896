"""Build and serve the site with MkDocs, never leaving a half-written `site/` behind."""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import jinja2
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.commands.serve import serve as mkdocs_serve
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from . import leaks, pipeline
from .audience import INTERNAL
from .mkdocs_plugin import AUDIENCE_VARIABLE, HandbookPlugin
from .pipeline import Generated, Project
from .problems import Problem
from .search_settings import read_search_settings
from .write import replace_dir, restore_interrupted_swap


class SiteError(Exception):
    pass


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """MkDocs' messages to `sys.stderr` as it is when each is written: the handler outlives one
    build in a process that swaps the stream (pytest's capture, a tool that redirects it)."""

    @property
    def stream(self) -> object:
        return sys.stderr

    @stream.setter
    def stream(self, value: object) -> None:
        pass


def _configure_logging(verbose: bool) -> None:
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_handbook", False) for h in logger.handlers):
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        handler._handbook = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    logger.propagate = False
    build_log = logging.getLogger("mkdocs.commands.build")
    if not any(isinstance(f, _DirtyWarning) for f in build_log.filters):
        build_log.addFilter(_DirtyWarning())


class _DirtyWarning(logging.Filter):
    """MkDocs warns at every dirty build that navigation may go stale; the handbook plugin
    renders every page again whenever it would (`HandbookPlugin._site_shape`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


STAGING_PREFIX = "site-"


def _staging_prefix(project: Project) -> str:
    """Each handbook's own, so that building one never clears the other's build in progress."""
    return STAGING_PREFIX if project.audience == INTERNAL else f"{project.audience}-{STAGING_PREFIX}"


def recover_interrupted_build(project: Project, site_dir: Path) -> None:
    """Undo what a killed build (SIGKILL, power loss) may have left behind."""
    for stale in project.build_dir.parent.glob(f"{_staging_prefix(project)}*"):
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
    restore_interrupted_swap(site_dir)


class ContentProblems(SiteError):
    """The playbooks are invalid: the problems, for the command to print as it likes."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the playbooks")
        self.problems = problems


@dataclass(frozen=True)
class Built:
    generated: Generated
    site_dir: Path  # where the site is now (or would have gone, without publishing)
    leak_check: leaks.Report | None  # for a site built for an audience


def build_site(
    project: Project, *, strict: bool = True, verbose: bool = False, publish: bool = True
) -> Built:
    """MkDocs build (which regenerates the Markdown) into a temporary folder, then swap.

    The site replaces the previous one (`site/`, or the audience's folder) only when it is
    complete and, for an audience, when the leak check found nothing withheld in it. A failure,
    Ctrl-C or SIGTERM before the swap removes the temporary folder and leaves the previous site
    exactly as it was; the swap itself runs with those signals held back until it is done.
    Without `publish` the site is checked and thrown away. Returns what was generated, with the
    time each stage took (also written to build/timings.json).
    """
    _configure_logging(verbose)
    project.build_dir.mkdir(parents=True, exist_ok=True)
    target = project.site_dir
    staging = tempfile.mkdtemp(prefix=_staging_prefix(project), dir=project.build_dir.parent)
    plugin: HandbookPlugin | None = None
    try:
        config = load_config(
            str(project.config_file), site_dir=staging, docs_dir=str(project.build_dir), strict=strict
        )
        plugin = config.plugins.get("handbook")
        if plugin is not None:
            plugin.quiet_problems = True
            plugin.audience = project.audience
            target = _site_dir(project, plugin)
        recover_interrupted_build(project, target)
        repo_url = config.repo_url  # an audience's site drops it: the leak check looks for it
        config.plugins.on_startup(command="build", dirty=False)
        started = time.perf_counter()
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
        total = time.perf_counter() - started
        if plugin is None or plugin.last_good is None:
            raise SiteError("the 'handbook' plugin is missing from mkdocs.yml")
        generated: Generated = plugin.last_good
        report = _leak_check(project, Path(staging), generated, repo_url)
    except (MkDocsException, OSError, jinja2.TemplateError) as exc:  # a theme override's error too
        shutil.rmtree(staging, ignore_errors=True)
        if plugin is not None and plugin.problems:
            raise ContentProblems(plugin.problems) from None
        raise SiteError(str(exc) or type(exc).__name__) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if publish:
        replace_dir(Path(staging), target)
    else:
        shutil.rmtree(staging, ignore_errors=True)
    timings = {**generated.timings, "whole build (MkDocs, including the generator)": total}
    (project.build_dir.parent / f"timings{project.suffix}.json").write_text(
        json.dumps(timings, indent=2) + "\n"
    )
    return Built(generated, target, report)


def _leak_check(
    project: Project, site: Path, generated: Generated, repo_url: str | None
) -> leaks.Report | None:
    """For an audience's site: search it for everything withheld from the audience, and raise
    ContentProblems on any find. None for the internal handbook, which withholds nothing."""
    if project.audience == INTERNAL or generated.whole is None:
        return None
    started = time.perf_counter()
    written = hand_written(project)
    report = leaks.check_site(site, project.root, generated.whole, project.audience, written, repo_url)
    generated.timings["leak check"] = time.perf_counter() - started
    if report.problems:
        raise ContentProblems(report.problems)
    return report


def hand_written(project: Project) -> leaks.HandWritten:
    """What the audience reads besides the playbooks (its pages as the build wrote them, with
    links to what it does not read reduced to words; its synonyms), and what is kept from it:
    the other hand-written pages and synonym groups."""
    chosen = project.content_sources()
    pages = [project.build_dir / path for path in chosen if path.endswith(".md")]
    settings, _ = read_search_settings(project.search_file)
    shared = [path.read_text(encoding="utf-8", errors="replace") for path in pages if path.is_file()]
    # the groups it reads, decided here from search.yaml, not by the filter the build used
    readers = zip(settings.synonyms, settings.audiences, strict=True)
    shared += [" ".join(terms) for terms, audiences in readers if project.audience in audiences]
    withheld_pages = pipeline.withheld_pages(project, chosen)
    display = project.search_file.name
    terms = [
        (term, Problem(display, line, 1, ""))
        for group, line in settings.withheld(project.audience)
        for term in group
    ]
    return leaks.HandWritten(shared, withheld_pages, terms)


def _site_dir(project: Project, plugin: HandbookPlugin) -> Path:
    """Where the site goes: `site/`, or an audience's folder (mkdocs.yml may name it)."""
    configured = plugin.config.partners.site_dir if project.audience != INTERNAL else None
    return project.root / configured if configured else project.site_dir


@contextmanager
def _audience(name: str) -> Iterator[None]:
    """Tell the plugin, which MkDocs creates while serving, which handbook to make."""
    before = os.environ.get(AUDIENCE_VARIABLE)
    os.environ[AUDIENCE_VARIABLE] = name
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(AUDIENCE_VARIABLE, None)
        else:
            os.environ[AUDIENCE_VARIABLE] = before


def serve_site(project: Project, *, host: str, port: int, full: bool = False, verbose: bool = True) -> None:
    """Live preview: editing a playbook, a template or a content page rebuilds and reloads.

    The generator rewrites only the Markdown whose bytes change, and MkDocs leaves the site
    folder as it is (a dirty build): the handbook plugin then re-renders only those pages,
    unless something every page shows changed (`HandbookPlugin._site_shape`). With `full`,
    every rebuild starts from an empty site folder, as plain `mkdocs serve` does.
    """
    _configure_logging(verbose)
    project.build_dir.mkdir(parents=True, exist_ok=True)
    try:  # what to watch: the plugin's on_serve
        with _audience(project.audience):
            mkdocs_serve(
                str(project.config_file),
                dev_addr=f"{host}:{port}",
                livereload=True,
                docs_dir=str(project.build_dir),
                build_type=None if full else "dirty",
            )
    except MkDocsException as exc:
        raise SiteError(str(exc)) from None
