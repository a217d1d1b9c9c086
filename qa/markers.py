"""Citation markers in answer text: 〔分工方案第12条〕 ↔ clause id 分工方案-12."""

from __future__ import annotations

import re

_MARKER = re.compile(r"〔([^〔〕第]+)第(\d+)条〕")


def marked_ids(text: str) -> list[str]:
    """Clause ids named by the markers in ``text``, in order, without repeats (unknown ids included)."""
    return list(dict.fromkeys(f"{short}-{number}" for short, number in _MARKER.findall(text)))
