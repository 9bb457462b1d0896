"""Links and defaults inside text: `[words][ENTRY-ID]` and `[[DEFAULT-ID]]`.

Any Markdown field of a playbook, and any hand-written page, may link an entry by id with a
reference link (`[the same-day rule][gov-escalation]`), so a rule is stated once and linked
everywhere else. A threshold is written `[[DEFAULT-ID]]`: the build puts the value of that
entry of the defaults page in its place, as a link marked "this handbook's default". Both are
checked here with the file and line of the field, and count as references ("Used by").
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .kinds.defaults import DEFAULT_TITLE, Default
from .load import Loc, SourceFile, text_values
from .messages import suggest
from .page_links import blank_code, id_links, position, with_definitions
from .problems import Problem
from .validate import Handbook

_IN_A_DOCUMENT = (
    "a document's body is copied as it is, so [[defaults]] and links by id would stay literal: "
    "use a {{placeholder}} (with the value as its example) or put the link in `purpose`"
)
DEFAULT_MARK = re.compile(r"\[\[([^\[\]\n]*)\]\]")
# A default's marker one bracket short: `[[name]`, `[[name` or `[name]]`.
_BROKEN_MARK = re.compile(
    r"\[\[\s*([a-z0-9][a-z0-9-]*)\s*(?:\](?!\])|(?![\]\w-]))|(?<!\[)\[\s*([a-z0-9][a-z0-9-]*)\s*\]\]"
)
__all__ = [
    "DEFAULT_TITLE",
    "WITHHELD_TEXT",
    "check_defaults",
    "check_playbooks",
    "expand",
    "linked",
    "plain",
    "unshared",
    "words",
]


def default_value(handbook: Handbook, entry_id: str) -> str | None:
    entry = handbook.entries.get(entry_id)
    return entry.entry.value if entry is not None and isinstance(entry.entry, Default) else None


def _default_problem(handbook: Handbook, name: str) -> str | None:
    if default_value(handbook, name) is not None or handbook.withheld.get(name) is not None:
        return None
    if name in handbook.aliases:
        return f"'{name}' is a former id of '{handbook.aliases[name]}': write [[{handbook.aliases[name]}]]"
    if name in handbook.entries:
        return f"[[{name}]] names an entry that is not a default; link it as [words][{name}]"
    defaults = [i for i, e in handbook.entries.items() if isinstance(e.entry, Default)]
    return (
        f"unknown default [[{name}]]{suggest(name, defaults)}; defaults are entries of a `defaults` playbook"
    )


def _link_problem(handbook: Handbook, label: str) -> str | None:
    if label in handbook.aliases:
        return f"'{label}' is a former id of '{handbook.aliases[label]}': link to that id"
    if label not in handbook.entries:
        hint = suggest(label, handbook.entries)
        return f"unknown id '{label}' in a link{hint}"
    return None


def broken_markers(prose: str) -> Iterator[tuple[int, str, str, str]]:
    """(offset, name, message, the marker as written) for every `[[default]]` marker one
    bracket short, which would reach the page as it is written (`prose`: the text with its
    code blanked, `blank_code`)."""
    for match in _BROKEN_MARK.finditer(prose):
        name, written = match.group(1) or match.group(2), match.group().strip()
        yield match.start(), name, f"unclosed marker '{written}': write [[{name}]]", written


def text_problems(handbook: Handbook, text: str) -> Iterator[tuple[str, str, Spot]]:
    """(message, the id it names, where it is in the text) for every marker and id link; the
    message is "" when the id is right."""
    prose = blank_code(text)
    for at, name, message, written in broken_markers(prose):
        yield message, name, Spot(text.count("\n", 0, at), written)
    for match in DEFAULT_MARK.finditer(prose):
        name = match.group(1).strip()
        yield (
            _default_problem(handbook, name) or "",
            name,
            Spot(text.count("\n", 0, match.start()), match.group()),
        )
    for link in id_links(DEFAULT_MARK.sub(lambda m: " " * len(m.group()), text)):
        yield _link_problem(handbook, link.label) or "", link.label, Spot(link.line - 1, link.label)


@dataclass(frozen=True)
class Spot:
    """Where a marker or link is in a text value: its line in the text, and the text to find."""

    line: int
    needle: str


def sub_outside_code(pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str], text: str) -> str:
    """`pattern.sub(replace, text)` except inside code spans and fenced blocks, which a reader
    sees as written (a guide shows `[[default-id]]` there)."""
    if "`" not in text and "~~~" not in text:
        return pattern.sub(replace, text)
    prose = blank_code(text)
    parts, last = [], 0
    for match in pattern.finditer(text):
        if prose[match.start() : match.end()] != match.group():
            continue  # inside code
        parts += [text[last : match.start()], replace(match)]
        last = match.end()
    return "".join(parts) + text[last:]


def references_shown(text: str) -> Iterator[tuple[str, str]]:
    """(id, what a view that withholds it shows instead) for every `[[default]]` and link by id
    in the text: "value", "words", or "internal" for a link with no words but its id."""
    prose = blank_code(text)
    for match in DEFAULT_MARK.finditer(prose):
        yield match.group(1).strip(), "value"
    for match in _ANY_ID_LINK.finditer(DEFAULT_MARK.sub(lambda m: " " * len(m.group()), prose)):
        words, label = match.group(1), match.group(2)
        yield (label or words.strip().lower()), ("words" if label else "internal")


def check_playbooks(handbook: Handbook) -> list[Problem]:
    """Every `[[default]]` and link by id in playbook text resolves; each valid one is
    recorded as a reference from the entry that holds the text. An id that a file which could
    not be read or validated seems to define is not reported: that file is the root cause."""
    problems = []
    owners_by_playbook: dict[int, dict[Loc, str]] = {}  # where each entry stands in its file
    for entry in handbook.entries.values():
        owners_by_playbook.setdefault(id(entry.playbook), {})[entry.loc] = entry.id
    for pb in handbook.playbooks:
        owners = owners_by_playbook.get(id(pb.model), {})
        rows: list[str] | None = None  # the file's lines, read once if a problem needs them
        for loc, text in _bracketed(pb.source):
            # the nearest entry holding the text (a playbook whose id is taken has none of its own)
            owner = next((owners[loc[:n]] for n in range(len(loc), -1, -1) if loc[:n] in owners), pb.model.id)
            if pb.model.kind == "template" and loc[-1] == "body":  # each marker at its own line
                rows = _rows(pb.source.path) if rows is None else rows
                for _, _, spot in text_problems(handbook, text):
                    problems.append(_at_the_name(pb.source.problem(loc, _IN_A_DOCUMENT), rows, spot))
                continue
            for message, target, spot in text_problems(handbook, text):
                if message.startswith("unknown") and target in handbook.unavailable:
                    continue  # defined in a file that could not be read: the root cause
                if message:
                    rows = _rows(pb.source.path) if rows is None else rows
                    problem = _at_the_name(pb.source.problem(loc, message), rows, spot)
                    problems.append(_about(problem, target))
                elif (found := handbook.resolve(target)) and found.id != owner:
                    users = handbook.backlinks.setdefault(found.id, [])
                    if owner not in users:
                        users.append(owner)
    return problems


def _bracketed(source: SourceFile) -> list[tuple[Loc, str]]:
    """The text values of a file that may hold a marker or a link by id: read once per file."""
    return source.worked_out(
        "bracketed", None, lambda: [(loc, text) for loc, text in text_values(source.data) if "[" in text]
    )


def check_defaults(display: str, text: str, handbook: Handbook) -> list[Problem]:
    """The `[[default]]` markers of a hand-written page name defaults (its links by id are
    checked with its other links)."""
    prose = blank_code(text)
    problems = [Problem(display, *position(text, at), message) for at, _, message, _ in broken_markers(prose)]
    for match in DEFAULT_MARK.finditer(prose):
        if message := _default_problem(handbook, name := match.group(1).strip()):
            problems.append(_about(Problem(display, *position(text, match.start()), message), name))
    return problems


def _about(problem: Problem, target: str) -> Problem:
    """An unknown id or default is about that id: its entry may have been deleted."""
    unknown = problem.message.startswith("unknown")
    return dataclasses.replace(problem, about=("unknown", target)) if unknown else problem


def _rows(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").split("\n")
    except OSError:
        return []


def _at_the_name(problem: Problem, rows: list[str], spot: Spot) -> Problem:
    """The problem moved from the start of the field to the line and column of the marker or
    link itself, found in the file's lines from the line it is on in the text (a long block of
    Markdown otherwise hides where it is)."""
    if not spot.needle:
        return problem
    block = 0 < problem.line <= len(rows) and rows[problem.line - 1][problem.col - 1 : problem.col] in (
        "|",
        ">",
    )
    first = problem.line + spot.line + (1 if block else 0)  # a block scalar's text starts a line below
    for number in range(first, min(len(rows), first + 400) + 1):
        start = problem.col - 1 if number == problem.line else 0
        col = rows[number - 1].lower().find(spot.needle.lower(), start)
        if col != -1:
            return dataclasses.replace(problem, line=number, col=col + 1)
    return problem


_ANY_ID_LINK = re.compile(r"\[((?:[^\[\]\n]|\[[^\]\n]*\])+)\]\[([a-z0-9-]*)\]")
# What a view that withholds an entry shows for a reference with nothing else to show: a
# required role, a link whose only words are the id.
WITHHELD_TEXT = "*internal*"


def unshared(text: str, handbook: Handbook) -> str:
    """The text as a view that withholds entries shows it (the partner handbook): a link by id
    to a withheld entry is only its words, a withheld `[[default]]` only its value."""
    if not handbook.withheld or "[" not in text:
        return text
    withheld = handbook.withheld

    def default(match: re.Match[str]) -> str:
        name = match.group(1).strip()
        return (withheld[name] or WITHHELD_TEXT) if name in withheld else match.group()

    def link(match: re.Match[str]) -> str:
        words, label = match.group(1), match.group(2)
        if (label or words.strip().lower()) not in withheld:
            return match.group()
        return words if label else WITHHELD_TEXT

    return sub_outside_code(_ANY_ID_LINK, link, sub_outside_code(DEFAULT_MARK, default, text))


def plain(text: str, handbook: Handbook) -> str:
    """The text with each `[[default]]` replaced by its value (for search and descriptions)."""
    text = unshared(text, handbook)
    if "[[" not in text:
        return text
    return DEFAULT_MARK.sub(lambda m: default_value(handbook, m.group(1).strip()) or m.group(), text)


_ID_LINK = re.compile(r"\[((?:[^\[\]\n]|\[[^\]\n]*\])+)\]\[[a-z0-9-]+\]")


def words(text: str, handbook: Handbook) -> str:
    """The text as a reader says it, for places that show plain text inside HTML (a
    scorecard's level guidance): defaults as their value, links by id as their words."""
    if "[" not in text:
        return text
    return _ID_LINK.sub(lambda m: m.group(1), plain(text, handbook))


def expand(page_text: str, handbook: Handbook) -> str:
    """A page's Markdown with each `[[default]]` as a link to its entry: `[VALUE][ID]` in the
    body (the definition is added with the other links by id), the bare value in front matter."""
    if "[[" not in page_text and "][" not in page_text:
        return page_text
    head, body = "", page_text
    if page_text.startswith("---\n") and (end := page_text.find("\n---\n", 4)) != -1:
        head, body = words(page_text[: end + 5], handbook), page_text[end + 5 :]

    def link(match: re.Match[str]) -> str:
        name = match.group(1).strip()
        value = default_value(handbook, name)
        return f"[{value}][{name}]" if value is not None else match.group()

    return head + sub_outside_code(DEFAULT_MARK, link, body)


def linked(page: str, text: str, handbook: Handbook) -> str:
    """A page's Markdown with its `[[defaults]]` and links by id made into links relative to
    the page: what every generated and hand-written page goes through."""
    return with_definitions(page, expand(unshared(text, handbook), handbook), handbook)
