"""Who reads what: the partner handbook is a view of the same validated playbooks.

A playbook, an entry, a checklist item, a scorecard criterion or a template's document may say
`audience: [internal, partners]`. Nothing says it by default, and what says nothing inherits
from what holds it, so a playbook is internal unless it is shared, and a shared playbook's
entries are shared unless one of them is marked `audience: internal`. Our own people read
everything: the internal handbook is the whole handbook.

`view` makes the partner handbook's `Handbook` by copying the shared models with everything
withheld left out, before anything is rendered: the pages, navigation, search documents,
`links.json`, redirects and short links of that build are made from the view alone, so what
is not in it cannot reach them. References to withheld entries are dropped from lists; a
required one (the role accountable for a decision) and links by id in text render as plain
words, never as a link or the withheld entry's title (`Handbook.withheld`).
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from . import inline
from .kinds.defaults import Default
from .load import Loc, SourceFile
from .model import AUDIENCES, Entry, Item, Linkable, Playbook, refs_marker
from .problems import Problem
from .validate import Handbook, ValidPlaybook

INTERNAL, PARTNERS = AUDIENCES
DEFAULT: tuple[str, ...] = (INTERNAL,)


def handbook_name(audience: str) -> str:
    """How messages call the handbook of an audience: "the partner handbook"."""
    return "the internal handbook" if audience == INTERNAL else f"the {audience.removesuffix('s')} handbook"


@dataclass(frozen=True)
class Sharing:
    """Which parts of a handbook an audience reads, decided once over the whole handbook."""

    audience: str
    decisions: dict[int, bool]  # id() of every entry, item and playbook model → in the audience
    shared: frozenset[str]  # ids of the entries in the audience

    def includes(self, model: object) -> bool:
        return self.decisions.get(id(model), self.audience == INTERNAL)


def own_audience(model: object) -> tuple[str, ...] | None:
    value = getattr(model, "audience", None)
    return tuple(value) if value else None


def _parts(model: BaseModel, loc: Loc) -> Iterator[tuple[str, Any, Loc, FieldInfo]]:
    for name, info in type(model).model_fields.items():
        yield name, getattr(model, name), (*loc, name), info


def walk(
    model: BaseModel, inherited: tuple[str, ...] | None = DEFAULT, loc: Loc = ()
) -> Iterator[tuple[BaseModel, bool, Loc]]:
    """Every model in a playbook with whether it is in the partner handbook: its own audience
    (else its holder's) names partners, and so does every holder's. `inherited` is None inside
    a withheld holder: nothing in there is shared, whatever it says."""
    here = None if inherited is None else own_audience(model) or inherited
    shared = here is not None and PARTNERS in here
    yield model, shared, loc
    inside = here if shared else None
    for _, value, at, _ in _parts(model, loc):
        if isinstance(value, BaseModel):
            yield from walk(value, inside, at)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from walk(item, inside, (*at, i))


def sharing(handbook: Handbook, audience: str = PARTNERS) -> Sharing:
    if audience == INTERNAL:
        return Sharing(INTERNAL, {}, frozenset(handbook.entries))
    decisions = {id(model): shared for pb in handbook.playbooks for model, shared in _decided_once(pb)}
    shared = frozenset(eid for eid, info in handbook.entries.items() if decisions.get(id(info.entry), False))
    return Sharing(audience, decisions, shared)


def _decided_once(pb: ValidPlaybook) -> list[tuple[BaseModel, bool]]:
    """Every model of a playbook with whether the partner handbook has it: worked out once per
    loaded file and validated model (a live preview keeps both while the file is unchanged)."""
    return pb.source.worked_out("shared", pb.model, lambda: [(m, shared) for m, shared, _ in walk(pb.model)])


def _optional(info: FieldInfo) -> bool:
    return not info.is_required() or type(None) in typing.get_args(info.annotation)


def _copy(model: BaseModel, share: Sharing, copies: dict[int, BaseModel]) -> BaseModel | None:
    """The model as the audience reads it, or None if it is withheld; `copies` records each
    kept model's copy by the id() of the original."""
    if not share.includes(model) and isinstance(model, (Entry, Item)):
        return None
    updates: dict[str, Any] = {}
    for name, value, _, info in _parts(model, ()):
        if refs_marker(info) is not None:
            if isinstance(value, list) and any(v not in share.shared for v in value):
                updates[name] = [v for v in value if v in share.shared]
            elif isinstance(value, str) and value not in share.shared and _optional(info):
                updates[name] = None  # a required one stays, and renders as WITHHELD_TEXT
        elif isinstance(value, BaseModel):
            kept = _copy(value, share, copies)
            if kept is None and not _optional(info):
                return None  # a withheld part it cannot do without takes its holder with it
            if kept is not value:
                updates[name] = kept
        elif isinstance(value, list) and any(isinstance(item, BaseModel) for item in value):
            items = [_copy(item, share, copies) if isinstance(item, BaseModel) else item for item in value]
            if any(new is not old for new, old in zip(items, value, strict=True)):
                updates[name] = [item for item in items if item is not None]
    copy = model.model_copy(update=updates) if updates else model
    copies[id(model)] = copy
    return copy


def view(handbook: Handbook, audience: str) -> Handbook:
    """The handbook as `audience` reads it: the internal handbook is all of it; any other is a
    copy holding only what is shared with it."""
    if audience == INTERNAL:
        return handbook
    share = sharing(handbook, audience)
    copies: dict[int, BaseModel] = {}
    playbooks = []
    for pb in handbook.playbooks:
        model = _copy(pb.model, share, copies)
        if isinstance(model, Playbook):
            playbooks.append(ValidPlaybook(pb.source, model))
    # Only what the view's playbooks hold: a copy made for an entry whose holder was then
    # withheld (it lacked a required part) is not in the view.
    held = {id(model) for pb in playbooks for model, _, _ in walk(pb.model, None)}
    entries = {
        eid: dataclasses.replace(info, entry=copies[id(info.entry)], playbook=copies[id(info.playbook)])  # type: ignore[arg-type]
        for eid, info in handbook.entries.items()
        if id(info.entry) in copies and id(copies[id(info.entry)]) in held
    }
    # What links here, among the shared entries only (an entry holding the link may have kept
    # it in a withheld item: the link then shows on the target but not on the holder's page).
    backlinks = {
        target: kept
        for target, owners in handbook.backlinks.items()
        if target in entries and (kept := [owner for owner in owners if owner in entries])
    }
    aliases = {alias: target for alias, target in handbook.aliases.items() if target in entries}
    withheld = {
        eid: _shown_instead(info.entry) for eid, info in handbook.entries.items() if eid not in entries
    }
    withheld |= {alias: withheld[target] for alias, target in handbook.aliases.items() if target in withheld}
    return Handbook(
        playbooks,
        entries,
        backlinks,
        aliases,
        handbook.complete,
        handbook.kinds,
        audience=audience,
        withheld=withheld,
    )


def _shown_instead(entry: Linkable) -> str | None:
    """What a `[[default]]` marker shows for a withheld default: its value, as plain text."""
    return entry.value if isinstance(entry, Default) else None


# --- what `handbook check` says about audiences -------------------------------------------


def marked_in_vain(handbook: Handbook) -> list[Problem]:
    """`audience: partners` on something whose holder is internal has no effect: say so, since
    its author expects partners to read it."""
    problems = []
    for pb in handbook.playbooks:
        for model, shared, loc in walk(pb.model):
            own = own_audience(model)
            if own and PARTNERS in own and not shared:
                problems.append(
                    pb.source.problem(
                        (*loc, "audience"),
                        "marked for partners, but what holds it is internal, so partners never see "
                        "it: share the playbook (and any entry around this one) with "
                        "`audience: [internal, partners]`, or remove this",
                    )
                )
    return problems


@dataclass(frozen=True)
class WithheldReference:
    """A shared part of a playbook that refers to an entry partners do not read, and what the
    partner handbook shows in its place: "words" (a link's own words, unlinked), "value" (a
    default's value, unlinked), "nothing" (a `see:` or a list of ids, dropped) or "internal"
    (a reference it must show and cannot: the word *internal*)."""

    source: SourceFile
    loc: Loc
    target: str
    shown: str

    def problem(self, message: str) -> Problem:
        return self.source.problem(self.loc, message)


def withheld_references(handbook: Handbook) -> Iterator[WithheldReference]:
    """Every reference from a shared part of a playbook to an entry partners do not read."""
    share = sharing(handbook, PARTNERS)

    def withheld(target: str) -> str | None:
        target = handbook.aliases.get(target, target)
        return target if target in handbook.entries and target not in share.shared else None

    for pb in handbook.playbooks:
        for model, shared, loc in walk(pb.model):
            if not shared:
                continue
            for _, value, at, info in _parts(model, loc):
                if refs_marker(info) is not None and isinstance(value, list):
                    for i, target in enumerate(value):
                        if found := withheld(target):
                            yield WithheldReference(pb.source, (*at, i), found, "nothing")
                elif refs_marker(info) is not None and isinstance(value, str) and (found := withheld(value)):
                    yield WithheldReference(
                        pb.source, at, found, "nothing" if _optional(info) else "internal"
                    )
                elif isinstance(value, str) and "[" in value:
                    for named, shown in inline.references_shown(value):
                        if found := withheld(named):
                            yield WithheldReference(pb.source, at, found, shown)


def dependencies(handbook: Handbook) -> list[Problem]:
    """Warnings: where the partner handbook must show a reference and cannot, so partners read
    *internal* (a decision's accountable role, a link whose only words are the id). Links
    with words of their own, defaults and `see:` lists lose only the link: by design, and
    listed by `handbook report partners`, not warned about."""
    problems = []
    for ref in withheld_references(handbook):
        if ref.shown == "internal":
            message = f"partners read *internal* here: '{ref.target}' is not shared with them"
            problems.append(dataclasses.replace(ref.problem(message), severity="warning"))
    return problems
