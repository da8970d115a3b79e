"""Rounds compared: two or more findings sets (quarters, preliminary vs final) side by side.

A round is a set of findings files (a folder, or files named), scored against one
rulebook.  :func:`compare_rounds` pairs each department across consecutive rounds and
gives, per indicator whose points moved, the change and the recorded facts whose values
differ (the facts that caused it).  Over three or more rounds :class:`Comparison` also
holds each department's total per round, the trend table.  Renderers: text, Markdown,
JSON and a self-contained HTML page with an inline SVG chart of the departments' totals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from html import escape
from pathlib import Path

from wzeval.core._codes import WZ432, WZ433
from wzeval.core._i18n import N_, _
from wzeval.core._issues import Issue, Position
from wzeval.model._models import Rulebook
from wzeval.model._report import ScoreReport, display, exact_text

__all__ = [
    "MESSAGES",
    "Comparison",
    "DepartmentStep",
    "FactChange",
    "IndicatorStep",
    "Round",
    "compare_rounds",
    "read_round",
    "render_compare_html",
    "render_compare_json",
    "render_compare_markdown",
    "render_compare_text",
]

#: Every user-facing text of this module, in one place: English msgids, shown with _().
MESSAGES: dict[str, str] = {
    "duplicate": N_("department {department} has two findings in round {round}: {first}, {second}"),
    "duplicate_hint": N_(
        "one findings file per department in each round; merge them first with wzeval merge"
    ),
    "empty": N_("round {round} has no findings that can be scored"),
    "title": N_("Rounds compared: {rounds}"),
    "step": "{old} → {new}",
    "dept": N_("{department}: {old} → {new} ({delta})"),
    "only_in": N_("{department}: findings only in {round}"),
    "indicator": N_("  {name} ({id}): {old} → {new} ({delta})"),
    "fact": N_("    {fact}: {old} → {new} ({at})"),
    "no_fact": N_(
        "    (the recorded facts did not change: a derived value or another indicator did)"
    ),
    "no_change": N_("No department's score changed"),
    "trend": N_("Trend (total)"),
    "department": N_("Department"),
    "absent": "—",
    "chart": N_("Each department's total, round by round"),
}


@dataclass
class Round:
    """One round: its label and each department's report (by roster id)."""

    label: str
    reports: dict[str, ScoreReport]


@dataclass(frozen=True)
class FactChange:
    """A recorded fact whose value differs between two rounds."""

    id: str
    old: object
    new: object
    at: str | None


@dataclass
class IndicatorStep:
    """One indicator's points in two consecutive rounds and the facts that changed."""

    id: str
    name: str
    old: Fraction
    new: Fraction
    facts: list[FactChange] = field(default_factory=list)


@dataclass
class DepartmentStep:
    """One department between two consecutive rounds (``None``: no findings there)."""

    department: str
    department_id: str
    old: Fraction | None
    new: Fraction | None
    indicators: list[IndicatorStep] = field(default_factory=list)


@dataclass
class Comparison:
    """The rounds, the steps between consecutive ones, and the trend per department."""

    rounds: list[Round]
    steps: list[list[DepartmentStep]]
    places: int = 2

    def trend(self) -> list[tuple[str, list[Fraction | None]]]:
        """Each department (first-seen order) with its total in every round."""
        names: dict[str, str] = {}
        for rnd in self.rounds:
            for did, r in rnd.reports.items():
                names.setdefault(did, r.department)
        return [
            (
                name,
                [rnd.reports[did].total if did in rnd.reports else None for rnd in self.rounds],
            )
            for did, name in names.items()
        ]


def read_round(
    paths: Sequence[str | Path], rulebook: Rulebook, *, partial: bool = False
) -> tuple[Round, list[Issue]]:
    """Score one round's findings (folders are expanded); a department met twice is an
    error (WZ432) and only its first file counts."""
    from wzeval.reading._documents import read_document
    from wzeval.reading._loader import iter_files
    from wzeval.scoring._api import score_document

    label = " ".join(str(p) for p in paths)
    issues: list[Issue] = []
    reports: dict[str, ScoreReport] = {}
    files: dict[str, Path] = {}
    for path in iter_files(list(paths)):
        doc = read_document(path)  # YAML, JSON or a findings workbook
        report, found = score_document(doc, rulebook, partial=partial, explained=True)
        issues.extend(found)
        if report is None:
            continue
        did = report.department_id
        if did in reports:
            issues.append(
                Issue(
                    WZ432,
                    _(MESSAGES["duplicate"]).format(
                        department=report.department,
                        round=label,
                        first=files[did],
                        second=path,
                    ),
                    ("department",),
                    doc.position(("department",)),
                    hint=_(MESSAGES["duplicate_hint"]),
                )
            )
            continue
        reports[did] = report
        files[did] = path
    if not reports:
        issues.append(Issue(WZ433, _(MESSAGES["empty"]).format(round=label), (), Position(label)))
    return Round(label, reports), issues


def _fact_changes(old: ScoreReport, new: ScoreReport, indicator: str) -> list[FactChange]:
    before = {f.id: f for f in old.indicator(indicator).facts if not f.derived}
    after = {f.id: f for f in new.indicator(indicator).facts if not f.derived}
    out = []
    for fid in [*before, *(k for k in after if k not in before)]:
        a, b = before.get(fid), after.get(fid)
        va = a.value if a else None
        vb = b.value if b else None
        if va != vb:
            held = b if b is not None else a
            out.append(FactChange(fid, va, vb, held.at if held is not None else None))
    return out


def _step(old: Round, new: Round) -> list[DepartmentStep]:
    out = []
    ids = [*old.reports, *(k for k in new.reports if k not in old.reports)]
    for did in ids:
        a, b = old.reports.get(did), new.reports.get(did)
        held = a if a is not None else b
        name = held.department if held is not None else did
        step = DepartmentStep(name, did, a.total if a else None, b.total if b else None)
        if a is not None and b is not None:
            for ia in a.indicators:
                ib = b.indicator(ia.id)
                facts = _fact_changes(a, b, ia.id)
                if ia.points != ib.points or facts:
                    step.indicators.append(
                        IndicatorStep(ia.id, ia.name, ia.points, ib.points, facts)
                    )
        out.append(step)
    return out


def compare_rounds(rounds: Sequence[Round]) -> Comparison:
    """Compare consecutive rounds (at least two)."""
    if len(rounds) < 2:
        raise ValueError(_("compare needs at least two rounds"))
    places = next((r.places for rnd in rounds for r in rnd.reports.values()), 2)
    steps = [_step(rounds[n], rounds[n + 1]) for n in range(len(rounds) - 1)]
    return Comparison(list(rounds), steps, places)


# --------------------------------------------------------------------------- rendering


def _signed(value: Fraction, places: int) -> str:
    return ("+" if value > 0 else "") + display(value, places)


def _fig(value: Fraction | None, places: int) -> str:
    return MESSAGES["absent"] if value is None else display(value, places)


def _value(value: object) -> str:
    from wzeval.analysis._merge import _flow

    return MESSAGES["absent"] if value is None else _flow(value)


def _lines(c: Comparison) -> list[str]:
    from wzeval.output._render import display_width

    p = c.places
    lines: list[str] = []
    for n, steps in enumerate(c.steps):
        old, new = c.rounds[n], c.rounds[n + 1]
        head = MESSAGES["step"].format(old=old.label, new=new.label)
        lines += ["", head, "-" * display_width(head)]
        moved = False
        for s in steps:
            if s.old is None or s.new is None:
                present = new if s.old is None else old
                lines.append(
                    _(MESSAGES["only_in"]).format(department=s.department, round=present.label)
                )
                moved = True
                continue
            if s.old == s.new and not s.indicators:
                continue
            moved = True
            lines.append(
                _(MESSAGES["dept"]).format(
                    department=s.department,
                    old=_fig(s.old, p),
                    new=_fig(s.new, p),
                    delta=_signed(s.new - s.old, p),
                )
            )
            for i in s.indicators:
                lines.append(
                    _(MESSAGES["indicator"]).format(
                        name=i.name,
                        id=i.id,
                        old=display(i.old, p),
                        new=display(i.new, p),
                        delta=_signed(i.new - i.old, p),
                    )
                )
                for f in i.facts:
                    lines.append(
                        _(MESSAGES["fact"]).format(
                            fact=f.id, old=_value(f.old), new=_value(f.new), at=f.at or ""
                        )
                    )
                if not i.facts:
                    lines.append(_(MESSAGES["no_fact"]))
        if not moved:
            lines.append(_(MESSAGES["no_change"]))
    return lines


def render_compare_text(c: Comparison) -> str:
    from wzeval.output._render import format_table

    title = _(MESSAGES["title"]).format(rounds=" / ".join(r.label for r in c.rounds))
    text = title + "\n" + "\n".join(_lines(c)) + "\n"
    if len(c.rounds) >= 3:
        header = [_(MESSAGES["department"]), *(r.label for r in c.rounds)]
        rows = [[name, *(_fig(t, c.places) for t in totals)] for name, totals in c.trend()]
        text += (
            "\n"
            + _(MESSAGES["trend"])
            + "\n"
            + format_table(header, rows, right=set(range(1, len(header))))
        )
    return text


def render_compare_markdown(c: Comparison) -> str:
    title = _(MESSAGES["title"]).format(rounds=" / ".join(r.label for r in c.rounds))
    out = [f"# {title}"]
    # a department's line says its change in brackets; a step's head does not
    bracket = "（" if "（" in _(MESSAGES["dept"]) else "("
    for line in _lines(c):
        if not line or set(line) == {"-"}:
            continue
        if "→" in line and not line.startswith(" ") and bracket not in line:
            out += ["", f"## {line}", ""]
        else:
            depth = (len(line) - len(line.lstrip(" "))) // 2
            out.append("  " * depth + "- " + line.strip())
    if len(c.rounds) >= 3:
        header = [_(MESSAGES["department"]), *(r.label for r in c.rounds)]
        out += ["", "## " + _(MESSAGES["trend"]), ""]
        out.append("| " + " | ".join(header) + " |")
        out.append("|---|" + "--:|" * (len(header) - 1))
        for name, totals in c.trend():
            out.append("| " + " | ".join([name, *(_fig(t, c.places) for t in totals)]) + " |")
    return "\n".join(out) + "\n"


def compare_data(c: Comparison) -> dict[str, object]:
    """The comparison as JSON-ready data (``compare/1``); figures exact."""

    def fig(v: Fraction | None) -> str | None:
        return None if v is None else exact_text(v)

    return {
        "wzeval": "compare/1",
        "rounds": [r.label for r in c.rounds],
        "steps": [
            {
                "from": c.rounds[n].label,
                "to": c.rounds[n + 1].label,
                "departments": [
                    {
                        "department": s.department,
                        "department_id": s.department_id,
                        "old": fig(s.old),
                        "new": fig(s.new),
                        "change": fig(s.new - s.old)
                        if s.old is not None and s.new is not None
                        else None,
                        "indicators": [
                            {
                                "id": i.id,
                                "name": i.name,
                                "old": fig(i.old),
                                "new": fig(i.new),
                                "change": fig(i.new - i.old),
                                "facts": [
                                    {
                                        "id": f.id,
                                        "old": _json_value(f.old),
                                        "new": _json_value(f.new),
                                        "at": f.at,
                                    }
                                    for f in i.facts
                                ],
                            }
                            for i in s.indicators
                        ],
                    }
                    for s in steps
                ],
            }
            for n, steps in enumerate(c.steps)
        ],
        "trend": [
            {"department": name, "totals": [fig(t) for t in totals]} for name, totals in c.trend()
        ],
    }


def _json_value(value: object) -> object:
    import json

    try:
        json.dumps(value)
    except TypeError:
        return str(value)
    return value


def render_compare_json(c: Comparison) -> str:
    from wzeval.reading._loader import dumps_json

    return dumps_json(compare_data(c))


def _svg(c: Comparison) -> str:
    """A line per department: its total in each round (inline SVG, no script)."""
    trend = c.trend()
    values = [float(t) for _unused, ts in trend for t in ts if t is not None]
    if not values:
        return ""
    lo, hi = min(values), max(values)
    span = (hi - lo) or 1.0
    width, height, left, right, top, bottom = 640, 320, 40, 160, 20, 40
    n = len(c.rounds)

    def x(k: int) -> float:
        return left + (width - left - right) * (k / (n - 1 if n > 1 else 1))

    def y(v: float) -> float:
        return top + (height - top - bottom) * (1 - (v - lo) / span)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(_(MESSAGES["chart"]))}">'
    ]
    for k, rnd in enumerate(c.rounds):
        parts.append(
            f'<text x="{x(k):.1f}" y="{height - 10}" font-size="11" text-anchor="middle">'
            f"{escape(Path(rnd.label).name or rnd.label)}</text>"
        )
    for m, (name, totals) in enumerate(trend):
        hue = (m * 137) % 360
        pts = [(x(k), y(float(t))) for k, t in enumerate(totals) if t is not None]
        if len(pts) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in pts)
            parts.append(
                f'<polyline fill="none" stroke="hsl({hue},60%,40%)" stroke-width="2" '
                f'points="{path}"/>'
            )
        for px, py in pts:
            parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="hsl({hue},60%,40%)"/>')
        if pts:
            px, py = pts[-1]
            parts.append(
                f'<text x="{px + 6:.1f}" y="{py + 4:.1f}" font-size="11" '
                f'fill="hsl({hue},60%,30%)">{escape(name)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def render_compare_html(c: Comparison) -> str:
    """One self-contained page: the chart, the changes and the trend table."""
    title = _(MESSAGES["title"]).format(rounds=" / ".join(r.label for r in c.rounds))
    body = [f"<h1>{escape(title)}</h1>", "<h2>" + escape(_(MESSAGES["chart"])) + "</h2>", _svg(c)]
    body.append("<pre>" + escape("\n".join(_lines(c)).strip("\n")) + "</pre>")
    header = [_(MESSAGES["department"]), *(r.label for r in c.rounds)]
    rows = "".join(
        "<tr><th>"
        + escape(name)
        + "</th>"
        + "".join(f"<td>{escape(_fig(t, c.places))}</td>" for t in totals)
        + "</tr>"
        for name, totals in c.trend()
    )
    body.append(
        "<h2>"
        + escape(_(MESSAGES["trend"]))
        + "</h2><table><tr>"
        + "".join(f"<th>{escape(h)}</th>" for h in header)
        + f"</tr>{rows}</table>"
    )
    style = (
        "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:2px 8px}td{text-align:right}"
    )
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{style}</style></head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
