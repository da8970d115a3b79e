"""The message catalogue: every text a person reads, in Chinese (the default) or English.

Messages are written in the source in English and wrapped in :func:`_`
(:func:`ngettext` for counts), with named fields filled in afterwards::

    _("department name {name!r} is used twice").format(name=n)

English msgids are the gettext convention, so Babel's tools extract and update
them; the Chinese translations live in
``src/wzeval/locale/zh_CN/LC_MESSAGES/wzeval.po``, compiled to the ``wzeval.mo``
beside it (committed, kept fresh by ``tests/core/test_i18n.py``; ``scripts/catalogue.py``
extracts, updates and compiles).  At run time only the standard library's
:mod:`gettext` reads the ``.mo``; Babel is a development tool.

The language is, in order: the last :func:`set_language` call (``wzeval --lang``
makes one), else the ``WZEVAL_LANG`` environment variable, else Chinese.  A text
is translated when it is made, so set the language before loading or checking.
Codes (``WZ…``, ``WL…``) and JSON keys are never translated.

:func:`N_` marks a text for extraction without translating it (tables built at
import time); translate it where it is shown, with :func:`_`.  :func:`pgettext` gives
a text a context, for the rare English word two places translate differently.
"""

from __future__ import annotations

import contextlib
import gettext
import os
from collections.abc import Iterator
from pathlib import Path

from wzeval.core._langarg import (
    DEFAULT_LANGUAGE,
    ENV_VAR,
    LANGUAGES,
    env_language,
    normalise,
)

__all__ = [
    "DEFAULT_LANGUAGE",
    "ENV_VAR",
    "LANGUAGES",
    "N_",
    "_",
    "language",
    "ngettext",
    "pgettext",
    "set_language",
    "speaking",
]


_LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
#: The gettext locale each language reads.
_LOCALES = {"zh": "zh_CN", "en": None}

_chosen: str | None = None
_current: tuple[str, gettext.NullTranslations] | None = None


def _normalise(name: str) -> str:
    """:func:`~wzeval.core._langarg.normalise`, refusing a language wzeval does not speak."""
    lang = normalise(name)
    if lang is None:
        raise ValueError(
            _("unknown language {name!r}; wzeval speaks {languages}").format(
                name=name, languages=", ".join(LANGUAGES)
            )
        )
    return lang


def set_language(name: str | None) -> str:
    """Choose the language of messages (``"zh"`` or ``"en"``); ``None`` goes back to
    ``WZEVAL_LANG``, else Chinese.  Returns the language now in force."""
    global _chosen
    _chosen = None if name is None else _normalise(name)
    return language()


@contextlib.contextmanager
def speaking(name: str | None) -> Iterator[str]:
    """Within the block, messages are in ``name`` (``None``: no change); the choice
    in force before comes back after it (``wzeval.cli.run`` uses this for ``--lang``)."""
    global _chosen
    before = _chosen
    try:
        yield set_language(name) if name is not None else language()
    finally:
        _chosen = before


def language() -> str:
    """The language messages are made in now."""
    return _chosen if _chosen is not None else env_language(os.environ)


def _translations() -> gettext.NullTranslations:
    global _current
    lang = language()
    if _current is None or _current[0] != lang:
        locale = _LOCALES[lang]
        if locale is None:
            tr: gettext.NullTranslations = gettext.NullTranslations()
        else:
            tr = gettext.translation(
                "wzeval", localedir=_LOCALE_DIR, languages=[locale], fallback=True
            )
        _current = (lang, tr)
    return _current[1]


def _(message: str) -> str:
    """``message`` (an English msgid) in the current language."""
    return _translations().gettext(message)


def pgettext(context: str, message: str) -> str:
    """``message`` as read in ``context``: for an English word two places say alike
    but Chinese says differently (the ``.po`` holds it under ``msgctxt``)."""
    return _translations().pgettext(context, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of ``singular``/``plural`` for ``n``, in the current language."""
    return _translations().ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it now."""
    return message
