"""Which pages a live preview renders again when the navigation changes (`nav_views`): every
page whose navigation shows the change, and no other."""

from __future__ import annotations

import copy
from typing import Any

from generator.nav_views import page_views
from generator.shared_pages import page_title


def _nav() -> list[Any]:
    def part(n: int) -> dict[str, Any]:
        pages: list[Any] = [{f"Page {n}.{i}": f"faq/p{n}-{i}.md"} for i in range(1, 5)]
        return {f"Page {n}.1 – Page {n}.4": [f"faq/part-{n}/index.md", *pages]}

    return [
        {"Home": "index.md"},
        {"FAQ": ["faq/index.md", part(1), part(2), part(3)]},
        {"Culture": ["culture/index.md", {"Values": "culture/values.md"}]},
        {"Tags": "tags.md"},
    ]


def _changed(before: list[Any], after: list[Any]) -> set[str]:
    old, new = page_views(before), page_views(after)
    assert old.keys() == new.keys()
    return {page for page in new if new[page] != old[page]}


def test_every_page_has_a_view_and_an_unchanged_nav_changes_none() -> None:
    views = page_views(_nav())
    assert len(views) == 1 + 1 + 3 * 5 + 2 + 1
    assert _changed(_nav(), _nav()) == set()


def test_a_title_inside_a_part_changes_its_part_and_its_neighbours_only() -> None:
    after = _nav()
    after[1]["FAQ"][2]["Page 2.1 – Page 2.4"][2] = {"Renamed": "faq/p2-2.md"}
    changed = _changed(_nav(), after)
    part_two = {"faq/part-2/index.md", *(f"faq/p2-{i}.md" for i in range(1, 5))}
    assert changed == part_two  # its neighbours p2-1 and p2-3 are in its part


def test_a_title_at_a_part_boundary_changes_the_next_part_page_too() -> None:
    after = _nav()
    after[1]["FAQ"][1]["Page 1.1 – Page 1.4"][4] = {"Renamed": "faq/p1-4.md"}
    changed = _changed(_nav(), after)
    assert "faq/part-2/index.md" in changed  # its previous page is p1-4
    assert "faq/p2-1.md" not in changed and "culture/values.md" not in changed


def test_what_every_page_shows_changes_every_page() -> None:
    after = copy.deepcopy(_nav())
    after[1]["FAQ"][2] = {"Renamed – Page 2.4": after[1]["FAQ"][2]["Page 2.1 – Page 2.4"]}
    assert _changed(_nav(), after) == set(page_views(_nav()))  # a part's name is on every page
    after = _nav()
    after[3] = {"All tags": "tags.md"}
    assert _changed(_nav(), after) == set(page_views(_nav()))  # so is the top level


def test_hand_written_pages_are_named_as_mkdocs_names_them() -> None:
    """The navigation names hand-written pages itself, so that pages a live preview does not
    read again still show their neighbours' titles."""
    assert page_title("a.md", "---\ntitle: From front matter\n---\n# A heading\n") == "From front matter"
    text = "---\naudience: [internal]\n---\nIntro.\n\n# The *first* [heading](x.md) { #top }\n\n# Second\n"
    assert page_title("a.md", text) == "The first heading"
    assert page_title("team-notes.md", "No heading at all.\n") == "Team notes"
    assert page_title("API_Notes.md", "## Only a subheading\n") == "API Notes"
