"""Stage 3, render: turn validated playbooks into Markdown pages with Jinja templates.

Field values are passed to templates as data: Jinja never evaluates them, so `{{ 7*7 }}`
in a YAML field reaches the page literally. `StrictUndefined` makes a template that asks
for a missing field fail loudly instead of rendering a blank.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from markdown_it import MarkdownIt

from . import inline, layout, tag_pages
from .audience import INTERNAL, Sharing
from .inline import WITHHELD_TEXT
from .kinds.operating_model import ISO_44001_STAGES
from .layout import escape_label
from .model import KindSpec, Playbook, section_title
from .review import review_of
from .validate import Handbook, ValidPlaybook

if TYPE_CHECKING:
    from .render_cache import RenderCache

TEMPLATES_DIR = Path(__file__).parent / "templates"
REVIEW_STATUS_PAGE = "review-status.md"
BACKLINKS_LISTED = 8  # more entries linking to one are listed by page, with a count
BACKLINK_PAGES_LISTED = 25  # and of those pages, the first so many: a page stays small at any size
_inline_markdown = MarkdownIt("commonmark")
REVIEW_ROWS = 150  # the review status page lists the playbooks due first; `handbook report stale` all


@dataclass(frozen=True)
class Page:
    path: str  # relative to the docs folder, POSIX
    title: str
    text: str
    source: str | None  # repository path of the file to edit, None for index pages
    order: tuple[int, str] = (0, "")  # position within its navigation section


class TemplateFailure(Exception):
    """A template could not be rendered: a bug in a template, not in the content."""

    def __init__(self, template: str, line: int, message: str):
        super().__init__(f"{template}:{line}: error: {message}")
        self.template, self.line, self.message = template, line, message
        self.playbook: tuple[Playbook, str] | None = None  # the playbook being rendered, its file


def escape_heading(text: str) -> str:
    """Make text safe as a heading whose `{ #id }` attribute list follows it."""
    return re.sub(r"([\\{}])", r"\\\1", " ".join(text.split()))


def escape_cell(text: str) -> str:
    """Make text safe inside a Markdown table cell: one line, no bare pipes."""
    return " ".join(text.split()).replace("|", "\\|")


def front_matter_block(meta: Mapping[str, object]) -> str:
    """YAML front matter written as JSON values (JSON is valid YAML): fast and always quoted."""
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"


def first_paragraph(markdown: str) -> str:
    return " ".join(markdown.strip().split("\n\n")[0].split())


def plain_text(markdown: str) -> str:
    """Inline Markdown as a reader sees it, for the page's description in its head: emphasis
    and code marks dropped, entities and escapes decoded, links as their words (a link by id,
    which has no definition here, stays for `inline.words` to turn into its words)."""
    parts = []
    for token in _inline_markdown.parseInline(markdown):
        for child in token.children or []:
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
    return " ".join("".join(parts).split())


def make_environment(
    templates_dir: Path = TEMPLATES_DIR, kinds_dir: Path | None = None
) -> jinja2.Environment:
    """The templates: the generator's own, then those of the kinds a handbook declares in
    `kinds_dir` (which may extend `_playbook.md.j2` and import `_macros.md.j2`)."""
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(templates_dir)]
    if kinds_dir is not None:
        loaders.append(jinja2.FileSystemLoader(kinds_dir))
    env = jinja2.Environment(
        loader=_Templates(loaders, own=[kinds_dir] if kinds_dir else []),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # the output is Markdown; raw HTML is refused at validation
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["label"] = escape_label
    env.filters["heading"] = escape_heading
    env.filters["first_paragraph"] = first_paragraph
    env.filters["cell"] = escape_cell
    env.filters["words"] = lambda text: text  # the renderer gives it the handbook (inline.words)
    env.globals["ISO_44001_STAGES"] = ISO_44001_STAGES
    env.globals["BACKLINKS_LISTED"] = BACKLINKS_LISTED
    env.globals["BACKLINK_PAGES_LISTED"] = BACKLINK_PAGES_LISTED
    env.globals["section"] = lambda pb, field: section_title(type(pb), field)
    return env


def template_line(path: str | Path, number: int) -> str:
    """Line `number` of a template file ("" if there is none)."""
    try:
        lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    return lines[number - 1] if 0 < number <= len(lines) else ""


class _Templates(jinja2.ChoiceLoader):
    """The generator's templates, then the handbook's own (`own_folders`), whose authors are
    told where their template failed."""

    def __init__(self, loaders: list[jinja2.BaseLoader], own: list[Path]):
        super().__init__(loaders)
        self.own_folders = [folder.resolve() for folder in own]


def _template_frame(exc: BaseException, template: str, env: jinja2.Environment) -> tuple[str, int, bool]:
    """Where a template failed: the innermost frame in a template of the handbook's own (a
    declared kind's, whose author can change it), else the innermost template frame; and
    whether it is the handbook's own."""
    own = [str(path) for path in getattr(env.loader, "own_folders", ())]
    found, mine = (template, 0), None
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = (filename, tb.tb_lineno)
            if any(filename.startswith(folder) for folder in own):
                mine = found
        tb = tb.tb_next
    return (*mine, True) if mine else (*found, False)


_NO_ATTRIBUTE = re.compile(r"'jinja2\.environment\.TemplateModule object' has no attribute '(\w+)'")
_NO_FILTER = re.compile(r"No filter named '(\w+)'")
_MACRO = re.compile(r"\{%-?\s*macro\s+(\w+)\s*\(([^)]*)\)")
_CALL = re.compile(r"\bm\.(\w+)\s*\(")


def macros(templates_dir: Path = TEMPLATES_DIR) -> dict[str, str]:
    """The macros templates call as m.NAME, with their parameters, read from _macros.md.j2."""
    text = (templates_dir / "_macros.md.j2").read_text(encoding="utf-8")
    return {name: " ".join(params.split()) for name, params in _MACRO.findall(text)}


def template_error_message(exc: BaseException, env: jinja2.Environment, line: str = "") -> str:
    """What went wrong in a template, in the terms its author wrote it in (`line`: the
    template's line where it failed)."""
    from .messages import suggest  # the messages module imports the models, which import this one

    if isinstance(exc, jinja2.TemplateNotFound):
        known = env.list_templates(filter_func=lambda name: not name.startswith("."))
        return f"template '{exc.name}' not found{suggest(str(exc.name), known)}; extend \"_playbook.md.j2\""
    if found := _NO_ATTRIBUTE.search(str(exc)):
        name, names = found.group(1), list(macros())
        return f"'m.{name}' is not a macro{suggest(name, names)}; the macros: {', '.join(names)}"
    if found := _NO_FILTER.search(str(exc)):
        return f"no filter '{found.group(1)}'{suggest(found.group(1), env.filters)}"
    if isinstance(exc, jinja2.TemplateError):
        return str(exc)
    calls = [f"m.{name}({params})" for name, params in macros().items() if name in _CALL.findall(line)]
    takes = f"; {' and '.join(calls)} expected" if calls else ""
    return f"{type(exc).__name__}: {exc}{takes}"


class Renderer:
    def __init__(
        self, handbook: Handbook, env: jinja2.Environment, today: dt.date, shared: Sharing | None = None
    ):
        self.handbook = handbook
        self.env = env
        env.filters["words"] = lambda text: inline.words(text, handbook)  # text shown inside HTML
        # Who reads the pages; in the internal handbook, whether the partner handbook has a
        # model (a playbook, an entry, an item), so that pages can show what is shared.
        env.globals["audience"] = handbook.audience
        env.globals["shared"] = (lambda model: shared.includes(model)) if shared else (lambda model: False)
        self.shared = shared
        self.today = today
        self._links: dict[str, dict[str, str]] = {}  # page folder → entry id → Markdown link
        self.listed_playbooks = False  # the page being rendered listed other playbooks (playbooks_of)
        # A live preview's index pages of the last render: path → (what it lists, its page)
        self.listings: dict[str, tuple[tuple[object, ...], Page]] | None = None

    def _linker(self, from_page: str) -> Callable[[str], str]:
        """`link(id)` for templates: a Markdown link from `from_page` to the entry, titled by it.

        Links depend only on the folder of the page they are written on, so they are made once
        per folder and entry (a large handbook writes tens of thousands of them).
        """
        made = self._links.setdefault(posixpath.dirname(from_page), {})

        def link(entry_id: str) -> str:
            entry = self.handbook.entries.get(entry_id)  # looked up every time: a live preview notes it
            if entry_id not in made:
                if entry is None and entry_id in self.handbook.withheld:  # not in this audience's view
                    return WITHHELD_TEXT
                if entry is None:  # only a template can ask for this: references are validated
                    raise jinja2.TemplateRuntimeError(f"link('{entry_id}'): no entry has this id")
                href = layout.relative_link(from_page, layout.page_path(entry.playbook))
                if entry_id != entry.playbook.id:
                    href += f"#{entry_id}"
                made[entry_id] = f"[{escape_label(inline.words(entry.label, self.handbook))}]({href})"
            return made[entry_id]

        return link

    def _render(self, template: str, **context: object) -> str:
        try:
            return self.env.get_template(template).render(**context)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateFailure(
                exc.filename or template, exc.lineno, template_error_message(exc, self.env)
            ) from None
        except Exception as exc:
            name, line, own = _template_frame(exc, template, self.env)
            if not own and not isinstance(exc, jinja2.TemplateError):
                raise  # a fault of the generator's own templates or code: shown as it is
            # a template's mistake (a wrong call, a missing macro): its author's problem
            message = template_error_message(exc, self.env, template_line(name, line))
            raise TemplateFailure(name, line, message) from None

    def playbook_page(self, playbook: Playbook, source: str) -> Page:
        path = layout.page_path(playbook)
        review = review_of(playbook, self.today)
        meta: dict[str, object] = {
            "title": playbook.title,
            "description": plain_text(first_paragraph(playbook.summary)),
            "tags": list(playbook.tags),
        }
        if self.handbook.audience == INTERNAL:  # where it comes from, who owns it: our business
            meta |= {
                "source": source,
                "owner": playbook.owner,
                "last_reviewed": review.last_reviewed.isoformat(),
                "next_review": review.due.isoformat(),
                "review_status": review.status,
            }
        front_matter = front_matter_block(meta)
        try:
            text = self._render(
                playbook.spec.template_name,
                pb=playbook,
                review=review,
                review_status_link=layout.relative_link(path, REVIEW_STATUS_PAGE),
                front_matter=front_matter,
                link=self._linker(path),
                referenced_by=lambda entry_id: self.handbook.backlinks.get(entry_id, []),
                playbooks_of=self.playbooks_of,
                backlink_pages=self.backlink_pages,
                internal_only=self._internal_only(playbook),
            )
        except TemplateFailure as failure:
            failure.playbook = (playbook, source)
            raise
        return Page(path, playbook.title, text, source, layout.section_order(playbook))

    def _internal_only(self, playbook: Playbook) -> Callable[[object], bool]:
        """`internal_only(entry)` for a page's templates: in the internal handbook, on a page
        partners have too, whether they do not have this entry (or item)."""
        shared = self.shared
        if shared is None or not shared.includes(playbook):
            return lambda model: False
        return lambda model: not shared.includes(model)

    def backlink_pages(self, refs: str | list[str]) -> list[tuple[str, int]]:
        """The playbooks of the entries that link to an entry (`refs`: those entries, or the
        entry's id for all of them), with how many, in first-link order: a long "Referenced by"
        list is shown by page."""
        counts: dict[str, int] = {}
        for owner in self.handbook.backlinks.get(refs, []) if isinstance(refs, str) else refs:
            page = self.handbook.entries[owner].playbook.id
            counts[page] = counts.get(page, 0) + 1
        return list(counts.items())

    def playbooks_of(self, kind: str) -> list[Playbook]:
        """The playbooks of a kind in navigation order, for a page that lists them."""
        self.listed_playbooks = True
        found = [pb.model for pb in self.handbook.playbooks if pb.model.kind == kind]
        return sorted(found, key=layout.section_order)

    def review_status_page(self) -> Page:
        reviews = [(pb.model, review_of(pb.model, self.today)) for pb in self.handbook.playbooks]
        reviews.sort(key=lambda item: (item[1].due, item[0].title.lower()))
        text = self._render(
            "review-status.md.j2",
            reviews=reviews,
            shown=reviews[:REVIEW_ROWS],
            today=self.today,
            link=self._linker(REVIEW_STATUS_PAGE),
        )
        return Page(REVIEW_STATUS_PAGE, "Review status", text, None)

    def kind_index_pages(self, spec: KindSpec, playbooks: list[Playbook]) -> list[Page]:
        """A kind's index page listing its playbooks; in a large section, listing its parts,
        and one more index page for each part listing that part's playbooks."""
        path = layout.kind_index_path(spec)
        return self.listing_pages(path, f"{spec.folder}/", spec.title, spec.intro, playbooks)

    def listing_pages(
        self, path: str, folder: str, title: str, intro: str, playbooks: list[Playbook]
    ) -> list[Page]:
        """The index page at `path` listing `playbooks`, or, above layout.PART_SIZE, listing
        parts of them, each with an index page of its own in `folder`."""
        ranges = layout.split_into_parts(len(playbooks))
        if len(ranges) == 1:
            return [self._index_page(path, title, intro, playbooks, [])]
        parts, pages = [], []
        for number, positions in enumerate(ranges, start=1):
            members = playbooks[positions.start : positions.stop]
            label = layout.part_label(members[0].title, members[-1].title)
            part = layout.part_path_in(folder, number)
            parts.append({"label": label, "href": layout.relative_link(path, part), "count": len(members)})
            home = layout.relative_link(part, path)
            part_intro = f"Part {number} of {len(ranges)} of [{escape_label(title)}]({home})."
            pages.append(self._index_page(part, label, part_intro, members, []))
        return [self._index_page(path, title, intro, [], parts), *pages]

    def tag_pages(self, index: tag_pages.TagIndex) -> list[Page]:
        """A page per tag listing the playbooks that carry it (in parts, above PART_SIZE), each
        leading back to the hand-written page that lists the tags."""
        pages = []
        for tag in index.tags:
            back = layout.relative_link(tag.path, index.page)
            intro = f"Playbooks tagged *{escape_label(tag.name)}*. [All tags]({back})"
            folder = tag.path.removesuffix("index.md")
            pages += self.listing_pages(tag.path, folder, tag.name, intro, list(tag.playbooks))
        return pages

    def _index_page(
        self,
        path: str,
        title: str,
        intro: str,
        playbooks: list[Playbook],
        parts: list[dict[str, object]],
    ) -> Page:
        # What the page shows: the playbooks' own fields (the same objects while their files are
        # unchanged) and, through links, what is handbook-wide (the cache's, to compare).
        shows = (title, intro, json.dumps(parts), *playbooks)
        if self.listings is not None and (kept := self.listings.get(path)) and _same(kept[0], shows):
            return kept[1]
        text = self._render(
            "kind-index.md.j2",
            title=title,
            intro=intro,
            playbooks=playbooks,
            parts=parts,
            link=self._linker(path),
        )
        page = Page(path, title, text, None)
        if self.listings is not None:
            self.listings[path] = (shows, page)
        return page


def _same(kept: tuple[object, ...], now: tuple[object, ...]) -> bool:
    return len(kept) == len(now) and all(a is b or a == b for a, b in zip(kept, now, strict=True))


def render_pages(
    handbook: Handbook,
    today: dt.date,
    templates_dir: Path = TEMPLATES_DIR,
    kinds_dir: Path | None = None,
    shared: Sharing | None = None,
    tag_index: tag_pages.TagIndex | None = None,
    cache: RenderCache | None = None,
) -> list[Page]:
    """One page per playbook, one index page per kind that has playbooks, a page per tag if a
    hand-written page lists the tags (`tag_index`), and (in the internal handbook) the review
    status. `shared` marks what the partner handbook has too. A live preview passes a `cache`,
    so that the playbooks a save did not change are not rendered again."""
    env = cache.environment(templates_dir, kinds_dir) if cache else make_environment(templates_dir, kinds_dir)
    if cache is not None:
        handbook = cache.start(handbook, today, shared, [templates_dir, *filter(None, [kinds_dir])])
    renderer = Renderer(handbook, env, today, shared)
    if cache is not None:
        renderer.listings = cache.listings
    pages: list[Page] = []
    by_kind: dict[str, list[Playbook]] = {}
    for pb in handbook.playbooks:
        pages.append(_playbook_page(renderer, pb, cache))
        by_kind.setdefault(pb.model.kind, []).append(pb.model)
    others: list[Page] = []
    for cls in handbook.kinds_used():
        ordered = sorted(by_kind[cls.spec.name], key=layout.section_order)
        others.extend(renderer.kind_index_pages(cls.spec, ordered))
    if tag_index is not None:
        others += renderer.tag_pages(tag_index)
    if handbook.audience == INTERNAL:
        others.append(renderer.review_status_page())
    return pages + [_with_links_in_text(page, handbook) for page in others]


def _playbook_page(renderer: Renderer, pb: ValidPlaybook, cache: RenderCache | None) -> Page:
    if cache is not None and (kept := cache.page_of(pb)) is not None:
        return kept
    renderer.listed_playbooks = False
    with cache.noting() if cache is not None else contextlib.nullcontext():
        page = _with_links_in_text(renderer.playbook_page(pb.model, pb.source.display), renderer.handbook)
    if cache is not None and not renderer.listed_playbooks:  # a page listing others depends on them
        cache.keep(pb, page)
    elif cache is not None:
        cache.forget(pb)
    return page


def _with_links_in_text(page: Page, handbook: Handbook) -> Page:
    """Defaults (`[[ID]]`) and links by id (`[words][ID]`) written in the playbooks' text,
    made into links relative to the page."""
    text = inline.linked(page.path, page.text, handbook)
    return page if text is page.text else dataclasses.replace(page, text=text)
