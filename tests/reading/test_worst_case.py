"""Worst cases within the documented limits: each is read within 2 CPU s and 100 MB
(tests/support/bounds.py), with the issues it produces written out by hand (issue 14, item 8).

Every limit of docs/security.md's table has an input just within it (read, within the
bounds) and one just past it (its issue code at its position, within the bounds).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

import pytest
from support.bounds import MAX_SECONDS, measure, run_cli

import wzeval
import wzeval.reading._fastyaml as fastyaml
import wzeval.reading._yamlcore as yamlcore
from wzeval.core._errors import ExpressionError
from wzeval.expressions import (
    MAX_AST_NODES,
    MAX_DECIMAL_LITERAL_DIGITS,
    MAX_EXPRESSION_LENGTH,
    MAX_INT_LITERAL_DIGITS,
    MAX_LIST_LITERAL_ITEMS,
    MAX_NESTING_DEPTH,
    MAX_STRING_LITERAL_LENGTH,
    Kind,
    TypeInfo,
    compile_expression,
)
from wzeval.reading._loader import load_document
from wzeval.reading._plain import plain_document
from wzeval.reading._yamlcore import (
    MAX_ALIASES,
    MAX_DECIMAL_EXPONENT,
    MAX_DEPTH,
    MAX_EXPANDED_NODES,
    MAX_FILE_BYTES,
    MAX_NODES,
    MAX_NUMBER_LENGTH,
    MAX_RULEBOOK_NODES,
)

T = TypeVar("T")

needs_c = pytest.mark.skipif(fastyaml._CParser is None, reason="libyaml's C parser not installed")

#: The CLI messages asserted here are the English ones (Chinese is the default).
ENGLISH = {**os.environ, "WZEVAL_LANG": "en"}

HEADER = (
    "wzeval: findings/1\n"
    "rulebook: xianning-2023\n"
    "department: 市发改委\n"
    "monitoring_date: 2023-11-15\n"
    "assessors: [黄志强]\n"
    "indicators:\n"
    "  chuangxin_anli:\n"
)
#: Nodes of HEADER plus ``flag: yes`` and the ``panel_necessity`` key and its list:
#: the root mapping, four key/value pairs (8), assessors (key, list, item: 3),
#: indicators and chuangxin_anli (key and mapping each: 4), flag (2), the key and list (2).
HEADER_NODES = 20


def _list_with_one_yes(items: int = 49_900) -> str:
    """The issue's first input: 100 KB, a 49 900-item list and one ``flag: yes``."""
    return HEADER + "    flag: yes\n    panel_necessity: [" + ",".join(["0"] * items) + "]\n"


def _issues(doc: yamlcore.Document) -> list[tuple[str, str]]:
    return [(i.code, str(i.position)) for i in doc.issues]


@needs_c
def test_one_yes_in_a_list_at_the_node_limit_is_read_by_the_fast_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One ``yes`` does not send a list filling MAX_NODES through the pure reader."""
    monkeypatch.setenv("WZEVAL_REFERENCE", "0")
    text = _list_with_one_yes(MAX_NODES - HEADER_NODES)
    start = time.process_time()  # without tracemalloc, which slows allocation down
    doc = load_document(text=text, name="a.yaml")
    assert time.process_time() - start < 1.0
    assert _issues(doc) == [("WZ111", "a.yaml:8:11")]
    assert len(doc.data["indicators"]["chuangxin_anli"]["panel_necessity"]) == 9_980


@pytest.mark.usefixtures("english")  # asserts the English wording
def test_one_yes_in_a_large_list_through_the_cli(tmp_path: Path) -> None:
    """``wzeval validate`` of the issue's first input (was 4.3 s CPU): past MAX_NODES
    now, so the warning and WZ109 at the 10 001st value, item 9 981 of the list:
    line 9, column 23 + 2 * 9 980."""
    path = tmp_path / "a.yaml"
    path.write_text(_list_with_one_yes(), encoding="utf-8")
    run = run_cli(["validate", path], env=ENGLISH)
    # CPU only: a child forked late in a long pytest run inherits the parent's resident
    # size in ru_maxrss (about 55 MB when run alone: /usr/bin/time -f %M)
    run.used.assert_within(peak_bytes=2**40)
    assert run.returncode == 2
    assert f"{path}:8:11: warning WZ111 'yes' is read as a string here" in run.stdout
    assert f"{path}:9:19983: error WZ109 the document has more than 10000 values" in run.stdout
    assert "Traceback" not in run.stdout + run.stderr


def test_flow_records_past_the_node_limit_through_the_cli(tmp_path: Path) -> None:
    """The issue's second input: 12 000 flow records in 204 KB (was 2.1 s CPU), refused
    at MAX_NODES.  18 nodes come before the records, 5 in each, so the 10 001st is the
    third of record 1 997 (its value ``1``): line 8 + 1 997, column 9."""
    path = tmp_path / "b.yaml"
    records = "".join("  - {a: 1, b: 2}\n" for _ in range(12_000))
    path.write_text(HEADER.replace("  chuangxin_anli:\n", "") + " x:\n  y:\n" + records)
    run = run_cli(["validate", path], env=ENGLISH)
    run.used.assert_within()
    assert run.returncode == 2
    assert f"{path}:2005:9: error WZ109 the document has more than 10000 values" in run.stdout


# ------------------------------------------------------------------ per limit


def _filled(records: int, size: int, tail: str) -> str:
    """5 + 5 ``records`` values as flow records, blank lines up to ``size`` bytes, then
    ``tail``: the costliest shape for the pure reader (about 60 µs a value, 1 µs a byte
    of blank lines)."""
    records_text = "".join("  - {a: 1, b: 2}\n" for _ in range(records))
    head = "x:\n  y:\n"  # root mapping, x, its mapping, y, its list: 5 nodes
    body = head + records_text
    room = size - len(body) - len(tail)
    assert room >= 0
    return body + "\n" * room + tail


#: Records that, with the 5 nodes before them and the duplicate key and its value after
#: them, keep the document within MAX_NODES: 5 + 5 · 1 998 + 2 = 9 997.
RECORDS = (MAX_NODES - 7) // 5


@pytest.mark.slow
@pytest.mark.parametrize("reference", ["0", "1"], ids=["default", "reference"])
def test_slowest_document_within_the_size_and_node_limits(
    reference: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """MAX_FILE_BYTES exactly, MAX_NODES - 3 values, and a duplicate key at the very
    end so that the pure reader reads all of it: WZ102 at that key, within the bounds."""
    monkeypatch.setenv("WZEVAL_REFERENCE", reference)
    text = _filled(RECORDS, MAX_FILE_BYTES, "x: 1\n")
    assert len(text.encode()) == MAX_FILE_BYTES
    doc, used = measure(lambda: load_document(text=text, name="w.yaml"))
    used.assert_within()
    assert _issues(doc) == [("WZ102", f"w.yaml:{text.count(chr(10))}:1")]


@pytest.mark.slow
def test_slowest_document_within_the_limits_through_the_cli(tmp_path: Path) -> None:
    """The same document through ``wzeval validate`` (interpreter start included)."""
    path = tmp_path / "w.yaml"
    text = _filled(RECORDS, MAX_FILE_BYTES, "x: 1\n")
    path.write_text(text)
    run = run_cli(["validate", path], env=ENGLISH)
    run.used.assert_within()
    assert run.returncode == 1
    assert f"{path}:{text.count(chr(10))}:1: error WZ102" in run.stdout


def test_one_byte_past_the_size_limit(tmp_path: Path) -> None:
    """MAX_FILE_BYTES + 1 bytes: WZ109 naming the file, before anything is parsed."""
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: " + b"x" * (MAX_FILE_BYTES - 4) + b"\n")
    ok, used = measure(lambda: load_document(path))
    used.assert_within()
    assert ok.issues == [] and len(ok.data["a"]) == MAX_FILE_BYTES - 4
    path.write_bytes(b"a: " + b"x" * (MAX_FILE_BYTES - 3) + b"\n")
    bad, used = measure(lambda: load_document(path))
    used.assert_within()
    assert _issues(bad) == [("WZ109", str(path))]


@pytest.mark.parametrize("reference", ["0", "1"], ids=["default", "reference"])
def test_node_limit_exactly(reference: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A list and MAX_NODES - 1 items is read; one item more is WZ109 at that item
    (the list is node 1, item k node k + 1, on line k)."""
    monkeypatch.setenv("WZEVAL_REFERENCE", reference)
    ok, used = measure(lambda: load_document(text="- 1\n" * (MAX_NODES - 1), name="n"))
    used.assert_within()
    assert ok.issues == [] and len(ok.data) == MAX_NODES - 1
    bad, used = measure(lambda: load_document(text="- 1\n" * MAX_NODES, name="n"))
    used.assert_within()
    assert _issues(bad) == [("WZ109", f"n:{MAX_NODES}:3")]


#: A declared rulebook with one list: the root mapping, ``wzeval`` and its value, ``r``
#: and its list are 5 nodes, so item k is node 5 + k, on line 2 + k.
RULEBOOK_HEAD = "wzeval: rulebook/1\nr:\n"


def _timed(fn: Callable[[], T]) -> tuple[T, float]:
    """``fn()`` and the CPU seconds it took, without tracemalloc's three- to five-fold
    slowdown: for the large documents here, whose memory the slow run measures."""
    start = time.process_time()
    result = fn()
    return result, time.process_time() - start


@pytest.mark.parametrize(
    "reference",
    ["0", pytest.param("1", marks=pytest.mark.slow)],
    ids=["default", "reference"],
)
def test_rulebook_node_limit_exactly(reference: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A document whose first key is ``wzeval: rulebook/1`` may have MAX_RULEBOOK_NODES
    values (read within the CPU bound); one more is WZ109 at that value, naming the
    rulebook limit (through the pure reader, which reports it)."""
    monkeypatch.setenv("WZEVAL_REFERENCE", reference)
    monkeypatch.setenv("WZEVAL_LANG", "en")
    items = MAX_RULEBOOK_NODES - 5
    ok, seconds = _timed(lambda: load_document(text=RULEBOOK_HEAD + "- 1\n" * items, name="r"))
    assert seconds <= MAX_SECONDS
    assert ok.issues == [] and len(ok.data["r"]) == items
    past = RULEBOOK_HEAD + "- 1\n" * (items + 1)
    bad, seconds = _timed(lambda: load_document(text=past, name="r"))
    assert seconds <= MAX_SECONDS
    assert _issues(bad) == [("WZ109", f"r:{2 + items + 1}:3")]
    assert bad.issues[0].message == f"the rulebook has more than {MAX_RULEBOOK_NODES} values"
    assert "MAX_RULEBOOK_NODES" in (bad.issues[0].hint or "")


@pytest.mark.slow
def test_rulebook_node_limit_memory() -> None:
    """The two documents above within the memory bound too (tracemalloc)."""
    items = MAX_RULEBOOK_NODES - 5
    for extra in (0, 1):
        text = RULEBOOK_HEAD + "- 1\n" * (items + extra)
        _, used = measure(lambda text=text: load_document(text=text, name="r"))
        used.assert_within()


@pytest.mark.parametrize(
    ("head", "nodes_before"),
    [
        ("x: 1\nwzeval: rulebook/1\nr:\n", 7),
        ("wzeval: findings/1\nr:\n", 5),
        ("wzeval: [rulebook]\nr:\n", 6),
    ],
    ids=["not the first key", "findings", "not text"],
)
def test_only_a_declared_rulebook_has_the_rulebook_limit(
    head: str, nodes_before: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Anything else keeps MAX_NODES (WZ109 at the value past it, on the last line),
    and the hint says how a rulebook gets more."""
    monkeypatch.setenv("WZEVAL_LANG", "en")
    text = head + "- 1\n" * (MAX_NODES - nodes_before + 1)
    doc, seconds = _timed(lambda: load_document(text=text, name="f"))
    assert seconds <= MAX_SECONDS
    assert [i.code for i in doc.issues] == ["WZ109"]
    assert str(doc.issues[0].position) == f"f:{text.count(chr(10))}:3"
    assert doc.issues[0].message == f"the document has more than {MAX_NODES} values"
    assert f"may have {MAX_RULEBOOK_NODES}" in (doc.issues[0].hint or "")


def test_rulebook_node_limit_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    """A rulebook handed over in memory has the same limit; findings keep MAX_NODES.
    (In memory the root is 1, each entry's key 1 and its value 1.)"""
    monkeypatch.setenv("WZEVAL_LANG", "en")
    within = {"wzeval": "rulebook/1", "r": [1] * (MAX_RULEBOOK_NODES - 5)}
    ok, used = measure(lambda: plain_document(within, "<rulebook>"))
    used.assert_within()
    assert ok.issues == [] and ok.data == within
    past = {"wzeval": "rulebook/1", "r": [1] * (MAX_RULEBOOK_NODES - 4)}
    bad = plain_document(past, "<rulebook>")
    assert [(i.code, i.message) for i in bad.issues] == [
        ("WZ109", f"the document has more than {MAX_RULEBOOK_NODES} values")
    ]
    assert bad.issues[0].path == ("r", MAX_RULEBOOK_NODES - 5)
    assert [i.code for i in plain_document(within, "<findings>").issues] == ["WZ109"]


def _replicated_2023(copies: int) -> str:
    """The 2023 rulebook with every indicator written ``copies`` times (new ids, each
    copy weighing 1/copies of the original, so weights still add up), as JSON: a real
    table ``copies`` times as large."""
    data = load_document(wzeval.bundled_rulebook_path()).data
    assert data is not None
    for category in data["categories"]:
        grown = []
        for indicator in category["indicators"]:
            for copy in range(copies):
                twin = json.loads(json.dumps(indicator, default=_exact))
                if copy:
                    twin["id"] = f"{indicator['id']}_r{copy}"
                twin["weight"] = Decimal(str(indicator["weight"])) / copies
                grown.append(twin)
        category["indicators"] = grown
    return json.dumps(data, ensure_ascii=False, indent=1, default=_exact)


def _exact(value: object) -> object:
    if isinstance(value, Decimal):
        return int(value) if value == int(value) else float(value)
    return str(value)


def _values(value: object) -> int:
    """Nodes a document of ``value`` has: a mapping 1 and each key 1, a list 1."""
    if isinstance(value, dict):
        return 1 + sum(1 + _values(v) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(_values(v) for v in value)
    return 1


@pytest.mark.slow
def test_twice_the_real_rulebook_through_the_cli(tmp_path: Path) -> None:
    """The 2023 rulebook at twice its size (more values than MAX_NODES, within
    MAX_RULEBOOK_NODES) validates without an issue within the bounds."""
    text = _replicated_2023(2)
    assert MAX_NODES < _values(json.loads(text)) <= MAX_RULEBOOK_NODES
    path = tmp_path / "big.json"
    path.write_text(text, encoding="utf-8")
    run = run_cli(["validate", path], env=ENGLISH)
    run.used.assert_within()
    assert (run.returncode, run.stdout.splitlines()[-1]) == (0, "1 file, 0 errors, 0 warnings")


@pytest.mark.slow
def test_slowest_rulebook_within_the_limits_through_the_cli(tmp_path: Path) -> None:
    """A declared rulebook of MAX_FILE_BYTES with MAX_RULEBOOK_NODES - 2 values in block
    records (the costliest shape per value), blank lines, and a duplicate key at the
    end, so the pure reader reads every byte and value: WZ102 at that key, within the
    bounds (docs/security.md's figure)."""
    records = (MAX_RULEBOOK_NODES - 5 - 2) // 5
    body = RULEBOOK_HEAD + "- a: 1\n  b: 2\n" * records
    tail = "wzeval: again\n"
    text = body + "\n" * (MAX_FILE_BYTES - len(body.encode()) - len(tail)) + tail
    assert len(text.encode()) == MAX_FILE_BYTES
    path = tmp_path / "w.yaml"
    path.write_text(text, encoding="utf-8")
    run = run_cli(["validate", path], env=ENGLISH)
    run.used.assert_within()
    assert run.returncode == 1
    assert f"{path}:{text.count(chr(10))}:1: error WZ102" in run.stdout


@pytest.mark.parametrize("reference", ["0", "1"])
def test_deepest_allowed_nesting(reference: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """MAX_DEPTH nested lists are read on both paths; one more is WZ108 at its bracket."""
    monkeypatch.setenv("WZEVAL_REFERENCE", reference)
    ok, used = measure(lambda: load_document(text="[" * MAX_DEPTH + "]" * MAX_DEPTH, name="d"))
    used.assert_within()
    assert ok.issues == []
    text = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    bad, used = measure(lambda: load_document(text=text, name="d"))
    used.assert_within()
    assert _issues(bad) == [("WZ108", f"d:1:{MAX_DEPTH + 1}")]


def test_alias_limit_exactly() -> None:
    """MAX_ALIASES aliases are read; the next one is WZ107 at its ``*``: in
    ``b: [*x, *x, …]`` alias k starts at column 5 + 4 (k - 1)."""

    def doc(k: int) -> yamlcore.Document:
        return load_document(text="a: &x 1\nb: [" + ", ".join(["*x"] * k) + "]\n", name="al")

    ok, used = measure(lambda: doc(MAX_ALIASES))
    used.assert_within()
    assert ok.issues == [] and ok.data["b"] == [1] * MAX_ALIASES
    bad, used = measure(lambda: doc(MAX_ALIASES + 1))
    used.assert_within()
    assert _issues(bad) == [("WZ107", f"al:2:{5 + 4 * MAX_ALIASES}")]


def test_expansion_limit_exactly() -> None:
    """Aliases of a 1 000-node list (the list and 999 items).  The scan counts a node once
    for each collection it closes in, so ``a: &x [...]`` and ``b: [*x × k]`` count
    9 + 3 · 999 + 3 · 1 000 · k in all: 165 aliases (498 006) are read, 166 (501 006)
    pass MAX_EXPANDED_NODES when the root mapping closes, at the end (line 3)."""

    def doc(k: int) -> yamlcore.Document:
        items = ", ".join(["0"] * 999)
        text = f"a: &x [{items}]\nb: [" + ", ".join(["*x"] * k) + "]\n"
        return load_document(text=text, name="ex")

    assert 9 + 3 * 999 + 3 * 1_000 * 165 <= MAX_EXPANDED_NODES < 9 + 3 * 999 + 3 * 1_000 * 166
    ok, used = measure(lambda: doc(165))
    used.assert_within()
    assert ok.issues == [] and len(ok.data["b"]) == 165 and len(ok.data["b"][164]) == 999
    bad, used = measure(lambda: doc(166))
    used.assert_within()
    assert _issues(bad) == [("WZ107", "ex:3:1")]


@pytest.mark.parametrize("reference", ["0", "1"], ids=["default", "reference"])
@pytest.mark.parametrize(
    ("within", "past"),
    [
        ("1" * MAX_NUMBER_LENGTH, "1" * (MAX_NUMBER_LENGTH + 1)),
        ("0." + "1" * (MAX_NUMBER_LENGTH - 2), "0." + "1" * (MAX_NUMBER_LENGTH - 1)),
        (f"1e{MAX_DECIMAL_EXPONENT}", f"1e{MAX_DECIMAL_EXPONENT + 1}"),
        (f"1e-{MAX_DECIMAL_EXPONENT}", f"1e-{MAX_DECIMAL_EXPONENT + 1}"),
    ],
    ids=["int length", "decimal length", "exponent", "negative exponent"],
)
def test_number_limits_exactly(
    within: str, past: str, reference: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A number at MAX_NUMBER_LENGTH / MAX_DECIMAL_EXPONENT is read exactly; one
    character or one power of ten more is WZ112 at the number (line 2, column 4)."""
    monkeypatch.setenv("WZEVAL_REFERENCE", reference)
    ok, used = measure(lambda: load_document(text=f"a: 1\nb: {within}\n", name="num"))
    used.assert_within()
    assert ok.issues == []
    assert ok.data["b"] == (int(within) if within.isdigit() else Decimal(within))
    bad, used = measure(lambda: load_document(text=f"a: 1\nb: {past}\n", name="num"))
    used.assert_within()
    assert _issues(bad) == [("WZ112", "num:2:4")]


# ------------------------------------------------------------------ expressions

_NAMES = {"n": TypeInfo(Kind.INT), "x": TypeInfo(Kind.LIST, item=Kind.INT)}


#: (limit, an expression just within it, one just past it, the offset of the refusal)
EXPRESSION_LIMITS = [
    (
        "MAX_EXPRESSION_LENGTH",
        "n" + " " * (MAX_EXPRESSION_LENGTH - 1),
        "n" + " " * MAX_EXPRESSION_LENGTH,
        MAX_EXPRESSION_LENGTH,  # the first character past the limit
    ),
    (
        "MAX_AST_NODES",  # max(n, …, n): the call, the name max and k arguments, so
        # k = MAX_AST_NODES - 2 is within; argument k + 1 starts at 4 + 3 k
        "max(" + ", ".join(["n"] * (MAX_AST_NODES - 2)) + ")",
        "max(" + ", ".join(["n"] * (MAX_AST_NODES - 1)) + ")",
        4 + 3 * (MAX_AST_NODES - 2),
    ),
    (
        "MAX_NESTING_DEPTH",
        "(" * MAX_NESTING_DEPTH + "1" + ")" * MAX_NESTING_DEPTH,
        "(" * (MAX_NESTING_DEPTH + 1) + "1" + ")" * (MAX_NESTING_DEPTH + 1),
        MAX_NESTING_DEPTH,
    ),
    (
        "MAX_INT_LITERAL_DIGITS",
        "n + " + "1" * MAX_INT_LITERAL_DIGITS,
        "n + " + "1" * (MAX_INT_LITERAL_DIGITS + 1),
        4,
    ),
    (
        "MAX_DECIMAL_LITERAL_DIGITS",
        "n + 0." + "1" * (MAX_DECIMAL_LITERAL_DIGITS - 1),
        "n + 0." + "1" * MAX_DECIMAL_LITERAL_DIGITS,
        4,
    ),
    (
        "MAX_STRING_LITERAL_LENGTH",
        "'" + "a" * MAX_STRING_LITERAL_LENGTH + "' in ['a']",
        "'" + "a" * (MAX_STRING_LITERAL_LENGTH + 1) + "' in ['a']",
        0,
    ),
    (
        "MAX_LIST_LITERAL_ITEMS",
        "sum([" + ", ".join(["1"] * MAX_LIST_LITERAL_ITEMS) + "])",
        "sum([" + ", ".join(["1"] * (MAX_LIST_LITERAL_ITEMS + 1)) + "])",
        4,
    ),
]


@pytest.mark.parametrize(
    ("limit", "within", "past", "offset"), EXPRESSION_LIMITS, ids=[e[0] for e in EXPRESSION_LIMITS]
)
def test_expression_limits_exactly(limit: str, within: str, past: str, offset: int | None) -> None:
    """Each expression limit: at the limit it compiles; one past it is WZ305 at the
    offset where the limit is passed (the whole expression when no single place is)."""
    _, used = measure(lambda: compile_expression(within, _NAMES))
    used.assert_within()

    def refuse() -> ExpressionError:
        with pytest.raises(ExpressionError) as info:
            compile_expression(past, _NAMES)
        return info.value

    error, used = measure(refuse)
    used.assert_within()
    assert error.code == "WZ305", error.message
    if offset is not None:
        assert error.offset == offset, error.message
