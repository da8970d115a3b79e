"""The safety limits of the expression language, in one place.

Every limit is a plain constant so docs/security.md can list them and the tests
can probe one past each; the raw-text and structure checks (:mod:`._sandbox`)
and the bounded arithmetic (:mod:`._runtime`) read them from here.
"""

from __future__ import annotations

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
