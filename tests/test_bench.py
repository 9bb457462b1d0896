"""A small-N smoke run of the benchmark: it runs end to end and reports sane numbers.
Timings are never asserted here (machines are noisy); `make bench` is for measuring."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import REPO


def test_benchmark_smoke_run(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "bench/run.py",
            "--sizes",
            "40",
            "90",
            "--pages",
            "30",
            "90",
            "--quick",
            "--out",
            str(tmp_path),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    results = json.loads((tmp_path / "results.json").read_text())
    assert [row["entries"] >= n for row, n in zip(results["sizes"], (40, 90), strict=True)] == [True, True]
    for row in results["sizes"]:
        assert row["check"]["peak_mb"] > 0 and row["build"]["peak_mb"] > 0
        assert row["build"]["together_mb"] > 0  # all its processes, sampled
        assert set(row["generator_stages_s"]) == {"load and validate", "render", "write", "search documents"}
        assert 0 < row["generator_share"] < 1
        assert row["search"] == "lunr" and row["search_index_kb"] > 0
    small, large = results["pages"]
    assert (small["pages"], large["pages"]) == (31, 91)  # and the references page
    assert large["entries"] > small["entries"] and large["site"]["mb"] > small["site"]["mb"]
    assert large["site"]["largest_page"]["kb"] > 0
    table = (tmp_path / "RESULTS.md").read_text()
    assert "| `handbook build`: wall s / peak MB |" in table and "check / bare parse" in table
    assert "## Page scale: 3 entries a page" in table and "| 91 (" in table


def test_synthetic_handbook_is_valid_and_deterministic(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "bench"))
    from synth import write_handbook

    from generator.pipeline import Project, check

    write_handbook(150, tmp_path / "a", seed=3)
    write_handbook(150, tmp_path / "b", seed=3)
    handbook, problems = check(Project(tmp_path / "a"))
    assert problems == [] and len(handbook.entries) >= 150
    a = {p.name: p.read_bytes() for p in (tmp_path / "a" / "playbooks").iterdir()}
    b = {p.name: p.read_bytes() for p in (tmp_path / "b" / "playbooks").iterdir()}
    assert a == b
