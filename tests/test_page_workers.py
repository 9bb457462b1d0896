"""`handbook build` reads and renders a large site's pages in a worker process per core
(generator/page_workers.py). The site must be the one a single process builds, byte for byte;
a worker's failure is the build's failure, reported once; an interrupted build leaves neither
a half-written site nor a worker behind."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ENGINE, HANDBOOK, differing_files, run_handbook
from mkdocs.config import load_config
from mkdocs.structure.files import get_files

from generator.page_workers import PAGES_PER_WORKER

sys.path.insert(0, str(ENGINE / "bench"))
from synth import write_handbook

PLAYBOOKS = 2 * PAGES_PER_WORKER + 20  # enough pages for two workers


def _with_workers(root: Path, count: int) -> None:
    config = root / "mkdocs.yml"
    text = re.sub(r"(?m)^      page_workers: .*\n", "", config.read_text(encoding="utf-8"))
    text, found = re.subn(r"(?m)^(  - handbook:.*)$", rf"\1\n      page_workers: {count}", text, count=1)
    assert found == 1
    config.write_text(text, encoding="utf-8")


def _processes(stderr: str) -> int:
    match = re.search(r"Reading and rendering \d+ pages in (\d+) process", stderr)
    assert match, stderr
    return int(match.group(1))


@pytest.fixture(scope="module")
def handbook_in_two(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("workers")
    write_handbook(None, root, pages=PLAYBOOKS, per_page=3)
    (root / "content" / "about.md").write_text(
        "# About this handbook\n\n## Who keeps it\n\nThe vendor management office keeps it current.\n",
        encoding="utf-8",
    )
    _with_workers(root, 2)
    return root


def test_a_build_in_two_processes_is_the_build_in_one(handbook_in_two: Path, tmp_path: Path) -> None:
    one = tmp_path / "one"
    shutil.copytree(handbook_in_two, one, ignore=shutil.ignore_patterns("site", "build"))
    _with_workers(one, 1)

    parallel = run_handbook("build", "--verbose", cwd=handbook_in_two, check=True)
    serial = run_handbook("build", "--verbose", cwd=one, check=True)

    assert _processes(parallel.stderr) == 2
    assert _processes(serial.stderr) == 1
    assert "WARNING" not in parallel.stderr
    site = handbook_in_two / "site"
    assert len(list(site.rglob("*.html"))) > PLAYBOOKS
    assert differing_files(site, one / "site") == []
    # The hand-written pages' sections become search documents in the process that renders
    # them; the worker's reach the index too.
    pages = _pages_in_order(handbook_in_two)
    assert pages.index("about.md") % 2 == 1  # a page the worker renders
    index = json.loads((site / "search" / "index.json").read_text(encoding="utf-8"))
    locations = {doc["u"] for doc in index["docs"]}
    assert {"", "about/#who-keeps-it"} <= locations and "tags/" not in locations  # tags: search exclude


def _pages_in_order(root: Path) -> list[str]:
    """The pages in MkDocs' order: they are dealt out in turn, the first to the build's own
    process, the second to the worker."""
    config = load_config(str(root / "mkdocs.yml"), docs_dir=str(root / "build" / "docs"))
    return [file.src_uri for file in get_files(config).documentation_pages()]


@pytest.mark.parametrize("processes", [2, 1])
def test_a_failing_page_fails_the_build_once_and_keeps_the_last_site(
    handbook_in_two: Path, tmp_path: Path, processes: int
) -> None:
    """A theme override that fails on one page (rendered by the worker when there is one):
    exit 1, MkDocs' message naming the page once, no traceback, the last site untouched."""
    root = tmp_path / "failing"
    shutil.copytree(handbook_in_two, root)
    _with_workers(root, processes)
    if not (root / "site" / "index.html").is_file():
        run_handbook("build", cwd=root, check=True)
    before = {p: p.read_bytes() for p in (root / "site").rglob("*.html") if p.stat().st_size < 200_000}
    page = _pages_in_order(root)[1]
    template = root / "theme_overrides" / "main.html"  # the synthetic handbook's own, from the starter
    own = template.read_text(encoding="utf-8")
    assert '{% extends "handbook/main.html" %}' in own
    template.write_text(
        own
        + "\n{% block footer %}{{ super() }}"
        + f'{{% if page and page.file.src_uri == "{page}" %}}'
        + "{{ page.no_such_field.fails_here }}{% endif %}"
        + "{% endblock %}\n",
        encoding="utf-8",
    )

    result = run_handbook("build", "--verbose", cwd=root)

    assert result.returncode == 1, result.stderr
    assert _processes(result.stderr) == processes
    assert result.stderr.count(f"Error building page '{page}'") == 1, result.stderr
    assert "no_such_field" in result.stderr
    assert "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in before} == before  # the last good site, as it was
    assert not [p.name for p in root.iterdir() if p.name.startswith("site-")]  # no half-written site


def _running_in(root: Path) -> list[int]:
    """Processes whose working folder is `root`: the build and its workers."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.readlink(entry / "cwd") == str(root):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def test_an_interrupted_build_leaves_no_site_and_no_worker(handbook_in_two: Path, tmp_path: Path) -> None:
    root = tmp_path / "interrupted"
    shutil.copytree(handbook_in_two, root, ignore=shutil.ignore_patterns("site", "build"))
    build = subprocess.Popen([*HANDBOOK, "build"], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(_running_in(root)) < 2:  # the workers have started
            time.sleep(0.05)
        assert len(_running_in(root)) >= 2, "no worker started"
        time.sleep(1)
        build.send_signal(signal.SIGTERM)
        build.communicate(timeout=60)
    finally:
        build.kill()
    assert build.returncode == 128 + int(signal.SIGTERM)
    deadline = time.monotonic() + 10
    while _running_in(root) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _running_in(root) == []
    assert not (root / "site").exists()
    assert not [p.name for p in root.iterdir() if p.name.startswith("site-")]
