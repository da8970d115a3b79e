"""A rulebook's whole table as one Markdown page (``wzeval table``; docs/rulebook-*.md).

The checked-in pages are kept fresh by tests/test_generated.py
(``python tools/gendocs.py``).  The page is Chinese by default; ``--lang en`` gives
the same page with English labels (the rulebook's own words stay as written).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from support.paths import ROOT

import wzeval
from wzeval.cli import run as cli_run
from wzeval.core._i18n import speaking
from wzeval.model._models import format_amount
from wzeval.output._tabledoc import render_rulebook_markdown, ruling_ids

DOC = ROOT / "docs" / "rulebook-2023.md"
RB = wzeval.load_rulebook()
with speaking("zh"):  # made at import, before the language fixture: choose it here
    PAGE = render_rulebook_markdown(RB)
CORPUS = [
    *sorted((ROOT / "tests" / "corpus").glob("*.yaml")),
    ROOT / "tests" / "rulebooks" / "kinds.yaml",
]


def test_deterministic() -> None:
    """Same rulebook, same text — also for a rulebook loaded afresh."""
    assert render_rulebook_markdown(wzeval.load_rulebook()) == PAGE


def test_every_indicator_appears_with_its_heading_weight_and_provenance() -> None:
    """Each of the 36 indicators has its own heading, anchor, id and weight line."""
    for ind in RB.indicators:
        assert f"\n#### {ind.name}\n" in PAGE, ind.name
        assert f'<a id="ind-{ind.id}"></a>' in PAGE
        assert f"](#ind-{ind.id})" in PAGE  # linked from the summary table
        assert f"- id：`{ind.id}`" in PAGE
    assert PAGE.count("\n#### ") == 36


def test_non_stated_weights_are_marked_and_listed() -> None:
    """Derived and assumed weights carry a visible ⚠ mark and their R1 note, in the list
    at the top as well as at the indicator."""
    listing = PAGE.split("## 非原文权重", 1)[1].split("## 指标", 1)[0]
    for ind in RB.indicators:
        row = f"| [{ind.name}](#ind-{ind.id}) |"
        if ind.weight_source == "stated":
            assert row not in listing
        else:
            assert row in listing, ind.name
            assert ind.ruling is not None
            assert ind.ruling.split("：", 1)[1] in listing
    assert listing.count("⚠ 假定 assumed") == 7
    assert listing.count("⚠ 推算 derived") == 4


def test_every_ruling_used_appears_as_a_badge_and_in_the_index() -> None:
    """Every ruling id the rulebook cites has a 「裁定 Rn」 badge and an index entry.  The
    2023 rulebook cites R1–R10 except R9, which is its `arithmetic:` block (shown in the
    page header: exact inside, 2 places half up when shown) rather than a rule's note."""
    used: set[str] = set()
    for ind in RB.indicators:
        texts = [ind.ruling, ind.applies_note]
        texts += [d.ruling for d in ind.derived]
        for it in ind.items:
            texts.append(it.ruling)
            texts += [v.ruling for v in it.vetoes] + [d.ruling for d in it.deduct or []]
        texts += [v.ruling for v in ind.vetoes] + [d.ruling for d in ind.deductions]
        for text in texts:
            used.update(ruling_ids(text))
    assert used == {f"R{n}" for n in range(1, 11)} - {"R9"}
    assert "保留 2 位小数（half_up）" in PAGE
    index = PAGE.split("## 裁定索引", 1)[1]
    for rid in used:
        assert f"【裁定 {rid}" in PAGE or f" · {rid}】" in PAGE, rid
        assert f"- **裁定 {rid}**：" in index, rid


def test_seed_wording_rules_vetoes_and_facts_appear() -> None:
    """The seed's wording, each item's rule content, every veto and every fact are shown."""
    for ind in RB.indicators:
        for it in ind.items:
            if it.source:
                assert f"> {it.source.strip().splitlines()[0]}" in PAGE
            if it.check:
                assert f"`{it.check}`" in PAGE
            for tier in it.tiers or []:
                assert f"`{tier.when}`" in PAGE
        for v in ind.vetoes:
            assert f"| `{v.id}` | {v.label} | `{v.when}` |" in PAGE
        for f in ind.facts:
            assert f"| `{f.id}` |" in PAGE
        for d in ind.derived:
            assert f"| `{d.id}` |" in PAGE and d.expr in PAGE


def test_spot_content_of_the_2023_page() -> None:
    """A few rows a reviewer would check against the seed, written out."""
    # 查询服务's five levels (R4): 6/12/18/24/30% of 6 points, each with its label
    for level, label, amount in [
        ("superior_list_link", "链接至上级名单名录", "6%（= 0.36 分）"),
        ("superior_query_link", "链接至上级查询系统", "12%（= 0.72 分）"),
        ("own_list", "本级名单名录", "18%（= 1.08 分）"),
        ("own_query", "本级查询系统", "24%（= 1.44 分）"),
        ("own_advanced", "本地检索栏目设计新颖", "30%（= 1.8 分）"),
    ]:
        row = f"| `{level}`（{label}"
        assert row in PAGE and PAGE.split(row, 1)[1].split("\n", 1)[0].endswith(f" {amount} |")
    # 协调联动 bands
    assert "| 1–4 | 1-4次 | 20%（= 0.6 分） |" in PAGE
    assert "| 5 及以上 | 5次及以上 | 40%（= 1.2 分） |" in PAGE
    # 适老化: nine features at 1/9 of 2 points each
    assert PAGE.count("| 1/9（= ≈0.22 分） |") == 9
    # 规范设计 footer: the 30% split in 7 (credit omitted)
    assert PAGE.count("| 3/70（= ≈0.13 分）（均分） |") == 7
    assert format_amount(RB.indicator("规范设计").items[1].share / 7) == "3/70"
    # applicability lists the appendix's departments
    assert (
        "- 适用部门（[重大建设项目批准和实施领域](#catalog-appendix1)，共 10 个）：市发改委、"
        in PAGE
    )
    assert "- 适用条件：`in_interview_plan`" in PAGE
    # penalties never pass the weight
    assert "**扣分**（按次扣分，合计不超过权重 -4 分）：" in PAGE


def test_appendices_list_every_department_and_duty() -> None:
    """Each appendix lists all its departments (10 / 7 / 9 / 19) with every duty."""
    appendices = PAGE.split("## 附录（清单）", 1)[1].split("## 部门名单", 1)[0]
    names = {d.id: d.name for d in RB.departments}
    for cat in RB.catalogs:
        section = appendices.split(f'<a id="catalog-{cat.id}"></a>', 1)[1].split("<a id=", 1)[0]
        rows = [ln for ln in section.splitlines() if ln.startswith("| ") and "（`" in ln]
        assert len(rows) == len(cat.entries)
        for n, (row, entry) in enumerate(zip(rows, cat.entries, strict=True), 1):
            assert row.startswith(f"| {n} | {names[entry.department]}（`{entry.department}`） |")
            for duty in entry.duties:
                assert duty.title in row
                if duty.text:
                    assert duty.text.splitlines()[0] in row
    for d in RB.departments:
        assert f"| `{d.id}` | {d.name} |" in PAGE


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_renders_any_rulebook(path: Path) -> None:
    """The renderer works for any valid rulebook, e.g. the corpus ones."""
    rb = wzeval.load_rulebook(path)
    page = render_rulebook_markdown(rb)
    assert page.startswith("<!-- ") and page.endswith("\n") and "\n\n\n" not in page
    for ind in rb.indicators:
        assert f"\n#### {ind.name}\n" in page


# ----------------------------------------------------------------------------- command line


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli_run(["table", *argv], out, err)
    return code, out.getvalue(), err.getvalue()


def test_cli_prints_the_bundled_rulebook() -> None:
    code, out, err = run()
    assert (code, out, err) == (0, PAGE, "")


def test_cli_writes_and_refuses_to_overwrite(tmp_path: Path) -> None:
    """-o writes the page; an existing file is kept unless --force (exit 2)."""
    target = tmp_path / "page.md"
    assert run(str(ROOT / "rulebooks" / "2023.yaml"), "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8") == PAGE
    target.write_text("mine", encoding="utf-8")
    code, _, err = run("-o", str(target))
    assert code == 2 and "--force" in err
    assert target.read_text(encoding="utf-8") == "mine"
    assert run("-o", str(target), "--force")[0] == 0
    assert target.read_text(encoding="utf-8") == PAGE


def test_cli_invalid_and_unreadable_rulebooks(tmp_path: Path) -> None:
    """An invalid rulebook exits 1 with its issues; a missing file exits 2."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("wzeval: rulebook/1\nid: bad\ntitle: t\nyear: 2023\ncategories: []\n")
    code, out, err = run(str(bad))
    assert code == 1 and out == "" and "bad.yaml" in err
    code, _, err = run(str(tmp_path / "missing.yaml"))
    assert code == 2 and "WZ110" in err
    assert run("--no-such-option")[0] == 2


# ----------------------------------------------------------------------------- English


def english(rb: wzeval.Rulebook = RB) -> str:
    with speaking("en"):
        return render_rulebook_markdown(rb)


def test_chinese_is_the_default() -> None:
    """With no language chosen the page is the Chinese one (the one in docs/)."""
    assert render_rulebook_markdown(RB) == PAGE
    assert DOC.read_text(encoding="utf-8") == PAGE


def test_english_page_has_english_labels() -> None:
    """The same rows as the Chinese page, its labels in English (worked from the
    Chinese rows of test_spot_content_of_the_2023_page)."""
    page = english()
    for line in [
        "## Weights at a glance",
        "| Level-1 indicator | Level-2 indicator | Level-3 indicator | id | Weight"
        " | Weight source |",
        "|---|---|---|---|---:|---|",
        "- Arithmetic: exact; shown with 2 decimal places (half_up)",
        "## Weights not stated in the source",
        "- Applies when: `in_interview_plan`",
        "**Deductions** (per occurrence, in all at most the weight, -4 points):",
        "| 1–4 | 1-4次 | 20% (= 0.6 points) |",
        "| 5 or more | 5次及以上 | 40% (= 1.2 points) |",
        "## Appendices (catalogs)",
        "## List of departments",
        "## Index of rulings",
    ]:
        assert f"\n{line}\n" in page, line
    assert page.count("| 1/9 (= ≈0.22 points) |") == 9
    # 50% of the 2 points of 政务服务事项 is one point: singular in English
    assert "| `inaccurate_items` | 50% (= 1 point) | at most the weight |" in page
    assert "| `inaccurate_items` | 50%（= 1 分） | 不超过权重 |" in PAGE
    assert page.count("| 3/70 (= ≈0.13 points) (equal shares) |") == 7
    # the 7 assumed weights, each in the summary, the listing and at its indicator
    assert page.count("⚠ assumed") == PAGE.count("⚠ 假定 assumed") == 3 * 7
    assert (
        "- Departments it applies to ([重大建设项目批准和实施领域](#catalog-appendix1),"
        " 10 in all): 市发改委, 市教育局, " in page
    )
    assert "- **Ruling R4**: [动态要闻](#ind-dongtai_yaowen) item `reposts`; " in page


def test_english_page_keeps_the_rulebooks_words_and_drops_the_chinese_labels() -> None:
    """Line for line the Chinese page's structure: the same anchors, headings of
    indicators and rule expressions; none of the page's own Chinese labels is left."""
    page = english()
    assert len(page.splitlines()) == len(PAGE.splitlines())
    assert [ln for ln in page.splitlines() if ln.startswith(("<a id=", "#### "))] == [
        ln for ln in PAGE.splitlines() if ln.startswith(("<a id=", "#### "))
    ]
    for label in ("权重一览", "评分项", "占比：", "规则：", "（= ", "【裁定", "个三级指标"):
        assert label in PAGE and label not in page, label


def test_english_rule_kinds() -> None:
    """Each built-in kind's title and table in English (tests/rulebooks/kinds.yaml)."""
    page = english(wzeval.load_rulebook(ROOT / "tests" / "rulebooks" / "kinds.yaml"))
    for line in [
        "- Rule: check (yes or no)",
        "- Condition: when `a` holds, the whole share; else 0",
        "- Rule: tiers (the first that holds)",
        "The first tier from the top whose condition holds:",
        "| Tier | Condition | Points |",
        "| Otherwise | — | 0 |",
        "| Level | Points |",
        "| Count | Note | Points |",
        "| 5 or more |  | 40% (= 4 points) |",
        "Each element present earns its part:",
        "| Element | Name | Condition | Points |",
        "- Rule: levels (by a fact's level)",
        "- Rule: bands (by count)",
        "- Rule: proportion (passed ÷ checked)",
        "- Rule: checklist (one part per element)",
        "- Rule: deduct (per occurrence)",
        "- Rule: given (a score from outside)",
        "- When nothing is checked the item is not assessed (it does not earn full marks)",
    ]:
        assert f"\n{line}\n" in page, line


def test_cli_lang_en_prints_the_english_page(monkeypatch: pytest.MonkeyPatch) -> None:
    """``wzeval --lang en table`` and ``WZEVAL_LANG=en wzeval table`` print the English
    page; ``--lang zh`` the Chinese one whatever the environment says."""
    out, err = io.StringIO(), io.StringIO()
    assert cli_run(["--lang", "en", "table"], out, err) == 0
    assert out.getvalue() == english() != PAGE
    monkeypatch.setenv("WZEVAL_LANG", "en")
    assert run() == (0, english(), "")
    out = io.StringIO()
    assert cli_run(["--lang", "zh", "table"], out, err) == 0
    assert out.getvalue() == PAGE
