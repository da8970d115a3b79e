"""The findings template as a workbook: a 说明 sheet with the header, a 事实 sheet to fill.

One row per fact to record, with its question, type, a format hint and a data
validation (a drop-down for yes/no and options, ranges for numbers, dates); the
value to fill is column F.  :mod:`wzeval.reading._xlsxread` reads it back: the header
keys in column A are ids, the same in every language; the sheet and column names
come from its :data:`~wzeval.reading._xlsxread.WORKBOOK_NAMES` (in the language in
force; it reads them in any).  Every other text is a catalogue message, so
``--lang en`` writes an English workbook.  Blank cells are not recorded yet
(:data:`wzeval.checking._findings.FILLING_RULE`, stated on the 说明 sheet).
"""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

from wzeval.checking._findings import FINDINGS_FORMAT, filling_rule
from wzeval.core._errors import OutputExists
from wzeval.core._i18n import N_, _
from wzeval.core._slips import number_text
from wzeval.model._models import Fact, Rulebook
from wzeval.output._files import write_atomic
from wzeval.output._template import applies_to, describe_fact, null_for_none, resolve_department
from wzeval.output._xlsxsheet import Styles as _Styles
from wzeval.output._xlsxsheet import header_row as _header_row
from wzeval.output._xlsxsheet import print_setup as _print_setup
from wzeval.output._xlsxsheet import save as _save
from wzeval.output._xlsxsheet import set_widths as _widths
from wzeval.reading._xlsxread import (
    FACTS_HEADER,
    HEADER_KEYS,
    facts_header,
    openpyxl_module,
    workbook_names,
)
from wzeval.scoring._api import compiled

__all__ = ["FACTS_HEADER", "findings_template_xlsx_bytes", "write_findings_template_xlsx"]

#: Column B of the 说明 sheet: what each header key is (catalogue messages).
_HEADER_LABELS = {
    "wzeval": N_("Format"),
    "rulebook": N_("Rulebook id"),
    "department": N_("Department"),
    "monitoring_date": N_("Monitoring date"),
    "assessors": N_("Assessors"),
    "notes": N_("Notes"),
}
#: Column D of the 说明 sheet: how to fill each header key in (catalogue messages).
_HEADER_NOTES = {
    "wzeval": N_("do not change"),
    "rulebook": N_("do not change"),
    "department": N_("do not change"),
    "monitoring_date": N_("required: the monitoring date (an Excel date, e.g. 2023-11-15)"),
    "assessors": N_("the assessors, several separated by commas"),
    "notes": N_("optional"),
}


# --------------------------------------------------------------------------- findings template


def _type_text(fact: Fact) -> str:
    if fact.type == "list":
        return f"list[{fact.of}]"
    return fact.type


def _format_hint(fact: Fact) -> str:
    """How to write the value in a cell, with an example for lists and records."""
    hint = describe_fact(fact, none=False)
    if fact.type == "bool":
        hint = _("TRUE or FALSE (pick from the list)")
    elif fact.type == "list":
        example = {
            "bool": "[true, false]",
            "int": "[1, 2]",
            "decimal": "[0.8, 0.9]",
            "date": '["2023-10-07", "2023-10-09"]',
            "str": _('["a", "b"]'),
        }[fact.of or "str"]
        hint = _("{hint}. Write it as a JSON array, e.g. {example}").format(
            hint=hint, example=example
        )
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
        hint = _("{hint}. Write it as a JSON array of objects, e.g. {example}").format(
            hint=hint, example="[{" + fields + "}]"
        )
    elif fact.type in ("date", "datetime"):
        hint = _("{hint} (an Excel date)").format(hint=hint)
    if fact.nullable:
        hint = null_for_none(hint)
    if fact.note:
        hint = _("{hint}. Note: {note}").format(hint=hint, note=fact.note)
    return hint


def _number_error(kind: str, lo: Decimal | None, hi: Decimal | None) -> str:
    """What a number cell's validation says when refused (``lo``/``hi``: its bounds)."""
    whole = kind == "int"
    if lo is not None and hi is not None:
        text = (
            _("enter a whole number from {low} to {high}")
            if whole
            else _("enter a number from {low} to {high}")
        )
    elif lo is not None:
        text = (
            _("enter a whole number not less than {low}")
            if whole
            else _("enter a number not less than {low}")
        )
    elif hi is not None:
        text = (
            _("enter a whole number not greater than {high}")
            if whole
            else _("enter a number not greater than {high}")
        )
    else:
        text = _("enter a whole number")
    return text.format(
        low="" if lo is None else number_text(lo), high="" if hi is None else number_text(hi)
    )


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
        dv.error = _("choose TRUE or FALSE")
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
        elif lo is not None:
            dv = dv_cls(
                type=dv_type,
                operator="greaterThanOrEqual",
                formula1=number_text(lo),
                allow_blank=True,
            )
        elif hi is not None:
            dv = dv_cls(
                type=dv_type,
                operator="lessThanOrEqual",
                formula1=number_text(hi),
                allow_blank=True,
            )
        elif kind == "int":
            dv = dv_cls(
                type="whole",
                operator="between",
                formula1="-1000000000",
                formula2="1000000000",
                allow_blank=True,
            )
        if dv is not None:
            dv.error = _number_error(kind, lo, hi)
        fmt = "0" if kind == "int" else "General"
    elif kind in ("date", "datetime"):
        dv = _date_validation(xl, "2023-10-07" + (" 09:30" if kind == "datetime" else ""))
        fmt = "yyyy-mm-dd" if kind == "date" else "yyyy-mm-dd hh:mm"
    elif kind == "enum" and options_ref:
        dv = dv_cls(type="list", formula1=options_ref, allow_blank=True)
        dv.error = _("choose from the list: {options}").format(
            options=" / ".join(fact.options or [])
        )
    if dv is not None:
        if fact.nullable:
            # "null" (no answer) must stay possible: warn instead of refusing
            dv.errorStyle = "warning"
        dv.showErrorMessage = True
        dv.errorTitle = _("value not allowed")
        dv.error = (dv.error or "")[:255]
        dv.showInputMessage = True
        dv.promptTitle = fact.id[:32]
        dv.prompt = fact.ask[:255]
    return dv, fmt


def _date_validation(xl: ModuleType, example: str) -> Any:
    """A date cell's validation: a date from 1990 to 2100, the refusal showing ``example``."""
    return xl.worksheet.datavalidation.DataValidation(
        type="date",
        operator="between",
        formula1="DATE(1990,1,1)",
        formula2="DATE(2100,12,31)",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("value not allowed"),
        error=_("enter a date, e.g. {example}").format(example=example),
    )


def _header_sheet(
    head: Any, xl: ModuleType, s: _Styles, rulebook: Rulebook, canonical: str
) -> None:
    """The 说明 sheet: the header, one key per row, then how to fill the workbook (the
    filling rule word for word) and the indicators that do not apply."""
    # ---- 说明: the header, one key per row (column A is what the reader looks for)
    head.title = workbook_names()["header"]
    title = _("Findings: {title} ({id})").format(title=rulebook.title, id=rulebook.id)
    head.cell(row=1, column=1, value=title).font = s.title
    _header_row(head, 2, (_("Key"), _("Entry"), _("Value"), _("Explanation")), s)
    values: dict[str, Any] = {
        "wzeval": FINDINGS_FORMAT,
        "rulebook": rulebook.id,
        "department": canonical,
        "monitoring_date": None,
        "assessors": None,
        "notes": None,
    }
    for n, key in enumerate(HEADER_KEYS, 3):
        head.cell(row=n, column=1, value=key).font = s.muted
        head.cell(row=n, column=2, value=_(_HEADER_LABELS[key])).font = s.bold
        c = head.cell(row=n, column=3, value=values[key])
        head.cell(row=n, column=4, value=_(_HEADER_NOTES[key])).font = s.muted
        for col in range(1, 5):
            head.cell(row=n, column=col).border = s.border
        if key in ("monitoring_date", "assessors", "notes"):
            c.fill = s.input_fill
        if key == "monitoring_date":
            c.number_format = "yyyy-mm-dd"
            dv = _date_validation(xl, "2023-11-15")
            head.add_data_validation(dv)
            dv.add(c.coordinate)
        else:
            c.number_format = "@"
    for n, line in enumerate(_guide(rulebook, canonical), len(HEADER_KEYS) + 4):
        head.cell(row=n, column=1, value=line)
    _widths(head, (17, 12, 30, 48))
    _print_setup(head, "2:2")


def _guide(rulebook: Rulebook, canonical: str) -> list[str]:
    """How to fill the workbook in (the 说明 sheet below the header), and the indicators
    left out because they do not apply to the department."""
    crb = compiled(rulebook)
    catalogs = crb.catalogs_of.get(crb.department_ids[canonical], ())
    names = workbook_names()
    rule = filling_rule()
    guide = [
        _("How to fill in:"),
        _(
            "1. In the “{facts}” sheet, fill in the “{value}” column (column F, light yellow) "
            "row by row with what you observed; the question is in the “{ask}” column, the "
            "form of the value in the “{how}” column."
        ).format(**names),
        _(
            "2. The “{evidence}” column takes web addresses or screenshot file names (one a "
            "line); the “{note}” column is optional."
        ).format(**names),
        "3. " + rule[0],
        *(f"   {line}" for line in rule[1:]),
        _(
            "4. Do not change columns A, C and E ({indicator}, {fact}, {type}), nor the "
            "names of the sheets."
        ).format(**names),
        _(
            "5. Check: wzeval validate this-file.xlsx    "
            "Score: wzeval score this-file.xlsx (rulebook {id})"
        ).format(id=rulebook.id),
    ]
    skipped = []
    for ind in rulebook.indicators:
        if applies_to(crb.by_id[ind.id], canonical, catalogs) is False:
            text = _("{name} ({id}): {note}") if ind.applies_note else _("{name} ({id})")
            skipped.append(text.format(name=ind.name, id=ind.id, note=ind.applies_note))
    if skipped:
        guide.append(
            _("Indicators that do not apply to {department}, not listed here: {indicators}").format(
                department=canonical, indicators=_("; ").join(skipped)
            )
        )
    return guide


def _facts_sheet(wb: Any, xl: ModuleType, s: _Styles, rulebook: Rulebook, canonical: str) -> Any:
    """The 事实 sheet, one row per fact to record with its validation, and the hidden
    选项 sheet its option lists read; the 事实 sheet."""
    crb = compiled(rulebook)
    catalogs = crb.catalogs_of.get(crb.department_ids[canonical], ())
    # ---- 选项: enum options for list validations (hidden)
    names = workbook_names()
    opts = wb.create_sheet(names["options"])
    opts.sheet_state = "hidden"
    opt_col = 0

    # ---- 事实: one row per fact to record
    ws = wb.create_sheet(names["facts"])
    _header_row(ws, 1, facts_header(), s)
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
                options_ref = f"'{opts.title}'!${letter}$1:${letter}${len(fact.options)}"
            hint = _format_hint(fact)
            if applies is None:
                hint = _("{hint}. Whether it applies depends on: {why}").format(
                    hint=hint, why=ind.applies_note or ind.applies or ""
                )
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
        raise OutputExists(_("{path} already exists; nothing was written").format(path=path))
    write_atomic(path, findings_template_xlsx_bytes(rulebook, department), force=force)
