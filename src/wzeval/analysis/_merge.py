"""Merging several evaluators' partial findings for one department into one document.

Evaluators split a department's assessment (by indicator, or by part of the site); each
writes a findings file of their own.  :func:`merge_findings` joins them: every fact keeps
the file and assessors it came from (:class:`Provenance`), the same fact recorded with the
same value twice is kept once, and the same fact with *different* values is a conflict
(WZ422) that names both positions and both values.  Nothing is chosen silently: with a
conflict no merged text is produced unless the caller names, with ``prefer``, the files
whose values win (each such choice is reported, WZ423).

The merged document is ordinary ``findings/1`` YAML: it validates and scores like any
other, and each fact's origin is written next to it as a comment.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from wzeval.core._codes import WZ421, WZ422, WZ423, WZ424
from wzeval.core._i18n import N_, _
from wzeval.core._issues import Issue, Position, Severity
from wzeval.core._slips import PLACEHOLDER, is_placeholder
from wzeval.model._models import Rulebook
from wzeval.reading._yamlcore import Document

__all__ = [
    "MESSAGES",
    "MergeResult",
    "Provenance",
    "explain_file_provenance",
    "explain_provenance",
    "findings_text",
    "html_with_file_provenance",
    "html_with_provenance",
    "merge_documents",
    "merge_findings",
    "provenance_comments",
]

#: Every user-facing text of this module, in one place: English msgids, shown with _().
MESSAGES: dict[str, str] = {
    "not_findings": N_("not a findings file (it should begin with 'wzeval: findings/1')"),
    "not_findings_hint": N_("only findings (findings/1) can be merged"),
    "other_rulebook": N_("the findings' rulebook {got!r} differs from that of {first} ({want!r})"),
    "other_rulebook_hint": N_("only findings on the same rulebook can be merged"),
    "other_department": N_("department {got!r} differs from {first}'s department {want!r}"),
    "other_department_hint": N_("only findings of the same department can be merged"),
    "conflict": N_(
        "{what} differs between two files: {first} ({first_where}) records {a}, "
        "this file records {b}"
    ),
    "conflict_hint": N_(
        "check and correct one of the files, or name the file whose value to take "
        "with --prefer FILE"
    ),
    "resolved": N_(
        "{what} conflicts; as --prefer says, {chosen}'s value {value} is taken "
        "({dropped}'s {other} is dropped)"
    ),
    "prefer_unknown": N_("the file {name!r} given to --prefer is not among the files to merge"),
    "prefer_unknown_hint": N_("give the path of one of the files to merge"),
    "monitoring_date": N_("monitoring date"),
    "fact": "{indicator}.{fact}",
    "source": N_("from {file} ({assessors})"),
    "no_assessors": N_("assessors not given"),
    "notes_from": N_("[{file}] {notes}"),
    "header": N_("merged by wzeval merge from: {files}"),
    "explain_head": N_("Where the facts came from (merged findings):"),
    "html_head": N_("Where the facts came from (merged findings)"),
    "html_columns": N_("Indicator|Fact|Source"),
    "explain_line": N_("  {fact}: {source}"),
}


@dataclass(frozen=True)
class Provenance:
    """Where one merged fact came from: the file, its position there and its assessors."""

    file: str
    position: Position | None
    assessors: tuple[str, ...] = ()

    def describe(self) -> str:
        who = _(", ").join(self.assessors) or _(MESSAGES["no_assessors"])
        return _(MESSAGES["source"]).format(file=self.file, assessors=who)


@dataclass
class MergeResult:
    """The outcome of a merge: the merged data and text (``None`` when a conflict is
    unresolved or an input is unusable), the issues, and each fact's provenance keyed by
    ``(indicator_id, fact_id)``."""

    data: dict[str, Any] | None
    text: str | None
    issues: list[Issue] = field(default_factory=list)
    provenance: dict[tuple[str, str], list[Provenance]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.text is not None and not any(i.severity is Severity.ERROR for i in self.issues)


def _value_of(raw: Any) -> Any:
    """A fact's value, whether written plainly or as ``{value, evidence, note}``."""
    if isinstance(raw, Mapping) and "value" in raw:
        return raw["value"]
    return raw


def _shown(value: Any) -> str:
    return _flow(value)


def _indicator_id(rulebook: Rulebook, key: str) -> str:
    try:
        return rulebook.indicator(key.strip()).id
    except KeyError:
        return key


def _assessors(data: Mapping[str, Any]) -> tuple[str, ...]:
    raw = data.get("assessors")
    if isinstance(raw, str):
        return (raw,)
    if isinstance(raw, list):
        return tuple(str(a) for a in raw)
    return ()


def merge_findings(
    paths: Sequence[str | Path], rulebook: Rulebook, *, prefer: Sequence[str] = ()
) -> MergeResult:
    """Merge the findings files at ``paths`` (read and checked against ``rulebook``)."""
    from wzeval.reading._documents import read_document  # YAML, JSON or a findings workbook

    return merge_documents([read_document(p) for p in paths], rulebook, prefer=prefer)


def merge_documents(
    docs: Sequence[Document], rulebook: Rulebook, *, prefer: Sequence[str] = ()
) -> MergeResult:
    """Merge loaded findings documents of one department (see the module docstring).

    ``prefer`` lists file names (as the documents name them) whose values win a conflict,
    the first listed first; a conflict between two files neither of which is listed stays
    an error.
    """
    issues: list[Issue] = []
    usable = _usable(docs, rulebook, prefer, issues)
    if any(i.severity is Severity.ERROR for i in issues) or not usable:
        return MergeResult(None, None, _sorted(issues))
    _check_same_subject(usable, rulebook, issues)
    if any(i.severity is Severity.ERROR for i in issues):
        return MergeResult(None, None, _sorted(issues))
    choose = _chooser(prefer)
    monitoring = _monitoring_date(usable, choose, issues)
    merged = _Facts(rulebook, choose, issues)
    for doc in usable:
        merged.add(doc)
    merged.fill_blanks()
    provenance = merged.provenance
    if any(i.severity is Severity.ERROR for i in issues):
        return MergeResult(None, None, _sorted(issues), provenance)
    data = _merged_data(usable, monitoring, merged.facts)
    text = _render(data, provenance, [d.file for d in usable])
    return MergeResult(data, text, _sorted(issues), provenance)


#: Which of two documents wins a conflict (``None``: neither is preferred).
_Choose = Callable[[Document, Document], Document | None]
#: Where a merged fact came from: the document, the path in it, the value as written.
_Held = tuple[Document, tuple[Any, ...], Any]


def _usable(
    docs: Sequence[Document], rulebook: Rulebook, prefer: Sequence[str], issues: list[Issue]
) -> list[Document]:
    """The documents that are findings, each checked (partially) against the rulebook;
    their issues, and a ``prefer`` naming no document, go to ``issues``."""
    from wzeval.checking._findings import check_findings, is_findings_document
    from wzeval.scoring._api import compiled

    usable: list[Document] = []
    for doc in docs:
        issues.extend(doc.issues)
        if doc.data is None:
            continue
        if not is_findings_document(doc.data):
            issues.append(
                Issue(
                    WZ421,
                    _(MESSAGES["not_findings"]),
                    position=doc.position(()),
                    hint=_(MESSAGES["not_findings_hint"]),
                )
            )
            continue
        _checked, found = check_findings(doc, compiled(rulebook), partial=True)
        issues.extend(found)
        usable.append(doc)
    names = {doc.file for doc in docs}
    for name in prefer:
        if name not in names:
            issues.append(
                Issue(
                    WZ424,
                    _(MESSAGES["prefer_unknown"]).format(name=name),
                    position=Position(name),
                    hint=_(MESSAGES["prefer_unknown_hint"]),
                )
            )
    return usable


def _check_same_subject(usable: list[Document], rulebook: Rulebook, issues: list[Issue]) -> None:
    """Every document is for the first one's rulebook and department (by roster id)."""
    first = usable[0]
    for doc in usable[1:]:
        for key, code, hint in (
            ("rulebook", "other_rulebook", "other_rulebook_hint"),
            ("department", "other_department", "other_department_hint"),
        ):
            got, want = doc.data.get(key), first.data.get(key)
            if key == "department":
                got_id = rulebook_department(rulebook, got)
                same = got_id == rulebook_department(rulebook, want)
            else:
                same = got == want
            if not same:
                issues.append(
                    Issue(
                        WZ421,
                        _(MESSAGES[code]).format(got=got, want=want, first=first.file),
                        (key,),
                        doc.position((key,)),
                        hint=_(MESSAGES[hint]),
                    )
                )


def _chooser(prefer: Sequence[str]) -> _Choose:
    """The rule of ``prefer``: of two documents, the one listed first wins."""
    rank = {name: n for n, name in enumerate(prefer)}

    def choose(a: Document, b: Document) -> Document | None:
        ra, rb_ = rank.get(a.file), rank.get(b.file)
        if ra is None and rb_ is None:
            return None
        if rb_ is None or (ra is not None and ra <= rb_):
            return a
        return b

    return choose


def _monitoring_date(usable: list[Document], choose: _Choose, issues: list[Issue]) -> Any:
    """One date for the merged file; different dates are a conflict."""
    dates: list[tuple[Document, Any]] = [
        (d, d.data["monitoring_date"])
        for d in usable
        if d.data.get("monitoring_date") is not None
        and not is_placeholder(d.data["monitoring_date"])  # not filled in yet: no date
    ]
    monitoring: Any = dates[0][1] if dates else None
    owner: Document | None = dates[0][0] if dates else None
    for doc, value in dates[1:]:
        if value == monitoring or owner is None:
            continue
        issue, keep = _conflict(
            _(MESSAGES["monitoring_date"]),
            (owner, ("monitoring_date",), monitoring),
            (doc, ("monitoring_date",), value),
            choose(owner, doc),
        )
        issues.append(issue)
        if keep is doc:
            owner, monitoring = doc, value
    return monitoring


class _Facts:
    """The facts of several documents merged, each with where it came from.

    A fact two files record alike is kept once with both as its provenance; recorded
    differently, it is a conflict that ``prefer`` may settle.  A fact a file leaves
    "not recorded yet" (null, 待填写, empty) has no value to conflict with another
    file's: it is kept as a blank only where no file records it (:meth:`fill_blanks`).
    """

    def __init__(self, rulebook: Rulebook, choose: _Choose, issues: list[Issue]) -> None:
        from wzeval.checking._findings import not_recorded

        self.not_recorded = not_recorded
        self.rulebook = rulebook
        self.choose = choose
        self.issues = issues
        self.facts: dict[str, dict[str, _Held]] = {}
        self.provenance: dict[tuple[str, str], list[Provenance]] = {}
        self.pending: dict[tuple[str, str], tuple[Document, tuple[Any, ...], Any, Provenance]] = {}
        self.declared = {(i.id, f.id): f for i in rulebook.indicators for f in i.facts}

    def add(self, doc: Document) -> None:
        """Every fact of one document."""
        indicators = doc.data.get("indicators") or {}
        if not isinstance(indicators, Mapping):
            return
        for ikey, entries in indicators.items():
            iid = _indicator_id(self.rulebook, str(ikey))
            if not isinstance(entries, Mapping):
                continue
            slot = self.facts.setdefault(iid, {})
            for fid, raw in entries.items():
                self.fact(doc, slot, iid, ikey, fid, raw)

    def fact(
        self, doc: Document, slot: dict[str, _Held], iid: str, ikey: Any, fid: Any, raw: Any
    ) -> None:
        """One fact of one document: a blank set aside, a new value kept, a repeated one
        credited, a different one a conflict."""
        path = ("indicators", ikey, fid)
        prov = Provenance(doc.file, doc.position(path), _assessors(doc.data))
        fact = self.declared.get((iid, str(fid)))
        value = _value_of(raw)
        vpath = (*path, "value") if value is not raw else path
        if fact is not None and self.not_recorded(
            fact, value, left_empty=value is None and doc.empty_value(vpath)
        ):
            # a nullable fact's blank stays 待填写: a written null would be "none"
            blank = PLACEHOLDER if fact.nullable else None
            self.pending.setdefault((iid, str(fid)), (doc, path, blank, prov))
            return
        if fid not in slot:
            slot[fid] = (doc, path, raw)
            self.provenance[(iid, fid)] = [prov]
            return
        held_doc, held_path, held = slot[fid]
        if _value_of(held) == _value_of(raw):
            self.provenance[(iid, fid)].append(prov)
            return
        issue, keep = _conflict(
            MESSAGES["fact"].format(indicator=iid, fact=fid),
            (held_doc, held_path, _value_of(held)),
            (doc, path, _value_of(raw)),
            self.choose(held_doc, doc),
        )
        self.issues.append(issue)
        if keep is doc:
            slot[fid] = (doc, path, raw)
            self.provenance[(iid, fid)] = [prov]

    def fill_blanks(self) -> None:
        """The facts no file records, as the first file that left them blank has them."""
        for (iid, fid), (doc, path, blank, prov) in self.pending.items():
            slot = self.facts.setdefault(iid, {})
            if fid not in slot:
                slot[fid] = (doc, path, blank)
                self.provenance[(iid, fid)] = [prov]


def _merged_data(
    usable: list[Document], monitoring: Any, facts: Mapping[str, Mapping[str, _Held]]
) -> dict[str, Any]:
    """The merged findings document: the first file's head, every assessor, every
    file's notes (each under its name), the merged facts."""
    first = usable[0]
    assessors: list[str] = []
    for doc in usable:
        for a in _assessors(doc.data):
            if a not in assessors:
                assessors.append(a)
    notes = [
        _(MESSAGES["notes_from"]).format(file=d.file, notes=str(d.data["notes"]).strip())
        for d in usable
        if d.data.get("notes")
    ]
    data: dict[str, Any] = {
        "wzeval": first.data.get("wzeval"),
        "rulebook": first.data.get("rulebook"),
        "department": first.data.get("department"),
    }
    if monitoring is not None:
        data["monitoring_date"] = monitoring
    if assessors:
        data["assessors"] = assessors
    if notes:
        data["notes"] = "\n".join(notes)
    data["indicators"] = {
        iid: {fid: raw for fid, (_doc, _path, raw) in slot.items()} for iid, slot in facts.items()
    }
    return data


def rulebook_department(rulebook: Rulebook, name: Any) -> str | None:
    """The roster id of a department name or alias, or ``None`` when it is not listed."""
    if not isinstance(name, str):
        return None
    wanted = name.strip()
    for dept in rulebook.departments:
        if wanted == dept.name or wanted == dept.id or wanted in dept.aliases:
            return dept.id
    return None


def _conflict(
    what: str,
    held: tuple[Document, tuple[Any, ...], Any],
    new: tuple[Document, tuple[Any, ...], Any],
    chosen: Document | None,
) -> tuple[Issue, Document | None]:
    """The issue for one conflict (an error, or a warning when ``prefer`` resolved it)
    and the document whose value is kept."""
    (hdoc, hpath, hval), (ndoc, npath, nval) = held, new
    if chosen is None:
        return (
            Issue(
                WZ422,
                _(MESSAGES["conflict"]).format(
                    what=what,
                    first=hdoc.file,
                    first_where=hdoc.position(hpath),
                    a=_shown(hval),
                    b=_shown(nval),
                ),
                tuple(npath),
                ndoc.position(npath),
                hint=_(MESSAGES["conflict_hint"]),
                extra={"first": str(hdoc.position(hpath)), "second": str(ndoc.position(npath))},
            ),
            None,
        )
    keep_val, drop_doc, drop_val = (hval, ndoc, nval) if chosen is hdoc else (nval, hdoc, hval)
    drop_path = npath if chosen is hdoc else hpath
    return (
        Issue(
            WZ423,
            _(MESSAGES["resolved"]).format(
                what=what,
                chosen=chosen.file,
                value=_shown(keep_val),
                dropped=drop_doc.file,
                other=_shown(drop_val),
            ),
            tuple(drop_path),
            drop_doc.position(drop_path),
            severity=Severity.WARNING,
        ),
        chosen,
    )


def _sorted(issues: list[Issue]) -> list[Issue]:
    return sorted(issues, key=lambda i: (i.position or Position(""), i.code))


# --------------------------------------------------------------------------- YAML text

_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _key(key: Any) -> str:
    text = str(key)
    return text if _PLAIN_KEY.match(text) else json.dumps(text, ensure_ascii=False)


def _flow(value: Any) -> str:
    """``value`` as one line of YAML (flow style) that loads back to the same value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        text = str(value)
        return text if "." in text or "E" in text or "e" in text else text + ".0"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_key(k)}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def _render(
    data: Mapping[str, Any],
    provenance: Mapping[tuple[str, str], list[Provenance]],
    files: Sequence[str],
) -> str:
    comments = {key: _("; ").join(p.describe() for p in provs) for key, provs in provenance.items()}
    return findings_text(data, comments, _(MESSAGES["header"]).format(files=_(", ").join(files)))


def findings_text(
    data: Mapping[str, Any], comments: Mapping[tuple[str, str], str], header: str
) -> str:
    """Findings data as ``findings/1`` YAML, with a comment above each fact in
    ``comments`` (keyed by indicator and fact) and ``header`` as the first comment."""
    lines = [
        "# yaml-language-server: $schema=../../schemas/findings.schema.json",
        "# " + header,
    ]
    for key in ("wzeval", "rulebook", "department", "monitoring_date"):
        if key in data:
            value = data[key]
            text = value if key == "wzeval" else _flow(value)
            lines.append(f"{key}: {text}")
    if "assessors" in data:
        lines.append(f"assessors: {_flow(data['assessors'])}")
    if "notes" in data:
        lines.append(f"notes: {_flow(data['notes'])}")
    lines.append("indicators:")
    for iid, entries in data["indicators"].items():
        lines.append(f"  {_key(iid)}:")
        for fid, raw in entries.items():
            if (str(iid), str(fid)) in comments:
                lines.append(f"    # {comments[(str(iid), str(fid))]}")
            lines.append(f"    {_key(fid)}: {_flow(raw)}")
    return "\n".join(lines) + "\n"


_SOURCE_PREFIX = _(MESSAGES["source"]).split("{")[0]  # "来自 "


def provenance_comments(text: str) -> dict[tuple[str, str], str]:
    """The provenance comments of a merged findings file, keyed by the indicator key and
    fact written under it (what :func:`findings_text` writes above each fact)."""
    out: dict[tuple[str, str], str] = {}
    indicator: str | None = None
    pending: str | None = None
    for line in text.splitlines():
        if line.startswith("  ") and not line.startswith("   ") and line.rstrip().endswith(":"):
            indicator, pending = line.strip()[:-1].strip('"'), None
        elif line.startswith("    # ") and line[6:].startswith(_SOURCE_PREFIX):
            pending = line[6:].strip()
        elif line.startswith("    ") and not line.startswith("     ") and ":" in line:
            if indicator is not None and pending is not None:
                out[(indicator, line.strip().split(":", 1)[0].strip('"'))] = pending
            pending = None
    return out


def explain_provenance(text: str, indicator_keys: Sequence[str]) -> str:
    """The lines ``explain`` adds for a merged file: each fact of the indicator (written
    under one of ``indicator_keys``) with the file and assessors it came from; empty for
    a file that is not a merge."""
    found = provenance_comments(text)
    lines = [
        _(MESSAGES["explain_line"]).format(fact=fact, source=source)
        for (ind, fact), source in found.items()
        if ind in indicator_keys
    ]
    return "\n" + _(MESSAGES["explain_head"]) + "\n" + "\n".join(lines) + "\n" if lines else ""


def html_with_provenance(page: str, text: str) -> str:
    """An HTML score report (``page``) of the findings ``text`` with, when they are a
    merge, a section listing each fact's file and assessors (before the footer)."""
    from html import escape

    found = provenance_comments(text)
    if not found:
        return page
    head = "".join(f"<th>{escape(c)}</th>" for c in _(MESSAGES["html_columns"]).split("|"))
    rows = "".join(
        f"<tr><td>{escape(ind)}</td><td>{escape(fact)}</td><td>{escape(src)}</td></tr>"
        for (ind, fact), src in found.items()
    )
    block = (
        f'<section class="provenance"><h2>{escape(_(MESSAGES["html_head"]))}</h2>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></section>\n"
    )
    at = page.rfind("<footer>")
    if at < 0:
        at = page.rfind("</body>")
    return page[:at] + block + page[at:] if at >= 0 else page + block


def _merged_text(path: str | Path) -> str | None:
    """The text of a YAML findings file that may be a merge (``None``: not YAML, or
    unreadable: then there is no provenance to show, and reading it failed elsewhere)."""
    if Path(path).suffix.lower() not in (".yaml", ".yml"):
        return None
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def html_with_file_provenance(page: str, path: str | Path) -> str:
    """:func:`html_with_provenance` for the findings file at ``path`` (what ``wzeval
    score --format html`` writes for one file)."""
    text = _merged_text(path)
    return page if text is None else html_with_provenance(page, text)


def explain_file_provenance(path: str | Path, indicator_keys: Sequence[str]) -> str:
    """:func:`explain_provenance` for the findings file at ``path`` (what ``wzeval
    explain`` adds after the indicator's explanation)."""
    text = _merged_text(path)
    return "" if text is None else explain_provenance(text, indicator_keys)
