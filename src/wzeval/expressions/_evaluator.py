"""The evaluator of record: simpleeval restricted to the whitelist, run on the proven tree.

It puts the offset of the failing node on every runtime error (WZ320, WZ321,
WZ322 ...); the fast path (:mod:`._codegen`) falls back to it whenever it raises.
"""

from __future__ import annotations

import ast
import threading
from collections.abc import Callable, Mapping, Sequence

import simpleeval

from wzeval.core._codes import WZ320, WZ321
from wzeval.core._errors import ExpressionError
from wzeval.core._i18n import _
from wzeval.expressions._functions import FUNCTIONS
from wzeval.expressions._program import Program
from wzeval.expressions._runtime import RuntimeFailure, add, div, floordiv, mul, sub
from wzeval.expressions._sourcemap import position


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
    ast.Add: add,
    ast.Sub: sub,
    ast.Mult: mul,
    ast.Div: div,
    ast.FloorDiv: floordiv,
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


class Evaluator(simpleeval.SimpleEval):  # type: ignore[misc]  # simpleeval is untyped
    """simpleeval restricted to the whitelist, with offsets on runtime errors.

    One instance per thread (see :func:`thread_evaluator`): building one costs more than
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
        self.program: Program | None = None

    def run(self, program: Program, source: str, env: Mapping[str, object]) -> object:
        self.program, self.names = program, env
        try:
            return self.eval(source, previously_parsed=program.body)
        finally:
            self.program, self.names = None, {}

    def _located(self, node: ast.AST, failure: RuntimeFailure) -> ExpressionError:
        assert self.program is not None
        return ExpressionError(
            failure.code, failure.message, offset=self.program.where.of(node), hint=failure.hint
        )

    def _eval_name(self, node: ast.Name) -> object:
        assert self.program is not None
        value = self.names[node.id]
        if value is None and position(node) in self.program.strict:
            raise ExpressionError(
                WZ321,
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
        except RuntimeFailure as failure:
            assert self.program is not None
            if failure.code != WZ320:  # e.g. WZ326: the operation as a whole
                raise self._located(node, failure) from None
            segment = ast.get_source_segment(self.program.where.text, node.right)
            failure.message += _(": {segment!r} is 0").format(segment=segment)
            raise self._located(node.right, failure) from None

    def _eval_call(self, node: ast.Call) -> object:
        try:
            return super()._eval_call(node)
        except RuntimeFailure as failure:
            raise self._located(node, failure) from None


_local = threading.local()


def thread_evaluator() -> Evaluator:
    """This thread's evaluator (simpleeval keeps per-call state on the instance)."""
    ev: Evaluator | None = getattr(_local, "evaluator", None)
    if ev is None:
        ev = _local.evaluator = Evaluator()
    return ev
