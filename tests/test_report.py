"""Report figures: exact inside, rounded once (2 places, half up) when shown (R9)."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from wzeval.report import display, exact_text, share_text


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (F(1, 200), "0.01"),  # 0.005 rounds half up, not to even
        (F(1, 400), "0.00"),  # 0.0025 → 0.00
        (F(2, 3), "0.67"),
        (F(-1, 200), "-0.01"),
        (F(-1, 1000), "0.00"),  # no "-0.00"
        (F(110), "110.00"),
        (F(35911, 360), "99.75"),  # 99.7527… from the strong example
    ],
)
def test_display_rounds_half_up_once(value: F, shown: str) -> None:
    """display() rounds to 2 places half up, and never prints a negative zero."""
    assert display(value) == shown


def test_display_other_places() -> None:
    """The rulebook's arithmetic.places is honoured."""
    assert display(F(2, 3), 4) == "0.6667"
    assert display(F(5, 2), 0) == "3"


@pytest.mark.parametrize(
    ("value", "text"),
    [(F(3, 2), "1.5"), (F(4, 3), "4/3"), (F(-3, 5), "-0.6"), (F(7), "7"), (F(1, 8), "0.125")],
)
def test_exact_text_round_trips(value: F, text: str) -> None:
    """Exact text is a terminating decimal when one exists, else a fraction; Fraction reads both."""
    assert exact_text(value) == text
    assert F(text) == value


def test_share_text_marks_rounding() -> None:
    """Shares print exactly when they can and say ≈ when rounded."""
    assert share_text(F(1, 2)) == "50%"
    assert share_text(F(3, 40)) == "7.5%"
    assert share_text(F(1, 9)) == "≈11.11%"
