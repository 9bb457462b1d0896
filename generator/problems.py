"""Problems found in playbooks, and the ways `handbook check` prints them."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

FORMATS = ("text", "github", "json", "codeclimate")


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: error: {self.message}"


class ContentError(Exception):
    """Raised by a pipeline stage when the handbook's sources are invalid."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the handbook's sources")
        self.problems = sorted(problems)


def _github_escape(value: str, *, prop: bool) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def _codeclimate(problem: Problem) -> dict[str, object]:
    return {
        "description": problem.message,
        "check_name": "handbook-check",
        "fingerprint": hashlib.sha256(str(problem).encode()).hexdigest(),
        "severity": "major",
        "location": {"path": problem.path, "lines": {"begin": problem.line}},
    }


def format_problems(problems: list[Problem], fmt: str) -> str:
    """Render problems for people (`text`), GitHub Actions (`github`), GitLab (`codeclimate`)
    or other tools (`json`)."""
    ordered = sorted(problems)
    if fmt == "json":
        return json.dumps([asdict(p) for p in ordered], indent=2)
    if fmt == "codeclimate":  # GitLab's code quality report, shown on merge requests
        return json.dumps([_codeclimate(p) for p in ordered], indent=2)
    if fmt == "github":
        return "\n".join(
            f"::error file={_github_escape(p.path, prop=True)},line={p.line},col={p.col}"
            f"::{_github_escape(p.message, prop=False)}"
            for p in ordered
        )
    return "\n".join(str(p) for p in ordered)
