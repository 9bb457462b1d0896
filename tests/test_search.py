"""Search documents and settings: one document per entry, synonyms and keywords reaching the
index, search.yaml checked like a playbook, and field text that stays text. The documents are
those of `tests/handbooks/search/`, a handbook written for search."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, built, new_handbook, run_handbook

from generator import layout, search
from generator.pipeline import Project, check, generate
from generator.search_docs import expand, playbook_docs, synonym_token
from generator.search_settings import SearchSettings, read_search_settings
from generator.search_text import compounds, joined_compounds, plain_text, searchable, words
from generator.validate import Handbook

Documents = tuple[Handbook, list[search.SearchDoc]]


@pytest.fixture(scope="module")
def search_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The search handbook, written once for this module's read-only tests."""
    return new_handbook(tmp_path_factory.mktemp("search") / "handbook", "search")


@pytest.fixture(scope="module")
def documents(search_root: Path) -> Documents:
    handbook, problems = check(Project(search_root))
    assert problems == []
    return handbook, playbook_docs(handbook)


def test_every_entry_has_exactly_one_document_at_its_own_address(documents: Documents) -> None:
    handbook, docs = documents
    urls = [doc.url for doc in docs]
    expected = {layout.entry_url(entry.playbook, eid) for eid, entry in handbook.entries.items()}
    assert sorted(urls) == sorted(expected)
    by_url = {doc.url: doc for doc in docs}
    for eid, entry in handbook.entries.items():
        assert by_url[layout.entry_url(entry.playbook, eid)].title == " ".join(entry.label.split())


def test_a_document_holds_its_own_text_and_not_that_of_nested_entries(documents: Documents) -> None:
    _, docs = documents
    by_url = {doc.url.split("#")[-1]: doc for doc in docs}
    stage, practice = by_url["lifecycle/stage-pilot/"], by_url["pilot-project"]
    assert stage.title == "Pilot" and practice.title == "Run a small pilot project"
    assert practice.text and practice.text[:60] not in stage.text
    assert practice.where == "Pilot"
    question = by_url["faq-run-a-pilot"]
    assert question.where == "Frequently asked questions › Selecting and piloting a partner"
    assert "measurable outcomes" in question.text
    assert by_url["faq-group-selection"].text == ""  # a group's questions are documents of their own
    kpi = by_url["kpi-problems-solved"]
    assert kpi.where == "Partnership operating model › Key performance indicators"
    assert "FAQ" in by_url["faq-run-a-pilot"].context  # the kind is context for every entry


def test_markdown_is_read_as_the_words_a_reader_sees() -> None:
    text = plain_text("See **the [pilot](../x.md)** and `<img src=x>`:\n\n- one\n- two {{ 7*7 }}")
    assert text == "See the pilot and <img src=x> : one two {{ 7*7 }}"


def test_words_follow_the_documented_rules() -> None:
    assert words("Won't the partner's lock-in, Café?") == ["wont", "the", "partners", "lock", "in", "cafe"]
    assert compounds("lock-in and time-zone") == ["lock-in", "and", "time-zone"]
    assert joined_compounds("lock-in and time-zone") == ["lockin", "timezone"]
    assert searchable("should we outsource all our IT") == ["outsource", "it"]  # IT is an acronym
    assert searchable("it is on us") == []


def _settings(tmp_path: Path, text: str) -> SearchSettings:
    (tmp_path / "search.yaml").write_text(text, encoding="utf-8")
    settings, problems = read_search_settings(tmp_path / "search.yaml")
    assert problems == []
    return settings


def test_a_synonym_declared_in_yaml_reaches_the_index(tmp_path: Path, documents: Documents) -> None:
    """The unit test the issue asks for: a group in search.yaml marks the documents that use any
    of its words, and the index carries the group's words for the search box. The FAQ question
    about meeting in person says "in person"; the engagement model says nothing of the sort."""
    _, all_docs = documents
    docs = [doc for doc in all_docs if doc.url.endswith(("#faq-how-often-visit", "#model-team-extension"))]
    assert len(docs) == 2
    docs = [search.SearchDoc(d.url, d.title, d.where, d.text, list(d.keywords), [], d.context) for d in docs]
    settings = _settings(tmp_path, "synonyms:\n  - [in person, frobnicate the vendor]\n")
    docs = expand(docs, settings)
    token = synonym_token(0)
    visit = next(d for d in docs if d.url.endswith("#faq-how-often-visit"))
    other = next(d for d in docs if d.url.endswith("#model-team-extension"))
    assert token in visit.keywords  # "in person" is in its question: a strong mark
    assert token not in other.keywords + other.alt
    index = json.loads(search.lunr_index(docs, settings))
    assert index["synonyms"] == [{"token": token, "terms": ["in person", "frobnicate the vendor"]}]
    assert token in next(d["k"] for d in index["docs"] if d["u"] == visit.url).split()


def test_synonyms_found_only_in_the_text_mark_it_lightly_and_common_groups_never_strongly() -> None:
    docs = [
        search.SearchDoc(
            f"p/#e{i}", f"Entry {i} with a vendor" if i == 0 else f"Entry {i}", "w", "we pay a vendor"
        )
        for i in range(20)
    ]
    docs.append(search.SearchDoc("p/#ex", "Exit plan", "w", "nothing else"))
    docs = expand(docs, SearchSettings([["vendor", "supplier"], ["exit", "offboarding"]]))
    assert synonym_token(0) in docs[0].alt and synonym_token(0) not in docs[0].keywords  # common group
    assert synonym_token(0) in docs[1].alt
    assert synonym_token(1) in docs[-1].keywords


def test_keywords_reach_the_index_with_title_weight(search_root: Path) -> None:
    """The rule on writing decisions down lists `keywords: [ADR, ...]`, words its text never uses."""
    generated = generate(Project(search_root))
    doc = next(d for d in generated.search_docs if d.url.endswith("#gov-written-decisions"))
    assert "ADR" in doc.keywords and "ADR" not in doc.text
    index = json.loads(search.lunr_index(generated.search_docs, generated.search_settings))
    assert index["fields"]["k"] > index["fields"]["x"]
    assert "ADR" in next(d["k"] for d in index["docs"] if d["u"] == doc.url).split()


def test_a_handbook_s_search_yaml_is_read_into_the_index(tmp_path: Path) -> None:
    """Every group of the handbook's search.yaml, in its order and words, reaches the index the
    search box reads, each with the token that marks the documents using it."""
    written = yaml.safe_load((FIXTURES / "search" / "search.yaml").read_text(encoding="utf-8"))["synonyms"]
    root = built(new_handbook(tmp_path / "hb", "search"))
    settings, problems = read_search_settings(root / "search.yaml")
    assert problems == [] and settings.synonyms == written
    index = json.loads((root / "site" / "search" / "index.json").read_text(encoding="utf-8"))
    tokens = [synonym_token(g) for g in range(len(written))]
    assert index["synonyms"] == [
        {"token": t, "terms": terms} for t, terms in zip(tokens, written, strict=True)
    ]
    extension = next(d for d in index["docs"] if d["u"].endswith("#model-team-extension"))
    group = next(g for g, terms in enumerate(written) if "team extension" in terms)
    assert tokens[group] in extension["k"].split()  # its title is a word of the group: a strong mark


def test_check_reports_a_bad_search_yaml_with_positions(handbook: Path) -> None:
    (handbook / "search.yaml").write_text("synonyms:\n  - [vendor]\n  - [the, a]\n", encoding="utf-8")
    result = run_handbook("check", cwd=handbook)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "search.yaml:2:5: error: each item of 'synonyms' needs at least 2 item(s)",
    ]
    (handbook / "search.yaml").write_text(
        "synonyms:\n  - [vendor, supplier]\n  - [the, a]\n", encoding="utf-8"
    )
    result = run_handbook("check", cwd=handbook)
    assert result.stdout.splitlines() == [
        "search.yaml:3:6: error: 'the' is made of stop words only, which search ignores; remove it",
        "search.yaml:3:11: error: 'a' is made of stop words only, which search ignores; remove it",
    ]
    build = run_handbook("build", cwd=handbook)
    assert build.returncode == 1 and "search.yaml:3:6:" in build.stderr and "Traceback" not in build.stderr


def test_a_handbook_without_search_yaml_still_searches(handbook: Path) -> None:
    (handbook / "search.yaml").unlink()
    assert run_handbook("check", cwd=handbook).returncode == 0
    settings, problems = read_search_settings(handbook / "search.yaml")
    assert settings.synonyms == [] and problems == []


@pytest.mark.parametrize(
    ("repo_url", "template", "expected"),
    [
        (
            "https://github.com/acme/handbook",
            None,
            "https://github.com/acme/handbook/issues/new?title={title}&body={body}",
        ),
        (
            "https://gitlab.example.com/acme/handbook/",
            None,
            "https://gitlab.example.com/acme/handbook/-/issues/new?issue%5Btitle%5D={title}&issue%5Bdescription%5D={body}",
        ),
        (None, None, ""),
        ("https://github.com/acme/handbook", "", ""),
        (
            "https://github.com/acme/handbook",
            "https://help.example/ask?q={title}",
            "https://help.example/ask?q={title}",
        ),
    ],
)
def test_ask_url_follows_the_forge(repo_url: str | None, template: str | None, expected: str) -> None:
    assert search.ask_url(repo_url, template) == expected


def test_pagefind_records_keep_field_text_as_text() -> None:
    doc = search.SearchDoc(
        'faq/x/#q"><script>alert(1)</script>',
        "Why <img src=x onerror=alert(1)>?",
        'a "where"',
        "Use `<b>` & co.",
    )
    record = search.pagefind_record(doc)
    assert "<script>" not in record and "<img" not in record and "<b>" not in record
    assert 'data-pagefind-meta="url:faq/x/#q&quot;&gt;&lt;script&gt;' in record
    assert 'data-pagefind-meta="title:Why &lt;img src=x onerror=alert(1)&gt;?"' in record
    assert re.search(r'data-pagefind-weight="10(\.0)?">img src x onerror alert 1</p>', record)


def test_word_lists_are_split_by_first_letter_without_stop_words_or_tokens() -> None:
    docs = [search.SearchDoc("p/", "Escalation ladder", "w", "the vendor escalates", ["hbsyn0x"])]
    lists = search.word_lists(docs, SearchSettings([["vendor", "supplier"]]))
    assert lists["e"] == {"escalation": 1, "escalates": 1}
    assert lists["v"] == {"vendor": 1} and "t" not in lists and "h" not in lists


def test_search_files_stay_out_of_the_source_tree(tmp_path: Path) -> None:
    root = new_handbook(tmp_path / "hb", "search")
    before = sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())
    assert run_handbook("build", cwd=root).returncode == 0
    after = sorted(
        p.relative_to(root)
        for p in root.rglob("*")
        if p.is_file() and p.parts[len(root.parts)] not in ("site", "build")
    )
    assert before == after
    shutil.rmtree(root / "site")


def test_pagefind_documents_are_dealt_out_to_as_few_indexes_as_hold_them() -> None:
    from generator.search import pagefind_shards

    assert pagefind_shards(10, 5000) == [range(0, 10, 1)]
    shards = pagefind_shards(10_001, 5000)
    assert len(shards) == 3 and max(len(s) for s in shards) <= 5000
    assert sorted(n for s in shards for n in s) == list(range(10_001))  # each document once
    assert list(shards[1][:3]) == [1, 4, 7]  # in turn: every index gets every kind
    assert pagefind_shards(0, 5000) == [range(0, 0, 1)]
