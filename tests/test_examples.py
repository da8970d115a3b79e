"""The example findings in examples/findings/, scored and checked against hand-worked totals.

Each test's docstring works the score out by hand from the rulebook's rules (and
the rulings they cite): the indicators that do not apply, then every indicator
where points are lost (or, for bonus and penalty, earned) as
"indicator (weight) — rule: working → points", then the totals.  Every indicator
not listed earns its whole weight (base) or 0 (bonus, penalty) — the helper
asserts that too, so the list is complete.

Rescaling (R7): base = 100 × raw / possible, where possible is the sum of the
weights of the applicable base indicators.  total = base + bonus + penalty.
"""

from __future__ import annotations

from fractions import Fraction as F

import pytest
from support.paths import ROOT

import wzeval
from wzeval import ScoreReport

EXAMPLES = ROOT / "examples" / "findings"
RB = wzeval.load_rulebook()


def scored(name: str, *, partial: bool = False) -> ScoreReport:
    findings = wzeval.load_findings(EXAMPLES / name, RB, partial=partial)
    return wzeval.evaluate(RB, findings, partial=partial)


def check(
    r: ScoreReport,
    *,
    department: str,
    not_applicable: list[str],
    points: dict[str, F],
    totals: tuple[F, F, F, F, F, F],
) -> None:
    """Check every indicator against the table, then (raw, possible, base, bonus, penalty,
    total)."""
    assert r.department == department
    assert [i.name for i in r.indicators if not i.applicable] == not_applicable
    for res in r.indicators:
        if not res.applicable:
            assert res.points == 0 and res.max_points == 0
            continue
        full = res.weight if res.kind == "base" else F(0)
        key = res.name if res.name in points else f"{res.category}/{res.name}"
        assert res.points == points.get(key, full), (res.name, res.reasons)
    names = {i.name for i in r.indicators} | {f"{i.category}/{i.name}" for i in r.indicators}
    assert set(points) <= names
    got = (r.base_raw, r.base_possible, r.base, r.bonus, r.penalty, r.total)
    assert got == totals
    assert r.total == r.base + r.bonus + r.penalty


def test_examples_are_all_tested() -> None:
    """Every example file has a test here, and each starts with the schema modeline."""
    files = sorted(p.name for p in EXAMPLES.glob("*.yaml"))
    assert files == sorted(
        [
            "fagaiwei-bonus-penalty.yaml",
            "jiaotong-deductions.yaml",
            "renshe-rescaled.yaml",
            "shengtaihuanjing-strong.yaml",
            "weijianwei-partial.yaml",
            "zhujianju-weak.yaml",
        ]
    )
    for name in files:
        first = (EXAMPLES / name).read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../schemas/findings.schema.json"


def test_shengtaihuanjing_strong() -> None:
    """市生态环境局 (2023-11-15): in appendices 1–4 and the interview plan — everything
    applies, possible 100.

    - 动态要闻 (3) — item 2, R4 spot checks: 7 of 8 → 20% × 7/8 = 17.5%; 97.5% of 3 → 2.925
    - 政策解读 (8) — item 5, R10 k/3: 2 of 3 linked → 15% × 2/3 = 10%; 95% of 8 → 7.6
    - 适老化及无障碍 (2) — R10, 1/9 each: no 大字间距 → 8/9 of 2 → 16/9
    - 运维管理情况 (5) — item 5, R5: 1 overdue × 5% → 95% of 5 → 4.75
    - 协调联动 (3) — item 3, R4 bands: 3 campaigns is in 1–4 → half of 20%; 90% of 3 → 2.7
    - 表彰宣传 (+2) — R6: a commendation 50%, no central-media report → 1
    - 优秀创新案例 (+8) — R6: no case submitted, [0] everywhere → 0

    Lost: 0.075 + 0.4 + 2/9 + 0.25 + 0.3 = 1.025 + 2/9 = 41/40 + 2/9 = 449/360.
    raw = 100 − 449/360 = 35551/360 (≈ 98.7528); base = raw (possible 100);
    bonus 1; penalty 0; total = 35551/360 + 1 = 35911/360 (≈ 99.75).
    """
    r = scored("shengtaihuanjing-strong.yaml")
    check(
        r,
        department="市生态环境局",
        not_applicable=[],
        points={
            "动态要闻": F("2.925"),
            "政策解读": F("7.6"),
            "适老化及无障碍": F(16, 9),
            "运维管理情况": F("4.75"),
            "协调联动": F("2.7"),
            "表彰宣传": F(1),
        },
        totals=(F(35551, 360), F(100), F(35551, 360), F(1), F(0), F(35911, 360)),
    )
    assert wzeval.display(r.total) == "99.75"
    assert r.complete


def test_zhujianju_weak() -> None:
    """市住建局 (2023-11-16): appendices 1, 3, 4 — not 2, so 公益事业建设 (3) does not
    apply; possible 100 − 3 = 97.  In the interview plan.

    - 动态要闻 (3) — veto, R2: last update 10-20 is 27 days before 11-16 (> 14) → 0
    - 重大建设项目 (3) — veto: 栏目更新不及时 (the evaluator's judgement) → 0
    - 专题专栏 (8) — item 3, R10: the key-task column shows 4 of 7 kinds (< 5) → −25%;
      75% of 8 → 6
    - 政策解读 (8) — item 1: 1/3 interpreted → 5% (−10%); item 2 vetoed (照搬原文) → 0
      (−10%); item 5: 2/3 linked → 10% (−5%); 75% of 8 → 6
    - 查询服务 (6) — item veto, R4 levels: item 1 vetoed (仅链接省政务服务网) → 0;
      链接至上级查询系统 → 12%; item 3 20%; 32% of 6 → 1.92
    - 在线咨询 (3) — veto, R3: asked Mon 10-23, no answer by 11-16 (> 10 working days) → 0
    - 智能问答 (2) — veto: 功能不可用 → 0
    - 民意征集 (5) — item 3, R4: 2 consultations (not > 3) → −30%; 70% of 5 → 3.5
    - 在线访谈/新闻发布会 (2) — veto: in the plan, absent → 0
    - 规范设计 (3) — veto: 页面兼容性不佳 → 0
    - 集约化平台… (5) — R5: 1 sub-site 5% + 2 records 10% → 85% of 5 → 4.25
    - 运维管理情况 (5) — item 2, R8: 7 broken links → −15%; 85% of 5 → 4.25
    - 政府网站年度报表发布 (1) — item 1, R8: published 02-03, after 01-31 → −60% → 0.4
    - 咸宁市网站内容保障 (3) — given, R8: 1.5 of 3 → 1.5
    - 信息发布 (3) — item 2: not updated weekly → −40%; 60% of 3 → 1.8
    - 协调联动 (3) — R4: 3/6 checks → 20%; 2 firsts → 20%; 0 campaigns → 0; 40% of 3 → 1.2
    - 通报曝光 (−4) — R6: 1 city notice × 5% of 4 → −0.2

    Lost: 3 + 3 + 2 + 2 + 4.08 + 3 + 2 + 1.5 + 2 + 3 + 0.75 + 0.75 + 0.6 + 1.5 + 1.2 + 1.8
    = 32.18; raw = 97 − 32.18 = 64.82 = 3241/50; base = 100 × 64.82 / 97 = 6482/97
    (≈ 66.82); bonus 0; penalty −0.2; total = 6482/97 − 1/5 = 32313/485 (≈ 66.62).
    """
    r = scored("zhujianju-weak.yaml")
    check(
        r,
        department="市住建局",
        not_applicable=["公益事业建设"],
        points={
            "动态要闻": F(0),
            "重大建设项目": F(0),
            "专题专栏": F(6),
            "政策解读": F(6),
            "查询服务": F("1.92"),
            "在线咨询": F(0),
            "智能问答": F(0),
            "民意征集": F("3.5"),
            "在线访谈/新闻发布会": F(0),
            "规范设计": F(0),
            "集约化平台及统一资源库建设应用情况": F("4.25"),
            "运维管理情况": F("4.25"),
            "政府网站年度报表发布": F("0.4"),
            "咸宁市网站内容保障": F("1.5"),
            "政务新媒体/信息发布": F("1.8"),
            "政务新媒体/协调联动": F("1.2"),
            "通报曝光": F("-0.2"),
        },
        totals=(F(3241, 50), F(97), F(6482, 97), F(0), F("-0.2"), F(32313, 485)),
    )
    vetoed = [i.name for i in r.indicators if i.vetoed]
    assert vetoed == [
        "动态要闻",
        "重大建设项目",
        "在线咨询",
        "智能问答",
        "在线访谈/新闻发布会",
        "规范设计",
    ]
    item_vetoes = [(i.name, it.id) for i in r.indicators for it in i.items if it.vetoed]
    assert item_vetoes == [("政策解读", "forms"), ("查询服务", "own_queries")]
    assert wzeval.display(r.total) == "66.62"


def test_renshe_rescaled() -> None:
    """市人社局 (2023-11-20): appendix 4 only, not in the interview plan (R7):
    重大建设项目, 公益事业建设, 公共资源配置 (3 each) and 在线访谈 (2) do not apply;
    possible = 100 − 9 − 2 = 89.

    - 数据发布 (4) — item 3, R10: the last chart (03-28) is before 05-20, 6 months before
      11-20 → −20% → 3.2
    - 查询服务 (6) — item 2, R4 levels: 本级查询系统 → 24% of 30% (−6%); 94% of 6 → 5.64
    - 民意征集 (5) — item 4: "共有0人发表意见" templates → not published → −20% → 4
    - 智能搜索 (3) — item 1, R10: no pinyin search → −15%; 85% of 3 → 2.55
    - 办事服务 (1, 新媒体) — item 3: no novel design → −20% → 0.8
    - 咸宁市网站内容保障 (3) — given, R8: 2.5 of 3 → 2.5

    Lost: 0.8 + 0.36 + 1 + 0.45 + 0.2 + 0.5 = 3.31; raw = 89 − 3.31 = 85.69 = 8569/100;
    base = 100 × 85.69 / 89 = 8569/89 (≈ 96.28); bonus 0; penalty 0; total 8569/89.
    """
    r = scored("renshe-rescaled.yaml")
    check(
        r,
        department="市人社局",
        not_applicable=["重大建设项目", "公益事业建设", "公共资源配置", "在线访谈/新闻发布会"],
        points={
            "数据发布": F("3.2"),
            "查询服务": F("5.64"),
            "民意征集": F(4),
            "智能搜索": F("2.55"),
            "政务新媒体/办事服务": F("0.8"),
            "咸宁市网站内容保障": F("2.5"),
        },
        totals=(F(8569, 100), F(89), F(8569, 89), F(0), F(0), F(8569, 89)),
    )
    assert wzeval.display(r.base) == "96.28"


def test_jiaotong_deductions() -> None:
    """市交通运输局 (2023-11-22): appendices 1, 3, 4 — 公益事业建设 does not apply;
    possible 97.  Deductions at and past their caps (R5):

    - 领导信息 (2) — item 2: noise in the column → −50% → 1
    - 集约化平台… (5) — R5 caps: sub-sites 4 × 5% = 20% (reaches its 20% cap);
      IPv6 2 × 5% = 10% (cap 30%); records 7 × 5% = 35% → cap 30% (it binds at 6);
      platform 3 × 10% = 30% → cap 20%; 20 + 10 + 30 + 20 = 80% → 20% of 5 → 1
    - 运维管理情况 (5) — item 5, R5: 4 overdue × 5% + 1 month-overdue × 50% = 70%, stopped
      at the item's 30%; 70% of 5 → 3.5
    - 现行有效行政规范性文件… (3) — R5: 12 bad × 10% = 120% → down to 0 → 0
    - 信息发布 (3, 新媒体) — R5: items earn 3; 3 irrelevant posts × 50% of 3 = 4.5
      → 扣完为止 → 0

    Lost: 1 + 4 + 1.5 + 3 + 3 = 12.5; raw = 97 − 12.5 = 84.5 = 169/2;
    base = 100 × 84.5 / 97 = 8450/97 (≈ 87.11); bonus 0; penalty 0; total 8450/97.
    """
    r = scored("jiaotong-deductions.yaml")
    check(
        r,
        department="市交通运输局",
        not_applicable=["公益事业建设"],
        points={
            "领导信息": F(1),
            "集约化平台及统一资源库建设应用情况": F(1),
            "运维管理情况": F("3.5"),
            "现行有效行政规范性文件归集推送情况": F(0),
            "政务新媒体/信息发布": F(0),
        },
        totals=(F(169, 2), F(97), F(8450, 97), F(0), F(0), F(8450, 97)),
    )
    jy = r.indicator("集约化平台及统一资源库建设应用情况")
    capped = {it.id: [d.capped for d in it.deductions] for it in jy.items}
    assert capped == {
        "subsites": [False],  # 20% reaches the cap, does not pass it
        "ipv6": [False],
        "data_quality": [True],
        "platform_use": [True],
    }
    assert wzeval.display(r.total) == "87.11"


def test_fagaiwei_bonus_penalty() -> None:
    """市发改委 (2023-11-15): appendices 1, 3, 4 — 公益事业建设 does not apply; possible 97.

    - 专题专栏 (8) — item 3, R10: the featured column lacks 知识 → −25%; 75% of 8 → 6
    - 在线咨询 (3) — item 1, R3/R4 tiers: asked Wed 11-01, answered Mon 11-06 = the 3rd
      working day → 20% (−30%); 70% of 3 → 2.1
    - 导航体系 (2) — item 2: duplicated columns → −50% → 1
    - 优秀创新案例 (+8) — R6 panel means: 必要性 (0.9 + 0.8 + 1.0)/3 = 0.9 × 20% = 18%;
      整合度 (0.8 + 0.7 + 0.9)/3 = 0.8 × 20% = 16%; 创新性 0.8 × 15% = 12%;
      实效性 0.7 × 15% = 10.5%; 持续性 0.6 × 15% = 9%; 示范性 0.7 × 15% = 10.5%;
      76% of 8 → 6.08
    - 表彰宣传 (+2) — R6: a commendation 50% + a central-media report 50% → 2
    - 通报曝光 (−4) — R6: 1 provincial × 5% + 1 city × 5% = 10% of 4 → −0.4
    - 媒体曝光 (−4) — R6: 1 city media × 5% of 4 → −0.2
    - 政务服务事项 (−2) — R6: 1 × 50% of 2 → −1

    Lost: 2 + 0.9 + 1 = 3.9; raw = 97 − 3.9 = 93.1 = 931/10; base = 100 × 93.1 / 97
    = 9310/97 (≈ 95.98); bonus 6.08 + 2 = 8.08; penalty −1.6;
    total = 9310/97 + 8.08 − 1.6 = 9310/97 + 162/25 = (232750 + 15714)/2425
    = 248464/2425 (≈ 102.46).
    """
    r = scored("fagaiwei-bonus-penalty.yaml")
    check(
        r,
        department="市发改委",
        not_applicable=["公益事业建设"],
        points={
            "专题专栏": F(6),
            "在线咨询": F("2.1"),
            "导航体系": F(1),
            "优秀创新案例": F("6.08"),
            "表彰宣传": F(2),
            "通报曝光": F("-0.4"),
            "媒体曝光": F("-0.2"),
            "政务服务事项": F(-1),
        },
        totals=(F(931, 10), F(97), F(9310, 97), F("8.08"), F("-1.6"), F(248464, 2425)),
    )
    assert wzeval.display(r.total) == "102.46"


def test_weijianwei_partial() -> None:
    """市卫健委 (2023-11-15), a partial assessment: appendices 2 and 4 — 重大建设项目 and
    公共资源配置 do not apply; possible 100 − 6 = 94.  Not yet assessed (they earn
    nothing yet but stay in the possible base, and the report is incomplete):
    智能问答 (2), 民意征集 (5, its count is missing), 咸宁市网站内容保障 (3), 协调联动
    item 1 (no spot checks yet, R4) and 优秀创新案例 (+8).

    - 公益事业建设 (3) — item 1: appendix 2 duties missing → −50% → 1.5
    - 在线咨询 (3) — item 3: no statistics → −25%; 75% of 3 → 2.25
    - 智能问答 (2) — not assessed → 0
    - 民意征集 (5) — not assessed (consultations_2023 missing) → 0
    - 咸宁市网站内容保障 (3) — not assessed → 0
    - 协调联动 (3) — item 1 not assessed (R4); items 2 + 3: 40% + 20% of 3 → 1.8

    Lost: 1.5 + 0.75 + 2 + 5 + 3 + 1.2 = 13.45; raw = 94 − 13.45 = 80.55 = 1611/20;
    base = 100 × 80.55 / 94 = 8055/94 (≈ 85.69); bonus 0; penalty 0; total 8055/94.
    """
    r = scored("weijianwei-partial.yaml", partial=True)
    check(
        r,
        department="市卫健委",
        not_applicable=["重大建设项目", "公共资源配置"],
        points={
            "公益事业建设": F("1.5"),
            "在线咨询": F("2.25"),
            "智能问答": F(0),
            "民意征集": F(0),
            "咸宁市网站内容保障": F(0),
            "政务新媒体/协调联动": F("1.8"),
        },
        totals=(F(1611, 20), F(94), F(8055, 94), F(0), F(0), F(8055, 94)),
    )
    assert not r.complete
    got = [(n.indicator, n.item, n.missing) for n in r.not_assessed]
    assert got == [
        (
            "zhineng_wenda",
            None,
            ["realtime_qa", "answers_accurate", "qa_unusable", "answers_unrelated"],
        ),
        ("minyi_zhengji", None, ["consultations_2023"]),
        ("neirong_baozhang", None, ["editorial_points"]),
        ("xmt_xietiao_liandong", "reposts", []),
        (
            "chuangxin_anli",
            None,
            [
                "panel_necessity",
                "panel_integration",
                "panel_innovation",
                "panel_effectiveness",
                "panel_sustainability",
                "panel_exemplarity",
            ],
        ),
    ]
    findings = wzeval.load_findings(EXAMPLES / "weijianwei-partial.yaml", RB, partial=True)
    assert findings.notes is not None and "部分评估" in findings.notes


def test_partial_example_needs_partial() -> None:
    """Without partial scoring the partial example is refused: every missing fact is an
    error (WZ404), all reported at once: 智能问答 4 + 民意征集 1 + 咸宁市网站内容保障 1 +
    优秀创新案例 6 = 12.  (The empty spot-check list of 协调联动 is a valid value; it is
    refused when scoring, WZ410.)"""
    with pytest.raises(wzeval.ValidationFailed) as exc:
        wzeval.load_findings(EXAMPLES / "weijianwei-partial.yaml", RB)
    codes = [i.code for i in exc.value.issues]
    assert set(codes) == {"WZ404"}
    assert len(codes) == 4 + 1 + 1 + 6
    with pytest.raises(wzeval.ValidationFailed):
        wzeval.score(EXAMPLES / "weijianwei-partial.yaml")
    # loaded partially but scored as final: every not-assessed case is an error
    findings = wzeval.load_findings(EXAMPLES / "weijianwei-partial.yaml", RB, partial=True)
    with pytest.raises(wzeval.ValidationFailed) as exc2:
        wzeval.evaluate(RB, findings)
    assert [i.code for i in exc2.value.issues] == ["WZ410"] * 5


@pytest.mark.parametrize(
    "name",
    [
        "fagaiwei-bonus-penalty.yaml",
        "jiaotong-deductions.yaml",
        "renshe-rescaled.yaml",
        "shengtaihuanjing-strong.yaml",
        "zhujianju-weak.yaml",
    ],
)
def test_complete_examples_validate_cleanly(name: str) -> None:
    """The complete examples load without any issue (not even a warning) and score
    completely; every recorded fact is one the rulebook declares."""
    findings, issues = wzeval.read_findings(EXAMPLES / name, RB)
    assert findings is not None and [i.format() for i in issues] == []
    assert findings.assessors and findings.rulebook_id == "xianning-2023"
    assert wzeval.evaluate(RB, findings).complete
