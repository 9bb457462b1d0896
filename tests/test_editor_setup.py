"""Editor help that catches what `handbook check` would: YAML 1.1 reading, owner completion,
and a schema comment that still points at the right file from any folder."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import new_handbook, run_handbook

from generator.schema_comments import expected_comment_path, schema_comment_problems
from generator.starter import STARTER_DIR

FAQ = "playbooks/faq.yaml"
PLAYBOOKS = sorted(p.relative_to(STARTER_DIR).as_posix() for p in (STARTER_DIR / "playbooks").rglob("*.yaml"))


class _EditorLoader(yaml.SafeLoader):
    """YAML 1.1 as the YAML extension reads it with `yaml.yamlVersion: 1.1`: yes/no/on/off are
    booleans; a timestamp keeps its source text (yaml-language-server's AST converter turns
    any non-JSON scalar back into a string)."""


_EditorLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_scalar)


@pytest.fixture(scope="module")
def starter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new handbook from the starter, with the schemas `handbook fix` wrote: read only."""
    return new_handbook(tmp_path_factory.mktemp("editor") / "handbook")


def _errors(root: Path, text: str, kind: str = "faq") -> list[str]:
    """What an editor with the handbook's settings reports: the text read as YAML 1.1, checked
    against the handbook's schema."""
    schema = json.loads((root / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    data: Any = yaml.load(text, Loader=_EditorLoader)
    validator = jsonschema.Draft202012Validator(schema)
    return ["/".join(map(str, error.absolute_path)) for error in validator.iter_errors(data)]


def test_settings_read_yaml_1_1_and_name_real_schemas(starter: Path) -> None:
    settings = json.loads((starter / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.yamlVersion"] == "1.1"
    assert settings["yaml.schemas"]
    for schema, files in settings["yaml.schemas"].items():
        assert (starter / schema).is_file(), schema
        for pattern in [files] if isinstance(files, str) else files:
            assert list(starter.glob(pattern)), pattern
    recommended = json.loads((starter / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in recommended["recommendations"]


@pytest.mark.parametrize("path", PLAYBOOKS, ids=lambda p: Path(p).stem)
def test_every_playbook_is_clean_in_the_editor(starter: Path, path: str) -> None:
    text = (starter / path).read_text(encoding="utf-8")
    kind = yaml.safe_load(text)["kind"]
    assert _errors(starter, text, kind) == []


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("\ntitle: ", "\ntitle: No\nx_title: ", "title"),
        ("\nowner: ", "\nowner: on\nx_owner: ", "owner"),
        ("\nlast_reviewed: ", "\nsummary: 2026-03-01\nlast_reviewed: ", "summary"),
    ],
    ids=["title-no", "owner-on", "summary-date"],
)
def test_yaml_1_1_traps_are_flagged_while_typing(starter: Path, old: str, new: str, field: str) -> None:
    text = (starter / FAQ).read_text(encoding="utf-8")
    assert old in text and _errors(starter, text) == []
    broken = text.replace(old, new, 1).replace("\nx_" + field + ": ", "\n# was: ", 1)
    if field == "summary":  # the date replaces the block summary: drop the original
        broken, dropped = re.subn(r"\nsummary: [|>]-?\n(?:  .*\n)+", "\n", broken, count=1)
        assert dropped == 1
    assert field in _errors(starter, broken)


def test_owner_completes_from_owners_yaml(handbook: Path, tmp_path: Path) -> None:
    owners = handbook / "owners.yaml"
    owners.write_text(owners.read_text(encoding="utf-8") + '  Vendor Office: ["@example-org/vendors"]\n')
    teams = yaml.safe_load(owners.read_text(encoding="utf-8"))["teams"]
    result = run_handbook("schema", "--out", str(tmp_path / "out"), cwd=handbook)
    assert result.returncode == 0, result.stderr
    schema = json.loads((tmp_path / "out" / "faq.schema.json").read_text(encoding="utf-8"))
    assert schema["properties"]["owner"]["enum"] == sorted(teams)
    assert "Vendor Office" in schema["properties"]["owner"]["enum"]


def test_expected_comment_path_from_any_depth() -> None:
    assert expected_comment_path("playbooks/faq.yaml", "schemas", "faq") == "../schemas/faq.schema.json"
    assert expected_comment_path("playbooks/a/b/x.yml", "schemas", "checklist") == (
        "../../../schemas/checklist.schema.json"
    )


def _playbook(root: Path, display: str, comment: str) -> None:
    path = root / display
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"# A playbook.\n# yaml-language-server: $schema={comment}\nid: x\n", encoding="utf-8")


def test_a_moved_playbook_keeps_a_working_schema_comment(tmp_path: Path) -> None:
    _playbook(tmp_path, "playbooks/faq.yaml", "../schemas/faq.schema.json")
    _playbook(tmp_path, "playbooks/team/moved.yaml", "../schemas/faq.schema.json")
    _playbook(tmp_path, "playbooks/wrong-kind.yaml", "../schemas/faq.schema.json")
    _playbook(tmp_path, "playbooks/hosted.yaml", "https://example.org/faq.schema.json")
    (tmp_path / "playbooks" / "none.yaml").write_text("id: y\n", encoding="utf-8")
    found = schema_comment_problems(
        tmp_path,
        tmp_path / "schemas",
        [
            ("playbooks/faq.yaml", "faq"),
            ("playbooks/team/moved.yaml", "faq"),
            ("playbooks/wrong-kind.yaml", "checklist"),
            ("playbooks/hosted.yaml", "faq"),
            ("playbooks/none.yaml", "faq"),
        ],
    )
    assert [(p.path, p.line, p.col) for p in found] == [
        ("playbooks/team/moved.yaml", 2, 33),
        ("playbooks/wrong-kind.yaml", 2, 33),
    ]
    assert "'$schema=../../schemas/faq.schema.json'" in found[0].message
    assert "'$schema=../schemas/checklist.schema.json'" in found[1].message


def test_check_reports_the_moved_playbook(handbook: Path) -> None:
    (handbook / "playbooks" / "team").mkdir()
    (handbook / FAQ).rename(handbook / "playbooks" / "team" / "faq.yaml")
    result = run_handbook("check", cwd=handbook)
    assert result.returncode == 1
    assert (
        "playbooks/team/faq.yaml:1:33: error: the schema comment names '../schemas/faq.schema.json'"
        in result.stdout
    )
