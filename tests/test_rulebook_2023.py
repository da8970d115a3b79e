"""The bundled 2023 rulebook, checked against the seed table and the rulings R1–R10.

The scores of every indicator (full marks and part, each veto, tier boundary, level,
band and cap, applicability by appendix) are rule tests in the project's own format,
``rulebooks/2023.tests.yaml``, run by tests/analysis/test_ruletest.py and by ``wzeval test`` in
CI, each figure worked by hand in its comment.  This file keeps what a rule test
cannot say:

1. *Structure*: the rulebook loads with no issue, has the 36 indicators of the seed
   in table order with their exact names, and its weights are R1's table — typed into
   this file independently (from ``shared/rulings-2023.md``), never read back from
   the rulebook; the appendices' departments in the seed's order.
2. *Behaviour around the scores*: findings errors (a score out of range, an unknown
   department), partial scoring and what it lists as not assessed, a fact left out
   when it is not needed, the trace of a capped deduction, rounding once when shown.

Findings start from the rule tests' ``defaults`` (a department perfect on every
indicator, 市生态环境局, monitoring date 2023-11-15) and override a few facts.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from fractions import Fraction as F
from typing import Any

import pytest
from ruamel.yaml import YAML
from support.paths import ROOT

import wzeval
from wzeval import IndicatorResult, ScoreReport

RB = wzeval.load_rulebook()

#: The rule tests' defaults: every fact of every indicator at its best value.
DEFAULTS: dict[str, Any] = YAML(typ="safe").load(
    (ROOT / "rulebooks" / "2023.tests.yaml").read_text(encoding="utf-8")
)["defaults"]

#: Leave a fact out of the findings (for partial / not-applicable cases).
DROP = object()


def fs(*values: int | str | F) -> tuple[F, ...]:
    """Exact figures to compare a report's totals with."""
    return tuple(F(v) for v in values)


def findings_doc(
    overrides: dict[str, dict[str, Any] | None] | None = None, *, department: str | None = None
) -> dict[str, Any]:
    """The defaults with a few facts overridden.

    ``overrides`` maps indicator id → {fact: value}; a value of :data:`DROP` leaves
    the fact out, an indicator mapped to ``None`` is left out whole.
    """
    doc = copy.deepcopy(DEFAULTS)
    indicators = doc["indicators"]
    for ind, facts in (overrides or {}).items():
        if facts is None:
            indicators.pop(ind, None)
            continue
        for key, value in facts.items():
            if value is DROP:
                indicators[ind].pop(key, None)
            else:
                indicators[ind][key] = value
    if department is not None:
        doc["department"] = department
    return doc


def score(
    overrides: dict[str, dict[str, Any] | None] | None = None,
    *,
    partial: bool = False,
    department: str | None = None,
) -> ScoreReport:
    """Load the mapping through the public API and evaluate it."""
    doc = findings_doc(overrides, department=department)
    findings = wzeval.load_findings(doc, RB, partial=partial)
    return wzeval.evaluate(RB, findings, partial=partial)


def result(indicator: str, facts: dict[str, Any] | None = None) -> IndicatorResult:
    """One indicator's result with ``facts`` overriding the defaults."""
    return score({indicator: facts or {}}).indicator(indicator)


# ============================================================================ structure

#: R1's table, typed from shared/rulings-2023.md: (level 1, level 2, name, weight, provenance).
R1_TABLE: list[tuple[str, str | None, str, int, str]] = [
    ("政府信息公开", "基本信息公开", "机构职能", 2, "stated"),
    ("政府信息公开", "基本信息公开", "领导信息", 2, "stated"),
    ("政府信息公开", "基本信息公开", "动态要闻", 3, "stated"),
    ("政府信息公开", "基本信息公开", "政策文件", 4, "assumed"),
    ("政府信息公开", "基本信息公开", "数据发布", 4, "stated"),
    ("政府信息公开", "重点领域信息公开", "重大建设项目", 3, "assumed"),
    ("政府信息公开", "重点领域信息公开", "公益事业建设", 3, "stated"),
    ("政府信息公开", "重点领域信息公开", "公共资源配置", 3, "assumed"),
    ("政府信息公开", None, "专题专栏", 8, "assumed"),
    ("政府信息公开", None, "政策解读", 8, "assumed"),
    ("办事服务", None, "服务频道设计", 4, "stated"),
    ("办事服务", None, "查询服务", 6, "derived"),
    ("互动交流", "政务咨询", "在线咨询", 3, "stated"),
    ("互动交流", "政务咨询", "智能问答", 2, "stated"),
    ("互动交流", None, "民意征集", 5, "derived"),
    ("互动交流", None, "在线访谈/新闻发布会", 2, "stated"),
    ("功能应用", None, "智能搜索", 3, "stated"),
    ("功能应用", None, "适老化及无障碍", 2, "stated"),
    ("功能应用", None, "规范设计", 3, "assumed"),
    ("功能应用", None, "一号登录", 1, "stated"),
    ("功能应用", None, "导航体系", 2, "stated"),
    ("功能应用", None, "集约化平台及统一资源库建设应用情况", 5, "assumed"),
    ("管理保障", None, "运维管理情况", 5, "stated"),
    ("管理保障", None, "政府网站年度报表发布", 1, "stated"),
    ("管理保障", None, "现行有效行政规范性文件归集推送情况", 3, "derived"),
    ("管理保障", None, "咸宁市网站内容保障", 3, "stated"),
    ("政务新媒体", None, "集约开设", 2, "stated"),
    ("政务新媒体", None, "信息发布", 3, "derived"),
    ("政务新媒体", None, "办事服务", 1, "stated"),
    ("政务新媒体", None, "互动交流", 1, "stated"),
    ("政务新媒体", None, "协调联动", 3, "stated"),
    ("加分指标", None, "优秀创新案例", 8, "stated"),
    ("加分指标", None, "表彰宣传", 2, "stated"),
    ("扣分指标", None, "通报曝光", -4, "stated"),
    ("扣分指标", None, "媒体曝光", -4, "stated"),
    ("扣分指标", None, "政务服务事项", -2, "stated"),
]

#: R1's level-1 totals (加分 +10, 扣分 −10).
R1_LEVEL1 = {
    "政府信息公开": 40,
    "办事服务": 10,
    "互动交流": 12,
    "功能应用": 16,
    "管理保障": 12,
    "政务新媒体": 10,
    "加分指标": 10,
    "扣分指标": -10,
}

#: The departments of each appendix, in the seed's order (序号 1, 2, …).
APPENDICES = {
    "appendix1": [
        "市发改委",
        "市教育局",
        "市自然资源和规划局",
        "市生态环境局",
        "市住建局",
        "市交通运输局",
        "市水利和湖泊局",
        "市农业农村局",
        "市林业局",
        "市公共资源交易中心",
    ],
    "appendix2": [
        "市教育局",
        "市民政局",
        "市生态环境局",
        "市文旅局",
        "市卫健委",
        "市市场监管局",
        "市乡村振兴局",
    ],
    "appendix3": [
        "市发改委",
        "市财政局",
        "市生态环境局",
        "市住建局",
        "市交通运输局",
        "市水利和湖泊局",
        "市国资委",
        "市公共资源交易中心",
        "市自然资源和规划局",
    ],
    "appendix4": [
        "市发改委",
        "市教育局",
        "市科技局",
        "市经信局",
        "市公安局",
        "市民政局",
        "市司法局",
        "市财政局",
        "市人社局",
        "市自然资源和规划局",
        "市生态环境局",
        "市住建局",
        "市交通运输局",
        "市水利和湖泊局",
        "市农业农村局",
        "市文旅局",
        "市卫健委",
        "市退役军人事务局",
        "市应急管理局",
    ],
}


def test_loads_with_no_issue() -> None:
    """The bundled rulebook (rulebooks/2023.yaml) loads with no error, warning or note."""
    rb, issues = wzeval.read_rulebook()
    assert rb is not None
    assert [i.format() for i in issues] == []
    assert rb.id == "xianning-2023" and rb.year == 2023
    # rulebooks/2023.yaml (what authors edit) is the file the package ships
    edited = ROOT / "rulebooks" / "2023.yaml"
    assert edited.read_bytes() == wzeval.bundled_rulebook_path().read_bytes()


def test_36_indicators_in_table_order_with_exact_names() -> None:
    """The indicator names, in table order, are R1's — character for character."""
    assert len(RB.indicators) == 36
    assert [i.name for i in RB.indicators] == [row[2] for row in R1_TABLE]


def test_each_weight_and_provenance_is_r1s() -> None:
    """Each indicator's level 1, level 2, weight and weight_source equal R1's row."""
    got = []
    for cat in RB.categories:
        groups = {g.id: g.name for g in cat.groups}
        for ind in cat.indicators:
            group = groups[ind.group] if ind.group else None
            got.append((cat.name, group, ind.name, ind.weight, ind.weight_source))
    assert got == [(a, b, c, Decimal(d), e) for a, b, c, d, e in R1_TABLE]


def test_totals() -> None:
    """Base weights add to 100, bonus to 10, penalties to −10; each level 1 matches R1."""
    kinds: dict[str, int] = {"base": 0, "bonus": 0, "penalty": 0}
    for cat in RB.categories:
        total = sum(ind.weight for ind in cat.indicators)
        assert cat.weight == total == R1_LEVEL1[cat.name], cat.name
        kinds[cat.kind] += int(total)
    assert kinds == {"base": 100, "bonus": 10, "penalty": -10}
    assert [c.name for c in RB.categories] == list(R1_LEVEL1)


def test_non_stated_weights_carry_their_ruling() -> None:
    """Every derived or assumed weight names R1 in its ruling (so a reviewer sees why)."""
    for ind in RB.indicators:
        if ind.weight_source != "stated":
            assert ind.ruling is not None and ind.ruling.startswith("R1"), ind.name
    assert sorted(i.name for i in RB.indicators if i.weight_source == "assumed") == sorted(
        [
            "政策文件",
            "重大建设项目",
            "公共资源配置",
            "专题专栏",
            "政策解读",
            "规范设计",
            "集约化平台及统一资源库建设应用情况",
        ]
    )
    # R1: the assumed weights only fix sums.
    w = {i.name: i.weight for i in RB.indicators}
    assert (
        w["政策文件"] + w["重大建设项目"] + w["公共资源配置"] + w["专题专栏"] + w["政策解读"] == 26
    )
    assert w["规范设计"] + w["集约化平台及统一资源库建设应用情况"] == 8


@pytest.mark.parametrize(
    ("catalog", "size"), [("appendix1", 10), ("appendix2", 7), ("appendix3", 9), ("appendix4", 19)]
)
def test_appendix_catalogs(catalog: str, size: int) -> None:
    """Appendices 1–4 have 10 / 7 / 9 / 19 departments, in the seed's order."""
    cat = next(c for c in RB.catalogs if c.id == catalog)
    names = {d.id: d.name for d in RB.departments}
    assert len(cat.entries) == size
    assert [names[e.department] for e in cat.entries] == APPENDICES[catalog]


def test_catalogs_drive_their_indicators() -> None:
    """Appendices 1–3 decide applicability (R7); appendix 4 is 查询服务's checklist."""
    by_cat = {c.id: c.indicator for c in RB.catalogs}
    assert by_cat == {
        "appendix1": "zhongda_jianshe_xiangmu",
        "appendix2": "gongyi_shiye_jianshe",
        "appendix3": "gonggong_ziyuan_peizhi",
        "appendix4": "chaxun_fuwu",
    }
    assert RB.indicator("查询服务").applies is None  # R7: every department


def test_departments_are_exactly_those_of_the_appendices() -> None:
    """The department list (R7) is the union of the appendices: 24 departments."""
    union = {n for names in APPENDICES.values() for n in names}
    assert {d.name for d in RB.departments} == union
    assert len(union) == 24


def test_defaults_cover_every_declared_fact() -> None:
    """The rule tests' defaults give exactly the facts each indicator declares."""
    for ind in RB.indicators:
        assert set(DEFAULTS["indicators"][ind.id]) == {f.id for f in ind.facts}, ind.id


# ============================================================================ around the scores


def test_dongtai_yaowen_no_spot_checks_is_not_assessed() -> None:
    """R4: no checks made → item 2 is not assessed (an error), never a free pass; with
    partial scoring it earns nothing and is listed: 30% + 20% + 30% = 80% of 3 = 2.4."""
    with pytest.raises(wzeval.ValidationFailed) as exc:
        score({"dongtai_yaowen": {"repost_checks": []}})
    assert [i.code for i in exc.value.issues] == ["WZ410"]
    r = score({"dongtai_yaowen": {"repost_checks": []}}, partial=True)
    assert r.indicator("动态要闻").points == F("2.4")
    assert [(n.indicator, n.item) for n in r.not_assessed] == [("dongtai_yaowen", "reposts")]
    assert not r.complete


def test_xmt_xietiao_liandong_no_spot_checks_is_not_assessed() -> None:
    """R4: no checks made → item 1 not assessed; with partial scoring 40% + 20% = 60% of 3
    = 1.8 is earned and the item is listed."""
    with pytest.raises(wzeval.ValidationFailed):
        score({"xmt_xietiao_liandong": {"repost_checks": []}})
    r = score({"xmt_xietiao_liandong": {"repost_checks": []}}, partial=True)
    assert r.indicator("协调联动").points == F("1.8")
    assert [(n.indicator, n.item) for n in r.not_assessed] == [("xmt_xietiao_liandong", "reposts")]


def test_jiyuehua_records_cap_is_marked() -> None:
    """R5: 7 bad records × 5% = 35% is stopped at the 30% cap, and the trace says so;
    6 × 5% = 30% reaches the cap without passing it."""
    seven = result("jiyuehua_pingtai", {"records_not_synced": 7})
    d7 = next(i for i in seven.items if i.id == "data_quality").deductions[0]
    assert (d7.count, d7.amount, d7.points, d7.capped) == (7, F("0.3"), F("1.5"), True)
    six = result("jiyuehua_pingtai", {"records_not_synced": 6})
    d6 = next(i for i in six.items if i.id == "data_quality").deductions[0]
    assert (d6.count, d6.amount, d6.capped) == (6, F("0.3"), False)


def test_neirong_baozhang_out_of_range() -> None:
    """A score above 3 is a findings error (WZ406), not clamped."""
    with pytest.raises(wzeval.ValidationFailed) as exc:
        score({"neirong_baozhang": {"editorial_points": Decimal("3.5")}})
    assert [i.code for i in exc.value.issues] == ["WZ406"]


def test_rescaled_perfect_department_still_scores_100() -> None:
    """市科技局 is in appendix 4 only and (here) not in the interview plan: 重大建设项目,
    公益事业建设, 公共资源配置 (3 each) and 在线访谈 (2) leave the base: possible
    100 − 9 − 2 = 89; everything else perfect → raw 89, base 100 × 89/89 = 100, total 110."""
    r = score(
        {
            "zhongda_jianshe_xiangmu": None,
            "gongyi_shiye_jianshe": None,
            "gonggong_ziyuan_peizhi": None,
            "zaixian_fangtan": {
                "in_interview_plan": False,
                "participated": DROP,
                "on_schedule": DROP,
            },
        },
        department="市科技局",
    )
    assert (r.base_raw, r.base_possible, r.base, r.total) == fs(89, 89, 100, 110)
    not_applicable = [i.name for i in r.indicators if not i.applicable]
    assert not_applicable == ["重大建设项目", "公益事业建设", "公共资源配置", "在线访谈/新闻发布会"]


def test_rescaled_base_with_a_loss() -> None:
    """市科技局 as above (possible 89) with 智能问答 item 1 lost (−1): raw 88;
    base = 100 × 88 / 89 = 8800/89 (≈ 98.88)."""
    r = score(
        {
            "zhongda_jianshe_xiangmu": None,
            "gongyi_shiye_jianshe": None,
            "gonggong_ziyuan_peizhi": None,
            "zaixian_fangtan": {
                "in_interview_plan": False,
                "participated": DROP,
                "on_schedule": DROP,
            },
            "zhineng_wenda": {"realtime_qa": False},
        },
        department="市科技局",
    )
    assert (r.base_raw, r.base_possible, r.base) == fs(88, 89, F(8800, 89))
    assert wzeval.display(r.base) == "98.88"


def test_interview_plan_decides_zaixian_fangtan() -> None:
    """R7: not in the interview plan → 在线访谈 leaves the base (possible 98); its other facts
    are not needed; 98 of 98 → 100."""
    r = score(
        {"zaixian_fangtan": {"in_interview_plan": False, "participated": DROP, "on_schedule": DROP}}
    )
    res = r.indicator("在线访谈/新闻发布会")
    assert not res.applicable and res.points == 0 and res.max_points == 0
    assert (r.base_possible, r.base) == fs(98, 100)


def test_unknown_department_is_an_error_with_a_suggestion() -> None:
    """R7: a typo in the department would silently change applicability, so it is an error."""
    with pytest.raises(wzeval.ValidationFailed) as exc:
        score(department="市生态环境")
    issue = exc.value.issues[0]
    assert issue.code == "WZ407"
    assert issue.hint is not None and "市生态环境局" in issue.hint


def test_exact_inside_rounded_once_when_shown() -> None:
    """R9: 规范设计 with one footer element missing earns exactly 201/70 (≈ 2.8714), i.e.
    9/70 is lost; the base keeps the exact value 100 − 9/70 = 6991/70 (≈ 99.8714) and
    is rounded once when shown: 99.87."""
    r = score({"guifan_sheji": {"footer_icp": False}})
    assert r.indicator("规范设计").points == F(201, 70)
    assert r.base == F(6991, 70)
    assert wzeval.display(r.base) == "99.87"


def test_partial_leaves_an_indicator_with_derived_facts_unassessed() -> None:
    """Partial scoring with 动态要闻 (which derives column_stale from last_updated) not yet
    recorded: it should be listed as not assessed, naming the facts it still needs, and
    earn 0 of its 3 points; base 97 of 100."""
    r = score({"dongtai_yaowen": None}, partial=True)
    (na,) = r.not_assessed
    assert na.indicator == "dongtai_yaowen" and "last_updated" in na.missing
    assert (r.base_raw, r.base_possible) == fs(97, 100)
