"""What outside site checkers see, before and after a change, in one run: writes bench/SITE.md
and bench/site.json.

    python bench/site_checks.py                      # the shipped handbook as it is now
    python bench/site_checks.py --before e72b94f     # and as built from an earlier commit
    python bench/site_checks.py --runs 1 --no-lighthouse   # first-view bytes only

For each site (a fresh build of the shipped handbook; `--before` builds the same from that
commit, in a git worktree), served gzip-compressed under the site_url's sub-path:
- the bytes a first view of each kind of page transfers in Chromium (a phone's viewport), and
  the requests it makes to other hosts;
- Lighthouse (installed from npm into .bench/ on first use, run on Debian's Chromium), mobile
  and desktop presets, `--runs` times each: the median performance score and the median of
  each other category, on the home page, the largest page, a FAQ, a scorecard and a checklist.
Lighthouse throttles the network and CPU itself; on a busy machine its scores still move by a
few points, so compare sites within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path[:0] = [str(REPO / "tests")]
from browser import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_FLAGS,
    chromium,
    first_view,
    kinds_of_page,
    serve_path,
    static_server,
)

PREFIX = serve_path(REPO)  # both sites are served where this handbook is published
LIGHTHOUSE_VERSION = "12.8.2"
LIGHTHOUSE_DIR = REPO / ".bench" / f"lighthouse-{LIGHTHOUSE_VERSION}"
LIGHTHOUSE = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PRESETS = ("mobile", "desktop")
AUDITS = ("largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift", "total-byte-weight")


def build_site(source: Path, work: Path) -> Path:
    """The handbook in `source` (a checkout, generator included), copied to `work` and built
    there by that generator."""
    outputs = shutil.ignore_patterns(".git", "site", "site-*", "build", ".venv", ".bench", "artifacts")
    shutil.copytree(source, work, ignore=outputs)
    handbook = [sys.executable, "-m", "generator.cli", "build"]
    result = subprocess.run(handbook, cwd=work, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"building {source} failed:\n{result.stdout}{result.stderr}")
    return work / "site"


def checked_pages(site: Path) -> dict[str, str]:
    """The five pages Lighthouse runs on: name → path under the site."""
    playbook_pages = [p for p in site.glob("*/*/index.html") if p.parts[-3] not in ("go", "tags", "assets")]
    largest = max(playbook_pages, key=lambda p: p.stat().st_size).parent.relative_to(site).as_posix()
    return {
        "home": "",
        f"largest ({largest})": f"{largest}/",
        "FAQ": "faq/partner-faq/",
        "scorecard": "scorecards/partner-vetting-scorecard/",
        "checklist": "checklists/onboarding-checklist/",
    }


def first_views(site: Path, browser: Any) -> dict[str, dict[str, Any]]:
    rows = {}
    with static_server(site, prefix=PREFIX, compress=True) as base:
        for path in kinds_of_page(site):
            view = first_view(browser, base + path)
            rows[path or "/"] = {key: value for key, value in view.items() if key != "urls"}
    return rows


def install_lighthouse() -> None:
    if LIGHTHOUSE.exists():
        return
    LIGHTHOUSE_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "npm",
            "install",
            "--no-audit",
            "--no-fund",
            "--prefix",
            str(LIGHTHOUSE_DIR),
            f"lighthouse@{LIGHTHOUSE_VERSION}",
        ],
        check=True,
    )


def lighthouse(url: str, preset: str, out: Path) -> dict[str, Any]:
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={out}",
        "--quiet",
        "--chrome-flags=--headless=new " + " ".join(CHROMIUM_FLAGS),
        "--only-categories=" + ",".join(CATEGORIES),
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=300)
    report = json.loads(out.read_text(encoding="utf-8"))
    row = {name: round(100 * (report["categories"][name]["score"] or 0)) for name in CATEGORIES}
    row |= {name: report["audits"][name]["numericValue"] for name in AUDITS}
    return row


def lighthouse_table(site: Path, runs: int, work: Path) -> dict[str, dict[str, Any]]:
    table: dict[str, dict[str, Any]] = {}
    with static_server(site, prefix=PREFIX, compress=True) as base:
        for name, path in checked_pages(site).items():
            for preset in PRESETS:
                found = [lighthouse(base + path, preset, work / "lighthouse.json") for _ in range(runs)]
                table[f"{name} · {preset}"] = {
                    key: statistics.median(r[key] for r in found) for key in found[0]
                } | {"performance_runs": [r["performance"] for r in found]}
    return table


def markdown(results: dict[str, Any]) -> str:
    sites = list(results["sites"])
    lines = [
        "# What outside site checkers see",
        "",
        f"From one `python bench/site_checks.py {results['arguments']}` run. Sites served gzip-compressed "
        f"under `{PREFIX}` on 127.0.0.1; first views in Chromium at a phone's viewport (412 px).",
        "",
        "## First view: bytes transferred (compressed), requests, requests to other hosts, console errors",
        "",
        "| page | " + " | ".join(sites) + " |",
        "|---|" + "---|" * len(sites),
    ]
    paths = list(dict.fromkeys(p for s in sites for p in results["sites"][s]["first_view"]))
    for path in paths:
        cells = []
        for s in sites:
            row = results["sites"][s]["first_view"].get(path)
            cells.append(
                "–"
                if row is None
                else f"{row['bytes'] / 1000:.1f} KB, {row['requests']} req., "
                f"{row['elsewhere']} elsewhere, {row['console_errors']} errors"
            )
        lines.append(f"| {path} | " + " | ".join(cells) + " |")
    if any(results["sites"][s].get("lighthouse") for s in sites):
        lines += ["", f"## Lighthouse {LIGHTHOUSE_VERSION}: medians of {results['runs']} runs", ""]
        lines += [
            "| site | page · preset | performance (runs) | accessibility | best practices | SEO "
            "| LCP | TBT | CLS | transferred |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for s in sites:
            for page, r in results["sites"][s].get("lighthouse", {}).items():
                runs = ", ".join(map(str, r["performance_runs"]))
                lines.append(
                    f"| {s} | {page} | {r['performance']:.0f} ({runs}) | "
                    f"{r['accessibility']:.0f} | {r['best-practices']:.0f} | {r['seo']:.0f} | "
                    f"{r['largest-contentful-paint'] / 1000:.1f} s | {r['total-blocking-time']:.0f} ms | "
                    f"{r['cumulative-layout-shift']:.3f} | {r['total-byte-weight'] / 1024:.0f} KiB |"
                )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", help="also measure the handbook as built from this commit")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs a page and preset")
    parser.add_argument("--no-lighthouse", action="store_true", help="first-view bytes only")
    parser.add_argument("--out", type=Path, default=BENCH, help="where SITE.md and site.json go")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="site-checks-") as tmp:
        work = Path(tmp)
        sources = {"now": REPO}
        if args.before:
            checkout = work / "before-checkout"
            subprocess.run(
                ["git", "worktree", "add", "--detach", str(checkout), args.before], cwd=REPO, check=True
            )
            sources = {f"before ({args.before})": checkout, "now": REPO}
        try:
            sites = {
                name: build_site(source, work / f"site-{i}")
                for i, (name, source) in enumerate(sources.items())
            }
            if not args.no_lighthouse:
                install_lighthouse()
            results: dict[str, Any] = {"arguments": " ".join(sys.argv[1:]), "runs": args.runs, "sites": {}}
            with chromium() as browser:
                for name, site in sites.items():
                    results["sites"][name] = {"first_view": first_views(site, browser)}
            if not args.no_lighthouse:
                for name, site in sites.items():
                    results["sites"][name]["lighthouse"] = lighthouse_table(site, args.runs, work)
        finally:
            if args.before:
                subprocess.run(["git", "worktree", "remove", "--force", str(checkout)], cwd=REPO, check=False)
    (args.out / "site.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    (args.out / "SITE.md").write_text(markdown(results), encoding="utf-8")
    print(markdown(results))


if __name__ == "__main__":
    main()
