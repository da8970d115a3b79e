"""The small, safe expression language of rulebooks.

Rulebooks may come from untrusted pull requests, so an expression is treated as
hostile until proven harmless.  :func:`compile_expression` does all the proving,
once, when the rulebook loads:

1. **Limits before parsing.**  Length and bracket nesting are checked on the raw
   text, so a 100 000-character or 1000-bracket expression never reaches Python's
   parser (which can overflow on such input).  Parser ``RecursionError`` and
   ``MemoryError`` are caught all the same.
2. **Structure** (:func:`._sandbox.check_structure`): an iterative walk of the tree that
   counts nodes and depth and rejects every syntax outside the whitelist, each
   with its own code (``CODES``).  Literals are bounded and decimal literals are
   turned into exact :class:`~fractions.Fraction` values from their source text.
3. **Types** (:class:`._checker.TypeChecker`): names must be declared, functions must be
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

The package has one module per concept, so that a change to one of them (a new
function, a new limit, a faster backend) is read and reviewed in one place, and the
import order between them is the order of the proof (lowest first; none imports
the package itself, so there is no cycle):

* ``_limits`` -- the safety limits (the numbers docs/security.md lists);
* ``_codes`` -- the WZ3xx codes and what each means (read by :mod:`wzeval.output._issuecodes`);
* ``_types`` -- kinds, :class:`TypeInfo` and how two types unify;
* ``_sourcemap`` -- character offsets of nodes, for every error;
* ``_runtime`` -- what runs: the functions' implementations, bounded exact arithmetic;
* ``_functions`` -- the whitelist: each function's signature, doc and type rule
  (through a small protocol, so it needs no import of the checker);
* ``_sandbox`` -- steps 1 and 2: raw-text limits and character checks, the parse,
  the structure whitelist;
* ``_checker`` -- step 3, the type checker;
* ``_values`` -- the runtime representation of each type (environment checks);
* ``_codegen`` -- the fast path: the proven tree as compiled Python;
* ``_program`` -- the proven tree and its code, shared by both evaluators;
* ``_evaluator`` -- the evaluator of record, simpleeval restricted to the whitelist;
* ``_compile`` -- :func:`compile_expression` and :class:`CompiledExpression`,
  where the steps meet.

The modules are private: other layers import only the names below, from
``wzeval.expressions``.
"""

from __future__ import annotations

from wzeval.expressions._codes import CODES
from wzeval.expressions._compile import (
    REFERENCE,
    CompiledExpression,
    compile_expression,
    counted_name,
    needs_elements,
)
from wzeval.expressions._functions import FUNCTIONS, FunctionSpec
from wzeval.expressions._limits import (
    MAX_AST_NODES,
    MAX_DECIMAL_LITERAL_DIGITS,
    MAX_EXPRESSION_LENGTH,
    MAX_INT_LITERAL_DIGITS,
    MAX_LIST_LITERAL_ITEMS,
    MAX_NESTING_DEPTH,
    MAX_NUMBER_BITS,
    MAX_STRING_LITERAL_LENGTH,
)
from wzeval.expressions._sandbox import BIDI_CONTROLS, bidi_control_offset, char_name
from wzeval.expressions._types import Kind, TypeInfo
from wzeval.expressions._values import fits

__all__ = [
    "BIDI_CONTROLS",
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
    "REFERENCE",
    "CompiledExpression",
    "FunctionSpec",
    "Kind",
    "TypeInfo",
    "bidi_control_offset",
    "char_name",
    "compile_expression",
    "counted_name",
    "fits",
    "needs_elements",
]
