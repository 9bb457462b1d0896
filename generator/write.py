"""Stage 4, write: put rendered pages and hand-written content into the build folder.

The build folder belongs to the generator alone: files are rewritten only when their
bytes change (so a live preview does not loop), and files no longer produced are removed.
Nothing is ever written outside it.
"""

from __future__ import annotations

import json
import posixpath
import shutil
import signal
from dataclasses import dataclass
from pathlib import Path

from .render import Page


class UnsafeOutputPath(Exception):
    pass


@dataclass(frozen=True)
class Output:
    path: str  # relative to the build folder, POSIX
    data: bytes


def content_sources(content_dir: Path, extra: dict[str, Path] | None = None) -> dict[str, Path]:
    """Every hand-written file by its docs-relative path, without reading it.

    `extra` publishes files kept elsewhere in the repository (CONTRIBUTING.md) under a
    docs-relative path, if they exist.
    """
    sources = {}
    if content_dir.is_dir():
        for src in sorted(p for p in content_dir.rglob("*") if p.is_file()):
            sources[src.relative_to(content_dir).as_posix()] = src
    sources.update({rel: src for rel, src in (extra or {}).items() if src.is_file()})
    return sources


def content_outputs(sources: dict[str, Path], root: Path) -> list[tuple[Output, str]]:
    """The hand-written files as outputs, with the repository path each comes from."""
    return [(Output(rel, src.read_bytes()), src.relative_to(root).as_posix()) for rel, src in sources.items()]


def page_outputs(pages: list[Page]) -> list[Output]:
    return [Output(page.path, page.text.encode("utf-8")) for page in pages]


def json_output(path: str, value: object) -> Output:
    return Output(path, (json.dumps(value, indent=2, sort_keys=True) + "\n").encode("utf-8"))


class _Targets:
    """Where outputs go in the build folder, refusing any path that leaves it: by `..`, by an
    absolute path, or through a folder that is a symlink to elsewhere. Each folder is resolved
    once (a large handbook writes thousands of files into a few hundred folders)."""

    def __init__(self, build_dir: Path):
        self.root = build_dir.resolve()
        self.folders: dict[str, Path] = {"": self.root}

    def __call__(self, rel: str) -> Path:
        lexical = posixpath.normpath(rel)
        if rel.startswith("/") or lexical in (".", "..") or lexical.startswith("../"):
            raise UnsafeOutputPath(f"refusing to write outside the build folder: {rel}")
        folder, name = posixpath.split(lexical)
        real = self.folders.get(folder)
        if real is None:
            real = self.folders[folder] = (self.root / folder).resolve()
        if not real.is_relative_to(self.root):
            raise UnsafeOutputPath(f"refusing to write outside the build folder: {rel}")
        return real / name


def write_outputs(build_dir: Path, outputs: list[Output]) -> list[str]:
    """Mirror `outputs` into `build_dir`; return the paths whose bytes changed."""
    build_dir.mkdir(parents=True, exist_ok=True)
    target_of = _Targets(build_dir)
    targets = {target_of(out.path): out for out in outputs}
    changed = []
    for target, out in targets.items():
        if target.is_file() and target.read_bytes() == out.data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_bytes(out.data)
        tmp.replace(target)
        changed.append(out.path)
    root = target_of.root
    for existing in sorted(root.rglob("*"), reverse=True):  # rglob does not enter symlinked folders
        if existing.is_file() and existing not in targets:
            existing.unlink()
            changed.append(existing.relative_to(root).as_posix())
        elif existing.is_dir() and not existing.is_symlink() and not any(existing.iterdir()):
            existing.rmdir()
    return changed


def write_text_atomically(target: Path, text: str) -> None:
    """Replace a file in one step, so an interruption never leaves it half-written."""
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(target)


def _old_of(final: Path) -> Path:
    return final.with_name(f".{final.name}-old")


def replace_dir(new: Path, final: Path) -> None:
    """Swap a freshly built folder into place, so `final` is never half-written.

    SIGINT and SIGTERM are held back during the two renames, so an interruption cannot leave
    the site missing; they take effect right after.
    """
    old = _old_of(final)
    if old.exists():
        shutil.rmtree(old)
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        if final.exists():
            final.rename(old)
        new.rename(final)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    if old.exists():
        shutil.rmtree(old)


def restore_interrupted_swap(final: Path) -> None:
    """If a swap was cut short between its two renames, put the previous folder back."""
    old = _old_of(final)
    if old.is_dir() and not final.exists():
        old.rename(final)
