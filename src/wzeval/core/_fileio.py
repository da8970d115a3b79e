"""Reading an open file within a bound, one home for the reader (:mod:`wzeval.reading._source`)
and the validation cache (:mod:`wzeval.core._cache`): never trusting ``st_size``
(``/dev/zero`` says 0; a file may grow while read)."""

from __future__ import annotations

import os

#: How much one read takes at most.
CHUNK = 1 << 20


def read_at_most(fd: int, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of ``fd``: the caller knows the file is too large when
    it gets more than ``limit``, without reading the rest."""
    chunks: list[bytes] = []
    left = limit + 1
    while left > 0:
        chunk = os.read(fd, min(left, CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
