"""Shared facts (``shared: true``): a fact of the site recorded once, under one indicator,
and read by the expressions of any indicator — worked by hand on tests/corpus/shared.yaml.

``site`` (10) records ``is_portal`` (shared) and ``ok``; ``portal_only`` (40) applies only
to portals; ``everyone`` (50) earns 50% for ``done`` and 50% for ``done and not
is_portal``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from support.documents import corpus_findings
from support.paths import TESTS

import wzeval
from wzeval.core._errors import ValidationFailed

RULEBOOK = TESTS / "corpus" / "shared.yaml"
TEXT = RULEBOOK.read_text(encoding="utf-8")


def score(indicators: dict[str, Any], *, partial: bool = False) -> wzeval.ScoreReport:
    rb = wzeval.load_rulebook(RULEBOOK)
    doc = corpus_findings(rb, indicators)
    return wzeval.evaluate(rb, wzeval.load_findings(doc, rb, partial=partial), partial=partial)


def test_a_portal_is_assessed_on_the_portal_indicator() -> None:
    """is_portal true: portal_only applies (40 with a guide); everyone earns only its
    first half: 50 × 50% = 25; total 10 + 40 + 25 = 75."""
    r = score(
        {"site": {"is_portal": True, "ok": True}, "portal_only": {"guide": True},
         "everyone": {"done": True}}
    )  # fmt: skip
    assert (r.indicator("portal_only").points, r.indicator("everyone").points) == (40, 25)
    assert r.total == 75


def test_a_non_portal_leaves_it_out_and_earns_the_other_half() -> None:
    """is_portal false: portal_only does not apply (its facts are not needed) and the base
    is out of 60; everyone earns 50 × 100% = 50; base = 100 × 60 / 60 = 100."""
    r = score({"site": {"is_portal": False, "ok": True}, "everyone": {"done": True}})
    assert not r.indicator("portal_only").applicable
    assert r.indicator("everyone").points == 50
    assert (r.base_possible, r.base) == (60, 100)


def test_an_unrecorded_shared_fact_is_owed_once_by_its_indicator() -> None:
    """Without is_portal, the one missing fact is site.is_portal (WZ404), not a fact of
    the indicators that read it; with --partial those readers are not assessed."""
    with pytest.raises(ValidationFailed) as exc:
        score({"site": {"ok": True}, "portal_only": {"guide": True}, "everyone": {"done": True}})
    missing = [i.message for i in exc.value.issues if i.code == "WZ404"]
    assert len(missing) == 1 and "site.is_portal" in missing[0]
    r = score(
        {"site": {"ok": True}, "portal_only": {"guide": True}, "everyone": {"done": True}},
        partial=True,
    )
    assert not r.indicator("everyone").assessed and not r.complete


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        # the same name shared twice
        ("- {id: guide, type: bool,", "- {id: is_portal, type: bool, shared: true,", "shared by"),
        # a local fact named like a shared one
        ("- {id: done, type: bool,", "- {id: is_portal, type: bool,", "has the name of a fact"),
    ],
)
@pytest.mark.usefixtures("english")  # asserts the English wording
def test_clashing_names_are_refused(tmp_path: Path, old: str, new: str, says: str) -> None:
    assert old in TEXT
    f = tmp_path / "rb.yaml"
    f.write_text(TEXT.replace(old, new), encoding="utf-8")
    rb, issues = wzeval.read_rulebook(f)
    assert rb is None
    found = [i for i in issues if i.code == "WZ202" and says in i.message]
    assert found and found[0].position is not None and found[0].position.line > 0
    assert found[0].hint
