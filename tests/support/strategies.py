"""Hypothesis strategies for wzeval: generated rulebooks and generated findings.

:func:`rulebooks` builds a valid :class:`wzeval.model._models.Rulebook` from plain dicts
(through ``Rulebook.model_validate``, the way a YAML document is read) and
compiles it: a generated valid rulebook passing every whole-rulebook check is
itself a property, so a check that refuses one fails the drawing test loudly.

The generated rulebooks keep every expression a bare fact name, so a test can
find the fact behind any rule by reading the model (``item.check``,
``item.bands.count``, ``veto.when`` …) and turn exactly that knob.

:func:`findings_for` is generic over *any* rulebook (a generated one, the worked
example or the bundled 2023 table): it reads each indicator's declared facts —
type, options, min/max, list element type, record fields, nullability — and
draws a findings *mapping* with every fact present and valid.
"""

from __future__ import annotations

import itertools
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

from wzeval.analysis._generate import findings_strategy
from wzeval.kinds import rule_kinds
from wzeval.kinds.drawing import amount as _amount
from wzeval.kinds.drawing import each as _each
from wzeval.kinds.drawing import shares as _shares
from wzeval.model._models import Rulebook
from wzeval.scoring._api import compiled

__all__ = [
    "DEPARTMENTS",
    "MONITORING_YEAR",
    "cases",
    "findings_for",
    "overall_cases",
    "overall_rulebook_dicts",
    "rulebook_dicts",
    "rulebooks",
]

#: Departments of every generated rulebook (name, then aliases).
DEPARTMENTS = [
    {"id": "a", "name": "甲局", "aliases": ["甲市甲局"]},
    {"id": "b", "name": "乙局"},
]
#: Dates in generated findings lie in this year, which the working-day calendar covers.
MONITORING_YEAR = 2023
# ----------------------------------------------------------------------------- amounts


def _positive_split(draw: st.DrawFn, total: int, parts: int) -> list[int]:
    """Up to ``parts`` positive integers adding up to ``total`` (fewer when ``total`` is small)."""
    parts = min(parts, total)
    if parts == 1:
        return [total]
    cuts = sorted(
        draw(
            st.lists(st.integers(1, total - 1), min_size=parts - 1, max_size=parts - 1, unique=True)
        )
    )
    bounds = [0, *cuts, total]
    return [b - a for a, b in itertools.pairwise(bounds)]


# ----------------------------------------------------------------------------- rulebooks


class _Facts:
    """The facts of one indicator being built; every rule asks it for fresh names."""

    def __init__(self) -> None:
        self.facts: list[dict[str, Any]] = []

    def new(self, prefix: str, type_: str, **extra: Any) -> str:
        fid = f"{prefix}{len(self.facts) + 1}"
        self.facts.append({"id": fid, "type": type_, "ask": f"{fid}？", **extra})
        return fid

    def flag(self) -> str:
        return self.new("b", "bool")

    def count(self) -> str:
        return self.new("n", "int", min=0)


def _rule(draw: st.DrawFn, kind: str, share: Fraction, facts: _Facts) -> dict[str, Any]:
    """The credit rule of one item of the given kind and share (drawn by the kind)."""
    return {kind: rule_kinds()[kind].draw(draw, share, facts)}


#: Every registered rule kind: a new kind is drawn as soon as it is registered.
_KINDS = list(rule_kinds())


def _vetoes(draw: st.DrawFn, facts: _Facts, prefix: str) -> list[dict[str, Any]]:
    n = draw(st.integers(0, 2))
    return [{"id": f"{prefix}{i + 1}", "when": facts.flag(), "label": "否决"} for i in range(n)]


def _deductions(
    draw: st.DrawFn, facts: _Facts, min_size: int, max_size: int
) -> list[dict[str, Any]]:
    n = draw(st.integers(min_size, max_size))
    out: list[dict[str, Any]] = []
    for i in range(n):
        ded: dict[str, Any] = {
            "id": f"x{i + 1}",
            "count": facts.count(),
            "each": _amount(_each(draw)),
        }
        if draw(st.booleans()):
            ded["cap"] = _amount(Fraction(draw(st.integers(1, 10)), 10))
        out.append(ded)
    return out


def _scored_indicator(draw: st.DrawFn, ident: str, weight: int) -> dict[str, Any]:
    """A base or bonus indicator: 1–4 items whose shares add up to exactly 100%."""
    facts = _Facts()
    ind: dict[str, Any] = {
        "id": ident,
        "name": f"指标{ident}",
        "weight": Decimal(weight),
        "weight_source": "stated",
    }
    # Sometimes the indicator applies only when a fact says so (R7: it then leaves the base).
    if draw(st.integers(0, 5)) == 5:  # (the last value: examples shrink to no `applies`)
        ind["applies"] = facts.new("a", "bool")
    items = []
    for i, share in enumerate(_shares(draw, draw(st.integers(1, 4)))):
        kind = draw(st.sampled_from(_KINDS))
        item: dict[str, Any] = {"id": f"i{i + 1}", "share": _amount(share)}
        item.update(_rule(draw, kind, share, facts))
        vetoes = _vetoes(draw, facts, "iv") if draw(st.integers(0, 3)) == 3 else []
        if vetoes:
            item["vetoes"] = vetoes
        items.append(item)
    ind["items"] = items
    vetoes = _vetoes(draw, facts, "v")
    if vetoes:
        ind["vetoes"] = vetoes
    deds = _deductions(draw, facts, 0, 2)
    if deds:
        ind["deductions"] = deds
    ind["facts"] = facts.facts
    return ind


def _penalty_indicator(draw: st.DrawFn, ident: str, weight: int) -> dict[str, Any]:
    """A penalty indicator: a negative weight and 1–3 per-occurrence deductions."""
    facts = _Facts()
    deds = _deductions(draw, facts, 1, 3)
    return {
        "id": ident,
        "name": f"指标{ident}",
        "weight": Decimal(weight),
        "weight_source": "stated",
        "facts": facts.facts,
        "deductions": deds,
    }


@st.composite
def rulebook_dicts(draw: st.DrawFn) -> dict[str, Any]:
    """A valid rulebook document as plain data (what a YAML file would hold)."""
    categories: list[dict[str, Any]] = []
    n_base = draw(st.integers(1, 3))
    for ci, cat_weight in enumerate(_positive_split(draw, 100, n_base)):
        weights = _positive_split(draw, cat_weight, draw(st.integers(1, 4)))
        categories.append(
            {
                "id": f"base{ci + 1}",
                "name": f"基础{ci + 1}",
                "weight": Decimal(cat_weight),
                "indicators": [
                    _scored_indicator(draw, f"k{ci + 1}_{ii + 1}", w)
                    for ii, w in enumerate(weights)
                ],
            }
        )
    if draw(st.booleans()):
        total = draw(st.integers(2, 10))
        weights = _positive_split(draw, total, draw(st.integers(1, 2)))
        categories.append(
            {
                "id": "bonus",
                "name": "加分",
                "kind": "bonus",
                "weight": Decimal(total),
                "indicators": [
                    _scored_indicator(draw, f"plus{ii + 1}", w) for ii, w in enumerate(weights)
                ],
            }
        )
    if draw(st.booleans()):
        total = draw(st.integers(2, 10))
        weights = _positive_split(draw, total, draw(st.integers(1, 2)))
        categories.append(
            {
                "id": "penalty",
                "name": "扣分",
                "kind": "penalty",
                "weight": Decimal(-total),
                "indicators": [
                    _penalty_indicator(draw, f"minus{ii + 1}", -w) for ii, w in enumerate(weights)
                ],
            }
        )
    return {
        "wzeval": "rulebook/1",
        "id": "generated",
        "title": "generated rulebook",
        "year": MONITORING_YEAR,
        "departments": DEPARTMENTS,
        "categories": categories,
    }


@st.composite
def overall_rulebook_dicts(draw: st.DrawFn) -> dict[str, Any]:
    """A valid rulebook with the constructs above the indicators: sometimes a 单项否决
    category, a bonus category gated on the base, two separately scored parts (the veto
    category then belongs to the first), and always grades."""
    doc = draw(rulebook_dicts())
    categories = doc["categories"]
    if draw(st.booleans()):
        facts = _Facts()
        indicators = []
        for i in range(draw(st.integers(1, 2))):
            flag = facts.flag()
            indicators.append(
                {
                    "id": f"veto{i + 1}",
                    "name": f"否决{i + 1}",
                    "weight": Decimal(0),
                    "weight_source": "stated",
                    "facts": [f for f in facts.facts if f["id"] == flag],
                    "vetoes": [{"id": f"v{i + 1}", "when": flag, "label": f"否决{i + 1}"}],
                }
            )
        categories.insert(
            0,
            {
                "id": "veto",
                "name": "单项否决",
                "kind": "veto",
                "weight": 0,
                "indicators": indicators,
            },
        )
    for cat in categories:
        if cat["id"] in ("bonus", "penalty"):  # those name scores in grades
            cat["id"] += "_part"
        if cat.get("kind") == "bonus" and draw(st.booleans()):
            cat["when"] = f"base > {draw(st.integers(0, 100))}"
    if draw(st.booleans()):  # two separately scored parts: a second base of 100
        first = draw(st.integers(1, 99))
        doc["parts"] = [
            {"id": "p1", "name": "部分一", "weight": f"{first}%"},
            {"id": "p2", "name": "部分二", "weight": f"{100 - first}%"},
        ]
        for cat in categories:
            if cat.get("kind", "base") == "base" or cat.get("kind") == "veto":
                cat["part"] = "p1"
        weights = _positive_split(draw, 100, draw(st.integers(1, 2)))
        categories.append(
            {
                "id": "second",
                "name": "第二部分",
                "part": "p2",
                "weight": Decimal(100),
                "indicators": [
                    _scored_indicator(draw, f"s{ii + 1}", w) for ii, w in enumerate(weights)
                ],
            }
        )
    floor = draw(st.integers(0, 100))
    doc["grades"] = [
        {"grade": "不合格", "when": "vetoed", "label": "单项否决"},
        {"grade": "不合格", "when": f"base < {floor}", "label": f"低于 {floor} 分"},
        {"grade": "合格", "when": "true"},
    ]
    return doc


def overall_cases() -> st.SearchStrategy[tuple[Rulebook, dict[str, Any]]]:
    """A generated rulebook with vetoes, gates and grades, and findings for it."""
    return overall_rulebook_dicts().map(_validated).flatmap(_with_findings)


def _validated(doc: dict[str, Any]) -> Rulebook:
    rb = Rulebook.model_validate(doc)
    compiled(rb)  # a generated valid rulebook must pass every check (raises otherwise)
    return rb


def rulebooks() -> st.SearchStrategy[Rulebook]:
    """Valid, compiled rulebooks exercising every rule kind, veto and deduction."""
    return rulebook_dicts().map(_validated)


# ----------------------------------------------------------------------------- findings


def findings_for(rulebook: Rulebook) -> st.SearchStrategy[dict[str, Any]]:
    """A findings mapping for ``rulebook`` with every declared fact present and valid:
    the package's one generator (:mod:`wzeval.analysis._generate`), as ``verify`` and the
    benchmarks use it.  Load it with ``wzeval.scoring._api.load_findings(mapping, rulebook)``.
    """
    return findings_strategy(rulebook)


def _with_findings(rb: Rulebook) -> st.SearchStrategy[tuple[Rulebook, dict[str, Any]]]:
    return findings_for(rb).map(lambda mapping: (rb, mapping))


def cases() -> st.SearchStrategy[tuple[Rulebook, dict[str, Any]]]:
    """A generated rulebook together with a findings mapping for it."""
    return rulebooks().flatmap(_with_findings)
