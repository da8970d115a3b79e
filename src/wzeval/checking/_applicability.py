"""What an indicator's expressions read, and whether an indicator applies.

Both findings checking and the engine need this: checking asks which indicators
apply to a department (their facts are then owed), the engine scores them.  It lives
below both, so findings checking does not reach up into the engine:

- :class:`FactRecord`: one recorded fact (re-exported by :mod:`wzeval.checking._findings`);
- :class:`FactEnv`: the names an indicator's expressions read, derived facts filled
  in declaration order, a missing name raised as :class:`wzeval.kinds.Missing`;
- :func:`shared_records`: the shared facts an indicator may read, recorded elsewhere;
- :func:`applicability`: whether an indicator applies, or the facts that would tell
  (these two re-exported by :mod:`wzeval.scoring._engine`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import FrozenInstanceError, dataclass, field
from datetime import date
from typing import Protocol

from wzeval.checking._checks import CompiledIndicator
from wzeval.core._issues import PathPart, Position
from wzeval.expressions import CompiledExpression
from wzeval.kinds import Missing

__all__ = [
    "FactEnv",
    "FactRecord",
    "PositionSource",
    "applicability",
    "base_env",
    "fill_derived",
    "shared_records",
]


class PositionSource(Protocol):
    """What can tell where a path was written: a :class:`~wzeval.reading._yamlcore.Document`."""

    def position(self, path: Sequence[PathPart], *, key: bool = False) -> Position: ...


class FactRecord:
    """One recorded fact: its runtime value, its evidence and where it was written.

    The place is looked up when first read, not when the fact is checked: a batch
    scoring a ranking reads no fact's place (the report's explanation, its ``at``, is
    never built), and the look-ups were a sixth of a findings file's cost
    (docs/performance.md, issue 15 goal 2).  The checker gives ``source`` (the document)
    and ``path`` instead of ``position``; the first read asks ``source`` and keeps the
    answer, which is the very position an eager look-up gave, and lets the document
    go.  Frozen, compared, hashed, printed, copied and pickled by its four fields
    (the place looked up first), as the dataclass it was.
    """

    __slots__ = ("_where", "evidence", "note", "value")

    value: object
    evidence: tuple[str, ...]
    note: str | None
    # the position, or (source, path) until it is first read
    _where: Position | tuple[PositionSource, tuple[PathPart, ...]] | None

    def __init__(
        self,
        value: object,
        evidence: tuple[str, ...] = (),
        note: str | None = None,
        position: Position | None = None,
        *,
        source: PositionSource | None = None,
        path: tuple[PathPart, ...] = (),
    ) -> None:
        # the slots set directly: frozen, and a third cheaper than object.__setattr__
        _set_value(self, value)
        _set_evidence(self, evidence)
        _set_note(self, note)
        _set_where(self, position if source is None else (source, path))

    @property
    def position(self) -> Position | None:
        """Where the value was written (``None``: not from a document)."""
        where = self._where
        if type(where) is tuple:
            source, path = where
            where = source.position(path)
            _set_where(self, where)
        assert where is None or isinstance(where, Position)
        return where

    def _fields(self) -> tuple[object, tuple[str, ...], str | None, Position | None]:
        return (self.value, self.evidence, self.note, self.position)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not FactRecord:
            return NotImplemented
        assert isinstance(other, FactRecord)
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        value, evidence, note, position = self._fields()
        return (
            f"FactRecord(value={value!r}, evidence={evidence!r}, note={note!r}, "
            f"position={position!r})"
        )

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __reduce__(self) -> tuple[type[FactRecord], tuple[object, ...]]:
        # the place looked up now: a copy or a pickle does not carry the document
        return (FactRecord, self._fields())


def _slot_setter(name: str) -> Callable[[FactRecord, object], None]:
    """The setter of one of :class:`FactRecord`'s slots (its member descriptor's)."""
    setter: Callable[[FactRecord, object], None] = vars(FactRecord)[name].__set__
    return setter


_set_value = _slot_setter("value")
_set_evidence = _slot_setter("evidence")
_set_note = _slot_setter("note")
_set_where = _slot_setter("_where")


@dataclass
class FactEnv:
    """The names an indicator's expressions read, filled lazily for derived facts."""

    base: dict[str, object]
    facts: Mapping[str, FactRecord]
    cind: CompiledIndicator
    read: set[str] = field(default_factory=set)
    # derived facts that could not be computed → the recorded facts they lacked
    unavailable: dict[str, list[str]] = field(default_factory=dict)
    # evaluate with simpleeval only (None: wzeval.expressions.REFERENCE decides)
    reference: bool | None = None

    def run(self, expr: CompiledExpression) -> object:
        return expr.evaluate(self.values(expr), reference=self.reference)

    def fact(self, name: str) -> object:
        if name not in self.base:
            raise Missing([name])
        self.read.add(name)
        return self.base[name]

    def values(self, expr: CompiledExpression) -> dict[str, object]:
        missing: set[str] = set()
        for n in expr.names:
            if n in self.base:
                continue
            if n in self.cind.fact_types or n in self.cind.shared:
                missing.add(n)
            elif n in self.unavailable:
                missing.update(self.unavailable[n])
        if missing:
            raise Missing(sorted(missing))
        self.read |= expr.names
        return self.base


def base_env(
    cind: CompiledIndicator,
    facts: Mapping[str, FactRecord],
    department: str,
    catalogs: tuple[str, ...],
    mdate: date,
) -> dict[str, object]:
    """The names every expression of ``cind`` may read, before derived facts."""
    env: dict[str, object] = {
        "monitoring_date": mdate,
        "department": department,
        "catalogs": list(catalogs),
        "true": True,
        "false": False,
    }
    for k, rec in facts.items():
        env[k] = rec.value
    return env


def shared_records(
    cind: CompiledIndicator, facts: Mapping[str, Mapping[str, FactRecord]]
) -> dict[str, FactRecord]:
    """The recorded shared facts an indicator may read, from the indicators that record
    them (a shared fact not recorded is simply absent, and missing if read)."""
    out: dict[str, FactRecord] = {}
    for name, owner in cind.shared.items():
        rec = facts.get(owner, {}).get(name)
        if rec is not None:
            out[name] = rec
    return out


def fill_derived(env: FactEnv) -> None:
    """Compute derived facts in declaration order; a derived fact whose inputs are missing is
    left out and remembered in ``env.unavailable`` (reported missing only if something
    reads it)."""
    for name, expr in env.cind.derived:
        try:
            env.base[name] = env.run(expr)
        except Missing as exc:
            env.unavailable[name] = exc.names


def applicability(
    cind: CompiledIndicator,
    facts: Mapping[str, FactRecord],
    department: str,
    catalogs: tuple[str, ...],
    mdate: date,
) -> tuple[bool | None, list[str]]:
    """Whether an indicator applies; ``None`` with the missing facts when it cannot be told."""
    if cind.applies is None:
        return True, []
    env = FactEnv(base_env(cind, facts, department, catalogs, mdate), facts, cind)
    fill_derived(env)
    try:
        return bool(env.run(cind.applies)), []
    except Missing as exc:
        return None, exc.names
