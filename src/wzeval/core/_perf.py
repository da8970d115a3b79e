"""Small performance helpers shared by the loader, the checker and the engine."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a burst of allocation.

    Reading a document and validating and compiling a rulebook allocate many objects
    that live on and form no garbage cycles; the collector, run again and again over
    a heap that keeps growing, made their time grow faster than their size
    (docs/performance.md: compiling a rulebook 100 times the 2023 one took 2.2 times
    longer per indicator than the 2023 one).  Reference counting still frees
    everything as usual, and the collector resumes (if it was running) when the
    block ends, however it ends.
    """
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()
