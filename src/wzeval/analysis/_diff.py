"""What changed between two rulebooks, and how the change moves scores.

:func:`diff` compares two checked rulebooks by id, not by text: an indicator
that moved to another category is one ``indicator.moved`` change, not a
removal and an addition; re-indenting a file is no change at all.  Each
:class:`Change` has

* ``kind`` — ``<entity>.<what>``: the entity is ``rulebook``, ``category``,
  ``group``, ``indicator``, ``fact``, ``derived``, ``item``, ``tier``,
  ``levels``, ``level``, ``bands``, ``band``, ``proportion``,
  ``checklist_entry``, ``given``, ``veto``, ``deduction``, ``department``,
  ``catalog`` or ``catalog_entry``; *what* is ``added``, ``removed``,
  ``renamed`` (a new ``name``), ``retyped`` (a fact's new ``type``), ``moved``
  (another category, group or place in the table) or the name of the field
  that changed (``weight``, ``share``, ``credit``, ``when`` …);
* ``path`` — ids from the top, shaped like the ``extends:`` syntax:
  ``("indicators", "dongtai_yaowen", "items", "reply", "tiers", 0)``;
* ``old`` / ``new`` — JSON-ready values (amounts as ``"50%"``, decimals as text,
  a whole added or removed part as a mapping);
* ``affects_scores`` — whether the change can move a score.  Weights, shares,
  credits, conditions, counts, caps, applicability, catalogs and arithmetic do;
  names, wording, ``source``/``ruling``/``note``/``ask``/``label``, weight
  provenance, groups, order and departments do not.

``diff(a, a)`` is empty.  :func:`diff_text`, :func:`diff_markdown` (a summary
table and sections, for a pull-request comment) and :func:`diff_json` render a
:class:`RulebookDiff`.  :func:`score_movements` scores findings under both
rulebooks and reports what moved; :func:`diff_files` is the whole
``wzeval diff`` command as a function.

This module is the one to import (every name above is here); the change model and
its walk live in :mod:`wzeval.model._diffmodel` and the renderers in
:mod:`wzeval.output._diffrender`, so that each can be read, and placed in its layer, alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from wzeval.checking._findings import check_findings
from wzeval.core._codes import WZ401, WZ404, WZ410
from wzeval.core._errors import ValidationFailed
from wzeval.core._i18n import _
from wzeval.core._issues import Issue, Severity
from wzeval.model._diffmodel import (
    FIELDS,
    Change,
    DiffFormat,
    IndicatorMovement,
    Movement,
    RulebookDiff,
    diff,
)
from wzeval.model._models import Rulebook
from wzeval.model._report import ScoreReport
from wzeval.output._diffrender import RENDERERS, diff_json, diff_markdown, diff_text
from wzeval.reading._loader import load_document
from wzeval.reading._yamlcore import Document
from wzeval.scoring._api import compiled, read_rulebook
from wzeval.scoring._engine import evaluate_compiled

__all__ = [
    "FIELDS",
    "Change",
    "DiffFormat",
    "IndicatorMovement",
    "Movement",
    "RulebookDiff",
    "diff",
    "diff_files",
    "diff_json",
    "diff_markdown",
    "diff_text",
    "score_movements",
]

# --------------------------------------------------------------------------- score movements

# Findings problems that scoring with partial=True resolves: facts missing, items unassessable.
_PARTIAL_CODES = frozenset({WZ404, WZ410})


def _errors(issues: Iterable[Issue]) -> list[Issue]:
    return [i for i in issues if i.severity is Severity.ERROR]


def _findings_document(path: str | Path) -> Document:
    """A findings file loaded once, to be scored under both rulebooks."""
    doc = load_document(path)
    if isinstance(doc.data, Mapping):
        return doc
    issues = list(doc.issues)
    if doc.data is not None:
        issues.append(
            Issue(WZ401, _("a findings document must be a mapping"), position=doc.position(()))
        )
    raise ValidationFailed(issues, what=_("findings {path}").format(path=path))


def _score_under(rulebook: Rulebook, doc: Document) -> tuple[ScoreReport, bool, list[str]]:
    """Score a findings document under a rulebook it may not have been written for.

    The findings' ``rulebook:`` is taken to be this rulebook; indicators and facts
    it does not declare are left out (and listed); when facts it needs are missing
    the findings are scored with ``partial=True``.
    """
    assert isinstance(doc.data, Mapping)
    path = doc.file
    crb = compiled(rulebook)
    data = dict(doc.data)
    data["rulebook"] = rulebook.id
    dropped: list[str] = []
    raw = data.get("indicators")
    if isinstance(raw, Mapping):
        names = {c.indicator.name: c.indicator.id for c in crb.indicators}
        kept: dict[str, Any] = {}
        for key, facts in raw.items():
            ident = key if key in crb.by_id else names.get(key)
            if ident is None:
                dropped.append(str(key))
                continue
            declared = {f.id for f in crb.by_id[ident].indicator.facts}
            if isinstance(facts, Mapping):
                dropped.extend(f"{key}.{f}" for f in facts if f not in declared)
                facts = {f: v for f, v in facts.items() if f in declared}
            kept[key] = facts
        data["indicators"] = kept
    prepared = Document(doc.file, data, root=doc.root, issues=list(doc.issues), text=doc.text)
    for partial in (False, True):
        findings, issues = check_findings(prepared, crb, partial=partial)
        errors = _errors(issues)
        if findings is not None and not errors:
            try:
                report = evaluate_compiled(crb, findings, partial=partial, explained=True)
                return report, partial, dropped
            except ValidationFailed as exc:
                errors = _errors(exc.issues)
        if partial or not errors or any(e.code not in _PARTIAL_CODES for e in errors):
            what = _("findings {path} under {rulebook}").format(path=path, rulebook=rulebook.id)
            raise ValidationFailed(errors or issues, what=what)
    raise AssertionError("unreachable")  # pragma: no cover


def score_movements(
    old: Rulebook, new: Rulebook, findings_paths: Sequence[str | Path]
) -> list[Movement]:
    """Score each findings file under both rulebooks and report what moved.

    Findings written for the old rulebook may lack facts the new one needs: they
    are then scored with ``partial=True`` and the movement says so.  Raises
    :class:`ValidationFailed` when a findings file cannot be scored at all.
    """
    out: list[Movement] = []
    for path in findings_paths:
        doc = _findings_document(path)
        before, old_partial, _ = _score_under(old, doc)
        after, new_partial, dropped = _score_under(new, doc)
        old_pts = {r.id: r for r in before.indicators}
        new_pts = {r.id: r for r in after.indicators}
        moved: list[IndicatorMovement] = []
        order = [*new_pts, *(i for i in old_pts if i not in new_pts)]
        for ident in order:
            a, b = old_pts.get(ident), new_pts.get(ident)
            shown = b or a
            name = shown.name if shown is not None else ident
            mv = IndicatorMovement(
                ident,
                name,
                a.points if a else None,
                b.points if b else None,
                a.assessed if a else True,
                b.assessed if b else True,
            )
            if mv.delta:
                moved.append(mv)
        lacking = [
            r.id
            for r in after.indicators
            if not r.assessed and (r.id not in old_pts or old_pts[r.id].assessed)
        ]
        out.append(
            Movement(
                findings=str(path),
                department=after.department,
                old_total=before.total,
                new_total=after.total,
                indicators=tuple(moved),
                old_partial=old_partial,
                new_partial=new_partial,
                not_assessed=tuple(lacking),
                dropped=tuple(dropped),
            )
        )
    return out


# --------------------------------------------------------------------------- the command


def diff_files(
    old: str | Path,
    new: str | Path,
    *,
    findings: Sequence[str | Path] = (),
    fmt: DiffFormat = "text",
) -> tuple[str | None, bool, list[Issue]]:
    """``wzeval diff OLD NEW [--findings …] [--format …]`` as a function.

    Returns the rendered diff (``None`` when a rulebook or findings file could not
    be used), whether anything can move scores (a score-affecting change, or a
    findings total or indicator that moved), and every issue met on the way.
    The command exits 0 when the text is made, with the exit code the issues
    deserve otherwise (1 invalid, 2 unreadable), and 1 under
    ``--fail-on-score-change`` when something can move scores.
    """
    rulebooks: list[Rulebook] = []
    issues: list[Issue] = []
    for path in (old, new):
        rb, found = read_rulebook(path)
        issues.extend(found)
        if rb is not None:
            rulebooks.append(rb)
    if len(rulebooks) < 2:
        return None, False, issues
    d = diff(rulebooks[0], rulebooks[1])
    try:
        movements = score_movements(rulebooks[0], rulebooks[1], findings)
    except ValidationFailed as exc:
        return None, False, [*issues, *exc.issues]
    moved = d.affects_scores or any(m.delta or m.indicators for m in movements)
    return RENDERERS[fmt](d, movements), moved, issues
