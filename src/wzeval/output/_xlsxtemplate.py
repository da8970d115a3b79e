"""The findings template as a workbook: a 说明 sheet with the header, a 事实 sheet to fill.

One row per fact to record, with its question, type, a format hint and a data
validation (a drop-down for yes/no and options, ranges for numbers, dates); the
value to fill is column F.  :mod:`wzeval.reading._xlsxread` reads it back, so the sheet
names and the header keys in column A are fixed.  Blank cells are not recorded
yet (:data:`wzeval.checking._findings.FILLING_RULE`, stated on the 说明 sheet).
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

from wzeval.checking._findings import FILLING_RULE, FINDINGS_FORMAT
from wzeval.core._errors import OutputExists
from wzeval.core._slips import number_text
from wzeval.model._models import Fact, Rulebook
from wzeval.output._files import write_atomic
from wzeval.output._template import applies_to, describe_fact, resolve_department
from wzeval.output._xlsxsheet import Styles as _Styles
from wzeval.output._xlsxsheet import header_row as _header_row
from wzeval.output._xlsxsheet import print_setup as _print_setup
from wzeval.output._xlsxsheet import save as _save
from wzeval.output._xlsxsheet import set_widths as _widths
from wzeval.reading._xlsxread import FACTS_SHEET, HEADER_KEYS, HEADER_SHEET, openpyxl_module
from wzeval.scoring._api import compiled

__all__ = ["FACTS_HEADER", "findings_template_xlsx_bytes", "write_findings_template_xlsx"]

_OPTIONS_SHEET = "选项"
#: Columns of the facts sheet; the value to fill is column F.
FACTS_HEADER = ("指标ID", "指标名称", "事实ID", "问题", "类型", "值", "证据", "备注", "填写说明")
_HEADER_LABELS = {
    "wzeval": "格式",
    "rulebook": "规则",
    "department": "部门",
    "monitoring_date": "监测时间点",
    "assessors": "评估人",
    "notes": "备注",
}


# --------------------------------------------------------------------------- findings template


def _type_text(fact: Fact) -> str:
    if fact.type == "list":
        return f"list[{fact.of}]"
    return fact.type


def _format_hint(fact: Fact) -> str:
    """How to write the value in a cell, in Chinese, with an example for lists and records."""
    hint = describe_fact(fact).replace("；没有时填 null", "")
    if fact.type == "bool":
        hint = "TRUE 或 FALSE（下拉选择）"
    elif fact.type == "list":
        example = {
            "bool": "[true, false]",
            "int": "[1, 2]",
            "decimal": "[0.8, 0.9]",
            "date": '["2023-10-07", "2023-10-09"]',
            "str": '["甲", "乙"]',
        }[fact.of or "str"]
        hint += f"。写成 JSON 数组，如 {example}"
    elif fact.type == "records":
        samples = {
            "bool": "true",
            "int": "1",
            "decimal": "0.5",
            "date": '"2023-10-07"',
            "datetime": '"2023-10-07 09:30"',
            "str": '"…"',
        }
        fields = ", ".join(f'"{k}": {samples[v]}' for k, v in (fact.fields or {}).items())
        hint += f"。写成 JSON 对象数组，如 [{{{fields}}}]"
    elif fact.type in ("date", "datetime"):
        hint += "（Excel 日期）"
    if fact.nullable:
        hint += "；没有时填 null"
    if fact.note:
        hint += f"。说明：{fact.note}"
    return hint


def _validation(
    xl: ModuleType, fact: Fact, options_ref: str | None
) -> tuple[Any | None, str | None]:
    """(data validation, number format) for a fact's value cell."""
    dv_cls = xl.worksheet.datavalidation.DataValidation
    kind = fact.type
    dv: Any = None
    fmt: str | None = "@" if kind in ("str", "enum", "list", "records") else None
    if kind == "bool":
        dv = dv_cls(type="list", formula1='"TRUE,FALSE"', allow_blank=True)
        dv.error = "请选择 TRUE 或 FALSE"
    elif kind in ("int", "decimal"):
        dv_type = "whole" if kind == "int" else "decimal"
        lo, hi = fact.min, fact.max
        if lo is not None and hi is not None:
            dv = dv_cls(
                type=dv_type,
                operator="between",
                formula1=number_text(lo),
                formula2=number_text(hi),
                allow_blank=True,
            )
            dv.error = f"请填写 {number_text(lo)} 到 {number_text(hi)} 之间的" + (
                "整数" if kind == "int" else "数"
            )
        elif lo is not None:
            dv = dv_cls(
                type=dv_type,
                operator="greaterThanOrEqual",
                formula1=number_text(lo),
                allow_blank=True,
            )
            dv.error = f"请填写不小于 {number_text(lo)} 的" + ("整数" if kind == "int" else "数")
        elif hi is not None:
            dv = dv_cls(
                type=dv_type,
                operator="lessThanOrEqual",
                formula1=number_text(hi),
                allow_blank=True,
            )
            dv.error = f"请填写不大于 {number_text(hi)} 的" + ("整数" if kind == "int" else "数")
        elif kind == "int":
            dv = dv_cls(
                type="whole",
                operator="between",
                formula1="-1000000000",
                formula2="1000000000",
                allow_blank=True,
            )
            dv.error = "请填写整数"
        fmt = "0" if kind == "int" else "General"
    elif kind in ("date", "datetime"):
        dv = dv_cls(
            type="date",
            operator="between",
            formula1="DATE(1990,1,1)",
            formula2="DATE(2100,12,31)",
            allow_blank=True,
        )
        dv.error = "请填写日期，如 2023-10-07" + (" 09:30" if kind == "datetime" else "")
        fmt = "yyyy-mm-dd" if kind == "date" else "yyyy-mm-dd hh:mm"
    elif kind == "enum" and options_ref:
        dv = dv_cls(type="list", formula1=options_ref, allow_blank=True)
        dv.error = "请从下拉列表中选择：" + " / ".join(fact.options or [])
    if dv is not None:
        if fact.nullable:
            # "null" (no answer) must stay possible: warn instead of refusing
            dv.errorStyle = "warning"
        dv.showErrorMessage = True
        dv.errorTitle = "取值不符合要求"
        dv.error = (dv.error or "")[:255]
        dv.showInputMessage = True
        dv.promptTitle = fact.id[:32]
        dv.prompt = fact.ask[:255]
    return dv, fmt


def _header_sheet(
    head: Any, xl: ModuleType, s: _Styles, rulebook: Rulebook, canonical: str
) -> None:
    """The 说明 sheet: the header, one key per row, then how to fill the workbook (the
    filling rule word for word) and the indicators that do not apply."""
    crb = compiled(rulebook)
    catalogs = crb.catalogs_of.get(crb.department_ids[canonical], ())
    # ---- 说明: the header, one key per row (column A is what the reader looks for)
    head.title = HEADER_SHEET
    head.cell(row=1, column=1, value=f"评估记录：{rulebook.title}（{rulebook.id}）").font = s.title
    _header_row(head, 2, ("键", "项目", "值", "说明"), s)
    values: dict[str, Any] = {
        "wzeval": FINDINGS_FORMAT,
        "rulebook": rulebook.id,
        "department": canonical,
        "monitoring_date": None,
        "assessors": None,
        "notes": None,
    }
    notes = {
        "wzeval": "不要修改",
        "rulebook": "不要修改",
        "department": "不要修改",
        "monitoring_date": "必填：监测时间点（Excel 日期，如 2023-11-15）",
        "assessors": "评估人，多人用“、”分隔",
        "notes": "可选",
    }
    for n, key in enumerate(HEADER_KEYS, 3):
        head.cell(row=n, column=1, value=key).font = s.muted
        head.cell(row=n, column=2, value=_HEADER_LABELS[key]).font = s.bold
        c = head.cell(row=n, column=3, value=values[key])
        head.cell(row=n, column=4, value=notes[key]).font = s.muted
        for col in range(1, 5):
            head.cell(row=n, column=col).border = s.border
        if key in ("monitoring_date", "assessors", "notes"):
            c.fill = s.input_fill
        if key == "monitoring_date":
            c.number_format = "yyyy-mm-dd"
            dv = xl.worksheet.datavalidation.DataValidation(
                type="date",
                operator="between",
                formula1="DATE(1990,1,1)",
                formula2="DATE(2100,12,31)",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="取值不符合要求",
                error="请填写日期，如 2023-11-15",
            )
            head.add_data_validation(dv)
            dv.add(c.coordinate)
        else:
            c.number_format = "@"
    guide = [
        "填写方法：",
        f"1. 在“{FACTS_SHEET}”表的“值”列（F 列，浅黄色）逐行填写观察到的值；"
        "问题见“问题”列，格式见“填写说明”列。",
        "2. “证据”列填网址或截图文件名（多条换行分隔），“备注”列可选。",
        "3. " + FILLING_RULE[0],
        *(f"   {line}" for line in FILLING_RULE[1:]),
        "4. 不要修改 A、C、E 列（指标ID、事实ID、类型），也不要改动表名。",
        "5. 检查：wzeval validate 本文件.xlsx    "
        f"评分：wzeval score 本文件.xlsx（规则 {rulebook.id}）",
    ]
    skipped = []
    for ind in rulebook.indicators:
        if applies_to(crb.by_id[ind.id], canonical, catalogs) is False:
            skipped.append(
                f"{ind.name}（{ind.id}）" + (f"：{ind.applies_note}" if ind.applies_note else "")
            )
    if skipped:
        guide.append(f"不适用于{canonical}、本表未列出的指标：" + "；".join(skipped))
    for n, line in enumerate(guide, len(HEADER_KEYS) + 4):
        head.cell(row=n, column=1, value=line)
    _widths(head, (17, 12, 30, 48))
    _print_setup(head, "2:2")


def _facts_sheet(wb: Any, xl: ModuleType, s: _Styles, rulebook: Rulebook, canonical: str) -> Any:
    """The 事实 sheet, one row per fact to record with its validation, and the hidden
    选项 sheet its option lists read; the 事实 sheet."""
    crb = compiled(rulebook)
    catalogs = crb.catalogs_of.get(crb.department_ids[canonical], ())
    # ---- 选项: enum options for list validations (hidden)
    opts = wb.create_sheet(_OPTIONS_SHEET)
    opts.sheet_state = "hidden"
    opt_col = 0

    # ---- 事实: one row per fact to record
    ws = wb.create_sheet(FACTS_SHEET)
    _header_row(ws, 1, FACTS_HEADER, s)
    row = 1
    for ind in rulebook.indicators:
        cind = crb.by_id[ind.id]
        applies = applies_to(cind, canonical, catalogs)
        if applies is False:
            continue
        for fact in ind.facts:
            row += 1
            options_ref = None
            if fact.type == "enum" and fact.options:
                opt_col += 1
                letter = xl.utils.get_column_letter(opt_col)
                for k, option in enumerate(fact.options, 1):
                    opts.cell(row=k, column=opt_col, value=option).number_format = "@"
                options_ref = f"'{_OPTIONS_SHEET}'!${letter}$1:${letter}${len(fact.options)}"
            hint = _format_hint(fact)
            if applies is None:
                hint += f"。是否适用取决于：{ind.applies_note or ind.applies or ''}"
            texts = (ind.id, ind.name, fact.id, fact.ask, _type_text(fact), None, None, None, hint)
            for col, text in enumerate(texts, 1):
                c = ws.cell(row=row, column=col, value=text)
                c.border = s.border
                c.alignment = s.wrap
            value = ws.cell(row=row, column=6)
            value.fill = s.input_fill
            for col in (7, 8):
                ws.cell(row=row, column=col).number_format = "@"
            dv, fmt = _validation(xl, fact, options_ref)
            if fmt:
                value.number_format = fmt
            if dv is not None:
                ws.add_data_validation(dv)
                dv.add(value.coordinate)
    ws.freeze_panes = "C2"  # header row and the indicator id and name stay in view
    if row > 1:
        ws.auto_filter.ref = f"A1:I{row}"
    _widths(ws, (14, 18, 12, 36, 10, 18, 30, 20, 44))
    _print_setup(ws, "1:1")
    return ws


def _template_workbook(rulebook: Rulebook, department: str) -> Any:
    xl = openpyxl_module()
    s = _Styles(xl)
    compiled(rulebook)  # a rulebook that does not compile is refused before the department
    canonical = resolve_department(rulebook, department)
    wb = xl.Workbook()
    _header_sheet(wb.active, xl, s, rulebook, canonical)
    ws = _facts_sheet(wb, xl, s, rulebook, canonical)
    wb.active = wb.index(ws)
    return wb


def findings_template_xlsx_bytes(rulebook: Rulebook, department: str) -> bytes:
    """A blank findings workbook for one department, as bytes (deterministic).

    ``department`` may be a name, alias or id.  Indicators that cannot apply to the
    department (decided by its catalogs alone) are left out; those whose
    applicability depends on what is observed are included.  Raises
    :class:`~wzeval.core._errors.ValidationFailed` (WZ407) for an unknown department.
    """
    return _save(_template_workbook(rulebook, department), date(rulebook.year, 1, 1))


def write_findings_template_xlsx(
    rulebook: Rulebook, department: str, path: str | Path, *, force: bool = False
) -> None:
    """Write :func:`findings_template_xlsx_bytes` to ``path`` atomically (never over an
    existing file unless ``force``)."""
    if not force and os.path.lexists(path):
        raise OutputExists(f"{path} already exists; nothing was written")
    write_atomic(path, findings_template_xlsx_bytes(rulebook, department), force=force)
