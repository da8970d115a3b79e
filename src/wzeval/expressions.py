"""The small, safe expression language of rulebooks.

Rulebooks may come from untrusted pull requests, so an expression is treated as
hostile until proven harmless.  :func:`compile_expression` does all the proving,
once, when the rulebook loads:

1. **Limits before parsing.**  Length and bracket nesting are checked on the raw
   text, so a 100 000-character or 1000-bracket expression never reaches Python's
   parser (which can overflow on such input).  Parser ``RecursionError`` and
   ``MemoryError`` are caught all the same.
2. **Structure** (:func:`_check_structure`): an iterative walk of the tree that
   counts nodes and depth and rejects every syntax outside the whitelist, each
   with its own code (``CODES``).  Literals are bounded and decimal literals are
   turned into exact :class:`~fractions.Fraction` values from their source text.
3. **Types** (:class:`_TypeChecker`): names must be declared, functions must be
   whitelisted and called with the right number and kinds of arguments, operators
   must fit their operands, the result must be what the caller expects.

Evaluation (:meth:`CompiledExpression.evaluate`) then only runs the pre-parsed,
proven tree with simpleeval, the evaluator of record, restricted to the same
whitelist.  The proof (steps 1-3) is kept apart from the evaluator, so a faster
backend can run the same proven tree later.

Design choices worth knowing:

* **No floats.**  Decimals are ``Fraction``; ``0.1 + 0.2 == Fraction(3, 10)``;
  ``/`` is exact, also between ints.  ``//`` floors to an int.
* **No ``**`` and no ``%``** at all (rather than bounding them): scoring needs
  neither, and both are classic resource-exhaustion tools (``4000000**4000000``,
  ``'%0100000000d' % 1``).  There is therefore no ``MAX_POWER_EXPONENT``.
* **No repetition.**  ``*`` and ``+`` take numbers only, so ``'a' * 1000000000``
  and ``[1] * 1000000000`` are type errors (WZ304).
* **Bounded numbers at run time.**  Literals are small, but derived facts can feed
  each other (``d2 = d1 * d1 * ...``, ``d3 = d2 * d2 * ...``), so a rulebook could
  grow a number doubly exponentially.  Every ``+ - * / //`` and every step of
  ``sum``/``mean``/``sum_of``/``mean_of`` checks that its result (an int, or a
  decimal's numerator and denominator) has at most :data:`MAX_NUMBER_BITS` bits,
  else evaluation fails with WZ326.  Operands are then always small, so each
  operation is instant.
* **Nullable values.**  A nullable name may be used anywhere statically.  Where it
  is an operand (arithmetic, comparison, function argument, condition) it must not
  be ``None`` at run time, else evaluation raises WZ321 naming it; guard with
  ``x is not None and ...`` or ``... if x is not None else ...`` (inside the
  guarded branch the name's type is not nullable).  Only where the name is the
  value of the whole expression (or of a branch of a top-level ``a if c else b``)
  and no ``expect`` is given does ``None`` flow through, and the result type says
  "or None".
* **Offsets** in errors are 0-based character indexes into the source as given
  (leading blanks and earlier lines included), never UTF-8 byte columns.
"""

from __future__ import annotations

import ast
import io
import os
import re
import threading
import unicodedata
import warnings
from calendar import monthrange  # the standard library module
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from fractions import Fraction
from types import CodeType, MappingProxyType
from typing import Any, Literal, NoReturn, TypeVar, cast

import simpleeval

from wzeval import calendar as wzcal
from wzeval.errors import ExpressionError, WzevalError
from wzeval.i18n import N_, _, ngettext
from wzeval.issues import did_you_mean

__all__ = [
    "CODES",
    "FUNCTIONS",
    "MAX_AST_NODES",
    "MAX_DECIMAL_LITERAL_DIGITS",
    "MAX_EXPRESSION_LENGTH",
    "MAX_INT_LITERAL_DIGITS",
    "MAX_LIST_LITERAL_ITEMS",
    "MAX_NESTING_DEPTH",
    "MAX_NUMBER_BITS",
    "MAX_STRING_LITERAL_LENGTH",
    "CompiledExpression",
    "FunctionSpec",
    "Kind",
    "TypeInfo",
    "compile_expression",
    "fits",
]

# --------------------------------------------------------------------------- limits

#: Characters in one expression's source; checked before parsing.
MAX_EXPRESSION_LENGTH = 2000
#: Expression nodes in the parsed tree (``a + 1`` has three).
MAX_AST_NODES = 400
#: Depth of the tree, and depth of brackets in the source.  Keeps every recursive
#: walk (ours, simpleeval's) far from Python's recursion limit.
MAX_NESTING_DEPTH = 40
#: Decimal digits of an int literal (below 10**12).
MAX_INT_LITERAL_DIGITS = 12
#: Digits of a decimal literal such as ``0.125`` (both sides of the point).
MAX_DECIMAL_LITERAL_DIGITS = 24
#: Characters of a string literal.
MAX_STRING_LITERAL_LENGTH = 200
#: Items of a list or tuple literal.
MAX_LIST_LITERAL_ITEMS = 100
#: Bits of any number evaluation produces (an int, or a decimal's numerator and
#: denominator): about 2 466 decimal digits, far beyond any score, and small enough
#: that arithmetic on it is instant.  Checked after every operation (WZ326).
MAX_NUMBER_BITS = 8192

# ---------------------------------------------------------------------------- codes


def _names_here(names: Iterable[str]) -> str:
    """The hint of an unknown name with no near miss: the names this expression may read."""
    shown = sorted(n for n in names if n not in ("true", "false", "True", "False"))
    more = _(" … ({n} in all)").format(n=len(shown)) if len(shown) > 12 else ""
    return _("names here: {names}").format(names=", ".join(shown[:12])) + more


CODES: dict[str, str] = {
    "WZ301": N_("the expression is not valid Python expression syntax"),
    "WZ302": N_("unknown name: not declared as a fact or derived value"),
    "WZ303": N_("call of something other than a whitelisted function by plain name"),
    "WZ304": N_("type mismatch: an operand, argument or the result has the wrong type"),
    "WZ305": N_("the expression passes a safety limit (length, nesting, size, literal)"),
    "WZ306": N_("unknown record field in a records helper"),
    "WZ307": N_("wrong number of arguments for a function"),
    "WZ308": N_("keyword arguments are not supported"),
    "WZ309": N_("unsupported syntax (await, yield, bytes, complex, ..., 1e3 notation)"),
    "WZ310": N_("a date lies outside the working-day calendar (CalendarError, at evaluation)"),
    "WZ311": N_("attribute access is not allowed"),
    "WZ312": N_("subscripts and slices are not allowed"),
    "WZ313": N_("lambda is not allowed"),
    "WZ314": N_("comprehensions and generator expressions are not allowed"),
    "WZ315": N_("f-strings are not allowed"),
    "WZ316": N_("operator not allowed (%, **, bitwise operators, @, ~)"),
    "WZ317": N_("assignment expressions (:=) are not allowed"),
    "WZ318": N_("starred unpacking (*x) is not allowed"),
    "WZ319": N_("dict and set literals are not allowed"),
    "WZ320": N_("division by zero (at evaluation)"),
    "WZ321": N_("a nullable value is None where a value is needed (at evaluation)"),
    "WZ322": N_("mean, min or max of an empty list (at evaluation)"),
    "WZ323": N_("an argument is out of range, e.g. an invalid date (at evaluation)"),
    "WZ324": N_("the environment has no value for a name the expression reads"),
    "WZ325": N_("an environment value does not match its declared type"),
    "WZ326": N_("a number grows past MAX_NUMBER_BITS (at evaluation)"),
    "WZ329": N_("evaluation failed unexpectedly (a wzeval bug; please report it)"),
    "WZ330": N_("a compatibility character (NFKC would change it) outside a string literal"),
    "WZ331": N_("a bidirectional control character (Trojan Source) in the expression"),
}

# ---------------------------------------------------------------------------- types


class Kind(StrEnum):
    """The kinds of value an expression can read or produce."""

    BOOL = "bool"
    INT = "int"
    DECIMAL = "decimal"
    DATE = "date"
    DATETIME = "datetime"
    STR = "str"
    LIST = "list"
    RECORDS = "records"
    NONE = "none"


_NUMBERS = frozenset({Kind.INT, Kind.DECIMAL})
_DATE_LIKE = frozenset({Kind.DATE, Kind.DATETIME})
_SCALARS = frozenset({Kind.BOOL, Kind.INT, Kind.DECIMAL, Kind.DATE, Kind.DATETIME, Kind.STR})
_ORDERED = frozenset({Kind.INT, Kind.DECIMAL, Kind.DATE, Kind.DATETIME, Kind.STR})


class _Fields(Mapping[str, Kind]):
    """A read-only, hashable, picklable copy of a records type's fields (in order)."""

    __slots__ = ("_items",)

    def __init__(self, fields: Mapping[str, Kind]) -> None:
        self._items = dict(fields)

    def __getitem__(self, key: str) -> Kind:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(tuple(self._items.items()))

    def __repr__(self) -> str:
        return repr(self._items)

    def __getstate__(self) -> dict[str, Kind]:
        return self._items

    def __setstate__(self, state: dict[str, Kind]) -> None:
        self._items = state


@dataclass(frozen=True)
class TypeInfo:
    """The static type of a name or an expression.

    ``item`` is the element kind of a ``LIST`` (``None``: unknown, as for ``[]``);
    ``fields`` the field kinds of ``RECORDS`` (a list of dicts), stored as a
    read-only, hashable copy so a ``TypeInfo`` can be hashed and pickled.
    """

    kind: Kind
    nullable: bool = False
    item: Kind | None = None
    fields: Mapping[str, Kind] | None = None

    def __post_init__(self) -> None:
        if self.fields is not None and not isinstance(self.fields, _Fields):
            object.__setattr__(self, "fields", _Fields(self.fields))

    def describe(self) -> str:
        """People's words for the type: ``int``, ``date or None``, ``list of decimal``."""
        if self.kind is Kind.NONE:
            return "None"
        if self.kind is Kind.LIST:
            text = f"list of {self.item.value}" if self.item is not None else "list"
        elif self.kind is Kind.RECORDS:
            inner = ", ".join(f"{k}: {v.value}" for k, v in (self.fields or {}).items())
            text = f"records{{{inner}}}"
        else:
            text = self.kind.value
        return f"{text} or None" if self.nullable else text


_T_BOOL = TypeInfo(Kind.BOOL)
_T_INT = TypeInfo(Kind.INT)
_T_DECIMAL = TypeInfo(Kind.DECIMAL)
_T_DATE = TypeInfo(Kind.DATE)
_T_STR = TypeInfo(Kind.STR)
_T_NONE = TypeInfo(Kind.NONE, nullable=True)


def _number_kind(*kinds: Kind | None) -> Kind:
    """INT when every number is an int, else DECIMAL (int mixes into decimal)."""
    return Kind.INT if all(k is Kind.INT for k in kinds) else Kind.DECIMAL


def _unify_kind(a: Kind | None, b: Kind | None) -> Kind | Literal[False] | None:
    """The common element kind of two list items, ``False`` when there is none."""
    if a is None:
        return b
    if b is None or a is b:
        return a
    if a in _NUMBERS and b in _NUMBERS:
        return Kind.DECIMAL
    return False


def _unify(a: TypeInfo, b: TypeInfo) -> TypeInfo | None:
    """The type of a value that is either ``a`` or ``b`` (``None`` if incompatible)."""
    if a.kind is Kind.NONE:
        return replace(b, nullable=True)
    if b.kind is Kind.NONE:
        return replace(a, nullable=True)
    nullable = a.nullable or b.nullable
    if a.kind in _NUMBERS and b.kind in _NUMBERS:
        return TypeInfo(_number_kind(a.kind, b.kind), nullable)
    if a.kind is not b.kind:
        return None
    if a.kind is Kind.LIST:
        item = _unify_kind(a.item, b.item)
        return None if item is False else TypeInfo(Kind.LIST, nullable, item=item)
    if a.kind is Kind.RECORDS and dict(a.fields or {}) != dict(b.fields or {}):
        return None
    return replace(a, nullable=nullable)


# ------------------------------------------------------------------ source offsets


class _SourceMap:
    """Turns Python's (line, UTF-8 byte column) positions into offsets in ``source``.

    Offsets are 0-based character indexes into the source as given (leading
    whitespace included), so a caller can put a caret under the offending node
    even when the expression holds Chinese text or spans lines.
    """

    def __init__(self, source: str, lead: int) -> None:
        self.lead = lead
        self.text = source[lead:]  # what ast.parse saw
        # Python's own line breaks only (str.splitlines also breaks at U+2028 &c.).
        self.lines = io.StringIO(self.text, newline="").readlines() or [""]
        starts = [lead]
        for line in self.lines:
            starts.append(starts[-1] + len(line))
        self.starts = starts

    def at(self, lineno: int, byte_col: int) -> int:
        i = min(max(lineno, 1), len(self.lines)) - 1
        line = self.lines[i].encode("utf-8")[:byte_col].decode("utf-8", errors="ignore")
        return self.starts[i] + len(line)

    def at_char(self, lineno: int, char_col: int) -> int:
        i = min(max(lineno, 1), len(self.lines)) - 1
        return min(self.starts[i] + char_col, self.starts[-1])

    def of(self, node: ast.AST) -> int:
        return self.at(getattr(node, "lineno", 1), getattr(node, "col_offset", 0))


def _fail(
    code: str, message: str, where: _SourceMap, node: ast.AST, hint: str | None = None
) -> NoReturn:
    raise ExpressionError(code, message, offset=where.of(node), hint=hint)


# ------------------------------------------------------------------------ functions


class _RuntimeFailure(Exception):
    """Raised by a whitelisted function; the evaluator adds the call's offset."""

    def __init__(self, code: str, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.hint = code, message, hint


def _non_negative(fn: str, n: int) -> None:
    if n < 0:
        raise _RuntimeFailure("WZ323", _("{fn}() needs a count >= 0 (got {n})").format(fn=fn, n=n))


def _fn_date(y: int, m: int, d: int) -> date:
    try:
        return date(y, m, d)
    except (ValueError, OverflowError) as exc:
        raise _RuntimeFailure(
            "WZ323",
            _("date({y}, {m}, {d}) is not a valid date: {exc}").format(y=y, m=m, d=d, exc=exc),
        ) from None


def _fn_days_between(a: date, b: date) -> int:
    return (wzcal.date_of(b) - wzcal.date_of(a)).days


def _fn_add_days(d: date, n: int) -> date:
    try:
        return wzcal.date_of(d) + timedelta(days=n)
    except OverflowError:
        raise _RuntimeFailure(
            "WZ323", _("add_days({d}, {n}) leaves the range of dates").format(d=d, n=n)
        ) from None


def _fn_months_before(d: date, n: int) -> date:
    _non_negative("months_before", n)
    d = wzcal.date_of(d)
    y, m0 = divmod(d.year * 12 + d.month - 1 - n, 12)
    if y < date.min.year:
        raise _RuntimeFailure(
            "WZ323", _("months_before({d}, {n}) leaves the range of dates").format(d=d, n=n)
        )
    return date(y, m0 + 1, min(d.day, monthrange(y, m0 + 1)[1]))


def _fn_year(d: date) -> int:
    return d.year


def _fn_month(d: date) -> int:
    return d.month


def _fn_working_days_between(a: date, b: date) -> int:
    return wzcal.working_days_between(a, b)


def _fn_add_working_days(d: date, n: int) -> date:
    _non_negative("add_working_days", n)
    return wzcal.add_working_days(d, n)


def _fn_within_working_days(asked: date, answered: date, n: int) -> bool:
    _non_negative("within_working_days", n)
    return wzcal.within_working_days(asked, answered, n)


def _fn_len(xs: Sequence[object]) -> int:
    return len(xs)


def _fn_count(xs: Sequence[bool]) -> int:
    return sum(1 for x in xs if x)


_Number = TypeVar("_Number", int, Fraction, int | Fraction)


def _bounded(value: _Number) -> _Number:
    """``value`` if it fits in MAX_NUMBER_BITS, else a WZ326 failure."""
    if max(value.numerator.bit_length(), value.denominator.bit_length()) > MAX_NUMBER_BITS:
        raise _RuntimeFailure(
            "WZ326",
            _("a number grows past {max_number_bits} bits (about {value} digits)").format(
                max_number_bits=MAX_NUMBER_BITS, value=MAX_NUMBER_BITS * 30103 // 100000
            ),
            hint=_("scores need small numbers; check the arithmetic of the derived facts"),
        )
    return value


def _exact_sum(xs: Iterable[int | Fraction]) -> int | Fraction:
    """``sum(xs, 0)``, with every partial sum bounded."""
    total: int | Fraction = 0
    for x in xs:
        total = _bounded(total + x)
    return total


def _add(a: int | Fraction, b: int | Fraction) -> int | Fraction:
    return _bounded(a + b)


def _sub(a: int | Fraction, b: int | Fraction) -> int | Fraction:
    return _bounded(a - b)


def _mul(a: int | Fraction, b: int | Fraction) -> int | Fraction:
    return _bounded(a * b)


def _fn_sum(xs: Sequence[int | Fraction]) -> int | Fraction:
    return _exact_sum(xs)


def _nonempty(fn: str, xs: Sequence[object]) -> None:
    if not xs:
        raise _RuntimeFailure(
            "WZ322",
            _("{fn}() of an empty list").format(fn=fn),
            hint=_("guard with len(...) > 0 before"),
        )


def _fn_mean(xs: Sequence[int | Fraction]) -> Fraction:
    _nonempty("mean", xs)
    return _bounded(Fraction(_exact_sum(xs)) / len(xs))


def _spread(fn: str, args: tuple[object, ...]) -> Sequence[int | Fraction]:
    xs = cast(Sequence[int | Fraction], args[0] if len(args) == 1 else args)
    _nonempty(fn, xs)
    return xs


def _fn_min(*args: object) -> int | Fraction:
    return min(_spread("min", args))


def _fn_max(*args: object) -> int | Fraction:
    return max(_spread("max", args))


def _fn_abs(x: int | Fraction) -> int | Fraction:
    return -x if x < 0 else x


def _fn_all(xs: Sequence[bool]) -> bool:
    return all(xs)


def _fn_any(xs: Sequence[bool]) -> bool:
    return any(xs)


def _fn_count_where(rs: Sequence[Mapping[str, object]], name: str) -> int:
    return sum(1 for r in rs if r[name])


#: The comparisons ``where()`` takes, by their operator text.
_WHERE_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "<": lambda a, b: bool(a < b),
    "<=": lambda a, b: bool(a <= b),
    ">": lambda a, b: bool(a > b),
    ">=": lambda a, b: bool(a >= b),
    "==": lambda a, b: bool(a == b),
    "!=": lambda a, b: bool(a != b),
}


def _fn_where(
    rs: Sequence[Mapping[str, object]], name: str, op: str, value: object
) -> list[Mapping[str, object]]:
    test = _WHERE_OPS[op]
    return [r for r in rs if test(r[name], value)]


def _where_rule(c: _TypeChecker, call: ast.Call, spec: FunctionSpec) -> TypeInfo:
    """``where(records, "field", "op", value)``: the records whose field compares so with
    the value — a field name and an operator in quotes, a value of the field's kind."""
    c.arity(call, spec, 4)
    records = c.check(call.args[0], strict=True)
    if records.kind is not Kind.RECORDS:
        c.wrong_arg(call, spec, 0, call.args[0], "records", records)
    name_node, op_node, value_node = call.args[1], call.args[2], call.args[3]
    fields = records.fields or {}
    if not (isinstance(name_node, ast.Constant) and isinstance(name_node.value, str)):
        _fail(
            "WZ304",
            _("the 2nd argument of where() must be a field name in quotes"),
            c.where,
            name_node,
            hint=spec.signature,
        )
    if name_node.value not in fields:
        _fail(
            "WZ306",
            _("unknown field {name_node_value!r}; {values} has {value}").format(
                name_node_value=name_node.value,
                values=records.describe(),
                value=", ".join(map(repr, fields)) or "no fields",
            ),
            c.where,
            name_node,
            hint=did_you_mean(name_node.value, fields),
        )
    if not (isinstance(op_node, ast.Constant) and op_node.value in _WHERE_OPS):
        _fail(
            "WZ304",
            _("the 3rd argument of where() is a comparison in quotes: ")
            + ", ".join(f'"{o}"' for o in _WHERE_OPS),
            c.where,
            op_node,
            hint=spec.signature,
        )
    kind = fields[name_node.value]
    value = c.check(value_node, strict=True)
    same = value.kind is kind or (kind in _NUMBERS and value.kind in _NUMBERS)
    ordered = kind is not Kind.BOOL or op_node.value in ("==", "!=")
    if not same or not ordered:
        _fail(
            "WZ304",
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


def _fn_values(rs: Sequence[Mapping[str, object]], name: str) -> list[object]:
    return [r[name] for r in rs]


def _fn_sum_of(rs: Sequence[Mapping[str, int | Fraction]], name: str) -> int | Fraction:
    return _exact_sum(r[name] for r in rs)


def _fn_mean_of(rs: Sequence[Mapping[str, int | Fraction]], name: str) -> Fraction:
    _nonempty("mean_of", rs)
    return _bounded(Fraction(_exact_sum(r[name] for r in rs)) / len(rs))


# A type rule receives the checker, the call and the function's spec, checks the
# arguments and returns the call's result type.
_TypeRule = Callable[["_TypeChecker", ast.Call, "FunctionSpec"], TypeInfo]


@dataclass(frozen=True)
class FunctionSpec:
    """One whitelisted function: its signature and one-line doc for people, its
    type rule for the checker and its implementation for the evaluator."""

    name: str
    signature: str
    doc: str
    impl: Callable[..., object] = field(repr=False)
    rule: _TypeRule = field(repr=False)


def _fixed(params: Sequence[frozenset[Kind] | str], result: TypeInfo) -> _TypeRule:
    """A rule for a fixed signature: scalar kind sets, or ``"list of bool"`` and
    friends for list parameters."""

    def rule(c: _TypeChecker, call: ast.Call, spec: FunctionSpec) -> TypeInfo:
        c.arity(call, spec, len(params))
        for i, (param, arg) in enumerate(zip(params, call.args, strict=True)):
            if isinstance(param, str):
                c.list_arg(call, spec, i, arg, param)
            else:
                c.scalar_arg(call, spec, i, arg, param)
        return result

    return rule


def _rule_sum(c: _TypeChecker, call: ast.Call, spec: FunctionSpec) -> TypeInfo:
    c.arity(call, spec, 1)
    t = c.list_arg(call, spec, 0, call.args[0], "list of numbers")
    return TypeInfo(_number_kind(t.item or Kind.INT))


def _rule_min_max(c: _TypeChecker, call: ast.Call, spec: FunctionSpec) -> TypeInfo:
    if len(call.args) == 1:
        t = c.list_arg(call, spec, 0, call.args[0], "list of numbers")
        return TypeInfo(_number_kind(t.item or Kind.INT))
    if not call.args:
        _fail(
            "WZ307",
            _("{spec_name}() takes 2 or more numbers or one list of numbers, got none").format(
                spec_name=spec.name
            ),
            c.where,
            call,
            hint=spec.signature,
        )
    kinds = [c.scalar_arg(call, spec, i, a, _NUMBERS).kind for i, a in enumerate(call.args)]
    return TypeInfo(_number_kind(*kinds))


def _rule_abs(c: _TypeChecker, call: ast.Call, spec: FunctionSpec) -> TypeInfo:
    c.arity(call, spec, 1)
    return c.scalar_arg(call, spec, 0, call.args[0], _NUMBERS)


def _records_rule(want: frozenset[Kind] | None, result: Callable[[Kind], TypeInfo]) -> _TypeRule:
    """Rule of a records helper ``f(records, "field")``: the field is a string
    literal naming a field of kind in ``want`` (any scalar when ``None``)."""

    def rule(c: _TypeChecker, call: ast.Call, spec: FunctionSpec) -> TypeInfo:
        c.arity(call, spec, 2)
        records = c.check(call.args[0], strict=True)
        if records.kind is not Kind.RECORDS:
            c.wrong_arg(call, spec, 0, call.args[0], "records", records)
        name_node = call.args[1]
        if not (isinstance(name_node, ast.Constant) and isinstance(name_node.value, str)):
            _fail(
                "WZ304",
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
            _fail(
                "WZ306",
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
            _fail(
                "WZ304",
                _("{spec_name}() needs a {wanted} field, but {name!r} is {kind_value}").format(
                    spec_name=spec.name, wanted=wanted, name=name, kind_value=kind.value
                ),
                c.where,
                name_node,
                hint=spec.signature,
            )
        return result(kind)

    return rule


_LIST_PARAMS: dict[str, Callable[[TypeInfo], bool]] = {
    "list of bool": lambda t: t.kind is Kind.LIST and t.item in (Kind.BOOL, None),
    "list of numbers": lambda t: t.kind is Kind.LIST and (t.item is None or t.item in _NUMBERS),
    "list or records": lambda t: t.kind in (Kind.LIST, Kind.RECORDS),
}

_INT_ONLY = frozenset({Kind.INT})
_SPECS = [
    FunctionSpec(
        "date",
        "date(year: int, month: int, day: int) -> date",
        "The date with that year, month and day (an invalid date fails with WZ323).",
        _fn_date,
        _fixed([_INT_ONLY] * 3, _T_DATE),
    ),
    FunctionSpec(
        "days_between",
        "days_between(a: date|datetime, b: date|datetime) -> int",
        "Calendar days from a to b (b - a, negative when b is earlier), by date part.",
        _fn_days_between,
        _fixed([_DATE_LIKE, _DATE_LIKE], _T_INT),
    ),
    FunctionSpec(
        "add_days",
        "add_days(d: date|datetime, n: int) -> date",
        "The date n calendar days after d's date (n may be negative).",
        _fn_add_days,
        _fixed([_DATE_LIKE, _INT_ONLY], _T_DATE),
    ),
    FunctionSpec(
        "months_before",
        "months_before(d: date|datetime, n: int) -> date",
        "The same day n >= 0 calendar months earlier, clamped to the month's end.",
        _fn_months_before,
        _fixed([_DATE_LIKE, _INT_ONLY], _T_DATE),
    ),
    FunctionSpec(
        "year",
        "year(d: date|datetime) -> int",
        "The year of d.",
        _fn_year,
        _fixed([_DATE_LIKE], _T_INT),
    ),
    FunctionSpec(
        "month",
        "month(d: date|datetime) -> int",
        "The month of d, 1 to 12.",
        _fn_month,
        _fixed([_DATE_LIKE], _T_INT),
    ),
    FunctionSpec(
        "working_days_between",
        "working_days_between(a: date|datetime, b: date|datetime) -> int",
        "PRC working days strictly after a up to and including b (0 if b <= a).",
        _fn_working_days_between,
        _fixed([_DATE_LIKE, _DATE_LIKE], _T_INT),
    ),
    FunctionSpec(
        "add_working_days",
        "add_working_days(d: date|datetime, n: int) -> date",
        "The n-th PRC working day strictly after d (d itself when n is 0).",
        _fn_add_working_days,
        _fixed([_DATE_LIKE, _INT_ONLY], _T_DATE),
    ),
    FunctionSpec(
        "within_working_days",
        "within_working_days(asked: date|datetime, answered: date|datetime, n: int) -> bool",
        "Answered by the end of the n-th PRC working day after asked.",
        _fn_within_working_days,
        _fixed([_DATE_LIKE, _DATE_LIKE, _INT_ONLY], _T_BOOL),
    ),
    FunctionSpec(
        "len",
        "len(xs: list|records) -> int",
        "The number of items of a list or rows of records.",
        _fn_len,
        _fixed(["list or records"], _T_INT),
    ),
    FunctionSpec(
        "count",
        "count(xs: list of bool) -> int",
        "The number of True items.",
        _fn_count,
        _fixed(["list of bool"], _T_INT),
    ),
    FunctionSpec(
        "sum",
        "sum(xs: list of numbers) -> int|decimal",
        "The exact sum (0 for an empty list); int for a list of ints, else decimal.",
        _fn_sum,
        _rule_sum,
    ),
    FunctionSpec(
        "mean",
        "mean(xs: list of numbers) -> decimal",
        "The exact arithmetic mean (an empty list fails with WZ322).",
        _fn_mean,
        _fixed(["list of numbers"], _T_DECIMAL),
    ),
    FunctionSpec(
        "min",
        "min(a: number, b: number, ...) | min(xs: list of numbers) -> int|decimal",
        "The smallest of 2 or more numbers or of one non-empty list.",
        _fn_min,
        _rule_min_max,
    ),
    FunctionSpec(
        "max",
        "max(a: number, b: number, ...) | max(xs: list of numbers) -> int|decimal",
        "The largest of 2 or more numbers or of one non-empty list.",
        _fn_max,
        _rule_min_max,
    ),
    FunctionSpec(
        "abs",
        "abs(x: number) -> number",
        "The absolute value, of the same kind as x.",
        _fn_abs,
        _rule_abs,
    ),
    FunctionSpec(
        "all",
        "all(xs: list of bool) -> bool",
        "True when every item is True (also for an empty list).",
        _fn_all,
        _fixed(["list of bool"], _T_BOOL),
    ),
    FunctionSpec(
        "any",
        "any(xs: list of bool) -> bool",
        "True when at least one item is True.",
        _fn_any,
        _fixed(["list of bool"], _T_BOOL),
    ),
    FunctionSpec(
        "count_where",
        'count_where(rs: records, "field": bool field) -> int',
        "The number of records whose bool field is True.",
        _fn_count_where,
        _records_rule(frozenset({Kind.BOOL}), lambda _: _T_INT),
    ),
    FunctionSpec(
        "where",
        'where(rs: records, "field", "op", value) -> records',
        "The records whose field compares with the value by op (<, <=, >, >=, ==, !=),"
        ' e.g. where(columns, "last_updated", "<", add_days(monitoring_date, -14)).',
        _fn_where,
        _where_rule,
    ),
    FunctionSpec(
        "sum_of",
        'sum_of(rs: records, "field": number field) -> int|decimal',
        "The exact sum of a numeric field over all records (0 for none).",
        _fn_sum_of,
        _records_rule(_NUMBERS, TypeInfo),
    ),
    FunctionSpec(
        "mean_of",
        'mean_of(rs: records, "field": number field) -> decimal',
        "The exact mean of a numeric field (no records fails with WZ322).",
        _fn_mean_of,
        _records_rule(_NUMBERS, lambda _: _T_DECIMAL),
    ),
    FunctionSpec(
        "values",
        'values(rs: records, "field") -> list of the field\'s kind',
        "The field's value of every record, in order.",
        _fn_values,
        _records_rule(None, lambda k: TypeInfo(Kind.LIST, item=k)),
    ),
]

#: The whitelist: every function an expression may call, by name.
FUNCTIONS: Mapping[str, FunctionSpec] = MappingProxyType({s.name: s for s in _SPECS})

# ------------------------------------------------------------ step 1: raw-text limits


def _bracket_depth_offset(source: str) -> int | None:
    """Offset of the first bracket nested deeper than MAX_NESTING_DEPTH, if any.

    Runs on raw text, before the parser sees it: Python's tokenizer and parser have
    their own, much larger, limits and fail with RecursionError or MemoryError on
    deep input.  String literals (single and triple quoted, escapes honoured) and
    comments are skipped; anything this scan gets wrong is still bounded by the
    length limit, the tokenizer's own bracket limit and the depth check after
    parsing.
    """
    depth = 0
    i, end = 0, len(source)
    while i < end:
        ch = source[i]
        if ch == "#":
            newline = source.find("\n", i)
            i = end if newline < 0 else newline
        elif ch in "'\"":
            quote = ch * 3 if source.startswith(ch * 3, i) else ch
            i += len(quote)
            while i < end and not source.startswith(quote, i):
                i += 2 if source[i] == "\\" else 1
            i += len(quote) - 1
        elif ch in "([{":
            depth += 1
            if depth > MAX_NESTING_DEPTH:
                return i
        elif ch in ")]}":
            depth -= 1
        i += 1
    return None


#: Bidirectional controls: embeddings, overrides, isolates and marks.  Inside a
#: string literal they can make a rulebook read differently from how it runs.
BIDI_CONTROLS = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u200e", "\u200f", "\u061c"]
)


def char_name(ch: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``: the code point and its Unicode name."""
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')}"


def bidi_control_offset(text: str) -> int | None:
    """The index of the first bidirectional control in ``text``, or None."""
    if text.isascii():
        return None
    for i, ch in enumerate(text):
        if ch in BIDI_CONTROLS:
            return i
    return None


def _compatibility_offset(text: str) -> int | None:
    """The first character outside string literals and comments that NFKC changes.

    Python folds identifiers with NFKC, so ``𝐱`` and ``ｔｒｕｅ`` would read as
    ``x`` and ``true``; such text is refused instead.  A small scanner skips
    string literals (single, triple, escaped quotes) and comments, where
    full-width Chinese punctuation is ordinary text.
    """
    if text.isascii():
        return None
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in "'\"":
            quote = ch * 3 if text.startswith(ch * 3, i) else ch
            i += len(quote)
            while i < n and not text.startswith(quote, i):
                if text[i] == "\\":
                    i += 1
                elif len(quote) == 1 and text[i] == "\n":
                    break  # unterminated: Python's parser will say so
                i += 1
            i += len(quote)
            continue
        if ch == "#":
            while i < n and text[i] not in "\r\n":
                i += 1
            continue
        if not ch.isascii() and unicodedata.normalize("NFKC", ch) != ch:
            return i
        i += 1
    return None


def _parse(source: str) -> tuple[ast.Expression, _SourceMap]:
    """Limits on the raw text, then ``ast.parse`` once, with every failure a WZ code."""
    if len(source) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError(
            "WZ305",
            _(
                "the expression is {n_source} characters long, more than "
                "the limit of {max_expression_length}"
            ).format(n_source=len(source), max_expression_length=MAX_EXPRESSION_LENGTH),
            offset=MAX_EXPRESSION_LENGTH,
            hint=_("split it into derived facts"),
        )
    text = source.lstrip()
    lead = len(source) - len(text)
    where = _SourceMap(source, lead)
    if not text:
        raise ExpressionError("WZ301", _("the expression is empty"), offset=lead)
    bidi = bidi_control_offset(text)
    if bidi is not None:
        raise ExpressionError(
            "WZ331",
            _(
                "the bidirectional control {text} may make the "
                "expression read differently from how it runs"
            ).format(text=char_name(text[bidi])),
            offset=lead + bidi,
            hint=_("remove it; expressions and their string literals cannot hold bidi controls"),
        )
    compat = _compatibility_offset(text)
    if compat is not None:
        ch = text[compat]
        folded = unicodedata.normalize("NFKC", ch)
        raise ExpressionError(
            "WZ330",
            _("{ch} would be read as {folded!r}").format(ch=char_name(ch), folded=folded),
            offset=lead + compat,
            hint=_(
                "write {folded!r} instead (compatibility characters are "
                "allowed only inside string literals)"
            ).format(folded=folded),
        )
    deep = _bracket_depth_offset(text)
    if deep is not None:
        raise ExpressionError(
            "WZ305",
            _("brackets are nested more than {max_nesting_depth} deep").format(
                max_nesting_depth=MAX_NESTING_DEPTH
            ),
            offset=lead + deep,
            hint=_("split it into derived facts"),
        )
    try:
        with warnings.catch_warnings():
            # Python warns about odd but harmless literals (1if x else 2, "\d");
            # under pytest's "error" filter a warning would escape as an exception.
            warnings.simplefilter("ignore")
            tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        line = exc.lineno or 1
        col = max((exc.offset or 1) - 1, 0)
        raise ExpressionError(
            "WZ301",
            _("invalid syntax: {msg}").format(msg=exc.msg),
            offset=where.at_char(line, col),
            hint=_("expressions are one Python-like expression, e.g. a >= 3 and b"),
        ) from None
    except (RecursionError, MemoryError):
        raise ExpressionError(
            "WZ305",
            _("the expression is too complex to parse"),
            offset=lead,
            hint=_("split it into derived facts"),
        ) from None
    except ValueError as exc:  # e.g. null bytes on some Python versions
        raise ExpressionError(
            "WZ301", _("invalid source: {exc}").format(exc=exc), offset=lead
        ) from None
    return tree, where


# ------------------------------------------------------- step 2: structure whitelist

# Nodes that are never allowed: code, what, hint.
_FORBIDDEN: dict[type[ast.AST], tuple[str, str, str]] = {
    ast.Attribute: (
        "WZ311",
        N_("attribute access"),
        N_("use the whitelisted functions, e.g. year(d) instead of d.year"),
    ),
    ast.Subscript: (
        "WZ312",
        N_("subscripts"),
        N_('use len(), min(), max() or values(records, "field") instead of indexing'),
    ),
    ast.Slice: ("WZ312", N_("slices"), N_("slicing is not supported")),
    ast.Lambda: ("WZ313", N_("lambda"), N_("expressions cannot define functions")),
    ast.ListComp: (
        "WZ314",
        N_("list comprehensions"),
        N_("use count_where, sum_of, mean_of or values on records"),
    ),
    ast.SetComp: ("WZ314", N_("set comprehensions"), N_("use the records helpers")),
    ast.DictComp: ("WZ314", N_("dict comprehensions"), N_("use the records helpers")),
    ast.GeneratorExp: ("WZ314", N_("generator expressions"), N_("use the records helpers")),
    ast.JoinedStr: ("WZ315", N_("f-strings"), N_("expressions compute values, not text")),
    ast.FormattedValue: ("WZ315", N_("f-strings"), N_("expressions compute values, not text")),
    ast.NamedExpr: ("WZ317", N_("assignment (:=)"), N_("declare a derived fact instead")),
    ast.Starred: ("WZ318", N_("starred unpacking"), N_("pass a list instead of *x")),
    ast.Dict: ("WZ319", N_("dict literals"), N_("use a list literal [a, b]")),
    ast.Set: ("WZ319", N_("set literals"), N_("use a list literal [a, b]")),
    ast.Await: ("WZ309", N_("await"), N_("expressions are plain values")),
    ast.Yield: ("WZ309", N_("yield"), N_("expressions are plain values")),
    ast.YieldFrom: ("WZ309", N_("yield from"), N_("expressions are plain values")),
}

_ARITHMETIC: dict[type[ast.operator], str] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
}

_OPERATOR_HINTS: dict[type[ast.AST], tuple[str, str]] = {
    ast.Mod: ("%", N_("'%' is not available (it also formats strings); use a - b * (a // b)")),
    ast.Pow: ("**", N_("'**' is not available; multiply, e.g. x * x")),
    ast.MatMult: ("@", N_("'@' is not available")),
    ast.LShift: ("<<", N_("bit operators are not available")),
    ast.RShift: (">>", N_("bit operators are not available")),
    ast.BitOr: ("|", N_("use 'or' to combine conditions")),
    ast.BitAnd: ("&", N_("use 'and' to combine conditions")),
    ast.BitXor: ("^", N_("use '!=' between two conditions")),
    ast.Invert: ("~", N_("use 'not' to negate a condition")),
}

_ALLOWED_NODES = (
    ast.Constant,
    ast.Name,
    ast.List,
    ast.Tuple,
    ast.UnaryOp,
    ast.BinOp,
    ast.BoolOp,
    ast.Compare,
    ast.IfExp,
    ast.Call,
)


def _decimal_literal(node: ast.Constant, text: str, where: _SourceMap) -> Fraction:
    """The exact value of a decimal literal, read from its source text, never a float."""
    literal = (ast.get_source_segment(text, node) or "").replace("_", "")
    if "e" in literal.lower():
        _fail(
            "WZ309",
            _("scientific notation {literal!r} is not supported").format(literal=literal),
            where,
            node,
            hint=_("write the decimal out, e.g. 0.001"),
        )
    if sum(ch.isdigit() for ch in literal) > MAX_DECIMAL_LITERAL_DIGITS:
        _fail(
            "WZ305",
            _("the decimal literal has more than {max_decimal_literal_digits} digits").format(
                max_decimal_literal_digits=MAX_DECIMAL_LITERAL_DIGITS
            ),
            where,
            node,
        )
    return Fraction(literal)


def _check_constant(node: ast.Constant, text: str, where: _SourceMap) -> None:
    value = node.value
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, int):
        if abs(value) >= 10**MAX_INT_LITERAL_DIGITS:
            _fail(
                "WZ305",
                _("the int literal has more than {max_int_literal_digits} digits").format(
                    max_int_literal_digits=MAX_INT_LITERAL_DIGITS
                ),
                where,
                node,
            )
    elif isinstance(value, float):
        # The tree is ours and never compiled by Python, so a Constant may hold an
        # exact Fraction; the evaluator then returns it as is.
        node.value = _decimal_literal(node, text, where)  # type: ignore[assignment]
    elif isinstance(value, str):
        if len(value) > MAX_STRING_LITERAL_LENGTH:
            _fail(
                "WZ305",
                _(
                    "the string literal has {n_value} characters, more than "
                    "{max_string_literal_length}"
                ).format(n_value=len(value), max_string_literal_length=MAX_STRING_LITERAL_LENGTH),
                where,
                node,
            )
    else:
        what = {bytes: "bytes literals", complex: "complex numbers"}.get(
            type(value), f"{type(value).__name__} literals"
        )
        _fail("WZ309", _("{what} are not supported").format(what=what), where, node)


def _check_structure(tree: ast.Expression, text: str, where: _SourceMap) -> None:
    """Reject everything outside the whitelist, in source order, iteratively.

    Iterative on purpose: the tree may be deep (``1+1+...`` 600 times) and must be
    measured before anything recursive walks it.  Decimal literals are replaced by
    their exact ``Fraction`` here, so evaluation never sees a float.
    """
    stack: list[tuple[ast.expr, int]] = [(tree.body, 1)]
    count = 0
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_AST_NODES:
            _fail(
                "WZ305",
                _("the expression has more than {max_ast_nodes} parts").format(
                    max_ast_nodes=MAX_AST_NODES
                ),
                where,
                node,
                hint=_("split it into derived facts"),
            )
        if depth > MAX_NESTING_DEPTH:
            _fail(
                "WZ305",
                _("the expression is nested more than {max_nesting_depth} levels deep").format(
                    max_nesting_depth=MAX_NESTING_DEPTH
                ),
                where,
                node,
                hint=_("split it into derived facts, or sum a list: sum([a, b, c])"),
            )
        kind = type(node)
        if kind in _FORBIDDEN:
            code, what, hint = _FORBIDDEN[kind]
            _fail(
                code,
                _("{what} not allowed in expressions").format(what=_(what)),
                where,
                node,
                hint=_(hint),
            )
        if not isinstance(node, _ALLOWED_NODES):
            _fail("WZ309", _("{name} is not supported").format(name=kind.__name__), where, node)
        if isinstance(node, ast.Constant):
            _check_constant(node, text, where)
        elif isinstance(node, ast.BinOp | ast.UnaryOp) and type(node.op) in _OPERATOR_HINTS:
            symbol, hint = _OPERATOR_HINTS[type(node.op)]
            _fail(
                "WZ316",
                _("the operator {symbol!r} is not allowed").format(symbol=symbol),
                where,
                node,
                hint=_(hint),
            )
        elif isinstance(node, ast.List | ast.Tuple) and len(node.elts) > MAX_LIST_LITERAL_ITEMS:
            _fail(
                "WZ305",
                _("the list literal has {n_elts} items, more than {max_list_literal_items}").format(
                    n_elts=len(node.elts), max_list_literal_items=MAX_LIST_LITERAL_ITEMS
                ),
                where,
                node,
            )
        elif isinstance(node, ast.Call):
            _check_call_shape(node, where)
        children = [c for c in ast.iter_child_nodes(node) if isinstance(c, ast.expr)]
        stack.extend((c, depth + 1) for c in reversed(children))


def _check_call_shape(node: ast.Call, where: _SourceMap) -> None:
    func = node.func
    if isinstance(func, ast.Attribute):
        _fail(
            "WZ303",
            _("method calls are not allowed (.{attr}(...))").format(attr=func.attr),
            where,
            node,
            hint=_("only whitelisted functions can be called, by plain name: ")
            + ", ".join(FUNCTIONS),
        )
    if not isinstance(func, ast.Name):
        _fail(
            "WZ303",
            _("only whitelisted functions can be called, by plain name"),
            where,
            node,
            hint=", ".join(FUNCTIONS),
        )
    if func.id not in FUNCTIONS:
        _fail(
            "WZ303",
            _("unknown function {func_id!r}").format(func_id=func.id),
            where,
            func,
            hint=did_you_mean(func.id, FUNCTIONS) or _("allowed: ") + ", ".join(FUNCTIONS),
        )
    if node.keywords:
        kw = node.keywords[0]
        _fail(
            "WZ308",
            _("{func_id}() takes no keyword arguments").format(func_id=func.id),
            where,
            kw,
            hint=FUNCTIONS[func.id].signature,
        )


# ------------------------------------------------------------ step 3: type checking

_COMPARE_SYMBOLS: dict[type[ast.cmpop], str] = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.Is: "is",
    ast.IsNot: "is not",
}


def _incomparable(op: ast.cmpop, left: TypeInfo, right: TypeInfo) -> str | None:
    """Why ``left op right`` is ill-typed (a hint), or ``None`` when it is fine."""
    if isinstance(op, ast.In | ast.NotIn):
        if (
            left.kind in _SCALARS
            and right.kind is Kind.LIST
            and _unify_kind(left.kind, right.item) is not False
        ):
            return None
        return "'in' tests membership in a list of the same kind, e.g. x in [1, 2]"
    if left.kind in _NUMBERS and right.kind in _NUMBERS:
        return None
    equality = isinstance(op, ast.Eq | ast.NotEq)
    if left.kind is right.kind and (left.kind in _ORDERED or (equality and left.kind is Kind.BOOL)):
        return None
    if left.kind is Kind.BOOL and right.kind is Kind.BOOL:
        return "true and false are not ordered; use == or !="
    return "compare numbers with numbers, dates with dates, text with text"


def _position(node: ast.Name) -> tuple[int, int]:
    """Where a name is: no two names of one expression share it."""
    return node.lineno, node.col_offset


def _none_test(test: ast.expr) -> tuple[str, bool] | None:
    """``(name, True)`` for ``name is not None``, ``(name, False)`` for ``name is None``."""
    if (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.Is | ast.IsNot)
    ):
        return test.left.id, isinstance(test.ops[0], ast.IsNot)
    return None


class _TypeChecker:
    """Infers the type of every node of a structurally checked tree.

    ``strict`` collects the position (line, column) of every nullable name used
    as an operand: the evaluator raises WZ321 when such a name is ``None``.
    Positions, unlike ``id()``, survive pickling and copying of the tree.
    Recursion is safe: the structure step bounded the depth.
    """

    def __init__(self, names: Mapping[str, TypeInfo], where: _SourceMap) -> None:
        self.names = names
        self.where = where
        self.reads: set[str] = set()
        self.strict: set[tuple[int, int]] = set()
        # Names proven not None where the walk is (inside the guarded branch of
        # ``... if x is not None else ...``).
        self.narrowed: frozenset[str] = frozenset()

    # -- helpers used by the function rules

    def arity(self, call: ast.Call, spec: FunctionSpec, n: int) -> None:
        if len(call.args) != n:
            _fail(
                "WZ307",
                ngettext(
                    "{function}() takes {n} argument, got {given}",
                    "{function}() takes {n} arguments, got {given}",
                    n,
                ).format(function=spec.name, n=n, given=len(call.args)),
                self.where,
                call,
                hint=spec.signature,
            )

    def wrong_arg(
        self, call: ast.Call, spec: FunctionSpec, i: int, arg: ast.expr, want: str, got: TypeInfo
    ) -> NoReturn:
        _fail(
            "WZ304",
            _("argument {value} of {spec_name}() must be {want}, got {values}").format(
                value=i + 1, spec_name=spec.name, want=want, values=got.describe()
            ),
            self.where,
            arg,
            hint=spec.signature,
        )

    def scalar_arg(
        self, call: ast.Call, spec: FunctionSpec, i: int, arg: ast.expr, kinds: frozenset[Kind]
    ) -> TypeInfo:
        t = self.check(arg, strict=True)
        if t.kind not in kinds:
            want = " or ".join(sorted(k.value for k in kinds))
            self.wrong_arg(call, spec, i, arg, want, t)
        return t

    def list_arg(
        self, call: ast.Call, spec: FunctionSpec, i: int, arg: ast.expr, param: str
    ) -> TypeInfo:
        t = self.check(arg, strict=True)
        if not _LIST_PARAMS[param](t):
            self.wrong_arg(call, spec, i, arg, "a " + param, t)
        return t

    # -- the walk

    def check(self, node: ast.expr, *, strict: bool) -> TypeInfo:
        """The type of ``node``.  ``strict``: the value is an operand and must not
        be None (nullable names become strict, the None literal is refused)."""
        if isinstance(node, ast.Constant):
            return self._constant(node, strict)
        if isinstance(node, ast.Name):
            return self._name(node, strict)
        if isinstance(node, ast.List | ast.Tuple):
            return self._list(node)
        if isinstance(node, ast.UnaryOp):
            return self._unary(node)
        if isinstance(node, ast.BinOp):
            return self._binary(node)
        if isinstance(node, ast.BoolOp):
            for value in node.values:
                self._want(value, Kind.BOOL, f"'{type(node.op).__name__.lower()}'")
            return _T_BOOL
        if isinstance(node, ast.Compare):
            return self._compare(node)
        if isinstance(node, ast.IfExp):
            return self._ifexp(node, strict)
        if isinstance(node, ast.Call):
            assert isinstance(node.func, ast.Name)  # guaranteed by the structure step
            spec = FUNCTIONS[node.func.id]
            return spec.rule(self, node, spec)
        # The structure step admits nothing else.
        raise AssertionError(f"unchecked node {type(node).__name__}")  # pragma: no cover

    def _want(self, node: ast.expr, kind: Kind, what: str) -> TypeInfo:
        t = self.check(node, strict=True)
        if t.kind is not kind:
            _fail(
                "WZ304",
                _("{what} needs {kind_value} operands, got {values}").format(
                    what=what, kind_value=kind.value, values=t.describe()
                ),
                self.where,
                node,
            )
        return t

    def _constant(self, node: ast.Constant, strict: bool) -> TypeInfo:
        value = node.value
        if value is None:
            if strict:
                _fail(
                    "WZ304",
                    _("None cannot be used as a value here"),
                    self.where,
                    node,
                    hint=_("test for absence with 'x is None' / 'x is not None'"),
                )
            return _T_NONE
        if isinstance(value, bool):
            return _T_BOOL
        if isinstance(value, int):
            return _T_INT
        if isinstance(value, Fraction):
            return _T_DECIMAL
        return _T_STR

    def _name(self, node: ast.Name, strict: bool) -> TypeInfo:
        info = self.names.get(node.id)
        if info is None:
            if node.id in FUNCTIONS:
                hint: str | None = _("{name!r} is a function; call it: {name}(...)").format(
                    name=node.id
                )
            else:
                hint = did_you_mean(node.id, self.names) or _names_here(self.names)
            _fail(
                "WZ302",
                _("unknown name {node_id!r}").format(node_id=node.id),
                self.where,
                node,
                hint=hint,
            )
        self.reads.add(node.id)
        if info.nullable and node.id in self.narrowed:
            return replace(info, nullable=False)
        if strict and info.nullable:
            self.strict.add(_position(node))
            return replace(info, nullable=False)
        return info

    def _list(self, node: ast.List | ast.Tuple) -> TypeInfo:
        item: Kind | None = None
        for elt in node.elts:
            t = self.check(elt, strict=True)
            if t.kind not in _SCALARS:
                _fail(
                    "WZ304",
                    _("list items must be single values, got {values}").format(values=t.describe()),
                    self.where,
                    elt,
                )
            unified = _unify_kind(item, t.kind)
            if unified is False:
                _fail(
                    "WZ304",
                    _("list items must all have one type, got {item} and {kind_value}").format(
                        item=item, kind_value=t.kind.value
                    ),
                    self.where,
                    elt,
                )
            item = unified
        return TypeInfo(Kind.LIST, item=item)

    def _unary(self, node: ast.UnaryOp) -> TypeInfo:
        if isinstance(node.op, ast.Not):
            return self._want(node.operand, Kind.BOOL, "'not'")
        t = self.check(node.operand, strict=True)
        if t.kind not in _NUMBERS:
            symbol = "-" if isinstance(node.op, ast.USub) else "+"
            _fail(
                "WZ304",
                _("unary {symbol!r} needs a number, got {values}").format(
                    symbol=symbol, values=t.describe()
                ),
                self.where,
                node,
            )
        return t

    def _binary(self, node: ast.BinOp) -> TypeInfo:
        symbol = _ARITHMETIC[type(node.op)]
        left = self.check(node.left, strict=True)
        right = self.check(node.right, strict=True)
        if left.kind in _NUMBERS and right.kind in _NUMBERS:
            if isinstance(node.op, ast.Div):
                return _T_DECIMAL
            if isinstance(node.op, ast.FloorDiv):
                return _T_INT
            return TypeInfo(_number_kind(left.kind, right.kind))
        kinds = {left.kind, right.kind}
        if symbol == "*" and kinds & {Kind.STR, Kind.LIST}:
            hint = "repeating text or lists is not allowed"
        elif kinds & _DATE_LIKE:
            hint = "use add_days(d, n), days_between(a, b) or working_days_between(a, b)"
        else:
            hint = "arithmetic works on int and decimal only"
        _fail(
            "WZ304",
            _("{symbol!r} needs numbers, got {values} and {values2}").format(
                symbol=symbol, values=left.describe(), values2=right.describe()
            ),
            self.where,
            node,
            hint=hint,
        )

    def _compare(self, node: ast.Compare) -> TypeInfo:
        if any(isinstance(op, ast.Is | ast.IsNot) for op in node.ops):
            return self._is_none(node)
        left_node = node.left
        left = self.check(left_node, strict=True)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = self.check(right_node, strict=True)
            hint = _incomparable(op, left, right)
            if hint is not None:
                _fail(
                    "WZ304",
                    _("cannot compare {values} {compare_symbols} {values2}").format(
                        values=left.describe(),
                        compare_symbols=_COMPARE_SYMBOLS[type(op)],
                        values2=right.describe(),
                    ),
                    self.where,
                    left_node,
                    hint=hint,
                )
            left_node, left = right_node, right
        return _T_BOOL

    def _is_none(self, node: ast.Compare) -> TypeInfo:
        """``name is None`` / ``name is not None``: the one place None is read."""
        hint = "write 'x is None' or 'x is not None' with a nullable name x"
        if len(node.ops) != 1:
            _fail("WZ304", _("'is' cannot be chained"), self.where, node, hint=hint)
        right = node.comparators[0]
        if not (isinstance(right, ast.Constant) and right.value is None):
            _fail(
                "WZ304",
                _("'is' only compares with None; use '==' for values"),
                self.where,
                right,
                hint=hint,
            )
        if not isinstance(node.left, ast.Name):
            _fail("WZ304", _("only a name can be tested against None"), self.where, node.left, hint)
        t = self.check(node.left, strict=False)
        if not t.nullable:
            _fail(
                "WZ304",
                _("{left_id!r} is {values} and never None").format(
                    left_id=node.left.id, values=t.describe()
                ),
                self.where,
                node.left,
                hint=_("drop the test, or declare the fact nullable"),
            )
        return _T_BOOL

    def _ifexp(self, node: ast.IfExp, strict: bool) -> TypeInfo:
        self._want(node.test, Kind.BOOL, "the condition of 'if'")
        outer = self.narrowed
        guarded = _none_test(node.test)
        try:
            if guarded is not None and guarded[1]:
                self.narrowed = outer | {guarded[0]}
            body = self.check(node.body, strict=strict)
            self.narrowed = outer
            if guarded is not None and not guarded[1]:
                self.narrowed = outer | {guarded[0]}
            orelse = self.check(node.orelse, strict=strict)
        finally:
            self.narrowed = outer
        t = _unify(body, orelse)
        if t is None:
            _fail(
                "WZ304",
                _("the two branches differ: {values} and {values2}").format(
                    values=body.describe(), values2=orelse.describe()
                ),
                self.where,
                node,
                hint=_("both branches of 'a if c else b' must have the same type"),
            )
        return t


def _expected(expect: Kind | Literal["number"]) -> str:
    return "int or decimal" if expect == "number" else Kind(expect).value


def _fits(t: TypeInfo, expect: Kind | Literal["number"]) -> bool:
    if expect == "number":
        return t.kind in _NUMBERS
    if expect is Kind.DECIMAL:
        return t.kind in _NUMBERS  # an int is an exact decimal
    return t.kind is expect


# ------------------------------------------------------------------------ evaluation


@dataclass(frozen=True)
class _Program:
    """What the evaluator needs: the proven tree and how to read the environment.

    ``python`` is the tree as Python source (see :func:`_python_source`), ``consts``
    the exact decimal literals it refers to; ``code`` is that source compiled, built
    when the program is made or unpickled (code objects do not pickle).
    """

    body: ast.expr
    where: _SourceMap
    strict: frozenset[tuple[int, int]]
    reads: tuple[tuple[str, TypeInfo], ...]
    python: str | None = None
    consts: tuple[Fraction, ...] = ()
    code: CodeType | None = field(default=None, repr=False, compare=False)
    scope: dict[str, object] | None = field(default=None, repr=False, compare=False)
    run: Callable[[Mapping[str, object]], object] | None = field(
        default=None, repr=False, compare=False
    )
    # reads with the Python types whose values fit by their type alone (no deeper check)
    checks: tuple[tuple[str, TypeInfo, frozenset[type]], ...] = field(
        default=(), init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "checks", tuple((name, info, _plain_types(info)) for name, info in self.reads)
        )
        if self.python is not None and self.code is None:
            code, scope = _compile_python(self.python, self.consts)
            object.__setattr__(self, "code", code)
            object.__setattr__(self, "scope", scope)
            object.__setattr__(self, "run", eval(code, scope))  # the compiled function

    def __getstate__(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if k not in ("code", "scope", "run")}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state, code=None, scope=None, run=None)
        self.__post_init__()


# ----------------------------------------------------------------- the fast path
#
# simpleeval running the proven tree is the evaluator of record (the reference
# path).  The fast path runs the same tree as a Python function: once the tree has
# passed every check above, _python_source writes it out as Python source built from
# the whitelisted nodes only -- names read from the environment by key (so nothing in
# the environment can stand in for a helper), calls bound to the whitelisted
# implementations, arithmetic bound to the same exact, bounded helpers the reference
# path uses, decimal literals as the same Fraction objects -- and it is compiled
# once, as ``lambda _wz_env: ...`` with no builtins.  Python's own
# ``and``/``or``/``not``, chained comparisons, ``in`` and ``a if c else b`` have
# the semantics simpleeval gives them (same order, same short-circuits, same
# results).  A nullable name that must not be None is read through _present,
# which refuses None as the reference path does.
#
# Whenever the fast path raises anything at all, the expression is evaluated again
# on the reference path, which then either raises the error of record (with its
# code, message and offset) or returns the value of record; expressions are pure,
# so running one twice changes nothing.  WZEVAL_REFERENCE=1 (or ``reference=True``)
# uses the reference path only.  tests/test_fast_paths.py checks that both paths
# give byte-identical reports on every example and on generated findings.

#: Evaluate with simpleeval only (the environment variable WZEVAL_REFERENCE=1).
REFERENCE = os.environ.get("WZEVAL_REFERENCE", "") == "1"

_PREFIX = "_wz_"
_SAFE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_PY_OPS: dict[type[ast.AST], str] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.USub: "-",
    ast.UAdd: "+",
    ast.Not: "not ",
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.Is: "is",
    ast.IsNot: "is not",
}


#: Binary operators by the name of their bounded helper (``_wz_add`` &c. in the scope).
_HELPERS: dict[type[ast.AST], str] = {
    ast.Add: "add",
    ast.Sub: "sub",
    ast.Mult: "mul",
    ast.Div: "div",
    ast.FloorDiv: "floordiv",
}


class _Unsupported(Exception):
    """The tree has something the fast path does not write out: reference path only."""


def _present(value: object) -> object:
    """A nullable name used as an operand: None is refused (the reference path says why)."""
    if value is None:
        raise _Unsupported("None operand")
    return value


def _python_source(
    node: ast.expr, strict: frozenset[tuple[int, int]], consts: list[Fraction]
) -> str:
    """Python source for a checked tree; only whitelisted nodes, every one in brackets."""

    def py(n: ast.expr) -> str:
        if isinstance(n, ast.Constant):
            value = n.value
            if isinstance(value, Fraction):
                consts.append(value)
                return f"{_PREFIX}k{len(consts) - 1}"
            if value is None or isinstance(value, bool | int | str):
                return repr(value)
            raise _Unsupported(type(value).__name__)
        if isinstance(n, ast.Name):
            if not _SAFE_NAME.fullmatch(n.id) or n.id.startswith(_PREFIX):
                raise _Unsupported(n.id)
            # read from the environment by key: a name in the environment can never
            # stand in for one of the helpers, which are globals of the compiled function
            read = f"{_PREFIX}env[{n.id!r}]"
            return f"{_PREFIX}present({read})" if _position(n) in strict else read
        if isinstance(n, ast.List | ast.Tuple):
            return "[" + ", ".join(py(e) for e in n.elts) + "]"
        if isinstance(n, ast.UnaryOp):
            return f"({_PY_OPS[type(n.op)]}{py(n.operand)})"
        if isinstance(n, ast.BinOp):
            # the same bounded, exact helpers as the reference path (MAX_NUMBER_BITS)
            return f"{_PREFIX}{_HELPERS[type(n.op)]}({py(n.left)}, {py(n.right)})"
        if isinstance(n, ast.BoolOp):
            word = " and " if isinstance(n.op, ast.And) else " or "
            return "(" + word.join(py(v) for v in n.values) + ")"
        if isinstance(n, ast.Compare):
            parts = [py(n.left)]
            for op, right in zip(n.ops, n.comparators, strict=True):
                parts += [_PY_OPS[type(op)], py(right)]
            return "(" + " ".join(parts) + ")"
        if isinstance(n, ast.IfExp):
            return f"({py(n.body)} if {py(n.test)} else {py(n.orelse)})"
        if isinstance(n, ast.Call):
            assert isinstance(n.func, ast.Name) and n.func.id in FUNCTIONS
            return f"{_PREFIX}fn_{n.func.id}(" + ", ".join(py(a) for a in n.args) + ")"
        raise _Unsupported(type(n).__name__)  # pragma: no cover - the checks admit no other

    return py(node)


def _compile_python(
    python: str, consts: tuple[Fraction, ...]
) -> tuple[CodeType, dict[str, object]]:
    scope: dict[str, object] = {
        "__builtins__": {},
        f"{_PREFIX}add": _add,
        f"{_PREFIX}sub": _sub,
        f"{_PREFIX}mul": _mul,
        f"{_PREFIX}div": _div,
        f"{_PREFIX}floordiv": _floordiv,
        f"{_PREFIX}present": _present,
    }
    scope.update({f"{_PREFIX}fn_{name}": spec.impl for name, spec in FUNCTIONS.items()})
    scope.update({f"{_PREFIX}k{i}": c for i, c in enumerate(consts)})
    return compile(f"lambda {_PREFIX}env: {python}", "<wzeval>", "eval"), scope


def _fast_program(program: _Program) -> _Program:
    """The program with its Python code, or as it is when the fast path cannot run it."""
    consts: list[Fraction] = []
    try:
        python = _python_source(program.body, program.strict, consts)
    except _Unsupported:
        return program
    return replace(program, python=python, consts=tuple(consts))


def _div(a: int | Fraction, b: int | Fraction) -> Fraction:
    if b == 0:
        raise _RuntimeFailure("WZ320", _("division by zero"))
    return _bounded(Fraction(a) / b)


def _floordiv(a: int | Fraction, b: int | Fraction) -> int:
    if b == 0:
        raise _RuntimeFailure("WZ320", _("division by zero"))
    return _bounded(int(a // b))


def _contains(item: object, items: Sequence[object]) -> bool:
    return item in items


def _not_contains(item: object, items: Sequence[object]) -> bool:
    return item not in items


def _is(a: object, b: object) -> bool:
    return a is b


def _is_not(a: object, b: object) -> bool:
    return a is not b


# Only the operators the whitelist admits; no Pow, Mod or bit operators at all.
_OPERATORS: dict[type[ast.AST], Callable[..., object]] = {
    ast.Add: _add,
    ast.Sub: _sub,
    ast.Mult: _mul,
    ast.Div: _div,
    ast.FloorDiv: _floordiv,
    ast.USub: lambda a: -a,
    ast.UAdd: lambda a: +a,
    ast.Not: lambda a: not a,
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
    ast.In: _contains,
    ast.NotIn: _not_contains,
    ast.Is: _is,
    ast.IsNot: _is_not,
}


class _Evaluator(simpleeval.SimpleEval):  # type: ignore[misc]  # simpleeval is untyped
    """simpleeval restricted to the whitelist, with offsets on runtime errors.

    One instance per thread (see :func:`_evaluator`): building one costs more than
    evaluating a typical expression, and the instance holds per-call state.
    """

    def __init__(self) -> None:
        super().__init__(
            operators=dict(_OPERATORS),
            functions={name: spec.impl for name, spec in FUNCTIONS.items()},
            names={},
        )
        # Only handlers for whitelisted nodes: anything else fails in simpleeval
        # too, should a tree ever bypass the checks.
        self.nodes = {
            ast.Constant: self._eval_constant,
            ast.Name: self._eval_name,
            ast.List: self._eval_list,
            ast.Tuple: self._eval_list,
            ast.UnaryOp: self._eval_unaryop,
            ast.BinOp: self._eval_binop,
            ast.BoolOp: self._eval_boolop,
            ast.Compare: self._eval_compare,
            ast.IfExp: self._eval_ifexp,
            ast.Call: self._eval_call,
        }
        self.program: _Program | None = None

    def run(self, program: _Program, source: str, env: Mapping[str, object]) -> object:
        self.program, self.names = program, env
        try:
            return self.eval(source, previously_parsed=program.body)
        finally:
            self.program, self.names = None, {}

    def _located(self, node: ast.AST, failure: _RuntimeFailure) -> ExpressionError:
        assert self.program is not None
        return ExpressionError(
            failure.code, failure.message, offset=self.program.where.of(node), hint=failure.hint
        )

    def _eval_name(self, node: ast.Name) -> object:
        assert self.program is not None
        value = self.names[node.id]
        if value is None and _position(node) in self.program.strict:
            raise ExpressionError(
                "WZ321",
                _("{node_id!r} is None").format(node_id=node.id),
                offset=self.program.where.of(node),
                hint=_("guard it: {node_id} is not None and ...").format(node_id=node.id),
            )
        return value

    def _eval_list(self, node: ast.List | ast.Tuple) -> list[object]:
        return [self._eval(elt) for elt in node.elts]

    def _eval_binop(self, node: ast.BinOp) -> object:
        try:
            return super()._eval_binop(node)
        except _RuntimeFailure as failure:
            assert self.program is not None
            if failure.code != "WZ320":  # e.g. WZ326: the operation as a whole
                raise self._located(node, failure) from None
            segment = ast.get_source_segment(self.program.where.text, node.right)
            failure.message += _(": {segment!r} is 0").format(segment=segment)
            raise self._located(node.right, failure) from None

    def _eval_call(self, node: ast.Call) -> object:
        try:
            return super()._eval_call(node)
        except _RuntimeFailure as failure:
            raise self._located(node, failure) from None


_local = threading.local()


def _evaluator() -> _Evaluator:
    """This thread's evaluator (simpleeval keeps per-call state on the instance)."""
    ev: _Evaluator | None = getattr(_local, "evaluator", None)
    if ev is None:
        ev = _local.evaluator = _Evaluator()
    return ev


def _conforms(value: object, kind: Kind | None) -> bool:
    """Whether a non-None runtime value has the representation of ``kind``."""
    if kind is Kind.BOOL:
        return isinstance(value, bool)
    if kind is Kind.INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is Kind.DECIMAL:
        return isinstance(value, Fraction | int) and not isinstance(value, bool)
    if kind is Kind.DATE:
        return isinstance(value, date) and not isinstance(value, datetime)
    if kind is Kind.DATETIME:
        return isinstance(value, datetime)
    if kind is Kind.STR:
        return isinstance(value, str)
    if kind is None:  # list of unknown items: any scalar
        return any(_conforms(value, k) for k in _SCALARS)
    return False


def _value_fits(value: object, info: TypeInfo) -> bool:
    if value is None:
        return info.nullable or info.kind is Kind.NONE
    if info.kind is Kind.LIST:
        return isinstance(value, list | tuple) and all(_conforms(x, info.item) for x in value)
    if info.kind is Kind.RECORDS:
        fields = (info.fields or {}).items()
        return isinstance(value, list | tuple) and all(
            isinstance(row, Mapping)
            and all(name in row and _conforms(row[name], kind) for name, kind in fields)
            for row in value
        )
    return _conforms(value, info.kind)


_PLAIN_TYPES: dict[Kind, frozenset[type]] = {
    Kind.BOOL: frozenset({bool}),
    Kind.INT: frozenset({int}),
    Kind.DECIMAL: frozenset({Fraction, int}),
    Kind.DATE: frozenset({date}),
    Kind.DATETIME: frozenset({datetime}),
    Kind.STR: frozenset({str}),
}


def _plain_types(info: TypeInfo) -> frozenset[type]:
    """The exact Python types whose every value fits ``info`` (see :func:`_value_fits`).

    A fact's value is checked on every read; most are plain scalars, which this lets
    :meth:`CompiledExpression.evaluate` accept by one type lookup (lists, records and
    subclasses still take the full check)."""
    plain = _PLAIN_TYPES.get(info.kind, frozenset())
    if info.nullable or info.kind is Kind.NONE:
        plain = plain | {type(None)}
    return plain


def _runtime_type(value: object) -> str:
    name = type(value).__name__
    if isinstance(value, bool | int | float | str | date | Fraction):
        return f"{name} {str(value)[:40]!r}"
    return name


def _normalise(value: object, t: TypeInfo) -> object:
    """Give the result the representation of its static type (int -> Fraction)."""
    if t.kind is Kind.DECIMAL and type(value) is int:
        return Fraction(value)
    if t.kind is Kind.LIST and t.item is Kind.DECIMAL and isinstance(value, list):
        return [Fraction(x) if type(x) is int else x for x in value]
    return value


#: each name an expression reads, its declared type, the types that fit by type alone
_NameChecks = tuple[tuple[str, TypeInfo, frozenset[type]], ...]


@dataclass(frozen=True)
class CompiledExpression:
    """An expression that passed every load-time check, ready to evaluate.

    ``type`` is its static result type, ``names`` the declared names it reads.
    """

    source: str
    type: TypeInfo
    names: frozenset[str]
    _program: _Program = field(repr=False, compare=False)

    @property
    def checks(self) -> _NameChecks:
        """What :meth:`evaluate` checks of ``env`` first: each name it reads, with its
        declared type and the Python types whose values fit by their type alone (see
        :func:`fits`)."""
        return self._program.checks

    def fast(self) -> Callable[[Mapping[str, object]], object]:
        """The expression as one function of ``env``, for a caller that has checked
        ``env`` against :attr:`checks` itself: the compiled code (its value normalised
        as :meth:`evaluate` does), or :meth:`evaluate` when there is none.  It may
        raise anything; the value or error of record is then :meth:`evaluate`'s (the
        engine's fast evaluation falls back to it, docs/performance.md)."""
        run = self._program.run
        if run is None:
            return self.evaluate
        kind = self.type.kind
        if kind is Kind.DECIMAL or kind is Kind.LIST:
            t = self.type
            return lambda env: _normalise(run(env), t)
        return run

    def evaluate(self, env: Mapping[str, object], *, reference: bool | None = None) -> object:
        """The value of the expression for ``env`` (declared name -> value).

        Values use wzeval's runtime representation: bool, int, Fraction (never
        float), date, datetime, str, list, list of dicts, None where nullable.
        Raises only :class:`~wzeval.errors.ExpressionError` (WZ32x) or
        :class:`~wzeval.errors.CalendarError`.  ``reference=True`` evaluates with
        simpleeval only (default: :data:`REFERENCE`); the result is the same.
        """
        program = self._program
        for name, info, plain in program.checks:
            try:
                value = env[name]
            except KeyError:
                raise ExpressionError(
                    "WZ324",
                    _("no value for {name!r}").format(name=name),
                    hint=_("the expression reads {names}").format(
                        names=", ".join(sorted(self.names))
                    ),
                ) from None
            if type(value) not in plain and not _value_fits(value, info):
                raise ExpressionError(
                    "WZ325",
                    _("{name!r} must be {values}, got {value}").format(
                        name=name, values=info.describe(), value=_runtime_type(value)
                    ),
                    hint=_("decimals are fractions.Fraction, never float"),
                )
        run = program.run
        if run is not None and not (REFERENCE if reference is None else reference):
            try:
                result = run(env)  # the proven tree as a function, no builtins
            except Exception:  # the reference path says what went wrong
                pass
            else:
                return _normalise(result, self.type)
        try:
            result = _evaluator().run(program, self.source, env)
        except WzevalError:
            raise
        except Exception as exc:  # the promise: nothing but wzeval errors escape
            raise ExpressionError(
                "WZ329",
                _("evaluation failed: {name}: {exc}").format(name=type(exc).__name__, exc=exc),
                hint=_("this is a wzeval bug; please report the expression"),
            ) from exc
        return _normalise(result, self.type)


def fits(value: object, info: TypeInfo, plain: frozenset[type]) -> bool:
    """Whether ``value`` is of the declared type ``info`` (``plain``: the Python types
    whose values fit by their type alone, from :attr:`CompiledExpression.checks`)."""
    return type(value) in plain or _value_fits(value, info)


def compile_expression(
    source: str,
    names: Mapping[str, TypeInfo],
    *,
    expect: Kind | Literal["number"] | None = None,
) -> CompiledExpression:
    """Parse, check and type an expression once; raise ExpressionError if it fails.

    ``names`` declares what the expression may read, with types.  ``expect`` says
    what the result must be: ``Kind.BOOL`` for a condition, ``Kind.INT`` for a
    count, ``"number"`` for int or decimal, ``Kind.DECIMAL`` accepts ints too (the
    result is then a decimal), any other kind must match exactly.  With ``expect``
    the result is never None; without it, a nullable name may be the result.
    Error offsets are 0-based character indexes into ``source``.
    """
    if not isinstance(source, str):
        raise ExpressionError(
            "WZ301", _("an expression must be text, got {name}").format(name=type(source).__name__)
        )
    if expect is not None and expect != "number":
        expect = Kind(expect)  # also accepts "bool", "int", ...; ValueError for nonsense
    tree, where = _parse(source)
    text = source[where.lead :]
    _check_structure(tree, text, where)
    checker = _TypeChecker(names, where)
    t = checker.check(tree.body, strict=expect is not None)
    if expect is not None:
        if not _fits(t, expect):
            _fail(
                "WZ304",
                _("expected {expect}, got {values}").format(
                    expect=_expected(expect), values=t.describe()
                ),
                where,
                tree.body,
                hint=_EXPECT_HINTS.get(str(expect)),
            )
        if expect is Kind.DECIMAL:
            t = _T_DECIMAL
    program = _fast_program(
        _Program(
            body=tree.body,
            where=where,
            strict=frozenset(checker.strict),
            reads=tuple((name, names[name]) for name in sorted(checker.reads)),
        )
    )
    return CompiledExpression(
        source=source, type=t, names=frozenset(checker.reads), _program=program
    )


_EXPECT_HINTS: dict[str, str] = {
    "bool": "a condition must be true or false, e.g. n >= 3",
    "int": "a count must be a whole number; use // or len(), count(), count_where()",
    "number": "a number is an int or a decimal",
    "decimal": "a number is an int or a decimal",
}
