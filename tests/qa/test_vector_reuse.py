"""A rebuild embeds only new texts: the vectors of the running service are reused, and they are the same."""

from __future__ import annotations

import numpy as np

from qa.vector_reuse import ReusingEmbedder


class Counting:
    """The session's model, counting the passages it is asked to embed."""

    def __init__(self, inner) -> None:
        self.inner, self.name, self.dim, self.passages = inner, inner.name, inner.dim, 0

    def embed_passages(self, texts):
        self.passages += len(texts)
        return self.inner.embed_passages(texts)

    def embed_queries(self, texts):
        return self.inner.embed_queries(texts)

    def count_tokens(self, text):
        return self.inner.count_tokens(text)


def test_only_unknown_texts_are_embedded_and_the_vectors_match(session_embedder) -> None:
    counting = Counting(session_embedder)
    reusing = ReusingEmbedder(counting)
    first = ["新建第二实验幼儿园", "改造老旧小区供热管网18公里"]
    vectors = reusing.embed_passages(first)
    assert counting.passages == 2
    progress: list[tuple[int, int]] = []
    with reusing.reporting(lambda done, total: progress.append((done, total))):
        again = reusing.embed_passages([*first, "开通旅游公交专线2条", first[0]])
    assert counting.passages == 3 and progress == [(1, 1)]
    assert np.allclose(again[:2], vectors) and np.allclose(again[3], vectors[0])
    fresh = session_embedder.embed_passages(["开通旅游公交专线2条"])[0]
    assert float(np.dot(fresh, again[2])) > 0.999
    assert reusing.embed_passages([]).shape == (0, reusing.dim)

    reusing.keep_used()
    reusing.embed_passages(first[:1])
    reusing.keep_used()  # only what the last build used is kept
    assert len(reusing) == 1
