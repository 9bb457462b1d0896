"""The pull-request workflow: owners and CODEOWNERS, the pre-commit hook in a real git repository,
and CI files that validate against their schemas and only call commands the CLI has.

The CI and pre-commit files come in two sets: the engine repository's own, and those `handbook
init` gives every new handbook (the starter's). Both are checked."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import ENGINE, run_handbook

from generator.cli import _parser
from generator.starter import STARTER_DIR

HANDBOOK_CALL = re.compile(r"(?m)(?:entry:|run:|^\s*-)\s+handbook ([a-z][\w-]*)([^\n|>#]*)")
BIN = Path(sys.executable).parent
FAQ = "playbooks/faq.yaml"


def _workflows(root: Path) -> list[Path]:
    return sorted((root / ".github" / "workflows").glob("*.yml"))


# Each repository's CI: GitHub workflows, GitLab CI, and its pre-commit files.
CI = {
    "engine": [*_workflows(ENGINE), ENGINE / ".gitlab-ci.yml", ENGINE / ".pre-commit-hooks.yaml"],
    "starter": [
        *_workflows(STARTER_DIR),
        STARTER_DIR / ".gitlab-ci.yml",
        STARTER_DIR / ".pre-commit-config.yaml",
    ],
}
REPOSITORIES = {"engine": ENGINE, "starter": STARTER_DIR}


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(actions[0].choices) if actions else {}


def _options(parser: argparse.ArgumentParser) -> set[str]:
    return {opt for action in parser._actions for opt in action.option_strings}


def _git(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {
        **(env or os.environ),
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
    }
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=900)


def _expected_codeowners_line(root: Path, playbook: str) -> str:
    """The CODEOWNERS line of a playbook, worked out from its owner and owners.yaml."""
    owner = yaml.safe_load((root / playbook).read_text(encoding="utf-8"))["owner"]
    accounts = yaml.safe_load((root / "owners.yaml").read_text(encoding="utf-8"))["teams"][owner]
    return f"/{playbook} {' '.join(accounts)}"


def _set_owner(root: Path, playbook: str, team: str) -> None:
    path = root / playbook
    text = path.read_text(encoding="utf-8")
    owner = yaml.safe_load(text)["owner"]
    assert text.count(f"\nowner: {owner}\n") == 1
    path.write_text(text.replace(f"\nowner: {owner}\n", f"\nowner: {team}\n"), encoding="utf-8")


def _teams(root: Path) -> list[str]:
    return list(yaml.safe_load((root / "owners.yaml").read_text(encoding="utf-8"))["teams"])


def test_committed_codeowners_is_current(handbook: Path) -> None:
    result = run_handbook("codeowners", "--check", cwd=handbook)
    assert result.returncode == 0, result.stderr
    codeowners = (handbook / ".github" / "CODEOWNERS").read_text().splitlines()
    for playbook in sorted(handbook.glob("playbooks/**/*.yaml")):
        name = playbook.relative_to(handbook).as_posix()
        assert _expected_codeowners_line(handbook, name) in codeowners, name
    default = yaml.safe_load((handbook / "owners.yaml").read_text(encoding="utf-8"))["default"]
    assert f"* {' '.join(default)}" in codeowners


def test_codeowners_follows_owner_changes(handbook: Path) -> None:
    old = yaml.safe_load((handbook / FAQ).read_text(encoding="utf-8"))["owner"]
    new = next(team for team in _teams(handbook) if team != old)
    before = _expected_codeowners_line(handbook, FAQ)
    _set_owner(handbook, FAQ, new)
    after = _expected_codeowners_line(handbook, FAQ)
    assert after != before
    stale = run_handbook("codeowners", "--check", cwd=handbook)
    assert stale.returncode == 1 and "is out of date: run `handbook codeowners`" in stale.stderr
    assert run_handbook("codeowners", cwd=handbook).returncode == 0
    codeowners = (handbook / ".github" / "CODEOWNERS").read_text().splitlines()
    assert after in codeowners and before not in codeowners
    assert run_handbook("codeowners", "--check", cwd=handbook).returncode == 0


def test_an_owner_missing_from_owners_yaml_fails_check(handbook: Path) -> None:
    team = yaml.safe_load((handbook / FAQ).read_text(encoding="utf-8"))["owner"]
    typo = team.replace("ment", "mnet", 1)
    assert typo != team
    _set_owner(handbook, FAQ, typo)
    result = run_handbook("check", cwd=handbook)
    assert result.returncode == 1
    assert re.search(
        rf"{re.escape(FAQ)}:\d+:8: error: owner '{re.escape(typo)}' is not a team in "
        rf"owners\.yaml \(did you mean '{re.escape(team)}'\?\)",
        result.stdout,
    ), result.stdout


def _commit(repo: Path, message: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`git commit`, which runs the installed pre-commit hooks."""
    command = ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-q", "-m", message]
    return subprocess.run(command, cwd=repo, capture_output=True, text=True, env=env, timeout=900)


def test_pre_commit_hook_blocks_a_broken_playbook(handbook: Path, tmp_path: Path) -> None:
    """The starter's own `.pre-commit-config.yaml`, with the handbook tools on PATH as its
    comment asks (an activated virtual environment)."""
    assert "language: system" in (handbook / ".pre-commit-config.yaml").read_text()
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache"),
    }
    _git("init", "-q", cwd=handbook)
    installed = subprocess.run(
        [BIN / "pre-commit", "install"], cwd=handbook, capture_output=True, text=True, env=env, timeout=120
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    _git("add", "-A", cwd=handbook)
    first = _commit(handbook, "handbook", env)
    assert first.returncode == 0, first.stdout + first.stderr  # a valid handbook commits
    assert "handbook check" in first.stdout + first.stderr  # and the hook did run

    faq = handbook / FAQ
    faq.write_text(faq.read_text().replace("    questions:\n", "    question:\n", 1))
    _git("add", "-A", cwd=handbook)
    second = _commit(handbook, "broken", env)
    output = second.stdout + second.stderr
    assert second.returncode != 0, output
    assert re.search(rf"{re.escape(FAQ)}:\d+:\d+: error: unknown field 'question'", output), output
    assert "Traceback" not in output
    assert _git("rev-list", "--count", "HEAD", cwd=handbook).stdout.strip() == "1"  # nothing committed


@pytest.mark.parametrize(
    ("command", "path"),
    [
        ("validate-manifest", ENGINE / ".pre-commit-hooks.yaml"),
        ("validate-config", ENGINE / ".pre-commit-config.yaml"),
        ("validate-config", STARTER_DIR / ".pre-commit-config.yaml"),
    ],
    ids=["engine-hooks", "engine-config", "starter-config"],
)
def test_pre_commit_files_are_valid(command: str, path: Path) -> None:
    result = subprocess.run(
        [BIN / "pre-commit", command, str(path)], cwd=path.parent, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("repository", list(REPOSITORIES))
@pytest.mark.parametrize(
    ("schema", "files"),
    [("vendor.github-workflows", _workflows), ("vendor.gitlab-ci", lambda root: [root / ".gitlab-ci.yml"])],
    ids=["github", "gitlab"],
)
def test_ci_files_match_their_schemas(
    repository: str, schema: str, files: Callable[[Path], list[Path]]
) -> None:
    paths = files(REPOSITORIES[repository])
    assert paths and all(path.is_file() for path in paths)
    result = subprocess.run(
        [BIN / "check-jsonschema", "--builtin-schema", schema, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("repository", list(CI))
def test_ci_files_only_call_commands_the_cli_has(repository: str) -> None:
    commands = _subcommands(_parser())
    calls = [
        (path.name, match) for path in CI[repository] for match in HANDBOOK_CALL.findall(path.read_text())
    ]
    assert len(calls) >= 10
    for name, (command, rest) in calls:
        assert command in commands, f"{name} calls `handbook {command}`, which does not exist"
        parser = commands[command]
        nested = _subcommands(parser)
        if nested:
            parser = nested[rest.split()[0]]
        for option in re.findall(r"(?<![\w-])(--?[a-z][\w-]*)", rest):
            assert option in _options(parser), f"{name}: `handbook {command}` has no option {option}"


PULL_REQUEST_STEPS = {
    # the engine's repository also runs its own tests without the browser
    "engine": [
        "handbook check --format github",
        'pytest -m "not browser"',
        "handbook build",
        "actions/upload-artifact",
    ],
    "starter": ["handbook check --format github", "handbook build --audience all", "actions/upload-artifact"],
}


@pytest.mark.parametrize("repository", list(REPOSITORIES))
def test_pull_request_workflow_checks_builds_and_uploads_a_preview(repository: str) -> None:
    root = REPOSITORIES[repository]
    pr = (root / ".github" / "workflows" / "pull-request.yml").read_text()
    steps = PULL_REQUEST_STEPS[repository]
    assert all(step in pr for step in steps), pr
    assert [pr.index(step) for step in steps] == sorted(pr.index(step) for step in steps)
    assert "--audience partners" in pr and "site-partners/" in pr  # the leak check and its preview
    publish = (root / ".github" / "workflows" / "publish.yml").read_text()
    assert "branches: [main]" in publish and "actions/deploy-pages" in publish
    gitlab = (root / ".gitlab-ci.yml").read_text()
    assert "codequality: gl-code-quality-report.json" in gitlab and "mv site public" in gitlab
