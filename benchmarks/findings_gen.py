"""Deterministic generated findings for benchmarks: complete, valid, any rulebook.

:func:`generate` draws one findings mapping (plain data, as a YAML or JSON file
holds it) for a rulebook from a seeded :class:`random.Random`: every declared fact
present and valid (types, options, min/max, list elements, record fields), spot
checks with at least one check, dates in the monitoring year.  :func:`to_yaml` and
:func:`to_json` write it out; the YAML looks like the hand-written examples (block
mappings, flow-style records).
"""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from wzeval.model._models import Fact, Indicator, Rulebook

__all__ = ["generate", "to_json", "to_yaml"]

YEAR = 2023
_TEXT = "甲乙丙丁网站栏目abc"


def _day(rng: random.Random) -> date:
    return date(YEAR, 1, 1) + timedelta(days=rng.randrange(365))


def _scalar(rng: random.Random, fact: Fact, kind: str) -> Any:
    if kind == "bool":
        return rng.random() < 0.8  # mostly good websites, some failures
    if kind == "enum":
        return rng.choice(fact.options or [""])
    if kind == "int":
        lo = int(fact.min) if fact.min is not None else 0
        hi = int(fact.max) if fact.max is not None else lo + 6
        return rng.randint(lo, hi) if rng.random() < 0.5 else lo
    if kind == "decimal":
        low = fact.min if fact.min is not None else Decimal(0)
        high = fact.max if fact.max is not None else low + 100
        return low + (high - low) * rng.randint(0, 100) / 100
    if kind == "date":
        return _day(rng)
    if kind == "datetime":
        return datetime.combine(_day(rng), datetime.min.time()).replace(hour=rng.randrange(24))
    return "".join(rng.choice(_TEXT) for _ in range(rng.randint(1, 8)))


def _value(rng: random.Random, ind: Indicator, fact: Fact) -> Any:
    if fact.nullable and rng.random() < 0.1:
        return None
    if fact.type == "list":
        kind = fact.of or "str"
        return [_scalar(rng, fact, kind) for _ in range(rng.randint(1, 5))]
    if fact.type == "records":
        fields = fact.fields or {}
        return [
            {name: _scalar(rng, Fact(id=name, type=k, ask="?"), k) for name, k in fields.items()}
            for _ in range(rng.randint(1, 8))
        ]
    return _scalar(rng, fact, fact.type)


def generate(rulebook: Rulebook, rng: random.Random) -> dict[str, Any]:
    """One complete findings mapping for ``rulebook``."""
    department = rng.choice(rulebook.departments)
    indicators: dict[str, Any] = {}
    for ind in rulebook.indicators:
        facts: dict[str, Any] = {}
        for fact in ind.facts:
            value = _value(rng, ind, fact)
            if fact.type != "records" and rng.random() < 0.1:
                value = {"value": value, "evidence": [f"https://example.gov.cn/{ind.id}"]}
            facts[fact.id] = value
        indicators[ind.id] = facts
    return {
        "wzeval": "findings/1",
        "rulebook": rulebook.id,
        "department": department.name,
        "monitoring_date": date(YEAR, 11, 15),
        "assessors": ["张三", "李四"],
        "indicators": indicators,
    }


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


class _Exact(json.JSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, Decimal):
            return float(o)  # short decimals print back as the same literal
        return super().default(o)


def to_json(findings: dict[str, Any]) -> str:
    """JSON text of a generated findings mapping (dates as ISO strings)."""
    return json.dumps(_plain(findings), ensure_ascii=False, indent=2, cls=_Exact) + "\n"


def _scalar_yaml(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return json.dumps(value, ensure_ascii=False)


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return _scalar_yaml(value)


def to_yaml(findings: dict[str, Any]) -> str:
    """YAML text of a generated findings mapping, shaped like the hand-written examples."""
    lines = []
    for key in ("wzeval", "rulebook", "department", "monitoring_date"):
        lines.append(f"{key}: {_scalar_yaml(findings[key])}")
    lines.append(f"assessors: {_flow(findings['assessors'])}")
    lines.append("indicators:")
    for ind, facts in findings["indicators"].items():
        lines.append(f"  {ind}:")
        for fid, value in facts.items():
            if isinstance(value, dict):
                lines.append(f"    {fid}:")
                for k, v in value.items():
                    lines.append(f"      {k}: {_flow(v)}")
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                lines.append(f"    {fid}:")
                lines.extend(f"      - {_flow(row)}" for row in value)
            else:
                lines.append(f"    {fid}: {_flow(value)}")
    return "\n".join(lines) + "\n"
