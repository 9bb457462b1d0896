"""What the partner handbook's checks cost: the leak check and the build, before and after a change.

    python bench/leak_check.py                    # 300 and 1,500 pages, this tree against HEAD
    python bench/leak_check.py --pages 300 --base origin/main

For each size: a synthetic handbook (bench/synth.py) with every other playbook shared with
partners, built with `handbook build --audience partners` by this working tree and by a
checkout of `--base` (a git worktree in .bench/), in the same run. Reports, from each
build's build/timings-partners.json, the leak check's seconds, the whole build's, the wall
time and peak memory of the command (which now runs every rule of `handbook check` first) and
the traces searched for, with the ratios after/before. Machines are noisy: compare the ratios.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path[:0] = [str(BENCH)]
from synth import write_handbook  # noqa: E402

PEAK = """
import resource, subprocess, sys
code = subprocess.call(sys.argv[1:])
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)
sys.exit(code)
"""  # runs a command; prints its peak memory (KiB) last on stderr


def shared_handbook(root: Path, pages: int) -> Path:
    write_handbook(None, root, pages=pages, per_page=3)
    for number, path in enumerate(sorted((root / "playbooks").rglob("*.yaml"))):
        if number % 2 == 0:
            text = path.read_text(encoding="utf-8")
            path.write_text(re.sub(r"(?m)^(kind: .*)$", r"\1\naudience: [internal, partners]", text, count=1))
    search = root / "search.yaml"  # in the form both generators read: every group internal
    search.write_text(
        search.read_text(encoding="utf-8").replace("synonyms: []\nshared_synonyms:", "synonyms:")
    )
    home = root / "content" / "index.partners.md"
    home.write_text("# Welcome, partners\n\nThe part of our handbook we share with you.\n", encoding="utf-8")
    return root


def build(tree: Path, root: Path) -> dict[str, float | int | str]:
    """`handbook build --audience partners` with the generator of `tree`, on `root`."""
    subprocess.run(
        [sys.executable, "-m", "generator.cli", "fix"], cwd=root, env=_env(tree), capture_output=True
    )
    started = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            PEAK,
            sys.executable,
            "-m",
            "generator.cli",
            "build",
            "--audience",
            "partners",
        ],
        cwd=root,
        env=_env(tree),
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    written = root / "build" / "timings-partners.json"  # a failed build writes none
    timings = json.loads(written.read_text()) if result.returncode == 0 else {}
    traces = re.search(r"searched for (\d+) traces", result.stdout)
    *printed, peak = result.stderr.rstrip().splitlines() or ["0"]
    return {
        "exit": result.returncode,
        "wall": wall,
        "leak check": timings.get("leak check", 0.0),
        "build": timings.get("whole build (MkDocs, including the generator)", 0.0),
        "traces": int(traces.group(1)) if traces else 0,
        "peak MB": int(peak) // 1024,
        "message": (result.stdout + "\n".join(printed)).strip().splitlines()[-1],
    }


def _env(tree: Path) -> dict[str, str]:
    import os

    return {**os.environ, "PYTHONPATH": str(tree)}


def base_tree(ref: str) -> Path:
    tree = REPO / ".bench" / "base"
    subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=REPO, capture_output=True)
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(tree), ref], cwd=REPO, check=True, capture_output=True
    )
    return tree


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[300, 1500])
    parser.add_argument("--base", default="HEAD", help="the git revision to compare with (default HEAD)")
    args = parser.parse_args()
    base = base_tree(args.base)
    columns = ["pages", "traces", "leak check", "ratio", "build", "command", "ratio", "peak memory"]
    print("| " + " | ".join(columns) + " |\n|" + "---|" * len(columns))
    for pages in args.pages:
        root = shared_handbook(REPO / ".bench" / f"leaks-{pages}", pages)
        for stale in root.glob("build/timings*.json"):
            stale.unlink()
        before, after = build(base, root), build(REPO, root)
        for name, run in (("before", before), ("after", after)):
            if run["exit"] != 0:
                print(f"{pages} pages, {name}: exit {run['exit']}: {run['message']}")
        cells = [
            str(pages),
            f"{before['traces']} → {after['traces']}",
            f"{before['leak check']:.2f} s → {after['leak check']:.2f} s",
            _ratio(after["leak check"], before["leak check"]),
            f"{before['build']:.1f} s → {after['build']:.1f} s",
            f"{before['wall']:.1f} s → {after['wall']:.1f} s",
            _ratio(after["wall"], before["wall"]),
            f"{before['peak MB']} → {after['peak MB']} MB",
        ]
        print("| " + " | ".join(cells) + " |")


def _ratio(after: float | int | str, before: float | int | str) -> str:
    """after/before; "—" when one of the builds failed (a failed build writes no timings)."""
    return f"{float(after) / float(before):.2f}×" if float(before) and float(after) else "—"


if __name__ == "__main__":
    main()
