"""`handbook check` on real files: negative/ cases report exactly their expected messages,
positive/ cases pass, and every output format carries positions. (The handbook a repository ships
is checked by its own `make check`, not by the engine's tests.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_handbook

from generator.cli import main
from generator.declared import read_kinds

NEGATIVE = sorted(p for p in (Path(__file__).parent / "negative").iterdir() if p.is_dir())
POSITIVE = sorted(p for p in (Path(__file__).parent / "positive").iterdir() if p.is_dir())


def expected_output(case: Path) -> str:
    """A case's expected.txt; `{KINDS}` stands for the list of kinds, read from the registry."""
    text = (case / "expected.txt").read_text(encoding="utf-8")
    return text.replace("{KINDS}", ", ".join(read_kinds(case).kinds))


@pytest.mark.parametrize("case", NEGATIVE, ids=lambda p: p.name)
def test_negative_case_reports_expected_messages(case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--root", str(case), "check"])
    out, err = capsys.readouterr()
    assert code == 1
    assert out == expected_output(case)
    assert "Traceback" not in out + err
    assert "problem(s)" in err


@pytest.mark.parametrize("case", POSITIVE, ids=lambda p: p.name)
def test_positive_case_passes(case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(case), "check"]) == 0
    assert "no problems" in capsys.readouterr().out


def _blamed_by_settings(case: Path, line: str) -> bool:
    """A problem in a playbook that a settings file of its case asks for (coverage.yaml: "which
    coverage.yaml asks of every stage"): only the case's playbooks are checked together. (Without
    its URL manifest, a link to a deleted entry is still reported, as an unknown id.)"""
    settings = [
        p.name
        for p in case.iterdir()
        if p.is_file() and p.name != "expected.txt" and not p.name.startswith("published-urls")
    ]
    return any(name in line.split(": error: ", 1)[-1] for name in settings)


def test_every_problem_in_every_file_is_reported_in_one_run(tmp_path: Path) -> None:
    playbooks = tmp_path / "playbooks"
    playbooks.mkdir()
    for case in NEGATIVE:
        for src in (case / "playbooks").rglob("*.yaml"):
            (playbooks / f"{case.name}--{src.name}").write_bytes(src.read_bytes())
    result = run_handbook("check", cwd=tmp_path)
    assert result.returncode == 1
    reported = {line.split(":", 1)[0] for line in result.stdout.splitlines()}
    expected = {  # every playbook its own case blames (handbook-wide rules need a valid handbook)
        f"playbooks/{case.name}--{Path(line.split(':', 1)[0]).name}"
        for case in NEGATIVE
        for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines()
        if line.startswith("playbooks/") and not _blamed_by_settings(case, line)
    }
    assert expected <= reported
    assert "Traceback" not in result.stdout + result.stderr


def test_json_format(capsys: pytest.CaptureFixture[str]) -> None:
    case = Path(__file__).parent / "negative" / "unknown-field"
    assert main(["--root", str(case), "check", "--format", "json"]) == 1
    problems = json.loads(capsys.readouterr().out)
    assert {
        "path": "playbooks/anti-patterns.yaml",
        "line": 14,
        "col": 5,
        "message": "unknown field 'remedy' (did you mean 'remedies'?)",
    } in problems
    assert all(set(p) == {"path", "line", "col", "message"} for p in problems)


def test_json_format_on_valid_content_is_an_empty_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(POSITIVE[0]), "check", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_github_format(capsys: pytest.CaptureFixture[str]) -> None:
    case = Path(__file__).parent / "negative" / "unknown-field"
    assert main(["--root", str(case), "check", "--format", "github"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert (
        "::error file=playbooks/anti-patterns.yaml,line=14,col=5::unknown field 'remedy' "
        "(did you mean 'remedies'?)" in lines
    )
    assert all(line.startswith("::error file=") for line in lines)
