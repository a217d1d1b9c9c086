"""Lexical coverage: how much of a question's topic a clause (or a sentence) contains, synonyms counted.

The topic is cut into character bigrams weighted by rarity (idf over the corpus's clauses); a bigram
no clause has weighs as much as the rarest one, so a question about 票价 that no clause mentions is
weakly covered whatever else matches.  A topic word with a synonym in the text (老师 → 教师) counts
as present.  Bigrams need no dictionary and match sub-words (机场 inside 飞机场).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from corpus.text import char_bigrams, normalise

Expansions = Mapping[str, frozenset[str]]
NO_EXPANSIONS: Expansions = MappingProxyType({})


@dataclass(frozen=True)
class TopicParts:
    """The topic split into what the corpus knows (the thing asked about) and what it never mentions."""

    known: tuple[str, ...]  # runs of the topic whose bigrams occur in the corpus: 临沂机场
    unknown: tuple[str, ...]  # runs no clause contains: 票价


class LexicalScorer:
    def __init__(self, texts: Iterable[str]) -> None:
        """``texts``: the text of every clause of the corpus."""
        grams = [char_bigrams(text) for text in texts]
        frequency: Counter[str] = Counter(g for clause_grams in grams for g in clause_grams)
        count = max(1, len(grams))
        self._unseen = math.log(1 + count)
        self._idf = {g: math.log(1 + count / f) for g, f in frequency.items()}
        # A question's topic is scored against many clauses, sentences and headings: weigh it once.
        self._weighed = lru_cache(maxsize=4096)(self._weigh)
        self._around = lru_cache(maxsize=4096)(_around)
        # Clauses and their sentences are scored again for every question: their bigrams and form, once.
        self._text = lru_cache(maxsize=16384)(lambda text: (char_bigrams(text), normalise(text)))

    def _weigh(self, topic: str) -> tuple[dict[str, float], float]:
        weights = {g: self.weight(g) for g in char_bigrams(topic)}
        return weights, sum(weights.values())

    @property
    def vocabulary(self) -> Container[str]:
        """Every character bigram of the corpus."""
        return self._idf.keys()

    def weight(self, gram: str) -> float:
        return self._idf.get(gram, self._unseen)

    def coverage(self, topic: str, text: str, expansions: Expansions = NO_EXPANSIONS) -> float:
        """Share of the topic's bigram weight that ``text`` contains, a synonym standing for its word."""
        weights, total = self._weighed(topic)
        if not total:
            return 0.0
        present, form = self._text(text)
        covered = weights.keys() & present
        if expansions:
            for word, meanings in expansions.items():
                if any(m in form for m in meanings):
                    covered |= self._around(topic, word) & weights.keys()
        return sum(weights[g] for g in covered) / total

    def unseen(self, topic: str, expansions: Expansions = NO_EXPANSIONS) -> float:
        """Share of the topic's weight that no clause of the corpus contains, even through a synonym."""
        grams = char_bigrams(topic)
        total = sum(self.weight(g) for g in grams)
        if not total:
            return 0.0
        explained = {g for word in expansions for g in char_bigrams(word)}
        missing = [g for g in grams if g not in self._idf and g not in explained]
        return sum(self.weight(g) for g in missing) / total

    def parts(self, topic: str, expansions: Expansions = NO_EXPANSIONS) -> TopicParts:
        """Runs of each topic piece whose bigrams the corpus has (or explains by a synonym), and the rest."""
        explained = {g for word in expansions for g in char_bigrams(word)}
        known: list[str] = []
        unknown: list[str] = []
        for piece in topic.split():
            form = normalise(piece)
            flags = [form[i : i + 2] in self._idf or form[i : i + 2] in explained for i in range(len(form) - 1)]
            runs: list[tuple[int, int, bool]] = []  # [start, end) characters, known?
            for i, flag in enumerate(flags):
                if runs and runs[-1][2] == flag:
                    runs[-1] = (runs[-1][0], i + 2, flag)
                else:
                    runs.append((i, i + 2, flag))
            for index, (start, end, flag) in enumerate(runs):
                if flag:
                    known.append(form[start:end])
                    continue
                # An unknown run shares its edge characters with the known runs beside it.
                start += index > 0
                end -= index + 1 < len(runs)
                unknown.append(form[start:end])
        return TopicParts(tuple(r for r in known if len(r) >= 2), tuple(r for r in unknown if len(r) >= 2))


def _around(topic: str, word: str) -> frozenset[str]:
    """The topic's bigrams that touch ``word``: its own and the two across its edges (老师支教 → 师支)."""
    grams: set[str] = set()
    for piece in topic.split():
        form = normalise(piece)
        at = form.find(word)
        while at >= 0:
            grams |= char_bigrams(form[max(0, at - 1) : at + len(word) + 1])
            at = form.find(word, at + 1)
    return frozenset(grams)
