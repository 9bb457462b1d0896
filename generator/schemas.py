"""JSON Schemas for editors: one file per playbook kind, one for owners.yaml and one for search.yaml."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .model import KINDS
from .owners import OwnersFile
from .search_settings import SearchFile

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_for(kind: str, teams: list[str] | None = None) -> dict[str, Any]:
    """The schema of one kind; with `teams` (from owners.yaml), `owner` completes from them."""
    schema = KINDS[kind].model_json_schema()
    if teams:
        schema["properties"]["owner"]["enum"] = sorted(teams)
    return {"$schema": SCHEMA_DIALECT, "$id": f"{kind}.schema.json", **schema}


def schema_filename(kind: str) -> str:
    return f"{kind}.schema.json"


def schema_texts(teams: list[str] | None = None) -> dict[str, str]:
    """File name → JSON text for every kind, in a stable form suitable for committing."""
    schemas = {schema_filename(kind): schema_for(kind, teams) for kind in KINDS}
    for name, model in (("owners", OwnersFile), ("search", SearchFile)):
        schemas[f"{name}.schema.json"] = {
            "$schema": SCHEMA_DIALECT,
            "$id": f"{name}.schema.json",
            **model.model_json_schema(),
        }
    return {name: json.dumps(schema, indent=2, sort_keys=True) + "\n" for name, schema in schemas.items()}


def write_schemas(out_dir: Path, teams: list[str] | None = None) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_texts(teams).items():
        target = out_dir / name
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
        written.append(target)
    return written
