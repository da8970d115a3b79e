"""Reports that print: real renderings, pages counted and text read back from the PDF.

The HTML report is printed with Chromium's ``--print-to-pdf`` and the XLSX score
workbook converted with LibreOffice's headless PDF export (Debian's
``libreoffice-calc``); ``pdfinfo`` counts the pages and ``pdftotext`` reads the
text back (``poppler-utils``).  ``.ci/run`` installs all three; locally the tests
skip, naming the missing tool.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.paths import ROOT

EXAMPLES = ROOT / "examples" / "findings"
COMPLETE = sorted(p for p in EXAMPLES.glob("*.yaml") if "partial" not in p.name)

pytestmark = pytest.mark.slow


def _need(*tools: str) -> None:
    for tool in tools:
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (.ci/run installs it)")


def _score(target: Path, fmt: str, out: Path) -> None:
    args = ["score", "--partial", str(target), "--format", fmt, "-o", str(out), "--force"]
    subprocess.run(
        [sys.executable, "-m", "wzeval", *args],
        check=True,
        capture_output=True,
        timeout=120,
    )


def _pages(pdf: Path) -> tuple[int, str]:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M)[1])  # type: ignore[index]
    size = re.search(r"^Page size:.*$", info.stdout, re.M)[0]  # type: ignore[index]
    return pages, size


def _text(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    args = ["pdftotext", "-layout"]
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    proc = subprocess.run([*args, str(pdf), "-"], check=True, capture_output=True, text=True)
    return proc.stdout


def _chromium_pdf(html: Path, pdf: Path) -> None:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer"]
    subprocess.run(
        ["chromium", *flags, f"--print-to-pdf={pdf}", html.as_uri()],
        check=True,
        capture_output=True,
        timeout=180,
    )


@pytest.mark.parametrize("example", COMPLETE, ids=lambda p: p.stem)
def test_department_html_prints_on_a4(example: Path, tmp_path: Path) -> None:
    """Every complete example's sheet prints on at most 8 A4 pages, details expanded."""
    _need("chromium", "pdfinfo", "pdftotext")
    html, pdf = tmp_path / "d.html", tmp_path / "d.pdf"
    _score(example, "html", html)
    _chromium_pdf(html, pdf)
    pages, size = _pages(pdf)
    assert "(A4)" in size
    assert pages <= 8, pages  # 12 before the facts were asked and the tables re-divided
    text = _text(pdf)
    flat = re.sub(r"\s+", "", text)
    # the details are printed, expanded: items, and facts as their questions with values
    assert "细则" in text and "备注/位置" in flat
    assert "是否集中规范发布机构设置信息" in flat and "org_info_published" not in text
    assert "/work/" not in text and "site-packages" not in text


def test_ranking_prints_the_ranking_alone_on_page_one(tmp_path: Path) -> None:
    _need("chromium", "pdfinfo", "pdftotext")
    html, pdf = tmp_path / "r.html", tmp_path / "r.pdf"
    _score(EXAMPLES, "html", html)
    _chromium_pdf(html, pdf)
    pages, size = _pages(pdf)
    assert "(A4)" in size
    first = _text(pdf, 1)
    assert "排名" in first and "读取的事实" not in first
    # every department starts on a new page, right after the ranking
    second = _text(pdf, 2).strip().splitlines()[0].strip()
    assert second.startswith("市"), second
    assert pages < 6 * 14


def test_xlsx_department_sheet_shows_every_reason(tmp_path: Path) -> None:
    _need("soffice", "pdfinfo", "pdftotext")
    xlsx = tmp_path / "x.xlsx"
    _score(EXAMPLES / "fagaiwei-bonus-penalty.yaml", "xlsx", xlsx)
    profile = f"-env:UserInstallation=file://{tmp_path}/lo"  # its own profile: runs in parallel
    convert = ["--convert-to", "pdf", "--outdir", str(tmp_path), str(xlsx)]
    subprocess.run(
        ["soffice", "--headless", profile, *convert],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdf = tmp_path / "x.pdf"
    pages, size = _pages(pdf)
    assert "(A4)" in size and "841" in size.split("x")[0]  # landscape
    text = re.sub(r"\s+", "", _text(pdf))
    # all six reasons of 优秀创新案例, each under its item's title, none cut off
    for title in ("必要性", "整合度", "创新性", "实效性", "持续性", "示范性/可推广性"):
        assert f"{title}：评分" in text, title
    assert "评分明细" in text and "证据" in text
    # a fact shown as its question, not as its id
    assert "是否集中规范发布机构设置信息" in text and "org_info_published" not in text
    assert pages <= 30, pages
