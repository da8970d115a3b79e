"""Findings: what an evaluator observed about one department, checked against a rulebook.

A findings document names the rulebook, the department, the monitoring date
(监测时间点) and the assessors, then gives facts per indicator.  A fact is a bare
value or ``{value, evidence, note}``; evidence is what lets a department
contest a score.

Checking reports every problem at once, each with ``file:line:col``: unknown
indicator or fact (with "did you mean"), missing fact, wrong type, value out of
range, unknown department (which hides no other problem).  Values are converted
to the runtime forms the expressions use (decimals become
:class:`fractions.Fraction`, ISO strings from JSON become dates).

Findings are filled over days: :data:`FILLING_RULE` (code: :func:`not_recorded`)
says what is "not recorded yet" — ``待填写``, ``null``, an empty value or cell, also
as an element of a list or a field of a record (the whole fact is then not recorded) —
and with ``partial=True`` such facts are simply absent (the indicator is listed
as not assessed); without it each is WZ404 (尚未填写) on its own line or cell.
The usual slips (``是``, ``80%``, ``2023/11/5``, ``三``, an option's Chinese label,
see :mod:`wzeval.core._slips`) are refused with the value meant named in the message,
and a date later than the monitoring date is a warning (WZ414).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from wzeval.checking._applicability import (
    FactRecord,
    PositionSource,
    applicability,
    shared_records,
)
from wzeval.checking._checks import CompiledIndicator, CompiledRulebook
from wzeval.checking._factvalues import Hole, ValueChecker
from wzeval.checking._factvalues import shown_value as _shown
from wzeval.checking._factvalues import typename as _typename
from wzeval.checking._usual import REFER, indicator_checkers
from wzeval.core._codes import WZ401, WZ402, WZ403, WZ404, WZ405, WZ407, WZ408
from wzeval.core._i18n import N_, _
from wzeval.core._issues import Issue, PathPart, Position, Severity, did_you_mean
from wzeval.core._slips import (
    PLACEHOLDER,
    is_placeholder,
)
from wzeval.model._models import Fact, Indicator
from wzeval.reading._documents import is_findings_document
from wzeval.reading._loader import load_document
from wzeval.reading._yamlcore import Document

__all__ = [
    "FILLING_RULE",
    "PLACEHOLDER",
    "FactRecord",
    "Findings",
    "IndicatorPositions",
    "check_findings",
    "filling_rule",
    "is_findings_document",
    "not_recorded",
    "owed_facts",
]

FINDINGS_FORMAT = "findings/1"
_HEADER_KEYS = (
    "wzeval",
    "rulebook",
    "department",
    "monitoring_date",
    "assessors",
    "indicators",
    "notes",
)
_FACT_KEYS = ("value", "evidence", "note")

#: The one rule for what is not recorded yet, word for word in the YAML template's
#: header, the workbook's 说明 sheet and docs/evaluators.md (tests keep them equal);
#: :func:`not_recorded` is its code.  Catalogue messages: :func:`filling_rule` gives
#: them in the language in force (the Chinese is what the docs quote).
FILLING_RULE = (
    N_(
        "A value not recorded yet (to fill in later): keeping “待填写” or null, or leaving "
        "it empty, all mean not recorded;"
    ),
    N_(
        "wzeval score --partial scores what is filled in so far and lists the unfilled "
        "indicators as not assessed."
    ),
    N_(
        "Exception: for a fact marked “null if there is none” (never answered, never "
        "published), a null written out is the answer “none”;"
    ),
    N_("to fill such a fact in later, keep “待填写” or leave it empty."),
)


def filling_rule() -> tuple[str, ...]:
    """:data:`FILLING_RULE` in the language in force, one line a sentence part."""
    return tuple(_(line) for line in FILLING_RULE)


@dataclass(frozen=True)
class Findings:
    """A checked findings document, ready to evaluate."""

    file: str
    rulebook_id: str
    department: str
    department_id: str
    monitoring_date: date
    assessors: tuple[str, ...]
    facts: dict[str, dict[str, FactRecord]]
    catalogs: tuple[str, ...] = ()
    notes: str | None = None
    issues: tuple[Issue, ...] = field(default=(), compare=False)
    #: where each indicator's facts start (its key), looked up when asked
    positions: Mapping[str, Position] = field(default_factory=dict, compare=False)


class IndicatorPositions(Mapping[str, Position]):
    """Where each indicator's facts start, by indicator id: each looked up in the
    document the first time it is asked for.

    Only an issue of the evaluation reads them (a fact that cannot be assessed, an
    indicator's error): a file scored cleanly asks for none, and looking all of them up
    was part of what a batch paid per file (docs/performance.md, issue 15 goal 2).  The
    answer is the document's, the same as an eager look-up's; a copy or a pickle is a
    plain dict of them all.
    """

    def __init__(self, doc: PositionSource) -> None:
        self._doc = doc
        self._paths: dict[str, tuple[PathPart, ...]] = {}
        self._found: dict[str, Position] = {}

    def add(self, indicator: str, path: tuple[PathPart, ...]) -> None:
        """Record where ``indicator``'s facts are (the key at ``path``)."""
        self._paths[indicator] = path
        self._found.pop(indicator, None)

    def __getitem__(self, indicator: str) -> Position:
        found = self._found.get(indicator)
        if found is None:
            path = self._paths[indicator]  # KeyError: not an indicator of the file
            found = self._found[indicator] = self._doc.position(path, key=True)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)

    def __repr__(self) -> str:
        return f"IndicatorPositions({dict(self)!r})"

    def __reduce__(self) -> tuple[type[dict[str, Position]], tuple[dict[str, Position]]]:
        return (dict, (dict(self),))


def not_recorded(fact: Fact, value: object, *, left_empty: bool = False) -> bool:
    """Whether a fact's value means "not recorded yet" (未记录，以后再填).

    The one rule, the same in YAML, JSON and workbooks: the template's blank
    (:data:`PLACEHOLDER`, 待填写), an empty value (``key:`` with nothing after it, an
    empty cell) and ``null`` all mean "not recorded yet" — except that for a fact that
    may be empty (``nullable``, its question says 没有时填 null) a ``null`` written out
    is the answer "none" (never answered, never published).  ``left_empty`` says the
    source showed nothing at all where the value belongs.
    """
    if is_placeholder(value):
        return PLACEHOLDER not in (fact.options or [])
    if value is None:
        return not fact.nullable or left_empty
    return False


class _FindingsChecker(ValueChecker):
    def __init__(self, doc: Document, crb: CompiledRulebook, partial: bool) -> None:
        self.doc = doc
        self.crb = crb
        self.partial = partial
        self.issues: list[Issue] = []
        # facts that were written but invalid: already reported, so not "missing" too
        self.invalid: set[tuple[str, str]] = set()
        # where each indicator's facts start, so evaluation problems can point there
        self.positions = IndicatorPositions(doc)
        # facts written as "not recorded yet" (null, 待填写, empty): where each is
        # (path, whether to point at its key: an empty value has no place of its own)
        self.unrecorded: dict[tuple[str, str], tuple[tuple[PathPart, ...], bool]] = {}
        # blanks inside a list or a record (an element or a field not recorded yet) of
        # the fact being converted, then of each such fact: (path, name, at its key)
        self.holes: list[Hole] = []
        self.holed: dict[tuple[str, str], list[Hole]] = {}
        self.mdate: date | None = None
        # the WZ404 of each indicator (not partial): what ``wzeval explain`` names
        self.owed: dict[str, list[Issue]] = {}
        # each indicator's facts and their usual checkers, made once per rulebook
        self.checkers = indicator_checkers(crb)

    def run(self) -> Findings | None:
        data = self.doc.data
        if not isinstance(data, Mapping):
            self.issue(
                WZ401,
                _("a findings document must be a mapping"),
                (),
                hint=_("start with 'wzeval: findings/1'"),
            )
            return None
        department, department_id = self._header(data)
        rb = self.crb.rulebook
        mdate = self.date_value(
            data.get("monitoring_date"), ("monitoring_date",), "monitoring_date"
        )
        self.mdate = mdate
        assessors_raw = data.get("assessors", [])
        assessors: tuple[str, ...] = ()
        if isinstance(assessors_raw, str):
            assessors = (assessors_raw,)
        elif isinstance(assessors_raw, list) and all(isinstance(a, str) for a in assessors_raw):
            assessors = tuple(assessors_raw)
        else:
            self.issue(WZ405, _("assessors must be a list of names"), ("assessors",))
        notes = data.get("notes")
        facts, indicators = self._indicators(data)
        catalogs = self.crb.catalogs_of.get(department_id, ())
        # an unknown department or a missing date hides nothing else: what can be told
        # without them is reported in the same round
        self.check_required(facts, department, catalogs, mdate, indicators)
        if mdate is None or not department:
            return None
        if any(i.severity is Severity.ERROR for i in self.issues):
            return None
        return Findings(
            file=self.doc.file,
            rulebook_id=rb.id,
            department=department,
            department_id=department_id,
            monitoring_date=mdate,
            assessors=assessors,
            facts=facts,
            catalogs=catalogs,
            notes=notes if isinstance(notes, str) else None,
            issues=tuple(self.issues),
            positions=self.positions,
        )

    def _header(self, data: Mapping[str, Any]) -> tuple[str, str]:
        """The header checked (keys, format, rulebook, department): the department's
        name and id, both "" when it is missing or unknown (which hides nothing else)."""
        for k in data:
            if k not in _HEADER_KEYS:
                self.issue(
                    WZ401,
                    _("unknown key {k!r} in the findings header").format(k=k),
                    (k,),
                    hint=did_you_mean(str(k), _HEADER_KEYS),
                    key=True,
                )
        tag = data.get("wzeval")
        if tag is not None and tag != FINDINGS_FORMAT:
            self.issue(
                WZ401,
                _("unknown findings format {tag!r}").format(tag=tag),
                ("wzeval",),
                hint=_("write wzeval: {findings_format}").format(findings_format=FINDINGS_FORMAT),
            )
        rb = self.crb.rulebook
        rid = data.get("rulebook")
        if rid is not None and rid != rb.id and rid not in rb.based_on:
            self.issue(
                WZ408,
                _("findings are for rulebook {rid!r}, not {rb_id!r}").format(rid=rid, rb_id=rb.id),
                ("rulebook",),
                hint=_("score them with the rulebook they name"),
            )
        dept_raw = data.get("department")
        department = department_id = ""
        if not isinstance(dept_raw, str) or not dept_raw.strip():
            self.issue(
                WZ407,
                _("the department is missing")
                if dept_raw is None or isinstance(dept_raw, str)
                else _("the department must be a name, not {type} {value}").format(
                    type=_typename(dept_raw), value=_shown(dept_raw)
                ),
                ("department",) if "department" in data else (),
                hint=_("write department: <name in the rulebook>"),
            )
        else:
            canonical = self.crb.departments.get(dept_raw.strip())
            if canonical is None:
                names = [d.name for d in rb.departments]
                self.issue(
                    WZ407,
                    _("unknown department {dept_raw!r}").format(dept_raw=dept_raw),
                    ("department",),
                    hint=did_you_mean(dept_raw, names)
                    or _("use a name from the rulebook's departments list"),
                )
            else:
                department = canonical
                department_id = self.crb.department_ids[canonical]
        return department, department_id

    def _indicators(
        self, data: Mapping[str, Any]
    ) -> tuple[dict[str, dict[str, FactRecord]], Mapping[str, Any]]:
        """Each indicator's facts checked and converted, by indicator id (an indicator
        may be named by its Chinese name), and the indicators mapping as written."""
        indicators = data.get("indicators")
        facts: dict[str, dict[str, FactRecord]] = {}
        if indicators is None:
            indicators = {}
            if not self.partial:
                self.issue(
                    WZ404,
                    _("no indicators recorded"),
                    (),
                    hint=_("add indicators: with the facts of each indicator"),
                )
        if not isinstance(indicators, Mapping):
            self.issue(
                WZ405, _("indicators must be a mapping of indicator id to facts"), ("indicators",)
            )
            indicators = {}
        by_id = self.crb.by_id
        name_to_id = {c.indicator.name: c.indicator.id for c in self.crb.indicators}
        for ind_key, body in indicators.items():
            path: tuple[PathPart, ...] = ("indicators", ind_key)
            cind = by_id.get(ind_key) or by_id.get(name_to_id.get(ind_key, ""))
            if cind is None:
                self.issue(
                    WZ402,
                    _("unknown indicator {ind_key!r}").format(ind_key=ind_key),
                    path,
                    hint=did_you_mean(str(ind_key), list(by_id) + list(name_to_id)),
                    key=True,
                )
                continue
            facts[cind.indicator.id] = self.indicator_facts(cind, body, path)
            self.positions.add(cind.indicator.id, path)
        return facts, indicators

    def check_required(
        self,
        facts: dict[str, dict[str, FactRecord]],
        department: str,
        catalogs: tuple[str, ...],
        mdate: date | None,
        raw: Mapping[str, Any],
    ) -> None:
        """Report missing and not yet recorded facts of every indicator that applies
        (unless partial).

        Without a known department (or monitoring date) only the indicators whose
        applicability does not read it are checked: the others cannot be told.
        """
        if self.partial:
            return
        unknown: set[str] = set()
        if not department:
            unknown |= {"department", "catalogs"}
        if mdate is None:
            unknown.add("monitoring_date")
        for cind in self.crb.indicators:
            ind = cind.indicator
            given = facts.get(ind.id, {})
            if cind.shared:  # what applies: may read besides the indicator's own facts
                given = {**shared_records(cind, facts), **given}
            if unknown and cind.applies is not None and cind.applies.names & unknown:
                continue
            applies, missing_for_applies = applicability(
                cind, given, department, catalogs, mdate or date(2000, 1, 1)
            )
            missing = (
                missing_for_applies
                if applies is None
                else ([f.id for f in ind.facts if f.id not in given] if applies else [])
            )
            own = {f.id for f in ind.facts}  # a shared fact is owed by the indicator recording it
            missing = [m for m in missing if m in own and (ind.id, m) not in self.invalid]
            if not missing or ind.id in self.crb.overall.stoppable:
                continue
            for fid in missing:
                self.report_owed(ind, fid, raw)

    def report_owed(self, ind: Indicator, fid: str, raw: Mapping[str, Any]) -> None:
        """The WZ404 of one fact an indicator still needs: on each blank inside it, on
        its own line or cell when written as not recorded yet, else at the indicator."""
        fact = next(f for f in ind.facts if f.id == fid)
        holes = self.holed.get((ind.id, fid), [])
        for where, name, at_key in holes:  # each blank inside, on its own line
            self.issue(
                WZ404,
                _("{name} is not filled in yet ({ind_name}: {ask})").format(
                    name=name, ind_name=ind.name, ask=fact.ask
                ),
                where,
                hint=_unrecorded_hint(fact, inside=True),
                key=at_key,
            )
            self.owed.setdefault(ind.id, []).append(self.issues[-1])
        if holes:
            return
        written = self.unrecorded.get((ind.id, fid))
        blank = ("indicators", ind.id, fid)
        if written is not None or blank in self.doc.blanks:
            # the fact's own line or row: written as null / 待填写, or a blank cell
            where, at_key = written or (blank, False)
            self.issue(
                WZ404,
                _("{ind_id}.{fid} is not filled in yet ({ind_name}: {ask})").format(
                    ind_id=ind.id, fid=fid, ind_name=ind.name, ask=fact.ask
                ),
                where,
                hint=_unrecorded_hint(fact),
                key=at_key,
            )
        else:
            in_raw = isinstance(raw, Mapping) and ind.id in raw
            self.issue(
                WZ404,
                _("missing fact {ind_id}.{fid} ({ind_name}: {ask})").format(
                    ind_id=ind.id, fid=fid, ind_name=ind.name, ask=fact.ask
                ),
                ("indicators", ind.id) if in_raw else (("indicators",) if raw else ()),
                hint=_("record it, or score with --partial to leave the indicator unassessed"),
                key=in_raw,
            )
        self.owed.setdefault(ind.id, []).append(self.issues[-1])

    def indicator_facts(
        self, cind: CompiledIndicator, body: object, path: tuple[PathPart, ...]
    ) -> dict[str, FactRecord]:
        out: dict[str, FactRecord] = {}
        if body is None:
            return out
        if isinstance(body, str) and self.fullwidth_value(body, path):
            return out
        if not isinstance(body, Mapping):
            self.issue(
                WZ405,
                _("facts of {indicator_id!r} must be a mapping").format(
                    indicator_id=cind.indicator.id
                ),
                path,
            )
            return out
        decl, derived, usual = self.checkers[cind.indicator.id]
        mdate = self.mdate
        for fid, raw in body.items():
            fpath = (*path, fid)
            fact = decl.get(fid)
            if fact is None:
                self._unknown_fact(cind, fid, fpath, decl, derived)
                continue
            value: object = raw
            evidence: tuple[str, ...] = ()
            note: str | None = None
            vpath: tuple[PathPart, ...] = fpath
            if isinstance(raw, Mapping) and "value" in raw and fact.type != "records":
                value, evidence, note = self._fact_parts(raw, fpath)
                vpath = (*fpath, "value")
            empty = value is None and self.doc.empty_value(vpath)
            if not_recorded(fact, value, left_empty=empty):
                self.unrecorded[(cind.indicator.id, fid)] = (vpath, empty)
                continue
            check = usual.get(fid)
            if check is not None and value is not None:
                conv = check(value, mdate)  # the usual value taken at once, else below
                if conv is not REFER:
                    out[fid] = FactRecord(conv, evidence, note, source=self.doc, path=vpath)
                    continue
            self.holes = []
            ok, conv = self.convert(fact, value, vpath, cind, fact.id in cind.calendar_facts)
            if ok and self.holes:  # a blank inside: the fact is not recorded yet as a whole
                self.holed[(cind.indicator.id, fid)] = self.holes
            elif ok:
                # its place looked up if something shows it (an explanation's "at")
                out[fid] = FactRecord(conv, evidence, note, source=self.doc, path=vpath)
            else:
                self.invalid.add((cind.indicator.id, fid))
        return out

    def _unknown_fact(
        self,
        cind: CompiledIndicator,
        fid: str,
        fpath: tuple[PathPart, ...],
        decl: Mapping[str, Fact],
        derived: frozenset[str],
    ) -> None:
        """WZ403 for a fact the indicator does not declare (a derived one: say so)."""
        hint = did_you_mean(str(fid), decl)
        if fid in derived:
            hint = _(
                "{fact!r} is derived by the rulebook; record the facts it is computed from"
            ).format(fact=fid)
        self.issue(
            WZ403,
            _("unknown fact {fid!r} for indicator {indicator_id!r}").format(
                fid=fid, indicator_id=cind.indicator.id
            ),
            fpath,
            hint=hint,
            key=True,
        )

    def _fact_parts(
        self, raw: Mapping[str, Any], fpath: tuple[PathPart, ...]
    ) -> tuple[object, tuple[str, ...], str | None]:
        """A fact written as ``{value, evidence, note}``: its three parts (an unknown key
        and evidence that is not text reported)."""
        for k in raw:
            if k not in _FACT_KEYS:
                self.issue(
                    WZ405,
                    _("unknown key {k!r} in a fact").format(k=k),
                    (*fpath, k),
                    hint=_("a fact is a value or {{value, evidence, note}}"),
                    key=True,
                )
        evidence: tuple[str, ...] = ()
        ev = raw.get("evidence")
        if isinstance(ev, str):
            evidence = (ev,)
        elif isinstance(ev, list) and all(isinstance(e, str) for e in ev):
            evidence = tuple(ev)
        elif ev is not None:
            self.issue(WZ405, _("evidence must be text or a list of texts"), (*fpath, "evidence"))
        n = raw.get("note")
        return raw.get("value"), evidence, n if isinstance(n, str) else None


def _unrecorded_hint(fact: Fact, *, inside: bool = False) -> str:
    """What to do with a fact not recorded yet: record it, or score what is recorded.

    ``inside``: the blank is an element of a list or a field of a record, where null is
    never an answer (a list of none is ``[]``)."""
    hint = _(
        "record what you observed; to score what is recorded first, use --partial (this "
        "indicator is listed as not assessed)"
    )
    if inside:
        return _("a blank inside a list or a record is not recorded yet; ") + hint
    if fact.nullable:
        hint = _("if there is none (e.g. no answer), write null; ") + hint
    return hint


def owed_facts(doc: Document, rulebook: CompiledRulebook, indicator: str) -> list[Issue]:
    """The WZ404 of one indicator: each fact it still lacks, on the fact's own line when
    it is written as not recorded yet (null, 待填写, empty), else on the indicator's.

    What a complete scoring would refuse for this indicator alone, so that ``wzeval
    explain`` on a file filled halfway can name what the indicator still needs without
    the other indicators' blanks.
    """
    checker = _FindingsChecker(doc, rulebook, partial=False)
    checker.run()
    return checker.owed.get(indicator, [])


def check_findings(
    source: Document | str | Path,
    rulebook: CompiledRulebook,
    *,
    partial: bool = False,
) -> tuple[Findings | None, list[Issue]]:
    """Check a findings document against a compiled rulebook; return it and every issue."""
    doc = source if isinstance(source, Document) else load_document(source)
    issues = list(doc.issues)
    if doc.data is None:
        if not any(i.severity is Severity.ERROR for i in issues):  # empty, or only null
            issues.append(
                Issue(
                    WZ401,
                    _("the document is empty: findings are a mapping"),
                    position=Position(doc.file, 1, 1),
                    hint=_("start with 'wzeval: findings/1'"),
                )
            )
        return None, issues
    checker = _FindingsChecker(doc, rulebook, partial)
    findings = checker.run()
    issues.extend(checker.issues)
    if any(i.severity is Severity.ERROR for i in issues):
        return None, issues
    return findings, issues
