"""Nothing internal reaches partners by an ordinary edit.

Each test makes one edit a contributor could make to a copy of the starter handbook (a file in
`content/`, a comment, a link, a synonym, a pasted sentence) with a canary in it, builds the
partner handbook as CI would, and then either finds the edit refused (exit 1, the message at
the file and line that caused it, no site published) or unpacks every file of the partner site
(gzip, zip and office files, JSON escapes, HTML entities: `unpacked`, written here apart from
the leak check it tests) and finds no trace of the canary. The last tests are the other way
round: an organisation's own names that share words with what it shares are not leaks.
"""

from __future__ import annotations

import gzip
import html
import io
import re
import zipfile
from pathlib import Path

import pytest
from conftest import run_handbook

from generator import audience
from generator.pipeline import Project, check_playbooks
from generator.search_settings import SearchSettings
from generator.site import ContentProblems, build_site
from generator.validate import EntryInfo

CANARY = "kestrelceiling4417"  # one word no handbook uses: found, it can only be the edit's


def unpacked(site: Path) -> dict[str, str]:
    """Every file of a site as the text a partner could get out of it, by path."""
    return {
        path.relative_to(site).as_posix(): _text(path.read_bytes())
        for path in site.rglob("*")
        if path.is_file()
    }


def _text(data: bytes) -> str:
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "\n".join(_text(archive.read(name)) for name in archive.namelist())
    text = data.decode("utf-8", errors="replace")
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    return html.unescape(text).lower()


def holding(site: Path, needle: str) -> list[str]:
    return sorted(path for path, text in unpacked(site).items() if needle.lower() in text)


def build_partners(root: Path) -> tuple[int, str]:
    result = run_handbook("build", "--audience", "partners", cwd=root)
    return result.returncode, result.stdout + result.stderr


def refused(root: Path, *expected: str) -> str:
    """Build the partner handbook, which must fail without publishing anything, saying each
    of `expected`; `handbook check --audience partners` must say the same."""
    before = _snapshot(root / "site-partners")
    code, output = build_partners(root)
    assert code == 1, output
    assert _snapshot(root / "site-partners") == before  # nothing published: the last site stands
    check = run_handbook("check", "--audience", "partners", cwd=root)
    assert check.returncode == 1
    for message in expected:
        assert re.search(message, output), output
        assert re.search(message, check.stdout), check.stdout
    return output


def _snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def published(root: Path) -> Path:
    code, output = build_partners(root)
    assert code == 0, output
    return root / "site-partners"


def internal_entry(root: Path, in_file: str = "") -> EntryInfo:
    """A withheld entry with text of at least one long sentence (from the starter, not named),
    in the playbook file `in_file` if given."""
    whole, problems = check_playbooks(Project(root))
    assert not problems
    view = audience.view(whole, "partners")
    for eid, info in sorted(whole.entries.items()):
        text = getattr(info.entry, "answer", None) or getattr(info.entry, "summary", None) or ""
        if eid in view.entries or not info.source.display.endswith(in_file):
            continue
        if len(text.split(".")[0].split()) >= 12:
            return info
    raise AssertionError("the starter has no withheld entry with a long sentence")


def first_sentence(info: EntryInfo) -> str:
    text = getattr(info.entry, "answer", None) or getattr(info.entry, "summary", None) or ""
    return " ".join(text.split(".")[0].split()) + "."


def add_answer(root: Path, answer: str, question_id: str = "faq-canary") -> int:
    """A new question in the starter's shared FAQ; returns the line of its answer."""
    faq = root / "playbooks" / "faq.yaml"
    text = faq.read_text(encoding="utf-8")
    block = (
        f"      - id: {question_id}\n"
        "        question: Where is the canary?\n"
        "        answer: |\n"
        f"          {answer}\n"
        "        see: [operating-model]\n"
    )
    anchor = "      - id: faq-team-changes\n"
    assert anchor in text
    faq.write_text(text.replace(anchor, block + anchor, 1), encoding="utf-8")
    run_handbook("fix", cwd=root, check=True)  # record the new question's URLs, as a contributor would
    return text[: text.index(anchor)].count("\n") + 3  # problems stand at the `answer: |` line


def share_page(root: Path, name: str, body: str) -> Path:
    page = root / "content" / name
    page.write_text(f"---\naudience: [internal, partners]\n---\n# Shared notes\n\n{body}\n", encoding="utf-8")
    run_handbook("fix", cwd=root, check=True)
    return page


def share_files(root: Path, *patterns: str) -> None:
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    listed = ", ".join(f'"{p}"' for p in patterns)
    text, found = re.subn(r"(?m)^(      partners:.*\n)", rf"\1        files: [{listed}]\n", text, count=1)
    assert found == 1
    config.write_text(text, encoding="utf-8")


def _docx(text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", f"<w:document><w:body><w:t>{text}</w:t></w:body></w:document>")
    return buffer.getvalue()


# --- files in content/ --------------------------------------------------------------------------


def test_files_linked_from_an_internal_page_stay_internal(handbook: Path) -> None:
    files = handbook / "content" / "files"
    files.mkdir()
    (files / "rate-card.csv").write_text(f"role,day rate\nsenior,{CANARY}\n", encoding="utf-8")
    (files / "terms.docx").write_bytes(_docx(f"Our ceiling is {CANARY}."))
    (files / "diagram.png").write_bytes(b"\x89PNG\r\n\x1a\n" + CANARY.encode())
    (files / "notes.html").write_text(f"<p>{CANARY}</p>", encoding="utf-8")
    (handbook / "content" / "rates.md").write_text(
        "# Rates\n\n[Rate card](files/rate-card.csv), [terms](files/terms.docx), "
        "[notes](files/notes.html)\n\n![Diagram](files/diagram.png)\n",
        encoding="utf-8",
    )
    run_handbook("fix", cwd=handbook, check=True)
    site = published(handbook)
    assert holding(site, CANARY) == []
    assert not (site / "files").exists()
    run_handbook("build", cwd=handbook, check=True)  # the internal handbook has them all
    assert len(holding(handbook / "site", CANARY)) >= 4


def test_a_shared_page_that_links_a_file_partners_do_not_get_is_refused(handbook: Path) -> None:
    (handbook / "content" / "files").mkdir()
    (handbook / "content" / "files" / "rate-card.csv").write_text(f"senior,{CANARY}\n", encoding="utf-8")
    share_page(handbook, "working-notes.md", "See [the rate card](files/rate-card.csv).")
    unshared = r"'files/rate-card\.csv' is not shared with the partner handbook"
    refused(handbook, rf"content/working-notes\.md:6:21: error: {unshared}")


def test_a_file_shared_in_mkdocs_yml_reaches_partners_and_is_read_by_the_leak_check(handbook: Path) -> None:
    (handbook / "content" / "files").mkdir()
    kit = handbook / "content" / "files" / "partner-kit.docx"
    kit.write_bytes(_docx("Welcome to the team: this kit lists who to call."))
    share_files(handbook, "files/partner-*")
    share_page(handbook, "kit.md", "Download [the kit](files/partner-kit.docx).")
    site = published(handbook)
    assert (site / "files" / "partner-kit.docx").read_bytes() == kit.read_bytes()
    # the same file with an internal entry's sentence in it: found inside the document
    entry = internal_entry(handbook)
    kit.write_bytes(_docx(f"Welcome. {first_sentence(entry)}"))
    line = entry.source.problem(entry.loc, "").line
    where = rf"{re.escape(entry.source.display)}:{line}:\d+"
    refused(handbook, rf"{where}: error: not for the partner handbook, .* is in files/partner-kit\.docx")


def test_a_shared_file_the_leak_check_cannot_read_is_refused(handbook: Path) -> None:
    (handbook / "content" / "files").mkdir()
    (handbook / "content" / "files" / "partner-terms.pdf").write_bytes(b"%PDF-1.7\n\x00\x01\x02 stream")
    share_files(handbook, "files/partner-*")
    share_page(handbook, "terms.md", "Read [our terms](files/partner-terms.pdf).")
    code, output = build_partners(handbook)
    assert code == 1
    assert (
        "content/files/partner-terms.pdf:1:1: error: the leak check cannot read 'files/partner-terms.pdf'"
        in output
    )
    assert not (handbook / "site-partners").exists()


# --- shared pages --------------------------------------------------------------------------------


def test_html_comments_in_a_shared_page_do_not_reach_partners(handbook: Path) -> None:
    share_page(
        handbook,
        "working-notes.md",
        f"We meet weekly.\n\n<!-- internal note: our day-rate ceiling is {CANARY} -->\n\n"
        f"Inline too <!-- {CANARY} --> here.\n\n```html\n<!-- keep-this-example -->\n```\n",
    )
    site = published(handbook)
    assert holding(site, CANARY) == []
    page = (site / "working-notes" / "index.html").read_text(encoding="utf-8")
    assert "We meet weekly." in page and "keep-this-example" in page  # a comment in code is an example
    run_handbook("build", cwd=handbook, check=True)
    assert holding(handbook / "site", CANARY)  # the internal handbook keeps its notes


@pytest.mark.parametrize(
    "link",
    [
        "Read <https://handbook.example.com/handbook/go/commercial-models/> first.",
        "Read [the models][tc] first.\n\n          [tc]: https://handbook.example.com/handbook/operating-model/",
        "Read https://handbook.example.com/handbook/faq/#faq-negotiate-rates first.",
        "Read [the models](https://handbook.example.com/handbook/operating-model/) first.",
    ],
    ids=["autolink", "reference-definition", "bare-url", "inline-link"],
)
def test_a_shared_answer_that_links_the_internal_handbook_is_refused(handbook: Path, link: str) -> None:
    line = add_answer(handbook, link)
    address = r"'[^']*handbook\.example\.com/handbook/[^']*'"
    refused(handbook, rf"playbooks/faq\.yaml:{line}:\d+: error: {address} links the internal handbook")


def test_a_shared_page_that_links_the_internal_handbook_is_refused(handbook: Path) -> None:
    body = "Ask us. <!-- a note\nover two lines -->\n\n[more]: https://handbook.example.com/handbook/faq/"
    share_page(handbook, "working-notes.md", body)  # the comment does not move the line reported
    address = r"'https://handbook\.example\.com/handbook/faq/'"
    refused(handbook, rf"content/working-notes\.md:9:9: error: {address} links the internal handbook")


def test_an_id_named_on_the_partner_home_page_is_not_exempt_elsewhere(handbook: Path) -> None:
    entry = internal_entry(handbook)
    home = handbook / "content" / "index.partners.md"
    home.write_text(
        home.read_text(encoding="utf-8") + f"\nSee [our criteria][{entry.id}].\n", encoding="utf-8"
    )
    site = published(handbook)  # the link shows its words alone: the id is nowhere
    assert holding(site, entry.id) == []
    assert "our criteria" in (site / "index.html").read_text(encoding="utf-8")
    # an inline link to that entry's (internal) page from a shared answer, at the partner address
    add_answer(handbook, f"See [criteria](https://partners.example.com/handbook/faq/#{entry.id}).")
    line = entry.source.problem(entry.loc, "").line
    where = rf"{re.escape(entry.source.display)}:{line}:\d+"
    refused(handbook, rf"{where}: error: not for the partner handbook, but its id \('{entry.id}'\)")


# --- handbook-wide files -------------------------------------------------------------------------


def test_synonyms_stay_internal_unless_listed_as_shared(handbook: Path) -> None:
    search = handbook / "search.yaml"
    text = search.read_text(encoding="utf-8")
    search.write_text(
        text.replace("synonyms: []\n", f"synonyms:\n  - [day rate ceiling, project {CANARY}]\n", 1),
        encoding="utf-8",
    )
    site = published(handbook)
    assert holding(site, CANARY) == []
    run_handbook("build", cwd=handbook, check=True)
    assert "search/index.json" in holding(handbook / "site", CANARY)
    # listed under shared_synonyms, on purpose: partners' search has it
    search.write_text(
        text.replace("shared_synonyms:\n", f"shared_synonyms:\n  - [rate cap, project {CANARY}]\n", 1)
    )
    assert "search/index.json" in holding(published(handbook), CANARY)


def test_partner_files_carry_no_review_dates_owners_or_maintainer_notes(handbook: Path) -> None:
    whole, _ = check_playbooks(Project(handbook))
    site = published(handbook)
    files = unpacked(site)
    text = "\n".join(files.values())
    assert "data-reviewed" not in text
    assert not [path for path, page in files.items() if path.endswith(".html") and "last reviewed" in page]
    for pb in audience.view(whole, "partners").playbooks:
        assert pb.model.last_reviewed.isoformat() not in text, pb.model.id
    run_handbook("build", cwd=handbook, check=True)
    internal = "\n".join(unpacked(handbook / "site").values())
    assert "data-reviewed=" in internal  # the internal checklists print it


# --- what `handbook check` says --------------------------------------------------------------------


def test_a_pasted_internal_sentence_is_a_warning_naming_the_internal_entry(handbook: Path) -> None:
    """Pasted into another playbook, the sentence is an error (each rule is stated once); pasted
    within its own shared playbook, from an entry kept internal, it is this warning."""
    entry = internal_entry(handbook, in_file="faq.yaml")
    line = add_answer(handbook, first_sentence(entry))
    check = run_handbook("check", "--audience", "partners", cwd=handbook)
    assert check.returncode == 0, check.stdout + check.stderr
    moved = check_playbooks(Project(handbook))[0].entries[entry.id]  # below the new answer now
    where = moved.source.problem(moved.loc, "")
    assert re.search(
        rf"playbooks/faq\.yaml:{line}:\d+: warning: the partner handbook shows this, and it repeats "
        rf"\"[^\"]+\" from '{entry.id}' \({re.escape(where.path)}:{where.line}:{where.col}\)",
        check.stdout,
    ), check.stdout


def test_an_entry_partners_read_for_the_first_time_is_named(handbook: Path) -> None:
    add_answer(handbook, "Ask your delivery lead.", question_id="faq-brand-new")
    (handbook / "published-urls-partners.txt").write_text(
        "".join(
            line + "\n"
            for line in (handbook / "published-urls-partners.txt").read_text().splitlines()
            if "faq-brand-new" not in line
        )
    )
    check = run_handbook("check", "--audience", "partners", cwd=handbook)
    assert re.search(
        r"playbooks/faq\.yaml:\d+:\d+: warning: newly shared with partners: 'faq-brand-new'", check.stdout
    )
    run_handbook("fix", cwd=handbook, check=True)
    assert "newly shared" not in run_handbook("check", cwd=handbook).stdout


def test_the_partner_build_runs_every_rule_check_runs(handbook: Path) -> None:
    """A rule only `handbook check` ran (a skeleton's placeholder text left in) now stops the
    partner handbook's build too, with the same message."""
    faq = handbook / "playbooks" / "faq.yaml"
    faq.write_text(
        faq.read_text(encoding="utf-8").replace(
            "question: Who is the partner team's main contact on our side?",
            "question: Write the question here.",
        )
    )
    message = r"playbooks/faq\.yaml:\d+:\d+: error: 'Write the question here\.' is the skeleton's placeholder"
    refused(handbook, message)


# --- an organisation's own names are not leaks ------------------------------------------------


def test_an_organisations_names_that_overlap_shared_words_are_not_leaks(handbook: Path) -> None:
    """Teams named `@acme/...`, a site called "Working with Acme", a forge at git.acme.dev and
    a shared tag `partner-management`: none of it is a leak."""
    owners = handbook / "owners.yaml"
    owners.write_text(owners.read_text(encoding="utf-8").replace("@example-org/", "@acme/"), encoding="utf-8")
    config = handbook / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace(
        "site_name: Working with us", "site_name: Working with Acme"
    )
    text = text.replace("site_name: Partner Handbook", "site_name: Acme partner management")
    config.write_text(text + "repo_url: https://git.acme.dev/acme/partner-management\n", encoding="utf-8")
    culture = handbook / "playbooks" / "culture.yaml"
    culture.write_text(
        re.sub(
            r"(?m)^tags: \[",
            "tags: [partner-management, acme, ",
            culture.read_text(encoding="utf-8"),
            count=1,
        )
    )
    run_handbook("fix", cwd=handbook, check=True)
    site = published(handbook)
    assert holding(site, "partner-management")  # the tag is shared: the overlap is real
    assert "Working with Acme" in (site / "index.html").read_text(encoding="utf-8")
    assert holding(site, "@acme/") == [] and holding(site, "git.acme.dev") == []


def test_the_leak_check_catches_internal_synonyms_if_the_filter_fails(
    handbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The synonyms filter broken on purpose: the leak check finds the internal group in the
    partner search index and names its line in search.yaml."""
    search = handbook / "search.yaml"
    text = search.read_text(encoding="utf-8")
    search.write_text(text.replace("synonyms: []\n", f"synonyms:\n  - [rate ceiling, {CANARY}]\n", 1))
    monkeypatch.setattr(SearchSettings, "for_audience", lambda self, name: self)
    with pytest.raises(ContentProblems) as caught:
        build_site(Project(handbook, "partners"))
    line = text[: text.index("synonyms: []")].count("\n") + 2
    [problem] = caught.value.problems  # one group, one problem at its line
    assert re.fullmatch(
        rf"search\.yaml:{line}:1: error: not for the partner handbook, but its synonym "
        rf"\('(rate ceiling|{CANARY})'\) is in search/index\.json: the build leaks it",
        str(problem),
    ), str(problem)


def test_a_short_run_of_an_internal_page_is_not_found_in_the_themes_scripts(handbook: Path) -> None:
    """An internal page whose sentence is four one-letter link texts ("a b c d"): the theme's
    minified scripts hold those letters in a row, and that is not a leak."""
    (handbook / "content" / "letters.md").write_text(
        "# Letters\n\n[a](index.md) [b](index.md) [c](index.md) [d](index.md)\n", encoding="utf-8"
    )
    run_handbook("fix", cwd=handbook, check=True)
    site = published(handbook)
    in_a_row = (" ".join(re.findall(r"[a-z0-9]+", text)) for text in unpacked(site).values())
    assert any(" a b c d " in f" {words} " for words in in_a_row)  # the letters are there
