"""The live preview shows invalid playbooks on the page itself, and stops once they are fixed."""

from __future__ import annotations

import os
import subprocess
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from browser import free_port, serve_path
from conftest import HANDBOOK, run_handbook

from generator.mkdocs_plugin import HandbookPlugin, error_panel, with_error_panel
from generator.problems import Problem

PANEL = ".handbook-errors"
SCRIPT = "<script>alert(1)</script>"


def test_error_panel_escapes_what_the_yaml_says() -> None:
    problem = Problem("playbooks/faq.yaml", 3, 8, f"raw HTML is not allowed ('{SCRIPT}')")
    panel = error_panel([problem, "templates/page.md.j2:4: error: <b>"])
    assert 'role="alert"' in panel
    assert "2 problem(s) in the playbooks" in panel
    assert "<script>" not in panel and "<b>" not in panel
    assert "<li><code>playbooks/faq.yaml:3:8: error: raw HTML is not allowed (&#x27;&lt;script&gt;" in panel
    assert "<li><code>templates/page.md.j2:4: error: &lt;b&gt;</code></li>" in panel
    assert "Fix them and save: this page reloads by itself." in panel


def test_error_panel_goes_at_the_top_of_the_content() -> None:
    problems = [Problem("playbooks/faq.yaml", 1, 1, "broken")]
    page = '<body class="x"><nav>n</nav><article class="md-content__inner">text</article></body>'
    shown = with_error_panel(page, problems)
    assert shown.startswith('<body class="x"><nav>n</nav><article class="md-content__inner"><div class')
    assert shown.endswith("this page reloads by itself.</p></div>text</article></body>")
    assert with_error_panel("<body dir='ltr'><p>x</p>", problems).startswith("<body dir='ltr'><div class")


def test_a_built_site_never_gets_the_panel() -> None:
    plugin = HandbookPlugin()
    plugin.preview_errors = [Problem("playbooks/faq.yaml", 1, 1, "broken")]
    page = "<body><article>text</article></body>"
    assert plugin.on_post_page(page, page=None, config=None) == page  # type: ignore[arg-type]
    plugin.command = "serve"
    assert PANEL[1:] in plugin.on_post_page(page, page=None, config=None)  # type: ignore[arg-type]
    plugin.preview_errors = []
    assert plugin.on_post_page(page, page=None, config=None) == page  # type: ignore[arg-type]


def _wait_for(
    condition: Callable[[], bool], seconds: float, what: str, server: subprocess.Popen[bytes]
) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert server.poll() is None, f"handbook serve exited with {server.returncode}"
        assert time.monotonic() < deadline, f"timed out after {seconds} s: {what}"
        time.sleep(1)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@pytest.mark.parametrize("flags", [(), ("--full",)], ids=["serve", "serve-full"])
def test_serve_shows_invalid_playbooks_on_every_page_until_fixed(
    handbook: Path, tmp_path: Path, browser: Any, flags: tuple[str, ...]
) -> None:
    """A copy of the starter previewed; its FAQ's owner made invalid (markup in it) and fixed."""
    from playwright.sync_api import Error as PlaywrightError

    project = handbook
    faq = project / "playbooks" / "faq.yaml"
    original = faq.read_text(encoding="utf-8")
    title = yaml.safe_load(original)["title"]
    assert original.count("\nowner: ") == 1
    owner_line = original[: original.index("\nowner: ")].count("\n") + 2
    broken = original.replace("\nowner: ", f"\nowner: {SCRIPT} ", 1)

    # What `handbook check` prints for the broken file: the panel must say exactly that.
    faq.write_text(broken, encoding="utf-8")
    check = run_handbook("check", cwd=project)
    faq.write_text(original, encoding="utf-8")
    expected = [line for line in check.stdout.splitlines() if ": error: " in line]
    assert expected, check.stdout + check.stderr
    assert any(line.startswith(f"playbooks/faq.yaml:{owner_line}:") for line in expected), expected

    port = free_port()
    base = f"http://127.0.0.1:{port}{serve_path(project)}"
    url = base + "faq/faq/"
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [*HANDBOOK, "serve", "--host", "127.0.0.1", "--port", str(port), *flags],
            cwd=project,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

        def panel_count(at: str = url) -> int:
            """How many panels the page shows once loaded; -1 if a live reload got in the way."""
            try:
                page.goto(at)
                return int(page.locator(PANEL).count())
            except PlaywrightError:
                return -1

        try:
            _wait_for(lambda: _answers(url), 120, "the first build", server)
            assert panel_count() == 0
            assert page.locator("h1", has_text=title).count() == 1

            faq.write_text(broken, encoding="utf-8")
            _wait_for(lambda: panel_count() == 1, 90, "the error panel after breaking the YAML", server)
            panel = page.locator(f"article {PANEL}[role='alert']")
            assert panel.count() == 1
            assert panel.locator("li code").all_inner_texts() == expected
            assert SCRIPT in panel.inner_text()  # shown as text...
            assert panel.locator("script").count() == 0  # ...never run
            assert f"{len(expected)} problem(s) in the playbooks" in panel.inner_text()
            assert "Fix them and save: this page reloads by itself." in panel.inner_text()
            assert page.locator("h1", has_text=title).count() == 1  # last good page
            assert panel_count(base) == 1  # every page, not only the broken playbook's
            assert panel_count(base + "no-such-page/") == 1  # the 404 page too

            faq.write_text(original, encoding="utf-8")
            _wait_for(lambda: panel_count() == 0, 90, "the panel to go after fixing the YAML", server)
            assert page.locator("h1", has_text=title).count() == 1
            assert panel_count(base) == 0
            assert panel_count(base + "no-such-page/") == 0
            assert dialogs == []
        finally:
            page.close()
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    output = log_path.read_text()
    assert "Traceback" not in output, output
