"""The fast paths give exactly what the reference paths give.

wzeval has two fast paths, each beside its path of record (docs/performance.md):

* documents are read with libyaml's C parser (``ruamel.yaml.clib``) when it is
  installed; the pure-Python ruamel parser is the reference, and anything the fast
  path is not sure about is read again by it;
* expressions run as compiled Python code; simpleeval running the proven tree is
  the evaluator of record, and any failure is evaluated again by it;
* ``evaluate`` computes the points alone (each rule kind's ``fast``) and returns a
  deferred report, whose explanation the full evaluation builds when it is first
  read; anything unusual is left to the full evaluation.

``WZEVAL_REFERENCE=1`` (or ``reference=True``) selects the reference paths.  These
tests prove the fast paths change nothing: the same data, positions and issues for
every YAML and JSON file in the repository, and byte-identical reports for every
example and for generated rulebooks and findings.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import pickle
import random
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from support.documents import (
    SCALARS as _SCALARS,
)
from support.documents import (
    bundled,
    needs_c,
)
from support.documents import (
    paths as _paths,
)
from support.documents import (
    random_block as _block,
)
from support.documents import (
    tree_of as _tree,
)
from support.paths import ROOT
from support.strategies import cases, findings_for, overall_cases

import wzeval.reading._fastyaml as fastyaml
import wzeval.reading._loader as loader
import wzeval.reading._yamlcore as yamlcore
import wzeval.scoring._engine as engine
import wzeval.scoring._fasteval as fasteval
from wzeval import expressions
from wzeval.checking._checks import CompiledRulebook
from wzeval.core._errors import ExpressionError, WzevalError
from wzeval.expressions import Kind, TypeInfo, compile_expression
from wzeval.expressions._values import plain_types, value_fits
from wzeval.kinds import rule_kinds
from wzeval.model._models import Rulebook
from wzeval.model._report import ScoreReport
from wzeval.scoring._api import (
    bundled_rulebook_path,
    compiled,
    load_findings,
    load_rulebook,
    read_findings,
)
from wzeval.scoring._engine import evaluate_compiled

EXAMPLES = sorted((ROOT / "examples" / "findings").glob("*.yaml"))
#: every example findings file with its rulebook
ALL_EXAMPLES = [
    *((p, ROOT / "rulebooks" / "2023.yaml") for p in EXAMPLES),
    *(
        (
            p,
            ROOT
            / "rulebooks"
            / ("national-2019-media.yaml" if p.name.startswith("media") else "national-2019.yaml"),
        )
        for p in sorted((ROOT / "examples" / "national-2019").glob("*.yaml"))
    ),
]
DOCUMENTS = sorted(
    p
    for pattern in ("*.yaml", "*.yml", "*.json")
    for folder in ("examples", "rulebooks", "tests", "schemas", "src")
    for p in (ROOT / folder).rglob(pattern)
    if "__pycache__" not in p.parts and ".hypothesis" not in p.parts
)


def _load(path: Path, monkeypatch: pytest.MonkeyPatch, reference: bool) -> yamlcore.Document:
    monkeypatch.setenv("WZEVAL_REFERENCE", "1" if reference else "0")
    return loader.load_document(path)


# ----------------------------------------------------------------------------- the loader


@needs_c
@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_fast_loader_gives_the_reference_document(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same data (types included), issues, and position of every value and key."""
    ref = _load(path, monkeypatch, reference=True)
    fast = _load(path, monkeypatch, reference=False)
    assert repr(fast.data) == repr(ref.data)
    assert [i.to_dict() for i in fast.issues] == [i.to_dict() for i in ref.issues]
    if ref.data is not None:
        for p in _paths(ref.data):
            assert fast.position(p) == ref.position(p), p
            assert fast.position(p, key=True) == ref.position(p, key=True), p


@needs_c
@pytest.mark.parametrize("path", [bundled_rulebook_path(), *EXAMPLES], ids=lambda p: p.name)
def test_fast_loader_is_taken_for_the_shipped_documents(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bundled rulebook and the examples are read by the C parser (not by fallback)."""
    monkeypatch.setenv("WZEVAL_REFERENCE", "0")
    text = path.read_text(encoding="utf-8")
    assert fastyaml.fast_path_enabled()
    assert fastyaml._load_fast(text, str(path), []) is not None


@needs_c
@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",  # duplicate key
        "a: [1, 2\n",  # syntax error
        "a:\n\t- 1\n",  # tab
        "answer: yes\n",  # WZ111 warning
        "x: !!python/object:os.system {}\n",  # unknown tag
        "a: &x [1, 2]\nb: *x\n",  # anchors and aliases
        "%YAML 1.1\n---\na: yes\n",  # a directive
        "a: 1e999999\n",  # a number past the limit
        "url: {value: https://example.gov.cn/a, evidence: x}\n",  # ':' in a flow scalar
        "d: 2023-02-30\n",  # a date that cannot exist
        'a: !!str 5\nb: !!str "x"\n',  # explicit tags (ruamel keeps these tagged)
        'a: !!int "5"\nb: !!float 1\nc: !!bool "true"\nd: !!timestamp 2023-01-01\n',
        "!!map {a: !!seq [1], b: !!null ''}\n",
    ],
)
def test_fast_loader_leaves_odd_documents_to_the_reference(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Documents with issues or constructs the fast path is unsure of read the same."""
    monkeypatch.setenv("WZEVAL_REFERENCE", "1")
    ref = loader.load_document(text=text, name="odd.yaml")
    monkeypatch.setenv("WZEVAL_REFERENCE", "0")
    fast = loader.load_document(text=text, name="odd.yaml")
    assert repr(fast.data) == repr(ref.data)
    assert [i.to_dict() for i in fast.issues] == [i.to_dict() for i in ref.issues]


@needs_c
@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("a: " + "[" * 65 + "]" * 65 + "\n", "WZ108"),  # deeper than MAX_DEPTH
        ("a: [" + "1, " * yamlcore.MAX_NODES + "1]\n", "WZ109"),  # more than MAX_NODES values
        ('a: "\\ud800"\n', "WZ101"),  # half a surrogate pair
        ("x: !!python/object:os.system {}\n", "WZ106"),
        ("a: &x [1]\nb: *x\n", None),  # aliases: read, but by the reference path
    ],
    ids=["depth", "nodes", "surrogate", "tag", "alias"],
)
def test_fast_loader_refuses_what_the_safety_scan_reports(
    text: str, code: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fast reader enforces the scan's limits itself: whatever the scan would report
    goes to the reference path, which reports it."""
    monkeypatch.setenv("WZEVAL_REFERENCE", "0")
    assert fastyaml._load_fast(text, "hostile.yaml", []) is None
    issues = loader.load_document(text=text, name="hostile.yaml").issues
    if code is not None:
        assert code in [i.code for i in issues]


@needs_c
@pytest.mark.parametrize(
    "text",
    [
        "answer: on\n",
        "- no\n",
        "yes\n",
        "a: [x, Yes, {b: OFF, on: no}]\nc:\n  - 'yes'\n  - \"no\"\n  - yes\n",
        "a: 1\nb: [" + "0, " * 5_000 + "yes]\n",
    ],
    ids=["value", "item", "root", "mixed", "late"],
)
def test_fast_loader_reports_yaml11_booleans_itself(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A YAML 1.1 boolean as a value (WZ111, a warning) no longer sends the document to
    the reference path: the fast path reports the same warnings at the same places."""
    monkeypatch.setenv("WZEVAL_REFERENCE", "0")
    fast = fastyaml._load_fast(text, "yes.yaml", [])
    assert fast is not None
    monkeypatch.setenv("WZEVAL_REFERENCE", "1")
    ref = loader.load_document(text=text, name="yes.yaml")
    assert [i.code for i in ref.issues] and {i.code for i in ref.issues} == {"WZ111"}
    assert [i.to_dict() for i in fast.issues] == [i.to_dict() for i in ref.issues]
    assert repr(fast.data) == repr(ref.data)


def test_fast_loader_reads_yaml11_words_as_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """'on' as a mapping key is no YAML 1.1 trap (the scan warns only for values)."""
    monkeypatch.setenv("WZEVAL_REFERENCE", "0")
    fast = fastyaml._load_fast("on: push\n", "ci.yml", [])
    assert fast is not None and fast.data == {"on": "push"}


# ---------------------------------------------------------------------- the expressions


def _both(crb: Any, findings: Any, partial: bool) -> tuple[str, str]:
    ref = evaluate_compiled(crb, findings, partial=partial, reference=True).to_json()
    fast = evaluate_compiled(crb, findings, partial=partial, reference=False).to_json()
    return ref, fast


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_score_the_same_on_both_paths(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """End to end (loading and evaluating): byte-identical reports."""
    reports = []
    for reference in (True, False):
        monkeypatch.setenv("WZEVAL_REFERENCE", "1" if reference else "0")
        rb = load_rulebook(bundled_rulebook_path())
        findings, _ = read_findings(path, rb, partial=True)
        assert findings is not None
        report = evaluate_compiled(compiled(rb), findings, partial=True, reference=reference)
        reports.append(report)
    ref, fast = reports
    assert fast.to_json() == ref.to_json()
    # the fast path builds results without validating them again: equal objects,
    # field by field, that validate as they are
    assert fast == ref
    assert repr(fast) == repr(ref)
    assert ScoreReport.model_validate(fast.model_dump()) == fast


@settings(max_examples=30)
@given(findings_for(bundled()))
def test_generated_findings_score_the_same_on_both_paths(mapping: dict[str, Any]) -> None:
    """The bundled rulebook, generated findings: byte-identical reports."""
    rb = bundled()
    findings = load_findings(mapping, rb, partial=True)
    ref, fast = _both(compiled(rb), findings, partial=True)
    assert ref == fast
    assert ScoreReport.from_json(fast).to_json() == fast
    objects = [
        evaluate_compiled(compiled(rb), findings, partial=True, reference=reference)
        for reference in (True, False)
    ]
    assert objects[0] == objects[1]


@settings(max_examples=60)
@given(cases())
def test_generated_rulebooks_score_the_same_on_both_paths(case: tuple[Rulebook, Any]) -> None:
    """Generated rulebooks of every rule kind with generated findings: the same reports."""
    rb, mapping = case
    findings = load_findings(mapping, rb, partial=True)
    try:
        ref = evaluate_compiled(compiled(rb), findings, partial=True, reference=True).to_json()
    except WzevalError as exc:  # then the fast path must fail the same way
        with pytest.raises(type(exc)) as fast_exc:
            evaluate_compiled(compiled(rb), findings, partial=True, reference=False)
        assert str(fast_exc.value) == str(exc)
        return
    assert evaluate_compiled(compiled(rb), findings, partial=True, reference=False).to_json() == ref


_NAMES = {
    "n": TypeInfo(Kind.INT),
    "m": TypeInfo(Kind.INT, nullable=True),
    "x": TypeInfo(Kind.DECIMAL),
    "d": TypeInfo(Kind.DATE),
    "xs": TypeInfo(Kind.LIST, item=Kind.DECIMAL),
    "ok": TypeInfo(Kind.BOOL),
    "s": TypeInfo(Kind.STR),
}


@pytest.mark.parametrize(
    "source",
    [
        "n / (n - 3)",  # division by zero
        "n // 0 + 1",
        "m + 1",  # a None operand
        "m > 1 and ok",
        "mean(xs) if n > 0 else 0.5",
        "mean([])",  # mean of an empty list
        "min(xs)",
        "working_days_between(d, date(2999, 1, 1))",  # outside the calendar
        "date(2023, 2, n)",  # an invalid date
        "add_days(d, 999999999)",
        "months_before(d, n - 10)",
        "1 < n < 3 <= x",
        "s in ['a', 'b'] or not ok",
        "m is None or m > 2",
        "n * 0.1 + x / 3",
        "1 if ok else 2.5",
        "count([ok, not ok, n > 2])",
    ],
)
@pytest.mark.parametrize(
    "env",
    [
        {"n": 3, "m": None, "x": 0, "d": "2023-11-15", "xs": [], "ok": True, "s": "a"},
        {"n": 30, "m": 7, "x": "1/3", "d": "2023-01-02", "xs": ["1/2", 2], "ok": False, "s": "c"},
    ],
    ids=["edge", "plain"],
)
def test_expression_values_and_errors_are_the_reference(source: str, env: dict[str, Any]) -> None:
    """Value, or error code, message, offset and hint: the same on both paths."""
    values: dict[str, object] = dict(env)
    values["d"] = date.fromisoformat(env["d"])
    values["x"] = Fraction(env["x"])
    values["xs"] = [Fraction(v) for v in env["xs"]]
    expr = compile_expression(source, _NAMES)
    assert expr._program.code is not None  # the fast path exists for every checked tree
    outcomes: list[tuple[object, ...]] = []
    for reference in (True, False):
        try:
            value = expr.evaluate(values, reference=reference)
            outcomes.append(("value", repr(value), type(value)))
        except ExpressionError as exc:
            outcomes.append(("error", exc.code, str(exc), exc.offset, exc.hint))
        except WzevalError as exc:
            outcomes.append(("error", type(exc).__name__, str(exc)))
    assert outcomes[0] == outcomes[1]


_KIND_VALUES: list[object] = [
    True,
    0,
    7,
    -3,
    Fraction(1, 3),
    Fraction(2),
    date(2023, 1, 2),
    datetime(2023, 1, 2, 3, 4),
    "x",
    None,
    [Fraction(1, 2), 3],
    [True],
    [{"a": 1}],
    1.5,
    Decimal("1.5"),
]


@pytest.mark.parametrize("kind", list(Kind))
@pytest.mark.parametrize("nullable", [False, True])
def test_values_accepted_by_type_alone_really_fit(kind: Kind, nullable: bool) -> None:
    """The shortcut of a fact's type check never accepts what the full check refuses."""
    info = TypeInfo(kind, nullable=nullable)
    plain = plain_types(info)
    for value in _KIND_VALUES:
        if type(value) in plain:
            assert value_fits(value, info), (kind, value)


def test_reference_switch_defaults_from_the_environment() -> None:
    """``reference=None`` follows WZEVAL_REFERENCE (read at import into REFERENCE)."""
    assert isinstance(expressions.REFERENCE, bool)


@pytest.mark.parametrize("path", [bundled_rulebook_path(), *EXAMPLES], ids=lambda p: p.name)
def test_positions_do_not_depend_on_earlier_lookups(path: Path) -> None:
    """Document.position remembers the walks it made; a fresh document answers the same."""
    doc = loader.load_document(path)
    every = [*_paths(doc.data), ("nope",), ("indicators", "nope", "x")]
    for key in (False, True):
        warm = [doc.position(p, key=key) for p in every]
        fresh = [
            yamlcore.Document(doc.file, doc.data, root=doc.root).position(p, key=key) for p in every
        ]
        assert warm == fresh


# ---------------------------------------------------------- generated YAML documents


@needs_c
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_generated_documents_read_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """600 generated documents (numbers, dates, booleans, nulls, quoted, block and flow
    scalars and collections, odd keys, comments): the same data, tree, positions and
    issues on both paths, and a good share of them really read on the fast path."""
    r = random.Random(2023)
    fast = 0
    for _ in range(600):
        text = (_block(r, 0, 0) or r.choice(_SCALARS)) + "\n"
        monkeypatch.setenv("WZEVAL_REFERENCE", "1")
        ref = loader.load_document(text=text, name="gen.yaml")
        monkeypatch.setenv("WZEVAL_REFERENCE", "0")
        got = loader.load_document(text=text, name="gen.yaml")
        fast += fastyaml._load_fast(text, "gen.yaml", []) is not None
        assert repr(got.data) == repr(ref.data), text
        assert [i.to_dict() for i in got.issues] == [i.to_dict() for i in ref.issues], text
        assert _tree(got.root) == _tree(ref.root), text
        if ref.data is not None:
            for p in _paths(ref.data):
                assert got.position(p) == ref.position(p), (text, p)
                assert got.position(p, key=True) == ref.position(p, key=True), (text, p)
    assert fast > 150


def test_environment_cannot_stand_in_for_the_helpers() -> None:
    """Extra names in the environment never replace what the compiled code calls."""
    expr = compile_expression("n / 2 + count([ok]) + 0.5", _NAMES)
    env: dict[str, object] = {"n": 3, "ok": True, "x": 0}
    env.update({name: (lambda *a: 99) for name in ("_wz_div", "_wz_add", "_wz_fn_count", "_wz_k0")})
    assert expr.evaluate(env) == expr.evaluate(env, reference=True) == 3


# ------------------------------------------------------------------ the fast evaluation


def _deferred(report: ScoreReport) -> bool:
    """Whether ``report`` is a fast evaluation's, its explanation not built yet."""
    return report.__pydantic_private__ is not None


def _same_evaluations(crb: CompiledRulebook, findings: Any, partial: bool) -> ScoreReport | None:
    """The fast evaluation gives the full evaluation's report (or error), and every
    indicator's fast points are the full evaluation's; returns the fast report."""
    try:
        full = engine._full(crb, findings, partial, False, None)
    except WzevalError as exc:
        with pytest.raises(type(exc)) as fast_exc:
            evaluate_compiled(crb, findings, partial=partial, reference=False)
        assert str(fast_exc.value) == str(exc)
        # a refusal (engine._refuse_early's or the full one's) lists the same issues
        issues = [i.to_dict() for i in getattr(exc, "issues", ())]
        assert [i.to_dict() for i in getattr(fast_exc.value, "issues", ())] == issues
        return None
    fast = evaluate_compiled(crb, findings, partial=partial, reference=False)
    deferred = _deferred(fast)
    assert fast.to_json() == full.to_json()
    assert fast == full
    assert repr(fast) == repr(full)
    assert not _deferred(fast)
    plan = fasteval.fast_plan(crb)
    assert plan is not None  # every built-in kind has a fast evaluator
    results = {r.id: r for r in full.indicators}
    checked = 0
    for f in plan:
        result = results.get(f.plan.cind.indicator.id)
        try:
            points = fasteval.fast_points(f, findings)
        except Exception:
            continue  # left to the full evaluation
        if result is not None and result.scored:
            assert (points.points, points.max_points) == (result.points, result.max_points)
            checked += 1
    assert checked or not deferred
    return fast if deferred else None


@pytest.mark.parametrize(("path", "rulebook"), ALL_EXAMPLES, ids=[p.name for p, _ in ALL_EXAMPLES])
@pytest.mark.parametrize("partial", [True, False])
def test_examples_fast_evaluation_is_the_full_one(
    path: Path, rulebook: Path, partial: bool
) -> None:
    """Every example, strictly and partially: the same report or error on both paths."""
    rb = load_rulebook(rulebook)
    findings, _ = read_findings(path, rb, partial=True)
    assert findings is not None
    _same_evaluations(compiled(rb), findings, partial)


def test_complete_examples_take_the_fast_evaluation() -> None:
    """The complete examples are deferred (so the tests above compare two paths);
    partial and vetoed ones go to the full evaluation."""
    taken = {}
    for path, rulebook in ALL_EXAMPLES:
        rb = load_rulebook(rulebook)
        findings, _ = read_findings(path, rb, partial=True)
        assert findings is not None
        taken[path.name] = _deferred(
            evaluate_compiled(compiled(rb), findings, partial=True, reference=False)
        )
    assert taken["shengtaihuanjing-strong.yaml"] and taken["province-strong.yaml"]
    assert not taken["weijianwei-partial.yaml"] and not taken["county-vetoed.yaml"]
    assert sum(taken.values()) >= 7


@settings(max_examples=40)
@given(findings_for(bundled()))
def test_generated_findings_fast_evaluation_is_the_full_one(mapping: dict[str, Any]) -> None:
    """The bundled rulebook, generated findings: the same report, points per indicator."""
    rb = bundled()
    findings = load_findings(mapping, rb, partial=True)
    for partial in (True, False):
        _same_evaluations(compiled(rb), findings, partial)


@settings(max_examples=80)
@given(cases())
def test_generated_rulebooks_fast_evaluation_is_the_full_one(
    case: tuple[Rulebook, Any],
) -> None:
    """Generated rulebooks of every rule kind: the same report or error, strictly and
    partially, and each indicator's fast points."""
    rb, mapping = case
    findings = load_findings(mapping, rb, partial=True)
    for partial in (True, False):
        _same_evaluations(compiled(rb), findings, partial)


@settings(max_examples=40)
@given(overall_cases())
def test_generated_overall_fast_evaluation_is_the_full_one(
    case: tuple[Rulebook, Any],
) -> None:
    """Generated rulebooks with site vetoes, gates and grades: the same report."""
    rb, mapping = case
    findings = load_findings(mapping, rb, partial=True)
    for partial in (True, False):
        _same_evaluations(compiled(rb), findings, partial)


def _strong() -> tuple[CompiledRulebook, Any, ScoreReport]:
    rb = bundled()
    findings = load_findings(EXAMPLES[3], rb)
    assert EXAMPLES[3].name == "shengtaihuanjing-strong.yaml"
    return compiled(rb), findings, engine._full(compiled(rb), findings, False, False, None)


def test_deferred_report_builds_its_explanation_when_read() -> None:
    """The figures a ranking reads are there at once; anything else builds the rest."""
    crb, findings, full = _strong()
    report = evaluate_compiled(crb, findings, reference=False)
    assert _deferred(report)
    for name in ("total", "base", "bonus", "penalty", "grade", "complete", "department"):
        assert getattr(report, name) == getattr(full, name)
    assert _deferred(report)
    assert report.indicators == full.indicators
    assert not _deferred(report)
    assert report.model_fields_set == full.model_fields_set
    assert list(report.__dict__) == list(full.__dict__)


@pytest.mark.parametrize(
    "use",
    [
        pickle.dumps,
        copy.copy,
        copy.deepcopy,
        lambda r: r.model_dump(),
        lambda r: r.model_dump(mode="json"),
        lambda r: r.model_dump_json(),
        lambda r: r.model_copy(),
        lambda r: dict(r),
        repr,
        lambda r: r.model_fields_set,
        lambda r: r.categories,
        lambda r: r.grade_rule,
    ],
)
def test_deferred_report_is_whole_for_everything_that_reads_it(use: Any) -> None:
    """Pickling, copying, dumping, iterating: each sees the whole report."""
    crb, findings, full = _strong()
    report = evaluate_compiled(crb, findings, reference=False)
    assert _deferred(report)
    out = use(report)
    assert not _deferred(report)
    if use is pickle.dumps:
        assert pickle.loads(out) == full
    elif use not in (repr,):
        assert out == use(full)
    assert report == full


def test_a_kind_without_fast_evaluation_gives_full_reports(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A rule kind (a plugin's) without ``fast`` leaves every report to the full path."""
    check = rule_kinds()["check"]
    monkeypatch.setattr(type(check), "fast", lambda self, *args: None)
    crb, findings, full = _strong()
    crb = dataclasses.replace(crb)  # its own cache: the plan is made again
    report = evaluate_compiled(crb, findings, reference=False)
    assert not _deferred(report)
    assert report == full


def test_fast_evaluation_disagreeing_is_a_loud_bug() -> None:
    """A deferred report whose figures the full evaluation does not confirm raises."""
    crb, findings, full = _strong()
    report = evaluate_compiled(crb, findings, reference=False)
    report.__dict__["total"] = full.total + 1
    with pytest.raises(AssertionError, match="fast evaluation differs on"):
        _ = report.indicators


def test_explained_builds_the_whole_report_at_once() -> None:
    """``explained=True`` (a caller that reads the explanation) skips the fast pass."""
    crb, findings, full = _strong()
    report = evaluate_compiled(crb, findings, reference=False, explained=True)
    assert not _deferred(report)
    assert report == full


# ------------------------------------------------------------------- positions when read


def _as_json(path: Path, tmp_path: Path, edit: Any = None) -> Path:
    """The findings example at ``path`` written as JSON (read by the JSON fast path)."""
    data = loader.load_document(path).data
    if edit is not None:
        edit(data)

    def encode(o: object) -> object:
        if isinstance(o, datetime | date):
            return o.isoformat()
        if isinstance(o, Decimal | Fraction):
            return float(o)
        raise TypeError(o)

    out = tmp_path / (path.stem + ".json")
    out.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=encode), "utf-8")
    return out


class _Counting:
    """A document that counts its position look-ups (and otherwise is the document)."""

    def __init__(self, doc: yamlcore.Document) -> None:
        self.doc = doc
        self.looked_up = 0
        original = doc.position

        def position(path: Any, *, key: bool = False) -> Any:
            self.looked_up += 1
            return original(path, key=key)

        doc.position = position  # type: ignore[method-assign]


@pytest.mark.parametrize("reference", [True, False], ids=["reference", "fast"])
@pytest.mark.parametrize("suffix", [".yaml", ".json"])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_fact_positions_are_looked_up_when_read_and_are_the_eager_ones(
    path: Path, suffix: str, reference: bool, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Checking looks up the place of its issues only; each fact's place and each
    indicator's, read afterwards, is what a look-up in a fresh document gives (the
    eager look-up of before), on both paths and from YAML and JSON alike."""
    from wzeval.checking._findings import check_findings

    source = path if suffix == ".yaml" else _as_json(path, tmp_path)
    monkeypatch.setenv("WZEVAL_REFERENCE", "1" if reference else "0")
    crb = compiled(load_rulebook(bundled_rulebook_path()))
    doc = loader.load_document(source)
    counting = _Counting(doc)
    findings, issues = check_findings(doc, crb, partial=True)
    assert findings is not None
    assert counting.looked_up == len(issues) - len(doc.issues)  # one per issue, no more
    fresh = loader.load_document(source)
    by_name = {c.indicator.name: c.indicator.id for c in crb.indicators}
    seen = 0
    for key, body in fresh.data["indicators"].items():
        ind = by_name.get(key, key)
        where = fresh.position(("indicators", key), key=True)
        assert findings.positions[ind] == where
        for fid, rec in findings.facts.get(ind, {}).items():
            raw = body[fid]
            fact = crb.by_id[ind].indicator.facts
            records = next(f for f in fact if f.id == fid).type == "records"
            vpath: tuple[Any, ...] = ("indicators", key, fid)
            if isinstance(raw, dict) and "value" in raw and not records:
                vpath = (*vpath, "value")
            assert rec.position == fresh.position(vpath), vpath
            assert str(rec.position).startswith(f"{source}:")
            seen += 1
    assert seen > 20
    assert counting.looked_up > len(issues) - len(doc.issues)  # the reads above looked up
    assert dict(findings.positions) == {
        i: fresh.position(("indicators", k), key=True)
        for k in fresh.data["indicators"]
        for i in [by_name.get(k, k)]
    }


def test_fact_records_compare_copy_and_pickle_by_their_position(tmp_path: Path) -> None:
    """A fact record whose place is not read yet equals, hashes, prints, copies and
    pickles as one given its place: the place is looked up for it, and a copy carries
    no document."""
    from wzeval.checking._findings import FactRecord, check_findings

    path = EXAMPLES[0]
    crb = compiled(load_rulebook(bundled_rulebook_path()))
    findings, _ = check_findings(path, crb, partial=True)
    assert findings is not None
    ind, facts = next(iter(findings.facts.items()))
    fid, rec = next(iter(facts.items()))
    again, _ = check_findings(path, crb, partial=True)
    assert again is not None
    other = again.facts[ind][fid]
    assert other._where.__class__ is tuple  # not looked up yet
    eager = FactRecord(other.value, other.evidence, other.note, rec.position)
    assert other == eager and hash(other) == hash(eager) and repr(other) == repr(eager)
    for made in (copy.copy(rec), copy.deepcopy(rec), pickle.loads(pickle.dumps(rec))):
        assert made == eager and made._where == rec.position
    with pytest.raises(dataclasses.FrozenInstanceError):
        rec.value = 1  # type: ignore[misc]
    assert eager != FactRecord(other.value, other.evidence, other.note, None)
    positions = pickle.loads(pickle.dumps(again.positions))
    assert positions == dict(findings.positions) and type(positions) is dict


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_evaluation_issues_point_at_the_indicator_as_before(
    suffix: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A fact that cannot be assessed (no spot checks made) fails a complete scoring
    with WZ410 at its indicator's key: the same ``file:line:col`` on both paths, the
    one a look-up in the document gives, from YAML and JSON alike."""
    from wzeval.core._errors import ValidationFailed

    def no_checks(data: Any) -> None:
        data["indicators"]["dongtai_yaowen"]["repost_checks"] = []

    example = ROOT / "examples" / "findings" / "jiaotong-deductions.yaml"
    source = _as_json(example, tmp_path, no_checks)
    if suffix == ".yaml":
        text = example.read_text("utf-8")
        start = text.index("    repost_checks:\n")
        end = text.index("    sources_noted", start)
        source = tmp_path / example.name
        source.write_text(text[:start] + "    repost_checks: []\n" + text[end:], "utf-8")
    shown = []
    for reference in ("1", "0"):
        monkeypatch.setenv("WZEVAL_REFERENCE", reference)
        rb = load_rulebook(bundled_rulebook_path())
        findings, issues = read_findings(source, rb)
        assert findings is not None, issues
        with pytest.raises(ValidationFailed) as failed:
            evaluate_compiled(compiled(rb), findings, reference=reference == "1")
        shown.append([(i.code, str(i.position)) for i in failed.value.issues])
    where = loader.load_document(source).position(("indicators", "dongtai_yaowen"), key=True)
    assert shown[0] == shown[1] == [("WZ410", str(where))]
    # worked by hand: the line that opens the indicator, at its key's first character
    lines = source.read_text("utf-8").splitlines()
    opening = "  dongtai_yaowen:  # 动态要闻（3）"
    if suffix == ".json":
        opening = '    "dongtai_yaowen": {'
    line = lines.index(opening) + 1
    assert str(where) == f"{source}:{line}:{5 if suffix == '.json' else 3}"
