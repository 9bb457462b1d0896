"""Benchmark the handbook at several sizes, in one run, and write bench/RESULTS.md and results.json.

    python bench/run.py                       # what `make bench` runs: both tables below
    python bench/run.py --sizes 60 --pages 50 --quick   # a smoke run: no browser, serve or Zensical

For each N: a synthetic handbook from bench/synth.py; wall time and peak memory of
`handbook check` and `handbook build` (each a fresh process); a bare libyaml parse of the same
files (`yaml.load` with `CSafeLoader`) as the floor for check; the generator's own stages
from build/timings.json; site and search-index sizes; the bytes a reader downloads for a first
search (measured in Chromium); the time until `handbook serve` shows an edited page; and the
same build rendered by Zensical. Machines are noisy: compare the ratios within one run.

Then page scale (`--pages`, 3 entries a page by default): handbooks of 500, 1,500 and 5,000
pages, the size large handbooks grow in. For each: `handbook build` (wall time, peak memory,
site size, largest page), and in the same run plain MkDocs + Material over the same generated
Markdown (folder navigation, no plugin) and Zensical over it with the handbook's navigation;
on the 1,500-page handbook, the time until `handbook serve` shows an edited page.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path[:0] = [str(BENCH), str(REPO / "tests")]
from synth import copy_handbook, write_handbook  # noqa: E402

from generator.layout import split_into_parts  # noqa: E402
from generator.pipeline import Project  # noqa: E402

HANDBOOK = [sys.executable, "-m", "generator.cli"]
ZENSICAL_VERSION = "0.0.73"
ZENSICAL_VENV = REPO / ".bench" / f"zensical-{ZENSICAL_VERSION}"


GENERATOR_STAGES = ("load and validate", "render", "write", "search documents")  # of build/timings.json
PEAK_WRAPPER = """
import resource, subprocess, sys
code = subprocess.call(sys.argv[1:])
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)
sys.exit(code)
"""


def measured(command: list[str], cwd: Path, timeout: float | None = None) -> dict[str, Any]:
    """Run a command in a fresh wrapper process: its wall time (s), peak memory (MB) and output.

    `peak_mb`: the wrapper's children-rusage peak, which is that of the largest single process
    the command ran (itself, a page worker, pagefind). `together_mb`: the peak of all its
    processes' memory added up (proportional set size, so pages a forked worker shares with its
    parent count once), sampled every 0.2 s.
    """
    start = time.perf_counter()
    # A session of its own, so that a timeout stops the command too, not only the wrapper.
    with subprocess.Popen(
        [sys.executable, "-c", PEAK_WRAPPER, *command],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as process:
        together = _SessionMemory(process.pid)
        together.start()
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise
        finally:
            together.done.set()
            together.join()
    result = subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
    wall = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed in {cwd}:\n{result.stdout}\n{result.stderr}")
    peak_kb = int(result.stderr.strip().splitlines()[-1])
    return {
        "seconds": round(wall, 3),
        "peak_mb": round(peak_kb / 1024, 1),
        "together_mb": round(together.peak_kb / 1024, 1),
        "stdout": result.stdout,
    }


class _SessionMemory(threading.Thread):
    """The peak of the summed memory (PSS) of every process in a session, sampled."""

    def __init__(self, session: int) -> None:
        super().__init__(daemon=True)
        self.session, self.peak_kb, self.done = session, 0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.2):
            self.peak_kb = max(self.peak_kb, sum(map(_pss_kb, self._members())))

    def _members(self) -> list[Path]:
        members = []
        for proc in Path("/proc").iterdir():
            try:  # field 6 of stat is the session; the name (field 2) may hold spaces
                if (
                    proc.name.isdigit()
                    and int((proc / "stat").read_text().rsplit(")", 1)[1].split()[3]) == self.session
                ):
                    members.append(proc)
            except (OSError, ValueError, IndexError):
                continue
        return members


def _pss_kb(proc: Path) -> int:
    try:
        for line in (proc / "smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def timed_python(code: str, cwd: Path) -> float:
    """Seconds a snippet takes inside one process (startup excluded): it prints its own timing."""
    result = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, check=True)
    return float(result.stdout.strip().splitlines()[-1])


BARE_PARSE = """
import glob, time, yaml
start = time.perf_counter()
for name in sorted(glob.glob("playbooks/**/*.yaml", recursive=True)):
    with open(name, encoding="utf-8") as handle:
        yaml.load(handle.read(), Loader=yaml.CSafeLoader)
print(time.perf_counter() - start)
"""
IN_PROCESS_CHECK = """
import time
from pathlib import Path
from generator.pipeline import Project, check
start = time.perf_counter()
handbook, problems = check(Project(Path(".")))
assert not problems, problems[:3]
print(time.perf_counter() - start)
"""


def folder_bytes(path: Path) -> tuple[int, int]:
    files = [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def first_search_bytes(site: Path, query: str) -> dict[str, Any]:
    """Open the home page in Chromium, search like a reader, sum what the search downloads
    (everything fetched from the first keystroke until the network is idle again)."""
    from browser import chromium, static_server

    with chromium() as browser, static_server(site) as base:
        page = browser.new_page()  # type: ignore[attr-defined]
        sizes: dict[str, int] = {}

        def record(response: Any) -> None:
            with contextlib.suppress(Exception):  # bodies of redirects and aborted requests
                sizes[response.url] = len(response.body())

        page.goto(base)
        page.wait_for_load_state("networkidle")
        page.on("response", record)  # from here on: what the search itself downloads
        start = time.perf_counter()
        box = page.locator("#hb-search-input")  # the handbook's box, whichever engine is behind it
        box.click()
        box.press_sequentially(query, delay=20)
        page.locator("#hb-search-results .hb-search__link").first.wait_for(timeout=60_000)
        seconds = time.perf_counter() - start
        page.wait_for_load_state("networkidle")
        return {
            "bytes": sum(sizes.values()),
            "requests": len(sizes),
            "seconds_to_results": round(seconds, 2),
        }


def faq_playbook(root: Path) -> tuple[Path, str]:
    """A FAQ playbook of a synthetic handbook, and its page's URL: what the serve timings edit.
    In the middle of the section's first part, as most playbooks are: a word added to its title
    leaves it where it is, so the navigation of its part changes, not the names of the parts."""
    found = [(yaml.safe_load(p.read_text()), p) for p in sorted((root / "playbooks").glob("faq*.yaml"))]
    found.sort(key=lambda item: (item[0]["title"].lower(), item[0]["id"]))
    first = split_into_parts(len(found))[0]
    data, playbook = found[first.start + len(first) // 2]
    return playbook, f"faq/{data['id']}/"


def serve_update_seconds(
    root: Path, playbook: Path, page_url: str, *options: str, edit: str = "title"
) -> float:
    """Start `handbook serve`, edit one playbook, time until the page shows the edit. `edit`:
    "title" adds a word to its title (so its navigation changes); "text", to its summary."""
    from browser import free_port, serve_path

    port = free_port()
    server = subprocess.Popen(
        [*HANDBOOK, "serve", "--port", str(port), *options],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}{serve_path(root)}{page_url}"
    try:
        _wait_for(url, lambda body: True, timeout=600)
        original = playbook.read_text(encoding="utf-8")
        marker = f"Edited{time.time_ns()}"
        field = r"(?m)^(title: .*)$" if edit == "title" else r"(?m)^(summary:(?: *>-?\n *| ))"
        added = rf"\g<1> {marker} " if edit == "text" else rf"\g<1> {marker}"
        edited = re.sub(field, added, original, count=1)
        assert marker in edited, f"no {edit} to edit in {playbook}"
        playbook.write_text(edited, encoding="utf-8")
        start = time.perf_counter()
        _wait_for(url, lambda body: marker in body, timeout=600)
        seconds = time.perf_counter() - start
        playbook.write_text(original, encoding="utf-8")
        return round(seconds, 2)
    finally:
        server.terminate()
        server.wait(timeout=60)


def _wait_for(url: str, ready: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if ready(response.read().decode("utf-8", "replace")):
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise TimeoutError(url)


def largest_page(site: Path) -> dict[str, Any]:
    """The largest HTML page of a site (redirect stubs are tiny and never the largest)."""
    size, path = max((p.stat().st_size, p) for p in site.rglob("*.html"))
    return {"kb": round(size / 1024, 1), "url": path.parent.relative_to(site).as_posix() + "/"}


def site_row(site: Path) -> dict[str, Any]:
    size, files = folder_bytes(site)
    return {"mb": round(size / 2**20, 1), "files": files, "largest_page": largest_page(site)}


def plain_mkdocs_build(root: Path, timeout: float) -> dict[str, Any] | str:
    """MkDocs + Material with no plugin over the Markdown the handbook generated (copied, so
    the handbook's build folder is untouched): folder navigation, the handbook's theme
    features. What the engine costs on its own."""
    plain = root / "plain"
    if plain.exists():
        shutil.rmtree(plain)
    shutil.copytree(root / "build" / "docs", plain / "docs")
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    theme = {k: v for k, v in config["theme"].items() if k != "custom_dir"}
    plain_config = {
        "site_name": "Plain",
        "docs_dir": "docs",
        "site_dir": "site",
        "theme": theme,
        "plugins": [],
        "markdown_extensions": config["markdown_extensions"],
    }
    (plain / "mkdocs.yml").write_text(yaml.safe_dump(plain_config, sort_keys=False), encoding="utf-8")
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", "mkdocs.yml"]
    try:
        result = measured(mkdocs, plain, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"over {timeout:.0f} s: stopped"
    return {
        "seconds": result["seconds"],
        "peak_mb": result["peak_mb"],
        "together_mb": result["together_mb"],
        "site": site_row(plain / "site"),
    }


def zensical_build(root: Path) -> dict[str, Any] | str:
    """Render the same generated Markdown with Zensical (it does not run MkDocs plugins, so the
    generator's output and navigation are handed over in a config of its own)."""
    zensical = ZENSICAL_VENV / "bin" / "zensical"
    if not zensical.exists():
        made = subprocess.run([sys.executable, "-m", "venv", str(ZENSICAL_VENV)], capture_output=True)
        pip = ZENSICAL_VENV / "bin" / "pip"
        installed = subprocess.run(
            [str(pip), "install", "-q", f"zensical=={ZENSICAL_VERSION}"], capture_output=True
        )
        if made.returncode or installed.returncode:
            return f"not available: pip install zensical=={ZENSICAL_VERSION} failed"
    from generator.pipeline import generate

    generated = generate(Project(root))
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = ["search", "tags"]
    config["nav"] = generated.nav
    config["site_dir"] = "site-zensical"
    (root / "zensical.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    result = measured([str(zensical), "build", "--clean", "-f", "zensical.yml"], root)
    site = site_row(root / "site-zensical")
    return {
        "seconds": result["seconds"],
        "peak_mb": result["peak_mb"],
        "together_mb": result["together_mb"],
        "site_mb": site["mb"],
        "site": site,
    }


def run_size(n: int, work: Path, quick: bool) -> dict[str, Any]:
    root = work / f"handbook-{n}"
    playbooks = write_handbook(n, root)
    row: dict[str, Any] = {"entries_requested": n, "playbooks": playbooks}
    row["bare_parse_s"] = round(timed_python(BARE_PARSE, root), 3)
    row["check_in_process_s"] = round(timed_python(IN_PROCESS_CHECK, root), 3)
    check = measured([*HANDBOOK, "check"], root)
    row["entries"] = int(re.search(r"(\d+) linkable entries", check["stdout"]).group(1))  # type: ignore[union-attr]
    row["check"] = {k: check[k] for k in ("seconds", "peak_mb", "together_mb")}
    build = measured([*HANDBOOK, "build"], root)
    row["build"] = {k: build[k] for k in ("seconds", "peak_mb", "together_mb")}
    timings = json.loads((root / "build" / "timings.json").read_text())
    whole = timings["whole build (MkDocs, including the generator)"]
    timings = {k: v for k, v in timings.items() if k in GENERATOR_STAGES}
    row["generator_stages_s"] = {k: round(v, 3) for k, v in timings.items()}
    row["generator_s"] = round(sum(timings.values()), 3)
    row["mkdocs_build_s"] = round(whole, 3)
    row["generator_share"] = round(row["generator_s"] / whole, 4)
    site = root / "site"
    size, files = folder_bytes(site)
    row["site"] = {"mb": round(size / 2**20, 1), "files": files}
    pagefind = site / "pagefind"
    row["search"] = "pagefind" if pagefind.is_dir() else "lunr"
    index = (
        folder_bytes(pagefind)[0] if pagefind.is_dir() else (site / "search" / "index.json").stat().st_size
    )
    row["search_index_kb"] = round(index / 1024, 1)
    if not quick:
        row["first_search"] = first_search_bytes(site, "escalation")
        playbook, url = faq_playbook(root)
        row["serve_update_s"] = serve_update_seconds(root, playbook, url)
        row["serve_full_update_s"] = serve_update_seconds(root, playbook, url, "--full")
        row["zensical"] = zensical_build(root)
    return row


def run_pages(pages: int, per_page: int, work: Path, quick: bool, plain_timeout: float) -> dict[str, Any]:
    """One handbook of `pages` playbook pages: the handbook's build against the engines alone."""
    root = work / f"pages-{pages}"
    playbooks = write_handbook(None, root, pages=pages, per_page=per_page)
    build = measured([*HANDBOOK, "build"], root)
    row: dict[str, Any] = {"pages": playbooks, "per_page": per_page}
    row["entries"] = int(re.search(r"\((\d+) linkable entries\)", build["stdout"]).group(1))  # type: ignore[union-attr]
    row["build"] = {k: build[k] for k in ("seconds", "peak_mb", "together_mb")}
    row["site"] = site_row(root / "site")
    if not quick:
        row["plain"] = plain_mkdocs_build(root, plain_timeout)
        row["zensical"] = zensical_build(root)
        if 1000 <= pages <= 2000:  # the size the live preview is measured at
            playbook, url = faq_playbook(root)
            row["serve_update_s"] = serve_update_seconds(root, playbook, url, edit="text")
            row["serve_title_update_s"] = serve_update_seconds(root, playbook, url)
    return row


def shipped_serve_update(work: Path) -> float:
    root = work / "shipped"
    root.mkdir(parents=True)
    copy_handbook(REPO, root)
    return serve_update_seconds(root, root / "playbooks" / "partner-faq.yaml", "faq/partner-faq/")


def machine() -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)) / 2**20  # type: ignore[union-attr]
    versions = {}
    for name in ("mkdocs", "mkdocs-material", "mkdocs-redirects", "pydantic", "pyyaml", "jinja2", "pagefind"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "missing"
    versions["zensical"] = ZENSICAL_VERSION
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(mem, 1),
        "python": platform.python_version(),
        "system": platform.platform(),
        "versions": versions,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def markdown(results: dict[str, Any]) -> str:
    rows = results["sizes"]
    m = results["machine"]
    cols = [f"N = {r['entries']:,}" for r in rows]

    def line(label: str, values: list[str]) -> str:
        return f"| {label} | " + " | ".join(values) + " |"

    def get(r: dict[str, Any], *keys: str) -> Any:
        for key in keys:
            if not isinstance(r, dict) or key not in r:
                return "–"
            r = r[key]
        return r

    out = [
        "# Benchmark results",
        "",
        f"Written by `make bench` (`bench/run.py`) on {m['date']}: {m['cpu']}, {m['cores']} cores, "
        f"{m['memory_gb']} GB, Python {m['python']}.",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in m["versions"].items()) + ".",
        "Synthetic handbooks from `bench/synth.py` (about 20 entries and 2,000–3,000 words per page).",
        "",
        "| | " + " | ".join(cols) + " |",
        "|---|" + "---|" * len(cols),
        line("playbooks (pages)", [str(r["playbooks"]) for r in rows]),
        line(
            "`handbook check`: wall s / peak MB",
            [f"{r['check']['seconds']} / {r['check']['peak_mb']}" for r in rows],
        ),
        line("check in-process s (startup excluded)", [str(r["check_in_process_s"]) for r in rows]),
        line("bare libyaml parse s (floor)", [str(r["bare_parse_s"]) for r in rows]),
        line("check / bare parse", [f"{r['check_in_process_s'] / r['bare_parse_s']:.2f}×" for r in rows]),
        line(
            "`handbook build`: wall s / peak MB",
            [f"{r['build']['seconds']} / {r['build']['peak_mb']}" for r in rows],
        ),
        line(
            "generator s (load+validate, render, write, search documents)",
            [
                f"{r['generator_s']} ({', '.join(str(v) for v in r['generator_stages_s'].values())})"
                for r in rows
            ],
        ),
        line("generator share of the MkDocs build", [f"{100 * r['generator_share']:.1f}%" for r in rows]),
        line("site MB / files", [f"{r['site']['mb']} / {r['site']['files']}" for r in rows]),
        line("search", [r["search"] for r in rows]),
        line("search index KB (whole)", [str(r["search_index_kb"]) for r in rows]),
        line(
            "first search: KB downloaded / requests",
            [
                f"{get(r, 'first_search', 'bytes') / 1024:.0f} / {get(r, 'first_search', 'requests')}"
                if isinstance(get(r, "first_search", "bytes"), int)
                else "–"
                for r in rows
            ],
        ),
        line("serve: edit → page updated, s", [str(get(r, "serve_update_s")) for r in rows]),
        line("serve --full: edit → page updated, s", [str(get(r, "serve_full_update_s")) for r in rows]),
        line(
            "Zensical build: wall s / peak MB",
            [
                f"{get(r, 'zensical', 'seconds')} / {get(r, 'zensical', 'peak_mb')}"
                if isinstance(r.get("zensical"), dict)
                else str(r.get("zensical", "–"))
                for r in rows
            ],
        ),
    ]
    first, last = rows[0], rows[-1]
    ratio = last["build"]["seconds"] / first["build"]["seconds"]
    out += [
        "",
        f"- Build time ratio N={last['entries']:,} / N={first['entries']:,}: {ratio:.1f}× "
        f"for {last['entries'] / first['entries']:.0f}× the entries.",
    ]
    if results.get("pages"):
        out += ["", *page_table(results["pages"])]
    if "shipped_serve_update_s" in results:
        out.append(
            f"- `handbook serve` on the shipped handbook: an edited page is served updated in "
            f"{results['shipped_serve_update_s']} s."
        )
    return "\n".join(out) + "\n"


def page_table(rows: list[dict[str, Any]]) -> list[str]:
    def build(r: dict[str, Any] | str) -> str:
        if not isinstance(r, dict):
            return r
        return f"{r['seconds']} / {r['peak_mb']} / {r.get('together_mb', '–')}"

    def site(r: dict[str, Any] | str) -> str:
        if not isinstance(r, dict):
            return "–"
        largest = r["site"]["largest_page"]
        return f"{r['site']['mb']} / {largest['kb']} (`{largest['url']}`)"

    out = [
        f"## Page scale: {rows[0]['per_page']} entries a page",
        "",
        "Build: wall s / peak MB of its largest process / peak MB of all its processes together "
        "(PSS, sampled every 0.2 s). Site MB on disk / largest page KB.",
        "Plain = MkDocs + Material, no plugin, folder navigation, same Markdown and theme features.",
        "",
        "| pages (entries) | `handbook build` | site, largest page | plain MkDocs + Material "
        "| plain site, largest page | Zensical | Zensical site, largest page "
        "| serve: text edit → page updated, s | serve: title edit → page updated, s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        plain, zensical = r.get("plain", "–"), r.get("zensical", "–")
        cells = [f"{r['pages']:,} ({r['entries']:,})", build(r["build"]), site(r), build(plain), site(plain)]
        cells += [build(zensical), site(zensical), str(r.get("serve_update_s", "–"))]
        cells += [str(r.get("serve_title_update_s", "–"))]
        out.append("| " + " | ".join(cells) + " |")
    first = rows[0]
    if len(rows) > 1:
        out.append("")
        for r in rows[1:]:
            times = r["pages"] / first["pages"]
            out.append(
                f"- {r['pages']:,} / {first['pages']:,} pages ({times:.1f}× the pages): "
                f"build time {r['build']['seconds'] / first['build']['seconds']:.2f}×, "
                f"site size {r['site']['mb'] / first['site']['mb']:.2f}×, "
                f"peak memory {r['build']['peak_mb'] / first['build']['peak_mb']:.2f}×."
            )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 5000], help="entries (20 a page)")
    parser.add_argument("--pages", type=int, nargs="*", default=[500, 1500, 5000], help="pages (page scale)")
    parser.add_argument("--entries-per-page", type=int, default=3, help="for the page-scale handbooks")
    parser.add_argument(
        "--plain-timeout", type=float, default=900, help="stop plain MkDocs after this many s"
    )
    parser.add_argument("--quick", action="store_true", help="skip the browser, serve and Zensical")
    parser.add_argument("--out", type=Path, default=BENCH, help="where RESULTS.md and results.json go")
    args = parser.parse_args()
    os.chdir(REPO)
    with tempfile.TemporaryDirectory(prefix="handbook-bench-") as tmp:
        work = Path(tmp)
        results: dict[str, Any] = {"machine": machine(), "sizes": []}
        for n in args.sizes:
            print(f"benchmarking N={n} ...", flush=True)
            results["sizes"].append(run_size(n, work, args.quick))
        results["pages"] = []
        for pages in args.pages:
            print(f"benchmarking {pages} pages ...", flush=True)
            results["pages"].append(
                run_pages(pages, args.entries_per_page, work, args.quick, args.plain_timeout)
            )
        if not args.quick:
            results["shipped_serve_update_s"] = shipped_serve_update(work)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    (args.out / "RESULTS.md").write_text(markdown(results), encoding="utf-8")
    print((args.out / "RESULTS.md").read_text())


if __name__ == "__main__":
    main()
