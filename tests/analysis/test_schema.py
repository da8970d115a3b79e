"""JSON Schemas generated from the models and the rulebook (kept fresh: test_generated.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from support.paths import ROOT

import wzeval
from wzeval.analysis._schema import (
    DIALECT,
    SCHEMA_FILES,
    findings_schema,
    report_schema,
    rulebook_schema,
    write_schemas,
)

SCHEMAS = ROOT / "schemas"
KINDS = ROOT / "tests" / "rulebooks" / "kinds.yaml"
BUNDLED = wzeval.bundled_rulebook_path()


@pytest.fixture(scope="module")
def kinds_schema() -> dict[str, Any]:
    return findings_schema(wzeval.load_rulebook(KINDS))


def fact(schema: dict[str, Any], indicator: str, name: str) -> dict[str, Any]:
    props: dict[str, Any] = schema["$defs"][indicator]["properties"]
    return props[name]  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- the model schemas


def test_model_schemas_are_draft_2020_12() -> None:
    """The rulebook and report schemas declare draft 2020-12 and pin the format versions."""
    rb = rulebook_schema()
    assert rb["$schema"] == DIALECT
    assert rb["properties"]["wzeval"]["const"] == "rulebook/1"
    rep = report_schema()
    assert rep["$schema"] == DIALECT
    assert rep["properties"]["wzeval"]["const"] == "report/1"
    # figures are exact strings in the written report
    assert rep["properties"]["total"]["type"] == "string"


# --------------------------------------------------------------------------- the findings schema


def test_findings_header(kinds_schema: dict[str, Any]) -> None:
    """The header pins the format and rulebook, and lists the accepted department names."""
    props = kinds_schema["properties"]
    assert kinds_schema["$schema"] == DIALECT
    assert props["wzeval"]["const"] == "findings/1"
    assert props["rulebook"]["const"] == "kinds"
    assert props["department"]["enum"] == ["a", "甲局", "甲市甲局", "b", "乙局"]
    assert props["monitoring_date"]["format"] == "date"
    assert kinds_schema["required"] == ["department", "monitoring_date"]
    assert kinds_schema["additionalProperties"] is False


def test_indicators_by_id_and_name(kinds_schema: dict[str, Any]) -> None:
    """Each indicator is a property by id and by Chinese name; nothing else is allowed."""
    indicators = kinds_schema["properties"]["indicators"]
    assert indicators["additionalProperties"] is False
    assert indicators["properties"]["checks"] == {"$ref": "#/$defs/checks"}
    assert indicators["properties"]["检查"] == {"$ref": "#/$defs/checks"}
    refs = {v["$ref"].split("/")[-1] for v in indicators["properties"].values()}
    assert refs == set(kinds_schema["$defs"])
    checks = kinds_schema["$defs"]["checks"]
    assert checks["additionalProperties"] is False
    assert set(checks["properties"]) == {"a", "b", "fake"}


def test_fact_types(kinds_schema: dict[str, Any]) -> None:
    """Facts are typed with their question as description, bare or as {value, evidence, note},
    or not recorded yet (null or 待填写, as the template leaves them)."""
    a = fact(kinds_schema, "checks", "a")
    assert a["description"] == "甲？"
    bare, wrapped, blank = a["anyOf"]
    assert bare == {"type": "boolean"}
    assert blank["enum"] == [None, "待填写"]
    assert wrapped["required"] == ["value"]
    assert wrapped["additionalProperties"] is False
    assert wrapped["properties"]["value"] == {"anyOf": [{"type": "boolean"}, blank]}
    assert fact(kinds_schema, "bands", "n")["anyOf"][0] == {"type": "integer", "minimum": 0}
    assert fact(kinds_schema, "levels", "form")["anyOf"][0] == {
        "enum": ["l1", "l2", "l3", "l4", "l5"]
    }
    panel = fact(kinds_schema, "given", "panel")["anyOf"][0]
    assert panel == {"type": "array", "items": {"type": "number", "minimum": 0, "maximum": 1}}
    answered = fact(kinds_schema, "tiers", "answered")["anyOf"][0]
    assert answered["anyOf"][1] == {"type": "null"}
    assert answered["anyOf"][0]["format"] == "date"


def test_records_fact(tmp_path: Path) -> None:
    """A records fact is an array of closed objects with every field required."""
    text = KINDS.read_text(encoding="utf-8").replace(
        "- {id: f, type: list, of: bool, ask: 九项功能}",
        "- {id: f, type: list, of: bool, ask: 九项功能}\n"
        "          - {id: log, type: records, ask: 记录, fields: {on: date, ok: bool}}",
    )
    path = tmp_path / "rb.yaml"
    path.write_text(text, encoding="utf-8")
    schema = findings_schema(wzeval.load_rulebook(path))
    log = fact(schema, "checklist", "log")
    assert log["description"] == "记录"
    records, blank = log["anyOf"]
    assert blank["enum"] == [None, "待填写"]
    assert records["type"] == "array"
    assert records["items"]["required"] == ["on", "ok"]
    assert records["items"]["additionalProperties"] is False


# --------------------------------------------------------------------------- writing


def test_write_schemas(tmp_path: Path) -> None:
    """write_schemas writes every schema (ranking/2's too), deterministic and
    newline-terminated."""
    rb = wzeval.load_rulebook(KINDS)
    paths = write_schemas(tmp_path / "out", rb)
    assert sorted(p.name for p in paths) == sorted(SCHEMA_FILES.values())
    assert "ranking2.schema.json" in {p.name for p in paths}
    first = {p.name: p.read_bytes() for p in paths}
    write_schemas(tmp_path / "out", rb)
    assert {p.name: p.read_bytes() for p in paths} == first
    for data in first.values():
        assert data.endswith(b"}\n")
        json.loads(data)
    findings = json.loads(first["findings.schema.json"])
    assert findings["properties"]["rulebook"]["const"] == "kinds"
