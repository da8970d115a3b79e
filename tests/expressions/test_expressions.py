"""The rulebook expression language: typing, exact values, errors with codes and offsets."""

from __future__ import annotations

import ast
import pickle
import re
import threading
from collections.abc import Mapping
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.bounds import measure, run_cli
from support.paths import TESTS

import wzeval.expressions as expressions_module
from wzeval.core._errors import CalendarError, ExpressionError, WzevalError
from wzeval.expressions import (
    CODES,
    FUNCTIONS,
    CompiledExpression,
    Kind,
    TypeInfo,
    compile_expression,
)

# These tests assert the English wording of expression errors (the default is Chinese).
pytestmark = pytest.mark.usefixtures("english")

RECORDS = TypeInfo(
    Kind.RECORDS, fields={"answered": Kind.BOOL, "days": Kind.INT, "score": Kind.DECIMAL}
)
NAMES: dict[str, TypeInfo] = {
    "n": TypeInfo(Kind.INT),
    "m": TypeInfo(Kind.INT),
    "share": TypeInfo(Kind.DECIMAL),
    "ok": TypeInfo(Kind.BOOL),
    "asked_on": TypeInfo(Kind.DATE),
    "answered_on": TypeInfo(Kind.DATE, nullable=True),
    "answered_at": TypeInfo(Kind.DATETIME),
    "status": TypeInfo(Kind.STR),
    "scores": TypeInfo(Kind.LIST, item=Kind.DECIMAL),
    "counts": TypeInfo(Kind.LIST, item=Kind.INT),
    "flags": TypeInfo(Kind.LIST, item=Kind.BOOL),
    "rows": RECORDS,
    "maybe_n": TypeInfo(Kind.INT, nullable=True),
}
ENV: dict[str, object] = {
    "n": 7,
    "m": 2,
    "share": Fraction(1, 4),
    "ok": True,
    "asked_on": date(2023, 9, 28),
    "answered_on": date(2023, 10, 7),
    "answered_at": datetime(2023, 10, 8, 9, 30),
    "status": "已答复",
    "scores": [Fraction(1, 2), Fraction(3, 2)],
    "counts": [1, 2, 3],
    "flags": [True, False, True],
    "rows": [
        {"answered": True, "days": 1, "score": Fraction(1, 2)},
        {"answered": False, "days": 4, "score": Fraction(1)},
        {"answered": True, "days": 2, "score": Fraction(0)},
    ],
    "maybe_n": None,
}


def run(source: str, env: Mapping[str, object] = ENV, **kw: object) -> object:
    """Compile against NAMES and evaluate against ``env``."""
    return compile_expression(source, NAMES, **kw).evaluate(env)  # type: ignore[arg-type]


def type_of(source: str) -> str:
    """The described static type of ``source``."""
    return compile_expression(source, NAMES).type.describe()


def rejected(source: str, names: Mapping[str, TypeInfo] = NAMES, **kw: object) -> ExpressionError:
    """The ExpressionError ``compile_expression`` raises for ``source``."""
    with pytest.raises(ExpressionError) as info:
        compile_expression(source, names, **kw)  # type: ignore[arg-type]
    return info.value


def failed(source: str, env: Mapping[str, object] = ENV) -> ExpressionError:
    """The ExpressionError evaluating ``source`` raises."""
    compiled = compile_expression(source, NAMES)
    with pytest.raises(ExpressionError) as info:
        compiled.evaluate(env)
    return info.value


# ------------------------------------------------------------------------ TypeInfo


@pytest.mark.parametrize(
    ("info", "text"),
    [
        (TypeInfo(Kind.INT), "int"),
        (TypeInfo(Kind.DATE, nullable=True), "date or None"),
        (TypeInfo(Kind.LIST, item=Kind.DECIMAL), "list of decimal"),
        (TypeInfo(Kind.LIST), "list"),
        (
            TypeInfo(Kind.RECORDS, fields={"a": Kind.INT, "b": Kind.BOOL}),
            "records{a: int, b: bool}",
        ),
        (TypeInfo(Kind.NONE), "None"),
    ],
)
def test_typeinfo_describe(info: TypeInfo, text: str) -> None:
    """describe() gives the words used in error messages."""
    assert info.describe() == text


def test_typeinfo_is_hashable_and_fields_are_read_only() -> None:
    """A TypeInfo can key a dict, and its record fields cannot be changed afterwards."""
    fields = {"a": Kind.INT}
    info = TypeInfo(Kind.RECORDS, fields=fields)
    fields["b"] = Kind.BOOL
    assert dict(info.fields or {}) == {"a": Kind.INT}
    assert {info: 1}[TypeInfo(Kind.RECORDS, fields={"a": Kind.INT})] == 1
    with pytest.raises(TypeError):
        info.fields["c"] = Kind.STR  # type: ignore[index]


# ------------------------------------------------------------------------ literals


@pytest.mark.parametrize(
    ("source", "kind", "value"),
    [
        ("3", "int", 3),
        ("0.5", "decimal", Fraction(1, 2)),
        ("'文本'", "str", "文本"),
        ("True", "bool", True),
        ("[1, 2]", "list of int", [1, 2]),
        ("[1, 2.5]", "list of decimal", [Fraction(1), Fraction(5, 2)]),
        ("(1, 2)", "list of int", [1, 2]),
        ("[]", "list", []),
    ],
)
def test_literals_have_types_and_exact_values(source: str, kind: str, value: object) -> None:
    """Each literal has its kind and its exact runtime value."""
    assert type_of(source) == kind
    assert run(source) == value


def test_decimals_are_exact_fractions_never_floats() -> None:
    """0.1 + 0.2 is exactly 3/10, and no float ever comes out."""
    result = run("0.1 + 0.2")
    assert result == Fraction(3, 10)
    assert type(result) is Fraction
    assert run("1_000.25") == Fraction(4001, 4)
    assert run("0.1 * 3 == 0.3") is True


@given(
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=1, max_value=6),
)
def test_any_decimal_literal_is_read_exactly(whole: int, frac: int, width: int) -> None:
    """A decimal literal equals the Fraction of its source text."""
    text = f"{whole}.{frac:0{width}d}"
    assert run(text) == Fraction(text)


# ----------------------------------------------------------------------- operators


@pytest.mark.parametrize(
    ("source", "kind", "value"),
    [
        ("n + m", "int", 9),
        ("n - m", "int", 5),
        ("n * m", "int", 14),
        ("n // m", "int", 3),
        ("n / m", "decimal", Fraction(7, 2)),
        ("4 / 2", "decimal", Fraction(2)),
        ("n + share", "decimal", Fraction(29, 4)),
        ("share * 2", "decimal", Fraction(1, 2)),
        ("7.5 // 2", "int", 3),
        ("-n", "int", -7),
        ("+share", "decimal", Fraction(1, 4)),
        ("not ok", "bool", False),
        ("ok and n > 3", "bool", True),
        ("ok or n > 3", "bool", True),
        ("1 < n <= 7", "bool", True),
        ("n == 7.0", "bool", True),
        ("status != '已答复'", "bool", False),
        ("asked_on < add_days(asked_on, 1)", "bool", True),
        ("answered_at > answered_at", "bool", False),
        ("n in counts", "bool", False),
        ("2 in counts", "bool", True),
        ("share not in scores", "bool", True),
        ("status in ['已答复', '未答复']", "bool", True),
        ("n if ok else m", "int", 7),
        ("n if ok else share", "decimal", Fraction(7)),
        ("ok == False", "bool", False),
    ],
)
def test_operators_type_and_value(source: str, kind: str, value: object) -> None:
    """Each operator has its static result type and the exact value."""
    assert type_of(source) == kind
    result = run(source)
    assert result == value
    if kind == "decimal":
        assert type(result) is Fraction


@given(st.integers(-(10**6), 10**6), st.integers(-(10**6), 10**6))
def test_int_arithmetic_matches_python(a: int, b: int) -> None:
    """+ - * // on ints agree with Python; / is the exact Fraction."""
    env = {**ENV, "n": a, "m": b}
    assert run("n + m * n - m", env) == a + b * a - b
    if b:
        assert run("n // m", env) == a // b
        assert run("n / m", env) == Fraction(a, b)
    else:
        assert failed("n / m", env).code == "WZ320"


@pytest.mark.parametrize(
    ("source", "fragment"),
    [
        ("status + 1", "'+' needs numbers, got str and int"),
        ("asked_on - asked_on", "'-' needs numbers, got date and date"),
        ("ok + 1", "'+' needs numbers, got bool and int"),
        ("status * 3", "'*' needs numbers, got str and int"),
        ("counts * 3", "'*' needs numbers, got list of int and int"),
        ("-status", "unary '-' needs a number, got str"),
        ("not n", "'not' needs bool operands, got int"),
        ("ok and 1", "'and' needs bool operands, got int"),
        ("n < asked_on", "cannot compare int < date"),
        ("asked_on < answered_at", "cannot compare date < datetime"),
        ("ok < ok", "cannot compare bool < bool"),
        ("counts == counts", "cannot compare list of int == list of int"),
        ("n in flags", "cannot compare int in list of bool"),
        ("status in status", "cannot compare str in str"),
        ("n if n else m", "the condition of 'if' needs bool operands, got int"),
        ("n if ok else status", "the two branches differ: int and str"),
        ("[1, 'a']", "list items must all have one type"),
        ("[counts]", "list items must be single values"),
        ("n == None", "None cannot be used as a value here"),
        ("n is None", "'n' is int and never None"),
        ("maybe_n is 1", "'is' only compares with None"),
    ],
)
def test_ill_typed_operations_are_wz304(source: str, fragment: str) -> None:
    """Operators refuse operands of the wrong kinds with a precise message."""
    error = rejected(source)
    assert error.code == "WZ304"
    assert fragment in error.message


def test_repetition_hint_names_the_danger() -> None:
    """'text' * n is refused with a hint saying repetition is not allowed."""
    assert "repeating" in (rejected("'a' * 1000000000").hint or "")


def test_date_arithmetic_hint_points_to_functions() -> None:
    """Subtracting dates is refused with a hint to days_between/add_days."""
    assert "days_between" in (rejected("asked_on - asked_on").hint or "")


# ------------------------------------------------------------ names and offsets


def test_unknown_name_has_suggestion_and_offset() -> None:
    """An unknown name is WZ302, suggests the close declared name, points at its column."""
    source = "days_between(asked_on, answerd_on) > 1"
    error = rejected(source)
    assert error.code == "WZ302"
    assert error.message == "unknown name 'answerd_on'"
    assert error.hint == "did you mean 'answered_on'?"
    assert error.offset == source.index("answerd_on") == 23


def test_offsets_count_characters_not_bytes() -> None:
    """Offsets are character indexes, also after Chinese text."""
    source = "status == '已答复' and statsu == '未答复'"
    error = rejected(source)
    assert error.code == "WZ302"
    assert error.offset == source.index("statsu")


def test_offsets_include_leading_whitespace_and_lines() -> None:
    """Leading blanks are allowed and counted; offsets on later lines index the whole text."""
    assert rejected("   zzz").offset == 3
    source = "(n +\n  zzz)"
    assert rejected(source).offset == source.index("zzz")


def test_offsets_ignore_unicode_line_separators_inside_strings() -> None:
    """U+2028 in a string literal is not a line break for offsets (as for Python)."""
    source = "status == 'a\u2028b' and zzz"
    assert rejected(source).offset == source.index("zzz")


def test_syntax_error_is_wz301_with_offset() -> None:
    """Invalid syntax is WZ301 and points near the problem."""
    error = rejected("n + (m * ")
    assert error.code == "WZ301"
    error = rejected("n +* )")
    assert error.code == "WZ301"
    assert error.offset == 5
    assert rejected("").code == "WZ301"
    assert rejected("   ").code == "WZ301"


def test_function_name_used_as_value_is_explained() -> None:
    """A bare function name is an unknown name whose hint says to call it."""
    error = rejected("len")
    assert error.code == "WZ302"
    assert "call it" in (error.hint or "")


def test_names_lists_only_what_is_read() -> None:
    """CompiledExpression.names is the set of declared names the expression reads."""
    compiled = compile_expression("n + len(counts) if ok else 0", NAMES)
    assert compiled.names == frozenset({"n", "counts", "ok"})
    assert compile_expression("1 + 1", NAMES).names == frozenset()


# ------------------------------------------------------------------------ expect


@pytest.mark.parametrize(
    ("source", "expect", "message"),
    [
        ("n", Kind.BOOL, "expected bool, got int"),
        ("n / 2", Kind.INT, "expected int, got decimal"),
        ("status", "number", "expected int or decimal, got str"),
        ("n", Kind.DATE, "expected date, got int"),
        ("answered_on if ok else None", Kind.DATE, "None cannot be used as a value here"),
    ],
)
def test_expect_mismatch_is_wz304(source: str, expect: object, message: str) -> None:
    """A result of the wrong kind for its place in the rulebook is WZ304."""
    error = rejected(source, expect=expect)
    assert error.code == "WZ304"
    assert error.message == message


def test_expect_hint_for_conditions() -> None:
    """A non-bool condition gets a hint showing a condition."""
    assert "n >= 3" in (rejected("n", expect=Kind.BOOL).hint or "")


def test_expect_accepts_kind_names_as_text() -> None:
    """expect='bool' means Kind.BOOL; an unknown kind name is a caller's ValueError."""
    assert compile_expression("ok", NAMES, expect="bool").type == TypeInfo(Kind.BOOL)  # type: ignore[arg-type]
    assert rejected("n", expect="bool").code == "WZ304"
    with pytest.raises(ValueError, match="boolean"):
        compile_expression("ok", NAMES, expect="boolean")  # type: ignore[arg-type]


def test_expect_number_accepts_int_and_decimal() -> None:
    """'number' accepts both, keeping the precise type."""
    assert compile_expression("n", NAMES, expect="number").type.kind is Kind.INT
    assert compile_expression("share", NAMES, expect="number").type.kind is Kind.DECIMAL


def test_expect_decimal_turns_ints_into_fractions() -> None:
    """Expecting a decimal accepts an int expression and returns a Fraction."""
    compiled = compile_expression("n", NAMES, expect=Kind.DECIMAL)
    assert compiled.type == TypeInfo(Kind.DECIMAL)
    value = compiled.evaluate(ENV)
    assert isinstance(value, Fraction)
    assert value == 7


# ------------------------------------------------------------------ nullable values


def test_nullable_name_as_whole_expression_passes_none() -> None:
    """Without expect, a nullable name is the result and may be None."""
    compiled = compile_expression("maybe_n", NAMES)
    assert compiled.type.describe() == "int or None"
    assert compiled.evaluate(ENV) is None


def test_nullable_operand_that_is_none_is_wz321_naming_it() -> None:
    """A None operand fails at evaluation with WZ321 naming the fact and its offset."""
    error = failed("n + maybe_n")
    assert error.code == "WZ321"
    assert error.message == "'maybe_n' is None"
    assert error.offset == 4
    assert "is not None" in (error.hint or "")


def test_guards_make_nullable_names_safe() -> None:
    """'x is not None and ...' and '... if x is not None else ...' never touch None."""
    assert run("maybe_n is not None and maybe_n > 3") is False
    assert run("maybe_n is None") is True
    assert run("maybe_n if maybe_n is not None else 0") == 0
    assert run("0 if maybe_n is None else maybe_n") == 0
    assert run("maybe_n > 3", {**ENV, "maybe_n": 5}) is True


def test_guarded_branch_is_not_nullable() -> None:
    """The branch guarded by 'x is not None' has x's type without 'or None'."""
    assert type_of("answered_on if answered_on is not None else asked_on") == "date"
    assert type_of("answered_on if ok else asked_on") == "date or None"
    assert type_of("n if ok else None") == "int or None"


def test_expect_makes_a_nullable_result_strict() -> None:
    """With expect, a None result is a WZ321 error rather than a silent None."""
    compiled = compile_expression("maybe_n", NAMES, expect=Kind.INT)
    assert compiled.type == TypeInfo(Kind.INT)
    with pytest.raises(ExpressionError) as info:
        compiled.evaluate(ENV)
    assert info.value.code == "WZ321"


# ---------------------------------------------------------------------- functions


@pytest.mark.parametrize(
    ("source", "kind", "value"),
    [
        ("date(2023, 10, 9)", "date", date(2023, 10, 9)),
        ("days_between(asked_on, answered_on)", "int", 9),
        ("days_between(answered_at, asked_on)", "int", -10),
        ("add_days(asked_on, -14)", "date", date(2023, 9, 14)),
        ("add_days(answered_at, 1)", "date", date(2023, 10, 9)),
        ("months_before(date(2023, 8, 31), 6)", "date", date(2023, 2, 28)),
        ("months_before(date(2024, 3, 31), 1)", "date", date(2024, 2, 29)),
        ("months_before(date(2023, 1, 15), 1)", "date", date(2022, 12, 15)),
        ("months_before(date(2023, 5, 20), 0)", "date", date(2023, 5, 20)),
        ("year(asked_on)", "int", 2023),
        ("month(answered_at)", "int", 10),
        ("working_days_between(asked_on, answered_on)", "int", 1),
        ("add_working_days(asked_on, 1)", "date", date(2023, 10, 7)),
        ("within_working_days(asked_on, answered_on, 1)", "bool", True),
        ("within_working_days(asked_on, answered_at, 1)", "bool", False),
        ("len(counts)", "int", 3),
        ("len(rows)", "int", 3),
        ("count(flags)", "int", 2),
        ("sum(counts)", "int", 6),
        ("sum(scores)", "decimal", Fraction(2)),
        ("sum([])", "int", 0),
        ("mean(counts)", "decimal", Fraction(2)),
        ("mean(scores)", "decimal", Fraction(1)),
        ("min(n, m)", "int", 2),
        ("max(n, share, 3)", "decimal", Fraction(7)),
        ("min(scores)", "decimal", Fraction(1, 2)),
        ("max(counts)", "int", 3),
        ("abs(-share)", "decimal", Fraction(1, 4)),
        ("abs(m - n)", "int", 5),
        ("all(flags)", "bool", False),
        ("any(flags)", "bool", True),
        ("all([])", "bool", True),
    ],
)
def test_functions_type_and_value(source: str, kind: str, value: object) -> None:
    """Every whitelisted function has its result type and exact value."""
    assert type_of(source) == kind
    result = run(source)
    assert result == value
    assert type(result) is type(value)


@pytest.mark.parametrize(
    ("source", "code", "fragment"),
    [
        ("date(2023, 10)", "WZ307", "date() takes 3 arguments, got 2"),
        ("len()", "WZ307", "len() takes 1 argument, got 0"),
        ("min()", "WZ307", "min() takes 2 or more numbers"),
        ("year(n)", "WZ304", "argument 1 of year() must be date or datetime, got int"),
        ("add_days(asked_on, 1.5)", "WZ304", "argument 2 of add_days() must be int"),
        ("count(counts)", "WZ304", "argument 1 of count() must be a list of bool"),
        ("sum(flags)", "WZ304", "argument 1 of sum() must be a list of numbers"),
        ("min(n)", "WZ304", "argument 1 of min() must be a list of numbers, got int"),
        ("max(n, status)", "WZ304", "argument 2 of max() must be decimal or int, got str"),
        ("len(status)", "WZ304", "argument 1 of len() must be a list or records"),
        ("max(n, key=len)", "WZ308", "max() takes no keyword arguments"),
    ],
)
def test_function_arguments_are_checked(source: str, code: str, fragment: str) -> None:
    """Arity, argument kinds and keywords are checked at compile time."""
    error = rejected(source)
    assert error.code == code
    assert fragment in error.message
    assert error.hint == FUNCTIONS[source.split("(")[0]].signature


def test_unknown_function_suggests_a_close_one() -> None:
    """Calling an unknown function is WZ303 with a did-you-mean hint."""
    error = rejected("lenght(counts)")
    assert error.code == "WZ303"
    assert error.hint == "did you mean 'len'?"


def test_every_function_is_documented() -> None:
    """FUNCTIONS carries, for each name, a signature starting with it and a one-line doc."""
    assert len(FUNCTIONS) >= 20
    for name, spec in FUNCTIONS.items():
        assert spec.name == name
        assert spec.signature.startswith(f"{name}(")
        assert "->" in spec.signature
        assert spec.doc and "\n" not in spec.doc and spec.doc.endswith(".")


# ---------------------------------------------------------------- records helpers


@pytest.mark.parametrize(
    ("source", "kind", "value"),
    [
        ('count_where(rows, "answered")', "int", 2),
        ('sum_of(rows, "days")', "int", 7),
        ('sum_of(rows, "score")', "decimal", Fraction(3, 2)),
        ('mean_of(rows, "days")', "decimal", Fraction(7, 3)),
        ('values(rows, "days")', "list of int", [1, 4, 2]),
        ('max(values(rows, "score"))', "decimal", Fraction(1)),
        ('count(values(rows, "answered"))', "int", 2),
    ],
)
def test_records_helpers(source: str, kind: str, value: object) -> None:
    """Records helpers read a field checked at compile time."""
    assert type_of(source) == kind
    assert run(source) == value


def test_unknown_record_field_is_wz306_with_suggestion_and_offset() -> None:
    """A misspelt field is WZ306, points at the literal, suggests the field."""
    source = 'count_where(rows, "answred")'
    error = rejected(source)
    assert error.code == "WZ306"
    assert error.offset == source.index('"answred"')
    assert error.hint == "did you mean 'answered'?"
    assert "'answered', 'days', 'score'" in error.message


@pytest.mark.parametrize(
    ("source", "fragment"),
    [
        ('count_where(rows, "days")', "count_where() needs a bool field, but 'days' is int"),
        ('sum_of(rows, "answered")', "needs a decimal or int field"),
        ("count_where(rows, status)", "must be a field name in quotes"),
        ('count_where(counts, "x")', "argument 1 of count_where() must be records"),
    ],
)
def test_records_helper_misuse_is_wz304(source: str, fragment: str) -> None:
    """Field kinds, literal field names and records arguments are checked."""
    error = rejected(source)
    assert error.code == "WZ304"
    assert fragment in error.message


# ---------------------------------------------------------------- record predicates


@pytest.mark.parametrize(
    ("source", "value"),
    [
        # rows' days are 1, 4, 2 and scores 1/2, 1, 0; answered: yes, no, yes
        ('len(where(rows, "days", ">", 1))', 2),  # 4 and 2
        ('len(where(rows, "days", "<=", 1))', 1),  # 1
        ('len(where(rows, "days", "==", n - 5))', 1),  # days == 2
        ('count_where(where(rows, "days", ">=", 2), "answered")', 1),  # only days 2
        ('sum_of(where(rows, "score", "<", 1), "days")', 3),  # scores 1/2 and 0: 1 + 2
        ('len(where(rows, "answered", "!=", ok))', 1),  # the one not answered
        ('len(where(rows, "days", ">", 99))', 0),
    ],
)
def test_where_selects_records_by_a_field_comparison(source: str, value: object) -> None:
    """where() keeps the records whose field compares so with a value (any expression
    of the field's kind), in both evaluators, and composes with the records helpers."""
    assert run(source) == value
    assert compile_expression(source, NAMES).evaluate(ENV, reference=True) == value


@pytest.mark.parametrize(
    ("source", "code", "fragment"),
    [
        ('where(rows, "days", "<", asked_on)', "WZ304", "compares the int field 'days' with date"),
        ('where(rows, "answered", "<", ok)', "WZ304", "compares the bool field 'answered'"),
        ('where(rows, "day", ">", 1)', "WZ306", "unknown field 'day'"),
        ('where(rows, "days", "=>", 1)', "WZ304", 'a comparison in quotes: "<"'),
        ('where(rows, "days", status, 1)', "WZ304", "a comparison in quotes"),
        ('where(counts, "days", ">", 1)', "WZ304", "must be records"),
        ('where(rows, "days", ">")', "WZ307", "takes 4 arguments"),
    ],
)
def test_where_misuse_is_refused_at_its_argument(source: str, code: str, fragment: str) -> None:
    """Every argument of where() is checked when the rulebook loads, not when scoring."""
    error = rejected(f"len({source})")
    assert error.code == code and fragment in error.message


# ------------------------------------------------------------------ runtime errors


@pytest.mark.parametrize(
    ("source", "code"),
    [
        ("n / (m - 2)", "WZ320"),
        ("n // 0", "WZ320"),
        ("share / 0.0", "WZ320"),
        ("mean([])", "WZ322"),
        ("date(2023, 2, 30)", "WZ323"),
        ("months_before(asked_on, -1)", "WZ323"),
        ("add_days(asked_on, 999999999)", "WZ323"),
        ("months_before(asked_on, 999999999)", "WZ323"),
        ("add_working_days(asked_on, -1)", "WZ323"),
        ("within_working_days(asked_on, answered_on, -1)", "WZ323"),
        ("maybe_n > 1", "WZ321"),
    ],
)
def test_runtime_failures_become_expression_errors(source: str, code: str) -> None:
    """Failures while evaluating are ExpressionError with their own code, never raw errors."""
    assert failed(source).code == code


def test_empty_records_for_mean_of_and_min_fail_clearly() -> None:
    """mean_of / min / max over nothing is WZ322 at the call's offset."""
    env = {**ENV, "rows": [], "counts": []}
    source = 'n + mean_of(rows, "days")'
    error = failed(source, env)
    assert error.code == "WZ322"
    assert error.offset == source.index("mean_of")
    assert failed("min(counts)", env).code == "WZ322"
    assert failed("max(counts)", env).code == "WZ322"


def test_division_by_zero_points_at_the_divisor() -> None:
    """WZ320 names the divisor and points at it."""
    source = "n / (m - 2)"
    error = failed(source)
    assert error.code == "WZ320"
    assert error.message == "division by zero: 'm - 2' is 0"
    assert error.offset == source.index("m - 2")


def test_calendar_errors_propagate_as_calendar_error() -> None:
    """A date outside the working-day calendar is a CalendarError (a WzevalError)."""
    compiled = compile_expression("add_working_days(date(1990, 1, 1), 1)", NAMES)
    with pytest.raises(CalendarError) as info:
        compiled.evaluate(ENV)
    assert isinstance(info.value, WzevalError)
    assert "1990-01-01" in str(info.value)


def test_missing_env_value_is_wz324() -> None:
    """Evaluating without a value for a read name is WZ324 naming it."""
    env = {k: v for k, v in ENV.items() if k != "n"}
    error = failed("n + 1", env)
    assert error.code == "WZ324"
    assert "'n'" in error.message


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("share", 0.25),
        ("n", True),
        ("n", "7"),
        ("ok", 1),
        ("asked_on", datetime(2023, 9, 28)),
        ("counts", [1, "2"]),
        ("rows", [{"answered": True, "days": 1}]),
        ("n", None),
    ],
)
def test_env_values_of_the_wrong_type_are_wz325(name: str, value: object) -> None:
    """A float for a decimal, a bool for an int, a missing record field... are WZ325."""
    source = {"rows": "len(rows)", "counts": "len(counts)"}.get(name, f"{name} == {name}")
    error = failed(source, {**ENV, name: value})
    assert error.code == "WZ325"
    assert repr(name) in error.message


def test_ints_are_accepted_for_decimal_names() -> None:
    """A decimal name may hold an int (an exact decimal); the result is still exact."""
    assert run("share * 2", {**ENV, "share": 3}) == 6


# ----------------------------------------------------------- compile once, safely


def test_evaluate_never_parses_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tree parsed at compile time is reused: evaluate does not call ast.parse."""
    compiled = compile_expression("n + 1", NAMES)

    def boom(*args: object, **kwargs: object) -> ast.AST:
        raise AssertionError("parsed at evaluate time")

    monkeypatch.setattr(ast, "parse", boom)
    assert compiled.evaluate(ENV) == 8
    assert compiled.evaluate({**ENV, "n": 1}) == 2


def test_compiled_expressions_are_values() -> None:
    """Two compilations of one source compare equal and hash alike."""
    a = compile_expression("n + 1", NAMES)
    b = compile_expression("n + 1", NAMES)
    assert isinstance(a, CompiledExpression)
    assert a == b and hash(a) == hash(b)


def test_compiled_expressions_survive_pickling() -> None:
    """A pickled and restored expression is equal and still refuses a None operand."""
    compiled = compile_expression('maybe_n + count_where(rows, "answered")', NAMES)
    restored = pickle.loads(pickle.dumps(compiled))
    assert restored == compiled
    assert restored.evaluate({**ENV, "maybe_n": 1}) == 3
    with pytest.raises(ExpressionError) as info:
        restored.evaluate(ENV)
    assert info.value.code == "WZ321"


def test_evaluation_is_thread_safe() -> None:
    """Many threads evaluating one expression each get their own answer."""
    compiled = compile_expression("n * 2 + m", NAMES)
    errors: list[str] = []

    def work(i: int) -> None:
        for j in range(200):
            env = {**ENV, "n": i, "m": j}
            if compiled.evaluate(env) != i * 2 + j:
                errors.append(f"{i},{j}")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


# ------------------------------------------------------------------------- codes


def test_every_code_used_is_documented_and_in_range() -> None:
    """Each WZ3xx code in the package appears in CODES, and CODES stays within WZ300-WZ349."""
    package = Path(expressions_module.__file__).parent
    source = "".join(p.read_text(encoding="utf-8") for p in sorted(package.glob("*.py")))
    assert "WZ320" in source and "WZ305" in source  # the modules that raise them are read
    used = set(re.findall(r"\b(WZ3\d\d)\b", source))
    assert used <= set(CODES)
    assert all(300 <= int(code[2:]) <= 349 for code in CODES)
    assert all(CODES.values())


# ---------------------------------------------------------------- robustness fuzz

_atoms = st.sampled_from(
    ["n", "m", "share", "ok", "maybe_n", "asked_on", "status", "counts", "0", "1", "0.5", "'a'"]
)


def _combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    binary = st.tuples(
        children,
        st.sampled_from(["+", "-", "*", "/", "//", "<", "==", "and", "or", "in"]),
        children,
    ).map(lambda t: f"({t[0]} {t[1]} {t[2]})")
    unary = st.tuples(st.sampled_from(["not ", "-"]), children).map(lambda t: f"({t[0]}{t[1]})")
    call = st.tuples(st.sampled_from(["abs", "len", "max", "year", "sum"]), children).map(
        lambda t: f"{t[0]}({t[1]})"
    )
    cond = st.tuples(children, children, children).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})")
    return binary | unary | call | cond


@given(st.recursive(_atoms, _combine, max_leaves=8), st.sampled_from([0, 2, None]))
def test_random_expressions_raise_only_wzeval_errors(source: str, maybe: int | None) -> None:
    """Whatever is typed, compile raises only ExpressionError and evaluate only wzeval errors."""
    try:
        compiled = compile_expression(source, NAMES)
    except ExpressionError as error:
        assert error.code in CODES
        return
    try:
        compiled.evaluate({**ENV, "m": 0 if maybe is None else maybe, "maybe_n": maybe})
    except WzevalError as error:
        assert error.code in CODES


# ------------------------------------------------- compatibility and bidi characters


@pytest.mark.parametrize(
    ("source", "char", "name"),
    [
        ("\U0001d431 > 1", "\U0001d431", "U+1D431 MATHEMATICAL BOLD SMALL X"),
        ("ｔｒｕｅ", "ｔ", "U+FF54 FULLWIDTH LATIN SMALL LETTER T"),
        ("ｍａｘ(1, 2) > 1", "ｍ", "U+FF4D FULLWIDTH LATIN SMALL LETTER M"),
        ("status == '已答复' and ｎ > 1", "ｎ", "U+FF4E FULLWIDTH LATIN SMALL LETTER N"),
    ],
)
def test_compatibility_characters_are_refused_not_folded(source: str, char: str, name: str) -> None:
    """Python would NFKC-fold these to x/true/max/n; wzeval refuses them (WZ330)."""
    error, used = measure(lambda: rejected(source))
    used.assert_within()
    assert error.code == "WZ330"
    assert error.offset == source.index(char)
    assert name in error.message


def test_compatibility_characters_inside_strings_and_comments_are_text() -> None:
    """Full-width Chinese punctuation stays allowed in string literals."""
    assert compile_expression("status == '（已答复）'  # 注：全角\n", NAMES) is not None


@pytest.mark.parametrize("code_point", [0x202A, 0x202E, 0x2066, 0x2069, 0x200E, 0x200F, 0x061C])
def test_bidi_controls_are_refused_also_inside_strings(code_point: int) -> None:
    """Trojan Source: a bidi control anywhere in an expression is WZ331, at its column."""
    source = f"status == 'a{chr(code_point)}b' and n > 1"
    error, used = measure(lambda: rejected(source))
    used.assert_within()
    assert error.code == "WZ331"
    assert error.offset == 12
    assert f"U+{code_point:04X}" in error.message


def test_bidi_control_in_rulebook_expression_via_cli(tmp_path: Path) -> None:
    """validate of a rulebook: exit 1, WZ331 at file:line:col inside the expression."""
    base = (TESTS / "corpus" / "check.yaml").read_text(encoding="utf-8")
    text = base.replace("check: standard}", "check: \"standard or '\u202e'\"}")
    rb = tmp_path / "rb.yaml"
    rb.write_text(text, encoding="utf-8")
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if "\u202e" in ln)
    col = text.splitlines()[line - 1].index("\u202e") + 1
    run = run_cli(["validate", rb])
    run.used.assert_within()
    assert run.returncode == 1, run.stderr
    assert f"rb.yaml:{line}:{col}" in run.stdout + run.stderr
    assert "WZ331" in run.stdout + run.stderr
    assert "Traceback" not in run.stderr


def test_counted_name_reads_len_of_a_name_alone() -> None:
    """What a generator gives its checks: the name ``len(name)`` counts, and nothing for
    any other shape, for text that does not parse, or for text past the length limit
    (refused before Python's parser sees it)."""
    from wzeval.expressions import MAX_EXPRESSION_LENGTH, counted_name

    assert counted_name("len(repost_checks)") == "repost_checks"
    assert counted_name("  len(xs) ") == "xs"
    assert counted_name("len(xs) + 1") is None
    assert counted_name("len(xs, ys)") is None
    assert counted_name("count(xs)") is None
    assert counted_name("len(a.b)") is None
    assert counted_name("len(") is None
    assert counted_name("") is None
    assert counted_name("len(" + "x" * MAX_EXPRESSION_LENGTH + ")") is None
