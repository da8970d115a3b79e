"""The function whitelist: each function's signature, doc, type rule and implementation.

A type rule checks a call's arguments through the small :class:`ArgumentChecker`
protocol, which the type checker (:mod:`._checker`) satisfies; so this module does
not import the checker and the checker imports this table, with no cycle.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import NoReturn, Protocol

from wzeval.core._codes import WZ304, WZ306, WZ307
from wzeval.core._i18n import _
from wzeval.core._issues import did_you_mean
from wzeval.expressions._runtime import (
    WHERE_OPS,
    fn_abs,
    fn_add_days,
    fn_add_working_days,
    fn_all,
    fn_any,
    fn_count,
    fn_count_where,
    fn_date,
    fn_days_between,
    fn_len,
    fn_max,
    fn_mean,
    fn_mean_of,
    fn_min,
    fn_month,
    fn_months_before,
    fn_sum,
    fn_sum_of,
    fn_values,
    fn_where,
    fn_within_working_days,
    fn_working_days_between,
    fn_year,
)
from wzeval.expressions._sourcemap import SourceMap, fail
from wzeval.expressions._types import (
    DATE_LIKE,
    NUMBERS,
    T_BOOL,
    T_DATE,
    T_DECIMAL,
    T_INT,
    Kind,
    TypeInfo,
    number_kind,
)


class ArgumentChecker(Protocol):
    """What a type rule needs of the type checker (:class:`._checker.TypeChecker`)."""

    where: SourceMap

    def check(self, node: ast.expr, *, strict: bool) -> TypeInfo: ...

    def arity(self, call: ast.Call, spec: FunctionSpec, n: int) -> None: ...

    def wrong_arg(
        self, call: ast.Call, spec: FunctionSpec, i: int, arg: ast.expr, want: str, got: TypeInfo
    ) -> NoReturn: ...

    def scalar_arg(
        self, call: ast.Call, spec: FunctionSpec, i: int, arg: ast.expr, kinds: frozenset[Kind]
    ) -> TypeInfo: ...

    def list_arg(
        self, call: ast.Call, spec: FunctionSpec, i: int, arg: ast.expr, param: str
    ) -> TypeInfo: ...


# A type rule receives the checker, the call and the function's spec, checks the
# arguments and returns the call's result type.
_TypeRule = Callable[["ArgumentChecker", ast.Call, "FunctionSpec"], TypeInfo]


@dataclass(frozen=True)
class FunctionSpec:
    """One whitelisted function: its signature and one-line doc for people, its
    type rule for the checker and its implementation for the evaluator."""

    name: str
    signature: str
    doc: str
    impl: Callable[..., object] = field(repr=False)
    rule: _TypeRule = field(repr=False)
    #: Whether a list (or records) named as the first argument must hold an element:
    #: the mean, least or greatest of nothing has no value.  Generated findings give
    #: such facts at least one (:func:`wzeval.expressions.needs_elements`).
    needs_elements: bool = False


def _where_rule(c: ArgumentChecker, call: ast.Call, spec: FunctionSpec) -> TypeInfo:
    """``where(records, "field", "op", value)``: the records whose field compares so with
    the value — a field name and an operator in quotes, a value of the field's kind."""
    c.arity(call, spec, 4)
    records = c.check(call.args[0], strict=True)
    if records.kind is not Kind.RECORDS:
        c.wrong_arg(call, spec, 0, call.args[0], "records", records)
    name_node, op_node, value_node = call.args[1], call.args[2], call.args[3]
    fields = records.fields or {}
    if not (isinstance(name_node, ast.Constant) and isinstance(name_node.value, str)):
        fail(
            WZ304,
            _("the 2nd argument of where() must be a field name in quotes"),
            c.where,
            name_node,
            hint=spec.signature,
        )
    if name_node.value not in fields:
        fail(
            WZ306,
            _("unknown field {name_node_value!r}; {values} has {value}").format(
                name_node_value=name_node.value,
                values=records.describe(),
                value=", ".join(map(repr, fields)) or "no fields",
            ),
            c.where,
            name_node,
            hint=did_you_mean(name_node.value, fields),
        )
    if not (isinstance(op_node, ast.Constant) and op_node.value in WHERE_OPS):
        fail(
            WZ304,
            _("the 3rd argument of where() is a comparison in quotes: ")
            + ", ".join(f'"{o}"' for o in WHERE_OPS),
            c.where,
            op_node,
            hint=spec.signature,
        )
    kind = fields[name_node.value]
    value = c.check(value_node, strict=True)
    same = value.kind is kind or (kind in NUMBERS and value.kind in NUMBERS)
    ordered = kind is not Kind.BOOL or op_node.value in ("==", "!=")
    if not same or not ordered:
        fail(
            WZ304,
            _(
                "where() compares the {kind_value} field "
                "{name_node_value!r} with {values} using "
                "{op_node_value!r}"
            ).format(
                kind_value=kind.value,
                name_node_value=name_node.value,
                values=value.describe(),
                op_node_value=op_node.value,
            ),
            c.where,
            value_node,
            hint=_("compare it with a {kind_value}; a bool field only with == or !=").format(
                kind_value=kind.value
            ),
        )
    return records


def _fixed(params: Sequence[frozenset[Kind] | str], result: TypeInfo) -> _TypeRule:
    """A rule for a fixed signature: scalar kind sets, or ``"list of bool"`` and
    friends for list parameters."""

    def rule(c: ArgumentChecker, call: ast.Call, spec: FunctionSpec) -> TypeInfo:
        c.arity(call, spec, len(params))
        for i, (param, arg) in enumerate(zip(params, call.args, strict=True)):
            if isinstance(param, str):
                c.list_arg(call, spec, i, arg, param)
            else:
                c.scalar_arg(call, spec, i, arg, param)
        return result

    return rule


def _rule_sum(c: ArgumentChecker, call: ast.Call, spec: FunctionSpec) -> TypeInfo:
    c.arity(call, spec, 1)
    t = c.list_arg(call, spec, 0, call.args[0], "list of numbers")
    return TypeInfo(number_kind(t.item or Kind.INT))


def _rule_min_max(c: ArgumentChecker, call: ast.Call, spec: FunctionSpec) -> TypeInfo:
    if len(call.args) == 1:
        t = c.list_arg(call, spec, 0, call.args[0], "list of numbers")
        return TypeInfo(number_kind(t.item or Kind.INT))
    if not call.args:
        fail(
            WZ307,
            _("{spec_name}() takes 2 or more numbers or one list of numbers, got none").format(
                spec_name=spec.name
            ),
            c.where,
            call,
            hint=spec.signature,
        )
    kinds = [c.scalar_arg(call, spec, i, a, NUMBERS).kind for i, a in enumerate(call.args)]
    return TypeInfo(number_kind(*kinds))


def _rule_abs(c: ArgumentChecker, call: ast.Call, spec: FunctionSpec) -> TypeInfo:
    c.arity(call, spec, 1)
    return c.scalar_arg(call, spec, 0, call.args[0], NUMBERS)


def _records_rule(want: frozenset[Kind] | None, result: Callable[[Kind], TypeInfo]) -> _TypeRule:
    """Rule of a records helper ``f(records, "field")``: the field is a string
    literal naming a field of kind in ``want`` (any scalar when ``None``)."""

    def rule(c: ArgumentChecker, call: ast.Call, spec: FunctionSpec) -> TypeInfo:
        c.arity(call, spec, 2)
        records = c.check(call.args[0], strict=True)
        if records.kind is not Kind.RECORDS:
            c.wrong_arg(call, spec, 0, call.args[0], "records", records)
        name_node = call.args[1]
        if not (isinstance(name_node, ast.Constant) and isinstance(name_node.value, str)):
            fail(
                WZ304,
                _("the 2nd argument of {spec_name}() must be a field name in quotes").format(
                    spec_name=spec.name
                ),
                c.where,
                name_node,
                hint=_('write {spec_name}(records, "field")').format(spec_name=spec.name),
            )
        fields = records.fields or {}
        name = name_node.value
        if name not in fields:
            fail(
                WZ306,
                _("unknown field {name!r}; {values} has {value}").format(
                    name=name,
                    values=records.describe(),
                    value=", ".join(map(repr, fields)) or "no fields",
                ),
                c.where,
                name_node,
                hint=did_you_mean(name, fields),
            )
        kind = fields[name]
        if want is not None and kind not in want:
            wanted = " or ".join(sorted(k.value for k in want))
            fail(
                WZ304,
                _("{spec_name}() needs a {wanted} field, but {name!r} is {kind_value}").format(
                    spec_name=spec.name, wanted=wanted, name=name, kind_value=kind.value
                ),
                c.where,
                name_node,
                hint=spec.signature,
            )
        return result(kind)

    return rule


LIST_PARAMS: dict[str, Callable[[TypeInfo], bool]] = {
    "list of bool": lambda t: t.kind is Kind.LIST and t.item in (Kind.BOOL, None),
    "list of numbers": lambda t: t.kind is Kind.LIST and (t.item is None or t.item in NUMBERS),
    "list or records": lambda t: t.kind in (Kind.LIST, Kind.RECORDS),
}

_INT_ONLY = frozenset({Kind.INT})
_SPECS = [
    FunctionSpec(
        "date",
        "date(year: int, month: int, day: int) -> date",
        "The date with that year, month and day (an invalid date fails with WZ323).",
        fn_date,
        _fixed([_INT_ONLY] * 3, T_DATE),
    ),
    FunctionSpec(
        "days_between",
        "days_between(a: date|datetime, b: date|datetime) -> int",
        "Calendar days from a to b (b - a, negative when b is earlier), by date part.",
        fn_days_between,
        _fixed([DATE_LIKE, DATE_LIKE], T_INT),
    ),
    FunctionSpec(
        "add_days",
        "add_days(d: date|datetime, n: int) -> date",
        "The date n calendar days after d's date (n may be negative).",
        fn_add_days,
        _fixed([DATE_LIKE, _INT_ONLY], T_DATE),
    ),
    FunctionSpec(
        "months_before",
        "months_before(d: date|datetime, n: int) -> date",
        "The same day n >= 0 calendar months earlier, clamped to the month's end.",
        fn_months_before,
        _fixed([DATE_LIKE, _INT_ONLY], T_DATE),
    ),
    FunctionSpec(
        "year",
        "year(d: date|datetime) -> int",
        "The year of d.",
        fn_year,
        _fixed([DATE_LIKE], T_INT),
    ),
    FunctionSpec(
        "month",
        "month(d: date|datetime) -> int",
        "The month of d, 1 to 12.",
        fn_month,
        _fixed([DATE_LIKE], T_INT),
    ),
    FunctionSpec(
        "working_days_between",
        "working_days_between(a: date|datetime, b: date|datetime) -> int",
        "PRC working days strictly after a up to and including b (0 if b <= a).",
        fn_working_days_between,
        _fixed([DATE_LIKE, DATE_LIKE], T_INT),
    ),
    FunctionSpec(
        "add_working_days",
        "add_working_days(d: date|datetime, n: int) -> date",
        "The n-th PRC working day strictly after d (d itself when n is 0).",
        fn_add_working_days,
        _fixed([DATE_LIKE, _INT_ONLY], T_DATE),
    ),
    FunctionSpec(
        "within_working_days",
        "within_working_days(asked: date|datetime, answered: date|datetime, n: int) -> bool",
        "Answered by the end of the n-th PRC working day after asked.",
        fn_within_working_days,
        _fixed([DATE_LIKE, DATE_LIKE, _INT_ONLY], T_BOOL),
    ),
    FunctionSpec(
        "len",
        "len(xs: list|records) -> int",
        "The number of items of a list or rows of records.",
        fn_len,
        _fixed(["list or records"], T_INT),
    ),
    FunctionSpec(
        "count",
        "count(xs: list of bool) -> int",
        "The number of True items.",
        fn_count,
        _fixed(["list of bool"], T_INT),
    ),
    FunctionSpec(
        "sum",
        "sum(xs: list of numbers) -> int|decimal",
        "The exact sum (0 for an empty list); int for a list of ints, else decimal.",
        fn_sum,
        _rule_sum,
    ),
    FunctionSpec(
        "mean",
        "mean(xs: list of numbers) -> decimal",
        "The exact arithmetic mean (an empty list fails with WZ322).",
        fn_mean,
        _fixed(["list of numbers"], T_DECIMAL),
        needs_elements=True,
    ),
    FunctionSpec(
        "min",
        "min(a: number, b: number, ...) | min(xs: list of numbers) -> int|decimal",
        "The smallest of 2 or more numbers or of one non-empty list.",
        fn_min,
        _rule_min_max,
        needs_elements=True,
    ),
    FunctionSpec(
        "max",
        "max(a: number, b: number, ...) | max(xs: list of numbers) -> int|decimal",
        "The largest of 2 or more numbers or of one non-empty list.",
        fn_max,
        _rule_min_max,
        needs_elements=True,
    ),
    FunctionSpec(
        "abs",
        "abs(x: number) -> number",
        "The absolute value, of the same kind as x.",
        fn_abs,
        _rule_abs,
    ),
    FunctionSpec(
        "all",
        "all(xs: list of bool) -> bool",
        "True when every item is True (also for an empty list).",
        fn_all,
        _fixed(["list of bool"], T_BOOL),
    ),
    FunctionSpec(
        "any",
        "any(xs: list of bool) -> bool",
        "True when at least one item is True.",
        fn_any,
        _fixed(["list of bool"], T_BOOL),
    ),
    FunctionSpec(
        "count_where",
        'count_where(rs: records, "field": bool field) -> int',
        "The number of records whose bool field is True.",
        fn_count_where,
        _records_rule(frozenset({Kind.BOOL}), lambda _: T_INT),
    ),
    FunctionSpec(
        "where",
        'where(rs: records, "field", "op", value) -> records',
        "The records whose field compares with the value by op (<, <=, >, >=, ==, !=),"
        ' e.g. where(columns, "last_updated", "<", add_days(monitoring_date, -14)).',
        fn_where,
        _where_rule,
    ),
    FunctionSpec(
        "sum_of",
        'sum_of(rs: records, "field": number field) -> int|decimal',
        "The exact sum of a numeric field over all records (0 for none).",
        fn_sum_of,
        _records_rule(NUMBERS, TypeInfo),
    ),
    FunctionSpec(
        "mean_of",
        'mean_of(rs: records, "field": number field) -> decimal',
        "The exact mean of a numeric field (no records fails with WZ322).",
        fn_mean_of,
        _records_rule(NUMBERS, lambda _: T_DECIMAL),
        needs_elements=True,
    ),
    FunctionSpec(
        "values",
        'values(rs: records, "field") -> list of the field\'s kind',
        "The field's value of every record, in order.",
        fn_values,
        _records_rule(None, lambda k: TypeInfo(Kind.LIST, item=k)),
    ),
]

#: The whitelist: every function an expression may call, by name.
FUNCTIONS: Mapping[str, FunctionSpec] = MappingProxyType({s.name: s for s in _SPECS})
