"""The library's front door: load a rulebook, load findings, evaluate.

Two flavours of each loader: ``read_*`` never raises for bad input and returns
``(value or None, issues)`` — what the CLI and CI use to show every problem;
``load_*`` returns the value or raises :class:`~wzeval.core._errors.ValidationFailed`
carrying all issues — what a library caller usually wants.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from wzeval.core._codes import WZ201
from wzeval.core._errors import ValidationFailed
from wzeval.core._i18n import _
from wzeval.core._issues import Issue, PathPart, Position, Severity, in_file_order
from wzeval.core._perf import gc_paused

# Imported where used, not here: importing this module costs nothing heavy, so a
# `wzeval validate` answered from the cache (wzeval.core._cache) never loads pydantic's model
# machinery, ruamel or the models; and `validate` never needs the report models.
if TYPE_CHECKING:
    from pydantic import ValidationError

    from wzeval.checking._checks import CompiledRulebook
    from wzeval.checking._findings import Findings
    from wzeval.model._models import Rulebook
    from wzeval.model._report import ScoreReport
    from wzeval.reading._yamlcore import Document

__all__ = [
    "bundled_rulebook_path",
    "compiled",
    "evaluate",
    "load_findings",
    "load_rulebook",
    "read_findings",
    "read_rulebook",
    "rulebook_from_document",
    "score",
    "score_document",
]

_BUNDLED = "2023.yaml"


def bundled_rulebook_path() -> Path:
    """Where the bundled 2023 rulebook is installed.

    Beside this module when wzeval is installed as files, as it is almost always:
    :mod:`importlib.resources` (for other loaders, a zip file say) costs about 10 ms
    of imports on every ``wzeval validate``, a cache hit's whole budget
    (docs/performance.md, section 3)."""
    here = Path(__file__).with_name("data") / _BUNDLED
    if here.is_file():
        return here
    from importlib import resources

    return Path(str(resources.files("wzeval").joinpath("data", _BUNDLED)))


def _pydantic_issues(exc: ValidationError, doc: Document) -> list[Issue]:
    out = []
    for err in exc.errors(include_url=False):
        loc: tuple[PathPart, ...] = tuple(
            p for p in err["loc"] if isinstance(p, str | int) and not _is_tag(p)
        )
        kind = err["type"]
        msg = err["msg"]
        hint = None
        if kind == "missing":
            msg = _("missing required key {key!r}").format(key=loc[-1]) if loc else msg
            hint = _("add it; see schemas/rulebook.schema.json")
        elif kind == "extra_forbidden":
            msg = _("unknown key {key!r}").format(key=loc[-1]) if loc else msg
            hint = _("remove it or check its spelling; unknown keys are not ignored")
        elif kind == "value_error":
            msg = msg.removeprefix("Value error, ")
        position = doc.position(loc, key=kind == "extra_forbidden")
        if kind == "missing":
            position = doc.position(loc[:-1])
        out.append(Issue(WZ201, msg, path=loc, position=position, hint=hint))
    return out


def _is_tag(part: object) -> bool:
    # pydantic adds union/function tags such as 'function-after[_shape(), Fact]' to locations
    return isinstance(part, str) and ("[" in part or part.startswith("function-"))


def _expression_position(doc: Document, issue: Issue) -> Position:
    """Point inside an expression: the node's column plus the offset the checker found."""
    pos = doc.position(issue.path)
    if "offset" not in issue.extra or not pos.line:
        return pos
    # an offset of 0 too: in a quoted expression it is the character after the quote
    offset = int(issue.extra["offset"])
    from wzeval.model._extends import origin_of

    source, path = origin_of(doc, issue.path)  # the file the expression came from (extends:)
    node: Any = source.root
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return pos
    if type(node).__name__ in ("LiteralScalarString", "FoldedScalarString"):
        return pos
    quoted = type(node).__name__ in ("DoubleQuotedScalarString", "SingleQuotedScalarString")
    return Position(pos.file, pos.line, pos.col + offset + (1 if quoted else 0))


@gc_paused()  # many objects, no garbage cycles: linear in the rulebook's size (_perf.py)
def rulebook_from_document(doc: Document) -> tuple[Rulebook | None, list[Issue]]:
    """Validate and check a loaded document as a rulebook, mapping issues to positions.

    A document that ``extends:`` another rulebook is merged with it first
    (:mod:`wzeval.model._extends`); issues then point into whichever file each value came from.
    """
    from pydantic import ValidationError

    from wzeval.checking._checks import check_rulebook
    from wzeval.model._extends import resolve_extends
    from wzeval.model._models import CHECKED_DOCUMENT, Rulebook

    doc = resolve_extends(doc)
    issues = list(doc.issues)
    if doc.data is None:
        if not any(i.severity is Severity.ERROR for i in issues):  # empty, or only null
            issues.append(
                Issue(
                    WZ201,
                    _("the document is empty: a rulebook is a mapping"),
                    position=Position(doc.file, 1, 1),
                    hint=_("start with 'wzeval: rulebook/1'"),
                )
            )
        return None, issues
    if not isinstance(doc.data, Mapping):
        issues.append(
            Issue(
                WZ201,
                _("a rulebook must be a mapping"),
                position=doc.position(()),
                hint=_("start with 'wzeval: rulebook/1'"),
            )
        )
        return None, issues
    try:
        rb = Rulebook.model_validate(doc.data, context={CHECKED_DOCUMENT: True})
    except ValidationError as exc:
        issues.extend(_pydantic_issues(exc, doc))
        return None, issues
    crb, found = check_rulebook(rb)
    for issue in found:
        issues.append(issue.at(_expression_position(doc, issue)))
    if crb is None or any(i.severity is Severity.ERROR for i in issues):
        return None, issues  # e.g. a bad edit in an extending rulebook whose merge still checks
    rb._file = doc.file
    positions: dict[tuple[PathPart, ...], str] = {}
    for cind in crb.indicators:
        paths = [cind.path]
        for it in cind.items:
            paths.append(it.path)
            paths.extend(v.path for v in it.vetoes)
            paths.extend(d.path for d in it.deductions)
        paths.extend(v.path for v in cind.vetoes)
        paths.extend(d.path for d in cind.deductions)
        paths.extend(p.path for p in cind.pending)
        for p in paths:
            pos = doc.position(p)
            positions[p] = f"{pos.file}:{pos.line}" if pos.line else pos.file
    for g in crb.overall.grades:
        pos = doc.position(g.path)
        positions[g.path] = f"{pos.file}:{pos.line}" if pos.line else pos.file
    # a copy that knows its file and positions; every other field carried over as it is
    crb = dataclasses.replace(crb, file=doc.file, positions=positions)
    rb._compiled = crb
    return rb, issues


def read_rulebook(
    path: str | Path | Mapping[str, Any] | None = None,
) -> tuple[Rulebook | None, list[Issue]]:
    """Load and check a rulebook file, or a rulebook handed over in memory (a mapping);
    never raises for bad input.

    ``path=None`` reads the bundled 2023 rulebook.  A mapping meets a file's limits
    and character rule first (:mod:`wzeval.reading._plain`: WZ101, WZ108, WZ109, WZ112, WZ412,
    WZ413), then the same checks as a file, with the same issue codes, at
    ``<rulebook>`` and the document path.
    """
    from wzeval.reading._loader import load_document
    from wzeval.reading._plain import plain_document

    doc: Document
    if path is None or isinstance(path, str | os.PathLike):
        doc = load_document(path if path is not None else bundled_rulebook_path())
    else:  # in memory: held to a file's limits and character rule, as findings are
        doc = plain_document(path, "<rulebook>")
    return rulebook_from_document(doc)


def load_rulebook(path: str | Path | Mapping[str, Any] | None = None) -> Rulebook:
    """Load and check a rulebook, raising :class:`ValidationFailed` with every issue.

    ``path=None`` loads the bundled 2023 rulebook (``rulebooks/2023.yaml``), once per
    process while its file is unchanged: a rulebook is immutable, and reading and
    compiling it again cost ~50 ms on every ``wzeval.score(findings)`` call.  A
    mapping is checked as :func:`read_rulebook` checks it.
    """
    if path is None:
        bundled = bundled_rulebook_path()
        stat = bundled.stat()
        return _load_bundled(str(bundled), stat.st_mtime_ns, stat.st_size)
    rb, issues = read_rulebook(path)
    if rb is None:
        what = "rulebook" if isinstance(path, Mapping) else f"rulebook {path}"
        raise ValidationFailed(issues, what=what)
    return rb


@functools.lru_cache(maxsize=1)
def _load_bundled(path: str, mtime_ns: int, size: int) -> Rulebook:
    """The bundled rulebook, read again when its file changes (an editable install)."""
    rb, issues = read_rulebook(path)
    if rb is None:
        raise ValidationFailed(issues, what=f"rulebook {_BUNDLED}")
    return rb


def compiled(rulebook: Rulebook) -> CompiledRulebook:
    """The compiled form of a rulebook (compiling it now if it was built in memory)."""
    from wzeval.checking._checks import CompiledRulebook, check_rulebook

    crb = rulebook._compiled
    if crb is None:
        crb, issues = check_rulebook(rulebook)
        errors = [i for i in issues if i.severity is Severity.ERROR]
        if crb is None or errors:
            raise ValidationFailed(errors or issues, what="rulebook")
        rulebook._compiled = crb
    return cast(CompiledRulebook, crb)


def read_findings(
    source: str | Path | Mapping[str, Any],
    rulebook: Rulebook,
    *,
    partial: bool = False,
) -> tuple[Findings | None, list[Issue]]:
    """Load and check findings against a rulebook; never raises for bad input.

    ``source`` is a path — YAML, JSON or a findings workbook (``.xlsx``, positions are
    cells), chosen by suffix as the CLI does (:func:`wzeval.reading._documents.read_document`) —
    or an in-memory mapping.
    """
    from wzeval.checking._findings import check_findings
    from wzeval.reading._documents import read_document
    from wzeval.reading._plain import plain_document

    doc: Document
    if isinstance(source, str | os.PathLike):
        doc = read_document(Path(source))
    else:  # in memory: held to a file's limits and character rule (wzeval.reading._plain)
        doc = plain_document(source, "<findings>")
    return check_findings(doc, compiled(rulebook), partial=partial)


def load_findings(
    source: str | Path | Mapping[str, Any], rulebook: Rulebook, *, partial: bool = False
) -> Findings:
    """Load and check findings, raising :class:`ValidationFailed` with every issue."""
    findings, issues = read_findings(source, rulebook, partial=partial)
    if findings is None:
        raise ValidationFailed(
            issues, what=f"findings {source if not isinstance(source, Mapping) else ''}".strip()
        )
    return findings


def evaluate(
    rulebook: Rulebook, findings: Findings, *, partial: bool = False, explained: bool = False
) -> ScoreReport:
    """Score checked findings: pure, deterministic, exact.

    ``partial=True`` scores what was assessed and lists the rest in
    ``report.not_assessed``; otherwise anything unassessable raises
    :class:`ValidationFailed`.  The explanation (each indicator's results, reasons and
    facts read) is built the first time it is read; ``explained=True`` builds it now,
    for a caller that reads it anyway.
    """
    from wzeval.scoring._engine import evaluate_compiled

    return evaluate_compiled(compiled(rulebook), findings, partial=partial, explained=explained)


def score(
    findings: str | Path | Mapping[str, Any],
    rulebook: Rulebook | str | Path | Mapping[str, Any] | None = None,
    *,
    partial: bool = False,
) -> ScoreReport:
    """Load (the bundled rulebook by default), check and evaluate in one call.

    To score many findings against a rulebook file of your own, load it once with
    :func:`load_rulebook` and pass the :class:`Rulebook`: a path is read again on
    every call (the bundled rulebook is kept while its file is unchanged).
    """
    from wzeval.model._models import Rulebook

    rb = rulebook if isinstance(rulebook, Rulebook) else load_rulebook(rulebook)
    return evaluate(rb, load_findings(findings, rb, partial=partial), partial=partial)


def score_document(
    doc: Document, rulebook: Rulebook, *, partial: bool = False, explained: bool = False
) -> tuple[ScoreReport | None, list[Issue]]:
    """Check and evaluate one loaded findings document; never raises for bad input.

    The engine reports problems by document path; they are placed here at the node
    of the findings document they concern (a line and column, or a workbook cell), so
    every issue has a position.  Issues come in file order.  What ``wzeval score``,
    ``validate`` and ``compare`` do with each findings file.
    """
    from wzeval.checking._findings import check_findings

    findings, issues = check_findings(doc, compiled(rulebook), partial=partial)
    if findings is None:
        return None, in_file_order(issues)
    try:
        report = evaluate(rulebook, findings, partial=partial, explained=explained)
    except ValidationFailed as exc:
        placed = [i if i.position else i.at(doc.position(i.path)) for i in exc.issues]
        return None, in_file_order([*issues, *placed])
    return report, in_file_order(issues)
