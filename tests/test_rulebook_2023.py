"""The bundled 2023 rulebook, checked against the seed table and the rulings R1–R10.

Two halves:

1. *Structure*: the rulebook loads with no issue, has the 36 indicators of the
   seed in table order with their exact names, and its weights are R1's table —
   typed into this file independently (from ``shared/rulings-2023.md``), never
   read back from the rulebook.
2. *Scores*: for every indicator, cases where it earns full marks and part, and
   each veto, tier boundary, level, band and cap it has.  Every expected figure is
   worked out by hand from the seed sentence and the ruling; the working is in
   the comment above the case (``item 2: 3 of 4 spot checks → 20% × 3/4 = 15%``).

Findings are built in memory: :data:`PERFECT` is a complete "everything
satisfied" findings mapping (every fact at its best value) for a department that
is assessed on everything (市生态环境局 is in appendices 1–4); a case overrides a
few facts of one indicator and reads that indicator's points.  The monitoring
date (监测时间点) is Wednesday 2023-11-15 unless a case says otherwise.

Amounts are shares of the indicator's weight (R2): "item 1 (30%) lost" on an
indicator of weight 3 costs 0.9 points.
"""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from fractions import Fraction as F
from pathlib import Path
from typing import Any

import pytest

import wzeval
from wzeval import IndicatorResult, ScoreReport

RB = wzeval.load_rulebook()
MDATE = "2023-11-15"  # a Wednesday
ALL_APPENDICES = "市生态环境局"  # listed in appendices 1, 2, 3 and 4

#: Leave a fact out of the findings (for partial / not-assessed cases).
DROP = object()


def fs(*values: int | str | F) -> tuple[F, ...]:
    """Exact figures to compare a report's totals with."""
    return tuple(F(v) for v in values)


def checks(passed: int, made: int, start: int = 1) -> list[dict[str, Any]]:
    """``made`` spot-check records (twice a month from ``start``), the first ``passed`` passing."""
    out = []
    for i in range(made):
        month, half = start + i // 2, i % 2
        out.append(
            {
                "checked_on": date(2023, month, 10 if half == 0 else 25),
                "title": f"市政府要求转载的重要信息（{month}月第{half + 1}次抽查）",
                "reposted": i < passed,
            }
        )
    return out


# ----------------------------------------------------------------------------- findings

#: Every fact of every indicator at its best value.
PERFECT: dict[str, dict[str, Any]] = {
    "jigou_zhineng": {
        "org_info_published": True,
        "content_matches_column": True,
        "column_stale": False,
        "rushed_publishing": False,
        "falsified_content": False,
    },
    "lingdao_xinxi": {
        "leaders_published": True,
        "content_matches_column": True,
        "column_stale": False,
        "rushed_publishing": False,
        "falsified_content": False,
    },
    "dongtai_yaowen": {
        "columns_by_level_or_type": True,
        "repost_checks": checks(4, 4, start=9),
        "sources_noted": True,
        "content_matches_column": True,
        "last_updated": "2023-11-14",
        "rushed_publishing": False,
        "falsified_content": False,
    },
    "zhengce_wenjian": {
        "columns_by_document_type": True,
        "content_matches_column": True,
        "last_updated": "2023-11-10",
        "rushed_publishing": False,
        "falsified_content": False,
    },
    "shuju_fabu": {
        "columns_by_use_or_business": True,
        "data_search": True,
        "data_charts": True,
        "data_download": True,
        "last_visualisation_on": "2023-10-20",
        "content_matches_column": True,
        "last_updated": "2023-11-01",
        "rushed_publishing": False,
        "falsified_content": False,
    },
    "zhongda_jianshe_xiangmu": {
        "lifecycle_published": True,
        "content_matches_column": True,
        "column_stale": False,
        "rushed_publishing": False,
        "falsified_content": False,
    },
    "gongyi_shiye_jianshe": {
        "published_by_category": True,
        "content_matches_column": True,
        "column_stale": False,
        "rushed_publishing": False,
        "falsified_content": False,
    },
    "gonggong_ziyuan_peizhi": {
        "published_by_category": True,
        "content_matches_column": True,
        "column_stale": False,
        "rushed_publishing": False,
        "falsified_content": False,
    },
    "zhuanti_zhuanlan": {
        "key_task_column": True,
        "business_column": True,
        "kt_background": True,
        "kt_policy_basis": True,
        "kt_progress": True,
        "kt_results": True,
        "kt_services": True,
        "kt_knowledge": True,
        "kt_interaction": True,
        "fb_policy": True,
        "fb_services": True,
        "fb_knowledge": True,
        "fb_interaction": True,
        "content_matches_column": True,
        "column_stale": False,
        "rushed_publishing": False,
        "falsified_content": False,
    },
    "zhengce_jiedu": {
        "sampled_policies_interpreted": 3,
        "multiple_forms": True,
        "copies_policy_text": False,
        "content_focused": True,
        "interpreted_by_drafter": True,
        "sampled_interpretations_linked": 3,
        "content_matches_column": True,
        "last_updated": "2023-10-30",
        "rushed_publishing": False,
        "falsified_content": False,
    },
    "fuwu_pindao_sheji": {
        "own_service_channel": True,
        "channel_integrated": True,
        "one_thing_topics": True,
        "only_links_to_province": False,
    },
    "chaxun_fuwu": {
        "own_query_services": True,
        "only_links_to_province": False,
        "query_form": "own_advanced",
        "content_matches_column": True,
        "query_unusable": False,
        "falsified_content": False,
    },
    "zaixian_zixun": {
        "asked_on": "2023-11-06",
        "answered_on": "2023-11-07",
        "answer_accurate": True,
        "answer_perfunctory": False,
        "last_message_published_on": "2023-11-10",
        "statistics_published": True,
        "no_messages_published": False,
    },
    "zhineng_wenda": {
        "realtime_qa": True,
        "answers_accurate": True,
        "qa_unusable": False,
        "answers_unrelated": False,
    },
    "minyi_zhengji": {
        "online_channel": True,
        "on_relevant_topics": True,
        "consultations_2023": 6,
        "feedback_published": True,
        "activities_reposted_or_unrelated": False,
        "feedback_falsified": False,
    },
    "zaixian_fangtan": {
        "in_interview_plan": True,
        "participated": True,
        "on_schedule": True,
    },
    "zhineng_sousuo": {
        "typo_correction": True,
        "keyword_suggestions": True,
        "pinyin_search": True,
        "plain_language_search": True,
        "results_grouped": True,
        "results_ranked": True,
        "title_not_found": False,
    },
    "shilaohua_wuzhangai": {
        "view_switching": True,
        "colour_schemes": True,
        "guide_lines": True,
        "page_zoom": True,
        "large_captions": True,
        "large_cursor": True,
        "wide_spacing": True,
        "large_interface": True,
        "screen_reader": True,
        "features_broken_or_fake": False,
    },
    "guifan_sheji": {
        "name_in_header": True,
        "footer_party_gov_mark": True,
        "footer_site_code": True,
        "footer_sponsor": True,
        "footer_contact": True,
        "footer_icp": True,
        "footer_police_record": True,
        "footer_error_report": True,
        "content_page_labels": True,
        "column_page_labels": True,
        "display_incompatible": False,
    },
    "yihao_denglu": {"single_sign_on": True},
    "daohang_tixi": {"sitemap_accurate": True, "channel_nav_friendly": True},
    "jiyuehua_pingtai": {
        "subsites_not_merged": 0,
        "ipv6_notices": 0,
        "records_not_synced": 0,
        "platform_functions_unused": 0,
    },
    "yunwei_guanli": {
        "blank_or_stale_columns": False,
        "broken_links": 0,
        "collects_personal_data": True,
        "privacy_statement": True,
        "privacy_leak": False,
        "reports_overdue": 0,
        "reports_overdue_month": 0,
    },
    "niandu_baobiao": {
        "report_published_on": "2023-01-18",
        "report_prominent": True,
        "url_filed_on_time": True,
        "sent_to_city_portal": True,
    },
    "guifanxing_wenjian": {
        "bad_documents": 0,
        "serious_misstatement": False,
        "state_secret_leak": False,
        "prohibited_content": False,
        "falsified_content": False,
        "negative_public_opinion": False,
    },
    "neirong_baozhang": {"editorial_points": 3},
    "xmt_jiyue_kaishe": {
        "accounts_opened": True,
        "entry_prominent": True,
        "one_account_per_platform": True,
        "media_matrix": True,
    },
    "xmt_xinxi_fabu": {
        "posts_news": True,
        "posts_policies": True,
        "posts_interpretations": True,
        "posts_responses": True,
        "update_frequency_met": True,
        "mobile_pages": True,
        "same_source": True,
        "irrelevant_posts": 0,
    },
    "xmt_banshi_fuwu": {
        "mobile_services": True,
        "only_links_to_province": False,
        "same_source": True,
        "novel_design": True,
        "query_unusable": False,
        "falsified_content": False,
    },
    "xmt_hudong_jiaoliu": {"consultation_channel": True, "replies_timely": True},
    "xmt_xietiao_liandong": {
        "repost_checks": checks(4, 4, start=9),
        "joint_first_releases": 5,
        "joint_campaigns": 5,
    },
    "chuangxin_anli": {
        "panel_necessity": [1, 1, 1],
        "panel_integration": [1, 1, 1],
        "panel_innovation": [1, 1, 1],
        "panel_effectiveness": [1, 1, 1],
        "panel_sustainability": [1, 1, 1],
        "panel_exemplarity": [1, 1, 1],
    },
    "biaozhang_xuanchuan": {"superior_commendations": 1, "central_media_reports": 1},
    "tongbao_baoguang": {"state_council_notices": 0, "provincial_notices": 0, "city_notices": 0},
    "meiti_baoguang": {
        "central_media_exposures": 0,
        "provincial_media_exposures": 0,
        "city_media_exposures": 0,
    },
    "zhengwu_fuwu_shixiang": {"inaccurate_items": 0},
}

#: Every fact at its worst value: every veto that can fire fires, every item fails,
#: and every penalty is collected often enough to pass its floor.
WORST: dict[str, dict[str, Any]] = {
    "jigou_zhineng": {
        "org_info_published": False,
        "content_matches_column": False,
        "column_stale": True,
        "rushed_publishing": True,
        "falsified_content": True,
    },
    "lingdao_xinxi": {
        "leaders_published": False,
        "content_matches_column": False,
        "column_stale": True,
        "rushed_publishing": True,
        "falsified_content": True,
    },
    "dongtai_yaowen": {
        "columns_by_level_or_type": False,
        "repost_checks": checks(0, 4, start=9),
        "sources_noted": False,
        "content_matches_column": False,
        "last_updated": "2023-08-01",
        "rushed_publishing": True,
        "falsified_content": True,
    },
    "zhengce_wenjian": {
        "columns_by_document_type": False,
        "content_matches_column": False,
        "last_updated": "2022-12-30",
        "rushed_publishing": True,
        "falsified_content": True,
    },
    "shuju_fabu": {
        "columns_by_use_or_business": False,
        "data_search": False,
        "data_charts": False,
        "data_download": False,
        "last_visualisation_on": None,
        "content_matches_column": False,
        "last_updated": "2022-12-30",
        "rushed_publishing": True,
        "falsified_content": True,
    },
    "zhongda_jianshe_xiangmu": {
        "lifecycle_published": False,
        "content_matches_column": False,
        "column_stale": True,
        "rushed_publishing": True,
        "falsified_content": True,
    },
    "gongyi_shiye_jianshe": {
        "published_by_category": False,
        "content_matches_column": False,
        "column_stale": True,
        "rushed_publishing": True,
        "falsified_content": True,
    },
    "gonggong_ziyuan_peizhi": {
        "published_by_category": False,
        "content_matches_column": False,
        "column_stale": True,
        "rushed_publishing": True,
        "falsified_content": True,
    },
    "zhuanti_zhuanlan": {
        **dict.fromkeys(PERFECT["zhuanti_zhuanlan"], False),
        "column_stale": True,
        "rushed_publishing": True,
        "falsified_content": True,
    },
    "zhengce_jiedu": {
        "sampled_policies_interpreted": 0,
        "multiple_forms": False,
        "copies_policy_text": True,
        "content_focused": False,
        "interpreted_by_drafter": False,
        "sampled_interpretations_linked": 0,
        "content_matches_column": False,
        "last_updated": "2022-12-30",
        "rushed_publishing": True,
        "falsified_content": True,
    },
    "fuwu_pindao_sheji": {
        "own_service_channel": False,
        "channel_integrated": False,
        "one_thing_topics": False,
        "only_links_to_province": True,
    },
    "chaxun_fuwu": {
        "own_query_services": False,
        "only_links_to_province": True,
        "query_form": "none",
        "content_matches_column": False,
        "query_unusable": True,
        "falsified_content": True,
    },
    "zaixian_zixun": {
        "asked_on": "2023-10-09",
        "answered_on": None,
        "answer_accurate": False,
        "answer_perfunctory": True,
        "last_message_published_on": None,
        "statistics_published": False,
        "no_messages_published": True,
    },
    "zhineng_wenda": {
        "realtime_qa": False,
        "answers_accurate": False,
        "qa_unusable": True,
        "answers_unrelated": True,
    },
    "minyi_zhengji": {
        "online_channel": False,
        "on_relevant_topics": False,
        "consultations_2023": 0,
        "feedback_published": False,
        "activities_reposted_or_unrelated": True,
        "feedback_falsified": True,
    },
    "zaixian_fangtan": {"in_interview_plan": True, "participated": False, "on_schedule": False},
    "zhineng_sousuo": {
        **dict.fromkeys(PERFECT["zhineng_sousuo"], False),
        "title_not_found": True,
    },
    "shilaohua_wuzhangai": {
        **dict.fromkeys(PERFECT["shilaohua_wuzhangai"], False),
        "features_broken_or_fake": True,
    },
    "guifan_sheji": {
        **dict.fromkeys(PERFECT["guifan_sheji"], False),
        "display_incompatible": True,
    },
    "yihao_denglu": {"single_sign_on": False},
    "daohang_tixi": {"sitemap_accurate": False, "channel_nav_friendly": False},
    "jiyuehua_pingtai": {
        "subsites_not_merged": 9,
        "ipv6_notices": 9,
        "records_not_synced": 9,
        "platform_functions_unused": 9,
    },
    "yunwei_guanli": {
        "blank_or_stale_columns": True,
        "broken_links": 25,
        "collects_personal_data": True,
        "privacy_statement": False,
        "privacy_leak": True,
        "reports_overdue": 3,
        "reports_overdue_month": 2,
    },
    "niandu_baobiao": {
        "report_published_on": None,
        "report_prominent": False,
        "url_filed_on_time": False,
        "sent_to_city_portal": False,
    },
    "guifanxing_wenjian": {
        "bad_documents": 12,
        "serious_misstatement": True,
        "state_secret_leak": True,
        "prohibited_content": True,
        "falsified_content": True,
        "negative_public_opinion": True,
    },
    "neirong_baozhang": {"editorial_points": 0},
    "xmt_jiyue_kaishe": {
        "accounts_opened": False,
        "entry_prominent": False,
        "one_account_per_platform": False,
        "media_matrix": False,
    },
    "xmt_xinxi_fabu": {
        **dict.fromkeys(PERFECT["xmt_xinxi_fabu"], False),
        "irrelevant_posts": 4,
    },
    "xmt_banshi_fuwu": {
        "mobile_services": False,
        "only_links_to_province": True,
        "same_source": False,
        "novel_design": False,
        "query_unusable": True,
        "falsified_content": True,
    },
    "xmt_hudong_jiaoliu": {"consultation_channel": False, "replies_timely": False},
    "xmt_xietiao_liandong": {
        "repost_checks": checks(0, 4, start=9),
        "joint_first_releases": 0,
        "joint_campaigns": 0,
    },
    "chuangxin_anli": {k: [0] for k in PERFECT["chuangxin_anli"]},
    "biaozhang_xuanchuan": {"superior_commendations": 0, "central_media_reports": 0},
    # 2 × 50% = 100% on each, plus the smaller buckets: well past every floor.
    "tongbao_baoguang": {"state_council_notices": 2, "provincial_notices": 6, "city_notices": 6},
    "meiti_baoguang": {
        "central_media_exposures": 2,
        "provincial_media_exposures": 3,
        "city_media_exposures": 4,
    },
    "zhengwu_fuwu_shixiang": {"inaccurate_items": 3},
}


def findings_doc(
    overrides: dict[str, dict[str, Any] | None] | None = None,
    *,
    department: str = ALL_APPENDICES,
    monitoring_date: str = MDATE,
    base: dict[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A complete findings mapping (``PERFECT`` unless ``base``), with a few facts overridden.

    ``overrides`` maps indicator id → {fact: value}; a value of :data:`DROP` leaves
    the fact out, an indicator mapped to ``None`` is left out whole.
    """
    indicators = copy.deepcopy(base if base is not None else PERFECT)
    for ind, facts in (overrides or {}).items():
        if facts is None:
            indicators.pop(ind, None)
            continue
        for key, value in facts.items():
            if value is DROP:
                indicators[ind].pop(key, None)
            else:
                indicators[ind][key] = value
    return {
        "wzeval": "findings/1",
        "rulebook": "xianning-2023",
        "department": department,
        "monitoring_date": monitoring_date,
        "assessors": ["测试评估员"],
        "indicators": indicators,
    }


def score(
    overrides: dict[str, dict[str, Any] | None] | None = None,
    *,
    partial: bool = False,
    **kw: Any,
) -> ScoreReport:
    """Load the mapping through the public API and evaluate it."""
    findings = wzeval.load_findings(findings_doc(overrides, **kw), RB, partial=partial)
    return wzeval.evaluate(RB, findings, partial=partial)


def result(indicator: str, facts: dict[str, Any] | None = None, **kw: Any) -> IndicatorResult:
    """One indicator's result with ``facts`` overriding the perfect findings."""
    return score({indicator: facts or {}}, **kw).indicator(indicator)


def case(
    facts: dict[str, Any],
    points: F | int | str,
    vetoes: tuple[str, ...] = (),
    *,
    id: str,  # mirrors pytest.param
    **kw: Any,
) -> Any:
    """One parametrized case: facts to override, expected points, vetoes expected to fire."""
    return pytest.param(facts, F(points), vetoes, kw, id=id)


def check(
    indicator: str, facts: dict[str, Any], points: F, vetoes: tuple[str, ...], kw: Any
) -> None:
    res = result(indicator, facts, **kw)
    assert res.points == points, res.reasons
    assert tuple(v.id for v in res.vetoes if v.fired) == vetoes
    assert res.vetoed == bool(vetoes)


CASE_ARGS = ("facts", "points", "vetoes", "kw")

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
    edited = Path(__file__).parents[1] / "rulebooks" / "2023.yaml"
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


def test_perfect_findings_cover_every_declared_fact() -> None:
    """The helper's PERFECT/WORST mappings give exactly the facts each indicator declares."""
    for ind in RB.indicators:
        declared = {f.id for f in ind.facts}
        assert set(PERFECT[ind.id]) == declared, ind.id
        assert set(WORST[ind.id]) == declared, ind.id


# ============================================================================ whole documents

PERFECT_REPORT = score()


def test_everything_satisfied_scores_110() -> None:
    """Every fact at its best: base 100 of 100, bonus 8 + 2 = 10, penalty 0 → 110."""
    r = score()
    assert r.complete
    assert (r.base_raw, r.base_possible, r.base) == fs(100, 100, 100)
    assert (r.bonus, r.penalty, r.total) == fs(10, 0, 110)
    for res in r.indicators:
        assert res.points == (res.weight if res.kind != "penalty" else 0), res.name


def test_everything_failed_with_every_penalty_scores_minus_10() -> None:
    """Every fact at its worst: every base indicator 0 (most are vetoed as well), bonus 0;
    通报曝光 2 × 50% + 6 × 5% + 6 × 5% = 160% of 4 → floor −4; 媒体曝光 2 × 50% + 3 × 10%
    + 4 × 5% = 150% of 4 → floor −4; 政务服务事项 3 × 50% = 150% of 2 → floor −2;
    penalty −10; total 0 + 0 − 10 = −10."""
    r = score(base=WORST)
    assert (r.base_raw, r.base_possible, r.base, r.bonus) == fs(0, 100, 0, 0)
    assert r.penalty == -10 and r.total == -10
    assert [r.indicator(i).points for i in ("通报曝光", "媒体曝光", "政务服务事项")] == [-4, -4, -2]
    for res in r.indicators:
        if res.kind != "penalty":
            assert res.points == 0, res.name


@pytest.mark.parametrize(
    "ind",
    [pytest.param(r[2], id=RB.indicator(r[2]).id) for r in R1_TABLE if r[3] > 0],
)
def test_each_indicator_earns_its_weight_when_perfect(ind: str) -> None:
    """Full marks: every item satisfied earns exactly the weight (no rounding inside, R9)."""
    res = PERFECT_REPORT.indicator(ind)
    assert res.points == res.weight == RB.indicator(ind).weight


# ============================================================================ vetoes (R2)

#: Each indicator veto that a yes/no fact fires: (indicator, fact, value, veto id).
#: With every other fact perfect the items would earn the whole weight; the veto
#: ("该指标不得分") sets the indicator to 0.
VETOES = [
    ("jigou_zhineng", "column_stale", True, "stale"),
    ("jigou_zhineng", "rushed_publishing", True, "rushed"),
    ("jigou_zhineng", "falsified_content", True, "falsified"),
    ("lingdao_xinxi", "column_stale", True, "stale"),
    ("lingdao_xinxi", "rushed_publishing", True, "rushed"),
    ("lingdao_xinxi", "falsified_content", True, "falsified"),
    ("dongtai_yaowen", "rushed_publishing", True, "rushed"),
    ("dongtai_yaowen", "falsified_content", True, "falsified"),
    ("zhengce_wenjian", "rushed_publishing", True, "rushed"),
    ("zhengce_wenjian", "falsified_content", True, "falsified"),
    ("shuju_fabu", "rushed_publishing", True, "rushed"),
    ("shuju_fabu", "falsified_content", True, "falsified"),
    ("zhongda_jianshe_xiangmu", "column_stale", True, "stale"),
    ("zhongda_jianshe_xiangmu", "rushed_publishing", True, "rushed"),
    ("zhongda_jianshe_xiangmu", "falsified_content", True, "falsified"),
    ("gongyi_shiye_jianshe", "column_stale", True, "stale"),
    ("gongyi_shiye_jianshe", "rushed_publishing", True, "rushed"),
    ("gongyi_shiye_jianshe", "falsified_content", True, "falsified"),
    ("gonggong_ziyuan_peizhi", "column_stale", True, "stale"),
    ("gonggong_ziyuan_peizhi", "rushed_publishing", True, "rushed"),
    ("gonggong_ziyuan_peizhi", "falsified_content", True, "falsified"),
    ("zhuanti_zhuanlan", "column_stale", True, "stale"),
    ("zhuanti_zhuanlan", "rushed_publishing", True, "rushed"),
    ("zhuanti_zhuanlan", "falsified_content", True, "falsified"),
    ("zhengce_jiedu", "rushed_publishing", True, "rushed"),
    ("zhengce_jiedu", "falsified_content", True, "falsified"),
    ("fuwu_pindao_sheji", "only_links_to_province", True, "only_links"),
    ("chaxun_fuwu", "query_unusable", True, "unusable"),
    ("chaxun_fuwu", "falsified_content", True, "falsified"),
    ("zaixian_zixun", "no_messages_published", True, "no_messages"),
    ("zaixian_zixun", "answer_perfunctory", True, "perfunctory"),
    ("zhineng_wenda", "qa_unusable", True, "unusable"),
    ("zhineng_wenda", "answers_unrelated", True, "unrelated"),
    ("minyi_zhengji", "activities_reposted_or_unrelated", True, "reposted_or_unrelated"),
    ("minyi_zhengji", "feedback_falsified", True, "falsified"),
    ("zaixian_fangtan", "participated", False, "absent"),
    ("zhineng_sousuo", "title_not_found", True, "title_not_found"),
    ("shilaohua_wuzhangai", "features_broken_or_fake", True, "broken_or_fake"),
    ("guifan_sheji", "display_incompatible", True, "incompatible"),
    ("guifanxing_wenjian", "serious_misstatement", True, "serious_misstatement"),
    ("guifanxing_wenjian", "state_secret_leak", True, "state_secret"),
    ("guifanxing_wenjian", "prohibited_content", True, "prohibited_content"),
    ("guifanxing_wenjian", "falsified_content", True, "falsified"),
    ("guifanxing_wenjian", "negative_public_opinion", True, "negative_opinion"),
    ("xmt_banshi_fuwu", "query_unusable", True, "unusable"),
    ("xmt_banshi_fuwu", "falsified_content", True, "falsified"),
]


@pytest.mark.parametrize(
    ("indicator", "fact", "value", "veto"),
    [pytest.param(*row, id=f"{row[0]}-{row[3]}") for row in VETOES],
)
def test_indicator_veto(indicator: str, fact: str, value: bool, veto: str) -> None:
    """R2: 该指标不得分 — the items would earn the whole weight (in-plan but absent: the 20%
    on-schedule item); the veto gives 0."""
    res = result(indicator, {fact: value})
    items = sum((i.credit for i in res.items), F(0))
    assert items == (F(1, 5) if veto == "absent" else 1)
    assert res.points == 0 and res.vetoed
    assert [v.id for v in res.vetoes if v.fired] == [veto]


def test_every_indicator_veto_is_exercised() -> None:
    """Every indicator veto of the rulebook is fired by some case of this file (the stale
    vetoes of 动态要闻/政策文件/数据发布/政策解读 and 在线咨询's unanswered veto fire through
    their dates in the indicator tests below)."""
    by_dates = {
        ("dongtai_yaowen", "stale"),
        ("zhengce_wenjian", "stale"),
        ("shuju_fabu", "stale"),
        ("zhengce_jiedu", "stale"),
        ("zaixian_zixun", "unanswered"),
    }
    exercised = {(row[0], row[3]) for row in VETOES} | by_dates
    declared = {(ind.id, v.id) for ind in RB.indicators for v in ind.vetoes}
    assert exercised == declared


# ============================================================================ 政府信息公开


@pytest.mark.parametrize(
    CASE_ARGS,
    [
        # items 1 + 2: 2 × (50% + 50%) = 2
        case({}, 2, id="full"),
        # item 1 (集中规范发布机构设置信息) lost: 2 × 50% = 1
        case({"org_info_published": False}, 1, id="no-org-info"),
        # item 2 (no noise) lost: 2 × 50% = 1
        case({"content_matches_column": False}, 1, id="noise"),
        # both lost: 0, and no veto fired
        case({"org_info_published": False, "content_matches_column": False}, 0, id="none"),
    ],
)
def test_jigou_zhineng(facts: dict[str, Any], points: F, vetoes: tuple[str, ...], kw: Any) -> None:
    """机构职能 (2, stated): two 50% checks; vetoes in test_indicator_veto."""
    check("jigou_zhineng", facts, points, vetoes, kw)


@pytest.mark.parametrize(
    CASE_ARGS,
    [
        # 2 × (50% + 50%) = 2
        case({}, 2, id="full"),
        # item 1 (主要领导信息: 姓名、职务、分工) lost: 2 × 50% = 1
        case({"leaders_published": False}, 1, id="no-leaders"),
        # item 2 lost: 1
        case({"content_matches_column": False}, 1, id="noise"),
        case({"leaders_published": False, "content_matches_column": False}, 0, id="none"),
    ],
)
def test_lingdao_xinxi(facts: dict[str, Any], points: F, vetoes: tuple[str, ...], kw: Any) -> None:
    """领导信息 (2, stated): two 50% checks."""
    check("lingdao_xinxi", facts, points, vetoes, kw)


@pytest.mark.parametrize(
    CASE_ARGS,
    [
        # 30% + 20% × 4/4 + 20% + 30% = 100% of 3 = 3
        case({}, 3, id="full"),
        # item 1 (分类设置栏目, 30%) lost: 3 × 70% = 2.1
        case({"columns_by_level_or_type": False}, "2.1", id="no-columns"),
        # item 2: 3 of 4 spot checks → 20% × 3/4 = 15%; 30 + 15 + 20 + 30 = 95% of 3 = 2.85
        case({"repost_checks": checks(3, 4)}, "2.85", id="spot-3-of-4"),
        # item 2: 1 of 2 → 10%; 90% of 3 = 2.7
        case({"repost_checks": checks(1, 2)}, "2.7", id="spot-1-of-2"),
        # item 2: 0 of 4 → 0; 80% of 3 = 2.4
        case({"repost_checks": checks(0, 4)}, "2.4", id="spot-0-of-4"),
        # item 2: 5 of 6 (three months) → 20% × 5/6 = 50/3 %; 80% + 50/3 % = 290/3 % of 3 = 2.9
        case({"repost_checks": checks(5, 6)}, "2.9", id="spot-5-of-6"),
        # item 3 (注明来源, 20%) lost: 80% of 3 = 2.4
        case({"sources_noted": False}, "2.4", id="no-sources"),
        # item 4 (no noise, 30%) lost: 70% of 3 = 2.1
        case({"content_matches_column": False}, "2.1", id="noise"),
        # R2: last update 2023-11-01 is 14 days before 2023-11-15, inside the 2 weeks → 3
        case({"last_updated": "2023-11-01"}, 3, id="updated-14-days-before"),
        # R2: 2023-10-31 is 15 days before → not updated in the 2 weeks → veto, 0
        case({"last_updated": "2023-10-31"}, 0, ("stale",), id="updated-15-days-before"),
        # updated on the monitoring date itself → fresh → 3
        case({"last_updated": "2023-11-15"}, 3, id="updated-on-the-day"),
    ],
)
def test_dongtai_yaowen(facts: dict[str, Any], points: F, vetoes: tuple[str, ...], kw: Any) -> None:
    """动态要闻 (3, stated): 30% / 20% spot checks (R4, in proportion) / 20% / 30%;
    veto when not updated in the 14 days before the monitoring date (R2)."""
    check("dongtai_yaowen", facts, points, vetoes, kw)


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


@pytest.mark.parametrize(
    CASE_ARGS,
    [
        # 4 × (50% + 50%) = 4
        case({}, 4, id="full"),
        # item 1 (按文件类型分类) lost: 4 × 50% = 2
        case({"columns_by_document_type": False}, 2, id="no-types"),
        case({"content_matches_column": False}, 2, id="noise"),
        # R2: 6 calendar months before 2023-11-15 is 2023-05-15: updated that day → in time → 4
        case({"last_updated": "2023-05-15"}, 4, id="updated-6-months-before"),
        # R2: 2023-05-14 is before the window → stale → veto, 0
        case({"last_updated": "2023-05-14"}, 0, ("stale",), id="updated-a-day-earlier"),
        # R2 calendar months at a month end: monitoring 2023-08-31, 6 months before is
        # 2023-02-28 (February has no 31st): updated 02-28 → in time → 4 …
        case(
            {"last_updated": "2023-02-28"},
            4,
            id="month-end-in-time",
            monitoring_date="2023-08-31",
        ),
        # … updated 02-27 → stale → 0
        case(
            {"last_updated": "2023-02-27"},
            0,
            ("stale",),
            id="month-end-stale",
            monitoring_date="2023-08-31",
        ),
    ],
)
def test_zhengce_wenjian(
    facts: dict[str, Any], points: F, vetoes: tuple[str, ...], kw: Any
) -> None:
    """政策文件 (4, assumed): two 50% checks; veto when the first-level column was not
    updated in the 6 calendar months before the monitoring date (R2)."""
    check("zhengce_wenjian", facts, points, vetoes, kw)


@pytest.mark.parametrize(
    CASE_ARGS,
    [
        # 30% + 20% + 20% + 30% = 4
        case({}, 4, id="full"),
        # item 1 (30%) lost: 4 × 70% = 2.8
        case({"columns_by_use_or_business": False}, "2.8", id="no-columns"),
        # item 2 needs 检索 and 图表 and 下载 (并): no download → 20% lost → 4 × 80% = 3.2
        case({"data_download": False}, "3.2", id="no-download"),
        case({"data_charts": False}, "3.2", id="no-charts"),
        case({"data_search": False}, "3.2", id="no-search"),
        # R10 item 3: latest visualisation 2023-05-15, exactly 6 months before → earned → 4
        case({"last_visualisation_on": "2023-05-15"}, 4, id="visual-6-months-before"),
        # 2023-05-14 → outside the 6 months → 20% lost → 3.2
        case({"last_visualisation_on": "2023-05-14"}, "3.2", id="visual-too-old"),
        # never → 3.2
        case({"last_visualisation_on": None}, "3.2", id="visual-never"),
        # item 4 (30%) lost: 2.8
        case({"content_matches_column": False}, "2.8", id="noise"),
        # R2 staleness: updated 2023-05-15 → in time → 4; 2023-05-14 → veto → 0
        case({"last_updated": "2023-05-15"}, 4, id="updated-6-months-before"),
        case({"last_updated": "2023-05-14"}, 0, ("stale",), id="stale"),
    ],
)
def test_shuju_fabu(facts: dict[str, Any], points: F, vetoes: tuple[str, ...], kw: Any) -> None:
    """数据发布 (4, stated): 30% / 20% (query + charts + download) / 20% (R10: a chart
    within 6 months) / 30%; R2 staleness veto at 6 calendar months."""
    check("shuju_fabu", facts, points, vetoes, kw)


@pytest.mark.parametrize(
    CASE_ARGS,
    [
        # 3 × (50% + 50%) = 3
        case({}, 3, id="full"),
        # item 1 (项目全生命周期信息) lost: 3 × 50% = 1.5
        case({"lifecycle_published": False}, "1.5", id="no-lifecycle"),
        case({"content_matches_column": False}, "1.5", id="noise"),
        case({"lifecycle_published": False, "content_matches_column": False}, 0, id="none"),
    ],
)
def test_zhongda_jianshe_xiangmu(
    facts: dict[str, Any], points: F, vetoes: tuple[str, ...], kw: Any
) -> None:
    """重大建设项目 (3, assumed), for a department in appendix 1: two 50% checks."""
    check("zhongda_jianshe_xiangmu", facts, points, vetoes, kw)


@pytest.mark.parametrize(
    CASE_ARGS,
    [
        case({}, 3, id="full"),
        # item 1 (分类公开相关信息) lost: 3 × 50% = 1.5
        case({"published_by_category": False}, "1.5", id="not-by-category"),
        case({"content_matches_column": False}, "1.5", id="noise"),
    ],
)
def test_gongyi_shiye_jianshe(
    facts: dict[str, Any], points: F, vetoes: tuple[str, ...], kw: Any
) -> None:
    """公益事业建设 (3, stated), for a department in appendix 2: two 50% checks."""
    check("gongyi_shiye_jianshe", facts, points, vetoes, kw)


@pytest.mark.parametrize(
    CASE_ARGS,
    [
        case({}, 3, id="full"),
        case({"published_by_category": False}, "1.5", id="not-by-category"),
        case({"content_matches_column": False}, "1.5", id="noise"),
    ],
)
def test_gonggong_ziyuan_peizhi(
    facts: dict[str, Any], points: F, vetoes: tuple[str, ...], kw: Any
) -> None:
    """公共资源配置 (3, assumed), for a department in appendix 3: two 50% checks."""
    check("gonggong_ziyuan_peizhi", facts, points, vetoes, kw)


@pytest.mark.parametrize(
    CASE_ARGS,
    [
        # 15% + 15% + (25% + 25%) + 20% = 8
        case({}, 8, id="full"),
        # item 1 (重点工作任务专栏, 15%) lost: 8 × 85% = 6.8
        case({"key_task_column": False}, "6.8", id="no-key-task-column"),
        # item 2 (特色业务专栏, 15%) lost: 6.8
        case({"business_column": False}, "6.8", id="no-business-column"),
        # R10 item 3a: exactly 5 of the 7 kinds ("五类以上" includes 5) → still 25% → 8
        case({"kt_knowledge": False, "kt_interaction": False}, 8, id="key-task-5-of-7"),
        # 4 of 7 → the 25% half is lost → 8 × 75% = 6
        case(
            {"kt_results": False, "kt_knowledge": False, "kt_interaction": False},
            6,
            id="key-task-4-of-7",
        ),
        # R10 item 3b: the featured column needs all four of 政策/服务/知识/互动: 3 of 4 → 6
        case({"fb_interaction": False}, 6, id="business-3-of-4"),
        # both halves of item 3 lost: 8 × 50% = 4
        case(
            {
                "kt_background": False,
                "kt_policy_basis": False,
                "kt_progress": False,
                "fb_policy": False,
            },
            4,
            id="no-resources",
        ),
        # item 4 (一致性, 20%) lost: 8 × 80% = 6.4
        case({"content_matches_column": False}, "6.4", id="noise"),
    ],
)
def test_zhuanti_zhuanlan(
    facts: dict[str, Any], points: F, vetoes: tuple[str, ...], kw: Any
) -> None:
    """专题专栏 (8, assumed): 15% / 15% / 50% (R10: 25% for ≥5 of 7 key-task kinds, 25% for
    all 4 featured kinds) / 20%."""
    check("zhuanti_zhuanlan", facts, points, vetoes, kw)


@pytest.mark.parametrize(
    CASE_ARGS,
    [
        # 15% + 10% + 10% + 20% + 15% + 30% = 8
        case({}, 8, id="full"),
        # R10 item 1: 2 of 3 sampled policies interpreted → 15% × 2/3 = 10%: 95% of 8 = 7.6
        case({"sampled_policies_interpreted": 2}, "7.6", id="interpreted-2-of-3"),
        # 0 of 3 → 85% of 8 = 6.8
        case({"sampled_policies_interpreted": 0}, "6.8", id="interpreted-0-of-3"),
        # item 2 (形式多样, 10%) lost: 90% of 8 = 7.2
        case({"multiple_forms": False}, "7.2", id="one-form"),
        # item 3 (紧扣要点, 10%) lost: 7.2
        case({"content_focused": False}, "7.2", id="unfocused"),
        # item 4 (制发部门解读, 20%) lost: 80% of 8 = 6.4
        case({"interpreted_by_drafter": False}, "6.4", id="not-by-drafter"),
        # R10 item 5: 1 of 3 interpretations linked → 15% × 1/3 = 5%: 90% of 8 = 7.2
        case({"sampled_interpretations_linked": 1}, "7.2", id="linked-1-of-3"),
        # item 6 (30%) lost: 70% of 8 = 5.6
        case({"content_matches_column": False}, "5.6", id="noise"),
        # R2 staleness at 6 calendar months: 2023-05-15 → 8; 2023-05-14 → veto
        case({"last_updated": "2023-05-15"}, 8, id="updated-6-months-before"),
        case({"last_updated": "2023-05-14"}, 0, ("stale",), id="stale"),
    ],
)
def test_zhengce_jiedu(facts: dict[str, Any], points: F, vetoes: tuple[str, ...], kw: Any) -> None:
    """政策解读 (8, assumed): 15% (k/3) / 10% / 10% / 20% / 15% (k/3) / 30%."""
    check("zhengce_jiedu", facts, points, vetoes, kw)


def test_zhengce_jiedu_item_veto_zeroes_only_the_forms_item() -> None:
    """R2: 照搬政策原文 → "解读形式指标不得分": item 2 (10%) is zeroed although the forms
    are varied; the indicator keeps 90% of 8 = 7.2 and is not vetoed."""
    res = result("zhengce_jiedu", {"copies_policy_text": True})
    assert res.points == F("7.2") and not res.vetoed
    forms = next(i for i in res.items if i.id == "forms")
    assert forms.vetoed and forms.credit == 0


# ============================================================================ 办事服务


@pytest.mark.parametrize(
    CASE_ARGS,
    [
        # 30% + 50% + 20% = 4
        case({}, 4, id="full"),
        # item 1 (专属服务频道, 30%) lost: 4 × 70% = 2.8
        case({"own_service_channel": False}, "2.8", id="no-own-channel"),
        # item 2 (整合, 50%) lost: 4 × 50% = 2
        case({"channel_integrated": False}, 2, id="not-integrated"),
        # item 3 (一件事专题, 20%) lost: 4 × 80% = 3.2
        case({"one_thing_topics": False}, "3.2", id="no-one-thing"),
    ],
)
def test_fuwu_pindao_sheji(
    facts: dict[str, Any], points: F, vetoes: tuple[str, ...], kw: Any
) -> None:
    """服务频道设计 (4, stated): 30% / 50% / 20%; veto when it only links to the province."""
    check("fuwu_pindao_sheji", facts, points, vetoes, kw)


@pytest.mark.parametrize(
    CASE_ARGS,
    [
        # R4 item 2 (30%): the five forms earn 1/5 … 5/5 of 30%; items 1 + 3 = 70% of 6 = 4.2.
        # no query service: 0 → 4.2
        case({"query_form": "none"}, "4.2", id="form-none"),
        # 链接至上级名单名录: 6% → 76% of 6 = 4.56
        case({"query_form": "superior_list_link"}, "4.56", id="form-superior-list"),
        # 链接至上级查询系统: 12% → 82% of 6 = 4.92
        case({"query_form": "superior_query_link"}, "4.92", id="form-superior-query"),
        # 本级名单名录: 18% → 88% of 6 = 5.28
        case({"query_form": "own_list"}, "5.28", id="form-own-list"),
        # 本级查询系统: 24% → 94% of 6 = 5.64
        case({"query_form": "own_query"}, "5.64", id="form-own-query"),
        # 本地检索…高级查询: 30% → 100% → 6 (full marks)
        case({"query_form": "own_advanced"}, 6, id="full"),
        # item 1 (专属查询服务, 50%) lost: 6 × 50% = 3
        case({"own_query_services": False}, 3, id="no-own-queries"),
        # item 3 (20%) lost: 6 × 80% = 4.8
        case({"content_matches_column": False}, "4.8", id="noise"),
    ],
)
def test_chaxun_fuwu(facts: dict[str, Any], points: F, vetoes: tuple[str, ...], kw: Any) -> None:
    """查询服务 (6, derived): 50% / 30% in five levels (R4) / 20%."""
    check("chaxun_fuwu", facts, points, vetoes, kw)


def test_chaxun_fuwu_item_veto() -> None:
    """R2: "仅链接到省政务服务网，查询未包含本单位数据的不得分" sits inside the 50% item:
    it zeroes that item only → 30% + 20% = 50% of 6 = 3, the indicator not vetoed."""
    res = result("chaxun_fuwu", {"only_links_to_province": True})
    assert res.points == 3 and not res.vetoed
    assert [i.id for i in res.items if i.vetoed] == ["own_queries"]


# ============================================================================ 互动交流


@pytest.mark.parametrize(
    CASE_ARGS,
    [
        # asked Mon 11-06, answered Tue 11-07 = 1st working day after, accurate:
        # 50% + 25% + 25% = 3
        case({}, 3, id="full"),
        # answered the day it was asked → within 1 working day → 3
        case({"asked_on": "2023-11-07", "answered_on": "2023-11-07"}, 3, id="same-day"),
        # asked Fri 11-10, answered Mon 11-13: the weekend is not counted, Mon is the
        # 1st working day → 50% → 3
        case({"asked_on": "2023-11-10", "answered_on": "2023-11-13"}, 3, id="over-weekend"),
        # asked Thu 11-09, answered Sat 11-11: the 1st working day (Fri 11-10) has ended
        # → late for tier 1; within 5 → 20% + 25% + 25% = 70% of 3 = 2.1
        case({"asked_on": "2023-11-09", "answered_on": "2023-11-11"}, "2.1", id="saturday-late"),
        # R3: asked Thu 2023-09-28; 09-29…10-06 are holidays, Sat 10-07 is a make-up
        # working day = the 1st working day after → tier 1 → 3
        case({"asked_on": "2023-09-28", "answered_on": "2023-10-07"}, 3, id="r3-makeup-day"),
        # Sun 10-08 is the 2nd make-up working day → tier 2 → 2.1
        case({"asked_on": "2023-09-28", "answered_on": "2023-10-08"}, "2.1", id="r3-2nd-day"),
        # within the holiday: answered Mon 10-02 (a holiday, before the 1st working day) → 3
        case({"asked_on": "2023-09-28", "answered_on": "2023-10-02"}, 3, id="r3-in-holiday"),
        # 5th working day after 09-28: 10-07, 10-08, 10-09, 10-10, 10-11 → tier 2 → 2.1
        case({"asked_on": "2023-09-28", "answered_on": "2023-10-11"}, "2.1", id="r3-5th-day"),
        # 6th working day (10-12) → no tier: 0 + 25% + 25% = 50% of 3 = 1.5 (no veto)
        case({"asked_on": "2023-09-28", "answered_on": "2023-10-12"}, "1.5", id="r3-6th-day"),
        # 10th working day: 10-12 (6), 10-13 (7), 10-16 (8), 10-17 (9), 10-18 (10) → 1.5
        case({"asked_on": "2023-09-28", "answered_on": "2023-10-18"}, "1.5", id="r3-10th-day"),
        # 11th working day (10-19): "超过10个工作日未答复" → veto → 0
        case(
            {"asked_on": "2023-09-28", "answered_on": "2023-10-19"},
            0,
            ("unanswered",),
            id="r3-11th-day",
        ),
        # never answered, asked Mon 10-30: its 10th working day (11-13) has passed by the
        # monitoring date 11-15 → veto → 0 (R4 amended; tests/test_pending.py has the open
        # question that is not assessed yet)
        case(
            {"asked_on": "2023-10-30", "answered_on": None, "answer_accurate": False},
            0,
            ("unanswered",),
            id="never",
        ),
        # answered next day but not accurately → no tier → 1.5
        case({"answer_accurate": False}, "1.5", id="inaccurate"),
        # R2 item 2: last public message 2023-05-15 (6 months before 11-15) → 25% → 3
        case({"last_message_published_on": "2023-05-15"}, 3, id="messages-6-months"),
        # 2023-05-14 → not updated in the 6 months → 75% of 3 = 2.25
        case({"last_message_published_on": "2023-05-14"}, "2.25", id="messages-old"),
        # item 3 (统计数据, 25%) lost: 2.25
        case({"statistics_published": False}, "2.25", id="no-statistics"),
    ],
)
def test_zaixian_zixun(facts: dict[str, Any], points: F, vetoes: tuple[str, ...], kw: Any) -> None:
    """在线咨询 (3, stated): item 1 tiers (R4: ≤1 working day and accurate 50%, ≤5 and
    accurate 20%, else 0; R3 calendar) / 25% / 25%; vetoes: no public messages, not
    answered within 10 working days, perfunctory answer."""
    check("zaixian_zixun", facts, points, vetoes, kw)


@pytest.mark.parametrize(
    CASE_ARGS,
    [
        case({}, 2, id="full"),
        # item 1 (实时智能问答, 50%) lost: 1
        case({"realtime_qa": False}, 1, id="not-realtime"),
        # item 2 (回复准确, 50%) lost: 1
        case({"answers_accurate": False}, 1, id="inaccurate"),
    ],
)
def test_zhineng_wenda(facts: dict[str, Any], points: F, vetoes: tuple[str, ...], kw: Any) -> None:
    """智能问答 (2, stated): two 50% checks."""
    check("zhineng_wenda", facts, points, vetoes, kw)


@pytest.mark.parametrize(
    CASE_ARGS,
    [
        # 6 consultations: 30% + 20% + 30% + 20% = 5
        case({}, 5, id="full"),
        # R4: "超过3次" → 4 is enough → 5
        case({"consultations_2023": 4}, 5, id="4-consultations"),
        # 3 is not more than 3 → item 3 (30%) lost → 70% of 5 = 3.5
        case({"consultations_2023": 3}, "3.5", id="3-consultations"),
        case({"consultations_2023": 0}, "3.5", id="no-consultations"),
        # item 1 (在线渠道, 30%) lost: 3.5
        case({"online_channel": False}, "3.5", id="email-only"),
        # item 2 (20%) lost: 80% of 5 = 4
        case({"on_relevant_topics": False}, 4, id="off-topic"),
        # item 4 (公开意见总体情况, 20%) lost (e.g. "共有0人发表意见" templates): 4
        case({"feedback_published": False}, 4, id="no-feedback"),
    ],
)
def test_minyi_zhengji(facts: dict[str, Any], points: F, vetoes: tuple[str, ...], kw: Any) -> None:
    """民意征集 (5, derived): 30% / 20% / 30% (more than 3 in 2023) / 20%."""
    check("minyi_zhengji", facts, points, vetoes, kw)


@pytest.mark.parametrize(
    CASE_ARGS,
    [
        # 80% + 20% = 2
        case({}, 2, id="full"),
        # item 2 (按计划时间, 20%) lost: 80% of 2 = 1.6
        case({"on_schedule": False}, "1.6", id="late"),
        # in the plan and absent → "本指标不得分" → 0
        case({"participated": False, "on_schedule": False}, 0, ("absent",), id="absent"),
    ],
)
def test_zaixian_fangtan(
    facts: dict[str, Any], points: F, vetoes: tuple[str, ...], kw: Any
) -> None:
    """在线访谈/新闻发布会 (2, stated): 80% / 20%; applies to the interview plan only (R7)."""
    check("zaixian_fangtan", facts, points, vetoes, kw)


# ============================================================================ 功能应用


@pytest.mark.parametrize(
    CASE_ARGS,
    [
        # 4 × 15% + 40% = 3
        case({}, 3, id="full"),
        # R10 item 1: no typo correction → 15% lost → 85% of 3 = 2.55
        case({"typo_correction": False}, "2.55", id="no-typo"),
        # two of four fuzzy functions → 30% lost → 70% of 3 = 2.1
        case({"pinyin_search": False, "plain_language_search": False}, "2.1", id="fuzzy-2-of-4"),
        # none of the four → 40% of 3 = 1.2
        case(
            {
                "typo_correction": False,
                "keyword_suggestions": False,
                "pinyin_search": False,
                "plain_language_search": False,
            },
            "1.2",
            id="no-fuzzy",
        ),
        # item 2 needs grouping and ranking (以及): no grouping → 40% lost → 60% of 3 = 1.8
        case({"results_grouped": False}, "1.8", id="not-grouped"),
        case({"results_ranked": False}, "1.8", id="not-ranked"),
    ],
)
def test_zhineng_sousuo(facts: dict[str, Any], points: F, vetoes: tuple[str, ...], kw: Any) -> None:
    """智能搜索 (3, stated): 60% as four 15% functions (R10) / 40%."""
    check("zhineng_sousuo", facts, points, vetoes, kw)


@pytest.mark.parametrize(
    CASE_ARGS,
    [
        # 9 × 1/9 = 100% of 2 = 2
        case({}, 2, id="full"),
        # R10: no large cursor → 8/9 of 2 = 16/9
        case({"large_cursor": False}, F(16, 9), id="8-of-9"),
        # three of nine → 3/9 of 2 = 2/3
        case(
            {
                "view_switching": False,
                "colour_schemes": False,
                "guide_lines": False,
                "page_zoom": False,
                "large_captions": False,
                "large_cursor": False,
            },
            F(2, 3),
            id="3-of-9",
        ),
        # none → 0
        case(
            {k: False for k in PERFECT["shilaohua_wuzhangai"] if k != "features_broken_or_fake"},
            0,
            id="none",
        ),
    ],
)
def test_shilaohua_wuzhangai(
    facts: dict[str, Any], points: F, vetoes: tuple[str, ...], kw: Any
) -> None:
    """适老化及无障碍 (2, stated): 9 features, 1/9 of the weight each (R10)."""
    check("shilaohua_wuzhangai", facts, points, vetoes, kw)


@pytest.mark.parametrize(
    CASE_ARGS,
    [
        # 30% + 7 × 30%/7 + 2 × 20% = 3
        case({}, 3, id="full"),
        # item 1 (网站名称, 30%) lost: 70% of 3 = 2.1
        case({"name_in_header": False}, "2.1", id="no-name"),
        # R10 item 2: 6 of 7 footer elements → 30% × 6/7 lost 3/70 of the weight:
        # 3 × (1 − 3/70) = 3 × 67/70 = 201/70
        case({"footer_icp": False}, F(201, 70), id="footer-6-of-7"),
        # 3 of 7 → 30% × 3/7 = 9/70: 30% + 9/70 + 40% = 58/70 = 29/35 of 3 = 87/35
        case(
            {
                "footer_party_gov_mark": False,
                "footer_site_code": False,
                "footer_sponsor": False,
                "footer_error_report": False,
            },
            F(87, 35),
            id="footer-3-of-7",
        ),
        # R10 item 3: content page labels wrong → 20% lost → 80% of 3 = 2.4
        case({"content_page_labels": False}, "2.4", id="content-page"),
        # both sampled pages wrong → 60% of 3 = 1.8
        case({"content_page_labels": False, "column_page_labels": False}, "1.8", id="both-pages"),
    ],
)
def test_guifan_sheji(facts: dict[str, Any], points: F, vetoes: tuple[str, ...], kw: Any) -> None:
    """规范设计 (3, assumed): 30% / 30% as 7 footer elements (R10) / 40% as two pages."""
    check("guifan_sheji", facts, points, vetoes, kw)


@pytest.mark.parametrize(
    CASE_ARGS,
    [
        # 100% → 1
        case({}, 1, id="full"),
        # the single 100% item lost → 0 (there is no part: the indicator is one check)
        case({"single_sign_on": False}, 0, id="none"),
    ],
)
def test_yihao_denglu(facts: dict[str, Any], points: F, vetoes: tuple[str, ...], kw: Any) -> None:
    """一号登录 (1, stated): one 100% check."""
    check("yihao_denglu", facts, points, vetoes, kw)


@pytest.mark.parametrize(
    CASE_ARGS,
    [
        case({}, 2, id="full"),
        # item 1 (网站地图, 50%) lost: 1
        case({"sitemap_accurate": False}, 1, id="sitemap"),
        # item 2 (栏目重复建设, 50%) lost: 1
        case({"channel_nav_friendly": False}, 1, id="duplicate-columns"),
        case({"sitemap_accurate": False, "channel_nav_friendly": False}, 0, id="none"),
    ],
)
def test_daohang_tixi(facts: dict[str, Any], points: F, vetoes: tuple[str, ...], kw: Any) -> None:
    """导航体系 (2, stated): two 50% checks."""
    check("daohang_tixi", facts, points, vetoes, kw)


@pytest.mark.parametrize(
    CASE_ARGS,
    [
        # no deductions: 100% of 5 = 5
        case({}, 5, id="full"),
        # R5 sub-sites 5% each, cap 20%: 1 → 5% → 95% of 5 = 4.75
        case({"subsites_not_merged": 1}, "4.75", id="subsites-1"),
        # 4 → 20% = the cap exactly → 80% of 5 = 4
        case({"subsites_not_merged": 4}, 4, id="subsites-4-at-cap"),
        # 5 → 25% stopped at 20% → 4
        case({"subsites_not_merged": 5}, 4, id="subsites-5-past-cap"),
        # IPv6 notices 5% each, cap 30%: 1 → 4.75; 6 → 30% → 3.5; 7 → 35% → 30% → 3.5
        case({"ipv6_notices": 1}, "4.75", id="ipv6-1"),
        case({"ipv6_notices": 6}, "3.5", id="ipv6-6-at-cap"),
        case({"ipv6_notices": 7}, "3.5", id="ipv6-7-past-cap"),
        # R5 records: 5% each, cap 30%, counted over all checks (not bounded by 5):
        # 5 → 25% → 75% of 5 = 3.75; 6 → 30% → 3.5 (the cap binds at 6); 7 → 3.5
        case({"records_not_synced": 5}, "3.75", id="records-5"),
        case({"records_not_synced": 6}, "3.5", id="records-6-at-cap"),
        case({"records_not_synced": 7}, "3.5", id="records-7-past-cap"),
        # unused platform functions 10% each, cap 20%: 1 → 4.5; 2 → 4; 3 → 30% → 20% → 4
        case({"platform_functions_unused": 1}, "4.5", id="platform-1"),
        case({"platform_functions_unused": 2}, 4, id="platform-2-at-cap"),
        case({"platform_functions_unused": 3}, 4, id="platform-3-past-cap"),
        # mixed: 2 × 5% + 1 × 5% + 3 × 5% + 1 × 10% = 40% → 60% of 5 = 3
        case(
            {
                "subsites_not_merged": 2,
                "ipv6_notices": 1,
                "records_not_synced": 3,
                "platform_functions_unused": 1,
            },
            3,
            id="mixed",
        ),
        # every bucket at its cap: 20% + 30% + 30% + 20% = 100% → 0
        case(
            {
                "subsites_not_merged": 4,
                "ipv6_notices": 6,
                "records_not_synced": 6,
                "platform_functions_unused": 2,
            },
            0,
            id="all-at-cap",
        ),
    ],
)
def test_jiyuehua_pingtai(
    facts: dict[str, Any], points: F, vetoes: tuple[str, ...], kw: Any
) -> None:
    """集约化平台及统一资源库建设应用情况 (5, assumed): only capped deductions (R5):
    score = 5 × (100% − capped deductions)."""
    check("jiyuehua_pingtai", facts, points, vetoes, kw)


def test_jiyuehua_records_cap_is_marked() -> None:
    """R5: 7 bad records × 5% = 35% is stopped at the 30% cap, and the trace says so;
    6 × 5% = 30% reaches the cap without passing it."""
    seven = result("jiyuehua_pingtai", {"records_not_synced": 7})
    d7 = next(i for i in seven.items if i.id == "data_quality").deductions[0]
    assert (d7.count, d7.amount, d7.points, d7.capped) == (7, F("0.3"), F("1.5"), True)
    six = result("jiyuehua_pingtai", {"records_not_synced": 6})
    d6 = next(i for i in six.items if i.id == "data_quality").deductions[0]
    assert (d6.count, d6.amount, d6.capped) == (6, F("0.3"), False)


# ============================================================================ 管理保障


@pytest.mark.parametrize(
    CASE_ARGS,
    [
        # 15% + 15% + 20% + 20% + 30% = 5
        case({}, 5, id="full"),
        # R8 item 1: blank or stale columns → 15% lost → 85% of 5 = 4.25
        case({"blank_or_stale_columns": True}, "4.25", id="blank-columns"),
        # R8 item 2: any broken link loses the 15% item, once: 1 → 4.25, 25 → 4.25
        case({"broken_links": 1}, "4.25", id="broken-link-1"),
        case({"broken_links": 25}, "4.25", id="broken-links-25"),
        # R8 item 3: collects personal data without a privacy statement → 20% → 4
        case({"privacy_statement": False}, 4, id="no-privacy-statement"),
        # … but a site that collects nothing needs no statement → 5
        case({"collects_personal_data": False, "privacy_statement": False}, 5, id="collects-none"),
        # R8 item 4: a privacy leak → 20% → 4
        case({"privacy_leak": True}, 4, id="privacy-leak"),
        # R5 item 5 (30%): each overdue 找错 message 5% of the weight:
        # 1 → 95% of 5 = 4.75; 2 → 4.5; 5 → 25% → 3.75
        case({"reports_overdue": 1}, "4.75", id="overdue-1"),
        case({"reports_overdue": 2}, "4.5", id="overdue-2"),
        case({"reports_overdue": 5}, "3.75", id="overdue-5"),
        # 6 → 30% = the item's share → 3.5; 7 → 35% stops at the 30% share → 3.5
        case({"reports_overdue": 6}, "3.5", id="overdue-6-at-share"),
        case({"reports_overdue": 7}, "3.5", id="overdue-7-past-share"),
        # one message overdue by a month: 50% of the weight, stopped at the 30% share → 3.5
        case({"reports_overdue_month": 1}, "3.5", id="overdue-month-1"),
        # one of each bucket: 5% + 50% = 55% → stopped at 30% → 3.5
        case({"reports_overdue": 1, "reports_overdue_month": 1}, "3.5", id="both-buckets"),
        # everything lost: 0
        case(
            {
                "blank_or_stale_columns": True,
                "broken_links": 3,
                "privacy_statement": False,
                "privacy_leak": True,
                "reports_overdue_month": 2,
            },
            0,
            id="none",
        ),
    ],
)
def test_yunwei_guanli(facts: dict[str, Any], points: F, vetoes: tuple[str, ...], kw: Any) -> None:
    """运维管理情况 (5, stated): 15% / 15% / 20% / 20% (R8: earned when no problem is found)
    / 30% with deductions of 5% and 50% of the weight that stop at the share (R5)."""
    check("yunwei_guanli", facts, points, vetoes, kw)


@pytest.mark.parametrize(
    CASE_ARGS,
    [
        # published 2023-01-18, prominent, filed and sent: 60% + 40% = 1
        case({}, 1, id="full"),
        # R8: published on 2023-01-31, the deadline itself → in time → 1
        case({"report_published_on": "2023-01-31"}, 1, id="on-31-january"),
        # 2023-02-01 → late → item 1 (60%) lost → 0.4
        case({"report_published_on": "2023-02-01"}, "0.4", id="1-february"),
        # never published → 0.4
        case({"report_published_on": None}, "0.4", id="never"),
        # in time but not prominent → 0.4
        case({"report_prominent": False}, "0.4", id="not-prominent"),
        # item 2 (40%) needs filing and sending: not filed → 0.6
        case({"url_filed_on_time": False}, "0.6", id="not-filed"),
        case({"sent_to_city_portal": False}, "0.6", id="not-sent"),
    ],
)
def test_niandu_baobiao(facts: dict[str, Any], points: F, vetoes: tuple[str, ...], kw: Any) -> None:
    """政府网站年度报表发布 (1, stated): 60% by 31 January (R8) and prominent / 40%."""
    check("niandu_baobiao", facts, points, vetoes, kw)


@pytest.mark.parametrize(
    CASE_ARGS,
    [
        # no bad document: 3
        case({}, 3, id="full"),
        # R5: 10% of the weight per bad document: 1 → 90% of 3 = 2.7
        case({"bad_documents": 1}, "2.7", id="bad-1"),
        # 3 → 70% of 3 = 2.1
        case({"bad_documents": 3}, "2.1", id="bad-3"),
        # 9 → 10% of 3 = 0.3
        case({"bad_documents": 9}, "0.3", id="bad-9"),
        # 10 → 0 exactly; 11 → 110% stops at 100% → 0, never negative
        case({"bad_documents": 10}, 0, id="bad-10"),
        case({"bad_documents": 11}, 0, id="bad-11"),
    ],
)
def test_guifanxing_wenjian(
    facts: dict[str, Any], points: F, vetoes: tuple[str, ...], kw: Any
) -> None:
    """现行有效行政规范性文件归集推送情况 (3, derived): −10% per bad document down to 0 (R5);
    the severe cases are vetoes (test_indicator_veto)."""
    check("guifanxing_wenjian", facts, points, vetoes, kw)


@pytest.mark.parametrize(
    CASE_ARGS,
    [
        # R8: the editorial office's score out of 3, taken as given: 3 → 3
        case({}, 3, id="full"),
        case({"editorial_points": Decimal("2.5")}, "2.5", id="2.5"),
        case({"editorial_points": Decimal("1.75")}, "1.75", id="1.75"),
        case({"editorial_points": 0}, 0, id="zero"),
    ],
)
def test_neirong_baozhang(
    facts: dict[str, Any], points: F, vetoes: tuple[str, ...], kw: Any
) -> None:
    """咸宁市网站内容保障 (3, stated): 3 × given / 3 = the given score."""
    check("neirong_baozhang", facts, points, vetoes, kw)


def test_neirong_baozhang_out_of_range() -> None:
    """A score above 3 is a findings error (WZ406), not clamped."""
    with pytest.raises(wzeval.ValidationFailed) as exc:
        score({"neirong_baozhang": {"editorial_points": Decimal("3.5")}})
    assert [i.code for i in exc.value.issues] == ["WZ406"]


# ============================================================================ 政务新媒体


@pytest.mark.parametrize(
    CASE_ARGS,
    [
        # 40% + 40% + 20% = 2
        case({}, 2, id="full"),
        # item 1 needs accounts and a prominent entry: no entry → 40% lost → 1.2
        case({"entry_prominent": False}, "1.2", id="no-entry"),
        case({"accounts_opened": False}, "1.2", id="no-accounts"),
        # item 2 (一平台一账号, 40%) lost: 1.2
        case({"one_account_per_platform": False}, "1.2", id="duplicate-accounts"),
        # item 3 (矩阵, 20%) lost: 1.6
        case({"media_matrix": False}, "1.6", id="no-matrix"),
    ],
)
def test_xmt_jiyue_kaishe(
    facts: dict[str, Any], points: F, vetoes: tuple[str, ...], kw: Any
) -> None:
    """集约开设 (2, stated): 40% / 40% / 20%."""
    check("xmt_jiyue_kaishe", facts, points, vetoes, kw)


@pytest.mark.parametrize(
    CASE_ARGS,
    [
        # 4 × 5% + 40% + 20% + 20% = 3
        case({}, 3, id="full"),
        # R10 item 1: no 回应关切 posts → 5% lost → 95% of 3 = 2.85
        case({"posts_responses": False}, "2.85", id="kinds-3-of-4"),
        # none of the four kinds → 80% of 3 = 2.4
        case(
            {
                "posts_news": False,
                "posts_policies": False,
                "posts_interpretations": False,
                "posts_responses": False,
            },
            "2.4",
            id="kinds-none",
        ),
        # item 2 (更新频率, 40%) lost: 60% of 3 = 1.8
        case({"update_frequency_met": False}, "1.8", id="infrequent"),
        # item 3 / item 4 (20% each) lost: 2.4
        case({"mobile_pages": False}, "2.4", id="not-mobile"),
        case({"same_source": False}, "2.4", id="not-same-source"),
        # R5 item 5: one irrelevant post −50% of 3 = −1.5 from 3 → 1.5
        case({"irrelevant_posts": 1}, "1.5", id="irrelevant-1"),
        # two → −3 → 0 exactly
        case({"irrelevant_posts": 2}, 0, id="irrelevant-2"),
        # three → −4.5, "扣完为止" → 0
        case({"irrelevant_posts": 3}, 0, id="irrelevant-3"),
        # taken from what the items earned: 1.8 − 1.5 = 0.3
        case({"update_frequency_met": False, "irrelevant_posts": 1}, "0.3", id="partial-then-1"),
        # 40% of 3 = 1.2 earned − 1.5 → 0
        case(
            {"update_frequency_met": False, "mobile_pages": False, "irrelevant_posts": 1},
            0,
            id="partial-then-floor",
        ),
    ],
)
def test_xmt_xinxi_fabu(facts: dict[str, Any], points: F, vetoes: tuple[str, ...], kw: Any) -> None:
    """信息发布 (3, derived): 20% as four 5% kinds (R10) / 40% / 20% / 20%, then −50% of
    the weight per irrelevant post, down to 0 (R5)."""
    check("xmt_xinxi_fabu", facts, points, vetoes, kw)


@pytest.mark.parametrize(
    CASE_ARGS,
    [
        # 60% + 20% + 20% = 1
        case({}, 1, id="full"),
        # item 1 (60%) lost: 0.4
        case({"mobile_services": False}, "0.4", id="no-services"),
        # item 2 / item 3 (20% each) lost: 0.8
        case({"same_source": False}, "0.8", id="not-same-source"),
        case({"novel_design": False}, "0.8", id="plain-design"),
    ],
)
def test_xmt_banshi_fuwu(
    facts: dict[str, Any], points: F, vetoes: tuple[str, ...], kw: Any
) -> None:
    """新媒体 办事服务 (1, stated): 60% / 20% / 20%."""
    check("xmt_banshi_fuwu", facts, points, vetoes, kw)


def test_xmt_banshi_fuwu_item_veto() -> None:
    """R2: "仅链接到省政务服务网…不得分" inside the 60% item zeroes only that item:
    20% + 20% = 0.4, the indicator not vetoed."""
    res = result("xmt_banshi_fuwu", {"only_links_to_province": True})
    assert res.points == F("0.4") and not res.vetoed
    assert [i.id for i in res.items if i.vetoed] == ["services"]


@pytest.mark.parametrize(
    CASE_ARGS,
    [
        case({}, 1, id="full"),
        # item 1 (咨询功能, 50%) lost: 0.5
        case({"consultation_channel": False}, "0.5", id="no-channel"),
        # item 2 (回复及时, 50%) lost: 0.5
        case({"replies_timely": False}, "0.5", id="slow-replies"),
        case({"consultation_channel": False, "replies_timely": False}, 0, id="none"),
    ],
)
def test_xmt_hudong_jiaoliu(
    facts: dict[str, Any], points: F, vetoes: tuple[str, ...], kw: Any
) -> None:
    """新媒体 互动交流 (1, stated): two 50% checks."""
    check("xmt_hudong_jiaoliu", facts, points, vetoes, kw)


@pytest.mark.parametrize(
    CASE_ARGS,
    [
        # 4/4 spot checks, 5 joint first releases, 5 joint campaigns: 40% + 40% + 20% = 3
        case({}, 3, id="full"),
        # R4 item 1: 3 of 4 checks → 40% × 3/4 = 30% → 90% of 3 = 2.7
        case({"repost_checks": checks(3, 4)}, "2.7", id="spot-3-of-4"),
        # 1 of 2 → 20% → 80% of 3 = 2.4
        case({"repost_checks": checks(1, 2)}, "2.4", id="spot-1-of-2"),
        # 0 of 4 → 60% of 3 = 1.8
        case({"repost_checks": checks(0, 4)}, "1.8", id="spot-0-of-4"),
        # R4 item 2 bands (40%): 0 → 0 → 60% of 3 = 1.8
        case({"joint_first_releases": 0}, "1.8", id="firsts-0"),
        # 1 → half = 20% → 80% of 3 = 2.4; 4 → 2.4
        case({"joint_first_releases": 1}, "2.4", id="firsts-1"),
        case({"joint_first_releases": 4}, "2.4", id="firsts-4"),
        # 5 → all 40% → 3; 12 → 3
        case({"joint_first_releases": 5}, 3, id="firsts-5"),
        case({"joint_first_releases": 12}, 3, id="firsts-12"),
        # R4 item 3 bands (20%): 0 → 80% of 3 = 2.4; 1 → 10% → 90% = 2.7; 4 → 2.7; 5 → 3
        case({"joint_campaigns": 0}, "2.4", id="campaigns-0"),
        case({"joint_campaigns": 1}, "2.7", id="campaigns-1"),
        case({"joint_campaigns": 4}, "2.7", id="campaigns-4"),
        case({"joint_campaigns": 5}, 3, id="campaigns-5"),
        # 2 of 4 checks, 3 firsts, 0 campaigns: 20% + 20% + 0 = 40% of 3 = 1.2
        case(
            {"repost_checks": checks(2, 4), "joint_first_releases": 3, "joint_campaigns": 0},
            "1.2",
            id="mixed",
        ),
    ],
)
def test_xmt_xietiao_liandong(
    facts: dict[str, Any], points: F, vetoes: tuple[str, ...], kw: Any
) -> None:
    """协调联动 (3, stated): 40% spot checks in proportion (R4) / 40% and 20% in count bands
    0 / 1–4 (half) / 5+ (all) (R4)."""
    check("xmt_xietiao_liandong", facts, points, vetoes, kw)


def test_xmt_xietiao_liandong_no_spot_checks_is_not_assessed() -> None:
    """R4: no checks made → item 1 not assessed; with partial scoring 40% + 20% = 60% of 3
    = 1.8 is earned and the item is listed."""
    with pytest.raises(wzeval.ValidationFailed):
        score({"xmt_xietiao_liandong": {"repost_checks": []}})
    r = score({"xmt_xietiao_liandong": {"repost_checks": []}}, partial=True)
    assert r.indicator("协调联动").points == F("1.8")
    assert [(n.indicator, n.item) for n in r.not_assessed] == [("xmt_xietiao_liandong", "reposts")]


# ============================================================================ 加分指标 (R6)

PANEL_KEYS = [
    "panel_necessity",
    "panel_integration",
    "panel_innovation",
    "panel_effectiveness",
    "panel_sustainability",
    "panel_exemplarity",
]


def panel(*means: list[Any]) -> dict[str, Any]:
    return dict(zip(PANEL_KEYS, means, strict=True))


@pytest.mark.parametrize(
    CASE_ARGS,
    [
        # every reviewer gives 1 on every criterion: 100% of 8 = 8
        case({}, 8, id="full"),
        # no case submitted: [0] everywhere → 0
        case(panel([0], [0], [0], [0], [0], [0]), 0, id="no-case"),
        # necessity 0.8, 0.7, 0.6 → mean 0.7 × 20% = 14% (6% lost) → 94% of 8 = 7.52
        case({"panel_necessity": ["0.8", "0.7", "0.6"]}, "7.52", id="necessity-mean"),
        # a realistic panel of two:
        #   必要性 (0.9+0.8)/2 = 0.85 × 20% = 17%
        #   整合度 (0.7+0.8)/2 = 0.75 × 20% = 15%
        #   创新性 (0.6+0.6)/2 = 0.6 × 15% = 9%
        #   实效性 (0.8+0.9)/2 = 0.85 × 15% = 12.75%
        #   持续性 (0.5+0.7)/2 = 0.6 × 15% = 9%
        #   示范性 (0.4+0.6)/2 = 0.5 × 15% = 7.5%
        #   total 70.25% of 8 = 5.62
        case(
            panel(
                ["0.9", "0.8"],
                ["0.7", "0.8"],
                ["0.6", "0.6"],
                ["0.8", "0.9"],
                ["0.5", "0.7"],
                ["0.4", "0.6"],
            ),
            "5.62",
            id="panel-of-two",
        ),
        # exact thirds: necessity 1, 0, 0 → mean 1/3 × 20% of 8 = 8/15, the rest 0
        case(panel([1, 0, 0], [0], [0], [0], [0], [0]), F(8, 15), id="thirds"),
    ],
)
def test_chuangxin_anli(facts: dict[str, Any], points: F, vetoes: tuple[str, ...], kw: Any) -> None:
    """优秀创新案例 (bonus 8): six criteria 20/20/15/15/15/15% rated 0–1 by the panel, the
    mean of the reviewers (R6)."""
    facts = {k: [Decimal(v) for v in vs] for k, vs in facts.items()}
    check("chuangxin_anli", facts, points, vetoes, kw)


@pytest.mark.parametrize(
    CASE_ARGS,
    [
        # R6: any commendation 50%, any central-media report 50%: 2
        case({}, 2, id="full"),
        case({"superior_commendations": 0}, 1, id="report-only"),
        case({"central_media_reports": 0}, 1, id="commendation-only"),
        case({"superior_commendations": 0, "central_media_reports": 0}, 0, id="none"),
        # several do not earn more than the share: 3 and 5 → still 2
        case({"superior_commendations": 3, "central_media_reports": 5}, 2, id="many"),
    ],
)
def test_biaozhang_xuanchuan(
    facts: dict[str, Any], points: F, vetoes: tuple[str, ...], kw: Any
) -> None:
    """表彰宣传 (bonus 2): 50% + 50% (R6)."""
    check("biaozhang_xuanchuan", facts, points, vetoes, kw)


def test_bonus_adds_to_the_rescaled_base() -> None:
    """Bonus is not rescaled: panel 5.62 (above) + commendation 1 = 6.62; base 100 → 106.62."""
    r = score(
        {
            "chuangxin_anli": panel(
                *(
                    [Decimal(a), Decimal(b)]
                    for a, b in [
                        ("0.9", "0.8"),
                        ("0.7", "0.8"),
                        ("0.6", "0.6"),
                        ("0.8", "0.9"),
                        ("0.5", "0.7"),
                        ("0.4", "0.6"),
                    ]
                )
            ),
            "biaozhang_xuanchuan": {"central_media_reports": 0},
        }
    )
    assert (r.base, r.bonus, r.total) == fs(100, F("6.62"), F("106.62"))


# ============================================================================ 扣分指标 (R6)


@pytest.mark.parametrize(
    CASE_ARGS,
    [
        case({}, 0, id="none"),
        # R6: provincial office notice −5% of 4 = −0.2; city office −0.2
        case({"provincial_notices": 1}, "-0.2", id="provincial-1"),
        case({"city_notices": 1}, "-0.2", id="city-1"),
        # State Council office notice −50% of 4 = −2
        case({"state_council_notices": 1}, -2, id="state-1"),
        # 1 state + 3 provincial + 2 city: −2 − 0.6 − 0.4 = −3
        case(
            {"state_council_notices": 1, "provincial_notices": 3, "city_notices": 2},
            -3,
            id="mixed",
        ),
        # 2 state notices: −100% = −4, the floor reached exactly
        case({"state_council_notices": 2}, -4, id="state-2-floor"),
        # 1 state + 10 provincial: −2 − 2 = −4 exactly
        case({"state_council_notices": 1, "provincial_notices": 10}, -4, id="floor-exact"),
        # 1 state + 10 provincial + 1 city: −4.2 → never below the weight → −4
        case(
            {"state_council_notices": 1, "provincial_notices": 10, "city_notices": 1},
            -4,
            id="past-floor",
        ),
        # 3 state: −6 → −4
        case({"state_council_notices": 3}, -4, id="state-3"),
        # 20 city: −4 exactly; 21 city: −4.2 → −4
        case({"city_notices": 20}, -4, id="city-20"),
        case({"city_notices": 21}, -4, id="city-21"),
    ],
)
def test_tongbao_baoguang(
    facts: dict[str, Any], points: F, vetoes: tuple[str, ...], kw: Any
) -> None:
    """通报曝光 (−4): −50% / −5% / −5% of 4 per notice, never below −4 (R6)."""
    check("tongbao_baoguang", facts, points, vetoes, kw)


@pytest.mark.parametrize(
    CASE_ARGS,
    [
        case({}, 0, id="none"),
        # R6: central media −50% of 4 = −2; provincial −10% = −0.4; city −5% = −0.2
        case({"central_media_exposures": 1}, -2, id="central-1"),
        case({"provincial_media_exposures": 1}, "-0.4", id="provincial-1"),
        case({"city_media_exposures": 1}, "-0.2", id="city-1"),
        # 1 central + 2 provincial + 3 city: −2 − 0.8 − 0.6 = −3.4
        case(
            {
                "central_media_exposures": 1,
                "provincial_media_exposures": 2,
                "city_media_exposures": 3,
            },
            "-3.4",
            id="mixed",
        ),
        # 10 provincial: −4 exactly; 11: −4.4 → −4
        case({"provincial_media_exposures": 10}, -4, id="provincial-10-floor"),
        case({"provincial_media_exposures": 11}, -4, id="provincial-11"),
        # 2 central + 1 provincial: −4.4 → −4
        case({"central_media_exposures": 2, "provincial_media_exposures": 1}, -4, id="past-floor"),
    ],
)
def test_meiti_baoguang(facts: dict[str, Any], points: F, vetoes: tuple[str, ...], kw: Any) -> None:
    """媒体曝光 (−4): −50% / −10% / −5% of 4 per exposure, never below −4 (R6)."""
    check("meiti_baoguang", facts, points, vetoes, kw)


@pytest.mark.parametrize(
    CASE_ARGS,
    [
        case({}, 0, id="none"),
        # R6: −50% of 2 = −1 each: 1 → −1; 2 → −2 (the floor); 3 → −3 → −2
        case({"inaccurate_items": 1}, -1, id="one"),
        case({"inaccurate_items": 2}, -2, id="two-floor"),
        case({"inaccurate_items": 3}, -2, id="three"),
    ],
)
def test_zhengwu_fuwu_shixiang(
    facts: dict[str, Any], points: F, vetoes: tuple[str, ...], kw: Any
) -> None:
    """政务服务事项 (−2): −50% of 2 per inaccurate guide, never below −2 (R6)."""
    check("zhengwu_fuwu_shixiang", facts, points, vetoes, kw)


def test_penalties_add_to_the_total() -> None:
    """Penalties come off the total, not the base: 1 provincial notice (−0.2), 1 city
    media exposure (−0.2), 1 inaccurate guide (−1) → penalty −1.4; total 110 − 1.4."""
    r = score(
        {
            "tongbao_baoguang": {"provincial_notices": 1},
            "meiti_baoguang": {"city_media_exposures": 1},
            "zhengwu_fuwu_shixiang": {"inaccurate_items": 1},
        }
    )
    assert (r.base, r.bonus, r.penalty, r.total) == fs(100, 10, F("-1.4"), F("108.6"))


# ============================================================================ applicability (R7)


def test_department_outside_appendix_1_is_not_assessed_on_major_projects() -> None:
    """R7: 市民政局 is in appendices 2 and 4 only, so 重大建设项目 (3) and 公共资源配置 (3)
    do not apply: base possible 100 − 3 − 3 = 94.  No facts are needed for them.
    With 机构职能 (2) lost as well: raw 94 − 2 = 92; base = 100 × 92 / 94 = 4600/47
    (≈ 97.87); total 4600/47 + 10."""
    r = score(
        {
            "zhongda_jianshe_xiangmu": None,
            "gonggong_ziyuan_peizhi": None,
            "jigou_zhineng": {"org_info_published": False, "content_matches_column": False},
        },
        department="市民政局",
    )
    assert not r.indicator("重大建设项目").applicable
    assert not r.indicator("公共资源配置").applicable
    assert r.indicator("公益事业建设").applicable
    assert r.indicator("重大建设项目").max_points == 0
    assert (r.base_raw, r.base_possible) == fs(92, 94)
    assert r.base == F(4600, 47)
    assert r.total == F(4600, 47) + 10
    assert wzeval.display(r.base) == "97.87"


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


@pytest.mark.parametrize(
    ("department", "not_applicable", "possible"),
    [
        # 市发改委: appendices 1, 3, 4 — not 2 → 公益事业建设 out: 97
        ("市发改委", ["公益事业建设"], 97),
        # 市教育局: appendices 1, 2, 4 — not 3 → 公共资源配置 out: 97
        ("市教育局", ["公共资源配置"], 97),
        # 市财政局: appendices 3, 4 → 重大建设项目, 公益事业建设 out: 94
        ("市财政局", ["重大建设项目", "公益事业建设"], 94),
        # 市公共资源交易中心: appendices 1, 3 (not 4: 查询服务 still applies) → 公益 out: 97
        ("市公共资源交易中心", ["公益事业建设"], 97),
        # 市生态环境局: all four appendices → nothing out: 100
        ("市生态环境局", [], 100),
        # the alias 市发展和改革委员会 is 市发改委
        ("市发展和改革委员会", ["公益事业建设"], 97),
    ],
)
def test_applicability_by_appendix(
    department: str, not_applicable: list[str], possible: int
) -> None:
    """R7: appendices 1–3 decide who is assessed on 重大建设项目 / 公益事业建设 / 公共资源配置;
    查询服务 applies to every department.  A perfect department still rescales to 100."""
    r = score(department=department)
    assert [i.name for i in r.indicators if not i.applicable] == not_applicable
    assert r.base_possible == possible and r.base == 100


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


# ============================================================================ R9


def test_exact_inside_rounded_once_when_shown() -> None:
    """R9: 规范设计 with one footer element missing earns exactly 201/70 (≈ 2.8714), i.e.
    9/70 is lost; the base keeps the exact value 100 − 9/70 = 6991/70 (≈ 99.8714) and
    is rounded once when shown: 99.87."""
    r = score({"guifan_sheji": {"footer_icp": False}})
    assert r.indicator("规范设计").points == F(201, 70)
    assert r.base == F(6991, 70)
    assert wzeval.display(r.base) == "99.87"


# ============================================================================ partial scoring


def test_partial_leaves_an_indicator_with_derived_facts_unassessed() -> None:
    """Partial scoring with 动态要闻 (which derives column_stale from last_updated) not yet
    recorded: it should be listed as not assessed, naming the facts it still needs, and
    earn 0 of its 3 points; base 97 of 100."""
    r = score({"dongtai_yaowen": None}, partial=True)
    (na,) = r.not_assessed
    assert na.indicator == "dongtai_yaowen" and "last_updated" in na.missing
    assert (r.base_raw, r.base_possible) == fs(97, 100)
