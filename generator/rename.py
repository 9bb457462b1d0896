"""`handbook rename OLD NEW`: change an entry's or a playbook's id everywhere, keeping old links.

The edits, all planned before anything is written:
- the entry's `id:` becomes NEW and OLD is added to its `aliases:` (old URLs, anchors and
  `/go/OLD/` keep landing on it);
- every reference to OLD in the playbooks (`see:`, `checklists:`, ...) becomes NEW;
- in playbook text and hand-written pages, links by id `[text][OLD]` and defaults `[[OLD]]`;
  in hand-written pages, for a playbook, its page path and the anchors of its sections;
- in other files that name ids (coverage.yaml, and the `handbook` plugin's `id_files`), OLD
  as a whole token;
- a playbook file named after its id is renamed to NEW.yaml.
Edits are made in the text, at the positions the loader recorded, so comments and layout stay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import layout
from .load import SourceFile
from .model import SLUG_MAX_LENGTH, SLUG_PATTERN
from .validate import Handbook, Reference, walk


class RenameError(Exception):
    """The rename cannot be done as asked; nothing was written."""


@dataclass
class FileEdits:
    path: Path
    text: str
    lines: list[str] = field(default_factory=list)  # what changed, for --dry-run and the report

    def __post_init__(self) -> None:
        self._rows = self.text.split("\n")

    def replace_at(self, line: int, col: int, old: str, new: str) -> None:
        row = self._rows[line - 1]
        start = col - 1
        if row[start : start + 1] in ("'", '"'):
            start += 1
        if row[start : start + len(old)] != old:
            raise RenameError(f"{self.path}:{line}:{col}: expected '{old}' here; is the file saved?")
        self._rows[line - 1] = row[:start] + new + row[start + len(old) :]
        self.lines.append(f"{line}:{col}: '{old}' → '{new}'")

    def row(self, line: int) -> str:
        return self._rows[line - 1]

    def set_row(self, line: int, text: str) -> None:
        self.lines.append(f"{line}: {self._rows[line - 1].strip()}  →  {text.strip()}")
        self._rows[line - 1] = text

    def insert_after(self, line: int, text: str) -> None:
        self._rows.insert(line, text)
        self.lines.append(f"{line + 1}: + {text.strip()}")

    def sub(self, pattern: re.Pattern[str], new: str) -> None:
        for number, row in enumerate(self._rows, start=1):
            changed, count = pattern.subn(new, row)
            if count:
                self._rows[number - 1] = changed
                self.lines.append(f"{number}: {row.strip()}  →  {changed.strip()}")

    @property
    def result(self) -> str:
        return "\n".join(self._rows)


def _token(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])")


def plan(
    handbook: Handbook, old: str, new: str, content: dict[str, Path], id_files: list[Path]
) -> list[FileEdits]:
    """Every edit the rename makes, per file; raises RenameError if it cannot be done."""
    if not re.fullmatch(SLUG_PATTERN, new) or len(new) > SLUG_MAX_LENGTH:
        raise RenameError(f"'{new}' is not a valid id: use lowercase letters, digits and single hyphens")
    if old in handbook.aliases:
        raise RenameError(f"'{old}' is a former id of '{handbook.aliases[old]}'; rename that id")
    entry = handbook.entries.get(old)
    if entry is None:
        raise RenameError(f"no entry has the id '{old}'")
    if new in handbook.entries or new in handbook.aliases:
        raise RenameError(f"the id '{new}' is already used; choose another")
    files: dict[Path, FileEdits] = {}

    def edits_of(path: Path) -> FileEdits:
        if path not in files:
            files[path] = FileEdits(path, path.read_text(encoding="utf-8"))
        return files[path]

    # The id and every reference to it: replaced right to left, bottom to top, so that each
    # position the loader recorded still holds; then the alias line, the one insertion.
    spots = [(entry.source, _value(entry.source, (*entry.loc, "id")))]
    for pb in handbook.playbooks:
        for item in walk(pb.model, (), pb.model.id):
            if isinstance(item, Reference) and item.target == old:
                spots.append((pb.source, _value(pb.source, item.loc)))
    for source, (line, col) in sorted(spots, key=lambda spot: (str(spot[0].path), spot[1]), reverse=True):
        edits_of(source.path).replace_at(line, col, old, new)
    _add_alias(edits_of(entry.source.path), entry.source, entry.loc, entry.entry.aliases, old)

    is_playbook = entry.entry is entry.playbook
    label = re.compile(rf"\]\[{re.escape(old)}\]", re.IGNORECASE)
    old_page = layout.page_path(entry.playbook).rsplit("/", 1)
    marker = re.compile(rf"\[\[\s*{re.escape(old)}\s*\]\]")  # a default: [[OLD]]
    for pb in handbook.playbooks:  # links by id and defaults written in the playbooks' text
        edits = edits_of(pb.source.path)
        edits.sub(label, f"][{new}]")
        edits.sub(marker, f"[[{new}]]")
    for path in content.values():
        if path.suffix != ".md":
            continue
        edits = edits_of(path)
        edits.sub(label, f"][{new}]")
        edits.sub(marker, f"[[{new}]]")
        if is_playbook:  # its page path and the anchors of its sections (`#OLD-stages`)
            edits.sub(re.compile(rf"(?<![\w-]){re.escape(old_page[1])}"), f"{new}.md")
            edits.sub(re.compile(rf"#{re.escape(old)}(?=[-)\s])"), f"#{new}")
    for path in id_files:
        edits_of(path).sub(_token(old), new)
    return [edits for edits in files.values() if edits.lines]


def _value(source: SourceFile, loc: tuple[str | int, ...]) -> tuple[int, int]:
    source.find_positions()
    pos = source.values.get(loc)
    if pos is None:
        raise RenameError(f"{source.display}: cannot find the position of {'.'.join(map(str, loc))}")
    return pos.line, pos.col


def _add_alias(
    edits: FileEdits, source: SourceFile, loc: tuple[str | int, ...], aliases: list[str], old: str
) -> None:
    if aliases:
        line, col = _value(source, (*loc, "aliases", len(aliases) - 1))
        row = edits.row(line)
        before = row[: col - 1].rstrip()
        if before.endswith("-"):  # a block list: a new item under the last one
            edits.insert_after(line, f"{' ' * (len(before) - 1)}- {old}")
        else:  # a flow list: before its closing bracket
            close = row.index("]", col - 1)
            edits.set_row(line, f"{row[:close]}, {old}{row[close:]}")
        return
    key = source.keys.get((*loc, "id"))
    if key is None:
        raise RenameError(f"{source.display}: cannot find the id of '{old}'")
    edits.insert_after(key.line, f"{' ' * (key.col - 1)}aliases: [{old}]")


def renamed_file(handbook: Handbook, old: str, new: str) -> tuple[Path, Path] | None:
    """A playbook kept in OLD.yaml moves to NEW.yaml with its id."""
    entry = handbook.entries[old]
    path = entry.source.path
    if entry.entry is entry.playbook and path.stem == old:
        return path, path.with_name(f"{new}{path.suffix}")
    return None
