"""Score reports as one self-contained HTML page: opens offline, prints, reads on a phone.

Pure functions from :class:`~wzeval.report.ScoreReport` to ``str``.  The page
carries everything it needs: CSS and a few lines of JavaScript inline, charts
as inline SVG drawn here in Python, fonts from the reader's own system (a CJK
stack: PingFang SC, Noto Sans CJK SC, Microsoft YaHei, WenQuanYi Micro Hei).
It references nothing outside itself — no web fonts, scripts, images or
stylesheets — and its Content-Security-Policy (``default-src 'none'``, the
inline style and script allowed by their SHA-256 hashes) makes the browser
refuse any fetch even if one slipped in.  The only addresses in it are the
evaluators' evidence URLs, shown as links (``rel="noopener noreferrer"``).

Every text from a report is escaped with :func:`html.escape`; every figure is
shown through :func:`wzeval.report.display` (rounded once, half up).  The
output is deterministic: the same reports give the same bytes (no timestamp
unless the caller passes ``generated``).

Without JavaScript the page is complete: each indicator's explanation is a
``<details>`` element.  The script only adds "展开全部/收起全部" buttons and
opens every ``<details>`` before printing (the print CSS does the same in
browsers that support ``::details-content``).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from wzeval.i18n import _, language
from wzeval.issues import Issue
from wzeval.models import CATEGORY_KIND_NAMES
from wzeval.paths import shown
from wzeval.render import (
    cap_text,
    indicator_status,
    item_title,
    rank,
    ranking_note,
    share_text,
    verdict_lines,
)
from wzeval.report import (
    CategoryResult,
    DeductionResult,
    IndicatorResult,
    ScoreReport,
    VetoResult,
    display,
)

__all__ = ["FONT_STACK", "FailedFiles", "points_lost", "render_html", "render_html_batch"]

#: Local fonts only, CJK first: macOS, Linux (Noto / Source Han), Windows, older Linux.
FONT_STACK = (
    '"PingFang SC","Hiragino Sans GB","Noto Sans CJK SC","Source Han Sans SC",'
    '"Microsoft YaHei","WenQuanYi Micro Hei",sans-serif'
)

#: Files that could not be scored: ``{file: issues}`` or ``[(file, issues), …]``.
FailedFiles = Mapping[str, Sequence[Issue]] | Sequence[tuple[str, Sequence[Issue]]]

_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_KIND_TAG = {
    k: "" if k == "base" else v.replace("指标", "项") for k, v in CATEGORY_KIND_NAMES.items()
}

_CSS = """
:root{--fg:#1f2933;--muted:#5b6675;--line:#d8dee6;--bg:#f4f6f9;--card:#fff;
--accent:#1d4ed8;--ok:#15803d;--warn:#b45309;--bad:#b91c1c;--track:#e3e8ef;
--head:#eef2f7;--hi:#eef4ff}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font-family:FONTS;
font-size:15px;line-height:1.6}
main{max-width:1120px;margin:0 auto;padding:24px 16px 48px}
h1{font-size:1.6rem;line-height:1.3;margin:0 0 .4rem}
h2{font-size:1.35rem;line-height:1.3;margin:0 0 .4rem}
h3{font-size:1.08rem;margin:1.4rem 0 .5rem;padding-left:.5rem;border-left:4px solid var(--accent)}
h4{font-size:.95rem;margin:.8rem 0 .3rem}
a{color:var(--accent);overflow-wrap:anywhere}
.page-head,.block{background:var(--card);border-radius:10px;
box-shadow:0 1px 3px rgba(15,23,42,.08);padding:20px;margin:0 0 20px}
.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:.4rem 0 0;
color:var(--muted)}
.meta dt{font-weight:600}
.meta dd{margin:0;overflow-wrap:anywhere}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(8.5rem,1fr));gap:10px;
margin:16px 0 4px}
.card{border:1px solid var(--line);border-radius:8px;padding:8px 12px;background:#fff}
.card .k{color:var(--muted);font-size:.85rem}
.card .v{font-size:1.35rem;font-weight:600;font-variant-numeric:tabular-nums}
.card .s{color:var(--muted);font-size:.8rem}
.card.total{background:var(--hi);border-color:#c4d4fb}
.card.total .v{font-size:1.8rem;color:var(--accent)}
.warn{color:var(--warn);font-weight:600}
.verdict{font-weight:700;font-size:1.1em}
.tag{display:block;font-size:.78rem;white-space:nowrap}
.table-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch;margin:8px 0 12px;
border:1px solid var(--line);border-radius:8px;background:#fff}
table{border-collapse:collapse;width:100%}
table.wide{min-width:680px}
table.mid{min-width:520px}
th,td{border-bottom:1px solid var(--line);padding:6px 10px;text-align:left;vertical-align:top}
th{background:var(--head);font-weight:600;white-space:nowrap}
tbody tr:last-child td{border-bottom:none}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.cat,td.grp{background:#fafbfc;font-weight:600;border-right:1px solid var(--line)}
tr.ind td{border-bottom:none;padding-bottom:2px}
tr.ind td.cat,tr.ind td.grp{border-bottom:1px solid var(--line)}
tr.detail td{padding-top:0}
tr.cat-row{display:none}
tr.cat-row th{background:#f7f9fc;white-space:normal}
.grp-tag{display:none;color:var(--muted);font-size:.8rem;margin-right:.4em}
.grp-tag::after{content:" ·"}
.st{white-space:nowrap;font-weight:600}
.st-full{color:var(--ok)}.st-lost{color:var(--warn)}.st-veto{color:var(--bad)}
.st-na,.st-none{color:var(--muted);font-weight:400}
details>summary{cursor:pointer;color:var(--accent);font-size:.88rem;
list-style-position:outside;margin-left:1rem}
details>summary .lost{color:var(--muted)}
.explain{font-size:.9rem;padding:6px 0 8px}
.explain table{font-size:.85rem;margin:0}
.explain .table-wrap{margin:4px 0 10px}
.explain p{margin:.3rem 0}
.explain ul{margin:.2rem 0 .4rem;padding-left:1.3rem}
.src{color:var(--muted);font-size:.8rem;display:block}
.at{color:var(--muted);font-size:.78rem;font-family:ui-monospace,"DejaVu Sans Mono",monospace;
overflow-wrap:anywhere}
.explain td .at{display:block}
.muted{color:var(--muted)}
svg.chart{display:block;width:100%;max-width:640px;margin:6px 0 10px;overflow:visible}
svg.chart text{font-family:FONTS}
.tools{margin:8px 0 0}
.tools button{font:inherit;font-size:.85rem;padding:3px 10px;margin-right:6px;
border:1px solid var(--line);border-radius:6px;background:#fff;color:var(--fg);cursor:pointer}
.back{font-size:.85rem}
footer{color:var(--muted);font-size:.8rem;text-align:center;margin-top:24px}
code{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:.85em;
overflow-wrap:anywhere}
ul.issues{padding-left:1.2rem}
ul.issues li{margin:.2rem 0}
@media (max-width:640px){
body{font-size:14px}
main{padding:10px 8px 32px}
.page-head,.block{padding:12px;border-radius:8px}
h1{font-size:1.3rem}h2{font-size:1.15rem}
.cards{grid-template-columns:repeat(2,minmax(0,1fr))}
.card .v{font-size:1.15rem}.card.total .v{font-size:1.45rem}
table.indicators,table.mid{min-width:0}
th,th.num{white-space:normal}
.explain td:not(.num){overflow-wrap:anywhere}
.explain th,.explain td{padding:5px 5px}
table.indicators td.cat,table.indicators td.grp,th.c-cat,th.c-grp{display:none}
tr.cat-row{display:table-row}
.grp-tag{display:inline}
th,td{padding:6px 7px}
}
@media print{
@page{size:A4 portrait;margin:8mm 8mm 9mm}
html,body{background:#fff;font-size:7.5pt;line-height:1.22}
main{max-width:none;padding:0}
h1{font-size:13pt}h2{font-size:12pt}h3{font-size:9.5pt;margin:6pt 0 3pt}
h4{font-size:8pt;margin:3pt 0 1pt}
.page-head,.block{box-shadow:none;border-radius:0;padding:0;margin:0 0 6pt}
section.dept.paged{break-before:page}
#ranking{break-after:page}
.tools,.back,details>summary{display:none}
details::details-content{content-visibility:visible;display:block;height:auto}
a{color:inherit;text-decoration:none}
.table-wrap{overflow:visible;border:none;margin:2pt 0 4pt}
table.wide,table.mid{min-width:0}
th,td{padding:.6pt 3pt}
th{white-space:normal}
table.indicators td.cat,table.indicators td.grp,th.c-cat,th.c-grp{display:none}
tr.cat-row{display:table-row}
tr.cat-row th{background:#eef2f7;font-size:9pt}
.grp-tag{display:inline}
tr.ind td{font-weight:600;border-top:1px solid #aab4c0;padding-top:2pt}
tr.detail td{padding:0 2pt 1pt 8pt}
.explain{font-size:7pt;line-height:1.12;padding:0}
.explain table{font-size:7pt;table-layout:auto}
.explain .table-wrap{margin:1pt 0 2pt}
.explain p{margin:1pt 0}
.explain ul{margin:0 0 1pt;padding-left:10pt}
.src{display:inline;font-size:7pt}.src::before{content:" "}.orig,.screen{display:none}
.at{font-size:6.5pt}
.explain td .at{display:block}
.explain table.items,.explain table.facts{table-layout:fixed}
.explain table.facts th:nth-child(1){width:45%}.explain table.facts th:nth-child(2){width:10%}
.explain table.facts th:nth-child(3){width:25%}
.at-f{display:none}.at-l::before{content:"LINE"}
.explain table.facts .at{display:inline;margin-left:4pt}
.explain table.items th:nth-child(1){width:22%}.explain table.items th:nth-child(2),
.explain table.items th:nth-child(3){width:7%}.explain table.items th:nth-child(4){width:10%}
.explain td{overflow-wrap:anywhere}
.reasons h4,.reasons ul,.reasons li{display:inline;margin:0;padding:0}
.reasons h4::after{content:"COLON"}.reasons li+li::before{content:"SEMI"}
.explain table.facts td:nth-child(n+3){font-size:6.5pt}
.explain th,.explain td{padding:.3pt 3pt}
.meta{gap:0 10pt}
.cards{grid-template-columns:repeat(auto-fit,minmax(6.5rem,1fr));gap:4pt;margin:4pt 0 2pt}
.card{padding:2pt 6pt}.card .v{font-size:11pt}.card.total .v{font-size:13pt}
.card .k,.card .s{font-size:7pt}
svg.chart{max-width:240px;margin:2pt 0}
tr.ind,.explain tr,svg.chart,.card{break-inside:avoid}
tr.ind{break-after:avoid}
h2,h3,h4{break-after:avoid}
thead{display:table-header-group}
}
""".replace("FONTS", FONT_STACK)

_JS = """
(function(){
var all=function(open){document.querySelectorAll('details').forEach(function(d){d.open=open;});};
document.querySelectorAll('.tools').forEach(function(t){
t.hidden=false;
t.querySelector('[data-open]').addEventListener('click',function(){all(true);});
t.querySelector('[data-close]').addEventListener('click',function(){all(false);});
});
window.addEventListener('beforeprint',function(){all(true);});
})();
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _css() -> str:
    """The stylesheet, with the few words it prints (before a line number, between
    reasons) in the language in force."""
    words = {"LINE": _("line "), "COLON": _(": "), "SEMI": _("; ")}
    return re.sub(
        r'"(LINE|COLON|SEMI)"', lambda m: json.dumps(words[m[1]], ensure_ascii=False), _CSS
    )


def _csp(css: str) -> str:
    """The page's Content-Security-Policy: only its own stylesheet and script run."""
    return (
        "default-src 'none'; "
        f"style-src {_sha256(css)}; script-src {_sha256(_JS)}; "
        "img-src 'none'; font-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'"
    )


# --------------------------------------------------------------------------- small pieces


def points_lost(result: IndicatorResult) -> Fraction:
    """Points an indicator lost: ``max_points − points``; for a penalty indicator, the
    points it took (``−points``); 0 when it did not apply or was not assessed."""
    if not result.applicable or not result.assessed:
        return Fraction(0)
    if result.kind == "penalty":
        return -result.points
    return result.max_points - result.points


def _status(result: IndicatorResult, places: int) -> tuple[str, str]:
    """(text, css class) for the 状态 column."""
    special = indicator_status(result)
    if special == "不适用":
        return special, "st-na"
    if special == "否决":
        return special, "st-veto"
    if special:
        return special, "st-none"
    lost = points_lost(result)
    if result.kind == "penalty":
        if lost == 0:
            return _("no deduction"), "st-full"
        return _("{points} points off").format(points=display(lost, places)), "st-lost"
    if lost == 0:
        return _("full points"), "st-full"
    return _("{points} points lost").format(points=display(lost, places)), "st-lost"


def _text_width(text: str) -> float:
    """Approximate width in ems: CJK and fullwidth characters 1, others 0.56."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.56 for c in text)


def _clip(text: str, ems: float) -> str:
    if _text_width(text) <= ems:
        return text
    out = ""
    for ch in text:
        if _text_width(out + ch) > ems - 1:
            break
        out += ch
    return out + "…"


def _value(value: object, top: bool = True) -> str:
    """A recorded value as people read it: 是/否 for a yes/no answer, a list as ``a、b``,
    a record as its values joined by `` · `` (no field ids: they are the rulebook's)."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value is None:
        return _("(empty)")
    if isinstance(value, list):
        if top and value and all(isinstance(v, dict) for v in value):
            return "\n".join(f"{n}. {_value(v, False)}" for n, v in enumerate(value, 1))
        return _(", ").join(_value(v, False) for v in value) if value else _("(none)")
    if isinstance(value, dict):
        return " · ".join(_value(v, False) for v in value.values())
    return str(value)


def _evidence(evidence: Iterable[str]) -> str:
    """Evidence as HTML: an http(s) address becomes a link, anything else stays text."""
    parts = []
    for ev in evidence:
        text = ev.strip()
        if _URL.fullmatch(text):
            parts.append(
                f'<a href="{_e(text)}" rel="noopener noreferrer" target="_blank">{_e(text)}</a>'
            )
        else:
            parts.append(_e(ev))
    return "<br>".join(parts)


def _table(
    header: Sequence[str],
    rows: Iterable[Sequence[str | None]],
    *,
    num: Iterable[int] = (),
    cls: str = "",
    raw: bool = False,
) -> str:
    """A table in a horizontally scrolling wrapper; cells are escaped unless ``raw``.

    A cell ``None`` is taken into the cell before it (which spans both columns)."""
    nums = set(num)

    def cell(tag: str, i: int, text: str, span: int = 1) -> str:
        c = ' class="num"' if i in nums else ""
        if span > 1:
            c += f' colspan="{span}"'
        return f"<{tag}{c}>{text if raw else _e(text)}</{tag}>"

    def tr(row: Sequence[str | None]) -> str:
        cells: list[tuple[int, str, int]] = []
        for i, c in enumerate(row):
            if c is None and cells:
                first, text, span = cells[-1]
                cells[-1] = (first, text, span + 1)
            else:
                cells.append((i, c or "", 1))
        return "<tr>" + "".join(cell("td", i, c, span) for i, c, span in cells) + "</tr>"

    head = "".join(cell("th", i, _e(h) if raw else h) for i, h in enumerate(header))
    body = "".join(tr(row) for row in rows)
    klass = f' class="{cls}"' if cls else ""
    return (
        f'<div class="table-wrap"><table{klass}><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def _normalize_failed(failed: FailedFiles) -> list[tuple[str, Sequence[Issue]]]:
    if isinstance(failed, Mapping):
        return [(str(k), v) for k, v in failed.items()]
    return [(str(k), v) for k, v in failed]


# --------------------------------------------------------------------------- charts


@dataclass(frozen=True)
class _Bar:
    label: str
    value: Fraction
    track: Fraction
    text: str
    color: str
    link: str | None = None


def _pct(x: Fraction) -> str:
    """A share of the chart width as an SVG percentage, 2 decimals (deterministic text)."""
    x = min(max(x, Fraction(0)), Fraction(1))
    return display(x * 100, 2).rstrip("0").rstrip(".") + "%"


def _bar_chart(title: str, bars: Sequence[_Bar], scale: Fraction, *, compact: bool) -> str:
    """Rows of a label line (name left, figure right) above a bar.

    The chart is as wide as its container and the bars are percentages of that
    width, so the text keeps its size (readable at 375 px) while the bars scale.
    A bar's grey track is its possible points, its fill what it earned, both
    relative to ``scale``.
    """
    row, size, gap, bar_h = (30, 13, 17, 9) if compact else (46, 15, 24, 14)
    height = row * len(bars) + 4
    out = [
        f'<svg class="chart" width="100%" height="{height}" role="img" '
        f'aria-label="{_e(title)}"><title>{_e(title)}</title>'
    ]
    for n, b in enumerate(bars):
        y = n * row + 2
        label = _e(_clip(b.label, 22))
        if label != _e(b.label):
            label += f"<title>{_e(b.label)}</title>"
        text = f'<text x="0" y="{y + size}" font-size="{size}" fill="#1f2933">{label}</text>'
        if b.link:
            text = f'<a href="#{_e(b.link)}">{text}</a>'
        out.append(text)
        out.append(
            f'<text x="100%" y="{y + size}" font-size="{size}" fill="#5b6675" '
            f'text-anchor="end">{_e(b.text)}</text>'
        )
        if scale <= 0:
            continue
        track = abs(b.track) / scale if b.track else Fraction(1)
        fill = max(b.value, Fraction(0)) if b.track >= 0 else abs(b.value)
        if b.track:
            fill = min(fill, abs(b.track))
        if track > 0:
            out.append(
                f'<rect x="0" y="{y + gap}" width="{_pct(track)}" height="{bar_h}" rx="3" '
                'fill="#e3e8ef"/>'
            )
        if fill > 0:
            out.append(
                f'<rect x="0" y="{y + gap}" width="{_pct(fill / scale)}" height="{bar_h}" '
                f'rx="3" fill="{b.color}"/>'
            )
    out.append("</svg>")
    return "".join(out)


def _category_chart(report: ScoreReport) -> str:
    places = report.places
    bars = []
    for c in report.categories:
        bars.append(_category_bar(c, places))
    scale = max((abs(c.applicable_weight) for c in report.categories), default=Fraction(0))
    title = _("{department}: points and possible points of each level-1 indicator")
    return _bar_chart(title.format(department=report.department), bars, scale, compact=False)


def _category_bar(c: CategoryResult, places: int) -> _Bar:
    tag = _KIND_TAG[c.kind]
    label = _("{name} ({tag})").format(name=c.name, tag=tag) if tag else c.name
    if c.applicable_weight == 0:
        return _Bar(label, Fraction(0), Fraction(0), _("not applicable"), "#1d4ed8")
    text = f"{display(c.points, places)} / {display(c.applicable_weight, places)}"
    color = {"base": "#1d4ed8", "bonus": "#15803d", "penalty": "#b91c1c"}[c.kind]
    return _Bar(label, c.points, c.applicable_weight, text, color)


# --------------------------------------------------------------------------- one department


def _deduction_rows(where: str, deds: Sequence[DeductionResult], places: int) -> list[list[str]]:
    rows = []
    for d in deds:
        if not d.count:
            continue
        cap = cap_text(d, places)
        name = d.label or d.id
        src = f'<span class="src">{_e(d.source)}</span>' if d.source else ""
        rows.append(
            [
                _e(name) + src,
                _e(where),
                _e(str(d.count)),
                _e(share_text(d.each, places)),
                _e(cap),
                _e(display(-abs(d.points), places)),
            ]
        )
    return rows


def _veto_items(where: str, vetoes: Sequence[VetoResult]) -> list[str]:
    out = []
    for v in vetoes:
        if not v.fired:
            continue
        text = _("{name} ({where})").format(name=_e(v.label or v.id), where=_e(where))
        if v.source:
            text += _(": {text}").format(text=_e(v.source))
        if v.ruling:
            ruling = _("Ruling: {text}").format(text=_e(v.ruling))
            text += f' <span class="muted">{ruling}</span>'
        out.append(f"<li>{text}</li>")
    return out


def _position(at: str) -> str:
    """A fact's ``file:line:col``; on paper only ``line:col`` (the header names the file)."""
    file, sep, rest = at.partition(".yaml:") if ".yaml:" in at else at.partition(".xlsx:")
    if not sep:
        return f'<span class="at">{_e(at)}</span>'
    return (
        f'<span class="at"><span class="at-f">{_e(file + sep)}</span>'
        f'<span class="at-l">{_e(rest)}</span></span>'
    )


def _explain(r: IndicatorResult, places: int) -> str:
    """The body of an indicator's ``<details>``: items, vetoes, deductions, facts, reasons."""
    parts: list[str] = []
    if not r.applicable:
        not_applicable = _(
            "Not applicable: left out of the base, which is rescaled to 100 over the "
            "applicable weights."
        )
        parts.append(f"<p>{not_applicable}</p>")
    if r.applies_note:
        parts.append("<p>" + _("Applicability: {note}").format(note=_e(r.applies_note)) + "</p>")
    if r.items:
        rows = []
        for it in r.items:
            extra = ""
            if it.source:
                source = _("Source: {text}").format(text=_e(it.source))
                extra += f'<span class="src orig">{source}</span>'
            if it.ruling:
                ruling = _("Ruling: {text}").format(text=_e(it.ruling))
                extra += f'<span class="src">{ruling}</span>'
            rows.append(
                [
                    _e(it.title or it.id),
                    _e(share_text(it.share, places)),
                    _e(share_text(it.credit, places) if it.assessed else _("not assessed")),
                    _e(f"{display(it.points, places)} / {display(it.max_points, places)}"),
                    _e(it.reason) + extra,
                ]
            )
        parts.append('<h4 class="screen">' + _("Items") + "</h4>")
        parts.append(
            _table(
                (_("Item"), _("Share"), _("Credit"), _("Points"), _("Reason")),
                rows,
                num=(1, 2, 3),
                cls="mid items",
                raw=True,
            )
        )
    vetoes = _veto_items(_("indicator"), r.vetoes)
    deds = _deduction_rows(_("indicator"), r.deductions, places)
    for it in r.items:
        where = _("item {title}").format(title=it.title or it.id)
        vetoes += _veto_items(where, it.vetoes)
        deds += _deduction_rows(where, it.deductions, places)
    if vetoes:
        parts.append("<h4>" + _("Vetoes") + "</h4><ul>" + "".join(vetoes) + "</ul>")
    if deds:
        parts.append("<h4>" + _("Deductions") + "</h4>")
        parts.append(
            _table(
                (_("Deduction"), _("Where"), _("Times"), _("Each"), _("Cap"), _("Points off")),
                deds,
                num=(2, 3, 5),
                cls="mid",
                raw=True,
            )
        )
    if r.facts:
        fact_rows: list[list[str | None]] = []
        for fact in r.facts:
            name = _e(fact.ask or fact.id) + (
                '<span class="src">' + _("derived by the rules") + "</span>" if fact.derived else ""
            )
            note = _e(fact.note or "")
            if fact.at:
                note += _position(shown(fact.at))
            value = _e(fact.value_label or _value(fact.value))
            if "\n" in value and not fact.evidence:  # records: one per line, two columns wide
                fact_rows.append([name, value.replace("\n", "<br>"), None, note])
            else:
                fact_rows.append(
                    [name, value.replace("\n", "<br>"), _evidence(fact.evidence), note]
                )
        parts.append('<h4 class="screen">' + _("Facts read") + "</h4>")
        header = (_("Fact"), _("Value"), _("Evidence"), _("Note / place"))
        parts.append(_table(header, fact_rows, cls="mid facts", raw=True))
    if r.missing:
        missing = _("Facts not recorded: {facts}").format(facts=_e(_(", ").join(r.missing)))
        parts.append(f"<p>{missing}</p>")
    if r.reasons:
        parts.append(
            '<div class="reasons"><h4>'
            + _("Why points were lost")
            + "</h4><ul>"
            + "".join(f"<li>{_e(x)}</li>" for x in r.reasons)
            + "</ul></div>"
        )
    if r.at:
        at = _("Rule at: {place}").format(place=_e(shown(r.at)))
        parts.append(f'<p class="at screen">{at}</p>')
    return '<div class="explain">' + "".join(parts) + "</div>"


def _summary(r: IndicatorResult) -> str:
    lost = points_lost(r)
    if not r.applicable or not r.reasons or lost == 0:
        return _("Scoring details")
    first = _clip(_("; ").join(r.reasons), 34)
    return _("Scoring details") + f' <span class="lost">· {_e(first)}</span>'


def _indicator_table(report: ScoreReport, anchor: str) -> str:
    """The indicator table, one ``<tbody>`` per category.

    Each indicator takes two rows: its figures, then its ``<details>``; the 一级指标 and
    二级指标 cells span them.  On a narrow screen those two columns are hidden and a
    heading row per category (hidden on wide screens) and a group tag take their place.
    """
    places = report.places
    inds = report.indicators
    cats = {c.id: c for c in report.categories}
    bodies: list[str] = []
    i = 0
    while i < len(inds):
        cat_end = i
        while cat_end < len(inds) and inds[cat_end].category_id == inds[i].category_id:
            cat_end += 1
        cat = cats.get(inds[i].category_id)
        figures = (
            _("points {points} / {possible}").format(
                points=display(cat.points, places),
                possible=display(cat.applicable_weight, places),
            )
            if cat is not None
            else ""
        )
        rows = [
            f'<tr class="cat-row"><th colspan="6">{_e(inds[i].category)} '
            f'<span class="muted">{_e(figures)}</span></th></tr>'
        ]
        j = i
        while j < cat_end:
            grp_end = j + 1
            if inds[j].group:
                while grp_end < cat_end and inds[grp_end].group == inds[j].group:
                    grp_end += 1
            for k in range(j, grp_end):
                r = inds[k]
                cells = []
                if k == i:
                    cells.append(
                        f'<td class="cat" rowspan="{2 * (cat_end - i)}">{_e(r.category)}</td>'
                    )
                if k == j:
                    cells.append(
                        f'<td class="grp" rowspan="{2 * (grp_end - j)}">{_e(r.group or "")}</td>'
                    )
                text, cls = _status(r, places)
                points = display(r.points, places) if r.applicable and r.assessed else "—"
                tag = f'<span class="grp-tag">{_e(r.group)}</span>' if r.group else ""
                cells += [
                    f"<td>{tag}{_e(r.name)}</td>",
                    f'<td class="num">{_e(display(r.weight, places))}</td>',
                    f'<td class="num">{_e(points)}</td>',
                    f'<td class="st {cls}">{_e(text)}</td>',
                ]
                rows.append(f'<tr class="ind" id="{_e(anchor)}-{_e(r.id)}">{"".join(cells)}</tr>')
                rows.append(
                    '<tr class="detail"><td colspan="4"><details>'
                    f"<summary>{_summary(r)}</summary>{_explain(r, places)}"
                    "</details></td></tr>"
                )
            j = grp_end
        bodies.append("<tbody>" + "".join(rows) + "</tbody>")
        i = cat_end
    columns = (
        ("c-cat", _("Level-1 indicator")),
        ("c-grp", _("Level-2 indicator")),
        ("", _("Level-3 indicator")),
        ("num", _("Weight")),
        ("num", _("Points")),
        ("", _("Status")),
    )
    head = "".join(
        f'<th class="{cls}">{_e(text)}</th>' if cls else f"<th>{_e(text)}</th>"
        for cls, text in columns
    )
    return (
        f'<div class="table-wrap"><table class="wide indicators"><thead><tr>{head}</tr></thead>'
        f"{''.join(bodies)}</table></div>"
    )


def _not_assessed(report: ScoreReport) -> str:
    if not report.not_assessed:
        none = _("None: every applicable indicator is assessed.")
        return f'<p class="muted">{none}</p>'
    rows = [
        [n.name, item_title(report, n), _(", ").join(n.missing), n.reason]
        for n in report.not_assessed
    ]
    header = (_("Level-3 indicator"), _("Item"), _("Missing facts"), _("Why"))
    return _table(header, rows, cls="mid")


def _cards(report: ScoreReport, place: tuple[int, int] | None) -> str:
    p = report.places

    def card(key: str, value: str, sub: str = "", cls: str = "") -> str:
        klass = f"card {cls}".strip()
        s = f'<div class="s">{_e(sub)}</div>' if sub else ""
        return (
            f'<div class="{klass}"><div class="k">{_e(key)}</div>'
            f'<div class="v">{_e(value)}</div>{s}</div>'
        )

    out = [card(_("Total"), display(report.total, p), _("base + bonus + penalty"), "total")]
    if place is not None:
        out.append(card(_("Rank"), f"{place[0]} / {place[1]}", _("ranked by total")))
    out += [
        card(
            _("Base (raw)"),
            display(report.base_raw, p),
            _("applicable weights {weights}").format(weights=display(report.base_possible, p)),
        ),
        card(_("Base (rescaled)"), display(report.base, p), _("rescaled to 100")),
        card(_("Bonus"), display(report.bonus, p)),
        card(_("Penalty"), display(report.penalty, p)),
    ]
    return '<div class="cards">' + "".join(out) + "</div>"


def _department(
    report: ScoreReport,
    *,
    heading: str,
    anchor: str,
    place: tuple[int, int] | None,
    paged: bool,
    back: bool,
) -> str:
    rb = report.rulebook
    meta = [
        (_("Monitoring date"), report.monitoring_date.isoformat()),
        (_("Rulebook"), _("{title} ({id}, {year})").format(title=rb.title, id=rb.id, year=rb.year)),
        (_("Assessors"), _(", ").join(report.assessors) or "—"),
    ]
    if report.findings_file:
        meta.append((_("Findings"), shown(report.findings_file)))
    dl = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in meta)
    warn = "".join(f'<p class="verdict">{_e(line)}</p>' for line in verdict_lines(report))
    if not report.complete:
        incomplete = _(
            "Some indicators are not assessed (see Not assessed): this is not a complete "
            "score sheet."
        )
        warn += f'<p class="warn">{incomplete}</p>'

    cls = "dept block paged" if paged else "dept block"
    back_text = _("↑ Back to the ranking")
    by_category, by_indicator = _("Points by level-1 indicator"), _("Points by indicator")
    expand, collapse, not_assessed = _("Expand all"), _("Collapse all"), _("Not assessed")
    back_link = f'<p class="back"><a href="#ranking">{back_text}</a></p>' if back else ""
    return (
        f'<section class="{cls}" id="{_e(anchor)}" aria-labelledby="{_e(anchor)}-h">'
        f'<{heading} id="{_e(anchor)}-h">{_e(report.department)}</{heading}>'
        f'<dl class="meta">{dl}</dl>{warn}'
        f"{_cards(report, place)}"
        # on paper the table's category rows carry the same figures
        f'<div class="screen"><h3>{by_category}</h3>{_category_chart(report)}</div>'
        f"<h3>{by_indicator}</h3>"
        f'<div class="tools" hidden><button type="button" data-open>{expand}</button>'
        f'<button type="button" data-close>{collapse}</button></div>'
        f"{_indicator_table(report, anchor)}"
        f"<h3>{not_assessed}</h3>{_not_assessed(report)}"
        f"{back_link}</section>"
    )


# --------------------------------------------------------------------------- page


def _page(title: str, body: str, generated: str | None) -> str:
    foot = _("made by wzeval") + (f" · {_e(generated)}" if generated else "")
    css = _css()
    lang = "zh-CN" if language() == "zh" else "en"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_e(_csp(css))}">\n'
        '<meta name="generator" content="wzeval">\n'
        f"<title>{_e(title)}</title>\n<style>{css}</style>\n</head>\n<body>\n<main>\n"
        f"{body}\n<footer>{foot}</footer>\n</main>\n<script>{_JS}</script>\n</body>\n</html>\n"
    )


def render_html(report: ScoreReport, *, generated: str | None = None) -> str:
    """The score sheet of one department as a self-contained HTML page.

    ``generated`` (e.g. a timestamp) is shown in the footer when given; without it
    the same report always gives the same text.
    """
    title = _("{department} · {rulebook} score sheet").format(
        department=report.department, rulebook=report.rulebook.title
    )
    body = _department(
        report,
        heading="h1",
        anchor=f"dept-{report.department_id}",
        place=None,
        paged=False,
        back=False,
    )
    return _page(title, body, generated)


def _anchors(ranked: Sequence[tuple[int, ScoreReport]]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for _place, r in ranked:
        base = f"dept-{r.department_id or 'x'}"
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return out


def _most_lost(reports: Sequence[ScoreReport], top: int = 10) -> str:
    lost: dict[str, Fraction] = {}
    depts: dict[str, int] = {}
    info: dict[str, IndicatorResult] = {}
    order: dict[str, int] = {}
    for r in reports:
        for n, ind in enumerate(r.indicators):
            if ind.kind == "bonus":
                continue
            key = ind.id
            info.setdefault(key, ind)
            order.setdefault(key, n)
            x = points_lost(ind)
            if x > 0:
                lost[key] = lost.get(key, Fraction(0)) + x
                depts[key] = depts.get(key, 0) + 1
    ranked = sorted(lost, key=lambda k: (-lost[k], order[k], k))[:top]
    if not ranked:
        return '<p class="muted">' + _("No points lost.") + "</p>"
    places = reports[0].places
    rows = [
        [
            str(n),
            info[k].name,
            info[k].category,
            display(info[k].weight, places),
            display(lost[k], places),
            f"{depts[k]} / {len(reports)}",
        ]
        for n, k in enumerate(ranked, 1)
    ]
    note = _(
        "Points lost = the sum over departments of (weight − points), a penalty "
        "indicator counted by the points it took; indicators not applicable or not "
        "assessed and bonus indicators are left out."
    )
    return f'<p class="muted">{note}</p>' + _table(
        (
            _("No."),
            _("Level-3 indicator"),
            _("Level-1 indicator"),
            _("Weight"),
            _("Points lost"),
            _("Departments losing points"),
        ),
        rows,
        num=(0, 3, 4, 5),
        cls="mid",
    )


def _failed(failed: Sequence[tuple[str, Sequence[Issue]]]) -> str:
    if not failed:
        return ""
    heading = _("Files that could not be scored ({n})").format(n=len(failed))
    parts = [f'<section class="block failed" id="failed"><h2>{heading}</h2>']
    for file, issues in failed:
        errors = sum(1 for i in issues if i.severity == "error")
        count = _("{errors} errors, {issues} issues in all").format(
            errors=errors, issues=len(issues)
        )
        parts.append(f'<h3>{_e(file)}</h3><p class="muted">{count}</p>')
        parts.append(
            '<ul class="issues">'
            + "".join(f"<li><code>{_e(i.format())}</code></li>" for i in issues)
            + "</ul>"
        )
    parts.append("</section>")
    return "".join(parts)


def render_html_batch(
    reports: Sequence[ScoreReport],
    failed: FailedFiles = (),
    *,
    title: str | None = None,
    generated: str | None = None,
) -> str:
    """Many departments on one self-contained page.

    A ranking (total descending, then name; equal exact totals share a rank, as in
    :func:`wzeval.render.rank`) with links to each department, a chart of the
    totals, the ten indicators where most points were lost across all departments,
    then each department's score sheet (a new printed page each), then the files
    that could not be scored with their issues (``failed``: ``{file: issues}`` or
    ``[(file, issues), …]``).
    """
    failures = _normalize_failed(failed)
    ranked = rank(reports)
    anchors = _anchors(ranked)
    titles = sorted(
        {_("{title} ({id})").format(title=r.rulebook.title, id=r.rulebook.id) for r in reports}
    )
    dates = sorted({r.monitoring_date.isoformat() for r in reports})
    results = _("{rulebooks} results").format(rulebooks=_(", ").join(titles))
    heading = title or (results if titles else _("Results"))
    failures_note = _(" ({n} more files could not be scored)").format(n=len(failures))
    meta = [(_("Departments"), f"{len(reports)}" + (failures_note if failures else ""))]
    if dates:
        span = _("{first} to {last}").format(first=dates[0], last=dates[-1])
        meta.append((_("Monitoring date"), dates[0] if len(dates) == 1 else span))
    if titles:
        meta.append((_("Rulebook"), _(", ").join(titles)))
    dl = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in meta)
    parts = [f'<header class="page-head"><h1>{_e(heading)}</h1><dl class="meta">{dl}</dl></header>']

    total = len(ranked)
    rows = []
    for (place, r), anchor in zip(ranked, anchors, strict=True):
        p = r.places
        name = f'<a href="#{_e(anchor)}">{_e(r.department)}</a>'
        note = ranking_note(r)
        if note:
            name += f'<span class="warn tag">{_e(note)}</span>'
        rows.append(
            [
                _e(str(place)),
                name,
                _e(display(r.base, p)),
                _e(display(r.bonus, p)),
                _e(display(r.penalty, p)),
                f"<strong>{_e(display(r.total, p))}</strong>",
            ]
        )
    ranking = _table(
        (_("Rank"), _("Department"), _("Base (rescaled)"), _("Bonus"), _("Penalty"), _("Total")),
        rows,
        num=(0, 2, 3, 4, 5),
        cls="mid",
        raw=True,
    )
    bars = [
        _Bar(
            f"{place}. {r.department}",
            r.total,
            Fraction(0),
            display(r.total, r.places),
            "#1d4ed8",
            anchor,
        )
        for (place, r), anchor in zip(ranked, anchors, strict=True)
    ]
    scale = max([Fraction(100), *(r.total for r in reports)])
    chart = _bar_chart(_("Totals by department"), bars, scale, compact=True) if bars else ""
    heads = (_("Ranking"), _("Total"), _("Indicators where most points were lost"))
    parts.append(
        f'<section class="block" id="ranking"><h2>{heads[0]}</h2>{ranking}'
        f"<h3>{heads[1]}</h3>{chart}"
        f"<h3>{heads[2]}</h3>{_most_lost(reports) if reports else ''}</section>"
    )
    for (place, r), anchor in zip(ranked, anchors, strict=True):
        parts.append(
            _department(r, heading="h2", anchor=anchor, place=(place, total), paged=True, back=True)
        )
    parts.append(_failed(failures))
    return _page(heading, "\n".join(p for p in parts if p), generated)
