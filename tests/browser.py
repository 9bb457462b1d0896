"""Helpers for real-browser tests: Debian's Chromium driven by Playwright, sites on 127.0.0.1."""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import os
import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM = os.environ.get("HANDBOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def site_url(root: Path) -> str | None:
    """The site_url of the handbook in `root`, as its mkdocs.yml writes it (a plain value)."""
    found = re.search(r"^site_url:\s*(\S+)", (root / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    return found.group(1) if found else None


def serve_path(root: Path) -> str:
    """Where `handbook serve` (MkDocs) serves the handbook in `root`, and where a host
    publishes it: its site_url's path."""
    url = site_url(root)
    return urlsplit(url).path.rstrip("/") + "/" if url else "/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Files from one folder, as a static host serves a site: under `prefix` only (a request
    outside it gets the host's own 404), the site's 404.html for a missing page, and text
    gzip-compressed when `compress` is set and the browser accepts it."""

    prefix = "/"
    compress = False
    TEXT = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".map")

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self) -> Any:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if not path.startswith(self.prefix):
            self.send_error(404, "outside the site")
            return None
        self.path = "/" + self.path[len(self.prefix) :]
        local = Path(self.translate_path(self.path))
        if local.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the redirect to the folder's address
            local = local / "index.html"
        status = 200
        if not local.is_file():
            status, local = 404, Path(self.directory) / "404.html"
            if not local.is_file():
                self.send_error(404)
                return None
        body = local.read_bytes()
        gzipped = (
            self.compress and local.suffix in self.TEXT and "gzip" in self.headers.get("Accept-Encoding", "")
        )
        if gzipped:
            body = gzip.compress(body, 6)
        self.send_response(status)
        self.send_header("Content-Type", self.guess_type(str(local)))
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        return io.BytesIO(body)


@contextmanager
def static_server(root: Path, prefix: str = "/", compress: bool = False) -> Iterator[str]:
    """Serve a built site on 127.0.0.1 and a free port, at `prefix` (a sub-path such as
    "/handbook/", as GitLab and GitHub Pages host a project's site), gzip-compressed when
    `compress`; stop it afterwards. Yields the site's address."""
    handler_class = type("Handler", (_QuietHandler,), {"prefix": prefix, "compress": compress})
    handler = functools.partial(handler_class, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (`apt-get install chromium`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def kinds_of_page(site: Path) -> list[str]:
    """A page of every kind the site has: the home page, each section's index and a playbook
    of each, the tags page and a tag's page, the review status and the hand-written pages
    (each a folder of the site's top level), the 404 page (a missing address), a short /go/
    link."""
    found = ["", "no/such/page/"]
    for section in sorted(p for p in site.iterdir() if p.is_dir()):
        pages = sorted(q.parent for q in section.glob("*/index.html"))
        if section.name in ("assets", "search", "go", "pagefind") or not (section / "index.html").is_file():
            continue
        found.append(f"{section.name}/")
        if pages and section.name != "tags":
            found.append(f"{section.name}/{pages[0].name}/")
    tag = sorted((site / "tags").glob("*/index.html"))[0].parent.name
    go = sorted((site / "go").glob("*/index.html"))[0].parent.name
    return [*found, f"tags/{tag}/", f"go/{go}/"]


@contextmanager
def watched(browser: Any, **options: Any) -> Iterator[tuple[Any, dict[str, list[Any]]]]:
    """A page whose requests to other hosts are stopped and recorded, with its console errors,
    failed requests and finished requests."""
    context = browser.new_context(**options)
    seen: dict[str, list[Any]] = {"elsewhere": [], "errors": [], "failed": [], "finished": []}

    def route(route: Any) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            seen["elsewhere"].append(route.request.url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))

    def failed(request: Any) -> None:  # one that a navigation cut short (ERR_ABORTED) did not fail
        if request.failure != "net::ERR_ABORTED":
            seen["failed"].append(request.url)

    page.on("requestfailed", failed)
    page.on("requestfinished", lambda r: seen["finished"].append(r))
    try:
        yield page, seen
    finally:
        context.close()


def first_view(browser: Any, url: str) -> dict[str, Any]:
    """What a first view of `url` costs at a phone's viewport, once the network is idle:
    bytes transferred (as sent, so compressed when the server compresses), the requests, those
    to other hosts (stopped) and the console errors."""
    with watched(browser, viewport={"width": 412, "height": 823}, is_mobile=True) as (page, seen):
        page.goto(url, wait_until="networkidle")
        sizes = [r.sizes() for r in seen["finished"]]
        return {
            "bytes": sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes),
            "requests": len(sizes),
            "urls": [r.url for r in seen["finished"]],
            "elsewhere": len(seen["elsewhere"]),
            "console_errors": len(seen["errors"]),
        }
