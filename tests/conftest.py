"""Shared fixtures: copies of the real handbook in temporary folders, and a built site."""

from __future__ import annotations

import os
import shutil
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
    for name in parts:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        else:
            shutil.copy2(src, dest / name)
    return dest


def run_handbook(
    *args: str, cwd: Path, check: bool = False, today: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real CLI in a subprocess, as a contributor would; `today` fixes the clock."""
    env = {**os.environ, "HANDBOOK_TODAY": today} if today else None
    return subprocess.run(
        [*HANDBOOK, *args], cwd=cwd, capture_output=True, text=True, check=check, timeout=300, env=env
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "handbook")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The shipped handbook, built once by `handbook build`; yields the site folder."""
    root = copy_project(tmp_path_factory.mktemp("built") / "handbook")
    result = run_handbook("build", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    yield root / "site"


@pytest.fixture(scope="session")
def pagefind_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The shipped handbook built with `search: pagefind`, as large handbooks are by default."""
    root = copy_project(tmp_path_factory.mktemp("pagefind") / "handbook")
    config = root / "mkdocs.yml"
    text = config.read_text()
    assert text.count("search: auto") == 1
    config.write_text(text.replace("search: auto", "search: pagefind"))
    result = run_handbook("build", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    yield root / "site"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright, shared by every browser test."""
    from browser import chromium

    with chromium() as b:
        yield b
