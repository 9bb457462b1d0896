"""Real-browser tests: the built site in Debian's Chromium, and the live preview."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from browser import free_port, serve_path, static_server
from conftest import HANDBOOK, ctrl_c_works

pytestmark = pytest.mark.browser


def test_cross_link_and_dark_mode_toggle(built_site: Path, browser: Any) -> None:
    with static_server(built_site) as base:
        page = browser.new_page()
        page.goto(base + "anti-patterns/partner-anti-patterns/")
        page.locator("article a[href$='#knowledge-transfer']").first.click()
        page.wait_for_url("**/lifecycle/stage-working-together/#knowledge-transfer")
        assert page.locator("h3#knowledge-transfer").is_visible()
        scheme = page.locator("body").get_attribute("data-md-color-scheme")
        page.locator("form[data-md-component='palette'] label:visible").first.click()
        assert page.locator("body").get_attribute("data-md-color-scheme") != scheme


def _wait_for_http(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_serve_reloads_the_browser_when_a_playbook_changes(project: Path, browser: Any) -> None:
    port = free_port()
    log = (project.parent / "serve.log").open("w")
    server = subprocess.Popen(
        [*HANDBOOK, "serve", "--port", str(port)],
        cwd=project,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        preexec_fn=ctrl_c_works,
    )
    try:
        url = f"http://127.0.0.1:{port}{serve_path(project)}faq/partner-faq/"
        _wait_for_http(url, 60)
        page = browser.new_page()
        page.goto(url)
        faq = project / "playbooks" / "partner-faq.yaml"
        original = faq.read_text(encoding="utf-8")
        faq.write_text(original.replace("title:", "title: Live edit —", 1), encoding="utf-8")
        page.locator("h1", has_text="Live edit —").wait_for(timeout=30_000)  # reloaded by itself

        page.goto(f"http://127.0.0.1:{port}{serve_path(project)}contributing/")
        contributing = project / "CONTRIBUTING.md"
        contributing.write_text(contributing.read_text().replace("# How to contribute", "# Contribute here"))
        page.locator("h1", has_text="Contribute here").wait_for(timeout=30_000)

        faq.write_text(original + "\nbroken: [\n", encoding="utf-8")
        deadline = time.monotonic() + 30
        while "playbooks/partner-faq.yaml:" not in (project.parent / "serve.log").read_text():
            assert time.monotonic() < deadline, "serve did not report the broken playbook"
            time.sleep(0.3)
        with urllib.request.urlopen(url, timeout=5) as response:
            assert "Live edit —" in response.read().decode()  # the last good page stays up
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    output = (project.parent / "serve.log").read_text()
    assert "Traceback" not in output, output


def test_serve_rebuilds_what_an_edit_changes(project: Path) -> None:
    """`handbook serve` re-renders only the pages an edit changes (`nav_views`): the edited
    page after a change to its text, and every page showing its title after a change to that."""
    port = free_port()
    server = subprocess.Popen(
        [*HANDBOOK, "serve", "--port", str(port)],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=ctrl_c_works,
    )
    base = f"http://127.0.0.1:{port}{serve_path(project)}"

    def page_text(path: str = "faq/partner-faq/") -> str:
        try:
            with urllib.request.urlopen(base + path, timeout=5) as response:
                return str(response.read().decode())
        except OSError:
            return ""

    def wait_until(what: str, ready: Callable[[], bool]) -> None:
        deadline = time.monotonic() + 60
        while not ready():
            assert time.monotonic() < deadline, what
            time.sleep(0.2)

    try:
        wait_until("serve did not start", lambda: "Frequently asked questions" in page_text())
        faq = project / "playbooks" / "partner-faq.yaml"
        original = faq.read_text()
        text = "\n  Short, direct answers"
        assert text in original
        faq.write_text(original.replace(text, "\n  Text edit." + text[2:], 1))
        wait_until("the edited page was not rebuilt", lambda: "Text edit." in page_text())
        other = "culture/culture-template/"
        assert "Frequently asked questions" in page_text(other)
        faq.write_text(original.replace("title: Frequently asked questions", "title: Title edit", 1))
        wait_until("the edited page was not rebuilt", lambda: "Title edit" in page_text())
        # another page's navigation names the page anew
        wait_until("another page's navigation kept the old title", lambda: "Title edit" in page_text(other))
        assert "Frequently asked questions" not in page_text(other)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            _, stderr = server.communicate(timeout=60)
        except subprocess.TimeoutExpired:  # mid-rebuild on a loaded machine: never hide the real failure
            server.kill()
            _, stderr = server.communicate()
    assert "Traceback" not in stderr
