"""Findings templates: the YAML skeleton an evaluator fills in for one department.

The template is written as text, not dumped from data, because its value is in
the comments: each fact's question (``ask``) above it, its type, options and
range beside it, the department's duties from the rulebook's catalogs as a
``# [ ]`` checklist, and a note on every indicator the department is not
assessed on.  Every blank means "not recorded yet" (``null`` for a fact that may
not be empty, ``待填写`` for one where ``null`` is an answer: see
:data:`wzeval.checking._findings.FILLING_RULE`, written into the header): ``--partial``
scores what is filled in, and a full check reports each blank as not filled in
(WZ404), so an unfilled template never passes validation by accident — yet it
loads as YAML, so an editor with the findings JSON Schema (named in the
first-line modeline) helps fill it in.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date

from wzeval.checking._checks import CompiledIndicator
from wzeval.checking._findings import FILLING_RULE, FINDINGS_FORMAT
from wzeval.core._codes import WZ407
from wzeval.core._errors import ValidationFailed
from wzeval.core._i18n import _
from wzeval.core._issues import Issue, did_you_mean
from wzeval.core._slips import PLACEHOLDER, number_text
from wzeval.model._models import Catalog, Fact, Rulebook
from wzeval.scoring._api import compiled
from wzeval.scoring._engine import applicability

__all__ = [
    "DEFAULT_SCHEMA_REF",
    "PLACEHOLDER",
    "applies_to",
    "describe_fact",
    "findings_template",
    "placeholder",
    "resolve_department",
]

#: Where the modeline points by default: the findings schema of the bundled rulebook,
#: relative to the project folder.
DEFAULT_SCHEMA_REF = "schemas/findings.schema.json"
_TYPE_TEXT = {
    "bool": "true 或 false",
    "int": "整数",
    "decimal": "数（可带小数）",
    "date": "日期 YYYY-MM-DD",
    "datetime": "日期时间 YYYY-MM-DD HH:MM",
    "str": "文本",
}
#: Names an ``applies`` expression may read that the template knows without findings.
_KNOWN_NAMES = frozenset({"department", "catalogs", "true", "false"})
_PLAIN = re.compile(r"[^\W\d][\w.\-（）]*")
_YAML_WORDS = frozenset({"true", "false", "null", "yes", "no", "on", "off", "y", "n"})


def _yaml_str(text: str) -> str:
    """A string as a YAML scalar: plain when unambiguous, else double-quoted (JSON is YAML)."""
    if _PLAIN.fullmatch(text) and text.lower() not in _YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


def describe_fact(fact: Fact) -> str:
    """What a fact's value looks like, in Chinese: type, options, range, unit, nullability."""
    if fact.type == "enum":
        labels = fact.option_labels or {}
        text = "选项（从低到高）：" + " / ".join(
            o + (f"（{labels[o]}）" if o in labels else "") for o in fact.options or []
        )
    elif fact.type == "list":
        text = f"列表 [a, b, …]，每项为 {_TYPE_TEXT[fact.of or 'str']}"
    elif fact.type == "records":
        fields = fact.fields or {}
        text = "记录列表，每条含 " + "、".join(f"{k}（{_TYPE_TEXT[v]}）" for k, v in fields.items())
    else:
        text = _TYPE_TEXT[fact.type]
    if fact.min is not None and fact.max is not None:
        text += f"，范围 {number_text(fact.min)}–{number_text(fact.max)}"
    elif fact.min is not None:
        text += f"，不小于 {number_text(fact.min)}"
    elif fact.max is not None:
        text += f"，不大于 {number_text(fact.max)}"
    if fact.unit:
        text += f"，单位：{fact.unit}"
    if fact.nullable:
        text += "；没有时填 null"
    return text


def placeholder(fact: Fact) -> str | None:
    """The blank for a fact, as YAML: a value the checker rejects, so it cannot pass unfilled.

    ``null`` for a fact that may not be empty; :data:`PLACEHOLDER` for a nullable fact
    whose type rejects that text; ``None`` when no blank would be rejected (a nullable
    text fact), in which case the line is written commented out.
    """
    if not fact.nullable:
        return "null"
    if fact.type == "str" or PLACEHOLDER in (fact.options or []):
        return None
    return PLACEHOLDER


def resolve_department(rulebook: Rulebook, name: str) -> str:
    """The canonical name of a department given by name, alias or id.

    Raises :class:`ValidationFailed` (WZ407, with a did-you-mean hint) when the
    rulebook does not list it: a typo would silently change applicability.
    """
    crb = compiled(rulebook)
    canonical = crb.departments.get(name.strip())
    if canonical is None:
        names = [d.name for d in rulebook.departments]
        raise ValidationFailed(
            [
                Issue(
                    WZ407,
                    _("unknown department {name!r}").format(name=name),
                    hint=did_you_mean(name, names)
                    or _("use a name from the rulebook's departments list: {names}").format(
                        names="、".join(names)
                    ),
                )
            ],
            what="department",
        )
    return canonical


def applies_to(cind: CompiledIndicator, department: str, catalogs: tuple[str, ...]) -> bool | None:
    """Whether an indicator applies to a department before anything is observed.

    ``True``/``False`` when its ``applies`` reads only the department and its catalogs;
    ``None`` when it also depends on recorded facts or the monitoring date.
    """
    if cind.applies is None:
        return True
    if not cind.applies.names <= _KNOWN_NAMES:
        return None
    # the date is not read (checked just above); any date will do
    applies, _ = applicability(cind, {}, department, catalogs, date(2000, 1, 1))
    return applies


def _comment(text: str, indent: str) -> Iterator[str]:
    for line in text.splitlines() or [""]:
        yield f"{indent}# {line}".rstrip()


def _catalogs_for(rulebook: Rulebook, indicator_id: str, catalog_id: str | None) -> list[Catalog]:
    return [c for c in rulebook.catalogs if c.id == catalog_id or c.indicator == indicator_id]


def _fact_lines(fact: Fact) -> Iterator[str]:
    yield from _comment(fact.ask, "    ")
    if fact.note:
        yield from _comment(f"说明：{fact.note}", "    ")
    blank = placeholder(fact)
    hint = f"填写：{describe_fact(fact)}"
    key = _yaml_str(fact.id)
    if fact.type == "records" and fact.fields:
        example = ", ".join(f"{k}: …" for k in fact.fields)
        yield f"    # 每条一行，如：- {{{example}}}"
    if blank is None:
        yield f"    # {key}:  # {hint}（填写后去掉行首的 #）"
    else:
        yield f"    {key}: {blank}  # {hint}"


def findings_template(
    rulebook: Rulebook, department: str, *, schema_ref: str | None = DEFAULT_SCHEMA_REF
) -> str:
    """A findings skeleton (YAML text) for one department, ready to fill in.

    ``department`` may be a name, an alias or an id; the template names the canonical
    one.  ``schema_ref`` is what the first-line ``yaml-language-server`` modeline
    points to (``None`` leaves the modeline out).  Raises :class:`ValidationFailed`
    (WZ407) for a department the rulebook does not list.
    """
    crb = compiled(rulebook)
    canonical = resolve_department(rulebook, department)
    dept_id = crb.department_ids[canonical]
    catalogs = crb.catalogs_of.get(dept_id, ())
    out: list[str] = []
    if schema_ref:
        out.append(f"# yaml-language-server: $schema={schema_ref}")
    out += [
        f"# 评估记录模板：{rulebook.title}（{rulebook.id}），部门：{canonical}",
        "# 把每个 null / 待填写 换成观察到的值；问题写在每项上方，取值写在每项右侧。",
        *(f"# {line}" for line in FILLING_RULE),
        "# 事实也可写成 {value: 值, evidence: [网址或截图], note: 备注}，证据便于复核。",
        "# 检查：wzeval validate 本文件    评分：wzeval score 本文件",
        f"wzeval: {FINDINGS_FORMAT}",
        f"rulebook: {_yaml_str(rulebook.id)}",
        f"department: {_yaml_str(canonical)}",
        "monitoring_date:  # 填写：YYYY-MM-DD 监测时间点",
        "assessors: []  # 评估人，如 [张三, 李四]",
    ]
    body: list[str] = []
    for cat in rulebook.categories:
        body += ["", f"  # ==== 一级指标：{cat.name}（权重 {number_text(cat.weight)}）===="]
        group = None
        for ind in cat.indicators:
            cind = crb.by_id[ind.id]
            applies = applies_to(cind, canonical, catalogs)
            if applies is False:
                note = f"：{ind.applies_note}" if ind.applies_note else ""
                body.append("")
                body.append(f"  # {ind.name}（{ind.id}）：不适用于{canonical}，不评估{note}")
                continue
            if cind.group != group and cind.group:
                body += ["", f"  # ---- 二级指标：{cind.group} ----"]
            group = cind.group
            body.append("")
            if ind.description:
                body += _comment(f"指标说明：{ind.description}", "  ")
            heading = f"{ind.name}（权重 {number_text(ind.weight)}）"
            if not ind.facts:
                body.append(f"  {_yaml_str(ind.id)}: {{}}  # {heading}，无需记录事实")
                continue
            body.append(f"  {_yaml_str(ind.id)}:  # {heading}")
            if applies is None:
                why = ind.applies_note or ind.applies or ""
                body += _comment(f"是否适用取决于：{why}", "    ")
            for cat_ in _catalogs_for(rulebook, ind.id, ind.catalog):
                entry = next((e for e in cat_.entries if e.department == dept_id), None)
                if entry is None:
                    continue
                body.append(f"    # 本部门在“{cat_.name}”中的事项，逐项核对：")
                for duty in entry.duties:
                    text = f"{duty.title}：{duty.text}" if duty.text else duty.title
                    body += _comment(f"[ ] {text}", "    ")
            for fact in ind.facts:
                body += _fact_lines(fact)
            if ind.derived:
                names = "、".join(d.id for d in ind.derived)
                body.append(f"    # 由规则计算，无需填写：{names}")
    has_entries = any(line.startswith("  ") and not line.lstrip().startswith("#") for line in body)
    out.append("indicators:" if has_entries else "indicators: {}")
    out += body
    return "\n".join(out) + "\n"
