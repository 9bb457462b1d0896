"""Hardening: every bad input in tests/corpus/ gets its exact PATH:LINE:COL message, fast and in
bounded memory; markup never reaches the page; an interrupted build loses nothing.

Each corpus case is one YAML file, checked beside a valid companion playbook in a fresh
project by the real CLI in a subprocess limited to 1 GiB of memory and 20 seconds. Its
expected output is in CASE.expected (set UPDATE_CORPUS=1 to rewrite them, then review).
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import HANDBOOK, ctrl_c_works, new_handbook, run_handbook

from generator import safety, validate
from generator.pipeline import Project
from generator.site import SiteError, build_site

CORPUS = Path(__file__).parent / "corpus"
FAQ = "playbooks/faq.yaml"  # the starter's FAQ
CASES = sorted(CORPUS.glob("*.yaml"))
MEMORY_LIMIT = 1 << 30  # bytes of address space for one `handbook check`
TIME_LIMIT = 20  # seconds; every case takes well under one


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _check_alone(
    case: Path | None, tmp_path: Path, name: str, data: bytes | None = None
) -> tuple[str, str, int]:
    project = tmp_path / "project"
    (project / "playbooks").mkdir(parents=True)
    shutil.copy(CORPUS / "_companion" / "companion.yaml", project / "playbooks")
    target = project / "playbooks" / name
    if case is not None:
        shutil.copy(case, target)
    else:
        assert data is not None
        target.write_bytes(data)
    result = subprocess.run(
        [*HANDBOOK, "--root", str(project), "check"],
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT,
        preexec_fn=_limit_memory,
    )
    return result.stdout, result.stderr, result.returncode


def _assert_reported(stdout: str, stderr: str, code: int, name: str) -> None:
    assert code == 1, stdout + stderr
    assert "Traceback" not in stdout + stderr
    assert stdout, "no problem reported"
    case = re.escape(f"playbooks/{name}")
    for line in stdout.splitlines():  # about the case; in the companion only to name the case too
        assert re.fullmatch(rf"{case}:\d+:\d+: error: .+", line) or re.fullmatch(
            rf"playbooks/companion\.yaml:\d+:\d+: error: .+ at {case}:\d+:\d+", line
        ), line


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_corpus_case_reports_its_message(case: Path, tmp_path: Path) -> None:
    stdout, stderr, code = _check_alone(case, tmp_path, case.name)
    _assert_reported(stdout, stderr, code, case.name)
    expected = case.with_suffix(".expected")
    if os.environ.get("UPDATE_CORPUS"):
        expected.write_text(stdout, encoding="utf-8")
    assert stdout == expected.read_text(encoding="utf-8")


def test_a_20_mb_file_is_refused_quickly(tmp_path: Path) -> None:
    question = (
        "      - id: q{0}\n        question: Question {0}?\n        answer: An answer of a few words.\n"
    )
    head = (CORPUS / "_companion" / "companion.yaml").read_text().replace("companion", "big")
    body = "".join(question.format(i) for i in range(20 * 2**20 // len(question.format(99999)) + 1))
    data = (head + body).encode()
    assert len(data) >= 20 * 2**20
    start = time.monotonic()
    stdout, stderr, code = _check_alone(None, tmp_path, "big.yaml", data)
    _assert_reported(stdout, stderr, code, "big.yaml")
    assert re.fullmatch(
        r"playbooks/big\.yaml:1:1: error: file is 20\.\d MB; a playbook may be at most 5 MB: split it up\n",
        stdout,
    )
    assert time.monotonic() - start < TIME_LIMIT


@pytest.mark.parametrize("depth", [100_000, 1_000_000])
def test_extreme_nesting_is_reported_not_crashed_on(depth: int, tmp_path: Path) -> None:
    data = b"id: deep\nvalue: " + b"[" * depth + b"]" * depth + b"\n"
    stdout, stderr, code = _check_alone(None, tmp_path, "deep.yaml", data)
    _assert_reported(stdout, stderr, code, "deep.yaml")
    assert "nesting is deeper than 64 levels" in stdout


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "java%09script:alert(1)",
        "&#106;avascript:alert(1)",
        "data:text/html,<script>",
        "vbscript:msgbox",
        "file:///etc/passwd",
    ],
)
def test_unsafe_urls_are_recognised(url: str) -> None:
    assert safety.unsafe_url(url)


@pytest.mark.parametrize(
    "url", ["https://example.org/a?b=c#d", "HTTP://x", "mailto:a@example.org", "../faq/", "#a"]
)
def test_safe_urls_are_accepted(url: str) -> None:
    assert not safety.unsafe_url(url)


def test_rendered_html_guard_finds_what_validation_would_miss() -> None:
    findings = safety.unsafe_html(
        '<p>x</p><script>1</script><img src="x" onerror="y"><a href="java&#9;script:z">a</a>'
        '<iframe src="https://e.org"></iframe><input type="checkbox" disabled>'
    )
    assert findings == [
        "<script> element",
        "'onerror' attribute on <img>",
        "unsafe URL in 'href' of <a>: java\tscript:z",
        "<iframe> element",
    ]


def test_rendered_html_guard_stops_the_build_if_validation_is_bypassed(
    handbook: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """Belt and braces: even with the Markdown check switched off, no script reaches site/."""
    assert run_handbook("build", cwd=handbook).returncode == 0
    before = sorted(p.read_bytes() for p in (handbook / "site").rglob("*.html"))
    faq = handbook / FAQ
    text = faq.read_text()
    assert "        answer: |\n" in text
    faq.write_text(
        text.replace("        answer: |\n", "        answer: |\n          <script>alert(1)</script>\n", 1)
    )
    monkeypatch.setattr(validate, "unsafe_markup", lambda text: None)
    with pytest.raises(SiteError):
        build_site(Project(handbook))
    assert f"{FAQ}: unsafe HTML in the rendered page: <script> element" in capfd.readouterr().err
    assert sorted(p.read_bytes() for p in (handbook / "site").rglob("*.html")) == before


def _digest(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_build_keeps_the_previous_site(handbook: Path, sig: int, code: int) -> None:
    assert run_handbook("build", cwd=handbook).returncode == 0
    before = _digest(handbook / "site")
    faq = handbook / FAQ
    text = faq.read_text()
    assert "\ntitle: Questions and answers\n" in text
    faq.write_text(text.replace("\ntitle: Questions and answers\n", "\ntitle: Changed FAQ\n", 1))
    build = subprocess.Popen(
        [*HANDBOOK, "build"],
        cwd=handbook,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=ctrl_c_works,
    )
    deadline = time.monotonic() + 30
    while not list((handbook / "build").glob("site-*")):  # the staging folder: MkDocs is building
        assert build.poll() is None, "the build ended before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(0.3)
    build.send_signal(sig)
    stdout, stderr = build.communicate(timeout=60)
    assert build.returncode == code, stdout + stderr
    assert "Traceback" not in stderr and "left as they were" in stderr
    assert _digest(handbook / "site") == before
    assert not list((handbook / "build").glob("site-*"))


def test_a_build_cut_short_mid_swap_is_recovered(handbook: Path) -> None:
    assert run_handbook("build", cwd=handbook).returncode == 0
    before = _digest(handbook / "site")
    (handbook / "site").rename(handbook / ".site-old")  # as if killed between the two renames
    (handbook / "build" / "site-stale").mkdir()  # a staging folder left by SIGKILL
    faq = handbook / FAQ
    faq.write_text(faq.read_text() + "\nbroken: [\n")
    assert run_handbook("build", cwd=handbook).returncode == 1
    assert _digest(handbook / "site") == before
    assert not (handbook / "build" / "site-stale").exists()


def test_no_id_or_file_name_writes_outside_the_build_folder(tmp_path: Path) -> None:
    root = new_handbook(tmp_path / "handbook")
    nested = root / "playbooks" / ".." / "playbooks" / "sub dir"
    nested.mkdir()
    shutil.copy(CORPUS / "id-dot-dot.yaml", nested / "x.yaml")
    result = run_handbook("build", cwd=root)
    assert result.returncode == 1 and "'../outside' is not a valid id" in result.stdout + result.stderr
    assert not (tmp_path / "outside").exists() and not (root / "outside.md").exists()


@pytest.mark.parametrize("path", ["../escape.md", "a/../../escape.md", "/tmp/escape.md", "."])
def test_the_writer_refuses_paths_outside_the_build_folder(tmp_path: Path, path: str) -> None:
    from generator.write import Output, UnsafeOutputPath, write_outputs

    build = tmp_path / "build" / "docs"
    with pytest.raises(UnsafeOutputPath):
        write_outputs(build, [Output(path, b"x")])
    assert not (tmp_path / "build" / "escape.md").exists() and not (tmp_path / "escape.md").exists()


def test_a_symlink_out_of_the_build_folder_is_not_followed(tmp_path: Path) -> None:
    from generator.write import Output, UnsafeOutputPath, write_outputs

    build = tmp_path / "build" / "docs"
    build.mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (build / "faq").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UnsafeOutputPath):
        write_outputs(build, [Output("faq/page.md", b"x")])
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize(
    "text",
    [
        "title: !!binary aGVsbG8=",
        "title: !include x",
        "a: !!set {x}",
        "a: !!python/object:os.system x",
        "a: [!x 1]",
        "a: !!omap []",
        "a: &x 1\nb: *x",
        "a: 1\na: 2",
        "<<: {a: 1}",
        "? [a]\n: 1",
    ],
)
def test_the_fast_loader_hands_anything_unusual_to_the_careful_one(text: str) -> None:
    """Speed must not weaken the rules: each of these is reported with its position."""
    from generator.load import load_text

    _, problems = load_text("id: x\n" + text + "\n", Path("playbooks/x.yaml"), "playbooks/x.yaml")
    assert problems, text
    assert all(p.line >= 2 for p in problems)
