"""coverage.yaml: what a handbook promises to keep covering is its own data, which `handbook
check` enforces at the file's lines, `handbook rename` keeps current and `handbook report
coverage` prints. (The cases of tests/negative/coverage hold the messages.)"""

from __future__ import annotations

from pathlib import Path

import yaml
from conftest import run_handbook

COVERAGE = """\
# What this handbook must keep covering.
areas:
  Lifecycle: [stage-choose, stage-start, stage-run, stage-end]
  Escalation: [gov-escalation, faq-escalate]
sources:
  "Guide | running partners":
    Escalate the same day: [gov-escalation]
    Agree how work is accepted: [faq-definition-of-done, start-agree-ways-of-working]
complete:
  stage: [exit_criteria, checklists]
  anti-pattern: [early_warning_signs]
iso_44001: true
"""


def _with_coverage(root: Path) -> Path:
    (root / "coverage.yaml").write_text(COVERAGE, encoding="utf-8")
    return root


def test_a_handbook_without_coverage_yaml_promises_nothing(handbook: Path) -> None:
    assert not (handbook / "coverage.yaml").exists()
    result = run_handbook("check", cwd=handbook)
    assert result.returncode == 0, result.stdout + result.stderr
    report = run_handbook("report", "coverage", cwd=handbook)
    assert report.returncode == 1 and "no coverage.yaml" in report.stderr


def test_what_the_file_requires_passes_while_the_handbook_keeps_it(handbook: Path) -> None:
    result = run_handbook("check", cwd=_with_coverage(handbook))
    assert result.returncode == 0, result.stdout + result.stderr


def test_deleting_a_required_entry_fails_at_its_line_until_the_file_changes(handbook: Path) -> None:
    """An adopter deletes an entry the file requires: check names the line of coverage.yaml and
    what it covered; taking the id out of the file (on purpose, in the same pull request) clears it."""
    _with_coverage(handbook)
    faq = handbook / "playbooks" / "faq.yaml"
    data = yaml.safe_load(faq.read_text(encoding="utf-8"))
    data["groups"][0]["questions"] = [q for q in data["groups"][0]["questions"] if q["id"] != "faq-escalate"]
    faq.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = run_handbook("check", cwd=handbook)
    assert result.returncode == 1
    line = next(n for n, text in enumerate(COVERAGE.splitlines(), 1) if "faq-escalate" in text)
    assert (
        f"coverage.yaml:{line}:" in result.stdout
        and "required entry 'faq-escalate' is gone: it covers 'Escalation'" in result.stdout
    ), result.stdout
    coverage = handbook / "coverage.yaml"
    coverage.write_text(coverage.read_text().replace(", faq-escalate]", "]"), encoding="utf-8")
    run_handbook("urls", "--forget", "/faq/faq/#faq-escalate", cwd=handbook, check=True)
    run_handbook(
        "urls", "--audience", "partners", "--forget", "/faq/faq/#faq-escalate", cwd=handbook, check=True
    )
    again = run_handbook("check", cwd=handbook)
    assert again.returncode == 0, again.stdout + again.stderr


def test_a_required_field_left_empty_is_reported_at_the_entry(handbook: Path) -> None:
    _with_coverage(handbook)
    stage = handbook / "playbooks" / "lifecycle" / "04-end.yaml"
    data = yaml.safe_load(stage.read_text(encoding="utf-8"))
    del data["exit_criteria"]
    stage.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = run_handbook("check", cwd=handbook)
    assert result.returncode == 1
    assert (
        "playbooks/lifecycle/04-end.yaml:1:5: error: stage 'stage-end' has no `exit_criteria:`, which "
        "coverage.yaml asks of every stage" in result.stdout
    ), result.stdout


def test_the_report_prints_the_sources_table_with_links_by_id(handbook: Path) -> None:
    result = run_handbook("report", "coverage", cwd=_with_coverage(handbook))
    assert result.returncode == 0, result.stderr
    rows = result.stdout.splitlines()
    assert rows[:2] == ["| Source | Point | Entries |", "| --- | --- | --- |"]
    assert len(rows) == 4
    escalate = next(row for row in rows if "Escalate the same day" in row)
    assert escalate.startswith("| Guide \\| running partners | Escalate the same day | [")  # the pipe escaped
    assert escalate.endswith("][gov-escalation] |")


def test_the_schema_that_fix_writes_describes_the_file(handbook: Path) -> None:
    from jsonschema import Draft202012Validator

    schema_file = handbook / "schemas" / "coverage.schema.json"
    schema = yaml.safe_load(schema_file.read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema)
    assert list(validator.iter_errors(yaml.safe_load(COVERAGE))) == []
    wrong = {"areas": {"Lifecycle": "stage-choose"}, "completely": {}}
    assert len(list(validator.iter_errors(wrong))) == 2
