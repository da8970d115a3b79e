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

The merge plan is read from the models in :mod:`wzeval.model._extendsplan`, the merge
itself is :mod:`wzeval.model._extendsmerge`; this module finds and reads the chain.

Issue codes: WZ250 base cannot be read, WZ251 cycle, WZ252 chain too long,
WZ253 edit of an unknown id, WZ254 addition of an existing id, WZ255 malformed
edit, WZ256 extending rulebook without its own id, WZ257 path not allowed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from wzeval.core._codes import WZ201, WZ250, WZ251, WZ252, WZ257
from wzeval.core._i18n import N_, _
from wzeval.core._issues import Issue, PathPart, Position, Severity, did_you_mean
from wzeval.model._extendsmerge import Merger, Origin, Path_
from wzeval.reading._loader import load_document
from wzeval.reading._yamlcore import Document

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


# --------------------------------------------------------------------------- origins


@dataclass
class MergedDocument(Document):
    """A rulebook document merged with the chain of rulebooks it extends.

    ``data`` is the merged plain data; :meth:`position` answers with the file
    and line of the document each merged value came from.  ``files`` lists the
    documents read, the extending one first.
    """

    origins: Origin | None = None
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


_EXAMPLE = N_("write e.g. extends: ../2023.yaml, or extends: bundled:2023")


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
                hint = did_you_mean(name, known) or _("bundled: {names}").format(
                    names=", ".join(known)
                )
                raise _Refused(WZ250, _("no bundled rulebook {name!r}").format(name=name), hint)
            path = Path(str(resources.files("wzeval").joinpath("data", f"{name}.yaml")))
            return path, str(path)
        rel = Path(ref)
        if "://" in ref or ref.startswith("~") or rel.is_absolute() or rel.drive:
            raise _Refused(
                WZ257,
                _("extends takes a path relative to this file, not {ref!r}").format(ref=ref),
                _(_EXAMPLE),
            )
        if rel.suffix.lower() not in _SUFFIXES:
            raise _Refused(
                WZ257,
                _("extends names {ref!r}, which is not a .yaml, .yml or .json file").format(
                    ref=ref
                ),
            )
        if doc.file.startswith("<"):
            raise _Refused(
                WZ257,
                _("a rulebook read from text has no folder to resolve {ref!r} against").format(
                    ref=ref
                ),
                _("load it from a file, or extend a bundled rulebook (bundled:2023)"),
            )
        shown = os.path.normpath(Path(doc.file).parent / rel)
        path = Path(shown)
        try:
            real = path.resolve()
        except (OSError, RuntimeError) as exc:  # e.g. a symbolic-link loop
            raise _Refused(
                WZ250, _("cannot resolve {path}: {reason}").format(path=shown, reason=exc)
            ) from None
        if not _within(real, self.roots):
            raise _Refused(
                WZ257,
                _("extends may not read {path}: it lies outside {roots}").format(
                    path=shown, roots=_(" and ").join(str(r) for r in self.roots)
                ),
                _(
                    "a rulebook can only read files inside the project it belongs to; "
                    "run wzeval from the project folder"
                ),
            )
        if not path.is_file():
            try:
                siblings = [p.name for p in path.parent.iterdir()]
            except OSError:
                siblings = []
            raise _Refused(
                WZ250,
                _("cannot find the base rulebook {ref!r} (looked for {path})").format(
                    ref=ref, path=shown
                ),
                did_you_mean(path.name, [n for n in siblings if n.lower().endswith(_SUFFIXES)])
                or _("paths are relative to the folder of the extending file"),
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
        merger = Merger(doc, base)
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
            raise _Refused(WZ250, _("extends must name a rulebook file"), _(_EXAMPLE))
        path, shown = self.locate(doc, ref.strip())
        real = path.resolve()
        if real in (r for r, _shown in chain):
            names = " → ".join([*(s for _real, s in chain), shown])
            raise _Refused(
                WZ251,
                _("rulebooks extend each other in a cycle: {names}").format(names=names),
                _("a rulebook cannot extend itself, directly or through others"),
            )
        if depth > MAX_EXTENDS_DEPTH:
            raise _Refused(
                WZ252,
                _("the extends chain has more than {n} steps").format(n=MAX_EXTENDS_DEPTH),
                _("extend a rulebook nearer the root of the chain, or merge some"),
            )
        base = load_document(path, name=shown)
        if isinstance(base.data, Mapping) and "extends" in base.data:
            return self.resolve(base, (*chain, (real, shown)), depth + 1)
        if base.data is not None and not isinstance(base.data, Mapping):
            base.issues.append(
                Issue(WZ201, _("a rulebook must be a mapping"), position=base.position(()))
            )
        elif base.data is None and not any(i.severity is Severity.ERROR for i in base.issues):
            raise _Refused(WZ250, _("cannot extend {path}: it is empty").format(path=shown))
        return base
