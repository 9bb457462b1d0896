"""Shared fixtures: handbooks made for the tests, in temporary folders, and sites built from them.

The engine is tested on handbooks of its own, never on the one this repository ships: an
organisation that edits `playbooks/`, `content/` or `mkdocs.yml` (or deletes them) keeps these
tests green. Each test starts from the starter that `handbook init` writes, or from a fixture
handbook in `tests/handbooks/NAME/` laid over it (a folder or file of the fixture replaces the
starter's). A guard fails any test that opens a file of the shipped handbook.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator import derived, pipeline
from generator.pipeline import Project
from generator.starter import write_starter

ENGINE = Path(__file__).resolve().parent.parent  # the engine's repository: README, Makefile, generator/
FIXTURES = ENGINE / "tests" / "handbooks"
HANDBOOK = [sys.executable, "-m", "generator.cli"]
# Every test runs on a fixed clock (review dates, overdue banners): the CLI in subprocesses too.
TODAY = "2026-12-01"
os.environ["HANDBOOK_TODAY"] = TODAY

# The handbook this repository ships: content and settings an organisation replaces. No test
# reads them (`_no_shipped_handbook`); the engine's own files (README, Makefile, CI) are fine.
SHIPPED = tuple(
    ENGINE / name
    for name in (
        "playbooks",
        "content",
        "kinds",
        "theme_overrides",
        "schemas",
        ".vscode",
        "mkdocs.yml",
        "owners.yaml",
        "search.yaml",
        "coverage.yaml",
        "published-urls.txt",
        "published-urls-partners.txt",
        "CONTRIBUTING.md",
        ".github/CODEOWNERS",
    )
)
_opened_shipped: list[str] = []


def _shipped(path: str) -> bool:
    absolute = Path(os.path.abspath(path))
    return any(absolute == part or part in absolute.parents for part in SHIPPED)


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event == "open" and isinstance(args[0], (str, os.PathLike)) and _shipped(os.fspath(args[0])):
        _opened_shipped.append(os.fspath(args[0]))


sys.addaudithook(_audit)


@pytest.fixture(autouse=True)
def _no_shipped_handbook() -> Iterator[None]:
    """An engine test that reads the shipped handbook would turn red on an organisation's edit."""
    _opened_shipped.clear()
    yield
    if _opened_shipped:
        found = sorted(set(_opened_shipped))
        _opened_shipped.clear()
        pytest.fail(f"the test read the shipped handbook, not a fixture handbook: {found[:3]}")


# --- handbooks -------------------------------------------------------------------------------


def fresh_derived_files(root: Path) -> None:
    """Write the handbook's derived files (URL manifests, CODEOWNERS, schemas), as `handbook
    fix` would; a handbook with problems is left as it is, for the test to see them."""
    project = Project(root)
    handbook, problems = pipeline.check_sources(project)
    if not problems:
        derived.fix(pipeline.derived_files(project, handbook), handbook)


@pytest.fixture(scope="session")
def _starter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("starter") / "handbook"
    write_starter(root)
    fresh_derived_files(root)
    return root


def new_handbook(dest: Path, fixture: str | None = None, *, starter: Path | None = None) -> Path:
    """A handbook in `dest`: the starter, with `tests/handbooks/FIXTURE/` laid over it (each of
    its top-level folders and files replaces the starter's), its derived files current."""
    if starter is not None:
        shutil.copytree(starter, dest, ignore=shutil.ignore_patterns("build", "site", "site-partners"))
        if fixture is None:
            return dest
    else:
        write_starter(dest)
    if fixture is not None:
        source = FIXTURES / fixture
        assert source.is_dir(), f"no fixture handbook {source}"
        for item in sorted(source.iterdir()):
            target = dest / item.name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
            if item.is_dir():
                shutil.copytree(item, target)
            else:
                shutil.copy2(item, target)
        for manifest in ("published-urls.txt", "published-urls-partners.txt"):
            if not (source / manifest).exists() and (dest / manifest).exists():
                (dest / manifest).unlink()  # the starter's URLs are not the fixture's
    fresh_derived_files(dest)
    return dest


@pytest.fixture
def handbook(tmp_path: Path, _starter: Path) -> Path:
    """A copy of the starter handbook, derived files current: edit it freely."""
    return new_handbook(tmp_path / "handbook", starter=_starter)


@pytest.fixture
def starter_copy(tmp_path: Path, _starter: Path) -> Path:
    """The same as `handbook`, for test modules that define their own `handbook` fixture."""
    return new_handbook(tmp_path / "starter", starter=_starter)


def run_handbook(
    *args: str, cwd: Path, check: bool = False, today: str | None = None, timeout: int = 300
) -> subprocess.CompletedProcess[str]:
    """Run the real CLI in a subprocess, as a contributor would; `today` fixes the clock."""
    assert Path(cwd).resolve() != ENGINE, "run the CLI on a fixture handbook, not the shipped one"
    assert str(ENGINE) not in args, "run the CLI on a fixture handbook, not the shipped one"
    env = {**os.environ, "HANDBOOK_TODAY": today} if today else None
    return subprocess.run(
        [*HANDBOOK, *args], cwd=cwd, capture_output=True, text=True, check=check, timeout=timeout, env=env
    )


def built(root: Path, *args: str) -> Path:
    """`handbook build ARGS` in `root`, which must succeed; returns `root`."""
    result = run_handbook("build", *args, cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def ctrl_c_works() -> None:
    """A child's Ctrl-C as a terminal gives it, even when this run was started in the background
    (where a shell ignores SIGINT, and Python children then ignore it too): for
    `subprocess.Popen(..., preexec_fn=ctrl_c_works)` in tests that send SIGINT."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


# A repository as an organisation configures one (`repo_url` is left out of the starter's
# mkdocs.yml): a forge Material asks no API of, on a private-use domain.
REPOSITORY = "https://git.acme.internal/handbook/partner-handbook"


def with_repository(root: Path) -> Path:
    """Point the handbook in `root` at REPOSITORY: edit buttons, the header's link and "ask the
    owners" in the search box appear."""
    config = root / "mkdocs.yml"
    with config.open("a", encoding="utf-8") as out:
        out.write(f"\nrepo_url: {REPOSITORY}\nrepo_name: partner-handbook\nedit_uri: edit/main/\n")
    return root


def with_plugin_options(root: Path, options: str) -> Path:
    """The handbook's `handbook` plugin options with `options` (YAML lines at the options'
    indentation, such as "search: pagefind") in place of `search: auto`."""
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert text.count("search: auto") == 1
    indent = " " * 6
    config.write_text(text.replace("search: auto", options.replace("\n", "\n" + indent)), encoding="utf-8")
    return root


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


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright, shared by every browser test."""
    from browser import chromium

    with chromium() as b:
        yield b


@pytest.fixture(scope="session")
def starter_site(tmp_path_factory: pytest.TempPathFactory, _starter: Path) -> Path:
    """The starter handbook built once by `handbook build`; returns the handbook's folder (the
    site is in site/)."""
    return built(new_handbook(tmp_path_factory.mktemp("built") / "handbook", starter=_starter))


@pytest.fixture(scope="session")
def repository_site(tmp_path_factory: pytest.TempPathFactory, _starter: Path) -> Path:
    """The starter with a repository configured, built once; returns the handbook's folder."""
    root = new_handbook(tmp_path_factory.mktemp("repository") / "handbook", starter=_starter)
    return built(with_repository(root))


@pytest.fixture(scope="session")
def partner_site(tmp_path_factory: pytest.TempPathFactory, _starter: Path) -> Path:
    """The starter's partner handbook (with a repository configured, which it must not show),
    built once by `handbook build --audience partners`; returns the handbook's folder (the site
    is in site-partners/)."""
    root = with_repository(new_handbook(tmp_path_factory.mktemp("partners") / "handbook", starter=_starter))
    result = run_handbook("build", "--audience", "partners", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "leak check:" in result.stdout and "none found" in result.stdout
    return root


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
