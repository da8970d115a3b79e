"""Checks of the table as encoded: weights (WL001) and rows (WL002–WL006).

The row checks read no rule kind's rows: each kind finds its own
(:meth:`wzeval.kinds.RuleKind.lint_rows`), and these checks give the codes their
documentation, default severity and configuration, so a new kind that has rows
reports under the same codes.
"""

from __future__ import annotations

from collections.abc import Iterator

from wzeval.analysis._lint._context import LintContext, indicator_name
from wzeval.analysis._lint._registry import Hit, rule
from wzeval.core._i18n import _
from wzeval.core._issues import Severity


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
                weight=ind.weight, indicator=indicator_name(cind), source=ind.weight_source
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
    yield from ctx.row_hits("WL002")


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
    yield from ctx.row_hits("WL003")


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
    yield from ctx.row_hits("WL004")


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
    yield from ctx.row_hits("WL005")


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
    yield from ctx.row_hits("WL006")
