"""The `handbook` command line: help, exit codes, `new` and `schema`.

Every list of kinds comes from the registry (and, where a handbook declares kinds of its own,
from its `kinds/` folder), so a kind added to either is tested too."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import run_handbook

from generator.cli import _parser, main
from generator.declared import read_kinds
from generator.kinds import built_in_kinds
from generator.owners import read_owners
from generator.pipeline import Project, check_sources
from generator.schemas import schema_texts

KINDS = built_in_kinds()
DECLARED = "partner-profile"  # a kind a handbook declares in kinds/, beside the built-in ones
# Schemas for files that are not playbooks, written beside one per kind.
SETTINGS_SCHEMAS = ["owners.schema.json", "search.schema.json", "coverage.schema.json", "kind.schema.json"]
NEGATIVE = Path(__file__).parent / "negative"


def _declare_kind(root: Path) -> Path:
    """Declare a kind of the handbook's own in `root/kinds/`, and bring the derived files (its
    schema, the lists of kinds in the guide and the home page) up to date."""
    kinds = root / "kinds"
    kinds.mkdir()
    (kinds / f"{DECLARED}.yaml").write_text(
        "# yaml-language-server: $schema=../schemas/kind.schema.json\n"
        "title: Partner profiles\n"
        "singular: partner profile\n"
        "intro: One page for each company we build software with, and how to reach it.\n"
        "fields:\n"
        "  headquarters:\n"
        "    type: text\n"
        "    required: true\n"
        "    description: Where the partner company is based.\n"
        "  contacts:\n"
        "    type: entries\n"
        "    entry: contact\n"
        "    title: Contacts\n"
        "    fields:\n"
        "      title: {type: text, required: true}\n"
        "      reach: {type: markdown, required: true}\n",
        encoding="utf-8",
    )
    (kinds / f"{DECLARED}.md.j2").write_text(
        '{% extends "_playbook.md.j2" %}\n{% block body %}\n\n**Based in:** {{ pb.headquarters }}\n'
        "{% for contact in pb.contacts %}\n\n{{ m.heading(2, contact) }}\n\n{{ contact.reach }}\n"
        "{% endfor %}\n{% endblock %}\n",
        encoding="utf-8",
    )
    fixed = run_handbook("fix", cwd=root)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    return root


@pytest.fixture
def declared(handbook: Path) -> Path:
    """The starter with a kind of its own declared."""
    return _declare_kind(handbook)


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(actions[0].choices) if actions else {}


def test_every_command_has_help(handbook: Path) -> None:
    commands = _subcommands(_parser())
    assert {"init", "check", "fix", "build", "serve", "new", "rename", "schema", "urls"} <= set(commands)
    top = run_handbook("--help", cwd=handbook)
    assert top.returncode == 0
    for command in commands:
        assert command in top.stdout
        result = run_handbook(command, "--help", cwd=handbook)
        assert result.returncode == 0, command
        assert f"usage: handbook {command}" in result.stdout
        assert commands[command].description, f"`handbook {command} --help` says nothing about it"


@pytest.mark.parametrize("argv", [[], ["publish"], ["check", "--format", "xml"], ["new", "recipe"], ["init"]])
def test_usage_errors_exit_2(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        _parser().parse_args(argv)
    assert exc.value.code == 2


def test_usage_error_from_the_real_command(handbook: Path) -> None:
    result = run_handbook("check", "--format", "xml", cwd=handbook)
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_new_with_an_unknown_kind_names_the_kinds_and_exits_2(declared: Path) -> None:
    result = run_handbook("new", "chekclist", "x", cwd=declared)
    assert result.returncode == 2
    assert "unknown kind 'chekclist' (did you mean 'checklist'?)" in result.stderr
    kinds = read_kinds(declared).kinds
    assert DECLARED in kinds and set(KINDS) < set(kinds)
    assert ", ".join(kinds) in result.stderr


@pytest.mark.parametrize("kind", [*KINDS, DECLARED])
def test_new_writes_a_valid_skeleton_with_modeline(handbook: Path, kind: str) -> None:
    if kind == DECLARED:
        _declare_kind(handbook)
    new_id = f"new-{kind}"
    result = run_handbook("new", kind, new_id, cwd=handbook)
    assert result.returncode == 0, result.stderr
    written = handbook / "playbooks" / f"{new_id}.yaml"
    text = written.read_text(encoding="utf-8")
    assert text.startswith(f"# yaml-language-server: $schema=../schemas/{kind}.schema.json\n")
    data = yaml.safe_load(text)
    assert data["id"] == new_id and data["kind"] == kind
    _, problems = check_sources(Project(handbook))  # valid: it builds
    assert problems == []
    check = run_handbook("check", cwd=handbook)  # but not ready for review: placeholders
    assert check.returncode == 1
    own = [line for line in check.stdout.splitlines() if line.startswith(f"playbooks/{new_id}.yaml:")]
    assert own and any("is the skeleton's placeholder" in line for line in own), check.stdout
    schema = json.loads((handbook / "schemas" / f"{kind}.schema.json").read_text())
    jsonschema.validate(json.loads(json.dumps(data, default=str)), schema)


def test_new_stamps_last_reviewed_with_the_handbooks_clock(handbook: Path) -> None:
    result = run_handbook("new", "faq", "new-faq", cwd=handbook, today="2020-02-29")
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load((handbook / "playbooks" / "new-faq.yaml").read_text(encoding="utf-8"))
    assert str(data["last_reviewed"]) == "2020-02-29"


def test_new_refuses_to_overwrite(handbook: Path) -> None:
    target = handbook / "playbooks" / "faq.yaml"
    before = target.read_bytes()
    result = run_handbook("new", "faq", "faq", cwd=handbook)
    assert result.returncode == 1
    assert "already exists" in result.stderr
    assert target.read_bytes() == before


def test_new_refuses_an_id_used_elsewhere(handbook: Path) -> None:
    result = run_handbook("new", "faq", "choose-paid-pilot", cwd=handbook)  # a practice of a stage
    assert result.returncode == 1
    assert "already used in playbooks/lifecycle/01-choose.yaml" in result.stderr
    assert not (handbook / "playbooks" / "choose-paid-pilot.yaml").exists()


@pytest.mark.parametrize("bad_id", ["../escape", "Capital", "a/b", "x" * 65])
def test_new_rejects_ids_that_are_not_slugs(handbook: Path, bad_id: str) -> None:
    before = sorted(p.name for p in (handbook / "playbooks").iterdir())
    assert main(["--root", str(handbook), "new", "faq", bad_id]) == 2
    assert sorted(p.name for p in (handbook / "playbooks").iterdir()) == before
    assert not (handbook / "escape.yaml").exists()


@pytest.mark.parametrize("with_declared_kind", [False, True], ids=["built-in", "declared"])
def test_committed_schemas_are_current(handbook: Path, with_declared_kind: bool) -> None:
    """After `handbook fix`, schemas/ holds exactly what the models and owners.yaml give."""
    if with_declared_kind:
        _declare_kind(handbook)
    team_map, _ = read_owners(handbook / "owners.yaml")
    assert team_map is not None
    texts = schema_texts(read_kinds(handbook).kinds, list(team_map.teams))
    assert (f"{DECLARED}.schema.json" in texts) == with_declared_kind
    for name, text in texts.items():
        committed = handbook / "schemas" / name
        assert committed.read_text(encoding="utf-8") == text, f"run `handbook schema`: {name} is stale"
    assert sorted(p.name for p in (handbook / "schemas").iterdir()) == sorted(texts)


@pytest.mark.parametrize("with_declared_kind", [False, True], ids=["built-in", "declared"])
def test_schema_command_writes_one_schema_per_kind(
    handbook: Path, tmp_path: Path, with_declared_kind: bool
) -> None:
    if with_declared_kind:
        _declare_kind(handbook)
    out = tmp_path / "out"
    assert main(["--root", str(handbook), "schema", "--out", str(out)]) == 0
    kinds = read_kinds(handbook).kinds
    assert (DECLARED in kinds) == with_declared_kind
    expected = [f"{k}.schema.json" for k in kinds] + SETTINGS_SCHEMAS
    assert sorted(p.name for p in out.iterdir()) == sorted(expected)


def test_root_settings_files_match_their_json_schema(handbook: Path) -> None:
    (handbook / "coverage.yaml").write_text(
        "# yaml-language-server: $schema=schemas/coverage.schema.json\n"
        "areas:\n  Choosing a partner: [stage-choose, partner-scorecard]\n"
        "complete:\n  stage: [exit_criteria]\n",
        encoding="utf-8",
    )
    for name in ("owners", "search", "coverage"):
        text = (handbook / f"{name}.yaml").read_text(encoding="utf-8")
        schema = json.loads((handbook / "schemas" / f"{name}.schema.json").read_text())
        jsonschema.validate(yaml.safe_load(text), schema)
        # editors find the schema from the file's first line
        assert text.startswith(f"# yaml-language-server: $schema=schemas/{name}.schema.json\n"), name
    with pytest.raises(jsonschema.ValidationError):  # and the schema is not a blank cheque
        jsonschema.validate(
            {"teams": {"Office": "@not-a-list"}},
            json.loads((handbook / "schemas/owners.schema.json").read_text()),
        )
    assert run_handbook("check", cwd=handbook).returncode == 0


def test_playbooks_match_their_json_schema_and_modeline(handbook: Path) -> None:
    playbooks = sorted((handbook / "playbooks").rglob("*.yaml"))
    assert {yaml.safe_load(p.read_text())["kind"] for p in playbooks} == set(KINDS)  # one of each kind
    for path in playbooks:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        up = "../" * (len(path.relative_to(handbook / "playbooks").parts))
        modeline = f"# yaml-language-server: $schema={up}schemas/{data['kind']}.schema.json"
        assert text.splitlines()[0] == modeline, path.name
        schema = json.loads((handbook / "schemas" / f"{data['kind']}.schema.json").read_text())
        jsonschema.validate(json.loads(json.dumps(data, default=str)), schema)


def test_json_schema_rejects_what_check_rejects(handbook: Path) -> None:
    case = NEGATIVE / "unknown-field"
    assert main(["--root", str(case), "check"]) == 1
    schema = json.loads((handbook / "schemas" / "anti-patterns.schema.json").read_text())
    bad = yaml.safe_load((case / "playbooks/anti-patterns.yaml").read_text())
    bad["last_reviewed"] = str(bad["last_reviewed"])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_a_folder_without_playbooks_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(tmp_path), "check"]) == 1
    assert "no playbooks/ folder" in capsys.readouterr().err
