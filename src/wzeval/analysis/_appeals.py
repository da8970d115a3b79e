"""Appeals (申诉) and their review (复核): a document of their own, applied without editing
the evaluator's findings.

An appeal document (``wzeval: appeal/1``) names one findings file (relative to itself) and
its department, and lists appeals: the fact contested, the value the department claims,
its claim and evidence, and -- once reviewed -- the office's decision (``upheld`` or
``rejected``) with the reviewer, date and reason.  :func:`apply_appeals` gives the revised
findings (upheld appeals' values in place of the evaluator's) and :func:`appeal_report`
the preliminary and the final points of each indicator and why they differ.  The
preliminary findings file is only read; the revised findings are new data (and, from the
CLI, a new file), so every document stays append-only.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from wzeval.core._codes import WZ425, WZ426, WZ427, WZ428, WZ429, WZ430, WZ431
from wzeval.core._i18n import N_, _
from wzeval.core._issues import Issue, PathPart, Position, Severity, did_you_mean
from wzeval.model._models import Rulebook
from wzeval.model._report import ScoreReport, display, exact_text
from wzeval.reading._loader import dumps_json, load_document
from wzeval.reading._yamlcore import Document

if TYPE_CHECKING:
    from wzeval.checking._findings import Findings

__all__ = [
    "APPEAL_FORMAT",
    "MESSAGES",
    "Appeal",
    "AppealDocument",
    "AppealOutcome",
    "Decision",
    "IndicatorChange",
    "appeal_report",
    "apply_appeals",
    "read_appeals",
    "render_appeal_json",
    "render_appeal_markdown",
    "render_appeal_text",
    "revised_text",
]

APPEAL_FORMAT = "appeal/1"

#: Every user-facing text of this module, in one place: English msgids, shown with _().
MESSAGES: dict[str, str] = {
    "not_appeal": N_("not an appeal file (it should begin with 'wzeval: appeal/1')"),
    "not_appeal_hint": N_(
        "an appeal file begins with 'wzeval: appeal/1' and lists findings, department and appeals"
    ),
    "schema_missing": N_("the required key {key!r} is missing"),
    "schema_extra": N_("unknown key {key!r}"),
    "schema_other": N_("wrong value: {msg}"),
    "schema_hint": N_("see schemas/appeal.schema.json"),
    "no_findings": N_(
        "the findings file {path} the appeal concerns does not exist or cannot be read"
    ),
    "no_findings_hint": N_("findings: give the findings file's path relative to this appeal file"),
    "findings_bad": N_("the findings file {path} the appeal concerns has errors; correct it first"),
    "department": N_(
        "the appeal's department {got!r} differs from the findings' department {want!r}"
    ),
    "department_hint": N_("give the department's name as the findings write it"),
    "unknown_department": N_("department {got!r} is not on the rulebook's roster"),
    "unknown_indicator": N_("unknown indicator {got!r}"),
    "unknown_fact": N_("indicator {indicator} has no fact {got!r}"),
    "twice": N_("{what} was already decided on review at {first}; it cannot be decided again"),
    "twice_hint": N_(
        "a fact is reviewed once; to change a decision, edit the original appeal entry and say why"
    ),
    "pending": N_("appeal {id} is not reviewed yet and does not count in the final score"),
    "upheld": N_("upheld"),
    "rejected": N_("rejected"),
    "reason_line": N_("appeal {id} ({fact}) {result}: {reason} (reviewer {reviewer}, {date})"),
    "title": N_("Appeal review: {department} (first score → final score)"),
    "total": N_("Total"),
    "no_change": N_("The review changed no indicator's score"),
    "head": N_("Indicator|First|Final|Change|Reason"),
    "revised_header": N_(
        "Final findings: the first findings with the upheld appeals (written by wzeval appeal)"
    ),
    "revised_comment": N_("appeal {id} upheld (reviewer {reviewer}, {date}): was {old}"),
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Decision(_Model):
    """The office's review of one appeal."""

    result: Literal["upheld", "rejected"] = Field(description="upheld: 成立; rejected: 不成立")
    reviewer: str = Field(min_length=1, description="复核人")
    date: date
    reason: str = Field(min_length=1, description="复核理由")


class Appeal(_Model):
    """One contested fact: what the department claims, and the decision once reviewed."""

    id: str = Field(min_length=1)
    indicator: str = Field(min_length=1, description="indicator id or exact name")
    fact: str = Field(min_length=1)
    value: Any = Field(description="the value the department claims the fact has")
    claim: str = Field(min_length=1, description="申诉理由")
    evidence: list[str] = Field(default_factory=list)
    submitted: date | None = None
    decision: Decision | None = None


class AppealDocument(_Model):
    """A department's appeals against one findings file (``wzeval: appeal/1``)."""

    wzeval: Literal["appeal/1"]
    findings: str = Field(min_length=1, description="the findings file, relative to this file")
    department: str = Field(min_length=1)
    appeals: list[Appeal] = Field(min_length=1)


@dataclass
class _Read:
    """One appeal document read and checked."""

    doc: Document
    model: AppealDocument
    findings: Document


@dataclass
class IndicatorChange:
    """One indicator's preliminary and final points and the appeals that moved them."""

    id: str
    name: str
    preliminary: Fraction
    final: Fraction
    reasons: list[str] = field(default_factory=list)


@dataclass
class AppealOutcome:
    """Preliminary and final reports and the per-indicator changes."""

    department: str
    preliminary: ScoreReport
    final: ScoreReport
    changes: list[IndicatorChange]
    decided: list[Appeal]
    pending: list[Appeal]


def _schema_issues(exc: ValidationError, doc: Document) -> list[Issue]:
    out = []
    for err in exc.errors(include_url=False):
        loc: tuple[PathPart, ...] = tuple(p for p in err["loc"] if isinstance(p, str | int))
        kind = err["type"]
        if kind == "missing":
            msg = _(MESSAGES["schema_missing"]).format(key=loc[-1] if loc else "?")
            pos = doc.position(loc[:-1])
        elif kind == "extra_forbidden":
            msg = _(MESSAGES["schema_extra"]).format(key=loc[-1] if loc else "?")
            pos = doc.position(loc, key=True)
        else:
            msg = _(MESSAGES["schema_other"]).format(msg=err["msg"])
            pos = doc.position(loc)
        out.append(Issue(WZ428, msg, loc, pos, hint=_(MESSAGES["schema_hint"])))
    return out


def _canonical_department(rulebook: Rulebook, name: str) -> str | None:
    from wzeval.analysis._merge import rulebook_department

    return rulebook_department(rulebook, name)


def read_appeals(
    paths: Sequence[str | Path], rulebook: Rulebook
) -> tuple[list[_Read], list[Issue]]:
    """Read and check appeal documents; every problem is an issue at ``file:line:col``."""
    issues: list[Issue] = []
    out: list[_Read] = []
    decided: dict[tuple[str, str, str], Position] = {}
    for path in paths:
        doc = load_document(path)
        issues.extend(doc.issues)
        if doc.data is None:
            continue
        model = _appeal_document(doc, issues)
        if model is None:
            continue
        target = Path(path).parent / model.findings
        read = _appealed_findings(doc, target, rulebook, issues)
        if read is None:
            continue
        findings, fdoc = read
        ok = _same_department(doc, model, findings, rulebook, issues)
        ok = _appeals_known(doc, model, target, rulebook, decided, issues) and ok
        if ok:
            out.append(_Read(doc, model, fdoc))
    return out, sorted(issues, key=lambda i: (i.position or Position(""), i.code))


def _appeal_document(doc: Document, issues: list[Issue]) -> AppealDocument | None:
    """The appeal document's model; ``None`` (and an issue) if it is not one."""
    if not isinstance(doc.data, Mapping) or doc.data.get("wzeval") != APPEAL_FORMAT:
        where: tuple[PathPart, ...] = (
            ("wzeval",) if isinstance(doc.data, Mapping) and "wzeval" in doc.data else ()
        )
        issues.append(
            Issue(
                WZ425,
                _(MESSAGES["not_appeal"]),
                where,
                doc.position(where),
                hint=_(MESSAGES["not_appeal_hint"]),
            )
        )
        return None
    try:
        return AppealDocument.model_validate(doc.data)
    except ValidationError as exc:
        issues.extend(_schema_issues(exc, doc))
        return None


def _appealed_findings(
    doc: Document, target: Path, rulebook: Rulebook, issues: list[Issue]
) -> tuple[Findings, Document] | None:
    """The findings an appeal document names, read and checked (partially) against the
    rulebook; ``None`` (and WZ426) when they are missing or have errors."""
    from wzeval.checking._findings import check_findings
    from wzeval.reading._documents import read_document
    from wzeval.scoring._api import compiled

    if not target.is_file():
        issues.append(
            Issue(
                WZ426,
                _(MESSAGES["no_findings"]).format(path=target),
                ("findings",),
                doc.position(("findings",)),
                hint=_(MESSAGES["no_findings_hint"]),
            )
        )
        return None
    fdoc = read_document(target)  # YAML, JSON or a findings workbook
    findings, found = (None, fdoc.issues)
    if fdoc.data is not None:
        findings, found = check_findings(fdoc, compiled(rulebook), partial=True)
    if findings is None or any(i.severity is Severity.ERROR for i in found):
        issues.extend(found)
        issues.append(
            Issue(
                WZ426,
                _(MESSAGES["findings_bad"]).format(path=target),
                ("findings",),
                doc.position(("findings",)),
            )
        )
        return None
    return findings, fdoc


def _same_department(
    doc: Document,
    model: AppealDocument,
    findings: Findings,
    rulebook: Rulebook,
    issues: list[Issue],
) -> bool:
    """Whether the appeal's department is a known one, and the findings' (WZ427)."""
    dept = _canonical_department(rulebook, model.department)
    if dept is None:
        names = [d.name for d in rulebook.departments]
        issues.append(
            Issue(
                WZ427,
                _(MESSAGES["unknown_department"]).format(got=model.department),
                ("department",),
                doc.position(("department",)),
                hint=did_you_mean(model.department, names),
            )
        )
        return False
    if dept != findings.department_id:
        issues.append(
            Issue(
                WZ427,
                _(MESSAGES["department"]).format(got=model.department, want=findings.department),
                ("department",),
                doc.position(("department",)),
                hint=_(MESSAGES["department_hint"]),
            )
        )
        return False
    return True


def _appeals_known(
    doc: Document,
    model: AppealDocument,
    target: Path,
    rulebook: Rulebook,
    decided: dict[tuple[str, str, str], Position],
    issues: list[Issue],
) -> bool:
    """Whether every appeal names a known indicator and fact and is decided once across
    all documents (``decided``); one not decided yet is only a warning (WZ431)."""
    ok = True
    for n, appeal in enumerate(model.appeals):
        base: tuple[PathPart, ...] = ("appeals", n)
        try:
            indicator = rulebook.indicator(appeal.indicator.strip())
        except KeyError:
            ids = [i.id for i in rulebook.indicators]
            issues.append(
                Issue(
                    WZ429,
                    _(MESSAGES["unknown_indicator"]).format(got=appeal.indicator),
                    (*base, "indicator"),
                    doc.position((*base, "indicator")),
                    hint=did_you_mean(appeal.indicator, ids),
                )
            )
            ok = False
            continue
        facts = [f.id for f in indicator.facts]
        if appeal.fact not in facts:
            issues.append(
                Issue(
                    WZ429,
                    _(MESSAGES["unknown_fact"]).format(indicator=indicator.id, got=appeal.fact),
                    (*base, "fact"),
                    doc.position((*base, "fact")),
                    hint=did_you_mean(appeal.fact, facts),
                )
            )
            ok = False
            continue
        if appeal.decision is None:
            issues.append(
                Issue(
                    WZ431,
                    _(MESSAGES["pending"]).format(id=appeal.id),
                    base,
                    doc.position(base),
                    severity=Severity.WARNING,
                )
            )
            continue
        key = (str(target.resolve()), indicator.id, appeal.fact)
        pos = doc.position((*base, "decision"))
        if key in decided:
            issues.append(
                Issue(
                    WZ430,
                    _(MESSAGES["twice"]).format(
                        what=f"{indicator.id}.{appeal.fact}", first=decided[key]
                    ),
                    (*base, "decision"),
                    pos,
                    hint=_(MESSAGES["twice_hint"]),
                )
            )
            ok = False
            continue
        decided[key] = pos
    return ok


def _indicator_key(rulebook: Rulebook, indicators: Mapping[str, Any], ident: str) -> str:
    """The key under which ``findings.indicators`` holds indicator ``ident`` (its id, or
    its name if the evaluator wrote that)."""
    ind = rulebook.indicator(ident.strip())
    for key in indicators:
        if str(key).strip() in (ind.id, ind.name):
            return str(key)
    return ind.id


def apply_appeals(
    findings_data: Mapping[str, Any], appeals: Sequence[Appeal], rulebook: Rulebook
) -> tuple[dict[str, Any], dict[tuple[str, str], str]]:
    """The revised findings: a copy of ``findings_data`` with each upheld appeal's value
    in place of the recorded one (evidence and note kept, the claim's evidence added);
    and a comment per changed fact saying which appeal changed it and from what."""
    data: dict[str, Any] = copy.deepcopy(dict(findings_data))
    indicators = data.setdefault("indicators", {})
    comments: dict[tuple[str, str], str] = {}
    for appeal in appeals:
        if appeal.decision is None or appeal.decision.result != "upheld":
            continue
        key = _indicator_key(rulebook, indicators, appeal.indicator)
        entries = indicators.setdefault(key, {})
        old = entries.get(appeal.fact)
        if isinstance(old, Mapping) and "value" in old:
            new: Any = dict(old)
            new["value"] = appeal.value
            evidence = old.get("evidence") or []
            evidence = [evidence] if isinstance(evidence, str) else list(evidence)
            new["evidence"] = [*evidence, *appeal.evidence]
            old_value = old["value"]
        else:
            new = (
                {"value": appeal.value, "evidence": list(appeal.evidence)}
                if appeal.evidence
                else appeal.value
            )
            old_value = old
        entries[appeal.fact] = new
        from wzeval.analysis._merge import _flow

        comments[(key, appeal.fact)] = _(MESSAGES["revised_comment"]).format(
            id=appeal.id,
            reviewer=appeal.decision.reviewer,
            date=appeal.decision.date.isoformat(),
            old=_flow(old_value),
        )
    return data, comments


def revised_text(data: Mapping[str, Any], comments: Mapping[tuple[str, str], str]) -> str:
    """The revised findings as YAML, each changed fact with the appeal that changed it."""
    from wzeval.analysis._merge import findings_text

    return findings_text(data, comments, _(MESSAGES["revised_header"]))


def appeal_report(read: _Read, rulebook: Rulebook, *, partial: bool = False) -> AppealOutcome:
    """Score the preliminary and the revised findings of one appeal document."""
    from wzeval.scoring._api import score

    appeals = read.model.appeals
    preliminary = score(read.findings.data, rulebook, partial=partial)
    revised, _unused = apply_appeals(read.findings.data, appeals, rulebook)
    final = score(revised, rulebook, partial=partial)
    preliminary = preliminary.model_copy(update={"findings_file": read.findings.file})
    reasons: dict[str, list[str]] = {}
    for appeal in appeals:
        if appeal.decision is None:
            continue
        ind = rulebook.indicator(appeal.indicator.strip())
        line = _(MESSAGES["reason_line"]).format(
            id=appeal.id,
            fact=appeal.fact,
            result=_(MESSAGES[appeal.decision.result]),
            reason=appeal.decision.reason,
            reviewer=appeal.decision.reviewer,
            date=appeal.decision.date.isoformat(),
        )
        reasons.setdefault(ind.id, []).append(line)
    changes = []
    for before in preliminary.indicators:
        after = final.indicator(before.id)
        if before.points != after.points or before.id in reasons:
            changes.append(
                IndicatorChange(
                    before.id, before.name, before.points, after.points, reasons.get(before.id, [])
                )
            )
    return AppealOutcome(
        preliminary.department,
        preliminary,
        final,
        changes,
        [a for a in appeals if a.decision is not None],
        [a for a in appeals if a.decision is None],
    )


def _rows(outcome: AppealOutcome) -> list[list[str]]:
    places = outcome.final.places
    rows = []
    for c in outcome.changes:
        delta = c.final - c.preliminary
        rows.append(
            [
                _("{name} ({id})").format(name=c.name, id=c.id),
                display(c.preliminary, places),
                display(c.final, places),
                ("+" if delta > 0 else "") + display(delta, places),
                _("; ").join(c.reasons),
            ]
        )
    p, f = outcome.preliminary.total, outcome.final.total
    rows.append(
        [
            _(MESSAGES["total"]),
            display(p, places),
            display(f, places),
            ("+" if f > p else "") + display(f - p, places),
            "",
        ]
    )
    return rows


def render_appeal_text(outcomes: Sequence[AppealOutcome]) -> str:
    from wzeval.output._render import display_width, format_table

    parts = []
    for o in outcomes:
        title = _(MESSAGES["title"]).format(department=o.department)
        text = f"{title}\n{'=' * display_width(title)}\n"
        text += format_table(_(MESSAGES["head"]).split("|"), _rows(o), right={1, 2, 3})
        if not any(c.final != c.preliminary for c in o.changes):
            text += _(MESSAGES["no_change"]) + "\n"
        parts.append(text)
    return "\n".join(parts)


def render_appeal_markdown(outcomes: Sequence[AppealOutcome]) -> str:
    parts = []
    for o in outcomes:
        lines = ["# " + _(MESSAGES["title"]).format(department=o.department), ""]
        lines.append("| " + " | ".join(_(MESSAGES["head"]).split("|")) + " |")
        lines.append("|---|--:|--:|--:|---|")
        for row in _rows(o):
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in row) + " |")
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)


def render_appeal_json(outcomes: Sequence[AppealOutcome]) -> str:
    return dumps_json(
        {
            "wzeval": "appeal-report/1",
            "departments": [
                {
                    "department": o.department,
                    "preliminary_total": exact_text(o.preliminary.total),
                    "final_total": exact_text(o.final.total),
                    "indicators": [
                        {
                            "id": c.id,
                            "name": c.name,
                            "preliminary": exact_text(c.preliminary),
                            "final": exact_text(c.final),
                            "change": exact_text(c.final - c.preliminary),
                            "reasons": c.reasons,
                        }
                        for c in o.changes
                    ],
                    "appeals": [a.model_dump(mode="json") for a in o.decided],
                    "pending": [a.id for a in o.pending],
                }
                for o in outcomes
            ],
        }
    )
