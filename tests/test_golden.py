"""Golden tests: each playbook in golden/playbooks beside the Markdown it must render to.

Set UPDATE_GOLDEN=1 to rewrite golden/expected after an intended template change, then
review the diff like any other change.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator.pipeline import Project, generate

GOLDEN = Path(__file__).parent / "golden"
EXPECTED = GOLDEN / "expected"
GOLDEN_TODAY = "2026-07-01"


def _generated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("HANDBOOK_TODAY", GOLDEN_TODAY)  # review dates and banners are fixed
    root = tmp_path / "golden"
    shutil.copytree(GOLDEN / "playbooks", root / "playbooks")
    project = Project(root)
    generate(project)
    return {
        p.relative_to(project.build_dir).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(project.build_dir.rglob("*"))
        if p.is_file()
    }


def test_every_kind_has_a_golden_playbook() -> None:
    from generator.kinds import built_in_kinds

    KINDS = built_in_kinds()

    kinds = {
        line.split(":", 1)[1].strip()
        for p in (GOLDEN / "playbooks").glob("*.yaml")
        for line in p.read_text().splitlines()
        if line.startswith("kind:")
    }
    assert kinds == set(KINDS)


def test_golden_pages_match(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    generated = _generated(tmp_path, monkeypatch)
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(EXPECTED, ignore_errors=True)
        for rel, text in generated.items():
            (EXPECTED / rel).parent.mkdir(parents=True, exist_ok=True)
            (EXPECTED / rel).write_text(text, encoding="utf-8")
        pytest.skip("golden files rewritten")
    expected = {
        p.relative_to(EXPECTED).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(EXPECTED.rglob("*"))
        if p.is_file()
    }
    assert sorted(generated) == sorted(expected)
    for rel, text in expected.items():
        assert generated[rel] == text, f"{rel} differs from tests/golden/expected/{rel}"
