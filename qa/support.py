"""How strongly a clause supports an answer, and when to refuse.

Two signals, each cheap and explainable:

* ``coverage``: the share of the question's informative wording (its topic,
  as character bigrams weighted by rarity) that the clause contains.  A
  question about 票价 or 青岛 leaves words no clause has.
* ``dense``: the embedding cosine between question and clause.

They are combined linearly, support = w·coverage + (1-w)·dense_scaled, and a
question is answered when the best clause's support reaches the threshold.
Weights and thresholds are calibrated on the gold set's dev split by
``evaluation/calibrate.py`` and stored in ``qa/calibration.json``; the test
split is never used for it.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Container, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from corpus.models import Clause
from corpus.text import char_bigrams

CALIBRATION_FILE = Path(__file__).with_name("calibration.json")


@dataclass(frozen=True)
class Calibration:
    # The defaults are the shipped calibration (qa/calibration.json), so a missing file changes nothing.
    coverage_weight: float = 0.8  # w above
    dense_floor: float = 0.75  # e5 cosines live in [0.75, 0.95]: rescaled to [0, 1] from here
    dense_ceiling: float = 0.95
    answer_threshold: float = 0.35  # best support below this: refuse
    cite_ratio: float = 0.9  # also cite clauses whose support is at least this share of the best
    max_citations: int = 4

    @classmethod
    def load(cls, path: Path = CALIBRATION_FILE) -> Calibration:
        if not path.exists():
            return cls()
        return cls(**json.loads(path.read_text(encoding="utf-8")))

    def save(self, path: Path = CALIBRATION_FILE) -> None:
        path.write_text(json.dumps(asdict(self), indent=2) + "\n", encoding="utf-8")


class SupportScorer:
    def __init__(self, clauses: Sequence[Clause], calibration: Calibration) -> None:
        self._grams = {c.clause_id: char_bigrams(c.text) for c in clauses}
        frequency: Counter[str] = Counter(g for grams in self._grams.values() for g in grams)
        # A bigram no clause has is as informative as the rarest one.
        self._unseen = math.log(1 + len(clauses))
        self._idf = {g: math.log(1 + len(clauses) / f) for g, f in frequency.items()}
        self.calibration = calibration

    @property
    def vocabulary(self) -> Container[str]:
        """Every character bigram of the corpus."""
        return self._idf.keys()

    def text_coverage(self, topic: str, text: str) -> float:
        """Share of the topic's bigram weight that ``text`` contains."""
        return self._coverage(char_bigrams(topic), char_bigrams(text))

    def coverage(self, topic: str, clause: Clause) -> float:
        present = self._grams.get(clause.clause_id) or char_bigrams(clause.text)
        return self._coverage(char_bigrams(topic), present)

    def _coverage(self, grams: frozenset[str], present: frozenset[str]) -> float:
        total = sum(self._idf.get(g, self._unseen) for g in grams)
        if not total:
            return 0.0
        return sum(self._idf.get(g, self._unseen) for g in grams if g in present) / total

    def dense_scaled(self, cosine: float | None) -> float:
        if cosine is None:
            return 0.0
        c = self.calibration
        return min(1.0, max(0.0, (cosine - c.dense_floor) / (c.dense_ceiling - c.dense_floor)))

    def support(self, topic: str, clause: Clause, cosine: float | None, mode: str = "hybrid") -> float:
        """The blend; with a single retrieval channel (``clause-qa eval --retriever``) only its own signal."""
        if mode == "keyword":
            return self.coverage(topic, clause)
        if mode == "dense":
            return self.dense_scaled(cosine)
        w = self.calibration.coverage_weight
        return w * self.coverage(topic, clause) + (1 - w) * self.dense_scaled(cosine)
