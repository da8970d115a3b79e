"""Property checks of any rulebook: generate findings, evaluate, look for broken promises.

:func:`verify` draws findings documents from the rulebook's own fact
declarations with Hypothesis, through the one findings generator
(:mod:`wzeval.analysis._generate`: booleans, whole numbers within ``min``/``max``,
exact decimals within their range, enum options, dates in the rulebook's year,
lists and records, ``null`` now and then for nullable facts, spot checks from 0) —
and checks on each:

``evaluates``
    findings that pass every check evaluate without a runtime error;
``indicator-bounds``
    every indicator lies in ``[0, weight]`` (a penalty in ``[weight, 0]``);
``total-bounds``
    base in ``[0, 100]``, bonus and penalty within their categories' weights,
    total = base + bonus + penalty;
``veto-zeroes``
    an indicator whose veto fired earns 0;
``more-deductions-never-help``
    one more occurrence counted by a deduction (its count is a bare int fact)
    never raises the indicator;
``higher-level-never-hurts``
    the next higher option of a levels item's enum fact never lowers the item
    or its indicator;
``larger-count-never-hurts``
    one more in a bands item's count (a bare int fact) never lowers the item or
    its indicator;
``passing-check-never-hurts``
    turning a check's fact from false to true (the fact is the whole condition)
    never lowers the item or its indicator.

When a property fails, Hypothesis shrinks the findings to a smallest
counterexample; :meth:`Counterexample.to_yaml` prints it as rule-test cases
(``wzeval test``) ready to paste under ``cases:`` — for an indicator-level
property only that indicator's facts, as a ``partial`` case.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from random import Random
from typing import Any

try:
    from hypothesis import HealthCheck, find, settings
    from hypothesis.errors import NoSuchExample
except ImportError as exc:  # hypothesis ships with the verify and test extras
    from wzeval.core._errors import HypothesisUnavailable
    from wzeval.core._i18n import _

    raise HypothesisUnavailable(
        _("wzeval verify generates findings with Hypothesis, which is not installed")
    ) from exc
from ruamel.yaml import YAML
from ruamel.yaml.representer import SafeRepresenter

from wzeval.analysis._generate import bare_fact, findings_strategy
from wzeval.checking._checks import CompiledIndicator, CompiledRulebook
from wzeval.checking._findings import FactRecord, Findings
from wzeval.checking._overall import CompiledOverall
from wzeval.core._errors import ValidationFailed, WzevalError
from wzeval.core._i18n import N_, _, ngettext
from wzeval.model._models import Fact, Rulebook
from wzeval.model._report import IndicatorResult, ScoreReport, exact_text
from wzeval.scoring._api import compiled, read_findings
from wzeval.scoring._engine import evaluate_compiled

__all__ = [
    "PROPERTIES",
    "Counterexample",
    "VerifyResult",
    "format_verify_result",
    "verify",
]

_MONOTONE = (
    "more-deductions-never-help",
    "higher-level-never-hurts",
    "larger-count-never-hurts",
    "passing-check-never-hurts",
)

#: The properties :func:`verify` checks, with what each promises (an English msgid:
#: shown translated, ``_(PROPERTIES[name])``).
PROPERTIES: dict[str, str] = {
    "evaluates": N_("findings that pass every check evaluate without a runtime error"),
    "indicator-bounds": N_("every indicator lies in [0, weight] (a penalty in [weight, 0])"),
    "total-bounds": N_(
        "base in [0, 100], bonus and penalty within their weights, total = base + bonus + penalty"
    ),
    "veto-zeroes": N_("an indicator whose veto fired earns 0"),
    "more-deductions-never-help": N_("one more occurrence counted never raises the indicator"),
    "higher-level-never-hurts": N_(
        "a higher enum level never lowers a levels item or its indicator"
    ),
    "larger-count-never-hurts": N_("a larger bands count never lowers the item or its indicator"),
    "passing-check-never-hurts": N_(
        "a check's fact turning true never lowers the item or its indicator"
    ),
}


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Counterexample:
    """A smallest findings document that breaks a property, and what broke.

    For the monotonicity properties ``changed`` is the same document after the
    one change (``change`` says which), and ``before``/``after`` are the
    indicator's results on the two.
    """

    property: str
    message: str
    findings: dict[str, Any]
    indicator: str | None = None
    change: str | None = None
    changed: dict[str, Any] | None = None
    before: Fraction | None = None
    after: Fraction | None = None

    def to_yaml(self) -> str:
        """Rule-test cases reproducing this counterexample, to paste under ``cases:``.

        ``expect`` holds what the rulebook gives *today*; fix the rulebook, then
        write the intended figure.
        """
        partial = self.indicator is not None
        cases = []
        first = self._doc(self.findings)
        expect: dict[str, Any] = {}
        if self.indicator is not None and self.before is not None:
            expect[self.indicator] = exact_text(self.before)
        cases.append(
            {
                "name": _("verify {property}: {message}").format(
                    property=self.property, message=self.message
                ),
                "partial": partial,
                "findings": first,
                "expect": expect or {"total": "?"},
            }
        )
        if self.changed is not None and self.indicator is not None and self.after is not None:
            cases.append(
                {
                    "name": _("verify {property}, after the change: {change}").format(
                        property=self.property, change=self.change
                    ),
                    "partial": partial,
                    "findings": self._doc(self.changed),
                    "expect": {self.indicator: exact_text(self.after)},
                }
            )
        header = "# wzeval verify: " + _("property {property!r} fails: {message}").format(
            property=self.property, message=self.message
        )
        header += "\n# " + _(
            "expect: holds what the rulebook gives today; fix the rulebook, then write "
            "the figure the table intends."
        )
        header += "\n"
        return header + _dump(cases)

    def _doc(self, mapping: dict[str, Any]) -> dict[str, Any]:
        if self.indicator is None:
            return mapping
        doc = {k: v for k, v in mapping.items() if k != "indicators"}
        doc["indicators"] = {self.indicator: mapping.get("indicators", {}).get(self.indicator, {})}
        return doc


@dataclass(frozen=True)
class VerifyResult:
    """What :func:`verify` checked and the counterexamples it found (one per property)."""

    rulebook: str
    max_examples: int
    seed: int
    properties: tuple[str, ...]
    failures: tuple[Counterexample, ...] = ()
    examples: int = 0
    discarded: int = 0
    notes: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """True when no property failed."""
        return not self.failures

    @property
    def exit_code(self) -> int:
        """The CLI's exit code: 0 every property holds, 1 a counterexample was found
        (an unreadable rulebook never gets here: :func:`wzeval.core._exitcodes.exit_code`)."""
        from wzeval.core._exitcodes import EXIT_ISSUES, EXIT_OK

        return EXIT_OK if self.ok else EXIT_ISSUES

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary (``wzeval verify --format json``); cases as YAML text."""
        failed = {f.property: f for f in self.failures}
        return {
            "rulebook": self.rulebook,
            "max_examples": self.max_examples,
            "seed": self.seed,
            "examples": self.examples,
            "notes": list(self.notes),
            "properties": [
                {
                    "name": p,
                    "promise": _(PROPERTIES[p]),
                    "ok": p not in failed,
                    "message": failed[p].message if p in failed else None,
                    "cases_yaml": failed[p].to_yaml() if p in failed else None,
                }
                for p in self.properties
            ],
        }


def format_verify_result(result: VerifyResult) -> str:
    """The result for people: each failed property with its counterexample as YAML."""
    lines = [
        ngettext(
            "verify {rulebook}: {n} findings document (max_examples={max}, seed={seed})",
            "verify {rulebook}: {n} findings documents (max_examples={max}, seed={seed})",
            result.examples,
        ).format(
            rulebook=result.rulebook, n=result.examples, max=result.max_examples, seed=result.seed
        )
    ]
    lines += ["  " + _("note: {note}").format(note=n) for n in result.notes]
    failed = {f.property for f in result.failures}
    marks = {True: _("FAIL"), False: _("ok")}
    width = max(len(m) for m in marks.values())
    for prop in result.properties:
        mark = marks[prop in failed].ljust(width)
        said = _("{mark} {property}: {promise}")
        lines.append("  " + said.format(mark=mark, property=prop, promise=_(PROPERTIES[prop])))
    for f in result.failures:
        lines.append("")
        lines.append(
            _("property {property} fails: {message}").format(property=f.property, message=f.message)
        )
        lines.append(f.to_yaml().rstrip("\n"))
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- YAML out


def _represent_decimal(rep: SafeRepresenter, value: Decimal) -> Any:
    text = format(value, "f")
    if "." not in text:
        text += ".0"
    return rep.represent_scalar("tag:yaml.org,2002:float", text)


def _represent_fraction(rep: SafeRepresenter, value: Fraction) -> Any:
    return rep.represent_str(exact_text(value))


class _Representer(SafeRepresenter):
    """Safe output plus exact numbers (a subclass, so ruamel's own registry is untouched)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True  # write every value out: no &id001 anchors in a case


_Representer.add_representer(Decimal, _represent_decimal)
_Representer.add_representer(Fraction, _represent_fraction)


def _dump(data: object) -> str:
    y = YAML(typ="safe", pure=True)
    y.Representer = _Representer
    y.default_flow_style = False
    y.allow_unicode = True
    y.representer.sort_base_mapping_type_on_output = False  # keep the documents' key order
    out = io.StringIO()
    y.dump(data, out)
    return out.getvalue()


# --------------------------------------------------------------------------- findings


# --------------------------------------------------------------------------- properties


@dataclass(frozen=True)
class _Violation:
    property: str
    message: str
    indicator: str | None = None
    change: str | None = None
    changed: dict[str, Any] | None = None
    before: Fraction | None = None
    after: Fraction | None = None


@dataclass(frozen=True)
class _Knob:
    """One monotone change: a fact of an indicator and what must not happen when it moves."""

    property: str
    indicator: str
    fact: str
    item: str | None  # the item whose credit must not go down (None: indicator only)
    raises: bool  # True: the indicator must not go up (deductions); else must not go down


def _knobs(crb: CompiledRulebook) -> list[_Knob]:
    out: list[_Knob] = []
    for cind in crb.indicators:
        ind = cind.indicator
        decl = {f.id: f for f in ind.facts}
        found: list[tuple[str, str | None, str | None, bool]] = []
        for d in [*cind.deductions, *(d for ci in cind.items for d in ci.deductions)]:
            found.append(
                (
                    "more-deductions-never-help",
                    bare_fact(d.deduction.count or "", decl, "int"),
                    None,
                    True,
                )
            )
        for ci in cind.items:
            it, kind, rule = ci.item, ci.item.rule_kind, ci.item.rule
            if kind == "levels":
                fid = bare_fact(rule.fact, decl, "enum")
                found.append(("higher-level-never-hurts", fid, it.id, False))
            if kind == "bands":
                fid = bare_fact(rule.count, decl, "int")
                found.append(("larger-count-never-hurts", fid, it.id, False))
            if kind == "check":
                fid = bare_fact(rule, decl, "bool")
                found.append(("passing-check-never-hurts", fid, it.id, False))
        for prop, fact, item, raises in dict.fromkeys(found):
            if fact is not None:
                out.append(_Knob(prop, ind.id, fact, item, raises))
    return out


def _step(fact: Fact, value: object) -> object | None:
    """The fact's value one step up (None when there is no step)."""
    if fact.type == "bool":
        return True if value is False else None
    if fact.type == "enum":
        options = fact.options or []
        i = options.index(str(value)) if value in options else -1
        return options[i + 1] if 0 <= i < len(options) - 1 else None
    if fact.type == "int" and isinstance(value, int) and not isinstance(value, bool):
        if fact.max is not None and value + 1 > fact.max:
            return None
        return value + 1
    return None


class _Checker:
    def __init__(self, rb: Rulebook) -> None:
        self.rb = rb
        self.crb = compiled(rb)
        self.knobs = _knobs(self.crb)
        self.facts = {ind.id: {f.id: f for f in ind.facts} for ind in rb.indicators}
        self.bonus_max = sum(
            (Fraction(c.weight) for c in rb.categories if c.kind == "bonus"), Fraction(0)
        )
        self.penalty_min = sum(
            (Fraction(c.weight) for c in rb.categories if c.kind == "penalty"), Fraction(0)
        )
        self.calls = 0
        self.discarded = 0

    def one(self, cind: CompiledIndicator, findings: Findings) -> IndicatorResult | None:
        """One indicator's result, evaluated alone (None when it fails): without the
        rulebook's site-wide vetoes and gates, which the report it is compared with has
        already applied (only indicators it scored are compared)."""
        crb = replace(
            self.crb,
            indicators=(cind,),
            by_id={cind.indicator.id: cind},
            overall=CompiledOverall({}, ()),
        )
        try:
            return evaluate_compiled(crb, findings, partial=True, explained=True).indicators[0]
        except WzevalError:
            return None

    def check(self, mapping: dict[str, Any], wanted: set[str] | None = None) -> list[_Violation]:
        """Every violated property on one findings document (``wanted``: only look for these)."""
        self.calls += 1
        findings, _unused = read_findings(mapping, self.rb, partial=True)
        if findings is None:
            self.discarded += 1
            return []
        try:
            report = evaluate_compiled(self.crb, findings, partial=True, explained=True)
        except ValidationFailed as exc:
            first = exc.issues[0] if exc.issues else None
            text = first.message if first is not None else str(exc)
            code = f"{first.code} " if first is not None else ""
            message = _("evaluation fails: {code}{text}").format(code=code, text=text)
            return [_Violation("evaluates", message)]
        out = self.bounds(report)
        if wanted is None or wanted & set(_MONOTONE):
            out += self.monotone(mapping, findings, report)
        return out

    def bounds(self, report: ScoreReport) -> list[_Violation]:
        out: list[_Violation] = []
        for r in report.indicators:
            lo, hi = (r.weight, Fraction(0)) if r.kind == "penalty" else (Fraction(0), r.weight)
            if not r.applicable:
                lo = hi = Fraction(0)
            if not lo <= r.points <= hi:
                out.append(
                    _Violation(
                        "indicator-bounds",
                        _("{name} ({id}) gives {points}, outside [{lo}, {hi}]").format(
                            name=r.name,
                            id=r.id,
                            points=exact_text(r.points),
                            lo=exact_text(lo),
                            hi=exact_text(hi),
                        ),
                        r.id,
                        before=r.points,
                    )
                )
            if r.vetoed and r.points != 0:
                out.append(
                    _Violation(
                        "veto-zeroes",
                        _("{name} ({id}) was vetoed but gives {points}").format(
                            name=r.name, id=r.id, points=exact_text(r.points)
                        ),
                        r.id,
                        before=r.points,
                    )
                )
        problems = []
        if not 0 <= report.base <= 100:
            problems.append(
                _("base {base} is outside [0, 100]").format(base=exact_text(report.base))
            )
        if not 0 <= report.bonus <= self.bonus_max:
            problems.append(
                _("bonus {bonus} is outside [0, {most}]").format(
                    bonus=exact_text(report.bonus), most=exact_text(self.bonus_max)
                )
            )
        if not self.penalty_min <= report.penalty <= 0:
            problems.append(
                _("penalty {penalty} is outside [{least}, 0]").format(
                    penalty=exact_text(report.penalty), least=exact_text(self.penalty_min)
                )
            )
        if report.total != report.base + report.bonus + report.penalty:
            problems.append(_("total is not base + bonus + penalty"))
        if problems:
            out.append(_Violation("total-bounds", _("; ").join(problems)))
        return out

    def monotone(
        self, mapping: dict[str, Any], findings: Findings, report: ScoreReport
    ) -> list[_Violation]:
        out: list[_Violation] = []
        results = {r.id: r for r in report.indicators}
        for knob in self.knobs:
            res = results.get(knob.indicator)
            facts = findings.facts.get(knob.indicator, {})
            if res is None or not res.applicable or not res.scored or knob.fact not in facts:
                continue  # a veto or gate that stopped it is judged by the whole report
            fact = self.facts[knob.indicator][knob.fact]
            old = facts[knob.fact].value
            new = _step(fact, old)
            if new is None:
                continue
            moved = dict(findings.facts)
            moved[knob.indicator] = {**facts, knob.fact: FactRecord(new)}
            cind = self.crb.by_id[knob.indicator]
            after = self.one(cind, replace(findings, facts=moved))
            if after is None:
                continue
            broken = after.points > res.points if knob.raises else after.points < res.points
            what = _("{name} ({id}) goes from {before} to {after}").format(
                name=res.name,
                id=res.id,
                before=exact_text(res.points),
                after=exact_text(after.points),
            )
            if not broken and knob.item is not None:
                b = next((i for i in res.items if i.id == knob.item), None)
                a = next((i for i in after.items if i.id == knob.item), None)
                if b is not None and a is not None and b.assessed and a.credit < b.credit:
                    broken = True
                    what = _(
                        "item {item} of {name} ({id}) goes from {before} to {after} of the weight"
                    ).format(
                        item=knob.item,
                        name=res.name,
                        id=res.id,
                        before=_pct(b.credit),
                        after=_pct(a.credit),
                    )
            if broken:
                change = f"{knob.indicator}.{knob.fact}: {_show(old)} → {_show(new)}"
                changed = _with_fact(mapping, knob.indicator, knob.fact, new)
                out.append(
                    _Violation(
                        knob.property,
                        f"{change} — {what}",
                        knob.indicator,
                        change,
                        changed,
                        res.points,
                        after.points,
                    )
                )
        return out


def _pct(value: Fraction) -> str:
    from wzeval.model._models import format_amount

    return format_amount(value)


def _show(value: object) -> str:
    return "true" if value is True else "false" if value is False else str(value)


def _with_fact(mapping: dict[str, Any], ind: str, fid: str, value: object) -> dict[str, Any]:
    out = dict(mapping)
    indicators = dict(out.get("indicators", {}))
    indicators[ind] = {**indicators.get(ind, {}), fid: value}
    out["indicators"] = indicators
    return out


# --------------------------------------------------------------------------- the search


def _notes(checker: _Checker) -> tuple[str, ...]:
    """What the report should say about the search itself."""
    notes: list[str] = []
    if not checker.knobs:
        notes.append(
            _("no monotone rule reads a bare fact; the monotonicity properties were vacuous")
        )
    if checker.discarded:
        notes.append(
            ngettext(
                "{n} generated document did not pass the findings checks",
                "{n} generated documents did not pass the findings checks",
                checker.discarded,
            ).format(n=checker.discarded)
        )
    return tuple(notes)


def verify(
    rulebook: Rulebook,
    *,
    max_examples: int = 200,
    seed: int = 0,
    properties: Sequence[str] | None = None,
) -> VerifyResult:
    """Check the :data:`PROPERTIES` of a rulebook on generated findings.

    Deterministic for a given ``seed`` (no example database).  For each
    property that fails, the result holds one shrunk counterexample.
    ``properties`` restricts the check to some of them.
    """
    props = tuple(properties) if properties is not None else tuple(PROPERTIES)
    unknown = [p for p in props if p not in PROPERTIES]
    if unknown:
        raise ValueError(
            _("unknown properties: {unknown} (known: {known})").format(
                unknown=", ".join(unknown), known=", ".join(PROPERTIES)
            )
        )
    checker = _Checker(rulebook)
    strategy = findings_strategy(rulebook, checks_from=0)
    config = settings(
        max_examples=max_examples,
        derandomize=False,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    remaining = set(props)
    failures: list[Counterexample] = []
    examples = 0
    while remaining:

        def broken(mapping: dict[str, Any], wanted: set[str] = remaining) -> bool:
            return any(v.property in wanted for v in checker.check(mapping, wanted))

        before = checker.calls
        try:
            found = find(strategy, broken, settings=config, random=Random(seed))
        except NoSuchExample:
            examples += checker.calls - before
            break
        examples += checker.calls - before
        seen: set[str] = set()
        for v in checker.check(found, remaining):
            if v.property in remaining and v.property not in seen:
                seen.add(v.property)
                failures.append(
                    Counterexample(
                        v.property,
                        v.message,
                        found,
                        v.indicator,
                        v.change,
                        v.changed,
                        v.before,
                        v.after,
                    )
                )
        remaining -= seen
        if not seen:  # pragma: no cover - find() only returns examples that break something
            break
    order = {p: i for i, p in enumerate(PROPERTIES)}
    failures.sort(key=lambda f: order[f.property])
    return VerifyResult(
        rulebook=rulebook.file,
        max_examples=max_examples,
        seed=seed,
        properties=props,
        failures=tuple(failures),
        examples=examples,
        discarded=checker.discarded,
        notes=_notes(checker),
    )
