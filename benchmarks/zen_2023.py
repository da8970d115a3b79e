"""The 2023 rubric as a GoRules JDM decision graph, for ``zen-engine`` (the ``bench`` extra).

:func:`decision_graph` builds the JSON Decision Model: request → one expression node
computing every indicator's points (``p.<id>``) in ZEN expressions, then the totals
from those (``$.p...``) → response.  It covers the whole rubric (all 36 indicators).

ZEN has no exact fractions (it computes with decimals, so 1/9 is rounded) and no PRC
working-day calendar, so :func:`flat_facts` hands it *flat facts*: every recorded
value as JSON, dates as day numbers (``date.toordinal()``), the monitoring date and
"six months before it" as day numbers, and the three calendar tests of 在线咨询
(answered within 1, 5, 10 working days) computed in Python with wzeval's calendar.
The benchmark compares its points per indicator with wzeval's, rounded to 6 places.
"""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction
from typing import Any

from wzeval.checking._findings import Findings
from wzeval.core._calendar import within_working_days

__all__ = ["decision_graph", "flat_facts"]


def _months_before(d: date, n: int) -> date:
    from calendar import monthrange

    y, m0 = divmod(d.year * 12 + d.month - 1 - n, 12)
    return date(y, m0 + 1, min(d.day, monthrange(y, m0 + 1)[1]))


def _json(value: object) -> object:
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if isinstance(value, Fraction):
        return float(value)
    if isinstance(value, date):
        return value.toordinal()
    if isinstance(value, list):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    raise TypeError(type(value))


def flat_facts(findings: Findings) -> dict[str, Any]:
    """The findings as the flat JSON facts the decision reads."""
    out: dict[str, Any] = {
        "md": findings.monitoring_date.toordinal(),
        "md6": _months_before(findings.monitoring_date, 6).toordinal(),
        "catalogs": list(findings.catalogs),
    }
    for ind, records in findings.facts.items():
        out[ind] = {k: _json(r.value) for k, r in records.items()}
    zx = findings.facts.get("zaixian_zixun", {})
    if "asked_on" in zx and "answered_on" in zx:
        asked, answered = zx["asked_on"].value, zx["answered_on"].value
        for n in (1, 5, 10):
            ok = answered is not None and within_working_days(asked, answered, n)  # type: ignore[arg-type]
            out["zaixian_zixun"][f"within_{n}"] = ok
    return out


def _yes(cond: str, share: str) -> str:
    return f"(({cond}) ? {share} : 0)"


def _veto(cond: str, credit: str) -> str:
    return f"(({cond}) ? 0 : ({credit}))"


def _sum(*parts: str) -> str:
    return " + ".join(parts)


def _publication(i: str, fact: str) -> str:
    c = _sum(_yes(f"{i}.{fact}", "0.5"), _yes(f"{i}.content_matches_column", "0.5"))
    return _veto(f"{i}.column_stale or {i}.rushed_publishing or {i}.falsified_content", c)


def _stale(i: str, stale: str, credit: str) -> str:
    return _veto(f"({stale}) or {i}.rushed_publishing or {i}.falsified_content", credit)


def _prop(passed: str, checked: str, share: str) -> str:
    return f"(({checked}) > 0 ? {share} * ({passed}) / ({checked}) : 0)"


def _capped(n: str, each: str, cap: str) -> str:
    return f"min([{each} * {n}, {cap}])"


def _deduct(share: str, *taken: str) -> str:
    return f"({share} - min([{' + '.join(taken)}, {share}]))"


def _band(n: str, low: str, high: str) -> str:
    return f"({n} == 0 ? 0 : ({n} <= 4 ? {low} : {high}))"


def _credits() -> dict[str, str]:
    """Each indicator's credit (a fraction of its weight) as a ZEN expression."""
    c: dict[str, str] = {}
    c["jigou_zhineng"] = _publication("jigou_zhineng", "org_info_published")
    c["lingdao_xinxi"] = _publication("lingdao_xinxi", "leaders_published")
    i = "dongtai_yaowen"
    c[i] = _stale(
        i,
        f"md - {i}.last_updated > 14",
        _sum(
            _yes(f"{i}.columns_by_level_or_type", "0.3"),
            _prop(f"count({i}.repost_checks, #.reposted)", f"len({i}.repost_checks)", "0.2"),
            _yes(f"{i}.sources_noted", "0.2"),
            _yes(f"{i}.content_matches_column", "0.3"),
        ),
    )
    i = "zhengce_wenjian"
    c[i] = _stale(
        i,
        f"{i}.last_updated < md6",
        _sum(
            _yes(f"{i}.columns_by_document_type", "0.5"), _yes(f"{i}.content_matches_column", "0.5")
        ),
    )
    i = "shuju_fabu"
    c[i] = _stale(
        i,
        f"{i}.last_updated < md6",
        _sum(
            _yes(f"{i}.columns_by_use_or_business", "0.3"),
            _yes(f"{i}.data_search and {i}.data_charts and {i}.data_download", "0.2"),
            _yes(f"{i}.last_visualisation_on != null and {i}.last_visualisation_on >= md6", "0.2"),
            _yes(f"{i}.content_matches_column", "0.3"),
        ),
    )
    c["zhongda_jianshe_xiangmu"] = _publication("zhongda_jianshe_xiangmu", "lifecycle_published")
    c["gongyi_shiye_jianshe"] = _publication("gongyi_shiye_jianshe", "published_by_category")
    c["gonggong_ziyuan_peizhi"] = _publication("gonggong_ziyuan_peizhi", "published_by_category")
    i = "zhuanti_zhuanlan"
    kinds = " + ".join(
        f"({i}.kt_{k} ? 1 : 0)"
        for k in ("background", "policy_basis", "progress", "results", "services", "knowledge")
    )
    kinds += f" + ({i}.kt_interaction ? 1 : 0)"
    c[i] = _veto(
        f"{i}.column_stale or {i}.rushed_publishing or {i}.falsified_content",
        _sum(
            _yes(f"{i}.key_task_column", "0.15"),
            _yes(f"{i}.business_column", "0.15"),
            _yes(f"{kinds} >= 5", "0.25"),
            _yes(
                f"{i}.fb_policy and {i}.fb_services and {i}.fb_knowledge and {i}.fb_interaction",
                "0.25",
            ),
            _yes(f"{i}.content_matches_column", "0.2"),
        ),
    )
    i = "zhengce_jiedu"
    c[i] = _stale(
        i,
        f"{i}.last_updated < md6",
        _sum(
            _prop(f"{i}.sampled_policies_interpreted", "3", "0.15"),
            f"({i}.copies_policy_text ? 0 : {_yes(f'{i}.multiple_forms', '0.1')})",
            _yes(f"{i}.content_focused", "0.1"),
            _yes(f"{i}.interpreted_by_drafter", "0.2"),
            _prop(f"{i}.sampled_interpretations_linked", "3", "0.15"),
            _yes(f"{i}.content_matches_column", "0.3"),
        ),
    )
    i = "fuwu_pindao_sheji"
    c[i] = _veto(
        f"{i}.only_links_to_province",
        _sum(
            _yes(f"{i}.own_service_channel", "0.3"),
            _yes(f"{i}.channel_integrated", "0.5"),
            _yes(f"{i}.one_thing_topics", "0.2"),
        ),
    )
    i = "chaxun_fuwu"
    levels = (
        f"({i}.query_form == 'superior_list_link' ? 0.06 : "
        f"({i}.query_form == 'superior_query_link' ? 0.12 : "
        f"({i}.query_form == 'own_list' ? 0.18 : "
        f"({i}.query_form == 'own_query' ? 0.24 : "
        f"({i}.query_form == 'own_advanced' ? 0.3 : 0)))))"
    )
    c[i] = _veto(
        f"{i}.query_unusable or {i}.falsified_content",
        _sum(
            f"({i}.only_links_to_province ? 0 : {_yes(f'{i}.own_query_services', '0.5')})",
            levels,
            _yes(f"{i}.content_matches_column", "0.2"),
        ),
    )
    i = "zaixian_zixun"
    tier = (
        f"(({i}.within_1 and {i}.answer_accurate) ? 0.5 : "
        f"(({i}.within_5 and {i}.answer_accurate) ? 0.2 : 0))"
    )
    c[i] = _veto(
        f"{i}.no_messages_published or not {i}.within_10 or {i}.answer_perfunctory",
        _sum(
            tier,
            _yes(
                f"{i}.last_message_published_on != null and {i}.last_message_published_on >= md6",
                "0.25",
            ),
            _yes(f"{i}.statistics_published", "0.25"),
        ),
    )
    i = "zhineng_wenda"
    c[i] = _veto(
        f"{i}.qa_unusable or {i}.answers_unrelated",
        _sum(_yes(f"{i}.realtime_qa", "0.5"), _yes(f"{i}.answers_accurate", "0.5")),
    )
    i = "minyi_zhengji"
    c[i] = _veto(
        f"{i}.activities_reposted_or_unrelated or {i}.feedback_falsified",
        _sum(
            _yes(f"{i}.online_channel", "0.3"),
            _yes(f"{i}.on_relevant_topics", "0.2"),
            _yes(f"{i}.consultations_2023 > 3", "0.3"),
            _yes(f"{i}.feedback_published", "0.2"),
        ),
    )
    i = "zaixian_fangtan"
    c[i] = _veto(
        f"{i}.in_interview_plan and not {i}.participated",
        _sum(_yes(f"{i}.participated", "0.8"), _yes(f"{i}.on_schedule", "0.2")),
    )
    i = "zhineng_sousuo"
    c[i] = _veto(
        f"{i}.title_not_found",
        _sum(
            *(
                _yes(f"{i}.{k}", "0.15")
                for k in ("typo_correction", "keyword_suggestions", "pinyin_search")
            ),
            _yes(f"{i}.plain_language_search", "0.15"),
            _yes(f"{i}.results_grouped and {i}.results_ranked", "0.4"),
        ),
    )
    i = "shilaohua_wuzhangai"
    features = (
        "view_switching",
        "colour_schemes",
        "guide_lines",
        "page_zoom",
        "large_captions",
        "large_cursor",
        "wide_spacing",
        "large_interface",
        "screen_reader",
    )
    c[i] = _veto(
        f"{i}.features_broken_or_fake",
        f"({' + '.join(f'({i}.{k} ? 1 : 0)' for k in features)}) / 9",
    )
    i = "guifan_sheji"
    footer: tuple[str, ...] = ("party_gov_mark", "site_code", "sponsor", "contact", "icp")
    footer += ("police_record", "error_report")
    c[i] = _veto(
        f"{i}.display_incompatible",
        _sum(
            _yes(f"{i}.name_in_header", "0.3"),
            f"0.3 * ({' + '.join(f'({i}.footer_{k} ? 1 : 0)' for k in footer)}) / 7",
            _yes(f"{i}.content_page_labels", "0.2"),
            _yes(f"{i}.column_page_labels", "0.2"),
        ),
    )
    c["yihao_denglu"] = _yes("yihao_denglu.single_sign_on", "1")
    i = "daohang_tixi"
    c[i] = _sum(_yes(f"{i}.sitemap_accurate", "0.5"), _yes(f"{i}.channel_nav_friendly", "0.5"))
    i = "jiyuehua_pingtai"
    c[i] = _sum(
        _deduct("0.2", _capped(f"{i}.subsites_not_merged", "0.05", "0.2")),
        _deduct("0.3", _capped(f"{i}.ipv6_notices", "0.05", "0.3")),
        _deduct("0.3", _capped(f"{i}.records_not_synced", "0.05", "0.3")),
        _deduct("0.2", _capped(f"{i}.platform_functions_unused", "0.1", "0.2")),
    )
    i = "yunwei_guanli"
    c[i] = _sum(
        _yes(f"not {i}.blank_or_stale_columns", "0.15"),
        _yes(f"{i}.broken_links == 0", "0.15"),
        _yes(f"not {i}.collects_personal_data or {i}.privacy_statement", "0.2"),
        _yes(f"not {i}.privacy_leak", "0.2"),
        _deduct(
            "0.3",
            _capped(f"{i}.reports_overdue", "0.05", "0.3"),
            _capped(f"{i}.reports_overdue_month", "0.5", "0.3"),
        ),
    )
    i = "niandu_baobiao"
    jan31 = date(2023, 1, 31).toordinal()
    c[i] = _sum(
        _yes(
            f"{i}.report_published_on != null and {i}.report_published_on <= {jan31} "
            f"and {i}.report_prominent",
            "0.6",
        ),
        _yes(f"{i}.url_filed_on_time and {i}.sent_to_city_portal", "0.4"),
    )
    i = "guifanxing_wenjian"
    c[i] = _veto(
        f"{i}.serious_misstatement or {i}.state_secret_leak or {i}.prohibited_content "
        f"or {i}.falsified_content or {i}.negative_public_opinion",
        _deduct("1", _capped(f"{i}.bad_documents", "0.1", "1")),
    )
    c["neirong_baozhang"] = "neirong_baozhang.editorial_points / 3"
    i = "xmt_jiyue_kaishe"
    c[i] = _sum(
        _yes(f"{i}.accounts_opened and {i}.entry_prominent", "0.4"),
        _yes(f"{i}.one_account_per_platform", "0.4"),
        _yes(f"{i}.media_matrix", "0.2"),
    )
    i = "xmt_xinxi_fabu"
    earned = _sum(
        *(_yes(f"{i}.posts_{k}", "0.05") for k in ("news", "policies", "interpretations")),
        _yes(f"{i}.posts_responses", "0.05"),
        _yes(f"{i}.update_frequency_met", "0.4"),
        _yes(f"{i}.mobile_pages", "0.2"),
        _yes(f"{i}.same_source", "0.2"),
    )
    c[i] = f"max([0, {earned} - 0.5 * {i}.irrelevant_posts])"
    i = "xmt_banshi_fuwu"
    c[i] = _veto(
        f"{i}.query_unusable or {i}.falsified_content",
        _sum(
            f"({i}.only_links_to_province ? 0 : {_yes(f'{i}.mobile_services', '0.6')})",
            _yes(f"{i}.same_source", "0.2"),
            _yes(f"{i}.novel_design", "0.2"),
        ),
    )
    i = "xmt_hudong_jiaoliu"
    c[i] = _sum(_yes(f"{i}.consultation_channel", "0.5"), _yes(f"{i}.replies_timely", "0.5"))
    i = "xmt_xietiao_liandong"
    c[i] = _sum(
        _prop(f"count({i}.repost_checks, #.reposted)", f"len({i}.repost_checks)", "0.4"),
        _band(f"{i}.joint_first_releases", "0.2", "0.4"),
        _band(f"{i}.joint_campaigns", "0.1", "0.2"),
    )
    i = "chuangxin_anli"
    c[i] = _sum(
        f"0.2 * avg({i}.panel_necessity)",
        f"0.2 * avg({i}.panel_integration)",
        f"0.15 * avg({i}.panel_innovation)",
        f"0.15 * avg({i}.panel_effectiveness)",
        f"0.15 * avg({i}.panel_sustainability)",
        f"0.15 * avg({i}.panel_exemplarity)",
    )
    i = "biaozhang_xuanchuan"
    c[i] = _sum(
        _yes(f"{i}.superior_commendations >= 1", "0.5"),
        _yes(f"{i}.central_media_reports >= 1", "0.5"),
    )
    i = "tongbao_baoguang"
    c[i] = (
        f"min([0.5 * {i}.state_council_notices + 0.05 * {i}.provincial_notices"
        f" + 0.05 * {i}.city_notices, 1])"
    )
    i = "meiti_baoguang"
    c[i] = (
        f"min([0.5 * {i}.central_media_exposures + 0.1 * {i}.provincial_media_exposures"
        f" + 0.05 * {i}.city_media_exposures, 1])"
    )
    c["zhengwu_fuwu_shixiang"] = "min([0.5 * zhengwu_fuwu_shixiang.inaccurate_items, 1])"
    return c


_APPLIES = {
    "zhongda_jianshe_xiangmu": "'appendix1' in catalogs",
    "gongyi_shiye_jianshe": "'appendix2' in catalogs",
    "gonggong_ziyuan_peizhi": "'appendix3' in catalogs",
    "zaixian_fangtan": "zaixian_fangtan.in_interview_plan",
}


def decision_graph() -> str:
    """The JDM graph (JSON text) of the whole 2023 rubric."""
    from handwritten_2023 import WEIGHTS

    expressions: list[dict[str, str]] = []
    base_terms: list[str] = []
    possible_terms: list[str] = []
    bonus_terms: list[str] = []
    penalty_terms: list[str] = []
    for ident, credit in _credits().items():
        weight, kind = WEIGHTS[ident]
        applies = _APPLIES.get(ident)
        points = f"{weight} * ({credit})"
        if applies is not None:
            expressions.append({"key": f"a.{ident}", "value": applies})
            points = f"($.a.{ident} ? {points} : 0)"
            possible = f"($.a.{ident} ? {weight} : 0)"
        else:
            possible = str(weight)
        expressions.append({"key": f"p.{ident}", "value": points})
        if kind == "base":
            base_terms.append(f"$.p.{ident}")
            possible_terms.append(possible)
        elif kind == "bonus":
            bonus_terms.append(f"$.p.{ident}")
        else:
            penalty_terms.append(f"$.p.{ident}")
    expressions += [
        {"key": "base_raw", "value": " + ".join(base_terms)},
        {"key": "base_possible", "value": " + ".join(possible_terms)},
        {"key": "base", "value": "$.base_raw * 100 / $.base_possible"},
        {"key": "bonus", "value": " + ".join(bonus_terms)},
        {"key": "penalty", "value": " + ".join(penalty_terms)},
        {"key": "total", "value": "$.base + $.bonus + $.penalty"},
    ]
    for n, e in enumerate(expressions):
        e["id"] = f"e{n}"
    graph = {
        "nodes": [
            {"id": "in", "type": "inputNode", "name": "request", "position": {"x": 0, "y": 0}},
            {
                "id": "rubric",
                "type": "expressionNode",
                "name": "rubric-2023",
                "position": {"x": 300, "y": 0},
                "content": {"expressions": expressions},
            },
            {"id": "out", "type": "outputNode", "name": "response", "position": {"x": 600, "y": 0}},
        ],
        "edges": [
            {"id": "e-in", "sourceId": "in", "targetId": "rubric", "type": "edge"},
            {"id": "e-out", "sourceId": "rubric", "targetId": "out", "type": "edge"},
        ],
    }
    return json.dumps(graph, ensure_ascii=False)
