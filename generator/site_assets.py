"""What the engine adds to every handbook's site from its own package: the page template
(`theme/handbook/main.html`: the search box, the checklist and scorecard tools, the templates'
copy buttons, anchor redirects and the partner banner) and the files it loads (`assets/`).

A handbook repository holds only its content, its settings and, if it likes, theme overrides
of its own: its `custom_dir` comes first, then the engine's template folder, then Material's.
A handbook's own `main.html` extends "handbook/main.html" to keep what the engine adds.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING

from .problems import Problem

if TYPE_CHECKING:  # `handbook check` runs without MkDocs; the plugin hands these over
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

ASSETS_DIR = Path(__file__).parent / "assets"
THEME_DIR = Path(__file__).parent / "theme"
ASSETS_URI = "assets"  # where the assets are published in the site
STYLESHEET = f"{ASSETS_URI}/handbook.css"
ENGINE_TEMPLATE = "handbook/main.html"
_EXTENDS = re.compile(r"""\{%-?\s*extends\s+(["'])(.+?)\1""")


@functools.cache
def asset_uris() -> dict[str, Path]:
    """Every engine file the site publishes, by its path in the site (package data: read once)."""
    return {
        f"{ASSETS_URI}/{path.relative_to(ASSETS_DIR).as_posix()}": path
        for path in sorted(ASSETS_DIR.rglob("*"))
        if path.is_file() and path.suffix in (".js", ".css")
    }


def add_theme(config: MkDocsConfig) -> None:
    """The engine's template folder, after the handbook's own overrides and before Material's;
    its stylesheet, before any the handbook lists."""
    dirs = config.theme.dirs
    if str(THEME_DIR) not in dirs:
        dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_DIR))
    if STYLESHEET not in config.extra_css:
        config.extra_css.insert(0, STYLESHEET)


def add_assets(files: Files, config: MkDocsConfig) -> None:
    """Publish the engine's files beside the handbook's (a clash is reported before the build)."""
    from mkdocs.structure.files import File

    for uri, path in asset_uris().items():
        if files.get_file_from_path(uri) is None:
            files.append(File.generated(config, uri, abs_src_path=str(path)))


def override_problems(root: Path, custom_dir: str | None) -> list[Problem]:
    """A handbook's own main.html that extends Material's base.html directly: its pages would
    lose the search box and the tools, silently."""
    if not custom_dir:
        return []
    main = root / custom_dir / "main.html"
    if not main.is_file():
        return []
    text = main.read_text(encoding="utf-8", errors="replace")
    found = _EXTENDS.search(text)
    if found and found.group(2) == ENGINE_TEMPLATE:
        return []
    line = text.count("\n", 0, found.start()) + 1 if found else 1
    col = found.start() - text.rfind("\n", 0, found.start()) if found else 1
    what = f"extends '{found.group(2)}'" if found else "extends no template"
    return [
        Problem(
            main.relative_to(root).as_posix(),
            line,
            col,
            f"{what}: pages would lose the handbook's search box, tools and banner; "
            f'extend "{ENGINE_TEMPLATE}" instead',
        )
    ]
