"""Batch throughput against its physical limit (issue 15, goal 2): ``wzeval score DIR``
end to end through the CLI, and the minimal exact work the same batch needs.

The *limit pipeline* does, per file, only what any exact scorer of the 2023 table must
do: read the file, ``json.loads`` it, look the department up in the roster, check every
fact's type as the rulebook declares it (bool, int and its range, decimal as an exact
``Fraction``, date, enum, lists and records element by element), score the 36
indicators with the hand-written formulas (``handwritten_2023.py``, exact ``Fraction``
arithmetic) and write one CSV line (department, total).  No explanation, no positions,
no issues: the least a program can do and still give the right totals.  The run checks
that its totals are wzeval's for the first files.

Writes ``--n`` generated JSON findings (``findings_gen.py``), then, in ``--rounds``
interleaved rounds (the machine is shared: a burst of load falls on every variant of a
round alike), times the limit pipeline in 1 and 2 processes (a forked pool, started
inside the timing) and ``python -m wzeval score DIR --format F --jobs J -o OUT`` in a
subprocess for each format and worker count (``--yaml``: also the same findings as
YAML, CSV; ``--before SRC``: also another tree's wzeval, CSV).  The CLI runs with
compiled bytecode kept (``PYTHONPYCACHEPREFIX``), as an installed package has it.
Prints, per variant, the median files per second (wall) and CPU milliseconds per file
(the process and its workers), then the goal's ratios from the medians: the limit
(its faster run) / wzeval at ``--jobs 2`` (goal: ≤ 3 for JSON findings, ≤ 5 for
YAML), ``--jobs 2`` / ``--jobs 1`` (goal: ≥ 1.8), and CPU per file against the
limit's, with the load average before and after: another program using a core caps
any speed-up, and CPU time is what the load does not move.

Run: ``python benchmarks/bench_limit.py [--n 1000] [--rounds 3] [--formats csv json
json-compact] [--yaml] [--before SRC]``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

from _common import ROOT, machine, median

import wzeval
from wzeval.checking._findings import FactRecord, Findings

_STATE: dict[str, Any] = {}


class _Bad(Exception):
    """A value of the wrong type: the file fails."""


def _checker(fact: Any) -> Any:
    """A function checking (and converting) one value of ``fact``'s declared type."""

    def scalar(kind: str, lo: Any = None, hi: Any = None, options: Any = None) -> Any:
        def check(v: object) -> object:
            if kind == "bool":
                if v is True or v is False:
                    return v
            elif kind == "int":
                if type(v) is int and (lo is None or v >= lo) and (hi is None or v <= hi):
                    return v
            elif kind == "decimal":
                if type(v) in (int, float, str) and type(v) is not bool:
                    x = Fraction(str(v))
                    if (lo is None or x >= lo) and (hi is None or x <= hi):
                        return x
            elif kind == "date":
                if type(v) is str:
                    return date.fromisoformat(v)
            elif kind == "str":
                if type(v) is str:
                    return v
            elif kind == "enum" and v in options:
                return v
            raise _Bad(v)

        return check

    lo = None if fact.min is None else Fraction(fact.min)
    hi = None if fact.max is None else Fraction(fact.max)
    if fact.type == "list":
        elem = scalar(fact.of, lo, hi)

        def each(v: object) -> object:
            if type(v) is not list:
                raise _Bad(v)
            return [elem(x) for x in v]

        return each
    if fact.type == "records":
        fields = {k: scalar(t) for k, t in fact.fields.items()}

        def records(v: object) -> object:
            if type(v) is not list:
                raise _Bad(v)
            out = []
            for r in v:
                if type(r) is not dict or r.keys() != fields.keys():
                    raise _Bad(r)
                out.append({k: fields[k](x) for k, x in r.items()})
            return out

        return records
    return scalar(fact.type, lo, hi, fact.options)


def _tables(rb: Any) -> dict[str, Any]:
    """What the limit pipeline reads of the rulebook, prepared once."""
    checks = {
        i.id: {f.id: (_checker(f), f.nullable) for f in i.facts}
        for c in rb.categories
        for i in c.indicators
    }
    roster = {}
    for d in rb.departments:
        for name in (d.id, d.name, *d.aliases):  # as wzeval's: findings may name any
            roster[name] = d.id
    catalogs: dict[str, list[str]] = {}
    for cat in rb.catalogs:
        for e in cat.entries:
            catalogs.setdefault(e.department, []).append(cat.id)
    return {"checks": checks, "roster": roster, "catalogs": catalogs}


def limit_one(path: str) -> str:
    """One file through the limit pipeline: its CSV line."""
    import handwritten_2023

    t = _STATE["tables"]
    with open(path, "rb") as fh:
        data = json.loads(fh.read())
    dept = data["department"]
    dept_id = t["roster"][dept]
    facts: dict[str, dict[str, FactRecord]] = {}
    checks = t["checks"]
    for ind, given in data["indicators"].items():
        want = checks[ind]
        recs: dict[str, FactRecord] = {}
        for name, v in given.items():
            check, nullable = want[name]
            evidence: tuple[str, ...] = ()
            if type(v) is dict and "value" in v:
                evidence = tuple(v.get("evidence", ()))
                v = v["value"]
            if v is None and not nullable:
                continue  # not recorded
            recs[name] = FactRecord(v if v is None else check(v), evidence)
        facts[ind] = recs
    findings = Findings(
        path,
        data["rulebook"],
        dept,
        dept_id,
        date.fromisoformat(data["monitoring_date"]),
        tuple(data["assessors"]),
        facts,
        tuple(t["catalogs"].get(dept_id, ())),
    )
    s = handwritten_2023.score(findings)
    return f"{dept_id},{float(s.total):.2f}\n"


def _init() -> None:
    if "tables" not in _STATE:
        _STATE["tables"] = _tables(wzeval.load_rulebook())


def _limit(paths: list[str], jobs: int, out: Path) -> None:
    """The limit pipeline over ``paths`` in ``jobs`` processes, its lines written in order."""
    with out.open("w", encoding="utf-8") as fh:
        if jobs == 1:
            for p in paths:
                fh.write(limit_one(p))
            return
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(jobs, initializer=_init) as pool:
            chunk = max(1, min(16, len(paths) // (jobs * 4)))
            for line in pool.imap(limit_one, paths, chunksize=chunk):
                fh.write(line)


def _cpu(children_only: bool) -> float:
    t = os.times()
    own = 0.0 if children_only else t.user + t.system
    return own + t.children_user + t.children_system


def _run_cli(
    folder: Path, fmt: str, jobs: int, out: Path, src: str | None = None
) -> tuple[float, float]:
    """Wall seconds and CPU seconds (the command and its workers) of one run of the
    wzeval in ``src`` (default: this tree's)."""
    cmd = [sys.executable, "-m", "wzeval", "score", str(folder), "--allow-duplicates"]
    cmd += ["--format", fmt, "--jobs", str(jobs), "-o", str(out)]
    path = src or str(ROOT / "src")
    env = dict(os.environ, PYTHONPATH=path, PYTHONPYCACHEPREFIX=_STATE["pycache"])
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # compiled once, as an installed package is
    out.unlink(missing_ok=True)
    t, c = time.perf_counter(), _cpu(True)
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall, cpu = time.perf_counter() - t, _cpu(True) - c
    if not out.exists():  # the run failed: its time would mean nothing
        raise SystemExit(f"no output from {' '.join(cmd)}")
    return wall, cpu


def _agrees(paths: list[str]) -> bool:
    """Whether the limit pipeline's totals are wzeval's (first files; a file wzeval
    cannot score yet, an indicator pending, is left out: the batch lists it as failed,
    the limit scores it, at about the same cost)."""
    from wzeval.core._errors import ValidationFailed

    rb = wzeval.load_rulebook()
    for p in paths:
        try:
            report = wzeval.score(p, rb)
        except ValidationFailed:
            continue
        mine = limit_one(p).strip().split(",")
        if mine != [report.department_id, f"{float(report.total):.2f}"]:
            return False
    return True


def _write(folder: Path, n: int, suffix: str = ".json") -> list[str]:
    """``n`` generated findings as JSON (or, ``suffix=".yaml"``, the same ones as YAML)."""
    import findings_gen

    rb = wzeval.load_rulebook()
    rng = random.Random(15)
    write = findings_gen.to_json if suffix == ".json" else findings_gen.to_yaml
    folder.mkdir()
    paths = []
    for i in range(n):
        p = folder / f"f{i:05d}{suffix}"
        p.write_text(write(findings_gen.generate(rb, rng)), encoding="utf-8")
        paths.append(str(p))
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--formats", nargs="+", default=["csv", "json", "json-compact"])
    ap.add_argument(
        "--before",
        metavar="SRC",
        help="also run the wzeval of another tree's src/ (e.g. an older commit's, "
        "from git archive), CSV only, for a before/after in the same run",
    )
    ap.add_argument(
        "--yaml",
        action="store_true",
        help="also score the same findings written as YAML (CSV; goal: within 5× of the limit)",
    )
    args = ap.parse_args()
    print(machine())
    _init()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        paths = _write(folder, args.n)
        _STATE["pycache"] = str(Path(tmp) / "pycache")
        _run_cli(folder, "csv", 1, Path(tmp) / "warm-up")
        print(
            f"{args.n} generated JSON findings; limit totals agree with wzeval: "
            f"{_agrees(paths[:20])}"
        )
        variants: list[tuple[str, str, int]] = [("limit", "", 1), ("limit", "", 2)]
        variants += [("wzeval", f, j) for f in args.formats for j in (1, 2)]
        if args.yaml:
            _write(Path(tmp) / "yaml", args.n, ".yaml")
            variants += [("yaml", "csv", 1), ("yaml", "csv", 2)]
        if args.before:
            variants += [("before", "csv", 1), ("before", "csv", 2)]
        walls: dict[tuple[str, str, int], list[float]] = {v: [] for v in variants}
        cpus: dict[tuple[str, str, int], list[float]] = {v: [] for v in variants}
        for _ in range(args.rounds):
            for v in variants:
                what, fmt, jobs = v
                out = Path(tmp) / f"out-{what}-{fmt}-{jobs}"
                if what == "limit":
                    t, c = time.perf_counter(), _cpu(False)
                    _limit(paths, jobs, out)
                    wall, cpu = time.perf_counter() - t, _cpu(False) - c
                else:
                    src = args.before if what == "before" else None
                    where = Path(tmp) / "yaml" if what == "yaml" else folder
                    wall, cpu = _run_cli(where, fmt, jobs, out, src)
                walls[v].append(wall)
                cpus[v].append(cpu)
        print(f"load average {os.getloadavg()[0]:.2f} at the end")
        print("| pipeline | jobs | files/s (median) | CPU ms/file | runs (files/s) |")
        print("| --- | ---: | ---: | ---: | --- |")
        speed = {}
        for v in variants:
            what, fmt, jobs = v
            speed[v] = args.n / median(walls[v])
            label = "limit" if what == "limit" else f"wzeval score --format {fmt}"
            if what != "wzeval" and what != "limit":
                label = f"{what}: wzeval score --format {fmt}"
            runs = ", ".join(f"{args.n / w:.0f}" for w in walls[v])
            print(
                f"| {label} | {jobs} | {speed[v]:,.1f} | "
                f"{median(cpus[v]) / args.n * 1e3:.2f} | {runs} |"
            )
        lim1, lim2 = speed[("limit", "", 1)], speed[("limit", "", 2)]
        print(f"limit: 2 processes / 1: {lim2 / lim1:.2f}×")
        best = max(lim1, lim2)  # the limit: its faster run (two processes on an idle machine)
        cpu_limit = {j: median(cpus[("limit", "", j)]) for j in (1, 2)}
        kinds = [("wzeval", f) for f in args.formats]
        kinds += [(w, "csv") for w, on in (("yaml", args.yaml), ("before", args.before)) if on]
        for what, fmt in kinds:
            w1, w2 = speed[(what, fmt, 1)], speed[(what, fmt, 2)]
            c1, c2 = median(cpus[(what, fmt, 1)]), median(cpus[(what, fmt, 2)])
            print(
                f"{what} {fmt}: limit / wzeval at --jobs 2 {best / w2:.2f}× "
                f"(goal ≤ {5 if what == 'yaml' else 3}), "
                f"at --jobs 1 {lim1 / w1:.2f}×; --jobs 2 / --jobs 1 {w2 / w1:.2f}× (goal ≥ 1.8); "
                f"CPU per file / the limit's {c1 / cpu_limit[1]:.2f}× (--jobs 1), "
                f"{c2 / cpu_limit[2]:.2f}× (--jobs 2, against its 2 processes)"
            )


if __name__ == "__main__":
    main()
