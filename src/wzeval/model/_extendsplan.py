"""How ``extends:`` merges each node kind of a rulebook, read from the models.

A list of models with ids merges member by member, a field holding one model field
by field, anything else is replaced whole (:mod:`wzeval.model._extends` describes the
rules).  The plan is derived from the model classes and the rule-kind registry, not
typed out, so that a new field or rule kind reaches ``extends:`` with no edit here;
it is a module of its own so that the merge (:mod:`wzeval.model._extendsmerge`) and its
tests read one definition.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import BaseModel

from wzeval.kinds import rule_kinds

__all__ = [
    "INDICATOR_KEYS",
    "PLACEMENT",
    "PLAN",
    "RULE_KEYS",
    "MergePlan",
    "merge_plan",
    "rulebook_plan",
]


def _kind_name(model: type[BaseModel]) -> str:
    """A model's node kind: its class name in snake case (``CatalogEntry`` → ``catalog_entry``)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", model.__name__).lower()


def _member_label(model: type[BaseModel]) -> str:
    """How messages name one member: the model's ``member_label``, else its kind in words."""
    label = getattr(model, "member_label", None)
    return label if isinstance(label, str) else _kind_name(model).replace("_", " ")


def _list_member(annotation: object) -> type[BaseModel] | None:
    """The model of a ``list[Model]`` field (``None`` for any other field)."""
    if typing.get_origin(annotation) is not list:
        return None
    (member,) = typing.get_args(annotation)
    return member if isinstance(member, type) and issubclass(member, BaseModel) else None


@dataclass(frozen=True)
class MergePlan:
    """How ``extends:`` merges each node kind (see :func:`merge_plan`)."""

    #: kind → {list field: (key field, member label)}: lists merged member by member
    collections: dict[str, dict[str, tuple[str, str]]]
    #: kind → fields holding one model, merged field by field
    mappings: dict[str, frozenset[str]]
    #: member label → its node kind (``catalog entry`` → ``catalog_entry``)
    member_kinds: dict[str, str]


def merge_plan(
    root: type[BaseModel], *, skip: Mapping[str, frozenset[str]] | None = None
) -> MergePlan:
    """How ``extends:`` merges each node kind, read from the models themselves.

    A list of models whose members have an ``id`` (or the field their model names in
    ``merge_key``) is merged member by member; a field holding one model is merged
    field by field; any other field is replaced whole.  ``skip`` leaves out fields
    merged another way (a category's indicators, an item's rule keys), though the
    models under them are still read.  A new list field on a model is merged by id
    with no edit here (tests/model/test_extends.py).
    """
    plan = MergePlan({}, {}, {})
    seen: set[type[BaseModel]] = set()
    todo = [root]
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        kind = _kind_name(model)
        left_out = (skip or {}).get(kind, frozenset())
        lists: dict[str, tuple[str, str]] = {}
        maps: set[str] = set()
        for name, info in model.model_fields.items():
            member = _list_member(info.annotation)
            single = info.annotation if _is_model(info.annotation) else None
            todo += [m for m in (member, single) if m is not None]
            if name in left_out:
                continue
            if member is not None:
                key = getattr(member, "merge_key", "id")
                if isinstance(key, str) and key in member.model_fields:
                    lists[name] = (key, _member_label(member))
                    plan.member_kinds[_member_label(member)] = _kind_name(member)
            elif single is not None:
                maps.add(name)
        if lists:
            plan.collections[kind] = lists
        if maps:
            plan.mappings[kind] = frozenset(maps)
    return plan


def _is_model(annotation: object) -> typing.TypeGuard[type[BaseModel]]:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def rulebook_plan() -> MergePlan:
    """The plan of a rulebook: read from its models, with the rule kinds' own merges."""
    from wzeval.model._models import Rulebook

    kinds = rule_kinds().values()
    plan = merge_plan(
        Rulebook,
        skip={"category": frozenset({"indicators"}), "item": frozenset(k.key for k in kinds)},
    )
    item = plan.collections.setdefault("item", {})
    for k in kinds:
        if k.merge == "by_id":
            item[k.key] = ("id", k.member)
            plan.member_kinds[k.member] = k.member.replace(" ", "_")
        elif k.merge == "fields":
            plan.mappings["item"] = plan.mappings.get("item", frozenset()) | {k.key}
    return plan


#: The plan of a rulebook, read once.
PLAN = rulebook_plan()
#: The item keys that name a credit rule: an edit naming one replaces the base's rule.
RULE_KEYS = tuple(rule_kinds())
#: The keys that place an added or moved member beside another.
PLACEMENT = ("after", "before")
#: The top-level keys that edit indicators across categories.
INDICATOR_KEYS = ("indicators", "add_indicators", "remove_indicators")
