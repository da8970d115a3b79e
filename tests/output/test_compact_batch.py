"""The compact batch document (``ranking/2``, ``--format json-compact``) loses nothing.

Every department of a ``ranking/2`` document expands (:func:`wzeval.output._compact.expand`)
to exactly the JSON report ``wzeval score FILE --format json`` writes for it: for
every example of both rulebooks, for generated findings of the bundled rulebook and
for generated rulebooks of every rule kind.  The streamed document is the rendered
one, the same for any ``--jobs``, and it holds the rulebook's text once.  (Its size
against ``ranking/1`` is a goal, measured by benchmarks/bench_batch_size.py.)
"""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from support.paths import ROOT
from support.strategies import cases, findings_for, overall_cases

import wzeval.output._compact as compact
from wzeval.analysis._schema import RANKING2_SCHEMA_FILE, ranking2_schema
from wzeval.cli import run
from wzeval.core._errors import WzevalError
from wzeval.core._issues import Issue, Position
from wzeval.model._models import Rulebook
from wzeval.model._report import RankingEntry, ScoreReport
from wzeval.output._render import rank
from wzeval.output._renderers import render_ranking, render_report
from wzeval.scoring._api import compiled, load_findings, load_rulebook, score
from wzeval.scoring._engine import evaluate_compiled
from wzeval.scoring._roster import unassessed

RULEBOOKS = ROOT / "rulebooks"
EXAMPLES = sorted((ROOT / "examples" / "findings").glob("*.yaml"))
NATIONAL = sorted((ROOT / "examples" / "national-2019").glob("*.yaml"))
#: every example, grouped by the rulebook it is for
GROUPS = {
    "2023": (RULEBOOKS / "2023.yaml", EXAMPLES),
    "national-2019": (
        RULEBOOKS / "national-2019.yaml",
        [p for p in NATIONAL if "media" not in p.name],
    ),
    "national-2019-media": (
        RULEBOOKS / "national-2019-media.yaml",
        [p for p in NATIONAL if p.name.startswith("media")],
    ),
}


def _bundled() -> Rulebook:
    return load_rulebook()


def _expands(reports: list[ScoreReport], rulebook: Rulebook) -> dict[str, Any]:
    """The ranking/2 document of ``reports``, checked: each department expands to its
    report's JSON, in ranking order."""
    document = json.loads(compact.render_compact(reports, rulebook))
    assert document["wzeval"] == "ranking/2"
    ranked = [r for _, r in rank(reports)]
    assert len(document["departments"]) == len(ranked)
    for n, report in enumerate(ranked):
        assert compact.expand(document, n) == report.to_json()
        assert compact.expand_report(document, n) == report
    return document


@pytest.mark.parametrize("group", sorted(GROUPS))
@pytest.mark.parametrize("partial", [True, False])
def test_every_example_expands_to_its_report(group: str, partial: bool) -> None:
    path, examples = GROUPS[group]
    rb = load_rulebook(path)
    reports = []
    for p in examples:
        try:
            reports.append(score(p, rb, partial=partial))
        except WzevalError:
            assert not partial  # an example that needs --partial
    assert reports
    _expands(reports, rb)


@settings(max_examples=30, deadline=None)
@given(findings_for(_bundled()))
def test_generated_findings_expand_to_their_reports(mapping: dict[str, Any]) -> None:
    rb = _bundled()
    report = evaluate_compiled(compiled(rb), load_findings(mapping, rb, partial=True), partial=True)
    _expands([report], rb)


@settings(max_examples=60, deadline=None)
@given(cases())
def test_generated_rulebooks_expand_to_their_reports(case: tuple[Rulebook, Any]) -> None:
    """Every rule kind, vetoes, deductions, gates: whatever the rulebook's part does not
    foresee is written out, never lost."""
    _case_expands(case)


def _case_expands(case: tuple[Rulebook, Any]) -> None:
    rb, mapping = case
    try:
        report = evaluate_compiled(
            compiled(rb), load_findings(mapping, rb, partial=True), partial=True
        )
    except WzevalError:
        return
    _expands([report], rb)


@settings(max_examples=40, deadline=None)
@given(overall_cases())
def test_generated_gates_and_grades_expand_to_their_reports(case: tuple[Rulebook, Any]) -> None:
    """Site vetoes, category gates, parts and grades: the report's single objects
    (``grade_rule``) and the lists the rulebook's part has no entries for."""
    _case_expands(case)


def test_a_report_the_rulebook_part_does_not_foresee() -> None:
    """The rulebook's part is a dictionary, not a contract: indicators out of order, a
    fact the rulebook does not declare, texts that differ from the rulebook's — all
    written out and expanded back exactly."""
    rb = _bundled()
    data = score(EXAMPLES[0], rb, partial=True).model_dump(mode="json")
    data["indicators"].reverse()
    first = data["indicators"][0]
    first["name"] = "改过的名称"
    first["facts"].insert(0, {**first["facts"][0], "id": "not_declared", "at": "elsewhere:1:2"})
    first["facts"][-1]["ask"] = None
    data["categories"] = data["categories"][:2]
    odd = ScoreReport.model_validate(data)
    _expands([odd], rb)


def test_the_rulebook_text_is_written_once() -> None:
    """A source, a ruling or a position of the rulebook appears once in the document,
    however many departments it holds; ranking/1 repeats it for each."""
    rb = _bundled()
    reports = [score(p, rb, partial=True) for p in EXAMPLES]
    text = compact.render_compact(reports, rb)
    item = compact.sheet(rb)["indicators"][3]["items"][0]
    for needle in (item["source"], item["at"], item["title"]):
        assert text.count(json.dumps(needle, ensure_ascii=False)) == 1, needle
    full = render_ranking(reports, "json")
    assert full.count(json.dumps(item["source"], ensure_ascii=False)) == len(reports)
    # a fact's position in the findings file is LINE:COL: the file is named once, in
    # the department's ranking fields, not with each of its ~200 facts
    file = reports[0].findings_file
    assert file is not None
    assert text.count(file) == 1
    assert full.count(file) > 100


def test_the_streamed_document_is_the_rendered_one() -> None:
    """compact_chunks from entries and each department's line (as a batch keeps them)
    writes what render_ranking(reports, "json-compact") writes: with failed files, the
    roster's unassessed units, and with no department at all."""
    rb = _bundled()
    reports = [score(p, rb, partial=True) for p in EXAMPLES]
    failed = {"bad.yaml": [Issue("WZ001", "坏了", (), Position("bad.yaml", 1, 1))]}
    for some in (reports, reports[:1], []):
        missing = unassessed(rb, some)
        entries = [RankingEntry.of(r) for r in some]
        lines = {id(e): compact.department_json(r, rb) for e, r in zip(entries, some, strict=True)}
        for fail in ({}, failed):
            want = render_ranking(some, "json-compact", failed=fail, rulebook=rb)
            got = "".join(
                compact.compact_chunks(
                    rb, entries, lambda e, kept=lines: kept[id(e)], fail, missing
                )
            )
            assert got == want
            document = json.loads(got)
            assert [f["file"] for f in document["failed"]] == list(fail)
            assert [u["department"] for u in document.get("unassessed", [])] == [
                d.name for d in missing
            ]


def test_a_document_read_a_department_at_a_time() -> None:
    """read_reports: the reports of the written lines, in ranking order — none, one,
    several — and a document laid out otherwise is refused, not misread."""
    rb = _bundled()
    reports = [score(p, rb, partial=True) for p in EXAMPLES]
    data = reports[0].model_dump(mode="json")
    data["indicators"][0]["facts"][0]["note"] = "甲\u2028乙\n丙"  # a line separator in a string
    reports[0] = ScoreReport.model_validate(data)
    for some in ([], reports[:1], reports):
        text = render_ranking(some, "json-compact", rulebook=rb)
        got = list(compact.read_reports(io.StringIO(text)))
        assert [r.to_json() for r in got] == [r.to_json() for _, r in rank(some)]
    pretty = json.dumps(json.loads(text), ensure_ascii=False, indent=2)
    with pytest.raises(ValueError, match="ranking/2"):
        list(compact.read_reports(io.StringIO(pretty)))
    with pytest.raises(ValueError, match="ranking/2：文档提前结束"):
        list(compact.read_reports(io.StringIO(text).readlines()[:5]))


def test_one_report_needs_its_rulebook() -> None:
    rb = _bundled()
    report = score(EXAMPLES[0], rb, partial=True)
    with pytest.raises(ValueError, match="rulebook"):
        render_report(report, "json-compact")
    with pytest.raises(ValueError, match="rulebook"):
        render_ranking([report], "json-compact")
    document = json.loads(render_report(report, "json-compact", rulebook=rb))
    assert compact.expand(document, 0) == report.to_json()
    with pytest.raises(ValueError, match="ranking/2"):
        compact.expand({**document, "wzeval": "ranking/1"}, 0)


def _score(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["score", *args], out, err)
    return code, out.getvalue(), err.getvalue()


def test_the_cli_batch_is_the_same_for_any_jobs(tmp_path: Path) -> None:
    """``score DIR --format json-compact``: byte-identical for --jobs 1 and 2, a broken
    file listed as failed, and every department expands to ``--format json``'s report."""
    for i, path in enumerate(EXAMPLES * 2):
        shutil.copy(path, tmp_path / f"{i:02d}-{path.name}")
    (tmp_path / "99-broken.yaml").write_text(
        "wzeval: findings/1\ndepartment: 市教育局\nmonitoring_date: 2023-02-30\n",
        encoding="utf-8",
    )
    same = [str(tmp_path), "--partial", "--allow-duplicates", "--format", "json-compact"]
    one = _score([*same, "--jobs", "1"])
    two = _score([*same, "--jobs", "2"])
    assert one[0] == 1  # the broken file fails the batch
    assert two == one
    document = json.loads(one[1])
    assert [f["file"] for f in document["failed"]] == [str(tmp_path / "99-broken.yaml")]
    full = json.loads(_score([*same[:-1], "json", "--jobs", "1"])[1])
    assert len(document["departments"]) == len(full["departments"]) == 12
    for n, department in enumerate(full["departments"]):
        want = json.dumps(department["report"], ensure_ascii=False, indent=2) + "\n"
        assert json.loads(compact.expand(document, n)) == department["report"]
        assert compact.expand(document, n) == ScoreReport.from_json(want).to_json()


def test_the_cli_scores_one_file_as_a_document_of_one(tmp_path: Path) -> None:
    code, out, _ = _score([str(EXAMPLES[0]), "--partial", "--format", "json-compact"])
    assert code == 0
    document = json.loads(out)
    assert len(document["departments"]) == 1
    assert (
        compact.expand(document, 0)
        == _score([str(EXAMPLES[0]), "--partial", "--format", "json"])[1]
    )


# ------------------------------------------------------------------ the schema


def _valid(value: Any, schema: dict[str, Any], root: dict[str, Any], where: str = "$") -> None:
    """A small JSON Schema check of the keywords ranking2.schema.json uses (no
    jsonschema in the dev dependencies); raises AssertionError with the path."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        _valid(value, root["$defs"][name], root, where)
    if "anyOf" in schema:
        fits = 0
        for option in schema["anyOf"]:
            try:
                _valid(value, option, root, where)
                fits += 1
            except AssertionError:
                pass
        assert fits, f"{where}: {value!r} fits no anyOf option"
    if "const" in schema:
        assert value == schema["const"], where
    if "enum" in schema:
        assert value in schema["enum"], where
    kinds = schema.get("type")
    if kinds is not None:
        types = {
            "string": str,
            "array": list,
            "object": dict,
            "boolean": bool,
            "null": type(None),
            "integer": int,
            "number": (int, float),
        }
        names = kinds if isinstance(kinds, list) else [kinds]
        ok = any(
            isinstance(value, types[k])
            and not (k in ("integer", "number") and isinstance(value, bool))
            for k in names
        )
        assert ok, f"{where}: {value!r} is not {kinds}"
    if isinstance(value, str) and "pattern" in schema:
        assert re.search(schema["pattern"], value), f"{where}: {value!r}"
    if isinstance(value, int) and "minimum" in schema:
        assert value >= schema["minimum"], where
    if isinstance(value, list) and "items" in schema:
        for n, v in enumerate(value):
            _valid(v, schema["items"], root, f"{where}[{n}]")
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for key in schema.get("required", []):
            assert key in value, f"{where}: {key} is required"
        for key, v in value.items():
            if key in props:
                _valid(v, props[key], root, f"{where}.{key}")
            else:
                assert schema.get("additionalProperties", True) is not False, f"{where}.{key}"


def test_the_documents_fit_the_schema() -> None:
    schema = ranking2_schema()
    assert json.loads((ROOT / "schemas" / RANKING2_SCHEMA_FILE).read_text("utf-8")) == schema
    for path, examples in GROUPS.values():
        rb = load_rulebook(path)
        reports = [score(p, rb, partial=True) for p in examples]
        failed = {"bad.yaml": [Issue("WZ001", "坏了", (), Position("bad.yaml", 1, 1))]}
        text = render_ranking(reports, "json-compact", failed=failed, rulebook=rb)
        _valid(json.loads(text), schema, schema)
    with pytest.raises(AssertionError):
        _valid(
            {"wzeval": "ranking/2", "rulebook": {}, "departments": [], "failed": []}, schema, schema
        )
