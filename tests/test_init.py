"""`handbook init` as an adopter meets it: the engine built into a wheel, installed with its
dependencies into a fresh virtual environment outside this repository, writes a new handbook
that checks clean and builds both handbooks, each with a working search box in Chromium."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from browser import static_server
from conftest import ENGINE

from generator import __version__
from generator.kinds import built_in_kinds
from generator.starter import write_starter

SETTLED = """(query) => {
  const panel = document.querySelector('[data-hb-search-query]');
  return panel && panel.getAttribute('data-hb-search-query') === query
    && panel.getAttribute('aria-busy') !== 'true';
}"""


def _run(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command], cwd=cwd, capture_output=True, text=True, timeout=600
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The engine's wheel, built from this repository as `pip install .` builds it."""
    out = tmp_path_factory.mktemp("wheel")
    result = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", out, ENGINE, cwd=out)
    assert result.returncode == 0, result.stdout + result.stderr
    (found,) = out.glob("partner_handbook-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel and its dependencies (at the versions of
    constraints.txt, as CI tests them); returns its bin/ folder."""
    venv = tmp_path_factory.mktemp("adopter") / "venv"
    assert _run(sys.executable, "-m", "venv", venv, cwd=venv.parent).returncode == 0
    pip = [venv / "bin" / "python", "-m", "pip", "install", "-q", "-c", ENGINE / "constraints.txt", wheel]
    result = _run(*pip, cwd=venv.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    return venv / "bin"


@pytest.fixture(scope="module")
def started(installed: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`handbook init` from the installed wheel, in a folder of its own; returns the handbook."""
    work = tmp_path_factory.mktemp("new-handbook")
    result = _run(installed / "handbook", "init", "handbook", cwd=work)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "wrote a new handbook" in result.stdout
    return work / "handbook"


def test_the_wheel_holds_the_engine_and_none_of_this_repository_s_handbook(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for needed in (
        "generator/assets/search/box.js",
        "generator/assets/engagements.js",
        "generator/assets/handbook.css",
        "generator/theme/handbook/main.html",
        "generator/templates/_playbook.md.j2",
        "generator/starter_handbook/mkdocs.yml",
        "generator/starter_handbook/.github/workflows/pull-request.yml",
        "generator/starter_handbook/.pre-commit-config.yaml",
    ):
        assert needed in names, needed
    assert not [n for n in names if n.split("/")[0] in ("playbooks", "content", "tests", "bench")]


def test_the_installed_engine_runs_from_the_environment_not_this_repository(installed: Path) -> None:
    result = _run(installed / "python", "-c", "import generator; print(generator.__file__)", cwd=installed)
    assert "site-packages" in result.stdout and str(ENGINE) not in result.stdout, result.stdout
    version = _run(installed / "handbook", "--version", cwd=installed)
    assert version.stdout.strip() == f"handbook {__version__}"


def test_a_new_handbook_has_a_playbook_of_each_kind_its_settings_guide_and_ci(started: Path) -> None:
    kinds = {yaml.safe_load(p.read_text())["kind"] for p in (started / "playbooks").rglob("*.yaml")}
    assert kinds == set(built_in_kinds())
    for name in (
        "mkdocs.yml",
        "owners.yaml",
        "search.yaml",
        "README.md",
        "CONTRIBUTING.md",
        ".gitignore",
        ".pre-commit-config.yaml",
        ".github/workflows/pull-request.yml",
        ".github/workflows/publish.yml",
        ".gitlab-ci.yml",
        "content/index.md",
        "content/index.partners.md",
        "theme_overrides/main.html",
        # written by init: the derived files a handbook commits
        "published-urls.txt",
        "published-urls-partners.txt",
        ".github/CODEOWNERS",
        "schemas/faq.schema.json",
    ):
        assert (started / name).is_file(), name
    requirements = (started / "requirements.txt").read_text(encoding="utf-8")
    assert f"partner-handbook=={__version__}" in requirements


def test_a_new_handbook_checks_clean_and_builds_both_handbooks(installed: Path, started: Path) -> None:
    check = _run(installed / "handbook", "check", "--audience", "partners", cwd=started)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "no problems" in check.stdout and "warning" not in check.stdout + check.stderr
    assert "leak check:" in check.stderr and "none found" in check.stderr
    build = _run(installed / "handbook", "build", "--audience", "all", cwd=started)
    assert build.returncode == 0, build.stdout + build.stderr
    for site in ("site", "site-partners"):
        assert (started / site / "assets" / "search" / "box.js").is_file(), site
        assert (started / site / "search" / "index.json").is_file(), site
        home = (started / site / "index.html").read_text(encoding="utf-8")
        assert "assets/search/box.js" in home and "assets/handbook.css" in home, site


def _first_result(page: Any, query: str) -> list[str]:
    box = page.locator("#hb-search-input")
    box.click()
    box.press_sequentially(query, delay=15)
    page.wait_for_function(SETTLED, arg=query, timeout=30_000)
    return list(page.eval_on_selector_all("#hb-search-results a.hb-search__link", "a => a.map(x => x.href)"))


@pytest.mark.parametrize("site", ["site", "site-partners"])
def test_the_new_handbook_s_search_box_finds_an_entry(
    browser: Any, installed: Path, started: Path, site: str
) -> None:
    """Both sites of the handbook `init` wrote, built by the installed engine: typing the
    words of a shared question brings it up among the first results, linked to its anchor."""
    if not (started / site / "index.html").is_file():
        assert _run(installed / "handbook", "build", "--audience", "all", cwd=started).returncode == 0
    links = json.loads((started / site / "links.json").read_text(encoding="utf-8"))
    with static_server(started / site, prefix="/handbook/") as base:
        page = browser.new_page()
        try:
            page.goto(base)
            found = _first_result(page, "problem not getting solved")
        finally:
            page.close()
    assert found, "no result"
    assert any(href.endswith(links["faq-escalate"]) for href in found[:3]), found


def test_init_refuses_a_folder_that_is_not_empty_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "existing"
    target.mkdir()
    (target / "notes.md").write_text("mine\n", encoding="utf-8")
    result = _run(sys.executable, "-m", "generator.cli", "init", target, cwd=tmp_path)
    assert result.returncode == 1
    assert "exists and is not an empty folder; nothing was written" in result.stderr
    assert sorted(p.name for p in target.iterdir()) == ["notes.md"]


def test_a_new_handbook_starts_reviewed_today(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HANDBOOK_TODAY", "2027-03-04")
    write_starter(tmp_path / "handbook")
    dates = {
        yaml.safe_load(p.read_text())["last_reviewed"]
        for p in (tmp_path / "handbook" / "playbooks").rglob("*.yaml")
    }
    assert {str(date) for date in dates} == {"2027-03-04"}
