"""Escape and exhaustion attempts an untrusted rulebook might try: each is refused, fast, small."""

from __future__ import annotations

import ast
import time
import tracemalloc
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
import simpleeval
from support.paths import TESTS

import wzeval.expressions as ex
from wzeval.core._errors import ExpressionError, WzevalError
from wzeval.expressions import (
    MAX_AST_NODES,
    MAX_EXPRESSION_LENGTH,
    MAX_INT_LITERAL_DIGITS,
    MAX_LIST_LITERAL_ITEMS,
    MAX_NESTING_DEPTH,
    MAX_NUMBER_BITS,
    MAX_STRING_LITERAL_LENGTH,
    Kind,
    TypeInfo,
    compile_expression,
)
from wzeval.expressions._evaluator import thread_evaluator
from wzeval.expressions._program import Program
from wzeval.expressions._sourcemap import SourceMap

NAMES = {
    "x": TypeInfo(Kind.LIST, item=Kind.INT),
    "y": TypeInfo(Kind.LIST, item=Kind.INT),
    "n": TypeInfo(Kind.INT),
    "d": TypeInfo(Kind.DATE),
}
ENV = {"x": [1, 2], "y": [3], "n": 5, "d": date(2023, 9, 28)}

#: Generous bounds: a refusal must come in well under a second and use little memory.
MAX_SECONDS = 2.0
MAX_PEAK_BYTES = 50 * 1024 * 1024

#: (source, expected code): every entry must be refused with that code.
CORPUS: list[tuple[str, str]] = [
    # escapes through the object graph, builtins and string formatting
    ("().__class__.__bases__[0].__subclasses__()", "WZ303"),
    ("().__class__.__bases__[0]", "WZ312"),
    ("x.__class__", "WZ311"),
    ("(1).__class__", "WZ311"),
    ("len.__self__", "WZ311"),
    ("__import__('os')", "WZ303"),
    ("__import__('os').system('id')", "WZ303"),
    ("__builtins__", "WZ302"),
    ("open('/etc/passwd')", "WZ303"),
    ("ｏｐｅｎ('/etc/passwd')", "WZ330"),  # full-width letters: refused, not folded to 'open'
    ("eval('1')", "WZ303"),
    ("exec", "WZ302"),
    ("exec('import os')", "WZ303"),
    ("compile('1', '', 'eval')", "WZ303"),
    ("getattr(x, 'y')", "WZ303"),
    ("globals()", "WZ303"),
    ("print(1)", "WZ303"),
    ("type(x)", "WZ303"),
    ("'{}'.format(1)", "WZ303"),
    ("'{0.__class__}'.format(x)", "WZ303"),
    ("(lambda: 1)()", "WZ303"),
    ("x(1)", "WZ303"),
    ("lambda: 1", "WZ313"),
    ("[x for x in y]", "WZ314"),
    ("len([v for v in y])", "WZ314"),
    ("len(v for v in y)", "WZ314"),
    ("{v: 1 for v in y}", "WZ314"),
    ('f"{x}"', "WZ315"),
    ('f"{x!r:>{10**9}}"', "WZ315"),
    ("(x := 1)", "WZ317"),
    ("x[0]", "WZ312"),
    ("x[1:2]", "WZ312"),
    ("{1: 2}", "WZ319"),
    ("{1}", "WZ319"),
    ("*x", "WZ301"),
    ("len(*x)", "WZ318"),
    ("len([*x])", "WZ318"),
    ("max(1, key=len)", "WZ308"),
    ("x = 1", "WZ301"),
    ("import os", "WZ301"),
    ("(yield 1)", "WZ309"),
    ("await n", "WZ309"),
    ("b'abc'", "WZ309"),
    ("1j", "WZ309"),
    ("...", "WZ309"),
    ("1e999999999", "WZ309"),
    ("'a\x00'", "WZ301"),
    # exhaustion through operators
    ("'%0100000000d' % 1", "WZ316"),
    ("n % 2", "WZ316"),
    ("4000000**4000000", "WZ316"),
    ("n ** 2", "WZ316"),
    ("'a'*10**9", "WZ316"),
    ("[1]*10**9", "WZ316"),
    ("'a' * 1000000000", "WZ304"),
    ("[1] * 1000000000", "WZ304"),
    ("x + x", "WZ304"),
    ("'a' + 'b'", "WZ304"),
    ("1 << 100000", "WZ316"),
    ("n | 1", "WZ316"),
    ("n & 1", "WZ316"),
    ("n ^ 1", "WZ316"),
    ("~n", "WZ316"),
    # exhaustion through size and depth
    ("1+" * 600 + "1", "WZ305"),
    ("(" * 200 + "1" + ")" * 200, "WZ305"),
    ("(" * 1000 + "1" + ")" * 1000, "WZ305"),
    ("[" * 100 + "]" * 100, "WZ305"),
    ("abs(" * 60 + "1" + ")" * 60, "WZ305"),
    ("(1 #'\n" + "(" * 150 + "1" + ")" * 151, "WZ305"),  # a comment hiding a quote
    ('"""a"b""" == ' + "(" * 150 + "'c'" + ")" * 150, "WZ305"),  # quotes in quotes
    ("'a\\'(' == " + "(" * 150 + "'c'" + ")" * 150, "WZ305"),  # an escaped quote
    ("[" * 60 + "]" * 60, "WZ305"),
    ("-" * 1500 + "1", "WZ305"),
    ("not " * 450 + "True", "WZ305"),
    ("1" * 100_000, "WZ305"),
    ("n + " * 30_000 + "n", "WZ305"),
    ("max(" + ", ".join(["n"] * (MAX_AST_NODES + 10)) + ")", "WZ305"),
    ("1" * (MAX_INT_LITERAL_DIGITS + 1), "WZ305"),
    ("0." + "1" * 40, "WZ305"),
    ("'" + "a" * (MAX_STRING_LITERAL_LENGTH + 1) + "'", "WZ305"),
    ("[" + ", ".join(["1"] * (MAX_LIST_LITERAL_ITEMS + 1)) + "]", "WZ305"),
    ("n" + " " * MAX_EXPRESSION_LENGTH, "WZ305"),
    # more of the same families (issue "Hostile and broken input")
    ("True.__class__", "WZ311"),
    ("len.__globals__", "WZ311"),
    ("__builtins__.open", "WZ311"),
    ("(1).__class__.__mro__", "WZ311"),
    ("d.year", "WZ311"),
    ("n.bit_length()", "WZ303"),
    ("__debug__", "WZ302"),
    ("breakpoint()", "WZ303"),
    ("pow(4000000, 4000000)", "WZ303"),
    ("format(1, '>1000000000')", "WZ303"),
    ("'{:>1000000000}'.format(1)", "WZ303"),
    ("'%s' % x", "WZ316"),
    ("ℯval('1')", "WZ330"),  # U+212F: refused, not folded to 'eval'
    ("_wz_div(1, 0)", "WZ303"),  # the fast path's helpers are not reachable by name
    ("_wz_fn_len(x)", "WZ303"),
    ("_wz_k0", "WZ302"),
    ("max(lambda: 1)", "WZ313"),
    ("{v for v in y}", "WZ314"),
    ("[v for v in y for w in y for u in y]", "WZ314"),
    ("{**x}", "WZ319"),
    ("[y := 1]", "WZ317"),
    ("print(y := 1)", "WZ303"),
    ("lambda x=1: x", "WZ313"),
    ("x += 1", "WZ301"),
    ("del x", "WZ301"),
    ("x: int = 1", "WZ301"),
    ("global x", "WZ301"),
    ("a, b = 1, 2", "WZ301"),
    ("for v in x: pass", "WZ301"),
    ("[n] * n", "WZ304"),
    ("x * n", "WZ304"),
    ("'a' + 'a' * n", "WZ304"),
    ("n<" * 500 + "n", "WZ305"),  # a flat 500-term comparison chain: too many parts
    ("n or " * 399 + "n", "WZ305"),  # a flat 400-term boolean chain
    ("n if n > 1 else " * 100 + "n", "WZ305"),  # a 100-deep conditional chain
    ("n<" * 600 + "n", "WZ305"),  # 600 terms: too long before it is parsed
    ("max(" * 41 + "n" + ")" * 41, "WZ305"),
]


def _refusal(source: str) -> tuple[ExpressionError, float, int]:
    """Compile ``source``; return the error, the seconds it took and the peak bytes."""
    tracemalloc.start()
    start = time.process_time()
    try:
        with pytest.raises(ExpressionError) as info:
            compile_expression(source, NAMES)
        elapsed = time.process_time() - start
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return info.value, elapsed, peak


@pytest.mark.parametrize(("source", "code"), CORPUS, ids=[s[:40] for s, _ in CORPUS])
def test_corpus_entry_is_refused_quickly_with_its_code(source: str, code: str) -> None:
    """Each escape or exhaustion attempt fails with its code, in bounded time and memory."""
    error, elapsed, peak = _refusal(source)
    assert error.code == code, f"{error.code}: {error.message}"
    assert elapsed < MAX_SECONDS
    assert peak < MAX_PEAK_BYTES
    assert 0 <= error.offset <= len(source)


@pytest.mark.usefixtures("english")  # asserts the English wording
def test_rejections_name_what_is_forbidden() -> None:
    """Messages and hints say what was refused and what to write instead."""
    error, _, _ = _refusal("4000000**4000000")
    assert "'**'" in error.message and "x * x" in (error.hint or "")
    error, _, _ = _refusal("'%0100000000d' % 1")
    assert "'%'" in error.message
    error, _, _ = _refusal("1+" * 600 + "1")
    assert str(MAX_NESTING_DEPTH) in error.message
    error, _, _ = _refusal("x.__class__")
    assert error.offset == 0 and "attribute" in error.message


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("1 if True else 2", 1),
        ("n if n > 3 else 0", 5),
        ("1+" * (MAX_NESTING_DEPTH - 1) + "1", MAX_NESTING_DEPTH),
        ("(" * MAX_NESTING_DEPTH + "1" + ")" * MAX_NESTING_DEPTH, 1),
        ("sum([" + ", ".join(["1"] * MAX_LIST_LITERAL_ITEMS) + "])", MAX_LIST_LITERAL_ITEMS),
        ("'" + "a" * MAX_STRING_LITERAL_LENGTH + "' in ['a']", False),
    ],
)
def test_expressions_inside_the_limits_are_allowed(source: str, value: object) -> None:
    """Ordinary conditionals and expressions right at the limits compile and evaluate."""
    assert compile_expression(source, NAMES).evaluate(ENV) == value


def test_largest_reachable_number_is_small_and_fast() -> None:
    """Multiplying the largest literals as deep as allowed stays a few hundred digits."""
    biggest = "9" * MAX_INT_LITERAL_DIGITS
    source = " * ".join([biggest] * MAX_NESTING_DEPTH)
    compiled = compile_expression(source, NAMES)
    start = time.process_time()
    result = compiled.evaluate(ENV)
    assert time.process_time() - start < MAX_SECONDS
    assert isinstance(result, int) and len(str(result)) <= MAX_INT_LITERAL_DIGITS * (
        MAX_NESTING_DEPTH
    )


def test_evaluator_has_no_dangerous_operators_or_nodes() -> None:
    """The simpleeval instance itself knows no **, %, bit operators, attributes or subscripts.

    Defence in depth: even a tree that somehow skipped the checks could not use them.
    """
    evaluator = thread_evaluator()
    for op in (ast.Pow, ast.Mod, ast.LShift, ast.RShift, ast.BitOr, ast.BitAnd, ast.Invert):
        assert op not in evaluator.operators
    for node in (ast.Attribute, ast.Subscript, ast.JoinedStr, ast.Lambda, ast.ListComp):
        assert node not in evaluator.nodes
    sneaky = ast.parse("().__class__", mode="eval").body
    program = Program(body=sneaky, where=SourceMap("().__class__", 0), strict=frozenset(), reads=())
    with pytest.raises(simpleeval.FeatureNotAvailable):
        evaluator.run(program, "().__class__", {})


# ------------------------------------------------------------- runtime exhaustion
#
# What passes the load-time checks can still be fed hostile values at run time (by
# findings) or chained (derived facts feeding derived facts).  Every whitelisted
# function is bounded: dates stay in Python's range or the working-day calendar,
# counts over records are linear, and every number is held to MAX_NUMBER_BITS.

RUNTIME_NAMES = {
    **NAMES,
    "q": TypeInfo(Kind.DECIMAL),
    "rs": TypeInfo(Kind.RECORDS, fields={"ok": Kind.BOOL, "n": Kind.INT, "v": Kind.DECIMAL}),
}

#: (source, code) evaluated with ENV: each fails fast with its code.
RUNTIME_CORPUS: list[tuple[str, str]] = [
    ("add_working_days(d, 999999999999)", "WZ310"),
    ("add_working_days(d, n - 10)", "WZ323"),
    ("date(999999, 1, 1)", "WZ323"),
    ("date(2023, 2, 30)", "WZ323"),
    ("months_before(d, 999999999999)", "WZ323"),
    ("months_before(d, 0 - 1)", "WZ323"),
    ("add_days(d, 999999999999)", "WZ323"),
    ("add_days(d, -999999999999)", "WZ323"),
    ("working_days_between(date(1, 1, 1), d)", "WZ310"),
    ("within_working_days(d, date(9999, 12, 31), 999999999999)", "WZ310"),
    ("mean([])", "WZ322"),
    ("min([])", "WZ322"),
    ("n // 0", "WZ320"),
    ("n / (n - n)", "WZ320"),
]


@pytest.mark.parametrize("reference", [False, True], ids=["default", "reference"])
@pytest.mark.parametrize(
    ("source", "code"), RUNTIME_CORPUS, ids=[s[:40] for s, _ in RUNTIME_CORPUS]
)
def test_whitelisted_functions_fail_fast_on_hostile_arguments(
    source: str, code: str, reference: bool
) -> None:
    """Huge counts, impossible dates and empty lists are refused with a code, in < 2 s."""
    compiled = compile_expression(source, RUNTIME_NAMES)
    start = time.process_time()
    with pytest.raises(WzevalError) as info:
        compiled.evaluate({**ENV, "q": Fraction(1, 3), "rs": []}, reference=reference)
    assert time.process_time() - start < MAX_SECONDS
    assert info.value.code == code, str(info.value)


@pytest.mark.parametrize("reference", [False, True], ids=["default", "reference"])
@pytest.mark.parametrize(
    "source",
    ["n * n * n", "q * q * q", "q + 1 / (n - 1)", "sum([n, n, n]) * n", "mean([q, q]) * q"],
)
def test_numbers_cannot_grow_without_bound(source: str, reference: bool) -> None:
    """A value past MAX_NUMBER_BITS (as chained derived facts would give) stops with WZ326."""
    big = {**ENV, "n": 2 ** (MAX_NUMBER_BITS // 2), "q": Fraction(3**3000, 7**1500), "rs": []}
    compiled = compile_expression(source, RUNTIME_NAMES)
    start = time.process_time()
    with pytest.raises(ExpressionError) as info:
        compiled.evaluate(big, reference=reference)
    assert info.value.code == "WZ326"
    assert time.process_time() - start < MAX_SECONDS


def test_chained_derived_facts_cannot_exhaust_memory(tmp_path: Path) -> None:
    """d2 = d1·d1·…, d3 = d2·d2·… would reach a billion digits; scoring stops with WZ326."""
    import wzeval

    rb = (TESTS / "corpus" / "bands.yaml").read_text(encoding="utf-8")
    derived = "        derived:\n"
    products = [" * ".join(["999999999999"] * 39)]
    products += [" * ".join([f"d{i}"] * 39) for i in range(1, 5)]
    for i, product in enumerate(products, 1):
        derived += f'          - {{id: d{i}, type: int, expr: "{product}"}}\n'
    rb = rb.replace("        items:\n", derived + "        items:\n", 1)
    rb = rb.replace("count: firsts", "count: firsts + d5 - d5")
    (tmp_path / "rb.yaml").write_text(rb, encoding="utf-8")
    (tmp_path / "f.yaml").write_text(
        "wzeval: findings/1\nrulebook: bands\ndepartment: 甲局\nmonitoring_date: 2023-11-15\n"
        "indicators:\n  subject: {firsts: 3}\n  filler: {ok: true}\n",
        encoding="utf-8",
    )
    rulebook = wzeval.load_rulebook(tmp_path / "rb.yaml")
    tracemalloc.start()
    start = time.process_time()
    try:
        with pytest.raises(wzeval.ValidationFailed) as info:
            wzeval.score(tmp_path / "f.yaml", rulebook)
        elapsed = time.process_time() - start
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [i.code for i in info.value.issues] == ["WZ326"]
    assert elapsed < MAX_SECONDS
    assert peak < MAX_PEAK_BYTES


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("count_where(rs, 'ok')", 50_000),
        ("sum_of(rs, 'n')", 4_999_950_000),
        ("sum(values(rs, 'n'))", 4_999_950_000),
        ("mean_of(rs, 'v')", Fraction(99_999, 14)),
        ("len(rs)", 100_000),
        ("len(where(rs, 'n', '>=', 50000))", 50_000),
    ],
)
def test_records_helpers_are_linear(source: str, value: object) -> None:
    """Helpers over 100 000 records (more than findings within loader.MAX_NODES can hold)
    answer in well under the bound."""
    rows = [{"ok": i % 2 == 0, "n": i, "v": Fraction(i, 7)} for i in range(100_000)]
    compiled = compile_expression(source, RUNTIME_NAMES)
    start = time.process_time()
    result = compiled.evaluate({**ENV, "q": Fraction(1, 3), "rs": rows})
    assert time.process_time() - start < MAX_SECONDS * 2
    assert result == value


def test_evaluator_functions_are_exactly_the_whitelist() -> None:
    """Only the documented functions are callable, none of simpleeval's defaults."""
    evaluator = thread_evaluator()
    assert set(evaluator.functions) == set(ex.FUNCTIONS)
    assert not {"rand", "randint", "int", "float", "str"} & set(evaluator.functions)
