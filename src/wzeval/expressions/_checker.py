"""Step 3 of the proof: the type checker.

Names must be declared, functions whitelisted and called with the right number
and kinds of arguments (each function's own rule, :mod:`._functions`), operators
must fit their operands and the result what the caller expects.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import replace
from fractions import Fraction
from typing import Literal, NoReturn

from wzeval.core._codes import WZ302, WZ304, WZ307
from wzeval.core._i18n import N_, _, ngettext
from wzeval.core._issues import did_you_mean
from wzeval.expressions._functions import FUNCTIONS, LIST_PARAMS, FunctionSpec
from wzeval.expressions._sourcemap import SourceMap, fail, position
from wzeval.expressions._types import (
    DATE_LIKE,
    NUMBERS,
    ORDERED,
    SCALARS,
    T_BOOL,
    T_DECIMAL,
    T_INT,
    T_NONE,
    T_STR,
    Kind,
    TypeInfo,
    number_kind,
    unify,
    unify_kind,
)

_ARITHMETIC: dict[type[ast.operator], str] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
}


def _names_here(names: Iterable[str]) -> str:
    """The hint of an unknown name with no near miss: the names this expression may read."""
    shown = sorted(n for n in names if n not in ("true", "false", "True", "False"))
    more = _(" … ({n} in all)").format(n=len(shown)) if len(shown) > 12 else ""
    return _("names here: {names}").format(names=", ".join(shown[:12])) + more


#: How a comparison is written (messages, and the generated Python of the fast path).
COMPARE_SYMBOLS: dict[type[ast.AST], str] = {
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
            left.kind in SCALARS
            and right.kind is Kind.LIST
            and unify_kind(left.kind, right.item) is not False
        ):
            return None
        return _("'in' tests membership in a list of the same kind, e.g. x in [1, 2]")
    if left.kind in NUMBERS and right.kind in NUMBERS:
        return None
    equality = isinstance(op, ast.Eq | ast.NotEq)
    if left.kind is right.kind and (left.kind in ORDERED or (equality and left.kind is Kind.BOOL)):
        return None
    if left.kind is Kind.BOOL and right.kind is Kind.BOOL:
        return _("true and false are not ordered; use == or !=")
    return _("compare numbers with numbers, dates with dates, text with text")


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


class TypeChecker:
    """Infers the type of every node of a structurally checked tree.

    ``strict`` collects the position (line, column) of every nullable name used
    as an operand: the evaluator raises WZ321 when such a name is ``None``.
    Positions, unlike ``id()``, survive pickling and copying of the tree.
    Recursion is safe: the structure step bounded the depth.
    """

    def __init__(self, names: Mapping[str, TypeInfo], where: SourceMap) -> None:
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
            fail(
                WZ307,
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
        fail(
            WZ304,
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
        if not LIST_PARAMS[param](t):
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
            return T_BOOL
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
            fail(
                WZ304,
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
                fail(
                    WZ304,
                    _("None cannot be used as a value here"),
                    self.where,
                    node,
                    hint=_("test for absence with 'x is None' / 'x is not None'"),
                )
            return T_NONE
        if isinstance(value, bool):
            return T_BOOL
        if isinstance(value, int):
            return T_INT
        if isinstance(value, Fraction):
            return T_DECIMAL
        return T_STR

    def _name(self, node: ast.Name, strict: bool) -> TypeInfo:
        info = self.names.get(node.id)
        if info is None:
            if node.id in FUNCTIONS:
                hint: str | None = _("{name!r} is a function; call it: {name}(...)").format(
                    name=node.id
                )
            else:
                hint = did_you_mean(node.id, self.names) or _names_here(self.names)
            fail(
                WZ302,
                _("unknown name {node_id!r}").format(node_id=node.id),
                self.where,
                node,
                hint=hint,
            )
        self.reads.add(node.id)
        if info.nullable and node.id in self.narrowed:
            return replace(info, nullable=False)
        if strict and info.nullable:
            self.strict.add(position(node))
            return replace(info, nullable=False)
        return info

    def _list(self, node: ast.List | ast.Tuple) -> TypeInfo:
        item: Kind | None = None
        for elt in node.elts:
            t = self.check(elt, strict=True)
            if t.kind not in SCALARS:
                fail(
                    WZ304,
                    _("list items must be single values, got {values}").format(values=t.describe()),
                    self.where,
                    elt,
                )
            unified = unify_kind(item, t.kind)
            if unified is False:
                fail(
                    WZ304,
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
        if t.kind not in NUMBERS:
            symbol = "-" if isinstance(node.op, ast.USub) else "+"
            fail(
                WZ304,
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
        if left.kind in NUMBERS and right.kind in NUMBERS:
            if isinstance(node.op, ast.Div):
                return T_DECIMAL
            if isinstance(node.op, ast.FloorDiv):
                return T_INT
            return TypeInfo(number_kind(left.kind, right.kind))
        kinds = {left.kind, right.kind}
        if symbol == "*" and kinds & {Kind.STR, Kind.LIST}:
            hint = _("repeating text or lists is not allowed")
        elif kinds & DATE_LIKE:
            hint = _("use add_days(d, n), days_between(a, b) or working_days_between(a, b)")
        else:
            hint = _("arithmetic works on int and decimal only")
        fail(
            WZ304,
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
                fail(
                    WZ304,
                    _("cannot compare {values} {compare_symbols} {values2}").format(
                        values=left.describe(),
                        compare_symbols=COMPARE_SYMBOLS[type(op)],
                        values2=right.describe(),
                    ),
                    self.where,
                    left_node,
                    hint=hint,
                )
            left_node, left = right_node, right
        return T_BOOL

    def _is_none(self, node: ast.Compare) -> TypeInfo:
        """``name is None`` / ``name is not None``: the one place None is read."""
        hint = _("write 'x is None' or 'x is not None' with a nullable name x")
        if len(node.ops) != 1:
            fail(WZ304, _("'is' cannot be chained"), self.where, node, hint=hint)
        right = node.comparators[0]
        if not (isinstance(right, ast.Constant) and right.value is None):
            fail(
                WZ304,
                _("'is' only compares with None; use '==' for values"),
                self.where,
                right,
                hint=hint,
            )
        if not isinstance(node.left, ast.Name):
            fail(WZ304, _("only a name can be tested against None"), self.where, node.left, hint)
        t = self.check(node.left, strict=False)
        if not t.nullable:
            fail(
                WZ304,
                _("{left_id!r} is {values} and never None").format(
                    left_id=node.left.id, values=t.describe()
                ),
                self.where,
                node.left,
                hint=_("drop the test, or declare the fact nullable"),
            )
        return T_BOOL

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
        t = unify(body, orelse)
        if t is None:
            fail(
                WZ304,
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
        return t.kind in NUMBERS
    if expect is Kind.DECIMAL:
        return t.kind in NUMBERS  # an int is an exact decimal
    return t.kind is expect


_EXPECT_HINTS: dict[str, str] = {
    "bool": N_("a condition must be true or false, e.g. n >= 3"),
    "int": N_("a count must be a whole number; use // or len(), count(), count_where()"),
    "number": N_("a number is an int or a decimal"),
    "decimal": N_("a number is an int or a decimal"),
}


def check_expected(
    t: TypeInfo, expect: Kind | Literal["number"], where: SourceMap, node: ast.expr
) -> TypeInfo:
    """The result type of an expression whose result must be ``expect`` (WZ304 if not).

    ``Kind.DECIMAL`` accepts an int and makes the result a decimal.
    """
    if not _fits(t, expect):
        fail(
            WZ304,
            _("expected {expect}, got {values}").format(
                expect=_expected(expect), values=t.describe()
            ),
            where,
            node,
            hint=_(_EXPECT_HINTS[str(expect)]) if str(expect) in _EXPECT_HINTS else None,
        )
    return T_DECIMAL if expect is Kind.DECIMAL else t
