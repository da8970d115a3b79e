"""Checks of what a rulebook declares and quotes: facts nothing reads (WL011), rules
quoting one sentence twice (WL012), rules that quote nothing (WL013)."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from wzeval.analysis._lint._context import LintContext, indicator_name, item_name
from wzeval.analysis._lint._registry import Hit, Path_, rule
from wzeval.checking._checks import CompiledIndicator
from wzeval.core._i18n import N_, _
from wzeval.core._issues import Severity

#: ``difflib`` ratio above which two different texts count as near-duplicates.
NEAR_DUPLICATE_RATIO = 0.9


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
                        indicator=indicator_name(cind), f_id=f.id, ask=f.ask
                    ),
                    _("make a rule read it, or delete it (evaluators must record every fact)"),
                )
        for i, d in enumerate(ind.derived):
            if d.id not in read:
                yield Hit(
                    (*cind.path, "derived", i, "id"),
                    _(
                        "{indicator}: derived value {d_id!r} is computed but no rule reads it"
                    ).format(indicator=indicator_name(cind), d_id=d.id),
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
                        indicator=indicator_name(cind),
                        kind=_(_RULE_WORDS[kind]),
                        ident=ident,
                        value=how.format(other=f"{_(_RULE_WORDS[kind0])} {ident0!r}"),
                    ),
                    _("each item encodes its own sub-item; quote its own sentence")
                    if kind == kind0 == "item"
                    else _("if both quote one sentence, copy it exactly as the seed has it"),
                )
                break


_PUNCTUATION = frozenset("，。；：、,.;:!?！？（）()“”\"'‘’「」《》〔〕[]- \t\n")


#: The kinds of sourced rule :func:`_wordings` names, as messages say them.
_RULE_WORDS = {"item": N_("item"), "veto": N_("veto"), "deduction": N_("deduction")}


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
                    _("{item} has no source").format(item=item_name(cind, ci)),
                    _("add source:"),
                )
            for v in ci.vetoes:
                if not v.veto.source:
                    yield Hit(
                        v.path,
                        _("{item}: veto {veto_id!r} has no source").format(
                            item=item_name(cind, ci), veto_id=v.veto.id
                        ),
                        _("add source:"),
                    )
            for d in ci.deductions:
                if not d.deduction.source and not ci.item.source:
                    yield Hit(
                        d.path,
                        _("{item}: deduction {deduction_id!r} has no source").format(
                            item=item_name(cind, ci), deduction_id=d.deduction.id
                        ),
                        _("add source:"),
                    )
        for v in cind.vetoes:
            if not v.veto.source:
                yield Hit(
                    v.path,
                    _("{indicator}: veto {veto_id!r} has no source").format(
                        indicator=indicator_name(cind), veto_id=v.veto.id
                    ),
                    _("add source:"),
                )
        for d in cind.deductions:
            if not d.deduction.source:
                yield Hit(
                    d.path,
                    _("{indicator}: deduction {deduction_id!r} has no source").format(
                        indicator=indicator_name(cind), deduction_id=d.deduction.id
                    ),
                    _("add source:"),
                )
