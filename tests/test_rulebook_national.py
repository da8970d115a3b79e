"""The national 2019 check indicators as two rulebooks, checked against the source and by hand.

《政府网站与政务新媒体检查指标》(国办秘函〔2019〕19号): ``rulebooks/national-2019.yaml`` (the
website part) and ``rulebooks/national-2019-media.yaml`` (the new-media part).

Three parts:

1. *Provenance*: every sentence the source notes quote (``shared/national-2019.md``, typed
   into :data:`QUOTES` independently) is carried as ``source:`` wording by some rule of the
   website rulebook; every Part 2 / Part 3 weight and every amount not quoted is marked
   assumed (``weight_source: assumed``, or a ``ruling:`` that says "assumed").
2. *Rule tests*: both ``*.tests.yaml`` pass with 100% coverage.
3. *Examples*: each file under ``examples/national-2019/`` is scored and its grade, points,
   vetoes, Part 3 gate and ×4/3 rescale are compared with figures worked by hand in the
   test's docstring — never read back from the engine.

The website weights used by hand (all assumed except 办事服务 = 25 and Part 3 = 30):
信息更新 20, 解读回应 15 (发布解读 35); 办事指南 15, 办事数据 10 (办事服务 25);
留言答复 12, 调查征集 8 (互动交流 20); 搜索功能 8, 链接可用性 12 (功能设计 20);
Part 3: 解读回应创新, 服务创新, 功能创新, 10 each, two checks of 5 points each.
Monitoring date 2019-11-15: 6 months before is 2019-05-15, 3 months 2019-08-15,
2 months 2019-09-15; "2 weeks" is 14 days.
"""

from __future__ import annotations

import json
from fractions import Fraction as F
from pathlib import Path
from typing import Any

import pytest
from support.paths import ROOT

import wzeval
from wzeval.analysis._ruletest import run_tests

RULEBOOKS = ROOT / "rulebooks"
WEBSITE = RULEBOOKS / "national-2019.yaml"
MEDIA = RULEBOOKS / "national-2019-media.yaml"
EXAMPLES = ROOT / "examples" / "national-2019"

#: The sentences the source notes quote exactly (typed from shared/national-2019.md).
QUOTES = [
    "对政府网站检查时，如出现单项否决指标中的任意一种情形，即判定为不合格，不再对其他指标进行评分。",
    # Part 1, item 1 (each numbered case, and the closing sentence)
    "1.出现严重表述错误。",
    "2.泄露国家秘密。",
    "3.发布或链接反动、暴力、色情等内容。",
    "4.对安全攻击（如页面被挂马、内容被篡改等）没有及时有效处置造成严重安全事故。",
    "5.存在弄虚作假行为（如伪造发稿日期等）。",
    "6.因网站建设管理工作不当引发严重负面舆情。",
    "上述情况出现任意一种，即单项否决。",
    # items 2–6
    "监测1周，每天间隔性访问20次以上，超过（含）15秒网站仍打不开的次数累计占比超过（含）5%，即单项否决。",
    "监测2周，首页无信息更新的，即单项否决。",
    "如首页仅为网站栏目导航入口，所有二级页面无信息更新的，即单项否决。",
    "1.监测时间点前2周内的动态、要闻类栏目，以及监测时间点前6个月内的通知公告、政策文件类一级栏目，"
    "累计超过（含）5个未更新。",
    "2.应更新但长期未更新的栏目数量超过（含）10个。",
    "3.空白栏目数量超过（含）5个。",
    "1.未提供网上有效咨询建言渠道（网上信访、纪检举报等专门渠道除外）。",
    "2.监测时间点前1年内，对网民留言应及时答复处理的政务咨询类栏目（在线访谈、调查征集、网上信访、"
    "纪检举报类栏目除外）存在超过3个月未回应有效留言的现象。",
    "1.未提供办事服务。",
    "2.办事指南重点要素类别（包括事项名称、设定依据、申请条件、办理材料、……",
    # Part 2: the floor of every deduction indicator, and the three amounts read
    "采用扣分方式评分的，单项指标扣分之和不超过该指标的总分值",
    "在监测时间点前6个月内，政策文件类一级栏目未更新，扣5分",
    "在监测时间点前3个月内，未及时更新办事统计数据，扣2分",
    "在监测时间点前2个月内未更新留言答复，扣3分",
]


def _load(path: Path) -> Any:
    from ruamel.yaml import YAML

    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def _walk(node: Any) -> Any:
    """Every mapping in a YAML tree."""
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from _walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v)


def _report(path: Path, rulebook: Path) -> dict[str, Any]:
    """The JSON report of one example, as a mapping."""
    report = wzeval.score(path, wzeval.load_rulebook(rulebook))
    return json.loads(report.to_json())


def _ind(data: dict[str, Any], ident: str) -> dict[str, Any]:
    return next(i for i in data["indicators"] if i["id"] == ident)


def _cat(data: dict[str, Any], ident: str) -> dict[str, Any]:
    return next(c for c in data["categories"] if c["id"] == ident)


def _f(value: Any) -> F:
    return F(str(value))


# ----------------------------------------------------------------------------- provenance


@pytest.mark.parametrize("quote", QUOTES)
def test_every_quoted_sentence_is_a_source(quote: str) -> None:
    sources = [m["source"] for m in _walk(_load(WEBSITE)) if isinstance(m.get("source"), str)]
    assert any(quote in s for s in sources), quote


@pytest.mark.parametrize("path", [WEBSITE, MEDIA], ids=["website", "media"])
def test_every_unquoted_amount_is_marked_assumed(path: Path) -> None:
    rb = _load(path)
    for cat in rb["categories"]:
        for ind in cat["indicators"]:
            if cat.get("kind") == "veto":
                assert ind["weight"] == 0 and ind["weight_source"] == "stated"
            else:
                # no Part 2 / Part 3 weight was read: all assumed, each with its ruling
                assert ind["weight_source"] == "assumed", ind["id"]
                assert "assumed" in ind["ruling"], ind["id"]
            for m in _walk(ind):
                # a rule with an amount or a threshold: a deduction, a check item, a veto
                if m is ind or "id" not in m or not {"each", "check", "when"} & m.keys():
                    continue
                quoted = any(q in (m.get("source") or "") for q in QUOTES)
                assert quoted or "assumed" in (m.get("ruling") or ""), (ind["id"], m["id"])


def test_website_part_2_weights() -> None:
    """办事服务 is 25 of the 100 (out of 75 ×4/3 without it); Part 3 is 30."""
    rb = _load(WEBSITE)
    weights = {c["id"]: c["weight"] for c in rb["categories"]}
    kinds = {c["id"]: c.get("kind", "base") for c in rb["categories"]}
    assert weights["banshi_fuwu"] == 25
    assert sum(w for c, w in weights.items() if kinds[c] == "base") == 100
    assert weights["jiafen"] == 30 and kinds["jiafen"] == "bonus"
    assert kinds["danxiang_foujue"] == "veto" and weights["danxiang_foujue"] == 0


# ----------------------------------------------------------------------------- rule tests


@pytest.mark.parametrize(
    "tests",
    ["national-2019.tests.yaml", "national-2019-media.tests.yaml"],
    ids=["website", "media"],
)
def test_rule_tests_pass_with_full_coverage(tests: str) -> None:
    run = run_tests(RULEBOOKS / tests)
    assert run.readable, [str(i) for i in run.issues]
    failed = [c.name for c in run.cases if not c.passed]
    assert not failed
    assert run.coverage is not None
    assert run.coverage.percent == 100, [t.description for t in run.coverage.uncovered]


# ----------------------------------------------------------------------------- examples


def test_strong_provincial_portal() -> None:
    """甲省人民政府: no veto; Part 2 86 > 80 so Part 3 is scored; 111, 合格.

    信息更新 20 − 2 (1 stale news column × 2) = 18;  解读回应 15 − 3 (1 policy × 3) = 12;
    办事指南 15 − 2 (2 vague materials × 1) = 13;    办事数据 10;
    留言答复 12 − 2 (2 late replies × 1) = 10;       调查征集 8;
    搜索功能 8 − 2 (1 failed search × 2) = 6;         链接可用性 12 − 3 (3 other links × 1) = 9.
    Part 2 = 18 + 12 + 13 + 10 + 10 + 8 + 6 + 9 = 86 of 100 → base 86 > 80.
    Part 3: 解读回应创新 5 + 5 = 10; 服务创新 5 (no 全程网办); 功能创新 10 → 25.
    Total 86 + 25 = 111.
    """
    r = _report(EXAMPLES / "province-strong.yaml", WEBSITE)
    assert r["grade"] == "合格"
    assert r["vetoed"] is False and r["site_vetoes"] == []
    assert _f(r["base_raw"]) == 86 and _f(r["base_possible"]) == 100 and _f(r["base"]) == 86
    assert _f(r["bonus"]) == 25 and _f(r["total"]) == 111
    assert _f(_cat(r, "jiafen")["points"]) == 25  # Part 3 scored
    expected = {
        "xinxi_gengxin": 18,
        "jiedu_huiying": 12,
        "banshi_zhinan": 13,
        "banshi_shuju": 10,
        "liuyan_dafu": 10,
        "diaocha_zhengji": 8,
        "sousuo_gongneng": 6,
        "lianjie_keyong": 9,
        "jiedu_chuangxin": 10,
        "fuwu_chuangxin": 5,
        "gongneng_chuangxin": 10,
    }
    assert {k: _f(_ind(r, k)["points"]) for k in expected} == expected
    for k in ("jiedu_chuangxin", "fuwu_chuangxin", "gongneng_chuangxin"):
        assert _ind(r, k)["scored"] is True


def test_weak_city_portal_below_60() -> None:
    """乙市人民政府: no veto (every Part 1 count one short of its line); Part 2 34 < 60: 不合格.

    信息更新 20 − 5 (policy column 2019-04-30, before 2019-05-15) − 6 (3 news × 2)
      − 6 (6 long-stale × 1) = 3;
    解读回应 15 − 9 (4 policies × 3 = 12, capped at 9) = 6;
    办事指南 15 − 6 (3 incomplete × 2) − 5 (7 vague, capped at 5) = 4;
    办事数据 10 − 2 (statistics 2019-07-31, before 2019-08-15) = 8;
    留言答复 12 − 3 (replies 2019-08-20, before 2019-09-15) − 4 (4 late × 1) = 5;
    调查征集 8 − 4 (no survey in the year) = 4;  搜索功能 8 − 4 (2 × 2) = 4;
    链接可用性 12 − 8 (4 home × 2) − 6 (9 other, capped at 6) = −2 → 0 (never below 0).
    Part 2 = 3 + 6 + 4 + 8 + 5 + 4 + 4 + 0 = 34 < 60 → 不合格; 34 is not above 80, so Part 3
    is not scored (its facts are not in the file); total 34.
    """
    r = _report(EXAMPLES / "city-weak.yaml", WEBSITE)
    assert r["grade"] == "不合格"
    assert r["grade_rule"]["label"] == "扣分指标得分低于60分"  # the rule that set it
    assert r["vetoed"] is False and r["site_vetoes"] == []
    assert _f(r["base"]) == 34 and _f(r["bonus"]) == 0 and _f(r["total"]) == 34
    assert _f(_ind(r, "lianjie_keyong")["points"]) == 0
    assert _f(_ind(r, "xinxi_gengxin")["points"]) == 3
    assert _f(_ind(r, "jiedu_huiying")["points"]) == 6
    for k in ("jiedu_chuangxin", "fuwu_chuangxin", "gongneng_chuangxin"):
        assert _ind(r, k)["scored"] is False  # Part 3 closed: not scored
        assert _f(_ind(r, k)["points"]) == 0


def test_vetoed_county_portal() -> None:
    """丙县人民政府: 站点无法访问 — 9 of 168 visits failed: 9 × 100 / 168 = 5.36% ≥ 5%.

    A veto of Part 1 makes the site 不合格 and nothing else is scored: base, bonus, penalty
    and total are all 0, and the file holds only the Part 1 facts.
    """
    r = _report(EXAMPLES / "county-vetoed.yaml", WEBSITE)
    assert r["grade"] == "不合格"
    assert r["grade_rule"]["label"] == "单项否决"
    assert r["vetoed"] is True
    assert [(v["indicator"], v["id"]) for v in r["site_vetoes"]] == [
        ("zhandian_wufa_fangwen", "unreachable")
    ]
    for k in ("base", "bonus", "penalty", "total"):
        assert _f(r[k]) == 0, k
    for i in r["indicators"]:
        if i["category_id"] != "danxiang_foujue":
            assert i["scored"] is False and _f(i["points"]) == 0, i["id"]


def test_ministry_without_services_rescaled_by_4_3() -> None:
    """国家丁局: no external services → 办事服务 (25) not applicable; Part 2 out of 75, ×4/3.

    信息更新 20 − 2 = 18; 解读回应 15 − 3 = 12; 留言答复 12 − 3 = 9; 调查征集 8 − 2 = 6;
    搜索功能 8; 链接可用性 12 − 2 = 10.  Earned 18 + 12 + 9 + 6 + 8 + 10 = 63 of 75:
    base = 100 × 63 / 75 = 63 × 4/3 = 84 > 80 → Part 3: 5 (多种形式解读) + 0 + 5 (智能搜索)
    = 10; total 94, 合格.  No 未提供办事服务 veto (N4).
    """
    r = _report(EXAMPLES / "ministry-no-services.yaml", WEBSITE)
    assert r["grade"] == "合格"
    assert r["vetoed"] is False
    assert _f(r["base_raw"]) == 63 and _f(r["base_possible"]) == 75
    assert _f(r["base"]) == 84 == F(63) * F(4, 3)
    assert _f(r["bonus"]) == 10 and _f(r["total"]) == 94
    for k in ("banshi_zhinan", "banshi_shuju"):
        assert _ind(r, k)["applicable"] is False
    assert _ind(r, "jiedu_chuangxin")["scored"] is True


def test_ministry_with_services_between_60_and_80() -> None:
    """国家戊部: services checked; Part 2 64 — 合格, but not above 80: Part 3 not scored.

    信息更新 20 − 5 (2019-05-14 < 2019-05-15) − 4 (2 × 2) − 2 (2 × 1) = 9;
    解读回应 15 − 6 = 9; 办事指南 15 − 4 = 11;
    办事数据 10 − 2 (2019-08-14 < 2019-08-15) − 2 (1 broken) = 6;
    留言答复 12 − 3 (2019-09-14 < 2019-09-15) = 9; 调查征集 8 − 2 = 6; 搜索功能 8 − 2 = 6;
    链接可用性 12 − 2 − 2 = 8.  Part 2 = 9 + 9 + 11 + 6 + 9 + 6 + 6 + 8 = 64; total 64.
    """
    r = _report(EXAMPLES / "ministry-services.yaml", WEBSITE)
    assert r["grade"] == "合格"
    assert r["vetoed"] is False
    assert _f(r["base_possible"]) == 100
    assert _f(r["base"]) == 64 and _f(r["bonus"]) == 0 and _f(r["total"]) == 64
    assert 60 <= _f(r["base"]) <= 80
    assert _ind(r, "fuwu_chuangxin")["scored"] is False


def test_media_account() -> None:
    """甲省发布: no veto; 更新频率 20, 内容质量 20 − 2 = 18, 留言回应 30 − 3 = 27,
    菜单与服务 30 − 5 = 25: 20 + 18 + 27 + 25 = 90, 合格."""
    r = _report(EXAMPLES / "media-strong.yaml", MEDIA)
    assert r["grade"] == "合格"
    assert r["vetoed"] is False
    assert _f(r["base"]) == 90 and _f(r["total"]) == 90


def test_vetoed_media_account() -> None:
    """乙市交通: last post 2019-10-20, 26 days before 2019-11-15 (> 14): 内容不更新 veto →
    不合格, 0 points, only the veto facts recorded."""
    r = _report(EXAMPLES / "media-vetoed.yaml", MEDIA)
    assert r["grade"] == "不合格"
    assert r["grade_rule"]["label"] == "单项否决"
    assert r["vetoed"] is True
    assert [(v["indicator"], v["id"]) for v in r["site_vetoes"]] == [("xmt_bu_gengxin", "no_posts")]
    for k in ("base", "bonus", "penalty", "total"):
        assert _f(r[k]) == 0, k
