"""Search documents: one per linkable entry, so that a search lands on the answer's anchor.

An entry's document holds its label (title, name or question), its own text (not that of the
entries nested in it, which have documents of their own), its keywords, and where it lives
(kind, playbook, section, parent entries) as context. Hand-written pages give one document per
heading. `expand` then adds, for both search engines alike, what a reader might type instead:
a token for each synonym group (search.yaml) the document uses, which a query naming any word
of the group looks up, and the joined form of hyphenated words ("lock-in" → "lockin"). What is
found in the title or keywords goes to the heavily weighted `keywords`; what is found in the
text goes to the lightly weighted `alt`.
"""

from __future__ import annotations

import re
import typing
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any, TypeGuard

from mkdocs.contrib.search.search_index import ContentParser
from mkdocs.structure.pages import Page as MkDocsPage
from pydantic import BaseModel

from . import inline, layout
from .model import (
    Entry,
    Item,
    KindSpec,
    Linkable,
    Playbook,
    list_item_model,
    refs_marker,
    section_title,
    unwrap_type,
)
from .search_settings import SearchSettings, is_loose, phrase_key
from .search_text import STOP_WORDS, joined_compounds, plain_text, stem, words
from .validate import Handbook

# Fields that are not text a reader searches: ids, links, dates, owners, addresses.
_NOT_TEXT = {
    "id",
    "aliases",
    "see",
    "keywords",
    "kind",
    "owner",
    "url",
    "published",
    "tags",
    "last_reviewed",
    "review_every_months",
    "order",
    "references",
    "audience",
}
SEPARATOR = " › "
COMMON_GROUP_SHARE = 0.25  # a synonym group used by more of the documents than this is common...
COMMON_GROUP_MIN = 10  # ...and by more documents than this
_PLAIN_ID = re.compile(r"[A-Za-z0-9_-]+")


@dataclass
class SearchDoc:
    url: str  # relative to the site root: "page/" or "page/#anchor"
    title: str
    where: str  # shown under the title: the page and section it lives on
    text: str = ""
    keywords: list[str] = field(default_factory=list)
    alt: list[str] = field(default_factory=list)
    context: str = ""
    tags: str = ""

    def as_json(self) -> dict[str, str]:
        """The compact form written into the index (one letter a field)."""
        full = {
            "u": self.url,
            "t": self.title,
            "w": self.where,
            "x": self.text,
            "k": " ".join(self.keywords),
            "a": " ".join(self.alt),
            "c": self.context,
            "g": self.tags,
        }
        return {key: value for key, value in full.items() if value or key in ("u", "t")}


def _is_text(annotation: Any) -> bool:
    """Free text (str, or a list of str), not a choice from a fixed set (Literal)."""
    tp = unwrap_type(annotation)
    if typing.get_origin(tp) is list:
        tp = unwrap_type(typing.get_args(tp)[0])
    return tp is str


def _linkable(value: object) -> TypeGuard[Linkable]:
    return isinstance(value, Entry) or (isinstance(value, Item) and value.id is not None)


@dataclass
class _Parts:
    text: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    children: list[tuple[str, Linkable]] = field(default_factory=list)  # (field, linkable entry)


def _collect(model: BaseModel, parts: _Parts, top: bool) -> None:
    """The entry's own words; linkable entries nested in it are listed, not read."""
    label_field = getattr(model, "label_field", None)
    parts.keywords.extend(getattr(model, "keywords", []))
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        if value is None or name in _NOT_TEXT or (top and name == label_field):
            continue
        if refs_marker(info) is not None:
            continue
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, BaseModel):
                if _linkable(item):
                    parts.children.append((name, item))
                else:
                    _collect(item, parts, top=False)
            elif isinstance(item, str) and _is_text(info.annotation):
                parts.text.append(plain_text(item))


def playbook_docs(handbook: Handbook) -> list[SearchDoc]:
    """A document for every playbook and every linkable entry in it, in page order."""
    docs: list[SearchDoc] = []
    for pb in handbook.playbooks:
        docs.extend(_playbook_docs(pb.model))
    for doc in docs:  # as the reader sees them: a default's value, a link by id's words
        doc.title, doc.text = inline.words(doc.title, handbook), inline.words(doc.text, handbook)
    return docs


def _playbook_docs(playbook: Playbook) -> Iterator[SearchDoc]:
    url = layout.page_url(layout.page_path(playbook))
    kind_title = playbook.spec.title
    sections = [name for name, info in type(playbook).model_fields.items() if _holds_entries(info.annotation)]
    tags = " ".join(playbook.tags)

    def walk(model: Linkable, trail: list[str]) -> Iterator[SearchDoc]:
        parts = _Parts()
        _collect(model, parts, top=True)
        label = model.label
        where = SEPARATOR.join([playbook.title, *trail]) if model is not playbook else kind_title
        context = " ".join([kind_title, playbook.title, *trail])
        anchor = "" if model is playbook else f"#{model.id}"
        yield SearchDoc(url + anchor, label, where, " ".join(parts.text), parts.keywords, [], context, tags)
        for name, child in parts.children:
            if model is playbook:
                child_trail = [section_title(type(playbook), name)] if len(sections) > 1 else []
            else:
                child_trail = [*trail, label]
            yield from walk(child, child_trail)

    yield from walk(playbook, [])


def _holds_entries(annotation: Any) -> bool:
    item = list_item_model(annotation)
    return item is not None and issubclass(item, (Entry, Item))


def index_page_docs(kinds: list[KindSpec]) -> list[SearchDoc]:
    """The generated section pages, one per kind. The review status page is a report, not
    content: it stays out of the index, as pages marked `search: exclude: true` do."""
    return [
        SearchDoc(layout.page_url(layout.kind_index_path(spec)), spec.title, "Handbook section", spec.intro)
        for spec in kinds
    ]


def content_page_docs(page: MkDocsPage, content: str) -> list[SearchDoc]:
    """A document per heading of a hand-written page, read from its HTML as MkDocs' own search
    does; the page's own title (its h1) stands for the page. Headings without a plain id (the
    tags plugin's lists) are left out: they hold titles, not text. A page whose front matter
    says `search: {exclude: true}` (Material's and Zensical's setting: the tags page) has none."""
    if (page.meta.get("search") or {}) == {"exclude": True}:
        return []
    parser = ContentParser()
    parser.feed(content)
    parser.close()
    toc = {item.id: item for item in _toc_items(page.toc)}
    page_title = page.title or ""
    docs = []
    for section in parser.data:
        item = toc.get(section.id) if section.id and _PLAIN_ID.fullmatch(section.id) else None
        if item is None:
            continue
        text = " ".join(" ".join(section.text).split())
        if item.level == 1:
            docs.append(SearchDoc(page.url, item.title, "Handbook", text, context=page_title))
        else:
            docs.append(
                SearchDoc(f"{page.url}#{section.id}", item.title, page_title, text, context=page_title)
            )
    return docs


def _toc_items(items: Any) -> Iterator[Any]:
    for item in items:
        yield item
        yield from _toc_items(item.children)


def synonym_token(group: int) -> str:
    """The made-up word that marks the documents using a synonym group. A query that names any
    word of the group looks this word up (assets/search/query.js)."""
    return f"hbsyn{group}x"


def synonym_table(settings: SearchSettings) -> list[dict[str, object]]:
    """The groups as the search box needs them: each with its token and its words."""
    return [{"token": synonym_token(g), "terms": terms} for g, terms in enumerate(settings.synonyms)]


class _SynonymIndex:
    """Finds which synonym groups a run of words uses, by stemmed phrase."""

    def __init__(self, settings: SearchSettings):
        # first stem → (phrase, group, whether stop words inside it may vary)
        self.by_first: dict[str, list[tuple[tuple[str, ...], int, bool]]] = {}
        for g, group in enumerate(settings.synonyms):
            for term in group:
                key = phrase_key(term)
                if key:
                    self.by_first.setdefault(key[0], []).append((key, g, is_loose(term)))

    def groups_in(self, text: str) -> set[int]:
        all_words = words(text)
        streams = {
            False: [stem(word) for word in all_words],
            True: [stem(word) for word in all_words if word not in STOP_WORDS],
        }
        found: set[int] = set()
        for loose, stems in streams.items():
            for i, first in enumerate(stems):
                for key, g, phrase_is_loose in self.by_first.get(first, ()):
                    if phrase_is_loose == loose and tuple(stems[i : i + len(key)]) == key:
                        found.add(g)
        return found


def expand(docs: list[SearchDoc], settings: SearchSettings) -> list[SearchDoc]:
    """The documents marked with the tokens of the synonym groups they use, and with the joined
    form of their hyphenated words: from the title and keywords in `keywords`, from the text in
    `alt`. A group that most documents use (in this handbook, "partner") is no sign that a
    document is about it, so its token goes to `alt` wherever the group was found."""
    synonyms = _SynonymIndex(settings)
    found = [
        (synonyms.groups_in(_head(doc)), synonyms.groups_in(f"{doc.text} {doc.context}")) for doc in docs
    ]
    uses = Counter(g for head, body in found for g in head | body)
    common = {g for g, n in uses.items() if n > max(COMMON_GROUP_SHARE * len(docs), COMMON_GROUP_MIN)}
    expanded = []
    for doc, (head, body) in zip(docs, found, strict=True):
        strong = head - common
        weak = (head | body) - strong
        head_words = [synonym_token(g) for g in sorted(strong)] + joined_compounds(_head(doc))
        body_words = [synonym_token(g) for g in sorted(weak)] + joined_compounds(doc.text)
        keywords = _unique([*doc.keywords, *head_words])
        alt = _unique([w for w in body_words if w not in keywords])
        expanded.append(replace(doc, keywords=keywords, alt=alt))
    return expanded


def _head(doc: SearchDoc) -> str:
    return " ".join([doc.title, *doc.keywords])


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
