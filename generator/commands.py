"""What each `handbook` command does; `cli` parses the arguments and calls one of these.

Every command returns its exit code: 0 ok, 1 invalid content (or a failed build or an
out-of-date generated file), 2 usage error.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path

from . import audience as audiences
from . import coverage, declared, derived, owners, pipeline, rename, review, starter, urls
from .messages import suggest
from .model import SLUG_MAX_LENGTH, SLUG_PATTERN
from .pipeline import Project, check
from .problems import Problem, format_problems
from .schemas import write_schemas
from .skeleton import skeleton
from .validate import Handbook
from .write import write_text_atomically

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def cmd_init(dest: Path) -> int:
    """A new handbook from the starter, with its derived files written."""
    try:
        files = starter.write_starter(dest)
    except starter.InitError as exc:
        print(f"handbook init: error: {exc}; nothing was written", file=sys.stderr)
        return EXIT_INVALID
    project = Project(dest)
    handbook, problems = pipeline.check_sources(project)
    if problems:  # not expected from the starter: say so plainly
        print(format_problems(problems, "text"), file=sys.stderr)
        return EXIT_INVALID
    derived.fix(pipeline.derived_files(project, handbook), handbook)
    print(f"wrote a new handbook into {dest}: {len(files)} files, {len(handbook.playbooks)} playbooks")
    print(
        f"next: cd {dest}; `handbook serve` to preview it, `handbook check` before each pull request.\n"
        'Make it yours (README.md, "Setting it up for your organisation"): the names and addresses '
        f"in mkdocs.yml, the reviewers in {owners.OWNERS_FILE}, the home pages; `handbook check` "
        "names what is left from the starter."
    )
    return EXIT_OK


def cmd_check(project: Project, fmt: str) -> int:
    """Everything the project enforces; for an audience's handbook also what its shared entries
    lose (warnings), and the leak check on a build of its site."""
    handbook, problems = _checked(project)
    notes = []
    if project.audience != audiences.INTERNAL and handbook.complete:
        if any(p.is_error for p in problems):
            notes.append(
                f"{audiences.handbook_name(project.audience)} was not built for the leak check: "
                "fix the errors first"
            )
        else:
            found, note = _leak_check(project)
            problems += found
            notes.append(note)
    errors = [p for p in problems if p.is_error]
    if fmt != "text":
        print(format_problems(problems, fmt))
    elif problems:
        print(format_problems(problems, "text"))
    for note in notes:
        print(note, file=sys.stderr)
    warned = f" ({len(problems) - len(errors)} warning(s))" if len(problems) > len(errors) else ""
    if errors:
        files = len({p.path for p in errors})
        print(f"{len(errors)} problem(s) in {files} file(s){warned}", file=sys.stderr)
        return EXIT_INVALID
    if fmt == "text":
        print(
            f"ok: {len(handbook.playbooks)} playbooks, {len(handbook.entries)} linkable entries, "
            f"no problems{warned}"
        )
        _note_no_manifest(project)
    return EXIT_OK


def _checked(project: Project) -> tuple[Handbook, list[Problem]]:
    """Every rule the project enforces; for an audience's handbook also what its shared
    entries lose (warnings)."""
    handbook, problems = check(project)
    if project.audience != audiences.INTERNAL and handbook.complete:
        problems += audiences.dependencies(handbook)
    return handbook, problems


def _leak_check(project: Project) -> tuple[list[Problem], str]:
    """Build the audience's site (without publishing it) and search it for what is withheld."""
    from .site import ContentProblems, SiteError, build_site  # MkDocs only when building

    name = audiences.handbook_name(project.audience)
    try:
        built = build_site(project, publish=False)
    except ContentProblems as exc:
        return exc.problems, f"leak check: {name} leaks; it was not published"
    except SiteError as exc:
        return [Problem(project.config_file.name, 1, 1, f"{name} did not build: {exc}")], ""
    return [], built.leak_check.summary() if built.leak_check else ""


def _note_no_manifest(project: Project) -> None:
    if not project.manifest_file.is_file():
        name = project.manifest_file.name
        print(f"note: no {name} yet: run `handbook fix` to protect published links", file=sys.stderr)


def cmd_fix(project: Project) -> int:
    """Bring the derived files (URL manifest, CODEOWNERS, schemas) up to date with the sources."""
    handbook, problems = pipeline.check_sources(project)
    if problems:
        print(format_problems(problems, "text"), file=sys.stderr)
        print(f"{len(problems)} problem(s): fix them first; nothing was written", file=sys.stderr)
        return EXIT_INVALID
    done = derived.fix(pipeline.derived_files(project, handbook), handbook)
    for line in done:
        print(line)
    print(
        "ok: every derived file is up to date" if done else "nothing to fix: every derived file is up to date"
    )
    return EXIT_OK


def cmd_rename(project: Project, old: str, new: str, dry_run: bool) -> int:
    """Change an id everywhere, keep the old one as an alias, record the new URLs."""
    handbook, problems = pipeline.check_sources(project)
    if problems:
        print(format_problems(problems, "text"), file=sys.stderr)
        print(f"{len(problems)} problem(s): fix them before renaming; nothing was changed", file=sys.stderr)
        return EXIT_INVALID
    try:
        edits = rename.plan(handbook, old, new, project.content_sources(), project.id_files())
    except rename.RenameError as exc:
        print(f"handbook rename: error: {exc}; nothing was changed", file=sys.stderr)
        return EXIT_INVALID
    moved = rename.renamed_file(handbook, old, new)
    for file in edits:
        for line in sorted(file.lines, key=lambda text: int(text.split(":")[0])):
            print(f"{_display(project, file.path)}:{line}")
    if moved:
        print(f"{_display(project, moved[0])} → {_display(project, moved[1])}")
    if dry_run:
        print(f"dry run: {len(edits)} file(s) would change; nothing was written")
        return EXIT_OK
    for file in edits:
        write_text_atomically(file.path, file.result)
    if moved:
        moved[0].rename(moved[1])
    handbook, problems = pipeline.check_sources(project)
    if problems:  # not expected: say so plainly rather than hide it
        print(format_problems(problems, "text"), file=sys.stderr)
        print("the rename left problems above: fix them, then run `handbook fix`", file=sys.stderr)
        return EXIT_INVALID
    for line in derived.fix(pipeline.derived_files(project, handbook), handbook):
        print(line)
    print(f"renamed '{old}' to '{new}' in {len(edits)} file(s); '{old}' is kept under `aliases:`")
    return EXIT_OK


def _display(project: Project, path: Path) -> str:
    return path.relative_to(project.root).as_posix() if path.is_relative_to(project.root) else str(path)


def cmd_build(projects: list[Project], verbose: bool) -> int:
    """Build each handbook in turn; stop at the first that fails (its site is left as it was)."""
    from .site import ContentProblems, SiteError, build_site  # MkDocs only when building

    for project in projects:
        if project.audience != audiences.INTERNAL and not _checked_for(project):
            return EXIT_INVALID
        try:
            built = build_site(project, verbose=verbose)
        except ContentProblems as exc:
            print(format_problems(exc.problems, "text"), file=sys.stderr)
            print(f"{len(exc.problems)} problem(s): the site was not built", file=sys.stderr)
            return EXIT_INVALID
        except SiteError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_INVALID
        generated, site = built.generated, built.site_dir
        internal = project.audience == audiences.INTERNAL
        which = "" if internal else f"{audiences.handbook_name(project.audience)}: "
        print(
            f"built {which}{generated.playbooks} playbooks ({generated.entries} linkable entries) into "
            f"{site}; ids → URLs in {site / 'links.json'}"
        )
        if built.leak_check is not None:
            print(built.leak_check.summary())
    return EXIT_OK


def _checked_for(project: Project) -> bool:
    """Before a handbook for an audience is published: every rule `handbook check` enforces,
    with the same messages. Warnings are printed and do not stop it."""
    _, problems = _checked(project)
    if problems:
        print(format_problems(problems, "text"), file=sys.stderr)
    if errors := [p for p in problems if p.is_error]:
        name = audiences.handbook_name(project.audience)
        print(f"{len(errors)} problem(s): {name} was not built (as `handbook check` says)", file=sys.stderr)
        return False
    return True


def cmd_serve(project: Project, host: str, port: int, *, full: bool = False) -> int:
    from .site import SiteError, serve_site

    try:
        serve_site(project, host=host, port=port, full=full)
    except SiteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK


def cmd_new(project: Project, kind: str, playbook_id: str) -> int:
    kinds = declared.read_kinds(project.root)
    if kinds.problems:
        print(format_problems(kinds.problems, "text"), file=sys.stderr)
        return EXIT_INVALID
    if kind not in kinds.kinds:
        print(
            f"handbook new: error: unknown kind '{kind}'{suggest(kind, kinds.kinds)}; "
            f"use one of: {', '.join(kinds.kinds)}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if not re.fullmatch(SLUG_PATTERN, playbook_id) or len(playbook_id) > SLUG_MAX_LENGTH:
        print(
            f"handbook new: error: '{playbook_id}' is not a valid id: use lowercase letters, digits "
            f"and single hyphens, at most {SLUG_MAX_LENGTH} characters",
            file=sys.stderr,
        )
        return EXIT_USAGE
    target = project.playbooks_dir / f"{playbook_id}.yaml"
    if target.exists():
        print(f"error: {target} already exists; not overwriting it", file=sys.stderr)
        return EXIT_INVALID
    handbook, _ = check(project)
    if playbook_id in handbook.entries:
        where = handbook.entries[playbook_id].source.display
        print(f"error: the id '{playbook_id}' is already used in {where}", file=sys.stderr)
        return EXIT_INVALID
    team_map, _ = owners.read_owners(project.owners_file)
    owner = next(iter(team_map.teams), None) if team_map else None  # a valid team; change it if need be
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(skeleton(kinds.kinds[kind], playbook_id, review.today(), owner))
    print(f"wrote {target}: edit it, then run `handbook check`")
    return EXIT_OK


def cmd_schema(project: Project, out: Path | None) -> int:
    team_map, problems = owners.read_owners(project.owners_file)
    if problems:
        print(format_problems(problems, "text"), file=sys.stderr)
        return EXIT_INVALID
    kinds = declared.read_kinds(project.root)
    if kinds.problems:
        print(format_problems(kinds.problems, "text"), file=sys.stderr)
        return EXIT_INVALID
    teams = list(team_map.teams) if team_map else None  # `owner` completes from owners.yaml
    for path in write_schemas(out or project.schemas_dir, kinds.kinds, teams):
        print(f"wrote {path}")
    return EXIT_OK


def _valid_handbook(project: Project) -> Handbook | None:
    """The validated playbooks, or None after printing why they are not valid."""
    handbook, problems = pipeline.check_playbooks(project)
    if problems:
        print(format_problems(problems, "text"), file=sys.stderr)
        print(f"{len(problems)} problem(s): fix them first (see `handbook check`)", file=sys.stderr)
        return None
    return handbook


def cmd_urls(project: Project, forget: list[str], check_only: bool) -> int:
    handbook = _valid_handbook(project)
    if handbook is None:
        return EXIT_INVALID
    published, produced, missing, problems = pipeline.unrecorded_urls(project, handbook)
    if problems:
        print(format_problems(problems, "text"), file=sys.stderr)
        return EXIT_INVALID
    recorded = {item.url for item in published}
    name = project.manifest_file.name
    if check_only:
        for url in missing:
            print(f"{name}: not recorded yet: {url}  {produced[url]}")
        if missing:
            print(f"{len(missing)} published URL(s) missing: run `handbook urls`", file=sys.stderr)
            return EXIT_INVALID
        print(f"ok: all {len(produced)} published URLs are recorded in {name}")
        return EXIT_OK
    unknown = [url for url in forget if url not in recorded]
    still_published = [url for url in forget if url in produced]
    for url in unknown:
        print(f"error: '{url}' is not in {name}", file=sys.stderr)
    for url in still_published:
        print(f"error: '{url}' is still published; there is nothing to retire", file=sys.stderr)
    if unknown or still_published:
        return EXIT_INVALID
    view = audiences.view(handbook, project.audience)
    retired = {
        item.url
        for item in published
        if item.url in forget or (_page_of(item.url) in forget and _lost(view, item))
    }
    kept = [item for item in published if item.url not in retired]
    added = [urls.PublishedUrl(url, produced[url]) for url in missing]
    urls.write_manifest(project.manifest_file, [*kept, *added])
    print(f"{name}: added {len(added)}, retired {len(retired)}, {len(kept) + len(added)} URLs recorded")
    return EXIT_OK


def _page_of(url: str) -> str:
    """A page URL for an anchor URL ('/faq/x/#q' → '/faq/x/'): retiring a page retires its
    anchors too, except those whose entry lives on elsewhere (they still redirect)."""
    return url.partition("#")[0]


def _lost(handbook: Handbook, item: urls.PublishedUrl) -> bool:
    return item.source.startswith("page:") or handbook.resolve(item.source) is None


def cmd_report_stale(project: Project, fmt: str, today: dt.date | None, fail: bool) -> int:
    handbook = _valid_handbook(project)
    if handbook is None:
        return EXIT_INVALID
    on = today or review.today()
    stale = []
    for pb in sorted(handbook.playbooks, key=lambda pb: pb.source.display):
        result = review.review_of(pb.model, on)
        if result.status == "overdue":
            stale.append((pb, result))
    if fmt == "json":
        rows = [
            {
                "path": pb.source.display,
                "id": pb.model.id,
                "title": pb.model.title,
                "owner": pb.model.owner,
                "last_reviewed": result.last_reviewed.isoformat(),
                "next_review": result.due.isoformat(),
                "days_overdue": result.days_overdue,
            }
            for pb, result in stale
        ]
        print(json.dumps(rows, indent=2))
    else:
        for pb, result in stale:
            print(
                f"{pb.source.display}: '{pb.model.title}' (owner: {pb.model.owner}) was due for review "
                f"on {result.due.isoformat()}, {result.days_overdue} day(s) ago"
            )
        total = len(handbook.playbooks)
        print(f"{len(stale)} of {total} playbook(s) overdue for review as of {on.isoformat()}")
    return EXIT_INVALID if fail and stale else EXIT_OK


def cmd_report_coverage(project: Project) -> int:
    handbook = _valid_handbook(project)
    if handbook is None:
        return EXIT_INVALID
    if not (project.root / coverage.COVERAGE_FILE).is_file():
        print(f"error: no {coverage.COVERAGE_FILE} in {project.root}: nothing is required", file=sys.stderr)
        return EXIT_INVALID
    print(coverage.coverage_table(project.root, handbook), end="")
    return EXIT_OK


_SHOWN = {
    "words": "partners read the link's words, unlinked",
    "value": "partners read the default's value, unlinked",
    "nothing": "partners do not see this reference",
    "internal": "partners read *internal* here",
}


def cmd_report_partners(project: Project, fmt: str) -> int:
    handbook = _valid_handbook(project)
    if handbook is None:
        return EXIT_INVALID
    placed = sorted(
        ((ref.problem(""), ref) for ref in audiences.withheld_references(handbook)), key=lambda p: p[0]
    )
    if fmt == "json":
        rows = [
            {"path": at.path, "line": at.line, "col": at.col, "id": ref.target, "shown": ref.shown}
            for at, ref in placed
        ]
        print(json.dumps(rows, indent=2))
        return EXIT_OK
    for at, ref in placed:
        title = handbook.entries[ref.target].entry.label
        print(f"{at.path}:{at.line}:{at.col}: '{ref.target}' ({title}) is internal: {_SHOWN[ref.shown]}")
    files = len({at.path for at, _ in placed})
    print(f"{len(placed)} reference(s) from shared entries to internal ones, in {files} file(s)")
    return EXIT_OK


def cmd_codeowners(project: Project, out: Path | None, check_only: bool) -> int:
    handbook = _valid_handbook(project)
    if handbook is None:
        return EXIT_INVALID
    team_map, problems = owners.read_owners(project.owners_file)
    problems += owners.check_owners(handbook, team_map)
    if problems:
        print(format_problems(problems, "text"), file=sys.stderr)
        return EXIT_INVALID
    if team_map is None:
        print(
            f"error: no {owners.OWNERS_FILE} in {project.root}: map each owner team to reviewers first",
            file=sys.stderr,
        )
        return EXIT_INVALID
    target = out or project.root / owners.CODEOWNERS_FILE
    text = owners.codeowners_text(handbook, team_map)
    current = target.read_text(encoding="utf-8") if target.is_file() else None
    if check_only:
        if current != text:
            print(f"error: {target} is out of date: run `handbook codeowners`", file=sys.stderr)
            return EXIT_INVALID
        print(f"ok: {target} is current")
        return EXIT_OK
    if current != text:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomically(target, text)
    print(f"wrote {target}" if current != text else f"{target} is already current")
    return EXIT_OK
