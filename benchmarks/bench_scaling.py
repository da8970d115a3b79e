"""Scaling: rulebooks 1×, 10× and 100× the size of 2023 — load, compile, evaluate.

A k× rulebook replicates every indicator of the 2023 rulebook k times inside its
category, with renamed ids and names (``<id>_r<j>``) and the weight divided by k,
so the category weights still add up and the rulebook stays valid.  For each size
it times:

* YAML parse (``load_document`` on the rulebook written out in flow style, JSON
  text; the 10× and 100× documents pass the loader's safety limits on size and
  node count, ``MAX_FILE_BYTES`` and ``MAX_NODES``, so those are raised for this
  measurement only);
* model validation and compilation (``rulebook_from_document``: pydantic models,
  whole-rulebook checks, every expression parsed, whitelisted, type-checked and
  compiled);
* evaluation of one generated complete findings document (``evaluate``): the
  findings of the 1× rulebook, with each copy of an indicator given its original's
  facts, so every size evaluates the same work per indicator and only the size
  changes (findings drawn anew per size made the per-indicator figure of 1×, one
  draw of 36 indicators, vary by more than the growth being measured).

and prints each per indicator: time per indicator ~constant means linear growth.
Times are CPU time of this process (``time.process_time``), best of 3: on a shared
machine wall time of a single multi-second call mostly measures the neighbours.

The findings-size axis (issue 15, goal 7; ``--findings-sizes``, default 1 16 64 256): the
same findings of the 1× rulebook with every list and records fact m times as long
(its elements repeated, so every condition on them keeps its truth and the work per
element is the same), as a JSON findings file.  For each m it times reading the JSON
text (``load_document``), checking it (``check_findings``), evaluating it (the
figures, and the full explanation, ``explained=True``) and writing the report's JSON,
and prints each stage's cost per list element added (from m to the next size):
about the same at each step, a ratio of about 1, means the stage is linear in the
findings' size (1× holds only 26 list elements, so the first step is the widest: the
steps from 1× to 4× differ by less than the machine's noise).  Best of 7 loops of CPU
time (``per_call``).

Run: ``python benchmarks/bench_scaling.py [--sizes 1 10 100] [--findings-sizes 1 16 64 256]``.
"""

from __future__ import annotations

import argparse
import copy
import functools
import itertools
import json
import random
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from _common import RULEBOOK, machine, per_call

import wzeval.reading._plain as plain
import wzeval.reading._yamlcore as loader  # the reader's limits live here
from wzeval.reading._loader import load_document
from wzeval.scoring._api import evaluate, load_findings, rulebook_from_document

T = TypeVar("T")


def replicate(data: dict[str, Any], k: int) -> dict[str, Any]:
    """The rulebook data with every indicator repeated ``k`` times (weights ÷ k)."""
    out = copy.deepcopy(data)
    if k == 1:
        return out
    for cat in out["categories"]:
        copies = []
        for ind in cat["indicators"]:
            for j in range(k):
                c = copy.deepcopy(ind)
                c["id"] = f"{ind['id']}_r{j}"
                c["name"] = f"{ind['name']}（{j}）"
                c["weight"] = Decimal(str(ind["weight"])) / k
                copies.append(c)
        cat["indicators"] = copies
    for catalog in out.get("catalogs", []):
        if catalog.get("indicator"):
            catalog["indicator"] = f"{catalog['indicator']}_r0"
    return out


def replicate_findings(findings: dict[str, Any], k: int) -> dict[str, Any]:
    """Findings for the ``k``× rulebook: every copy of an indicator gets its facts."""
    if k == 1:
        return copy.deepcopy(findings)
    out = copy.deepcopy(findings)
    out["indicators"] = {
        f"{ind}_r{j}": copy.deepcopy(facts)
        for ind, facts in findings["indicators"].items()
        for j in range(k)
    }
    return out


def lengthen(findings: dict[str, Any], m: int) -> tuple[dict[str, Any], int]:
    """The findings with every list (and records) value ``m`` times as long, and how many
    list elements they hold then."""
    out = copy.deepcopy(findings)
    elements = 0
    for facts in out["indicators"].values():
        for name, fact in facts.items():
            holder, key = (fact, "value") if isinstance(fact, dict) else (facts, name)
            value = holder[key]
            if isinstance(value, list):
                holder[key] = value * m
                elements += len(value) * m
    return out, elements


def findings_axis(rb: Any, base_findings: dict[str, Any], sizes: list[int]) -> None:
    """The findings-size axis: per stage, µs per list element added from one size to
    the next, and the ratio of consecutive steps (1.00 = linear)."""
    limits = (loader.MAX_FILE_BYTES, loader.MAX_NODES, loader.MAX_EXPANDED_NODES)
    # long lists pass a findings file's node limit: raised here, as for the large rulebooks
    loader.MAX_FILE_BYTES = max(limits[0], 1 << 30)
    loader.MAX_NODES = loader.MAX_EXPANDED_NODES = max(limits[1], limits[2], 10_000_000)
    try:
        rows = [_findings_row(rb, base_findings, m) for m in sizes]
    finally:
        loader.MAX_FILE_BYTES, loader.MAX_NODES, loader.MAX_EXPANDED_NODES = limits
    _print_findings_axis(rows)


Row = tuple[int, int, int, tuple[float, ...]]


def _findings_row(rb: Any, base_findings: dict[str, Any], m: int) -> Row:
    """Lists ``m`` times as long: (m, list elements, JSON bytes, CPU s per stage)."""
    import findings_gen

    from wzeval.checking._findings import check_findings
    from wzeval.scoring._api import compiled

    crb = compiled(rb)
    data, elements = lengthen(base_findings, m)
    text = findings_gen.to_json(data)

    def read() -> Any:
        return load_document(text=text, name="findings.json")

    def clock(fn: Callable[[], object]) -> float:
        return per_call(fn, min_time=0.2, repeat=7, clock=time.process_time)

    doc = read()
    findings, issues = check_findings(doc, crb, partial=True)
    assert findings is not None, [str(i) for i in issues[:3]]
    report = evaluate(rb, findings, partial=True, explained=True)
    stages = (
        clock(read),
        clock(functools.partial(check_findings, doc, crb, partial=True)),
        clock(functools.partial(evaluate, rb, findings, partial=True)),
        clock(functools.partial(evaluate, rb, findings, partial=True, explained=True)),
        clock(report.to_json),
    )
    print(f"  findings {m}×: {elements} list elements done", flush=True)
    return m, elements, len(text.encode()), stages


def _print_findings_axis(rows: list[Row]) -> None:
    names = ("read", "check", "evaluate", "explained", "to_json")
    print()
    print(
        f"{'findings':>8} {'elements':>8} {'JSON KB':>8} | "
        + " ".join(f"{n + ' ms':>12}" for n in names)
    )
    for m, e, size, st in rows:
        print(f"{m:>7}× {e:>8} {size / 1024:>8.1f} | " + " ".join(f"{t * 1e3:>12.2f}" for t in st))
    print("µs per list element added (and against the step before: 1.00 = linear):")
    prev: tuple[float, ...] | None = None
    for (m0, e0, _, s0), (m1, e1, _, s1) in itertools.pairwise(rows):
        per = tuple((b - a) / (e1 - e0) * 1e6 for a, b in zip(s0, s1, strict=True))
        cells = []
        for n, v in enumerate(per):
            ratio = f" ({v / prev[n]:.2f}×)" if prev is not None and prev[n] > 0 else ""
            cells.append(f"{names[n]} {v:.2f}{ratio}")
        print(f"  {m0}× → {m1}×: " + ", ".join(cells))
        prev = per


def _yaml_text(data: Any) -> str:
    """The rulebook as a YAML document in flow style (JSON text, which YAML reads)."""
    return json.dumps(_jsonable(data), ensure_ascii=False, indent=1) + "\n"


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value) if value != value.to_integral_value() else int(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def _best(fn: Callable[[], T], repeat: int = 3) -> tuple[float, T]:
    """The least CPU time (of this process) of ``repeat`` calls, and the last result."""
    times = []
    for _ in range(repeat):
        t = time.process_time()
        result = fn()
        times.append(time.process_time() - t)
    return min(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--findings-sizes", type=int, nargs="+", default=[1, 16, 64, 256])
    args = parser.parse_args(argv)

    import findings_gen

    print(f"machine: {machine()}")
    base = load_document(RULEBOOK).data
    base_rb, _ = rulebook_from_document(load_document(RULEBOOK))
    assert base_rb is not None
    base_findings = findings_gen.generate(base_rb, random.Random(1))
    rows = []
    for k in args.sizes:
        data = replicate(base, k)
        text = _yaml_text(data)
        limits = (loader.MAX_FILE_BYTES, loader.MAX_NODES, loader.MAX_EXPANDED_NODES)
        loader.MAX_FILE_BYTES = max(limits[0], len(text.encode()) + 1)
        loader.MAX_NODES = loader.MAX_EXPANDED_NODES = max(limits[1], limits[2], 10_000_000)
        try:
            t_parse, doc = _best(functools.partial(load_document, text=text, name=f"x{k}.yaml"))
        finally:
            loader.MAX_FILE_BYTES, loader.MAX_NODES, loader.MAX_EXPANDED_NODES = limits
        assert doc.data is not None, [str(i) for i in doc.issues[:3]]
        t_compile, (rb, issues) = _best(functools.partial(rulebook_from_document, doc))
        assert rb is not None, [str(i) for i in issues[:3]]
        n = len(rb.indicators)
        # the k× findings pass the limits of a findings document too (in memory, they
        # are held to a file's: wzeval.reading._plain, which keeps its own copies of them)
        held = (plain.MAX_FILE_BYTES, plain.MAX_NODES)
        plain.MAX_FILE_BYTES, plain.MAX_NODES = max(held[0], 1 << 30), max(held[1], 10_000_000)
        try:
            findings = load_findings(replicate_findings(base_findings, k), rb)
        finally:
            plain.MAX_FILE_BYTES, plain.MAX_NODES = held
        t_eval = per_call(
            functools.partial(evaluate, rb, findings),
            min_time=0.3,
            repeat=7,  # a busy neighbour on the other core slows even CPU time
            clock=time.process_time,
        )
        rows.append((k, n, len(text) / 1e6, t_parse, t_compile, t_eval))
        print(f"  {k}×: {n} indicators done", flush=True)
    print()
    print(
        f"{'size':>5} {'indicators':>10} {'YAML MB':>8} {'parse s':>8} {'compile s':>9} "
        f"{'eval ms':>8} | {'parse µs/ind':>12} {'compile µs/ind':>14} {'eval µs/ind':>11}"
    )
    for k, n, mb, tp, tc, te in rows:
        print(
            f"{k:>4}× {n:>10} {mb:>8.2f} {tp:>8.2f} {tc:>9.2f} {te * 1e3:>8.2f} | "
            f"{tp / n * 1e6:>12.0f} {tc / n * 1e6:>14.0f} {te / n * 1e6:>11.1f}"
        )
    first = rows[0]
    for k, n, _, tp, tc, te in rows[1:]:
        print(
            f"{k}× vs {first[0]}×, per indicator: parse {tp / n / (first[3] / first[1]):.2f}×, "
            f"compile {tc / n / (first[4] / first[1]):.2f}×, "
            f"evaluate {te / n / (first[5] / first[1]):.2f}× (1.00× = linear)"
        )
    if len(args.findings_sizes) > 1:
        print()
        findings_axis(base_rb, base_findings, args.findings_sizes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
