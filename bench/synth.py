"""Write a complete synthetic handbook with about N linkable entries, for benchmarks.

    python bench/synth.py --entries 5000 --out /tmp/hb-5000
    cd /tmp/hb-5000 && handbook build

    python bench/synth.py --pages 1500 --entries-per-page 3 --out /tmp/hb-1500p

Playbooks of every kind (about 20 entries each, or --entries-per-page), realistic text of 60 to
160 words per entry, cross-references to earlier entries, owners, a references playbook,
hand-written content pages and the repository's own mkdocs.yml and theme overrides. With
--pages the handbook has that many playbook pages (the size large handbooks grow in) instead of
about --entries entries. The output is deterministic for given sizes and --seed.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path
from typing import Any

import yaml

from generator import derived
from generator.pipeline import Project, check_sources, derived_files
from generator.starter import write_starter

ENTRIES_PER_PLAYBOOK = 20
WORDS = [
    "partner",
    "vendor",
    "agency",
    "team",
    "delivery",
    "pilot",
    "onboarding",
    "review",
    "contract",
    "outcome",
    "scope",
    "budget",
    "roadmap",
    "escalation",
    "knowledge",
    "transfer",
    "architecture",
    "standard",
    "quality",
    "release",
    "sprint",
    "backlog",
    "decision",
    "record",
    "owner",
    "sponsor",
    "health",
    "check",
    "cost",
    "value",
    "trust",
    "culture",
    "meeting",
    "visit",
    "timezone",
    "language",
    "access",
    "repository",
    "pipeline",
    "incident",
    "retrospective",
    "exit",
    "plan",
    "notice",
    "handover",
    "risk",
    "dependency",
    "integration",
    "api",
    "documentation",
    "security",
    "compliance",
    "capacity",
    "seniority",
    "retention",
    "hiring",
    "attrition",
    "backfill",
    "measure",
    "target",
    "trend",
    "improvement",
    "feedback",
    "alignment",
    "mission",
    "goal",
    "clear",
    "early",
    "written",
    "shared",
    "weekly",
    "monthly",
    "quarterly",
    "joint",
    "internal",
    "external",
    "long-term",
    "small",
]
KIND_CYCLE = ["faq", "anti-patterns", "checklist", "culture", "faq", "checklist", "operating-model"]


class Synth:
    def __init__(self, seed: int, per_page: int = ENTRIES_PER_PLAYBOOK):
        self.rng = random.Random(seed)
        self.per_page = per_page
        self.ids: list[str] = []
        self.anti_patterns: list[str] = []
        self.checklists: list[str] = []
        self.count = 0

    def words(self, low: int, high: int) -> str:
        n = self.rng.randint(low, high)
        text = " ".join(self.rng.choice(WORDS) for _ in range(n))
        return text[0].upper() + text[1:] + "."

    def paragraph(self) -> str:
        sentences = [self.words(8, 20) for _ in range(self.rng.randint(4, 9))]
        return " ".join(sentences)

    def new_id(self, prefix: str) -> str:
        self.count += 1
        entry_id = f"{prefix}-{self.count}"
        self.ids.append(entry_id)
        return entry_id

    def see(self, required: bool = False) -> list[str]:
        """Links to earlier entries; `required` (answers and remedies must link their sources)
        falls back to a work on the references page."""
        if not self.ids or (not required and self.rng.random() < 0.3):
            return [f"ref-work-{self.rng.randint(1, 10)}"] if required else []
        return sorted(set(self.rng.sample(self.ids, min(len(self.ids), self.rng.randint(1, 3)))))

    def header(self, kind: str, playbook_id: str, n: int) -> dict[str, Any]:
        return {
            "id": playbook_id,
            "title": f"{kind.replace('-', ' ').capitalize()} playbook {n}",
            "kind": kind,
            "summary": self.paragraph(),
            "owner": self.rng.choice(["Partner Management Office", "Engineering Enablement"]),
            "last_reviewed": "2026-11-01",
            "tags": [kind, self.rng.choice(WORDS)],
            "references": [f"ref-work-{self.rng.randint(1, 10)}"],
        }

    def faq(self, pb: dict[str, Any], size: int) -> None:
        groups = []
        for _ in range(max(1, size // 5)):
            questions = [
                {
                    "id": self.new_id("q"),
                    "question": self.words(6, 12)[:-1] + "?",
                    "answer": self.paragraph(),
                    "see": self.see(required=True),
                }
                for _ in range(4)
            ]
            groups.append({"id": self.new_id("faq-group"), "title": self.words(2, 5), "questions": questions})
        pb["groups"] = groups

    def anti_pattern_list(self, pb: dict[str, Any], size: int) -> None:
        items = []
        for _ in range(size):
            entry_id = self.new_id("ap")
            self.anti_patterns.append(entry_id)
            items.append(
                {
                    "id": entry_id,
                    "name": self.words(2, 4)[:-1],
                    "summary": self.paragraph(),
                    "symptoms": [self.words(5, 10) for _ in range(3)],
                    "why_it_hurts": self.paragraph(),
                    "remedies": [
                        {"action": self.words(8, 16), "see": self.see(required=True)} for _ in range(2)
                    ],
                    "early_warning_signs": [self.words(5, 10) for _ in range(2)],
                }
            )
        pb["anti_patterns"] = items

    def checklist(self, pb: dict[str, Any], size: int) -> None:
        self.checklists.append(pb["id"])
        groups = []
        for _ in range(max(1, size // 5)):
            items = [
                {
                    "id": self.new_id("item"),
                    "text": self.words(6, 14),
                    "note": self.paragraph(),
                    "see": self.see(),
                }
                for _ in range(4)
            ]
            groups.append({"id": self.new_id("cl-group"), "title": self.words(2, 5), "items": items})
        pb["when_to_use"] = self.paragraph()
        pb["groups"] = groups

    def culture(self, pb: dict[str, Any], size: int) -> None:
        for section in ("values", "communication", "rituals", "decision_making"):
            pb[section] = [
                {
                    "id": self.new_id("norm"),
                    "title": self.words(2, 5)[:-1],
                    "description": self.paragraph(),
                    "guidance": self.paragraph(),
                    "see": self.see(),
                }
                for _ in range(max(1, size // 4))
            ]

    def operating_model(self, pb: dict[str, Any], size: int) -> None:
        stages = []
        for _ in range(max(1, size // 4)):
            practices = [
                {
                    "id": self.new_id("practice"),
                    "title": self.words(2, 5)[:-1],
                    "description": self.paragraph(),
                    "see": self.see(),
                }
                for _ in range(3)
            ]
            stages.append(
                {
                    "id": self.new_id("stage"),
                    "title": self.words(1, 3)[:-1],
                    "goal": self.paragraph(),
                    "practices": practices,
                    "involved": ["Partner manager", "Engineering lead"],
                    "exit_criteria": [self.words(6, 12) for _ in range(2)],
                    "anti_patterns": self.rng.sample(self.anti_patterns, min(2, len(self.anti_patterns))),
                    "checklists": self.rng.sample(self.checklists, min(1, len(self.checklists))),
                }
            )
        pb["stages"] = stages

    def playbooks(self, entries: int | None, pages: int | None = None) -> list[dict[str, Any]]:
        """About `entries` linkable entries, or exactly `pages` playbooks (and the references)."""
        fill = {
            "faq": self.faq,
            "anti-patterns": self.anti_pattern_list,
            "checklist": self.checklist,
            "culture": self.culture,
            "operating-model": self.operating_model,
        }
        books: list[dict[str, Any]] = [self.references()]
        n = 0
        while (n < pages) if pages is not None else (self.count < (entries or 0)):
            kind = KIND_CYCLE[n % len(KIND_CYCLE)]
            if kind == "operating-model" and not (self.anti_patterns and self.checklists):
                kind = "faq"
            n += 1
            playbook_id = self.new_id(kind.replace("-", ""))
            pb = self.header(kind, playbook_id, n)
            left = self.per_page if pages is not None else (entries or 0) - self.count
            fill[kind](pb, min(self.per_page, max(4, left)))
            books.append(pb)
        self.place_in_stages(books)
        return books

    def place_in_stages(self, books: list[dict[str, Any]]) -> None:
        """Every checklist and anti-pattern belongs to a stage of some operating model."""
        stages = [stage for pb in books if pb["kind"] == "operating-model" for stage in pb["stages"]]
        if not stages:
            return
        used = {i for stage in stages for i in [*stage["anti_patterns"], *stage["checklists"]]}
        for i, entry_id in enumerate(x for x in [*self.anti_patterns, *self.checklists] if x not in used):
            field = "anti_patterns" if entry_id in self.anti_patterns else "checklists"
            stages[i % len(stages)][field].append(entry_id)

    def references(self) -> dict[str, Any]:
        works = [
            {
                "id": f"ref-work-{i}",
                "title": self.words(3, 7)[:-1],
                "type": "article",
                "summary": self.paragraph(),
            }
            for i in range(1, 11)
        ]
        return {
            "id": "handbook-references",
            "title": "References",
            "kind": "references",
            "summary": self.paragraph(),
            "owner": "Partner Management Office",
            "last_reviewed": "2026-11-01",
            "tags": ["references"],
            "works": works,
        }


def copy_handbook(root: Path, dest: Path) -> Path:
    """A copy of the handbook in `root` (its sources, not what is built from it or the engine)."""
    skip = shutil.ignore_patterns(
        ".git", ".venv", ".bench", "build", "site", "site-*", "tests", "generator", "bench"
    )
    shutil.copytree(root, dest, ignore=skip, dirs_exist_ok=True)
    return dest


def write_handbook(
    entries: int | None,
    out: Path,
    seed: int = 1,
    *,
    pages: int | None = None,
    per_page: int = ENTRIES_PER_PLAYBOOK,
) -> int:
    """Write the synthetic handbook into `out`; return the number of playbooks (pages)."""
    if out.exists():
        shutil.rmtree(out)
    write_starter(out)  # the settings, theme overrides and tags page of a new handbook
    for name in ("playbooks", "content/index.partners.md", "CONTRIBUTING.md"):
        path = out / name
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    (out / "playbooks").mkdir(parents=True)
    synth = Synth(seed, per_page)
    books = synth.playbooks(entries, pages)
    for pb in books:
        header = f"# yaml-language-server: $schema=../schemas/{pb['kind']}.schema.json\n"
        text = yaml.safe_dump(pb, sort_keys=False, allow_unicode=True, width=100)
        (out / "playbooks" / f"{pb['id']}.yaml").write_text(header + text, encoding="utf-8")
    first = books[1]
    first_page = f"{first['kind'].replace('checklist', 'checklists')}/{first['id']}.md"
    (out / "content" / "index.md").write_text(
        f"# Synthetic handbook\n\n{len(books)} playbooks generated by `bench/synth.py`. "
        f"Start with [{first['title']}]({first_page}).\n",
        encoding="utf-8",
    )
    project = Project(out)  # the derived files a real handbook commits: URL manifest, CODEOWNERS
    handbook, problems = check_sources(project)
    if problems:
        raise SystemExit(f"bench/synth.py wrote an invalid handbook: {problems[0]}")
    derived.fix(derived_files(project, handbook), handbook)
    return len(books)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    size = parser.add_mutually_exclusive_group(required=True)
    size.add_argument("--entries", type=int, help="about how many linkable entries")
    size.add_argument("--pages", type=int, help="exactly how many playbook pages")
    parser.add_argument(
        "--entries-per-page",
        type=int,
        default=ENTRIES_PER_PLAYBOOK,
        help="about how many entries each playbook has (a FAQ group holds 4 questions)",
    )
    parser.add_argument("--out", type=Path, required=True, help="folder to write (replaced if it exists)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    count = write_handbook(
        args.entries, args.out, args.seed, pages=args.pages, per_page=args.entries_per_page
    )
    print(f"wrote {count} playbooks (about {args.entries_per_page} entries each) into {args.out}")


if __name__ == "__main__":
    main()
