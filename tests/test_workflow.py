"""The pull-request workflow: owners and CODEOWNERS, the pre-commit hook in a real git repository,
and CI files that validate against their schemas and only call commands the CLI has."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, copy_project, run_handbook
from test_docs import _options, _subcommands

from generator.cli import _parser

CI_FILES = [
    *sorted((REPO / ".github" / "workflows").glob("*.yml")),
    REPO / ".gitlab-ci.yml",
    REPO / ".pre-commit-hooks.yaml",
]
HANDBOOK_CALL = re.compile(r"(?m)(?:entry:|run:|^\s*-)\s+handbook ([a-z][\w-]*)([^\n|>#]*)")
PMO, ENABLEMENT = "owner: Partner Management Office", "owner: Engineering Enablement"
BIN = Path(sys.executable).parent


def _git(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
    }
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=600)


def test_committed_codeowners_is_current() -> None:
    result = run_handbook("codeowners", "--check", cwd=REPO)
    assert result.returncode == 0, result.stderr
    codeowners = (REPO / ".github" / "CODEOWNERS").read_text()
    assert "/playbooks/partner-faq.yaml @example-org/partner-management" in codeowners


def test_codeowners_follows_owner_changes(project: Path) -> None:
    shutil.copytree(REPO / ".github", project / ".github", dirs_exist_ok=True)
    faq = project / "playbooks" / "partner-faq.yaml"
    faq.write_text(faq.read_text().replace(PMO, ENABLEMENT))
    stale = run_handbook("codeowners", "--check", cwd=project)
    assert stale.returncode == 1 and "is out of date: run `handbook codeowners`" in stale.stderr
    assert run_handbook("codeowners", cwd=project).returncode == 0
    codeowners = (project / ".github" / "CODEOWNERS").read_text()
    assert "/playbooks/partner-faq.yaml @example-org/engineering-enablement" in codeowners
    assert run_handbook("codeowners", "--check", cwd=project).returncode == 0


def test_an_owner_missing_from_owners_yaml_fails_check(project: Path) -> None:
    faq = project / "playbooks" / "partner-faq.yaml"
    faq.write_text(faq.read_text().replace(PMO, "owner: Partner Managment Office"))
    result = run_handbook("check", cwd=project)
    assert result.returncode == 1
    assert re.search(
        r"playbooks/partner-faq\.yaml:\d+:8: error: owner 'Partner Managment Office' is not a team in "
        r"owners\.yaml \(did you mean 'Partner Management Office'\?\)",
        result.stdout,
    ), result.stdout


def _commit(repo: Path, message: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`git commit`, which runs the installed pre-commit hooks."""
    command = ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-q", "-m", message]
    return subprocess.run(command, cwd=repo, capture_output=True, text=True, env=env, timeout=900)


def _hook_repo(tmp_path: Path) -> tuple[Path, str]:
    """This repository's working tree as a git repository, the way pre-commit fetches it."""
    hooks = tmp_path / "hooks-repo"
    hooks.mkdir()
    for name in ("generator", "pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, hooks / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, hooks / name)
    _git("init", "-q", cwd=hooks)
    _git("add", "-A", cwd=hooks)
    assert _git("commit", "-q", "-m", "hooks", cwd=hooks).returncode == 0
    return hooks, _git("rev-parse", "HEAD", cwd=hooks).stdout.strip()


def test_pre_commit_hook_blocks_a_broken_playbook(tmp_path: Path) -> None:
    hooks, rev = _hook_repo(tmp_path)
    repo = copy_project(tmp_path / "handbook")
    shutil.copytree(REPO / ".github", repo / ".github", dirs_exist_ok=True)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks}\n    rev: {rev}\n    hooks:\n      - id: handbook-check\n"
        "      - id: handbook-codeowners\n"
    )
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache")}
    _git("init", "-q", cwd=repo)
    installed = subprocess.run(
        [BIN / "pre-commit", "install"], cwd=repo, capture_output=True, text=True, env=env, timeout=120
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    _git("add", "-A", cwd=repo)
    first = _commit(repo, "handbook", env)
    assert first.returncode == 0, first.stdout + first.stderr  # a valid handbook commits

    faq = repo / "playbooks" / "partner-faq.yaml"
    faq.write_text(faq.read_text().replace("    questions:\n", "    question:\n", 1))
    _git("add", "-A", cwd=repo)
    second = _commit(repo, "broken", env)
    output = second.stdout + second.stderr
    assert second.returncode != 0, output
    assert re.search(r"playbooks/partner-faq\.yaml:\d+:\d+: error: unknown field 'question'", output), output
    assert "Traceback" not in output
    assert _git("rev-list", "--count", "HEAD", cwd=repo).stdout.strip() == "1"  # nothing committed


def test_pre_commit_files_are_valid() -> None:
    for command, path in (
        ("validate-manifest", ".pre-commit-hooks.yaml"),
        ("validate-config", ".pre-commit-config.yaml"),
    ):
        result = subprocess.run(
            [BIN / "pre-commit", command, path], cwd=REPO, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("schema", "files"),
    [
        ("vendor.github-workflows", sorted((REPO / ".github" / "workflows").glob("*.yml"))),
        ("vendor.gitlab-ci", [REPO / ".gitlab-ci.yml"]),
    ],
)
def test_ci_files_match_their_schemas(schema: str, files: list[Path]) -> None:
    assert files
    result = subprocess.run(
        [BIN / "check-jsonschema", "--builtin-schema", schema, *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ci_files_only_call_commands_the_cli_has() -> None:
    commands = _subcommands(_parser())
    calls = [(path.name, match) for path in CI_FILES for match in HANDBOOK_CALL.findall(path.read_text())]
    assert len(calls) >= 10
    for name, (command, rest) in calls:
        assert command in commands, f"{name} calls `handbook {command}`, which does not exist"
        parser = commands[command]
        nested = _subcommands(parser)
        if nested:
            parser = nested[rest.split()[0]]
        for option in re.findall(r"(?<![\w-])(--?[a-z][\w-]*)", rest):
            assert option in _options(parser), f"{name}: `handbook {command}` has no option {option}"


def test_pull_request_workflow_checks_builds_and_uploads_a_preview() -> None:
    pr = (REPO / ".github" / "workflows" / "pull-request.yml").read_text()
    steps = [
        "handbook check --format github",
        'pytest -m "not browser"',
        "handbook build",
        "actions/upload-artifact",
    ]
    assert [pr.index(step) for step in steps] == sorted(pr.index(step) for step in steps)
    publish = (REPO / ".github" / "workflows" / "publish.yml").read_text()
    assert "branches: [main]" in publish and "actions/deploy-pages" in publish
    gitlab = (REPO / ".gitlab-ci.yml").read_text()
    assert "codequality: gl-code-quality-report.json" in gitlab and "mv site public" in gitlab
