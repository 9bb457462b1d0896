"""Build and serve the site with MkDocs, never leaving a half-written `site/` behind."""

from __future__ import annotations

import json
import logging
import shutil
import sys
import tempfile
import time
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.commands.serve import serve as mkdocs_serve
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from .mkdocs_plugin import HandbookPlugin
from .pipeline import Generated, Project
from .problems import Problem
from .render import TEMPLATES_DIR
from .write import replace_dir, restore_interrupted_swap


class SiteError(Exception):
    pass


def _configure_logging(verbose: bool) -> None:
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_handbook", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        handler._handbook = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    logger.propagate = False


STAGING_PREFIX = "site-"


def recover_interrupted_build(project: Project) -> None:
    """Undo what a killed build (SIGKILL, power loss) may have left behind."""
    for stale in project.build_dir.parent.glob(f"{STAGING_PREFIX}*"):
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
    restore_interrupted_swap(project.site_dir)


class ContentProblems(SiteError):
    """The playbooks are invalid: the problems, for the command to print as it likes."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the playbooks")
        self.problems = problems


def build_site(project: Project, *, strict: bool = True, verbose: bool = False) -> Generated:
    """MkDocs build (which regenerates the Markdown) into a temporary folder, then swap.

    `site/` is replaced only by a complete build. A failure, Ctrl-C or SIGTERM before the swap
    removes the temporary folder and leaves the previous `site/` exactly as it was; the swap
    itself runs with those signals held back until it is done. Returns what was generated,
    with the time each stage took (also written to build/timings.json).
    """
    _configure_logging(verbose)
    project.build_dir.mkdir(parents=True, exist_ok=True)
    recover_interrupted_build(project)
    staging = tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=project.build_dir.parent)
    plugin: HandbookPlugin | None = None
    try:
        config = load_config(str(project.config_file), site_dir=staging, strict=strict)
        plugin = config.plugins.get("handbook")
        if plugin is not None:
            plugin.quiet_problems = True
        config.plugins.on_startup(command="build", dirty=False)
        started = time.perf_counter()
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
        total = time.perf_counter() - started
    except (MkDocsException, OSError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if plugin is not None and plugin.problems:
            raise ContentProblems(plugin.problems) from None
        raise SiteError(str(exc) or type(exc).__name__) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    replace_dir(Path(staging), project.site_dir)
    if plugin is None or plugin.last_good is None:
        raise SiteError("the 'handbook' plugin is missing from mkdocs.yml")
    generated: Generated = plugin.last_good
    timings = {**generated.timings, "whole build (MkDocs, including the generator)": total}
    (project.build_dir.parent / "timings.json").write_text(json.dumps(timings, indent=2) + "\n")
    return generated


def serve_site(project: Project, *, host: str, port: int, dirty: bool = False, verbose: bool = True) -> None:
    """Live preview: editing a playbook, a template or a content page rebuilds and reloads.

    The generator rewrites only the Markdown whose bytes change. With `dirty`, MkDocs then
    re-renders only those pages instead of the whole site.
    """
    _configure_logging(verbose)
    project.build_dir.mkdir(parents=True, exist_ok=True)
    watch = [str(project.playbooks_dir), str(project.content_dir), str(TEMPLATES_DIR)]
    watch += [str(project.kinds_dir)] if project.kinds_dir.is_dir() else []
    extra = (project.contributing_file, project.manifest_file, project.owners_file)
    watch += [str(path) for path in extra if path.is_file()]
    try:
        mkdocs_serve(
            str(project.config_file),
            dev_addr=f"{host}:{port}",
            livereload=True,
            watch=watch,
            build_type="dirty" if dirty else None,
        )
    except MkDocsException as exc:
        raise SiteError(str(exc)) from None
