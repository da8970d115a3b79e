"""Fill a findings template programmatically, the way an evaluator would by hand.

Used by the template and CLI tests: the template is loaded round-trip (comments
kept), every placeholder left in it is replaced by a valid value of the fact's
type, and the file is written back.
"""

from __future__ import annotations

import datetime
import io
from pathlib import Path

from ruamel.yaml import YAML

from wzeval.model._models import Fact, Rulebook
from wzeval.reading._loader import load_document

MONITORING_DATE = datetime.date(2023, 11, 15)


def _number(value: object) -> int | float:
    from decimal import Decimal

    assert isinstance(value, Decimal)
    return int(value) if value == value.to_integral_value() else float(value)


def value_for(fact: Fact) -> object:
    """A valid value for a fact: within its range, an option of its enum."""
    if fact.type == "bool":
        return True
    if fact.type == "int":
        low = int(fact.min or 0)
        return low + 1 if fact.max is None or fact.max >= low + 1 else low
    if fact.type == "decimal":
        return _number(fact.max) if fact.max is not None else 1
    if fact.type == "date":
        return datetime.date(2023, 11, 10)
    if fact.type == "datetime":
        return datetime.datetime(2023, 11, 10, 9, 30)
    if fact.type == "str":
        return "已核对"
    if fact.type == "enum":
        return (fact.options or [])[-1]
    if fact.type == "list":
        return [value_for(fact.model_copy(update={"type": fact.of, "of": None}))]
    assert fact.type == "records" and fact.fields
    return [{k: value_for(Fact(id=k, type=t, ask="?")) for k, t in fact.fields.items()}]


def fill(path: Path, rulebook: Rulebook) -> None:
    """Replace every blank in the template at ``path`` with a valid value, in place."""
    fill_some(path, rulebook, None)


def fill_some(path: Path, rulebook: Rulebook, indicators: set[str] | None) -> None:
    """Fill the header and the facts of ``indicators`` only (``None``: of all), leaving
    every other blank (null, 待填写) as the template wrote it: a template filled
    halfway, day one."""
    doc = load_document(path)
    assert doc.issues == []
    root = doc.root
    root["monitoring_date"] = MONITORING_DATE
    root["assessors"] = ["测试员"]
    for ind in rulebook.indicators:
        body = root["indicators"].get(ind.id) if root["indicators"] else None
        if body is None or (indicators is not None and ind.id not in indicators):
            continue
        for fact in ind.facts:
            if fact.id in body:
                body[fact.id] = value_for(fact)
    buf = io.StringIO()
    YAML().dump(root, buf)
    path.write_text(buf.getvalue(), encoding="utf-8")


def fill_xlsx(path: Path, rulebook: Rulebook, indicators: set[str]) -> None:
    """The same for a findings workbook: the header, and the value cells of the facts of
    ``indicators``; every other value cell stays blank."""
    import json

    import openpyxl

    from wzeval.output._xlsx import FACTS_SHEET, HEADER_SHEET

    facts = {(i.id, f.id): f for i in rulebook.indicators for f in i.facts}
    wb = openpyxl.load_workbook(path)
    for row in wb[HEADER_SHEET].iter_rows():
        if row[0].value == "monitoring_date":
            row[2].value = MONITORING_DATE
        elif row[0].value == "assessors":
            row[2].value = "测试员"
    for row in wb[FACTS_SHEET].iter_rows(min_row=2):
        ind, fid = row[0].value, row[2].value
        if ind not in indicators:
            continue
        value = value_for(facts[(ind, fid)])
        if isinstance(value, list):
            value = json.dumps(value, ensure_ascii=False, default=str)
        row[5].value = value
    wb.save(path)
