"""A proven expression as the evaluators need it: the tree, and its compiled code.

Shared by the reference evaluator (:mod:`._evaluator`) and the fast path
(:mod:`._codegen`); it rebuilds its code object when unpickled, so compiled
rulebooks can travel to worker processes.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import CodeType

from wzeval.expressions._codegen import compile_python
from wzeval.expressions._sourcemap import SourceMap
from wzeval.expressions._types import TypeInfo
from wzeval.expressions._values import plain_types


@dataclass(frozen=True)
class Program:
    """What the evaluator needs: the proven tree and how to read the environment.

    ``python`` is the tree as Python source (see :func:`_python_source`), ``consts``
    the exact decimal literals it refers to; ``code`` is that source compiled, built
    when the program is made or unpickled (code objects do not pickle).
    """

    body: ast.expr
    where: SourceMap
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
            self, "checks", tuple((name, info, plain_types(info)) for name, info in self.reads)
        )
        if self.python is not None and self.code is None:
            code, scope = compile_python(self.python, self.consts)
            object.__setattr__(self, "code", code)
            object.__setattr__(self, "scope", scope)
            object.__setattr__(self, "run", eval(code, scope))  # the compiled function

    def __getstate__(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if k not in ("code", "scope", "run")}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state, code=None, scope=None, run=None)
        self.__post_init__()
