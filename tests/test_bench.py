"""A small-N smoke run of the benchmark: it runs end to end on synthetic handbooks, reports sane
numbers and never reads the handbook this repository ships. Timings are never asserted here
(machines are noisy); `make bench` is for measuring."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import ENGINE, SHIPPED

# Loaded by every Python process of the run (through PYTHONPATH): notes each process that
# starts, and each file or folder of the shipped handbook it opens or lists.
AUDIT = """
import os, sys

_shipped = os.environ["HANDBOOK_SHIPPED"].split(os.pathsep)
_log = os.environ["HANDBOOK_AUDIT_LOG"]


def _note(line):
    with open(_log, "a", encoding="utf-8") as out:
        out.write(line + "\\n")


def _audit(event, args):
    if event not in ("open", "os.listdir", "os.scandir") or not args:
        return
    if event == "open" and args[1] is None and not os.path.isabs(args[0]):
        return  # os.open of a name that may be relative to a folder's descriptor (shutil.rmtree)
    if isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.path.abspath(os.fsdecode(args[0]))
        if any(path == part or path.startswith(part + os.sep) for part in _shipped):
            _note(f"read {path}")


_note(f"started {os.getpid()}")
sys.addaudithook(_audit)
"""


def test_benchmark_smoke_run(tmp_path: Path) -> None:
    audit = tmp_path / "audit"
    audit.mkdir()
    (audit / "sitecustomize.py").write_text(AUDIT, encoding="utf-8")
    log = tmp_path / "audit.log"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(audit), os.environ.get("PYTHONPATH")])),
        "HANDBOOK_SHIPPED": os.pathsep.join(str(part) for part in SHIPPED),
        "HANDBOOK_AUDIT_LOG": str(log),
    }
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
        cwd=ENGINE,  # as `make bench` runs it
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    audited = log.read_text(encoding="utf-8").splitlines()
    assert sum(line.startswith("started ") for line in audited) > 4  # the run and its builds, audited
    assert [line for line in audited if not line.startswith("started ")] == []  # no shipped file read
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
    sys.path.insert(0, str(ENGINE / "bench"))
    from synth import write_handbook

    from generator.pipeline import Project, check

    write_handbook(150, tmp_path / "a", seed=3)
    write_handbook(150, tmp_path / "b", seed=3)
    handbook, problems = check(Project(tmp_path / "a"))
    assert problems == [] and len(handbook.entries) >= 150
    a = {p.name: p.read_bytes() for p in (tmp_path / "a" / "playbooks").iterdir()}
    b = {p.name: p.read_bytes() for p in (tmp_path / "b" / "playbooks").iterdir()}
    assert a == b
