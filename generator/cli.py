"""`handbook`: a thin command line over the pipeline.

Exit codes: 0 ok, 1 invalid content (or a failed build), 2 usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import signal
import sys
import threading
from pathlib import Path

from . import __version__, commands, review
from .audience import INTERNAL
from .coverage import COVERAGE_FILE
from .kinds import built_in_kinds
from .model import AUDIENCES
from .owners import CODEOWNERS_FILE, OWNERS_FILE
from .pipeline import Project
from .problems import FORMATS
from .review import TODAY_VARIABLE, ClockError
from .urls import MANIFEST, manifest_name

EXIT_OK, EXIT_INVALID, EXIT_USAGE = commands.EXIT_OK, commands.EXIT_INVALID, commands.EXIT_USAGE
ALL = "all"  # `handbook build --audience all`: every handbook, one after the other


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date: use YYYY-MM-DD") from None


def _audience_option(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument(
        "--audience",
        choices=AUDIENCES,
        default=INTERNAL,
        help=f"{what}: internal (default: everything) or partners (only what is shared with them)",
    )


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
        "init",
        help="start a new handbook in a folder: a playbook of each kind, settings, guide and CI",
        description="Write a new handbook into DIR (created if need be; it must be empty): a starter "
        "playbook of each kind, home pages for the internal and the partner handbook, mkdocs.yml, "
        f"{OWNERS_FILE}, search.yaml, a README and contributor guide, pre-commit hooks, and CI for "
        "GitHub and GitLab; then write its derived files (schemas, CODEOWNERS, URL manifests). It "
        "passes `handbook check` and builds both handbooks as it is. Its name, addresses and "
        "reviewer accounts are examples to replace: `handbook check` names those left once you do.",
    )
    p.add_argument("dir", metavar="DIR", type=Path, help="the folder for the new handbook")

    p = sub.add_parser(
        "check",
        help="everything the project enforces, before a pull request: report every problem",
        description="Load and validate every playbook, the owners in owners.yaml, the synonyms in "
        "search.yaml and every published URL; apply the handbook-wide rules (no placeholder text "
        "left from `handbook new`, every checklist and anti-pattern in a stage, every playbook names "
        "its references, every FAQ answer and remedy links its sources); and check that the derived "
        "files (URL manifest, CODEOWNERS, schemas) are current, which `handbook fix` updates. "
        "Report every problem as PATH:LINE:COL: error: MESSAGE; exit 1 if there was any.",
    )
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text (default), github (Actions annotations), json or codeclimate (GitLab code quality)",
    )
    p.add_argument(
        "--audience",
        choices=AUDIENCES,
        default=INTERNAL,
        help="partners: also warn where the partner handbook must show a reference to an internal "
        "entry and cannot (partners read *internal*), and build the partner handbook (without "
        "publishing it) to search every file of it for what is internal (the leak check)",
    )

    sub.add_parser(
        "fix",
        help="update the derived files: the URL manifest, CODEOWNERS and the JSON Schemas",
        description=f"Record newly published URLs in {MANIFEST}, rewrite {CODEOWNERS_FILE} from the "
        f"playbooks' owners and {OWNERS_FILE}, and rewrite the JSON Schemas in schemas/: everything "
        "`handbook check` reports as out of date. Never retires a published URL (that is "
        "`handbook urls --forget`). Refuses to write while the sources have problems.",
    )

    p = sub.add_parser(
        "rename",
        help="change an entry's or a playbook's id everywhere, keeping the old id as an alias",
        description="Change the id OLD to NEW: in its playbook (OLD goes under `aliases:`, so old "
        "links keep working), in every reference in the playbooks, in links by id and "
        "[[defaults]] in playbook text and content pages, and in the other files that name ids; "
        "a playbook file named OLD.yaml becomes "
        f"NEW.yaml. Then record the new URLs in {MANIFEST} and update CODEOWNERS.",
    )
    p.add_argument("old", metavar="OLD", help="the id to change")
    p.add_argument("new", metavar="NEW", help="the new id: a lowercase slug")
    p.add_argument("--dry-run", action="store_true", help="print the edits; change nothing")

    p = sub.add_parser(
        "build",
        help="check, generate Markdown and build the site into site/ (or the partner handbook)",
        description="Check the playbooks, generate Markdown into build/docs/ and "
        "build the site with MkDocs (strict) into site/, with site/links.json. With --audience "
        "partners: every rule of `handbook check --audience partners` first, then the partner "
        "handbook, from build/docs-partners/ into site-partners/ (or the folder mkdocs.yml "
        "names), published only if the leak check finds nothing internal in it.",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="show MkDocs' progress messages")
    p.add_argument(
        "--audience",
        choices=(*AUDIENCES, ALL),
        default=INTERNAL,
        help="which handbook to build: internal (default: everything), partners (only what is "
        "shared with them) or all (both, one after the other)",
    )

    p = sub.add_parser(
        "serve",
        help="live preview that rebuilds when a playbook, template or page changes",
        description="Serve a live preview; editing a playbook, a template or a "
        "content page rebuilds the site and reloads the browser. A rebuild re-renders only "
        "the pages whose Markdown changed, unless the navigation, a title, a redirect, a tag, "
        "the settings or the theme changed: then every page.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port to bind (default: 8000)")
    _audience_option(p, "which handbook to preview")
    p.add_argument(
        "--full",
        action="store_true",
        help="re-render every page after every edit (slow on a large handbook; for when a "
        "page looks out of date)",
    )
    p.add_argument("--dirty", action="store_true", help=argparse.SUPPRESS)  # the default since 0.16

    p = sub.add_parser(
        "new",
        help="write a new playbook skeleton (never overwrites)",
        description="Write playbooks/ID.yaml: a valid skeleton of the given kind, "
        "with the schema modeline for editor completion. Refuses to overwrite.",
    )
    p.add_argument(
        "kind",
        metavar="KIND",
        help=f"one of: {', '.join(built_in_kinds())}, or a kind declared in the handbook's kinds/ folder",
    )
    p.add_argument("id", metavar="ID", help="the new playbook's id: a lowercase slug")

    p = sub.add_parser(
        "schema",
        help="write a JSON Schema per playbook kind, and for owners.yaml and search.yaml, for editors",
        description="Write one JSON Schema per kind (KIND.schema.json), which "
        "playbooks reference in their yaml-language-server modeline, and one each for "
        "owners.yaml and search.yaml.",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder to write into (default: schemas/ in the handbook's folder)",
    )

    p = sub.add_parser(
        "urls",
        help=f"record newly published URLs in {MANIFEST}",
        description=f"Add every URL the site now publishes to {MANIFEST}, so that `handbook check` "
        "fails if one of them ever stops working. Never removes a URL unless told to with --forget.",
    )
    p.add_argument(
        "--forget",
        action="append",
        default=[],
        metavar="URL",
        help="retire a URL that is no longer published, on purpose (repeatable)",
    )
    p.add_argument(
        "--check", action="store_true", help=f"change nothing; exit 1 if {MANIFEST} lacks a published URL"
    )
    _audience_option(
        p,
        f"whose URLs: the internal handbook's ({MANIFEST}) or the partner handbook's "
        f"({manifest_name('partners')})",
    )

    p = sub.add_parser(
        "report",
        help="reports about the handbook: stale (overdue for review), partners (what they read "
        "unlinked), coverage (the source-to-entry table)",
        description="Reports about the handbook.",
    )
    reports = p.add_subparsers(dest="report", required=True, metavar="REPORT")
    r = reports.add_parser(
        "stale",
        help="list playbooks overdue for review",
        description="List playbooks whose next review (last_reviewed plus the review cadence) is past. "
        f"Today is the local date, or {TODAY_VARIABLE} if set, or --today.",
    )
    r.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json")
    r.add_argument("--today", type=_date, default=None, metavar="YYYY-MM-DD", help="report as of this date")
    r.add_argument("--fail", action="store_true", help="exit 1 if any playbook is overdue")
    r = reports.add_parser(
        "partners",
        help="list where shared entries refer to internal ones, and what partners read there",
        description="List every reference from a part of a playbook shared with partners to an "
        "entry that is not: a link partners read as its words only, a default as its value only, "
        "a `see:` they do not see, or *internal* where a reference must show (which `handbook "
        "check --audience partners` also warns about).",
    )
    r.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json")
    r = reports.add_parser(
        "coverage",
        help=f"print what {COVERAGE_FILE} requires, source by source, as a Markdown table",
        description=f"Print the sources and points of {COVERAGE_FILE} with the entries that carry "
        "each, as a Markdown table with links by id (for a pull request or a page).",
    )

    p = sub.add_parser(
        "codeowners",
        help=f"write {CODEOWNERS_FILE} from the playbooks' owners and {OWNERS_FILE}",
        description=f"Generate {CODEOWNERS_FILE}: each playbook file is owned by the reviewers that "
        f"{OWNERS_FILE} lists for its owner team, so a pull request asks them for review.",
    )
    p.add_argument(
        "--out", type=Path, default=None, metavar="FILE", help=f"where to write (default: {CODEOWNERS_FILE})"
    )
    p.add_argument("--check", action="store_true", help="change nothing; exit 1 if the file is out of date")
    return parser


class Terminated(KeyboardInterrupt):
    """SIGTERM, turned into an exception so that a build cleans up exactly as for Ctrl-C."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _on_sigterm)
    audience = getattr(args, "audience", INTERNAL)
    project = Project(args.root.resolve(), INTERNAL if audience == ALL else audience)
    needs_playbooks = ("check", "fix", "rename", "build", "serve", "urls", "report", "codeowners")
    if args.command in needs_playbooks and not project.playbooks_dir.is_dir():
        print(f"error: no playbooks/ folder in {project.root} (use --root DIR)", file=sys.stderr)
        return EXIT_INVALID
    try:
        review.today()  # a bad HANDBOOK_TODAY is a usage error, whatever the command
        if args.command == "init":
            return commands.cmd_init(args.dir.resolve())
        if args.command == "check":
            return commands.cmd_check(project, args.format)
        if args.command == "rename":
            return commands.cmd_rename(project, args.old, args.new, args.dry_run)
        if args.command == "fix":
            return commands.cmd_fix(project)
        if args.command == "build":
            audiences = AUDIENCES if audience == ALL else (audience,)
            return commands.cmd_build([project.for_audience(name) for name in audiences], args.verbose)
        if args.command == "serve":
            return commands.cmd_serve(project, args.host, args.port, full=args.full)
        if args.command == "new":
            return commands.cmd_new(project, args.kind, args.id)
        if args.command == "urls":
            return commands.cmd_urls(project, args.forget, args.check)
        if args.command == "report" and args.report == "partners":
            return commands.cmd_report_partners(project, args.format)
        if args.command == "report" and args.report == "coverage":
            return commands.cmd_report_coverage(project)
        if args.command == "report":
            return commands.cmd_report_stale(project, args.format, args.today, args.fail)
        if args.command == "codeowners":
            return commands.cmd_codeowners(project, args.out, args.check)
        return commands.cmd_schema(project, args.out)
    except ClockError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Terminated:
        print("terminated: site/ and the source files were left as they were", file=sys.stderr)
        return 128 + int(signal.SIGTERM)
    except KeyboardInterrupt:
        print("interrupted: site/ and the source files were left as they were", file=sys.stderr)
        return 128 + int(signal.SIGINT)


if __name__ == "__main__":
    sys.exit(main())
