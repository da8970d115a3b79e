"""Reports speak the user's language (issue 13): with English chosen, a scored report's
reasons hold no Chinese but the rulebook's and the findings' own data (indicator names,
item titles, veto labels, option labels, notes); by default they are the Chinese of
before, word for word."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from wzeval.core._i18n import speaking
from wzeval.model._report import ScoreReport
from wzeval.reading._documents import read_document
from wzeval.scoring._api import load_rulebook
from wzeval.scoring._api import score as score_file

ROOT = Path(__file__).parent.parent
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
