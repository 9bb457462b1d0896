"""Hand Material only the navigation a page shows: a pruned section needs its first item only.

With `navigation.prune`, Material renders a section the page is not in as one link, to its
first page (`render_pruned` in `partials/nav-item.html`). Before deciding that, its template
still walks every item of the section, looking for an index page it then does not use. A
handbook's parts are such sections: at 5,000 pages, 125 parts of 40, so every page walked 5,000
items, and the site 25 million: the one cost that grew with the square of the pages.

`PrunedNav` keeps each section's items and, before each page is rendered, leaves a section the
page is not in with its first item, which is all that Material reads of it. The HTML is the
same byte for byte (`tests/test_scale.py` compares a site built with and without it). It applies
only where Material prunes: `navigation.prune` without `navigation.tabs`, and below the top level
when `navigation.sections` shows the top level's sections expanded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from mkdocs.structure import StructureItem
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page


@dataclass
class PrunedNav:
    items: dict[int, tuple[Section, list[StructureItem]]] = field(default_factory=dict)  # id → all

    @classmethod
    def of(cls, nav: Navigation, features: Sequence[str]) -> PrunedNav:
        """The sections of `nav` that Material prunes on a page that is not in them."""
        pruned = cls()
        if "navigation.prune" not in features or "navigation.tabs" in features:
            return pruned
        top_expanded = "navigation.sections" in features

        def walk(items: list[StructureItem], level: int) -> None:
            for item in items:
                if isinstance(item, Section):
                    if item.children and not (level == 1 and top_expanded):
                        pruned.items[id(item)] = (item, list(item.children))
                    walk(item.children, level + 1)

        walk(nav.items, 1)
        return pruned

    def show(self, page: Page | None) -> None:
        """Before `page` (None: a page outside the navigation, like 404.html) is rendered: the
        sections it is in get all their items back, the others keep their first."""
        for section, children in self.items.values():
            section.children = children if section.active and page is not None else children[:1]

    def restore(self) -> None:
        for section, children in self.items.values():
            section.children = children
