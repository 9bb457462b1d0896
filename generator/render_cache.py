"""A live preview's memory of what it rendered, so that a save re-renders only what it changed.

A playbook's page is made from its own file and from what it shows of the others: titles
and addresses of the entries it links, what links to its entries, the defaults' values. The
cache keeps each page with the file it came from (the load cache hands back the same object
while a file is unchanged) and with the entries it looked up while it was rendered: the render
reads the handbook's `entries` and `backlinks` through mappings that note every key asked for
(`_Noted`). A save re-renders a kept page only if its file changed or one of the entries it
looked up did (a title, an address, a default's value, what links to it). What every page may
show (what the partner handbook shares, former ids, today's date, the templates) is compared
as a whole: when it differs, every page is rendered again. A page that lists other playbooks
(`playbooks_of`) or walked all the entries is never kept.

`handbook build` renders everything afresh; only `handbook serve` passes a cache.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import jinja2

from . import layout
from .audience import Sharing
from .kinds.defaults import Default
from .load import SourceFile
from .model import Playbook
from .render import Page, make_environment
from .validate import EntryInfo, Handbook, ValidPlaybook

V = TypeVar("V")


@dataclass(frozen=True)
class _Kept:
    source: SourceFile  # the very object loaded: the load cache keeps it while the file is unchanged
    kind: type[Playbook]  # a declared kind is a new class after every read of its declaration
    page: Page
    entries: frozenset[str]  # the entries it looked up: their titles, addresses, values
    backlinks: frozenset[str]  # the entries whose "referenced by" it looked up


class _Noted(dict[str, V]):
    """A mapping of the handbook (entries, backlinks) that notes the keys a page asks for.
    Walking the whole of it notes that the page depends on every key."""

    seen: set[str] | None = None  # while a playbook page renders
    everything = False

    def _note(self, key: object) -> None:
        if self.seen is not None and isinstance(key, str):
            self.seen.add(key)

    def __getitem__(self, key: str) -> V:
        self._note(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self._note(key)
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        self._note(key)
        return super().__contains__(key)

    def _walked(self) -> None:
        if self.seen is not None:
            self.everything = True

    def __iter__(self) -> Iterator[str]:
        self._walked()
        return super().__iter__()

    def keys(self) -> Any:
        self._walked()
        return super().keys()

    def values(self) -> Any:
        self._walked()
        return super().values()

    def items(self) -> Any:
        self._walked()
        return super().items()


@dataclass
class RenderCache:
    handbook_wide: object = None  # `handbook_wide_inputs` at the last render
    entries: dict[str, object] = field(default_factory=dict)  # entry id → what pages show of it
    backlinks: dict[str, tuple[str, ...]] = field(default_factory=dict)  # entry id → what links to it
    changed: tuple[set[str], set[str]] = (set(), set())  # entries and backlinks changed by this save
    pages: dict[str, _Kept] = field(default_factory=dict)  # source path → its page
    listings: dict[str, tuple[tuple[object, ...], Page]] = field(default_factory=dict)  # index pages
    environments: dict[tuple[Path, Path | None], jinja2.Environment] = field(default_factory=dict)
    reused: int = 0  # pages taken from the cache by the last render
    noted: tuple[_Noted[EntryInfo], _Noted[list[str]]] | None = None  # of the render under way
    looked_up: tuple[frozenset[str], frozenset[str]] | None = None  # by the page last rendered

    def environment(self, templates_dir: Path, kinds_dir: Path | None) -> jinja2.Environment:
        """The templates, compiled once: Jinja checks each file's time stamp before reusing it."""
        key = (templates_dir, kinds_dir)
        if key not in self.environments:
            self.environments[key] = make_environment(templates_dir, kinds_dir)
        return self.environments[key]

    def start(
        self, handbook: Handbook, today: dt.date, shared: Sharing | None, template_dirs: list[Path]
    ) -> Handbook:
        """A new render: what changed since the last one. Returns the handbook to render, whose
        entries and backlinks note what each playbook page looks up."""
        handbook_wide = handbook_wide_inputs(handbook, today, shared, template_dirs)
        entries = {entry_id: _shown(entry) for entry_id, entry in handbook.entries.items()}
        backlinks = {entry_id: tuple(refs) for entry_id, refs in handbook.backlinks.items()}
        if handbook_wide != self.handbook_wide:
            self.pages.clear()
            self.listings.clear()
        changed = (_changed(self.entries, entries), _changed(self.backlinks, backlinks))
        if changed[0]:
            self.listings.clear()
        self.handbook_wide, self.entries, self.backlinks = handbook_wide, entries, backlinks
        self.changed, self.reused = changed, 0
        self.noted = (_Noted(handbook.entries), _Noted(handbook.backlinks))
        return dataclasses.replace(handbook, entries=self.noted[0], backlinks=self.noted[1])

    def page_of(self, pb: ValidPlaybook) -> Page | None:
        kept = self.pages.get(pb.source.display)
        if kept is None or kept.source is not pb.source or kept.kind is not type(pb.model):
            return None
        if kept.entries & self.changed[0] or kept.backlinks & self.changed[1]:
            return None
        self.reused += 1
        return kept.page

    @contextlib.contextmanager
    def noting(self) -> Iterator[None]:
        """While a playbook page renders: note what it looks up."""
        assert self.noted is not None
        entries, backlinks = self.noted
        for mapping in self.noted:
            mapping.seen, mapping.everything = set(), False
        try:
            yield
        finally:
            seen = (frozenset(entries.seen or ()), frozenset(backlinks.seen or ()))
            self.looked_up = None if entries.everything or backlinks.everything else seen
            for mapping in self.noted:
                mapping.seen = None

    def keep(self, pb: ValidPlaybook, page: Page) -> None:
        """Keep the page just rendered (under `noting`), unless it looked at every entry."""
        if self.looked_up is None:
            self.forget(pb)
            return
        self.pages[pb.source.display] = _Kept(pb.source, type(pb.model), page, *self.looked_up)

    def forget(self, pb: ValidPlaybook) -> None:
        self.pages.pop(pb.source.display, None)


def _shown(entry: EntryInfo) -> object:
    """What another page may show of an entry: its title, where it is, a default's value."""
    value = entry.entry.value if isinstance(entry.entry, Default) else None
    return (entry.label, entry.playbook.id, layout.page_path(entry.playbook), value)


def _changed(before: dict[str, Any], now: dict[str, Any]) -> set[str]:
    if before is now or before == now:
        return set()
    return {key for key in before.keys() | now.keys() if before.get(key) != now.get(key)}


def handbook_wide_inputs(
    handbook: Handbook, today: dt.date, shared: Sharing | None, template_dirs: list[Path]
) -> object:
    """What any playbook's page may show that does not come from its own file or from the
    entries it looks up, as a value to compare with the last render's."""
    templates = tuple(
        (str(path), stat.st_mtime_ns, stat.st_size)
        for folder in template_dirs
        if folder.is_dir()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and (stat := path.stat())
    )
    return (
        handbook.audience,
        today,
        handbook.aliases,
        handbook.withheld,
        shared.shared if shared else None,
        templates,
    )
