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
see :mod:`wzeval.slips`) are refused with the value meant named in the message,
and a date later than the monitoring date is a warning (WZ414).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from wzeval.applicability import FactRecord, applicability, shared_records
from wzeval.calendar import covered_years
from wzeval.checks import CompiledIndicator, CompiledRulebook
from wzeval.dates import parse_date, parse_datetime
from wzeval.documents import is_findings_document
from wzeval.errors import WzevalError
from wzeval.i18n import N_, _
from wzeval.issues import Issue, PathPart, Position, Severity, did_you_mean
from wzeval.loader import (
    MAX_DECIMAL_EXPONENT,
    MAX_NUMBER_LENGTH,
    Document,
    load_document,
)
from wzeval.models import Fact
from wzeval.slips import (
    PLACEHOLDER,
    fullwidth_colon,
    is_placeholder,
    number_text,
    suggest_bool,
    suggest_date,
    suggest_decimal,
    suggest_int,
)

__all__ = [
    "FILLING_RULE",
    "PLACEHOLDER",
    "FactRecord",
    "Findings",
    "check_findings",
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
#: :func:`not_recorded` is its code.
FILLING_RULE = (
    "未记录的值（以后再填）：保留“待填写”或 null，或者留空，都算未记录；",
    "用 wzeval score --partial 可先对已填部分评分，未填的指标列为未评估。",
    "例外：标有“没有时填 null”的事实（如未答复、未发布），写出 null 就是答案“没有”；",
    "这类事实以后再填，请保留“待填写”或留空。",
)


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
    positions: dict[str, Position] = field(default_factory=dict, compare=False)


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


class _FindingsChecker:
    def __init__(self, doc: Document, crb: CompiledRulebook, partial: bool) -> None:
        self.doc = doc
        self.crb = crb
        self.partial = partial
        self.issues: list[Issue] = []
        # facts that were written but invalid: already reported, so not "missing" too
        self.invalid: set[tuple[str, str]] = set()
        # where each indicator's facts start, so evaluation problems can point there
        self.positions: dict[str, Position] = {}
        # facts written as "not recorded yet" (null, 待填写, empty): where each is
        # (path, whether to point at its key: an empty value has no place of its own)
        self.unrecorded: dict[tuple[str, str], tuple[tuple[PathPart, ...], bool]] = {}
        # blanks inside a list or a record (an element or a field not recorded yet) of
        # the fact being converted, then of each such fact: (path, name, at its key)
        self.holes: list[tuple[tuple[PathPart, ...], str, bool]] = []
        self.holed: dict[tuple[str, str], list[tuple[tuple[PathPart, ...], str, bool]]] = {}
        self.mdate: date | None = None
        # the WZ404 of each indicator (not partial): what ``wzeval explain`` names
        self.owed: dict[str, list[Issue]] = {}

    def issue(
        self,
        code: str,
        message: str,
        path: tuple[PathPart, ...],
        hint: str | None = None,
        *,
        key: bool = False,
        severity: Severity = Severity.ERROR,
    ) -> None:
        self.issues.append(
            Issue(
                code,
                message,
                path=path,
                position=self.doc.position(path, key=key),
                hint=hint,
                severity=severity,
            )
        )

    def run(self) -> Findings | None:
        data = self.doc.data
        if not isinstance(data, Mapping):
            self.issue(
                "WZ401",
                _("a findings document must be a mapping"),
                (),
                hint=_("start with 'wzeval: findings/1'"),
            )
            return None
        for k in data:
            if k not in _HEADER_KEYS:
                self.issue(
                    "WZ401",
                    _("unknown key {k!r} in the findings header").format(k=k),
                    (k,),
                    hint=did_you_mean(str(k), _HEADER_KEYS),
                    key=True,
                )
        tag = data.get("wzeval")
        if tag is not None and tag != FINDINGS_FORMAT:
            self.issue(
                "WZ401",
                _("unknown findings format {tag!r}").format(tag=tag),
                ("wzeval",),
                hint=_("write wzeval: {findings_format}").format(findings_format=FINDINGS_FORMAT),
            )
        rb = self.crb.rulebook
        rid = data.get("rulebook")
        if rid is not None and rid != rb.id and rid not in rb.based_on:
            self.issue(
                "WZ408",
                _("findings are for rulebook {rid!r}, not {rb_id!r}").format(rid=rid, rb_id=rb.id),
                ("rulebook",),
                hint=_("score them with the rulebook they name"),
            )
        dept_raw = data.get("department")
        department = department_id = ""
        if not isinstance(dept_raw, str) or not dept_raw.strip():
            self.issue(
                "WZ407",
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
                    "WZ407",
                    _("unknown department {dept_raw!r}").format(dept_raw=dept_raw),
                    ("department",),
                    hint=did_you_mean(dept_raw, names)
                    or _("use a name from the rulebook's departments list"),
                )
            else:
                department = canonical
                department_id = self.crb.department_ids[canonical]
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
            self.issue("WZ405", _("assessors must be a list of names"), ("assessors",))
        notes = data.get("notes")
        indicators = data.get("indicators")
        facts: dict[str, dict[str, FactRecord]] = {}
        if indicators is None:
            indicators = {}
            if not self.partial:
                self.issue(
                    "WZ404",
                    _("no indicators recorded"),
                    (),
                    hint=_("add indicators: with the facts of each indicator"),
                )
        if not isinstance(indicators, Mapping):
            self.issue(
                "WZ405", _("indicators must be a mapping of indicator id to facts"), ("indicators",)
            )
            indicators = {}
        by_id = self.crb.by_id
        name_to_id = {c.indicator.name: c.indicator.id for c in self.crb.indicators}
        for ind_key, body in indicators.items():
            path: tuple[PathPart, ...] = ("indicators", ind_key)
            cind = by_id.get(ind_key) or by_id.get(name_to_id.get(ind_key, ""))
            if cind is None:
                self.issue(
                    "WZ402",
                    _("unknown indicator {ind_key!r}").format(ind_key=ind_key),
                    path,
                    hint=did_you_mean(str(ind_key), list(by_id) + list(name_to_id)),
                    key=True,
                )
                continue
            facts[cind.indicator.id] = self.indicator_facts(cind, body, path)
            self.positions[cind.indicator.id] = self.doc.position(path, key=True)
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
                fact = next(f for f in ind.facts if f.id == fid)
                holes = self.holed.get((ind.id, fid), [])
                for where, name, at_key in holes:  # each blank inside, on its own line
                    self.issue(
                        "WZ404",
                        _("{name} is not filled in yet ({ind_name}: {ask})").format(
                            name=name, ind_name=ind.name, ask=fact.ask
                        ),
                        where,
                        hint=_unrecorded_hint(fact, inside=True),
                        key=at_key,
                    )
                    self.owed.setdefault(ind.id, []).append(self.issues[-1])
                if holes:
                    continue
                written = self.unrecorded.get((ind.id, fid))
                blank = ("indicators", ind.id, fid)
                if written is not None or blank in self.doc.blanks:
                    # the fact's own line or row: written as null / 待填写, or a blank cell
                    where, at_key = written or (blank, False)
                    self.issue(
                        "WZ404",
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
                        "WZ404",
                        _("missing fact {ind_id}.{fid} ({ind_name}: {ask})").format(
                            ind_id=ind.id, fid=fid, ind_name=ind.name, ask=fact.ask
                        ),
                        ("indicators", ind.id) if in_raw else (("indicators",) if raw else ()),
                        hint=_(
                            "record it, or score with --partial to leave the indicator unassessed"
                        ),
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
                "WZ405",
                _("facts of {indicator_id!r} must be a mapping").format(
                    indicator_id=cind.indicator.id
                ),
                path,
            )
            return out
        decl = {f.id: f for f in cind.indicator.facts}
        derived = {d.id for d in cind.indicator.derived}
        for fid, raw in body.items():
            fpath = (*path, fid)
            fact = decl.get(fid)
            if fact is None:
                hint = did_you_mean(str(fid), decl)
                if fid in derived:
                    hint = _(
                        "{fact!r} is derived by the rulebook; record the facts it is computed from"
                    ).format(fact=fid)
                self.issue(
                    "WZ403",
                    _("unknown fact {fid!r} for indicator {indicator_id!r}").format(
                        fid=fid, indicator_id=cind.indicator.id
                    ),
                    fpath,
                    hint=hint,
                    key=True,
                )
                continue
            value: object = raw
            evidence: tuple[str, ...] = ()
            note: str | None = None
            vpath: tuple[PathPart, ...] = fpath
            if isinstance(raw, Mapping) and "value" in raw and fact.type != "records":
                for k in raw:
                    if k not in _FACT_KEYS:
                        self.issue(
                            "WZ405",
                            _("unknown key {k!r} in a fact").format(k=k),
                            (*fpath, k),
                            hint=_("a fact is a value or {{value, evidence, note}}"),
                            key=True,
                        )
                value = raw.get("value")
                vpath = (*fpath, "value")
                ev = raw.get("evidence")
                if isinstance(ev, str):
                    evidence = (ev,)
                elif isinstance(ev, list) and all(isinstance(e, str) for e in ev):
                    evidence = tuple(ev)
                elif ev is not None:
                    self.issue(
                        "WZ405", _("evidence must be text or a list of texts"), (*fpath, "evidence")
                    )
                n = raw.get("note")
                note = n if isinstance(n, str) else None
            empty = value is None and self.doc.empty_value(vpath)
            if not_recorded(fact, value, left_empty=empty):
                self.unrecorded[(cind.indicator.id, fid)] = (vpath, empty)
                continue
            self.holes = []
            ok, conv = self.convert(fact, value, vpath, cind, fact.id in cind.calendar_facts)
            if ok and self.holes:  # a blank inside: the fact is not recorded yet as a whole
                self.holed[(cind.indicator.id, fid)] = self.holes
            elif ok:
                out[fid] = FactRecord(conv, evidence, note, self.doc.position(vpath))
            else:
                self.invalid.add((cind.indicator.id, fid))
        return out

    # ------------------------------------------------------------------ values

    def fullwidth_value(self, text: str, path: tuple[PathPart, ...]) -> bool:
        """A mapping read as one text because its only key ends in a full-width colon
        (``org_info_published： true``): reported at that colon (WZ117)."""
        found = fullwidth_colon(text)
        if found is None:
            return False
        col, fixed = found
        where = self.doc.position(path)
        self.issues.append(
            Issue(
                "WZ117",
                _(
                    "a full-width colon '：' follows the key, and YAML only "
                    "knows the half-width ':'; write: {strip}"
                ).format(strip=fixed.strip()),
                path=path,
                position=replace(where, col=where.col + col - 1) if where.line > 0 else where,
                hint=_(
                    "replace the full-width colon '：' with a half-width ':' "
                    "followed by a space (switch to the English input method)"
                ),
            )
        )
        return True

    def date_value(self, value: object, path: tuple[PathPart, ...], what: str) -> date | None:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if value is None or is_placeholder(value):
            self.issue(
                "WZ404",
                _("the monitoring date (monitoring_date) is not filled in yet"),
                path,  # a workbook places it on its row even when blank
                key=True,  # an empty value has no place of its own: the key's line
                hint=_(
                    "write monitoring_date: YYYY-MM-DD, e.g. "
                    "monitoring_date: 2023-11-15; every time limit counts "
                    "back from that day, and a partial scoring (--partial) "
                    "needs it too"
                ),
            )
            return None
        if isinstance(value, str | int) and not isinstance(value, bool):
            if isinstance(value, str):
                try:
                    return parse_date(value)
                except ValueError:
                    pass
            suggestion, shaped = suggest_date(value)  # 2023/11/22, 20231122 (a YAML int)
            if suggestion is not None:
                self.issue(
                    "WZ405",
                    _(
                        "{what}: the date '{value}' is not in YYYY-MM-DD form; write {suggestion}"
                    ).format(what=what, value=value, suggestion=suggestion),
                    path,
                    hint=_(_DATE_HINT),
                )
            else:
                self.issue(
                    "WZ405",
                    _("{what}: {value} is not a real date").format(what=what, value=_shown(value))
                    + (_(" (no such day exists)") if shaped else ""),
                    path,
                    hint=_("write YYYY-MM-DD, e.g. 2023-11-15"),
                )
            return None
        self.issue(
            "WZ405",
            _("{what} must be a date (got {value})").format(what=what, value=_typename(value)),
            path,
            hint=_("write YYYY-MM-DD"),
        )
        return None

    def convert(
        self,
        fact: Fact,
        value: object,
        path: tuple[PathPart, ...],
        cind: CompiledIndicator,
        calendar: bool,
    ) -> tuple[bool, object]:
        name = f"{cind.indicator.id}.{fact.id}"
        if value is None:
            if fact.nullable:
                return True, None
            self.issue(
                "WZ405",
                _("{name} needs a value ({type})").format(name=name, type=fact.type),
                path,
                hint=_("this fact may not be empty"),
            )
            return False, None
        if fact.type == "list":
            joined = value[0] if isinstance(value, list) and len(value) == 1 else value
            if isinstance(joined, str) and len(joined) <= 200 and _LIST_SLIP.search(joined):
                items = [x.strip() for x in _LIST_SLIP.split(joined.strip("[]［］ "))]
                self.issue(
                    "WZ405",
                    _(
                        "{name}: the items of the list are separated by "
                        "full-width commas or 、; write [{items}]"
                    ).format(name=name, items=", ".join(items)),
                    path,
                    hint=_(
                        "write a list as [a, b, c]: half-width brackets and "
                        "commas (switch to the English input method)"
                    ),
                )
                return False, None
            if not isinstance(value, list):
                self.issue(
                    "WZ405", _("{name} must be a list of {of}").format(name=name, of=fact.of), path
                )
                return False, None
            out = []
            ok = True
            for i, v in enumerate(value):
                if self.hole(v, fact.options, (*path, i), f"{name}[{i}]"):
                    continue
                good, conv = self.scalar(
                    fact, fact.of or "str", v, (*path, i), f"{name}[{i}]", calendar
                )
                ok = ok and good
                out.append(conv)
            return ok, out
        if fact.type == "records":
            if not isinstance(value, list):
                self.issue("WZ405", _("{name} must be a list of records").format(name=name), path)
                return False, None
            fields = fact.fields or {}
            records = []
            ok = True
            for i, rec in enumerate(value):
                rpath = (*path, i)
                if self.hole(rec, None, rpath, f"{name}[{i}]"):
                    continue
                if not isinstance(rec, Mapping):
                    self.issue(
                        "WZ405",
                        _("{name}[{i}] must be a mapping of {fields}").format(
                            name=name, i=i, fields=", ".join(fields)
                        ),
                        rpath,
                    )
                    ok = False
                    continue
                conv_rec: dict[str, object] = {}
                for k in rec:
                    if k not in fields:
                        self.issue(
                            "WZ403",
                            _("unknown field {k!r} in {name}").format(k=k, name=name),
                            (*rpath, k),
                            hint=did_you_mean(str(k), fields),
                            key=True,
                        )
                        ok = False
                for fname, ftype in fields.items():
                    if fname not in rec:
                        self.issue(
                            "WZ404",
                            _("{name}[{i}] misses field {fname!r}").format(
                                name=name, i=i, fname=fname
                            ),
                            rpath,
                        )
                        ok = False
                        continue
                    if self.hole(rec[fname], None, (*rpath, fname), f"{name}[{i}].{fname}"):
                        continue
                    sub = Fact(id=fname, type=ftype, ask=fact.ask)
                    good, conv = self.scalar(
                        sub, ftype, rec[fname], (*rpath, fname), f"{name}[{i}].{fname}", calendar
                    )
                    ok = ok and good
                    conv_rec[fname] = conv
                records.append(conv_rec)
            return ok, records
        return self.scalar(fact, fact.type, value, path, name, calendar)

    def hole(
        self, value: object, options: list[str] | None, path: tuple[PathPart, ...], name: str
    ) -> bool:
        """Whether an element of a list or a field of a record is not recorded yet (null,
        待填写, left empty): :data:`FILLING_RULE` holds inside as for a whole value, so the
        fact is not recorded yet (noted in ``self.holes``, reported where it is)."""
        if not (value is None or (is_placeholder(value) and PLACEHOLDER not in (options or []))):
            return False
        empty = value is None and self.doc.empty_value(path)
        self.holes.append((path, name, empty))
        return True

    def scalar(
        self,
        fact: Fact,
        kind: str,
        value: object,
        path: tuple[PathPart, ...],
        name: str,
        calendar: bool,
    ) -> tuple[bool, object]:
        """Check and convert one scalar; ``calendar`` marks dates read by working-day functions.

        A value that is a known slip (``是`` for true, ``80%`` for 0.8, ``2023/11/5`` for
        2023-11-05, an option's Chinese label) is refused with the value meant named in
        the message (see :mod:`wzeval.slips`).
        """

        def wrong(expected: str, hint: str | None = None) -> tuple[bool, object]:
            self.issue(
                "WZ405",
                _("{name} must be {expected} (got {type} {value})").format(
                    name=name, expected=expected, type=_typename(value), value=_shown(value)
                ),
                path,
                hint=hint,
            )
            return False, None

        def slip(what: str, meant: str, hint: str, code: str = "WZ405") -> tuple[bool, object]:
            self.issue(
                code,
                _("{name}: {what}; write {meant}").format(name=name, what=what, meant=meant),
                path,
                hint=hint,
            )
            return False, None

        shown = (
            _shown(value).strip("'\"")
            if isinstance(value, str)
            else str(value)
            if isinstance(value, int | Decimal)
            else _shown(value)
        )
        if kind == "bool":
            if isinstance(value, bool):
                return True, value
            truth = suggest_bool(value)
            if truth is None and isinstance(value, int) and value in (0, 1):
                truth = bool(value)
            if truth is not None:
                return slip(
                    _("'{value}' is not true/false").format(value=shown),
                    "true" if truth else "false",
                    _("a yes/no question takes true or false (lower case, no quotes)"),
                )
            return wrong(_("true or false"))
        if kind == "str":
            return (True, value) if isinstance(value, str) else wrong(_("text"))
        if kind == "enum":
            opts = fact.options or []
            if isinstance(value, str) and value in opts:
                return True, value
            labels = {label: o for o, label in (fact.option_labels or {}).items()}
            meant = _option_meant(value, opts, labels)
            if meant is not None:
                option, why = meant
                return slip(
                    _("'{value}' {why}").format(value=shown, why=why),
                    option,
                    _("write the option itself: {options}").format(options=" / ".join(opts)),
                )
            return wrong(
                _("one of {options}").format(options=", ".join(opts)),
                did_you_mean(str(value), opts)
                or _("choose one of: {options}").format(options=", ".join(opts)),
            )
        if kind in ("int", "decimal"):
            if isinstance(value, float) and kind == "decimal":
                # In-memory findings from Python callers: read the float as the literal it
                # prints as (0.7 → 7/10), which is what the caller wrote.
                value = Decimal(repr(value))
            if isinstance(value, str):
                if kind == "int":
                    whole = suggest_int(value)
                    if whole is not None:
                        return slip(
                            _("'{value}' is text, not a number").format(value=shown),
                            str(whole),
                            _("write a count in Arabic digits, without quotes or a unit"),
                        )
                else:
                    number = suggest_decimal(value)
                    if number is not None and number[1]:
                        return slip(
                            _("'{value}' is a percentage").format(value=shown),
                            number_text(number[0]),
                            _("write a share as a decimal between 0 and 1: 80% is 0.8, 5% is 0.05"),
                        )
                    if number is not None:
                        return slip(
                            _("'{value}' is text, not a number").format(value=shown),
                            number_text(number[0]),
                            _("write a number in Arabic digits, without quotes or a unit"),
                        )
            if isinstance(value, bool) or not isinstance(value, int | Decimal):
                return wrong(_("a whole number") if kind == "int" else _("a number"))
            if isinstance(value, Decimal) and not value.is_finite():
                return wrong(_("a finite number"))
            if isinstance(value, Decimal) and _too_big(value):
                # files are held to this by the loader (WZ112); in-memory mappings here,
                # before Fraction() turns 1e999999999 into a billion-digit integer
                self.issue(
                    "WZ406",
                    _("{name} is {value}, too large or too precise").format(
                        name=name, value=str(value)[:40]
                    ),
                    path,
                    hint=_(
                        "at most {max_number_length} digits, between "
                        "1e-{max_decimal_exponent} and 1e{max_decimal_exponent}"
                    ).format(
                        max_number_length=MAX_NUMBER_LENGTH,
                        max_decimal_exponent=MAX_DECIMAL_EXPONENT,
                    ),
                )
                return False, None
            if kind == "int" and isinstance(value, Decimal):
                if value == value.to_integral_value():
                    return slip(
                        _("{value} has a decimal point").format(value=shown),
                        str(int(value)),
                        _("a count is a whole number, written without a decimal point"),
                    )
                return wrong(_("a whole number"), _("counts are whole numbers like 3"))
            num = Fraction(value)
            if fact.min is not None and num < Fraction(fact.min):
                self.issue(
                    "WZ406",
                    _("{name} is {value}, below the minimum {fact_min}").format(
                        name=name, value=value, fact_min=fact.min
                    ),
                    path,
                )
                return False, None
            if fact.max is not None and num > Fraction(fact.max):
                if kind == "decimal" and fact.max == 1 and num.denominator == 1 and 1 < num <= 100:
                    return slip(  # 80 for a share: the percentage without its sign
                        _("{value} is above the maximum {max}, like a percentage").format(
                            value=value, max=fact.max
                        ),
                        number_text(num / 100),
                        _("write a share as a decimal between 0 and 1: 80% is 0.8"),
                        "WZ406",
                    )
                self.issue(
                    "WZ406",
                    _("{name} is {value}, above the maximum {fact_max}").format(
                        name=name, value=value, fact_max=fact.max
                    ),
                    path,
                )
                return False, None
            return True, (int(value) if kind == "int" else num)
        if kind in ("date", "datetime"):
            conv: date | None
            is_datetime = isinstance(value, datetime)
            if isinstance(value, date) and (kind == "datetime") == is_datetime:
                conv = value
            elif isinstance(value, str | int) and not isinstance(value, bool):
                try:
                    if not isinstance(value, str):
                        raise ValueError("a number")
                    conv = parse_datetime(value) if kind == "datetime" else parse_date(value)
                except ValueError:
                    suggestion, shaped = suggest_date(value, kind)
                    if suggestion is not None:
                        form = "YYYY-MM-DD" + (" HH:MM" if kind == "datetime" else "")
                        return slip(
                            _("the date '{value}' is not in {form} form").format(
                                value=shown, form=form
                            ),
                            suggestion,
                            _(_DATE_HINT),
                        )
                    if shaped:  # 2023-02-30, 2023/2/30: say what is wrong
                        self.issue(
                            "WZ405",
                            _("{name}: '{shown}' is not a real {kind}").format(
                                name=name, shown=shown, kind=kind
                            ),
                            path,
                            hint=_(
                                "check the year, month and day (February has no 30th), "
                                "and write YYYY-MM-DD"
                            ),
                        )
                        return False, None
                    return wrong(
                        _("a real {kind}").format(kind=kind),
                        _("write YYYY-MM-DD (and HH:MM for a datetime)"),
                    )
            elif kind == "datetime" and isinstance(value, date):
                conv = datetime(value.year, value.month, value.day)
            else:
                return wrong(_("a {kind}").format(kind=kind), _("write YYYY-MM-DD"))
            if calendar:
                years = covered_years()
                if conv.year not in years:
                    self.issue(
                        "WZ411",
                        _(
                            "{name} is {isoformat}, outside the working-day calendar "
                            "({start}–{value})"
                        ).format(
                            name=name,
                            isoformat=conv.isoformat(),
                            start=years.start,
                            value=years.stop - 1,
                        ),
                        path,
                        hint=_(
                            "working days are counted on the official calendar; "
                            "upgrade chinesecalendar or check the year"
                        ),
                    )
                    return False, None
            day = conv.date() if isinstance(conv, datetime) else conv
            if self.mdate is not None and day > self.mdate:
                self.issue(
                    "WZ414",
                    _("{name}: {value} is later than the monitoring date {isoformat}").format(
                        name=name,
                        value=conv.isoformat(sep=" ") if isinstance(conv, datetime) else day,
                        isoformat=self.mdate.isoformat(),
                    ),
                    path,
                    hint=_(
                        "check this date and the monitoring date "
                        "(monitoring_date): what happened after the monitoring "
                        "date is not part of this assessment"
                    ),
                    severity=Severity.WARNING,
                )
            return True, conv
        raise WzevalError(f"unknown fact type {kind!r}")  # pragma: no cover - models forbid it


def _too_big(value: Decimal) -> bool:
    """Past the loader's number limits (MAX_NUMBER_LENGTH digits, MAX_DECIMAL_EXPONENT)."""
    return bool(value) and (
        abs(value.adjusted()) > MAX_DECIMAL_EXPONENT
        or len(value.as_tuple().digits) > MAX_NUMBER_LENGTH
    )


_LIST_SLIP = re.compile("[，、；]")
_DATE_HINT = N_(
    "write every date as YYYY-MM-DD: a 4-digit year, 2-digit month and day, joined by "
    "half-width '-'"
)


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


def _option_meant(
    value: object, options: list[str], labels: dict[str, str]
) -> tuple[str, str] | None:
    """The option an enum value means, and why: its Chinese label, or another case."""
    if not isinstance(value, str) or not value.strip() or len(value) > 200:
        return None
    text = value.strip()
    if text in options:
        return text, _("has spaces around it")
    lowered = {o.lower(): o for o in options}
    if text.lower() in lowered:
        return lowered[text.lower()], _("has the wrong case")
    if text in labels:
        return labels[text], _("is the description of option {option}, not the option").format(
            option=labels[text]
        )
    near = {o for label, o in labels.items() if text in label or label in text}
    if len(near) == 1:
        option = near.pop()
        return option, _("looks like the description of option {option}, not the option").format(
            option=option
        )
    return None


def _shown(value: object, limit: int = 60) -> str:
    """``repr(value)``, cut short: a 5 MB string must not become a 5 MB message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 5] + "…" + text[-4:]


def _typename(value: object) -> str:
    return {
        bool: _("a boolean"),
        int: _("a number"),
        Decimal: _("a number"),
        str: _("text"),
        list: _("a list"),
        dict: _("a mapping"),
        date: _("a date"),
        datetime: _("a datetime"),
        type(None): _("nothing"),
    }.get(type(value), type(value).__name__)


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
                    "WZ401",
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
