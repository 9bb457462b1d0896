"""Problems found in playbooks, and the ways `handbook check` prints them."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field, replace

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
    # The entry id a problem is about, for those that may share one root cause: an "unknown"
    # id where it is used, a "lost" published URL of an entry that is gone.
    about: tuple[str, str] = field(default=("", ""), compare=False)

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


def fold_deleted_entries(problems: list[Problem]) -> list[Problem]:
    """An entry deleted while its URL was published and links still use it is one root cause:
    one line where the manifest records its URL, then each link to it, told where to look,
    instead of a published-URL problem per manifest and an "unknown id" per link."""
    places: dict[str, list[Problem]] = {}  # entry id → its lost URL in each manifest, internal first
    for problem in sorted(problems, key=lambda p: (p.path.endswith("-partners.txt"), p)):
        if problem.about[0] == "lost":
            places.setdefault(problem.about[1], []).append(problem)
    uses = {eid: sum(1 for p in problems if p.about == ("unknown", eid)) for eid in places}
    lost = {eid: found[0] for eid, found in places.items() if uses[eid]}  # nothing links to it: as it was
    folded = []
    for problem in problems:
        kind, eid = problem.about
        root = lost.get(eid)
        if root is None or not kind:
            folded.append(problem)
        elif kind == "lost" and problem is root:
            published = problem.message.partition(" is published")[0]  # the URL, with its anchors
            also = "".join(f" (and at {p.path}:{p.line})" for p in places[eid][1:])
            message = (
                f"entry '{eid}' is gone, and {published} was published{also}; {uses[eid]} link(s) to it "
                f"follow: restore it, list "
                f"'{eid}' under `aliases:` of the entry that replaces it, or retire the URL with "
                f"`handbook urls --forget` and change the links"
            )
            folded.append(replace(problem, message=message, root_cause=True, about=("", "")))
        elif kind == "unknown":
            message = f"links to '{eid}', which is gone (see {root.path}:{root.line})"
            folded.append(replace(problem, message=message, about=("", "")))
    return folded


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
    del fields["root_cause"], fields["about"]
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
