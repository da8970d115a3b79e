"""The message catalogue: fresh, complete, and the language chosen as documented."""

from __future__ import annotations

import ast
import gettext
import importlib.util
import io
import json
import string
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.pofile import read_po
from support.paths import ROOT

import wzeval.core._i18n as i18n
from wzeval.cli import run
from wzeval.core._i18n import _, language, set_language, speaking

SOURCE = ROOT / "src" / "wzeval"


def _catalogue_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("catalogue", ROOT / "scripts" / "catalogue.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("catalogue", module)
    spec.loader.exec_module(module)
    return module


catalogue = _catalogue_script()


def _without_tool_version(data: bytes) -> str:
    """The file's text without Babel's ``Generated-By`` line (which names its version)."""
    return "\n".join(
        line for line in data.decode("utf-8").splitlines() if "Generated-By" not in line
    )


def test_template_is_what_the_source_asks_for() -> None:
    """The committed .pot is Babel's extraction of the source (python scripts/catalogue.py)."""
    assert _without_tool_version(catalogue.POT.read_bytes()) == _without_tool_version(
        catalogue.pot_bytes()
    ), "stale wzeval.pot: run python scripts/catalogue.py"


def test_po_has_exactly_the_templates_msgids() -> None:
    """The zh_CN .po is up to date with the template: nothing missing, nothing obsolete."""
    assert _without_tool_version(catalogue.PO.read_bytes()) == _without_tool_version(
        catalogue.updated_po_bytes()
    ), "stale wzeval.po: run python scripts/catalogue.py"


def test_mo_is_compiled_from_the_po() -> None:
    """The shipped .mo holds exactly the .po's translations."""
    committed = gettext.GNUTranslations(io.BytesIO(catalogue.MO.read_bytes()))
    fresh = gettext.GNUTranslations(io.BytesIO(catalogue.mo_bytes()))
    assert committed._catalog == fresh._catalog, "stale wzeval.mo: run python scripts/catalogue.py"  # type: ignore[attr-defined]


def _fields(text: str) -> set[tuple[str, str | None, str]]:
    return {
        (name, conversion, spec or "")
        for _literal, name, spec, conversion in string.Formatter().parse(text)
        if name is not None
    }


def _messages() -> Iterator[tuple[str, str]]:
    with catalogue.PO.open("rb") as f:
        po = read_po(f, locale="zh_CN")
    for message in po:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert not message.fuzzy, f"fuzzy translation of {ids[0]!r}"
        assert all(strings), f"no Chinese for {ids[0]!r}"
        for s in strings:
            yield ids[-1], s


def test_every_msgid_has_a_chinese_translation_with_the_same_fields() -> None:
    """A message without a translation, or whose translation names other fields, fails."""
    count = 0
    for msgid, msgstr in _messages():
        assert _fields(msgstr) == _fields(msgid), (msgid, msgstr)
        count += 1
    assert count > 0


def _is_wrapped(node: ast.expr) -> bool:
    """A message argument is fine when no English literal is in it outside ``_()``."""
    if isinstance(node, ast.Constant):
        return not (
            isinstance(node.value, str) and any(c.isascii() and c.isalpha() for c in node.value)
        )
    if isinstance(node, ast.JoinedStr):
        return False
    if isinstance(node, ast.Call):
        func = node.func
        # "…".format(…) is a bare literal; _(), ngettext(), or a helper (whose own texts
        # are checked where they are) is fine
        return not (
            isinstance(func, ast.Attribute) and isinstance(func.value, ast.Constant | ast.JoinedStr)
        )
    if isinstance(node, ast.BinOp):
        return _is_wrapped(node.left) and _is_wrapped(node.right)
    if isinstance(node, ast.IfExp):
        return _is_wrapped(node.body) and _is_wrapped(node.orelse)
    return True  # a name: the text was made (and checked) where it was assigned


#: Modules whose messages are not wrapped yet (issue 13): each leaves this list when it is.
NOT_YET_WRAPPED: set[str] = set()

#: (callable name, index of the message among the positional arguments, of the hint).
_MESSAGE_ARGS = {"Issue": (1, 5), "issue": (1, 3), "_Usage": (0, 1), "Hit": (1, 2)}


def test_every_issue_message_and_hint_is_wrapped() -> None:
    """Every message and hint given to ``Issue(…)``, ``….issue(…)``, ``_Usage(…)`` or
    lint's ``Hit(…)`` is a ``_()`` call, so a new English literal fails here."""
    bare = []
    for path in sorted(SOURCE.rglob("*.py")):
        if path.relative_to(SOURCE).as_posix() in NOT_YET_WRAPPED:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name not in _MESSAGE_ARGS:
                continue
            message_at, hint_at = _MESSAGE_ARGS[name]
            args = [a for i, a in enumerate(node.args) if i in (message_at, hint_at)] + [
                k.value for k in node.keywords if k.arg in ("message", "hint")
            ]
            for arg in args:
                if not _is_wrapped(arg):
                    bare.append(f"{path.relative_to(ROOT)}:{arg.lineno}: {ast.unparse(arg)[:70]}")
    assert not bare, "messages not wrapped in _():\n" + "\n".join(bare)


# --------------------------------------------------------------------------- the language


def test_default_is_chinese_and_the_environment_and_the_call_switch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No choice: Chinese; WZEVAL_LANG=en: English; set_language wins over both."""
    monkeypatch.delenv("WZEVAL_LANG", raising=False)
    with speaking(None):
        i18n._chosen = None
        assert language() == "zh"
        assert _("did you mean {name!r}?") == "是不是 {name!r}？"
        monkeypatch.setenv("WZEVAL_LANG", "en")
        assert language() == "en"
        assert _("did you mean {name!r}?") == "did you mean {name!r}?"
        assert set_language("zh_CN") == "zh"
        assert _("did you mean {name!r}?") == "是不是 {name!r}？"
        monkeypatch.setenv("WZEVAL_LANG", "fr")
        assert set_language(None) == "zh"  # an unknown language in the environment: the default
    # the refusal is in the language in force (Chinese here), naming what wzeval speaks
    with pytest.raises(ValueError, match=r"^未知的语言 'fr'；wzeval 支持 zh, en$"):
        set_language("fr")
    with speaking("en"), pytest.raises(ValueError, match=r"^unknown language 'fr'; wzeval speaks"):
        set_language("fr")


BROKEN_FINDINGS = """\
rulebook: cn-gov-web-2023
department: 没有这个局
facts: {}
"""

BROKEN_RULEBOOK = """\
id: broken
title: broken
version: "1"
categories: oops
"""


def _wz(*args: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run([str(a) for a in args], out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def broken(tmp_path: Path) -> dict[str, Path]:
    findings = tmp_path / "findings.yaml"
    findings.write_text(BROKEN_FINDINGS, encoding="utf-8")
    rulebook = tmp_path / "rulebook.yaml"
    rulebook.write_text(BROKEN_RULEBOOK, encoding="utf-8")
    return {"validate": findings, "lint": rulebook}


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def _messages_of(text: str) -> str:
    """The output without the file names and the echoed input (which may be Chinese)."""
    return text.replace("没有这个局", "")


@pytest.mark.parametrize("command", ["validate", "lint"])
def test_lang_en_and_the_environment_give_english_the_default_chinese(
    command: str, broken: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """validate and lint on a broken file: Chinese by default, English with --lang en or
    WZEVAL_LANG=en; the codes are the same in both."""
    monkeypatch.delenv("WZEVAL_LANG", raising=False)
    path = broken[command]
    code_zh, out_zh, err_zh = _wz(command, path)
    code_en, out_en, err_en = _wz(command, "--lang", "en", path)
    assert code_zh == code_en == 1
    text_zh, text_en = _messages_of(out_zh + err_zh), _messages_of(out_en + err_en)
    assert _has_chinese(text_zh), text_zh
    assert not _has_chinese(text_en), text_en
    codes = sorted(w for w in text_en.split() if w[:2] in ("WZ", "WL"))
    assert codes and codes == sorted(w for w in text_zh.split() if w[:2] in ("WZ", "WL"))
    monkeypatch.setenv("WZEVAL_LANG", "en")
    assert _wz(command, path)[1:] == (out_en, err_en)
    assert _wz(command, "--lang", "zh", path)[1:] == (out_zh, err_zh)
    assert language() == "en"  # --lang lasted for its run only


@pytest.mark.parametrize("command", ["validate", "lint"])
def test_json_keys_and_codes_do_not_change_with_the_language(
    command: str, broken: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """--format json: the same keys, codes, severities and places in both languages."""
    monkeypatch.delenv("WZEVAL_LANG", raising=False)
    path = broken[command]

    def neutral(lang: str) -> list[object]:
        _code, out, _err = _wz(command, "--format", "json", "--lang", lang, path)
        data = json.loads(out)
        items = data if isinstance(data, list) else data.get("issues", data)

        def strip(value: object) -> object:
            if isinstance(value, dict):
                return {
                    k: strip(v) for k, v in value.items() if k not in ("message", "hint", "summary")
                }
            if isinstance(value, list):
                return [strip(v) for v in value]
            return value

        return [strip(items)]

    assert neutral("zh") == neutral("en")


def test_help_is_in_the_language_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    """--help follows --lang, wherever --lang is on the line."""
    monkeypatch.delenv("WZEVAL_LANG", raising=False)
    _code, out_zh, _err = _wz("validate", "--help")
    _code, out_en, _err = _wz("validate", "--help", "--lang", "en")
    assert "--lang" in out_zh and "--lang" in out_en
    assert _has_chinese(out_zh)
    assert "warnings fail too" in out_en


def test_package_data_ships_the_compiled_catalogue() -> None:
    """pyproject's package-data includes the .mo that gettext reads."""
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"locale/*/LC_MESSAGES/*.mo"' in pyproject
    assert catalogue.MO.exists()
    assert gettext.find("wzeval", str(SOURCE / "locale"), ["zh_CN"]) == str(catalogue.MO)
