"""Reports speak the user's language (issue 13): with English chosen, a scored report's
reasons hold no Chinese but the rulebook's and the findings' own data (indicator names,
item titles, veto labels, option labels, notes); by default they are the Chinese of
before, word for word."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.cli import wz
from support.paths import ROOT

from wzeval.core._i18n import speaking
from wzeval.model._report import ScoreReport
from wzeval.reading._documents import read_document
from wzeval.scoring._api import load_rulebook
from wzeval.scoring._api import score as score_file

EXAMPLES = sorted((ROOT / "examples" / "findings").glob("*.yaml"))
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)


def _data(findings: Path) -> list[str]:
    """Every text of the rulebook and of the findings: data, shown as written."""
    rb = load_rulebook()
    texts = set(_strings(rb.model_dump(mode="json")))
    texts |= set(_strings(read_document(findings).data))
    return sorted((t for t in texts if _CJK.search(t)), key=len, reverse=True)


def _reasons(report: ScoreReport) -> Iterator[str]:
    for ind in report.indicators:
        yield from ind.reasons
        yield from (item.reason for item in ind.items)
    yield from (n.reason for n in report.not_assessed)


def _foreign(text: str, data: list[str]) -> str:
    """What of ``text`` is Chinese once the data it quotes is taken out."""
    for d in data:
        text = text.replace(d, "")
    return "".join(_CJK.findall(text))


@pytest.mark.parametrize("findings", EXAMPLES, ids=lambda p: p.stem)
def test_english_reasons_have_no_chinese_but_data(findings: Path) -> None:
    data = _data(findings)
    with speaking("zh"):
        chinese = score_file(findings, partial=True)
    # the same rulebook, cached in this process, scored again in English; the report's
    # explanation, built when first read, keeps the language it was scored in
    with speaking("en"):
        english = score_file(findings, partial=True)
    assert english.total == chinese.total
    leftover = {r: _foreign(r, data) for r in _reasons(english)}
    assert {r: f for r, f in leftover.items() if f} == {}
    assert any(_CJK.search(r) for r in _reasons(chinese))


def test_chinese_reasons_are_as_before() -> None:
    with speaking("zh"):
        weak = score_file(ROOT / "examples" / "findings" / "zhujianju-weak.yaml", partial=True)
        partial = score_file(
            ROOT / "examples" / "findings" / "weijianwei-partial.yaml", partial=True
        )
    reasons = set(_reasons(weak)) | set(_reasons(partial))
    assert "符合，得 50%" in reasons
    assert "不符合，得 0" in reasons
    assert "该指标不得分：监测时间点前2周内未更新" in reasons
    assert any(r.startswith("未评估：缺少 ") for r in reasons)
    assert any(r.startswith("缺少事实：") for r in reasons)
    assert any(r.startswith("不适用（不计入基础分，按比例折算）") for r in reasons)


def test_english_reasons_say_it_in_english() -> None:
    with speaking("en"):
        weak = score_file(ROOT / "examples" / "findings" / "zhujianju-weak.yaml", partial=True)
    reasons = set(_reasons(weak))
    assert "met: 50%" in reasons
    assert "not met: 0" in reasons
    assert "no points: 监测时间点前2周内未更新" in reasons


# ------------------------------------------------- the evaluators' year: appeal, merge, compare

FINDINGS = ROOT / "examples" / "findings"
APPEAL = ROOT / "examples" / "appeals" / "zhujianju-appeal.yaml"


def _all_data() -> list[str]:
    """The rulebook's texts, every example's and the appeal's: data in any report."""
    texts = set(_strings(load_rulebook().model_dump(mode="json")))
    for path in [*EXAMPLES, APPEAL]:
        texts |= set(_strings(read_document(path).data))
        # the findings' YAML comments, which a merge or an appeal keeps
        texts |= {line.split("#", 1)[1].strip() for line in _lines(path) if "#" in line}
    return sorted((t for t in texts if _CJK.search(t)), key=len, reverse=True)


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _rounds(tmp_path: Path) -> tuple[Path, Path]:
    q3, q4 = tmp_path / "Q3", tmp_path / "Q4"
    shutil.copytree(FINDINGS, q3)
    shutil.copytree(FINDINGS, q4)
    edited = q4 / "zhujianju-weak.yaml"
    text = edited.read_text(encoding="utf-8")
    old = "    copies_policy_text:\n      value: true"
    assert old in text
    edited.write_text(text.replace(old, "    copies_policy_text:\n      value: false"), "utf-8")
    return q3, q4


def _halves(tmp_path: Path) -> tuple[Path, Path, Path]:
    """Two evaluators' halves of one file, and a copy of it that disagrees with the first."""
    text = (FINDINGS / "shengtaihuanjing-strong.yaml").read_text(encoding="utf-8")
    head, _unused, body = text.partition("\nindicators:\n")
    blocks = re.split(r"(?m)^(?=  [a-z_]+:)", body)
    other = re.sub(r"(?m)^assessors: .*$", "assessors: [王芳]", head)
    a, b, c = tmp_path / "a.yaml", tmp_path / "b.yaml", tmp_path / "c.yaml"
    a.write_text(head + "\nindicators:\n" + "".join(blocks[0::2]), encoding="utf-8")
    b.write_text(other + "\nindicators:\n" + "".join(blocks[1::2]), encoding="utf-8")
    first = "".join(blocks[0::2]).replace("true", "false", 1)
    c.write_text(other + "\nindicators:\n" + first, encoding="utf-8")
    return a, b, c


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_english_appeal_report_has_no_chinese_but_data(fmt: str) -> None:
    data = _all_data()
    en = wz("--lang", "en", "appeal", APPEAL, "--format", fmt)
    assert en.code == 0, en.err
    assert _foreign(en.out, data) == ""
    zh = wz("appeal", APPEAL, "--format", fmt)
    assert zh.code == 0 and en.out != zh.out
    if fmt == "text":
        assert "申诉复核：市住建局（初评 → 终评）" in zh.out
        assert "Appeal review: 市住建局 (first score → final score)" in en.out


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "html"])
def test_english_comparison_has_no_chinese_but_data(tmp_path: Path, fmt: str) -> None:
    data = _all_data()
    q3, q4 = _rounds(tmp_path)
    en = wz("--lang", "en", "compare", q3, q4, "--partial", "--format", fmt)
    assert en.code == 0, en.err
    assert _foreign(en.out, data) == ""
    zh = wz("compare", q3, q4, "--partial", "--format", fmt)
    if fmt == "text":
        assert "市住建局：66.62 → 67.45（+0.82）" in zh.out
        assert "市住建局: 66.62 → 67.45 (+0.82)" in en.out


def test_english_merge_has_no_chinese_but_data(tmp_path: Path) -> None:
    data = _all_data()
    a, b, c = _halves(tmp_path)
    out = tmp_path / "merged.yaml"
    en = wz("--lang", "en", "merge", a, b, "-o", out)
    assert en.code == 0, en.err
    merged = out.read_text(encoding="utf-8")
    assert _foreign(en.out + en.err + merged.replace("王芳", ""), data) == ""
    assert "merged by wzeval merge from: " in merged
    conflict = wz("--lang", "en", "merge", a, c, "-o", tmp_path / "no.yaml")
    assert conflict.code == 1
    assert "differs between two files" in conflict.err
    assert _foreign(conflict.err, data) == ""
    zh = wz("merge", a, c, "-o", tmp_path / "no.yaml")
    assert "在两个文件中取值不同" in zh.err
