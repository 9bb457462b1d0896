"""A live preview remembers what it parsed and rendered, and re-renders only what a save changed.

Whatever it remembers, the Markdown it writes must be byte for byte what a fresh generation
writes: each test edits a real synthetic handbook, generates with the preview's memory, and
compares the build folder with a generation from scratch."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest
from conftest import REPO

from generator.pipeline import PreviewMemory, Project, generate
from generator.render import TEMPLATES_DIR

sys.path.insert(0, str(REPO / "bench"))
from synth import write_handbook

PAGES = 60


def _docs(root: Path) -> dict[str, bytes]:
    docs = root / "build" / "docs"
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()}


def _fresh(root: Path, templates: Path = TEMPLATES_DIR) -> dict[str, bytes]:
    """The build folder as a generation without memory writes it (in a copy of the handbook)."""
    copy = root.parent / f"{root.name}-fresh"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("build", "site"))
    generate(Project(copy), templates)
    return _docs(copy)


@pytest.fixture
def handbook(tmp_path: Path) -> Path:
    root = tmp_path / "hb"
    write_handbook(None, root, pages=PAGES, per_page=3)
    return root


def _edit(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    edited = re.sub(pattern, replacement, text, count=1, flags=re.MULTILINE)
    assert edited != text, f"{pattern!r} not in {path}"
    path.write_text(edited, encoding="utf-8")


def test_a_text_edit_renders_that_playbook_only(handbook: Path) -> None:
    memory = PreviewMemory()
    first = generate(Project(handbook), memory=memory)
    faq = handbook / "playbooks" / "faq-1.yaml"
    _edit(faq, r"^(summary:(?: *>-?\n *| ))", r"\g<1>Edited today. ")
    generate(Project(handbook), memory=memory)
    assert memory.rendered.reused == first.playbooks - 1
    docs = _docs(handbook)
    assert b"Edited today." in docs["faq/faq-1.md"]
    listing = [path for path in docs if path.startswith("faq/") and b"Edited today." in docs[path]]
    assert len(listing) == 2, listing  # its page, and the index page that quotes its summary
    assert docs == _fresh(handbook)


def test_a_title_edit_renders_the_pages_that_show_it_and_only_them(handbook: Path) -> None:
    """An entry's new title reaches every page that links it or lists it as a referrer; the
    pages that never looked it up are kept."""
    memory = PreviewMemory()
    first = generate(Project(handbook), memory=memory)
    target = next(p for p in sorted((handbook / "playbooks").glob("*.yaml")) if "see:" in p.read_text())
    _edit(target, r"^(title: .*)$", r"\g<1> Renamed")
    generate(Project(handbook), memory=memory)
    docs = _docs(handbook)
    showing = {path for path, text in docs.items() if b"Renamed" in text}
    own = target.stem
    assert [path for path in showing if own not in path and "/part-" not in path], showing
    assert docs == _fresh(handbook)
    assert 0 < memory.rendered.reused < first.playbooks - 1, showing


def test_a_changed_reference_renders_the_pages_it_links(handbook: Path) -> None:
    """A new `see:` adds a backlink to another playbook's page: that page is rendered again."""
    memory = PreviewMemory()
    generate(Project(handbook), memory=memory)
    source = handbook / "playbooks" / "faq-1.yaml"
    text = source.read_text(encoding="utf-8")
    assert "see:" in text
    ids = re.findall(r"^    - id: ([a-z0-9-]+)$", text, re.MULTILINE) or re.findall(r"id: ([a-z0-9-]+)", text)
    _edit(source, r"^(\s+)see:\n", rf"\g<1>see:\n\g<1>- {ids[-1]}\n")
    generate(Project(handbook), memory=memory)
    assert memory.rendered.reused > 0  # the pages that show nothing of either are kept
    assert _docs(handbook) == _fresh(handbook)


def test_an_edited_template_renders_every_page_again(handbook: Path, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, templates)
    memory = PreviewMemory()
    generate(Project(handbook), templates, memory=memory)
    faq_template = templates / "faq.md.j2"
    text = faq_template.read_text(encoding="utf-8")
    assert "{% block body %}\n" in text
    edited = text.replace("{% block body %}\n", "{% block body %}\nTemplate edited.\n")
    faq_template.write_text(edited, encoding="utf-8")
    generate(Project(handbook), templates, memory=memory)
    assert memory.rendered.reused == 0
    docs = _docs(handbook)
    assert b"Template edited." in docs["faq/faq-1.md"]
    assert docs == _fresh(handbook, templates)


def test_a_page_that_lists_other_playbooks_is_never_reused() -> None:
    """The operating model lists the lifecycle stages with their titles: it depends on them."""
    memory = PreviewMemory()
    generate(Project(REPO), memory=memory)
    kept = set(memory.rendered.pages)
    assert "playbooks/operating-model.yaml" not in kept
    assert "playbooks/decision-rights.yaml" in kept
