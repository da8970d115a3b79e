"""The page around an HTML report: stylesheet, script, policy, shell and bar charts.

What every page of :mod:`wzeval.output._html` shares and that reads no report: the inline
CSS (screen and A4 print) and JavaScript, the Content-Security-Policy that allows
exactly those two by their SHA-256 hashes, the ``<html>`` shell with its language,
and the inline-SVG bar chart.  Kept apart from the builders of the report's
sections so that each stays short enough to read; the output is unchanged.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

from wzeval.core._i18n import _, language
from wzeval.model._report import display

__all__ = [
    "FONT_STACK",
    "Bar",
    "bar_chart",
    "bar_chart_pieces",
    "clip",
    "escape",
    "page",
    "page_frame",
]

#: Local fonts only, CJK first: macOS, Linux (Noto / Source Han), Windows, older Linux.
FONT_STACK = (
    '"PingFang SC","Hiragino Sans GB","Noto Sans CJK SC","Source Han Sans SC",'
    '"Microsoft YaHei","WenQuanYi Micro Hei",sans-serif'
)

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


def escape(text: object) -> str:
    """``text`` escaped for HTML, quotes included."""
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


def _text_width(text: str) -> float:
    """Approximate width in ems: CJK and fullwidth characters 1, others 0.56."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.56 for c in text)


def clip(text: str, ems: float) -> str:
    """``text`` cut to about ``ems`` wide, with an ellipsis when cut."""
    if _text_width(text) <= ems:
        return text
    out = ""
    for ch in text:
        if _text_width(out + ch) > ems - 1:
            break
        out += ch
    return out + "…"


@dataclass(frozen=True)
class Bar:
    """One row of a bar chart: its label, the figure drawn, its track, its text."""

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


def bar_chart(title: str, bars: Sequence[Bar], scale: Fraction, *, compact: bool) -> str:
    """Rows of a label line (name left, figure right) above a bar.

    The chart is as wide as its container and the bars are percentages of that
    width, so the text keeps its size (readable at 375 px) while the bars scale.
    A bar's grey track is its possible points, its fill what it earned, both
    relative to ``scale``.
    """
    return "".join(bar_chart_pieces(title, bars, len(bars), scale, compact=compact))


def bar_chart_pieces(
    title: str, bars: Iterable[Bar], count: int, scale: Fraction, *, compact: bool
) -> Iterator[str]:
    """:func:`bar_chart` of the ``count`` ``bars``, a bar at a time as each is taken (a
    batch page's chart has a bar a department)."""
    row, size, gap, bar_h = (30, 13, 17, 9) if compact else (46, 15, 24, 14)
    height = row * count + 4
    yield (
        f'<svg class="chart" width="100%" height="{height}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
    )
    for n, b in enumerate(bars):
        out: list[str] = []
        y = n * row + 2
        label = escape(clip(b.label, 22))
        if label != escape(b.label):
            label += f"<title>{escape(b.label)}</title>"
        text = f'<text x="0" y="{y + size}" font-size="{size}" fill="#1f2933">{label}</text>'
        if b.link:
            text = f'<a href="#{escape(b.link)}">{text}</a>'
        out.append(text)
        out.append(
            f'<text x="100%" y="{y + size}" font-size="{size}" fill="#5b6675" '
            f'text-anchor="end">{escape(b.text)}</text>'
        )
        if scale > 0:
            out += _bar_rects(b, y + gap, bar_h, scale)
        yield "".join(out)
    yield "</svg>"


def _bar_rects(b: Bar, y: int, bar_h: int, scale: Fraction) -> list[str]:
    """A bar's grey track and its fill, at ``y``."""
    out = []
    track = abs(b.track) / scale if b.track else Fraction(1)
    fill = max(b.value, Fraction(0)) if b.track >= 0 else abs(b.value)
    if b.track:
        fill = min(fill, abs(b.track))
    if track > 0:
        out.append(
            f'<rect x="0" y="{y}" width="{_pct(track)}" height="{bar_h}" rx="3" fill="#e3e8ef"/>'
        )
    if fill > 0:
        out.append(
            f'<rect x="0" y="{y}" width="{_pct(fill / scale)}" height="{bar_h}" '
            f'rx="3" fill="{b.color}"/>'
        )
    return out


def page(title: str, body: str, generated: str | None) -> str:
    """The whole document: head with the policy and stylesheet, ``body``, the footer."""
    head, foot = page_frame(title, generated)
    return f"{head}{body}\n{foot}"


def page_frame(title: str, generated: str | None) -> tuple[str, str]:
    """The document around a body: what comes before it, and what comes after it and a
    newline (the footer on).  Apart, so a page too large to hold (a batch's) is written
    piece by piece between them."""
    foot = _("made by wzeval") + (f" · {escape(generated)}" if generated else "")
    css = _css()
    lang = "zh-CN" if language() == "zh" else "en"
    head = (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{escape(_csp(css))}">\n'
        '<meta name="generator" content="wzeval">\n'
        f"<title>{escape(title)}</title>\n<style>{css}</style>\n</head>\n<body>\n<main>\n"
    )
    return head, f"<footer>{foot}</footer>\n</main>\n<script>{_JS}</script>\n</body>\n</html>\n"
