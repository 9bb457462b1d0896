"""What `handbook check` reads in mkdocs.yml: the settings that decide where the published site
sends its readers' browsers and how other pages link to it.

- `site_url` is required: without it MkDocs writes an empty sitemap, no page has a canonical
  link, and the 404 page loads its styles from the host's root, unstyled under a sub-path.
  (The starter's is on an example domain: it sends no request there, and an organisation
  sets its own; `starter.leftover_problems` names it once the handbook is someone's own.)
- `repo_url` must not be a placeholder: Material asks GitHub's or GitLab's API about the
  repository from every page, and the header link and every "edit this page" button lead to it.
- `theme: font` must be false: otherwise Material loads its fonts from Google's servers.
- A `main.html` in the theme's `custom_dir` must extend the engine's "handbook/main.html".
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .problems import Problem
from .site_assets import override_problems

# RFC 2606 and RFC 6761: names that never reach a real site.
EXAMPLE_DOMAINS = ("example.com", "example.net", "example.org")
EXAMPLE_SUFFIXES = (".example", ".test", ".invalid", ".localhost")
PLACEHOLDER_OWNERS = {"example-org", "example", "your-org", "your-group", "your-name", "org", "owner"}


_Report = Callable[[yaml.Node, str], None]  # at(node, message): a problem there


class _Loader(yaml.SafeLoader):
    """Composes mkdocs.yml's nodes whatever their tags (`!ENV`, `!!python/name:`)."""


def placeholder_host(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host in EXAMPLE_DOMAINS or host.endswith(
        tuple("." + d for d in EXAMPLE_DOMAINS) + EXAMPLE_SUFFIXES
    )


def placeholder_repository(url: str) -> bool:
    owner = urlsplit(url).path.strip("/").split("/")[0].lower()
    return placeholder_host(url) or owner in PLACEHOLDER_OWNERS


def compose(config_file: Path) -> yaml.Node | None:
    """mkdocs.yml as YAML nodes (with their positions), or None if it cannot be read."""
    try:
        return yaml.compose(config_file.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, yaml.YAMLError):
        return None  # MkDocs reports an unreadable configuration itself, with its own message


def config_problems(config_file: Path) -> list[Problem]:
    display = config_file.name
    root = compose(config_file)
    if not isinstance(root, yaml.MappingNode):
        return []
    settings = {key.value: value for key, value in root.value if isinstance(key, yaml.ScalarNode)}
    problems: list[Problem] = []

    def at(node: yaml.Node, message: str) -> None:
        mark = node.start_mark
        problems.append(Problem(display, mark.line + 1, mark.column + 1, message))

    _site_url(settings.get("site_url"), root, "site_url", at)
    partners = child(handbook_options(settings.get("plugins")), "partners")
    if isinstance(partners, yaml.MappingNode):  # the partner handbook is published elsewhere
        _site_url(child(partners, "site_url"), partners, "the partner handbook's site_url", at)
    repo_url = settings.get("repo_url")
    if isinstance(repo_url, yaml.ScalarNode) and repo_url.value and placeholder_repository(repo_url.value):
        at(
            repo_url,
            f"repo_url '{repo_url.value}' is a placeholder: every page would ask its forge's API "
            "about a repository that does not exist, and 'edit this page' would lead nowhere; set "
            "your repository or remove repo_url",
        )
    theme = settings.get("theme")
    custom_dir = child(theme, "custom_dir")
    if isinstance(custom_dir, yaml.ScalarNode) and custom_dir.tag == "tag:yaml.org,2002:str":
        problems += override_problems(config_file.parent, custom_dir.value)
    font = child(theme, "font")
    if isinstance(theme, yaml.MappingNode) and not (font is not None and font.value in ("false", "False")):
        at(
            font or theme,
            "theme: font is not false: Material would load its fonts from Google's servers on "
            "every page; set 'font: false' (the system's fonts) or host the fonts yourself",
        )
    return problems


def _site_url(node: yaml.Node | None, parent: yaml.Node, name: str, at: _Report) -> None:
    if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
        at(
            node or parent,
            f"{name} is not set: the sitemap stays empty, no page gets a canonical link, and the "
            "404 page loses its styles when the site is published under a sub-path",
        )
    elif urlsplit(node.value).scheme not in ("http", "https"):
        at(node, f"{name} '{node.value}' is not an http(s) address")


def handbook_options(plugins: yaml.Node | None) -> yaml.Node | None:
    """The `handbook` plugin's options in `plugins:` (a list of names and one-key mappings)."""
    items = plugins.value if isinstance(plugins, yaml.SequenceNode) else []
    return next((child(item, "handbook") for item in items if child(item, "handbook") is not None), None)


def child(mapping: yaml.Node | None, name: str) -> yaml.Node | None:
    if not isinstance(mapping, yaml.MappingNode):
        return None
    return next((value for key, value in mapping.value if getattr(key, "value", None) == name), None)


def plugin_strings(config_file: Path, *option: str) -> list[str]:
    """A list of strings among the `handbook` plugin's options in mkdocs.yml ([] if unset):
    `option` is its name, or the names leading to it (`"partners", "files"`)."""
    node = handbook_options(child(compose(config_file), "plugins"))
    for name in option:
        node = child(node, name)
    items = node.value if isinstance(node, yaml.SequenceNode) else []
    return [str(item.value) for item in items if isinstance(item, yaml.ScalarNode)]
