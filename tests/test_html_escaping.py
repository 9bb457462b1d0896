"""YAML text reaches the built pages as text, wherever it lands: an element's text, an attribute
(the head's description, the footer's labels), the page title. Checked in a real site (the
starter, with hostile text in its FAQ and scorecard) with an HTML parser, not by searching the
HTML for strings."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import new_handbook, run_handbook

# `handbook check` rejects text that looks like a tag (`<b`): a `<` that is not one still counts.
TITLE = 'Answers "quoted" & x < y onmouseover="alert(1)"'
SUMMARY = 'Quick answers "x" autofocus onfocus="alert(1)" here & 1 < 2.'
TAG = 'odd "tag" & a < b onclick="alert(2)"'
SCORECARD_TITLE = 'Vetting "card" onclick="alert(3)" & 3 < 4'


class Page(HTMLParser):
    """The parts of a page that YAML text can reach: every attribute, the texts of the
    elements asked about."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.attributes: list[tuple[str, str, str]] = []  # tag, attribute, value
        self.texts: dict[str, list[str]] = {}
        self._open: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes.extend((tag, name, value or "") for name, value in attrs)
        classes = dict(attrs).get("class") or ""
        self._open.append(tag + "".join("." + c for c in classes.split()))

    def handle_endtag(self, tag: str) -> None:
        while self._open and not self._open.pop().startswith(tag):
            pass

    def handle_data(self, data: str) -> None:
        for opened in self._open:
            self.texts.setdefault(opened, []).append(data)

    def text_of(self, element: str) -> str:
        """The text inside elements such as "h1" or "a.md-tag" (that class among others)."""
        found = [" ".join(t) for key, t in self.texts.items() if (key + ".").startswith(element + ".")]
        return " ".join(" ".join(found).split())

    def meta(self, name: str) -> list[str]:
        found = [(t, n, v) for t, n, v in self.attributes if t == "meta"]
        names = [v for t, n, v in found if n == "name"]
        contents = [v for t, n, v in found if n == "content"]
        return [c for n, c in zip(names, contents, strict=False) if n == name]


def pages(site: Path) -> Iterator[tuple[Path, Page]]:
    for path in sorted(site.rglob("*.html")):
        yield path, Page(path.read_text(encoding="utf-8"))


def _edit(path: Path, pattern: str, replacement: str) -> None:
    """Replace the first match of `pattern` in the file, which must have one."""
    text = path.read_text(encoding="utf-8")
    text, count = re.subn(pattern, lambda _: replacement, text, count=1, flags=re.M)
    assert count == 1, f"{path.name}: no match for {pattern!r}"
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = new_handbook(tmp_path_factory.mktemp("hostile") / "handbook")
    faq = root / "playbooks" / "faq.yaml"
    _edit(faq, r"^title: .*$", f"title: '{TITLE}'")
    _edit(faq, r"^summary: [|>]-?\n(  .*\n)+", f"summary: '{SUMMARY}'\n")
    _edit(faq, r"^tags: \[", f"tags: ['{TAG}', ")
    _edit(root / "playbooks" / "partner-scorecard.yaml", r"^title: .*$", f"title: '{SCORECARD_TITLE}'")
    result = run_handbook("build", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def test_no_attribute_is_injected_anywhere(hostile_site: Path) -> None:
    for path, page in pages(hostile_site):
        handlers = [(t, n) for t, n, _ in page.attributes if n.startswith("on")]
        assert not handlers, f"{path}: event-handler attributes {handlers}"
        assert not [t for t, n, _ in page.attributes if n == "autofocus"], path


def test_the_faq_page_shows_the_text_as_written(hostile_site: Path) -> None:
    page = Page((hostile_site / "faq" / "faq" / "index.html").read_text(encoding="utf-8"))
    assert page.meta("description") == [SUMMARY]
    assert page.text_of("title") == f"{TITLE} - Partner Handbook"
    assert TITLE in page.text_of("h1")
    assert page.text_of("a.md-tag").startswith(TAG), page.text_of("a.md-tag")
    assert TITLE in page.text_of("nav.md-nav")  # in the navigation as written


def test_the_title_is_text_on_the_pages_around_it(hostile_site: Path) -> None:
    """Other pages show the FAQ's title in the navigation, the footer and its aria-label."""
    footers = [
        (path, value)
        for path, page in pages(hostile_site)
        for tag, name, value in page.attributes
        if tag == "a" and name == "aria-label" and TITLE in value
    ]
    assert footers, "no page's footer links to the FAQ"
    assert all(value.endswith(TITLE) for _, value in footers), footers[:3]
    tag_page = Page((hostile_site / "tags" / "index.html").read_text(encoding="utf-8"))
    assert TAG in tag_page.text_of("article.md-content__inner")


def test_the_scorecard_tool_gets_its_title_as_text(hostile_site: Path) -> None:
    page = Page(
        (hostile_site / "scorecards" / "partner-scorecard" / "index.html").read_text(encoding="utf-8")
    )
    titles = [v for t, n, v in page.attributes if n == "data-title"]
    assert titles == [SCORECARD_TITLE]
    assert page.text_of("title") == f"{SCORECARD_TITLE} - Partner Handbook"


def test_the_guard_reads_the_head_too(hostile_site: Path) -> None:
    """Last, as it edits the handbook: a theme override (which extends the engine's
    "handbook/main.html") that undoes the escaping (`striptags` unescapes) fails the build: the
    rendered-HTML guard reads the whole page, head included, and names the playbook, once."""
    root = hostile_site.parent
    main = root / "theme_overrides" / "main.html"
    assert '{% extends "handbook/main.html" %}' in main.read_text(encoding="utf-8")
    main.write_text(
        main.read_text(encoding="utf-8") + "{% block extrahead %}{% if page and page.meta.description %}"
        '<meta name="x-summary" content="{{ page.meta.description | striptags }}">'
        "{% endif %}{% endblock %}\n",
        encoding="utf-8",
    )
    before = {p: p.stat().st_mtime_ns for p in hostile_site.rglob("*.html")}
    result = run_handbook("build", cwd=root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "playbooks/faq.yaml: unsafe HTML in the rendered page: " in result.stderr, result.stderr
    assert "'onfocus' attribute on <meta>" in result.stderr
    assert result.stderr.count("unsafe HTML") == 1 and "Traceback" not in result.stderr
    assert {p: p.stat().st_mtime_ns for p in hostile_site.rglob("*.html")} == before  # the last site stays
