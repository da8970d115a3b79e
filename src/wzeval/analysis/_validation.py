"""``wzeval validate`` as a library call: every document of files and folders checked
as what it is, findings against the rulebook they name.

What a document is, is told by its content (:func:`wzeval.reading._documents.document_kind`):
a rulebook, findings, rule tests or an appeal.  Findings are checked against the
rulebook named on the command line whose id they name, else against the default
rulebook (``--rulebook``, else the bundled one); that pairing is library behaviour, so
a platform checking uploads gets the same answer as the command.  A file found in a
folder that is no wzeval document is skipped; one named explicitly is an issue
(WZ910).  Nothing here prints: :class:`Validation` holds the answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from wzeval.core._codes import WZ115, WZ910, WZ911
from wzeval.core._i18n import N_, _

if TYPE_CHECKING:
    from wzeval.core._issues import Issue
    from wzeval.model._models import Rulebook
    from wzeval.reading._yamlcore import Document

__all__ = ["Checked", "Validation", "validate_paths"]

_START_HINT = N_(
    "start a rulebook with 'wzeval: rulebook/1', findings "
    "with 'wzeval: findings/1', rule tests with 'wzeval: "
    "ruletests/1'"
)


@dataclass
class Checked:
    """One input and its issues (in file order).  ``counted`` is off for entries that
    are not files (an empty folder)."""

    file: str
    kind: str | None
    issues: list[Issue] = field(default_factory=list)
    counted: bool = True

    def __post_init__(self) -> None:
        from wzeval.core._issues import in_file_order

        self.issues = in_file_order(self.issues)


@dataclass
class Validation:
    """Every input checked, in order, and the files skipped as no wzeval document."""

    results: list[Checked] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def issues(self) -> list[Issue]:
        """Every issue, input by input."""
        return [i for r in self.results for i in r.issues]

    def to_dict(self, valid: bool) -> dict[str, object]:
        """The ``validation/1`` document (``valid``: by the exit code's rule, which
        ``--strict`` changes)."""
        every = self.issues
        return {
            "wzeval": "validation/1",
            "valid": valid,
            "errors": sum(1 for i in every if i.severity == "error"),
            "warnings": sum(1 for i in every if i.severity == "warning"),
            "files": [
                {
                    "file": r.file,
                    "kind": r.kind,
                    "valid": not any(i.severity == "error" for i in r.issues),
                    "issues": [i.to_dict() for i in r.issues],
                }
                for r in self.results
            ],
            "skipped": self.skipped,
        }


def _ruletest_issues(path: Path) -> list[Issue]:
    """What is wrong with a rule-test document as a document: its shape, its rulebook,
    the findings of its cases.  Whether the cases' expectations hold is
    ``wzeval test``'s question, not ``validate``'s."""
    from wzeval.analysis._ruletest import run_tests

    run = run_tests(path)
    return [*run.issues, *(i for case in run.cases for i in case.issues)]


class _Rulebooks:
    """The rulebooks of a validation: those among the inputs (by path and by id) and
    the default one, read once when first needed (its failure reported once)."""

    def __init__(
        self, docs: Sequence[tuple[Path, bool, Document]], default: Path, use_cache: bool
    ) -> None:
        import wzeval.core._cache as cache
        from wzeval.reading._documents import document_kind
        from wzeval.scoring._api import rulebook_from_document

        self.default_path = default
        self.by_path: dict[Path, tuple[Rulebook | None, list[Issue]]] = {}
        self.by_id: dict[str, Rulebook] = {}
        for f, _named, doc in docs:
            if document_kind(doc.data) == "rulebook":
                rb, issues = rulebook_from_document(doc)
                cache.remember_rulebook(f, doc, "extends" in doc.data, issues, use=use_cache)
                self.by_path[f.resolve()] = (rb, issues)
                if rb is not None:
                    self.by_id.setdefault(rb.id, rb)

    def default(self, results: list[Checked]) -> Rulebook | None:
        from wzeval.scoring._api import read_rulebook

        key = self.default_path.resolve()
        if key not in self.by_path:
            self.by_path[key] = read_rulebook(self.default_path)
            if self.by_path[key][0] is None:  # say why once, as a file of its own
                results.append(Checked(str(self.default_path), "rulebook", self.by_path[key][1]))
        return self.by_path[key][0]


def _findings(
    f: Path, doc: Document, books: _Rulebooks, partial: bool, results: list[Checked]
) -> Checked:
    from wzeval.core._issues import Issue, Position
    from wzeval.scoring._api import score_document

    rid = doc.data.get("rulebook")
    rb = books.by_id.get(rid) if isinstance(rid, str) else None
    rb = rb or books.default(results)
    if rb is None:
        issue = Issue(
            WZ911,
            _("cannot check these findings: the rulebook {default_path} did not load").format(
                default_path=books.default_path
            ),
            position=Position(str(f)),
            hint=_("fix the rulebook, or pass --rulebook PATH"),
        )
        return Checked(str(f), "findings", [*doc.issues, issue])
    _report, issues = score_document(doc, rb, partial=partial, explained=False)
    return Checked(str(f), "findings", issues)


def _check(
    f: Path, explicit: bool, doc: Document, books: _Rulebooks, v: Validation, partial: bool
) -> None:
    """Check one document, adding its result to ``v`` (or skipping it)."""
    from wzeval.core._issues import Issue, Position
    from wzeval.reading._documents import document_kind

    kind = document_kind(doc.data)
    if doc.data is None:
        issues = list(doc.issues)
        if not any(i.severity == "error" for i in issues):  # empty or only comments
            issues.append(
                Issue(
                    WZ115,
                    _("the document is empty: not a rulebook, findings or rule tests"),
                    position=Position(str(f), 1, 1),
                    hint=_(_START_HINT),
                )
            )
        v.results.append(Checked(str(f), None, issues))
    elif kind == "rulebook":
        v.results.append(Checked(str(f), kind, books.by_path[f.resolve()][1]))
    elif kind == "findings":
        v.results.append(_findings(f, doc, books, partial, v.results))
    elif kind == "ruletests":
        v.results.append(Checked(str(f), kind, _ruletest_issues(f)))
    elif kind == "appeal":
        rb = books.default(v.results)
        if rb is not None:
            from wzeval.analysis._appeals import read_appeals

            v.results.append(Checked(str(f), kind, read_appeals([f], rb)[1]))
    elif explicit:
        issue = Issue(
            WZ910,
            _("not a wzeval document: not a rulebook, findings or rule tests"),
            position=doc.position(()),
            hint=_(_START_HINT),
        )
        v.results.append(Checked(str(f), None, [*doc.issues, issue]))
    else:
        v.skipped.append(str(f))


def validate_paths(
    paths: Sequence[str | Path],
    *,
    rulebook: str | Path | None = None,
    partial: bool = False,
    cache: bool = True,
) -> Validation:
    """Check every document of ``paths`` (files, or folders recursively) as what its
    content says it is; findings against the input rulebook whose id they name, else
    ``rulebook`` (a path; ``None``: the bundled one).  An empty folder is a warning
    (WZ912).

    When every file is a rulebook the validation cache (:mod:`wzeval.core._cache`) has seen
    with these bytes, its issues come from there and nothing is loaded; ``cache=False``
    neither reads nor writes it."""
    import wzeval.core._cache as validation_cache
    from wzeval.reading._folders import collect_files

    files, problems = collect_files(paths, empty_is_error=False)
    v = Validation([Checked(str(i.where), None, [i], counted=False) for i in problems])
    hits = [validation_cache.cached_rulebook_issues(f, use=cache) for f, _x in files]
    if all(h is not None for h in hits):  # every file answered: no loading at all
        v.results += [
            Checked(str(f), "rulebook", h or []) for (f, _x), h in zip(files, hits, strict=True)
        ]
        return v
    from wzeval.reading._documents import read_document
    from wzeval.scoring._api import bundled_rulebook_path

    docs = [(f, x, read_document(f)) for f, x in files]
    default = Path(rulebook) if rulebook else bundled_rulebook_path()
    books = _Rulebooks(docs, default, cache)
    for f, explicit, doc in docs:
        _check(f, explicit, doc, books, v, partial)
    return v
