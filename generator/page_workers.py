"""Read and render a large site's pages on every core, in forked worker processes.

MkDocs reads, converts and renders the pages one after the other (`mkdocs/commands/build.py`),
which at thousands of pages is most of a build and uses one core. `handbook build` instead
forks a worker per further core once the navigation is known (the plugin's `on_nav`). Pages
are dealt out in turn (0, 1, 0, 1...): each worker reads and renders its share with MkDocs' own
functions and the same plugins, then sends back what the plugins gathered (the hand-written
pages' search documents), the anchors of its pages and the messages it logged; MkDocs, in this
process, does the rest, and its checks across pages (links to anchors) see every page.

How MkDocs is steered: its build asks `files.documentation_pages(inclusion=...)` twice, for
the pages to read and then for the pages to build, and loops over each answer; it then checks
the links to anchors of the pages of the second answer. While workers run, each answer is a
`_DealtPages`: every page, whose first iteration (MkDocs' loop) yields this process's share
only. The workers are joined when the build loop has built the last page of the share, before
the anchor check. This module alone uses MkDocs' private functions, and only on the releases
in `MKDOCS_RELEASES`; a single process (`page_workers: 1`, a small site) needs none of it.

Messages come out as a single process writes them: every record, here and in the workers, is
held back with the stage and page it was logged at, and all are written at the join in page
order. A worker never returns into the caller's code: whatever happens, it reports and exits.
If the build fails or is interrupted, `stop` kills the workers before the build folder is
removed, and writes what this process held back.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import jinja2
import mkdocs
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

PAGES_PER_WORKER = 150  # fewer pages than this a process: forking costs more than it saves
# The MkDocs releases whose build this module follows (`_populate_page` and `_build_page`, the
# build's loops, `Page.validate_anchor_links`): mkdocs/commands/build.py, structure/pages.py and
# structure/files.py are the same in both. Another release is refused: check those, then add it.
MKDOCS_RELEASES = ("1.6.0", "1.6.1")

READ, BETWEEN, BUILD = 0, 1, 2  # stages of MkDocs' build: read every page, on_env..., build every page
Stage = tuple[int, int]  # (stage, position of the page in MkDocs' order), what a record is sorted by
Record = tuple[Stage, str, int, str]  # a worker's: stage, logger, level, message
Anchors = tuple[set[str] | None, dict[str, dict[str, str]] | None]  # a page's, by page src_uri


def worker_count(setting: int, pages: int) -> int:
    """How many processes render the pages (1: this one alone). `setting` 0 is one per core
    this process may run on; a small site is rendered here whatever the setting."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    wanted = setting or cores
    if not hasattr(os, "fork") or threading.active_count() > 1:  # forking a threaded process can hang
        return 1
    return max(1, min(wanted, pages // PAGES_PER_WORKER))


def check_mkdocs_release() -> None:
    """Raise PluginError unless the MkDocs installed is one whose build this module follows."""
    if mkdocs.__version__ not in MKDOCS_RELEASES:
        raise PluginError(
            f"page_workers: MkDocs {mkdocs.__version__} is installed; page workers use MkDocs' "
            f"own build functions and are tested with MkDocs {' and '.join(MKDOCS_RELEASES)} only. "
            "Set `page_workers: 1` under `- handbook:` in mkdocs.yml (every page in one process), "
            f"or install a tested MkDocs (pip install 'mkdocs=={MKDOCS_RELEASES[-1]}')."
        )


@dataclass
class _Worker:
    pid: int
    reader: int  # the pipe its report comes through


@dataclass
class Report:
    """What a worker sends back: what the plugin gathered, its pages' anchors, its log
    records, its failure."""

    gathered: Any = None
    anchors: dict[str, Anchors] = field(default_factory=dict)
    records: list[Record] = field(default_factory=list)
    error: str | None = None


class _HeldRecords(logging.Handler):
    """Log records held back, each with the stage and page being worked on when it was logged
    (`at`; None: a record not kept)."""

    def __init__(self) -> None:
        super().__init__()
        self.at: Stage | None = (READ, -1)
        self.records: list[tuple[Stage, logging.LogRecord]] = []
        self.replaced: dict[logging.Logger, list[logging.Handler]] = {}

    def emit(self, record: logging.LogRecord) -> None:
        seen = self.records and self.records[-1][1] is record  # handled by a second logger's handlers
        if self.at is not None and not seen:
            self.records.append((self.at, record))

    def take_over(self) -> None:
        """Stand in for every handler of every logger, until `hand_back`."""
        for logger in _loggers():
            if logger.handlers:
                self.replaced[logger], logger.handlers = logger.handlers, [self]

    def hand_back(self) -> list[tuple[Stage, logging.LogRecord]]:
        """Put the handlers back; return the records held (none are held any more)."""
        for logger, handlers in self.replaced.items():
            logger.handlers = handlers + [h for h in logger.handlers if h is not self]
        records, self.records, self.replaced = self.records, [], {}
        return records


class _DealtPages(list[File]):
    """Every page, as MkDocs' build gets it from `files.documentation_pages(inclusion=...)`
    while workers run. The trick: its first iteration is MkDocs' loop over the pages to read or
    to build, and yields this process's share (`PageWorkers._deal`); every later one (a
    template's `pages`, the anchor check after the build loop) yields every page, as without
    workers. The build loop's iterator is made before the join, the anchor check's after."""

    def __init__(self, pages: list[File], first: Iterator[File]) -> None:
        super().__init__(pages)
        self.first: Iterator[File] | None = first

    def __iter__(self) -> Iterator[File]:
        first, self.first = self.first, None
        return first if first is not None else super().__iter__()


@dataclass
class PageWorkers:
    """The workers of one build: started at `on_nav`, joined once this process has built its
    share of the pages (MkDocs' build loop), before MkDocs checks the links to anchors."""

    workers: list[_Worker] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)  # of the workers joined
    waited: float = 0.0  # seconds this process waited for them
    pages: list[File] = field(default_factory=list)  # every page, in MkDocs' order
    files: Files | None = None
    held: _HeldRecords = field(default_factory=_HeldRecords)
    asked: int = 0  # how often MkDocs asked for the pages to read or build

    def start(
        self, count: int, files: Files, nav: Navigation, config: MkDocsConfig, gather: Callable[[], Any]
    ) -> None:
        """Fork `count - 1` workers, each reading and rendering its share of the pages; this
        process keeps share 0. `gather` returns, in a worker, what its plugins collected."""
        check_mkdocs_release()
        self.pages = list(files.documentation_pages(inclusion=InclusionLevel.is_included))
        self.files, self.reports, self.waited, self.asked = files, [], 0.0, 0
        for number in range(1, count):
            reader, writer = os.pipe()
            pid = os.fork()
            if pid == 0:  # the worker: never returns
                os.close(reader)
                _work(self.pages, number, count, files, nav, config, gather, writer)
            os.close(writer)
            self.workers.append(_Worker(pid, reader))
        _read_front_matter(self.pages, 0, count, config)
        self.held = _HeldRecords()
        self.held.take_over()
        everything = files.documentation_pages

        def dealt(inclusion: Callable[[InclusionLevel], bool] | None = None) -> Sequence[File]:
            if inclusion is None:  # the navigation, the sitemap, templates' contexts: every page
                return everything()
            self.asked += 1  # MkDocs' build, asking for the pages included: `self.pages`
            return _DealtPages(self.pages, self._deal(READ if self.asked == 1 else BUILD, count))

        files.documentation_pages = dealt  # type: ignore[method-assign]

    @property
    def order(self) -> list[str]:
        """Every page's src_uri, in MkDocs' order."""
        return [file.src_uri for file in self.pages]

    def _deal(self, stage: int, count: int) -> Iterator[File]:
        """This process's share, for MkDocs' loop to read or build; the records logged while
        MkDocs works on a page are held with its position. After the build loop: `join`."""
        for position in range(0, len(self.pages), count):
            self.held.at = (stage, position)
            yield self.pages[position]
        self.held.at = (BETWEEN, 0)  # plugins' on_env, static files, theme templates
        if stage == BUILD:
            self.join()

    def join(self) -> list[Report]:
        """Wait for every worker (once: later calls return the same reports), put their pages'
        anchors on this process's pages, and write every record held back, in page order
        (`strict` counts the workers' warnings as this process's). Raise PluginError with the
        first failure after that."""
        if not self.workers:
            return self.reports
        started = time.perf_counter()
        self.reports = [self._report(worker) for worker in self.workers]
        self.workers, self.waited = [], time.perf_counter() - started
        self._restore_documentation_pages()
        for report in self.reports:
            self._put_anchors(report.anchors)
        self._write_held([record for report in self.reports for record in report.records])
        if failed := [report.error for report in self.reports if report.error]:
            raise PluginError(failed[0])
        return self.reports

    def _put_anchors(self, anchors: dict[str, Anchors]) -> None:
        """The anchors a worker's pages have and link to, on this process's Page objects."""
        assert self.files is not None
        get = self.files.get_file_from_path
        for uri, (present, links) in anchors.items():
            file = get(uri)
            if file is not None and file.page is not None:
                file.page.present_anchor_ids = present
                if links is not None:
                    targets = ((get(target), to) for target, to in links.items())
                    file.page.links_to_anchors = {target: to for target, to in targets if target}

    def _write_held(self, worker_records: list[Record]) -> None:
        """Write this process's held records and the workers' in MkDocs' order of pages."""
        records = self.held.hand_back()
        for at, name, level, message in worker_records:
            records.append((at, logging.LogRecord(name, level, "", 0, message, None, None)))
        records.sort(key=lambda held: held[0])  # stable: each process's own records stay in order
        for _, record in records:  # they passed their loggers' level and filters where logged
            logging.getLogger(record.name).callHandlers(record)

    def _restore_documentation_pages(self) -> None:
        if self.files is not None:
            vars(self.files).pop("documentation_pages", None)  # MkDocs' own method again

    @staticmethod
    def _report(worker: _Worker) -> Report:
        with os.fdopen(worker.reader, "rb") as stream:
            data = stream.read()
        _, status = os.waitpid(worker.pid, 0)
        try:
            report = pickle.loads(data)
        except Exception:  # a worker that died before reporting
            code = os.waitstatus_to_exitcode(status)
            return Report(error=f"a page worker stopped before it finished (exit status {code})")
        return report if isinstance(report, Report) else Report(error="a page worker sent no report")

    def stop(self) -> None:
        """Kill and reap the workers still running (the build failed or was interrupted), and
        write what this process logged meanwhile."""
        for worker in self.workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(worker.pid, 0)
            with contextlib.suppress(OSError):  # already closed if `join` was interrupted
                os.close(worker.reader)
        self.workers = []
        self._restore_documentation_pages()
        self._write_held([])


def _read_front_matter(pages: list[File], number: int, count: int, config: MkDocsConfig) -> None:
    """In process `number` of `count`, read the pages that another process renders, for what
    the navigation shows of them: a title from their front matter (index pages have none in
    the navigation), and the icon or status that Material takes from it."""
    for position, file in enumerate(pages):
        if position % count != number and file.page is not None and file.page.markdown is None:
            file.page.read_source(config)


def _work(
    pages: list[File], number: int, count: int, files: Files, nav: Navigation, config: MkDocsConfig,
    gather: Callable[[], Any], writer: int,
) -> None:  # fmt: skip
    """In worker `number` of `count`: read and render its share of `pages` (every page, in
    MkDocs' order) as MkDocs' build would, report, exit. What it logs about its own pages is
    reported; the rest (its front matter reading, plugins' on_env) repeats the parent's."""
    from mkdocs.commands.build import _build_page, _populate_page  # private: MKDOCS_RELEASES only

    share = range(number, len(pages), count)
    report = Report()
    code = 0
    held = _HeldRecords()
    try:
        _die_with_parent()
        _hold_everything(held)
        held.at = None
        _read_front_matter(pages, number, count, config)
        for position in share:
            held.at, file = (READ, position), pages[position]
            if file.page is None and file.inclusion.is_not_in_nav():  # type: ignore[no-untyped-call]
                Page(None, file, config)  # as MkDocs' build does for a page outside the navigation
            assert file.page is not None
            _populate_page(file.page, config, files)
        held.at = None
        env: jinja2.Environment = config.theme.get_env()
        env = config.plugins.on_env(env, config=config, files=files)
        for position in share:
            held.at, file = (BUILD, position), pages[position]
            assert file.page is not None
            _build_page(file.page, config, pages, nav, env, excluded=file.inclusion.is_excluded())  # type: ignore[no-untyped-call]
        held.at = None
        report.anchors = {pages[p].src_uri: _anchors(pages[p].page) for p in share}
        report.gathered = gather()
    except BaseException as exc:  # reported to the parent, which raises it
        report.error = _failure(exc, held.records)
        code = 1
    finally:
        try:
            report.records = [(at, r.name, r.levelno, r.getMessage()) for at, r in held.records]
            with os.fdopen(writer, "wb") as stream:
                stream.write(pickle.dumps(report))
        finally:
            os._exit(code)


def _anchors(page: Page | None) -> Anchors:
    """A rendered page's anchors and links to anchors, by page src_uri (a File is not sent)."""
    assert page is not None
    links = page.links_to_anchors
    by_uri = None if links is None else {file.src_uri: dict(to) for file, to in links.items()}
    return page.present_anchor_ids, by_uri


def _failure(exc: BaseException, records: list[tuple[Stage, logging.LogRecord]]) -> str:
    """What the parent reports for a worker's failure, once: MkDocs' own message naming the
    page ("Error building page 'faq.md': ..."), taken out of the records, if it logged one."""
    logged = [held for held in records if held[1].levelno >= logging.ERROR]
    if logged:
        records.remove(logged[-1])
        return logged[-1][1].getMessage()
    message = str(exc) or type(exc).__name__
    if not isinstance(exc, PluginError | jinja2.TemplateError | OSError):
        message += "\n" + "".join(traceback.format_exception(exc)[-3:])
    return message


def _die_with_parent() -> None:
    """A worker follows its parent: Ctrl-C stops it quietly, and so does the parent's end."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG, Linux only


def _hold_everything(held: _HeldRecords) -> None:
    """In a worker: every record that would have been written goes to `held` instead."""
    for logger in _loggers():
        logger.handlers, logger.propagate = [], True
    logging.getLogger().addHandler(held)


def _loggers() -> list[logging.Logger]:
    named = logging.Logger.manager.loggerDict.values()
    return [logging.getLogger(), *(logger for logger in named if isinstance(logger, logging.Logger))]
