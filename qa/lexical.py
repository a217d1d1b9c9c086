"""Lexical coverage: how much of a question's topic a clause (or a sentence) contains, synonyms counted.

The topic is cut into character bigrams weighted by rarity (idf over the corpus's clauses); a bigram
no clause has weighs as much as the rarest one, so a question about 票价 that no clause mentions is
weakly covered whatever else matches.  A topic word with a synonym in the text (老师 → 教师) counts
as present.  Bigrams need no dictionary and match sub-words (机场 inside 飞机场).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from corpus.text import char_bigrams, normalise
from qa.models import Span, Words

Expansions = Mapping[str, frozenset[str]]
NO_EXPANSIONS: Expansions = MappingProxyType({})


@dataclass(frozen=True)
class TopicParts:
    """The topic split into what the corpus knows (the thing asked about) and what it never mentions."""

    known: tuple[str, ...]  # runs of the topic whose bigrams occur in the corpus: 临沂机场
    unknown: tuple[str, ...]  # runs no clause contains: 票价


class LexicalScorer:
    def __init__(self, texts: Iterable[str], words: Words) -> None:
        """``texts``: the text of every clause of the corpus; ``words``: the word spans of a normalised text
        (the keyword channel's segmenter), for ``parts``."""
        self._words = words
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

    def words(self, form: str) -> Sequence[Span]:
        """Word spans of a normalised text, by the segmenter this scorer was given."""
        return self._words(form)

    def weight(self, gram: str) -> float:
        return self._idf.get(gram, self._unseen)

    def coverage(self, topic: str, text: str, expansions: Expansions = NO_EXPANSIONS) -> float:
        """Share of the topic's bigram weight that ``text`` contains, a synonym standing for its word."""
        return self.coverages(topic, text, expansions)[1]

    def coverages(self, topic: str, text: str, expansions: Expansions) -> tuple[float, float]:
        """The coverage of the topic by ``text`` without synonyms and with them, in one pass."""
        weights, total = self._weighed(topic)
        if not total:
            return 0.0, 0.0
        present, form = self._text(text)
        plain = sum(w for g, w in weights.items() if g in present) / total  # the few topic grams looked up
        through: set[str] = set()
        for word, meanings in expansions.items():
            if any(m in form for m in meanings):
                through |= self._around(topic, word)
        extra = sum(w for g, w in weights.items() if g in through and g not in present)
        return plain, plain + extra / total

    def unseen(self, topic: str, expansions: Expansions = NO_EXPANSIONS) -> float:
        """Share of the topic's weight that no clause of the corpus contains, even through a synonym."""
        grams = char_bigrams(topic)
        total = sum(self.weight(g) for g in grams)
        if not total:
            return 0.0
        explained = {g for word in expansions for g in char_bigrams(word)}
        missing = [g for g in grams if g not in self._idf and g not in explained]
        return sum(self.weight(g) for g in missing) / total

    def unknown_words(self, topic: str, expansions: Expansions = NO_EXPANSIONS) -> float:
        """Share of the topic's words (in characters) that the corpus never has, even through a synonym:
        ``unseen`` by whole words, so the bigrams across two known words (师去 of 老师去临沂) do not count."""
        parts = self.parts(topic, expansions)
        known, unknown = sum(map(len, parts.known)), sum(map(len, parts.unknown))
        return unknown / (known + unknown) if unknown else 0.0

    def parts(self, topic: str, expansions: Expansions = NO_EXPANSIONS) -> TopicParts:
        """Each topic piece in whole words: runs of words whose bigrams the corpus has (or a synonym explains),
        and runs of words it does not.  Whole words, so a bigram of two words (园开 of 陵园开放) neither claims
        the documents mention 开 nor leaves 放时间; a one-character word (和, 到, 要) is neither and ends a run."""
        explained = {g for word in expansions for g in char_bigrams(word)}
        known: list[str] = []
        unknown: list[str] = []
        for piece in topic.split():
            form = normalise(piece)
            runs: list[tuple[int, int, bool | None]] = []  # [start, end) characters, known? (None: neither)
            for start, end in self._words(form):
                flag = None if end - start < 2 else all(
                    form[i : i + 2] in self._idf or form[i : i + 2] in explained for i in range(start, end - 1))
                if flag is not None and runs and runs[-1][2] is flag:
                    runs[-1] = (runs[-1][0], end, flag)
                else:
                    runs.append((start, end, flag))
            for start, end, flag in runs:
                if flag is not None:
                    (known if flag else unknown).append(form[start:end])
        return TopicParts(tuple(known), tuple(unknown))


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
