"""glibc's malloc settings that bound a server's resident memory; on another C library they do nothing.

glibc keeps memory that threads freed, per thread arena, and hands it back only when asked.  Measured by the
resident memory of a serving process in benchmarks/compare.py.
"""

from __future__ import annotations

import ctypes
from functools import cache

_M_ARENA_MAX = -8  # mallopt parameter number, from glibc's malloc.h


@cache
def _libc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL(None)
        libc.malloc_trim, libc.mallopt  # noqa: B018  (glibc only)
    except (AttributeError, OSError):
        return None
    return libc


def release_freed_memory() -> None:
    """Hand the heap memory freed so far back to the system (``malloc_trim``): after a batch, whose
    activation buffers would otherwise stay mapped for the process's whole life."""
    if (libc := _libc()) is not None:
        libc.malloc_trim(0)


def limit_arenas(count: int) -> None:
    """At most ``count`` malloc arenas (``MALLOC_ARENA_MAX``, set before the threads start): glibc's
    default of eight per core gives each of a server's threads its own arena, each keeping its own
    freed memory."""
    if (libc := _libc()) is not None:
        libc.mallopt(_M_ARENA_MAX, count)
