"""Report figures: exact inside, rounded once (2 places, half up) when shown (R9)."""

from __future__ import annotations

from fractions import Fraction as F
from typing import Any

import pytest
from pydantic import ValidationError

from wzeval.model._report import (
    CategoryResult,
    DeductionResult,
    FactRead,
    ItemResult,
    NotAssessed,
    VetoResult,
    display,
    exact_text,
    share_text,
    trusted,
)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (F(1, 200), "0.01"),  # 0.005 rounds half up, not to even
        (F(1, 400), "0.00"),  # 0.0025 → 0.00
        (F(2, 3), "0.67"),
        (F(-1, 200), "-0.01"),
        (F(-1, 1000), "0.00"),  # no "-0.00"
        (F(110), "110.00"),
        (F(35911, 360), "99.75"),  # 99.7527… from the strong example
    ],
)
def test_display_rounds_half_up_once(value: F, shown: str) -> None:
    """display() rounds to 2 places half up, and never prints a negative zero."""
    assert display(value) == shown


def test_display_other_places() -> None:
    """The rulebook's arithmetic.places is honoured."""
    assert display(F(2, 3), 4) == "0.6667"
    assert display(F(5, 2), 0) == "3"


@pytest.mark.parametrize(
    ("value", "text"),
    [(F(3, 2), "1.5"), (F(4, 3), "4/3"), (F(-3, 5), "-0.6"), (F(7), "7"), (F(1, 8), "0.125")],
)
def test_exact_text_round_trips(value: F, text: str) -> None:
    """Exact text is a terminating decimal when one exists, else a fraction; Fraction reads both."""
    assert exact_text(value) == text
    assert F(text) == value


def test_share_text_marks_rounding() -> None:
    """Shares print exactly when they can and say ≈ when rounded."""
    assert share_text(F(1, 2)) == "50%"
    assert share_text(F(3, 40)) == "7.5%"
    assert share_text(F(1, 9)) == "≈11.11%"


# ------------------------------------------------------------- results built without validation


def _validated_and_trusted(cls: type[Any], values: dict[str, Any]) -> tuple[Any, Any]:
    return cls(**values), trusted(cls, dict(values))


@pytest.mark.parametrize(
    ("cls", "values"),
    [
        (VetoResult, {"id": "v", "fired": True}),
        (VetoResult, {"id": "v", "label": "否决", "fired": False, "at": "r.yaml:3"}),
        (
            DeductionResult,
            {"id": "d", "count": 3, "each": F(1, 20), "amount": F(3, 20), "points": F(3, 5)}
            | {"capped": False},
        ),
        (
            ItemResult,
            {"id": "i", "rule": "check", "share": F(1, 2), "credit": F(0), "points": F(0)}
            | {"max_points": F(2), "reason": "不符合，得 0"},
        ),
        (FactRead, {"id": "x", "value": [1, "2"], "derived": True}),
        (
            CategoryResult,
            {"id": "c", "name": "类", "kind": "base", "weight": F(10)}
            | {"applicable_weight": F(10), "points": F(19, 3)},
        ),
        (NotAssessed, {"indicator": "i", "name": "名", "missing": ["a"], "reason": "缺少事实：a"}),
    ],
)
def test_trusted_results_equal_validated_ones(cls: type[Any], values: dict[str, Any]) -> None:
    """Equal objects, the same repr, JSON and set fields; fields left out take their defaults."""
    validated, built = _validated_and_trusted(cls, values)
    assert built == validated
    assert repr(built) == repr(validated)
    assert built.model_dump_json() == validated.model_dump_json()
    assert built.model_fields_set == validated.model_fields_set
    assert cls.model_validate(built.model_dump()) == built


def test_trusted_results_get_fresh_default_lists() -> None:
    """A list field left out is a new list per object, as pydantic's default_factory gives."""
    values = {"id": "v", "rule": "check", "share": F(1), "credit": F(1), "points": F(1)}
    values |= {"max_points": F(1), "reason": "符合"}
    a, b = trusted(ItemResult, dict(values)), trusted(ItemResult, dict(values))
    assert a.vetoes == [] and a.deductions == []
    assert a.vetoes is not b.vetoes and a.deductions is not b.deductions


def test_trusted_results_stay_frozen() -> None:
    """Built without validation, a result is as immutable as a validated one."""
    built = trusted(VetoResult, {"id": "v", "fired": True})
    with pytest.raises(ValidationError):
        built.fired = False


def _both(report: Any) -> tuple[str, str]:
    import json

    return (
        report.model_dump_json(indent=2),
        json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2),
    )


def test_a_reports_json_text_is_json_dumps_of_its_data_on_every_example() -> None:
    """A batch keeps each report's JSON as pydantic writes it (five times faster than
    json.dumps, which indents with its pure-Python encoder); the ranking it is nested in
    must be what json.dumps of the data gives, byte for byte."""
    import random

    from support.paths import ROOT

    import wzeval
    from wzeval.analysis._generate import RandomChooser, findings
    from wzeval.scoring._api import load_rulebook

    rb = load_rulebook()
    reports = [
        wzeval.score(p, rb, partial=True) for p in sorted((ROOT / "examples/findings").glob("*"))
    ]
    rng = random.Random(11)
    for _n in range(15):
        found, _issues = wzeval.read_findings(findings(rb, RandomChooser(rng)), rb, partial=True)
        reports.append(wzeval.evaluate(rb, found, partial=True))
    assert len(reports) == 21
    for report in reports:
        fast, plain = _both(report)
        assert fast == plain


def test_a_reports_json_text_escapes_as_json_dumps_does() -> None:
    """Every character a findings file may hold, in a note and in evidence, where the
    two writers could part: tabs and line breaks, line separators, DEL's neighbours,
    characters past the BMP."""
    import json

    from ruamel.yaml import YAML
    from support.paths import ROOT

    import wzeval
    from wzeval.reading._yamlcore import _NON_PRINTABLE
    from wzeval.scoring._api import load_rulebook

    rb = load_rulebook()
    text = (ROOT / "examples/findings/shengtaihuanjing-strong.yaml").read_text(encoding="utf-8")
    data = YAML(typ="safe").load(text)
    # the first 12,288 code points, the last 8,192 of the BMP, every 97th past it (a
    # document holds at most 512 KiB), less what no findings file may hold
    points = [*range(0x3000), *range(0xE000, 0x10000), *range(0x10000, 0x110000, 97), 0x1F600]
    every = "".join(chr(c) for c in points if not _NON_PRINTABLE.match(chr(c)))
    assert "\t" in every and "\u2028" in every and "\U0001f600" in every
    assert "\x00" not in every and len(every) > 30_000
    fact = data["indicators"]["jigou_zhineng"]["org_info_published"]
    fact["note"] = every
    fact["evidence"] = [every[:5000], every[-5000:]]
    found, issues = wzeval.read_findings(data, rb, partial=True)
    assert not [i for i in issues if i.severity == "error"], issues
    fast, plain = _both(wzeval.evaluate(rb, found, partial=True))
    assert json.dumps(every, ensure_ascii=False)[1:-1] in fast  # the note is written
    assert fast == plain
