"""JSON Schemas for editors: one file per playbook kind, and one each for owners.yaml, search.yaml,
coverage.yaml and the declarations of kinds (kinds/NAME.yaml)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .coverage import CoverageFile
from .declared import KindDeclaration
from .kinds import Kinds
from .model import Playbook
from .owners import OwnersFile
from .search_settings import SearchFile

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
# An editor's YAML extension keeps an unquoted date's source text, so `summary: 2026-03-01`
# looks like text to it; the loader reads a date. Free text that is only a date is flagged.
ONLY_A_DATE = {
    "pattern": r"^\s*\d{4}-\d{1,2}-\d{1,2}(?:[Tt ][0-9:.]+)?\s*$",
    "description": "Only a date: YAML reads it as a date, not text. Write a sentence.",
}


def schema_for(cls: type[Playbook], teams: list[str] | None = None) -> dict[str, Any]:
    """The schema of one kind; with `teams` (from owners.yaml), `owner` completes from them."""
    kind = cls.spec.name
    schema = cls.model_json_schema()
    _flag_dates_in_text(schema)
    if teams:
        schema["properties"]["owner"]["enum"] = sorted(teams)
    return {"$schema": SCHEMA_DIALECT, "$id": f"{kind}.schema.json", **schema}


def _flag_dates_in_text(node: Any) -> None:
    """Every free-text string (no pattern, format or enum of its own) refuses a bare date."""
    if isinstance(node, dict):
        if node.get("type") == "string" and not {"pattern", "format", "enum", "const"} & node.keys():
            node["not"] = ONLY_A_DATE
        for value in node.values():
            _flag_dates_in_text(value)
    elif isinstance(node, list):
        for value in node:
            _flag_dates_in_text(value)


def schema_filename(kind: str) -> str:
    return f"{kind}.schema.json"


def schema_texts(kinds: Kinds, teams: list[str] | None = None) -> dict[str, str]:
    """File name → JSON text for every kind, in a stable form suitable for committing."""
    schemas = {schema_filename(kind): schema_for(cls, teams) for kind, cls in kinds.items()}
    files = (
        ("owners", OwnersFile),
        ("search", SearchFile),
        ("coverage", CoverageFile),
        ("kind", KindDeclaration),
    )
    for name, model in files:
        schemas[f"{name}.schema.json"] = {
            "$schema": SCHEMA_DIALECT,
            "$id": f"{name}.schema.json",
            **model.model_json_schema(),
        }
    return {name: json.dumps(schema, indent=2, sort_keys=True) + "\n" for name, schema in schemas.items()}


def write_schemas(out_dir: Path, kinds: Kinds, teams: list[str] | None = None) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_texts(kinds, teams).items():
        target = out_dir / name
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
        written.append(target)
    return written
