"""``wzeval explain``: why one indicator earned what it earned, as plain text.

A pure function from a :class:`~wzeval.model._report.ScoreReport` to ``str``, in the
user's language (labels through the catalogue), with the same figures as the score
sheet (:func:`wzeval.model._report.display` with the report's ``places``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from wzeval.core._i18n import N_, _, ngettext
from wzeval.core._paths import shown
from wzeval.model._report import (
    DeductionResult,
    IndicatorResult,
    ScoreReport,
    VetoResult,
    display,
    share_text,
)
from wzeval.output._questions import named_facts, swap_ids
from wzeval.output._render import indicator_status, rule_name

__all__ = ["render_explain"]

_WEIGHT_SOURCES = {
    "stated": N_("stated in the original table"),
    "derived": N_("derived from the total"),
    "assumed": N_("not stated in the original table, assumed"),
}


def _label(ident: str, label: str | None) -> str:
    return label or ident


def _value(value: object) -> str:
    """A recorded value as the evaluator wrote it (``true``, ``2023-10-07``, ``[0.8, 0.6]``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_value(v)}" for k, v in value.items()) + "}"
    return str(value)


def _at(at: str | None) -> str:
    """`` (file:line)`` after an explain line, or nothing."""
    return _(" ({place})").format(place=shown(at)) if at else ""


def _source_ruling(source: str | None, ruling: str | None, indent: str) -> list[str]:
    lines = []
    if source:
        lines.append(indent + _("Source: {text}").format(text=source))
    if ruling:
        lines.append(indent + _("Ruling: {text}").format(text=ruling))
    return lines


def _explain_vetoes(vetoes: Sequence[VetoResult], indent: str) -> list[str]:
    lines = []
    for v in vetoes:
        state = _("fired") if v.fired else _("not fired")
        lines.append(
            indent
            + _("{label}: {state}").format(label=_label(v.id, v.label), state=state)
            + _at(v.at)
        )
        lines += _source_ruling(v.source, v.ruling, indent + "  ")
    return lines


def _explain_deductions(deds: Sequence[DeductionResult], indent: str, places: int) -> list[str]:
    lines = []
    for d in deds:
        cap = (
            _("no cap")
            if d.cap is None
            else _("cap {share}").format(share=share_text(d.cap, places))
        )
        if d.capped:
            cap = _("{cap}, cap reached").format(cap=cap)
        line = _("{label}: {count} × {each} ({cap}) = {amount}, {points} points off").format(
            label=_label(d.id, d.label),
            count=d.count,
            each=share_text(d.each, places),
            cap=cap,
            amount=share_text(d.amount, places),
            points=display(d.points, places),
        )
        lines.append(indent + line + _at(d.at))
        lines += _source_ruling(d.source, d.ruling, indent + "  ")
    return lines


def _explain_items(r: IndicatorResult, places: int, asks: Mapping[str, str]) -> list[str]:
    """:func:`render_explain`'s items: share, rule, credit, reason, source, ruling, place."""

    def fig(value: Fraction) -> str:
        return display(value, places)

    out: list[str] = []
    for n, it in enumerate(r.items, 1):
        rule = _("{rule} ({name})").format(rule=it.rule, name=rule_name(it.rule))
        title = _label(it.id, it.title)
        share = share_text(it.share, places)
        out.append(
            "  "
            + _("{n}. {title}: share {share}, rule {rule}").format(
                n=n, title=title, share=share, rule=rule
            )
        )
        credit = share_text(it.credit, places) if it.assessed else _("not assessed")
        out.append(
            "     "
            + _("credit {credit}, {points} / {possible} points").format(
                credit=credit, points=fig(it.points), possible=fig(it.max_points)
            )
        )
        reason = swap_ids(it.reason, r.missing, asks)
        out.append("     " + _("Explanation: {text}").format(text=reason))
        out += _source_ruling(it.source, it.ruling, "     ")
        if it.at:
            out.append("     " + _("Place: {place}").format(place=shown(it.at)))
        if it.vetoes:
            out.append("     " + _("Vetoes of this item:"))
            out += _explain_vetoes(it.vetoes, "       ")
        if it.deductions:
            out.append("     " + _("Deductions of this item:"))
            out += _explain_deductions(it.deductions, "       ", places)
    return out


def _explain_facts(r: IndicatorResult, asks: Mapping[str, str]) -> list[str]:
    """:func:`render_explain`'s facts: those recorded (value, question, evidence, note,
    ``file:line:col``), then those derived by the rules."""
    out: list[str] = []
    recorded = [f for f in r.facts if not f.derived]
    derived = [f for f in r.facts if f.derived]
    if recorded:
        out += ["", _("Facts read (from the findings):")]
        for fact in recorded:
            ask = asks.get(fact.id)
            out.append(
                f"  {fact.id} = {_value(fact.value)}" + (f" — {ask}" if ask else "") + _at(fact.at)
            )
            if fact.evidence:
                evidence = _("; ").join(fact.evidence)
                out.append("    " + _("Evidence: {text}").format(text=evidence))
            if fact.note:
                out.append("    " + _("Note: {text}").format(text=fact.note))
    if derived:
        out += ["", _("Derived facts (computed by the rules):")]
        for fact in derived:
            ask = asks.get(fact.id)
            out.append(f"  {fact.id} = {_value(fact.value)}" + (f" — {ask}" if ask else ""))
    return out


def render_explain(
    report: ScoreReport, indicator: str, *, asks: Mapping[str, str] | None = None
) -> str:
    """Why one indicator (id or Chinese name) earned what it earned, rule by rule.

    Applicability, each item (share, rule, credit, reason, source wording, ruling and
    rulebook ``file:line``), vetoes, deductions, the facts read with their evidence and
    ``file:line:col``, derived facts, and the final points.  ``asks`` maps fact ids to
    the rulebook's questions so each fact is shown with what was asked; the report
    itself does not carry them.  Raises :class:`KeyError` for an unknown indicator.
    """
    r = report.indicator(indicator)
    places = report.places
    asks = asks or {}

    def fig(value: Fraction) -> str:
        return display(value, places)

    where = " / ".join(p for p in (r.category, r.group) if p)
    source = _WEIGHT_SOURCES.get(r.weight_source)
    out = [
        _("{name} ({id}) — {where}").format(name=r.name, id=r.id, where=where),
        _("Department: {department}  Monitoring date: {date}").format(
            department=report.department, date=report.monitoring_date.isoformat()
        ),
        _("Weight: {weight} ({source})").format(
            weight=fig(r.weight), source=_(source) if source else r.weight_source
        )
        + ("  " + _("Rule at: {place}").format(place=shown(r.at)) if r.at else ""),
        "",
        _("Applicability: applicable")
        if r.applicable
        else _("Applicability: not applicable (not counted in the base; the base is rescaled)"),
    ]
    if r.applies_note:
        out.append("  " + _("Explanation: {text}").format(text=r.applies_note))
    if r.items:
        out += ["", _("Items (points = weight × credit):")]
        out += _explain_items(r, places, asks)
    if r.vetoes:
        out += ["", _("Vetoes (indicator level):")]
        out += _explain_vetoes(r.vetoes, "  ")
    if r.deductions:
        out += ["", _("Deductions (indicator level):")]
        out += _explain_deductions(r.deductions, "  ", places)
    out += _explain_facts(r, asks)
    if r.missing:
        facts = named_facts(r.missing, asks)
        out += ["", _("Facts not recorded: {facts}").format(facts=facts)]
    out += ["", *_explain_result(report, r, asks)]
    return "\n".join(out) + "\n"


def _explain_result(report: ScoreReport, r: IndicatorResult, asks: Mapping[str, str]) -> list[str]:
    """:func:`render_explain`'s end: the points, why points were lost, and the other
    indicators of a file not fully recorded yet."""
    places = report.places
    status = indicator_status(r)
    out = [
        _("Result: {points} / {possible} points").format(
            points=display(r.points, places), possible=display(r.max_points, places)
        )
        + (_(" ({status})").format(status=status) if status else "")
    ]
    if r.reasons:
        out.append(_("Why points were lost:"))
        out += [f"  - {swap_ids(reason, r.missing, asks)}" for reason in r.reasons]
    others = sorted({n.name for n in report.not_assessed if n.indicator != r.id})
    if others:  # a file filled over days: say why the sheet is not complete yet
        note = ngettext(
            "Note: {n} other indicator of this file is not fully recorded yet "
            "(not assessed: {names}); this does not affect this indicator's explanation.",
            "Note: {n} other indicators of this file are not fully recorded yet "
            "(not assessed: {names}); this does not affect this indicator's explanation.",
            len(others),
        )
        out += ["", note.format(n=len(others), names=_(", ").join(others))]
    return out
