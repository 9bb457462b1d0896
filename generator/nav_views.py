"""What of the navigation each page shows, so that a live preview re-renders only the pages whose
navigation changed (a playbook renamed re-renders its part of its section, not the site).

With Material's `navigation.sections`, `navigation.indexes` and `navigation.prune`, a page shows
the top level, the items of every top-level section (and where each of their sections leads),
the items of every section it is in, and its previous and next page. `page_views` sums that up
per page, erring on the side of more: a page shown as changed when it is not only costs time.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass
class _Node:
    title: str | None
    path: str | None  # None for a section
    children: list[_Node] = field(default_factory=list)

    def link(self) -> list[str | None]:
        """How the node shows when its section is folded: its title and where it leads."""
        target = self.path
        node = self
        while target is None and node.children:
            node = node.children[0]
            target = node.path
        return [self.title, target]


def _nodes(items: list[Any]) -> list[_Node]:
    nodes = []
    for item in items:
        if isinstance(item, str):
            nodes.append(_Node(None, item))
            continue
        for title, value in item.items():
            if isinstance(value, list):
                nodes.append(_Node(title, None, _nodes(value)))
            else:
                nodes.append(_Node(title, str(value)))
    return nodes


def _pages(
    nodes: list[_Node], ancestors: tuple[_Node, ...] = ()
) -> Iterator[tuple[_Node, tuple[_Node, ...]]]:
    """Every page in navigation order (MkDocs' order for previous and next), with its sections."""
    for node in nodes:
        if node.path is not None:
            yield node, ancestors
        else:
            yield from _pages(node.children, (*ancestors, node))


def page_views(nav: list[Any]) -> dict[str, str]:
    """Page path → a digest of the navigation it shows."""
    top = _nodes(nav)
    common: list[Any] = [node.link() for node in top]
    for section in (node for node in top if node.path is None):
        common.append([child.link() for child in section.children])
    shared = _digest(common)  # what every page shows, serialised once
    pages = list(_pages(top))
    views = {}
    for position, (page, ancestors) in enumerate(pages):
        before = pages[position - 1][0].link() if position else None
        after = pages[position + 1][0].link() if position + 1 < len(pages) else None
        own = [[child.link() for child in section.children] for section in ancestors]
        views[str(page.path)] = _digest([shared, own, page.title, before, after])
    return views


def _digest(value: object) -> str:
    return hashlib.sha1(json.dumps(value, separators=(",", ":")).encode("utf-8")).hexdigest()
