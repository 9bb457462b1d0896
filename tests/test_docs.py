"""README, the starter's README and contributor guide stay true to the CLI, the Makefile and the
kinds: a test fails when they drift. (This repository's own CONTRIBUTING.md is its handbook's
copy of the starter's guide; `handbook check` keeps its lists of kinds current.)"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest
from conftest import ENGINE, run_handbook

from generator.cli import _parser
from generator.kinds import built_in_kinds
from generator.model import Playbook
from generator.starter import STARTER_DIR

KINDS = built_in_kinds()
README = ENGINE / "README.md"
GUIDE = STARTER_DIR / "CONTRIBUTING.md"
DOCS = [README, GUIDE, STARTER_DIR / "README.md"]


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(actions[0].choices) if actions else {}


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    return _subcommands(_parser())


def _options(parser: argparse.ArgumentParser) -> set[str]:
    return {opt for action in parser._actions for opt in action.option_strings}


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.relative_to(ENGINE).as_posix())
def test_documented_commands_and_options_exist(doc: Path) -> None:
    commands = _subparsers()
    global_options = _options(_parser())
    text = doc.read_text(encoding="utf-8")
    fences = re.findall(r"```.*?```", text, re.S)
    spans = re.findall(r"`([^`\n]+)`", re.sub(r"```.*?```", "", text, flags=re.S))
    code = "\n".join(fences + spans)
    pattern = r"^(?:\$ )?(?:\.venv/bin/)?handbook((?: --root \S+)?) (\w[\w-]*)([^#\n]*)"
    uses = re.findall(pattern, code, re.M)
    assert uses, f"{doc.name} documents no handbook command"
    for _root, command, rest in uses:
        assert command in commands, f"{doc.name} mentions `handbook {command}`, which does not exist"
        parser = commands[command]
        nested = _subcommands(parser)
        if nested:  # `handbook report stale ...`: options belong to the nested command
            name = rest.split()[0] if rest.split() else ""
            assert name in nested, f"{doc.name}: `handbook {command} {name}` does not exist"
            parser = nested[name]
        for option in re.findall(r"(?<![\w-])(--?[a-z][\w-]*)", rest):
            assert option in _options(parser) | global_options, (
                f"{doc.name}: `handbook {command}` has no option {option}"
            )


def test_readme_documents_every_command() -> None:
    readme = README.read_text(encoding="utf-8")
    for command in _subparsers():
        assert f"`handbook {command}" in readme, f"README does not document `handbook {command}`"


def test_readme_example_output_is_what_check_prints() -> None:
    readme = README.read_text(encoding="utf-8")
    block = re.search(r"```text\n\$ handbook --root (\S+) check\n(.*?)```", readme, re.S)
    assert block is not None
    result = run_handbook("--root", str(ENGINE / block.group(1)), "check", cwd=ENGINE / "tests")
    assert result.stdout + result.stderr == block.group(2)


def test_make_targets_in_readme_exist() -> None:
    makefile = (ENGINE / "Makefile").read_text(encoding="utf-8")
    readme = README.read_text(encoding="utf-8")
    for target in set(re.findall(r"`make ([\w-]+)`", readme)) | {"site", "test", "serve"}:
        assert re.search(rf"^{target}:", makefile, re.M), f"Makefile has no target {target}"
    assert "make test" in (ENGINE / ".ci" / "run").read_text()


def test_every_kind_and_its_sections_are_documented() -> None:
    readme = README.read_text(encoding="utf-8")
    guide = GUIDE.read_text(encoding="utf-8")
    common = set(Playbook.model_fields)
    for kind, cls in KINDS.items():
        row = re.search(rf"^\| `{kind}` \|(.*)$", readme, re.M)
        assert row, f"README's kinds table has no row for `{kind}`"
        for name in set(cls.model_fields) - common - {"kind"}:
            assert f"`{name}`" in row.group(1), f"README's `{kind}` row does not mention `{name}`"
        assert f"`{kind}`" in guide, f"the contributor guide does not mention the kind `{kind}`"
    for name in common - {"id", "title", "kind", "see"}:
        assert f"`{name}`" in readme, f"README does not document the common field `{name}`"


def test_the_guide_states_the_backlink_limits_the_renderer_uses() -> None:
    from generator.render import BACKLINK_PAGES_LISTED, BACKLINKS_LISTED

    guide = " ".join(GUIDE.read_text(encoding="utf-8").split())
    cut = r"past (\d+) entries, by page with a count, and past (\d+) pages, the first (\d+)"
    found = re.search(cut, guide)
    assert found is not None, "CONTRIBUTING no longer says how 'Referenced by' lists are cut"
    stated = [int(n) for n in found.groups()]
    assert stated == [BACKLINKS_LISTED, BACKLINK_PAGES_LISTED, BACKLINK_PAGES_LISTED]


def test_the_readme_states_when_a_build_renders_pages_in_workers() -> None:
    from generator.mkdocs_plugin import HandbookConfig
    from generator.page_workers import PAGES_PER_WORKER

    readme = " ".join(README.read_text(encoding="utf-8").split())
    found = re.search(r"from ([\d,]+) pages on \((\d+) a process", readme)
    assert found is not None, "README no longer says when `handbook build` forks page workers"
    assert [int(n.replace(",", "")) for n in found.groups()] == [2 * PAGES_PER_WORKER, PAGES_PER_WORKER]
    assert "page_workers" in HandbookConfig() and "option `page_workers`" in readme


def test_setting_it_up_names_every_value_check_reports_as_left_from_the_starter(tmp_path: Path) -> None:
    """Every value `handbook check` can name as left behind is listed in README's "Setting it
    up for your organisation" (and in the starter's README, which a new handbook keeps)."""
    from generator.starter import leftover_problems, write_starter

    root = tmp_path / "handbook"
    write_starter(root)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("site_name: Partner Handbook", "site_name: Acme"))
    named = {problem.path for problem in leftover_problems(root)}
    assert named == {"mkdocs.yml", "owners.yaml", "content/index.md", "content/index.partners.md"}
    section = README.read_text(encoding="utf-8").split("## Setting it up for your organisation")[1]
    section = section.split("\n## ")[0]
    starter = (STARTER_DIR / "README.md").read_text(encoding="utf-8").split("## Setting it up")[1]
    for text in (section, starter):
        for needed in ("`site_url`", "`site_name`", "`owners.yaml`", "@example-org", "content/index.md",
                       "content/index.partners.md", "`banner`", "`repo_url`"):  # fmt: skip
            assert needed in text, needed


def test_the_guide_documents_the_macros_templates_can_call() -> None:
    from generator.render import macros

    guide = GUIDE.read_text(encoding="utf-8")
    for name, params in macros().items():
        assert f"`m.{name}({params.split('=')[0].split(',')[0].strip()}" in guide, (
            f"the guide does not document m.{name}"
        )
    assert "`label:" in guide or "`label: NAME`" in guide
    assert "trim_blocks" in guide and "`{%-`" in guide
