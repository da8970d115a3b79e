"""The fast path: a proven tree written out as Python source and compiled.

simpleeval running the proven tree is the evaluator of record (the reference
path).  The fast path runs the same tree as a Python function: once the tree has
passed every check (:mod:`._sandbox`, :mod:`._checker`), _python_source writes it
out as Python source built from the whitelisted nodes only -- names read from the
environment by key (so nothing in the environment can stand in for a helper), calls
bound to the whitelisted implementations, arithmetic bound to the same exact, bounded
helpers the reference path uses, decimal literals as the same Fraction objects -- and it is compiled
once, as ``lambda _wz_env: ...`` with no builtins.  Python's own
``and``/``or``/``not``, chained comparisons, ``in`` and ``a if c else b`` have
the semantics simpleeval gives them (same order, same short-circuits, same
results).  A nullable name that must not be None is read through _present,
which refuses None as the reference path does.

Whenever the fast path raises anything at all, the expression is evaluated again
on the reference path, which then either raises the error of record (with its
code, message and offset) or returns the value of record; expressions are pure,
so running one twice changes nothing.  WZEVAL_REFERENCE=1 (or ``reference=True``)
uses the reference path only.  tests/scoring/test_fast_paths.py checks that both paths
give byte-identical reports on every example and on generated findings.
"""

from __future__ import annotations

import ast
import re
from fractions import Fraction
from types import CodeType

from wzeval.expressions._checker import COMPARE_SYMBOLS
from wzeval.expressions._functions import FUNCTIONS
from wzeval.expressions._runtime import add, div, floordiv, mul, sub
from wzeval.expressions._sourcemap import position

_PREFIX = "_wz_"
_SAFE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_PY_OPS: dict[type[ast.AST], str] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.USub: "-",
    ast.UAdd: "+",
    ast.Not: "not ",
    **COMPARE_SYMBOLS,
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
            return f"{_PREFIX}present({read})" if position(n) in strict else read
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


def compile_python(python: str, consts: tuple[Fraction, ...]) -> tuple[CodeType, dict[str, object]]:
    scope: dict[str, object] = {
        "__builtins__": {},
        f"{_PREFIX}add": add,
        f"{_PREFIX}sub": sub,
        f"{_PREFIX}mul": mul,
        f"{_PREFIX}div": div,
        f"{_PREFIX}floordiv": floordiv,
        f"{_PREFIX}present": _present,
    }
    scope.update({f"{_PREFIX}fn_{name}": spec.impl for name, spec in FUNCTIONS.items()})
    scope.update({f"{_PREFIX}k{i}": c for i, c in enumerate(consts)})
    return compile(f"lambda {_PREFIX}env: {python}", "<wzeval>", "eval"), scope


def python_of(
    body: ast.expr, strict: frozenset[tuple[int, int]]
) -> tuple[str, tuple[Fraction, ...]] | None:
    """The tree as Python source and its decimal literals, or None when the fast path
    cannot run it (the reference path then runs alone)."""
    consts: list[Fraction] = []
    try:
        python = _python_source(body, strict, consts)
    except _Unsupported:
        return None
    return python, tuple(consts)
