"""The in-memory path meets a file's limits: one checking path for every entry point.

Each case of issue 14 item 6 gets its code, the path reported, and CPU time and
memory bounds (tests/support/bounds.py); Hypothesis checks that any Python value gives
findings or issues, never another exception, and that a document read from memory
and from a file gives the same issue codes.
"""

from __future__ import annotations

import contextlib
import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.bounds import measure
from support.paths import TESTS

import wzeval
from wzeval.core._errors import WzevalError

ROOT = TESTS
BASE: dict[str, Any] = {
    "wzeval": "findings/1",
    "department": "甲局",
    "monitoring_date": "2023-11-15",
    "indicators": {},
}


@pytest.fixture(scope="module")
def rulebook() -> wzeval.Rulebook:
    return wzeval.load_rulebook(ROOT / "rulebooks" / "kinds.yaml")


class _RaisingRepr:
    def __repr__(self) -> str:
        raise RuntimeError("repr called")

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("eq called")

    def __hash__(self) -> int:
        raise RuntimeError("hash called")


def _deep(n: int) -> list[Any]:
    root: list[Any] = []
    cur = root
    for _ in range(n):
        cur.append([])
        cur = cur[0]
    return root


@pytest.mark.parametrize(
    ("value", "code", "path"),
    [
        (10**5000, "WZ112", ("notes",)),
        (Decimal("1e999999999"), "WZ112", ("notes",)),
        ("a\udc00", "WZ101", ("notes",)),
        ("a\x00b", "WZ101", ("notes",)),
        (_RaisingRepr(), "WZ412", ("notes",)),
        ({b"key": 1}, "WZ412", ("notes",)),
    ],
    ids=["huge-int", "huge-decimal", "lone-surrogate", "nul", "raising-repr", "bytes-key"],
)
def test_in_memory_value_is_refused_like_a_file(
    rulebook: wzeval.Rulebook, value: object, code: str, path: tuple[Any, ...]
) -> None:
    (findings, issues), used = measure(
        lambda: wzeval.read_findings({**BASE, "notes": value}, rulebook)
    )
    assert findings is None
    assert [(i.code, i.path) for i in issues] == [(code, path)]
    used.assert_within()


def test_deep_nesting_is_wz108_without_recursion(rulebook: wzeval.Rulebook) -> None:
    (_, issues), used = measure(
        lambda: wzeval.read_findings({**BASE, "notes": _deep(100_000)}, rulebook)
    )
    (issue,) = issues
    assert issue.code == "WZ108" and issue.path == ("notes", *([0] * 63))
    used.assert_within()


def test_five_million_items_are_refused_fast_and_small(rulebook: wzeval.Rulebook) -> None:
    big = list(range(5_000_000))
    (_, issues), used = measure(lambda: wzeval.read_findings({**BASE, "notes": big}, rulebook))
    (issue,) = issues
    assert issue.code == "WZ109" and issue.path[0] == "notes"
    used.assert_within()


def test_a_list_as_source_is_wz401(rulebook: wzeval.Rulebook) -> None:
    (_, issues), used = measure(lambda: wzeval.read_findings([1, 2], rulebook))  # type: ignore[arg-type]
    assert [i.code for i in issues] == ["WZ401"]
    used.assert_within()


_odd = (
    st.builds(_RaisingRepr)  # (built, not sampled: Hypothesis prints what it samples)
    | st.binary(max_size=3)
    | st.frozensets(st.integers(), max_size=2)
    | st.complex_numbers()
    | st.floats()
)
_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.decimals(allow_nan=True)
    | st.text(max_size=8)
    | st.dates()
    | _odd
)
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=4) | st.integers(), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(
    notes=_values,
    facts=st.dictionaries(st.sampled_from(["late", "severe", "bad", "x"]), _values, max_size=3),
)
def test_any_value_gives_findings_or_issues(
    rulebook: wzeval.Rulebook, notes: Any, facts: Any
) -> None:
    data = {**BASE, "notes": notes, "indicators": {"deduct": facts}}
    findings, issues = wzeval.read_findings(data, rulebook, partial=True)
    assert all(i.code.startswith("WZ") for i in issues)
    if findings is not None:
        with contextlib.suppress(WzevalError):
            wzeval.evaluate(rulebook, findings, partial=True).to_json()


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=20,
)


@given(notes=_json_values, when=st.dates(date(2023, 1, 1), date(2023, 12, 31)))
def test_memory_and_file_give_the_same_codes(
    rulebook: wzeval.Rulebook, notes: Any, when: date, tmp_path_factory: pytest.TempPathFactory
) -> None:
    data = {**BASE, "monitoring_date": when.isoformat(), "notes": notes}
    f = tmp_path_factory.mktemp("same") / "f.json"
    f.write_text(json.dumps(data, ensure_ascii=True), "utf-8")
    mem, mem_issues = wzeval.read_findings(data, rulebook, partial=True)
    disk, disk_issues = wzeval.read_findings(f, rulebook, partial=True)
    assert [i.code for i in mem_issues] == [i.code for i in disk_issues]
    assert (mem is None) == (disk is None)
    if mem is not None and disk is not None:
        assert mem.facts == disk.facts and mem.notes == disk.notes


# ------------------------------------------------------------------ findings-shaped

#: Indicator and fact ids of tests/rulebooks/kinds.yaml, and one of each unknown.
_INDICATORS = {
    "checks": ["a", "b", "fake"],
    "tiers": ["asked", "answered", "accurate"],
    "levels": ["form"],
    "bands": ["n"],
    "prop": ["passed", "checked"],
    "checklist": ["f"],
    "deduct": ["late", "severe", "bad"],
    "given": ["panel"],
    "listed": ["ok"],
    "praise": ["sup"],
    "nope": ["x"],
}


def _findings_shaped(values: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Findings of the kinds rulebook: real or unknown indicators and facts, header fields
    kept or replaced, every value drawn from ``values`` (or a well-typed one)."""
    well_typed = (
        st.booleans()
        | st.integers(-3, 30)
        | st.sampled_from(["2023-11-06", "2023-11-10", "l2", "2023-02-30", "yes"])
        | st.lists(st.booleans(), max_size=9)
        | st.lists(st.sampled_from([0, 1, Decimal("0.5")]), max_size=3)
    )
    indicator = st.sampled_from(sorted(_INDICATORS)).flatmap(
        lambda ind: st.tuples(
            st.just(ind),
            st.dictionaries(st.sampled_from([*_INDICATORS[ind], "zz"]), well_typed | values),
        )
    )
    header = st.fixed_dictionaries(
        {},
        optional={
            "department": st.sampled_from(["甲局", "乙局", "丙局"]) | values,
            "monitoring_date": st.sampled_from(["2023-11-15", "20231115"]) | values,
            "assessors": st.lists(st.sampled_from(["张三", "李四"]), max_size=2) | values,
            "notes": values,
            "extra": values,
        },
    )
    return st.builds(
        lambda h, inds: {**BASE, **h, "indicators": dict(inds)},
        header,
        st.lists(indicator, max_size=4),
    )


def _json_text(value: Any) -> str:
    """JSON with decimals written as the numbers they are (the loader reads them as
    decimals again): what an evaluator's tool would write."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return (
            "{"
            + ", ".join(f"{_json_text(str(k))}: {_json_text(v)}" for k, v in value.items())
            + "}"
        )
    if isinstance(value, list):
        return "[" + ", ".join(_json_text(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=True)


_file_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(-(10**120), 10**120)
    | st.decimals(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=12,
)


@given(data=_findings_shaped(_file_values))
def test_findings_shaped_memory_and_file_give_the_same_codes(
    rulebook: wzeval.Rulebook, data: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Any findings-shaped content a file can hold (huge numbers, control characters and
    lone surrogates as escapes included) gives the same issue codes, in the same order,
    and the same findings, handed over in memory as read from its JSON file."""
    f = tmp_path_factory.mktemp("same") / "f.json"
    f.write_text(_json_text(data), "utf-8")
    mem, mem_issues = wzeval.read_findings(data, rulebook, partial=True)
    disk, disk_issues = wzeval.read_findings(f, rulebook, partial=True)
    assert [i.code for i in mem_issues] == [i.code for i in disk_issues]
    assert (mem is None) == (disk is None)
    if mem is not None and disk is not None:
        assert mem.facts == disk.facts and mem.notes == disk.notes


@given(data=_findings_shaped(_values))
def test_findings_shaped_python_values_never_raise(
    rulebook: wzeval.Rulebook, data: dict[str, Any]
) -> None:
    """Arbitrary Python values in findings-shaped content: ``read_findings`` returns
    findings or WZ issues, and ``evaluate`` on what it returns raises nothing but a
    :class:`~wzeval.WzevalError`; the report renders as JSON."""
    findings, issues = wzeval.read_findings(data, rulebook, partial=True)
    assert all(i.code.startswith("WZ") for i in issues)
    if findings is not None:
        with contextlib.suppress(WzevalError):
            json.loads(wzeval.evaluate(rulebook, findings, partial=True).to_json())


# ------------------------------------------------------------------ rulebooks


@pytest.fixture(scope="module")
def rulebook_data() -> dict[str, Any]:
    from wzeval.reading._loader import load_document

    data = load_document(ROOT / "rulebooks" / "kinds.yaml").data
    assert isinstance(data, dict)
    return data


def test_a_rulebook_mapping_loads_as_its_file_does(
    rulebook: wzeval.Rulebook, rulebook_data: dict[str, Any]
) -> None:
    """The kinds rulebook handed over as a mapping scores findings as its file does."""
    rb = wzeval.load_rulebook(rulebook_data)
    findings = {**BASE, "indicators": {"checks": {"a": True, "b": False, "fake": False}}}
    mem = wzeval.evaluate(rb, wzeval.load_findings(findings, rb, partial=True), partial=True)
    disk = wzeval.evaluate(
        rulebook, wzeval.load_findings(findings, rulebook, partial=True), partial=True
    )
    assert mem.indicator("checks").points == disk.indicator("checks").points == 5


@pytest.mark.parametrize(
    ("where", "value", "code"),
    [
        ("title", 10**5000, "WZ112"),
        ("title", Decimal("1e999999999"), "WZ112"),
        ("title", "every\udc00kind", "WZ101"),
        ("title", "every\x00kind", "WZ101"),
        ("title", _RaisingRepr(), "WZ412"),
        ("title", _deep(100_000), "WZ108"),
        ("title", list(range(5_000_000)), "WZ109"),
        ("title", ["字" * 1000] * 600, "WZ109"),  # 1.8 MB of text, 600 values
        ("year", frozenset({1}), "WZ412"),
    ],
    ids=[
        "huge-int",
        "huge-decimal",
        "surrogate",
        "nul",
        "raising-repr",
        "deep",
        "wide",
        "size",
        "set",
    ],
)
def test_a_rulebook_mapping_meets_the_file_limits(
    rulebook_data: dict[str, Any], where: str, value: object, code: str
) -> None:
    """A rulebook mapping is held to a file's limits with the file's codes, fast and
    small, and ``load_rulebook`` raises only ValidationFailed carrying that issue."""
    data = {**rulebook_data, where: value}
    (rb, issues), used = measure(lambda: wzeval.read_rulebook(data))
    used.assert_within()
    assert rb is None
    assert [i.code for i in issues] == [code]
    assert issues[0].path[0] == where and issues[0].position is not None
    assert issues[0].position.file == "<rulebook>"
    with pytest.raises(wzeval.ValidationFailed) as info:
        wzeval.load_rulebook(data)
    assert [i.code for i in info.value.issues] == [code]


@given(title=_json_values)
def test_rulebook_memory_and_file_give_the_same_codes(
    rulebook_data: dict[str, Any], title: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A rulebook value a JSON file can hold gives the same issue codes in memory."""
    data = {**rulebook_data, "title": title}
    f = tmp_path_factory.mktemp("rb") / "rb.json"
    f.write_text(_json_text(data), "utf-8")
    mem, mem_issues = wzeval.read_rulebook(data)
    disk, disk_issues = wzeval.read_rulebook(f)
    assert [i.code for i in mem_issues] == [i.code for i in disk_issues]
    assert (mem is None) == (disk is None)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (10**5000, "WZ112"),
        ("every\udc00kind", "WZ101"),
        (_deep(100_000), "WZ108"),
        (list(range(5_000_000)), "WZ109"),
    ],
    ids=["huge-int", "surrogate", "deep", "wide"],
)
@pytest.mark.usefixtures("english")
def test_rulebook_model_validate_meets_the_file_limits(
    rulebook_data: dict[str, Any], value: object, code: str
) -> None:
    """``Rulebook.model_validate`` of a mapping past a limit fails fast and small with
    pydantic's ValidationError naming the wzeval code and the path, no RecursionError.
    (``str()`` of that error is pydantic's: it formats the input, 260 MB for the wide
    case, so the message is read without it.)"""
    from pydantic import ValidationError

    def refuse() -> str:
        with pytest.raises(ValidationError) as info:
            wzeval.Rulebook.model_validate({**rulebook_data, "title": value})
        (error,) = info.value.errors(include_input=False)
        return str(error["msg"])

    message, used = measure(refuse)
    used.assert_within()
    assert f"{code} at title" in message


def test_rulebook_model_validate_of_a_good_mapping_is_unchanged(
    rulebook: wzeval.Rulebook, rulebook_data: dict[str, Any]
) -> None:
    """The guard passes plain data through as it is: the same rulebook as the file's."""
    assert wzeval.Rulebook.model_validate(rulebook_data).model_dump() == rulebook.model_dump()
