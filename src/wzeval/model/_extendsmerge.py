"""The merge of one extending rulebook document into its resolved base (``extends:``).

Removals first, then edits, then additions, at every level, with the origin of every
merged node kept (:class:`Origin`) so that an issue in the merged rulebook points at
the file and line that caused it.  :mod:`wzeval.model._extends` finds and reads the chain
of bases and hands each pair to :class:`Merger`; the rules are described there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from wzeval.core._codes import WZ253, WZ254, WZ255, WZ256
from wzeval.core._i18n import N_, _
from wzeval.core._issues import Issue, PathPart, did_you_mean
from wzeval.model._extendsplan import INDICATOR_KEYS, PLACEMENT, PLAN, RULE_KEYS
from wzeval.reading._yamlcore import Document

#: How messages name a member of each merged list (the labels of
#: :data:`~wzeval.model._extendsplan.PLAN`), translated where they are shown.
_MEMBER_WORDS = {
    "catalog": N_("catalog"),
    "catalog entry": N_("catalog entry"),
    "category": N_("category"),
    "checklist entry": N_("checklist entry"),
    "deduction": N_("deduction"),
    "department": N_("department"),
    "derived fact": N_("derived fact"),
    "fact": N_("fact"),
    "group": N_("group"),
    "indicator": N_("indicator"),
    "item": N_("item"),
    "part": N_("part"),
    "pending state": N_("pending state"),
    "rulebook": N_("rulebook"),
    "veto": N_("veto"),
}


def _word(member: str) -> str:
    """A member label in the user's language (a plug-in's own label reads as it is)."""
    return _(_MEMBER_WORDS[member]) if member in _MEMBER_WORDS else member


__all__ = ["Merger", "Origin", "Path_"]

Path_ = tuple[PathPart, ...]


@dataclass
class Origin:
    """Where a merged node came from: a document and the path of the node in it.

    ``children`` maps the merged node's keys (or list indexes) to their own
    origins; a key without an entry lies in the same document under ``path``.
    """

    doc: Document
    path: Path_
    children: dict[PathPart, Origin] = field(default_factory=dict)

    def sub(self, part: PathPart) -> Origin:
        got = self.children.get(part)
        return got if got is not None else Origin(self.doc, (*self.path, part))


# --------------------------------------------------------------------------- merging


@dataclass
class _Entry:
    data: Any
    origin: Origin


def _ident(data: object, key: str) -> object:
    return data.get(key) if isinstance(data, Mapping) else None


def _find(entries: Sequence[_Entry], key: str, ident: object) -> int | None:
    return next((i for i, e in enumerate(entries) if _ident(e.data, key) == ident), None)


def _list_origin(origin: Origin, entries: Sequence[_Entry]) -> Origin:
    return Origin(origin.doc, origin.path, {i: e.origin for i, e in enumerate(entries)})


def _locate(seqs: Mapping[str, list[_Entry]], ident: object) -> tuple[str, int] | None:
    """The category and place of the indicator ``ident`` (``None``: no such indicator)."""
    for cid, seq in seqs.items():
        idx = _find(seq, "id", ident)
        if idx is not None:
            return cid, idx
    return None


class Merger:
    """Merge one extending document into its (already resolved) base."""

    def __init__(self, child: Document, base: Document) -> None:
        self.child = child
        self.base = base
        self.issues: list[Issue] = []

    def issue(
        self, code: str, message: str, path: Path_, hint: str | None = None, *, key: bool = False
    ) -> None:
        self.issues.append(
            Issue(code, message, path=path, position=self.child.position(path, key=key), hint=hint)
        )

    def run(self) -> tuple[dict[str, Any], Origin]:
        child = self.child.data
        base = self.base.data
        assert isinstance(child, Mapping) and isinstance(base, Mapping)
        own_id = child.get("id")
        if own_id is None or own_id == base.get("id"):
            self.issue(
                WZ256,
                _("an extending rulebook needs its own id")
                + (
                    _(" (it repeats {own_id!r})").format(own_id=own_id)
                    if own_id is not None
                    else ""
                ),
                ("id",) if own_id is not None else (),
                hint=_(
                    "findings name the rulebook they were written for; give "
                    "this one a new id like city-2024"
                ),
            )
        edit = {k: v for k, v in child.items() if k != "extends"}
        merged, origin = self.element(
            "rulebook", base, Origin(self.base, ()), edit, (), skip=INDICATOR_KEYS
        )
        self.indicators(merged, origin, edit)
        return merged, origin

    # ------------------------------------------------------------------ one mapping

    def element(
        self,
        kind: str,
        base: object,
        borg: Origin,
        edit: Mapping[str, Any],
        epath: Path_,
        skip: Sequence[str] = (),
    ) -> tuple[dict[str, Any], Origin]:
        """Merge the edits of one node (a rulebook, category, item …) into its base."""
        out: dict[str, Any] = dict(base) if isinstance(base, Mapping) else {}
        children: dict[PathPart, Origin] = {k: borg.sub(k) for k in out}
        if kind == "item":
            named = [k for k in RULE_KEYS if k in edit]
            if named:
                for k in RULE_KEYS:
                    if k not in named and k in out:
                        del out[k]
                        del children[k]
        if kind == "category":
            for k in INDICATOR_KEYS:
                if k in edit:
                    self.issue(
                        WZ255,
                        _("a category edit cannot change indicators"),
                        (*epath, k),
                        hint=_(
                            "edit indicators at the top level: indicators:, "
                            "add_indicators:, remove_indicators: (with category: to "
                            "move one)"
                        ),
                        key=True,
                    )
            skip = (*skip, *INDICATOR_KEYS)
        done: set[str] = set(skip) | set(PLACEMENT)
        here = self.name(kind, out)
        for name, (key, member) in PLAN.collections.get(kind, {}).items():
            keys = (name, f"add_{name}", f"remove_{name}")
            if any(k in edit for k in keys):
                entries, lorg = self.collection(
                    out.get(name), borg.sub(name), edit, epath, name, key, member, here
                )
                out[name] = [e.data for e in entries]
                children[name] = _list_origin(lorg, entries)
            done |= set(keys)
        maps = PLAN.mappings.get(kind, frozenset())
        for k, v in edit.items():
            if k in done:
                continue
            if k in maps and isinstance(v, Mapping):
                out[k], children[k] = self.element(k, out.get(k), borg.sub(k), v, (*epath, k))
            else:
                out[k] = v
                children[k] = Origin(self.child, (*epath, k))
        return out, Origin(self.child, epath, children)

    @staticmethod
    def name(kind: str, data: Mapping[str, Any]) -> str:
        ident = data.get("id")
        if not isinstance(ident, str):
            return ""
        return _(" in {kind} {ident!r}").format(kind=_word(kind.replace("_", " ")), ident=ident)

    # ------------------------------------------------------------------ id'd lists

    def collection(
        self,
        base: object,
        lorg: Origin,
        edit: Mapping[str, Any],
        epath: Path_,
        name: str,
        key: str,
        member: str,
        owner: str,
    ) -> tuple[list[_Entry], Origin]:
        """Apply ``remove_X``, ``X`` and ``add_X`` to a list whose members have ids."""
        base_list = base if isinstance(base, list) else []
        entries = [_Entry(d, lorg.sub(i)) for i, d in enumerate(base_list)]
        edits = edit.get(name)
        adds = edit.get(f"add_{name}")
        removes = edit.get(f"remove_{name}")
        if isinstance(edits, list):
            if adds is not None or removes is not None:
                self.issue(
                    WZ255,
                    _(
                        "{name} is given as a list, which replaces it whole; "
                        "add_{name}/remove_{name} cannot be used beside it"
                    ).format(name=name),
                    (*epath, name),
                    hint=_(
                        "write {name} as a mapping {{id: changes}} to edit members by id"
                    ).format(name=name),
                    key=True,
                )
            lorg = Origin(self.child, (*epath, name))
            return [_Entry(d, lorg.sub(i)) for i, d in enumerate(edits)], lorg
        self.removals(entries, removes, (*epath, f"remove_{name}"), key, member, owner, name)
        if name in edit:
            self.edits(entries, edits, (*epath, name), key, member, owner, name)
        self.additions(entries, adds, (*epath, f"add_{name}"), key, member, owner, name)
        if not base_list and adds is not None:
            lorg = Origin(self.child, (*epath, f"add_{name}"))
        return entries, lorg

    def removals(
        self,
        entries: list[_Entry],
        removes: object,
        rpath: Path_,
        key: str,
        member: str,
        owner: str,
        name: str,
    ) -> None:
        if removes is None:
            return
        if not isinstance(removes, list):
            self.issue(WZ255, _("remove_{name} must be a list of ids").format(name=name), rpath)
            return
        for j, rid in enumerate(removes):
            idx = _find(entries, key, rid)
            if idx is None:
                self.issue(
                    WZ253,
                    _("cannot remove unknown {member} {rid!r}{owner}").format(
                        member=_word(member), rid=rid, owner=owner
                    ),
                    (*rpath, j),
                    hint=did_you_mean(str(rid), self.ids(entries, key)),
                )
            else:
                del entries[idx]

    def edits(
        self,
        entries: list[_Entry],
        edits: object,
        epath: Path_,
        key: str,
        member: str,
        owner: str,
        name: str,
    ) -> None:
        if not isinstance(edits, Mapping):
            self.issue(
                WZ255,
                _(
                    "{name} must be a mapping {{id: changes}} (edits by id) or a list (replaces)"
                ).format(name=name),
                epath,
            )
            return
        kind = PLAN.member_kinds.get(member, member)
        for ident, change in edits.items():
            path = (*epath, ident)
            idx = _find(entries, key, ident)
            if idx is None:
                self.issue(
                    WZ253,
                    _("unknown {member} {ident!r}{owner}").format(
                        member=_word(member), ident=ident, owner=owner
                    ),
                    path,
                    hint=did_you_mean(str(ident), self.ids(entries, key))
                    or _("to add a {member}, list it under add_{name}").format(
                        member=_word(member), name=name
                    ),
                    key=True,
                )
                continue
            if not isinstance(change, Mapping):
                self.issue(
                    WZ255,
                    _("the edit of {member} {ident!r} must be a mapping of changes").format(
                        member=_word(member), ident=ident
                    ),
                    path,
                    hint=_("to remove it, list it under remove_{name}").format(name=name),
                )
                continue
            entry = entries[idx]
            data, origin = self.element(kind, entry.data, entry.origin, change, path)
            entries[idx] = _Entry(data, origin)
            if any(p in change for p in PLACEMENT):
                moved = entries.pop(idx)
                if not self.place(entries, moved, change, path, key, member):
                    entries.insert(idx, moved)

    def additions(
        self,
        entries: list[_Entry],
        adds: object,
        apath: Path_,
        key: str,
        member: str,
        owner: str,
        name: str,
    ) -> None:
        if adds is None:
            return
        if not isinstance(adds, list):
            self.issue(
                WZ255,
                _("add_{name} must be a list of full {member} entries").format(
                    name=name, member=_word(member)
                ),
                apath,
            )
            return
        for j, new in enumerate(adds):
            path = (*apath, j)
            ident = self.new_member(new, path, key, member)
            if ident is None:
                continue
            if _find(entries, key, ident) is not None:
                self.issue(
                    WZ254,
                    _("{member} {ident!r} already exists{owner}").format(
                        member=_word(member), ident=ident, owner=owner
                    ),
                    (*path, key),
                    hint=_("edit it under {name}:, or remove it first with remove_{name}").format(
                        name=name
                    ),
                )
                continue
            assert isinstance(new, Mapping)
            data = {k: v for k, v in new.items() if k not in PLACEMENT}
            entry = _Entry(data, Origin(self.child, path))
            if not self.place(entries, entry, new, path, key, member):
                entries.append(entry)

    def new_member(self, new: object, path: Path_, key: str, member: str) -> str | None:
        if not isinstance(new, Mapping):
            self.issue(
                WZ255, _("an added {member} must be a mapping").format(member=_word(member)), path
            )
            return None
        ident = new.get(key)
        if not isinstance(ident, str):
            self.issue(
                WZ255,
                _("an added {member} needs {key}:").format(member=_word(member), key=key),
                path,
            )
            return None
        return ident

    def place(
        self,
        entries: list[_Entry],
        entry: _Entry,
        directives: Mapping[str, Any],
        path: Path_,
        key: str,
        member: str,
    ) -> bool:
        """Insert ``entry`` where ``after:``/``before:`` say; ``False`` when neither is given."""
        given = [p for p in PLACEMENT if p in directives]
        if not given:
            return False
        if len(given) > 1:
            self.issue(WZ255, _("give after: or before:, not both"), (*path, "before"), key=True)
            return False
        where = given[0]
        anchor = directives[where]
        idx = _find(entries, key, anchor)
        if idx is None:
            self.issue(
                WZ253,
                _("{where}: names unknown {member} {anchor!r}").format(
                    where=where, member=_word(member), anchor=anchor
                ),
                (*path, where),
                hint=did_you_mean(str(anchor), self.ids(entries, key)),
            )
            return False
        entries.insert(idx + 1 if where == "after" else idx, entry)
        return True

    @staticmethod
    def ids(entries: Sequence[_Entry], key: str) -> list[str]:
        return [str(i) for e in entries if (i := _ident(e.data, key)) is not None]

    # ------------------------------------------------------------------ indicators

    def indicators(self, merged: dict[str, Any], origin: Origin, edit: Mapping[str, Any]) -> None:
        """Apply the top-level indicator edits across categories (ids are unique in a rulebook).

        Each category's indicators become one list of entries (``seqs``, by category
        id); removals, edits and additions work on those, as in :meth:`collection`,
        and the lists are written back into the merged categories with their origins.
        """
        if not any(k in edit for k in INDICATOR_KEYS):
            return
        cats = merged.get("categories")
        if not isinstance(cats, list):
            return
        cats = merged["categories"] = list(cats)  # the base's list is not ours to change
        corg = origin.sub("categories")
        seqs: dict[str, list[_Entry]] = {}
        slots: list[tuple[int, str, Origin]] = []  # category index, id, its indicators' origin
        for ci, cat in enumerate(cats):
            cid = _ident(cat, "id")
            if not isinstance(cid, str) or cid in seqs:
                continue  # a malformed or duplicate category is left to the checks
            inds = cat.get("indicators")
            iorg = corg.sub(ci).sub("indicators")
            slots.append((ci, cid, iorg))
            seqs[cid] = [
                _Entry(d, iorg.sub(i)) for i, d in enumerate(inds if isinstance(inds, list) else [])
            ]
        every = [i for seq in seqs.values() for i in self.ids(seq, "id")]
        self.remove_indicators(seqs, edit.get("remove_indicators"), every)
        self.edit_indicators(seqs, edit.get("indicators"), every)
        self.add_indicators(seqs, edit.get("add_indicators"))
        children = dict(corg.children)
        for ci, cid, iorg in slots:
            seq = seqs[cid]
            cats[ci] = {**cats[ci], "indicators": [e.data for e in seq]}
            this = corg.sub(ci)
            children[ci] = Origin(
                this.doc, this.path, {**this.children, "indicators": _list_origin(iorg, seq)}
            )
        origin.children["categories"] = Origin(corg.doc, corg.path, children)

    def remove_indicators(
        self, seqs: dict[str, list[_Entry]], removes: object, every: list[str]
    ) -> None:
        """``remove_indicators:``, a list of ids in any category."""
        if removes is None:
            return
        if not isinstance(removes, list):
            self.issue(WZ255, _("remove_indicators must be a list of ids"), ("remove_indicators",))
            return
        for j, rid in enumerate(removes):
            found = _locate(seqs, rid)
            if found is None:
                self.issue(
                    WZ253,
                    _("cannot remove unknown indicator {rid!r}").format(rid=rid),
                    ("remove_indicators", j),
                    hint=did_you_mean(str(rid), every),
                )
            else:
                del seqs[found[0]][found[1]]

    def edit_indicators(
        self, seqs: dict[str, list[_Entry]], edits: object, every: list[str]
    ) -> None:
        """``indicators:``, edits by id; ``category:``, ``after:`` or ``before:`` move one."""
        if edits is None:
            return
        if not isinstance(edits, Mapping):
            self.issue(
                WZ255,
                _("indicators must be a mapping {{id: changes}}"),
                ("indicators",),
                hint=_("add indicators with add_indicators:; replace the tree with categories:"),
            )
            return
        for ident, change in edits.items():
            path: Path_ = ("indicators", ident)
            found = _locate(seqs, ident)
            if found is None:
                self.issue(
                    WZ253,
                    _("unknown indicator {ident!r}").format(ident=ident),
                    path,
                    hint=did_you_mean(str(ident), every)
                    or _("to add an indicator, list it under add_indicators"),
                    key=True,
                )
                continue
            if not isinstance(change, Mapping):
                self.issue(
                    WZ255,
                    _("the edit of indicator {ident!r} must be a mapping of changes").format(
                        ident=ident
                    ),
                    path,
                    hint=_("to remove it, list it under remove_indicators"),
                )
                continue
            cid, idx = found
            entry = seqs[cid][idx]
            data, org = self.element(
                "indicator", entry.data, entry.origin, change, path, skip=("category",)
            )
            seqs[cid][idx] = _Entry(data, org)
            if "category" in change or any(p in change for p in PLACEMENT):
                moved = seqs[cid].pop(idx)
                if not self.put(seqs, moved, change, path):
                    seqs[cid].insert(idx, moved)

    def add_indicators(self, seqs: dict[str, list[_Entry]], adds: object) -> None:
        """``add_indicators:``, full new indicators, each in a category or beside another."""
        if adds is None:
            return
        if not isinstance(adds, list):
            self.issue(
                WZ255, _("add_indicators must be a list of full indicators"), ("add_indicators",)
            )
            return
        for j, new in enumerate(adds):
            path: Path_ = ("add_indicators", j)
            ident = self.new_member(new, path, "id", "indicator")
            if ident is None:
                continue
            assert isinstance(new, Mapping)
            if _locate(seqs, ident) is not None:
                self.issue(
                    WZ254,
                    _("indicator {ident!r} already exists").format(ident=ident),
                    (*path, "id"),
                    hint=_("edit it under indicators:, or remove it first with remove_indicators"),
                )
                continue
            data = {k: v for k, v in new.items() if k not in (*PLACEMENT, "category")}
            entry = _Entry(data, Origin(self.child, path))
            if "category" not in new and not any(p in new for p in PLACEMENT):
                self.issue(
                    WZ255,
                    _("added indicator {ident!r} needs category: (or after:/before:)").format(
                        ident=ident
                    ),
                    path,
                    hint=_("categories: {seqs}").format(seqs=", ".join(seqs)),
                )
                continue
            self.put(seqs, entry, new, path)

    def put(
        self,
        seqs: dict[str, list[_Entry]],
        entry: _Entry,
        directives: Mapping[str, Any],
        path: Path_,
    ) -> bool:
        """Place an indicator in the category it names or beside the indicator it names."""
        cid = directives.get("category")
        if cid is not None and cid not in seqs:
            self.issue(
                WZ253,
                _("category: names unknown category {cid!r}").format(cid=cid),
                (*path, "category"),
                hint=did_you_mean(str(cid), list(seqs)),
            )
            return False
        given = [p for p in PLACEMENT if p in directives]
        if given and cid is None:
            anchor = directives[given[0]]
            cid = next((c for c, seq in seqs.items() if _find(seq, "id", anchor) is not None), None)
            if cid is None:
                every = [i for seq in seqs.values() for i in self.ids(seq, "id")]
                self.issue(
                    WZ253,
                    _("{given}: names unknown indicator {anchor!r}").format(
                        given=given[0], anchor=anchor
                    ),
                    (*path, given[0]),
                    hint=did_you_mean(str(anchor), every),
                )
                return False
        assert isinstance(cid, str)
        if self.place(
            seqs[cid],
            entry,
            directives,
            path,
            "id",
            _("indicator (in category {cid!r})").format(cid=cid),
        ):
            return True
        if given:
            return False
        seqs[cid].append(entry)
        return True
