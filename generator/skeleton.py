"""`handbook new`: a playbook skeleton derived from the model, valid as written."""

from __future__ import annotations

import datetime as dt
import typing
from typing import Any, Literal

import yaml
from pydantic import BaseModel

from .model import SLUG_MAX_LENGTH, KindSpec, Playbook, list_item_model, refs_marker, unwrap_type
from .schemas import schema_filename


def _words(name: str) -> str:
    return name.replace("_", " ")


def _child_id(parent_id: str, field: str, spec: KindSpec) -> str:
    suffix = f"-{spec.entry_nouns.get(field, field.replace('_', '-'))}-1"
    return parent_id[: SLUG_MAX_LENGTH - len(suffix)] + suffix


def _names_other_entries(cls: type[BaseModel]) -> bool:
    """An entry that must name other entries (a decision's roles) has no example valid on its own."""
    return any(info.is_required() and refs_marker(info) is not None for info in cls.model_fields.values())


def _example(cls: type[BaseModel], entry_id: str, today: dt.date, spec: KindSpec) -> dict[str, Any]:
    data: dict[str, Any] = {}
    fixed = spec.example_values.get(cls.__name__, {})
    for name, info in cls.model_fields.items():
        tp = unwrap_type(info.annotation)
        origin = typing.get_origin(tp)
        item = list_item_model(tp)
        if not (info.is_required() or item) and name not in fixed:
            continue
        if item is not None and not info.is_required() and _names_other_entries(item):
            continue
        if name in fixed:
            data[name] = fixed[name]
        elif name == "id":
            data[name] = entry_id
        elif tp is dt.date:
            data[name] = today.isoformat()
        elif origin is Literal:
            data[name] = typing.get_args(tp)[0]
        elif item is not None:
            data[name] = [_example(item, _child_id(entry_id, name, spec), today, spec)]
        elif origin is list:
            data[name] = [f"Write the first {_words(name)} entry here."]
        else:
            data[name] = f"Write the {_words(name)} here."
    return data


def skeleton(cls: type[Playbook], playbook_id: str, today: dt.date, owner: str | None = None) -> str:
    """A valid playbook of kind `cls`; `owner` should be a team from owners.yaml when there is one."""
    kind = cls.spec.name
    data = _example(cls, playbook_id, today, cls.spec)
    data["tags"] = [kind]
    if owner is not None:
        data["owner"] = owner
    header = (
        f"# yaml-language-server: $schema=../schemas/{schema_filename(kind)}\n"
        f"# A new {kind} playbook. Replace every 'Write the ...' text, then run `handbook check`.\n"
        "# Every id is a lowercase slug, unique across the handbook; link entries with `see: [id]`.\n"
    )
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
