"""Real-browser tests: the built starter handbook in Debian's Chromium, and the live preview of a
copy of it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from browser import free_port, serve_path, static_server
from conftest import HANDBOOK, ctrl_c_works

pytestmark = pytest.mark.browser


def _playbook(root: Path, name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((root / "playbooks" / name).read_text(encoding="utf-8"))
    return data


def test_cross_link_and_dark_mode_toggle(starter_site: Path, browser: Any) -> None:
    """A remedy on the anti-patterns page links a practice on a lifecycle stage's page: the
    reader lands on its heading; the palette toggle switches the colour scheme."""
    links = json.loads((starter_site / "site" / "links.json").read_text(encoding="utf-8"))
    anti_patterns = _playbook(starter_site, "anti-patterns.yaml")
    remedies = [remedy for ap in anti_patterns["anti_patterns"] for remedy in ap["remedies"]]
    see = [entry_id for remedy in remedies for entry_id in remedy.get("see", [])]
    target = next(i for i in see if links[i].startswith("lifecycle/"))
    page_url = links[anti_patterns["id"]].split("#")[0]
    assert not page_url.startswith("lifecycle/")  # a link to another page, not within this one
    with static_server(starter_site / "site", prefix=serve_path(starter_site)) as base:
        page = browser.new_page()
        page.goto(base + page_url)
        page.locator(f"article a[href$='#{target}']").first.click()
        page.wait_for_url(f"**/{links[target]}")
        assert page.locator(f"h3#{target}").is_visible()
        scheme = page.locator("body").get_attribute("data-md-color-scheme")
        page.locator("form[data-md-component='palette'] label:visible").first.click()
        assert page.locator("body").get_attribute("data-md-color-scheme") != scheme
        page.close()


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


def test_serve_reloads_the_browser_when_a_playbook_changes(handbook: Path, browser: Any) -> None:
    """Saving a playbook or CONTRIBUTING.md reloads the open page by itself; a broken save is
    reported in the terminal and the last good page stays up."""
    port = free_port()
    log_path = handbook.parent / "serve.log"
    log = log_path.open("w")
    server = subprocess.Popen(
        [*HANDBOOK, "serve", "--port", str(port)],
        cwd=handbook,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        preexec_fn=ctrl_c_works,
    )
    try:
        base = f"http://127.0.0.1:{port}{serve_path(handbook)}"
        url = base + "faq/faq/"
        _wait_for_http(url, 60)
        page = browser.new_page()
        page.goto(url)
        faq = handbook / "playbooks" / "faq.yaml"
        original = faq.read_text(encoding="utf-8")
        faq.write_text(original.replace("title:", "title: Live edit —", 1), encoding="utf-8")
        page.locator("h1", has_text="Live edit —").wait_for(timeout=30_000)  # reloaded by itself

        page.goto(base + "contributing/")
        contributing = handbook / "CONTRIBUTING.md"
        text = contributing.read_text(encoding="utf-8")
        heading = text.splitlines()[0]
        assert heading.startswith("# ") and "Contribute here" not in text
        contributing.write_text(text.replace(heading, "# Contribute here", 1), encoding="utf-8")
        page.locator("h1", has_text="Contribute here").wait_for(timeout=30_000)

        faq.write_text(original + "\nbroken: [\n", encoding="utf-8")
        deadline = time.monotonic() + 30
        while "playbooks/faq.yaml:" not in log_path.read_text():
            assert time.monotonic() < deadline, "serve did not report the broken playbook"
            time.sleep(0.3)
        with urllib.request.urlopen(url, timeout=5) as response:
            assert "Live edit —" in response.read().decode()  # the last good page stays up
        page.close()
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    output = log_path.read_text()
    assert "Traceback" not in output, output


def test_serve_rebuilds_what_an_edit_changes(handbook: Path) -> None:
    """`handbook serve` re-renders only the pages an edit changes (`nav_views`): the edited
    page after a change to its text, and every page showing its title after a change to that."""
    faq = handbook / "playbooks" / "faq.yaml"
    original = faq.read_text(encoding="utf-8")
    title = _playbook(handbook, "faq.yaml")["title"]
    assert original.count(f"\ntitle: {title}\n") == 1
    summary_line = "\n  " + _playbook(handbook, "faq.yaml")["summary"].splitlines()[0]
    assert original.count(summary_line) == 1
    other = "defaults/defaults/"  # a page that shows the FAQ's title in its navigation only
    port = free_port()
    server = subprocess.Popen(
        [*HANDBOOK, "serve", "--port", str(port)],
        cwd=handbook,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=ctrl_c_works,
    )
    base = f"http://127.0.0.1:{port}{serve_path(handbook)}"

    def page_text(path: str = "faq/faq/") -> str:
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
        wait_until("serve did not start", lambda: title in page_text())
        edited = original.replace(summary_line, "\n  Text edit." + summary_line[2:], 1)
        faq.write_text(edited, encoding="utf-8")
        wait_until("the edited page was not rebuilt", lambda: "Text edit." in page_text())
        shown = page_text(other)
        assert title in shown
        assert title not in shown[shown.index("<article") : shown.index("</article>")]  # the navigation's
        faq.write_text(original.replace(f"\ntitle: {title}\n", "\ntitle: Title edit\n", 1), encoding="utf-8")
        wait_until("the edited page was not rebuilt", lambda: "Title edit" in page_text())
        # another page's navigation names the page anew
        wait_until("another page's navigation kept the old title", lambda: "Title edit" in page_text(other))
        assert title not in page_text(other)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            _, stderr = server.communicate(timeout=60)
        except subprocess.TimeoutExpired:  # mid-rebuild on a loaded machine: never hide the real failure
            server.kill()
            _, stderr = server.communicate()
    assert "Traceback" not in stderr
