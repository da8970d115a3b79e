"""Rule tests: a rulebook ships its own test cases, and they say what they cover.

A rule-test document (``rulebooks/2023.tests.yaml``) names a rulebook and lists
cases, each a findings document and the points it must earn::

    wzeval: ruletests/1
    rulebook: 2023.yaml            # relative to this file, or a bundled rulebook id
    defaults:                      # optional: findings every case starts from
      department: 市发改委
      monitoring_date: 2023-11-15
      indicators: {...}
    cases:
      - name: 在线咨询 answered after 3 working days earns the 20% tier
        findings:                  # a mapping merged over defaults, or a path
          indicators:
            zaixian_zixun: {answered: 2023-11-20}
        partial: false             # optional: score what was assessed
        expect:
          zaixian_zixun: "1.8"     # exact: "1.8", "9/5", 1.8 or 2
          total: "99.4"            # also base, base_raw, base_possible, bonus, penalty
          vetoed: []               # indicators whose veto fired (exactly these)
          fired: []                # the vetoes that fired, as indicator.veto (exactly these)
          not_applicable: []       # indicators that did not apply (exactly these)

Merging: a case's top-level keys replace the defaults'; under ``indicators``
each indicator's facts are merged fact by fact (a fact given in the case
replaces the default's value); an indicator set to ``null`` is dropped.

Every figure is compared exactly (:class:`fractions.Fraction`).  A failing case
shows expected against actual with the indicator's trace: each item's rule,
share, credit and reason, the vetoes and deductions.

**Coverage.**  From the results of all cases, :func:`run_tests` works out which
parts of the rulebook were exercised — every check item earned and not earned,
every tier row matched, every level, every band, every checklist entry present
and absent, every proportion partial and full, every given score, every veto
fired and not fired, every deduction at zero, counted and capped, applicability
both ways, a penalty at its limit and an indicator deducted down to 0 — and
lists what no case reached, with its ``file:line`` in the rulebook.  Tier rows,
bands and checklist entries are decided by re-evaluating the compiled rule on
the case's facts (structured, not parsed from reason texts).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from wzeval.analysis._ruletargets import Coverage, Target, coverage_targets, covered_targets
from wzeval.checking._checks import CompiledRulebook
from wzeval.core._codes import WZ110, WZ201, WZ401, WZ402, WZ403
from wzeval.core._errors import ValidationFailed
from wzeval.core._i18n import _, ngettext
from wzeval.core._issues import Issue, PathPart, Position, Severity, did_you_mean
from wzeval.model._extends import bundled_rulebooks, resolve_extends
from wzeval.model._models import Rulebook, format_amount
from wzeval.model._report import IndicatorResult, ScoreReport, display, exact_text
from wzeval.reading._loader import load_document
from wzeval.reading._yamlcore import Document
from wzeval.scoring._api import compiled, evaluate, read_findings, rulebook_from_document

__all__ = [
    "RULETESTS_FORMAT",
    "CaseResult",
    "Coverage",
    "Mismatch",
    "Target",
    "TestRun",
    "coverage_targets",
    "format_test_run",
    "indicator_trace",
    "run_tests",
]

RULETESTS_FORMAT = "ruletests/1"
_TOP_KEYS = ("wzeval", "rulebook", "defaults", "cases")
_CASE_KEYS = ("name", "findings", "partial", "expect")
_FIGURES = ("total", "base", "base_raw", "base_possible", "bonus", "penalty")
_SETS = ("vetoed", "not_applicable", "not_scored")
_KEY_CODES = frozenset({WZ401, WZ402, WZ403})  # findings issues about an unknown key

Path_ = tuple[PathPart, ...]


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Mismatch:
    """One expected figure or set that the evaluation did not give."""

    key: str
    expected: str
    actual: str

    def format(self) -> str:
        return _("{key}: expected {expected}, got {actual}").format(
            key=self.key, expected=self.expected, actual=self.actual
        )


@dataclass(frozen=True)
class CaseResult:
    """The outcome of one case: passed, or what differed and why."""

    name: str
    index: int
    position: Position | None
    mismatches: tuple[Mismatch, ...] = ()
    issues: tuple[Issue, ...] = ()
    traces: Mapping[str, str] = field(default_factory=dict)
    report: ScoreReport | None = field(default=None, repr=False, compare=False)

    @property
    def passed(self) -> bool:
        """True when the case evaluated and every expectation held."""
        return self.report is not None and not self.mismatches and not self.errors

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.ERROR]


@dataclass(frozen=True)
class TestRun:
    """Every case of one rule-test document, with the coverage they reach."""

    __test__ = False  # not a pytest test class

    file: str
    rulebook: str | None
    cases: tuple[CaseResult, ...]
    coverage: Coverage | None
    issues: tuple[Issue, ...] = ()

    @property
    def readable(self) -> bool:
        """False when the document or its rulebook could not be read (exit code 2)."""
        return self.coverage is not None

    @property
    def passed(self) -> bool:
        """True when the document was read and every case passed."""
        return (
            self.readable
            and not any(i.severity is Severity.ERROR for i in self.issues)
            and all(c.passed for c in self.cases)
        )

    def ok(self, min_coverage: float | Fraction | Decimal | None = None) -> bool:
        """Every case passed, and coverage reaches ``min_coverage`` percent if given."""
        if not self.passed:
            return False
        if min_coverage is None or self.coverage is None:
            return self.passed
        return self.coverage.percent >= Fraction(str(min_coverage))

    def exit_code(self, min_coverage: float | Fraction | Decimal | None = None) -> int:
        """The CLI's exit code: 0 all passed (and covered), 1 failures, 2 unreadable."""
        if not self.readable:
            return 2
        return 0 if self.ok(min_coverage) else 1

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary (``wzeval test --format json``)."""
        cov = self.coverage
        return {
            "file": self.file,
            "rulebook": self.rulebook,
            "passed": self.passed,
            "issues": [i.to_dict() for i in self.issues],
            "cases": [
                {
                    "name": c.name,
                    "passed": c.passed,
                    "at": str(c.position) if c.position else None,
                    "mismatches": [
                        {"key": m.key, "expected": m.expected, "actual": m.actual}
                        for m in c.mismatches
                    ],
                    "issues": [i.to_dict() for i in c.issues],
                    "traces": dict(c.traces),
                }
                for c in self.cases
            ],
            "coverage": None
            if cov is None
            else {
                "percent": display(cov.percent, 2),
                "targets": len(cov.targets),
                "covered": len(cov.targets) - len(cov.uncovered),
                "uncovered": [
                    {"id": t.id, "kind": t.kind, "description": t.description, "at": t.where}
                    for t in cov.uncovered
                ],
                "unreachable": [
                    {"id": t.id, "kind": t.kind, "description": t.description, "at": t.where}
                    for t in cov.unreachable
                ],
            },
        }


# --------------------------------------------------------------------------- traces


def indicator_trace(res: IndicatorResult) -> str:
    """An indicator's score explained: items with reasons, vetoes, deductions, facts read."""
    head = _("{name} ({id}): {points} of {weight}").format(
        name=res.name, id=res.id, points=exact_text(res.points), weight=exact_text(res.weight)
    )
    if not res.applicable:
        return head + _(" — not applicable")
    lines = [head + (_(" — vetoed") if res.vetoed else "")]
    for i in res.items:
        lines.append(
            "  "
            + _("item {id} ({rule}, share {share}): {reason} → {points}").format(
                id=i.id,
                rule=i.rule,
                share=format_amount(i.share),
                reason=i.reason,
                points=exact_text(i.points),
            )
        )
        lines += ["    " + _veto_line(_("item veto {id}: {state}"), v) for v in i.vetoes]
        lines += [f"    {_deduction_line(d)}" for d in i.deductions]
    lines += ["  " + _veto_line(_("veto {id}: {state}"), v) for v in res.vetoes]
    lines += [f"  {_deduction_line(d)}" for d in res.deductions]
    if res.missing:
        lines.append("  " + _("missing: {names}").format(names=", ".join(res.missing)))
    if res.facts:
        shown = ", ".join(f"{f.id}={_short(f.value)}" for f in res.facts)
        lines.append("  " + _("facts: {facts}").format(facts=shown))
    return "\n".join(lines)


def _veto_line(template: str, v: Any) -> str:
    return template.format(id=v.id, state=_("FIRED") if v.fired else _("not fired"))


def _deduction_line(d: Any) -> str:
    cap = _(", cap {cap}").format(cap=format_amount(d.cap)) if d.cap is not None else ""
    return _("deduction {id}: {count} × {each}{cap} = {amount}{capped} → −{points}").format(
        id=d.id,
        count=d.count,
        each=format_amount(d.each),
        cap=cap,
        amount=format_amount(d.amount),
        capped=_(" (capped)") if d.capped else "",
        points=exact_text(d.points),
    )


def _short(value: object) -> str:
    text = _flow(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _flow(value: object) -> str:
    """A fact's value as a rule test's author wrote it, in YAML's flow style: ``true``,
    ``null``, ``0.5`` (exact), ``[a, b]``, ``{k: v}`` — not Python's ``True`` or
    ``Fraction(1, 2)``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Fraction):
        return exact_text(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    return str(value)


def format_test_run(run: TestRun, *, verbose: bool = False) -> str:
    """The run for people: failures with their traces, a summary, then coverage."""
    head = _("{file} (rulebook {rulebook})") if run.rulebook else "{file}"
    lines = [head.format(file=run.file, rulebook=run.rulebook)]
    lines += [f"  {i.format()}" for i in run.issues]
    for c in run.cases:
        where = f" [{c.position}]" if c.position else ""
        if c.passed:
            if verbose:
                lines.append("  " + _("PASS {name}").format(name=c.name))
            continue
        lines.append("  " + _("FAIL {name}").format(name=c.name) + where)
        lines += [f"       {i.format()}" for i in c.issues if i.severity is Severity.ERROR]
        lines += [f"       {m.format()}" for m in c.mismatches]
        for trace in c.traces.values():
            lines += [f"         {t}" for t in trace.splitlines()]
    failed = sum(1 for c in run.cases if not c.passed)
    n = len(run.cases)
    lines.append(
        "  "
        + ngettext(
            "{n} case: {passed} passed, {failed} failed",
            "{n} cases: {passed} passed, {failed} failed",
            n,
        ).format(n=n, passed=n - failed, failed=failed)
    )
    cov = run.coverage
    if cov is not None:
        hit, total = len(cov.targets) - len(cov.uncovered), len(cov.targets)
        lines.append(
            "  "
            + ngettext(
                "coverage: {percent}% ({hit}/{total} target)",
                "coverage: {percent}% ({hit}/{total} targets)",
                total,
            ).format(percent=display(cov.percent, 1), hit=hit, total=total)
        )
        for t in cov.uncovered:
            lines.append(
                "    " + _("not covered: {where}: {what}").format(where=t.where, what=t.description)
            )
        for t in cov.unreachable:
            lines.append(
                "    "
                + _("unreachable (see wzeval lint): {where}: {what}").format(
                    where=t.where, what=t.description
                )
            )
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- running


class _Reader:
    """Reads a rule-test document, collecting issues with positions."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.issues: list[Issue] = list(doc.issues)

    def issue(
        self, code: str, message: str, path: Path_, hint: str | None = None, *, key: bool = False
    ) -> None:
        """``key=True``: the issue is about the mapping key at ``path`` (an unknown key),
        so it points at the key, not at its value."""
        position = self.doc.position(path, key=key)
        self.issues.append(Issue(code, message, path=path, position=position, hint=hint))


_SUFFIXES = (".yaml", ".yml", ".json")


def _confined(ref: str, base: Path) -> Path | None:
    """The file ``ref`` names relative to ``base``, or ``None`` if it may not be read.

    A rule-test document arrives in a pull request like a rulebook, so it may only
    name files as ``extends:`` does: a ``.yaml``/``.yml``/``.json`` path (relative to
    the document) that lies, symbolic links followed, inside the working directory,
    the document's own folder or the git repository holding it.  Nothing else is
    opened, so a test cannot make CI print the contents of ``../../secrets.yaml``
    or ``/etc/...`` in an issue.
    """
    rel = Path(ref)
    if "://" in ref or ref.startswith("~") or rel.suffix.lower() not in _SUFFIXES:
        return None
    candidate = Path(os.path.normpath(base / rel))
    try:
        real = candidate.resolve()
        roots = [Path.cwd().resolve(), base.resolve()]
    except (OSError, RuntimeError):  # e.g. a symbolic-link loop
        return None
    roots += [f for f in roots[1].parents if (f / ".git").exists()][:1]
    if not any(real == r or real.is_relative_to(r) for r in roots):
        return None
    return candidate


def _resolve_rulebook(ref: str, base: Path) -> Path | None:
    candidate = _confined(ref, base)
    if candidate is not None and candidate.is_file():
        return candidate
    from wzeval.scoring._api import bundled_rulebook_path

    name = ref.removeprefix("bundled:")
    if name in bundled_rulebooks():
        return bundled_rulebook_path().parent / f"{name}.yaml"
    bundled = bundled_rulebook_path()
    data = load_document(bundled).data
    if isinstance(data, Mapping) and data.get("id") == ref:
        return bundled
    return None


def _merge(defaults: Mapping[str, Any], case: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(defaults)
    for k, v in case.items():
        if k == "indicators" and isinstance(v, Mapping) and isinstance(out.get(k), Mapping):
            merged: dict[str, Any] = {
                i: dict(f) if isinstance(f, Mapping) else f for i, f in out[k].items()
            }
            for ind, facts in v.items():
                if facts is None:
                    merged.pop(ind, None)
                elif isinstance(facts, Mapping) and isinstance(merged.get(ind), Mapping):
                    merged[ind] = {**merged[ind], **facts}
                else:
                    merged[ind] = facts
            out[k] = merged
        else:
            out[k] = v
    return out


def _has(data: object, path: Sequence[PathPart]) -> bool:
    """Whether ``data`` holds the start of ``path`` (its first two parts: the indicator)."""
    node, depth = data, 0
    for part in path:
        found = (isinstance(node, Mapping) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        )
        if not found:
            break
        node, depth = node[part], depth + 1  # type: ignore[index]
    return depth >= min(len(path), 2) > 0


def _figure(value: object) -> Fraction | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return Fraction(value)
    if isinstance(value, str):
        try:
            return Fraction(value.strip())
        except (ValueError, ZeroDivisionError):
            return None
    return None


def _findings_source(r: _Reader, raw: object, base: Path, path: Path_) -> Mapping[str, Any] | None:
    if isinstance(raw, Mapping):
        return raw
    if isinstance(raw, str):
        allowed = _confined(raw, base)
        if allowed is None:
            r.issue(
                WZ201,
                _("findings file {raw!r} may not be read").format(raw=raw),
                path,
                _("a .yaml/.yml/.json file inside the project, as for extends:"),
            )
            return None
        doc = load_document(allowed)
        if doc.data is None or not isinstance(doc.data, Mapping):
            r.issues.extend(doc.issues)
            r.issue(WZ201, _("findings file {raw!r} cannot be read").format(raw=raw), path)
            return None
        return doc.data
    r.issue(WZ201, _("findings must be a mapping or a path to a findings file"), path)
    return None


def run_tests(
    tests_path: str | Path,
    *,
    rulebook: str | Path | None = None,
) -> TestRun:
    """Run every case of a rule-test document and work out the coverage they reach.

    ``rulebook`` overrides the document's ``rulebook:``.  Never raises for bad
    input: problems with the document are in ``TestRun.issues`` (WZ201 for its shape,
    WZ110 for a file that cannot be read), and
    ``TestRun.readable`` is false when the document or rulebook is unusable.
    """
    tests_file = Path(tests_path)
    doc = load_document(tests_file)
    r = _Reader(doc)
    file = str(tests_file)
    data = doc.data
    if not isinstance(data, Mapping):
        if data is not None:
            r.issue(WZ201, _("a rule-test document must be a mapping"), ())
        return TestRun(file, None, (), None, tuple(r.issues))
    if not _is_ruletests(r, data):
        return TestRun(file, None, (), None, tuple(r.issues))
    rb_path = _rulebook_path(r, data, rulebook, tests_file.parent)
    if rb_path is None:
        return TestRun(file, None, (), None, tuple(r.issues))
    rb_doc = resolve_extends(load_document(rb_path))
    rb, rb_issues = rulebook_from_document(rb_doc)
    if rb is None:
        r.issues.extend(rb_issues)
        r.issue(
            WZ110,
            _("rulebook {rb_path!r} does not load").format(rb_path=str(rb_path)),
            ("rulebook",),
        )
        return TestRun(file, str(rb_path), (), None, tuple(r.issues))
    crb = compiled(rb)
    defaults: Mapping[str, Any] = {}
    if "defaults" in data:
        got = _findings_source(r, data["defaults"], tests_file.parent, ("defaults",))
        defaults = got or {}
    cases_raw = data.get("cases")
    if not isinstance(cases_raw, list) or not cases_raw:
        r.issue(WZ201, _("cases must be a non-empty list"), ("cases",) if "cases" in data else ())
        cases_raw = []
    results: list[CaseResult] = []
    covered: set[str] = set()
    for n, raw in enumerate(cases_raw):
        result, hit = _run_case(r, rb, crb, raw, n, defaults, tests_file.parent)
        results.append(result)
        covered |= hit
    targets, unreachable = coverage_targets(rb, rb_doc)
    return TestRun(
        file,
        str(rb_path),
        tuple(results),
        Coverage(tuple(targets), frozenset(covered), tuple(unreachable)),
        tuple(r.issues),
    )


def _is_ruletests(r: _Reader, data: Mapping[str, Any]) -> bool:
    """Whether the document says it is a rule-test document; unknown keys are reported."""
    for k in data:
        if k not in _TOP_KEYS:
            hint = did_you_mean(str(k), _TOP_KEYS)
            r.issue(WZ201, _("unknown key {k!r}").format(k=k), (k,), hint, key=True)
    if data.get("wzeval") == RULETESTS_FORMAT:
        return True
    r.issue(
        WZ201,
        _("not a rule-test document (wzeval: {value!r})").format(value=data.get("wzeval")),
        ("wzeval",) if "wzeval" in data else (),
        hint=_("start with 'wzeval: {ruletests_format}'").format(ruletests_format=RULETESTS_FORMAT),
    )
    return False


def _rulebook_path(
    r: _Reader, data: Mapping[str, Any], rulebook: str | Path | None, base: Path
) -> Path | None:
    """The rulebook the cases run against: ``rulebook`` if given, else the document's."""
    if rulebook is not None:
        return Path(rulebook)
    ref = data.get("rulebook")
    found = _resolve_rulebook(ref, base) if isinstance(ref, str) else None
    if found is None:
        r.issue(
            WZ110,
            _("rulebook {ref!r} not found (a path relative to this file, or a bundled id)").format(
                ref=ref
            ),
            ("rulebook",) if "rulebook" in data else (),
        )
    return found


#: Reports a WZ201 issue of a case: message, path, hint, ``key=`` (see :meth:`_Reader.issue`).
_Bad = Callable[..., None]


def _run_case(
    r: _Reader,
    rb: Rulebook,
    crb: CompiledRulebook,
    raw: object,
    n: int,
    defaults: Mapping[str, Any],
    base: Path,
) -> tuple[CaseResult, set[str]]:
    """One case: its findings read and scored, its expectations compared, the targets
    it reached."""
    path: Path_ = ("cases", n)
    position = r.doc.position(path)
    if not isinstance(raw, Mapping):
        issue = Issue(WZ201, _("a case must be a mapping"), path=path, position=position)
        return CaseResult(_case_name(n), n, position, issues=(issue,)), set()
    name = str(raw.get("name") or _case_name(n))
    issues: list[Issue] = []

    def bad(message: str, where: Path_, hint: str | None = None, *, key: bool = False) -> None:
        position = r.doc.position(where, key=key)
        issues.append(Issue(WZ201, message, path=where, position=position, hint=hint))

    partial, expect = _case_keys(raw, path, bad)
    sub = _Reader(r.doc)
    source = _findings_source(sub, raw.get("findings"), base, (*path, "findings"))
    issues.extend(sub.issues)
    if source is None or issues:
        return CaseResult(name, n, position, issues=tuple(issues)), set()
    findings, found = read_findings(_merge(defaults, source), rb, partial=partial)
    if findings is None:
        issues += _placed(r, raw, path, defaults, found)
        return CaseResult(name, n, position, issues=tuple(issues)), set()
    try:
        report = evaluate(rb, findings, partial=partial, explained=True)
    except ValidationFailed as exc:
        return CaseResult(name, n, position, issues=(*issues, *exc.issues)), set()
    mismatches, traces = _compare(expect, rb, report, bad, path)
    hit = covered_targets(crb, findings, report)
    return (
        CaseResult(name, n, position, tuple(mismatches), tuple(issues), traces, report),
        hit,
    )


def _case_name(n: int) -> str:
    """The name of an unnamed case: its number in the document."""
    return _("case {n}").format(n=n + 1)


def _case_keys(raw: Mapping[str, Any], path: Path_, bad: _Bad) -> tuple[bool, Mapping[str, Any]]:
    """A case's ``partial`` and ``expect`` (false and empty where malformed, reported)."""
    for k in raw:
        if k not in _CASE_KEYS:
            hint = did_you_mean(str(k), _CASE_KEYS)
            bad(_("unknown key {k!r} in a case").format(k=k), (*path, k), hint, key=True)
    partial = raw.get("partial", False)
    if not isinstance(partial, bool):
        bad(_("partial must be true or false"), (*path, "partial"))
        partial = False
    expect = raw.get("expect")
    if not isinstance(expect, Mapping) or not expect:
        bad(
            _("expect must be a mapping of indicator id (or total, base …) to points"),
            (*path, "expect"),
        )
        expect = {}
    return partial, expect


def _placed(
    r: _Reader,
    raw: Mapping[str, Any],
    path: Path_,
    defaults: Mapping[str, Any],
    found: Sequence[Issue],
) -> list[Issue]:
    """The findings' errors placed in the tests file: in this case's findings, in the
    defaults, or at the case."""
    assert isinstance(r.doc.data, Mapping)
    position = r.doc.position(path)
    inline = isinstance(raw.get("findings"), Mapping)
    out = []
    for i in found:
        if i.severity is not Severity.ERROR:
            continue
        key = i.code in _KEY_CODES  # an unknown name: point at the key itself
        if inline and _has(raw["findings"], i.path):
            i = i.at(r.doc.position((*path, "findings", *i.path), key=key))
        elif isinstance(r.doc.data.get("defaults"), Mapping) and _has(defaults, i.path):
            i = i.at(r.doc.position(("defaults", *i.path), key=key))
        else:
            i = i.at(position)
        out.append(i)
    return out


def _compare(
    expect: Mapping[str, Any], rb: Rulebook, report: ScoreReport, bad: _Bad, path: Path_
) -> tuple[list[Mismatch], dict[str, str]]:
    """What the report gave that a case's ``expect`` did not, with the trace of every
    indicator that explains a difference."""
    mismatches: list[Mismatch] = []
    traces: dict[str, str] = {}
    for key, want in expect.items():
        kpath: Path_ = (*path, "expect", key)
        if key == "grade":
            if not isinstance(want, str):
                bad(
                    _("the expected grade is a text such as 合格 (got {want!r})").format(want=want),
                    kpath,
                )
            elif report.grade != want:
                mismatches.append(Mismatch("grade", want, str(report.grade)))
            continue
        if key in _SETS:
            mismatches += _compare_set(key, want, report, bad, kpath)
            continue
        if key == "fired":
            mismatches += _compare_fired(want, rb, report, bad, kpath)
            continue
        figure = _figure(want)
        if figure is None:
            bad(
                _(
                    'expected points for {key!r} must be exact: 1.5, "3/2" or 2 (got {want!r})'
                ).format(key=key, want=want),
                kpath,
            )
            continue
        if key in _FIGURES:
            got = getattr(report, key)
            if got != figure:
                mismatches.append(Mismatch(key, exact_text(figure), exact_text(got)))
                for res in report.indicators:
                    if res.points < res.max_points and res.id not in traces:
                        traces[res.id] = indicator_trace(res)
            continue
        try:
            res = report.indicator(str(key))
        except KeyError:
            ids = [i.id for i in report.indicators]
            message = _("unknown indicator {key!r} in expect").format(key=key)
            bad(message, kpath, did_you_mean(str(key), ids))
            continue
        if res.points != figure:
            mismatches.append(Mismatch(res.id, exact_text(figure), exact_text(res.points)))
            traces[res.id] = indicator_trace(res)
    return mismatches, traces


def _compare_set(
    key: str, want: object, report: ScoreReport, bad: _Bad, path: Path_
) -> list[Mismatch]:
    if not isinstance(want, list) or not all(isinstance(w, str) for w in want):
        bad(_("{key} must be a list of indicator ids").format(key=key), path)
        return []
    ids = {i.id for i in report.indicators}
    names = {i.name: i.id for i in report.indicators}
    wanted = set()
    for w in want:
        if w in ids:
            wanted.add(w)
        elif w in names:
            wanted.add(names[w])
        else:
            message = _("unknown indicator {w!r} in {key}").format(w=w, key=key)
            bad(message, path, did_you_mean(w, ids))
            return []
    if key == "vetoed":
        actual = {i.id for i in report.indicators if i.vetoed}
    elif key == "not_scored":
        actual = {i.id for i in report.indicators if not i.scored}
    else:
        actual = {i.id for i in report.indicators if not i.applicable}
    if actual == wanted:
        return []
    return [Mismatch(key, _set_text(wanted), _set_text(actual))]


def _compare_fired(
    want: object, rb: Rulebook, report: ScoreReport, bad: _Bad, path: Path_
) -> list[Mismatch]:
    """``fired: [zaixian_zixun.unanswered]``: exactly these indicator vetoes fired.

    A veto is named by its indicator and its own id, as the rulebook declares them,
    so a case says *which* veto set an indicator to 0, not only that one did.
    """
    declared = sorted(f"{ind.id}.{v.id}" for ind in rb.indicators for v in ind.vetoes)
    if not isinstance(want, list) or not all(isinstance(w, str) for w in want):
        bad(_("fired must be a list of vetoes named indicator.veto, e.g. [ind.veto]"), path)
        return []
    for w in want:
        if w not in declared:
            message = _("unknown veto {w!r} in fired").format(w=w)
            bad(message, path, did_you_mean(w, declared))
            return []
    actual = {f"{i.id}.{v.id}" for i in report.indicators for v in i.vetoes if v.fired}
    if actual == set(want):
        return []
    return [Mismatch("fired", _set_text(set(want)), _set_text(actual))]


def _set_text(values: set[str]) -> str:
    return "[" + ", ".join(sorted(values)) + "]"
