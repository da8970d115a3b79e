"""The public façade: complete, sorted, typed exceptions."""

from __future__ import annotations

import types

import wzeval
from wzeval import errors


def test_all_is_sorted_and_complete() -> None:
    """__all__ is sorted and names every public (non-module) attribute of the package."""
    assert list(wzeval.__all__) == sorted(wzeval.__all__)
    for name in wzeval.__all__:  # the façade imports its names on first use
        getattr(wzeval, name)
    public = {
        name
        for name, value in vars(wzeval).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert public | {"__version__"} == set(wzeval.__all__)


def test_all_names_resolve() -> None:
    """Every name in __all__ exists."""
    for name in wzeval.__all__:
        assert hasattr(wzeval, name), name


def test_exceptions_refine_builtins() -> None:
    """Each wzeval exception derives from WzevalError and the builtin it refines."""
    assert issubclass(errors.ValidationFailed, ValueError)
    assert issubclass(errors.ExpressionError, ValueError)
    assert issubclass(errors.CalendarError, ValueError)
    assert issubclass(errors.LimitExceeded, ValueError)
    assert issubclass(errors.OutputExists, FileExistsError)
    for exc in (
        errors.ValidationFailed,
        errors.ExpressionError,
        errors.CalendarError,
        errors.LimitExceeded,
        errors.OutputExists,
    ):
        assert issubclass(exc, wzeval.WzevalError)


def test_validation_failed_carries_every_issue() -> None:
    """ValidationFailed keeps all issues and names the first in its message."""
    try:
        wzeval.load_rulebook("/nonexistent/rulebook.yaml")
    except wzeval.ValidationFailed as exc:
        assert exc.issues[0].code == "WZ110"
        assert "WZ110" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("expected ValidationFailed")


def test_import_is_lazy() -> None:
    """``import wzeval`` loads none of the heavy modules; a name loads on first use."""
    import subprocess
    import sys

    code = (
        "import sys, wzeval; "
        "print(sorted(m for m in ('pydantic', 'ruamel.yaml', 'simpleeval', 'wzeval.models') "
        "if m in sys.modules)); "
        "wzeval.ScoreReport; print('wzeval.report' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    assert out[0] == "[]"
    assert out[1] == "True"
