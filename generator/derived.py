"""Files derived from the sources and committed beside them: the published-URL manifest,
CODEOWNERS, the editors' JSON Schemas and the lists of kinds in Markdown pages.

`handbook check` reports each one that is out of date (one problem per file, naming the
command that fixes it); `handbook fix` brings them all up to date. Nothing here removes a
published URL: retiring one stays a deliberate `handbook urls --forget`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import kind_docs, owners, urls
from .problems import Problem
from .schemas import schema_texts
from .validate import Handbook
from .write import write_text_atomically

FIX = "run `handbook fix`"


@dataclass(frozen=True)
class Manifest:
    """The published-URL manifest of one site (the internal handbook, or an audience's)."""

    path: Path
    published: list[urls.PublishedUrl]  # what the manifest records
    produced: dict[str, str]  # URL → the entry id or page:PATH that serves it
    unrecorded: list[str]  # produced, not recorded yet


@dataclass(frozen=True)
class DerivedFiles:
    """Where the derived files of one handbook live and what they are derived from, read once:
    each site's manifest and what the site publishes now, and the owner teams."""

    root: Path
    manifests: list[Manifest]
    schemas_dir: Path
    team_map: owners.OwnersFile | None
    pages: dict[str, Path]  # Markdown files that may hold lists of kinds, by page path

    @property
    def codeowners(self) -> Path:
        return self.root / owners.CODEOWNERS_FILE

    @property
    def teams(self) -> list[str] | None:
        return list(self.team_map.teams) if self.team_map else None

    def display(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else str(path)


def stale(files: DerivedFiles, handbook: Handbook) -> list[Problem]:
    """One problem per derived file that is out of date with the sources."""
    problems: list[Problem] = []
    for manifest in files.manifests:
        missing = manifest.unrecorded
        if manifest.path.is_file() and missing:
            end = len(manifest.path.read_text(encoding="utf-8").splitlines()) + 1
            more = f" and {len(missing) - 1} more" if len(missing) > 1 else ""
            problems.append(
                Problem(
                    files.display(manifest.path),
                    end,
                    1,
                    f"'{missing[0]}'{more} published but not recorded here, so nothing would "
                    f"stop them breaking: {FIX}",
                )
            )
    # With an owner missing from owners.yaml, check reports the owner; CODEOWNERS waits for it.
    team_map = files.team_map
    if (
        team_map is not None
        and not owners.check_owners(handbook, team_map)
        and _read(files.codeowners) != owners.codeowners_text(handbook, team_map)
    ):
        problems.append(
            Problem(
                files.display(files.codeowners),
                1,
                1,
                f"out of date with the playbooks' owners and {owners.OWNERS_FILE}: {FIX}",
            )
        )
    if files.schemas_dir.is_dir():
        texts = schema_texts(handbook.kinds, files.teams)
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
    for page, path in files.pages.items():
        text = path.read_text(encoding="utf-8")
        if "handbook:kinds" in text:
            problems += kind_docs.stale_blocks(files.display(path), text, handbook, page)
    return problems


def fix(files: DerivedFiles, handbook: Handbook) -> list[str]:
    """Bring every derived file up to date; return a line for each file written."""
    done: list[str] = []
    for manifest in files.manifests:
        if manifest.unrecorded or not manifest.path.is_file():
            added = [urls.PublishedUrl(url, manifest.produced[url]) for url in manifest.unrecorded]
            urls.write_manifest(manifest.path, [*manifest.published, *added])
            done.append(f"{files.display(manifest.path)}: recorded {len(added)} new published URL(s)")
    if files.team_map is not None:
        wanted = owners.codeowners_text(handbook, files.team_map)
        if _read(files.codeowners) != wanted:
            files.codeowners.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomically(files.codeowners, wanted)
            done.append(f"{files.display(files.codeowners)}: rewritten from the playbooks' owners")
    if files.schemas_dir.is_dir():
        for name, text in schema_texts(handbook.kinds, files.teams).items():
            target = files.schemas_dir / name
            if _read(target) != text:
                write_text_atomically(target, text)
                done.append(f"{files.display(target)}: rewritten from the models")
    for page, path in files.pages.items():
        text = path.read_text(encoding="utf-8")
        if "handbook:kinds" in text and (new := kind_docs.updated(text, handbook, page)) != text:
            write_text_atomically(path, new)
            done.append(f"{files.display(path)}: lists of kinds rewritten from the kinds")
    return done


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None
