"""HTML reports: self-contained, escaped, deterministic, and checked in headless Chromium."""

from __future__ import annotations

import base64
import copy
import functools
import hashlib
import html
import re
from collections.abc import Iterator
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.browser import Chromium, available
from support.paths import TESTS
from support.strategies import findings_for

from wzeval.core._issues import Issue, Position
from wzeval.model._models import Rulebook
from wzeval.model._report import FactRead, ScoreReport, display
from wzeval.output._html import FONT_STACK, points_lost, render_html
from wzeval.output._htmlbatch import render_html_batch
from wzeval.reading._loader import load_document
from wzeval.scoring._api import evaluate, load_findings, load_rulebook

KINDS = TESTS / "rulebooks" / "kinds.yaml"
FINDINGS = TESTS / "findings" / "kinds-a.yaml"
BUNDLED = TESTS.parent / "src" / "wzeval" / "data" / "2023.yaml"
EVIDENCE_URL = "https://example.gov.cn/msg/1"

needs_chromium = pytest.mark.skipif(
    not available(),
    reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium "
    "fonts-noto-cjk; .ci/run installs both)",
)


# ----------------------------------------------------------------------------- helpers


@functools.cache
def kinds() -> Rulebook:
    """The kinds rulebook, loaded once."""
    return load_rulebook(KINDS)


@functools.cache
def bundled() -> Rulebook:
    """The bundled 2023 rulebook, loaded once."""
    return load_rulebook()


def kinds_data() -> dict[str, Any]:
    """The kinds-a findings as plain data (a fresh copy)."""
    return copy.deepcopy(load_document(FINDINGS).data)


def score(data: dict[str, Any], *, partial: bool = False) -> ScoreReport:
    """Evaluate an in-memory findings mapping against the kinds rulebook."""
    return evaluate(kinds(), load_findings(data, kinds(), partial=partial), partial=partial)


@functools.cache
def report_a() -> ScoreReport:
    """甲局's report from kinds-a.yaml."""
    return score(kinds_data())


@functools.cache
def batch() -> tuple[ScoreReport, ...]:
    """甲局, 乙局 (indicator veto fired, one indicator not applicable) and a partial 甲局."""
    b = kinds_data()
    b["department"] = "乙局"
    b["indicators"]["checks"] = {"a": True, "b": True, "fake": True}
    b["indicators"]["listed"] = {}
    c = kinds_data()
    c["department"] = "甲市甲局"  # an alias: the same department twice in a batch
    c["indicators"]["prop"] = {"passed": 0, "checked": 0}
    c["indicators"]["deduct"] = {"late": 1, "severe": 1, "bad": 1}
    return (report_a(), score(b), score(c, partial=True))


FAILED = {
    "bad <dept>.yaml": [
        Issue(
            "WZ405",
            "checks.a must be true or false (got text '是')",
            position=Position("bad <dept>.yaml", 7, 15),
            hint="write true or false (unquoted) for a yes/no answer",
        )
    ]
}


class References(HTMLParser):
    """Everything in a page that could make the browser fetch something."""

    URL_ATTRS = ("src", "href", "srcset", "poster", "data", "action", "formaction", "xlink:href")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []  # (tag, attr, value)
        self.anchors: list[dict[str, str | None]] = []
        self.css = ""
        self.scripts: list[str] = []
        self._in: str | None = None
        self.inline_styles: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a":
            self.anchors.append(a)
        for name in self.URL_ATTRS:
            if a.get(name):
                self.links.append((tag, name, a[name] or ""))
        if a.get("style"):
            self.inline_styles.append(a["style"] or "")
        if tag in ("style", "script"):
            self._in = tag
            if tag == "script":
                self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "style":
            self.css += data
        elif self._in == "script":
            self.scripts[-1] += data


def external_references(page: str) -> list[str]:
    """What in ``page`` would load something from outside the file (empty when none).

    Allowed: in-page anchors (``#…``) and evidence links, i.e. ``<a href="http(s)://…"
    rel="noopener noreferrer">`` — a link is followed only when clicked.
    """
    refs = References()
    refs.feed(page)
    bad = []
    for tag, attr, value in refs.links:
        if value.startswith("#"):
            continue
        if tag == "a" and attr == "href" and re.match(r"https?://", value):
            continue
        bad.append(f"<{tag} {attr}={value!r}>")
    for a in refs.anchors:
        href = a.get("href") or ""
        if re.match(r"https?://", href) and a.get("rel") != "noopener noreferrer":
            bad.append(f"<a href={href!r}> without rel=noopener noreferrer")
    for css in [refs.css, *refs.inline_styles]:
        bad += [f"css {m}" for m in re.findall(r"@import[^;]*|url\([^)]*\)", css)]
    for js in refs.scripts:
        bad += [f"script {m}" for m in re.findall(r"fetch|XMLHttpRequest|import\(|https?:", js)]
    return bad


def shown(value: Fraction) -> str:
    """A figure as the page shows it."""
    return display(value, 2)


def write(tmp_path: Path, name: str, text: str) -> Path:
    """Write a page to a file."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ----------------------------------------------------------------------------- the page itself


def test_page_declares_utf8_chinese_and_local_fonts() -> None:
    """UTF-8, lang zh-CN, a viewport, and a CJK font stack of local fonts only."""
    page = render_html(report_a())
    assert page.startswith('<!DOCTYPE html>\n<html lang="zh-CN">')
    assert '<meta charset="utf-8">' in page
    assert 'name="viewport"' in page
    assert FONT_STACK in page and '"Noto Sans CJK SC"' in FONT_STACK
    assert "@font-face" not in page


def test_page_references_nothing_outside_itself() -> None:
    """No src, stylesheet, @import or url() points anywhere; the only addresses are
    evidence links (single page and batch)."""
    for page in (render_html(report_a()), render_html_batch(batch(), FAILED)):
        assert external_references(page) == []
        outside_links = re.sub(r'<a href="https?://[^"]*" rel="noopener noreferrer"', "", page)
        outside_links = outside_links.replace(f">{EVIDENCE_URL}</a>", "")
        assert not re.search(r"https?://", outside_links)
    assert f'<a href="{EVIDENCE_URL}" rel="noopener noreferrer"' in render_html(report_a())


def test_reference_check_catches_external_resources() -> None:
    """The static check is not vacuous: images, stylesheets, @import, url() and script
    fetches are all reported."""
    page = (
        '<link rel="stylesheet" href="https://cdn.example/x.css"><img src="http://e.invalid/a.png">'
        "<style>@import 'https://f.example/y.css'; body{background:url(http://e.invalid/b.png)}"
        "</style><script>fetch('https://e.invalid/z')</script>"
        '<a href="https://ok.example/evidence">evidence without rel</a>'
    )
    found = external_references(page)
    assert len(found) == 7, found


def test_content_security_policy_allows_only_the_inline_style_and_script() -> None:
    """The CSP forbids every fetch and allows the inline style and script by their hashes."""
    page = render_html(report_a())
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    assert csp is not None
    policy = csp.group(1).replace("&#x27;", "'")
    assert "default-src 'none'" in policy
    for tag in ("style", "script"):
        body = re.search(rf"<{tag}>(.*?)</{tag}>", page, re.S)
        assert body is not None
        digest = base64.b64encode(hashlib.sha256(body.group(1).encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy


def test_same_report_same_bytes() -> None:
    """Rendering is deterministic; a timestamp appears only when passed in."""
    assert render_html(report_a()) == render_html(report_a())
    assert render_html_batch(batch(), FAILED) == render_html_batch(batch(), FAILED)
    assert "2024-01-02 03:04" not in render_html(report_a())
    assert "2024-01-02 03:04" in render_html(report_a(), generated="2024-01-02 03:04")


def test_everything_from_the_report_is_escaped() -> None:
    """Department names, reasons, evidence and notes cannot inject markup; a javascript:
    evidence stays text, not a link."""
    base = report_a()
    ind = base.indicators[0]
    evil_fact = FactRead(
        id="a",
        value="<img src=x onerror=alert(1)>",
        evidence=["javascript:alert(1)", "截图 <1>.png", EVIDENCE_URL + '"><script>x</script>'],
        note="<b>bold</b>",
    )
    evil = base.model_copy(
        update={
            "department": "<script>alert('d')</script>&局",
            "indicators": [
                ind.model_copy(update={"reasons": ["<i>why</i>"], "facts": [evil_fact]}),
                *base.indicators[1:],
            ],
        }
    )
    page = render_html(evil)
    assert (
        "<script>alert" not in page
        and "&lt;script&gt;alert(&#x27;d&#x27;)&lt;/script&gt;&amp;局" in page
    )
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<i>why</i>" not in page and "<b>bold</b>" not in page
    assert 'href="javascript' not in page and "javascript:alert(1)" in page
    assert "截图 &lt;1&gt;.png" in page
    assert external_references(page) == []
    assert page.count("<script>") == 1  # only the page's own script


def test_single_page_shows_the_figures_and_explanations() -> None:
    """Header facts, every displayed figure, every indicator, items, deductions, facts,
    reasons and the not-assessed section are on the page."""
    r = report_a()
    page = render_html(r)
    for text in ("甲局", "2023-11-15", "every rule kind", "张三", "监测时间点", "未评估"):
        assert text in page
    for figure in (r.total, r.base_raw, r.base, r.bonus, r.penalty):
        assert f">{shown(figure)}<" in page
    for ind in r.indicators:
        assert f"<td>{ind.name}</td>" in page or f"</span>{ind.name}</td>" in page
        assert f'<td class="num">{shown(ind.points)}</td>' in page
    assert page.count("<details>") == len(r.indicators)
    assert "i2：不符合，得 0" in page  # a reason
    num = '<td class="num">'
    # 2 late replies × 5% of the weight 20, capped at the item's 30% share
    assert (
        f"<td>late</td><td>细则 msgs</td>{num}2</td>{num}5%</td><td>30%</td>{num}-2.00</td>" in page
    )
    # penalty: 3 provincial notices × 5% of 4, no cap
    assert f"<td>prov</td><td>指标</td>{num}3</td>{num}5%</td><td>无</td>{num}-0.60</td>" in page
    assert "失 5.00 分" in page and "满分" in page and "扣 0.60 分" in page


def test_category_chart_draws_earned_against_possible() -> None:
    """The SVG chart has one bar pair per category: track ∝ possible, fill ∝ earned."""
    page = render_html(report_a())
    svg = re.search(r'<svg class="chart".*?</svg>', page, re.S)
    assert svg is not None
    chart = svg.group(0)
    assert "xmlns" not in chart  # inline SVG needs no namespace URL
    widths = re.findall(r'<rect[^>]*width="([\d.]+)%"', chart)
    # base 100 of 100 (track) and 78.2 (fill); bonus 2 / 2; penalty track 4, fill 0.6
    assert widths == ["100", "78.2", "2", "2", "4", "0.6"]
    assert "78.20 / 100.00" in chart and "-0.60 / -4.00" in chart


def test_batch_ranks_links_and_sections() -> None:
    """The ranking lists departments by total with links to their sections; each section
    shows its rank; the duplicate department gets its own anchor."""
    reports = batch()
    page = render_html_batch(reports, FAILED)
    ranking = page.split('id="ranking"', 1)[1].split("</table>", 1)[0]
    names = re.findall(r'<a href="#(dept-[\w-]+)">([^<]+)</a>', ranking)
    assert [n for _, n in names] == ["甲局", "乙局", "甲局"]
    anchors = [a for a, _ in names]
    assert anchors == ["dept-a", "dept-b", "dept-a-2"]
    for a in anchors:
        assert f'<section class="dept block paged" id="{a}"' in page
    assert "部分未评估" in ranking
    assert ">1 / 3<" in page and ">2 / 3<" in page and ">3 / 3<" in page
    assert page.index('id="dept-a"') < page.index('id="dept-b"') < page.index('id="dept-a-2"')


def test_batch_lists_the_indicators_that_lost_most_points() -> None:
    """Points lost per indicator summed over departments, highest first, top 10, with the
    number of departments that lost points there; bonus indicators are not losses."""
    reports = batch()
    page = render_html_batch(reports)
    section = page.split("全市失分最多的指标", 1)[1].split("</table>", 1)[0]
    got = re.findall(
        r"<tr><td class=\"num\">\d+</td><td>([^<]+)</td>.*?"
        r"<td class=\"num\">([\d.]+)</td><td class=\"num\">(\d+) / 3</td></tr>",
        section,
    )
    expected: dict[str, Fraction] = {}
    count: dict[str, int] = {}
    for r in reports:
        for ind in r.indicators:
            lost = points_lost(ind)
            if ind.kind != "bonus" and lost > 0:
                expected[ind.name] = expected.get(ind.name, Fraction(0)) + lost
                count[ind.name] = count.get(ind.name, 0) + 1
    order = sorted(expected, key=lambda n: -expected[n])
    assert [g[0] for g in got] == order[:10]
    assert [(g[1], int(g[2])) for g in got] == [(shown(expected[n]), count[n]) for n in order[:10]]
    assert got[0][:2] == ("检查", "20.00")  # 5 + 10 (veto) + 5
    assert ("通报", "1.80", "3") in got  # penalty: what it took, 0.6 × 3


def test_batch_lists_failed_files_with_their_issues() -> None:
    """Files that could not be scored are listed with every issue, escaped."""
    page = render_html_batch(batch(), list(FAILED.items()))
    assert "未能评分的文件（1）" in page
    assert "bad &lt;dept&gt;.yaml" in page
    assert "bad &lt;dept&gt;.yaml:7:15: error WZ405 checks.a must be true or false" in page
    assert "未能评分" not in render_html_batch(batch())
    only_failures = render_html_batch([], FAILED)  # nothing could be scored
    assert "未能评分的文件（1）" in only_failures and external_references(only_failures) == []


@pytest.mark.skipif(not BUNDLED.is_file(), reason="the bundled 2023 rulebook is not there yet")
@settings(max_examples=4, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_2023_report_renders_self_contained(data: st.DataObject) -> None:
    """Any valid findings on the 2023 rulebook give a self-contained page naming every
    indicator with its displayed points."""
    rb = bundled()
    findings = load_findings(data.draw(findings_for(rb)), rb, partial=True)
    report = evaluate(rb, findings, partial=True)  # spot checks may be empty (R4)
    page = render_html(report)
    assert external_references(page) == []
    for ind in report.indicators:
        assert html.escape(ind.name) in page
    assert f">{shown(report.total)}<" in page


# ----------------------------------------------------------------------------- in Chromium


@pytest.fixture(scope="module")
def chromium() -> Iterator[Chromium]:
    """One headless Chromium for the module (each page gets a fresh tab)."""
    if not available():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium")
    with Chromium() as browser:
        yield browser


@needs_chromium
@pytest.mark.parametrize("kind", ["single", "batch"])
@pytest.mark.parametrize(("width", "mobile"), [(1280, False), (375, True)])
def test_page_renders_in_chromium(
    chromium: Chromium, tmp_path: Path, kind: str, width: int, mobile: bool
) -> None:
    """In real Chromium at desktop and phone width: a non-trivial screenshot, no console
    errors, no request but the page itself, Chinese text and figures in the DOM, and no
    horizontal page scroll even with every explanation open."""
    r = report_a()
    text = render_html(r) if kind == "single" else render_html_batch(batch(), FAILED)
    path = write(tmp_path, f"{kind}.html", text)
    page = chromium.load(
        path,
        width=width,
        mobile=mobile,
        script="document.querySelectorAll('details').forEach(d => d.open = true);"
        "const w = document.querySelector('table.indicators').parentElement;"
        "[document.documentElement.scrollWidth, window.innerWidth,"
        " w.scrollWidth - w.clientWidth, getComputedStyle(w).overflowX]",
        name=f"{kind}-{width}",
    )
    assert page.requests == [page.url]
    assert page.problems == []
    assert page.png_size == (width, 2000)
    assert len(page.png) > 40_000  # a blank or failed page compresses to a few KB
    page_width, viewport, table_overflow, overflow_x = page.extra["script"]
    assert page_width <= viewport, "the page scrolls sideways"
    assert overflow_x == "auto"  # a wider table would scroll inside its wrapper...
    assert table_overflow <= 0  # ...but the indicator table fits, even on a phone
    assert page.layout["scrollWidth"] <= width
    assert "Noto Sans CJK SC" in page.layout["fonts"][0]
    assert "甲局" in page.text and "监测时间点" in page.text
    for ind in r.indicators:
        assert ind.name in page.text
    assert shown(r.total) in page.text
    assert f'href="{EVIDENCE_URL}"' in page.dom


@needs_chromium
def test_chinese_glyphs_render_with_a_local_font(chromium: Chromium, tmp_path: Path) -> None:
    """With the page's font stack, different Chinese characters draw different glyphs (no
    identical "tofu" boxes): a CJK font is installed (CI: apt-get install fonts-noto-cjk)."""
    path = write(tmp_path, "glyphs.html", render_html(report_a()))
    page = chromium.load(
        path,
        script="(() => { const c = document.createElement('canvas'); c.width = c.height = 40;"
        " const x = c.getContext('2d');"
        " x.font = '32px ' + getComputedStyle(document.querySelector('h1')).fontFamily;"
        " const draw = ch => { x.clearRect(0, 0, 40, 40); x.fillText(ch, 2, 32);"
        "   return Array.from(x.getImageData(0, 0, 40, 40).data).join(','); };"
        " const blank = draw(' ');"
        " return [draw('甲') !== draw('乙'), draw('甲') !== blank, draw('局') !== blank]; })()",
    )
    assert page.extra["script"] == [True, True, True], "CJK glyphs missing: install fonts-noto-cjk"


@needs_chromium
def test_chromium_check_detects_a_page_that_fetches(chromium: Chromium, tmp_path: Path) -> None:
    """The network check really fails for a page that loads something: an external image,
    stylesheet and CSS background are each seen as requests (and fail: network is cut)."""
    path = write(
        tmp_path,
        "fetches.html",
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        '<link rel="stylesheet" href="https://cdn.example.invalid/x.css">'
        "<style>body{background:url(http://example.invalid/bg.png)}</style></head>"
        '<body><p>外部图片</p><img src="http://example.invalid/x.png"></body></html>',
    )
    page = chromium.load(path)
    outside = sorted(u for u in page.requests if u != page.url)
    assert outside == [
        "http://example.invalid/bg.png",
        "http://example.invalid/x.png",
        "https://cdn.example.invalid/x.css",
    ]
    assert any("ERR_" in p for p in page.problems)  # refused: nothing left the machine


@needs_chromium
def test_chromium_reports_console_errors(chromium: Chromium, tmp_path: Path) -> None:
    """The console check is not vacuous: console.error and uncaught exceptions are seen."""
    path = write(
        tmp_path,
        "errors.html",
        "<!DOCTYPE html><html><body><script>console.error('boom');null.x;</script></body></html>",
    )
    page = chromium.load(path)
    assert any("boom" in p for p in page.problems)
    assert any(p.startswith("exception") for p in page.problems)


@needs_chromium
def test_print_opens_every_explanation(chromium: Chromium, tmp_path: Path) -> None:
    """For print the closed <details> show their content and each department starts a
    new page; on screen they stay closed."""
    path = write(tmp_path, "print.html", render_html_batch(batch()))
    probe = (
        "({shown: [...document.querySelectorAll('details .explain')]"
        "   .map(e => e.checkVisibility()),"
        " open: [...document.querySelectorAll('details')].filter(d => d.open).length,"
        " breaks: [...document.querySelectorAll('section.dept')]"
        "   .map(s => getComputedStyle(s).breakBefore),"
        " shadow: getComputedStyle(document.querySelector('section.dept')).boxShadow})"
    )
    screen = chromium.load(path, script=probe)
    printed = chromium.load(path, media="print", script=probe)
    n = sum(len(r.indicators) for r in batch())
    assert screen.extra["script"]["shown"] == [False] * n
    assert printed.extra["script"]["shown"] == [True] * n
    assert printed.extra["script"]["breaks"] == ["page"] * 3
    assert printed.extra["script"]["shadow"] == "none"
    assert screen.extra["script"]["shadow"] != "none"
    assert printed.problems == [] and screen.problems == []


@needs_chromium
def test_expand_all_button_works(chromium: Chromium, tmp_path: Path) -> None:
    """The inline script shows the 展开全部 button, which opens every explanation."""
    path = write(tmp_path, "buttons.html", render_html(report_a()))
    page = chromium.load(
        path,
        script="const t = document.querySelector('.tools');"
        "const before = t.hidden;"
        "t.querySelector('[data-open]').click();"
        "[before, [...document.querySelectorAll('details')].every(d => d.open)]",
    )
    assert page.extra["script"] == [False, True]
    assert page.problems == []


def test_labels_follow_the_language() -> None:
    """Section titles, column headers, cards, buttons, the footer and the words the
    stylesheet prints come from the message catalogue: Chinese by default, English with
    --lang en (the page's lang too), and the CSP still matches the translated style."""
    from wzeval.core._i18n import speaking

    chinese = render_html_batch(batch(), list(FAILED.items()))
    with speaking("en"):
        english = render_html_batch(batch(), list(FAILED.items()))
        single = render_html(report_a())
    pairs = {
        '<html lang="zh-CN">': '<html lang="en">',
        "<h2>排名</h2>": "<h2>Ranking</h2>",
        "<h3>全市失分最多的指标</h3>": "<h3>Indicators where most points were lost</h3>",
        '<th class="c-cat">一级指标</th>': '<th class="c-cat">Level-1 indicator</th>',
        "<th>状态</th>": "<th>Status</th>",
        "<h3>未评估</h3>": "<h3>Not assessed</h3>",
        "data-open>展开全部</button>": "data-open>Expand all</button>",
        "<summary>评分明细": "<summary>Scoring details",
        '<div class="k">基础分（折算）</div>': '<div class="k">Base (rescaled)</div>',
        "<dt>监测时间点</dt>": "<dt>Monitoring date</dt>",
        "未能评分的文件（1）": "Files that could not be scored (1)",
        "↑ 返回排名": "↑ Back to the ranking",
        '.at-l::before{content:"行 "}': '.at-l::before{content:"line "}',
        "<footer>由 wzeval 生成</footer>": "<footer>made by wzeval</footer>",
    }
    for zh, en in pairs.items():
        assert zh in chinese and zh not in english, zh
        assert en in english and en not in chinese, en
    assert "甲局" in english  # the data is not translated
    assert "<title>甲局 · " in single and " score sheet</title>" in single
    assert "<th>Fact</th><th>Value</th><th>Evidence</th>" in single
    for page in (english, single):
        csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
        style = re.search(r"<style>(.*?)</style>", page, re.S)
        assert csp is not None and style is not None
        digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp.group(1).replace("&#x27;", "'")
