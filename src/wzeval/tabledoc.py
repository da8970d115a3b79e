"""Render a rulebook as one Markdown page: the whole table, to read beside its source.

``render_rulebook_markdown`` works for any rulebook.  The page lists, in table
order, every category → group → indicator with its weight and the weight's
provenance (derived and assumed weights are marked and listed at the top), the
指标说明, the seed's wording, every item with its share, rule kind and the rule
itself, vetoes, deductions, applicability, the facts an evaluator records and the
derived facts with their expressions; rulings are shown as 「裁定 Rn」 badges with
their text and indexed at the end; then the appendices (catalogs) and departments.

The output is deterministic (document order, no dates), so a checked-in page can
be compared with a fresh render::

    python -m wzeval.tabledoc                       # the bundled rulebook, to stdout
    python -m wzeval.tabledoc rulebooks/2023.yaml -o docs/rulebook-2023.md --force

Exit status: 0 written; 1 the rulebook is not valid; 2 usage error, unreadable
input, or the output exists (without ``--force``; nothing is written).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TextIO

from wzeval.errors import OutputExists, ValidationFailed
from wzeval.models import (
    CATEGORY_KIND_NAMES,
    Catalog,
    Category,
    Deduction,
    Derived,
    Fact,
    Indicator,
    Item,
    Rulebook,
    Veto,
    format_amount,
)
from wzeval.report import display, exact_text

__all__ = ["main", "render_rulebook_markdown"]

_KIND = CATEGORY_KIND_NAMES
_PROVENANCE = {
    "stated": "原文 stated",
    "derived": "⚠ 推算 derived",
    "assumed": "⚠ 假定 assumed",
}
_FACT_TYPE = {
    "bool": "是/否",
    "int": "整数",
    "decimal": "数值",
    "date": "日期",
    "datetime": "日期时间",
    "str": "文本",
}
_RULING_ID = re.compile(r"\bR\d+\b")
# "R4: …", "R4 with R3: …", "R2, R5：…" — a prefix naming rulings only, dropped after the badge
_RULING_PREFIX = re.compile(r"^\s*R\d+(?:\s*(?:with|and|,|，|、|/|\+)\s*R\d+)*\s*[:：]\s*")
_CATALOG_TEST = re.compile(r"""^\s*['"]([a-z][a-z0-9_]*)['"]\s+in\s+catalogs\s*$""")


# ----------------------------------------------------------------------------- text helpers


def _cell(text: str | None) -> str:
    """Text for one Markdown table cell: pipes escaped, line breaks kept as <br>."""
    if not text:
        return ""
    return text.strip().replace("|", "\\|").replace("\r\n", "\n").replace("\n", "<br>")


def _code(expr: str) -> str:
    """An inline code span that survives backticks and table pipes."""
    body = " ".join(expr.split()).replace("|", "\\|")
    fence = "``" if "`" in body else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{body}{pad}{fence}"


def _quote(text: str | None) -> list[str]:
    """A blockquote keeping each source line as its own line."""
    if not text:
        return []
    lines = [ln.strip() for ln in text.strip().splitlines()]
    out: list[str] = []
    for i, ln in enumerate(lines):
        if i:
            out.append(">")
        out.append(f"> {ln}" if ln else ">")
    return out


def _number(value: Decimal | Fraction | int) -> str:
    """An exact number: ``2``, ``-4``, ``2.5``, ``2/9``."""
    return exact_text(Fraction(value))


def _points(value: Fraction) -> str:
    """Points for people: exact when the decimal ends, else rounded with ≈."""
    text = exact_text(value)
    return text if "/" not in text else f"≈{display(value)}"


def _share(amount: Fraction, weight: Fraction) -> str:
    """``50%（= 1.5 分）``: a share of the weight and the points it is worth."""
    return f"{format_amount(amount)}（= {_points(amount * abs(weight))} 分）"


def ruling_ids(text: str | None) -> list[str]:
    """The ruling ids (``R4``…) a text names, in order, each once."""
    seen: list[str] = []
    for rid in _RULING_ID.findall(text or ""):
        if rid not in seen:
            seen.append(rid)
    return seen


def _ruling(text: str | None) -> str:
    """A ruling as a badge and its text: ``**【裁定 R4】** spot checks earn …``."""
    if not text:
        return ""
    ids = ruling_ids(text)
    badge = "【裁定 " + " · ".join(ids) + "】" if ids else "【裁定】"
    body = _RULING_PREFIX.sub("", text.strip(), count=1) if ids else text.strip()
    return f"**{badge}** {body}".strip()


def _anchor(kind: str, ident: str) -> str:
    return f"{kind}-{ident}"


# ----------------------------------------------------------------------------- page parts


def _header(rb: Rulebook) -> list[str]:
    out = [
        "<!-- 本页由 `python -m wzeval.tabledoc` 从规则文件生成，请勿手工编辑；"
        "改规则文件后重新生成。 -->",
        "",
        f"# {rb.title}",
        "",
        f"规则 id `{rb.id}` · 年度 {rb.year} · 格式 `{rb.wzeval}`",
        "",
    ]
    if rb.source:
        out += [f"**来源**：{rb.source.strip()}", ""]
    out += [
        "读法：每个三级指标列出权重及其来源（原文 stated / 推算 derived / 假定 assumed，"
        "后两者标 ⚠）、指标说明、评分细则原文、各评分项（占比、规则及其内容）、否决项、"
        "扣分项、适用范围、评估人记录的事实（fact）和由事实推出的派生事实（derived）。"
        "占比与扣分均为**该指标权重**的百分比（写作「5分」的扣分按该指标权重折算，"
        "页面同时列出分数）；「裁定」标出规则文件所依据的裁定及其编号。",
        "",
        f"- 不适用指标：`{rb.not_applicable}`"
        + ("（不计入基础分，基础分 = 100 × 得分 ÷ 适用指标权重之和）"
           if rb.not_applicable == "rescale" else ""),
        f"- 计算：精确计算，显示时保留 {rb.arithmetic.places} 位小数（{rb.arithmetic.rounding}）",
        "",
    ]  # fmt: skip
    return out


def _group_names(cat: Category) -> dict[str, str]:
    return {g.id: g.name for g in cat.groups}


def _summary(rb: Rulebook) -> list[str]:
    out = [
        "## 权重一览",
        "",
        "| 一级指标 | 二级指标 | 三级指标 | id | 权重 | 权重来源 |",
        "|---|---|---|---|---:|---|",
    ]
    totals: dict[str, Fraction] = {}
    for cat in rb.categories:
        groups = _group_names(cat)
        for i, ind in enumerate(cat.indicators):
            first = f"{cat.name}（{_number(cat.weight)}）" if i == 0 else ""
            group = groups.get(ind.group, ind.group) if ind.group else "—"
            link = f"[{_cell(ind.name)}](#{_anchor('ind', ind.id)})"
            out.append(
                f"| {_cell(first)} | {_cell(group)} | {link} | `{ind.id}`"
                f" | {_number(ind.weight)} | {_PROVENANCE[ind.weight_source]} |"
            )
        totals[cat.kind] = totals.get(cat.kind, Fraction(0)) + sum(
            (Fraction(ind.weight) for ind in cat.indicators), Fraction(0)
        )
    out.append("")
    parts = [f"{_KIND[k]} {_number(v)}" for k, v in totals.items()]
    out += [
        f"合计：{'；'.join(parts)}；共 {len(rb.indicators)} 个三级指标。",
        "",
    ]
    return out


def _non_stated(rb: Rulebook) -> list[str]:
    rows = [ind for ind in rb.indicators if ind.weight_source != "stated"]
    out = ["## 非原文权重", ""]
    if not rows:
        return [*out, "所有权重均为原文所载（stated）。", ""]
    out += [
        "以下权重不是原文直接给出的：推算（derived）是唯一能使一级指标合计成立的值；"
        "假定（assumed）是原文缺失、合计只约束总和时所作的假定。",
        "",
        "| 三级指标 | id | 权重 | 来源 | 依据 |",
        "|---|---|---:|---|---|",
    ]
    for ind in rows:
        out.append(
            f"| [{_cell(ind.name)}](#{_anchor('ind', ind.id)}) | `{ind.id}` | {_number(ind.weight)}"
            f" | {_PROVENANCE[ind.weight_source]} | {_cell(_ruling(ind.ruling)) or '（未注明）'} |"
        )
    return [*out, ""]


def _fact_type(f: Fact) -> str:
    if f.type == "enum":
        labels = f.option_labels or {}
        text = "选项（低→高）：" + " < ".join(
            f"`{o}`" + (f"（{labels[o]}）" if o in labels else "") for o in f.options or []
        )
    elif f.type == "list":
        text = f"列表（{_FACT_TYPE.get(f.of or 'str', f.of or '')}）"
    elif f.type == "records":
        fields = ", ".join(f"{k} ({_FACT_TYPE.get(v, v)})" for k, v in (f.fields or {}).items())
        text = f"记录列表：{fields}"
    else:
        text = _FACT_TYPE[f.type]
    bounds = []
    if f.min is not None:
        bounds.append(f"≥ {_number(f.min)}")
    if f.max is not None:
        bounds.append(f"≤ {_number(f.max)}")
    if bounds:
        text += "，" + " 且 ".join(bounds)
    if f.unit:
        text += f"，单位：{f.unit}"
    if f.nullable:
        text += "，可空"
    if f.shared:
        text += "，共享（全表各指标均可读取）"
    return text


def _facts(ind: Indicator) -> list[str]:
    out: list[str] = []
    if ind.facts:
        out += [
            "**事实（评估人记录）**",
            "",
            "| 事实 | 类型 | 问题 | 说明 |",
            "|---|---|---|---|",
        ]
        for f in ind.facts:
            out.append(f"| `{f.id}` | {_cell(_fact_type(f))} | {_cell(f.ask)} | {_cell(f.note)} |")
        out.append("")
    if ind.derived:
        out += [
            "**派生事实**",
            "",
            "| 派生事实 | 类型 | 表达式 | 说明 |",
            "|---|---|---|---|",
        ]
        for d in ind.derived:
            out.append(_derived_row(d))
        out.append("")
    return out


def _derived_row(d: Derived) -> str:
    notes = [n for n in (d.description, _ruling(d.ruling)) if n]
    return (
        f"| `{d.id}` | {_FACT_TYPE.get(d.type, d.type)} | {_code(d.expr)}"
        f" | {_cell('<br>'.join(notes))} |"
    )


def _vetoes(vetoes: Sequence[Veto], title: str) -> list[str]:
    if not vetoes:
        return []
    out = [
        title,
        "",
        "| 否决项 | 名称 | 条件 | 原文 | 裁定 |",
        "|---|---|---|---|---|",
    ]
    for v in vetoes:
        out.append(
            f"| `{v.id}` | {_cell(v.label)} | {_code(v.when)} | {_cell(v.source)}"
            f" | {_cell(_ruling(v.ruling))} |"
        )
    return [*out, ""]


def _counted(d: Deduction) -> str:
    """A deduction's count as the page shows it: its expression, or its condition."""
    return _code(d.count) if d.count is not None else f"{_code(d.when or '')} 成立时 1 次"


def _deductions(deds: Sequence[Deduction], weight: Fraction, default_cap: str) -> list[str]:
    out = [
        "| 扣分项 | 名称 | 次数 | 每次 | 上限 | 原文 | 裁定 |",
        "|---|---|---|---|---|---|---|",
    ]
    for d in deds:
        cap = _share(d.cap, weight) if d.cap is not None else default_cap
        out.append(
            f"| `{d.id}` | {_cell(d.label)} | {_counted(d)} | {_share(d.each, weight)}"
            f" | {_cell(cap)} | {_cell(d.source)} | {_cell(_ruling(d.ruling))} |"
        )
    return [*out, ""]


class _Describer:
    """What a rule kind writes its part of the table page with
    (:class:`wzeval.kinds.Describer`)."""

    def __init__(self, ind: Indicator, weight: Fraction) -> None:
        self.weight = weight
        self.facts = ind.facts

    def code(self, expr: str) -> str:
        return _code(expr)

    def share(self, amount: Fraction) -> str:
        return _share(amount, self.weight)

    def cell(self, text: str | None) -> str:
        return _cell(text)

    def number(self, value: Decimal) -> str:
        return _number(value)

    def deductions(self, deductions: Sequence[Deduction], default_cap: str) -> list[str]:
        return _deductions(deductions, self.weight, default_cap)


def _item_rule(it: Item, ind: Indicator, weight: Fraction) -> list[str]:
    """The credit rule of one item, as text and tables."""
    return it.kind.describe(it.rule, it.share, _Describer(ind, weight))


def _items(ind: Indicator, weight: Fraction) -> list[str]:
    out: list[str] = []
    for n, it in enumerate(ind.items, 1):
        title = f"{it.title}（`{it.id}`）" if it.title else f"`{it.id}`"
        out += [
            f"##### 评分项 {n}：{title}",
            "",
            f"- 占比：{_share(it.share, weight)}",
            f"- 规则：{it.kind.title}",
        ]
        if it.ruling:
            out.append(f"- {_ruling(it.ruling)}")
        if it.note:
            out.append(f"- 注：{it.note.strip()}")
        out.append("")
        out += _quote(it.source)
        if it.source:
            out.append("")
        out += _item_rule(it, ind, weight)
        out += _vetoes(it.vetoes, "本项否决（只使本项不得分）：")
    return out


def _applies(rb: Rulebook, ind: Indicator) -> list[str]:
    out: list[str] = []
    if ind.applies is None:
        out.append("- 适用范围：所有部门")
    else:
        out.append(f"- 适用条件：{_code(ind.applies)}")
        m = _CATALOG_TEST.match(ind.applies)
        cat = next((c for c in rb.catalogs if m and c.id == m.group(1)), None)
        if cat is not None:
            names = {d.id: d.name for d in rb.departments}
            listed = "、".join(names.get(e.department, e.department) for e in cat.entries)
            link = f"[{cat.name}](#{_anchor('catalog', cat.id)})"
            out.append(f"- 适用部门（{link}，共 {len(cat.entries)} 个）：{listed}")
    if ind.applies_note:
        note = ind.applies_note.strip()
        out.append(f"- 适用说明：{_ruling(note) if ruling_ids(note) else note}")
    if ind.catalog:
        cat = next((c for c in rb.catalogs if c.id == ind.catalog), None)
        name = cat.name if cat is not None else ind.catalog
        out.append(f"- 对照清单：[{name}](#{_anchor('catalog', ind.catalog)})")
    return out


def _indicator(rb: Rulebook, cat: Category, ind: Indicator) -> list[str]:
    weight = Fraction(ind.weight)
    groups = _group_names(cat)
    path = cat.name + (f" / {groups.get(ind.group, ind.group)}" if ind.group else "")
    out = [
        f'<a id="{_anchor("ind", ind.id)}"></a>',
        "",
        f"#### {ind.name}",
        "",
        f"- id：`{ind.id}` · {_KIND[cat.kind]} · {path}",
        f"- 权重：**{_number(ind.weight)}** · {_PROVENANCE[ind.weight_source]}",
    ]
    if ind.ruling:
        out.append(f"- 权重依据：{_ruling(ind.ruling)}")
    if ind.description:
        out.append(f"- 指标说明：{ind.description.strip()}")
    out += _applies(rb, ind)
    out.append("")
    if ind.source:
        out += ["**评分细则（原文）**", "", *_quote(ind.source), ""]
    out += _items(ind, weight)
    out += _vetoes(ind.vetoes, "**否决项**（该指标不得分）：")
    if ind.pending:
        out += [
            "**尚不能评估的情形**（条件成立时本指标未评估，注明何日起可评估）：",
            "",
            "| 情形 | 名称 | 条件 | 可评估日期 | 原文 | 裁定 |",
            "|---|---|---|---|---|---|",
        ]
        out += [
            f"| `{pd.id}` | {_cell(pd.label)} | {_code(pd.when)} | {_code(pd.assessable_from)}"
            f" | {_cell(pd.source)} | {_cell(_ruling(pd.ruling))} |"
            for pd in ind.pending
        ]
        out.append("")
    if ind.deductions:
        if cat.kind == "penalty":
            lead = f"**扣分**（按次扣分，合计不超过权重 {_number(ind.weight)} 分）："
            default = "不超过权重"
        else:
            lead = "**指标扣分**（在各评分项得分之后扣，扣完为止，不低于 0）："
            default = "扣完为止"
        out += [lead, "", *_deductions(ind.deductions, weight, default)]
    out += _facts(ind)
    return out


def _indicators(rb: Rulebook) -> list[str]:
    out = ["## 指标", ""]
    for cat in rb.categories:
        out += [
            f'<a id="{_anchor("cat", cat.id)}"></a>',
            "",
            f"### {cat.name}（{_number(cat.weight)}）",
            "",
            f"`{cat.id}` · {_KIND[cat.kind]} · {len(cat.indicators)} 个三级指标",
            "",
        ]
        if cat.part is not None:
            part = next((p for p in rb.parts if p.id == cat.part), None)
            out += [f"- 所属部分：{part.name if part else cat.part}（`{cat.part}`）", ""]
        if cat.kind == "veto":
            scope = "本部分" if cat.part is not None else "其他指标"
            out += [f"任一否决项成立即判定单项否决：{scope}不再评分，不得分。", ""]
        if cat.when is not None:
            out += [f"- 计分条件：{_code(cat.when)} 成立时才评分，否则本类不评分、不得分", ""]
            if cat.when_note:
                out += [f"- 注：{cat.when_note.strip()}", ""]
        groups = {g.id: g for g in cat.groups}
        current: str | None = None
        for ind in cat.indicators:
            if cat.groups and ind.group != current:
                current = ind.group
                if current is None:
                    out += ["**二级指标：—**（以下指标不设二级指标）", ""]
                else:
                    g = groups.get(current)
                    name = g.name if g is not None else current
                    note = f"（{g.note.strip()}）" if g is not None and g.note else ""
                    out += [f"**二级指标：{name}**{note} · `{current}`", ""]
            out += _indicator(rb, cat, ind)
    return out


def _catalog(rb: Rulebook, cat: Catalog) -> list[str]:
    names = {d.id: d.name for d in rb.departments}
    out = [
        f'<a id="{_anchor("catalog", cat.id)}"></a>',
        "",
        f"### {cat.name}",
        "",
        f"- id：`{cat.id}` · {len(cat.entries)} 个部门",
    ]
    if cat.indicator:
        ind = next((i for i in rb.indicators if i.id == cat.indicator), None)
        label = ind.name if ind is not None else cat.indicator
        out.append(f"- 对应指标：[{label}](#{_anchor('ind', cat.indicator)})")
    if cat.source:
        out.append(f"- 来源：{cat.source.strip()}")
    out += ["", "| 序号 | 部门 | 内容 |", "|---:|---|---|"]
    for n, entry in enumerate(cat.entries, 1):
        if all(not d.text for d in entry.duties):
            body = "、".join(d.title for d in entry.duties)
        else:
            body = "<br>".join(
                f"**{_cell(d.title)}**：{_cell(d.text)}" if d.text else f"**{_cell(d.title)}**"
                for d in entry.duties
            )
        dept = names.get(entry.department, entry.department)
        out.append(f"| {n} | {_cell(dept)}（`{entry.department}`） | {body} |")
    return [*out, ""]


def _appendices(rb: Rulebook) -> list[str]:
    if not rb.catalogs:
        return []
    out = ["## 附录（清单）", ""]
    for cat in rb.catalogs:
        out += _catalog(rb, cat)
    return out


def _departments(rb: Rulebook) -> list[str]:
    if not rb.departments:
        return []
    out = [
        "## 部门名单",
        "",
        "评估记录（findings）中的部门名称须为下列名称或别名之一。",
        "",
        "| id | 部门 | 别名 | 所在附录 |",
        "|---|---|---|---|",
    ]
    for d in rb.departments:
        cats = [c for c in rb.catalogs if any(e.department == d.id for e in c.entries)]
        listed = "、".join(f"[{c.name}](#{_anchor('catalog', c.id)})" for c in cats) or "—"
        aliases = "、".join(d.aliases) or "—"
        out.append(f"| `{d.id}` | {_cell(d.name)} | {_cell(aliases)} | {listed} |")
    return [*out, ""]


def _ruling_uses(rb: Rulebook) -> dict[str, list[tuple[Indicator, str]]]:
    """Where each ruling id is used: (indicator, what), in table order."""
    uses: dict[str, list[tuple[Indicator, str]]] = {}

    def add(ind: Indicator, what: str, text: str | None) -> None:
        for rid in ruling_ids(text):
            places = uses.setdefault(rid, [])
            if (ind, what) not in places:
                places.append((ind, what))

    for ind in rb.indicators:
        add(ind, "权重", ind.ruling)
        add(ind, "适用范围", ind.applies_note)
        for d in ind.derived:
            add(ind, f"派生事实 `{d.id}`", d.ruling)
        for it in ind.items:
            add(ind, f"评分项 `{it.id}`", it.ruling)
            for v in it.vetoes:
                add(ind, f"评分项 `{it.id}` 否决 `{v.id}`", v.ruling)
            for part in it.kind.sourced_parts(it.rule):
                add(ind, f"评分项 `{it.id}` {it.kind.label} `{part.id}`", part.ruling)
        for v in ind.vetoes:
            add(ind, f"否决 `{v.id}`", v.ruling)
        for dd in ind.deductions:
            add(ind, f"扣分 `{dd.id}`", dd.ruling)
    return uses


def _ruling_index(rb: Rulebook) -> list[str]:
    uses = _ruling_uses(rb)
    if not uses:
        return []
    out = ["## 裁定索引", "", "规则文件中引用的每项裁定，及其出现位置。", ""]
    for rid in sorted(uses, key=lambda r: int(r[1:])):
        places = "；".join(
            f"[{_cell(ind.name)}](#{_anchor('ind', ind.id)}) {what}" for ind, what in uses[rid]
        )
        out.append(f"- **裁定 {rid}**：{places}")
    return [*out, ""]


def _parts(rb: Rulebook) -> list[str]:
    if not rb.parts:
        return []
    out = [
        "## 分部分计分",
        "",
        "各部分的基础指标各自满分 100、各自按适用指标折算，再按权重合成基础分。",
        "",
        "| 部分 | id | 权重 | 一级指标 |",
        "|---|---|---|---|",
    ]
    for p in rb.parts:
        cats = "、".join(c.name for c in rb.categories if c.part == p.id)
        out.append(f"| {_cell(p.name)} | `{p.id}` | {format_amount(p.weight)} | {_cell(cats)} |")
    return [*out, ""]


def _grades(rb: Rulebook) -> list[str]:
    if not rb.grades:
        return []
    out = [
        "## 等级",
        "",
        "自上而下取第一个条件成立的规则定等级；条件可读 vetoed（单项否决）、base（基础分）、"
        "bonus、penalty、total 和各一级指标的得分（按 id）。",
        "",
        "| 次序 | 等级 | 条件 | 说明 | 原文 | 裁定 |",
        "|---|---|---|---|---|---|",
    ]
    for n, g in enumerate(rb.grades, 1):
        out.append(
            f"| {n} | {_cell(g.grade)} | {_code(g.when)} | {_cell(g.label)} | {_cell(g.source)}"
            f" | {_cell(_ruling(g.ruling))} |"
        )
    return [*out, ""]


def render_rulebook_markdown(rulebook: Rulebook) -> str:
    """The whole rulebook as a Markdown page (deterministic: same rulebook, same text)."""
    lines = [
        *_header(rulebook),
        *_summary(rulebook),
        *_parts(rulebook),
        *_non_stated(rulebook),
        *_indicators(rulebook),
        *_grades(rulebook),
        *_appendices(rulebook),
        *_departments(rulebook),
        *_ruling_index(rulebook),
    ]
    text = "\n".join(lines).rstrip("\n") + "\n"
    return re.sub(r"\n{3,}", "\n\n", text)


# ----------------------------------------------------------------------------- command line


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m wzeval.tabledoc",
        description="Render a rulebook as a Markdown page (the whole table, to read beside "
        "its source).",
    )
    p.add_argument("rulebook", nargs="?", help="rulebook YAML (default: the bundled 2023 rulebook)")
    p.add_argument("-o", "--output", metavar="PATH", help="write to PATH instead of stdout")
    p.add_argument("--force", action="store_true", help="replace PATH if it exists")
    return p


def main(
    argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Command-line entry: render a rulebook; return the exit status."""
    from wzeval.api import load_rulebook
    from wzeval.exitcodes import EXIT_OK, EXIT_USAGE, failure_code
    from wzeval.output import check_writable, write_atomic

    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return EXIT_OK if exc.code == 0 else EXIT_USAGE
    try:
        if args.output:
            check_writable(args.output, force=args.force)
        rb = load_rulebook(args.rulebook)
        text = render_rulebook_markdown(rb)
        if args.output:
            write_atomic(args.output, text, force=args.force)
        else:
            out.write(text)
    except OutputExists as exc:
        err.write(f"error: {exc} (use --force to replace it)\n")
        return EXIT_USAGE
    except ValidationFailed as exc:
        for issue in exc.issues:
            err.write(issue.format() + "\n")
        return failure_code(exc.issues)
    except OSError as exc:
        err.write(f"error: {exc}\n")
        return EXIT_USAGE
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
