"""No text a person reads is left outside the message catalogue (issue 13, item 1).

``tests/core/test_i18n.py`` checks the messages given to ``Issue(…)`` and its helpers;
this file scans the rest of ``src/wzeval`` with :mod:`ast` for the other places a bare
English literal reaches a person: the errors wzeval raises (and the ``ValueError`` /
``TypeError`` a platform builder gets for a bad argument), any call that takes an issue
code first (``fail(WZ304, message, …)``, ``OutputRefused(WZ913, message, hint)``), every
``hint=`` / ``message=``, a ``hint = "…"`` assignment, and argparse's ``help=``,
``description=`` and ``epilog=``.  A literal passes when it is inside ``_()``,
``ngettext()``, ``pgettext()`` or ``N_()``; the deliberate exceptions are listed, each
with its reason, in :data:`ALLOWED`.

The second half checks that texts this audit moved into the catalogue read Chinese by
default and English when asked.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.paths import ROOT

import wzeval
from wzeval.core._errors import OutputExists, OutputRefused
from wzeval.core._i18n import _, pgettext, speaking
from wzeval.output._files import check_not_input, check_writable

SOURCE = ROOT / "src" / "wzeval"

#: The exceptions whose message a person reads: wzeval's own (core/_errors.py and the
#: private ones that become an issue) and the builtins a library caller gets for bad input.
USER_ERRORS = frozenset(
    {
        "WzevalError",
        "ValidationFailed",
        "ExpressionError",
        "CalendarError",
        "LimitExceeded",
        "OutputExists",
        "OutputRefused",
        "MissingDependency",
        "XlsxUnavailable",
        "HypothesisUnavailable",
        "NotAssessedYet",  # kinds/base.py: the reason an item is not assessed
        "_Refused",  # model/_extends.py and reading/_plain.py: becomes one issue
        "ValueError",
        "TypeError",
    }
)
#: Keywords whose value a person reads, on any call.
TEXT_KEYWORDS = frozenset({"hint", "message"})
#: argparse's texts, on the calls that build the command line.
ARGPARSE_CALLS = frozenset(
    {"add_argument", "add_parser", "ArgumentParser", "add_argument_group", "new_command"}
)
ARGPARSE_KEYWORDS = frozenset({"help", "description", "epilog"})
#: Variables that hold a hint or message until it is given to an issue or an error.
TEXT_NAMES = frozenset({"hint", "message", "msg"})

_CODE = re.compile(r"W[ZL]\d{3}")

#: (module, the literal's first words) left bare on purpose.  Every entry says why; an
#: entry that no longer matches anything fails too, so the list cannot go stale.
ALLOWED: dict[tuple[str, str], str] = {
    # Internal control flow: caught by the findings checker, which reports the slip
    # with its own translated message and suggestion; never shown.
    ("core/_dates.py", "{} is not in the form YYYY-MM-DD"): "caught, never shown",
    ("core/_dates.py", "{} is not in the form YYYY-MM-DD HH:MM"): "caught, never shown",
    ("checking/_factvalues.py", "a number"): "caught right below, never shown",
    # Programming errors no user input can trigger: wzeval's own modules register
    # their lint checks at import, and the models forbid an unknown fact type.
    ("analysis/_lint/_registry.py", "lint code {} is registered twice"): "wzeval's bug",
    ("analysis/_lint/_registry.py", "lint rule name {} is registered twice"): "wzeval's bug",
    ("analysis/_lint/_registry.py", "lint check {} needs a docstring (it is"): "wzeval's bug",
    ("checking/_factvalues.py", "unknown fact type {}"): "unreachable: the models forbid it",
    ("reading/_loader.py", "load_document needs a path or text"): "private; callers pass one",
}


def _words(text: str) -> bool:
    """Whether a literal holds English a person would read (a letter outside a field)."""
    return any(c.isascii() and c.isalpha() for c in re.sub(r"\{[^{}]*\}", "", text))


def _literal_text(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    return None


def _bare(node: ast.expr) -> Iterator[ast.expr]:
    """The English literals in ``node`` that are not inside a catalogue call."""
    text = _literal_text(node)
    if text is not None:
        if isinstance(node, ast.Constant):
            # a plain literal without fields: test on it as it is
            if _words(node.value):
                yield node
        elif _words(text):
            yield node
        return
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and _literal_text(func.value) is not None:
            yield from _bare(func.value)  # "…".format(…): a bare literal
        return  # _(), ngettext(), or a helper whose own texts are checked where they are
    if isinstance(node, ast.BinOp):
        yield from _bare(node.left)
        yield from _bare(node.right)
    elif isinstance(node, ast.IfExp):
        yield from _bare(node.body)
        yield from _bare(node.orelse)
    elif isinstance(node, ast.BoolOp):
        for value in node.values:
            yield from _bare(value)


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _texts(tree: ast.AST) -> Iterator[ast.expr]:
    """Every argument in ``tree`` a person reads, as this module's docstring lists them."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            if any(isinstance(t, ast.Name) and t.id in TEXT_NAMES for t in node.targets):
                yield node.value
            continue
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        code_first = (
            bool(node.args)
            and isinstance(node.args[0], ast.Name)
            and _CODE.fullmatch(node.args[0].id) is not None
        )
        if name in USER_ERRORS or code_first:
            yield from node.args
        if name == "new_command":
            yield from node.args[2:]
        for k in node.keywords:
            if k.arg in TEXT_KEYWORDS or (name in ARGPARSE_CALLS and k.arg in ARGPARSE_KEYWORDS):
                yield k.value


def _bare_literals(source: str) -> list[str]:
    """``line: text`` of every bare English literal in one module's source."""
    out = []
    for arg in _texts(ast.parse(source)):
        for lit in _bare(arg):
            text = _literal_text(lit)
            assert text is not None
            out.append(f"{lit.lineno}: {text}")
    return out


def _found() -> dict[str, list[str]]:
    return {
        path.relative_to(SOURCE).as_posix(): found
        for path in sorted(SOURCE.rglob("*.py"))
        if (found := _bare_literals(path.read_text(encoding="utf-8")))
    }


def _allowed(module: str, line: str) -> bool:
    text = line.split(": ", 1)[1]
    return any(m == module and text.startswith(start) for m, start in ALLOWED)


def test_no_user_facing_literal_is_left_outside_the_catalogue() -> None:
    """A bare English message, hint, error text or --help text in src/wzeval fails here
    (wrap it in _() and give it its Chinese), unless ALLOWED says why it stays."""
    bare = [
        f"src/wzeval/{module}:{line}"
        for module, lines in _found().items()
        for line in lines
        if not _allowed(module, line)
    ]
    assert not bare, "texts a person reads, not in the catalogue:\n" + "\n".join(bare)


def test_every_allowed_exception_still_exists() -> None:
    """An ALLOWED entry whose literal is gone (or was wrapped) is removed from the list."""
    found = _found()
    stale = [
        key
        for key in ALLOWED
        if not any(line.split(": ", 1)[1].startswith(key[1]) for line in found.get(key[0], []))
    ]
    assert not stale, f"stale ALLOWED entries: {stale}"


@pytest.mark.parametrize(
    ("source", "bare"),
    [
        ('raise ValueError(f"unknown format {fmt!r}")', ["1: unknown format {}"]),
        ('raise OutputExists(_("{path} exists").format(path=p))', []),
        ('fail(WZ304, "no such name", where, node)', ["1: no such name"]),
        ('fail(WZ304, _("no such name"), where, node, hint="use x")', ["1: use x"]),
        ('hint = "check the facts"', ["1: check the facts"]),
        ('hint = _("check the facts")', []),
        ('p.add_argument("--force", help="replace it")', ["1: replace it"]),
        ('p.add_argument("--force", help=_("replace it"))', []),
        ('new_command(sub, "lint", "soundness checks", EPILOG)', ["1: soundness checks"]),
        ('raise ValueError(_("bad") + (f"; {hint}" if hint else ""))', []),
        ('raise ValueError(_("bad") + (f"; or {hint}" if hint else ""))', ["1: ; or {}"]),
        ('Issue(WZ201, "{}".format(x))', []),  # no English in it
        ('raise TooComplex("free text")', []),  # internal control flow, never shown
    ],
)
def test_the_scan_finds_a_bare_text(source: str, bare: list[str]) -> None:
    """The scan itself: each place it watches, bare and wrapped (worked by hand)."""
    assert _bare_literals(source) == bare


def test_unwrapping_a_real_message_fails_the_scan() -> None:
    """Taking the _() off one message of the source is caught."""
    path = SOURCE / "output" / "_files.py"
    text = path.read_text(encoding="utf-8")
    wrapped = '_("give -o the path of a report file")'
    assert wrapped in text
    assert not _bare_literals(text)
    unwrapped = _bare_literals(text.replace(wrapped, '"give -o the path of a report file"'))
    assert [line.split(": ", 1)[1] for line in unwrapped] == ["give -o the path of a report file"]


_MARKERS = frozenset({"_", "ngettext", "pgettext", "N_"})


def _marked_in_fstrings(source: str) -> list[str]:
    """``line: text`` of each message literal marked for translation inside an f-string:
    Python translates it, but the catalogue's extractor (scripts/catalogue.py) does not
    look inside f-strings, so its msgid is dropped from the catalogue and it is shown
    in English."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.JoinedStr):
            continue
        for inner in ast.walk(node):
            if (
                isinstance(inner, ast.Call)
                and _name(inner.func) in _MARKERS
                and any(
                    isinstance(a, ast.Constant) and isinstance(a.value, str) for a in inner.args
                )
            ):
                text = next(
                    a.value
                    for a in inner.args
                    if isinstance(a, ast.Constant) and isinstance(a.value, str)
                )
                out.append(f"{inner.lineno}: {text}")
    return out


def test_no_message_is_marked_inside_an_f_string() -> None:
    """Every ``_("…")`` of the source is where the extractor finds it."""
    found = {
        str(path.relative_to(SOURCE)): hits
        for path in sorted(SOURCE.rglob("*.py"))
        if (hits := _marked_in_fstrings(path.read_text(encoding="utf-8")))
    }
    assert found == {}


@pytest.mark.parametrize(
    ("source", "hits"),
    [
        ("x = f\"{_('rank')}: {n}\"", ["1: rank"]),
        ("x = f\"{n} {ngettext('file', 'files', n)}\"", ["1: file"]),
        ('x = f"  {k}  {_(v)}"', []),  # a variable: its msgid is marked where it is written
        ('x = _("rank") + f": {n}"', []),
    ],
)
def test_the_f_string_scan_finds_a_marked_literal(source: str, hits: list[str]) -> None:
    assert _marked_in_fstrings(source) == hits


# ------------------------------------------------------------ what the audit translated


def test_an_existing_output_is_refused_in_chinese_and_in_english(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(OutputExists) as info:
        check_writable(target)
    assert str(info.value) == f"{target} 已经存在；没有写出任何内容"
    with speaking("en"), pytest.raises(OutputExists) as info:
        check_writable(target)
    assert str(info.value) == f"{target} already exists; nothing was written"


def test_an_input_given_as_the_output_is_refused_in_chinese(tmp_path: Path) -> None:
    source = tmp_path / "findings.yaml"
    source.write_text("x", encoding="utf-8")
    with pytest.raises(OutputRefused) as info:
        check_not_input(source, [source])
    assert str(info.value) == f"{source} 是本次运行的输入文件；未被覆盖"
    assert info.value.hint == "--force 只替换旧报告，绝不替换输入：换一个 -o 路径"


def test_the_diff_says_rulebook_as_its_heading_does_and_a_report_keeps_its_word() -> None:
    """One English word, two Chinese ones: the diff's section is 规则集 (its heading says
    规则集对比), a report's meta label stays 评估规则; English reads Rulebook in both."""
    assert pgettext("diff section", "Rulebook") == "规则集"
    assert _("Rulebook") == "评估规则"
    with speaking("en"):
        assert pgettext("diff section", "Rulebook") == "Rulebook"


def test_extends_messages_name_their_members_in_chinese(tmp_path: Path) -> None:
    """A merge message names the member kind and its owner in the user's language, not
    'category' … 'in rulebook' inside a Chinese sentence."""
    f = tmp_path / "city.yaml"
    f.write_text(
        "wzeval: rulebook/1\nid: city-2024\nextends: bundled:2023\nremove_categories: [nope]\n",
        encoding="utf-8",
    )
    rb, issues = wzeval.read_rulebook(f)
    assert rb is None
    (issue,) = [i for i in issues if i.code == "WZ253"]
    assert issue.message == "不能删除未知的 类别 'nope'（规则集 'xianning-2023' 中）"
    with speaking("en"):
        rb, issues = wzeval.read_rulebook(f)
    (issue,) = [i for i in issues if i.code == "WZ253"]
    assert issue.message == "cannot remove unknown category 'nope' in rulebook 'xianning-2023'"
