"""A built file as the text a reader could get out of it, for the leak check.

Text files are read as they are; gzip files (the sitemap, Pagefind's chunks) are decompressed;
zip files, office documents included (`.docx`, `.xlsx`, `.pptx`, `.odt`: zipped XML), are
opened and each member read, its tags removed. Images, fonts and other media hold no text to
search. Any other binary file (a PDF) cannot be read, and says so: what the leak check cannot
read, it cannot vouch for. The search engines' and the theme's own binaries (an index, a
WebAssembly module) are read as far as they are text.
"""

from __future__ import annotations

import gzip
import io
import re
import zipfile
from pathlib import Path

MAX_FILE_BYTES = 50_000_000
# Not text: nothing to search in them. A site has them from the theme, or by a declaration.
_MEDIA = "png jpg jpeg gif webp avif ico bmp tif tiff woff woff2 ttf otf eot mp3 mp4 m4a webm ogg wav mov"
MEDIA_FILES = frozenset(f".{suffix}" for suffix in _MEDIA.split())
ENGINE_FOLDERS = ("pagefind/", "search/", "assets/")  # the search engines' and the theme's files
_TAG = re.compile(r"<[^>]*>")


class Unreadable(Exception):
    """A file the leak check cannot read as text."""


def readable(path: Path, rel: str | None = None) -> str:
    """A built file as text: decompressed if gzip (sitemap.xml.gz, Pagefind's chunks), each
    member's text if a zip file (office documents are zipped XML); "" for an image, a font or
    other media. Given its path in the site (`rel`), raises Unreadable for a binary file it
    cannot read (a PDF) unless the file is the engines' or the theme's own."""
    if path.suffix.lower() in MEDIA_FILES:
        return ""
    return _text_of(path.read_bytes()[:MAX_FILE_BYTES], lenient=rel is None or engine_file(rel))


def engine_file(rel: str) -> bool:
    """Whether the file at `rel` in the site is the search engines' or the theme's."""
    return rel.startswith(ENGINE_FOLDERS)


def _text_of(data: bytes, lenient: bool) -> str:
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)[:MAX_FILE_BYTES]
        except (OSError, EOFError) as exc:
            if not lenient:
                raise Unreadable("a damaged gzip file") from exc
    if data[:4] == b"PK\x03\x04":
        return _zipped_text(data)
    if b"\x00" in data[:65536] and not lenient:
        raise Unreadable("a binary file")
    return data.decode("utf-8", errors="replace")


def _zipped_text(data: bytes) -> str:
    """Every member of a zip file (a .docx, .xlsx, .pptx, .odt...) as text, its tags removed."""
    texts = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                if info.is_dir() or Path(info.filename).suffix.lower() in MEDIA_FILES:
                    continue
                member = archive.read(info)[:MAX_FILE_BYTES]
                texts.append(_TAG.sub(" ", _text_of(member, lenient=False)))
    except (zipfile.BadZipFile, RuntimeError, OSError) as exc:  # damaged, or encrypted
        raise Unreadable("a zip file it cannot open") from exc
    return "\n".join(texts)
