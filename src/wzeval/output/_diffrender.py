"""A rulebook diff for people and programs: text, Markdown and JSON.

:func:`diff_text` is for a terminal, :func:`diff_markdown` (a summary table and
sections) for a pull-request comment, :func:`diff_json` deterministic JSON
(``wzeval: diff/1``); each takes the score movements too, when findings were given.
They read only the change model of :mod:`wzeval.model._diffmodel`, so they sit in the output
layer with the other renderers.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any

from wzeval.model._diffmodel import Change, Movement, RulebookDiff, by_section, change_counts
from wzeval.model._report import display

__all__ = ["RENDERERS", "diff_json", "diff_markdown", "diff_text"]

# --------------------------------------------------------------------------- renderers

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
        head = f"{d.names[parts[0] + '.' + parts[1]]} ({parts[1]})"
        return " › ".join([head, *parts[2:]])
    return " › ".join(parts) or "rulebook"


def _sign(value: Fraction) -> str:
    text = display(value)
    return f"+{text}" if value > 0 else text


def diff_text(d: RulebookDiff, movements: Sequence[Movement] = ()) -> str:
    """The diff for a terminal: one line per change, ``+`` added, ``-`` removed, ``~`` changed."""
    summary = change_counts(d)
    lines = [
        f"{d.old_id} → {d.new_id}: {summary['changes']} change(s), "
        f"{summary['affect_scores']} affect scores"
    ]
    for name, group in by_section(d):
        lines.append("")
        lines.append(f"{name}:")
        for c in group:
            mark = {"added": "+", "removed": "-"}.get(c.what, "~")
            score = "  [score]" if c.affects_scores else ""
            if c.what in ("added", "removed"):
                value = c.new if c.what == "added" else c.old
                detail = _short(value)
            else:
                old, new = _pair(c.old, c.new)
                detail = f"{old} → {new}"
            lines.append(f"  {mark} {_label(d, c)}  {c.kind}: {detail}{score}")
    if movements:
        lines.append("")
        lines.append("Score movements:")
        for m in movements:
            note = _partial_note(m)
            lines.append(
                f"  {m.department} ({m.findings}): {display(m.old_total)} → "
                f"{display(m.new_total)} ({_sign(m.delta)}){note}"
            )
            for i in m.indicators:
                lines.append(
                    f"      {i.name} ({i.id}): {i.shown('old')} → {i.shown('new')} "
                    f"({_sign(i.delta)})"
                )
    return "\n".join(lines) + "\n"


def _partial_note(m: Movement) -> str:
    notes = []
    if m.new_partial:
        notes.append(
            "scored partially under the new rulebook"
            + (
                f"; not assessed for lack of facts: {', '.join(m.not_assessed)}"
                if m.not_assessed
                else ""
            )
        )
    if m.old_partial:
        notes.append("scored partially under the old rulebook")
    if m.dropped:
        notes.append(f"left out (unknown to the new rulebook): {', '.join(m.dropped)}")
    return f" — {'; '.join(notes)}" if notes else ""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def diff_markdown(d: RulebookDiff, movements: Sequence[Movement] = ()) -> str:
    """The diff for a pull-request comment: a summary table, then one section per part."""
    summary = change_counts(d)
    out = [f"## Rulebook diff: `{d.old_id}` → `{d.new_id}`", ""]
    if not d.changes:
        out.append("No changes.")
    else:
        out.append(
            f"**{summary['changes']} change(s), {summary['affect_scores']} can move scores.**"
        )
        out += [
            "",
            "| part | added | removed | changed | can move scores |",
            "|---|---:|---:|---:|---:|",
        ]
        for name, row in summary["sections"].items():
            out.append(
                f"| {name} | {row['added']} | {row['removed']} | {row['changed']} "
                f"| {row['affect_scores']} |"
            )
        for name, group in by_section(d):
            out += [
                "",
                f"### {name}",
                "",
                "| where | change | old | new | scores |",
                "|---|---|---|---|:-:|",
            ]
            for c in group:
                old, new = _pair(c.old, c.new)
                out.append(
                    f"| {_cell(_label(d, c))} | `{c.kind}` | {_cell(old)} "
                    f"| {_cell(new)} | {'yes' if c.affects_scores else ''} |"
                )
    if movements:
        out += [
            "",
            "### Score movements",
            "",
            "| department | findings | old total | new total | change | indicators that moved |",
            "|---|---|---:|---:|---:|---|",
        ]
        for m in movements:
            moved = (
                "; ".join(
                    f"{i.name} {_sign(i.delta) if i.new_assessed else 'not assessed'}"
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
