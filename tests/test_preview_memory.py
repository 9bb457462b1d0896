"""A live preview remembers what it parsed and rendered, and re-renders only what a save changed.

Whatever it remembers, the Markdown it writes must be byte for byte what a fresh generation
writes: each test edits a copy of the starter handbook, generates with the preview's memory,
and compares the build folder with a generation from scratch."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import yaml

from generator.pipeline import Generated, PreviewMemory, Project, generate
from generator.render import TEMPLATES_DIR


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


def _playbook(root: Path, name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((root / "playbooks" / name).read_text(encoding="utf-8"))
    return data


def _pages(root: Path) -> dict[str, str]:
    """Each playbook's source (as the memory names it) → its page in the build folder."""
    links = json.loads((root / "build" / "docs" / "links.json").read_text(encoding="utf-8"))
    found = {}
    for path in sorted((root / "playbooks").rglob("*.yaml")):
        url = links[yaml.safe_load(path.read_text(encoding="utf-8"))["id"]]
        found[path.relative_to(root).as_posix()] = url.split("#")[0].rstrip("/") + ".md"
    return found


def _rendered_again(root: Path, memory: PreviewMemory, before: dict[str, bytes]) -> set[str]:
    """The playbook pages a save must render again: those whose Markdown it changed, and those
    the memory never keeps."""
    pages = _pages(root)
    docs = _docs(root)
    changed = {page for page in pages.values() if docs[page] != before.get(page)}
    never_kept = {page for source, page in pages.items() if source not in memory.rendered.pages}
    return changed | never_kept


def _remembered(root: Path) -> tuple[PreviewMemory, Generated]:
    """A first generation with memory: it keeps every playbook's page but the operating
    model's, which lists other playbooks."""
    memory = PreviewMemory()
    first = generate(Project(root), memory=memory)
    assert set(_pages(root)) - set(memory.rendered.pages) == {"playbooks/operating-model.yaml"}
    return memory, first


def _edit(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    edited = re.sub(pattern, replacement, text, count=1, flags=re.MULTILINE)
    assert edited != text, f"{pattern!r} not in {path}"
    path.write_text(edited, encoding="utf-8")


def test_a_text_edit_renders_that_playbook_only(handbook: Path) -> None:
    """A new word in the FAQ's summary: its page, its section's index and its tags' pages (which
    quote the summary) change; every other playbook page is taken from memory."""
    memory, first = _remembered(handbook)
    faq = handbook / "playbooks" / "faq.yaml"
    _edit(faq, r"^(summary:(?: *[|>]-?\n *| ))", r"\g<1>Edited today. ")
    generate(Project(handbook), memory=memory)
    assert memory.rendered.reused == first.playbooks - 2  # the operating model's is never kept
    docs = _docs(handbook)
    page = _pages(handbook)["playbooks/faq.yaml"]
    assert b"Edited today." in docs[page]
    quoting = {path for path in docs if b"Edited today." in docs[path]}
    tags = {f"tags/{tag}/index.md" for tag in _playbook(handbook, "faq.yaml")["tags"]}
    assert quoting == {page, page.split("/")[0] + "/index.md", *tags}, quoting
    assert docs == _fresh(handbook)


def test_a_title_edit_renders_the_pages_that_show_it_and_only_them(handbook: Path) -> None:
    """An entry's new title reaches every page that links it or lists it as a referrer; the
    pages that never looked it up are kept."""
    memory, first = _remembered(handbook)
    before = _docs(handbook)
    target = handbook / "playbooks" / "partner-scorecard.yaml"
    _edit(target, r"^(title: .*)$", r"\g<1> Renamed")
    generate(Project(handbook), memory=memory)
    docs = _docs(handbook)
    pages = _pages(handbook)
    own = pages["playbooks/partner-scorecard.yaml"]
    showing = {path for path in set(pages.values()) if b"Renamed" in docs[path]}
    assert showing - {own}, "other playbooks' pages link it"
    assert {path for path in set(pages.values()) if docs[path] != before[path]} == showing
    # rendered again: the pages that show it, and the operating model's (never kept)
    assert first.playbooks - memory.rendered.reused == len(_rendered_again(handbook, memory, before))
    assert docs == _fresh(handbook)
    assert 0 < memory.rendered.reused < first.playbooks - 1, showing


def test_a_changed_reference_renders_the_pages_it_links(handbook: Path) -> None:
    """A new `see:` adds a backlink to another playbook's page: that page is rendered again."""
    memory, first = _remembered(handbook)
    before = _docs(handbook)
    source = handbook / "playbooks" / "faq.yaml"
    criterion = _playbook(handbook, "partner-scorecard.yaml")["groups"][-1]["criteria"][-1]["id"]
    assert criterion not in source.read_text(encoding="utf-8")
    _edit(source, r"^(\s+see: \[)", rf"\g<1>{criterion}, ")
    generate(Project(handbook), memory=memory)
    pages = _pages(handbook)
    changed = {path for path, text in _docs(handbook).items() if text != before.get(path)}
    assert changed == {pages["playbooks/faq.yaml"], pages["playbooks/partner-scorecard.yaml"]}
    assert memory.rendered.reused > 0  # the pages that show nothing of either are kept
    assert first.playbooks - memory.rendered.reused == len(_rendered_again(handbook, memory, before))
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
    assert b"Template edited." in docs[_pages(handbook)["playbooks/faq.yaml"]]
    assert docs == _fresh(handbook, templates)


def test_a_page_that_lists_other_playbooks_is_never_reused(handbook: Path) -> None:
    """The operating model lists the lifecycle stages with their titles: it depends on them.
    The stages' own pages, which list no other playbook, are kept."""
    memory = PreviewMemory()
    generate(Project(handbook), memory=memory)
    kept = set(memory.rendered.pages)
    model = (handbook / "build" / "docs" / _pages(handbook)["playbooks/operating-model.yaml"]).read_text()
    stages = sorted((handbook / "playbooks" / "lifecycle").glob("*.yaml"))
    assert len(stages) >= 2
    for stage in stages:
        assert _playbook(handbook, f"lifecycle/{stage.name}")["title"] in model
        assert f"playbooks/lifecycle/{stage.name}" in kept
    assert "playbooks/operating-model.yaml" not in kept
