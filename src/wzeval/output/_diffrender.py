"""A rulebook diff for people and programs: text, Markdown and JSON.

:func:`diff_text` is for a terminal, :func:`diff_markdown` (a summary table and
sections) for a pull-request comment, :func:`diff_json` deterministic JSON
(``wzeval: diff/1``); each takes the score movements too, when findings were given.
They read only the change model of :mod:`wzeval.model._diffmodel`, so they sit in the output
layer with the other renderers.  Text and Markdown speak the user's language (labels,
headings, section names, notes); change kinds, ids and paths stay as they are, and the JSON
is the same in every language.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any, Literal

from wzeval.core._i18n import N_, _, pgettext
from wzeval.model._diffmodel import (
    Change,
    IndicatorMovement,
    Movement,
    RulebookDiff,
    by_section,
    change_counts,
)
from wzeval.model._report import display

__all__ = ["RENDERERS", "diff_json", "diff_markdown", "diff_text"]

# --------------------------------------------------------------------------- renderers

#: The sections of :data:`wzeval.model._diffmodel.SECTIONS` as people read them (the
#: English names are the JSON's keys).
_SECTION_TITLES = {
    "Categories and groups": N_("Categories and groups"),
    "Indicators": N_("Indicators"),
    "Facts": N_("Facts"),
    "Items and rules": N_("Items and rules"),
    "Vetoes and deductions": N_("Vetoes and deductions"),
    "Departments and catalogs": N_("Departments and catalogs"),
}


def _section(name: str) -> str:
    if name == "Rulebook":  # the diff's own word for it (规则集), not a report's (评估规则)
        return pgettext("diff section", "Rulebook")
    return _(_SECTION_TITLES[name]) if name in _SECTION_TITLES else name


def _shown(i: IndicatorMovement, side: Literal["old", "new"]) -> str:
    """:meth:`IndicatorMovement.shown` in the user's language."""
    text = i.shown(side)
    return _("not assessed") if text == "not assessed" else text


_BRIEF_KEYS = ("name", "title", "weight", "share", "type", "when", "count", "each", "cap", "credit")


def _short(value: Any, limit: int = 80) -> str:
    """A value on one line: scalars as they are, a part by its telling fields, long text cut."""
    if value is None:
        return "–"
    if isinstance(value, Mapping) and any(k in value for k in _BRIEF_KEYS):
        text = ", ".join(f"{k} {value[k]}" for k in _BRIEF_KEYS if isinstance(value.get(k), str))
    else:
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _pair(old: Any, new: Any, limit: int = 80, context: int = 12) -> tuple[str, str]:
    """Old and new on one line each; two long texts are cut to where they differ."""
    if not (isinstance(old, str) and isinstance(new, str)) or max(len(old), len(new)) <= limit:
        return _short(old, limit), _short(new, limit)
    a, b = " ".join(old.split()), " ".join(new.split())
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    lo = max(0, start - context)

    def cut(text: str) -> str:
        hi = len(text) - max(0, end - context)
        return ("…" if lo else "") + text[lo:hi] + ("…" if hi < len(text) else "")

    return _short(cut(a), limit), _short(cut(b), limit)


def _label(d: RulebookDiff, change: Change) -> str:
    """``动态要闻 (dongtai_yaowen) › items › reply`` for people."""
    parts = [str(p) for p in change.path]
    if len(parts) >= 2 and f"{parts[0]}.{parts[1]}" in d.names:
        head = _("{name} ({id})").format(name=d.names[parts[0] + "." + parts[1]], id=parts[1])
        return " › ".join([head, *parts[2:]])
    return " › ".join(parts) or _("rulebook")


def _sign(value: Fraction) -> str:
    text = display(value)
    return f"+{text}" if value > 0 else text


def diff_text(d: RulebookDiff, movements: Sequence[Movement] = ()) -> str:
    """The diff for a terminal: one line per change, ``+`` added, ``-`` removed, ``~`` changed."""
    summary = change_counts(d)
    lines = [
        _("{old} → {new}: {changes} change(s), {affect} affect scores").format(
            old=d.old_id,
            new=d.new_id,
            changes=summary["changes"],
            affect=summary["affect_scores"],
        )
    ]
    for name, group in by_section(d):
        lines.append("")
        lines.append(_("{section}:").format(section=_section(name)))
        for c in group:
            mark = {"added": "+", "removed": "-"}.get(c.what, "~")
            score = "  " + _("[score]") if c.affects_scores else ""
            if c.what in ("added", "removed"):
                value = c.new if c.what == "added" else c.old
                detail = _short(value)
            else:
                old, new = _pair(c.old, c.new)
                detail = f"{old} → {new}"
            said = _("{where}  {kind}: {detail}").format(
                where=_label(d, c), kind=c.kind, detail=detail
            )
            lines.append(f"  {mark} {said}{score}")
    if movements:
        lines.append("")
        lines.append(_("Score movements:"))
        for m in movements:
            note = _partial_note(m)
            moved = _("{name} ({id}): {old} → {new} ({delta})")
            lines.append(
                "  "
                + moved.format(
                    name=m.department,
                    id=m.findings,
                    old=display(m.old_total),
                    new=display(m.new_total),
                    delta=_sign(m.delta),
                )
                + note
            )
            for i in m.indicators:
                lines.append(
                    "      "
                    + moved.format(
                        name=i.name,
                        id=i.id,
                        old=_shown(i, "old"),
                        new=_shown(i, "new"),
                        delta=_sign(i.delta),
                    )
                )
    return "\n".join(lines) + "\n"


def _partial_note(m: Movement) -> str:
    notes = []
    if m.new_partial:
        if m.not_assessed:
            notes.append(
                _(
                    "scored partially under the new rulebook; not assessed for lack of facts: "
                    "{names}"
                ).format(names=", ".join(m.not_assessed))
            )
        else:
            notes.append(_("scored partially under the new rulebook"))
    if m.old_partial:
        notes.append(_("scored partially under the old rulebook"))
    if m.dropped:
        notes.append(
            _("left out (unknown to the new rulebook): {names}").format(names=", ".join(m.dropped))
        )
    return " — " + _("; ").join(notes) if notes else ""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


_SUMMARY_COLUMNS = (N_("part"), N_("added"), N_("removed"), N_("changed"), N_("can move scores"))
_CHANGE_COLUMNS = (N_("where"), N_("change"), N_("old"), N_("new"), N_("scores"))
_MOVEMENT_COLUMNS = (
    N_("department"),
    N_("findings"),
    N_("old total"),
    N_("new total"),
    N_("change"),
    N_("indicators that moved"),
)


def _row(columns: Sequence[str]) -> str:
    """A Markdown table's header row, its columns in the user's language."""
    return "| " + " | ".join(_(c) for c in columns) + " |"


def diff_markdown(d: RulebookDiff, movements: Sequence[Movement] = ()) -> str:
    """The diff for a pull-request comment: a summary table, then one section per part."""
    summary = change_counts(d)
    title = _("Rulebook diff: {old} → {new}").format(old=f"`{d.old_id}`", new=f"`{d.new_id}`")
    out = [f"## {title}", ""]
    if not d.changes:
        out.append(_("No changes."))
    else:
        counts = _("{changes} change(s), {affect} can move scores.").format(
            changes=summary["changes"], affect=summary["affect_scores"]
        )
        out += [f"**{counts}**", "", _row(_SUMMARY_COLUMNS), "|---|---:|---:|---:|---:|"]
        for name, row in summary["sections"].items():
            out.append(
                f"| {_section(name)} | {row['added']} | {row['removed']} | {row['changed']} "
                f"| {row['affect_scores']} |"
            )
        for name, group in by_section(d):
            out += ["", f"### {_section(name)}", "", _row(_CHANGE_COLUMNS), "|---|---|---|---|:-:|"]
            for c in group:
                old, new = _pair(c.old, c.new)
                scores = _("yes") if c.affects_scores else ""
                out.append(
                    f"| {_cell(_label(d, c))} | `{c.kind}` | {_cell(old)} "
                    f"| {_cell(new)} | {scores} |"
                )
    if movements:
        out += [
            "",
            "### " + _("Score movements"),
            "",
            _row(_MOVEMENT_COLUMNS),
            "|---|---|---:|---:|---:|---|",
        ]
        unassessed = _("not assessed")  # outside the f-string, where the extractor finds it
        for m in movements:
            moved = (
                _("; ").join(
                    f"{i.name} {_sign(i.delta) if i.new_assessed else unassessed}"
                    for i in m.indicators
                )
                or "–"
            )
            out.append(
                f"| {_cell(m.department)} | `{_cell(m.findings)}` | {display(m.old_total)} "
                f"| {display(m.new_total)} | {_sign(m.delta)} | {_cell(moved)} |"
            )
        notes = [f"- `{m.findings}`{_partial_note(m)}" for m in movements if _partial_note(m)]
        if notes:
            out += ["", *notes]
    return "\n".join(out) + "\n"


def diff_json(d: RulebookDiff, movements: Sequence[Movement] = ()) -> str:
    """The diff as deterministic JSON (``wzeval: diff/1``), with score movements if given."""
    data = d.to_dict()
    data["movements"] = [m.to_dict() for m in movements]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


#: The renderer of each ``--format`` of ``wzeval diff``.
RENDERERS: dict[str, Callable[[RulebookDiff, Sequence[Movement]], str]] = {
    "text": diff_text,
    "markdown": diff_markdown,
    "json": diff_json,
}
