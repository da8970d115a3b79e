"""A batch checked against the roster: each unit scored once, and the units not yet scored.

The roster is the rulebook's ``departments:`` list.  :func:`duplicates` finds the
departments a batch scored more than once (an error, WZ420, naming every file);
:func:`unassessed` lists the roster units with no report, which every ranking format
shows as 未评估 (:func:`with_unassessed`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TypeVar

from wzeval.core._codes import WZ420
from wzeval.core._i18n import N_, _
from wzeval.core._issues import Issue, Position
from wzeval.model._models import Department, Rulebook
from wzeval.model._report import Ranked

_T = TypeVar("_T", bound=Ranked)

__all__ = ["MESSAGES", "duplicates", "unassessed", "unassessed_html", "with_unassessed"]

#: The texts of this module not yet in the catalogue, and ``status``: the JSON's word
#: for a unit without findings, which stays the same in every language (JSON is read by
#: programs); the text formats say it through the catalogue.
MESSAGES: dict[str, str] = {
    "duplicate": N_("department {department} was scored {n} times in this batch: {files}"),
    "duplicate_hint": N_(
        "delete the extra files, or merge them with --merge-duplicates (wzeval merge)"
    ),
    "status": "未评估",
}


def duplicates(reports: Sequence[_T]) -> dict[str, list[_T]]:
    """The departments (by roster id) with more than one report, in first-seen order."""
    seen: dict[str, list[_T]] = {}
    for r in reports:
        seen.setdefault(r.department_id, []).append(r)
    return {k: v for k, v in seen.items() if len(v) > 1}


def duplicate_issue(group: Sequence[Ranked]) -> Issue:
    """WZ420 for one department scored several times, placed at the second file's
    ``department:``."""
    from wzeval.reading._documents import read_document

    files = [r.findings_file or "<?>" for r in group]
    doc = read_document(files[1])
    where = doc.position(("department",)) if doc.data is not None else Position(files[1])
    return Issue(
        WZ420,
        _(MESSAGES["duplicate"]).format(
            department=group[0].department, n=len(group), files="、".join(files)
        ),
        ("department",),
        where,
        hint=_(MESSAGES["duplicate_hint"]),
    )


def unassessed(rulebook: Rulebook, reports: Sequence[Ranked]) -> list[Department]:
    """The roster units (in roster order) that no report covers."""
    scored = {r.department_id for r in reports}
    return [d for d in rulebook.departments if d.id not in scored]


def with_unassessed(text: str, fmt: str, missing: Sequence[Department]) -> str:
    """A rendered ranking (``text``, ``markdown``, ``json``, ``csv`` or ``html``) with the
    roster units that have no findings added as 未评估."""
    if not missing:
        return text
    status = _("not assessed")
    section, lines = _listed(missing)
    if fmt == "text":
        return text + f"\n{section}\n" + "\n".join(lines) + "\n"
    if fmt == "markdown":
        return text + f"\n## {section}\n\n" + "\n".join(f"- {line}" for line in lines) + "\n"
    if fmt == "json":
        from wzeval.reading._loader import dumps_json

        data = json.loads(text)
        data["unassessed"] = [
            {"department": d.name, "department_id": d.id, "status": MESSAGES["status"]}
            for d in missing
        ]
        return dumps_json(data)
    if fmt == "csv":
        # 名次,部门,基础分,加分,扣分,总分,备注,记录文件
        end = "\r\n" if "\r\n" in text else "\n"
        rows = "".join(f",{_csv_cell(d.name)},,,,,{status},{end}" for d in missing)
        return text + rows
    if fmt == "html":
        block = unassessed_html(missing)
        at = text.rfind("<footer>")
        if at < 0:
            at = text.rfind("</main>")
        if at < 0:
            at = text.rfind("</body>")
        return text[:at] + block + text[at:] if at >= 0 else text + block
    return text


def _listed(missing: Sequence[Department]) -> tuple[str, list[str]]:
    """The heading and the lines that list the roster units with no findings."""
    section = _("Not assessed ({n})").format(n=len(missing))
    return section, [_("{name}: on the roster, no findings").format(name=d.name) for d in missing]


def unassessed_html(missing: Sequence[Department]) -> str:
    """The HTML section listing the roster units that have no findings ("" for none):
    placed just before the page's footer."""
    if not missing:
        return ""
    from html import escape

    section, lines = _listed(missing)
    items = "".join(f"<li>{escape(line)}</li>" for line in lines)
    return f'<section class="unassessed"><h2>{escape(section)}</h2><ul>{items}</ul></section>'


def _csv_cell(text: str) -> str:
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text
