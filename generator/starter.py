"""`handbook init DIR`: a new handbook from the starter the package ships (`starter_handbook/`), and what
`handbook check` says about the starter's values that a handbook made its own still carries.

The starter is a complete handbook: a playbook of each kind, home pages for both audiences,
`mkdocs.yml`, `owners.yaml`, `search.yaml`, a contributor guide, pre-commit hooks and CI for
GitHub and GitLab. Its name, addresses and reviewer accounts are examples. While a handbook
still has all of them, nothing is said (it is the starter, or a copy of it being read); once
one of them is its own (a name, an address, a repository, a team), each example left behind
is named, at its line, as a warning.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import __version__, review, site_config
from .owners import OWNERS_FILE
from .problems import Problem

STARTER_DIR = Path(__file__).parent / "starter_handbook"
REQUIREMENTS = "requirements.txt"  # written by `init`: the package at this version
HOME_PAGES = ("content/index.md", "content/index.partners.md")


_LAST_REVIEWED = re.compile(r"^last_reviewed: .*$", re.MULTILINE)


class InitError(Exception):
    """The folder cannot take a new handbook; nothing was written."""


def write_starter(dest: Path) -> list[Path]:
    """Copy the starter into `dest`, which must be empty or not exist yet; returns the files."""
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise InitError(f"{dest} exists and is not an empty folder")
    files = sorted(
        path for path in STARTER_DIR.rglob("*") if path.is_file() and "__pycache__" not in path.parts
    )
    today = review.today().isoformat()
    for path in files:
        target = dest / path.relative_to(STARTER_DIR)
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".yaml" and "playbooks" in path.relative_to(STARTER_DIR).parts:
            # reviewed today: a new handbook starts with no review overdue
            text = _LAST_REVIEWED.sub(f"last_reviewed: {today}", path.read_text(encoding="utf-8"))
            target.write_text(text, encoding="utf-8")
        else:
            shutil.copyfile(path, target)
    (dest / "schemas").mkdir(exist_ok=True)  # `handbook fix` writes the editors' schemas there
    requirements = dest / REQUIREMENTS
    requirements.write_text(
        "# The handbook tools, at the version this handbook was started with. Install them from\n"
        "# wherever your organisation keeps Python packages (an index, or a wheel file).\n"
        f"partner-handbook=={__version__}\n",
        encoding="utf-8",
    )
    return [*(dest / path.relative_to(STARTER_DIR) for path in files), requirements]


# --- values left from the starter ----------------------------------------------------------


@dataclass(frozen=True)
class Value:
    """A value that makes a handbook an organisation's own, where it is, whether it is still
    the starter's, and what to say then ("" for one that is never wrong in itself)."""

    path: str
    line: int
    col: int
    from_starter: bool
    warning: str = ""


def _text(node: yaml.Node | None) -> str | None:
    return str(node.value) if isinstance(node, yaml.ScalarNode) and node.value else None


def _names(root: Path) -> dict[str, yaml.Node | None]:
    """The site's names and addresses in mkdocs.yml, and the partner handbook's, as nodes."""
    config = site_config.compose(root / "mkdocs.yml")
    partners = site_config.child(
        site_config.handbook_options(site_config.child(config, "plugins")), "partners"
    )
    names = {name: site_config.child(config, name) for name in ("site_name", "site_url", "repo_url")}
    return names | {
        f"partners.{name}": site_config.child(partners, name) for name in ("site_name", "site_url")
    }


def _at(path: str, node: yaml.Node, from_starter: bool, warning: str = "") -> Value:
    mark = node.start_mark
    return Value(path, mark.line + 1, mark.column + 1, from_starter, warning)


def _config_values(nodes: dict[str, yaml.Node | None], starter: dict[str, str | None]) -> Iterator[Value]:
    """The site's names and addresses; a name is never wrong in itself, an example address is."""
    for name, node in nodes.items():
        text = _text(node)
        if text is None or node is None:
            continue
        if name.endswith("site_url"):
            whose = "the partner handbook's site_url" if name.startswith("partners") else "site_url"
            where = "partners read it" if name.startswith("partners") else "the handbook is published"
            example = site_config.placeholder_host(text)
            yield _at(
                "mkdocs.yml", node, example, f"{whose} is the starter's example address: set where {where}"
            )
        elif name == "partners.site_name":
            warning = (
                f"the partner handbook is still named '{text}', as in the starter: name it for your partners"
            )
            yield _at("mkdocs.yml", node, text == starter[name], warning)
        elif name == "repo_url":  # a placeholder one is an error of its own (site_config)
            yield _at("mkdocs.yml", node, site_config.placeholder_repository(text))
        else:
            yield _at("mkdocs.yml", node, text == starter.get(name))


def _owner_values(root: Path) -> Iterator[Value]:
    """Every reviewer account in owners.yaml; the starter's belong to a placeholder owner."""
    try:
        tree = yaml.compose((root / OWNERS_FILE).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return  # `handbook check` reports an unreadable owners.yaml itself
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            stack.extend(value for _, value in node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.ScalarNode) and str(node.value).startswith("@"):
            owner = str(node.value)[1:].split("/")[0].lower()
            warning = f"'{node.value}' is the starter's example account: name who reviews"
            yield _at(OWNERS_FILE, node, owner in site_config.PLACEHOLDER_OWNERS, warning)


_FRONT_MATTER_TITLE = re.compile(r"\A---[ \t]*\n(?:.*\n)*?title:[ \t]*(.+?)[ \t]*\n(?:.*\n)*?---[ \t]*\n")
_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t]*$", re.MULTILINE)


def _home_values(root: Path, starter_name: str | None, site_name: str | None) -> Iterator[Value]:
    """A home page's title (front matter) and first heading that say the starter's site name:
    left behind once the site has another name."""
    for page in HOME_PAGES:
        path = root / page
        text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
        found = [m for m in (_FRONT_MATTER_TITLE.match(text), _HEADING.search(text)) if m is not None]
        for match in found:
            title = match.group(1).strip("\"'")
            if title == starter_name and site_name != starter_name:
                line, col = (
                    text.count("\n", 0, match.start(1)) + 1,
                    match.start(1) - text.rfind("\n", 0, match.start(1)),
                )
                warning = f"still says '{title}', the starter's name: the site is '{site_name}'"
                yield Value(page, line, col, from_starter=True, warning=warning)


def leftover_problems(root: Path) -> list[Problem]:
    """A warning for each value still the starter's, once any value is the handbook's own."""
    starter = {name: _text(node) for name, node in _names(STARTER_DIR).items()}
    nodes = _names(root)
    values = [*_config_values(nodes, starter), *_owner_values(root)]
    values += _home_values(root, starter["site_name"], _text(nodes["site_name"]))
    if all(value.from_starter for value in values):
        return []
    return [
        Problem(v.path, v.line, v.col, v.warning, severity="warning")
        for v in values
        if v.from_starter and v.warning
    ]
