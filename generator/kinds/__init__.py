"""The registry of kinds: each module of this package declares one built-in kind.

A kind module holds the pydantic classes of its playbooks and entries, with a `KindSpec`
(folder, navigation title, intro, review cadence, what `handbook new` writes) on its playbook
class, and names that class `KIND`. Its template is `generator/templates/NAME.md.j2`. Nothing
else in the generator names a kind: adding a module here (and its template) adds a kind.

A handbook adds kinds of its own in its `kinds/` folder (see `generator.declared`).
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from pydantic import BaseModel

from ..model import Entry, Item, Playbook, entry_type, list_item_model, unwrap_type

Kinds = dict[str, type[Playbook]]  # kind name → its playbook class, in navigation order


@cache
def built_in_kinds() -> Kinds:
    """Every kind declared by a module of this package."""
    found: list[type[Playbook]] = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        kind = getattr(module, "KIND", None)
        if isinstance(kind, type) and issubclass(kind, Playbook):
            found.append(kind)
    return ordered(found)


def ordered(classes: list[type[Playbook]]) -> Kinds:
    """Kinds by name, in navigation order: by `position`, then by name."""
    return {cls.spec.name: cls for cls in sorted(classes, key=lambda cls: (cls.spec.position, cls.spec.name))}


def entry_types(kinds: Kinds) -> set[str]:
    """Every name a reference may target: each kind, and each type of entry inside one."""
    return set(entry_classes(kinds))


def entry_classes(kinds: Kinds) -> dict[str, type[BaseModel]]:
    """Each kind and each type of entry inside one, by the name references use for it."""
    found: dict[str, type[BaseModel]] = {}
    seen: set[type] = set()

    def visit(cls: type[BaseModel]) -> None:
        if cls in seen:
            return
        seen.add(cls)
        if issubclass(cls, (Entry, Item)):
            found.setdefault(entry_type(cls), cls)
        for info in cls.model_fields.values():
            tp = unwrap_type(info.annotation)
            item = list_item_model(info.annotation) or tp
            if isinstance(item, type) and issubclass(item, BaseModel):
                visit(item)

    for cls in kinds.values():
        visit(cls)
    return found
