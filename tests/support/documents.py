"""Documents as the reader tests compare them: generated YAML, the round-trip tree as
plain tuples, every path of a value, the bundled rulebook (loaded once)."""

from __future__ import annotations

import functools
import random
from collections.abc import Iterator
from typing import Any

import pytest
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from wzeval import bundled_rulebook_path
from wzeval.model._models import Rulebook
from wzeval.reading import _fastyaml as fastyaml
from wzeval.scoring._api import load_rulebook

__all__ = [
    "KEYS",
    "SCALARS",
    "bundled",
    "corpus_findings",
    "needs_c",
    "paths",
    "random_block",
    "tree_of",
]

needs_c = pytest.mark.skipif(
    getattr(fastyaml, "_CParser", None) is None,
    reason="ruamel.yaml.clib (libyaml's C parser) is not installed",
)


@functools.cache
def bundled() -> Rulebook:
    return load_rulebook(bundled_rulebook_path())


def corpus_findings(rb: Rulebook, indicators: dict[str, Any]) -> dict[str, Any]:
    """Findings for one of the small corpus rulebooks (department 甲局, monitored
    2023-11-15), as the scoring tests write them."""
    return {
        "wzeval": "findings/1",
        "rulebook": rb.id,
        "department": "甲局",
        "monitoring_date": "2023-11-15",
        "indicators": indicators,
    }


def paths(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(data, dict):
        for k, v in data.items():
            yield from paths(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from paths(v, (*path, i))


SCALARS = (
    "1",
    "-2",
    "0x1F",
    "0o17",
    "017",
    "1_000",
    "1.5",
    "-.5",
    ".inf",
    "-.Inf",
    ".nan",
    "1e3",
    "1.2e-3",
    "true",
    "false",
    "True",
    "FALSE",
    "yes",
    "no",
    "on",
    "null",
    "~",
    "Null",
    "2023-11-15",
    "10:30",
    "abc",
    "市教育局",
    "http://x.cn/a",
    "a#b",
    "1.0",
    "+1",
    "0",
    "-0",
    "0.10",
    "12345678901234567890",
    "3/4",
    "50%",
    "é",
    "-",
    "?x",
    "",
    "2023-11-15 10:00",
    "2023-11-15T10:00:00+08:00",
    "2023-02-30",
    "a b",
    "'q'",
    '"dq"',
    '"esc\\n\\t"',
    "'it''s'",
    "!!str 5",
    "!!int '7'",
    "[]",
    "{}",
)
KEYS = ["a", "b", "id", "1", "true", "null", '"q"', "'s'", "2023-01-01", "市", "a b", "1.5", "~"]


def random_block(r: random.Random, depth: int, indent: int) -> str | None:
    """A random block of YAML (None: write a scalar instead)."""
    pad = " " * indent
    kind = r.random()
    if depth > 3 or kind < 0.3:
        return None
    out = []
    if kind < 0.65:
        for key in r.sample(KEYS, r.randint(1, 4)):
            child = random_block(r, depth + 1, indent + 2)
            if child is not None:
                out.append(f"{pad}{key}:\n{child}")
                continue
            v = r.random()
            if v < 0.1:
                out.append(f"{pad}{key}: |\n{pad}  line one\n{pad}  line two")
            elif v < 0.15:
                out.append(f"{pad}{key}: >\n{pad}  folded\n{pad}  text")
            elif v < 0.25:
                items = ", ".join(r.choice(SCALARS) for _ in range(r.randint(0, 3)))
                out.append(f"{pad}{key}: [{items}]")
            elif v < 0.3:
                out.append(f"{pad}{key}: {{x: {r.choice(SCALARS)}, y: {r.choice(SCALARS)}}}")
            elif v < 0.35:
                out.append(f"{pad}{key}:  # a comment")
            else:
                out.append(f"{pad}{key}: {r.choice(SCALARS)}")
    else:
        for _ in range(r.randint(1, 3)):
            child = random_block(r, depth + 1, indent + 2)
            out.append(f"{pad}- {r.choice(SCALARS)}" if child is None else f"{pad}-\n{child}")
    return "\n".join(out)


def tree_of(node: Any) -> Any:
    """The round-trip tree as plain tuples: types, marks, flow styles, keys and values."""
    if isinstance(node, CommentedMap):
        return (
            "map",
            (node.lc.line, node.lc.col),
            node.fa.flow_style(),
            [
                (type(k).__name__, repr(k), node.lc.key(k), node.lc.value(k), tree_of(v))
                for k, v in node.items()
            ],
        )
    if isinstance(node, CommentedSeq):
        return (
            "seq",
            (node.lc.line, node.lc.col),
            node.fa.flow_style(),
            [(node.lc.item(i), tree_of(v)) for i, v in enumerate(node)],
        )
    return (type(node).__name__, repr(node))
