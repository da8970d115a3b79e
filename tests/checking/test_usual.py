"""The usual checkers (``wzeval.checking._usual``) take a value only as the checker of
record would: the same converted value, of the same types, and only when the checker
of record reports nothing and notes no blank.

Every fact of the shipped rulebooks, with and without the working-day calendar, with
and without a monitoring date, against a pool of values that are right, wrong, slips,
blanks, out of range, too large, later than the monitoring date, lists and records
right and wrong; then generated findings (valid, and with values swapped between
facts) checked end to end with the usual checkers and without them
(``WZEVAL_REFERENCE=1`` makes none): the same facts and the same issues.
"""

from __future__ import annotations

import random
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from support.documents import bundled
from support.paths import ROOT
from support.strategies import findings_for

import wzeval.checking._findings as findings_module
from wzeval.checking._factvalues import ValueChecker
from wzeval.checking._usual import REFER, indicator_checkers, usual_checker
from wzeval.core._issues import Position
from wzeval.model._models import Fact
from wzeval.reading._plain import plain_document
from wzeval.scoring._api import compiled, load_rulebook

RULEBOOKS = [ROOT / "rulebooks" / name for name in ("2023.yaml", "national-2019.yaml")]
MDATE = date(2023, 8, 4)

_SCALARS: list[Any] = [
    True,
    False,
    0,
    1,
    2,
    -1,
    3,
    36,
    100,
    101,
    10**30,
    Decimal("0"),
    Decimal("0.5"),
    Decimal("0.85"),
    Decimal("1"),
    Decimal("1.0"),
    Decimal("80"),
    Decimal("-0.1"),
    Decimal("1.5"),
    Decimal("NaN"),
    Decimal("Infinity"),
    Decimal("1E+999999"),
    Decimal("1E-400"),
    0.7,
    "0.7",
    "80%",
    "三",
    "是",
    "true",
    "3",
    "",
    " ",
    "待填写",
    " 待填写 ",
    "见待填写",
    "text",
    "市教育局",
    "a，b",
    "a、b",
    date(2023, 1, 2),
    date(2023, 8, 4),
    date(2023, 8, 5),
    date(1990, 1, 1),
    date(2100, 1, 1),
    datetime(2023, 5, 6, 7, 8),
    datetime(2023, 9, 6, 7, 8),
    "2023-01-02",
    " 2023-01-02 ",
    "2023/1/2",
    "2023-02-30",
    "2023-08-05",
    "1990-01-01",
    "2023-01-02 10:00",
    "2023-01-02T10:00",
    "2023-08-04 23:59",
    "2023-08-05 00:00",
    None,
    {},
    {"a": 1},
]


class _Doc:
    """Positions for the checker of record's issues: the test compares their count."""

    file = "t.yaml"

    def position(self, path: Any, *, key: bool = False) -> Position:
        return Position(self.file, 1, 1)

    def empty_value(self, path: Any) -> bool:
        return False


class _Checker(ValueChecker):
    def __init__(self, mdate: date | None) -> None:
        self.doc = _Doc()  # type: ignore[assignment]
        self.issues = []
        self.mdate = mdate
        self.holes = []


def _same(a: object, b: object) -> bool:
    """Equal, and of the same types all the way down (a Fraction is not an int)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        assert isinstance(b, list)
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        assert isinstance(b, dict)
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    return a == b


def _values(fact: Fact, rng: random.Random) -> list[Any]:
    """Values to try for ``fact``: the pool, its options, and lists and records of them."""
    values: list[Any] = list(_SCALARS)
    for option in fact.options or []:
        values += [option, f" {option}", option.upper(), option.lower()]
    values += list((fact.option_labels or {}).values())
    if fact.type == "list":
        values += [[], [None], ["待填写"], ["a，b"], ["a，b", "c"], ["x" * 201 + "，"]]
        values += [[v] for v in _SCALARS] + [rng.sample(_SCALARS, 3) for _ in range(40)]
    if fact.type == "records":
        fields = fact.fields or {}
        good = {"bool": True, "int": 2, "decimal": Decimal("0.5"), "str": "标题"}
        good |= {"date": date(2023, 3, 1), "datetime": datetime(2023, 3, 1, 9, 0)}
        record = {name: good[kind] for name, kind in fields.items()}
        values += [[], [record], [record, record], [None], ["待填写"], [dict(record, extra=1)]]
        for name in fields:
            values.append([{k: v for k, v in record.items() if k != name}])
            values += [[record, dict(record, **{name: v})] for v in _SCALARS]
            values.append([{**{k: v for k, v in record.items() if k != name}, name: None}])
        values.append([dict(reversed(list(record.items())))])
    return values


@pytest.mark.parametrize("path", RULEBOOKS, ids=lambda p: p.name)
def test_usual_checkers_take_only_what_the_checker_of_record_takes(path: Path) -> None:
    """Each value a usual checker takes is the checker of record's converted value, with
    no issue and no blank; and each fact's right values are taken (not all referred)."""
    crb = compiled(load_rulebook(path))
    rng = random.Random(2)
    taken = tried = 0
    for cind in crb.indicators:
        for fact in cind.indicator.facts:
            values = _values(fact, rng)
            for calendar in (False, True):
                usual = usual_checker(fact, calendar)
                for mdate in (None, MDATE):
                    for value in values:
                        checker = _Checker(mdate)
                        ok, conv = checker.convert(
                            fact, value, ("indicators", "i", fact.id), cind, calendar
                        )
                        got = usual(value, mdate)
                        tried += 1
                        if got is REFER:
                            continue
                        taken += 1
                        assert ok and not checker.issues and not checker.holes, (fact, value)
                        assert _same(got, conv), (fact.id, value, got, conv)
    assert tried > 10_000
    assert taken > tried // 50  # the pool is mostly wrong values: still thousands taken


@pytest.mark.parametrize("path", RULEBOOKS, ids=lambda p: p.name)
def test_usual_checkers_take_the_usual_values(path: Path) -> None:
    """A right value of each type is taken at once (the fast checker is not just
    referring everything), converted as the checker of record converts it."""
    crb = compiled(load_rulebook(path))
    for cind in crb.indicators:
        for fact in cind.indicator.facts:
            usual = usual_checker(fact, False)
            right: Any = {
                "bool": True,
                "str": "文本",
                "enum": (fact.options or [""])[0],
                "int": int(fact.min or 0),
                "decimal": Decimal(fact.min or 0),
                "date": "2023-01-02",
                "datetime": "2023-01-02 10:00",
                "list": [],
                "records": [],
            }[fact.type]
            got = usual(right, MDATE)
            assert got is not REFER, fact
            if fact.type == "decimal":
                assert got == Fraction(right) and type(got) is Fraction
            if fact.type == "date":
                assert got == date(2023, 1, 2)


def _swapped(mapping: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """The findings with a few values moved to other facts (wrong types, slips, blanks,
    lists for scalars): what the checker of record must report."""
    out = {**mapping, "indicators": {k: dict(v) for k, v in mapping["indicators"].items()}}
    cells = [(i, f) for i, facts in out["indicators"].items() for f in facts]
    for _ in range(6):
        (i, f), (j, g) = rng.sample(cells, 2)
        out["indicators"][i][f] = out["indicators"][j][g]
    i, f = rng.choice(cells)
    out["indicators"][i][f] = rng.choice(_SCALARS)
    return out


def _checked(mapping: dict[str, Any], usual: bool, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("WZEVAL_REFERENCE", "0" if usual else "1")
    crb = compiled(bundled())
    findings, issues = findings_module.check_findings(
        plain_document(mapping, "<findings>"), crb, partial=True
    )
    facts = None
    if findings is not None:
        facts = {
            ind: {fid: (repr(rec.value), type(rec.value), rec.evidence, rec.note, rec.position)}
            for ind, recs in findings.facts.items()
            for fid, rec in recs.items()
        }
    return facts, [i.to_dict() for i in issues]


@settings(max_examples=40, deadline=None)
@given(findings_for(bundled()))
def test_generated_findings_check_the_same_with_usual_checkers(mapping: dict[str, Any]) -> None:
    """Generated findings, and the same with values swapped between facts: the same
    facts (values and their types, places) and issues with and without the usual
    checkers."""
    rng = random.Random(repr(sorted(mapping["indicators"])))
    with pytest.MonkeyPatch.context() as mp:
        for case in (mapping, _swapped(mapping, rng)):
            assert _checked(case, True, mp) == _checked(case, False, mp)


def test_reference_switch_leaves_every_value_to_the_checker_of_record(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``WZEVAL_REFERENCE=1``: no usual checker; otherwise one for every declared fact."""
    crb = compiled(bundled())
    monkeypatch.setenv("WZEVAL_REFERENCE", "1")
    assert all(not usual for _decl, _derived, usual in indicator_checkers(crb).values())
    monkeypatch.setenv("WZEVAL_REFERENCE", "0")
    tables = indicator_checkers(crb)
    assert tables is indicator_checkers(crb)  # made once, kept on the compiled rulebook
    for cind in crb.indicators:
        decl, _derived, usual = tables[cind.indicator.id]
        assert set(usual) == set(decl) == {f.id for f in cind.indicator.facts}
