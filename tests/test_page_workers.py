"""`handbook build` reads and renders a large site's pages in a worker process per core
(generator/page_workers.py). The site must be the one a single process builds, byte for byte,
from the same template contexts; MkDocs' checks across pages see every page, and print the
same messages in the same order; a worker's failure is the build's failure, reported once; an
interrupted build leaves neither a half-written site nor a worker behind; an MkDocs release
the workers were not tested with is refused, and a single process builds on any."""

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

import mkdocs
import pytest
from conftest import ENGINE, HANDBOOK, differing_files, run_handbook
from mkdocs.config import load_config
from mkdocs.structure.files import get_files

from generator import page_workers
from generator.cli import main
from generator.page_workers import MKDOCS_RELEASES, PAGES_PER_WORKER

sys.path.insert(0, str(ENGINE / "bench"))
from synth import write_handbook

PLAYBOOKS = 2 * PAGES_PER_WORKER + 20  # enough pages for two workers
# What a page's template context holds of the other pages, in every page's head: the number of
# pages, of those whose Markdown has been read, and of characters in their titles.
CONTEXT_BLOCK = (
    "{% block extrahead %}{{ super() }}<!-- pages: {{ pages | length }}, "
    "read: {{ pages | selectattr('page.markdown') | list | length }}, "
    "titles: {{ pages | map(attribute='page.title') | join('|') | length }} -->{% endblock %}\n"
)
CONTEXT_SHOWN = re.compile(r"<!-- pages: (\d+), read: (\d+), titles: (\d+) -->")


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
    template = root / "theme_overrides" / "main.html"  # the synthetic handbook's own, from the starter
    template.write_text(template.read_text(encoding="utf-8") + CONTEXT_BLOCK, encoding="utf-8")
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
    # Every process's template context has every page, as a single process's has: the home
    # page is rendered here, "about" by the worker.
    here, worker = (
        CONTEXT_SHOWN.findall((site / path).read_text(encoding="utf-8"))
        for path in ("index.html", "about/index.html")
    )
    assert here == worker and [shown[:2] for shown in here] == [(str(len(pages)), str(len(pages)))]


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


def _write_linking_pages(root: Path, *, fixed: bool) -> None:
    """Six hand-written pages, each linking a section of the next (the last of the first), a
    section of its own and the home page: sections they lack, by an absolute link (which MkDocs
    warns about as it renders the page), unless `fixed`."""
    for number in range(1, 7):
        after = number % 6 + 1
        theirs, own = (f"section-{after}", f"section-{number}") if fixed else (f"lost-{after}", "lost")
        (root / "content" / f"linking-{number}.md").write_text(
            f"# Linking {number}\n\n## Section {number}\n\n"
            f"See [the next page](linking-{after}.md#{theirs}), [this section](#{own}) "
            f"and [the home page]({'' if fixed else '/'}index.md).\n",
            encoding="utf-8",
        )


def _messages(stderr: str) -> list[str]:
    """What a build printed, but for what differs by nature: its folder and its processes."""
    varying = ("Building documentation to directory", "Reading and rendering")
    return [
        line for line in stderr.splitlines() if not line.startswith(tuple(f"INFO    -  {v}" for v in varying))
    ]


def test_links_to_anchors_are_checked_across_every_process(handbook_in_two: Path, tmp_path: Path) -> None:
    """Links to anchors that are not there, from pages rendered here to the worker's and the
    other way: the build in two processes fails as the build in one, with the same messages
    in the same order; fixed, it passes."""
    results = {}
    for processes in (1, 2):
        root = tmp_path / f"in-{processes}"
        shutil.copytree(handbook_in_two, root, ignore=shutil.ignore_patterns("site", "build"))
        _with_workers(root, processes)
        _write_linking_pages(root, fixed=False)
        results[processes] = run_handbook("build", "--verbose", cwd=root)
        assert results[processes].returncode == 1, results[processes].stderr
        assert _processes(results[processes].stderr) == processes
    order = _pages_in_order(root)
    assert {order.index(f"linking-{number}.md") % 2 for number in range(1, 7)} == {0, 1}  # both processes'

    serial, parallel = (_messages(results[processes].stderr) for processes in (1, 2))
    assert parallel == serial
    absolute = [line for line in serial if "contains an absolute link" in line]
    assert [line.split("'")[1] for line in absolute] == [f"linking-{number}.md" for number in range(1, 7)]
    linking = [line for line in serial if "contains a link" in line]
    for number in range(1, 7):
        after = number % 6 + 1
        assert (
            f"WARNING -  Doc file 'linking-{number}.md' contains a link 'linking-{after}.md#lost-{after}', "
            f"but the doc 'linking-{after}.md' does not contain an anchor '#lost-{after}'."
        ) in linking
        assert (
            f"WARNING -  Doc file 'linking-{number}.md' contains a link '#lost', "
            "but there is no such anchor on this page."
        ) in linking
    assert len(linking) == 12 and "error: Aborted with 18 warnings in strict mode!" in serial

    _write_linking_pages(root, fixed=True)
    fixed = run_handbook("build", "--verbose", cwd=root)
    assert fixed.returncode == 0, fixed.stderr
    assert _processes(fixed.stderr) == 2
    assert "WARNING" not in fixed.stderr


def test_an_untested_mkdocs_is_refused_and_builds_in_one_process(
    handbook_in_two: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Page workers follow MkDocs' own build: on another MkDocs release they refuse, saying
    which release is installed, which are tested and what to do; one process builds."""
    root = tmp_path / "untested"
    shutil.copytree(handbook_in_two, root, ignore=shutil.ignore_patterns("site", "build"))
    monkeypatch.setattr(mkdocs, "__version__", "9.0.0")
    # In a test run with a browser open, this process has threads, and would never fork: the
    # refusal comes before any fork, so pretend it has none.
    monkeypatch.setattr(page_workers.threading, "active_count", lambda: 1)

    assert main(["--root", str(root), "build", "--verbose"]) == 1
    printed = capsys.readouterr().err
    assert _processes(printed) == 2
    tested = " and ".join(MKDOCS_RELEASES)
    assert "MkDocs 9.0.0 is installed; page workers use MkDocs' own build functions" in printed
    assert f"are tested with MkDocs {tested} only" in printed
    assert "Set `page_workers: 1` under `- handbook:` in mkdocs.yml" in printed
    assert not (root / "site").exists()

    _with_workers(root, 1)
    assert main(["--root", str(root), "build", "--verbose"]) == 0, capsys.readouterr().err
    assert _processes(capsys.readouterr().err) == 1
    assert (root / "site" / "about" / "index.html").is_file()
