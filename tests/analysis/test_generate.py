"""``analysis._generate``: the findings generator keeps its promises about spot checks."""

from __future__ import annotations

import random
from datetime import date, datetime
from typing import Any

import pytest

import wzeval
from wzeval.analysis._generate import RandomChooser, _counted_list, findings
from wzeval.model._models import Fact
from wzeval.scoring._api import load_rulebook


def _plain(value: Any) -> Any:
    return value["value"] if isinstance(value, dict) and "evidence" in value else value


def _listed_checks(rb: Any) -> list[tuple[str, str]]:
    """(indicator, fact) of every proportion item of ``rb`` that counts its checks as
    the length of a list, read from the rulebook by hand-written matching."""
    out = []
    for ind in rb.indicators:
        for it in ind.items:
            if it.rule_kind == "proportion" and it.rule.checked.startswith("len("):
                out.append((ind.id, it.rule.checked[4:-1]))
    return out


@pytest.mark.parametrize("checks_from", [1, 2])
def test_a_list_of_checks_has_at_least_checks_from_elements(checks_from: int) -> None:
    """A spot check written as ``checked: "len(repost_checks)"`` gets ``checks_from``
    checks at least, as a count fact does (one file in three had none before: strict
    scoring refused it, WZ410)."""
    rb = load_rulebook()
    listed = _listed_checks(rb)
    # the bundled table counts its reposts that way, in two indicators
    assert [fact for _ind, fact in listed] == ["repost_checks", "repost_checks"]
    rng = random.Random(7)
    least = min(
        len(_plain(findings(rb, RandomChooser(rng), checks_from=checks_from)["indicators"][i][f]))
        for _n in range(60)
        for i, f in listed
    )
    assert least == checks_from  # the least is drawn: a Random picks it in 60 tries


def test_checks_from_zero_lets_a_list_of_checks_be_empty() -> None:
    rb = load_rulebook()
    listed = _listed_checks(rb)
    rng = random.Random(7)
    sizes = {
        len(_plain(findings(rb, RandomChooser(rng), checks_from=0)["indicators"][i][f]))
        for _n in range(60)
        for i, f in listed
    }
    assert 0 in sizes and max(sizes) >= 2


def test_only_the_length_of_a_declared_list_counts_checks() -> None:
    facts = {
        "xs": Fact(id="xs", type="list", of="str", ask="?"),
        "rs": Fact(id="rs", type="records", fields={"ok": "bool"}, ask="?"),
        "n": Fact(id="n", type="int", ask="?"),
    }
    assert _counted_list("len(xs)", facts) == "xs"
    assert _counted_list(" len(rs) ", facts) == "rs"
    assert _counted_list("len(n)", facts) is None  # not a list
    assert _counted_list("len(xs) + 1", facts) is None
    assert _counted_list("len(ys)", facts) is None  # not declared
    assert _counted_list("count_where(rs, 'ok')", facts) is None
    assert _counted_list("len(", facts) is None  # does not parse


def _dates(value: Any) -> list[date]:
    """Every date (a datetime's day) anywhere in ``value``."""
    if isinstance(value, datetime):
        return [value.date()]
    if isinstance(value, date):
        return [value]
    if isinstance(value, dict):
        return [d for v in value.values() for d in _dates(v)]
    if isinstance(value, list):
        return [d for v in value for d in _dates(v)]
    return []


def test_by_monitoring_keeps_every_date_on_or_before_the_monitoring_date() -> None:
    """The benchmarks' findings record what was seen by the monitoring date, so scoring
    them warns of nothing (WZ414); the default still draws dates after it, for verify."""
    rb = load_rulebook()
    later = {True: 0, False: 0}
    for by in (True, False):
        rng = random.Random(3)
        for _n in range(40):
            doc = findings(rb, RandomChooser(rng), by_monitoring=by)
            mdate = doc["monitoring_date"]
            later[by] += sum(d > mdate for d in _dates(doc["indicators"]))
            assert all(d.year == rb.year for d in _dates(doc["indicators"]))
    assert later[True] == 0
    assert later[False] > 0  # the default's search still reaches them


def test_findings_by_monitoring_score_without_a_date_warning() -> None:
    rb = load_rulebook()
    rng = random.Random(5)
    codes = set()
    for _n in range(20):
        doc = findings(rb, RandomChooser(rng), by_monitoring=True)
        _found, issues = wzeval.read_findings(doc, rb)
        codes |= {i.code for i in issues}
    assert "WZ414" not in codes
