"""The rule-kind registry: every kind in one module, and a new kind added as one file.

The toy kind ``stars`` (tests/plugins/wzeval_stars.py) is installed the way a plugin
distribution is — a module and a ``.dist-info`` declaring it under the
``wzeval.rule_kinds`` entry point — into a fresh interpreter.  No file under ``src/``
names it, yet the item model, the JSON Schema, scoring, rule tests, the table page,
diff, extends and the CLI all take it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from support.paths import ROOT, TESTS

from wzeval.kinds import RuleKind, rule_kinds

SRC = ROOT / "src"
PLUGIN = TESTS / "plugins" / "wzeval_stars.py"

RULEBOOK = """\
wzeval: rulebook/1
id: stars
title: a toy kind from a plugin
year: 2023
departments:
  - {id: a, name: 甲局}
categories:
  - id: part
    name: 基础
    weight: 100
    indicators:
      - id: rated
        name: 群众评价
        weight: 10
        weight_source: stated
        facts:
          - {id: rating, type: int, min: 0, max: 5, ask: 星级评价（0–5）？}
        items:
          - {id: rating, share: 100%, stars: rating}
      - id: rest
        name: 其他
        weight: 90
        weight_source: assumed
        facts:
          - {id: ok, type: bool, ask: 其他合格？}
        items:
          - {id: ok, share: 100%, check: ok}
"""
FINDINGS = """\
wzeval: findings/1
rulebook: stars
department: 甲局
monitoring_date: 2023-11-15
indicators:
  rated: {rating: 3}
  rest: {ok: true}
"""
STARS_TESTS = (
    """\
wzeval: ruletests/1
rulebook: stars.yaml
defaults:
  department: 甲局
  monitoring_date: 2023-11-15
  indicators:
    rated: {rating: 0}
    rest: {ok: true}
cases:
"""
    + "".join(
        # n stars of 5: 10 × n/5 = 2n points
        f"  - {{name: {n} stars, findings: {{indicators: {{rated: {{rating: {n}}}}}}}, "
        f"expect: {{rated: {2 * n}}}}}\n"
        for n in range(6)
    )
    + "  - {name: the rest fails, findings: {indicators: {rest: {ok: false}}}, expect: {rest: 0}}\n"
)
CHILD = """\
import json, sys
import wzeval
from wzeval.analysis._diff import diff
from wzeval.kinds import rule_kinds
from wzeval.model._models import Item
from wzeval.output._render import RULE_NAMES
from wzeval.analysis._ruletest import run_tests
from wzeval.analysis._schema import rulebook_schema
from wzeval.output._tabledoc import render_rulebook_markdown

rb = wzeval.load_rulebook("stars.yaml")
report = wzeval.score("findings.yaml", rb)
other = wzeval.load_rulebook("stars-2024.yaml")
run = run_tests("stars.tests.yaml")
print(json.dumps({
    "kinds": list(rule_kinds()),
    "item_fields": list(Item.model_fields),
    "schema": "stars" in rulebook_schema()["$defs"]["Item"]["properties"],
    "points": str(report.indicator("rated").points),
    "reason": report.indicator("rated").items[0].reason,
    "matched": report.indicator("rated").items[0].matched,
    "rule_name": RULE_NAMES["stars"],
    "page": "星级 stars" in render_rulebook_markdown(rb),
    "coverage": str(run.coverage.percent) if run.coverage else None,
    "passed": run.passed,
    "diff": [c.kind for c in diff(rb, other).changes],
    "extended": other.indicator("rated").items[0].rule,
}, ensure_ascii=False))
"""
EXTENDED = """\
wzeval: rulebook/1
id: stars-2024
title: the toy kind, edited by extends
year: 2024
extends: stars.yaml
indicators:
  rated:
    facts:
      - {id: stars_given, type: int, min: 0, max: 5, ask: 新的星级？}
    items:
      rating: {stars: stars_given}
"""


@pytest.fixture(scope="module")
def plugin_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the plugin module and its distribution metadata, plus the
    documents the toy kind is used in."""
    d = tmp_path_factory.mktemp("plugin")
    shutil.copy(PLUGIN, d / "wzeval_stars.py")
    info = d / "wzeval_stars-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: wzeval-stars\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[wzeval.rule_kinds]\nstars = wzeval_stars:KIND\n")
    (d / "stars.yaml").write_text(RULEBOOK, encoding="utf-8")
    (d / "stars-2024.yaml").write_text(EXTENDED, encoding="utf-8")
    (d / "findings.yaml").write_text(FINDINGS, encoding="utf-8")
    (d / "stars.tests.yaml").write_text(STARS_TESTS, encoding="utf-8")
    (d / "child.py").write_text(CHILD, encoding="utf-8")
    return d


def _run(plugin_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(plugin_dir), str(SRC)])}
    return subprocess.run(
        [sys.executable, *args],
        cwd=plugin_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_builtin_kinds_are_the_registry() -> None:
    """Eight built-in kinds, one module each, in their documented order; the item model
    has one optional key per kind."""
    from wzeval.model._models import Item

    kinds = rule_kinds()
    assert list(kinds) == [
        "check", "tiers", "levels", "bands", "proportion", "checklist", "deduct", "given",
    ]  # fmt: skip
    for key, kind in kinds.items():
        assert isinstance(kind, RuleKind) and kind.key == key
        assert type(kind).__module__ == f"wzeval.kinds.{key}"
        assert key in Item.model_fields and Item.model_fields[key].default is None


def test_a_plugin_kind_reaches_every_part(plugin_dir: Path) -> None:
    """With the plugin installed, 3 stars of 5 on a 10-point item score 10 × 3/5 = 6; the
    schema, table page, report names, rule tests (7 cases, 8 targets: 100%), diff and
    extends all know the kind, though no source file was edited."""
    done = _run(plugin_dir, "child.py")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["kinds"][-1] == "stars" and "stars" in out["item_fields"]
    assert out["schema"] and out["page"] and out["rule_name"] == "星级"
    assert out["points"] == "6" and out["reason"] == "3 星，得 60%"
    assert out["matched"] == ["stars3"]
    assert out["coverage"] == "100" and out["passed"]
    assert "item.stars" in out["diff"]
    assert out["extended"] == "stars_given"


def test_a_plugin_kind_through_the_cli(plugin_dir: Path) -> None:
    """``wzeval validate``, ``score`` and ``test`` take the plugin's kind like a built-in."""
    assert _run(plugin_dir, "-m", "wzeval", "validate", "stars.yaml").returncode == 0
    scored = _run(plugin_dir, "-m", "wzeval", "score", "--rulebook", "stars.yaml", "findings.yaml")
    assert scored.returncode == 0, scored.stderr
    assert "星级" in scored.stdout and "3 星" in scored.stdout
    tested = _run(plugin_dir, "-m", "wzeval", "test", "stars.tests.yaml", "--min-coverage", "100")
    assert tested.returncode == 0, tested.stdout + tested.stderr


def test_without_the_plugin_the_key_is_unknown(plugin_dir: Path, tmp_path: Path) -> None:
    """Without the entry point the same rulebook is refused: stars is not a credit rule."""
    shutil.copy(plugin_dir / "stars.yaml", tmp_path / "stars.yaml")
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run(
        [sys.executable, "-m", "wzeval", "validate", "stars.yaml"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1 and "stars" in done.stdout + done.stderr


def test_a_bad_plugin_is_refused_by_name(tmp_path: Path) -> None:
    """An entry point that is not a RuleKind stops with its name, not a stray traceback."""
    info = tmp_path / "bad-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: bad\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[wzeval.rule_kinds]\noops = json:loads\n")
    code = textwrap.dedent("""\
        from wzeval.kinds import rule_kinds
        try:
            rule_kinds()
        except TypeError as exc:
            print(exc)
    """)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(SRC)])}
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "'oops'" in done.stdout and "不是 RuleKind" in done.stdout
