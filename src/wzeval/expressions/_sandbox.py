"""The proof that an expression is harmless, before any type is looked at.

Step 1 (:func:`parse`): limits and character checks on the raw text (length,
bracket depth, bidirectional controls, compatibility characters), then
``ast.parse`` once.  Step 2 (:func:`check_structure`): an iterative walk that
counts nodes and depth and refuses every syntax outside the whitelist, each with
its own code.  Step 3, the types, is :mod:`._checker`.
"""

from __future__ import annotations

import ast
import unicodedata
import warnings
from fractions import Fraction

from wzeval.core._codes import (
    WZ301,
    WZ303,
    WZ305,
    WZ308,
    WZ309,
    WZ311,
    WZ312,
    WZ313,
    WZ314,
    WZ315,
    WZ316,
    WZ317,
    WZ318,
    WZ319,
    WZ330,
    WZ331,
)
from wzeval.core._errors import ExpressionError
from wzeval.core._i18n import N_, _
from wzeval.core._issues import did_you_mean
from wzeval.expressions._functions import FUNCTIONS
from wzeval.expressions._limits import (
    MAX_AST_NODES,
    MAX_DECIMAL_LITERAL_DIGITS,
    MAX_EXPRESSION_LENGTH,
    MAX_INT_LITERAL_DIGITS,
    MAX_LIST_LITERAL_ITEMS,
    MAX_NESTING_DEPTH,
    MAX_STRING_LITERAL_LENGTH,
)
from wzeval.expressions._sourcemap import SourceMap, fail


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


def parse(source: str) -> tuple[ast.Expression, SourceMap]:
    """Limits on the raw text, then ``ast.parse`` once, with every failure a WZ code."""
    if len(source) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError(
            WZ305,
            _(
                "the expression is {n_source} characters long, more than "
                "the limit of {max_expression_length}"
            ).format(n_source=len(source), max_expression_length=MAX_EXPRESSION_LENGTH),
            offset=MAX_EXPRESSION_LENGTH,
            hint=_("split it into derived facts"),
        )
    text = source.lstrip()
    lead = len(source) - len(text)
    where = SourceMap(source, lead)
    if not text:
        raise ExpressionError(WZ301, _("the expression is empty"), offset=lead)
    bidi = bidi_control_offset(text)
    if bidi is not None:
        raise ExpressionError(
            WZ331,
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
            WZ330,
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
            WZ305,
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
            WZ301,
            _("invalid syntax: {msg}").format(msg=exc.msg),
            offset=where.at_char(line, col),
            hint=_("expressions are one Python-like expression, e.g. a >= 3 and b"),
        ) from None
    except (RecursionError, MemoryError):
        raise ExpressionError(
            WZ305,
            _("the expression is too complex to parse"),
            offset=lead,
            hint=_("split it into derived facts"),
        ) from None
    except ValueError as exc:  # e.g. null bytes on some Python versions
        raise ExpressionError(
            WZ301, _("invalid source: {exc}").format(exc=exc), offset=lead
        ) from None
    return tree, where


# Nodes that are never allowed: code, what, hint.
_FORBIDDEN: dict[type[ast.AST], tuple[str, str, str]] = {
    ast.Attribute: (
        WZ311,
        N_("attribute access"),
        N_("use the whitelisted functions, e.g. year(d) instead of d.year"),
    ),
    ast.Subscript: (
        WZ312,
        N_("subscripts"),
        N_('use len(), min(), max() or values(records, "field") instead of indexing'),
    ),
    ast.Slice: (WZ312, N_("slices"), N_("slicing is not supported")),
    ast.Lambda: (WZ313, N_("lambda"), N_("expressions cannot define functions")),
    ast.ListComp: (
        WZ314,
        N_("list comprehensions"),
        N_("use count_where, sum_of, mean_of or values on records"),
    ),
    ast.SetComp: (WZ314, N_("set comprehensions"), N_("use the records helpers")),
    ast.DictComp: (WZ314, N_("dict comprehensions"), N_("use the records helpers")),
    ast.GeneratorExp: (WZ314, N_("generator expressions"), N_("use the records helpers")),
    ast.JoinedStr: (WZ315, N_("f-strings"), N_("expressions compute values, not text")),
    ast.FormattedValue: (WZ315, N_("f-strings"), N_("expressions compute values, not text")),
    ast.NamedExpr: (WZ317, N_("assignment (:=)"), N_("declare a derived fact instead")),
    ast.Starred: (WZ318, N_("starred unpacking"), N_("pass a list instead of *x")),
    ast.Dict: (WZ319, N_("dict literals"), N_("use a list literal [a, b]")),
    ast.Set: (WZ319, N_("set literals"), N_("use a list literal [a, b]")),
    ast.Await: (WZ309, N_("await"), N_("expressions are plain values")),
    ast.Yield: (WZ309, N_("yield"), N_("expressions are plain values")),
    ast.YieldFrom: (WZ309, N_("yield from"), N_("expressions are plain values")),
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


def _decimal_literal(node: ast.Constant, text: str, where: SourceMap) -> Fraction:
    """The exact value of a decimal literal, read from its source text, never a float."""
    literal = (ast.get_source_segment(text, node) or "").replace("_", "")
    if "e" in literal.lower():
        fail(
            WZ309,
            _("scientific notation {literal!r} is not supported").format(literal=literal),
            where,
            node,
            hint=_("write the decimal out, e.g. 0.001"),
        )
    if sum(ch.isdigit() for ch in literal) > MAX_DECIMAL_LITERAL_DIGITS:
        fail(
            WZ305,
            _("the decimal literal has more than {max_decimal_literal_digits} digits").format(
                max_decimal_literal_digits=MAX_DECIMAL_LITERAL_DIGITS
            ),
            where,
            node,
        )
    return Fraction(literal)


def _check_constant(node: ast.Constant, text: str, where: SourceMap) -> None:
    value = node.value
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, int):
        if abs(value) >= 10**MAX_INT_LITERAL_DIGITS:
            fail(
                WZ305,
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
            fail(
                WZ305,
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
        fail(WZ309, _("{what} are not supported").format(what=what), where, node)


def check_structure(tree: ast.Expression, text: str, where: SourceMap) -> None:
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
            fail(
                WZ305,
                _("the expression has more than {max_ast_nodes} parts").format(
                    max_ast_nodes=MAX_AST_NODES
                ),
                where,
                node,
                hint=_("split it into derived facts"),
            )
        if depth > MAX_NESTING_DEPTH:
            fail(
                WZ305,
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
            fail(
                code,
                _("{what} not allowed in expressions").format(what=_(what)),
                where,
                node,
                hint=_(hint),
            )
        if not isinstance(node, _ALLOWED_NODES):
            fail(WZ309, _("{name} is not supported").format(name=kind.__name__), where, node)
        if isinstance(node, ast.Constant):
            _check_constant(node, text, where)
        elif isinstance(node, ast.BinOp | ast.UnaryOp) and type(node.op) in _OPERATOR_HINTS:
            symbol, hint = _OPERATOR_HINTS[type(node.op)]
            fail(
                WZ316,
                _("the operator {symbol!r} is not allowed").format(symbol=symbol),
                where,
                node,
                hint=_(hint),
            )
        elif isinstance(node, ast.List | ast.Tuple) and len(node.elts) > MAX_LIST_LITERAL_ITEMS:
            fail(
                WZ305,
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


def _check_call_shape(node: ast.Call, where: SourceMap) -> None:
    func = node.func
    if isinstance(func, ast.Attribute):
        fail(
            WZ303,
            _("method calls are not allowed (.{attr}(...))").format(attr=func.attr),
            where,
            node,
            hint=_("only whitelisted functions can be called, by plain name: ")
            + ", ".join(FUNCTIONS),
        )
    if not isinstance(func, ast.Name):
        fail(
            WZ303,
            _("only whitelisted functions can be called, by plain name"),
            where,
            node,
            hint=", ".join(FUNCTIONS),
        )
    if func.id not in FUNCTIONS:
        fail(
            WZ303,
            _("unknown function {func_id!r}").format(func_id=func.id),
            where,
            func,
            hint=did_you_mean(func.id, FUNCTIONS) or _("allowed: ") + ", ".join(FUNCTIONS),
        )
    if node.keywords:
        kw = node.keywords[0]
        fail(
            WZ308,
            _("{func_id}() takes no keyword arguments").format(func_id=func.id),
            where,
            kw,
            hint=FUNCTIONS[func.id].signature,
        )
