"""Deterministic generated findings for benchmarks: complete, valid, any rulebook.

:func:`generate` draws one findings mapping (plain data, as a YAML or JSON file
holds it) for a rulebook from a seeded :class:`random.Random` with the package's
findings generator (:func:`wzeval.analysis._generate.findings`): every declared fact
present and valid (types, options, min/max, list elements, record fields), spot
checks with at least one check, dates in the monitoring year and none after the
monitoring date (``by_monitoring``: real findings record what was seen by then, so a
file warns of nothing).  :func:`to_yaml` and
:func:`to_json` write it out; the YAML looks like the hand-written examples (block
mappings, flow-style records).
"""

from __future__ import annotations

import json
import random
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from wzeval.analysis._generate import RandomChooser, findings
from wzeval.model._models import Rulebook

__all__ = ["generate", "to_json", "to_yaml"]


def generate(rulebook: Rulebook, rng: random.Random) -> dict[str, Any]:
    """One complete findings mapping for ``rulebook``: the package's one generator
    (:mod:`wzeval.analysis._generate`, as ``verify`` and the property tests use it), its
    choices from ``rng`` (most checks pass, as in a year's real findings, and no date
    is after the monitoring date)."""
    return findings(rulebook, RandomChooser(rng), by_monitoring=True)


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
