"""Search quality as a reader gets it: queries typed into the real search box in Chromium.

    python bench/search.py                      # what `make bench-search` runs
    python bench/search.py --engines lunr --queries my-queries.yaml --out /tmp/s

For each engine (lunr, pagefind) the handbook is built with `search:` set to that engine,
served on 127.0.0.1, and every query in the query files is typed into the header search box
like a reader would, one key at a time. The links in the result list, in the order a reader
sees them, are compared with the URLs (page and anchor) of the entries that answer the query.

Reported per query type and engine: hit@1 and hit@3 (the right entry is the first result, or
among the first three), MRR@10 (mean of 1/rank of the first right entry, 0 past rank 10),
page@3 (the right page among the first three, anchor aside) and the number of queries with no
results at all. Writes SEARCH.md and search.json into --out (bench/ by default).

`--project DIR` measures another checkout of the handbook (its own generator, content and
theme), which is how the "before" numbers in SEARCH.md were taken; `--baseline FILE` adds such
an earlier search.json to SEARCH.md for comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path[:0] = [str(REPO / "tests")]
from synth import copy_handbook  # noqa: E402  (bench/: the script's own folder)

QUERY_FILES = [
    BENCH / "search-queries.yaml",  # tuned on
    BENCH / "search-queries-holdout.yaml",  # written with it, kept out of tuning
    BENCH / "search-queries-fresh.yaml",  # written after tuning, run once
]
SET_NAMES = {"search-queries": "main", "search-queries-holdout": "held out", "search-queries-fresh": "fresh"}
TYPES = ("keyword", "typo", "question", "synonym")

# The result links of each search box this handbook has had, in the order a reader sees them.
# Material's lunr box folds lower-scoring sections into a closed <details>: those are not seen.
RESULT_LINKS = """
() => {
  const ours = document.querySelector('#hb-search-results');
  const material = document.querySelector('.md-search-result__list');
  let links = [];
  if (ours) {
    links = [...ours.querySelectorAll('a.hb-search__link, .hb-search__result a')];
  } else if (material) {
    links = [...material.querySelectorAll('a.md-search-result__link')]
      .filter(a => !a.closest('details:not([open])'));
  }
  return links.map(a => a.href);
}
"""
# True once the box has finished searching for exactly this query (our box says so itself).
SETTLED = """
(query) => {
  const panel = document.querySelector('[data-hb-search-query]');
  return !panel || (panel.getAttribute('data-hb-search-query') === query
                    && panel.getAttribute('aria-busy') !== 'true');
}
"""


def load_queries(paths: list[Path]) -> list[dict[str, Any]]:
    queries = []
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for item in data["queries"]:
            if item["type"] not in TYPES:
                raise SystemExit(f"{path}: query {item['query']!r} has unknown type {item['type']!r}")
            queries.append({**item, "set": path.stem})
    return queries


def build(project: Path, engine: str, work: Path, generator_from: Path) -> Path:
    """Copy the handbook, choose the engine, build it with the given checkout's generator."""
    root = work / f"handbook-{engine}"
    root.mkdir(parents=True)
    copy_handbook(project, root)
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    if "search: auto" not in text:
        raise SystemExit(f"{config}: expected 'search: auto' in the handbook plugin options")
    config.write_text(text.replace("search: auto", f"search: {engine}", 1), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(generator_from)}
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "build"], cwd=root, capture_output=True, text=True, env=env
    )
    if result.returncode != 0:
        raise SystemExit(f"build for {engine} failed:\n{result.stdout}\n{result.stderr}")
    return root / "site"


def open_search(page: Any) -> Any:
    """The header search box, focused and ready: ours, or Material's (which needs its index)."""
    ours = page.locator("#hb-search-input")
    if ours.count():
        ours.click()
        return ours
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta');"
        " return m && m.textContent.trim() !== '' && !/initializing/i.test(m.textContent) }",
        timeout=30_000,
    )
    return page.locator("input.md-search__input")


def results_for(page: Any, box: Any, query: str) -> list[str]:
    """Type the query like a reader, wait until the results stop changing, return the links."""
    box.fill("")
    box.press_sequentially(query, delay=15)
    page.wait_for_function(SETTLED, arg=query, timeout=30_000)
    last: list[str] = []
    stable_since = time.monotonic()
    deadline = stable_since + 20
    while time.monotonic() < deadline:
        links = page.evaluate(RESULT_LINKS)
        if links != last:
            last, stable_since = links, time.monotonic()
        elif time.monotonic() - stable_since > 0.6:
            break
        time.sleep(0.1)
    return list(last)


def relative(url: str, base: str) -> str:
    """A result link as `page/#anchor` relative to the site root, without query strings."""
    parts = urlsplit(url)
    path = parts.path.removeprefix(urlsplit(base).path)
    return path + (f"#{parts.fragment}" if parts.fragment else "")


def score(query: dict[str, Any], found: list[str], links: dict[str, str]) -> dict[str, Any]:
    missing = [i for i in query["expect"] if i not in links]
    if missing:
        raise SystemExit(f"query {query['query']!r} expects unknown entry ids: {missing}")
    wanted = {links[i] for i in query["expect"]}
    pages = {url.split("#")[0] for url in wanted}
    rank = next((n for n, url in enumerate(found[:10], 1) if url in wanted), None)
    return {
        "query": query["query"],
        "type": query["type"],
        "set": query["set"],
        "rank": rank,
        "page_at_3": any(url.split("#")[0] in pages for url in found[:3]),
        "results": len(found),
        "top3": found[:3],
    }


def run_engine(site: Path, queries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from browser import chromium, static_server

    links = json.loads((site / "links.json").read_text(encoding="utf-8"))
    rows = []
    with chromium() as browser, static_server(site) as base:
        page = browser.new_page()  # type: ignore[attr-defined]
        page.goto(base)
        box = open_search(page)
        for query in queries:
            found = [relative(url, base) for url in results_for(page, box, query["query"])]
            rows.append(score(query, found, links))
        page.close()
    return rows


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    n = len(rows)
    if not n:
        return {}
    return {
        "queries": n,
        "hit_at_1": round(sum(r["rank"] == 1 for r in rows) / n, 3),
        "hit_at_3": round(sum(r["rank"] is not None and r["rank"] <= 3 for r in rows) / n, 3),
        "mrr_at_10": round(sum(1 / r["rank"] for r in rows if r["rank"]) / n, 3),
        "page_at_3": round(sum(r["page_at_3"] for r in rows) / n, 3),
        "zero_results": sum(r["results"] == 0 for r in rows),
    }


def summaries(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for name in sorted({r["set"] for r in rows}):
        in_set = [r for r in rows if r["set"] == name]
        for kind in TYPES:
            out[f"{name}/{kind}"] = summary([r for r in in_set if r["type"] == kind])
        out[f"{name}/all"] = summary(in_set)
    return out


def table(results: dict[str, Any], title: str) -> list[str]:
    lines = [
        f"### {title}",
        "",
        "| engine | queries | hit@1 | hit@3 | MRR@10 | page@3 | no results |",
        "|---|---|---|---|---|---|---|",
    ]
    for engine, data in results["engines"].items():
        for key, s in data["summary"].items():
            if not s:
                continue
            name, kind = key.split("/")
            label = f"{SET_NAMES.get(name, name)}/{kind}"
            lines.append(
                f"| {engine} | {label} ({s['queries']}) | {s['hit_at_1']:.0%} | {s['hit_at_3']:.0%} "
                f"| {s['mrr_at_10']:.2f} | {s['page_at_3']:.0%} | {s['zero_results']} |"
            )
    return lines


def misses(results: dict[str, Any]) -> list[str]:
    lines = ["### Queries whose answer is not in the first three", ""]
    for engine, data in results["engines"].items():
        missed = [r for r in data["queries"] if not (r["rank"] and r["rank"] <= 3)]
        lines.append(
            f"- **{engine}** ({len(missed)}): "
            + (", ".join(f'"{r["query"]}" (rank {r["rank"] or ">10"})' for r in missed) or "none")
        )
    return lines


def markdown(results: dict[str, Any], baseline: dict[str, Any] | None) -> str:
    m = results["machine"]
    out = [
        "# Search benchmark",
        "",
        f"Written by `make bench-search` (`bench/search.py`) on {m['date']}, Chromium through Playwright, "
        f"Python {m['python']}.",
        "Each query is typed into the site's search box one key at a time; the result links are read",
        "in the order a reader sees them and compared with the page and anchor of the entries that",
        "answer the query. Three sets: `bench/search-queries.yaml` (main, tuned on),",
        "`bench/search-queries-holdout.yaml` (written with it, kept out of tuning) and",
        "`bench/search-queries-fresh.yaml` (written after tuning, run once, never tuned on).",
        "",
        "hit@k: the right entry (page and anchor) among the first k results. MRR@10: mean of",
        "1/rank of the first right entry, 0 past rank 10. page@3: the right page among the first",
        "three, whatever the anchor. No results: queries that showed nothing at all.",
        "",
    ]
    out += table(results, f"Now ({results['label']})")
    out += ["", *misses(results)]
    if baseline:
        out += ["", *table(baseline, f"Before ({baseline['label']})"), "", *misses(baseline)]
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engines", nargs="+", default=["lunr", "pagefind"], choices=["lunr", "pagefind"])
    parser.add_argument("--queries", type=Path, nargs="+", default=QUERY_FILES)
    parser.add_argument("--project", type=Path, default=REPO, help="the handbook checkout to measure")
    parser.add_argument("--label", default="this checkout", help="what the run measured, for SEARCH.md")
    parser.add_argument("--baseline", type=Path, help="an earlier search.json to show beside this run")
    parser.add_argument("--out", type=Path, default=BENCH, help="where SEARCH.md and search.json go")
    args = parser.parse_args()
    queries = load_queries(args.queries)
    results: dict[str, Any] = {
        "label": args.label,
        "machine": {
            "python": platform.python_version(),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        },
        "engines": {},
    }
    project = args.project.resolve()
    with tempfile.TemporaryDirectory(prefix="handbook-search-bench-") as tmp:
        for engine in args.engines:
            print(f"building and searching with {engine} ...", flush=True)
            site = build(project, engine, Path(tmp), project)
            rows = run_engine(site, queries)
            results["engines"][engine] = {"summary": summaries(rows), "queries": rows}
    baseline = json.loads(args.baseline.read_text(encoding="utf-8")) if args.baseline else None
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "search.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    (args.out / "SEARCH.md").write_text(markdown(results, baseline), encoding="utf-8")
    print((args.out / "SEARCH.md").read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
