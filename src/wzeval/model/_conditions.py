"""What a condition can be true for: a small abstract interpretation for lint.

A rule condition (a tier's ``when``, a veto, a check) is turned into a
:class:`Condition`: a union of *boxes*, each box constraining some *terms* to
sets of values.  A term is a fact name or any sub-expression (``count(f)``,
``within_working_days(asked, answered, 1)``), keyed by its source text; its
values live in a domain given by its type and, for a bare fact, the fact's
declared ``min``/``max`` or enum ``options``:

* int and date terms range over integers (dates as day numbers), decimals over
  exact fractions — both as unions of intervals (:class:`Ranges`);
* bool and enum terms over a finite set (:class:`Choice`);
* anything else (``x is None``, ``'appendix1' in catalogs``, a call) is an
  opaque true/false atom.

Terms are treated as independent.  That makes "this condition can never be
true" and "this tier row is covered by earlier rows" *sound* (if it holds with
every combination of term values, it holds for the combinations that really
occur) — which is what lint reports.  Anything the analysis cannot represent
makes :meth:`ConditionAnalyzer.analyze` return ``None``: no claim is made.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING

from wzeval.core._errors import WzevalError
from wzeval.expressions import Kind, TypeInfo, compile_expression

if TYPE_CHECKING:  # annotations only: the rule kinds, below the models, use this module
    from wzeval.model._models import Derived, Fact

__all__ = [
    "Box",
    "Choice",
    "Condition",
    "ConditionAnalyzer",
    "Interval",
    "Ranges",
    "TooComplex",
    "ValueSet",
]

#: Most boxes one condition may expand to before the analysis gives up.
MAX_BOXES = 256


class TooComplex(Exception):
    """The condition is beyond what the analysis represents; no claim is made."""


# --------------------------------------------------------------------------- value sets

_Fmt = Callable[[Fraction], str]


@dataclass(frozen=True, order=True)
class Interval:
    """``lo ≤ x ≤ hi`` with open or closed ends; ``None`` is an infinite end."""

    lo: Fraction | None
    hi: Fraction | None
    lo_closed: bool = True
    hi_closed: bool = True

    def is_empty(self) -> bool:
        if self.lo is None or self.hi is None:
            return False
        if self.lo > self.hi:
            return True
        return self.lo == self.hi and not (self.lo_closed and self.hi_closed)


def _normal(iv: Interval, discrete: bool) -> Interval:
    """On integers, open ends become closed (``x < 5`` is ``x ≤ 4``)."""
    if not discrete:
        return iv
    lo = iv.lo
    hi = iv.hi
    if lo is not None:
        lo = Fraction(math.ceil(lo) if iv.lo_closed else math.floor(lo) + 1)
    if hi is not None:
        hi = Fraction(math.floor(hi) if iv.hi_closed else math.ceil(hi) - 1)
    return Interval(lo, hi, True, True)


def _lo_key(iv: Interval) -> tuple[int, Fraction, int]:
    if iv.lo is None:
        return (0, Fraction(0), 0)
    return (1, iv.lo, 0 if iv.lo_closed else 1)


@dataclass(frozen=True)
class Ranges:
    """A union of disjoint intervals, sorted; ``discrete`` for integers and dates."""

    parts: tuple[Interval, ...]
    discrete: bool

    @staticmethod
    def full(discrete: bool) -> Ranges:
        return Ranges((Interval(None, None),), discrete)

    @staticmethod
    def of(parts: Iterable[Interval], discrete: bool) -> Ranges:
        """Normalise: drop empty parts, sort, merge touching or overlapping ones."""
        ivs = sorted(
            (p for p in (_normal(i, discrete) for i in parts) if not p.is_empty()), key=_lo_key
        )
        merged: list[Interval] = []
        for iv in ivs:
            if merged and _touches(merged[-1], iv, discrete):
                last = merged[-1]
                if last.hi is None or (iv.hi is not None and _hi_ge(last, iv)):
                    continue
                merged[-1] = Interval(last.lo, iv.hi, last.lo_closed, iv.hi_closed)
            else:
                merged.append(iv)
        return Ranges(tuple(merged), discrete)

    def is_empty(self) -> bool:
        return not self.parts

    def intersect(self, other: Ranges) -> Ranges:
        out: list[Interval] = []
        for a in self.parts:
            for b in other.parts:
                lo, lo_c = _max_lo(a, b)
                hi, hi_c = _min_hi(a, b)
                out.append(Interval(lo, hi, lo_c, hi_c))
        return Ranges.of(out, self.discrete)

    def union(self, other: Ranges) -> Ranges:
        return Ranges.of(self.parts + other.parts, self.discrete)

    def complement(self) -> Ranges:
        out: list[Interval] = []
        lo: Fraction | None = None
        lo_closed = True
        for iv in self.parts:
            if iv.lo is not None:  # the gap before this part
                out.append(Interval(lo, iv.lo, lo_closed, not iv.lo_closed))
            if iv.hi is None:
                return Ranges.of(out, self.discrete)
            lo, lo_closed = iv.hi, not iv.hi_closed
        out.append(Interval(lo, None, lo_closed, True))
        return Ranges.of(out, self.discrete)

    def minus(self, other: Ranges) -> Ranges:
        return self.intersect(other.complement())

    def describe(self, fmt: _Fmt | None = None) -> str:
        """``4``, ``1–3``, ``≥ 5``, ``< 0`` … joined with commas."""
        show = fmt or _num
        texts = []
        for iv in self.parts:
            if iv.lo is not None and iv.hi is not None and iv.lo == iv.hi:
                texts.append(show(iv.lo))
            elif iv.lo is None and iv.hi is None:
                texts.append("any value")
            elif iv.lo is None:
                assert iv.hi is not None
                texts.append(f"{'≤' if iv.hi_closed else '<'} {show(iv.hi)}")
            elif iv.hi is None:
                texts.append(f"{'≥' if iv.lo_closed else '>'} {show(iv.lo)}")
            elif iv.lo_closed and iv.hi_closed:
                texts.append(f"{show(iv.lo)}–{show(iv.hi)}")
            else:
                lo_b = "[" if iv.lo_closed else "("
                hi_b = "]" if iv.hi_closed else ")"
                texts.append(f"{lo_b}{show(iv.lo)}, {show(iv.hi)}{hi_b}")
        return ", ".join(texts) if texts else "no value"


def _touches(a: Interval, b: Interval, discrete: bool) -> bool:
    """Whether b (starting at or after a's start) overlaps or adjoins a."""
    if a.hi is None or b.lo is None:
        return True
    if discrete:
        return b.lo <= a.hi + 1
    if b.lo < a.hi:
        return True
    return b.lo == a.hi and (a.hi_closed or b.lo_closed)


def _hi_ge(a: Interval, b: Interval) -> bool:
    assert a.hi is not None and b.hi is not None
    return a.hi > b.hi or (a.hi == b.hi and (a.hi_closed or not b.hi_closed))


def _max_lo(a: Interval, b: Interval) -> tuple[Fraction | None, bool]:
    if a.lo is None:
        return b.lo, b.lo_closed
    if b.lo is None or a.lo > b.lo:
        return a.lo, a.lo_closed
    if b.lo > a.lo:
        return b.lo, b.lo_closed
    return a.lo, a.lo_closed and b.lo_closed


def _min_hi(a: Interval, b: Interval) -> tuple[Fraction | None, bool]:
    if a.hi is None:
        return b.hi, b.hi_closed
    if b.hi is None or a.hi < b.hi:
        return a.hi, a.hi_closed
    if b.hi < a.hi:
        return b.hi, b.hi_closed
    return a.hi, a.hi_closed and b.hi_closed


def _num(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return f"{value.numerator}/{value.denominator}"


def _day(value: Fraction) -> str:
    return date.fromordinal(int(value)).isoformat()


@dataclass(frozen=True)
class Choice:
    """A subset of a finite universe (true/false, or an enum's options)."""

    values: frozenset[object]
    universe: frozenset[object]

    def is_empty(self) -> bool:
        return not self.values

    def intersect(self, other: Choice) -> Choice:
        return Choice(self.values & other.values, self.universe)

    def union(self, other: Choice) -> Choice:
        return Choice(self.values | other.values, self.universe)

    def complement(self) -> Choice:
        return Choice(self.universe - self.values, self.universe)

    def minus(self, other: Choice) -> Choice:
        return Choice(self.values - other.values, self.universe)

    def describe(self, fmt: _Fmt | None = None) -> str:
        return ", ".join(sorted(map(str, self.values))) or "no value"


ValueSet = Ranges | Choice


def _pairwise(
    a: ValueSet,
    b: ValueSet,
    ranges: Callable[[Ranges, Ranges], Ranges],
    choices: Callable[[Choice, Choice], Choice],
) -> ValueSet:
    """``a`` and ``b`` combined by the operation of their kind; two kinds cannot be."""
    if isinstance(a, Ranges) and isinstance(b, Ranges):
        return ranges(a, b)
    if isinstance(a, Choice) and isinstance(b, Choice):
        return choices(a, b)
    raise TooComplex("one term compared as two kinds")


def _vs_intersect(a: ValueSet, b: ValueSet) -> ValueSet:
    return _pairwise(a, b, Ranges.intersect, Choice.intersect)


def _vs_union(a: ValueSet, b: ValueSet) -> ValueSet:
    return _pairwise(a, b, Ranges.union, Choice.union)


def _vs_minus(a: ValueSet, b: ValueSet) -> ValueSet:
    return _pairwise(a, b, Ranges.minus, Choice.minus)


# --------------------------------------------------------------------------- conditions

Box = Mapping[str, ValueSet]


@dataclass(frozen=True)
class Condition:
    """A union of boxes; a term missing from a box may take any value of its domain."""

    boxes: tuple[Box, ...]
    domains: Mapping[str, ValueSet]

    def is_empty(self) -> bool:
        """True when the condition can never hold."""
        return not self.boxes

    def is_universal(self) -> bool:
        """True when the condition always holds (false when too complex to tell)."""
        try:
            return self.complement().is_empty()
        except TooComplex:
            return False

    @property
    def terms(self) -> frozenset[str]:
        return frozenset(t for b in self.boxes for t in b)

    def _with(self, boxes: Iterable[Box]) -> Condition:
        out = []
        for b in boxes:
            if any(v.is_empty() for v in b.values()):
                continue
            out.append(b)
            if len(out) > MAX_BOXES:
                raise TooComplex("too many cases")
        return Condition(tuple(out), self.domains)

    def union(self, other: Condition) -> Condition:
        return self._with(self.boxes + other.boxes)

    def intersect(self, other: Condition) -> Condition:
        out: list[Box] = []
        for a in self.boxes:
            for b in other.boxes:
                merged: dict[str, ValueSet] = dict(a)
                for t, v in b.items():
                    merged[t] = _vs_intersect(merged[t], v) if t in merged else v
                out.append(merged)
        return self._with(out)

    def complement(self) -> Condition:
        result = Condition(({},), self.domains)
        for box in self.boxes:
            # ¬box as disjoint pieces: ¬t1, or t1 ∧ ¬t2, or t1 ∧ t2 ∧ ¬t3 …
            pieces: list[Box] = []
            prefix: dict[str, ValueSet] = {}
            for t, v in box.items():
                pieces.append({**prefix, t: _vs_minus(self.domains[t], v)})
                prefix[t] = v
            result = result.intersect(self._with(pieces))
            if result.is_empty():
                break
        return result

    def minus(self, other: Condition) -> Condition:
        return self.intersect(other.complement())

    def only_term(self) -> str | None:
        """The single term every box constrains, if there is exactly one."""
        terms = self.terms
        return next(iter(terms)) if len(terms) == 1 else None

    def values_of(self, term: str) -> ValueSet:
        """The values of ``term`` for which the condition can hold (one-term conditions)."""
        domain = self.domains[term]
        acc = _vs_minus(domain, domain)
        for b in self.boxes:
            acc = _vs_union(acc, b.get(term, domain))
        return acc


# --------------------------------------------------------------------------- the analyzer

_FLIP: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.Gt,
    ast.LtE: ast.GtE,
    ast.Gt: ast.Lt,
    ast.GtE: ast.LtE,
    ast.Eq: ast.Eq,
    ast.NotEq: ast.NotEq,
}
_RANGE_OF: dict[type[ast.cmpop], Callable[[Fraction], Interval]] = {
    ast.Lt: lambda c: Interval(None, c, True, False),
    ast.LtE: lambda c: Interval(None, c),
    ast.Gt: lambda c: Interval(c, None, False, True),
    ast.GtE: lambda c: Interval(c, None),
    ast.Eq: lambda c: Interval(c, c),
}
_NON_NEGATIVE = frozenset({"len", "count", "count_where", "working_days_between"})


class ConditionAnalyzer:
    """Turns the conditions of one indicator into :class:`Condition` values.

    ``names`` are the names its expressions may read (with types), ``facts`` and
    ``derived`` its declarations (for ranges, options and derived shapes).
    """

    def __init__(
        self,
        names: Mapping[str, TypeInfo],
        facts: Iterable[Fact] = (),
        derived: Iterable[Derived] = (),
    ) -> None:
        self.names = dict(names)
        self.facts = {f.id: f for f in facts}
        self.derived = {d.id: d for d in derived}
        self.domains: dict[str, ValueSet] = {}
        self.labels: dict[str, str] = {}  # term → how to show its values ("date")

    # ---------------------------------------------------------------- entry points

    def analyze(self, source: str) -> Condition | None:
        """The condition of a boolean expression, or ``None`` when no claim can be made."""
        try:
            node = _parse(source)
            return self._cond(node)
        except (TooComplex, RecursionError):
            return None

    def term_domain(self, source: str) -> Ranges | None:
        """The integer range an int expression (a count) can take, when it is known."""
        try:
            node = _parse(source)
            value = _const(node)
            if isinstance(value, int) and not isinstance(value, bool):
                return Ranges.of([Interval(Fraction(value), Fraction(value))], True)
            if isinstance(node, ast.IfExp):  # ``a if cond else b``: the branches cond allows
                return self._choice(node)
            kind = self._kind(node)
            if kind is not Kind.INT:
                return None
            dom = self._domain(node, kind)
        except (TooComplex, RecursionError):
            return None
        return dom if isinstance(dom, Ranges) else None

    def _choice(self, node: ast.IfExp) -> Ranges | None:
        branches = []
        for branch in (node.body, node.orelse):
            dom = self.term_domain(ast.unparse(branch))
            if dom is None:
                return None
            branches.append(dom)
        cond = self._cond(node.test)
        out = Ranges.of([], True)
        if not cond.is_empty():
            out = out.union(branches[0])
        if not cond.is_universal():
            out = out.union(branches[1])
        return out

    def constant(self, source: str) -> object:
        """The value of a literal expression (``0``, ``3``, ``true``), else ``None``."""
        try:
            return _const(_parse(source))
        except (TooComplex, RecursionError):
            return None

    def show(self, term: str, values: ValueSet) -> str:
        """Values of a term as people read them (dates as dates)."""
        return values.describe(_day if self.labels.get(term) == "date" else None)

    # ---------------------------------------------------------------- internals

    def _true(self) -> Condition:
        return Condition(({},), self.domains)

    def _false(self) -> Condition:
        return Condition((), self.domains)

    def _atom(self, term: str, values: ValueSet) -> Condition:
        return self._true()._with(({term: values},))

    def _cond(self, node: ast.expr) -> Condition:
        if isinstance(node, ast.BoolOp):
            parts = [self._cond(v) for v in node.values]
            acc = parts[0]
            for p in parts[1:]:
                acc = acc.intersect(p) if isinstance(node.op, ast.And) else acc.union(p)
            return acc
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return self._cond(node.operand).complement()
        value = _const(node)
        if isinstance(value, bool):
            return self._true() if value else self._false()
        if isinstance(node, ast.Compare):
            return self._compare(node)
        kind = self._kind(node)
        if kind is Kind.BOOL:
            term, dom = self._term(node, kind)
            assert isinstance(dom, Choice)
            return self._atom(term, Choice(frozenset({True}), dom.universe))
        raise TooComplex("not a condition")

    def _compare(self, node: ast.Compare) -> Condition:
        acc = self._true()
        left = node.left
        for op, right in zip(node.ops, node.comparators, strict=True):
            acc = acc.intersect(self._compare_one(left, op, right))
            left = right
        return acc

    def _compare_one(self, left: ast.expr, op: ast.cmpop, right: ast.expr) -> Condition:
        lv, rv = _const(left), _const(right)
        if lv is not None and rv is not None:
            raise TooComplex("two constants")
        original = ast.Compare(left, [op], [right])
        if isinstance(op, ast.In | ast.NotIn):
            if lv is None and isinstance(right, ast.List | ast.Tuple):
                try:
                    return self._member(left, right, isinstance(op, ast.NotIn))
                except TooComplex:
                    pass
            return self._opaque(original)
        if rv is None and lv is not None:
            left, right, lv, rv = right, left, rv, lv
            op = _FLIP[type(op)]()
        if rv is None or type(op) not in _FLIP:
            return self._opaque(original)
        try:
            term, dom = self._term(left, self._kind(left))
        except TooComplex:
            return self._opaque(original)
        if isinstance(dom, Choice):
            if not isinstance(op, ast.Eq | ast.NotEq):
                return self._opaque(original)
            point = Choice(frozenset({rv}) & dom.universe, dom.universe)
            return self._atom(term, point if isinstance(op, ast.Eq) else point.complement())
        c = _ordinal(rv)
        if c is None:
            raise TooComplex("constant of another kind")
        if isinstance(op, ast.NotEq):
            values = Ranges.of([Interval(c, c)], dom.discrete).complement()
        else:
            values = Ranges.of([_RANGE_OF[type(op)](c)], dom.discrete)
        return self._atom(term, dom.intersect(values))

    def _member(self, left: ast.expr, right: ast.List | ast.Tuple, negated: bool) -> Condition:
        consts = [_const(e) for e in right.elts]
        if any(c is None for c in consts):
            raise TooComplex("list of non-literals")
        term, dom = self._term(left, self._kind(left))
        values: ValueSet
        if isinstance(dom, Choice):
            values = Choice(frozenset(consts) & dom.universe, dom.universe)
        else:
            points = [_ordinal(c) for c in consts]
            values = dom.intersect(
                Ranges.of([Interval(p, p) for p in points if p is not None], dom.discrete)
            )
        return self._atom(term, _vs_minus(dom, values) if negated else values)

    def _opaque(self, node: ast.expr) -> Condition:
        term = ast.unparse(node)
        universe: frozenset[object] = frozenset({True, False})
        self.domains.setdefault(term, Choice(universe, universe))
        return self._atom(term, Choice(frozenset({True}), universe))

    def _kind(self, node: ast.expr) -> Kind:
        if isinstance(node, ast.Name) and node.id in self.names:
            return self.names[node.id].kind
        try:
            return compile_expression(ast.unparse(node), self.names).type.kind
        except WzevalError as exc:
            raise TooComplex("sub-expression does not type") from exc

    def _term(self, node: ast.expr, kind: Kind) -> tuple[str, ValueSet]:
        term = ast.unparse(node)
        if term not in self.domains:
            self.domains[term] = self._domain(node, kind)
            if kind is Kind.DATE:
                self.labels[term] = "date"
        return term, self.domains[term]

    def _domain(self, node: ast.expr, kind: Kind) -> ValueSet:
        if kind is Kind.BOOL:
            flags: frozenset[object] = frozenset({True, False})
            return Choice(flags, flags)
        if kind is Kind.STR:
            fact = self.facts.get(node.id) if isinstance(node, ast.Name) else None
            if fact is not None and fact.type == "enum" and fact.options:
                options: frozenset[object] = frozenset(fact.options)
                return Choice(options, options)
            raise TooComplex("free text")
        if kind not in (Kind.INT, Kind.DECIMAL, Kind.DATE):
            raise TooComplex(f"{kind} values")
        discrete = kind is not Kind.DECIMAL
        lo: Fraction | None = None
        hi: Fraction | None = None
        if isinstance(node, ast.Name):
            fact = self.facts.get(node.id)
            if fact is not None and fact.type in ("int", "decimal"):
                lo = Fraction(fact.min) if fact.min is not None else None
                hi = Fraction(fact.max) if fact.max is not None else None
            elif node.id in self.derived:
                lo, hi = self._derived_bounds(self.derived[node.id].expr)
        elif isinstance(node, ast.Call):
            lo, hi = _call_bounds(node)
        return Ranges.of([Interval(lo, hi)], discrete)

    def _derived_bounds(self, source: str) -> tuple[Fraction | None, Fraction | None]:
        try:
            node = _parse(source)
        except TooComplex:
            return None, None
        return _call_bounds(node) if isinstance(node, ast.Call) else (None, None)


def _call_bounds(node: ast.Call) -> tuple[Fraction | None, Fraction | None]:
    """Bounds of counting functions: ``count([a, b, c])`` is 0–3, ``len(xs)`` ≥ 0."""
    if not isinstance(node.func, ast.Name) or node.func.id not in _NON_NEGATIVE:
        return None, None
    if node.func.id == "count" and node.args and isinstance(node.args[0], ast.List | ast.Tuple):
        return Fraction(0), Fraction(len(node.args[0].elts))
    return Fraction(0), None


def _parse(source: str) -> ast.expr:
    try:
        return ast.parse("(" + source + "\n)", mode="eval").body
    except (SyntaxError, ValueError, MemoryError) as exc:
        raise TooComplex("does not parse") from exc


def _const(node: ast.expr) -> object:
    """The value of a literal (``3``, ``-1``, ``0.5``, ``'x'``, ``true``, ``date(2023, 1, 31)``)."""
    if isinstance(node, ast.Constant):
        v = node.value
        if isinstance(v, float):
            return Fraction(repr(v))
        return v if isinstance(v, bool | int | str) else None
    if isinstance(node, ast.Name) and node.id in ("true", "false", "True", "False"):
        return node.id in ("true", "True")
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _const(node.operand)
        if isinstance(inner, int | Fraction) and not isinstance(inner, bool):
            return -inner
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "date"
        and len(node.args) == 3
        and not node.keywords
    ):
        args = [_const(a) for a in node.args]
        if all(isinstance(a, int) and not isinstance(a, bool) for a in args):
            try:
                return date(*args)  # type: ignore[arg-type]
            except ValueError:
                return None
    return None


def _ordinal(value: object) -> Fraction | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, date):
        return Fraction(value.toordinal())
    if isinstance(value, int | Fraction):
        return Fraction(value)
    return None
