"""Words as search sees them: normalised, split, stemmed; Markdown read as plain text.

The browser tokenises a reader's query with the same rules (`assets/search/query.js`,
`words`), so that what the index holds and what a query asks for line up; a test runs both on
the same strings. The rules: Unicode letters and digits make words; accents are dropped and
case folded; apostrophes vanish inside a word ("won't" → "wont", "partner's" → "partners");
a hyphenated compound ("lock-in") yields its parts, and its joined form ("lockin") is indexed
too, so that a reader who types it either way finds it.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import snowballstemmer
from markdown_it import MarkdownIt

# Words that carry no meaning in a search box: articles, pronouns, auxiliaries, question words
# and the contractions readers type without apostrophes. They are never searched for, and
# never matched as the start of a longer word ("on" is not "onboarding").
STOP_WORDS = frozenset(
    """
    a about above after again against all almost also am among an and any are aren arent as at
    be because been before being below between both but by can cannot cant could couldn couldnt
    did didn didnt do does doesn doesnt doing don dont down during each either else ever every
    few for from further get gets getting got had hadn hadnt has hasn hasnt have haven havent
    having he her here hers herself him himself his how however i if im in into is isn isnt it
    its itself ive just least let lets like likely may me might mightn more most much must mustn
    mustnt my myself neither no nor not now of off often on once only or other ought our ours
    ourselves out over own per rather really same say says shall shan she should shouldn
    shouldnt since so some such than that thats the their theirs them themselves then there
    these they theyre this those through thus to too under until up upon us very via was wasn
    wasnt we were weren werent weve what whats when where whether which while who whom whose why
    will with won wont would wouldn wouldnt yet you your youre yours yourself yourselves anybody
    anyone anything anywhere everybody everyone everything everywhere nobody nothing nowhere
    somebody someone something somewhere thing things one ones able please want wants
    """.split()  # noqa: SIM905 - a list of words reads best as words
)

_APOSTROPHES = re.compile(r"['’ʼ`]")
_COMPOUND = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_stemmer = snowballstemmer.stemmer("english")
_markdown = MarkdownIt("commonmark")


def _unaccented(text: str) -> str:
    if not text.isascii():  # most text is: skip the per-character work
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return _APOSTROPHES.sub("", text)


def normalise(text: str) -> str:
    """Fold case and accents and drop apostrophes: the form every word is compared in."""
    return _unaccented(text).lower()


def compounds(text: str) -> list[str]:
    """Every word of the text, hyphenated compounds kept whole ("lock-in")."""
    return _COMPOUND.findall(normalise(text))


def searchable(text: str) -> list[str]:
    """The words search looks at: `words` without stop words, except a stop word written in
    capitals, which is an acronym ("IT", "US")."""
    return [
        part.lower()
        for compound in _COMPOUND.findall(_unaccented(text))
        for part in compound.split("-")
        if part.lower() not in STOP_WORDS or _acronym(part)
    ]


def _acronym(word: str) -> bool:
    return len(word) > 1 and word == word.upper() and word != word.lower()


def words(text: str) -> list[str]:
    """Every word of the text, compounds split into their parts ("lock-in" → "lock", "in")."""
    return [part for compound in compounds(text) for part in compound.split("-")]


def joined_compounds(text: str) -> list[str]:
    """The joined form of each hyphenated compound ("lock-in" → "lockin")."""
    return [c.replace("-", "") for c in compounds(text) if "-" in c]


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The English (Porter 2) stem of a normalised word: "renewing" and "renewal" → "renew"."""
    return str(_stemmer.stemWord(word))


def plain_text(markdown: str) -> str:
    """The words a reader sees in a Markdown field: link text kept, URLs and markup dropped."""
    parts: list[str] = []
    for token in _markdown.parse(markdown):
        if token.type == "inline" and token.children:
            parts.extend(child.content for child in token.children if child.type in ("text", "code_inline"))
        elif token.type in ("code_block", "fence"):
            parts.append(token.content)
    return " ".join(" ".join(parts).split())
