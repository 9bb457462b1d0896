"""The `# yaml-language-server: $schema=...` comment at the top of a playbook: editors resolve
its path from the playbook's own folder, so a playbook moved into a sub-folder (or given
another kind) silently loses completion and checking. `handbook check` says so, with the
path to write."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from pathlib import Path

from .problems import Problem
from .schemas import schema_filename

_COMMENT = re.compile(r"^#\s*yaml-language-server:\s*\$schema=(\S+)")
_HOSTED = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def expected_comment_path(display_path: str, schemas_rel: str, kind: str) -> str:
    """The schema path a playbook at `display_path` (from the handbook root) should name."""
    folder = posixpath.dirname(display_path) or "."
    return posixpath.relpath(posixpath.join(schemas_rel, schema_filename(kind)), folder)


def schema_comment_problems(
    root: Path, schemas_dir: Path, playbooks: Iterable[tuple[str, str]]
) -> list[Problem]:
    """One problem per playbook (display path, kind) whose schema comment names another file
    than its kind's schema. A playbook without the comment is fine; so is a hosted schema URL."""
    schemas_rel = schemas_dir.relative_to(root).as_posix()
    problems = []
    for display, kind in playbooks:
        found = _schema_comment(root / display)
        if found is None:
            continue
        line, col, named = found
        wanted = expected_comment_path(display, schemas_rel, kind)
        if _HOSTED.match(named) or posixpath.normpath(named) == wanted:
            continue
        problems.append(
            Problem(
                display,
                line,
                col,
                f"the schema comment names '{named}', which is not this {kind} playbook's schema "
                f"from its folder: write '$schema={wanted}' so editors keep checking it",
            )
        )
    return problems


def _schema_comment(path: Path) -> tuple[int, int, str] | None:
    """Line, column and path of the schema comment among the file's leading comments."""
    with path.open(encoding="utf-8-sig", errors="replace") as handle:
        for number, line in enumerate(handle, 1):
            stripped = line.strip()
            if stripped and not stripped.startswith("#"):
                return None
            if match := _COMMENT.match(stripped):
                indent = len(line) - len(line.lstrip())
                return number, indent + match.start(1) + 1, match.group(1)
            if number > 50:
                return None
    return None
