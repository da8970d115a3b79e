"""Checks of what rules can give: never earns (WL007), never loses (WL008), vetoes that
never fire (WL009), caps that never bind (WL010)."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

from wzeval.analysis._lint._context import LintContext, indicator_name, item_name
from wzeval.analysis._lint._registry import Hit, Path_, rule
from wzeval.checking._checks import CompiledDeduction, CompiledIndicator, CompiledItem
from wzeval.core._i18n import _
from wzeval.core._issues import Severity
from wzeval.model._models import Deduction, format_amount


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
                    ).format(indicator=indicator_name(cind), veto_id=v.veto.id, when=v.veto.when),
                    _("a veto names the case that zeroes the indicator; check its condition"),
                )
        for ci in cind.items:
            why = _never_earns(ctx, cind, ci)
            if why:
                yield Hit(
                    ci.path,
                    _("{item} can never earn anything: {why}").format(
                        item=item_name(cind, ci), why=why
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
                    ).format(indicator=indicator_name(cind)),
                    _("give each deduction a count that reads a fact"),
                )
            continue
        for ci in cind.items:
            why = _never_loses(ctx, cind, ci)
            if why:
                yield Hit(
                    ci.path,
                    _("{item} always earns its whole share ({share}): {why}").format(
                        item=item_name(cind, ci), share=format_amount(ci.item.share), why=why
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
            where = item_name(cind, ci) if ci is not None else indicator_name(cind)
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
        indicator=indicator_name(cind), deduction=ded.id
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
            ).format(where=where, cap=format_amount(cap)),
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
            ).format(where=where, each=format_amount(ded.each), cap=format_amount(cap)),
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
                where=where,
                top=top,
                each=format_amount(ded.each),
                value=format_amount(ded.each * top),
                cap=format_amount(cap),
            ),
            _("correct each, cap or the count fact's max"),
        )
