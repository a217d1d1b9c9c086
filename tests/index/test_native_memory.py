"""glibc's malloc settings: freed heap memory handed back; arenas bounded for a server."""

from __future__ import annotations

import subprocess
import sys

import pytest

_FREED_THEN_RELEASED = """
import sys
from index.native_memory import release_freed_memory
def rss():
    return int(next(l for l in open("/proc/self/status") if l.startswith("VmRSS")).split()[1]) // 1024
# ~120 MB in blocks below the mmap threshold, each followed by a small block that stays: the freed blocks
# are holes in the heap, which free() alone never hands back.
chunks, kept = [], []
for _ in range(6000):
    chunks.append(bytearray(20_000))
    kept.append(bytearray(600))
del chunks
before = rss()
release_freed_memory()
print(before, rss())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_freed_heap_memory_is_handed_back() -> None:
    out = subprocess.run([sys.executable, "-c", _FREED_THEN_RELEASED], check=True, capture_output=True, text=True)
    before, after = map(int, out.stdout.split())
    assert before - after > 60  # MB


def test_a_server_bounds_its_malloc_arenas_unless_the_user_set_them(monkeypatch: pytest.MonkeyPatch) -> None:
    from api import commands

    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    commands._bound_malloc_arenas()
    import os

    from index.embedders import available_cores

    assert os.environ["MALLOC_ARENA_MAX"] == str(available_cores())
    monkeypatch.setenv("MALLOC_ARENA_MAX", "7")
    commands._bound_malloc_arenas()
    assert os.environ["MALLOC_ARENA_MAX"] == "7"
