"""``output._batch``: what the pool of workers is given, and in what order it comes back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import wzeval.output._batch as batch


class _Pool:
    """A pool that runs each message when its result is asked for, counting the
    messages given out and not yet taken back."""

    def __init__(self) -> None:
        self.out = 0
        self.most = 0
        self.sizes: list[int] = []

    def apply_async(self, fn: Any, args: tuple[Any, ...]) -> Any:
        self.out += 1
        self.most = max(self.most, self.out)
        self.sizes.append(len(args[0]))
        pool = self

        class Result:
            def get(self) -> Any:
                pool.out -= 1
                return [(str(p), []) for p in args[0]]

        return Result()


@pytest.mark.parametrize(
    ("files", "chunk", "window"), [(0, 16, 4), (1, 16, 4), (1000, 16, 4), (1001, 64, 2), (7, 1, 3)]
)
def test_results_come_back_in_order_with_few_messages_out(
    files: int, chunk: int, window: int
) -> None:
    """Every file's result, in the order of the files, from messages of ``chunk``
    files, never more than ``window`` of them out at once: results do not pile up in
    the parent however fast the workers are."""
    pool = _Pool()
    paths = [Path(f"f{i:05d}.json") for i in range(files)]
    got = [r[0] for r in batch._in_window(pool, paths, chunk, window)]  # type: ignore[arg-type]
    assert got == [str(p) for p in paths]
    assert pool.most <= window and pool.out == 0
    # worked by hand: full messages, then what is left
    assert pool.sizes == [chunk] * (files // chunk) + ([files % chunk] if files % chunk else [])


def test_a_json_batch_is_given_out_in_small_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """A ranking of entries alone takes up to 64 files a message in a large batch; a
    batch that keeps each report's JSON keeps 16, so that the parent never holds many
    220 KB texts."""
    seen: dict[str, tuple[int, int]] = {}

    class Pool(_Pool):
        def __enter__(self) -> Pool:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

    class Context:
        def get_start_method(self) -> str:
            return "fork"

        def Pool(self, *args: Any, **kwargs: Any) -> Pool:
            return Pool()

    def window(pool: Any, paths: Any, chunk: int, size: int) -> Any:
        seen[keep] = (chunk, size)
        return iter(())

    import multiprocessing

    monkeypatch.setattr(multiprocessing, "get_context", lambda method=None: Context())
    monkeypatch.setattr(batch, "_in_window", window)
    paths = [Path(f"f{i}.json") for i in range(10_000)]
    for keep in ("entry", "json", "html"):
        list(batch.scored(paths, None, keep=keep, jobs=2))  # type: ignore[arg-type]
    # 10,000 files on 2 workers: 64 a message for entries, 16 otherwise; 2 out a worker
    assert seen == {"entry": (64, 4), "json": (16, 4), "html": (16, 4)}
