"""Which language a run speaks, from its arguments and environment, with nothing but
built-ins: ``wzeval.__main__`` must know it before any import that takes time (to say
"interrupted" in the user's language if a signal comes first), and
:mod:`wzeval.core._i18n` and the CLI's ``--lang`` read it from here, so the three agree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

#: The languages wzeval speaks, by the name ``--lang`` and ``WZEVAL_LANG`` take.
LANGUAGES: tuple[str, ...] = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
ENV_VAR = "WZEVAL_LANG"


def normalise(name: str) -> str | None:
    """``zh``, ``zh_CN``, ``zh-CN``, ``zh_CN.UTF-8`` → ``zh``; ``en``, ``en_US`` → ``en``;
    anything else ``None``."""
    key = name.strip().lower().replace("-", "_").split(".")[0]
    for lang in LANGUAGES:
        if key == lang or key.startswith(lang + "_"):
            return lang
    return None


def lang_of(argv: Sequence[str]) -> str | None:
    """The language ``--lang`` names in ``argv`` (the last valid one before ``--``)."""
    lang = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        value = None
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg.partition("=")[2]
        if value in LANGUAGES:
            lang = value
    return lang


def env_language(environ: Mapping[str, str]) -> str:
    """``WZEVAL_LANG`` if it names a language wzeval speaks, else the default (Chinese)."""
    env = environ.get(ENV_VAR, "").strip()
    return (normalise(env) or DEFAULT_LANGUAGE) if env else DEFAULT_LANGUAGE
