"""The `handbook` command line: help, exit codes, `new` and `schema`."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import REPO, run_handbook

from generator.cli import _parser, main
from generator.kinds import built_in_kinds
from generator.owners import read_owners
from generator.pipeline import Project, check_sources
from generator.schemas import schema_texts

KINDS = built_in_kinds()

COMMANDS = ("check", "build", "serve", "new", "schema")


def test_every_command_has_help() -> None:
    top = run_handbook("--help", cwd=REPO)
    assert top.returncode == 0
    for command in COMMANDS:
        assert command in top.stdout
        result = run_handbook(command, "--help", cwd=REPO)
        assert result.returncode == 0, command
        assert f"usage: handbook {command}" in result.stdout


@pytest.mark.parametrize("argv", [[], ["publish"], ["check", "--format", "xml"], ["new", "recipe"]])
def test_usage_errors_exit_2(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        _parser().parse_args(argv)
    assert exc.value.code == 2


def test_usage_error_from_the_real_command() -> None:
    result = run_handbook("check", "--format", "xml", cwd=REPO)
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_new_with_an_unknown_kind_names_the_kinds_and_exits_2() -> None:
    result = run_handbook("new", "chekclist", "x", cwd=REPO)
    assert result.returncode == 2
    assert "unknown kind 'chekclist' (did you mean 'checklist'?)" in result.stderr
    assert ", ".join(KINDS) in result.stderr


@pytest.mark.parametrize("kind", list(KINDS))
def test_new_writes_a_valid_skeleton_with_modeline(project: Path, kind: str) -> None:
    new_id = f"new-{kind}"
    result = run_handbook("new", kind, new_id, cwd=project)
    assert result.returncode == 0, result.stderr
    written = project / "playbooks" / f"{new_id}.yaml"
    text = written.read_text(encoding="utf-8")
    assert text.startswith(f"# yaml-language-server: $schema=../schemas/{kind}.schema.json\n")
    data = yaml.safe_load(text)
    assert data["id"] == new_id and data["kind"] == kind
    _, problems = check_sources(Project(project))  # valid: it builds
    assert problems == []
    check = run_handbook("check", cwd=project)  # but not ready for review: placeholders
    assert check.returncode == 1
    own = [line for line in check.stdout.splitlines() if line.startswith(f"playbooks/{new_id}.yaml:")]
    assert own and any("is the skeleton's placeholder" in line for line in own), check.stdout
    schema = json.loads((REPO / "schemas" / f"{kind}.schema.json").read_text())
    jsonschema.validate(json.loads(json.dumps(data, default=str)), schema)


def test_new_refuses_to_overwrite(project: Path) -> None:
    target = project / "playbooks" / "partner-faq.yaml"
    before = target.read_bytes()
    result = run_handbook("new", "faq", "partner-faq", cwd=project)
    assert result.returncode == 1
    assert "already exists" in result.stderr
    assert target.read_bytes() == before


def test_new_refuses_an_id_used_elsewhere(project: Path) -> None:
    result = run_handbook("new", "faq", "knowledge-transfer", cwd=project)
    assert result.returncode == 1
    assert "already used in playbooks/lifecycle/07-working-together.yaml" in result.stderr
    assert not (project / "playbooks" / "knowledge-transfer.yaml").exists()


@pytest.mark.parametrize("bad_id", ["../escape", "Capital", "a/b", "x" * 65])
def test_new_rejects_ids_that_are_not_slugs(project: Path, bad_id: str) -> None:
    before = sorted(p.name for p in (project / "playbooks").iterdir())
    assert main(["--root", str(project), "new", "faq", bad_id]) == 2
    assert sorted(p.name for p in (project / "playbooks").iterdir()) == before
    assert not (project / "escape.yaml").exists()


def test_committed_schemas_are_current() -> None:
    team_map, _ = read_owners(REPO / "owners.yaml")
    assert team_map is not None
    for name, text in schema_texts(KINDS, list(team_map.teams)).items():
        committed = REPO / "schemas" / name
        assert committed.read_text(encoding="utf-8") == text, f"run `handbook schema`: {name} is stale"


def test_schema_command_writes_one_schema_per_kind(tmp_path: Path) -> None:
    assert main(["schema", "--out", str(tmp_path)]) == 0
    expected = [f"{k}.schema.json" for k in KINDS] + [
        "owners.schema.json",
        "search.schema.json",
        "kind.schema.json",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(expected)


@pytest.mark.parametrize("name", ["owners", "search"])
def test_root_settings_files_match_their_json_schema(name: str) -> None:
    text = (REPO / f"{name}.yaml").read_text(encoding="utf-8")
    jsonschema.validate(
        yaml.safe_load(text), json.loads((REPO / "schemas" / f"{name}.schema.json").read_text())
    )
    if name == "search":  # editors find the schema from the file's first line
        assert text.startswith("# yaml-language-server: $schema=schemas/search.schema.json\n")


def test_shipped_playbooks_match_their_json_schema_and_modeline() -> None:
    for path in sorted((REPO / "playbooks").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        modeline = f"# yaml-language-server: $schema=../schemas/{data['kind']}.schema.json"
        assert text.splitlines()[0] == modeline, path.name
        schema = json.loads((REPO / "schemas" / f"{data['kind']}.schema.json").read_text())
        jsonschema.validate(json.loads(json.dumps(data, default=str)), schema)


def test_json_schema_rejects_what_check_rejects() -> None:
    schema = json.loads((REPO / "schemas" / "anti-patterns.schema.json").read_text())
    bad = yaml.safe_load(
        (Path(__file__).parent / "negative/unknown-field/playbooks/anti-patterns.yaml").read_text()
    )
    bad["last_reviewed"] = str(bad["last_reviewed"])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_a_folder_without_playbooks_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(tmp_path), "check"]) == 1
    assert "no playbooks/ folder" in capsys.readouterr().err
