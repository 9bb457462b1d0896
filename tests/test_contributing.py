"""A contributor's path without surprises: the fresh machine, one broken file, renames, escaped
messages, hints that help, and a quiet install."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ENGINE, run_handbook, with_plugin_options

from generator.messages import suggest

LINE = re.compile(r"^[^\s:]+:\d+:\d+: error: [^\n]+$")
MODEL = "playbooks/operating-model.yaml"  # the roles every other playbook links to
FAQ = "playbooks/faq.yaml"
# A file outside the playbooks that names ids, as an organisation's search benchmark might.
ID_FILE = "queries/exits.txt"
PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]


def _no_chromium_env() -> dict[str, str]:
    return {**os.environ, "HANDBOOK_CHROMIUM": "/nonexistent/chromium"}


def test_make_test_stops_before_anything_else_without_chromium(tmp_path: Path) -> None:
    """A fresh machine where Chromium can't be installed: one line saying what to run, before
    the virtual environment, lint or any test (not an error per browser test at the end)."""
    shutil.copy(ENGINE / "Makefile", tmp_path / "Makefile")
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
    """A module with browser and other tests: the run stops at collection, before any test."""
    result = subprocess.run(
        [*PYTEST, "tests/test_links.py"],
        cwd=ENGINE,
        capture_output=True,
        text=True,
        timeout=300,
        env=_no_chromium_env(),
    )
    assert result.returncode == 1
    assert "need Debian's chromium at /nonexistent/chromium" in result.stdout
    assert "error" not in result.stdout.lower().replace("errors", "")  # no error per test
    assert " passed" not in result.stdout and "no tests ran" in result.stdout


def test_the_fast_part_needs_no_chromium() -> None:
    """`pytest -m "not browser"`, as the pull-request workflow runs it, passes without
    Chromium: the browser tests of the module are deselected, the others run."""
    result = subprocess.run(
        [*PYTEST, "-m", "not browser", "tests/test_links.py"],
        cwd=ENGINE,
        capture_output=True,
        text=True,
        timeout=600,
        env=_no_chromium_env(),
    )
    assert result.returncode == 0, result.stdout
    assert re.search(r"\d+ passed, \d+ deselected", result.stdout), result.stdout


# The operating model defines the roles that other playbooks' text links to by id
# (`[partner manager][role-partner-manager]`); the FAQ's ids are named by `see:` and by links in
# the home pages.
UNREADABLE = [pytest.param(FAQ, id="faq"), pytest.param(MODEL, id="operating-model")]


def _linked_elsewhere(root: Path, playbook: str) -> int:
    """How many times the other playbooks and pages name an id `playbook` defines."""
    text = (root / playbook).read_text(encoding="utf-8")
    ids = set(re.findall(r"^[ -]*id: ([a-z0-9-]+)$", text, re.M))
    others = [
        path.read_text(encoding="utf-8")
        for path in [*(root / "playbooks").rglob("*.yaml"), *(root / "content").glob("*.md")]
        if path != root / playbook
    ]
    return sum(len(re.findall(rf"(?<![\w-]){re.escape(i)}(?![\w-])", other)) for i in ids for other in others)


@pytest.mark.parametrize("playbook", UNREADABLE)
def test_one_unreadable_playbook_is_one_problem(handbook: Path, playbook: str) -> None:
    """A tab in a playbook whose ids other playbooks link to used to give a problem at every
    such link ("unknown id"), with wrong "did you mean" hints; now it is one problem."""
    assert _linked_elsewhere(handbook, playbook) >= 3
    path = handbook / playbook
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n  - id: ", "\n\t- id: ", 1), encoding="utf-8")
    result = run_handbook("check", cwd=handbook)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    assert lines[0].startswith(f"{playbook}:") and "tab" in lines[0]
    assert result.stderr.strip() == "1 problem(s) in 1 file(s)"


@pytest.mark.parametrize("playbook", UNREADABLE)
def test_a_missing_colon_is_one_problem_too(handbook: Path, playbook: str) -> None:
    path = handbook / playbook
    text = path.read_text(encoding="utf-8")
    key = re.search(r"^([a-z_]+):\n  - id: ", text, re.M)  # the first list of entries
    assert key
    path.write_text(text.replace(key.group(0), key.group(0).replace(":", "", 1), 1), encoding="utf-8")
    result = run_handbook("check", cwd=handbook)
    assert result.returncode == 1
    assert result.stdout.strip()
    assert all(line.startswith(f"{playbook}:") for line in result.stdout.splitlines()), result.stdout
    assert "unknown id" not in result.stdout


def test_did_you_mean_only_for_close_matches() -> None:
    ids = ["ref-vendor-contracts-and-terms", "faq-vendor-not-answering", "offshore-team-handover"]
    assert suggest("faq-vendor-not-replying-quickly", ids) == ""
    assert "offshore-team-handover" in suggest("offshore-team-handvoer", ids)
    assert "faq-vendor-not-answering" in suggest("faq-vendor-not-answerng", ids)


def test_keys_with_line_breaks_and_escapes_stay_on_one_line(handbook: Path) -> None:
    faq = handbook / FAQ
    text = faq.read_text(encoding="utf-8")
    faq.write_text(
        text.replace("\ngroups:\n", '\n"a\\nb": 1\n"\\e[2J\\e[31mred": 2\ngroups:\n', 1), encoding="utf-8"
    )
    result = run_handbook("check", cwd=handbook)
    assert result.returncode == 1
    assert "\x1b" not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and all(LINE.match(line) for line in lines), result.stdout
    assert "unknown field 'a\\nb'" in lines[0]
    assert "'\\x1b[2J\\x1b[31mred'" in lines[1]


def _with_id_files(root: Path) -> Path:
    """A coverage.yaml that requires the exit entries, and a file of search queries that names
    ids, listed in the `handbook` plugin's `id_files` option."""
    (root / "coverage.yaml").write_text(
        "# What this handbook keeps covering.\n"
        "areas:\n"
        "  Ending a partnership: [stage-end, exit-checklist, ap-no-exit-plan]\n"
        "sources:\n"
        "  Our own exits:\n"
        "    Plan the end before signing: [choose-plan-the-exit, ap-no-exit-plan]\n",
        encoding="utf-8",
    )
    (root / ID_FILE).parent.mkdir()
    (root / ID_FILE).write_text(
        "how do we hand work back\texit-checklist\n"
        "vendor lock-in at renewal\tap-no-exit-plan\n"
        "the exit-checklist-like list\texit-checklist-draft\n",  # another token: not renamed
        encoding="utf-8",
    )
    with_plugin_options(root, f"search: auto\nid_files: [{ID_FILE.split('/')[0]}/*.txt]")
    result = run_handbook("check", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def _snapshot(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_rename_dry_run_prints_the_edits_and_writes_nothing(handbook: Path) -> None:
    _with_id_files(handbook)
    before = _snapshot(handbook)
    result = run_handbook("rename", "exit-checklist", "offboarding-checklist", "--dry-run", cwd=handbook)
    assert result.returncode == 0, result.stderr
    printed = {line.split(":", 1)[0] for line in result.stdout.splitlines()}
    assert {
        "playbooks/exit-checklist.yaml",
        "playbooks/anti-patterns.yaml",
        "playbooks/lifecycle/01-choose.yaml",
        "content/index.md",
        "coverage.yaml",
        ID_FILE,
    } <= printed, result.stdout
    assert "playbooks/exit-checklist.yaml → playbooks/offboarding-checklist.yaml" in result.stdout
    assert "nothing was written" in result.stdout
    assert _snapshot(handbook) == before


def test_rename_refuses_what_it_cannot_do_safely(handbook: Path) -> None:
    before = _snapshot(handbook)
    unknown = run_handbook("rename", "no-such-entry", "something-else", cwd=handbook)
    assert unknown.returncode == 1 and "no-such-entry" in unknown.stderr
    taken = run_handbook("rename", "exit-checklist", "faq", cwd=handbook)
    assert taken.returncode == 1 and "'faq' is already used" in taken.stderr
    bad = run_handbook("rename", "exit-checklist", "Exit Checklist", cwd=handbook)
    assert bad.returncode in (1, 2) and "not a valid id" in bad.stderr
    assert "Traceback" not in unknown.stderr + taken.stderr + bad.stderr
    assert _snapshot(handbook) == before


def test_rename_then_check_passes_and_old_names_are_gone(handbook: Path) -> None:
    _with_id_files(handbook)
    result = run_handbook("rename", "ap-no-exit-plan", "ap-unplanned-exit", cwd=handbook)
    assert result.returncode == 0, result.stdout + result.stderr
    checked = run_handbook("check", cwd=handbook)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    files = [*handbook.glob("playbooks/**/*.y*ml"), *handbook.glob("content/*.md")]
    for path in [*files, handbook / "coverage.yaml", handbook / ID_FILE]:
        text = path.read_text(encoding="utf-8")
        uses = [line for line in text.splitlines() if "ap-no-exit-plan" in line]
        assert all("aliases" in line for line in uses), (path, uses)
    coverage = (handbook / "coverage.yaml").read_text(encoding="utf-8")
    assert "[stage-end, exit-checklist, ap-unplanned-exit]" in coverage
    assert "vendor lock-in at renewal\tap-unplanned-exit\n" in (handbook / ID_FILE).read_text()
    # a required entry that disappears is reported: the file is read, not only rewritten
    (handbook / "coverage.yaml").write_text(coverage.replace("ap-unplanned-exit]", "ap-gone]", 1))
    assert run_handbook("check", cwd=handbook).returncode == 1


def test_rename_leaves_other_tokens_in_id_files_alone(handbook: Path) -> None:
    _with_id_files(handbook)
    result = run_handbook("rename", "exit-checklist", "offboarding-checklist", cwd=handbook)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (handbook / ID_FILE).read_text(encoding="utf-8") == (
        "how do we hand work back\toffboarding-checklist\n"
        "vendor lock-in at renewal\tap-no-exit-plan\n"
        "the exit-checklist-like list\texit-checklist-draft\n"
    )
    assert run_handbook("check", cwd=handbook).returncode == 0


def test_install_prints_no_packaging_warnings(tmp_path: Path) -> None:
    """setuptools used to print a screenful of warnings about our own package layout."""
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "-w", str(tmp_path), str(ENGINE)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "Installing" not in output or "as data is deprecated" not in output
    assert re.findall(r"\w+Warning\b", output) == [], output
    assert list(tmp_path.glob("*.whl"))
