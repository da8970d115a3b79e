"""The benchmarks' hand-written 2023 rubric scores exactly as the engine does.

``benchmarks/handwritten_2023.py`` is the plain-Python baseline that
``benchmarks/bench_evaluate.py`` measures the engine against; a baseline is only
worth comparing with if it computes the same thing.  Here it gives the same points
(and weight in the base) per indicator and the same totals as ``wzeval.evaluate``
on every example, on Hypothesis-generated findings and on the benchmarks' own
generated findings (``benchmarks/findings_gen.py``), loaded from YAML and JSON.
"""

from __future__ import annotations

import functools
import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from support.paths import ROOT
from support.strategies import findings_for

from wzeval.checking._findings import Findings
from wzeval.model._models import Rulebook
from wzeval.reading._loader import load_document
from wzeval.scoring._api import (
    bundled_rulebook_path,
    evaluate,
    load_findings,
    load_rulebook,
    read_findings,
)

BENCHMARKS = ROOT / "benchmarks"
EXAMPLES = sorted((ROOT / "examples" / "findings").glob("*.yaml"))


def _module(name: str) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


hw = _module("handwritten_2023")
gen = _module("findings_gen")


@functools.cache
def bundled() -> Rulebook:
    return load_rulebook(bundled_rulebook_path())


def assert_same(findings: Findings) -> None:
    report = evaluate(bundled(), findings, partial=True)
    hand = hw.score(findings)
    assert [r.id for r in report.indicators] == list(hand.points)
    for r in report.indicators:
        assert (r.id, r.points, r.max_points) == (r.id, hand.points[r.id], hand.max_points[r.id])
    assert (report.base_raw, report.base_possible, report.base) == (
        hand.base_raw,
        hand.base_possible,
        hand.base,
    )
    assert (report.bonus, report.penalty, report.total) == (hand.bonus, hand.penalty, hand.total)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples(path: Path) -> None:
    findings, issues = read_findings(path, bundled(), partial=True)
    assert findings is not None, issues
    assert_same(findings)


@settings(max_examples=40)
@given(findings_for(bundled()))
def test_hypothesis_findings(mapping: dict[str, Any]) -> None:
    assert_same(load_findings(mapping, bundled(), partial=True))


@pytest.mark.parametrize("seed", range(12))
def test_benchmark_findings(seed: int) -> None:
    """The benchmarks' generated findings, written as YAML and as JSON and read back."""
    from wzeval.checking._findings import check_findings
    from wzeval.scoring._api import compiled

    mapping = gen.generate(bundled(), random.Random(seed))
    for text in (gen.to_yaml(mapping), gen.to_json(mapping)):
        findings, issues = check_findings(load_document(text=text), compiled(bundled()))
        assert findings is not None, issues
        assert_same(findings)
