"""The in-memory path meets a file's limits: one checking path for every entry point.

Each case of issue 14 item 6 gets its code, the path reported, and CPU time and
memory bounds (tests/bounds.py); Hypothesis checks that any Python value gives
findings or issues, never another exception, and that a document read from memory
and from a file gives the same issue codes.
"""

from __future__ import annotations

import contextlib
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from bounds import measure
from hypothesis import given
from hypothesis import strategies as st

import wzeval
from wzeval.errors import WzevalError

ROOT = Path(__file__).parent
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
