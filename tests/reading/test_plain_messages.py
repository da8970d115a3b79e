"""Data handed over in memory is refused in the user's language (issue 13, item 1):
every message and hint of :func:`wzeval.reading._plain.plain_document` is Chinese by
default and English with ``speaking("en")``, with the same code and path either way."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

import pytest

from wzeval.core._i18n import speaking
from wzeval.core._issues import Issue
from wzeval.reading._plain import plain_document


class _Unreadable(Mapping[str, Any]):
    """A mapping whose items cannot be had."""

    def items(self) -> Any:
        raise RuntimeError("no")

    def __getitem__(self, key: str) -> Any:
        raise RuntimeError("no")

    def __iter__(self) -> Iterator[str]:
        raise RuntimeError("no")

    def __len__(self) -> int:
        return 1


def _nested(levels: int) -> list[Any]:
    """``levels`` lists, each the only item of the one around it."""
    root: list[Any] = []
    inner = root
    for _level in range(levels):
        inner.append([])
        inner = inner[0]
    return root


_NUMBER_HINT_ZH = "数最多 100 个字符，介于 1e-100 和 1e100 之间（docs/security.md 的限制）"
_NUMBER_HINT_EN = (
    "numbers have at most 100 characters and lie between 1e-100 and 1e100"
    " (limits: docs/security.md)"
)

#: name → (value, file, code, path, (Chinese message, Chinese hint), (English …)).
#: 10 000 list items are 10 001 values with the root; 175 texts of 1000 "字" are
#: 525 000 bytes of UTF-8, past 512 × 1024 = 524 288; 10**5000 has 16 610 bits, and
#: 16 610 × 0.30103 is about 5000 digits; the 64th nested list is past MAX_DEPTH.
CASES: dict[str, tuple[object, str, str, tuple[Any, ...], tuple[str, str], tuple[str, str]]] = {
    "node limit": (
        [0] * 10_000,
        "<findings>",
        "WZ109",
        (9_999,),
        ("文档的值超过 10000 个", "把文档拆开；上限见 docs/security.md 的 MAX_NODES"),
        (
            "the document has more than 10000 values",
            "split the document; limit MAX_NODES in docs/security.md",
        ),
    ),
    "rulebook node limit": (
        {"wzeval": "rulebook/1", "r": [1] * 14_997},
        "<rulebook>",
        "WZ109",
        ("r", 14_995),
        ("文档的值超过 15000 个", "把文档拆开；上限见 docs/security.md 的 MAX_RULEBOOK_NODES"),
        (
            "the document has more than 15000 values",
            "split the document; limit MAX_RULEBOOK_NODES in docs/security.md",
        ),
    ),
    "byte limit": (
        ["字" * 1000] * 200,
        "<findings>",
        "WZ109",
        (174,),
        ("文档中的文字超过 524288 字节", "把文档拆开；上限见 docs/security.md 的 MAX_FILE_BYTES"),
        (
            "the document holds more than 524288 bytes of text",
            "split the document; limit MAX_FILE_BYTES in docs/security.md",
        ),
    ),
    "long number": (
        {"n": 10**5000},
        "<findings>",
        "WZ112",
        ("n",),
        ("约 5000 位的数超过 100 个字符", _NUMBER_HINT_ZH),
        ("the number of about 5000 digits is longer than 100 characters", _NUMBER_HINT_EN),
    ),
    "long number written out": (  # 10**120 has 399 bits: written out, 121 digits
        {"n": 10**120},
        "<findings>",
        "WZ112",
        ("n",),
        ("数 '1" + "0" * 39 + "' 超过 100 个字符", _NUMBER_HINT_ZH),
        ("the number '1" + "0" * 39 + "' is longer than 100 characters", _NUMBER_HINT_EN),
    ),
    "number too large": (
        {"d": Decimal("1e999999999")},
        "<findings>",
        "WZ112",
        ("d",),
        ("数 '1E+999999999' 不在 1e-100 和 1e100 之间", _NUMBER_HINT_ZH),
        ("the number '1E+999999999' is not between 1e-100 and 1e100", _NUMBER_HINT_EN),
    ),
    "control character": (
        {"s": "a\x00b"},
        "<findings>",
        "WZ101",
        ("s",),
        ("文档中不允许字符 U+0000，转义写法也不行", "删去控制字符；制表符和换行可以保留"),
        (
            "character U+0000 is not allowed in a document, not even as an escape",
            "remove the control character; tabs and line breaks are allowed",
        ),
    ),
    "not plain data": (
        {"a": [frozenset()]},
        "<findings>",
        "WZ412",
        ("a", 0),
        ("frozenset 类型的值不是普通数据", "传入映射、列表、文字、数、布尔值、日期或 None"),
        (
            "a value of type frozenset is not plain data",
            "pass mappings, lists, text, numbers, booleans, dates or None",
        ),
    ),
    "key not text": (
        {"a": {b"k": 1}},
        "<findings>",
        "WZ412",
        ("a",),
        ("bytes 类型的键不是文字", "映射的键须为文字"),
        ("a key of type bytes is not text", "mapping keys are text"),
    ),
    "unreadable": (
        {"a": _Unreadable()},
        "<findings>",
        "WZ413",
        ("a",),
        ("无法读取 _Unreadable：读取时出错", "传入普通的字典和列表"),
        (
            "the _Unreadable could not be read: reading it raised an error",
            "pass plain dicts and lists",
        ),
    ),
    "too deep": (
        _nested(70),
        "<findings>",
        "WZ108",
        (0,) * 64,
        ("嵌套超过 64 层", "减少文档的嵌套层数；上限见 docs/security.md 的 MAX_DEPTH"),
        (
            "nesting deeper than 64 levels",
            "flatten the document; limit MAX_DEPTH in docs/security.md",
        ),
    ),
}


def _refusal(value: object, file: str) -> Issue:
    doc = plain_document(value, file)
    assert doc.data is None
    (issue,) = doc.issues
    return issue


@pytest.mark.parametrize("name", list(CASES))
def test_refusals_are_chinese_by_default(name: str) -> None:
    value, file, code, path, (message, hint), _english = CASES[name]
    issue = _refusal(value, file)
    assert (issue.code, issue.path, issue.message, issue.hint) == (code, path, message, hint)
    assert str(issue.position) == file


@pytest.mark.parametrize("name", list(CASES))
def test_refusals_are_english_when_asked(name: str) -> None:
    value, file, code, path, _chinese, (message, hint) = CASES[name]
    with speaking("en"):
        issue = _refusal(value, file)
    assert (issue.code, issue.path, issue.message, issue.hint) == (code, path, message, hint)


class _Unwalkable(Mapping[str, Any]):
    """A mapping whose items view is had, but raises once walked."""

    def __getitem__(self, key: str) -> Any:
        raise RuntimeError("no")

    def __iter__(self) -> Iterator[str]:
        raise RuntimeError("no")

    def __len__(self) -> int:
        return 1


def test_a_collection_that_raises_while_walked_is_named_itself() -> None:
    """WZ413 names the collection that raised (not the outer dict) at its own path."""
    issue = _refusal({"a": [1, {"b": _Unwalkable()}]}, "<findings>")
    assert (issue.code, issue.path) == ("WZ413", ("a", 1, "b"))
    assert issue.message == "无法读取 _Unwalkable：读取时出错"


def test_the_language_is_the_one_in_force_when_the_data_is_read() -> None:
    """The same value read twice, once per language: only the words change."""
    value = {"a": [frozenset()]}
    chinese = _refusal(value, "<findings>")
    with speaking("en"):
        english = _refusal(value, "<findings>")
    assert chinese.message != english.message
    assert (chinese.code, chinese.path) == (english.code, english.path) == ("WZ412", ("a", 0))
