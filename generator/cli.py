"""`handbook`: a thin command line over the pipeline.

Exit codes: 0 ok, 1 invalid content (or a failed build), 2 usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path

from . import __version__
from .model import KINDS, SLUG_MAX_LENGTH, SLUG_PATTERN
from .pipeline import Project, check
from .problems import FORMATS, format_problems
from .schemas import write_schemas
from .skeleton import skeleton

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="handbook",
        description="Partner Handbook: validate YAML playbooks and build them into a searchable site.",
        epilog="Exit codes: 0 ok, 1 invalid content or failed build, 2 usage error.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--root",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="the handbook's folder, holding mkdocs.yml, playbooks/ and content/ (default: .)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "check",
        help="validate every playbook and report every problem",
        description="Load and validate every playbook; report every problem as "
        "PATH:LINE:COL: error: MESSAGE; exit 1 if there was any.",
    )
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text (default), github (Actions annotations) or json",
    )

    p = sub.add_parser(
        "build",
        help="check, generate Markdown and build the site into site/",
        description="Check the playbooks, generate Markdown into build/docs/ and "
        "build the site with MkDocs (strict) into site/, with site/links.json.",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="show MkDocs' progress messages")

    p = sub.add_parser(
        "serve",
        help="live preview that rebuilds when a playbook, template or page changes",
        description="Serve a live preview; editing a playbook, a template or a "
        "content page rebuilds the site and reloads the browser.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port to bind (default: 8000)")

    p = sub.add_parser(
        "new",
        help="write a new playbook skeleton (never overwrites)",
        description="Write playbooks/ID.yaml: a valid skeleton of the given kind, "
        "with the schema modeline for editor completion. Refuses to overwrite.",
    )
    p.add_argument("kind", choices=list(KINDS), metavar="KIND", help=f"one of: {', '.join(KINDS)}")
    p.add_argument("id", metavar="ID", help="the new playbook's id: a lowercase slug")

    p = sub.add_parser(
        "schema",
        help="write a JSON Schema per playbook kind for editors",
        description="Write one JSON Schema per kind (KIND.schema.json), which "
        "playbooks reference in their yaml-language-server modeline.",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder to write into (default: schemas/ in the handbook's folder)",
    )
    return parser


def cmd_check(project: Project, fmt: str) -> int:
    handbook, problems = check(project)
    if fmt != "text":
        print(format_problems(problems, fmt))
    elif problems:
        print(format_problems(problems, "text"))
    files = len({p.path for p in problems})
    if problems:
        print(f"{len(problems)} problem(s) in {files} file(s)", file=sys.stderr)
        return EXIT_INVALID
    if fmt == "text":
        print(
            f"ok: {len(handbook.playbooks)} playbooks, {len(handbook.entries)} linkable entries, no problems"
        )
    return EXIT_OK


def cmd_build(project: Project, verbose: bool) -> int:
    from .site import SiteError, build_site  # MkDocs is imported only when building

    handbook, problems = check(project)
    if problems:
        print(format_problems(problems, "text"), file=sys.stderr)
        print(f"{len(problems)} problem(s): the site was not built", file=sys.stderr)
        return EXIT_INVALID
    try:
        build_site(project, verbose=verbose)
    except SiteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    print(
        f"built {len(handbook.playbooks)} playbooks ({len(handbook.entries)} linkable entries) into "
        f"{project.site_dir}; ids → URLs in {project.site_dir / 'links.json'}"
    )
    return EXIT_OK


def cmd_serve(project: Project, host: str, port: int) -> int:
    from .site import SiteError, serve_site

    try:
        serve_site(project, host=host, port=port)
    except SiteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK


def cmd_new(project: Project, kind: str, playbook_id: str) -> int:
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
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(skeleton(kind, playbook_id, dt.date.today()))
    print(f"wrote {target}: edit it, then run `handbook check`")
    return EXIT_OK


def cmd_schema(project: Project, out: Path | None) -> int:
    for path in write_schemas(out or project.schemas_dir):
        print(f"wrote {path}")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    project = Project(args.root.resolve())
    if args.command in ("check", "build", "serve") and not project.playbooks_dir.is_dir():
        print(f"error: no playbooks/ folder in {project.root} (use --root DIR)", file=sys.stderr)
        return EXIT_INVALID
    try:
        if args.command == "check":
            return cmd_check(project, args.format)
        if args.command == "build":
            return cmd_build(project, args.verbose)
        if args.command == "serve":
            return cmd_serve(project, args.host, args.port)
        if args.command == "new":
            return cmd_new(project, args.kind, args.id)
        return cmd_schema(project, args.out)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
