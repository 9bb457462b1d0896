"""Real-browser tests: the built site in Debian's Chromium, and the live preview."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from browser import free_port, static_server
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
        url = f"http://127.0.0.1:{port}/faq/partner-faq/"
        _wait_for_http(url, 60)
        page = browser.new_page()
        page.goto(url)
        faq = project / "playbooks" / "partner-faq.yaml"
        original = faq.read_text(encoding="utf-8")
        faq.write_text(original.replace("title:", "title: Live edit —", 1), encoding="utf-8")
        page.locator("h1", has_text="Live edit —").wait_for(timeout=30_000)  # reloaded by itself

        page.goto(f"http://127.0.0.1:{port}/contributing/")
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


def test_serve_dirty_rebuilds_the_edited_page(project: Path) -> None:
    """`handbook serve --dirty` re-renders only what changed, and the edit still shows."""
    port = free_port()
    server = subprocess.Popen(
        [*HANDBOOK, "serve", "--port", str(port), "--dirty"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=ctrl_c_works,
    )
    url = f"http://127.0.0.1:{port}/faq/partner-faq/"

    def page_text() -> str:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return str(response.read().decode())
        except OSError:
            return ""

    try:
        deadline = time.monotonic() + 60
        while "Frequently asked questions" not in page_text():
            assert time.monotonic() < deadline, "serve did not start"
            time.sleep(0.2)
        faq = project / "playbooks" / "partner-faq.yaml"
        faq.write_text(faq.read_text().replace("title: Frequently asked questions", "title: Dirty edit", 1))
        deadline = time.monotonic() + 60
        while "Dirty edit" not in page_text():
            assert time.monotonic() < deadline, "the edited page was not rebuilt"
            time.sleep(0.2)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            _, stderr = server.communicate(timeout=60)
        except subprocess.TimeoutExpired:  # mid-rebuild on a loaded machine: never hide the real failure
            server.kill()
            _, stderr = server.communicate()
    assert "Traceback" not in stderr
