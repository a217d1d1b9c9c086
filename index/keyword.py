"""BM25 over token lists, as a term-major sparse matrix of precomputed weights.

Lucene's BM25: idf = ln(1 + (N - df + 0.5) / (df + 0.5)) stays positive for
terms in most documents (``rank_bm25.BM25Okapi``'s idf goes to zero, then
negative, past half the documents).  Each posting stores its document's whole
contribution idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl)), so a
query is a sum of the posting rows of its distinct terms: a few numpy slices,
about a millisecond at 100k clauses.  A query term counts once however often
it is repeated: question words are not a weighting signal.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

K1 = 1.5
B = 0.75


@dataclass(frozen=True)
class KeywordIndex:
    terms: dict[str, int]  # term -> row of the posting matrix
    indptr: np.ndarray  # int64 (len(terms) + 1,): postings of row t are [indptr[t], indptr[t + 1])
    docs: np.ndarray  # int32 document of each posting
    weights: np.ndarray  # float32 BM25 contribution of each posting
    size: int  # number of documents

    @classmethod
    def build(cls, documents: Iterable[Sequence[str]], k1: float = K1, b: float = B) -> KeywordIndex:
        """Index token lists (read once, so a generator will do); the i-th list is document i."""
        terms: dict[str, int] = {}
        # Typed arrays, not lists: 8 bytes a posting instead of ~36 (100k clauses have ~20M postings).
        rows, docs, freqs, lengths = array("q"), array("q"), array("q"), array("q")
        for doc, tokens in enumerate(documents):
            lengths.append(len(tokens))
            for term, count in Counter(tokens).items():
                rows.append(terms.setdefault(term, len(terms)))
                docs.append(doc)
                freqs.append(count)
        row = np.frombuffer(rows, np.int64)
        doc_ids = np.frombuffer(docs, np.int64).astype(np.int32)
        tf = np.frombuffer(freqs, np.int64).astype(np.float64)
        order = np.lexsort((doc_ids, row))
        row, doc_ids, tf = row[order], doc_ids[order], tf[order]
        n = len(lengths)
        df = np.bincount(row, minlength=len(terms))
        idf = np.log1p((n - df + 0.5) / (df + 0.5))
        length = np.frombuffer(lengths, np.int64).astype(np.float64)
        norms = k1 * (1 - b + b * length / (length.mean() if length.any() else 1.0))
        weights = (idf[row] * tf * (k1 + 1) / (tf + norms[doc_ids])).astype(np.float32)
        indptr = np.concatenate(([0], np.cumsum(df))).astype(np.int64)
        return cls(terms, indptr, doc_ids, weights, n)

    def scores(self, query: Sequence[str]) -> np.ndarray:
        """BM25 score of every document for the distinct known terms of ``query``."""
        total = np.zeros(self.size, dtype=np.float32)
        for term in set(query):
            row = self.terms.get(term)
            if row is not None:
                start, end = self.indptr[row], self.indptr[row + 1]
                # A document appears once per term row, so fancy-index += is exact here.
                total[self.docs[start:end]] += self.weights[start:end]
        return total

    def top(self, query: Sequence[str], k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """The ``k`` best (document, score) pairs with a positive score, best first, ties by document.

        ``allowed``, a boolean mask over the documents, keeps only those it marks (a search filter).
        """
        total = self.scores(query)
        matched = np.flatnonzero((total > 0) & allowed if allowed is not None else total > 0)
        if len(matched) > k:
            # Keep every document tied with the k-th score, so the tie-break below is exact.
            kth = np.partition(total[matched], len(matched) - k)[len(matched) - k]
            matched = matched[total[matched] >= kth]
        best = matched[np.lexsort((matched, -total[matched]))][:k]
        return [(int(d), float(total[d])) for d in best]

    def save(self, path: Path) -> None:
        vocabulary = np.array(sorted(self.terms, key=self.terms.__getitem__), dtype=np.str_)
        with path.open("wb") as handle:
            np.savez(
                handle,
                terms=vocabulary,
                indptr=self.indptr,
                docs=self.docs,
                weights=self.weights,
                size=np.int64(self.size),
            )

    @classmethod
    def load(cls, path: Path) -> KeywordIndex:
        with np.load(path, allow_pickle=False) as data:
            terms = {str(term): row for row, term in enumerate(data["terms"])}
            return cls(terms, data["indptr"], data["docs"], data["weights"], int(data["size"]))
