"""Each rule is stated once: sentences that nearly repeat one in another playbook.

A rule copied into a second playbook drifts: one copy gets edited, the other does not. This
check finds sentences of at least `MIN_WORDS` words that share most of their word sequences
(5-word shingles, Jaccard at least `SIMILAR`) with a sentence of another playbook, and asks
for a link instead. Candidate pairs come from an index of shingles, so the cost grows with
the text, not with the square of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .inline import DEFAULT_MARK
from .load import Loc, text_values
from .problems import Problem
from .validate import Handbook

MIN_WORDS = 10
SHINGLE = 5
SIMILAR = 0.3
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(*])|\n\s*\n|\n\s*[-*]\s+")
# Ids and lists of ids, and a document's placeholders: each document declares its blanks
# itself, so the same blank described in two documents is by design.
_NOT_PROSE = frozenset({"id", "see", "references", "aliases", "tags", "keywords", "placeholders"})
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_LINK_TARGET = re.compile(r"\]\[[^\]]*\]|\]\([^)]*\)")


@dataclass(frozen=True)
class Sentence:
    playbook: int  # index into handbook.playbooks
    loc: Loc
    text: str
    shingles: frozenset[int]  # hashes of its 5-word sequences: an int is hashed once, a tuple at every lookup


def sentences(handbook: Handbook) -> list[Sentence]:
    found = []
    for n, pb in enumerate(handbook.playbooks):
        for loc, text in text_values(pb.source.data, skip=_NOT_PROSE):
            prose = DEFAULT_MARK.sub(lambda m: m.group(1), _LINK_TARGET.sub("]", text))
            for part in _SENTENCE_END.split(prose):
                words = _WORD.findall(part.lower())
                if len(words) >= MIN_WORDS:
                    shingles = frozenset(
                        hash(tuple(words[i : i + SHINGLE])) for i in range(len(words) - SHINGLE + 1)
                    )
                    found.append(Sentence(n, loc, " ".join(part.split()), shingles))
    return found


def repeated_sentences(handbook: Handbook) -> Iterator[Problem]:
    """One problem per sentence that nearly repeats an earlier one of another playbook."""
    found = sentences(handbook)
    index: dict[int, list[int]] = {}
    for i, sentence in enumerate(found):
        candidates: dict[int, int] = {}
        for shingle in sentence.shingles:
            if (earlier := index.get(shingle)) is None:
                index[shingle] = [i]
                continue
            for j in earlier:
                if found[j].playbook != sentence.playbook:
                    candidates[j] = candidates.get(j, 0) + 1
            earlier.append(i)
        best = max(candidates, key=lambda j: candidates[j], default=None)
        if best is None:
            continue
        first = found[best]
        shared = candidates[best]
        if shared / (len(sentence.shingles) + len(first.shingles) - shared) < SIMILAR:
            continue
        here = handbook.playbooks[sentence.playbook].source
        there_pb = handbook.playbooks[first.playbook]
        there = there_pb.source.problem(first.loc, "")
        words = " ".join(sentence.text.split()[:8])
        yield here.problem(
            sentence.loc,
            f"'{words}…' nearly repeats a sentence at {there.path}:{there.line}:{there.col}: state a rule "
            "once and link to it ([words][ENTRY-ID]) instead of copying it",
        )
