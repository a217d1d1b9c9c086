"""Citation markers in answer text (〔2023分工方案第12条〕): the grammar lives in corpus.models.MARKER."""

from __future__ import annotations

from corpus.loader import Corpus
from corpus.models import MARKER


def markers_in(text: str) -> list[str]:
    """The markers written in ``text``, in order, without repeats."""
    return list(dict.fromkeys(match.group() for match in MARKER.finditer(text)))


def marked_ids(text: str, corpus: Corpus) -> list[str]:
    """Ids of the corpus clauses the markers in ``text`` name, in order (markers naming nothing skipped)."""
    return corpus.resolve_marker(text)
