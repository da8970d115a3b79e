"""Rulebooks that extend another rulebook and edit it by id (``extends:``).

Next year's table is usually this year's with a handful of changes.  Instead
of copying two thousand lines, a rulebook may name the one it builds on and
list only its edits::

    wzeval: rulebook/1
    extends: ../2023.yaml          # relative to this file; or bundled:2023
    id: city-2024                  # required, and different from the base's
    title: 2024年…
    year: 2024

    indicators:                    # edit existing indicators, by id
      dongtai_yaowen:
        weight: 4                  # a field: replaced
        items:                     # an id'd list: edit its members by id
          on_topic: {title: 内容与栏目名称一致}
        add_items:                 # add members (full), appended or placed
          - {id: timely, share: 20%, check: not column_stale, after: on_topic}
        remove_items: [sources]    # remove members by id
    add_indicators:                # new indicators, full, in a category
      - {id: yiwang_tongban, category: banshi_fuwu, after: chaxun_fuwu, …}
    remove_indicators: [yihao_denglu]

The rules, the same at every level:

* **Fields** (``weight``, ``name``, ``check``, ``source`` …) are replaced.  A
  field set to ``null`` is cleared.
* **Lists whose members have ids** — ``departments``, ``catalogs``,
  ``categories``, a category's ``groups``, an indicator's ``facts``,
  ``derived``, ``items``, ``vetoes``, ``deductions``, an item's ``checklist``,
  ``deduct`` and ``vetoes``, a catalog's ``entries`` (keyed by ``department``)
  — are edited with three keys beside each other: ``X:`` a mapping
  ``{id: changes}`` that edits existing members (an unknown id is an error, with
  a "did you mean"), ``add_X:`` a list of full new members (an id that already
  exists is an error), and ``remove_X:`` a list of ids.  Removals happen first,
  then edits, then additions, so ``remove_X: [a]`` with ``add_X: [{id: a, …}]``
  replaces ``a`` wholesale.  Writing ``X:`` as a *list* instead replaces the
  whole list (and cannot be combined with ``add_X``/``remove_X``).
* **Placement**: an added member goes to the end of its list unless it says
  ``after: <id>`` or ``before: <id>``; an edit may say the same to move a member.
* **Indicators** are edited from the top level (``indicators``,
  ``add_indicators``, ``remove_indicators``) by their globally unique ids.  An
  added indicator says ``category: <id>`` (or is placed ``after:``/``before:``
  an indicator, whose category it then joins); an edit with ``category:`` moves
  the indicator to another category.  A category edit cannot touch indicators.
* **Fixed-field mappings** — ``arithmetic`` and an item's ``levels``,
  ``bands``, ``proportion``, ``given`` — merge field by field.  Mappings keyed
  by your own names (``levels.credits``, a records fact's ``fields``) and lists
  without ids (``tiers``, ``bands.rows``, ``options``, ``aliases``, ``duties``)
  are replaced whole.
* **Rule kind**: an item edit that names a credit rule (``check``, ``tiers`` …)
  other than the item's own drops the old rule, so ``{tiers: […]}`` turns a
  yes/no item into a tiered one.

The merged rulebook is validated and checked exactly like any other, and every
issue points at the file and line that caused it: a value inherited from the
base points into the base file, a value the child wrote points into the child
(:class:`MergedDocument` keeps the origin of every merged node).

**What a rulebook may read.**  Only the files its ``extends:`` chain names:
a path relative to the extending file's own folder (never an absolute path, a
``~`` path or a URL), ending in ``.yaml``, ``.yml`` or ``.json``, that lies —
after following symbolic links — inside the current working directory, the
folder of the rulebook the user named, or the git repository holding that
rulebook (pass ``root=`` to choose otherwise); or
a rulebook bundled with wzeval (``bundled:2023``).  Chains are at most
:data:`MAX_EXTENDS_DEPTH` long, and a cycle is an error.

Issue codes: WZ250 base cannot be read, WZ251 cycle, WZ252 chain too long,
WZ253 edit of an unknown id, WZ254 addition of an existing id, WZ255 malformed
edit, WZ256 extending rulebook without its own id, WZ257 path not allowed.
"""

from __future__ import annotations

import os
import re
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from wzeval.i18n import _
from wzeval.issues import Issue, PathPart, Position, Severity, did_you_mean
from wzeval.kinds import rule_kinds
from wzeval.loader import Document, load_document

__all__ = [
    "BUNDLED_PREFIX",
    "MAX_EXTENDS_DEPTH",
    "MergedDocument",
    "bundled_rulebooks",
    "origin_of",
    "resolve_extends",
]

#: Most ``extends`` hops from the rulebook named to the last base.
MAX_EXTENDS_DEPTH = 5
#: ``extends: bundled:2023`` names a rulebook shipped with wzeval.
BUNDLED_PREFIX = "bundled:"
_SUFFIXES = (".yaml", ".yml", ".json")
_BUNDLED_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")

Path_ = tuple[PathPart, ...]


def _kind_name(model: type[BaseModel]) -> str:
    """A model's node kind: its class name in snake case (``CatalogEntry`` → ``catalog_entry``)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", model.__name__).lower()


def _member_label(model: type[BaseModel]) -> str:
    """How messages name one member: the model's ``member_label``, else its kind in words."""
    label = getattr(model, "member_label", None)
    return label if isinstance(label, str) else _kind_name(model).replace("_", " ")


def _list_member(annotation: object) -> type[BaseModel] | None:
    """The model of a ``list[Model]`` field (``None`` for any other field)."""
    if typing.get_origin(annotation) is not list:
        return None
    (member,) = typing.get_args(annotation)
    return member if isinstance(member, type) and issubclass(member, BaseModel) else None


@dataclass(frozen=True)
class MergePlan:
    """How ``extends:`` merges each node kind (see :func:`merge_plan`)."""

    #: kind → {list field: (key field, member label)}: lists merged member by member
    collections: dict[str, dict[str, tuple[str, str]]]
    #: kind → fields holding one model, merged field by field
    mappings: dict[str, frozenset[str]]
    #: member label → its node kind (``catalog entry`` → ``catalog_entry``)
    member_kinds: dict[str, str]


def merge_plan(
    root: type[BaseModel], *, skip: Mapping[str, frozenset[str]] | None = None
) -> MergePlan:
    """How ``extends:`` merges each node kind, read from the models themselves.

    A list of models whose members have an ``id`` (or the field their model names in
    ``merge_key``) is merged member by member; a field holding one model is merged
    field by field; any other field is replaced whole.  ``skip`` leaves out fields
    merged another way (a category's indicators, an item's rule keys), though the
    models under them are still read.  A new list field on a model is merged by id
    with no edit here (tests/test_extends.py).
    """
    plan = MergePlan({}, {}, {})
    seen: set[type[BaseModel]] = set()
    todo = [root]
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        kind = _kind_name(model)
        left_out = (skip or {}).get(kind, frozenset())
        lists: dict[str, tuple[str, str]] = {}
        maps: set[str] = set()
        for name, info in model.model_fields.items():
            member = _list_member(info.annotation)
            single = info.annotation if _is_model(info.annotation) else None
            todo += [m for m in (member, single) if m is not None]
            if name in left_out:
                continue
            if member is not None:
                key = getattr(member, "merge_key", "id")
                if isinstance(key, str) and key in member.model_fields:
                    lists[name] = (key, _member_label(member))
                    plan.member_kinds[_member_label(member)] = _kind_name(member)
            elif single is not None:
                maps.add(name)
        if lists:
            plan.collections[kind] = lists
        if maps:
            plan.mappings[kind] = frozenset(maps)
    return plan


def _is_model(annotation: object) -> typing.TypeGuard[type[BaseModel]]:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _plan() -> MergePlan:
    """The plan of a rulebook: read from its models, with the rule kinds' own merges."""
    from wzeval.models import Rulebook

    kinds = rule_kinds().values()
    plan = merge_plan(
        Rulebook,
        skip={"category": frozenset({"indicators"}), "item": frozenset(k.key for k in kinds)},
    )
    item = plan.collections.setdefault("item", {})
    for k in kinds:
        if k.merge == "by_id":
            item[k.key] = ("id", k.member)
            plan.member_kinds[k.member] = k.member.replace(" ", "_")
        elif k.merge == "fields":
            plan.mappings["item"] = plan.mappings.get("item", frozenset()) | {k.key}
    return plan


_PLAN = _plan()
_COLLECTIONS = _PLAN.collections
_MAPPINGS = _PLAN.mappings
#: The item keys that name a credit rule: an edit naming one replaces the base's rule.
_RULE_KEYS = tuple(rule_kinds())
_PLACEMENT = ("after", "before")
_INDICATOR_KEYS = ("indicators", "add_indicators", "remove_indicators")


# --------------------------------------------------------------------------- origins


@dataclass
class _Origin:
    """Where a merged node came from: a document and the path of the node in it.

    ``children`` maps the merged node's keys (or list indexes) to their own
    origins; a key without an entry lies in the same document under ``path``.
    """

    doc: Document
    path: Path_
    children: dict[PathPart, _Origin] = field(default_factory=dict)

    def sub(self, part: PathPart) -> _Origin:
        got = self.children.get(part)
        return got if got is not None else _Origin(self.doc, (*self.path, part))


@dataclass
class MergedDocument(Document):
    """A rulebook document merged with the chain of rulebooks it extends.

    ``data`` is the merged plain data; :meth:`position` answers with the file
    and line of the document each merged value came from.  ``files`` lists the
    documents read, the extending one first.
    """

    origins: _Origin | None = None
    files: tuple[str, ...] = ()

    def origin(self, path: Sequence[PathPart]) -> tuple[Document, Path_]:
        """The document and path (in that document) of the merged node at ``path``."""
        node = self.origins
        if node is None:  # nothing merged: the document stands for itself
            return Document(self.file, self.data, self.root), tuple(path)
        for i, part in enumerate(path):
            nxt = node.children.get(part)
            if nxt is None:  # an unchanged subtree: the rest of the path lies in its file
                return origin_of(node.doc, (*node.path, *path[i:]))
            node = nxt
        return origin_of(node.doc, node.path)

    def position(self, path: Sequence[PathPart], *, key: bool = False) -> Position:
        """The ``file:line:col`` of the node at ``path`` in the file it came from."""
        doc, where = self.origin(path)
        return doc.position(where, key=key)


def origin_of(doc: Document, path: Sequence[PathPart]) -> tuple[Document, Path_]:
    """The source document and path of the node at ``path`` (itself for a plain document)."""
    if isinstance(doc, MergedDocument):
        return doc.origin(path)
    return doc, tuple(path)


# --------------------------------------------------------------------------- resolving


def bundled_rulebooks() -> list[str]:
    """The names ``extends: bundled:NAME`` accepts (``2023`` …)."""
    data = resources.files("wzeval").joinpath("data")
    return sorted(p.name.removesuffix(".yaml") for p in data.iterdir() if p.name.endswith(".yaml"))


def _project_root(path: Path) -> Path | None:
    """The repository a file belongs to: its nearest ancestor holding ``.git``."""
    for folder in path.resolve().parents:
        if (folder / ".git").exists():
            return folder
    return None


def _within(path: Path, roots: Sequence[Path]) -> bool:
    return any(path == r or path.is_relative_to(r) for r in roots)


def resolve_extends(
    doc: Document, *, root: str | Path | Sequence[str | Path] | None = None
) -> Document:
    """Merge a rulebook document with the chain it ``extends``; others are returned as they are.

    The result is a :class:`MergedDocument` whose ``issues`` hold every issue of
    every file read plus those of the merge itself; its ``data`` is ``None``
    when the chain could not be read or merged.  ``root`` names the folders a
    base may lie in (default: the working directory, the folder of ``doc`` and the
    git repository holding it).
    """
    if not isinstance(doc.data, Mapping) or "extends" not in doc.data:
        return doc
    if root is None:
        roots = [Path.cwd()]
        if not doc.file.startswith("<"):
            roots.append(Path(doc.file).parent)
            project = _project_root(Path(doc.file))
            if project is not None:
                roots.append(project)
    elif isinstance(root, str | Path):
        roots = [Path(root)]
    else:
        roots = [Path(r) for r in root]
    resolver = _Resolver(tuple(r.resolve() for r in roots))
    start = () if doc.file.startswith("<") else ((Path(doc.file).resolve(), doc.file),)
    return resolver.resolve(doc, start)


class _Refused(Exception):
    """Why an ``extends:`` reference cannot be followed (becomes one issue at that line)."""

    def __init__(self, code: str, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.hint = code, message, hint


_EXAMPLE = "write e.g. extends: ../2023.yaml, or extends: bundled:2023"


class _Resolver:
    def __init__(self, roots: tuple[Path, ...]) -> None:
        self.roots = roots

    def locate(self, doc: Document, ref: str) -> tuple[Path, str]:
        """The file ``ref`` names and the name to show for it; :class:`_Refused` if not allowed.

        Nothing outside the allowed roots is probed: containment is checked before
        the file's existence, so a rulebook cannot learn what lies elsewhere.
        """
        if ref.startswith(BUNDLED_PREFIX):
            name = ref[len(BUNDLED_PREFIX) :].strip()
            known = bundled_rulebooks()
            if not _BUNDLED_NAME.match(name) or name not in known:
                hint = did_you_mean(name, known) or f"bundled: {', '.join(known)}"
                raise _Refused("WZ250", f"no bundled rulebook {name!r}", hint)
            path = Path(str(resources.files("wzeval").joinpath("data", f"{name}.yaml")))
            return path, str(path)
        rel = Path(ref)
        if "://" in ref or ref.startswith("~") or rel.is_absolute() or rel.drive:
            raise _Refused(
                "WZ257", f"extends takes a path relative to this file, not {ref!r}", _EXAMPLE
            )
        if rel.suffix.lower() not in _SUFFIXES:
            raise _Refused(
                "WZ257", f"extends names {ref!r}, which is not a .yaml, .yml or .json file"
            )
        if doc.file.startswith("<"):
            raise _Refused(
                "WZ257",
                f"a rulebook read from text has no folder to resolve {ref!r} against",
                "load it from a file, or extend a bundled rulebook (bundled:2023)",
            )
        shown = os.path.normpath(Path(doc.file).parent / rel)
        path = Path(shown)
        try:
            real = path.resolve()
        except (OSError, RuntimeError) as exc:  # e.g. a symbolic-link loop
            raise _Refused("WZ250", f"cannot resolve {shown}: {exc}") from None
        if not _within(real, self.roots):
            raise _Refused(
                "WZ257",
                f"extends may not read {shown}: it lies outside "
                f"{' and '.join(str(r) for r in self.roots)}",
                "a rulebook can only read files inside the project it belongs to; "
                "run wzeval from the project folder",
            )
        if not path.is_file():
            try:
                siblings = [p.name for p in path.parent.iterdir()]
            except OSError:
                siblings = []
            raise _Refused(
                "WZ250",
                f"cannot find the base rulebook {ref!r} (looked for {shown})",
                did_you_mean(path.name, [n for n in siblings if n.lower().endswith(_SUFFIXES)])
                or "paths are relative to the folder of the extending file",
            )
        return path, shown

    def resolve(
        self, doc: Document, chain: tuple[tuple[Path, str], ...], depth: int = 1
    ) -> Document:
        """Merge ``doc`` with its base; ``chain`` holds the files (real, shown) that led here."""
        try:
            base = self.base(doc, chain, depth)
        except _Refused as exc:
            issue = Issue(
                exc.code,
                exc.message,
                path=("extends",),
                position=doc.position(("extends",)),
                hint=exc.hint,
            )
            base = Document(doc.file, None, issues=[issue])
        if not isinstance(base.data, Mapping):
            return Document(
                doc.file, None, root=doc.root, issues=[*doc.issues, *base.issues], text=doc.text
            )
        merger = _Merger(doc, base)
        merged, origins = merger.run()
        base_id = base.data.get("id")
        if isinstance(base_id, str):  # findings recorded against a base stay valid here
            before = base.data.get("based_on")
            merged["based_on"] = [base_id, *(before if isinstance(before, list) else [])]
        files = base.files if isinstance(base, MergedDocument) else (base.file,)
        return MergedDocument(
            doc.file,
            merged,
            root=doc.root,
            issues=[*doc.issues, *base.issues, *merger.issues],
            text=doc.text,
            origins=origins,
            files=(doc.file, *files),
        )

    def base(self, doc: Document, chain: tuple[tuple[Path, str], ...], depth: int) -> Document:
        """The base ``doc`` extends, itself resolved; its ``data`` is ``None`` if it is unusable."""
        assert isinstance(doc.data, Mapping)
        ref = doc.data.get("extends")
        if not isinstance(ref, str) or not ref.strip():
            raise _Refused("WZ250", "extends must name a rulebook file", _EXAMPLE)
        path, shown = self.locate(doc, ref.strip())
        real = path.resolve()
        if real in (r for r, _ in chain):
            names = " → ".join([*(s for _, s in chain), shown])
            raise _Refused(
                "WZ251",
                f"rulebooks extend each other in a cycle: {names}",
                "a rulebook cannot extend itself, directly or through others",
            )
        if depth > MAX_EXTENDS_DEPTH:
            raise _Refused(
                "WZ252",
                f"the extends chain has more than {MAX_EXTENDS_DEPTH} steps",
                "extend a rulebook nearer the root of the chain, or merge some",
            )
        base = load_document(path, name=shown)
        if isinstance(base.data, Mapping) and "extends" in base.data:
            return self.resolve(base, (*chain, (real, shown)), depth + 1)
        if base.data is not None and not isinstance(base.data, Mapping):
            base.issues.append(
                Issue("WZ201", _("a rulebook must be a mapping"), position=base.position(()))
            )
        elif base.data is None and not any(i.severity is Severity.ERROR for i in base.issues):
            raise _Refused("WZ250", f"cannot extend {shown}: it is empty")
        return base


# --------------------------------------------------------------------------- merging


@dataclass
class _Entry:
    data: Any
    origin: _Origin


def _ident(data: object, key: str) -> object:
    return data.get(key) if isinstance(data, Mapping) else None


def _find(entries: Sequence[_Entry], key: str, ident: object) -> int | None:
    return next((i for i, e in enumerate(entries) if _ident(e.data, key) == ident), None)


def _list_origin(origin: _Origin, entries: Sequence[_Entry]) -> _Origin:
    return _Origin(origin.doc, origin.path, {i: e.origin for i, e in enumerate(entries)})


class _Merger:
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

    def run(self) -> tuple[dict[str, Any], _Origin]:
        child = self.child.data
        base = self.base.data
        assert isinstance(child, Mapping) and isinstance(base, Mapping)
        own_id = child.get("id")
        if own_id is None or own_id == base.get("id"):
            self.issue(
                "WZ256",
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
            "rulebook", base, _Origin(self.base, ()), edit, (), skip=_INDICATOR_KEYS
        )
        self.indicators(merged, origin, edit)
        return merged, origin

    # ------------------------------------------------------------------ one mapping

    def element(
        self,
        kind: str,
        base: object,
        borg: _Origin,
        edit: Mapping[str, Any],
        epath: Path_,
        skip: Sequence[str] = (),
    ) -> tuple[dict[str, Any], _Origin]:
        """Merge the edits of one node (a rulebook, category, item …) into its base."""
        out: dict[str, Any] = dict(base) if isinstance(base, Mapping) else {}
        children: dict[PathPart, _Origin] = {k: borg.sub(k) for k in out}
        if kind == "item":
            named = [k for k in _RULE_KEYS if k in edit]
            if named:
                for k in _RULE_KEYS:
                    if k not in named and k in out:
                        del out[k]
                        del children[k]
        if kind == "category":
            for k in _INDICATOR_KEYS:
                if k in edit:
                    self.issue(
                        "WZ255",
                        _("a category edit cannot change indicators"),
                        (*epath, k),
                        hint=_(
                            "edit indicators at the top level: indicators:, "
                            "add_indicators:, remove_indicators: (with category: to "
                            "move one)"
                        ),
                        key=True,
                    )
            skip = (*skip, *_INDICATOR_KEYS)
        done: set[str] = set(skip) | set(_PLACEMENT)
        here = self.name(kind, out)
        for name, (key, member) in _COLLECTIONS.get(kind, {}).items():
            keys = (name, f"add_{name}", f"remove_{name}")
            if any(k in edit for k in keys):
                entries, lorg = self.collection(
                    out.get(name), borg.sub(name), edit, epath, name, key, member, here
                )
                out[name] = [e.data for e in entries]
                children[name] = _list_origin(lorg, entries)
            done |= set(keys)
        maps = _MAPPINGS.get(kind, frozenset())
        for k, v in edit.items():
            if k in done:
                continue
            if k in maps and isinstance(v, Mapping):
                out[k], children[k] = self.element(k, out.get(k), borg.sub(k), v, (*epath, k))
            else:
                out[k] = v
                children[k] = _Origin(self.child, (*epath, k))
        return out, _Origin(self.child, epath, children)

    @staticmethod
    def name(kind: str, data: Mapping[str, Any]) -> str:
        ident = data.get("id")
        return f" in {kind} {ident!r}" if isinstance(ident, str) else ""

    # ------------------------------------------------------------------ id'd lists

    def collection(
        self,
        base: object,
        lorg: _Origin,
        edit: Mapping[str, Any],
        epath: Path_,
        name: str,
        key: str,
        member: str,
        owner: str,
    ) -> tuple[list[_Entry], _Origin]:
        """Apply ``remove_X``, ``X`` and ``add_X`` to a list whose members have ids."""
        base_list = base if isinstance(base, list) else []
        entries = [_Entry(d, lorg.sub(i)) for i, d in enumerate(base_list)]
        edits = edit.get(name)
        adds = edit.get(f"add_{name}")
        removes = edit.get(f"remove_{name}")
        if isinstance(edits, list):
            if adds is not None or removes is not None:
                self.issue(
                    "WZ255",
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
            lorg = _Origin(self.child, (*epath, name))
            return [_Entry(d, lorg.sub(i)) for i, d in enumerate(edits)], lorg
        self.removals(entries, removes, (*epath, f"remove_{name}"), key, member, owner, name)
        if name in edit:
            self.edits(entries, edits, (*epath, name), key, member, owner, name)
        self.additions(entries, adds, (*epath, f"add_{name}"), key, member, owner, name)
        if not base_list and adds is not None:
            lorg = _Origin(self.child, (*epath, f"add_{name}"))
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
            self.issue("WZ255", _("remove_{name} must be a list of ids").format(name=name), rpath)
            return
        for j, rid in enumerate(removes):
            idx = _find(entries, key, rid)
            if idx is None:
                self.issue(
                    "WZ253",
                    _("cannot remove unknown {member} {rid!r}{owner}").format(
                        member=member, rid=rid, owner=owner
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
                "WZ255",
                _(
                    "{name} must be a mapping {{id: changes}} (edits by id) or a list (replaces)"
                ).format(name=name),
                epath,
            )
            return
        kind = _KIND_OF_MEMBER.get(member, member)
        for ident, change in edits.items():
            path = (*epath, ident)
            idx = _find(entries, key, ident)
            if idx is None:
                self.issue(
                    "WZ253",
                    _("unknown {member} {ident!r}{owner}").format(
                        member=member, ident=ident, owner=owner
                    ),
                    path,
                    hint=did_you_mean(str(ident), self.ids(entries, key))
                    or _("to add a {member}, list it under add_{name}").format(
                        member=member, name=name
                    ),
                    key=True,
                )
                continue
            if not isinstance(change, Mapping):
                self.issue(
                    "WZ255",
                    _("the edit of {member} {ident!r} must be a mapping of changes").format(
                        member=member, ident=ident
                    ),
                    path,
                    hint=_("to remove it, list it under remove_{name}").format(name=name),
                )
                continue
            entry = entries[idx]
            data, origin = self.element(kind, entry.data, entry.origin, change, path)
            entries[idx] = _Entry(data, origin)
            if any(p in change for p in _PLACEMENT):
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
                "WZ255",
                _("add_{name} must be a list of full {member} entries").format(
                    name=name, member=member
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
                    "WZ254",
                    _("{member} {ident!r} already exists{owner}").format(
                        member=member, ident=ident, owner=owner
                    ),
                    (*path, key),
                    hint=_("edit it under {name}:, or remove it first with remove_{name}").format(
                        name=name
                    ),
                )
                continue
            assert isinstance(new, Mapping)
            data = {k: v for k, v in new.items() if k not in _PLACEMENT}
            entry = _Entry(data, _Origin(self.child, path))
            if not self.place(entries, entry, new, path, key, member):
                entries.append(entry)

    def new_member(self, new: object, path: Path_, key: str, member: str) -> str | None:
        if not isinstance(new, Mapping):
            self.issue(
                "WZ255", _("an added {member} must be a mapping").format(member=member), path
            )
            return None
        ident = new.get(key)
        if not isinstance(ident, str):
            self.issue(
                "WZ255", _("an added {member} needs {key}:").format(member=member, key=key), path
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
        given = [p for p in _PLACEMENT if p in directives]
        if not given:
            return False
        if len(given) > 1:
            self.issue("WZ255", _("give after: or before:, not both"), (*path, "before"), key=True)
            return False
        where = given[0]
        anchor = directives[where]
        idx = _find(entries, key, anchor)
        if idx is None:
            self.issue(
                "WZ253",
                _("{where}: names unknown {member} {anchor!r}").format(
                    where=where, member=member, anchor=anchor
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

    def indicators(self, merged: dict[str, Any], origin: _Origin, edit: Mapping[str, Any]) -> None:
        """Apply the top-level indicator edits across categories (ids are unique in a rulebook)."""
        if not any(k in edit for k in _INDICATOR_KEYS):
            return
        cats = merged.get("categories")
        if not isinstance(cats, list):
            return
        cats = merged["categories"] = list(cats)  # the base's list is not ours to change
        corg = origin.sub("categories")
        seqs: dict[str, list[_Entry]] = {}
        slots: list[tuple[int, str, _Origin]] = []  # category index, id, its indicators' origin
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

        def locate(ident: object) -> tuple[str, int] | None:
            for cid, seq in seqs.items():
                idx = _find(seq, "id", ident)
                if idx is not None:
                    return cid, idx
            return None

        every = [i for seq in seqs.values() for i in self.ids(seq, "id")]
        removes = edit.get("remove_indicators")
        if removes is not None and not isinstance(removes, list):
            self.issue(
                "WZ255", _("remove_indicators must be a list of ids"), ("remove_indicators",)
            )
        elif removes is not None:
            for j, rid in enumerate(removes):
                found = locate(rid)
                if found is None:
                    self.issue(
                        "WZ253",
                        _("cannot remove unknown indicator {rid!r}").format(rid=rid),
                        ("remove_indicators", j),
                        hint=did_you_mean(str(rid), every),
                    )
                else:
                    del seqs[found[0]][found[1]]
        edits = edit.get("indicators")
        if edits is not None and not isinstance(edits, Mapping):
            self.issue(
                "WZ255",
                _("indicators must be a mapping {{id: changes}}"),
                ("indicators",),
                hint=_("add indicators with add_indicators:; replace the tree with categories:"),
            )
        elif edits is not None:
            for ident, change in edits.items():
                path: Path_ = ("indicators", ident)
                found = locate(ident)
                if found is None:
                    self.issue(
                        "WZ253",
                        _("unknown indicator {ident!r}").format(ident=ident),
                        path,
                        hint=did_you_mean(str(ident), every)
                        or _("to add an indicator, list it under add_indicators"),
                        key=True,
                    )
                    continue
                if not isinstance(change, Mapping):
                    self.issue(
                        "WZ255",
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
                if "category" in change or any(p in change for p in _PLACEMENT):
                    moved = seqs[cid].pop(idx)
                    if not self.put(seqs, moved, change, path):
                        seqs[cid].insert(idx, moved)
        adds = edit.get("add_indicators")
        if adds is not None and not isinstance(adds, list):
            self.issue(
                "WZ255", _("add_indicators must be a list of full indicators"), ("add_indicators",)
            )
        elif adds is not None:
            for j, new in enumerate(adds):
                path = ("add_indicators", j)
                ident = self.new_member(new, path, "id", "indicator")
                if ident is None:
                    continue
                assert isinstance(new, Mapping)
                if locate(ident) is not None:
                    self.issue(
                        "WZ254",
                        _("indicator {ident!r} already exists").format(ident=ident),
                        (*path, "id"),
                        hint=_(
                            "edit it under indicators:, or remove it first with remove_indicators"
                        ),
                    )
                    continue
                data = {k: v for k, v in new.items() if k not in (*_PLACEMENT, "category")}
                entry = _Entry(data, _Origin(self.child, path))
                if "category" not in new and not any(p in new for p in _PLACEMENT):
                    self.issue(
                        "WZ255",
                        _("added indicator {ident!r} needs category: (or after:/before:)").format(
                            ident=ident
                        ),
                        path,
                        hint=_("categories: {seqs}").format(seqs=", ".join(seqs)),
                    )
                    continue
                self.put(seqs, entry, new, path)
        children = dict(corg.children)
        for ci, cid, iorg in slots:
            seq = seqs[cid]
            cats[ci] = {**cats[ci], "indicators": [e.data for e in seq]}
            this = corg.sub(ci)
            children[ci] = _Origin(
                this.doc, this.path, {**this.children, "indicators": _list_origin(iorg, seq)}
            )
        origin.children["categories"] = _Origin(corg.doc, corg.path, children)

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
                "WZ253",
                _("category: names unknown category {cid!r}").format(cid=cid),
                (*path, "category"),
                hint=did_you_mean(str(cid), list(seqs)),
            )
            return False
        given = [p for p in _PLACEMENT if p in directives]
        if given and cid is None:
            anchor = directives[given[0]]
            cid = next((c for c, seq in seqs.items() if _find(seq, "id", anchor) is not None), None)
            if cid is None:
                every = [i for seq in seqs.values() for i in self.ids(seq, "id")]
                self.issue(
                    "WZ253",
                    _("{given}: names unknown indicator {anchor!r}").format(
                        given=given[0], anchor=anchor
                    ),
                    (*path, given[0]),
                    hint=did_you_mean(str(anchor), every),
                )
                return False
        assert isinstance(cid, str)
        if self.place(seqs[cid], entry, directives, path, "id", f"indicator (in category {cid!r})"):
            return True
        if given:
            return False
        seqs[cid].append(entry)
        return True


_KIND_OF_MEMBER = _PLAN.member_kinds
