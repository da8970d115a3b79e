"""The YAML loader: exact values, positions, and a named issue for each kind of bad input."""

from __future__ import annotations

import time
import tracemalloc
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from wzeval.issues import Severity
from wzeval.loader import MAX_DEPTH, MAX_FILE_BYTES, load_document


def codes(text: str) -> list[str]:
    return [i.code for i in load_document(text=text, name="t.yaml").issues]


def test_scalars_become_exact_plain_values() -> None:
    """Floats become Decimals from their literal text; dates become dates."""
    doc = load_document(text="a: 0.1\nb: 2023-01-31\nc: 3\nd: true\n")
    assert doc.data == {"a": Decimal("0.1"), "b": date(2023, 1, 31), "c": 3, "d": True}
    assert type(doc.data["c"]) is int


def test_positions_of_keys_and_values() -> None:
    """Positions are 1-based line:col of the value, or of the key when asked."""
    doc = load_document(text="top:\n  items:\n    - id: x\n      share: 50%\n", name="r.yaml")
    assert str(doc.position(("top", "items", 0, "share"))) == "r.yaml:4:14"
    assert str(doc.position(("top", "items", 0, "share"), key=True)) == "r.yaml:4:7"
    # a path that does not exist points at its nearest existing parent
    assert str(doc.position(("top", "items", 0, "nope"))) == "r.yaml:3:7"


def test_syntax_error_has_position() -> None:
    """Broken YAML gives WZ101 at the line and column the parser stopped."""
    doc = load_document(text="a: [1, 2\nb: 3\n", name="t.yaml")
    (issue,) = doc.issues
    assert issue.code == "WZ101"
    assert issue.position is not None and issue.position.line == 2


def test_duplicate_key() -> None:
    """A repeated key is an error at the second occurrence, never a silent overwrite."""
    doc = load_document(text="a: 1\nb: 2\na: 3\n", name="t.yaml")
    (issue,) = doc.issues
    assert issue.code == "WZ102" and str(issue.position) == "t.yaml:3:1"
    assert doc.data is None


def test_tab_indentation() -> None:
    """A tab used for indentation gets its own code and a hint."""
    doc = load_document(text="a:\n\t- 1\n", name="t.yaml")
    (issue,) = doc.issues
    assert issue.code == "WZ105" and issue.hint and "tab" in issue.hint


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object/apply:os.system ['echo hi']\n",
        "a: !!python/name:os.system x\n",
        "a: !custom 3\n",
    ],
)
def test_unknown_tags_are_refused(text: str) -> None:
    """Python and custom tags are refused before anything is constructed."""
    assert codes(text) == ["WZ106"]


def test_billion_laughs_is_refused_quickly() -> None:
    """A 9-level alias bomb (10^9 nodes from < 1 KB) is refused in bounded time and memory."""
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i in "bcdefghi":
        p = chr(ord(i) - 1)
        bomb += f"{i}: &{i} [" + ",".join([f"*{p}"] * 9) + "]\n"
    tracemalloc.start()
    t0 = time.perf_counter()
    doc = load_document(text=bomb)
    elapsed = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert [i.code for i in doc.issues] == ["WZ107"]
    assert doc.data is None
    assert elapsed < 2.0
    assert peak < 50 * 1024 * 1024


def test_nesting_depth_is_bounded() -> None:
    """Nesting past MAX_DEPTH is refused (no RecursionError)."""
    deep = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    assert codes(deep) == ["WZ108"]
    assert codes("[" * 5000 + "]" * 5000) == ["WZ108"]


def test_file_size_is_bounded(tmp_path: Path) -> None:
    """A file over MAX_FILE_BYTES is refused before it is read."""
    big = tmp_path / "big.yaml"
    with big.open("wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)
    doc = load_document(big)
    assert [i.code for i in doc.issues] == ["WZ109"]


def test_invalid_utf8_has_position(tmp_path: Path) -> None:
    """An invalid UTF-8 byte (e.g. a GBK file) is reported at its line and column."""
    f = tmp_path / "gbk.yaml"
    f.write_bytes(b"a: 1\nb: " + "市发改委".encode("gbk") + b"\n")
    doc = load_document(f)
    (issue,) = doc.issues
    assert issue.code == "WZ103" and issue.position is not None
    assert (issue.position.line, issue.position.col) == (2, 4)


def test_bom_is_a_warning(tmp_path: Path) -> None:
    """A UTF-8 BOM is stripped with a warning; the data still loads."""
    f = tmp_path / "bom.yaml"
    f.write_bytes(b"\xef\xbb\xbfa: 1\n")
    doc = load_document(f)
    assert doc.data == {"a": 1}
    assert [(i.code, i.severity) for i in doc.issues] == [("WZ104", Severity.WARNING)]


def test_yaml11_booleans_warn() -> None:
    """Unquoted yes/no/on/off values warn (YAML 1.1 tools read them as booleans); keys do not."""
    doc = load_document(text="on: yes\nb: 'no'\nc: off\n", name="t.yaml")
    assert [(i.code, str(i.position)) for i in doc.issues] == [
        ("WZ111", "t.yaml:1:5"),
        ("WZ111", "t.yaml:3:4"),
    ]
    assert doc.data == {"on": "yes", "b": "no", "c": "off"}


def test_missing_file() -> None:
    """A missing file is WZ110, not an exception."""
    doc = load_document("/nonexistent/x.yaml")
    assert [i.code for i in doc.issues] == ["WZ110"]


def test_json_is_read_too(tmp_path: Path) -> None:
    """JSON documents load through the same path (JSON is YAML 1.2), decimals exact."""
    f = tmp_path / "x.json"
    f.write_text('{"a": 0.1, "b": [1, 2]}', encoding="utf-8")
    assert load_document(f).data == {"a": Decimal("0.1"), "b": [1, 2]}
