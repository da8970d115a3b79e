"""What a rule kind is, and what the rest of wzeval hands it.

A *rule kind* is one way an item earns its share: a yes/no ``check``, ordered
``tiers``, count ``bands`` …  Everything about one kind lives in one module of this
package (or of a plugin): the model of its rulebook key, how it is checked and
compiled, how it scores, the coverage targets rule tests must reach, how the table
page describes it, and how ``diff`` and ``extends`` treat it.  The rest of wzeval
reaches a kind only through :class:`RuleKind`, and hands it what it needs through
the small protocols below — so a kind imports nothing above this module, and
adding one touches no other file (``docs/design.md``, "Adding a rule kind").
"""

from __future__ import annotations

import functools
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar, Literal, NamedTuple, Protocol

from wzeval.core._issues import DocPath
from wzeval.expressions import CompiledExpression, Kind
from wzeval.model._report import share_text

if TYPE_CHECKING:
    from hypothesis.strategies import DrawFn

    from wzeval.model._conditions import Condition, Ranges

__all__ = [
    "COUNT_SPAN",
    "Analysis",
    "Compiler",
    "Describer",
    "DiffFields",
    "Differ",
    "DocPath",
    "DrawFacts",
    "FastPoints",
    "Missing",
    "NotAssessedYet",
    "Outcome",
    "RowAnalysis",
    "RowIssue",
    "RuleKind",
    "Scorer",
    "Targets",
    "Unusual",
    "deduction_outcome",
    "fast_count",
    "shown",
    "target_id",
]

#: Counts in generated findings stay small: 0..COUNT_SPAN above a fact's minimum (the
#: findings generator, :mod:`wzeval.analysis._generate`); a kind drawing generated rules
#: (:mod:`wzeval.kinds.drawing`) puts its cuts within it, so both ends get exercised.
COUNT_SPAN = 12


class Missing(Exception):
    """A fact the evaluation needs was not recorded (partial findings)."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(", ".join(names))
        self.names = names


class NotAssessedYet(Exception):
    """An item cannot be assessed from what was recorded (e.g. no spot checks made);
    the message says why, in the report's language."""


class Unusual(Exception):
    """Raised by a fast evaluator (:meth:`RuleKind.fast`): these findings are not the
    usual case, and :meth:`RuleKind.evaluate` decides what they give."""


#: An item's points (its credit × the indicator's weight) before the item's own
#: vetoes, as a function of the names its expressions read.  It may raise anything
#: at all (:class:`Unusual`, a missing name …): the engine then scores the findings
#: on its full path, whose result or error is the one of record.
FastPoints = Callable[[Mapping[str, object]], Fraction]
#: The share an item's per-occurrence deductions take, as a function of the names.
FastTaken = Callable[[Mapping[str, object]], Fraction]


def fast_count(run: Callable[[Mapping[str, object]], object], env: Mapping[str, object]) -> int:
    """A count for a fast evaluator: a whole number ≥ 0, else :class:`Unusual` (the
    full path then names the error, as :meth:`Scorer.count` does)."""
    n = run(env)
    if type(n) is not int or n < 0:
        raise Unusual(n)
    return n


@dataclass(frozen=True)
class Outcome:
    """What a rule gave one item, before the item's own vetoes.

    ``matched`` names the branches of the rule these findings took (``tier2``,
    ``band1``, ``earned``, ``entry_id:present`` …), in the vocabulary of the kind's
    coverage targets: rule tests read coverage from it instead of re-deciding it.
    """

    credit: Fraction
    reason: str
    matched: tuple[str, ...] = ()
    #: ``None``: credit × weight (given when the kind has the product at hand already)
    points: Fraction | None = None
    #: the deduction results of a kind that deducts (``DeductionResult`` models)
    deductions: tuple[Any, ...] = ()


@functools.lru_cache(maxsize=4096)
def shown(value: Fraction) -> str:
    """An amount in a reason text (``50%``, or ``≈66.67%`` when it has no short form).

    Cached: a rulebook has few distinct amounts, and formatting one is among the
    engine's costlier steps (docs/performance.md)."""
    return share_text(value)


def target_id(item_target: str, rel: str) -> str:
    """A coverage target's id from its item's (``ind.item``) and a kind's name for it:
    ``tier1`` → ``ind.item:tier1``; a name that has its own ``:`` belongs to a part of
    the item (``entry:present`` → ``ind.item.entry:present``)."""
    return f"{item_target}.{rel}" if ":" in rel else f"{item_target}:{rel}"


def deduction_outcome(count: int, capped: bool, amount: Fraction, cap: Fraction | None) -> str:
    """Which coverage branch a per-occurrence deduction took: ``none``, ``some`` or
    ``capped`` (one definition for item and indicator deductions)."""
    if count == 0:
        return "none"
    if capped or (cap is not None and amount == cap):
        return "capped"
    return "some"


# --------------------------------------------------------------------------- what a kind is handed


class Compiler(Protocol):
    """Checks and compiles one item's rule (implemented by :mod:`wzeval.checking._checks`)."""

    @property
    def item(self) -> Any:
        """The item being compiled (a :class:`wzeval.model._models.Item`)."""

    @property
    def facts(self) -> Sequence[Any]:
        """The facts of its indicator (:class:`wzeval.model._models.Fact`)."""

    @property
    def indicator_id(self) -> str:
        """The id of its indicator."""

    def expr(self, source: str, path: DocPath, want: Kind | str) -> CompiledExpression | None:
        """Compile an expression of the rule expecting ``want``; ``None`` after an issue."""

    def issue(self, code: str, message: str, path: DocPath, hint: str | None = None) -> None:
        """Report a problem of the rule at a rulebook path."""

    def unique(self, ids: Iterable[tuple[str, DocPath]], what: str) -> None:
        """Report ids that repeat."""

    def at_most_share(self, credit: Fraction, path: DocPath) -> None:
        """Report a credit larger than the item's share."""

    def deductions(self, deductions: Sequence[Any], path: DocPath) -> tuple[Any, ...] | None:
        """Check and compile per-occurrence deductions capped at the item's share."""


class Scorer(Protocol):
    """Evaluates one item's expressions against one findings document
    (implemented by :mod:`wzeval.scoring._engine`)."""

    weight: Fraction
    item_id: str

    def run(self, expr: CompiledExpression) -> object:
        """The value of an expression; raises :class:`Missing` for unrecorded facts."""

    def count(self, expr: CompiledExpression, what: str) -> int:
        """A whole number ≥ 0 (an error naming ``what`` otherwise)."""

    def fact(self, name: str) -> object:
        """A recorded fact's value, read directly (raises :class:`Missing`)."""

    def option_label(self, name: str, option: str) -> str:
        """An enum fact's option as people read it: its label, else the option itself."""

    def deductions(self) -> tuple[list[Any], Fraction]:
        """The item's compiled deductions evaluated: results and the share they take."""


class Analysis(Protocol):
    """What the condition analysis can tell of one indicator's expressions
    (implemented by :mod:`wzeval.analysis._lint`)."""

    def condition(self, source: str) -> Condition | None:
        """What a condition can be true for (``None``: no claim)."""

    def count_range(self, source: str) -> Ranges:
        """The values a count expression can take, within ``≥ 0``."""

    def constant(self, source: str) -> object:
        """The expression's value when it is the same for every findings (else ``None``)."""


class RowAnalysis(Analysis, Protocol):
    """What a kind's row lint (:meth:`RuleKind.lint_rows`) reads beyond the condition
    analysis (implemented by :mod:`wzeval.analysis._lint`)."""

    @property
    def facts(self) -> Sequence[Any]:
        """The facts the indicator declares itself (:class:`wzeval.model._models.Fact`)."""

    def domain(self, term: str) -> object:
        """The values a term of the analysed conditions can take (its declared type and
        range; a :class:`~wzeval.model._conditions.Ranges` for a number or a date)."""

    def show(self, term: str, values: Ranges) -> str:
        """Values of a term as people read them (dates as dates)."""


class RowIssue(NamedTuple):
    """A lint finding about a rule's rows, as :meth:`RuleKind.lint_rows` yields it.

    ``code`` is one of the row codes the lint registry documents (WL002 unreachable
    row, WL003 tier gap, WL004 band gap, WL005 band overlap, WL006 decreasing
    credit); lint adds the severity and the position.
    """

    code: str
    path: DocPath
    message: str
    hint: str | None = None
    #: place the issue at the key of ``path`` (``rows:``) rather than at its value
    key: bool = False


class Targets(Analysis, Protocol):
    """Collects one item's coverage targets (implemented by :mod:`wzeval.analysis._ruletest`)."""

    def add(self, rel: str, kind: str, text: str, path: DocPath, reachable: bool = True) -> None:
        """A target ``rel`` (see :func:`target_id`) of the given kind and description."""

    def outcome(self, rel: str, source: str, path: DocPath, names: tuple[str, str, str]) -> None:
        """Two targets for a condition: it holds (``names[0]``) and fails (``names[1]``);
        ``rel`` names a part of the item (``""``: the item itself)."""

    def deductions(self, rule: Sequence[Any], cap: Fraction | None) -> None:
        """The targets of the rule's per-occurrence deductions, capped at ``cap``."""


class Describer(Protocol):
    """Writes the table page (implemented by :mod:`wzeval.output._tabledoc`)."""

    weight: Fraction

    @property
    def facts(self) -> Sequence[Any]:
        """The facts of the item's indicator (:class:`wzeval.model._models.Fact`)."""

    def code(self, expr: str) -> str:
        """An expression as inline code."""

    def share(self, amount: Fraction) -> str:
        """An amount with its points (``50%（2 分）``)."""

    def cell(self, text: str | None) -> str:
        """Text safe in a Markdown table cell."""

    def number(self, value: Decimal) -> str:
        """A decimal as written."""

    def deductions(self, deductions: Sequence[Any], default_cap: str) -> list[str]:
        """The table of per-occurrence deductions."""


class Differ(Protocol):
    """Records rulebook changes (implemented by :mod:`wzeval.analysis._diff`)."""

    def add(self, kind: str, path: DocPath, old: Any, new: Any, affects: bool) -> None:
        """One change of ``kind`` (``<entity>.<what>``)."""

    def fields(self, entity: str, path: DocPath, old: Any, new: Any) -> None:
        """Field by field, by the models' tables of fields."""

    def rows(self, entity: str, path: DocPath, old: Sequence[Any], new: Sequence[Any]) -> None:
        """Ordered rows, compared by position."""

    def keyed(self, entity: str, path: DocPath, old: Sequence[Any], new: Sequence[Any]) -> None:
        """Members keyed by ``id``, compared field by field."""


class DrawFacts(Protocol):
    """Declares facts for a generated rule (implemented by the Hypothesis strategies)."""

    def flag(self) -> str:
        """A new bool fact; returns its id."""

    def count(self) -> str:
        """A new int fact ≥ 0; returns its id."""

    def new(self, prefix: str, type_: str, **extra: Any) -> str:
        """A new fact of any type; returns its id."""


# --------------------------------------------------------------------------- the kind

#: How ``extends:`` merges an edit of a kind's key: ``replace`` the value as a whole,
#: merge a mapping ``fields`` one by one, or merge a list ``by_id``.
Merge = Literal["replace", "fields", "by_id"]
#: ``diff``'s table of a model's fields: ``True`` a field can move a score, ``False``
#: it cannot (wording, provenance), ``None`` it is compared by its own rule
DiffFields = Mapping[type, Mapping[str, bool | None]]


class RuleKind(ABC):
    """One credit rule an item may use, with everything about it.

    Subclasses set the class attributes and implement the abstract methods; the
    module exposes one instance as ``KIND``.
    """

    #: the item key that selects this kind (``check``, ``tiers`` …)
    key: ClassVar[str]
    #: the pydantic type of the key's value (a model, a list of models, an ``Expr``)
    annotation: ClassVar[Any]
    #: what the key means, for the JSON Schema and the docs
    description: ClassVar[str]
    #: short Chinese name in reports (是否、档次 …)
    label: ClassVar[str]
    #: name on the rulebook's table page, shown through the catalogue: a built-in kind's
    #: is an English msgid (``N_("check (yes or no)")`` → 是否判断 check); a plug-in's
    #: own words (``"星级 stars"``) are shown as written
    title: ClassVar[str]
    #: place in listings, error messages and the schema (built-in kinds 10, 20 …)
    order: ClassVar[int] = 1000
    merge: ClassVar[Merge] = "replace"
    #: for ``by_id``: how one member is named in messages
    member: ClassVar[str] = ""
    #: the rulebook models this kind declares, with ``diff``'s table of their fields:
    #: ``True`` a field can move a score, ``False`` it cannot, ``None`` compared apart
    diff_fields: ClassVar[DiffFields] = {}
    #: entities of this kind that ``diff`` reports added or removed, and whether
    #: adding one moves a score by itself
    diff_members: ClassVar[Mapping[str, bool]] = {}

    # ------------------------------------------------------------------ checking

    @abstractmethod
    def compile(
        self, rule: Any, path: DocPath, c: Compiler
    ) -> Mapping[str, CompiledExpression] | None:
        """Check the rule at ``path`` (the item's path plus the key) and compile its
        expressions by name; ``None`` when an expression failed (issues reported)."""

    def plan(self, rule: Any, share: Fraction, weight: Fraction) -> Any:
        """What scoring needs that depends on the rulebook alone, worked out once."""
        return None

    # ------------------------------------------------------------------ scoring

    @abstractmethod
    def evaluate(
        self, rule: Any, plan: Any, exprs: Mapping[str, CompiledExpression], s: Scorer
    ) -> Outcome:
        """What the item earns for these findings (raise :class:`Missing` or
        :class:`NotAssessedYet` when it cannot be told)."""

    def fast(
        self,
        rule: Any,
        plan: Any,
        exprs: Mapping[str, CompiledExpression],
        weight: Fraction,
        taken: FastTaken,
    ) -> FastPoints | None:
        """The rule's points alone, as one function (:data:`FastPoints`) for an
        evaluation whose explanation is built only when it is read; ``None``: the kind
        has none, and reports are built in full.  It must give exactly the points
        :meth:`evaluate` gives (``Outcome.points``, else credit × ``weight``) and raise
        wherever :meth:`evaluate` would not give an outcome.  ``taken`` is what the
        item's per-occurrence deductions take, for a kind that deducts."""
        return None

    def reads(self, rule: Any, exprs: Mapping[str, CompiledExpression]) -> frozenset[str]:
        """Every name the rule reads (its expressions' names, and facts read directly)."""
        return frozenset(n for e in exprs.values() for n in e.names)

    def sources(self, rule: Any) -> list[str]:
        """The rule's expression texts, in rulebook order."""
        return []

    def sourced_parts(self, rule: Any) -> list[Any]:
        """Parts of the rule that carry their own ``source`` and ``ruling`` and have an
        ``id`` (the deductions of ``deduct``), for the table page's list of rulings."""
        return []

    # ------------------------------------------------------------------ analysis

    @abstractmethod
    def targets(
        self,
        rule: Any,
        share: Fraction,
        exprs: Mapping[str, CompiledExpression],
        path: DocPath,
        t: Targets,
    ) -> None:
        """Declare the rule's coverage targets; each is reached when an evaluation's
        :attr:`Outcome.matched` names it."""

    def never_earns(self, rule: Any, share: Fraction, t: Analysis) -> str | None:
        """Why the rule can never earn anything, if it provably cannot (for lint)."""
        return None

    def always_full(self, rule: Any, share: Fraction, t: Analysis) -> str | None:
        """Why the rule always earns the whole share, if it provably does (for lint)."""
        return None

    def lint_rows(self, rule: Any, path: DocPath, item: str, t: RowAnalysis) -> Iterable[RowIssue]:
        """Lint findings about the rule's rows: rows that can never decide, values
        that fall between rows, credits that go down as more is done (for lint, which
        reads no kind's rows itself).  ``path`` is the item's path plus the key,
        ``item`` how messages name the item; findings come in document order."""
        return ()

    # ------------------------------------------------------------------ output

    @abstractmethod
    def describe(self, rule: Any, share: Fraction, d: Describer) -> list[str]:
        """The rule on the rulebook's table page, as Markdown lines."""

    def diff(self, old: Any, new: Any, path: DocPath, d: Differ) -> None:
        """Changes between two versions of the rule (``path`` ends in the key)."""
        if old != new:
            d.add(f"item.{self.key}", path[:-1], old, new, True)

    @abstractmethod
    def draw(self, draw: DrawFn, share: Fraction, facts: DrawFacts) -> Any:
        """A random valid value of the key with its facts declared (property tests)."""
