"""Problems found in playbooks, and the ways `handbook check` prints them."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field

FORMATS = ("text", "github", "json", "codeclimate")

_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Control and format characters (newlines, terminal escape sequences, bidi overrides) and
# line or paragraph separators: anything that could split a problem over lines or restyle
# a terminal or CI log.
_UNSAFE_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def shown(text: str) -> str:
    """User text made safe to print on one line: unsafe characters shown as escapes."""

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        if char in _ESCAPES:
            return _ESCAPES[char]
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _UNSAFE_CHARS.sub(escape, text)


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    col: int
    message: str
    # The file could not be read at all: listed first, since other problems may follow from it.
    root_cause: bool = field(default=False, compare=False)
    # "warning": worth knowing, never a failure (`handbook check` still exits 0).
    severity: str = field(default="error", compare=False)

    def __post_init__(self) -> None:
        # Messages quote YAML keys and values: one problem is always one line, and nothing
        # from a file can send control sequences to a terminal or a CI log.
        object.__setattr__(self, "path", shown(self.path))
        object.__setattr__(self, "message", shown(self.message))

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class ContentError(Exception):
    """Raised by a pipeline stage when the handbook's sources are invalid."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the handbook's sources")
        self.problems = sorted_problems(problems)


def sorted_problems(problems: list[Problem]) -> list[Problem]:
    """Files that could not be read first, then by file, line and column."""
    return sorted(problems, key=lambda p: (not p.root_cause, p))


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
        "severity": "major" if problem.is_error else "minor",
        "location": {"path": problem.path, "lines": {"begin": problem.line}},
    }


def _fields(problem: Problem) -> dict[str, object]:
    fields = asdict(problem)
    del fields["root_cause"]
    if problem.is_error:  # the format predates warnings: an entry without severity is an error
        del fields["severity"]
    return fields


def format_problems(problems: list[Problem], fmt: str) -> str:
    """Render problems for people (`text`), GitHub Actions (`github`), GitLab (`codeclimate`)
    or other tools (`json`)."""
    ordered = sorted_problems(problems)
    if fmt == "json":
        return json.dumps([_fields(p) for p in ordered], indent=2)
    if fmt == "codeclimate":  # GitLab's code quality report, shown on merge requests
        return json.dumps([_codeclimate(p) for p in ordered], indent=2)
    if fmt == "github":
        return "\n".join(
            f"::{p.severity} file={_github_escape(p.path, prop=True)},line={p.line},col={p.col}"
            f"::{_github_escape(p.message, prop=False)}"
            for p in ordered
        )
    return "\n".join(str(p) for p in ordered)
