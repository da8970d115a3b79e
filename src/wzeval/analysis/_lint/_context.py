"""What lint checks read: the rulebook, its compiled form and each indicator's analysis."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from functools import cached_property

from wzeval.analysis._lint._registry import Hit
from wzeval.checking._checks import (
    RESERVED_NAMES,
    CompiledIndicator,
    CompiledItem,
    CompiledRulebook,
    CompiledVeto,
    fact_type,
)
from wzeval.core._i18n import _
from wzeval.expressions import Kind, TypeInfo
from wzeval.kinds import RowIssue
from wzeval.model._conditions import Condition, ConditionAnalyzer, Interval, Ranges
from wzeval.model._models import Fact, Rulebook


class LintContext:
    """What checks read: the rulebook, its compiled form and per-indicator analyzers."""

    def __init__(self, rulebook: Rulebook, crb: CompiledRulebook) -> None:
        self.rulebook = rulebook
        self.compiled = crb
        self._analyzers: dict[str, ConditionAnalyzer] = {}

    @property
    def indicators(self) -> tuple[CompiledIndicator, ...]:
        return self.compiled.indicators

    def names(self, cind: CompiledIndicator) -> dict[str, TypeInfo]:
        """Every name the indicator's expressions may read, with its type."""
        ind = cind.indicator
        names: dict[str, TypeInfo] = dict(RESERVED_NAMES)
        names.update({f.id: fact_type(f) for f in self.shared_facts(cind)})
        names.update({f.id: fact_type(f) for f in ind.facts})
        kinds = {"bool": Kind.BOOL, "int": Kind.INT, "decimal": Kind.DECIMAL, "date": Kind.DATE}
        names.update({d.id: TypeInfo(kinds[d.type]) for d in ind.derived})
        return names

    def shared_facts(self, cind: CompiledIndicator) -> list[Fact]:
        """The shared facts of other indicators this one may read."""
        return [
            f
            for name, owner in cind.shared.items()
            for f in self.compiled.by_id[owner].indicator.facts
            if f.id == name
        ]

    def analyzer(self, cind: CompiledIndicator) -> ConditionAnalyzer:
        """The condition analyzer of one indicator (cached)."""
        key = cind.indicator.id
        if key not in self._analyzers:
            ind = cind.indicator
            facts = [*self.shared_facts(cind), *ind.facts]
            self._analyzers[key] = ConditionAnalyzer(self.names(cind), facts, ind.derived)
        return self._analyzers[key]

    def condition(self, cind: CompiledIndicator, source: str) -> Condition | None:
        """What a condition of this indicator can be true for (``None``: no claim)."""
        return self.analyzer(cind).analyze(source)

    def count_range(self, cind: CompiledIndicator, source: str) -> Ranges:
        """The counts a count expression can take: its known range, within ``≥ 0``."""
        dom = self.analyzer(cind).term_domain(source)
        non_negative = Ranges.of([Interval(Fraction(0), None)], True)
        return non_negative if dom is None else dom.intersect(non_negative)

    def analysis(self, cind: CompiledIndicator) -> _Analysis:
        """The condition analysis of one indicator, as a rule kind is handed it."""
        return _Analysis(self, cind)

    def row_hits(self, code: str) -> list[Hit]:
        """What the rule kinds found of one row code (WL002–WL006), in document order."""
        return [Hit(r.path, r.message, r.hint, r.key) for r in self._row_issues if r.code == code]

    @cached_property
    def _row_issues(self) -> list[RowIssue]:
        """Every item's row findings (:meth:`wzeval.kinds.RuleKind.lint_rows`), once for
        all the row checks; worked out when the first of them runs."""
        out: list[RowIssue] = []
        for cind in self.indicators:
            t = self.analysis(cind)
            for ci in cind.items:
                it = ci.item
                path = (*ci.path, it.rule_kind)
                out.extend(it.kind.lint_rows(it.rule, path, item_name(cind, ci), t))
        return out

    @cached_property
    def all_vetoes(self) -> list[tuple[CompiledIndicator, CompiledItem | None, CompiledVeto]]:
        out: list[tuple[CompiledIndicator, CompiledItem | None, CompiledVeto]] = []
        for cind in self.indicators:
            for ci in cind.items:
                out.extend((cind, ci, v) for v in ci.vetoes)
            out.extend((cind, None, v) for v in cind.vetoes)
        return out


class _Analysis:
    """One indicator's condition analysis, as rule kinds are handed it
    (:class:`wzeval.kinds.Analysis`, :class:`wzeval.kinds.RowAnalysis`)."""

    def __init__(self, ctx: LintContext, cind: CompiledIndicator) -> None:
        self.ctx = ctx
        self.cind = cind

    def condition(self, source: str) -> Condition | None:
        return self.ctx.condition(self.cind, source)

    def count_range(self, source: str) -> Ranges:
        return self.ctx.count_range(self.cind, source)

    def constant(self, source: str) -> object:
        return self.ctx.analyzer(self.cind).constant(source)

    @property
    def facts(self) -> Sequence[Fact]:
        return self.cind.indicator.facts

    def domain(self, term: str) -> object:
        return self.ctx.analyzer(self.cind).domains[term]

    def show(self, term: str, values: Ranges) -> str:
        return self.ctx.analyzer(self.cind).show(term, values)


def indicator_name(cind: CompiledIndicator) -> str:
    """How messages name an indicator: ``name (id)``."""
    return f"{cind.indicator.name} ({cind.indicator.id})"


def item_name(cind: CompiledIndicator, ci: CompiledItem) -> str:
    """How messages name an item: its indicator, id and title."""
    title = f" {ci.item.title}" if ci.item.title else ""
    return _("{indicator} item {item}{title}").format(
        indicator=cind.indicator.name, item=ci.item.id, title=title
    )
