"""JSON Schemas (draft 2020-12) for wzeval's documents.

The rulebook and report schemas come straight from the pydantic models, so they
cannot drift from what :func:`wzeval.load_rulebook` accepts and what
:meth:`ScoreReport.to_json` writes.  The findings schema is *generated from a
rulebook*: one property per indicator, one per fact, each typed with the fact's
question as its description and ``additionalProperties: false`` everywhere, so an
editor (yaml-language-server, VS Code) completes fact names, shows the questions
and flags a typo while the evaluator types.  The checked-in files in ``schemas/``
are regenerated with ``python tools/gendocs.py`` (users write theirs with
``wzeval schema --write FOLDER``); a test keeps them fresh.

The findings schema's descriptions are Chinese in every language, not catalogue
messages: they are mostly the rulebook's own questions (``ask``), which are
Chinese whatever ``--lang`` says; the schema is one committed file per rulebook
that the templates of both languages point at; and a schema that followed
``--lang``/``WZEVAL_LANG`` would make ``schemas/`` depend on the shell of whoever
regenerates it.  Editors show them only as hover text; no message is made here.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

from wzeval.checking._findings import FINDINGS_FORMAT
from wzeval.core._dates import DATE_PATTERN, DATETIME_PATTERN
from wzeval.core._slips import PLACEHOLDER
from wzeval.model._models import Fact, Rulebook
from wzeval.model._report import ScoreReport
from wzeval.output._files import write_atomic
from wzeval.reading._loader import dumps_json
from wzeval.scoring._api import compiled, load_rulebook

__all__ = [
    "DIALECT",
    "RANKING2_SCHEMA_FILE",
    "SCHEMA_FILES",
    "appeal_schema",
    "findings_schema",
    "ranking2_schema",
    "report_schema",
    "rulebook_schema",
    "schema_text",
    "write_schemas",
]

DIALECT = "https://json-schema.org/draft/2020-12/schema"
#: The file each schema is written to by :func:`write_schemas`.
SCHEMA_FILES = {
    "rulebook": "rulebook.schema.json",
    "findings": "findings.schema.json",
    "report": "report.schema.json",
    "appeal": "appeal.schema.json",
    "ranking2": "ranking2.schema.json",
}
#: The file of :func:`ranking2_schema` (a batch's readers need it, not its evaluators).
RANKING2_SCHEMA_FILE = SCHEMA_FILES["ranking2"]

_DATE_PATTERN = DATE_PATTERN
_DATETIME_PATTERN = DATETIME_PATTERN
_SCALARS: dict[str, dict[str, Any]] = {
    "bool": {"type": "boolean"},
    "int": {"type": "integer"},
    "decimal": {"type": "number"},
    "date": {"type": "string", "format": "date", "pattern": _DATE_PATTERN},
    "datetime": {"type": "string", "pattern": _DATETIME_PATTERN},
    "str": {"type": "string"},
}
_TEXTS: dict[str, Any] = {
    "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
}


def rulebook_schema() -> dict[str, Any]:
    """The schema of a rulebook document (``wzeval: rulebook/1``)."""
    return {"$schema": DIALECT, **Rulebook.model_json_schema()}


def appeal_schema() -> dict[str, Any]:
    """The schema of an appeal document (``wzeval: appeal/1``)."""
    from wzeval.analysis._appeals import AppealDocument

    return {"$schema": DIALECT, **AppealDocument.model_json_schema()}


def report_schema() -> dict[str, Any]:
    """The schema of a JSON score report (``wzeval: report/1``), as written."""
    return {"$schema": DIALECT, **ScoreReport.model_json_schema(mode="serialization")}


def _ranking_lists() -> dict[str, Any]:
    """A ranking's ``failed`` files (with their issues) and ``unassessed`` roster units."""
    named = {"department": {"type": "string"}, "department_id": {"type": "string"}}
    return {
        "failed": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "file": {"type": "string"},
                    "issues": {"type": "array", "items": {"type": "object"}},
                },
                "required": ["file", "issues"],
                "additionalProperties": False,
            },
        },
        "unassessed": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {**named, "status": {"type": "string"}},
                "required": ["department", "department_id", "status"],
                "additionalProperties": False,
            },
        },
    }


def ranking2_schema() -> dict[str, Any]:
    """The schema of the compact batch document (``wzeval: ranking/2``, written by
    ``wzeval score FOLDER --format json-compact``; :mod:`wzeval.output._compact`).

    Made from the report's schema, so it follows the report's fields: every result
    class becomes a *part* — the same properties, none required (a field left out takes
    its base: the default, or the rulebook part's entry), a fact read's ``"@"`` beside
    its ``at``.  The document's ``"rulebook"`` holds parts of the report, the categories
    and the indicators (with their items, vetoes, deductions and facts), each
    department its ranking fields and its report as a part.
    """
    from wzeval.output._compact import ENTRY_FIELDS, FORMAT

    report = copy.deepcopy(ScoreReport.model_json_schema(mode="serialization"))
    defs: dict[str, Any] = report.pop("$defs")
    defs["ScoreReport"] = report
    for name, part in defs.items():
        part.pop("required", None)
        part["title"] = f"{name} (part)"
    defs["FactRead"]["properties"]["@"] = {
        "type": "string",
        "description": "LINE:COL in the department's findings_file: at is FILE:LINE:COL",
    }
    props = report["properties"]
    department = {
        "type": "object",
        "properties": {
            "rank": {"type": "integer", "minimum": 1},
            **{k: props[k] for k in ENTRY_FIELDS},
            "report": {"$ref": "#/$defs/ScoreReport"},
        },
        "required": ["rank", *ENTRY_FIELDS, "report"],
        "additionalProperties": False,
    }
    return {
        "$schema": DIALECT,
        "title": "wzeval ranking/2: a batch's ranking, the rulebook's part once",
        "description": "Expand a department's report with wzeval.expand_compact(document, i) "
        "(docs/api.md): what the department's report/1 JSON holds, byte for byte.",
        "type": "object",
        "properties": {
            "wzeval": {"const": FORMAT, "description": "format version"},
            "rulebook": {
                "type": "object",
                "description": "the rulebook's part: every department's base",
                "properties": {
                    "report": {"$ref": "#/$defs/ScoreReport"},
                    "categories": {"type": "array", "items": {"$ref": "#/$defs/CategoryResult"}},
                    "indicators": {"type": "array", "items": {"$ref": "#/$defs/IndicatorResult"}},
                },
                "required": ["report", "categories", "indicators"],
                "additionalProperties": False,
            },
            "departments": {"type": "array", "items": department},
            **_ranking_lists(),
        },
        "required": ["wzeval", "rulebook", "departments", "failed"],
        "additionalProperties": False,
        "$defs": defs,
    }


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _value_schema(fact: Fact) -> dict[str, Any]:
    """The schema of a fact's bare value; min/max bound a number or each list element,
    exactly as the findings checker does."""
    bounds: dict[str, Any] = {}
    if fact.min is not None:
        bounds["minimum"] = _json_number(fact.min)
    if fact.max is not None:
        bounds["maximum"] = _json_number(fact.max)
    schema: dict[str, Any]
    if fact.type == "enum":
        schema = {"enum": list(fact.options or [])}
    elif fact.type == "list":
        schema = {"type": "array", "items": {**_SCALARS[fact.of or "str"], **bounds}}
    elif fact.type == "records":
        fields = fact.fields or {}
        schema = {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {k: dict(_SCALARS[v]) for k, v in fields.items()},
                "required": list(fields),
                "additionalProperties": False,
            },
        }
    else:
        schema = {**_SCALARS[fact.type], **bounds}
    if fact.nullable:
        schema = {"anyOf": [schema, {"type": "null"}]}
    return schema


#: A value not recorded yet (findings.FILLING_RULE): the template's blanks are valid
#: while filling, so an editor does not flag a template filled halfway.
_NOT_RECORDED: dict[str, Any] = {
    "description": "未记录（以后再填）：null 或 待填写；--partial 时该指标列为未评估",
    "enum": [None, PLACEHOLDER],
}


def _fact_schema(fact: Fact) -> dict[str, Any]:
    """A fact is a bare value or ``{value, evidence, note}`` (records: the list only),
    or a blank not recorded yet (:data:`_NOT_RECORDED`)."""
    value = _value_schema(fact)
    described: dict[str, Any] = {"description": fact.ask}
    if fact.type == "records":
        return {**described, "anyOf": [value, _NOT_RECORDED]}
    return {
        **described,
        "anyOf": [
            value,
            {
                "type": "object",
                "properties": {
                    "value": {"anyOf": [value, _NOT_RECORDED]},
                    "evidence": _TEXTS,
                    "note": {"type": "string"},
                },
                "required": ["value"],
                "additionalProperties": False,
            },
            _NOT_RECORDED,
        ],
    }


def findings_schema(rulebook: Rulebook) -> dict[str, Any]:
    """The schema of findings for ``rulebook``: its departments, indicators and facts.

    Indicators may be keyed by id or by Chinese name, as the checker accepts; facts
    are not required here because whether an indicator applies depends on the
    department and on other facts (the checker reports what is missing).
    """
    crb = compiled(rulebook)
    defs: dict[str, Any] = {}
    indicators: dict[str, Any] = {}
    for cind in crb.indicators:
        ind = cind.indicator
        where = " / ".join(p for p in (cind.category, cind.group, ind.name) if p)
        defs[ind.id] = {
            "title": ind.name,
            "description": f"{where}（权重 {ind.weight.normalize():f}）"
            + (f"：{ind.description}" if ind.description else ""),
            "type": ["object", "null"],
            "properties": {f.id: _fact_schema(f) for f in ind.facts},
            "additionalProperties": False,
        }
        ref = {"$ref": f"#/$defs/{ind.id}"}
        indicators[ind.id] = ref
        indicators.setdefault(ind.name, ref)
    return {
        "$schema": DIALECT,
        "title": f"wzeval findings for {rulebook.title} ({rulebook.id})",
        "description": "一个部门的评估记录：监测时间点、评估人、各指标的事实。",
        "type": "object",
        "properties": {
            "wzeval": {"const": FINDINGS_FORMAT, "description": "format version"},
            "rulebook": {
                "const": rulebook.id,
                "description": "the rulebook these findings are for",
            },
            "department": {
                "description": "部门名称（或别名、id），须在规则的部门名单中",
                "enum": list(crb.departments),
            },
            "monitoring_date": {
                "description": "监测时间点 YYYY-MM-DD",
                "type": "string",
                "format": "date",
                "pattern": _DATE_PATTERN,
            },
            "assessors": {"description": "评估人", **_TEXTS},
            "notes": {"type": "string"},
            "indicators": {
                "description": "各指标的事实，以指标 id（或中文名）为键",
                "type": "object",
                "properties": indicators,
                "additionalProperties": False,
            },
        },
        "required": ["department", "monitoring_date"],
        "additionalProperties": False,
        "$defs": defs,
    }


def schema_text(schema: dict[str, Any]) -> str:
    """A schema as deterministic JSON text ending with a newline (byte-identical reruns)."""
    return dumps_json(schema)


def write_schemas(folder: str | Path, rulebook: Rulebook | None = None) -> list[Path]:
    """Write ``rulebook.schema.json``, ``findings.schema.json`` (for ``rulebook``, by
    default the bundled one), ``report.schema.json``, ``appeal.schema.json`` and
    ``ranking2.schema.json`` into ``folder``; return the paths.

    These files are generated, so they are replaced (atomically) without asking.  The
    rulebook is loaded first: if it cannot be, :class:`~wzeval.core._errors.ValidationFailed`
    is raised and nothing is written.
    """
    rb = rulebook if rulebook is not None else load_rulebook()
    texts = {
        "rulebook": schema_text(rulebook_schema()),
        "findings": schema_text(findings_schema(rb)),
        "report": schema_text(report_schema()),
        "appeal": schema_text(appeal_schema()),
        "ranking2": schema_text(ranking2_schema()),
    }
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    return [write_atomic(target / SCHEMA_FILES[k], text, force=True) for k, text in texts.items()]
