"""Kinds: the registry of built-in kinds, kinds a handbook declares in `kinds/` (followed from
the contributor guide every new handbook gets, end to end, into Chromium), and the `template`
kind's Copy and Download."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from browser import serve_path, static_server
from conftest import run_handbook

from generator.kinds import built_in_kinds, entry_types
from generator.kinds.template import Template
from generator.pipeline import Project, check_sources
from generator.render import TEMPLATES_DIR
from generator.starter import STARTER_DIR

KINDS = built_in_kinds()
# The contributor guide `handbook init` writes into every new handbook: engine-owned.
GUIDE = (STARTER_DIR / "CONTRIBUTING.md").read_text(encoding="utf-8")
GOLDEN = Path(__file__).parent / "golden" / "playbooks"
REFERENCE = "ref-itil-supplier-management"  # a work on the starter's references page
DOCUMENT = "tpl-escalation-email"  # a document of the starter's templates, with placeholders


# --- the registry -------------------------------------------------------------------------


def _of_kind(folder: Path, kind: str) -> list[Path]:
    return [p for p in folder.rglob("*.yaml") if f"\nkind: {kind}\n" in p.read_text(encoding="utf-8")]


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_has_its_template_schema_and_golden_playbook(kind: str, starter_site: Path) -> None:
    """Each kind of the registry has its template, a schema `handbook fix` writes, a golden
    playbook, and a playbook in the starter that `handbook init` gives a new handbook."""
    spec = KINDS[kind].spec
    assert spec.name == kind
    assert (TEMPLATES_DIR / spec.template_name).is_file()
    assert (starter_site / "schemas" / f"{kind}.schema.json").is_file()
    assert _of_kind(GOLDEN, kind), f"no golden playbook of kind {kind}"
    assert _of_kind(STARTER_DIR / "playbooks", kind), f"the starter has no playbook of kind {kind}"
    assert spec.intro and spec.title and spec.singular


def test_kinds_have_distinct_folders_and_entry_type_names() -> None:
    folders = [cls.spec.folder for cls in KINDS.values()]
    assert len(set(folders)) == len(folders)
    assert "templates" not in folders  # MkDocs leaves a top-level templates/ folder out of the site
    assert {"role", "checklist", "anti-pattern", "citation", "document"} <= entry_types(KINDS)


# --- a kind declared by the handbook, following the guide ---------------------------------------


def _guide_files() -> dict[str, str]:
    """The files "How to add a kind" tells a reader to write, by path."""
    section = GUIDE.split("## Add a kind of your own", 1)[1].split("\n## ", 1)[0]
    return dict(re.findall(r"Write `([^`]+)`:\n\n```\w*\n(.*?)```", section, re.S))


def _guide_commands() -> list[list[str]]:
    section = GUIDE.split("## Add a kind of your own", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block
    return [line.split()[1:] for line in block.group(1).splitlines() if line.startswith("handbook ")]


def _snapshot(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file() and p.relative_to(root).parts[0] not in ("build", "site")
    }


def _fill_in(path: Path) -> None:
    """What the reader does after `handbook new`: replace each placeholder text."""
    text = path.read_text(encoding="utf-8")
    count = iter(range(1, 100))
    text = re.sub(r"Write the ([a-z ]+) here\.", lambda m: f"Our {m.group(1)}, number {next(count)}.", text)
    text = text.replace("\ntags:", f"\nreferences: [{REFERENCE}]\nescalate_to: [role-partner-manager]\ntags:")
    path.write_text(text, encoding="utf-8")


def test_the_guide_adds_a_kind_end_to_end(handbook: Path, browser: Any) -> None:
    """A new handbook's contributor, reading "Add a kind of your own" in its CONTRIBUTING.md,
    writes the two files it shows and runs its commands: the kind works everywhere."""
    files = _guide_files()
    assert set(files) == {"kinds/runbook.yaml", "kinds/runbook.md.j2"}
    before = _snapshot(handbook)
    for path, text in files.items():
        (handbook / path).parent.mkdir(parents=True, exist_ok=True)
        (handbook / path).write_text(text, encoding="utf-8")
    for argv in _guide_commands():
        result = run_handbook(*argv, cwd=handbook)
        assert result.returncode == 0, result.stdout + result.stderr
    playbook = handbook / "playbooks/partner-outage.yaml"
    skeleton = playbook.read_text(encoding="utf-8")
    assert skeleton.startswith("# yaml-language-server: $schema=../schemas/runbook.schema.json\n")
    assert "id: partner-outage-step-1" in skeleton
    _fill_in(playbook)
    unfixed = run_handbook("check", cwd=handbook)
    assert unfixed.returncode == 1 and "run `handbook fix`" in unfixed.stdout  # the new URLs
    assert run_handbook("fix", cwd=handbook).returncode == 0
    result = run_handbook("check", cwd=handbook)
    assert result.returncode == 0, result.stdout + result.stderr

    # Only the files the guide names were touched.
    after = _snapshot(handbook)
    changed = {path for path in after if before.get(path) != after[path]} | (set(before) - set(after))
    named = {
        "kinds/runbook.yaml",
        "kinds/runbook.md.j2",
        "playbooks/partner-outage.yaml",
        "schemas/runbook.schema.json",
        "published-urls.txt",
        ".github/CODEOWNERS",
        "CONTRIBUTING.md",
        "content/index.md",
    }
    assert changed == named
    for path in sorted(named - {"kinds/runbook.yaml", "kinds/runbook.md.j2", "schemas/runbook.schema.json"}):
        assert path in GUIDE or Path(path).name in GUIDE, f"the guide does not name {path}"

    # The editor's schema accepts the playbook and refuses a wrong choice.
    schema = json.loads((handbook / "schemas/runbook.schema.json").read_text())
    data = yaml.safe_load(playbook.read_text())
    data["last_reviewed"] = str(data["last_reviewed"])
    jsonschema.validate(data, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**data, "severity": "urgent"}, schema)
    assert (
        "| `runbook` | Runbooks (declared in `kinds/runbook.yaml`) |"
        in (handbook / "CONTRIBUTING.md").read_text()
    )

    build = run_handbook("build", cwd=handbook)
    assert build.returncode == 0, build.stdout + build.stderr
    site = handbook / "site"
    links = json.loads((site / "links.json").read_text())
    assert links["partner-outage"] == "runbook/partner-outage/"
    assert links["partner-outage-step-1"] == "runbook/partner-outage/#partner-outage-step-1"
    assert "runbook/partner-outage/#partner-outage-step-1" in (site / "search/index.json").read_text()
    assert (site / "go/partner-outage-step-1/index.html").is_file()

    with static_server(site, serve_path(handbook)) as base:
        page = browser.new_page()
        page.goto(base + "go/partner-outage-step-1/")
        page.wait_for_url(re.compile(r"runbook/partner-outage/#partner-outage-step-1$"))
        assert page.locator("h1").inner_text().strip().rstrip("¶") == "Our title, number 1."
        step = page.locator("#partner-outage-step-1")
        assert step.is_visible()
        assert "Our title, number" in step.inner_text()
        nav = page.locator("nav.md-nav--primary")
        assert "Runbooks" in nav.inner_text()
        page.goto(base)
        home = page.locator("article").inner_text()
        assert "Runbooks" in home and "Step-by-step procedures" in home
        page.close()


def test_new_refuses_an_unknown_kind_and_a_broken_declaration(handbook: Path) -> None:
    (handbook / "kinds").mkdir()
    (handbook / "kinds/runbook.yaml").write_text("title: Runbooks\nsingular: runbook\nintro: x\nfields: {}\n")
    (handbook / "kinds/runbook.md.j2").write_text('{% extends "_playbook.md.j2" %}\n')
    result = run_handbook("new", "runbook", "x", cwd=handbook)
    assert result.returncode == 1
    assert result.stderr.startswith("kinds/runbook.yaml:4:9: error:")
    assert not (handbook / "playbooks/x.yaml").exists()
    _, problems = check_sources(Project(handbook))
    assert [p.path for p in problems] == ["kinds/runbook.yaml"]


def test_a_declared_template_that_fails_to_render_is_a_problem_at_its_line(handbook: Path) -> None:
    (handbook / "kinds").mkdir()
    (handbook / "kinds/note.yaml").write_text(
        "title: Notes\nsingular: note\nintro: Notes.\nfields:\n  body: {type: markdown, required: true}\n"
    )
    (handbook / "kinds/note.md.j2").write_text(
        '{% extends "_playbook.md.j2" %}\n{% block body %}\n\n{{ pb.body }}\n'
        '{{ link("no-such-id") }}\n{% endblock %}\n'
    )
    (handbook / "playbooks/a-note.yaml").write_text(
        "id: a-note\ntitle: A note\nkind: note\nsummary: S.\nowner: Partner Management Office\n"
        f"last_reviewed: 2026-01-01\ntags: [x]\nreferences: [{REFERENCE}]\nbody: Hello.\n"
    )
    result = run_handbook("check", cwd=handbook)
    assert result.returncode == 1
    # at line 5, in the failing call: `{{ link("no-such-id") }}`
    call = range(1, len('{{ link("no-such-id")') + 1)
    found = re.search(
        r"^kinds/note\.md\.j2:5:(\d+): error: rendering playbooks/a-note\.yaml:", result.stdout, re.M
    )
    assert found and int(found.group(1)) in call, result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    build = run_handbook("build", cwd=handbook)
    assert build.returncode == 1 and f"kinds/note.md.j2:5:{found.group(1)}: error: rendering" in build.stderr
    assert not (handbook / "site").exists()


# --- the template kind --------------------------------------------------------------------


def test_placeholders_are_declared_used_and_well_formed() -> None:
    base = {
        "id": "t",
        "title": "T",
        "kind": "template",
        "summary": "S.",
        "owner": "O",
        "last_reviewed": "2026-01-01",
        "tags": ["x"],
    }

    def problems(doc: dict[str, Any]) -> str:
        try:
            Template.model_validate(
                {**base, "documents": [{"id": "d", "title": "D", "purpose": "P.", **doc}]}
            )
        except Exception as exc:  # pydantic's ValidationError
            return str(exc)
        return ""

    assert (
        problems({"body": "Dear {{name}}", "placeholders": [{"name": "name", "description": "Who."}]}) == ""
    )
    assert "'{{name}}' is not declared" in problems({"body": "Dear {{name}}"})
    assert "'who' is declared but the body never uses it" in problems(
        {"body": "Dear all", "placeholders": [{"name": "who", "description": "Who."}]}
    )
    assert "'{{ name }}' is not a placeholder" in problems({"body": "Dear {{ name }}"})
    assert "is declared twice" in problems(
        {
            "body": "{{a}}",
            "placeholders": [{"name": "a", "description": "x"}, {"name": "a", "description": "y"}],
        }
    )


def test_template_copy_and_download_in_chromium(starter_site: Path, browser: Any, tmp_path: Path) -> None:
    source = yaml.safe_load((starter_site / "playbooks/templates.yaml").read_text())
    doc = next(d for d in source["documents"] if d["id"] == DOCUMENT)
    assert doc["placeholders"] and all("{{" + p["name"] + "}}" in doc["body"] for p in doc["placeholders"])
    with static_server(starter_site / "site", serve_path(starter_site)) as base:
        context = browser.new_context(accept_downloads=True)
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base.rstrip("/"))
        page = context.new_page()
        page.goto(base + f"document-templates/templates/#{DOCUMENT}")
        marks = page.locator(f"#{DOCUMENT} ~ .hb-document").first.locator("mark.hb-placeholder")
        assert marks.count() >= len(doc["placeholders"])
        button = page.locator(f"button.hb-copy[data-document='{DOCUMENT}']")
        button.click()
        copied = f"document.querySelector(\"button.hb-copy[data-document='{DOCUMENT}']\").textContent"
        page.wait_for_function(f"{copied} === 'Copied'")
        assert page.evaluate("navigator.clipboard.readText()") == doc["body"].rstrip("\n") + "\n"
        with page.expect_download() as info:
            page.locator(f"a.hb-download[data-document='{DOCUMENT}']").click()
        download = info.value
        assert download.suggested_filename == f"{DOCUMENT}.md"
        saved = tmp_path / download.suggested_filename
        download.save_as(saved)
        assert saved.read_text(encoding="utf-8") == doc["body"].rstrip("\n") + "\n"
        page.emulate_media(media="print")  # printed: the document, not the buttons
        assert not button.is_visible()
        assert page.locator(".hb-document").first.is_visible()
        context.close()

        plain = browser.new_context(java_script_enabled=False)
        page = plain.new_page()
        page.goto(base + "document-templates/templates/")
        assert not page.locator("button.hb-copy").first.is_visible()  # no Copy that cannot work
        assert page.locator("a.hb-download").first.is_visible()
        plain.close()
