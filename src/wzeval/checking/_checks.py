"""Whole-rulebook checks and compilation.

A rulebook is checked whole before anything is scored, and every problem is
reported at once: ids unique, weights of children adding up to their parent,
item shares adding up to 100%, credits within shares, references resolving,
and every expression parsed once, whitelisted, and typed against the names it
may read.  What passes is a :class:`CompiledRulebook`: the models plus their
compiled expressions (:mod:`wzeval.checking._compiled`, whose names this module re-exports),
ready for :func:`wzeval.scoring._engine.evaluate`.

Checks only say *what* is wrong and *where in the document* (a path); the
caller maps paths to ``file:line:col`` (see :meth:`wzeval.reading._yamlcore.Document.position`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType

from wzeval.checking._compiled import (
    CALENDAR_FUNCTIONS,
    CALENDAR_RE,
    KIND_OF,
    RESERVED_NAMES,
    CompiledDeduction,
    CompiledIndicator,
    CompiledItem,
    CompiledPending,
    CompiledRulebook,
    CompiledVeto,
    DocPath,
    fact_type,
)
from wzeval.checking._overall import compile_overall
from wzeval.core._codes import WZ202, WZ203, WZ204, WZ205, WZ206, WZ208, WZ209, WZ210
from wzeval.core._errors import ExpressionError
from wzeval.core._i18n import _
from wzeval.core._issues import Issue, did_you_mean
from wzeval.expressions import CompiledExpression, Kind, TypeInfo, compile_expression
from wzeval.model._models import (
    Deduction,
    Indicator,
    Item,
    Rulebook,
    Veto,
    format_amount,
)

__all__ = [
    "CALENDAR_FUNCTIONS",
    "RESERVED_NAMES",
    "CompiledDeduction",
    "CompiledIndicator",
    "CompiledItem",
    "CompiledPending",
    "CompiledRulebook",
    "CompiledVeto",
    "check_rulebook",
    "fact_type",
]

# --------------------------------------------------------------------------- the checker


class _Checker:
    def __init__(self, rb: Rulebook) -> None:
        self.rb = rb
        self.issues: list[Issue] = []
        self.shared: dict[str, tuple[str, TypeInfo]] = {}

    def issue(self, code: str, message: str, path: DocPath, hint: str | None = None) -> None:
        self.issues.append(Issue(code, message, path=path, hint=hint))

    def unique(self, ids: Iterable[tuple[str, DocPath]], what: str) -> None:
        seen: dict[str, DocPath] = {}
        for ident, path in ids:
            if ident in seen:
                self.issue(
                    WZ202,
                    _("duplicate {what} id {ident!r}").format(what=what, ident=ident),
                    path,
                    hint=_("ids must be unique; the first is at {seen}").format(
                        seen=_fmt(seen[ident])
                    ),
                )
            else:
                seen[ident] = path

    def compile(
        self,
        source: str,
        names: dict[str, TypeInfo],
        path: DocPath,
        expect: Kind | str | None,
    ) -> CompiledExpression | None:
        try:
            return compile_expression(source, names, expect=expect)  # type: ignore[arg-type]
        except ExpressionError as exc:
            col = exc.offset
            extra = {"offset": str(col)}  # 0 too: the first character, past any quote
            self.issues.append(Issue(exc.code, exc.message, path=path, hint=exc.hint, extra=extra))
            return None

    # ------------------------------------------------------------------ top level

    def run(self) -> CompiledRulebook | None:
        """The whole rulebook checked and compiled; ``None`` when it has an error."""
        rb = self.rb
        self.check_departments()
        self.unique(
            ((c.id, ("catalogs", i, "id")) for i, c in enumerate(rb.catalogs)), _("catalog")
        )
        self.unique(
            ((c.id, ("categories", i, "id")) for i, c in enumerate(rb.categories)), _("category")
        )
        self.unique(
            (
                (ind.id, ("categories", ci, "indicators", ii, "id"))
                for ci, c in enumerate(rb.categories)
                for ii, ind in enumerate(c.indicators)
            ),
            _("indicator"),
        )
        catalogs_of = self.catalogs_of()
        self.check_weights()
        self.shared = self.shared_facts()
        compiled = self.indicators()
        overall = compile_overall(rb, self.compile, self.issue)
        if any(i.severity == "error" for i in self.issues):
            return None
        departments: dict[str, str] = {}
        for d in rb.departments:
            for n in (d.id, d.name, *d.aliases):
                departments[n] = d.name
        return CompiledRulebook(
            rulebook=rb,
            indicators=tuple(compiled),
            by_id={c.indicator.id: c for c in compiled},
            departments=departments,
            department_ids={d.name: d.id for d in rb.departments},
            catalogs_of={k: tuple(v) for k, v in catalogs_of.items()},
            overall=overall,
        )

    def check_departments(self) -> None:
        """Department ids unique, and no name or alias given to two departments."""
        rb = self.rb
        self.unique(
            ((d.id, ("departments", i, "id")) for i, d in enumerate(rb.departments)),
            _("department"),
        )
        names: dict[str, DocPath] = {}
        for i, d in enumerate(rb.departments):
            for j, n in enumerate([d.name, *d.aliases]):
                p: DocPath = (
                    ("departments", i, "name") if j == 0 else ("departments", i, "aliases", j - 1)
                )
                if n in names:
                    self.issue(WZ202, _("department name {n!r} is used twice").format(n=n), p)
                names[n] = p

    def catalogs_of(self) -> dict[str, list[str]]:
        """Each department's catalogs, in rulebook order; unknown indicators and
        departments, and a department listed twice in one catalog, are reported."""
        rb = self.rb
        dept_ids = {d.id for d in rb.departments}
        ind_ids = {ind.id for ind in rb.indicators}
        catalogs_of: dict[str, list[str]] = {d.id: [] for d in rb.departments}
        for i, cat_ in enumerate(rb.catalogs):
            if cat_.indicator is not None and cat_.indicator not in ind_ids:
                self.issue(
                    WZ206,
                    _("catalog {cat_id!r} names unknown indicator {indicator!r}").format(
                        cat_id=cat_.id, indicator=cat_.indicator
                    ),
                    ("catalogs", i, "indicator"),
                    hint=did_you_mean(cat_.indicator, ind_ids),
                )
            seen: set[str] = set()
            for j, entry in enumerate(cat_.entries):
                p = ("catalogs", i, "entries", j, "department")
                if entry.department not in dept_ids:
                    self.issue(
                        WZ206,
                        _("catalog {cat_id!r} names unknown department {department!r}").format(
                            cat_id=cat_.id, department=entry.department
                        ),
                        p,
                        hint=did_you_mean(entry.department, dept_ids)
                        or _("declare it under departments:"),
                    )
                    continue
                if entry.department in seen:
                    self.issue(
                        WZ202,
                        _("department {department!r} listed twice").format(
                            department=entry.department
                        ),
                        p,
                    )
                seen.add(entry.department)
                catalogs_of[entry.department].append(cat_.id)
        return catalogs_of

    def indicators(self) -> list[CompiledIndicator]:
        """Every indicator compiled, category by category; unknown groups and catalogs
        are reported."""
        rb = self.rb
        compiled: list[CompiledIndicator] = []
        catalog_ids = {c.id for c in rb.catalogs}
        for ci, cat in enumerate(rb.categories):
            group_ids = {g.id for g in cat.groups}
            self.unique(
                ((g.id, ("categories", ci, "groups", gi, "id")) for gi, g in enumerate(cat.groups)),
                _("group"),
            )
            for ii, ind in enumerate(cat.indicators):
                path: DocPath = ("categories", ci, "indicators", ii)
                if ind.group is not None and ind.group not in group_ids:
                    self.issue(
                        WZ206,
                        _("indicator {ind_id!r} names unknown group {group!r}").format(
                            ind_id=ind.id, group=ind.group
                        ),
                        (*path, "group"),
                        hint=did_you_mean(ind.group, group_ids)
                        or _("declare it under the groups of category {cat_id!r}").format(
                            cat_id=cat.id
                        ),
                    )
                if ind.catalog is not None and ind.catalog not in catalog_ids:
                    self.issue(
                        WZ206,
                        _("indicator {ind_id!r} names unknown catalog {catalog!r}").format(
                            ind_id=ind.id, catalog=ind.catalog
                        ),
                        (*path, "catalog"),
                        hint=did_you_mean(ind.catalog, catalog_ids),
                    )
                group_name = next((g.name for g in cat.groups if g.id == ind.group), None)
                ci_ = self.indicator(ind, cat.kind, cat.id, cat.name, group_name, path)
                if ci_ is not None:
                    compiled.append(ci_)
        return compiled

    def shared_facts(self) -> dict[str, tuple[str, TypeInfo]]:
        """The rulebook's shared facts, name → (the indicator recording it, its type); a
        name shared twice, or shared by one indicator and local to another, is WZ202."""
        out: dict[str, tuple[str, TypeInfo]] = {}
        local: dict[str, str] = {}
        for ci, cat in enumerate(self.rb.categories):
            for ii, ind in enumerate(cat.indicators):
                for fi, f in enumerate(ind.facts):
                    path: DocPath = ("categories", ci, "indicators", ii, "facts", fi, "id")
                    if not f.shared:
                        local.setdefault(f.id, ind.id)
                        continue
                    if f.id in out:
                        self.issue(
                            WZ202,
                            _("fact {f_id!r} is shared by {out!r} and {ind_id!r}").format(
                                f_id=f.id, out=out[f.id][0], ind_id=ind.id
                            ),
                            path,
                            hint=_("a shared fact is recorded once: keep it in one indicator"),
                        )
                    out[f.id] = (ind.id, fact_type(f))
        for ci, cat in enumerate(self.rb.categories):
            for ii, ind in enumerate(cat.indicators):
                for fi, f in enumerate(ind.facts):
                    owner = out.get(f.id)
                    if not f.shared and owner is not None and owner[0] != ind.id:
                        self.issue(
                            WZ202,
                            _(
                                "fact {f_id!r} of {ind_id!r} has the name of a fact shared "
                                "by {owner!r}"
                            ).format(f_id=f.id, ind_id=ind.id, owner=owner[0]),
                            ("categories", ci, "indicators", ii, "facts", fi, "id"),
                            hint=_("rename one: every expression may read the shared one"),
                        )
        return out

    def check_weights(self) -> None:
        totals: Counter[str] = Counter()
        for ci, cat in enumerate(self.rb.categories):
            path: DocPath = ("categories", ci, "weight")
            s = sum((ind.weight for ind in cat.indicators), Decimal(0))
            if s != cat.weight:
                self.issue(
                    WZ203,
                    _("indicator weights of {cat_name} add up to {s}, not {weight}").format(
                        cat_name=cat.name, s=s, weight=cat.weight
                    ),
                    path,
                    hint=_("a category's weight is the sum of its indicators' weights"),
                )
            if cat.kind == "veto":
                bad = [ind.id for ind in cat.indicators if ind.weight != 0]
                if cat.weight != 0 or bad:
                    self.issue(
                        WZ210,
                        _(
                            "the veto (单项否决) category {cat_id!r} and its indicators weigh 0"
                        ).format(cat_id=cat.id)
                        + (_(" ({bad} do not)").format(bad=", ".join(bad)) if bad else ""),
                        path,
                        hint=_("a veto gives no points: write weight: 0"),
                    )
                continue
            for ii, ind in enumerate(cat.indicators):
                wp: DocPath = ("categories", ci, "indicators", ii, "weight")
                if cat.kind == "penalty" and ind.weight >= 0:
                    self.issue(
                        WZ209,
                        _("penalty indicator {ind_id!r} needs a negative weight").format(
                            ind_id=ind.id
                        ),
                        wp,
                        hint=_("write e.g. weight: -4"),
                    )
                if cat.kind != "penalty" and ind.weight <= 0:
                    self.issue(
                        WZ209,
                        _("indicator {ind_id!r} needs a positive weight").format(ind_id=ind.id),
                        wp,
                        hint=_("only penalty categories have negative weights"),
                    )
            totals[cat.kind] += int(cat.weight * 1000)
        if self.rb.parts:
            self.check_parts()
        elif totals["base"] != 100 * 1000:
            self.issue(
                WZ203,
                _("base categories add up to {value}, not 100").format(
                    value=Decimal(totals["base"]) / 1000
                ),
                ("categories",),
                hint=_("the base score is out of 100; bonus and penalty categories sit outside it"),
            )

    def check_parts(self) -> None:
        """With parts: every base category names a part, each part's base categories add
        up to 100, and the parts' weights to 100%."""
        rb = self.rb
        self.unique(((p.id, ("parts", i, "id")) for i, p in enumerate(rb.parts)), _("part"))
        ids = {p.id for p in rb.parts}
        sums: Counter[str] = Counter()
        for ci, cat in enumerate(rb.categories):
            path: DocPath = ("categories", ci)
            if cat.part is None:
                if cat.kind == "base":
                    self.issue(
                        WZ206,
                        _("base category {cat_id!r} names no part").format(cat_id=cat.id),
                        (*path, "id"),
                        hint=_("write part: one of {ids}").format(ids=", ".join(sorted(ids))),
                    )
                continue
            if cat.part not in ids:
                self.issue(
                    WZ206,
                    _("category {cat_id!r} names unknown part {part!r}").format(
                        cat_id=cat.id, part=cat.part
                    ),
                    (*path, "part"),
                    hint=did_you_mean(cat.part, ids) or _("declare it under parts:"),
                )
            elif cat.kind in ("bonus", "penalty"):
                self.issue(
                    WZ206,
                    _("{kind} category {cat_id!r} cannot belong to a part").format(
                        kind=cat.kind, cat_id=cat.id
                    ),
                    (*path, "part"),
                    hint=_("bonus and penalty categories add to the combined score; remove part:"),
                )
            elif cat.kind == "base":
                sums[cat.part] += int(cat.weight * 1000)
        for i, part in enumerate(rb.parts):
            if sums[part.id] != 100 * 1000:
                self.issue(
                    WZ203,
                    _("base categories of part {part_id!r} add up to {value}, not 100").format(
                        part_id=part.id, value=Decimal(sums[part.id]) / 1000
                    ),
                    ("parts", i),
                    hint=_("each part is scored out of 100 before the parts are combined"),
                )
        total = sum((p.weight for p in rb.parts), Fraction(0))
        if total != 1:
            self.issue(
                WZ203,
                _("the parts' weights add up to {total}, not 100%").format(
                    total=format_amount(total)
                ),
                ("parts",),
                hint=_("the base combines the parts by their weights, e.g. 70% and 30%"),
            )

    # ------------------------------------------------------------------ one indicator

    def indicator(
        self,
        ind: Indicator,
        kind: str,
        cat_id: str,
        cat_name: str,
        group: str | None,
        path: DocPath,
    ) -> CompiledIndicator | None:
        """One indicator checked and compiled; ``None`` when it has an error."""
        before = len(self.issues)
        names, fact_types, shared = self.indicator_names(ind, path)
        derived: list[tuple[str, CompiledExpression]] = []
        for i, d in enumerate(ind.derived):
            kind_ = KIND_OF[d.type]
            expect: Kind | str = "number" if d.type == "decimal" else kind_
            c = self.compile(d.expr, names, (*path, "derived", i, "expr"), expect)
            names[d.id] = TypeInfo(kind_)
            if c is not None:
                derived.append((d.id, c))
        applies = None
        if ind.applies is not None:
            applies = self.compile(ind.applies, names, (*path, "applies"), Kind.BOOL)
        self.unique(
            ((it.id, (*path, "items", i, "id")) for i, it in enumerate(ind.items)),
            _("item (in {ind_id})").format(ind_id=ind.id),
        )
        self.shape(ind, kind, path)
        items: list[CompiledItem] = []
        if kind not in ("penalty", "veto"):
            for i, it in enumerate(ind.items):
                ci = self.item(it, names, fact_types, ind, (*path, "items", i))
                if ci is not None:
                    items.append(ci)
        pending = self.pending(ind, names, path)
        vetoes = self.vetoes(
            ind.vetoes, names, (*path, "vetoes"), _("veto (in {ind_id})").format(ind_id=ind.id)
        )
        deductions = self.deductions(
            ind.deductions,
            names,
            (*path, "deductions"),
            _("deduction (in {ind_id})").format(ind_id=ind.id),
            cap_limit=None,
        )
        if len(self.issues) > before and any(i.severity == "error" for i in self.issues[before:]):
            return None
        # Every expression of the indicator, so a working-day call in a veto or a
        # deduction marks the dates it reads as well as one in a derived fact or item.
        all_exprs = [c for _name, c in derived] + ([applies] if applies else [])
        for it_ in items:
            all_exprs.extend(it_.exprs.values())
            all_exprs.extend(v.when for v in it_.vetoes)
            all_exprs.extend(d.count for d in it_.deductions)
        all_exprs.extend(v.when for v in vetoes)
        all_exprs.extend(d.count for d in deductions)
        all_exprs.extend(e for cp in pending for e in (cp.when, cp.assessable_from))
        calendar_facts = {
            n for e in all_exprs if CALENDAR_RE.search(e.source) for n in e.names if n in fact_types
        }
        return CompiledIndicator(
            indicator=ind,
            kind=kind,
            category_id=cat_id,
            category=cat_name,
            group=group,
            path=path,
            fact_types=fact_types,
            derived=tuple(derived),
            applies=applies,
            items=tuple(items),
            vetoes=tuple(vetoes),
            deductions=tuple(deductions),
            calendar_facts=frozenset(calendar_facts),
            pending=tuple(pending),
            shared=shared,
        )

    def indicator_names(
        self, ind: Indicator, path: DocPath
    ) -> tuple[dict[str, TypeInfo], dict[str, TypeInfo], dict[str, str]]:
        """What an indicator's expressions may read before its derived facts: the
        reserved names, the facts others share (with their owners) and its own facts."""
        local_ids = [(f.id, (*path, "facts", i, "id")) for i, f in enumerate(ind.facts)]
        local_ids += [(d.id, (*path, "derived", i, "id")) for i, d in enumerate(ind.derived)]
        self.unique(local_ids, _("fact (in {ind_id})").format(ind_id=ind.id))
        for ident, p in local_ids:
            if ident in RESERVED_NAMES:
                self.issue(
                    WZ202,
                    _("fact id {ident!r} is reserved").format(ident=ident),
                    p,
                    hint=_("rename it; {reserved_names} are always available").format(
                        reserved_names=", ".join(RESERVED_NAMES)
                    ),
                )
        names: dict[str, TypeInfo] = dict(RESERVED_NAMES)
        shared = {n: owner for n, (owner, _info) in self.shared.items() if owner != ind.id}
        names.update({n: self.shared[n][1] for n in shared})
        fact_types: dict[str, TypeInfo] = {}
        for f in ind.facts:
            names[f.id] = fact_types[f.id] = fact_type(f)
            if f.min is not None and f.max is not None and f.min > f.max:
                self.issue(
                    WZ208,
                    _("fact {f_id!r} has min > max").format(f_id=f.id),
                    (*path, "facts", ind.facts.index(f), "min"),
                )
        return names, fact_types, shared

    def shape(self, ind: Indicator, kind: str, path: DocPath) -> None:
        """What an indicator of this category kind must hold: a penalty deductions only,
        a veto vetoes only, any other items whose shares add up to 100%."""
        if kind == "penalty":
            if ind.items:
                self.issue(
                    WZ204,
                    _("penalty indicator {ind_id!r} cannot have items").format(ind_id=ind.id),
                    (*path, "items"),
                    hint=_("express penalties as deductions"),
                )
            if not ind.deductions:
                self.issue(
                    WZ204,
                    _("penalty indicator {ind_id!r} has no deductions").format(ind_id=ind.id),
                    path,
                    hint=_("add deductions: [...]"),
                )
        elif kind == "veto":
            if ind.items or ind.deductions or not ind.vetoes:
                self.issue(
                    WZ210,
                    _(
                        "indicator {ind_id!r} of a veto (单项否决) category must hold vetoes only"
                    ).format(ind_id=ind.id)
                    + (_(" (it has none)") if not ind.vetoes else ""),
                    path,
                    hint=_(
                        "write the conditions as vetoes: [...]; items and deductions score "
                        "points, which a veto category does not give"
                    ),
                )
        elif not ind.items:
            self.issue(
                WZ204,
                _("indicator {ind_id!r} has no items").format(ind_id=ind.id),
                path,
                hint=_("add items whose shares add up to 100%"),
            )
        else:
            total = sum((it.share for it in ind.items), Fraction(0))
            if total != 1:
                self.issue(
                    WZ204,
                    _("item shares of {ind_name} add up to {total}, not 100%").format(
                        ind_name=ind.name, total=format_amount(total)
                    ),
                    (*path, "items"),
                    hint=_("each item's share is a part of the indicator's weight"),
                )

    def pending(
        self, ind: Indicator, names: dict[str, TypeInfo], path: DocPath
    ) -> list[CompiledPending]:
        """The indicator's pending states, each with its condition and the date from
        which it can be assessed."""
        pending: list[CompiledPending] = []
        self.unique(
            ((pend.id, (*path, "pending", i, "id")) for i, pend in enumerate(ind.pending)),
            _("pending state (in {ind_id})").format(ind_id=ind.id),
        )
        for i, pend in enumerate(ind.pending):
            ppath: DocPath = (*path, "pending", i)
            when = self.compile(pend.when, names, (*ppath, "when"), Kind.BOOL)
            until = self.compile(
                pend.assessable_from, names, (*ppath, "assessable_from"), Kind.DATE
            )
            if when is not None and until is not None:
                pending.append(CompiledPending(pend, when, until, ppath))
        return pending

    def vetoes(
        self, vetoes: Sequence[Veto], names: dict[str, TypeInfo], path: DocPath, what: str
    ) -> list[CompiledVeto]:
        self.unique(((v.id, (*path, i, "id")) for i, v in enumerate(vetoes)), what)
        out = []
        for i, v in enumerate(vetoes):
            c = self.compile(v.when, names, (*path, i, "when"), Kind.BOOL)
            if c is not None:
                out.append(CompiledVeto(v, c, (*path, i)))
        return out

    def deductions(
        self,
        deductions: Sequence[Deduction],
        names: dict[str, TypeInfo],
        path: DocPath,
        what: str,
        cap_limit: Fraction | None,
    ) -> list[CompiledDeduction]:
        self.unique(((d.id, (*path, i, "id")) for i, d in enumerate(deductions)), what)
        out = []
        for i, d in enumerate(deductions):
            if d.each <= 0:
                self.issue(
                    WZ205,
                    _("deduction {d_id!r} deducts nothing per occurrence").format(d_id=d.id),
                    (*path, i, "each"),
                    hint=_("write a positive amount like '5%'"),
                )
            if cap_limit is not None and d.cap is not None and d.cap > cap_limit:
                self.issue(
                    WZ205,
                    _(
                        "deduction {d_id!r} is capped at {cap}, more than the item's share "
                        "{cap_limit}"
                    ).format(
                        d_id=d.id, cap=format_amount(d.cap), cap_limit=format_amount(cap_limit)
                    ),
                    (*path, i, "cap"),
                    hint=_("inside an item deductions stop at the item's share"),
                )
            if d.when is not None:  # one occurrence when the condition holds
                ok = self.compile(d.when, names, (*path, i, "when"), Kind.BOOL) is not None
                c = self.compile(d.counted, names, (*path, i, "when"), Kind.INT) if ok else None
            else:
                c = self.compile(d.counted, names, (*path, i, "count"), Kind.INT)
            if c is not None:
                out.append(CompiledDeduction(d, c, (*path, i)))
        return out

    def item(
        self,
        it: Item,
        names: dict[str, TypeInfo],
        facts: dict[str, TypeInfo],
        ind: Indicator,
        path: DocPath,
    ) -> CompiledItem | None:
        kind = it.kind
        c = _ItemCompiler(self, it, ind, names)
        exprs = kind.compile(it.rule, (*path, kind.key), c)
        deductions = c.compiled_deductions
        vetoes = self.vetoes(
            it.vetoes, names, (*path, "vetoes"), _("veto (in {it_id})").format(it_id=it.id)
        )
        if exprs is None:
            return None
        return CompiledItem(
            item=it,
            exprs=MappingProxyType(dict(exprs)),
            deductions=deductions,
            vetoes=tuple(vetoes),
            path=path,
        )


class _ItemCompiler:
    """What a rule kind is handed to check and compile its rule
    (:class:`wzeval.kinds.Compiler`)."""

    def __init__(
        self, checker: _Checker, item: Item, ind: Indicator, names: dict[str, TypeInfo]
    ) -> None:
        self.checker = checker
        self.item = item
        self.facts = ind.facts
        self.indicator_id = ind.id
        self.names = names
        self.compiled_deductions: tuple[CompiledDeduction, ...] = ()

    def expr(self, source: str, path: DocPath, want: Kind | str) -> CompiledExpression | None:
        return self.checker.compile(source, self.names, path, want)

    def issue(self, code: str, message: str, path: DocPath, hint: str | None = None) -> None:
        self.checker.issue(code, message, path, hint)

    def unique(self, ids: Iterable[tuple[str, DocPath]], what: str) -> None:
        self.checker.unique(ids, what)

    def at_most_share(self, credit: Fraction, path: DocPath) -> None:
        share = self.item.share
        if credit > share:
            self.checker.issue(
                WZ205,
                _("credit {credit} is more than the item's share {share}").format(
                    credit=format_amount(credit), share=format_amount(share)
                ),
                path,
                hint=_("credits are parts of the indicator's weight, at most the item's share"),
            )

    def deductions(
        self, deductions: Sequence[Deduction], path: DocPath
    ) -> tuple[CompiledDeduction, ...] | None:
        it = self.item
        out = self.checker.deductions(
            deductions, self.names, path, _("deduction (in {it_id})").format(it_id=it.id), it.share
        )
        if len(out) != len(deductions):
            return None
        self.compiled_deductions = tuple(out)
        return self.compiled_deductions


def _fmt(path: DocPath) -> str:
    from wzeval.core._issues import format_path

    return format_path(path)


def check_rulebook(rb: Rulebook) -> tuple[CompiledRulebook | None, list[Issue]]:
    """Check a whole rulebook; return the compiled form (``None`` on errors) and every issue."""
    checker = _Checker(rb)
    compiled = checker.run()
    return compiled, checker.issues
