"""Reports a person reads name a fact by its question, not by its id.

The engine lists the facts an indicator lacks by id (``realtime_qa``), in
``missing`` and inside the reasons it writes (``缺少事实：realtime_qa``): the JSON
report keeps them so, for programs.  The evaluator who reads the score sheet did
not write the rulebook, so the renderers of text, Markdown, CSV, HTML and XLSX are
given :func:`with_questions` of the report — the same report with each missing
fact's id replaced by the rulebook's question (its ``ask``; a derived fact's
``description``) — and ``explain`` writes ``问题（id）``.  A fact without a question
keeps its id.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from wzeval.core._i18n import _

if TYPE_CHECKING:
    from wzeval.model._models import Rulebook
    from wzeval.model._report import IndicatorResult, ScoreReport

__all__ = ["fact_list", "fact_questions", "named_facts", "swap_ids", "with_questions"]

_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


#: How the engine (:func:`wzeval.scoring._engine._missing`) says why an indicator
#: lacking facts is not assessed (the same message): beside a column that lists the
#: questions, the reason need not repeat them.
def _engine_missing(names: Sequence[str]) -> str:
    return _("missing facts: {names}").format(names=_(", ").join(names))


def fact_questions(rulebook: Rulebook) -> dict[str, str]:
    """Each fact's question by its id (a derived fact's description), over the
    rulebook's indicators."""
    out: dict[str, str] = {}
    for ind in rulebook.indicators:
        out.update({d.id: d.description for d in ind.derived if d.description})
        out.update({f.id: f.ask for f in ind.facts if f.ask})
    return out


def fact_list(names: Sequence[str]) -> str:
    """Missing facts as a cell shows them: ids joined by 、 (as before), questions —
    sentences with their own 、 and ？ — by ；."""
    if all(_ID.fullmatch(n) for n in names):
        return _(", ").join(names)
    return _("; ").join(names)


def named_facts(ids: Sequence[str], questions: Mapping[str, str]) -> str:
    """Facts as a line of ``explain`` shows them: ``问题（id）``, joined by ；."""
    if not any(i in questions for i in ids):
        return _(", ").join(ids)
    return _("; ").join(
        _("{question} ({id})").format(question=questions[i], id=i) if i in questions else i
        for i in ids
    )


def swap_ids(text: str, ids: Sequence[str], questions: Mapping[str, str]) -> str:
    """``text`` with each of ``ids`` (a whole word) replaced by its question."""
    known = sorted((i for i in ids if i in questions), key=len, reverse=True)
    if not known or not text:
        return text
    word = re.compile(r"(?<![\w])(" + "|".join(map(re.escape, known)) + r")(?![\w])")
    return word.sub(lambda m: questions[m.group(1)], text)


def _indicator(r: IndicatorResult, questions: Mapping[str, str]) -> IndicatorResult:
    ids = r.missing
    items = [
        it.model_copy(update={"reason": swap_ids(it.reason, ids, questions)}) for it in r.items
    ]
    return r.model_copy(
        update={
            "missing": [questions.get(i, i) for i in ids],
            "reasons": [swap_ids(x, ids, questions) for x in r.reasons],
            "items": items,
        }
    )


def with_questions(report: ScoreReport, questions: Mapping[str, str]) -> ScoreReport:
    """``report`` as people read it: each missing fact named by its question, in
    ``missing`` and in the reasons (for the renderers; never for JSON)."""
    lacking = any(r.missing for r in report.indicators) or any(
        n.missing for n in report.not_assessed
    )
    if not questions or not lacking:
        return report
    indicators = [_indicator(r, questions) if r.missing else r for r in report.indicators]
    not_assessed = [
        n.model_copy(
            update={
                "missing": [questions.get(i, i) for i in n.missing],
                "reason": _("facts not recorded yet")
                if n.missing and n.reason == _engine_missing(n.missing)
                else swap_ids(n.reason, n.missing, questions),
            }
        )
        for n in report.not_assessed
    ]
    return report.model_copy(update={"indicators": indicators, "not_assessed": not_assessed})
