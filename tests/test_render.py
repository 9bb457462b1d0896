"""Rendering rules that golden files cannot show: strict templates and safe labels."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from generator.pipeline import Project, check_sources
from generator.render import TEMPLATES_DIR, TemplateFailure, escape_heading, escape_label, render_pages

GOLDEN = Path(__file__).parent / "golden"


def test_a_template_asking_for_a_missing_field_fails_loudly(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, templates)
    faq = templates / "faq.md.j2"
    faq.write_text(faq.read_text().replace("{{ q.answer }}", "{{ q.answer }}\n{{ q.no_such_field }}"))
    handbook, problems = check_sources(Project(GOLDEN))
    assert not problems
    with pytest.raises(TemplateFailure) as failure:
        render_pages(handbook, dt.date(2026, 1, 1), templates)
    assert failure.value.template.endswith("faq.md.j2")
    assert failure.value.line > 0
    assert "no_such_field" in failure.value.message


def test_labels_and_headings_cannot_break_out_of_their_markdown() -> None:
    assert escape_label("Skip the [pilot]") == r"Skip the \[pilot\]"
    assert escape_heading("What about {{ 7*7 }}? { #evil }") == r"What about \{\{ 7*7 \}\}? \{ #evil \}"
