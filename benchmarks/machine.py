"""What the benchmarks print about the machine they ran on."""

from __future__ import annotations

from pathlib import Path


def loadavg() -> str:
    """The 1, 5 and 15 minute load averages: a busy shared machine makes every timing slower."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])
