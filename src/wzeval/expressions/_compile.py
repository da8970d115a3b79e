"""``compile_expression`` and ``CompiledExpression``: the three proof steps, then evaluation.

This is the one place the steps meet: :func:`compile_expression` runs the
sandbox (:mod:`._sandbox`) and the type checker (:mod:`._checker`) and builds the
program (:mod:`._program`, with the fast path's code from :mod:`._codegen`);
:meth:`CompiledExpression.evaluate` checks the environment (:mod:`._values`) and
runs the fast path or the evaluator of record (:mod:`._evaluator`).
"""

from __future__ import annotations

import ast
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from wzeval.core._codes import WZ301, WZ324, WZ325, WZ329
from wzeval.core._errors import ExpressionError, WzevalError
from wzeval.core._i18n import _
from wzeval.expressions._checker import TypeChecker, check_expected
from wzeval.expressions._codegen import python_of
from wzeval.expressions._evaluator import thread_evaluator
from wzeval.expressions._functions import FUNCTIONS
from wzeval.expressions._program import Program
from wzeval.expressions._sandbox import check_structure, parse
from wzeval.expressions._types import Kind, TypeInfo
from wzeval.expressions._values import normalise, runtime_type, value_fits

#: Evaluate with simpleeval only (the environment variable WZEVAL_REFERENCE=1).
REFERENCE = os.environ.get("WZEVAL_REFERENCE", "") == "1"


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
    _program: Program = field(repr=False, compare=False)

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
            return lambda env: normalise(run(env), t)
        return run

    def evaluate(self, env: Mapping[str, object], *, reference: bool | None = None) -> object:
        """The value of the expression for ``env`` (declared name -> value).

        Values use wzeval's runtime representation: bool, int, Fraction (never
        float), date, datetime, str, list, list of dicts, None where nullable.
        Raises only :class:`~wzeval.core._errors.ExpressionError` (WZ32x) or
        :class:`~wzeval.core._errors.CalendarError`.  ``reference=True`` evaluates with
        simpleeval only (default: :data:`REFERENCE`); the result is the same.
        """
        program = self._program
        for name, info, plain in program.checks:
            try:
                value = env[name]
            except KeyError:
                raise ExpressionError(
                    WZ324,
                    _("no value for {name!r}").format(name=name),
                    hint=_("the expression reads {names}").format(
                        names=", ".join(sorted(self.names))
                    ),
                ) from None
            if type(value) not in plain and not value_fits(value, info):
                raise ExpressionError(
                    WZ325,
                    _("{name!r} must be {values}, got {value}").format(
                        name=name, values=info.describe(), value=runtime_type(value)
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
                return normalise(result, self.type)
        try:
            result = thread_evaluator().run(program, self.source, env)
        except WzevalError:
            raise
        except Exception as exc:  # the promise: nothing but wzeval errors escape
            raise ExpressionError(
                WZ329,
                _("evaluation failed: {name}: {exc}").format(name=type(exc).__name__, exc=exc),
                hint=_("this is a wzeval bug; please report the expression"),
            ) from exc
        return normalise(result, self.type)


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
            WZ301, _("an expression must be text, got {name}").format(name=type(source).__name__)
        )
    if expect is not None and expect != "number":
        expect = Kind(expect)  # also accepts "bool", "int", ...; ValueError for nonsense
    tree, where = parse(source)
    text = source[where.lead :]
    check_structure(tree, text, where)
    checker = TypeChecker(names, where)
    t = checker.check(tree.body, strict=expect is not None)
    if expect is not None:
        t = check_expected(t, expect, where, tree.body)
    program = Program(
        body=tree.body,
        where=where,
        strict=frozenset(checker.strict),
        reads=tuple((name, names[name]) for name in sorted(checker.reads)),
    )
    fast = python_of(program.body, program.strict)
    if fast is not None:  # else the reference path runs alone
        program = replace(program, python=fast[0], consts=fast[1])
    return CompiledExpression(
        source=source, type=t, names=frozenset(checker.reads), _program=program
    )


def needs_elements(source: str) -> frozenset[str]:
    """The names ``source`` passes straight to a function whose list must not be empty
    (``mean(xs)``, ``min(xs)``, ``mean_of(rs, "f")``: :attr:`FunctionSpec.needs_elements`),
    read from the parsed tree.  Whoever generates findings gives those facts an element,
    since an empty one is an evaluation error by design.  Text that does not parse names
    nothing (loading the rulebook reports it)."""
    try:
        tree, _where = parse(source)
    except ExpressionError:
        return frozenset()
    found: set[str] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.args
            and isinstance(node.args[0], ast.Name)
        ):
            spec = FUNCTIONS.get(node.func.id)
            if spec is not None and spec.needs_elements:
                found.add(node.args[0].id)
    return frozenset(found)


def counted_name(source: str) -> str | None:
    """The name ``source`` takes the length of, when it is ``len(name)`` and nothing
    else (a spot check written as the checks made: ``checked: "len(repost_checks)"``),
    read from the parsed tree; whoever generates findings gives such a list its
    checks.  Text that does not parse names nothing (loading the rulebook reports it)."""
    try:
        tree, _where = parse(source.strip())
    except ExpressionError:
        return None
    body = tree.body
    if (
        isinstance(body, ast.Call)
        and isinstance(body.func, ast.Name)
        and body.func.id == "len"
        and len(body.args) == 1
        and not body.keywords
        and isinstance(body.args[0], ast.Name)
    ):
        return body.args[0].id
    return None
