"""The YAML loader: exact values, positions, and a named issue for each kind of bad input."""

from __future__ import annotations

import time
import tracemalloc
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from wzeval.core._issues import Severity
from wzeval.reading._loader import load_document
from wzeval.reading._yamlcore import (
    MAX_ALIASES,
    MAX_DECIMAL_EXPONENT,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_NODES,
    MAX_NUMBER_LENGTH,
    Document,
)


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


@pytest.mark.usefixtures("english")  # asserts the English wording
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


# --------------------------------------------------------------------------------------
# Hostile YAML: every refusal has its code and position, and comes in bounded time and
# memory (measured here with time.perf_counter and tracemalloc; the margins are generous,
# a refusal takes milliseconds).  Each case runs on both YAML readers: libyaml's fast
# path (when ruamel.yaml.clib is installed) and the pure-Python reference path.

#: Bounds for a small hostile input.
SMALL_SECONDS = 2.0
SMALL_PEAK_BYTES = 50 * 1024 * 1024


def _bomb() -> str:
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i in "bcdefghi":
        p = chr(ord(i) - 1)
        text += f"{i}: &{i} [" + ",".join([f"*{p}"] * 9) + "]\n"
    return text


#: (id, text, [(code, "line:col")] of every issue, data is None)
HOSTILE: list[tuple[str, str, list[tuple[str, str]], bool]] = [
    ("alias-bomb", _bomb(), [("WZ107", "6:23")], True),
    (
        "too-many-aliases",
        "a: &a 1\nb: [" + ", ".join(["*a"] * (MAX_ALIASES + 1)) + "]\n",
        [("WZ107", "2:805")],
        True,
    ),
    ("deep-flow", "a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n", [("WZ108", "1:67")], True),
    (
        "deep-block",
        "".join(" " * (2 * i) + f"k{i}:\n" for i in range(MAX_DEPTH + 1))
        + " " * (2 * (MAX_DEPTH + 1))
        + "x: 1\n",
        [("WZ108", "65:129")],
        True,
    ),
    ("tab-indent", "a:\n\t- 1\n", [("WZ105", "2:1")], True),
    ("python-object", "a: !!python/object/apply:os.system ['id']\n", [("WZ106", "1:4")], True),
    ("python-name", "a: !!python/name:os.system\n", [("WZ106", "1:4")], True),
    ("python-module", "a: !!python/module:os\n", [("WZ106", "1:4")], True),
    ("custom-tag", "a: !custom 3\n", [("WZ106", "1:4")], True),
    ("set-tag", "a: !!set {x, y}\n", [("WZ106", "1:4")], True),
    ("binary-tag", "a: !!binary aGk=\n", [("WZ106", "1:4")], True),
    ("verbatim-tag", "a: !<tag:evil.example,2024:x> 1\n", [("WZ106", "1:4")], True),
    (
        "tag-directive",
        "%TAG !e! tag:evil.example,2024:\n---\na: !e!x 1\n",
        [("WZ114", "1:1")],
        True,
    ),
    ("duplicate-key", "a: 1\nb: 2\na: 3\n", [("WZ102", "3:1")], True),
    ("duplicate-nested-key", "a:\n  x: 1\n  x: 2\n", [("WZ102", "3:3")], True),
    (
        "yaml11-booleans",
        "a: yes\nb: No\nc: 'on'\nd: off\n",
        [("WZ111", "1:4"), ("WZ111", "2:4"), ("WZ111", "4:4")],
        False,
    ),
    ("nul-character", "a: b\x00c\n", [("WZ101", "1:5")], True),
    ("escape-character", "a: b\x1bc\n", [("WZ101", "1:5")], True),
    ("lone-surrogate-escape", 'a: "\\ud83d"\n', [("WZ101", "1:4")], True),
    # a character refused in the text is refused as an escape too (as in memory)
    ("nul-escape", 'a: "b\\0c"\n', [("WZ101", "1:4")], True),
    ("control-escape-json", '{"a": "b\\u0001c"}', [("WZ101", "1:7")], True),
    ("control-escape-key", '"k\\x7f": 1\n', [("WZ101", "1:1")], True),
    ("escape-past-unicode", 'a: "\\U00110000"\n', [("WZ101", "1:1")], True),
    ("int-too-long", "a: " + "9" * 101 + "\n", [("WZ112", "1:4")], True),
    ("hex-too-long", "a: 0x" + "f" * 120 + "\n", [("WZ112", "1:4")], True),
    ("int-past-python-limit", "a: " + "9" * 5000 + "\n", [("WZ112", "1:4")], True),
    ("decimal-exponent", "a: 1e999999999\n", [("WZ112", "1:4")], True),
    ("decimal-tiny", "a: -1e-999999999\n", [("WZ112", "1:4")], True),
    ("bad-int-tag", "a: !!int abc\n", [("WZ101", "1:4")], True),
    ("bad-int-tag-empty", "a: !!int ''\n", [("WZ101", "1:4")], True),
    ("bad-float-tag", "a: !!float abc\n", [("WZ101", "1:4")], True),
    ("bad-bool-tag", "a: !!bool maybe\n", [("WZ101", "1:4")], True),
    ("impossible-date", "a: 2023-02-30\n", [], False),
    ("impossible-offset", "a: 2023-01-01T10:00:00+25:00\n", [], False),
    ("second-document", "a: 1\n---\nb: 2\n", [("WZ101", "2:1")], True),
]


def _measured(text: str) -> tuple[Document, float, int]:
    """Load ``text``; return the document, the seconds it took and the peak bytes."""
    tracemalloc.start()
    try:
        start = time.perf_counter()
        doc = load_document(text=text, name="t.yaml")
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return doc, elapsed, peak


@pytest.mark.parametrize("reference", ["0", "1"], ids=["default", "reference"])
@pytest.mark.parametrize(
    ("text", "expected", "refused"), [c[1:] for c in HOSTILE], ids=[c[0] for c in HOSTILE]
)
def test_hostile_yaml_gives_its_code_and_place_fast(
    monkeypatch: pytest.MonkeyPatch,
    reference: str,
    text: str,
    expected: list[tuple[str, str]],
    refused: bool,
) -> None:
    """Each hostile document: the issue codes and line:col expected, in < 2 s and < 50 MB."""
    monkeypatch.setenv("WZEVAL_REFERENCE", reference)
    doc, elapsed, peak = _measured(text)
    got = [(i.code, str(i.position).removeprefix("t.yaml:")) for i in doc.issues]
    assert got == expected, [i.format() for i in doc.issues]
    assert (doc.data is None) is refused
    assert elapsed < SMALL_SECONDS
    assert peak < SMALL_PEAK_BYTES


@pytest.mark.parametrize("reference", ["0", "1"], ids=["default", "reference"])
def test_deep_flow_nesting_is_refused_in_bounded_time(
    monkeypatch: pytest.MonkeyPatch, reference: str
) -> None:
    """100 000 open brackets: WZ108 at the 65th, < 20 s and < 50 MB however many follow.

    ruamel's pure-Python scanner looks ahead about a thousand tokens with a quadratic
    simple-key check before the first event, so this costs about 2 s, whatever the depth.
    """
    monkeypatch.setenv("WZEVAL_REFERENCE", reference)
    doc, elapsed, peak = _measured("[" * 100_000 + "]" * 100_000)
    assert [(i.code, str(i.position)) for i in doc.issues] == [("WZ108", "t.yaml:1:65")]
    assert elapsed < 20
    assert peak < SMALL_PEAK_BYTES


def test_impossible_dates_stay_text() -> None:
    """A date-shaped value that is no date (2023-02-30, hour 25) stays the text written."""
    doc = load_document(text="a: 2023-02-30\nb: 2023-01-01 25:00:00\nc: 0000-01-01\n")
    assert doc.data == {"a": "2023-02-30", "b": "2023-01-01 25:00:00", "c": "0000-01-01"}


def test_numbers_at_the_limits_load() -> None:
    """Numbers right at MAX_NUMBER_LENGTH and MAX_DECIMAL_EXPONENT are read exactly."""
    digits = "9" * MAX_NUMBER_LENGTH
    doc = load_document(
        text=f"a: {digits}\nb: 1e{MAX_DECIMAL_EXPONENT}\nc: 1e-{MAX_DECIMAL_EXPONENT}\n"
    )
    assert doc.issues == []
    assert doc.data == {
        "a": int(digits),
        "b": Decimal(f"1e{MAX_DECIMAL_EXPONENT}"),
        "c": Decimal(f"1e-{MAX_DECIMAL_EXPONENT}"),
    }


def test_node_limit_is_enforced_where_it_is_passed(monkeypatch: pytest.MonkeyPatch) -> None:
    """One value past MAX_NODES is WZ109 at that value, measured small (limit lowered here)."""
    monkeypatch.setattr("wzeval.reading._yamlcore.MAX_NODES", 2_000)
    ok, _, _ = _measured("".join("- 1\n" for _ in range(1_999)))  # + the list itself
    assert ok.issues == [] and len(ok.data) == 1_999
    doc, elapsed, peak = _measured("".join("- 1\n" for _ in range(2_000)))
    assert [(i.code, str(i.position)) for i in doc.issues] == [("WZ109", "t.yaml:2000:3")]
    assert elapsed < SMALL_SECONDS * 5 and peak < SMALL_PEAK_BYTES


def test_wide_shallow_document_is_refused_in_bounded_time() -> None:
    """A 100 000-item list (400 KB, far inside MAX_FILE_BYTES) is refused at MAX_NODES, < 60 s."""
    text = "".join("- 1\n" for _ in range(100_000))
    start = time.perf_counter()
    doc = load_document(text=text, name="t.yaml")
    elapsed = time.perf_counter() - start
    assert [(i.code, str(i.position)) for i in doc.issues] == [("WZ109", f"t.yaml:{MAX_NODES}:3")]
    assert doc.data is None
    assert elapsed < 60


def test_string_filling_the_byte_limit_is_bounded() -> None:
    """A string scalar filling MAX_FILE_BYTES loads within 2 CPU s and 100 MB."""
    from support.bounds import measure

    n = MAX_FILE_BYTES - len("a: \n")
    doc, used = measure(lambda: load_document(text="a: " + "x" * n + "\n", name="t.yaml"))
    used.assert_within()
    assert doc.issues == [] and len(doc.data["a"]) == n


def test_long_string_on_the_reference_reader_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pure-Python reader (any document with a warning takes it) is linear: 200 KB < 30 s."""
    monkeypatch.setenv("WZEVAL_REFERENCE", "1")
    doc, elapsed, peak = _measured("b: yes\na: " + "x" * 200_000 + "\n")
    assert [i.code for i in doc.issues] == ["WZ111"]
    assert elapsed < 30
    assert peak < 100 * 1024 * 1024


def test_file_size_limit_holds_for_text_too() -> None:
    """Text over MAX_FILE_BYTES (counted in UTF-8) is refused before parsing, quickly."""
    text = "a: " + "市" * (MAX_FILE_BYTES // 3 + 1) + "\n"
    start = time.perf_counter()
    doc = load_document(text=text, name="t.yaml")
    assert [(i.code, str(i.position)) for i in doc.issues] == [("WZ109", "t.yaml")]
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize("reference", ["0", "1"], ids=["default", "reference"])
def test_json_escaped_surrogate_pairs_are_characters(
    monkeypatch: pytest.MonkeyPatch, reference: str
) -> None:
    """json.dumps writes 😀 and rare CJK (𠀀) as \\ud83d\\ude00: one character, not two halves."""
    import json

    monkeypatch.setenv("WZEVAL_REFERENCE", reference)
    text = json.dumps({"note": "😀𠀀张三", "𠀀": [1]})  # ensure_ascii: surrogate pairs
    doc = load_document(text=text, name="t.json")
    assert doc.issues == []
    assert doc.data == {"note": "😀𠀀张三", "𠀀": [1]}
    assert json.dumps(doc.data, ensure_ascii=False).encode("utf-8")  # no lone halves left
    reversed_pair = load_document(text='a: "\\ude00\\ud83d"\n', name="t.yaml")
    assert [(i.code, str(i.position)) for i in reversed_pair.issues] == [("WZ101", "t.yaml:1:4")]


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/urandom", "fifo", "folder", "socket"])
def test_special_files_are_refused_without_reading(tmp_path: Path, special: str) -> None:
    """A device, FIFO, socket or folder (also behind a symlink) is refused by name
    (WZ113), fast and small: /dev/zero used to fill memory and a FIFO to block."""
    import os
    import socket

    from support.bounds import measure

    target: Path
    if special.startswith("/dev/"):
        target = Path(special)
    elif special == "fifo":
        target = tmp_path / "pipe.yaml"
        os.mkfifo(target)
    elif special == "folder":
        target = tmp_path / "dir.yaml"
        target.mkdir()
    else:
        target = tmp_path / "s.yaml"
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(target))
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    try:
        for path in (target, link):
            doc, used = measure(lambda p=path: load_document(p))  # type: ignore[misc]
            used.assert_within()
            (issue,) = doc.issues
            assert issue.code == "WZ113" and doc.data is None
            assert issue.position is not None and issue.position.file == str(path)
            assert str(path) in issue.message
    finally:
        if special == "socket":
            sock.close()


@pytest.mark.usefixtures("english")  # asserts the English wording
def test_size_is_bounded_while_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The size is counted while reading, not trusted from st_size (0 for a device,
    stale for a file that grows): at most MAX_FILE_BYTES + 1 bytes are read."""
    import os

    import wzeval.reading._yamlcore as limits

    f = tmp_path / "grows.yaml"
    f.write_bytes(b"a: 1\n" * 10)  # 50 bytes
    real_stat = os.stat

    def stat_says_empty(path: object, *args: object, **kw: object) -> os.stat_result:
        st = list(real_stat(path, *args, **kw))  # type: ignore[call-overload]
        st[6] = 0  # st_size
        return os.stat_result(st)

    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 20)
    monkeypatch.setattr(os, "stat", stat_says_empty)
    (issue,) = load_document(f).issues
    assert issue.code == "WZ109" and "larger than the limit of 20 bytes" in issue.message
    f.write_bytes(b"a: 1\n" * 4)  # 20 bytes: exactly the limit
    assert not [i for i in load_document(f).issues if i.code == "WZ109"]


@pytest.mark.parametrize(
    ("text", "line", "col", "words"),
    [
        ("%YAML 1.3\n---\na: 1\n", 1, 7, "version 1.3"),
        ("%YAML 1.0\n---\na: 1\n", 1, 7, "version 1.0"),
        ("%YAML 1.10\n---\na: 1\n", 1, 7, "version 1.10"),
        ("%YAML 2.0\n---\na: 1\n", 1, 7, "version 2.0"),
        ("%YAML\n---\na: 1\n", 1, 6, "version (none)"),
        ("# note\n%YAML 1.2\n%YAML 1.2\n---\na: 1\n", 3, 1, "second %YAML"),
        ("%TAG !e! tag:example.com,2000:\n---\na: 1\n", 1, 1, "%TAG"),
        ("%FOO bar\n---\na: 1\n", 1, 1, "%FOO"),
    ],
)
@pytest.mark.usefixtures("english")  # asserts the English wording
def test_yaml_directives_are_issues(text: str, line: int, col: int, words: str) -> None:
    """Every directive but one %YAML 1.1 or 1.2 is WZ114 at its place (``%YAML 1.3``
    used to raise ruamel's AssertionError, an internal error)."""
    from support.bounds import measure

    doc, used = measure(lambda: load_document(text=text, name="d.yaml"))
    used.assert_within()
    (issue,) = doc.issues
    assert issue.code == "WZ114" and doc.data is None and words in issue.message
    assert issue.position is not None
    assert (issue.position.line, issue.position.col) == (line, col)


def test_yaml_directive_after_a_document_is_an_issue() -> None:
    """A %YAML 1.3 before a second document: WZ114 too, never an AssertionError."""
    doc = load_document(text="a: 1\n...\n%YAML 1.3\n---\nb: 1\n", name="d.yaml")
    assert [i.code for i in doc.issues] == ["WZ114"]
    assert doc.issues[0].position is not None and doc.issues[0].position.line >= 2


@pytest.mark.parametrize("version", ["1.1", "1.2"])
def test_accepted_yaml_versions_read(version: str) -> None:
    doc = load_document(text=f"%YAML {version} # c\n---\na: 1\n")
    assert doc.data == {"a": 1} and not doc.issues


@pytest.mark.usefixtures("english")  # asserts the English wording
def test_yaml11_boolean_warning_says_what_is_read() -> None:
    """Under %YAML 1.1 the WZ111 warning says the word is read as true/false (it is),
    keys included; under 1.2 it says it is read as a string."""
    doc = load_document(text="%YAML 1.1\n---\nn: yes\nl: [Y, off, yEs]\n", name="d.yaml")
    assert doc.data == {"False": True, "l": [True, False, "yEs"]}
    got = [(i.code, i.message, str(i.position)) for i in doc.issues]
    assert got == [
        ("WZ111", "the key 'n' is read as false here (%YAML 1.1)", "d.yaml:3:1"),
        ("WZ111", "'yes' is read as true here (%YAML 1.1)", "d.yaml:3:4"),
        ("WZ111", "'Y' is read as true here (%YAML 1.1)", "d.yaml:4:5"),
        ("WZ111", "'off' is read as false here (%YAML 1.1)", "d.yaml:4:8"),
    ]
    plain = load_document(text="a: yes\n", name="d.yaml").issues
    assert [i.message for i in plain] == [
        "'yes' is read as a string here, but as a boolean by YAML 1.1 tools"
    ]


def test_yaml_library_warnings_become_issues(capsys: pytest.CaptureFixture[str]) -> None:
    """A duplicate anchor made ruamel print ReusedAnchorWarning raw on stderr (and an
    error under pytest's filterwarnings=error); it is WZ116 at the second anchor."""
    from support.bounds import measure

    doc, used = measure(lambda: load_document(text="a: &x 1\nb: &x 2\nc: *x\n", name="w.yaml"))
    used.assert_within()
    got = [(i.code, i.severity, str(i.position)) for i in doc.issues]
    assert got == [("WZ116", Severity.WARNING, "w.yaml:2:4")]
    assert "duplicate anchor 'x'" in doc.issues[0].message
    assert doc.data == {"a": 1, "b": 2, "c": 2}
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("3\n", "1:1"),
        ("# c\n\n  foo\n", "3:3"),
        ("--- bar\n", "1:5"),
        ('%YAML 1.2\n---\n"x"\n', "3:1"),
    ],
)
def test_top_level_scalar_is_positioned(text: str, where: str) -> None:
    """A document that is one scalar has a line:col (it had none)."""
    doc = load_document(text=text, name="s.yaml")
    assert not doc.issues and doc.data is not None
    assert str(doc.position(())) == f"s.yaml:{where}"


def test_folder_expansion_does_not_follow_links_out_of_the_folder(tmp_path: Path) -> None:
    """A symlink in a folder that leads outside it is skipped (and listed); one that
    stays inside, and a path named directly, are read."""
    from wzeval.reading._loader import iter_files

    inside, away = tmp_path / "in", tmp_path / "away"
    inside.mkdir()
    away.mkdir()
    (away / "secret.yaml").write_text("a: 1\n", encoding="utf-8")
    (inside / "own.yaml").write_text("a: 1\n", encoding="utf-8")
    (inside / "out.yaml").symlink_to(away / "secret.yaml")
    (inside / "same.yaml").symlink_to(inside / "own.yaml")
    outside: list[Path] = []
    found = list(iter_files([inside], outside=outside))
    assert found == [inside / "own.yaml", inside / "same.yaml"]
    assert outside == [inside / "out.yaml"]
    assert list(iter_files([inside / "out.yaml"])) == [inside / "out.yaml"]


def test_folder_link_inside_the_working_directory_is_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder may link a file of the same project (a repository's rulebooks/ linking
    the packaged rulebook): its target is inside the working directory, so it is read;
    a link leading out of both the folder and the working directory is not."""
    from wzeval.reading._loader import iter_files

    project = tmp_path / "project"
    (project / "data").mkdir(parents=True)
    (project / "data" / "book.yaml").write_text("a: 1\n", encoding="utf-8")
    folder = project / "rulebooks"
    folder.mkdir()
    (folder / "book.yaml").symlink_to(project / "data" / "book.yaml")
    (tmp_path / "secret.yaml").write_text("b: 2\n", encoding="utf-8")
    (folder / "secret.yaml").symlink_to(tmp_path / "secret.yaml")
    monkeypatch.chdir(project)
    outside: list[Path] = []
    assert list(iter_files(["rulebooks"], outside=outside)) == [Path("rulebooks/book.yaml")]
    assert outside == [Path("rulebooks/secret.yaml")]


def test_the_characters_refused_are_those_ruamel_does_not_allow() -> None:
    """_NON_PRINTABLE is written as the ranges ruamel's table of allowed characters leaves
    out: over every code point, surrogates included, it finds exactly what ruamel's
    negated class finds."""
    import re

    from ruamel.yaml.reader import Reader

    from wzeval.reading._yamlcore import _NON_PRINTABLE

    allowed = re.compile(Reader.NON_PRINTABLE.pattern, Reader.NON_PRINTABLE.flags)
    every = "".join(map(chr, range(0x110000)))
    refused = _NON_PRINTABLE.findall(every)
    assert refused == allowed.findall(every)
    # worked by hand: 9 + 2 + 18 controls, 6 + 26 C1 controls, 2,048 surrogates, 2
    assert len(refused) == 9 + 2 + 18 + 6 + 26 + 2048 + 2
    assert "\t" not in refused and "\x85" not in refused and "\ud800" in refused
