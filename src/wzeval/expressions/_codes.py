"""The WZ3xx issue codes of the expression language and what each means.

The codes are registry constants (:mod:`wzeval.core._codes`); this is the
expression layer's view of them, kept apart from the modules that raise them.
"""

from __future__ import annotations

from wzeval.core._codes import CODES as _ALL

CODES: dict[str, str] = {c: k.title for c, k in _ALL.items() if c.startswith("WZ3")}
