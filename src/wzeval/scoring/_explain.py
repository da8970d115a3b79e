"""One indicator of a findings file, scored for ``wzeval explain``.

Findings are filled over days (:data:`wzeval.checking._findings.FILLING_RULE`), and an
evaluator asks why an indicator earned what it earned as soon as that indicator is
recorded, not when the whole file is.  So the file is scored as a partial one: the
other indicators' blanks do not stand in the way.  What the indicator itself still
lacks does: unless the caller asked for a partial explanation, an indicator that
could not be assessed is an error naming each fact it still needs (with its
question; a blank written in the file also on its own line), so the
evaluator is never shown an explanation of a score that is not one.
"""

from __future__ import annotations

from wzeval.checking._findings import owed_facts
from wzeval.core._codes import WZ404, WZ410
from wzeval.core._i18n import _
from wzeval.core._issues import Issue, in_file_order
from wzeval.model._models import Rulebook
from wzeval.model._report import ScoreReport
from wzeval.reading._yamlcore import Document
from wzeval.scoring._api import compiled, score_document

__all__ = ["explain_document"]


def explain_document(
    doc: Document, rulebook: Rulebook, indicator: str, *, partial: bool = False
) -> tuple[ScoreReport | None, list[Issue]]:
    """Score ``doc`` so that ``indicator`` (an id) can be explained; never raises for
    bad input.

    The report is a partial one whenever other indicators are not recorded yet
    (``report.complete`` is then false and ``report.not_assessed`` lists them).
    Without ``partial``, ``indicator`` itself must be assessable: if it is not, there
    is no report, and the issues are one error naming what it lacks followed by a
    WZ404 per fact written as not recorded yet, on its own line.  Every other
    problem of the file (a wrong type, an unknown key) is an error as in any scoring.
    """
    report, issues = score_document(doc, rulebook, partial=True, explained=True)
    if report is None or partial:
        return report, issues
    owed = [n for n in report.not_assessed if n.indicator == indicator]
    if not owed:
        return report, issues
    ind = rulebook.indicator(indicator)
    asks = {f.id: f.ask for f in ind.facts}
    facts = [
        _("{fid} ({ask})").format(fid=fid, ask=asks[fid]) if fid in asks else fid
        for n in owed
        for fid in n.missing
    ]
    where = doc.position(("indicators", ind.id), key=True)
    if facts:
        head = Issue(
            WZ404,
            _(
                "{name} ({id}) is not fully recorded yet, so there is nothing to explain; "
                "it still needs: {facts}"
            ).format(name=ind.name, id=ind.id, facts=_("; ").join(facts)),
            path=("indicators", ind.id),
            position=where,
            hint=_(
                "record these facts, or explain with --partial to see the indicator as not assessed"
            ),
        )
        # the blanks written in the file, each on its own line (an absent fact has none:
        # the first error names it already)
        detail = [i for i in owed_facts(doc, compiled(rulebook), ind.id) if len(i.path) > 2]
        return None, [head, *in_file_order([*issues, *detail])]
    reasons = _("; ").join(n.reason for n in owed)
    head = Issue(
        WZ410,
        _("{name} ({id}) cannot be assessed yet, so there is nothing to explain: {reasons}").format(
            name=ind.name, id=ind.id, reasons=reasons
        ),
        path=("indicators", ind.id),
        position=where,
        hint=_("record what is missing, or explain with --partial to see it as not assessed"),
    )
    return None, [head, *issues]
