"""Lint a valid rulebook: rules that load fine but are probably not what the author meant.

The validator (:mod:`wzeval.checks`, codes ``WZ…``) refuses rulebooks that
cannot be scored.  Lint (codes ``WL…``) looks at rulebooks that *can* be scored
and points at what a reviewer would ask about: weights the seed does not state,
tier rows nothing can reach, count bands with holes, items that can never earn
or never lose, vetoes that can never fire, caps that never bind, facts nothing
reads, rules quoting the same sentence twice.

Every check is registered with :func:`rule` under a short stable code, a name
and a default severity; its docstring *is* its documentation (what it finds,
why it matters, an example, the fix), and ``docs/lint-codes.md`` is generated
from the registry by :func:`lint_reference_markdown`.  A check yields
:class:`Hit` values (a document path and a message); the walker adds the code
and severity, :func:`lint_file` adds ``file:line:col``.

Configuration lives in ``pyproject.toml``::

    [tool.wzeval.lint]
    disable = ["WL013"]                  # codes or names
    severity = { WL001 = "info" }        # error | warning | info

Output: :func:`format_text`, :func:`format_json`, :func:`format_github`
(GitHub Actions annotations) and :func:`to_sarif` (SARIF 2.1.0).
"""

from __future__ import annotations

import difflib
import inspect
import json
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from itertools import pairwise
from pathlib import Path
from typing import Any, NamedTuple

from wzeval.api import compiled, rulebook_from_document
from wzeval.checks import (
    RESERVED_NAMES,
    CompiledDeduction,
    CompiledIndicator,
    CompiledItem,
    CompiledRulebook,
    CompiledVeto,
    fact_type,
)
from wzeval.conditions import Condition, ConditionAnalyzer, Interval, Ranges, TooComplex
from wzeval.exitcodes import exit_code  # the CLI's one rule, re-exported for lint callers
from wzeval.expressions import Kind, TypeInfo
from wzeval.extends import resolve_extends
from wzeval.i18n import _, ngettext
from wzeval.issues import Issue, PathPart, Severity, did_you_mean
from wzeval.kinds import tiers as tiers_kind
from wzeval.kinds.bands import band_ranges as _band
from wzeval.kinds.bands import band_text as _band_text
from wzeval.loader import load_document
from wzeval.models import Deduction, Fact, Item, Rulebook, format_amount

__all__ = [
    "RULES",
    "Hit",
    "LintConfig",
    "LintContext",
    "LintRule",
    "exit_code",
    "find_lint_config",
    "format_github",
    "format_json",
    "format_text",
    "lint",
    "lint_file",
    "lint_reference_markdown",
    "load_lint_config",
    "rule",
    "to_sarif",
]

Path_ = tuple[PathPart, ...]

#: ``difflib`` ratio above which two different texts count as near-duplicates.
NEAR_DUPLICATE_RATIO = 0.9


class Hit(NamedTuple):
    """What a check found: where in the document, what, and what to do about it."""

    path: Path_
    message: str
    hint: str | None = None
    #: place the issue at the key of ``path`` (``rows:``) rather than at its value
    key: bool = False


CheckFn = Callable[["LintContext"], Iterable[Hit]]


@dataclass(frozen=True)
class LintRule:
    """A registered check: stable code, name, default severity and documentation."""

    code: str
    name: str
    severity: Severity
    doc: str
    check: CheckFn = field(repr=False, compare=False)

    @property
    def summary(self) -> str:
        """The first line of the documentation: what the check finds."""
        return self.doc.split("\n", 1)[0].strip()

    @property
    def help(self) -> str:
        """The documentation after the summary (why, example, fix)."""
        parts = self.doc.split("\n", 1)
        return parts[1].strip() if len(parts) > 1 else ""


#: Every lint check by code, in code order.
RULES: dict[str, LintRule] = {}


def rule(code: str, name: str, severity: Severity) -> Callable[[CheckFn], CheckFn]:
    """Register a check under a stable code; its docstring is its documentation."""

    def register(fn: CheckFn) -> CheckFn:
        if code in RULES:
            raise ValueError(f"lint code {code} is registered twice")
        if any(r.name == name for r in RULES.values()):
            raise ValueError(f"lint rule name {name!r} is registered twice")
        doc = inspect.cleandoc(fn.__doc__ or "")
        if not doc:
            raise ValueError(f"lint check {code} needs a docstring (it is its documentation)")
        RULES[code] = LintRule(code, name, severity, doc, fn)
        return fn

    return register


# --------------------------------------------------------------------------- configuration


@dataclass(frozen=True)
class LintConfig:
    """Which checks run and how severe their findings are.

    ``severity`` maps a code (or rule name) to ``error``/``warning``/``info``;
    ``disabled`` lists codes (or names) not to run.  Unknown codes are an error
    (:class:`ValueError` with a suggestion), so a typo never silently disables
    nothing.
    """

    severity: Mapping[str, Severity | str] = field(default_factory=dict)
    disabled: frozenset[str] | set[str] | Sequence[str] = frozenset()

    def __post_init__(self) -> None:
        for key in [*self.severity, *self.disabled]:
            _code_of(key)
        for key, value in self.severity.items():
            try:
                Severity(value)
            except ValueError:
                raise ValueError(
                    f"severity of {key} must be error, warning or info (got {value!r})"
                ) from None

    def enabled(self, code: str) -> bool:
        """Whether the check with this code runs."""
        return code not in {_code_of(k) for k in self.disabled}

    def severity_of(self, code: str) -> Severity:
        """The configured severity of a code (its default when not configured)."""
        for key, value in self.severity.items():
            if _code_of(key) == code:
                return Severity(value)
        return RULES[code].severity


def _code_of(key: str) -> str:
    """A code from a code or a rule name; ValueError with a suggestion otherwise."""
    if key in RULES:
        return key
    for r in RULES.values():
        if r.name == key:
            return r.code
    known = [*RULES, *(r.name for r in RULES.values())]
    hint = did_you_mean(key, known)
    raise ValueError(f"unknown lint code {key!r}" + (f"; {hint}" if hint else ""))


def load_lint_config(pyproject: str | Path) -> LintConfig:
    """Read ``[tool.wzeval.lint]`` from a ``pyproject.toml`` (an empty config when absent).

    Keys: ``disable`` (a list of codes or names) and ``severity`` (a table of
    code or name → ``"error"``/``"warning"``/``"info"``).  Unknown keys and
    codes raise :class:`ValueError`.
    """
    with open(pyproject, "rb") as fh:
        data = tomllib.load(fh)
    table = data.get("tool", {}).get("wzeval", {}).get("lint", {})
    if not isinstance(table, dict):
        raise ValueError("[tool.wzeval.lint] must be a table")
    unknown = set(table) - {"disable", "severity"}
    if unknown:
        raise ValueError(
            f"unknown key(s) in [tool.wzeval.lint]: {', '.join(sorted(unknown))} "
            "(known: disable, severity)"
        )
    disable = table.get("disable", [])
    severity = table.get("severity", {})
    if not isinstance(disable, list) or not all(isinstance(d, str) for d in disable):
        raise ValueError("[tool.wzeval.lint] disable must be a list of codes")
    if not isinstance(severity, dict):
        raise ValueError("[tool.wzeval.lint] severity must be a table of code = severity")
    return LintConfig(severity=severity, disabled=frozenset(disable))


def find_lint_config(start: str | Path) -> LintConfig:
    """The config of the nearest ``pyproject.toml`` at or above ``start`` that has
    a ``[tool.wzeval.lint]`` table; an empty config when there is none."""
    here = Path(start).resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            with open(candidate, "rb") as fh:
                data = tomllib.load(fh)
            if "lint" in data.get("tool", {}).get("wzeval", {}):
                return load_lint_config(candidate)
    return LintConfig()


# --------------------------------------------------------------------------- context


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

    def tier_regions(
        self, cind: CompiledIndicator, ci: CompiledItem
    ) -> list[tuple[int, Condition | None, Condition | None]]:
        """Per tier row: its condition and (an upper bound of) the cases it really decides."""
        return tiers_kind.regions(ci.item.rule, self.analysis(cind))

    @cached_property
    def all_vetoes(self) -> list[tuple[CompiledIndicator, CompiledItem | None, CompiledVeto]]:
        out: list[tuple[CompiledIndicator, CompiledItem | None, CompiledVeto]] = []
        for cind in self.indicators:
            for ci in cind.items:
                out.extend((cind, ci, v) for v in ci.vetoes)
            out.extend((cind, None, v) for v in cind.vetoes)
        return out


class _Analysis:
    """One indicator's condition analysis (:class:`wzeval.kinds.Analysis`)."""

    def __init__(self, ctx: LintContext, cind: CompiledIndicator) -> None:
        self.ctx = ctx
        self.cind = cind

    def condition(self, source: str) -> Condition | None:
        return self.ctx.condition(self.cind, source)

    def count_range(self, source: str) -> Ranges:
        return self.ctx.count_range(self.cind, source)

    def constant(self, source: str) -> object:
        return self.ctx.analyzer(self.cind).constant(source)


def _rule(it: Item, key: str) -> Any:
    """The item's rule value when it is of kind ``key``, else ``None`` (for the lint
    rules that read one kind's rows: tiers, bands, levels)."""
    return it.rule if it.rule_kind == key else None


def _name(cind: CompiledIndicator) -> str:
    return f"{cind.indicator.name} ({cind.indicator.id})"


def _item_name(cind: CompiledIndicator, ci: CompiledItem) -> str:
    title = f" {ci.item.title}" if ci.item.title else ""
    return _("{indicator} item {item}{title}").format(
        indicator=cind.indicator.name, item=ci.item.id, title=title
    )


def _pct(value: Fraction) -> str:
    return format_amount(value)


def _row(i: int) -> str:
    return _("row {n}").format(n=i + 1)


# --------------------------------------------------------------------------- the checks


@rule("WL001", "non-stated-weight", Severity.WARNING)
def _non_stated_weight(ctx: LintContext) -> Iterator[Hit]:
    """An indicator's weight is not printed in the source table (derived or assumed).

    **Why it matters.** A table as published does not always print every
    weight: a `derived` weight is the only value that makes its level-1 total
    add up, an `assumed` one is a documented guess (the total only fixes a
    sum), each with the rulebook's own `ruling:` saying how it was found.
    Reviewers of a rulebook want every non-stated weight listed, because that
    is the first thing to confirm against the original table.

    **Example.**

    ```yaml
    - id: zhengce_wenjian
      name: 政策文件
      weight: 4
      weight_source: assumed
      ruling: "assumed; 政策文件+重大建设项目+公共资源配置+专题专栏+政策解读 = 26"
    ```

    **Fix.** Nothing to fix while the original table is missing: keep the
    `ruling` note saying what was assumed.  Once the weight is confirmed, set
    `weight_source: stated`.  To list these without failing CI, lower the
    severity: `severity = { WL001 = "info" }`.
    """
    for cat in ctx.rulebook.categories:
        stated = sum((i.weight for i in cat.indicators if i.weight_source == "stated"), 0)
        others = [i for i in cat.indicators if i.weight_source != "stated"]
        for cind in ctx.indicators:
            ind = cind.indicator
            if ind.weight_source == "stated" or cind.category_id != cat.id:
                continue
            message = _("weight {weight} of {indicator} is {source}, not stated").format(
                weight=ind.weight, indicator=_name(cind), source=ind.weight_source
            )
            if ind.weight_source == "derived":
                message += _(
                    " in the source table: the only value that makes {category} ({weight}) add up"
                ).format(category=cat.name, weight=cat.weight)
            else:
                message += _(" in the source table, which does not give it")
                if len(others) > 1:
                    names = "+".join(i.name for i in others)
                    message += _("; only {names} = {fixed} is fixed").format(
                        names=names, fixed=cat.weight - stated
                    )
            hint = _("confirm it against the original table")
            hint += (
                _("; the rulebook's ruling: {ruling}").format(ruling=ind.ruling)
                if ind.ruling
                else _(", and add a ruling: note saying how it was found")
            )
            yield Hit((*cind.path, "weight_source"), message, hint)


def _tier_regions(
    ctx: LintContext, cind: CompiledIndicator, ci: CompiledItem
) -> list[tuple[int, Condition | None, Condition | None]]:
    return ctx.tier_regions(cind, ci)


def _earlier_cover(cond: Condition, earlier: Sequence[tuple[int, Condition]]) -> list[int]:
    """The earlier rows (indexes) whose conditions overlap ``cond``."""
    try:
        return [j for j, c in earlier if not c.intersect(cond).is_empty()]
    except TooComplex:
        return [j for j, _ in earlier]


def _union_all(conds: Sequence[Condition]) -> Condition | None:
    """The union of conditions (``None`` when empty or too complex)."""
    if not conds:
        return None
    union = conds[0]
    try:
        for c in conds[1:]:
            union = union.union(c)
    except TooComplex:
        return None
    return union


@rule("WL002", "unreachable-row", Severity.WARNING)
def _unreachable_row(ctx: LintContext) -> Iterator[Hit]:
    """A tier or band row can never be the one that decides the credit.

    Tiers are read top-down and the first row whose condition holds gives its
    credit; bands likewise take the first row the count falls in.  A row is
    unreachable when its condition can never hold (on the fact's type and its
    `min`/`max`: an int fact with `min: 0` is never `< 0`), or when earlier
    rows already match every case it matches, e.g. after an unconditional
    `true` row.

    **Why it matters.** The credit of an unreachable row is never given, so the
    rulebook silently scores differently from the table it encodes; usually
    the rows are in the wrong order.

    **Example.**

    ```yaml
    tiers:
      - {when: "n >= 1", credit: 20%}
      - {when: "n >= 5", credit: 40%}   # never reached: n >= 5 already matched n >= 1
    ```

    **Fix.** Order tiers from the most to the least demanding row, or make the
    conditions exclusive; delete rows that cannot match.
    """
    for cind in ctx.indicators:
        for ci in cind.items:
            it = ci.item
            tiers = _rule(it, "tiers")
            bands = _rule(it, "bands")
            if tiers is not None:
                known: list[tuple[int, Condition]] = []
                for i, cond, region in _tier_regions(ctx, cind, ci):
                    path = (*ci.path, "tiers", i, "when")
                    if cond is None:
                        continue
                    if cond.is_empty():
                        yield Hit(
                            path,
                            _(
                                "{item}: tier {row} ({when!r}) can never match: its "
                                "condition is never true"
                            ).format(item=_item_name(cind, ci), row=_row(i), when=tiers[i].when),
                            _("fix the condition or delete the row"),
                        )
                    elif region is not None and region.is_empty():
                        rows = _earlier_cover(cond, known)
                        by = ", ".join(str(j + 1) for j in rows)
                        yield Hit(
                            path,
                            _("{item}: tier {row} ({when!r}) is never reached: ").format(
                                item=_item_name(cind, ci), row=_row(i), when=tiers[i].when
                            )
                            + (
                                _("rows {by} already match").format(by=by)
                                if len(rows) > 1
                                else _("row {by} already matches").format(by=by)
                            )
                            + _(" every case it matches"),
                            _("order tiers from the most to the least demanding row"),
                        )
                    known.append((i, cond))
            if bands is not None:
                domain = ctx.count_range(cind, bands.count)
                seen = Ranges.of([], True)
                for i, band in enumerate(bands.rows):
                    band_set = _band(band.min, band.max)
                    path = (*ci.path, "bands", "rows", i)
                    live = band_set.intersect(domain)
                    if live.is_empty():
                        yield Hit(
                            path,
                            _(
                                "{item}: band {band} can never match: {count!r} is always {values}"
                            ).format(
                                item=_item_name(cind, ci),
                                band=_band_text(band.min, band.max),
                                count=bands.count,
                                values=domain.describe(),
                            ),
                            _("fix the band or the fact's min/max, or delete the row"),
                        )
                    elif live.minus(seen).is_empty():
                        yield Hit(
                            path,
                            _(
                                "{item}: band {band} is never reached: earlier rows "
                                "already cover all its counts"
                            ).format(
                                item=_item_name(cind, ci), band=_band_text(band.min, band.max)
                            ),
                            _("bands must not overlap; fix min/max"),
                        )
                    seen = seen.union(band_set)


@rule("WL003", "tier-gap", Severity.WARNING)
def _tier_gap(ctx: LintContext) -> Iterator[Hit]:
    """Values between two tier rows match no row and earn nothing.

    Checked where every row compares the same int, decimal or date value with
    constants (`n >= 5`, `1 <= n <= 3`, `d <= date(2023, 1, 31)`): the values
    no row matches, lying between values that rows do match, fall through to
    "no tier" and earn 0.  Values below or above all rows are not reported —
    "otherwise 0" at the ends is how tables are written.

    **Why it matters.** A hole in the middle of a scale is almost always an
    off-by-one slip (`1–3` and `5+`, forgetting 4) that costs a department the
    credit the table gives it.

    **Example.**

    ```yaml
    tiers:
      - {when: "n >= 5", credit: 40%}
      - {when: "n >= 1 and n <= 3", credit: 20%}   # n = 4 earns 0
    ```

    **Fix.** Make the rows meet (`n >= 1 and n <= 4`), or add a row with credit
    `0%` for the values that really earn nothing, which says so explicitly.
    """
    for cind in ctx.indicators:
        an = ctx.analyzer(cind)
        for ci in cind.items:
            it = ci.item
            tiers = _rule(it, "tiers")
            if tiers is None:
                continue
            conds = [ctx.condition(cind, t.when) for t in tiers]
            if any(c is None for c in conds) or len(conds) < 2:
                continue
            live = [c for c in conds if c is not None and not c.is_empty()]
            terms = {t for c in live for t in c.terms}
            if len(terms) != 1 or any(not c.terms for c in live):
                continue
            term = next(iter(terms))
            union = _union_all(live)
            if union is None:
                continue
            covered = union.values_of(term)
            if not isinstance(covered, Ranges) or not covered.parts:
                continue
            gaps = covered.complement().intersect(_as_ranges(an.domains[term]))
            lo, hi = covered.parts[0], covered.parts[-1]
            inner = [
                g
                for g in gaps.parts
                if g.lo is not None
                and g.hi is not None
                and (lo.hi is not None and g.lo >= lo.hi)
                and (hi.lo is not None and g.hi <= hi.lo)
            ]
            if inner:
                values = an.show(term, Ranges(tuple(inner), covered.discrete))
                yield Hit(
                    (*ci.path, "tiers"),
                    _(
                        "{item}: {term} = {values} matches no tier row and earns "
                        "0, though values on both sides do"
                    ).format(item=_item_name(cind, ci), term=term, values=values),
                    _("make the rows meet, or add a row with credit 0% to say so"),
                    key=True,
                )


def _as_ranges(value: object) -> Ranges:
    assert isinstance(value, Ranges)
    return value


@rule("WL004", "band-gap", Severity.WARNING)
def _band_gap(ctx: LintContext) -> Iterator[Hit]:
    """Some counts fall in no band, so they silently earn 0.

    The counts a band item can see are those its count expression can take:
    `≥ 0`, narrowed by the fact's `min`/`max` when the count is a bare int
    fact.  Every such count should fall in one row — starting at the smallest
    possible count (usually 0) and, unless the last row is open (`max`
    omitted), up to the largest.

    **Why it matters.** A count in no row earns 0 without any row saying so:
    a band list that starts at 1 leaves 0 to chance, one that ends at `max: 4`
    makes 5 or more worth nothing.

    **Example.**

    ```yaml
    bands:
      count: campaigns
      rows:
        - {min: 1, max: 4, credit: 10%}   # 0 is in no row
        - {min: 5, credit: 20%}
    ```

    **Fix.** Add the missing rows — `{min: 0, max: 0, credit: 0%}` says "none
    earns nothing" explicitly — or leave the last row open.
    """
    for cind in ctx.indicators:
        for ci in cind.items:
            it = ci.item
            bands = _rule(it, "bands")
            if bands is None:
                continue
            domain = ctx.count_range(cind, bands.count)
            covered = Ranges.of([], True)
            for band in bands.rows:
                covered = covered.union(_band(band.min, band.max))
            gaps = domain.minus(covered)
            if not gaps.is_empty():
                yield Hit(
                    (*ci.path, "bands", "rows"),
                    _("{item}: count {values} of {count!r} falls in no band and earns 0").format(
                        item=_item_name(cind, ci), values=gaps.describe(), count=bands.count
                    ),
                    _(
                        "add rows so every possible count has one (a 0% row says "
                        "'nothing' explicitly), or leave the last row open"
                    ),
                    key=True,
                )


@rule("WL005", "band-overlap", Severity.WARNING)
def _band_overlap(ctx: LintContext) -> Iterator[Hit]:
    """Two count bands share some counts; the first row silently wins.

    **Why it matters.** Bands describe a partition of the counts ("0 → 0,
    1–4 → half, 5+ → all").  When rows overlap, the engine gives the first
    matching row, so the later row's credit is lost for the shared counts —
    usually a typo in `min` or `max`.  (A row covered entirely by earlier rows
    is reported as WL002 instead.)

    **Example.**

    ```yaml
    rows:
      - {min: 0, max: 1, credit: 0%}
      - {min: 1, max: 4, credit: 20%}   # 1 is in both rows
    ```

    **Fix.** Make each row start one above where the previous one ends.
    """
    for cind in ctx.indicators:
        for ci in cind.items:
            it = ci.item
            bands = _rule(it, "bands")
            if bands is None:
                continue
            domain = ctx.count_range(cind, bands.count)
            rows = bands.rows
            for j, later in enumerate(rows):
                mine = _band(later.min, later.max).intersect(domain)
                earlier = Ranges.of([], True)
                for b in rows[:j]:
                    earlier = earlier.union(_band(b.min, b.max))
                shared = mine.intersect(earlier)
                if shared.is_empty() or mine.minus(earlier).is_empty():
                    continue
                first = next(
                    i
                    for i, b in enumerate(rows[:j])
                    if not _band(b.min, b.max).intersect(mine).is_empty()
                )
                yield Hit(
                    (*ci.path, "bands", "rows", j),
                    _(
                        "{item}: band {band} overlaps band {band2} at count "
                        "{values}; the earlier row wins there"
                    ).format(
                        item=_item_name(cind, ci),
                        band=_band_text(later.min, later.max),
                        band2=_band_text(rows[first].min, rows[first].max),
                        values=shared.describe(),
                    ),
                    _("make each row start one above where the previous one ends"),
                )


@rule("WL006", "decreasing-credit", Severity.WARNING)
def _decreasing_credit(ctx: LintContext) -> Iterator[Hit]:
    """A higher level or a larger count earns less than a lower one.

    Levels are credits for an enum fact whose `options` are listed from the
    lowest to the highest; bands are credits for counts where more is better.
    Either way the credit should never go down as the level or count goes up.

    **Why it matters.** A department that does more would score less.  Usually
    the options are listed in the wrong order, or two credits were swapped.
    `wzeval verify` checks the same property by evaluation.

    **Example.**

    ```yaml
    facts:
      - {id: form, type: enum, options: [上级名单, 本级名单, 本级系统]}
    levels:
      fact: form
      credits: {上级名单: 6%, 本级名单: 24%, 本级系统: 18%}   # 本级系统 < 本级名单
    ```

    **Fix.** List enum options from lowest to highest and give non-decreasing
    credits.  If fewer really is better (errors found), express it as a
    per-occurrence deduction instead of bands.
    """
    for cind in ctx.indicators:
        for ci in cind.items:
            it = ci.item
            bands = _rule(it, "bands")
            levels = _rule(it, "levels")
            if levels is not None:
                fact = next((f for f in cind.indicator.facts if f.id == levels.fact), None)
                options = (fact.options or []) if fact else []
                credits = [(o, levels.credits.get(o, Fraction(0))) for o in options]
                for (lo_opt, lo_c), (hi_opt, hi_c) in pairwise(credits):
                    if hi_c < lo_c:
                        yield Hit(
                            (*ci.path, "levels", "credits", hi_opt),
                            _(
                                "{item}: level {hi_opt!r} earns {hi_c}, less than the "
                                "lower level {lo_opt!r} ({lo_c})"
                            ).format(
                                item=_item_name(cind, ci),
                                hi_opt=hi_opt,
                                hi_c=_pct(hi_c),
                                lo_opt=lo_opt,
                                lo_c=_pct(lo_c),
                            ),
                            _("options are listed lowest to highest; credits must not go down"),
                        )
            if bands is not None:
                order = sorted(enumerate(bands.rows), key=lambda p: p[1].min)
                for (_lo_j, lo_b), (j, hi_b) in pairwise(order):
                    if hi_b.credit < lo_b.credit:
                        yield Hit(
                            (*ci.path, "bands", "rows", j, "credit"),
                            _(
                                "{item}: band {band} earns {credit}, less than the lower "
                                "band {band2} ({credit2})"
                            ).format(
                                item=_item_name(cind, ci),
                                band=_band_text(hi_b.min, hi_b.max),
                                credit=_pct(hi_b.credit),
                                band2=_band_text(lo_b.min, lo_b.max),
                                credit2=_pct(lo_b.credit),
                            ),
                            _("more should never earn less; if fewer is better, use a deduction"),
                        )


def _never_earns(ctx: LintContext, cind: CompiledIndicator, ci: CompiledItem) -> str | None:
    """Why an item can never earn anything (``None`` when it can, or it is unknown)."""
    for v in ci.vetoes:
        cond = ctx.condition(cind, v.veto.when)
        if cond is not None and cond.is_universal():
            return _("its veto {veto!r} always fires").format(veto=v.veto.id)
    it = ci.item
    return it.kind.never_earns(it.rule, it.share, ctx.analysis(cind))


def _never_loses(ctx: LintContext, cind: CompiledIndicator, ci: CompiledItem) -> str | None:
    """Why an item always earns its whole share (``None`` when it can lose, or unknown)."""
    it = ci.item
    return it.kind.always_full(it.rule, it.share, ctx.analysis(cind))


def _never_counts(ctx: LintContext, cind: CompiledIndicator, d: CompiledDeduction) -> bool:
    parts = ctx.count_range(cind, d.deduction.counted).parts
    return not parts or (parts[-1].hi is not None and parts[-1].hi <= 0)


@rule("WL007", "never-earns", Severity.WARNING)
def _never_earns_check(ctx: LintContext) -> Iterator[Hit]:
    """An item (or a whole indicator) can never earn anything, whatever the findings.

    Found on the rule's own terms: a check that is never true (`false`,
    `n < 0` on a fact with `min: 0`), tiers, levels or bands whose every
    reachable row gives 0, a checklist whose entries are never true, a given
    score or passed count that is the constant 0, deductions whose smallest
    possible counts already take the whole share, or a veto that always fires
    (which zeroes the item, or the whole indicator).

    **Why it matters.** Points that no department can ever earn change every
    score in the same way and hide a mistake: a negated condition, a typo in a
    constant, a veto written the wrong way round.

    **Example.**

    ```yaml
    items:
      - {id: stats, share: 25%, check: "published_count < 0"}   # min: 0, never true
    ```

    **Fix.** Correct the condition or the credits; delete the item if the
    table really gives nothing for it (and move its share elsewhere).
    """
    for cind in ctx.indicators:
        for v in cind.vetoes:
            cond = ctx.condition(cind, v.veto.when)
            if cond is not None and cond.is_universal():
                yield Hit(
                    (*v.path, "when"),
                    _(
                        "{indicator} can never earn anything: its veto "
                        "{veto_id!r} ({when!r}) always fires"
                    ).format(indicator=_name(cind), veto_id=v.veto.id, when=v.veto.when),
                    _("a veto names the case that zeroes the indicator; check its condition"),
                )
        for ci in cind.items:
            why = _never_earns(ctx, cind, ci)
            if why:
                yield Hit(
                    ci.path,
                    _("{item} can never earn anything: {why}").format(
                        item=_item_name(cind, ci), why=why
                    ),
                    _("correct the rule, or remove the item and move its share"),
                )


@rule("WL008", "never-loses", Severity.WARNING)
def _never_loses_check(ctx: LintContext) -> Iterator[Hit]:
    """An item always earns its whole share, or a penalty can never take points.

    Found on the rule's own terms: a check that is always true (`true`,
    `n >= 0` on a fact with `min: 0`), tiers or bands whose every reachable
    row gives the whole share, levels that all give the whole share, a
    checklist whose entries are always true, a proportion whose passed and
    checked are the same expression, a given score that is the constant full
    mark, deductions whose counts are always 0 (in an item, or in a penalty
    indicator).

    **Why it matters.** Free points do not measure anything; usually the
    condition reads the wrong fact or is a placeholder (`check: "true"`) that
    was never filled in.

    **Example.**

    ```yaml
    items:
      - {id: rest, share: 50%, check: "true"}   # always earns 50%
    ```

    **Fix.** Encode what the table asks for, or delete the item and give its
    share to the items that measure something.
    """
    for cind in ctx.indicators:
        if cind.kind == "penalty":
            if cind.deductions and all(_never_counts(ctx, cind, d) for d in cind.deductions):
                yield Hit(
                    cind.path,
                    _(
                        "penalty {indicator} can never take points: none of its "
                        "deductions can ever count an occurrence"
                    ).format(indicator=_name(cind)),
                    _("give each deduction a count that reads a fact"),
                )
            continue
        for ci in cind.items:
            why = _never_loses(ctx, cind, ci)
            if why:
                yield Hit(
                    ci.path,
                    _("{item} always earns its whole share ({share}): {why}").format(
                        item=_item_name(cind, ci), share=_pct(ci.item.share), why=why
                    ),
                    _("encode what the table asks for, or move the share to items that measure it"),
                )


@rule("WL009", "veto-never-fires", Severity.WARNING)
def _veto_never_fires(ctx: LintContext) -> Iterator[Hit]:
    """A veto's condition can never be true, so it never zeroes anything.

    Judged on the facts' types and declared ranges: `false`, `n < 0` for an
    int fact with `min: 0`, `x > 3` for a decimal fact with `max: 3`,
    `ok and not ok`, an enum compared with a value that is not one of its
    options.

    **Why it matters.** A veto encodes a sentence of the table ("……该指标不得分");
    one that can never fire means that sentence is not enforced.

    **Example.**

    ```yaml
    facts:
      - {id: leaks, type: int, min: 0, ask: 泄露隐私的条数}
    vetoes:
      - {id: leak, when: "leaks < 0"}   # meant: leaks > 0
    ```

    **Fix.** Correct the comparison (usually `> 0` or `>= 1`), or the fact's
    range.
    """
    for cind, ci, v in ctx.all_vetoes:
        cond = ctx.condition(cind, v.veto.when)
        if cond is not None and cond.is_empty():
            where = _item_name(cind, ci) if ci is not None else _name(cind)
            yield Hit(
                (*v.path, "when"),
                _("{where}: veto {veto_id!r} ({when!r}) can never fire").format(
                    where=where, veto_id=v.veto.id, when=v.veto.when
                ),
                _("check the comparison against the facts' types and min/max"),
            )


@rule("WL010", "ineffective-cap", Severity.WARNING)
def _ineffective_cap(ctx: LintContext) -> Iterator[Hit]:
    """A deduction's cap never changes the result.

    Three cases:

    * the cap binds at the first occurrence (`each >= cap`): a second
      occurrence deducts nothing more, so counting is pointless;
    * the cap can never be reached: the count's largest possible value
      (a fact's `max`) times `each` stays below it;
    * a cap of 100% or more on an indicator-level deduction: the indicator
      already stops at 0 (a penalty at its weight).

    **Why it matters.** A cap encodes "扣完为止" or "最多扣 X%"; one that never
    binds, or binds at once, usually means `each` or `cap` was mistyped (5%
    written as 50%).

    **Example.**

    ```yaml
    deduct:
      - {id: ipv6, count: ipv6_notices, each: 50%, cap: 30%}   # meant each: 5%
    ```

    **Fix.** Correct `each` or `cap`; drop a cap that can never matter.
    """
    for cind in ctx.indicators:
        groups: list[tuple[tuple[CompiledDeduction, ...], bool]] = [(cind.deductions, False)]
        groups += [(ci.deductions, True) for ci in cind.items]
        for deds, in_item in groups:
            for d in deds:
                yield from _cap_hits(ctx, cind, d.deduction, d.path, in_item)


def _cap_hits(
    ctx: LintContext, cind: CompiledIndicator, ded: Deduction, path: Path_, in_item: bool
) -> Iterator[Hit]:
    cap = ded.cap
    if cap is None:
        return
    where = _("{indicator}: deduction {deduction!r}").format(
        indicator=_name(cind), deduction=ded.id
    )
    if not in_item and cap >= 1:
        yield Hit(
            (*path, "cap"),
            (
                _(
                    "{where} is capped at {cap}, which never binds: the indicator already "
                    "stops at its weight"
                )
                if cind.kind == "penalty"
                else _(
                    "{where} is capped at {cap}, which never binds: the indicator already "
                    "stops at 0"
                )
            ).format(where=where, cap=_pct(cap)),
            _("drop the cap, or correct it"),
        )
        return
    if ded.each >= cap:
        yield Hit(
            (*path, "cap"),
            _(
                "{where} deducts {each} each but is capped at {cap}: the "
                "cap binds at the first occurrence, so further "
                "occurrences change nothing"
            ).format(where=where, each=_pct(ded.each), cap=_pct(cap)),
            _("check each and cap (5% written as 50%?); a yes/no penalty is a check or a veto"),
        )
        return
    parts = ctx.count_range(cind, ded.counted).parts
    top = parts[-1].hi if parts else Fraction(0)
    if top is not None and ded.each * top < cap:
        yield Hit(
            (*path, "cap"),
            _(
                "{where} can deduct at most {top} × {each} = {value}, so "
                "its cap {cap} is never reached"
            ).format(
                where=where, top=top, each=_pct(ded.each), value=_pct(ded.each * top), cap=_pct(cap)
            ),
            _("correct each, cap or the count fact's max"),
        )


def _indicator_expressions(cind: CompiledIndicator) -> list[tuple[str, frozenset[str]]]:
    """(what, names read) for every rule expression of an indicator, derived ones excluded."""
    out: list[tuple[str, frozenset[str]]] = []
    if cind.applies is not None:
        out.append(("applies", cind.applies.names))
    for ci in cind.items:
        out.append((ci.item.id, ci.item.kind.reads(ci.item.rule, ci.exprs)))
        out.extend((ci.item.id, d.count.names) for d in ci.deductions)
        out.extend((ci.item.id, v.when.names) for v in ci.vetoes)
    out.extend(("vetoes", v.when.names) for v in cind.vetoes)
    out.extend(("deductions", d.count.names) for d in cind.deductions)
    return out


def _reads(cind: CompiledIndicator) -> set[str]:
    """Every fact or derived name some rule of the indicator reads, through derived facts."""
    derived = dict(cind.derived)
    todo = [n for _, names in _indicator_expressions(cind) for n in names]
    seen: set[str] = set()
    while todo:
        n = todo.pop()
        if n in seen:
            continue
        seen.add(n)
        if n in derived:
            todo.extend(derived[n].names)
    return seen


@rule("WL011", "unused-fact", Severity.WARNING)
def _unused_fact(ctx: LintContext) -> Iterator[Hit]:
    """A declared fact (or derived value) is read by no rule of its indicator.

    A fact counts as read when an item, veto, deduction, the `applies`
    condition or a levels item names it, directly or through derived values
    that are themselves read.

    **Why it matters.** Evaluators must record every declared fact, so an
    unused one costs work on every findings document and suggests a rule that
    was meant to read it reads something else (a typo'd or copied condition).

    **Example.**

    ```yaml
    facts:
      - {id: answered_on_time, type: bool, ask: 按时答复？}
      - {id: accurate, type: bool, ask: 答复准确？}      # no rule reads it
    items:
      - {id: reply, share: 50%, check: answered_on_time}
    ```

    **Fix.** Make the rule read it (`answered_on_time and accurate`), or delete
    the declaration.
    """
    for cind in ctx.indicators:
        read = _reads(cind)
        ind = cind.indicator
        for i, f in enumerate(ind.facts):
            if f.id not in read:
                yield Hit(
                    (*cind.path, "facts", i, "id"),
                    _("{indicator}: fact {f_id!r} ({ask}) is declared but no rule reads it").format(
                        indicator=_name(cind), f_id=f.id, ask=f.ask
                    ),
                    _("make a rule read it, or delete it (evaluators must record every fact)"),
                )
        for i, d in enumerate(ind.derived):
            if d.id not in read:
                yield Hit(
                    (*cind.path, "derived", i, "id"),
                    _(
                        "{indicator}: derived value {d_id!r} is computed but no rule reads it"
                    ).format(indicator=_name(cind), d_id=d.id),
                    _("make a rule read it, or delete it"),
                )


def _wordings(cind: CompiledIndicator) -> list[tuple[Path_, str, str, str]]:
    """(path, kind, label, source text) of every sourced rule of an indicator."""
    out: list[tuple[Path_, str, str, str]] = []

    def add(path: Path_, kind: str, ident: str, text: str | None) -> None:
        if text and text.strip():
            out.append((path, kind, ident, " ".join(text.split())))

    for ci in cind.items:
        add(ci.path, "item", ci.item.id, ci.item.source)
        for v in ci.vetoes:
            add(v.path, "veto", f"{ci.item.id}.{v.veto.id}", v.veto.source)
        for d in ci.deductions:
            add(d.path, "deduction", f"{ci.item.id}.{d.deduction.id}", d.deduction.source)
    for v in cind.vetoes:
        add(v.path, "veto", v.veto.id, v.veto.source)
    for d in cind.deductions:
        add(d.path, "deduction", d.deduction.id, d.deduction.source)
    return out


@rule("WL012", "duplicate-wording", Severity.WARNING)
def _duplicate_wording(ctx: LintContext) -> Iterator[Hit]:
    """Two rules of one indicator quote the same sentence, or a drifted copy of it.

    Within one indicator:

    * two *items* whose `source` is identical or nearly so (difflib ratio above
      0.9): each item encodes its own numbered sub-item of 评分细则, so this is
      the mark of a copied item whose wording (and often rule) was not adapted;
    * two rules of any kind (items, vetoes, deductions) whose sources are the
      same words with different punctuation or spacing: a quote that drifted
      from the seed, so one of them no longer says exactly what it encodes.

    Not reported: vetoes or deductions that quote one sentence exactly — one
    sentence often lists several conditions ("栏目更新不及时……突击发布、弄虚作假
    情况的……不得分"), each its own veto — nor parallel sentences that differ in
    what they name ("每被省政府办公厅通报……5%" / "每被市政府办通报……5%").  Not
    compared across indicators either: the 2023 table legitimately repeats
    whole sub-items ("栏目内容与栏目名称一致，不存在关联性不高的信息噪音") in many
    indicators, with the same rule.

    **Why it matters.** The `source` is what a department reads when it contests
    a score; two items claiming one sentence leave another sentence unencoded.

    **Example.**

    ```yaml
    items:
      - {id: search, share: 50%, check: search, source: "1.提供站内搜索，50%；"}
      - {id: sort,   share: 50%, check: sort,   source: "1.提供站内搜索，50%；"}   # copied
    ```

    **Fix.** Quote the sentence each rule encodes, exactly as the seed has it.
    """
    for cind in ctx.indicators:
        texts = _wordings(cind)
        for j, (path, kind, ident, text) in enumerate(texts):
            for _path0, kind0, ident0, text0 in texts[:j]:
                how = _duplicate(kind, text, kind0, text0)
                if how is None:
                    continue
                yield Hit(
                    (*path, "source"),
                    _("{indicator}: {kind} {ident!r} quotes {value}").format(
                        indicator=_name(cind),
                        kind=kind,
                        ident=ident,
                        value=how.format(other=f"{kind0} {ident0!r}"),
                    ),
                    _("each item encodes its own sub-item; quote its own sentence")
                    if kind == kind0 == "item"
                    else _("if both quote one sentence, copy it exactly as the seed has it"),
                )
                break


_PUNCTUATION = frozenset("，。；：、,.;:!?！？（）()“”\"'‘’「」《》〔〕[]- \t\n")


def _duplicate(kind: str, text: str, kind0: str, text0: str) -> str | None:
    """How two source texts of one indicator duplicate each other, as a phrase with ``{other}``
    for the other rule (``None``: they don't)."""
    both_items = kind == kind0 == "item"
    if text == text0:
        return _("the same source as {other}") if both_items else None
    bare = "".join(c for c in text if c not in _PUNCTUATION)
    bare0 = "".join(c for c in text0 if c not in _PUNCTUATION)
    if bare == bare0:
        return _("the same words as {other}, with different punctuation")
    if both_items:
        ratio = difflib.SequenceMatcher(None, text0, text, autojunk=False).ratio()
        if ratio > NEAR_DUPLICATE_RATIO:
            return _("nearly the same source as {other} ({ratio} alike)").replace(
                "{ratio}", f"{ratio:.0%}"
            )
    return None


@rule("WL013", "missing-source", Severity.INFO)
def _missing_source(ctx: LintContext) -> Iterator[Hit]:
    """An item, veto or deduction does not say which sentence of the table it encodes.

    **Why it matters.** Every rule keeps its source (design: "Every rule keeps
    its source"): that is what lets a department contest a score and an author
    check the rule against next year's table.

    **Example.**

    ```yaml
    - {id: sitemap, share: 50%, check: has_sitemap}   # no source
    ```

    **Fix.** Add `source:` with the seed's wording, unchanged.
    """
    for cind in ctx.indicators:
        for ci in cind.items:
            if not ci.item.source:
                yield Hit(
                    ci.path,
                    _("{item} has no source").format(item=_item_name(cind, ci)),
                    _("add source:"),
                )
            for v in ci.vetoes:
                if not v.veto.source:
                    yield Hit(
                        v.path,
                        _("{item}: veto {veto_id!r} has no source").format(
                            item=_item_name(cind, ci), veto_id=v.veto.id
                        ),
                        _("add source:"),
                    )
            for d in ci.deductions:
                if not d.deduction.source and not ci.item.source:
                    yield Hit(
                        d.path,
                        _("{item}: deduction {deduction_id!r} has no source").format(
                            item=_item_name(cind, ci), deduction_id=d.deduction.id
                        ),
                        _("add source:"),
                    )
        for v in cind.vetoes:
            if not v.veto.source:
                yield Hit(
                    v.path,
                    _("{indicator}: veto {veto_id!r} has no source").format(
                        indicator=_name(cind), veto_id=v.veto.id
                    ),
                    _("add source:"),
                )
        for d in cind.deductions:
            if not d.deduction.source:
                yield Hit(
                    d.path,
                    _("{indicator}: deduction {deduction_id!r} has no source").format(
                        indicator=_name(cind), deduction_id=d.deduction.id
                    ),
                    _("add source:"),
                )


# --------------------------------------------------------------------------- running


def lint(rulebook: Rulebook, *, config: LintConfig | None = None) -> list[Issue]:
    """Run every enabled check over a valid rulebook; issues carry document paths.

    The rulebook is compiled first if it was built in memory (an invalid one
    raises :class:`~wzeval.errors.ValidationFailed`).  Issues come in code
    order, then document order; place them with :func:`lint_file` or
    :meth:`wzeval.loader.Document.position`.
    """
    cfg = config or LintConfig()
    ctx = LintContext(rulebook, compiled(rulebook))
    issues: list[Issue] = []
    for code, r in RULES.items():
        if not cfg.enabled(code):
            continue
        severity = cfg.severity_of(code)
        for hit in r.check(ctx):
            issues.append(
                Issue(
                    code,
                    hit.message,
                    path=hit.path,
                    severity=severity,
                    hint=hit.hint,
                    extra={"rule": r.name, "key": "1"} if hit.key else {"rule": r.name},
                )
            )
    return issues


def lint_file(path: str | Path, *, config: LintConfig | None = None) -> list[Issue]:
    """Load a rulebook file and lint it; every issue placed at ``file:line:col``.

    A rulebook that does not load or does not pass the validator yields the
    validator's issues (``WZ…``, errors) instead: lint only judges rulebooks
    that can be scored.  Issues are sorted by position.
    """
    doc = resolve_extends(load_document(path))  # positions point into the file of each value
    rb, issues = rulebook_from_document(doc)
    if rb is None:
        return issues
    placed = [i for i in issues if i.severity is not Severity.ERROR]
    for issue in lint(rb, config=config):
        placed.append(issue.at(doc.position(issue.path, key=issue.extra.get("key") == "1")))
    return sorted(placed, key=_order)


def _order(issue: Issue) -> tuple[str, int, int, str]:
    pos = issue.position
    return (pos.file, pos.line, pos.col, issue.code) if pos else ("", 0, 0, issue.code)


# --------------------------------------------------------------------------- output


def format_text(issues: Sequence[Issue]) -> str:
    """One line per issue (``file:line:col: warning WL001 … (hint: …)``) and a summary."""
    lines = [i.format() for i in issues]
    counts = {s: sum(1 for i in issues if i.severity is s) for s in Severity}
    words = {
        Severity.ERROR: lambda n: ngettext("{n} error", "{n} errors", n),
        Severity.WARNING: lambda n: ngettext("{n} warning", "{n} warnings", n),
        Severity.INFO: lambda n: ngettext("{n} info", "{n} infos", n),
    }
    summary = _(", ").join(words[s](n).format(n=n) for s, n in counts.items() if n)
    lines.append(_("found {summary}").format(summary=summary) if summary else _("no issues"))
    return "\n".join(lines) + "\n"


def format_json(issues: Sequence[Issue]) -> str:
    """A JSON array of issues (the shape of :meth:`Issue.to_dict`, plus the rule name)."""
    out = []
    for i in issues:
        d = i.to_dict()
        d["rule"] = i.extra.get("rule") or (RULES[i.code].name if i.code in RULES else None)
        out.append(d)
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"


def format_github(issues: Sequence[Issue]) -> str:
    """GitHub Actions workflow commands (:func:`wzeval.issues.github_annotation`), each
    titled with the code and the lint rule's name: ``title=WL001 unreachable-rule``."""
    from wzeval.issues import github_annotation

    lines = []
    for i in issues:
        name = i.extra.get("rule") or (RULES[i.code].name if i.code in RULES else "")
        lines.append(github_annotation(i, title=f"{i.code} {name}".strip()))
    return "\n".join(lines) + ("\n" if lines else "")


_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def to_sarif(
    issues: Sequence[Issue],
    rules: Mapping[str, LintRule] | None = None,
    *,
    base: str | Path | None = None,
) -> dict[str, Any]:
    """A SARIF 2.1.0 log of the issues, with each lint code described in
    ``tool.driver.rules`` (name, short description, help text).

    Validator codes (``WZ…``) that appear among the issues get a minimal rule
    entry too, so every result has a ``ruleIndex``.  File paths are made
    relative to ``base`` (default: the current directory) where possible.
    """
    from wzeval._version import __version__

    registry = dict(rules if rules is not None else RULES)
    codes = list(registry)
    for i in issues:
        if i.code not in registry and i.code not in codes:
            codes.append(i.code)
    driver_rules: list[dict[str, Any]] = []
    for code in codes:
        r = registry.get(code)
        if r is None:
            driver_rules.append(
                {
                    "id": code,
                    "shortDescription": {"text": f"wzeval validator check {code}"},
                    "defaultConfiguration": {"level": "error"},
                }
            )
            continue
        driver_rules.append(
            {
                "id": r.code,
                "name": _pascal(r.name),
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.summary},
                "help": {"text": r.help, "markdown": r.help},
                "defaultConfiguration": {"level": _SARIF_LEVEL[r.severity]},
                "properties": {"tags": ["wzeval", "rulebook"]},
            }
        )
    index = {code: n for n, code in enumerate(codes)}
    root = Path(base) if base is not None else Path.cwd()
    results: list[dict[str, Any]] = []
    for i in issues:
        result: dict[str, Any] = {
            "ruleId": i.code,
            "ruleIndex": index[i.code],
            "level": _SARIF_LEVEL[i.severity],
            "message": {
                "text": i.message + (_(" (hint: {hint})").format(hint=i.hint) if i.hint else "")
            },
        }
        pos = i.position
        if pos is not None:
            physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(pos.file, root)}}
            if pos.line > 0:
                physical["region"] = {"startLine": pos.line, "startColumn": max(pos.col, 1)}
            result["locations"] = [
                {
                    "physicalLocation": physical,
                    "logicalLocations": [{"fullyQualifiedName": _jsonpath(i.path)}],
                }
            ]
        elif i.path:
            result["locations"] = [
                {"logicalLocations": [{"fullyQualifiedName": _jsonpath(i.path)}]}
            ]
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "wzeval-lint",
                        "version": __version__,
                        "rules": driver_rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def _pascal(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("-"))


def _jsonpath(path: Sequence[PathPart]) -> str:
    from wzeval.issues import format_path

    return format_path(path)


def _uri(file: str, root: Path) -> str:
    p = Path(file)
    try:
        return p.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return p.as_posix()


# --------------------------------------------------------------------------- reference docs


def lint_reference_markdown() -> str:
    """The lint codes reference (``docs/lint-codes.md``), generated from the registry."""
    lines = [
        "# wzeval lint codes",
        "",
        "<!-- generated from the registry in src/wzeval/lint.py by",
        "     `python tools/gendocs.py`; do not edit -->",
        "",
        "`wzeval lint` judges rulebooks that pass the validator (codes `WZ…`) and",
        "reports what a reviewer would ask about.  Configure it in `pyproject.toml`:",
        "",
        "```toml",
        "[tool.wzeval.lint]",
        'disable = ["WL013"]                # codes or names',
        'severity = { WL001 = "info" }      # error | warning | info',
        "```",
        "",
        "| code | name | default severity | finds |",
        "|---|---|---|---|",
    ]
    for r in RULES.values():
        lines.append(
            f"| [{r.code}](#{r.code.lower()}) | `{r.name}` | {r.severity.value} | {r.summary} |"
        )
    for r in RULES.values():
        lines += ["", f"## {r.code}", "", f"**{r.name}** · default severity: {r.severity.value}"]
        lines += ["", r.summary]
        if r.help:
            lines += ["", r.help]
    return "\n".join(lines) + "\n"
