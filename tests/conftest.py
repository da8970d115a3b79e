"""Shared pytest configuration for wzeval's tests.

Hypothesis profiles, for every Hypothesis test in the suite (``tests/scoring/test_properties.py``
and the others that draw from ``tests/support/strategies.py``); a test's own ``@settings`` still
overrides them:

``ci`` (the default)
    Deterministic: ``derandomize=True`` and no example database, so every run —
    a developer's and CI's — tests the same examples, and a failure is the same
    failure everywhere.  ``max_examples=60`` is kept modest so that the whole
    property file runs in well under 60 s on a 2-core machine.  ``deadline=None``
    (a slow example is not a failure) and ``print_blob=True`` (a failure prints a
    ``@reproduce_failure`` blob to paste above the test).

``long``
    A random, much longer search (``max_examples=2000``) for hunting bugs, with
    the usual example database so a failure found once is replayed next time::

        HYPOTHESIS_PROFILE=long .venv/bin/pytest -q tests/scoring/test_properties.py

Select a profile with the ``HYPOTHESIS_PROFILE`` environment variable; unset
means ``ci``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import settings

from wzeval.core._i18n import speaking

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    max_examples=60,
    deadline=None,
    print_blob=True,
)
settings.register_profile(
    "long",
    max_examples=2000,
    deadline=None,
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _language_from_the_test(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts in the default language (Chinese), whatever the shell's
    ``WZEVAL_LANG``, and a language a test chose does not leak into the next."""
    monkeypatch.delenv("WZEVAL_LANG", raising=False)
    with speaking(None):
        yield


@pytest.fixture(autouse=True)
def _cache_of_the_test(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Every test has a validation cache of its own (``WZEVAL_CACHE_DIR``, inherited by
    CLI subprocesses), empty at its start: no test reads what another, or the
    developer's own ``~/.cache/wzeval``, left there, and none writes into the latter."""
    monkeypatch.setenv("WZEVAL_CACHE_DIR", str(tmp_path_factory.mktemp("wzeval-cache")))
    monkeypatch.delenv("WZEVAL_NO_CACHE", raising=False)


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Messages in English, in-process and in CLI subprocesses (``WZEVAL_LANG=en``): for
    tests that assert English wording.  ``pytestmark = pytest.mark.usefixtures("english")``
    asks for it in a whole module."""
    monkeypatch.setenv("WZEVAL_LANG", "en")
    with speaking("en"):
        yield
