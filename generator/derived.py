"""Files derived from the sources and committed beside them: the published-URL manifest,
CODEOWNERS and the editors' JSON Schemas.

`handbook check` reports each one that is out of date (one problem per file, naming the
command that fixes it); `handbook fix` brings them all up to date. Nothing here removes a
published URL: retiring one stays a deliberate `handbook urls --forget`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import owners, urls
from .problems import Problem
from .schemas import schema_texts
from .validate import Handbook
from .write import write_text_atomically

FIX = "run `handbook fix`"


@dataclass(frozen=True)
class DerivedFiles:
    """Where the derived files of one handbook live, and what the site publishes now."""

    root: Path
    manifest: Path
    owners_file: Path
    schemas_dir: Path
    produced: dict[str, str]  # URL → the entry id or page:PATH that serves it

    @property
    def codeowners(self) -> Path:
        return self.root / owners.CODEOWNERS_FILE

    def display(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else str(path)


def _teams(files: DerivedFiles) -> list[str] | None:
    team_map, _ = owners.read_owners(files.owners_file)
    return list(team_map.teams) if team_map else None


def stale(files: DerivedFiles, handbook: Handbook) -> list[Problem]:
    """One problem per derived file that is out of date with the sources."""
    problems: list[Problem] = []
    if files.manifest.is_file():
        published, _ = urls.read_manifest(files.manifest)
        missing = sorted(set(files.produced) - {item.url for item in published})
        if missing:
            end = len(files.manifest.read_text(encoding="utf-8").splitlines()) + 1
            more = f" and {len(missing) - 1} more" if len(missing) > 1 else ""
            problems.append(
                Problem(
                    files.display(files.manifest),
                    end,
                    1,
                    f"'{missing[0]}'{more} published but not recorded here, so nothing would "
                    f"stop them breaking: {FIX}",
                )
            )
    team_map, _ = owners.read_owners(files.owners_file)
    if team_map is not None and _all_owners_known(handbook, team_map):  # else check reports the owner
        wanted = owners.codeowners_text(handbook, team_map)
        current = files.codeowners.read_text(encoding="utf-8") if files.codeowners.is_file() else None
        if current != wanted:
            problems.append(
                Problem(
                    files.display(files.codeowners),
                    1,
                    1,
                    f"out of date with the playbooks' owners and {owners.OWNERS_FILE}: {FIX}",
                )
            )
    if files.schemas_dir.is_dir():
        texts = schema_texts(_teams(files))
        outdated = [name for name, text in texts.items() if _read(files.schemas_dir / name) != text]
        if outdated:
            more = f" (and {len(outdated) - 1} more)" if len(outdated) > 1 else ""
            problems.append(
                Problem(
                    files.display(files.schemas_dir / outdated[0]),
                    1,
                    1,
                    f"out of date with the playbook models{more}: {FIX}",
                )
            )
    return problems


def fix(files: DerivedFiles, handbook: Handbook) -> list[str]:
    """Bring every derived file up to date; return a line for each file written."""
    done: list[str] = []
    published, _ = urls.read_manifest(files.manifest)
    missing = sorted(set(files.produced) - {item.url for item in published})
    if missing or not files.manifest.is_file():
        added = [urls.PublishedUrl(url, files.produced[url]) for url in missing]
        urls.write_manifest(files.manifest, [*published, *added])
        done.append(f"{files.display(files.manifest)}: recorded {len(added)} new published URL(s)")
    team_map, _ = owners.read_owners(files.owners_file)
    if team_map is not None:
        wanted = owners.codeowners_text(handbook, team_map)
        if _read(files.codeowners) != wanted:
            files.codeowners.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomically(files.codeowners, wanted)
            done.append(f"{files.display(files.codeowners)}: rewritten from the playbooks' owners")
    if files.schemas_dir.is_dir():
        for name, text in schema_texts(_teams(files)).items():
            target = files.schemas_dir / name
            if _read(target) != text:
                write_text_atomically(target, text)
                done.append(f"{files.display(target)}: rewritten from the models")
    return done


def _all_owners_known(handbook: Handbook, team_map: owners.OwnersFile) -> bool:
    return all(pb.model.owner in team_map.teams for pb in handbook.playbooks)


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None
