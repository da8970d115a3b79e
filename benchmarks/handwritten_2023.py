"""The 2023 rubric written out by hand in plain Python: the practical speed limit.

:func:`score` computes, for checked :class:`wzeval.Findings` against the bundled
2023 rulebook, every indicator's points and the totals, exactly (``Fraction``),
the way a programmer would code the table without a rule engine: one branch per
indicator, every expression inlined, no explanations.  It is the baseline
``benchmarks/bench_evaluate.py`` compares :func:`wzeval.evaluate` with, and
``tests/scoring/test_handwritten_baseline.py`` proves it gives the same points per
indicator as the engine on every example and on generated findings.

An indicator whose facts are not all recorded scores 0 and stays in the base
(the engine's "not assessed"); a spot-check item with no checks made earns 0.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from wzeval.checking._findings import FactRecord, Findings
from wzeval.core._calendar import within_working_days

__all__ = ["WEIGHTS", "HandScore", "score"]

F = Fraction
_0 = F(0)
_1 = F(1)


class _Missing(Exception):
    """A fact the indicator needs was not recorded."""


@dataclass(frozen=True)
class HandScore:
    """Points per indicator and the totals, as the engine's report has them."""

    points: dict[str, Fraction]
    max_points: dict[str, Fraction]
    base_raw: Fraction
    base_possible: Fraction
    base: Fraction
    bonus: Fraction
    penalty: Fraction
    total: Fraction


#: (weight, kind) of every indicator, in rulebook order.
WEIGHTS: dict[str, tuple[int, str]] = {
    "jigou_zhineng": (2, "base"),
    "lingdao_xinxi": (2, "base"),
    "dongtai_yaowen": (3, "base"),
    "zhengce_wenjian": (4, "base"),
    "shuju_fabu": (4, "base"),
    "zhongda_jianshe_xiangmu": (3, "base"),
    "gongyi_shiye_jianshe": (3, "base"),
    "gonggong_ziyuan_peizhi": (3, "base"),
    "zhuanti_zhuanlan": (8, "base"),
    "zhengce_jiedu": (8, "base"),
    "fuwu_pindao_sheji": (4, "base"),
    "chaxun_fuwu": (6, "base"),
    "zaixian_zixun": (3, "base"),
    "zhineng_wenda": (2, "base"),
    "minyi_zhengji": (5, "base"),
    "zaixian_fangtan": (2, "base"),
    "zhineng_sousuo": (3, "base"),
    "shilaohua_wuzhangai": (2, "base"),
    "guifan_sheji": (3, "base"),
    "yihao_denglu": (1, "base"),
    "daohang_tixi": (2, "base"),
    "jiyuehua_pingtai": (5, "base"),
    "yunwei_guanli": (5, "base"),
    "niandu_baobiao": (1, "base"),
    "guifanxing_wenjian": (3, "base"),
    "neirong_baozhang": (3, "base"),
    "xmt_jiyue_kaishe": (2, "base"),
    "xmt_xinxi_fabu": (3, "base"),
    "xmt_banshi_fuwu": (1, "base"),
    "xmt_hudong_jiaoliu": (1, "base"),
    "xmt_xietiao_liandong": (3, "base"),
    "chuangxin_anli": (8, "bonus"),
    "biaozhang_xuanchuan": (2, "bonus"),
    "tongbao_baoguang": (-4, "penalty"),
    "meiti_baoguang": (-4, "penalty"),
    "zhengwu_fuwu_shixiang": (-2, "penalty"),
}


class _Facts:
    """The recorded values of one indicator; a missing one raises :class:`_Missing`."""

    __slots__ = ("v",)

    def __init__(self, records: Mapping[str, FactRecord]) -> None:
        self.v = {k: r.value for k, r in records.items()}

    def __getattr__(self, name: str) -> object:
        try:
            return self.v[name]
        except KeyError:
            raise _Missing(name) from None


def _months_before(d: date, n: int) -> date:
    y, m0 = divmod(d.year * 12 + d.month - 1 - n, 12)
    return date(y, m0 + 1, min(d.day, monthrange(y, m0 + 1)[1]))


def _yes(cond: object, share: Fraction) -> Fraction:
    return share if cond else _0


def _proportion(passed: int, checked: int, share: Fraction) -> Fraction:
    return share * F(passed, checked) if checked else _0  # no checks: not assessed, 0


def _capped(n: object, each: Fraction, cap: Fraction) -> Fraction:
    assert isinstance(n, int)
    return min(each * n, cap)


def _deduct_item(share: Fraction, *taken: Fraction) -> Fraction:
    return share - min(sum(taken, _0), share)


def _stale_veto(f: _Facts, stale: object, credit: Fraction) -> Fraction:
    """The publication indicators: a stale column, rushed or falsified content zero them."""
    if stale or f.rushed_publishing or f.falsified_content:
        return _0
    return credit


# Each function returns the indicator's credit (a fraction of its weight); points = weight × it.

_S2, _S3, _S5, _S10, _S20 = F(1, 2), F(1, 3), F(1, 5), F(1, 10), F(1, 20)
_3_10, _3_20, _3_5, _2_5, _4_5, _9 = F(3, 10), F(3, 20), F(3, 5), F(2, 5), F(4, 5), F(1, 9)


def _publication(item: str) -> Callable[[_Facts, Findings], Fraction]:
    def credit(f: _Facts, fd: Findings) -> Fraction:
        c = _yes(getattr(f, item), _S2) + _yes(f.content_matches_column, _S2)
        return _stale_veto(f, f.column_stale, c)

    return credit


def _dongtai_yaowen(f: _Facts, fd: Findings) -> Fraction:
    stale = (fd.monitoring_date - f.last_updated).days > 14  # type: ignore[operator]
    checks = f.repost_checks
    assert isinstance(checks, list)
    c = (
        _yes(f.columns_by_level_or_type, _3_10)
        + _proportion(sum(1 for r in checks if r["reposted"]), len(checks), _S5)
        + _yes(f.sources_noted, _S5)
        + _yes(f.content_matches_column, _3_10)
    )
    return _stale_veto(f, stale, c)


def _zhengce_wenjian(f: _Facts, fd: Findings) -> Fraction:
    stale = f.last_updated < _months_before(fd.monitoring_date, 6)  # type: ignore[operator]
    c = _yes(f.columns_by_document_type, _S2) + _yes(f.content_matches_column, _S2)
    return _stale_veto(f, stale, c)


def _shuju_fabu(f: _Facts, fd: Findings) -> Fraction:
    half_year = _months_before(fd.monitoring_date, 6)
    vis = f.last_visualisation_on
    stale = f.last_updated < half_year  # type: ignore[operator]
    c = (
        _yes(f.columns_by_use_or_business, _3_10)
        + _yes(f.data_search and f.data_charts and f.data_download, _S5)
        + _yes(vis is not None and vis >= half_year, _S5)  # type: ignore[operator]
        + _yes(f.content_matches_column, _3_10)
    )
    return _stale_veto(f, stale, c)


def _zhuanti_zhuanlan(f: _Facts, fd: Findings) -> Fraction:
    kinds = sum(
        1
        for x in (
            f.kt_background,
            f.kt_policy_basis,
            f.kt_progress,
            f.kt_results,
            f.kt_services,
            f.kt_knowledge,
            f.kt_interaction,
        )
        if x
    )
    c = (
        _yes(f.key_task_column, _3_20)
        + _yes(f.business_column, _3_20)
        + _yes(kinds >= 5, F(1, 4))
        + _yes(f.fb_policy and f.fb_services and f.fb_knowledge and f.fb_interaction, F(1, 4))
        + _yes(f.content_matches_column, _S5)
    )
    return _stale_veto(f, f.column_stale, c)


def _zhengce_jiedu(f: _Facts, fd: Findings) -> Fraction:
    stale = f.last_updated < _months_before(fd.monitoring_date, 6)  # type: ignore[operator]
    c = (
        _proportion(f.sampled_policies_interpreted, 3, _3_20)  # type: ignore[arg-type]
        + (_0 if f.copies_policy_text else _yes(f.multiple_forms, _S10))
        + _yes(f.content_focused, _S10)
        + _yes(f.interpreted_by_drafter, _S5)
        + _proportion(f.sampled_interpretations_linked, 3, _3_20)  # type: ignore[arg-type]
        + _yes(f.content_matches_column, _3_10)
    )
    return _stale_veto(f, stale, c)


def _fuwu_pindao_sheji(f: _Facts, fd: Findings) -> Fraction:
    c = (
        _yes(f.own_service_channel, _3_10)
        + _yes(f.channel_integrated, _S2)
        + _yes(f.one_thing_topics, _S5)
    )
    return _0 if f.only_links_to_province else c


_QUERY_FORM = {
    "none": _0,
    "superior_list_link": F(3, 50),
    "superior_query_link": F(3, 25),
    "own_list": F(9, 50),
    "own_query": F(6, 25),
    "own_advanced": _3_10,
}


def _chaxun_fuwu(f: _Facts, fd: Findings) -> Fraction:
    c = (
        (_0 if f.only_links_to_province else _yes(f.own_query_services, _S2))
        + _QUERY_FORM[f.query_form]  # type: ignore[index]
        + _yes(f.content_matches_column, _S5)
    )
    return _0 if f.query_unusable or f.falsified_content else c


def _zaixian_zixun(f: _Facts, fd: Findings) -> Fraction:
    asked, answered = f.asked_on, f.answered_on
    accurate = f.answer_accurate
    last = f.last_message_published_on

    def within(n: int) -> bool:
        return answered is not None and within_working_days(asked, answered, n)  # type: ignore[arg-type]

    if within(1) and accurate:
        tier = _S2
    elif within(5) and accurate:
        tier = _S5
    else:
        tier = _0
    recent = last is not None and last >= _months_before(fd.monitoring_date, 6)  # type: ignore[operator]
    c = tier + _yes(recent, F(1, 4)) + _yes(f.statistics_published, F(1, 4))
    if f.no_messages_published or not within(10) or f.answer_perfunctory:
        return _0
    return c


def _zhineng_wenda(f: _Facts, fd: Findings) -> Fraction:
    c = _yes(f.realtime_qa, _S2) + _yes(f.answers_accurate, _S2)
    return _0 if f.qa_unusable or f.answers_unrelated else c


def _minyi_zhengji(f: _Facts, fd: Findings) -> Fraction:
    c = (
        _yes(f.online_channel, _3_10)
        + _yes(f.on_relevant_topics, _S5)
        + _yes(f.consultations_2023 > 3, _3_10)  # type: ignore[operator]
        + _yes(f.feedback_published, _S5)
    )
    return _0 if f.activities_reposted_or_unrelated or f.feedback_falsified else c


def _zaixian_fangtan(f: _Facts, fd: Findings) -> Fraction:
    c = _yes(f.participated, _4_5) + _yes(f.on_schedule, _S5)
    return _0 if f.in_interview_plan and not f.participated else c


def _zhineng_sousuo(f: _Facts, fd: Findings) -> Fraction:
    c = (
        _yes(f.typo_correction, _3_20)
        + _yes(f.keyword_suggestions, _3_20)
        + _yes(f.pinyin_search, _3_20)
        + _yes(f.plain_language_search, _3_20)
        + _yes(f.results_grouped and f.results_ranked, _2_5)
    )
    return _0 if f.title_not_found else c


_ACCESSIBILITY = (
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


def _shilaohua_wuzhangai(f: _Facts, fd: Findings) -> Fraction:
    c = sum((_9 for name in _ACCESSIBILITY if getattr(f, name)), _0)
    return _0 if f.features_broken_or_fake else c


_FOOTER = (
    "footer_party_gov_mark",
    "footer_site_code",
    "footer_sponsor",
    "footer_contact",
    "footer_icp",
    "footer_police_record",
    "footer_error_report",
)
_FOOTER_PART = _3_10 / 7


def _guifan_sheji(f: _Facts, fd: Findings) -> Fraction:
    c = (
        _yes(f.name_in_header, _3_10)
        + sum((_FOOTER_PART for name in _FOOTER if getattr(f, name)), _0)
        + _yes(f.content_page_labels, _S5)
        + _yes(f.column_page_labels, _S5)
    )
    return _0 if f.display_incompatible else c


def _yihao_denglu(f: _Facts, fd: Findings) -> Fraction:
    return _yes(f.single_sign_on, _1)


def _daohang_tixi(f: _Facts, fd: Findings) -> Fraction:
    return _yes(f.sitemap_accurate, _S2) + _yes(f.channel_nav_friendly, _S2)


def _jiyuehua_pingtai(f: _Facts, fd: Findings) -> Fraction:
    return (
        _deduct_item(_S5, _capped(f.subsites_not_merged, _S20, _S5))
        + _deduct_item(_3_10, _capped(f.ipv6_notices, _S20, _3_10))
        + _deduct_item(_3_10, _capped(f.records_not_synced, _S20, _3_10))
        + _deduct_item(_S5, _capped(f.platform_functions_unused, _S10, _S5))
    )


def _yunwei_guanli(f: _Facts, fd: Findings) -> Fraction:
    return (
        _yes(not f.blank_or_stale_columns, _3_20)
        + _yes(f.broken_links == 0, _3_20)
        + _yes(not f.collects_personal_data or f.privacy_statement, _S5)
        + _yes(not f.privacy_leak, _S5)
        + _deduct_item(
            _3_10,
            _capped(f.reports_overdue, _S20, _3_10),
            _capped(f.reports_overdue_month, _S2, _3_10),
        )
    )


_JAN_31 = date(2023, 1, 31)


def _niandu_baobiao(f: _Facts, fd: Findings) -> Fraction:
    on = f.report_published_on
    on_time = on is not None and on <= _JAN_31  # type: ignore[operator]
    return _yes(on_time and f.report_prominent, _3_5) + _yes(
        f.url_filed_on_time and f.sent_to_city_portal, _2_5
    )


def _guifanxing_wenjian(f: _Facts, fd: Findings) -> Fraction:
    c = _deduct_item(_1, _capped(f.bad_documents, _S10, _1))
    vetoed = (
        f.serious_misstatement
        or f.state_secret_leak
        or f.prohibited_content
        or f.falsified_content
        or f.negative_public_opinion
    )
    return _0 if vetoed else c


def _neirong_baozhang(f: _Facts, fd: Findings) -> Fraction:
    points = f.editorial_points
    assert isinstance(points, Fraction)
    return points / 3


def _xmt_jiyue_kaishe(f: _Facts, fd: Findings) -> Fraction:
    return (
        _yes(f.accounts_opened and f.entry_prominent, _2_5)
        + _yes(f.one_account_per_platform, _2_5)
        + _yes(f.media_matrix, _S5)
    )


def _xmt_xinxi_fabu(f: _Facts, fd: Findings) -> Fraction:
    c = (
        _yes(f.posts_news, _S20)
        + _yes(f.posts_policies, _S20)
        + _yes(f.posts_interpretations, _S20)
        + _yes(f.posts_responses, _S20)
        + _yes(f.update_frequency_met, _2_5)
        + _yes(f.mobile_pages, _S5)
        + _yes(f.same_source, _S5)
    )
    posts = f.irrelevant_posts
    assert isinstance(posts, int)
    return max(_0, c - _S2 * posts)


def _xmt_banshi_fuwu(f: _Facts, fd: Findings) -> Fraction:
    c = (
        (_0 if f.only_links_to_province else _yes(f.mobile_services, _3_5))
        + _yes(f.same_source, _S5)
        + _yes(f.novel_design, _S5)
    )
    return _0 if f.query_unusable or f.falsified_content else c


def _xmt_hudong_jiaoliu(f: _Facts, fd: Findings) -> Fraction:
    return _yes(f.consultation_channel, _S2) + _yes(f.replies_timely, _S2)


def _band(n: int, low: Fraction, high: Fraction) -> Fraction:
    return _0 if n == 0 else (low if n <= 4 else high)


def _xmt_xietiao_liandong(f: _Facts, fd: Findings) -> Fraction:
    checks = f.repost_checks
    assert isinstance(checks, list)
    return (
        _proportion(sum(1 for r in checks if r["reposted"]), len(checks), _2_5)
        + _band(f.joint_first_releases, _S5, _2_5)  # type: ignore[arg-type]
        + _band(f.joint_campaigns, _S10, _S5)  # type: ignore[arg-type]
    )


_PANEL = (
    ("panel_necessity", _S5),
    ("panel_integration", _S5),
    ("panel_innovation", _3_20),
    ("panel_effectiveness", _3_20),
    ("panel_sustainability", _3_20),
    ("panel_exemplarity", _3_20),
)


def _chuangxin_anli(f: _Facts, fd: Findings) -> Fraction:
    total = _0
    for name, share in _PANEL:
        scores = getattr(f, name)
        total += share * (F(sum(scores, 0)) / len(scores))
    return total


def _biaozhang_xuanchuan(f: _Facts, fd: Findings) -> Fraction:
    return _yes(f.superior_commendations >= 1, _S2) + _yes(  # type: ignore[operator]
        f.central_media_reports >= 1,  # type: ignore[operator]
        _S2,
    )


def _penalty(*deductions: tuple[str, Fraction]) -> Callable[[_Facts, Findings], Fraction]:
    def credit(f: _Facts, fd: Findings) -> Fraction:
        taken = sum((each * getattr(f, name) for name, each in deductions), _0)
        return min(taken, _1)

    return credit


_RULES: dict[str, Callable[[_Facts, Findings], Fraction]] = {
    "jigou_zhineng": _publication("org_info_published"),
    "lingdao_xinxi": _publication("leaders_published"),
    "dongtai_yaowen": _dongtai_yaowen,
    "zhengce_wenjian": _zhengce_wenjian,
    "shuju_fabu": _shuju_fabu,
    "zhongda_jianshe_xiangmu": _publication("lifecycle_published"),
    "gongyi_shiye_jianshe": _publication("published_by_category"),
    "gonggong_ziyuan_peizhi": _publication("published_by_category"),
    "zhuanti_zhuanlan": _zhuanti_zhuanlan,
    "zhengce_jiedu": _zhengce_jiedu,
    "fuwu_pindao_sheji": _fuwu_pindao_sheji,
    "chaxun_fuwu": _chaxun_fuwu,
    "zaixian_zixun": _zaixian_zixun,
    "zhineng_wenda": _zhineng_wenda,
    "minyi_zhengji": _minyi_zhengji,
    "zaixian_fangtan": _zaixian_fangtan,
    "zhineng_sousuo": _zhineng_sousuo,
    "shilaohua_wuzhangai": _shilaohua_wuzhangai,
    "guifan_sheji": _guifan_sheji,
    "yihao_denglu": _yihao_denglu,
    "daohang_tixi": _daohang_tixi,
    "jiyuehua_pingtai": _jiyuehua_pingtai,
    "yunwei_guanli": _yunwei_guanli,
    "niandu_baobiao": _niandu_baobiao,
    "guifanxing_wenjian": _guifanxing_wenjian,
    "neirong_baozhang": _neirong_baozhang,
    "xmt_jiyue_kaishe": _xmt_jiyue_kaishe,
    "xmt_xinxi_fabu": _xmt_xinxi_fabu,
    "xmt_banshi_fuwu": _xmt_banshi_fuwu,
    "xmt_hudong_jiaoliu": _xmt_hudong_jiaoliu,
    "xmt_xietiao_liandong": _xmt_xietiao_liandong,
    "chuangxin_anli": _chuangxin_anli,
    "biaozhang_xuanchuan": _biaozhang_xuanchuan,
    "tongbao_baoguang": _penalty(
        ("state_council_notices", _S2), ("provincial_notices", _S20), ("city_notices", _S20)
    ),
    "meiti_baoguang": _penalty(
        ("central_media_exposures", _S2),
        ("provincial_media_exposures", _S10),
        ("city_media_exposures", _S20),
    ),
    "zhengwu_fuwu_shixiang": _penalty(("inaccurate_items", _S2)),
}

# applies: zhongda/gongyi/gonggong by the catalogs, zaixian_fangtan by a fact.
_BY_CATALOG = {
    "zhongda_jianshe_xiangmu": "appendix1",
    "gongyi_shiye_jianshe": "appendix2",
    "gonggong_ziyuan_peizhi": "appendix3",
}


def score(findings: Findings) -> HandScore:
    """Every indicator's points and the totals for checked findings (2023 rulebook)."""
    points: dict[str, Fraction] = {}
    max_points: dict[str, Fraction] = {}
    base_raw = base_possible = bonus = penalty = _0
    empty: dict[str, FactRecord] = {}
    for ident, (weight, kind) in WEIGHTS.items():
        f = _Facts(findings.facts.get(ident, empty))
        catalog = _BY_CATALOG.get(ident)
        try:
            if catalog is not None:
                applies = catalog in findings.catalogs
            elif ident == "zaixian_fangtan":
                applies = bool(f.in_interview_plan)
            else:
                applies = True
            got = weight * _RULES[ident](f, findings) if applies else _0
        except _Missing:  # not assessed: 0 points, the weight stays in the base
            applies, got = True, _0
        w = F(weight) if applies else _0
        points[ident], max_points[ident] = got, w
        if kind == "base":
            base_raw += got
            base_possible += w
        elif kind == "bonus":
            bonus += got
        else:
            penalty += got
    base = base_raw * 100 / base_possible if base_possible else _0
    return HandScore(
        points, max_points, base_raw, base_possible, base, bonus, penalty, base + bonus + penalty
    )
