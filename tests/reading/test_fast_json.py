"""The JSON fast path (``wzeval.reading._fastjson``) gives the reference path's documents.

A JSON object is read by ``json.loads`` with its positions from one scan of the text,
and its round-trip tree is built by the YAML reader only when read.  These tests are
its proof: on generated JSON documents (nested objects and arrays, strings with
Chinese, emoji and escapes, numbers of every JSON shape, compact and indented), on odd
ones it must leave to the YAML reader, and on generated findings scored end to end, the
data (types included), every position (value and key), the tree and the issues are
those of the reference path (``WZEVAL_REFERENCE=1``, ruamel's pure-Python reader).
tests/scoring/test_fast_paths.py checks every JSON file of the repository the same way.
"""

from __future__ import annotations

import json
import random
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from support.documents import bundled, needs_c
from support.documents import paths as _paths
from support.documents import tree_of as _tree
from support.paths import ROOT
from support.strategies import findings_for

import wzeval.reading._fastjson as fastjson
import wzeval.reading._loader as loader
from wzeval.reading._fastjson import JsonDocument
from wzeval.reading._marked import MarkedDocument
from wzeval.scoring._api import compiled, load_findings
from wzeval.scoring._engine import evaluate_compiled

_STRINGS = [
    "",
    "a",
    "市教育局",
    "站甲a丁",
    "😀 emoji",
    'quote " inside',
    "back \\ slash",
    "slash / and \\/",
    "line\nbreak",
    "tab\there",
    "2023-11-15",
    "true",
    "null",
    "1.5",
    "# not a comment",
    "a: b",
    "- item",
    "{x}",
    "[y]",
    "&anchor",
    "*alias",
    "!tag",
    "%directive",
    "yes",
    "   spaced   ",
]
_NUMBERS = [
    "0",
    "1",
    "-1",
    "-0",
    "42",
    "1.5",
    "-0.25",
    "0.10",
    "1e3",
    "1E-3",
    "2.5e+2",
    "123456789012",
]
_KEYS = ["a", "b", "id", "value", "市", "1", "true", "null", "a b", "x-y", "é", "😀", 'q"k', "s\\k"]


def _value(r: random.Random, depth: int, sep: str, colon: str) -> str:
    kind = r.random()
    if depth < 4 and kind < 0.25:
        keys = r.sample(_KEYS, r.randint(0, 4))
        return (
            "{"
            + sep.join(f"{_text(k)}{colon}{_value(r, depth + 1, sep, colon)}" for k in keys)
            + "}"
        )
    if depth < 4 and kind < 0.4:
        return (
            "[" + sep.join(_value(r, depth + 1, sep, colon) for _ in range(r.randint(0, 4))) + "]"
        )
    if kind < 0.65:
        return _text(r.choice(_STRINGS))
    if kind < 0.85:
        return r.choice(_NUMBERS)
    return r.choice(["true", "false", "null"])


def _text(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def _document(r: random.Random) -> str:
    """A random JSON object, written compact, spaced or across lines."""
    sep = r.choice([", ", ",", ",\n  ", "\n, ", " ,\n"])
    colon = r.choice([": ", ":", " : ", ":\n    "])
    keys = r.sample(_KEYS, r.randint(1, 5))
    body = sep.join(f"{_text(k)}{colon}{_value(r, 1, sep, colon)}" for k in keys)
    return r.choice(["", "\n", "  "]) + "{" + body + r.choice(["}", "\n}"]) + "\n"


def _same(text: str, monkeypatch: pytest.MonkeyPatch) -> JsonDocument | None:
    """Read ``text`` on both paths; assert the same document; the fast one if JSON took it."""
    monkeypatch.setenv("WZEVAL_REFERENCE", "1")
    ref = loader.load_document(text=text, name="gen.json")
    monkeypatch.setenv("WZEVAL_REFERENCE", "0")
    got = loader.load_document(text=text, name="gen.json")
    assert repr(got.data) == repr(ref.data), text
    assert [i.to_dict() for i in got.issues] == [i.to_dict() for i in ref.issues], text
    if ref.data is not None:
        every = [*_paths(ref.data), ("nope",), ("nope", 0), (0,), (True,)]
        for p in every:
            assert got.position(p) == ref.position(p), (text, p)
            assert got.position(p, key=True) == ref.position(p, key=True), (text, p)
            assert got.empty_value(p) == ref.empty_value(p), (text, p)
    assert _tree(got.root) == _tree(ref.root), text  # the tree, built when read
    if ref.data is not None:
        for p in _paths(ref.data):  # and the positions once the tree is there
            assert got.position(p) == ref.position(p), (text, p)
    return got if isinstance(got, JsonDocument) else None


@needs_c
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_generated_json_documents_read_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """400 generated JSON objects: the reference path's data, positions, tree and issues;
    and the JSON fast path really takes most of them."""
    r = random.Random(15)
    taken = 0
    for _ in range(400):
        taken += _same(_document(r), monkeypatch) is not None
    assert taken > 350


@needs_c
@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1, "a": 2}\n',  # a duplicate key: the YAML reader reports it
        '{"a"\n: 1}\n',  # a key apart from its colon
        '{"b": {"a"  \n  : 1}}\n',  # by a line break after spaces, nested
        '{"a"         : 1}\n',  # by more than 8 spaces
        '{"b": {"a": 1, "a": 2}}\n',  # a duplicate key in a nested object
        '{"' + "\\n" * 600 + '": 1}\n',  # a key of escapes, 1,202 characters written
        '{"a": [' + ", ".join(["1"] * 10_000) + "]}\n",  # more than MAX_NODES
        '{"a":\t1}\n',  # a tab
        '{"a": 1}\r\n',  # a carriage return
        '{"a": "\\u00e9"}\n',  # a \\u escape
        '{"a": "\\b"}\n',  # an escape giving a control character
        '{"a": NaN}\n',  # not JSON
        '{"a": "x\u2028y"}\n',  # a line break for libyaml, not for JSON
        '{"' + "k" * 1100 + '": 1}\n',  # longer than a YAML simple key
        '{"a": ' + "[" * 70 + "]" * 70 + "}\n",  # deeper than MAX_DEPTH
        '{"a": 1e999999}\n',  # a number past the limit
        '{"a": 1} # comment\n',  # YAML, not JSON
        "[1, 2]\n",  # not an object
        '{"a": 1}\n---\n{"b": 2}\n',  # two YAML documents
        '{"a": [1, 2,]}\n',  # not JSON
    ],
)
def test_json_fast_path_leaves_odd_documents_to_the_yaml_reader(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the YAML reader might read otherwise is not taken, and reads the same."""
    monkeypatch.setenv("WZEVAL_REFERENCE", "0")
    assert fastjson.load_json_fast(text, "odd.json", []) is None
    _same(text, monkeypatch)


@needs_c
@pytest.mark.parametrize(
    "text",
    [
        '{"a"        : 1}\n',  # 8 spaces before the colon: a simple key still
        '{"' + "k" * 499 + '": 1}\n',  # the longest key taken without the scan
        '{"a": ' + "[" * 63 + "]" * 63 + "}\n",  # MAX_DEPTH deep, the root counted
        '{"a": [' + ", ".join(["1"] * 9_997) + "]}\n",  # MAX_NODES nodes
        '{"a": "k"         , "b": "\\"         :"}\n',  # spaces after a value, a string
    ],
)
def test_json_fast_path_takes_documents_at_its_limits(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At each limit the fast path still reads the document, as the YAML reader does;
    (the last one only sends itself to the YAML reader: a string's escaped quote and
    spaces before a colon look like a key apart from it)."""
    monkeypatch.setenv("WZEVAL_REFERENCE", "0")
    taken = fastjson.load_json_fast(text, "edge.json", []) is not None
    assert taken == ("\\" not in text)
    _same(text, monkeypatch)


@needs_c
def test_json_positions_are_scanned_only_when_first_asked_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A clean file asks for no position, so its text is not scanned for them; the
    first position asked for scans it once, and the positions are the scan's."""
    scans = []
    scan = fastjson._marks
    monkeypatch.setattr(fastjson, "_marks", lambda *a: scans.append(a) or scan(*a))
    monkeypatch.setenv("WZEVAL_REFERENCE", "0")
    doc = fastjson.load_json_fast('{"a": {"b": [1, 2]}}\n', "x.json", [])
    assert doc is not None and doc.data == {"a": {"b": [1, 2]}} and scans == []
    assert not doc.empty_value(("a",)) and scans == []  # JSON has no empty values
    assert str(doc.position(("a", "b", 1))) == "x.json:1:17"  # the 2, worked by hand
    assert str(doc.position(("a",), key=True)) == "x.json:1:2"
    assert len(scans) == 1


@needs_c
def test_json_fast_path_is_off_with_the_reference_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WZEVAL_REFERENCE", "1")
    assert fastjson.load_json_fast('{"a": 1}\n', "x.json", []) is None
    monkeypatch.setenv("WZEVAL_REFERENCE", "0")
    doc = fastjson.load_json_fast('{"a": 1}\n', "x.json", [])
    assert doc is not None and doc.data == {"a": 1}
    assert str(doc.position(("a",))) == "x.json:1:7"  # the 1, worked by hand
    assert str(doc.position(("a",), key=True)) == "x.json:1:2"


def _encode(o: object) -> object:
    if isinstance(o, datetime | date):
        return o.isoformat()
    if isinstance(o, Decimal | Fraction):
        return float(o)
    raise TypeError(o)


@needs_c
@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mapping=findings_for(bundled()))
def test_generated_findings_in_json_score_the_same(
    mapping: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Generated findings written as JSON, read, checked and scored on both paths: the
    same issues (with their positions) and byte-identical reports (positions included)."""
    rb = bundled()
    path = Path(tmp_path_factory.mktemp("json")) / "f.json"
    path.write_text(json.dumps(mapping, ensure_ascii=False, indent=2, default=_encode), "utf-8")
    results = []
    with pytest.MonkeyPatch.context() as mp:
        for reference in ("1", "0"):
            mp.setenv("WZEVAL_REFERENCE", reference)
            doc = loader.load_document(path)
            assert isinstance(doc, JsonDocument) == (reference == "0")
            from wzeval.checking._findings import check_findings

            findings, issues = check_findings(doc, compiled(rb), partial=True)
            report = None
            if findings is not None:
                report = evaluate_compiled(compiled(rb), findings, partial=True).to_json()
            results.append(([i.to_dict() for i in issues], report))
    assert results[0] == results[1]
    assert load_findings(mapping, rb, partial=True) is not None


@needs_c
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_yaml_marks_give_the_trees_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    """YAML read by the libyaml fast path keeps marks, not the tree: 600 generated
    documents (block and flow, empty values, comments, keys that are numbers or dates)
    give the reference path's positions and empty values before the tree is built, and
    the tree when it is read.  About a quarter of them are read by the libyaml fast path
    at all (the rest hold what the reference path reads), and of those with no key that
    is a number, a boolean, null or a date, every one keeps marks."""
    from support.documents import SCALARS as _SCALARS
    from support.documents import random_block as _block

    r = random.Random(2026)
    marked = 0
    for _ in range(600):
        text = (_block(r, 0, 0) or r.choice(_SCALARS)) + "\n"
        monkeypatch.setenv("WZEVAL_REFERENCE", "1")
        ref = loader.load_document(text=text, name="gen.yaml")
        monkeypatch.setenv("WZEVAL_REFERENCE", "0")
        got = loader.load_document(text=text, name="gen.yaml")
        marked += isinstance(got, MarkedDocument)
        assert repr(got.data) == repr(ref.data), text
        assert [i.to_dict() for i in got.issues] == [i.to_dict() for i in ref.issues], text
        if ref.data is not None:
            for p in [*_paths(ref.data), ("nope",), ("a", "nope"), (0,), (0, "a")]:
                assert got.position(p) == ref.position(p), (text, p)
                assert got.position(p, key=True) == ref.position(p, key=True), (text, p)
                assert got.empty_value(p) == ref.empty_value(p), (text, p)
        assert _tree(got.root) == _tree(ref.root), text
    assert marked > 50


@needs_c
def test_findings_examples_are_read_with_marks(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundled rulebook and the findings examples take the marks path (no fallback),
    and an empty value is told from a written null there as in the tree."""
    monkeypatch.setenv("WZEVAL_REFERENCE", "0")
    root = ROOT
    for path in [
        root / "rulebooks" / "2023.yaml",
        *sorted((root / "examples" / "findings").glob("*.yaml")),
    ]:
        assert isinstance(loader.load_document(path), MarkedDocument), path
    doc = loader.load_document(text="a: 1\nb: null\nc: ~ # none\n", name="e.yaml")
    assert isinstance(doc, MarkedDocument)
    assert [doc.empty_value((k,)) for k in "abc"] == [False, False, False]
    assert str(doc.position(("b",))) == "e.yaml:2:4"  # worked by hand: the null
    assert str(doc.position(("c",), key=True)) == "e.yaml:3:1"
    # a value left empty is the reference path's (libyaml places it elsewhere)
    doc = loader.load_document(text="a:\nb: null\n", name="e.yaml")
    assert not isinstance(doc, MarkedDocument)
    assert [doc.empty_value((k,)) for k in "ab"] == [True, False]


@needs_c
def test_marked_documents_pickle_and_build_their_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    """A marked document (JSON or YAML) pickles, tree not built yet, and builds the same
    tree afterwards."""
    import pickle

    monkeypatch.setenv("WZEVAL_REFERENCE", "0")
    for text, name in (('{"a": [1, {"b": "c"}]}\n', "p.json"), ("a:\n  - 1\n  - b: c\n", "p.yaml")):
        doc = loader.load_document(text=text, name=name)
        assert isinstance(doc, MarkedDocument)
        copy = pickle.loads(pickle.dumps(doc))
        assert copy.data == doc.data == {"a": [1, {"b": "c"}]}
        assert copy.position(("a", 1, "b")) == doc.position(("a", 1, "b"))
        assert (
            _tree(copy.root)
            == _tree(doc.root)
            == _tree(loader.load_yaml(text, name, tree=True).root)
        )


def test_the_quick_character_check_agrees_with_the_searches_on_every_code_point() -> None:
    """``_plain_text`` skips the two character searches for a text Python calls
    printable; over every code point (surrogates included), alone and in a line of
    Chinese, it refuses exactly what the searches find."""
    from wzeval.reading._yamlcore import _NON_PRINTABLE

    refused = []
    for cp in range(0x110000):
        ch = chr(cp)
        text = '{"部门": "市' + ch + '局"}\n'
        found = bool(fastjson._ODD.search(text) or _NON_PRINTABLE.search(text))
        assert fastjson._plain_text(text) is not found, hex(cp)
        if found:
            refused.append(ch)
    # worked by hand: _NON_PRINTABLE's 2,111 (test_loader) and _ODD's 6 (\t, \r, \x85,
    # \u2028, \u2029, \ufeff), none of which _NON_PRINTABLE refuses
    assert len(refused) == 2111 + 6


def test_a_printable_text_is_not_searched_character_by_character(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The point of the quick check: a findings file of Chinese text and line breaks
    never reaches the two searches."""

    class Refuse:
        def search(self, text: str) -> None:
            raise AssertionError("searched")

    monkeypatch.setattr(fastjson, "_ODD", Refuse())
    monkeypatch.setattr(fastjson, "_NON_PRINTABLE", Refuse())
    assert fastjson._plain_text('{\n  "部门": "市教育局",\n  "分": 1.5\n}\n')
    with pytest.raises(AssertionError, match="searched"):
        fastjson._plain_text('{"a": "\u3000"}\n')  # an ideographic space: Zs


@needs_c
def test_positions_are_scanned_under_the_limits_the_text_was_read_with(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A large document read under raised limits (as the scaling benchmark reads its
    large rulebooks) has its positions looked up after the limits are back: the scan
    must not judge them again and fall back to building the tree with the YAML reader
    (minutes for a 3 MB rulebook)."""
    import wzeval.reading._yamlcore as yamlcore

    text = '{"a": [' + ", ".join(["1"] * 12_000) + "]}\n"  # 12,003 nodes
    monkeypatch.setattr(yamlcore, "MAX_NODES", 20_000)
    monkeypatch.setenv("WZEVAL_REFERENCE", "0")

    def no_tree(text: str, file: str) -> Any:
        raise AssertionError("the tree was built")

    doc = fastjson.load_json_fast(text, "big.json", [], build=no_tree)
    assert doc is not None
    monkeypatch.setattr(yamlcore, "MAX_NODES", 10_000)  # back to the limit
    assert str(doc.position(("a", 11_999))) == f"big.json:1:{8 + 3 * 11_999}"  # by hand
