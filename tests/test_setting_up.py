"""Setting a handbook up for an organisation: the starter's names, addresses and reviewers are
examples. While all of them are still the starter's (a new handbook), `handbook check` says
nothing; once one of them is the organisation's own, it names each one left behind, at its
line, as a warning (exit 0), until none is left."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import run_handbook


def _warnings(root: Path) -> list[str]:
    result = run_handbook("check", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return [line for line in result.stdout.splitlines() if ": warning: " in line]


def _set(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, (name, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def _line(root: Path, name: str, text: str) -> int:
    rows = (root / name).read_text(encoding="utf-8").splitlines()
    return next(n for n, row in enumerate(rows, 1) if text in row)


def test_a_new_handbook_checks_without_a_single_warning(handbook: Path) -> None:
    assert _warnings(handbook) == []


def test_a_new_site_name_names_every_value_left_from_the_starter(handbook: Path) -> None:
    """The first edit README's "Setting it up" asks for: each example left is named once."""
    _set(handbook, "mkdocs.yml", "site_name: Partner Handbook", "site_name: Acme Partner Handbook")
    found = _warnings(handbook)
    expected = [  # (file, the text on the line warned about, words of the warning)
        ("mkdocs.yml", "site_url: https://handbook.example.com", "site_url"),
        ("mkdocs.yml", "site_url: https://partners.example.com", "partner"),
        ("mkdocs.yml", "site_name: Working with us", "still named"),
        ("owners.yaml", "@example-org/handbook-maintainers", "example account"),
        ("owners.yaml", "@example-org/partner-management", "example account"),
        ("owners.yaml", "@example-org/engineering-enablement", "example account"),
        ("content/index.md", "# Partner Handbook", "Acme Partner Handbook"),
        ("content/index.md", "title: Partner Handbook", "starter's name"),
        ("content/index.partners.md", "title:", "starter's name"),
    ]
    assert len(found) == len(expected), found
    for path, text, words in expected:
        line = _line(handbook, path, text)
        assert any(w.startswith(f"{path}:{line}:") and words in w for w in found), (path, line, found)
    assert all(len(w) < 160 for w in found), "each warning is one short line"


def test_each_value_made_one_s_own_stops_its_warning_until_none_is_left(handbook: Path) -> None:
    _set(handbook, "mkdocs.yml", "site_name: Partner Handbook", "site_name: Acme Partner Handbook")
    _set(
        handbook,
        "mkdocs.yml",
        "https://handbook.example.com/handbook/",
        "https://docs.acme.internal/handbook/",
    )
    _set(handbook, "mkdocs.yml", "site_name: Working with us", "site_name: Working with Acme")
    _set(
        handbook,
        "mkdocs.yml",
        "https://partners.example.com/handbook/",
        "https://partners.acme.com/handbook/",
    )
    left = _warnings(handbook)
    assert left and all(w.startswith(("owners.yaml", "content/")) for w in left), left
    owners = handbook / "owners.yaml"
    owners.write_text(owners.read_text().replace("@example-org/", "@acme/"), encoding="utf-8")
    for page in ("content/index.md", "content/index.partners.md"):
        _set(handbook, page, "Partner Handbook", "Acme Partner Handbook")
    run_handbook("fix", cwd=handbook, check=True)  # CODEOWNERS follows owners.yaml
    assert _warnings(handbook) == []


def test_a_real_repository_counts_as_one_s_own_and_a_placeholder_does_not(handbook: Path) -> None:
    config = handbook / "mkdocs.yml"
    original = config.read_text(encoding="utf-8")
    config.write_text(original + "\nrepo_url: https://github.com/example-org/handbook\n", encoding="utf-8")
    placeholder = run_handbook("check", cwd=handbook)
    assert placeholder.returncode == 1 and "is a placeholder" in placeholder.stdout
    assert ": warning: " not in placeholder.stdout
    config.write_text(
        original + "\nrepo_url: https://git.acme.internal/handbook/partners\n", encoding="utf-8"
    )
    found = _warnings(handbook)
    assert any(re.match(r"owners\.yaml:\d+:\d+: warning: '@example-org/", w) for w in found), found
    assert not any("still says" in w for w in found), "the site keeps the starter's name: its pages may too"
