"""Build and serve the site with MkDocs, never leaving a half-written `site/` behind."""

from __future__ import annotations

import logging
import shutil
import sys
import tempfile
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.commands.serve import serve as mkdocs_serve
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from .pipeline import Project
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


def build_site(project: Project, *, strict: bool = True, verbose: bool = False) -> None:
    """MkDocs build (which regenerates the Markdown) into a temporary folder, then swap.

    `site/` is replaced only by a complete build. A failure, Ctrl-C or SIGTERM before the swap
    removes the temporary folder and leaves the previous `site/` exactly as it was; the swap
    itself runs with those signals held back until it is done.
    """
    _configure_logging(verbose)
    project.build_dir.mkdir(parents=True, exist_ok=True)
    recover_interrupted_build(project)
    staging = tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=project.build_dir.parent)
    try:
        config = load_config(str(project.config_file), site_dir=staging, strict=strict)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
    except (MkDocsException, OSError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise SiteError(str(exc) or type(exc).__name__) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    replace_dir(Path(staging), project.site_dir)


def serve_site(project: Project, *, host: str, port: int, verbose: bool = True) -> None:
    """Live preview: editing a playbook, a template or a content page rebuilds and reloads."""
    _configure_logging(verbose)
    project.build_dir.mkdir(parents=True, exist_ok=True)
    watch = [str(project.playbooks_dir), str(project.content_dir), str(TEMPLATES_DIR)]
    extra = (project.contributing_file, project.manifest_file, project.owners_file)
    watch += [str(path) for path in extra if path.is_file()]
    try:
        mkdocs_serve(str(project.config_file), dev_addr=f"{host}:{port}", livereload=True, watch=watch)
    except MkDocsException as exc:
        raise SiteError(str(exc)) from None
