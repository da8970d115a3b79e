"""What an explained result shows it read: each recorded fact (its value as JSON
would hold it, its question, evidence, note and ``file:line:col``), then each derived
fact.  Built last, and only for the full evaluation: the fast one reads no position."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from fractions import Fraction
from typing import Any

from wzeval.model._models import Indicator
from wzeval.model._report import FactRead, exact_text
from wzeval.scoring._evalplan import Build

__all__ = ["fact_reads"]


def _json_value(value: object) -> object:
    if type(value) in _PLAIN:
        return value
    if isinstance(value, Fraction):
        return exact_text(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    return value


_PLAIN = frozenset({str, int, bool, type(None)})


def fact_reads(
    ind: Indicator, facts: Mapping[str, Any], base: Mapping[str, object], build: Build
) -> list[FactRead]:
    """The facts a result shows it read: each recorded fact, then each derived one."""
    out = []
    for f in ind.facts:
        rec = facts.get(f.id)
        if rec is not None:
            at = rec.position  # looked up now (FactRecord): read once
            values = {
                "id": f.id,
                "value": _json_value(rec.value),
                "ask": f.ask,
                "value_label": (
                    f.option_labels.get(rec.value)
                    if f.option_labels and isinstance(rec.value, str)
                    else None
                ),
                "evidence": list(rec.evidence),
                "note": rec.note,
                "at": str(at) if at else None,
            }
            out.append(build(FactRead, values))
    for d in ind.derived:
        if d.id in base:
            values = {
                "id": d.id,
                "value": _json_value(base[d.id]),
                "ask": d.description,
                "derived": True,
            }
            out.append(build(FactRead, values))
    return out
