"""A contributor's path without surprises: the fresh machine, one broken file, renames, escaped
messages, hints that help, and a quiet install."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO, run_handbook

from generator.messages import suggest

LINE = re.compile(r"^[^\s:]+:\d+:\d+: error: [^\n]+$")


def test_make_test_stops_before_anything_else_without_chromium(tmp_path: Path) -> None:
    """A fresh machine where Chromium can't be installed: one line saying what to run, before
    the virtual environment, lint or any test (not an error per browser test at the end)."""
    shutil.copy(REPO / "Makefile", tmp_path / "Makefile")
    result = subprocess.run(
        ["make", "--no-print-directory", "test", "CHROMIUM=/nonexistent/chromium", "APT_GET=no-such-apt-get"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")},
    )
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if not re.match(r"make(\[\d+\])?: \*\*\*", line)]
    assert len(lines) == 1 and "apt-get install chromium" in lines[0], result.stderr
    assert "make test" in lines[0]
    assert not (tmp_path / ".venv").exists()  # nothing else ran


def test_pytest_without_chromium_stops_with_one_line() -> None:
    env = {**os.environ, "HANDBOOK_CHROMIUM": "/nonexistent/chromium"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_browser.py"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert result.returncode == 1
    assert "need Debian's chromium at /nonexistent/chromium" in result.stdout
    assert "error" not in result.stdout.lower().replace("errors", "")  # no error per test
    assert " passed" not in result.stdout and "no tests ran" in result.stdout


def test_the_fast_part_needs_no_chromium() -> None:
    env = {**os.environ, "HANDBOOK_CHROMIUM": "/nonexistent/chromium"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-m",
            "not browser",
            "tests/test_docs.py",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert result.returncode == 0, result.stdout


def test_one_unreadable_playbook_is_one_problem(project: Path) -> None:
    """A tab in the FAQ used to give 19 problems in 7 files: unknown ids everywhere the FAQ's
    questions are linked, with wrong "did you mean" hints."""
    faq = project / "playbooks" / "partner-faq.yaml"
    text = faq.read_text(encoding="utf-8")
    faq.write_text(text.replace("\n  - id: ", "\n\t- id: ", 1), encoding="utf-8")
    result = run_handbook("check", cwd=project)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    assert lines[0].startswith("playbooks/partner-faq.yaml:") and "tab" in lines[0]
    assert result.stderr.strip() == "1 problem(s) in 1 file(s)"


def test_a_missing_colon_is_one_problem_too(project: Path) -> None:
    faq = project / "playbooks" / "partner-faq.yaml"
    text = faq.read_text(encoding="utf-8")
    faq.write_text(text.replace("\ngroups:\n", "\ngroups\n", 1), encoding="utf-8")
    result = run_handbook("check", cwd=project)
    assert result.returncode == 1
    assert all(line.startswith("playbooks/partner-faq.yaml:") for line in result.stdout.splitlines())
    assert "unknown id" not in result.stdout


def test_did_you_mean_only_for_close_matches() -> None:
    ids = ["ref-partnerships-and-alliances", "faq-partner-not-responding", "inexperienced-talent"]
    assert suggest("faq-partner-not-calling-back", ids) == ""
    assert "inexperienced-talent" in suggest("inexperienced-talnet", ids)
    assert "faq-partner-not-responding" in suggest("faq-partner-not-respondng", ids)


def test_keys_with_line_breaks_and_escapes_stay_on_one_line(project: Path) -> None:
    faq = project / "playbooks" / "partner-faq.yaml"
    text = faq.read_text(encoding="utf-8")
    faq.write_text(
        text.replace("\ngroups:\n", '\n"a\\nb": 1\n"\\e[2J\\e[31mred": 2\ngroups:\n', 1), encoding="utf-8"
    )
    result = run_handbook("check", cwd=project)
    assert result.returncode == 1
    assert "\x1b" not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and all(LINE.match(line) for line in lines), result.stdout
    assert "unknown field 'a\\nb'" in lines[0]
    assert "'\\x1b[2J\\x1b[31mred'" in lines[1]


def _with_coverage_map(project: Path) -> Path:
    (project / "tests").mkdir(exist_ok=True)
    shutil.copy(REPO / "tests" / "coverage_map.py", project / "tests" / "coverage_map.py")
    return project


def test_rename_dry_run_prints_the_edits_and_writes_nothing(project: Path) -> None:
    _with_coverage_map(project)
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    result = run_handbook("rename", "pilot-plan-checklist", "pilot-checklist", "--dry-run", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "playbooks/pilot-plan-checklist.yaml" in result.stdout
    assert "content/index.md" in result.stdout
    assert "tests/coverage_map.py" in result.stdout or "pilot-plan-checklist" not in (
        project / "tests" / "coverage_map.py"
    ).read_text(encoding="utf-8")
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == before


def test_rename_refuses_what_it_cannot_do_safely(project: Path) -> None:
    unknown = run_handbook("rename", "no-such-entry", "something-else", cwd=project)
    assert unknown.returncode == 1 and "no-such-entry" in unknown.stderr
    taken = run_handbook("rename", "pilot-plan-checklist", "partner-faq", cwd=project)
    assert taken.returncode == 1 and "partner-faq" in taken.stderr
    bad = run_handbook("rename", "pilot-plan-checklist", "Pilot Checklist", cwd=project)
    assert bad.returncode in (1, 2) and "not a valid id" in bad.stderr
    assert "Traceback" not in unknown.stderr + taken.stderr + bad.stderr


def test_rename_then_check_passes_and_old_names_are_gone(project: Path) -> None:
    _with_coverage_map(project)
    result = run_handbook("rename", "skipping-the-pilot", "no-pilot-project", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    checked = run_handbook("check", cwd=project)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    for path in [*project.glob("playbooks/**/*.y*ml"), project / "tests" / "coverage_map.py"]:
        text = path.read_text(encoding="utf-8")
        uses = [line for line in text.splitlines() if "skipping-the-pilot" in line]
        assert all("aliases" in line for line in uses), (path, uses)


def test_install_prints_no_packaging_warnings(tmp_path: Path) -> None:
    """setuptools used to print a screenful of warnings about our own package layout."""
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "-w", str(tmp_path), str(REPO)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "Installing" not in output or "as data is deprecated" not in output
    assert re.findall(r"\w+Warning\b", output) == [], output
    assert list(tmp_path.glob("*.whl"))
