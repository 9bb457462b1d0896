"""Read and render a large site's pages on every core, in forked worker processes.

MkDocs reads, converts and renders the pages one after the other (`mkdocs/commands/build.py`),
which at thousands of pages is most of a build and uses one core. `handbook build` instead
forks a worker per further core once the navigation is known (the plugin's `on_nav`). Pages
are dealt out in turn (0, 1, 0, 1...): each worker reads and renders its share with MkDocs' own
functions and the same plugins, then sends back what the plugins gathered (the hand-written
pages' search documents) and the messages it logged; MkDocs, in this process, does the rest.

How MkDocs is steered: it reads and renders the pages it gets from
`files.documentation_pages(inclusion=...)`. While workers run, that call returns this
process's share; without `inclusion` (the navigation, the sitemap, template contexts) it still
returns every page. `tests/test_page_workers.py` holds a parallel build byte-identical to one
without workers, so an MkDocs release that changes this shows up as a failing test.

A worker never returns into the caller's code: whatever happens, it reports and exits. If the
build fails or is interrupted, `stop` kills the workers before the build folder is removed.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import signal
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import jinja2
from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

PAGES_PER_WORKER = 150  # fewer pages than this a process: forking costs more than it saves


def worker_count(setting: int, pages: int) -> int:
    """How many processes render the pages (1: this one alone). `setting` 0 is one per core
    this process may run on; a small site is rendered here whatever the setting."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    wanted = setting or cores
    if not hasattr(os, "fork") or threading.active_count() > 1:  # forking a threaded process can hang
        return 1
    return max(1, min(wanted, pages // PAGES_PER_WORKER))


@dataclass
class _Worker:
    pid: int
    reader: int  # the pipe its report comes through


@dataclass
class Report:
    """What a worker sends back: what the plugin gathered, its log records, its failure."""

    gathered: Any = None
    records: list[tuple[str, int, str]] = field(default_factory=list)  # logger, level, message
    error: str | None = None


@dataclass
class PageWorkers:
    """The workers of one build: started at `on_nav`, joined at `on_post_build`."""

    workers: list[_Worker] = field(default_factory=list)
    order: list[str] = field(default_factory=list)  # every page, in MkDocs' order

    def start(
        self, count: int, files: Files, nav: Navigation, config: MkDocsConfig, gather: Callable[[], Any]
    ) -> None:
        """Fork `count - 1` workers, each reading and rendering its share of the pages; this
        process keeps share 0. `gather` returns, in a worker, what its plugins collected."""
        everything = files.documentation_pages
        pages = list(everything(inclusion=InclusionLevel.is_included))
        self.order = [file.src_uri for file in pages]
        for number in range(1, count):
            reader, writer = os.pipe()
            pid = os.fork()
            if pid == 0:  # the worker: never returns
                os.close(reader)
                _work(pages, number, count, files, nav, config, gather, writer)
            os.close(writer)
            self.workers.append(_Worker(pid, reader))
        _read_front_matter(pages, 0, count, config)
        kept = set(map(id, pages[0::count]))

        def own_share(inclusion: Callable[[InclusionLevel], bool] | None = None) -> Sequence[File]:
            if inclusion is None:
                return everything()
            return [file for file in everything(inclusion=inclusion) if id(file) in kept]

        files.documentation_pages = own_share  # type: ignore[method-assign]

    def join(self) -> list[Report]:
        """Wait for every worker; raise PluginError with the first failure after logging what
        the workers logged (so that `strict` counts their warnings as this process's)."""
        reports = [self._report(worker) for worker in self.workers]
        self.workers = []
        for report in reports:
            for name, level, message in report.records:
                logging.getLogger(name).log(level, "%s", message)
        if failed := [report.error for report in reports if report.error]:
            raise PluginError(failed[0])
        return reports

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
        """Kill and reap the workers still running (the build failed or was interrupted)."""
        for worker in self.workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(worker.pid, 0)
            os.close(worker.reader)
        self.workers = []


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
    MkDocs' order) as MkDocs' build would, report, exit."""
    share = pages[number::count]
    report = Report()
    code = 0
    try:
        _die_with_parent()
        with _collected_logging(report.records):
            _read_front_matter(pages, number, count, config)
            for file in share:
                if file.page is None and file.inclusion.is_not_in_nav():  # type: ignore[no-untyped-call]
                    Page(None, file, config)  # as MkDocs' build does for a page outside the navigation
                assert file.page is not None
                _populate_page(file.page, config, files)
            env: jinja2.Environment = config.theme.get_env()
            env = config.plugins.on_env(env, config=config, files=files)
            for file in share:
                assert file.page is not None
                _build_page(file.page, config, pages, nav, env, excluded=file.inclusion.is_excluded())  # type: ignore[no-untyped-call]
            report.gathered = gather()
    except BaseException as exc:  # reported to the parent, which raises it
        report.error = _failure(exc, report.records)
        code = 1
    finally:
        try:
            with os.fdopen(writer, "wb") as stream:
                stream.write(pickle.dumps(report))
        finally:
            os._exit(code)


def _failure(exc: BaseException, records: list[tuple[str, int, str]]) -> str:
    """What the parent reports for a worker's failure, once: MkDocs' own message naming the
    page ("Error building page 'faq.md': ..."), taken out of the records, if it logged one."""
    logged = [record for record in records if record[1] >= logging.ERROR]
    if logged:
        records.remove(logged[-1])
        return logged[-1][2]
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


@contextlib.contextmanager
def _collected_logging(records: list[tuple[str, int, str]]) -> Iterator[None]:
    """Every record that would have been written goes to `records` instead, for the parent."""

    class Collector(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append((record.name, record.levelno, record.getMessage()))

    loggers = [logging.getLogger()]
    loggers += [lg for lg in logging.Logger.manager.loggerDict.values() if isinstance(lg, logging.Logger)]
    for logger in loggers:
        if logger.handlers:
            logger.handlers = []
        logger.propagate = True
    logging.getLogger().addHandler(Collector())
    yield
