"""Shared fixtures: copies of the real handbook in temporary folders, and a built site."""

from __future__ import annotations

import filecmp
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.pipeline import Project

REPO = Path(__file__).resolve().parent.parent
PROJECT_PARTS = Project.SOURCES
HANDBOOK = [sys.executable, "-m", "generator.cli"]


def copy_project(dest: Path, parts: tuple[str, ...] = PROJECT_PARTS) -> Path:
    """A copy of the shipped handbook's sources, so tests never touch the repository."""
    dest.mkdir(parents=True, exist_ok=True)
    return Project(REPO).copy_to(dest, parts).root


def ctrl_c_works() -> None:
    """A child's Ctrl-C as a terminal gives it, even when this run was started in the background
    (where a shell ignores SIGINT, and Python children then ignore it too): for
    `subprocess.Popen(..., preexec_fn=ctrl_c_works)` in tests that send SIGINT."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run_handbook(
    *args: str, cwd: Path, check: bool = False, today: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real CLI in a subprocess, as a contributor would; `today` fixes the clock."""
    env = {**os.environ, "HANDBOOK_TODAY": today} if today else None
    return subprocess.run(
        [*HANDBOOK, *args], cwd=cwd, capture_output=True, text=True, check=check, timeout=300, env=env
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that uses Chromium is marked `browser`, so `pytest -m "not browser"` runs the
    fast part of the suite (as the pull-request workflow does)."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Without Chromium, stop before the first test with one line, instead of an error per
    browser test at the end of a long run."""
    from browser import CHROMIUM

    needs_browser = any(item.get_closest_marker("browser") for item in session.items)
    if needs_browser and not os.access(CHROMIUM, os.X_OK):
        pytest.exit(
            f"the browser tests need Debian's chromium at {CHROMIUM}: run `make test` (it installs "
            'it when it can) or `sudo apt-get install chromium`; `pytest -m "not browser"` runs the rest',
            returncode=1,
        )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "handbook")


# A repository as an organisation configures one (`repo_url` is left out of the shipped
# mkdocs.yml): a forge Material asks no API of, on a private-use domain.
REPOSITORY = "https://git.acme.internal/handbook/partner-handbook"


def with_repository(root: Path) -> Path:
    """Point the handbook copied to `root` at REPOSITORY: edit buttons, the header's link and
    "ask the owners" in the search box appear."""
    config = root / "mkdocs.yml"
    with config.open("a", encoding="utf-8") as out:
        out.write(f"\nrepo_url: {REPOSITORY}\nrepo_name: partner-handbook\nedit_uri: edit/main/\n")
    return root


@pytest.fixture(scope="session")
def repository_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The shipped handbook with a repository configured, built once; yields the site folder."""
    root = with_repository(copy_project(tmp_path_factory.mktemp("repository") / "handbook"))
    result = run_handbook("build", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    yield root / "site"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The shipped handbook, built once by `handbook build`; yields the site folder."""
    root = copy_project(tmp_path_factory.mktemp("built") / "handbook")
    result = run_handbook("build", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    yield root / "site"


def site_with_search(root: Path, search: str) -> Path:
    """The shipped handbook copied to `root` and built with `search` (the `handbook` plugin's
    search options, as YAML lines) in place of `search: auto`; returns the site folder."""
    copy_project(root)
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert text.count("search: auto") == 1
    config.write_text(text.replace("search: auto", search), encoding="utf-8")
    result = run_handbook("build", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


@pytest.fixture(scope="session")
def pagefind_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The shipped handbook built with `search: pagefind`, as large handbooks are by default."""
    yield site_with_search(tmp_path_factory.mktemp("pagefind") / "handbook", "search: pagefind")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright, shared by every browser test."""
    from browser import chromium

    with chromium() as b:
        yield b


@pytest.fixture(scope="session")
def partner_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The shipped handbook's partner handbook, built once by `handbook build --audience
    partners`; yields the handbook's folder (the site is in site-partners/)."""
    root = with_repository(copy_project(tmp_path_factory.mktemp("partners") / "handbook"))
    result = run_handbook("build", "--audience", "partners", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "leak check:" in result.stdout and "none found" in result.stdout
    yield root


def differing_files(left: Path, right: Path) -> list[str]:
    """Files that differ between two folders, or are in one only (paths relative to them)."""
    found: list[str] = []

    def walk(cmp: filecmp.dircmp[str], where: str) -> None:
        found.extend(f"{where}{name} (only one side)" for name in cmp.left_only + cmp.right_only)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        found.extend(f"{where}{name}" for name in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{where}{name}/")

    walk(filecmp.dircmp(left, right), "")
    return found
