"""Findings templates: the YAML skeleton an evaluator fills in for one department.

The template is written as text, not dumped from data, because its value is in
the comments: each fact's question (``ask``) above it, its type, options and
range beside it, the department's duties from the rulebook's catalogs as a
``# [ ]`` checklist, and a note on every indicator the department is not
assessed on.  Its texts are catalogue messages, so ``--lang en`` writes it in
English; the keys (ids), ``null`` and the placeholder ``待填写`` are the same in
every language, so a template filled in either reads the same.

Every blank means "not recorded yet" (``null`` for a fact that may not be
empty, ``待填写`` for one where ``null`` is an answer: see
:data:`wzeval.checking._findings.FILLING_RULE`, written into the header):
``--partial`` scores what is filled in, and a full check reports each blank as
not filled in (WZ404), so an unfilled template never passes validation by
accident — yet it loads as YAML, so an editor with the findings JSON Schema
(named in the first-line modeline) helps fill it in.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date

from wzeval.checking._checks import CompiledIndicator
from wzeval.checking._findings import FINDINGS_FORMAT, filling_rule
from wzeval.core._codes import WZ407
from wzeval.core._errors import ValidationFailed
from wzeval.core._i18n import N_, _
from wzeval.core._issues import Issue, did_you_mean
from wzeval.core._slips import PLACEHOLDER, number_text
from wzeval.model._models import Catalog, Fact, Indicator, Rulebook
from wzeval.scoring._api import compiled
from wzeval.scoring._engine import applicability

__all__ = [
    "DEFAULT_SCHEMA_REF",
    "PLACEHOLDER",
    "applies_to",
    "describe_fact",
    "findings_template",
    "null_for_none",
    "placeholder",
    "resolve_department",
]

#: Where the modeline points by default: the findings schema of the bundled rulebook,
#: relative to the project folder.
DEFAULT_SCHEMA_REF = "schemas/findings.schema.json"
#: What a value of each scalar type looks like (catalogue messages: translate with ``_``).
_TYPE_TEXT = {
    "bool": N_("true or false"),
    "int": N_("a whole number"),
    "decimal": N_("a number (decimals allowed)"),
    "date": N_("a date YYYY-MM-DD"),
    "datetime": N_("a date and time YYYY-MM-DD HH:MM"),
    "str": N_("plain text"),
}
#: Names an ``applies`` expression may read that the template knows without findings.
_KNOWN_NAMES = frozenset({"department", "catalogs", "true", "false"})
_PLAIN = re.compile(r"[^\W\d][\w.\-（）]*")
_YAML_WORDS = frozenset({"true", "false", "null", "yes", "no", "on", "off", "y", "n"})


def _yaml_str(text: str) -> str:
    """A string as a YAML scalar: plain when unambiguous, else double-quoted (JSON is YAML)."""
    if _PLAIN.fullmatch(text) and text.lower() not in _YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


def _type_text(kind: str) -> str:
    return _(_TYPE_TEXT[kind])


def _named(name: str, detail: str) -> str:
    return _("{name} ({detail})").format(name=name, detail=detail)


def describe_fact(fact: Fact, *, none: bool = True) -> str:
    """What a fact's value looks like, in the language in force: type, options, range,
    unit and (unless ``none`` is false) that a nullable fact takes null for "none"."""
    if fact.type == "enum":
        labels = fact.option_labels or {}
        options = " / ".join(_named(o, labels[o]) if o in labels else o for o in fact.options or [])
        text = _("options (lowest first): {options}").format(options=options)
    elif fact.type == "list":
        text = _("a list [a, b, …], each {type}").format(type=_type_text(fact.of or "str"))
    elif fact.type == "records":
        fields = _(", ").join(_named(k, _type_text(v)) for k, v in (fact.fields or {}).items())
        text = _("a list of records, each with {fields}").format(fields=fields)
    else:
        text = _type_text(fact.type)
    if fact.min is not None and fact.max is not None:
        text = _("{text}, range {low}–{high}").format(
            text=text, low=number_text(fact.min), high=number_text(fact.max)
        )
    elif fact.min is not None:
        text = _("{text}, not less than {low}").format(text=text, low=number_text(fact.min))
    elif fact.max is not None:
        text = _("{text}, not greater than {high}").format(text=text, high=number_text(fact.max))
    if fact.unit:
        text = _("{text}, unit: {unit}").format(text=text, unit=fact.unit)
    if fact.nullable and none:
        text = null_for_none(text)
    return text


def null_for_none(text: str) -> str:
    """``text`` saying that null is the answer "none" (the mark :data:`FILLING_RULE` names)."""
    return _("{text}; null if there is none").format(text=text)


def placeholder(fact: Fact) -> str | None:
    """The blank for a fact, as YAML: a value the checker rejects, so it cannot pass unfilled.

    ``null`` for a fact that may not be empty; :data:`PLACEHOLDER` for a nullable fact
    whose type rejects that text; ``None`` when no blank would be rejected (a nullable
    text fact), in which case the line is written commented out.
    """
    if not fact.nullable:
        return "null"
    if fact.type == "str" or PLACEHOLDER in (fact.options or []):
        return None
    return PLACEHOLDER


def resolve_department(rulebook: Rulebook, name: str) -> str:
    """The canonical name of a department given by name, alias or id.

    Raises :class:`ValidationFailed` (WZ407, with a did-you-mean hint) when the
    rulebook does not list it: a typo would silently change applicability.
    """
    crb = compiled(rulebook)
    canonical = crb.departments.get(name.strip())
    if canonical is None:
        names = [d.name for d in rulebook.departments]
        raise ValidationFailed(
            [
                Issue(
                    WZ407,
                    _("unknown department {name!r}").format(name=name),
                    hint=did_you_mean(name, names)
                    or _("use a name from the rulebook's departments list: {names}").format(
                        names=_(", ").join(names)
                    ),
                )
            ],
            what="department",
        )
    return canonical


def applies_to(cind: CompiledIndicator, department: str, catalogs: tuple[str, ...]) -> bool | None:
    """Whether an indicator applies to a department before anything is observed.

    ``True``/``False`` when its ``applies`` reads only the department and its catalogs;
    ``None`` when it also depends on recorded facts or the monitoring date.
    """
    if cind.applies is None:
        return True
    if not cind.applies.names <= _KNOWN_NAMES:
        return None
    # the date is not read (checked just above); any date will do
    applies, _ = applicability(cind, {}, department, catalogs, date(2000, 1, 1))
    return applies


def _comment(text: str, indent: str) -> Iterator[str]:
    for line in text.splitlines() or [""]:
        yield f"{indent}# {line}".rstrip()


def _catalogs_for(rulebook: Rulebook, indicator_id: str, catalog_id: str | None) -> list[Catalog]:
    return [c for c in rulebook.catalogs if c.id == catalog_id or c.indicator == indicator_id]


def _fact_lines(fact: Fact) -> Iterator[str]:
    yield from _comment(fact.ask, "    ")
    if fact.note:
        yield from _comment(_("Note: {note}").format(note=fact.note), "    ")
    blank = placeholder(fact)
    hint = _("fill in: {form}").format(form=describe_fact(fact))
    key = _yaml_str(fact.id)
    if fact.type == "records" and fact.fields:
        example = "{" + ", ".join(f"{k}: …" for k in fact.fields) + "}"
        yield "    # " + _("one record a line, e.g.: - {example}").format(example=example)
    if blank is None:
        uncomment = _("{hint} (remove the # at the start of the line once filled in)")
        yield f"    # {key}:  # {uncomment.format(hint=hint)}"
    else:
        yield f"    {key}: {blank}  # {hint}"


def _header(rulebook: Rulebook, canonical: str, schema_ref: str | None) -> list[str]:
    """The template's lines down to ``indicators:``: how to fill it, then the header keys."""
    out: list[str] = []
    if schema_ref:
        out.append(f"# yaml-language-server: $schema={schema_ref}")
    title = _("Findings template: {title} ({id}), department: {department}")
    replace = _(
        "Replace every null / {placeholder} (“to be filled in”) with the value observed; "
        "the question is above each fact, the form of its value to its right."
    )
    comments = [
        title.format(title=rulebook.title, id=rulebook.id, department=canonical),
        replace.format(placeholder=PLACEHOLDER),
        *filling_rule(),
        _(
            "A fact may also be written {{value: …, evidence: [web address or screenshot], "
            "note: …}}: evidence helps the review."
        ).format(),
        _("Check: wzeval validate this-file    Score: wzeval score this-file"),
    ]
    return [
        *out,
        *(f"# {line}" for line in comments),
        f"wzeval: {FINDINGS_FORMAT}",
        f"rulebook: {_yaml_str(rulebook.id)}",
        f"department: {_yaml_str(canonical)}",
        "monitoring_date:  # " + _("fill in: YYYY-MM-DD, the monitoring date"),
        "assessors: []  # " + _("the assessors, e.g. [Zhang San, Li Si]"),
    ]


def _not_assessed(ind: Indicator, canonical: str) -> str:
    """The line for an indicator that does not apply to the department."""
    if ind.applies_note:
        text = _("{name} ({id}): does not apply to {department}, not assessed: {note}")
    else:
        text = _("{name} ({id}): does not apply to {department}, not assessed")
    return "  # " + text.format(
        name=ind.name, id=ind.id, department=canonical, note=ind.applies_note
    )


def _duties(rulebook: Rulebook, ind: Indicator, dept_id: str) -> Iterator[str]:
    """The department's duties from the indicator's catalogs, as a checklist."""
    for cat_ in _catalogs_for(rulebook, ind.id, ind.catalog):
        entry = next((e for e in cat_.entries if e.department == dept_id), None)
        if entry is None:
            continue
        yield "    # " + _("This department's entries in “{catalog}”, to check one by one:").format(
            catalog=cat_.name
        )
        for duty in entry.duties:
            text = duty.title + _(": ") + duty.text if duty.text else duty.title
            yield from _comment(f"[ ] {text}", "    ")


def _indicator_lines(
    rulebook: Rulebook, cind: CompiledIndicator, applies: bool | None, dept_id: str
) -> list[str]:
    """An indicator that may apply: its description, key, duties and facts."""
    ind = cind.indicator
    body: list[str] = [""]
    if ind.description:
        body += _comment(_("About the indicator: {text}").format(text=ind.description), "  ")
    heading = _("{name} (weight {weight})").format(name=ind.name, weight=number_text(ind.weight))
    if not ind.facts:
        no_facts = _("{heading}, no facts to record").format(heading=heading)
        return [*body, f"  {_yaml_str(ind.id)}: {{}}  # {no_facts}"]
    body.append(f"  {_yaml_str(ind.id)}:  # {heading}")
    if applies is None:
        why = ind.applies_note or ind.applies or ""
        body += _comment(_("Whether it applies depends on: {why}").format(why=why), "    ")
    body += _duties(rulebook, ind, dept_id)
    for fact in ind.facts:
        body += _fact_lines(fact)
    if ind.derived:
        names = _(", ").join(d.id for d in ind.derived)
        body.append(
            "    # " + _("Worked out by the rules, not to fill in: {names}").format(names=names)
        )
    return body


def findings_template(
    rulebook: Rulebook, department: str, *, schema_ref: str | None = DEFAULT_SCHEMA_REF
) -> str:
    """A findings skeleton (YAML text) for one department, ready to fill in, in the
    language in force.

    ``department`` may be a name, an alias or an id; the template names the canonical
    one.  ``schema_ref`` is what the first-line ``yaml-language-server`` modeline
    points to (``None`` leaves the modeline out).  Raises :class:`ValidationFailed`
    (WZ407) for a department the rulebook does not list.
    """
    crb = compiled(rulebook)
    canonical = resolve_department(rulebook, department)
    dept_id = crb.department_ids[canonical]
    catalogs = crb.catalogs_of.get(dept_id, ())
    out = _header(rulebook, canonical, schema_ref)
    body: list[str] = []
    for cat in rulebook.categories:
        heading = _("==== Category: {name} (weight {weight}) ====").format(
            name=cat.name, weight=number_text(cat.weight)
        )
        body += ["", f"  # {heading}"]
        group = None
        for ind in cat.indicators:
            cind = crb.by_id[ind.id]
            applies = applies_to(cind, canonical, catalogs)
            if applies is False:
                body += ["", _not_assessed(ind, canonical)]
                continue
            if cind.group != group and cind.group:
                body += ["", "  # " + _("---- Group: {name} ----").format(name=cind.group)]
            group = cind.group
            body += _indicator_lines(rulebook, cind, applies, dept_id)
    has_entries = any(line.startswith("  ") and not line.lstrip().startswith("#") for line in body)
    out.append("indicators:" if has_entries else "indicators: {}")
    out += body
    return "\n".join(out) + "\n"
