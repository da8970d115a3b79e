"""Escape and exhaustion attempts an untrusted rulebook might try: each is refused, fast, small."""

from __future__ import annotations

import ast
import time
import tracemalloc
from datetime import date

import pytest
import simpleeval

import wzeval.expressions as ex
from wzeval.errors import ExpressionError
from wzeval.expressions import (
    MAX_AST_NODES,
    MAX_EXPRESSION_LENGTH,
    MAX_INT_LITERAL_DIGITS,
    MAX_LIST_LITERAL_ITEMS,
    MAX_NESTING_DEPTH,
    MAX_STRING_LITERAL_LENGTH,
    Kind,
    TypeInfo,
    compile_expression,
)

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
    ("ｏｐｅｎ('/etc/passwd')", "WZ303"),  # full-width letters: NFKC makes this 'open'
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
]


def _refusal(source: str) -> tuple[ExpressionError, float, int]:
    """Compile ``source``; return the error, the seconds it took and the peak bytes."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(ExpressionError) as info:
            compile_expression(source, NAMES)
        elapsed = time.perf_counter() - start
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
    start = time.perf_counter()
    result = compiled.evaluate(ENV)
    assert time.perf_counter() - start < MAX_SECONDS
    assert isinstance(result, int) and len(str(result)) <= MAX_INT_LITERAL_DIGITS * (
        MAX_NESTING_DEPTH
    )


def test_evaluator_has_no_dangerous_operators_or_nodes() -> None:
    """The simpleeval instance itself knows no **, %, bit operators, attributes or subscripts.

    Defence in depth: even a tree that somehow skipped the checks could not use them.
    """
    evaluator = ex._evaluator()
    for op in (ast.Pow, ast.Mod, ast.LShift, ast.RShift, ast.BitOr, ast.BitAnd, ast.Invert):
        assert op not in evaluator.operators
    for node in (ast.Attribute, ast.Subscript, ast.JoinedStr, ast.Lambda, ast.ListComp):
        assert node not in evaluator.nodes
    sneaky = ast.parse("().__class__", mode="eval").body
    program = ex._Program(
        body=sneaky, where=ex._SourceMap("().__class__", 0), strict=frozenset(), reads=()
    )
    with pytest.raises(simpleeval.FeatureNotAvailable):
        evaluator.run(program, "().__class__", {})


def test_evaluator_functions_are_exactly_the_whitelist() -> None:
    """Only the documented functions are callable, none of simpleeval's defaults."""
    evaluator = ex._evaluator()
    assert set(evaluator.functions) == set(ex.FUNCTIONS)
    assert not {"rand", "randint", "int", "float", "str"} & set(evaluator.functions)
