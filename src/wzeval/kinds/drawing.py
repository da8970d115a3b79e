"""Small Hypothesis helpers the rule kinds' ``draw`` methods share.

Imported only when rules are generated (property tests, ``wzeval verify``), so
Hypothesis stays an optional dependency of the scoring path.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import strategies as st

from wzeval.kinds.base import COUNT_SPAN
from wzeval.model._modelbase import format_amount

__all__ = ["COUNT_SPAN", "amount", "each", "parts", "shares"]


def amount(value: Fraction) -> str:
    """An amount the way rulebooks write it (``50%``, ``12.5%`` or ``1/9``)."""
    return format_amount(value)


def shares(draw: st.DrawFn, n: int) -> list[Fraction]:
    """``n`` positive exact fractions adding up to exactly 1 (e.g. 1/3, 1/6, 1/2)."""
    weights = draw(st.lists(st.integers(1, 12), min_size=n, max_size=n))
    total = sum(weights)
    return [Fraction(w, total) for w in weights]


def parts(draw: st.DrawFn, n: int, *, decreasing: bool) -> list[Fraction]:
    """``n`` fractions in [0, 1] in order (non-increasing or non-decreasing)."""
    denom = draw(st.sampled_from([1, 2, 4, 5, 10, 3]))
    ks = sorted(draw(st.lists(st.integers(0, denom), min_size=n, max_size=n)))
    if decreasing:
        ks.reverse()
    return [Fraction(k, denom) for k in ks]


def each(draw: st.DrawFn) -> Fraction:
    """A positive per-occurrence deduction, as a fraction of the weight."""
    return draw(st.sampled_from([Fraction(k, 100) for k in (1, 2, 5, 10, 20, 25, 50)]))
