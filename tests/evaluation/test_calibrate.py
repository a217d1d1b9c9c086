"""evaluation/calibrate.py: the parts a refit depends on, without running the whole fit."""

from __future__ import annotations

import pytest

from evaluation.calibrate import _CachedRetriever, main, neutral, type_examples
from evaluation.gold import DEFAULT_GOLD, load_gold
from qa.service import QAService


def test_a_service_over_the_remembered_retriever_answers_as_the_real_one(service: QAService) -> None:
    """The fit runs the whole pipeline over the cached retriever: whatever the QA layer asks of a retriever
    (its words, a search narrowed to one plan) the wrapper must give."""
    cached = QAService(_CachedRetriever(service.retriever), neutral())  # type: ignore[arg-type]
    plain = service.with_calibration(neutral())
    for question in ("临沂机场的票价是多少？", "2023工作要点里有哪些关于机场的任务？", "人才保障 任务"):
        assert cached.ask(question).answer == plain.ask(question).answer


def test_examples_of_another_corpus_leave_our_own_examples_out() -> None:
    dev = [q for q in load_gold(DEFAULT_GOLD) if q.split == "dev"]
    with_own, without = type_examples(dev), type_examples(dev, own=False)
    assert len(with_own) > len(without) > 0 and set(without) < set(with_own)


def test_also_needs_a_gold_and_a_corpus(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--also", "evaluation/gold-layouts.jsonl"])
    assert "GOLD=CORPUS_DIR" in capsys.readouterr().err


def test_each_corpus_is_judged_by_models_fitted_on_the_others(monkeypatch: pytest.MonkeyPatch) -> None:
    """The unseen-corpus answerabilities come from models that never saw the corpus: where two corpora read
    one feature in opposite ways, each is predicted by the other's reading."""
    import numpy as np

    from evaluation import calibrate
    from evaluation.gold import GoldQuestion

    signs = [1.0, -1.0, 1.0, -1.0] * 3  # corpus 0: feature +1 answerable; corpus 1: the other way round
    corpora = [0] * 12 + [1] * 12
    features = np.array([[s] for s in signs] + [[s] for s in signs])
    answerable = [s > 0 for s in signs] + [s < 0 for s in signs]
    found = [(GoldQuestion(f"q{i}", "问", (f"x-{i}",) if a else (), (), "target" if a else "unanswerable",
                           "paraphrase", "dev"), None) for i, a in enumerate(answerable)]
    monkeypatch.setattr(calibrate, "_question_rows", lambda rows, relevance: features)
    monkeypatch.setattr(calibrate, "_out_of_fold_relevance", lambda rows, folds, c: [np.zeros(0)] * len(rows))
    monkeypatch.setattr(calibrate, "_relevance_data", lambda rows, idx: (np.array([[0.0], [1.0]]), np.array([0, 1])))
    monkeypatch.setattr(calibrate, "_candidates", lambda trace: np.zeros((0, 1)))
    p = calibrate._unseen_corpus_answerability(found, corpora, 1.0, 1.0)
    y = np.array(answerable)
    assert (p[12:][y[12:]] < 0.5).all() and (p[:12][y[:12]] < 0.5).all()  # the other corpus's reading, wrong here
